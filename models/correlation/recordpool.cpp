// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/recordpool.h"

#include <utility>

namespace mailtrail {

namespace {

// Small: a pool of a whole batch of the cache writer's (2048 messages then, 4096 deliveries) raised
// the peak memory of a 1 GB import by 50 MiB, one of 256 by 5-6 MiB, for the same CPU.
constexpr std::size_t MaxMessages = 256;
constexpr std::size_t MaxDeliveries = 512;

// A string left as std::string{} holds its buffer: `to` must be a blank record's.
void keep(std::string &to, std::string &from)
{
    from.clear();
    to.swap(from);
}

// `blank` is a new record that takes the spent one's buffers, rather than the spent one reset field
// by field: a field added to the record later is blank here without being listed.
void keepBuffers(DeliveryRecord &blank, DeliveryRecord &spent)
{
    for (auto member : {&DeliveryRecord::recipient, &DeliveryRecord::origRecipient, &DeliveryRecord::expandedTo,
                        &DeliveryRecord::dsn, &DeliveryRecord::replyText, &DeliveryRecord::relay, &DeliveryRecord::tls})
        keep(blank.*member, spent.*member);
}

void keepBuffers(MessageRecord &blank, MessageRecord &spent)
{
    for (auto member : {&MessageRecord::host, &MessageRecord::queueId, &MessageRecord::messageId, &MessageRecord::sender,
                        &MessageRecord::clientHost, &MessageRecord::clientIp, &MessageRecord::parentQueueId,
                        &MessageRecord::prevHopHost, &MessageRecord::prevHopQueueId, &MessageRecord::nextHopHost,
                        &MessageRecord::nextHopQueueId, &MessageRecord::saslMethod, &MessageRecord::saslUsername,
                        &MessageRecord::tlsIn, &MessageRecord::verdicts})
        keep(blank.*member, spent.*member);
    spent.lines.clear();
    blank.lines.swap(spent.lines);
    spent.deliveries.clear();
    blank.deliveries.swap(spent.deliveries);
}

} // namespace

void RecordPool::give(MessageRecord &&spent)
{
    if (m_messages.capacity() == 0) {
        m_messages.reserve(MaxMessages);
        m_deliveries.reserve(MaxDeliveries);
    }
    // Made in place: a record is some 700 bytes to move.
    for (DeliveryRecord &d : spent.deliveries) {
        if (m_deliveries.size() >= MaxDeliveries)
            break;
        keepBuffers(m_deliveries.emplace_back(), d);
    }
    if (m_messages.size() < MaxMessages)
        keepBuffers(m_messages.emplace_back(), spent);
}

MessageRecord RecordPool::message()
{
    if (m_messages.empty())
        return {};
    MessageRecord m = std::move(m_messages.back());
    m_messages.pop_back();
    return m;
}

DeliveryRecord RecordPool::delivery()
{
    if (m_deliveries.empty())
        return {};
    DeliveryRecord d = std::move(m_deliveries.back());
    m_deliveries.pop_back();
    return d;
}

} // namespace mailtrail
