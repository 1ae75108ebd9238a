// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/rows.h"

#include "cache/filter.h"

#include <algorithm>
#include <cctype>

namespace mailtrail {

static_assert(static_cast<int>(MessageState::Sent) == static_cast<int>(DeliveryStatus::Sent));
static_assert(static_cast<int>(MessageState::Deferred) == static_cast<int>(DeliveryStatus::Deferred));
static_assert(static_cast<int>(MessageState::Bounced) == static_cast<int>(DeliveryStatus::Bounced));
static_assert(static_cast<int>(MessageState::Expired) == static_cast<int>(DeliveryStatus::Expired));
static_assert(static_cast<int>(MessageState::Rejected) == static_cast<int>(DeliveryStatus::Rejected));

const char *stateName(MessageState s)
{
    switch (s) {
    case MessageState::Queued: return "queued";
    case MessageState::Sent: return "sent";
    case MessageState::Deferred: return "deferred";
    case MessageState::Bounced: return "bounced";
    case MessageState::Expired: return "expired";
    case MessageState::Rejected: return "rejected";
    default: return statusName(static_cast<DeliveryStatus>(s));  // the states appended after it
    }
    return "unknown";
}

const char *statusName(DeliveryStatus s)
{
    switch (s) {
    case DeliveryStatus::None: return "queued";
    case DeliveryStatus::Sent: return "sent";
    case DeliveryStatus::Deferred: return "deferred";
    case DeliveryStatus::Bounced: return "bounced";
    case DeliveryStatus::Expired: return "expired";
    case DeliveryStatus::Rejected: return "rejected";
    case DeliveryStatus::Abandoned: return "abandoned";
    case DeliveryStatus::Held: return "held";
    case DeliveryStatus::Discarded: return "discarded";
    case DeliveryStatus::Deleted: return "deleted";
    case DeliveryStatus::Deliverable: return "deliverable";
    case DeliveryStatus::Undeliverable: return "undeliverable";
    }
    return "unknown";
}

bool Filter::isEmpty() const
{
    return sender.empty() && recipient.empty() && statuses.empty() && code.empty() && text.empty() &&
        fileIds.empty() && host.empty() && format.empty() && messageIds.empty() && tls.empty() && saslUser.empty() && received.empty() && sinceMs == std::numeric_limits<std::int64_t>::min() &&
        untilMs == std::numeric_limits<std::int64_t>::max() && triedSinceMs == std::numeric_limits<std::int64_t>::min() &&
        triedUntilMs == std::numeric_limits<std::int64_t>::max() && triedAs.empty() &&
        destination.empty() && rejectReason.empty();
}

bool parseStateName(const std::string &name, int &value)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    // The caller's grain picks messages.state or deliveries.status; both enums number the names alike.
    for (int i = 0; i <= static_cast<int>(DeliveryStatus::Undeliverable); ++i) {
        if (lower == statusName(static_cast<DeliveryStatus>(i))) {
            value = i;
            return true;
        }
    }
    return false;
}

} // namespace mailtrail
