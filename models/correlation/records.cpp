// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/records.h"

#include <algorithm>

namespace mailtrail {

std::vector<std::uint32_t> otherFiles(const std::vector<LineRef> &lines, std::uint32_t first)
{
    std::vector<std::uint32_t> files;
    for (const LineRef &line : lines) {
        // Lines come file by file: only a change of file can be a new one.
        if (line.fileId != first && (files.empty() || files.back() != line.fileId) &&
            std::find(files.begin(), files.end(), line.fileId) == files.end())
            files.push_back(line.fileId);
    }
    return files;
}

AttemptRecord DeliveryRecord::lastTry() const
{
    AttemptRecord a;
    a.timeMs = lastAttemptMs;
    a.status = status;
    a.replyCode = replyCode;
    a.dsn = dsn;
    a.relay = relay;
    a.replyText = replyText;
    a.delaySec = lastDelaySec;
    a.counted = attempts > 0;
    a.tls = tls;
    return a;
}

int MessageRecord::attemptCount() const
{
    int n = 0;
    for (const DeliveryRecord &d : deliveries)
        n += d.attempts;
    return n;
}

int MessageRecord::lastReplyCode() const
{
    // The code beside the message's status is the reply of a recipient in that status: a
    // deferred message whose other recipient was delivered must not show that delivery's 250,
    // nor a delivered one the 550 of a recipient refused at RCPT. A status reached without a
    // reply (a connection that timed out, a local delivery) shows none. States no recipient has
    // (held, a message refused as a whole) show the latest reply.
    auto latest = [this](auto &&counts) {
        int code = 0;
        std::int64_t when = 0;
        for (const DeliveryRecord &d : deliveries) {
            if (counts(d) && d.replyCode != 0 && d.lastAttemptMs >= when) {
                code = d.replyCode;
                when = d.lastAttemptMs;
            }
        }
        return code;
    };
    // DeliveryStatus and MessageState number the same words alike.
    const auto inState = [this](const DeliveryRecord &d) { return static_cast<int>(d.status) == static_cast<int>(state); };
    if (state != MessageState::Queued && std::any_of(deliveries.begin(), deliveries.end(), inState))
        return latest(inState);
    return latest([](const DeliveryRecord &) { return true; });
}

void MessageRecord::updateState()
{
    state = settledState();
}

MessageState MessageRecord::settledState() const
{
    if (state == MessageState::Rejected || isFinalState(state))
        return state;
    // Rank from best to worst; the message shows its worst recipient.
    using enum DeliveryStatus;
    static constexpr DeliveryStatus byRank[] = {None, Sent, Deliverable, Deferred, Undeliverable, Bounced, Expired,
                                                Discarded, Rejected};
    auto rank = [](DeliveryStatus s) {
        const auto it = std::find(std::begin(byRank), std::end(byRank), s);
        return it == std::end(byRank) ? 0 : static_cast<int>(it - std::begin(byRank));
    };
    // A recipient refused at RCPT while others were accepted does not make the queued message
    // "rejected" (refused before it was queued): the message shows how its accepted recipients
    // fared, and the refused one keeps its own row in the delivery grain.
    // Queued (qmgr logged its size) counts as accepted even before any accepted recipient has
    // a line of its own: the message stays open for the lines still to come.
    const bool accepted = size >= 0 || nrcpt > 0 ||
                          std::any_of(deliveries.begin(), deliveries.end(),
                                      [](const DeliveryRecord &d) { return d.status != DeliveryStatus::Rejected; });
    int worst = 0;
    for (const DeliveryRecord &d : deliveries) {
        if (!accepted || d.status != DeliveryStatus::Rejected)
            worst = std::max(worst, rank(d.status));
    }
    // On hold (Exim: frozen), it waits in the queue for an administrator whatever its recipients'
    // last tries said: a bounce Exim could not return is frozen after its failure.
    if (held)
        return MessageState::Held;
    // DeliveryStatus and MessageState number the same words alike.
    return static_cast<MessageState>(byRank[worst]);
}

} // namespace mailtrail
