// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Correlator's companion verdicts: which message, and which hop of it, a line of opendkim,
// amavis, a policy service or a delivery agent judges.
#include "correlation/correlator.h"
#include "correlation/verdictlist.h"

#include <algorithm>
#include <functional>
#include <utility>

namespace mailtrail {

namespace {

// How long a verdict that names no queue id waits for a line of its message: dovecot saves a
// message before Postfix logs the delivery, amavis re-injects it before its reply to Postfix.
constexpr std::int64_t PendingVerdictMs = 2 * 60 * 1000;
// A policy service answers smtpd within the same RCPT: a client's later RCPT is another message.
constexpr std::int64_t ClientVerdictMs = 30 * 1000;
// How long after Postfix logged a delivery, or the message's "removed", a companion's line still
// joins it: dovecot's lmtp logs apart from Postfix, and syslog interleaves the processes' lines.
constexpr std::int64_t LateLineMs = 10 * 1000;

// A verdict line joins m's story; one that waited goes before the line that just joined it.
void join(MessageRecord &m, const LineRef &line, std::string_view verdict, std::int64_t timeMs, bool beforeLast)
{
    m.lines.insert(beforeLast && !m.lines.empty() ? m.lines.end() - 1 : m.lines.end(), line);
    m.lastSeenMs = std::max(m.lastSeenMs, timeMs);
    addVerdict(m, verdict);
    m.changed = true;  // a follow's batch writes it again
}

// Between its first accepted RCPT (client=) and DATA (cleanup's message-id): where a policy
// service's answer for a further recipient belongs.
bool atRcpt(const MessageRecord &m)
{
    return m.awaitsContent && m.messageId.empty() && !m.enteredQueue;
}

// Not yet handed on by the queue: what a milter judged at DATA (spamd through spamass-milter)
// may still join it. A re-injected hop is the filter's work, not the client's.
bool beforeDelivery(const MessageRecord &m)
{
    return m.deliveries.empty() && m.prevHopQueueId.empty() && !m.removed;
}

// The mailbox user a delivery agent names ("bob", or "bob@lab.test" for virtual users) is the
// recipient of the delivery. An agent that names none fits any.
bool sameMailbox(std::string_view recipient, std::string_view user)
{
    return user.empty() || recipient == user ||
        (recipient.size() > user.size() && recipient.starts_with(user) && recipient[user.size()] == '@');
}

bool deliveredToMailbox(const MessageRecord &m, std::string_view user)
{
    return std::any_of(m.deliveries.begin(), m.deliveries.end(), [&](const DeliveryRecord &d) {
        return d.status == DeliveryStatus::Sent && !d.toNextHop &&
            (sameMailbox(d.recipient, user) || sameMailbox(d.origRecipient, user));
    });
}

} // namespace

void Correlator::noteVerdict(const Event &event, std::uint32_t fileId)
{
    m_companions = true;
    if (!m_endedOrder.empty())
        forgetEnded(event.timeMs);
    const LineRef line{fileId, event.offset};
    if (!event.queueId.empty()) {
        // A companion's line never starts a message: one not open here (a mail.warn read alone, a
        // message whose other lines are in a log not read) keeps no record of it.
        if (auto it = m_open.find(key(event.host, event.queueId)); it != m_open.end()) {
            join(*it->second, line, event.verdict, event.timeMs, false);
        } else if (MessageRecord *ended = endedMessage(key(event.host, event.queueId))) {
            join(*ended, line, event.verdict, event.timeMs, false);
            amend(*ended);
        }
        return;
    }
    if (!event.hopQueueId.empty()) {
        // amavis without a Queue-ID: it scanned the hop before the one it queued the message as,
        // which may have ended already when the line comes late.
        if (auto next = m_open.find(key(event.host, event.hopQueueId));
            next != m_open.end() && !next->second->prevHopQueueId.empty()) {
            const MessageRecord &n = *next->second;
            const std::string_view prevKey =
                key(n.prevHopHost.empty() ? event.host : std::string_view(n.prevHopHost), n.prevHopQueueId);
            if (auto prev = m_open.find(prevKey); prev != m_open.end()) {
                join(*prev->second, line, event.verdict, event.timeMs, false);
                return;
            }
            if (MessageRecord *ended = endedMessage(prevKey)) {
                join(*ended, line, event.verdict, event.timeMs, false);
                amend(*ended);
                return;
            }
        }
        pend(m_pendingByHop, event, event.hopQueueId, line);  // until the delivery "queued as" it
        return;
    }
    if (!event.messageId.empty()) {
        noteVerdictByMessageId(event, line);
        return;
    }
    if (!event.clientIp.empty())
        noteVerdictByClient(event, line);
}

void Correlator::noteVerdictByMessageId(const Event &event, const LineRef &line)
{
    if (event.verdictStage == VerdictStage::Receipt) {
        // The message a client is handing over now: not an earlier copy with the same Message-ID,
        // nor the filter's re-injection of it.
        for (const auto &[process, messageKey] : m_sessionMessage) {
            auto it = m_open.find(messageKey);
            if (it != m_open.end() && it->second->awaitsContent && it->second->host == event.host &&
                it->second->messageId == event.messageId) {
                join(*it->second, line, event.verdict, event.timeMs, false);
                return;
            }
        }
    } else if (event.verdictStage == VerdictStage::Delivery) {
        if (auto [m, ended] = deliveredTo(event); m) {
            join(*m, line, event.verdict, event.timeMs, false);
            if (ended)
                amend(*m);
            return;
        }
    }
    pend(m_pendingByMessageId, event, event.messageId, line);
}

std::pair<MessageRecord *, bool> Correlator::deliveredTo(const Event &event)
{
    // Postfix logged the delivery before the agent's line (or even the "removed" after it): the
    // latest message with this Message-ID delivered to this mailbox, not a hop handed to a filter.
    while (!m_recentlyDelivered.empty() && m_recentlyDelivered.front().second + LateLineMs < event.timeMs)
        m_recentlyDelivered.pop_front();
    const auto fits = [&](const MessageRecord &m) {
        return m.host == event.host && m.messageId == event.messageId && deliveredToMailbox(m, event.recipient);
    };
    for (auto entry = m_recentlyDelivered.rbegin(); entry != m_recentlyDelivered.rend(); ++entry) {
        if (auto it = m_open.find(entry->first); it != m_open.end() && fits(*it->second))
            return {it->second.get(), false};
        if (MessageRecord *ended = endedMessage(entry->first); ended && fits(*ended))
            return {ended, true};
    }
    return {nullptr, false};
}

void Correlator::finalizeEnded(Map::iterator it, std::int64_t timeMs)
{
    if (!m_companions) {
        finalize(it);
        return;
    }
    forgetEnded(timeMs);
    MessageRecord &m = *it->second;
    m.updateState();
    MessageRecord stored = m;
    std::string messageKey = it->first;
    m_sink->storeMessage(std::move(m));
    m_open.erase(it);
    // As the sink has it now: storing it again updates the row, and adds no try twice.
    stored.inCache = true;
    stored.changed = false;
    for (DeliveryRecord &d : stored.deliveries) {
        if (!d.newAttempts.empty())
            d.attemptsStored = true;
        d.newAttempts.clear();
    }
    m_endedOrder.push_back(Ended{messageKey, stored.dbId, timeMs});
    m_ended.insert_or_assign(std::move(messageKey), std::make_unique<MessageRecord>(std::move(stored)));
}

MessageRecord *Correlator::endedMessage(std::string_view messageKey)
{
    if (m_ended.empty())
        return nullptr;
    auto it = m_ended.find(messageKey);
    return it != m_ended.end() ? it->second.get() : nullptr;
}

void Correlator::amend(MessageRecord &ended)
{
    MessageRecord copy = ended;
    ended.changed = false;
    m_sink->amendMessage(std::move(copy));
}

void Correlator::forgetEnded(std::int64_t nowMs)
{
    while (!m_endedOrder.empty() && m_endedOrder.front().timeMs + LateLineMs < nowMs) {
        const Ended &e = m_endedOrder.front();
        // The queue id may have ended again since, as another message: that one stays.
        if (auto it = m_ended.find(e.key); it != m_ended.end() && it->second->dbId == e.dbId)
            m_ended.erase(it);
        m_endedOrder.pop_front();
    }
}

void Correlator::noteVerdictByClient(const Event &event, const LineRef &line)
{
    // A policy service asks at RCPT. The sessions of this client that may be at RCPT: connected,
    // and not sending the data of a message.
    const std::uint64_t host = processKey(event) >> 40;
    std::uint64_t only = 0;
    int sessions = 0;
    for (const auto &[process, ip] : m_sessionClient) {
        if ((process >> 40) != host || ip != event.clientIp)
            continue;
        if (auto current = m_sessionMessage.find(process); current != m_sessionMessage.end()) {
            auto it = m_open.find(current->second);
            if (it != m_open.end() && it->second->awaitsContent && !atRcpt(*it->second))
                continue;
        }
        ++sessions;
        only = process;
    }
    if (sessions == 1) {
        // A further recipient of the message it has at RCPT, or the first of the next one.
        if (auto current = m_sessionMessage.find(only); current != m_sessionMessage.end()) {
            if (auto it = m_open.find(current->second); it != m_open.end() && atRcpt(*it->second)) {
                join(*it->second, line, event.verdict, event.timeMs, false);
                return;
            }
        }
        m_pendingBySession[only].push_back(pendingOf(event, line));
        return;
    }
    // No session known (the log starts after its connect), or several at RCPT at once (a busy
    // relay): the next RCPT of this client that smtpd logs.
    pend(m_pendingByClient, event, event.clientIp, line);
}

Correlator::PendingVerdict Correlator::pendingOf(const Event &event, const LineRef &line)
{
    return PendingVerdict{line, event.verdict, event.timeMs, event.verdictStage,
                          std::hash<std::string_view>{}(event.program), std::string(event.recipient)};
}

void Correlator::pend(PendingMap &pending, const Event &event, std::string_view id, const LineRef &line)
{
    if (pending.size() >= 1024 && event.timeMs >= m_nextPendingSweepMs) {
        // Verdicts whose message never came (rejected by a check that logs nothing, a log cut).
        // A pass over the map at most every half of their wait, however many arrive.
        m_nextPendingSweepMs = event.timeMs + PendingVerdictMs / 2;
        std::erase_if(pending, [&](const auto &entry) {
            return entry.second.back().timeMs + PendingVerdictMs < event.timeMs;
        });
    }
    pending[std::string(key(event.host, id))].push_back(pendingOf(event, line));
}

void Correlator::takeVerdicts(MessageRecord &m, const Event &event)
{
    if (event.kind == EventKind::Client)
        takeReceiptVerdicts(m, event);
    if (event.kind == EventKind::Delivery && event.status == DeliveryStatus::Sent) {
        if (!m_pendingByHop.empty() && !event.hopQueueId.empty())
            takePending(m_pendingByHop, m, event.hopQueueId, event.timeMs, [](const PendingVerdict &) { return true; });
        m_recentlyDelivered.emplace_back(key(m.host, m.queueId), event.timeMs);
        while (m_recentlyDelivered.front().second + LateLineMs < event.timeMs)
            m_recentlyDelivered.pop_front();
    }
    if (m_pendingByMessageId.empty() || m.messageId.empty())
        return;
    takePending(m_pendingByMessageId, m, m.messageId, event.timeMs, [&](const PendingVerdict &v) {
        switch (v.stage) {
        case VerdictStage::Receipt:
            return beforeDelivery(m);
        case VerdictStage::Filter:
            // The hop the queue hands to the filter, not the one the filter queued.
            return !m.awaitsContent && m.prevHopQueueId.empty();
        case VerdictStage::Delivery:
            return event.kind == EventKind::Delivery && event.status == DeliveryStatus::Sent &&
                (sameMailbox(event.recipient, v.recipient) || sameMailbox(event.origRecipient, v.recipient));
        case VerdictStage::Unknown:
            break;
        }
        return true;
    });
}

void Correlator::takeReceiptVerdicts(MessageRecord &m, const Event &event)
{
    const std::uint64_t process = processKey(event);
    if (auto it = m_pendingBySession.find(process); it != m_pendingBySession.end()) {
        for (const PendingVerdict &v : it->second) {
            if (v.timeMs + ClientVerdictMs >= event.timeMs)
                join(m, v.line, v.verdict, v.timeMs, true);
        }
        m_pendingBySession.erase(it);
    }
    if (m_pendingByClient.empty() || m.clientIp.empty())
        return;
    // One line of each program per RCPT, the oldest first: two sessions of one client each take
    // their own, in the order they were asked.
    std::vector<std::size_t> programs;
    takePending(m_pendingByClient, m, m.clientIp, event.timeMs, [&](const PendingVerdict &v) {
        if (v.timeMs + ClientVerdictMs < event.timeMs ||
            std::find(programs.begin(), programs.end(), v.program) != programs.end())
            return false;
        programs.push_back(v.program);
        return true;
    });
}

template<typename Fits>
void Correlator::takePending(PendingMap &pending, MessageRecord &m, std::string_view id, std::int64_t nowMs, Fits fits)
{
    auto it = pending.find(key(m.host, id));
    if (it == pending.end())
        return;
    std::erase_if(it->second, [&](const PendingVerdict &v) {
        if (v.timeMs + PendingVerdictMs < nowMs)
            return true;
        if (!fits(v))
            return false;
        // They were logged before the line that just joined the message.
        join(m, v.line, v.verdict, v.timeMs, true);
        return true;
    });
    if (it->second.empty())
        pending.erase(it);
}

void addVerdict(MessageRecord &m, std::string_view verdict)
{
    if (verdict.empty())
        return;
    for (std::size_t pos = m.verdicts.find(verdict); pos != std::string::npos; pos = m.verdicts.find(verdict, pos + 1)) {
        const std::size_t end = pos + verdict.size();
        if ((pos == 0 || m.verdicts[pos - 1] == ' ') && (end == m.verdicts.size() || m.verdicts[end] == ','))
            return;
    }
    if (!m.verdicts.empty())
        m.verdicts += ", ";
    m.verdicts.append(verdict);
}

} // namespace mailtrail
