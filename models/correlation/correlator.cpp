// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/correlator.h"

#include <charconv>

namespace mailtrail {

namespace {

// Syslog lines of different processes arrive out of order by a few seconds; a log read out of
// order is hours or days older.
constexpr std::int64_t OlderThanCachedMs = 60 * 1000;

// A line that starts a lifetime (Postfix: client=, uid=) on a queue id that already went through
// the queue means the id was reused; lines before the first delivery step (cleanup, qmgr) belong
// to the same lifetime.
bool hasProgressed(const MessageRecord &m)
{
    return !m.deliveries.empty() || m.size >= 0 || m.origin == MessageOrigin::Smtp || m.origin == MessageOrigin::Local;
}

void setIfEmpty(std::string &field, std::string_view value)
{
    if (field.empty() && !value.empty())
        field.assign(value);
}

} // namespace

Correlator::Correlator(MessageSink &sink, std::int64_t firstId)
    : m_sink(sink)
    , m_nextId(firstId)
{
}

std::string_view Correlator::key(std::string_view host, std::string_view id)
{
    m_key.assign(host);
    m_key.push_back('\0');
    m_key.append(id);
    return m_key;
}

std::uint64_t Correlator::processKey(const Event &event)
{
    // Hosts are few: number them, so a process is one integer and costs no allocation per line.
    if (m_lastHost >= m_hosts.size() || event.host != m_hosts[m_lastHost]) {
        m_lastHost = 0;
        while (m_lastHost < m_hosts.size() && m_hosts[m_lastHost] != event.host)
            ++m_lastHost;
        if (m_lastHost == m_hosts.size())
            m_hosts.emplace_back(event.host);
    }
    return (static_cast<std::uint64_t>(m_lastHost) << 40) ^ static_cast<std::uint64_t>(event.pid);
}

void Correlator::restore(std::vector<MessageRecord> &&open)
{
    for (MessageRecord &m : open) {
        std::string k(key(m.host, m.queueId));
        m_open.insert_or_assign(std::move(k), std::move(m));
    }
}

MessageRecord &Correlator::messageFor(const Event &event, std::uint32_t fileId, bool starts)
{
    auto it = m_open.find(key(event.host, event.queueId));
    if (m_keepCachedFromOlderLines && it != m_open.end() && it->second.inCache &&
        event.timeMs < it->second.lastSeenMs - OlderThanCachedMs) {
        // A log older than the one this cached message was last seen in, read after it (the
        // importer reads everything again in time order when it still can): the event belongs
        // to an earlier lifetime of the queue id. The cached message stays as it is.
        m_open.erase(it);
        it = m_open.end();
    }
    if (it != m_open.end() && starts && hasProgressed(it->second)) {
        finalize(it);
        it = m_open.end();
    }
    if (it == m_open.end()) {
        it = m_open.emplace(std::string(key(event.host, event.queueId)), MessageRecord{}).first;
        MessageRecord &m = it->second;
        m.dbId = m_nextId++;
        m.host.assign(event.host);
        m.queueId.assign(event.queueId);
        m.firstSeenMs = event.timeMs;
        m.utcOffsetSec = event.utcOffsetSec;
        m.fileId = fileId;
        m.idleTimeoutMs = m_idleTimeoutMs;
        if (m_idleTimeoutMs > 0)
            ++m_idleOpen;
        if (auto parent = m_pendingParent.find(it->first); parent != m_pendingParent.end()) {
            m.parentQueueId = std::move(parent->second.queueId);
            m.parentDbId = parent->second.dbId;
            m.origin = parent->second.origin;
            m_pendingParent.erase(parent);
        }
    }
    return it->second;
}

void Correlator::process(const Event &event, std::uint32_t fileId)
{
    if (event.queueId.empty()) {
        switch (event.kind) {
        case EventKind::Reject:
            handleNoQueue(event, fileId);
            break;
        case EventKind::Connect:
            if (event.facts & fact::OpensSession)
                m_connects.insert_or_assign(processKey(event), LineRef{fileId, event.offset});
            break;
        case EventKind::Disconnect:
            m_connects.erase(processKey(event));
            break;
        case EventKind::AuthFailure:
            m_sink.storeIncident(IncidentRecord{event.timeMs, std::string(event.host), std::string(event.clientHost),
                                                std::string(event.clientIp), std::string(event.detail),
                                                LineRef{fileId, event.offset}});
            break;
        default:
            break;
        }
        return;
    }

    if (m_idleTimeoutMs > 0 || m_idleOpen > 0)
        closeIdle(event.timeMs);
    MessageRecord &m = messageFor(event, fileId, (event.facts & fact::StartsMessage) != 0);
    if (event.kind == EventKind::Client) {
        // The connect line of this smtpd process is the first line of the message's story.
        if (auto it = m_connects.find(processKey(event)); it != m_connects.end() && m.lines.empty())
            m.lines.push_back(it->second);
    }
    m.lines.push_back(LineRef{fileId, event.offset});
    m.lastSeenMs = std::max(m.lastSeenMs, event.timeMs);

    switch (event.kind) {
    case EventKind::Client:
        m.origin = m.origin == MessageOrigin::Unknown ? MessageOrigin::Smtp : m.origin;
        setIfEmpty(m.clientHost, event.clientHost);
        setIfEmpty(m.clientIp, event.clientIp);
        break;
    case EventKind::Pickup:
        m.origin = m.origin == MessageOrigin::Unknown ? MessageOrigin::Local : m.origin;
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        break;
    case EventKind::MessageId:
        setIfEmpty(m.messageId, event.messageId);
        break;
    case EventKind::Queued:
        if (event.hasSender) {
            // qmgr's from= is the envelope sender as queued: authoritative over pickup's uid= form.
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        if (event.size >= 0)
            m.size = event.size;
        if (event.nrcpt >= 0)
            m.nrcpt = event.nrcpt;
        break;
    case EventKind::Delivery:
        applyToRecipients(m, event);
        break;
    case EventKind::Expired:
        for (DeliveryRecord &d : m.deliveries) {
            if (d.status == DeliveryStatus::Deferred || d.status == DeliveryStatus::None)
                d.status = DeliveryStatus::Expired;
        }
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        break;
    case EventKind::Notification:
        linkParent(event, m, MessageOrigin::Notification);
        break;
    case EventKind::Reject:
        applyToRecipients(m, event);
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        // A reject that ends the message refuses all of it; one that does not (a RCPT refused
        // while other recipients go on) refuses its recipients only.
        if (event.facts & fact::EndsMessage)
            m.state = MessageState::Rejected;
        break;
    case EventKind::Removed:
        m.removed = true;
        break;
    default:
        break;
    }
    if (event.facts & fact::EndsMessage)
        finalize(m_open.find(key(event.host, event.queueId)));
}

void Correlator::applyToRecipients(MessageRecord &m, const Event &event)
{
    const bool reject = event.kind == EventKind::Reject;
    DeliveryRecord &first = applyDelivery(m, event, event.recipient);
    if (reject)
        first.status = DeliveryStatus::Rejected;
    std::string_view list = event.moreRecipients;
    std::string_view recipient;
    while (nextRecipient(list, recipient)) {
        DeliveryRecord &d = applyDelivery(m, event, recipient);
        if (reject)
            d.status = DeliveryStatus::Rejected;
    }
}

void Correlator::closeIdle(std::int64_t nowMs)
{
    // A sweep costs a pass over the open messages: at most one per tenth of the shortest timeout
    // of log time, and none while no open message has one.
    if (nowMs < m_nextIdleSweepMs)
        return;
    const std::int64_t step = std::max<std::int64_t>(m_idleTimeoutMs > 0 ? m_idleTimeoutMs / 10 : 60 * 1000, 1000);
    m_nextIdleSweepMs = nowMs + step;
    m_idleOpen = 0;
    for (auto it = m_open.begin(); it != m_open.end();) {
        const std::int64_t timeout = it->second.idleTimeoutMs;
        if (timeout > 0 && it->second.lastSeenMs + timeout < nowMs) {
            MessageRecord &m = it->second;
            m.removed = true;  // its lifetime is over, as if the format had logged its end
            m.updateState();
            m_sink.storeMessage(std::move(m));
            it = m_open.erase(it);
            continue;
        }
        if (timeout > 0)
            ++m_idleOpen;
        ++it;
    }
}

DeliveryRecord &Correlator::applyDelivery(MessageRecord &m, const Event &event, std::string_view recipient)
{
    DeliveryRecord *d = nullptr;
    for (DeliveryRecord &candidate : m.deliveries) {
        if (candidate.recipient == recipient && candidate.origRecipient == event.origRecipient) {
            d = &candidate;
            break;
        }
    }
    if (!d) {
        d = &m.deliveries.emplace_back();
        d->recipient.assign(recipient);
        d->origRecipient.assign(event.origRecipient);
        d->firstAttemptMs = event.timeMs;
    }
    // A recipient's first try lives in the delivery's own fields; attempt records start with its
    // second try (most recipients are tried once, and copying every reply twice costs).
    const bool keepHistory = d->attemptsStored || !d->newAttempts.empty() || d->lastAttemptMs != 0;
    if (!d->attemptsStored && d->newAttempts.empty() && d->lastAttemptMs != 0)
        d->newAttempts.push_back(d->lastTry());
    const bool counted = !event.skippedTry;
    d->status = event.status;
    if (event.replyCode != 0 || !event.dsn.empty()) {
        d->replyCode = event.replyCode;
        d->dsn.assign(event.dsn);
    }
    d->replyText.assign(event.replyText);
    if (!event.relay.empty())
        d->relay.assign(event.relay);
    d->lastAttemptMs = event.timeMs;
    d->lastDelaySec = event.delaySec;
    if (counted)
        ++d->attempts;
    if (keepHistory) {
        AttemptRecord &a = d->newAttempts.emplace_back();
        a.timeMs = event.timeMs;
        a.status = event.status;
        a.replyCode = event.replyCode;
        a.dsn.assign(event.dsn);
        a.relay.assign(event.relay);
        a.replyText.assign(event.replyText);
        a.delaySec = event.delaySec;
        a.counted = counted;
    }

    // local(8) "forwarded as NEWQID": the new message is this one travelling on.
    if (!event.relatedQueueId.empty())
        linkParent(event, m, MessageOrigin::Forward);
    return *d;
}

void Correlator::linkParent(const Event &event, const MessageRecord &parent, MessageOrigin origin)
{
    auto child = m_open.find(key(event.host, event.relatedQueueId));
    if (child != m_open.end()) {
        child->second.parentQueueId.assign(event.queueId);
        child->second.parentDbId = parent.dbId;
        child->second.origin = origin;
    } else {
        m_pendingParent.insert_or_assign(std::string(key(event.host, event.relatedQueueId)),
                                         PendingParent{std::string(event.queueId), parent.dbId, origin});
    }
}

void Correlator::handleNoQueue(const Event &event, std::uint32_t fileId)
{
    MessageRecord m;
    m.dbId = m_nextId++;
    m.host.assign(event.host);
    m.firstSeenMs = m.lastSeenMs = event.timeMs;
    m.utcOffsetSec = event.utcOffsetSec;
    m.fileId = fileId;
    m.origin = MessageOrigin::Smtp;
    m.sender.assign(event.sender);
    m.hasSender = event.hasSender;
    m.clientHost.assign(event.clientHost);
    m.clientIp.assign(event.clientIp);
    m.lines.push_back(LineRef{fileId, event.offset});
    m.state = MessageState::Rejected;
    applyToRecipients(m, event);
    m_sink.storeMessage(std::move(m));
}

void Correlator::finalize(Map::iterator it)
{
    MessageRecord &m = it->second;
    m.updateState();
    m_sink.storeMessage(std::move(m));
    m_open.erase(it);
}

void Correlator::finish()
{
    for (auto &[k, m] : m_open) {
        m.updateState();
        m_sink.storeMessage(std::move(m));
    }
    m_open.clear();
    m_pendingParent.clear();
    m_connects.clear();
}

} // namespace mailtrail
