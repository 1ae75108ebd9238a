// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/correlator.h"
#include "correlation/verdictlist.h"

#include <algorithm>
#include <charconv>
#include <tuple>

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

// Exim logs a cutthrough delivery (">>") before the arrival ("<=") of its message: an arrival
// for a message that has no arrival of its own yet, seconds after its first line, completes it.
bool arrivesLate(const MessageRecord &m, const Event &event)
{
    const bool arrived = m.origin == MessageOrigin::Smtp || m.origin == MessageOrigin::Local;
    return !arrived && event.timeMs - m.firstSeenMs < OlderThanCachedMs;
}

// How long a message ended by a reject or discard still takes lines of the same refusal.
constexpr std::int64_t EndingGraceMs = 10 * 1000;

// Lines that show the message was written to the queue, not only announced by its client.
bool showsQueued(EventKind kind)
{
    switch (kind) {
    case EventKind::MessageId:
    case EventKind::Queued:
    case EventKind::Pickup:
    case EventKind::Delivery:
    case EventKind::Expired:
    case EventKind::Notification:
    case EventKind::Hold:
    case EventKind::Release:
    case EventKind::Redirect:
    case EventKind::Deleted:
        return true;
    default:
        return false;
    }
}

void expireWaiting(MessageRecord &m)
{
    for (DeliveryRecord &d : m.deliveries) {
        if (d.status == DeliveryStatus::Deferred || d.status == DeliveryStatus::None)
            d.status = DeliveryStatus::Expired;
    }
}

// A recipient's status that no later try changes.
bool isFinalStatus(DeliveryStatus s)
{
    return s != DeliveryStatus::None && s != DeliveryStatus::Deferred && s != DeliveryStatus::Held;
}

void setIfEmpty(std::string &field, std::string_view value)
{
    if (field.empty() && !value.empty())
        field.assign(value);
}

// A recipient only its message's arrival named (Event::envelopeRecipients): no line of its own yet.
bool onlyAnnounced(const DeliveryRecord &d)
{
    return d.status == DeliveryStatus::None && d.attempts == 0 && d.relay.empty() && d.replyText.empty();
}

// Whether a delivery of `recipient` is one of `announced`: the same address, or the same local
// part when the arrival named it unqualified ("for bob" of a local submission, delivered as
// "=> bob <bob@lab.test>" once Exim qualified it).
bool isAnnounced(std::string_view announced, std::string_view recipient)
{
    return announced == recipient || (announced.find('@') == std::string_view::npos && recipient.size() > announced.size() &&
                                      recipient.starts_with(announced) && recipient[announced.size()] == '@');
}

void announceRecipients(MessageRecord &m, const Event &event)
{
    std::string_view list = event.envelopeRecipients;
    while (!list.empty()) {
        const std::size_t space = list.find(' ');
        const std::string_view recipient = list.substr(0, space);
        list.remove_prefix(space == std::string_view::npos ? list.size() : space + 1);
        if (recipient.empty() || std::any_of(m.deliveries.begin(), m.deliveries.end(), [&](const DeliveryRecord &d) {
                return isAnnounced(recipient, d.recipient) || (!d.expandedTo.empty() && isAnnounced(recipient, d.origRecipient));
            }))
            continue;  // a cutthrough delivery (">>") is logged before its arrival
        DeliveryRecord &d = m.deliveries.emplace_back();
        d.recipient.assign(recipient);
        d.firstAttemptMs = d.lastAttemptMs = event.timeMs;  // a time for its row while nothing else is known
    }
}

// Exim delivers once to an address two envelope recipients lead to (bob@lab.test, and
// info@lab.test expanded to bob) and logs that delivery under one of them only. A message is
// complete once each address is delivered, failed (always logged) or such a duplicate: a
// recipient no line named shares the fate of the delivery that reached it.
void settleDuplicates(MessageRecord &m, std::int64_t nowMs)
{
    for (DeliveryRecord &d : m.deliveries) {
        if (!onlyAnnounced(d))
            continue;
        const std::string_view local = std::string_view(d.recipient).substr(0, d.recipient.rfind('@'));
        const auto twin = std::find_if(m.deliveries.begin(), m.deliveries.end(), [&](const DeliveryRecord &o) {
            return !onlyAnnounced(o) && !o.expandedTo.empty() && (o.expandedTo == d.recipient || o.expandedTo == local);
        });
        if (twin == m.deliveries.end()) {
            d.status = DeliveryStatus::Sent;
            d.lastAttemptMs = nowMs;
            continue;
        }
        const std::string recipient = std::move(d.recipient);
        d = *twin;
        d.recipient = recipient;
        d.origRecipient.clear();  // reached as itself, not by the alias the twin's line names
        if (d.expandedTo == local)
            d.expandedTo.clear();  // "=> bob <bob@lab.test>": bob is the recipient itself
        // The try was the other recipient's line: counted once, there.
        d.attempts = 0;
        d.newAttempts.clear();
    }
}

} // namespace

Correlator::Correlator(MessageSink &sink, std::int64_t firstId)
    : m_sink(&sink)
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
        m_open.insert_or_assign(std::move(k), std::make_unique<MessageRecord>(std::move(m)));
    }
}

MessageRecord &Correlator::messageFor(const Event &event, std::uint32_t fileId, bool starts)
{
    auto it = m_open.find(key(event.host, event.queueId));
    if (m_keepCachedFromOlderLines && it != m_open.end() && it->second->inCache &&
        event.timeMs < it->second->lastSeenMs - OlderThanCachedMs) {
        // A log older than the one this cached message was last seen in, read after it (the
        // importer reads everything again in time order when it still can): the event belongs
        // to an earlier lifetime of the queue id. The cached message stays as it is.
        m_open.erase(it);
        it = m_open.end();
    }
    if (it != m_open.end() && starts && hasProgressed(*it->second) && !arrivesLate(*it->second, event)) {
        finalize(it);
        it = m_open.end();
    }
    if (it == m_open.end()) {
        it = m_open.emplace(std::string(key(event.host, event.queueId)), std::make_unique<MessageRecord>(newMessage())).first;
        MessageRecord &m = *it->second;
        m.dbId = m_nextId++;
        m.host.assign(event.host);
        m.queueId.assign(event.queueId);
        m.firstSeenMs = event.timeMs;
        m.utcOffsetSec = event.utcOffsetSec;
        m.fileId = fileId;
        m.idleTimeoutMs = m_idleTimeoutMs;
        // A Postfix message's story is about eight lines (connect, TLS, client=, message-id,
        // from=, a try, removed, disconnect): room for them at once, not in four reallocations.
        m.lines.reserve(8);
        if (m_idleTimeoutMs > 0)
            ++m_idleOpen;
        if (auto parent = m_pendingParent.find(it->first); parent != m_pendingParent.end()) {
            m.parentQueueId = std::move(parent->second.queueId);
            m.parentDbId = parent->second.dbId;
            m.origin = parent->second.origin;
            markNotice(m);
            m_pendingParent.erase(parent);
        }
    }
    it->second->changed = true;
    return *it->second;
}

void Correlator::process(const Event &event, std::uint32_t fileId)
{
    if (event.facts & fact::ContinuesPrevious) {
        continueRefusal(event);
        return;
    }
    if (!m_lastRefused.empty())
        m_lastRefused.clear();
    RefusalCopies::Seen *seen = nullptr;
    bool copy = false;
    if (m_copies.hasStored() && RefusalCopies::isRefusal(event) && m_copies.storedEarlier(event, fileId))
        return;  // an earlier import counted it; what follows it (its headers) adds to nothing here
    if (m_recognizeCopies && RefusalCopies::isRefusal(event)) {
        seen = m_copies.note(event, fileId, copy);
        if (copy) {
            MessageRecord *m = reopenRefused(event, *seen);
            if (!m)
                return;
            applyRefusal(*m, event);
            m_lastRefused.assign(key(event.host, event.queueId));
            return;
        }
    }
    if (event.kind == EventKind::Verdict) {
        noteVerdict(event, fileId);
        return;
    }
    if (event.queueId.empty()) {
        switch (event.kind) {
        case EventKind::Reject:
            handleNoQueue(event, fileId, MessageState::Rejected);
            break;
        case EventKind::Connect:
            if (event.facts & fact::OpensSession) {
                m_connects.insert_or_assign(processKey(event), LineRef{fileId, event.offset});
                m_sessionClient.insert_or_assign(processKey(event), std::string(event.clientIp));
            }
            break;
        case EventKind::Disconnect:
            endSession(event, fileId);
            break;
        case EventKind::AuthFailure:
            storeIncident(IncidentKind::AuthFailure, event, fileId);
            break;
        case EventKind::ClientWarning:
            storeIncident(IncidentKind::ClientWarning, event, fileId);
            break;
        case EventKind::LostConnection:
            storeIncident(IncidentKind::LostConnection, event, fileId);
            break;
        case EventKind::Screen:
            storeIncident(IncidentKind::Screened, event, fileId);
            break;
        case EventKind::Tls:
            noteTls(event, fileId);
            break;
        case EventKind::Discard:
            handleNoQueue(event, fileId, MessageState::Discarded);
            break;
        default:
            break;
        }
        return;
    }

    if (m_idleTimeoutMs > 0 || m_idleOpen > 0)
        closeIdle(event.timeMs);
    if (!m_ending.empty())
        closeEnded(event.timeMs);
    MessageRecord &m = messageFor(event, fileId, (event.facts & fact::StartsMessage) != 0);
    if (event.kind == EventKind::Client && m.lines.empty()) {
        // The connect line of this smtpd process is the first line of the message's story, its
        // TLS handshake the next.
        const std::uint64_t process = processKey(event);
        if (auto it = m_connects.find(process); it != m_connects.end())
            m.lines.push_back(it->second);
        if (auto tls = m_tlsIn.find(process); tls != m_tlsIn.end())
            m.lines.push_back(tls->second.line);
    }
    m.lines.push_back(LineRef{fileId, event.offset});
    m.lastSeenMs = std::max(m.lastSeenMs, event.timeMs);
    if (showsQueued(event.kind))
        m.enteredQueue = true;

    switch (event.kind) {
    case EventKind::Client:
        m.origin = m.origin == MessageOrigin::Unknown ? MessageOrigin::Smtp : m.origin;
        setIfEmpty(m.clientHost, event.clientHost);
        setIfEmpty(m.clientIp, event.clientIp);
        setIfEmpty(m.saslMethod, event.saslMethod);
        setIfEmpty(m.saslUsername, event.saslUsername);
        if (event.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        takeArrival(m, event);
        startSession(m, event, fileId);
        if (!event.origQueueId.empty() && m.prevHopQueueId.empty()) {
            // XFORWARD from a content filter: the message of the previous hop, on this host.
            if (MessageRecord *prev = findHop(event.host, event.origQueueId); prev && prev != &m)
                linkHop(*prev, m);
            else
                m.prevHopQueueId.assign(event.origQueueId);
        }
        break;
    case EventKind::Pickup:
        m.origin = m.origin == MessageOrigin::Unknown ? MessageOrigin::Local : m.origin;
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        takeArrival(m, event);
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
        m.awaitsContent = false;  // in the queue: no longer handed over, whatever its session does next
        break;
    case EventKind::Delivery:
        applyToRecipients(m, event);
        break;
    case EventKind::Expired:
        expireWaiting(m);
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        break;
    case EventKind::Notification:
        linkParent(event, m, MessageOrigin::Notification);
        // A notification that the message is returned for its age (Sendmail's "Cannot send
        // message for 5 days") is the end of its waiting recipients.
        if (event.status == DeliveryStatus::Expired)
            expireWaiting(m);
        break;
    case EventKind::Reject:
        applyRefusal(m, event);
        // A copy may make again only a message the refusal alone made: one with other lines
        // (a Postfix message a RCPT reject interrupted) keeps its row as it is.
        if (seen && (event.facts & fact::EndsMessage) && m.lines.size() == 1)
            seen->dbId = m.dbId;
        m_lastRefused.assign(key(event.host, event.queueId));
        break;
    case EventKind::Removed:
        settleDuplicates(m, event.timeMs);
        m.held = false;  // out of the queue: no longer waiting there
        // Dropped before a line of the queue showed it complete, while its client was still
        // connected (cleanup's "removed (canceled)"): the client gave up before DATA was done.
        if (m.awaitsContent && !m.enteredQueue && m.isOpen()) {
            m.updateState();
            if (m.state != MessageState::Rejected)
                m.state = MessageState::Abandoned;
        }
        m.removed = true;
        break;
    case EventKind::Deleted:
        m.removed = true;
        m.state = MessageState::Deleted;
        break;
    case EventKind::Hold:
        m.held = true;
        [[fallthrough]];
    case EventKind::Redirect:
        // A header check's line names the envelope before qmgr does: the only one of a message
        // deleted while on hold.
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        break;
    case EventKind::Release:
        m.held = false;
        break;
    case EventKind::Info:
        // A host a delivery failed to reach (Exim's "ID H=mx [ip] Connection refused").
        m.triedHost.note(event);
        // The MTA's own word on the message (Exim's DKIM result, logged before its "<=").
        addVerdict(m, event.verdict);
        break;
    case EventKind::Discard:
        if (!event.recipient.empty() || !event.moreRecipients.empty())
            applyToRecipients(m, event);
        if (event.hasSender && !m.hasSender) {
            m.sender.assign(event.sender);
            m.hasSender = true;
        }
        if (event.facts & fact::EndsMessage)
            m.state = MessageState::Discarded;
        break;
    default:
        break;
    }
    takeVerdicts(m, event);
    if (m_endsWhenRecipientsDone)
        endIfRecipientsDone(m, event);
    if (event.facts & fact::EndsMessage) {
        const bool refused = event.kind == EventKind::Reject || event.kind == EventKind::Discard;
        if (refused)
            m_ending.emplace_back(key(event.host, event.queueId), event.timeMs);
        else
            finalizeEnded(m_open.find(key(event.host, event.queueId)), event.timeMs);
    }
}

std::size_t Correlator::openCount() const
{
    if (m_ending.empty())
        return m_open.size();
    return static_cast<std::size_t>(
        std::count_if(m_open.begin(), m_open.end(), [](const auto &entry) { return entry.second->isOpen(); }));
}

void Correlator::closeEnded(std::int64_t nowMs)
{
    // Few at a time, in time order: stop at the first still within its grace.
    while (!m_ending.empty() && m_ending.front().second + EndingGraceMs < nowMs) {
        auto it = m_open.find(m_ending.front().first);
        if (it != m_open.end() && !it->second->isOpen())
            finalize(it);
        m_ending.pop_front();
    }
}

void Correlator::storeIncident(IncidentKind kind, const Event &event, std::uint32_t fileId)
{
    m_sink->storeIncident(IncidentRecord{kind, event.timeMs, std::string(event.host), std::string(event.clientHost),
                                        std::string(event.clientIp), std::string(event.detail),
                                        LineRef{fileId, event.offset}});
}

MessageRecord *Correlator::findHop(std::string_view host, std::string_view queueId)
{
    // The same host first (a content filter re-injects there), then the other hosts of the log set.
    if (auto it = m_open.find(key(host, queueId)); it != m_open.end())
        return it->second.get();
    for (const std::string &other : m_hosts) {
        if (other == host)
            continue;
        if (auto it = m_open.find(key(other, queueId)); it != m_open.end())
            return it->second.get();
    }
    return nullptr;
}

void Correlator::linkHop(MessageRecord &from, MessageRecord &to)
{
    from.changed = to.changed = true;
    from.nextHopHost = to.host;
    from.nextHopQueueId = to.queueId;
    from.nextHopDbId = to.dbId;
    to.prevHopHost = from.host;
    to.prevHopQueueId = from.queueId;
    to.prevHopDbId = from.dbId;
    to.chainArrivalMs = from.prevHopDbId == 0 ? from.firstSeenMs : from.chainArrivalMs;
}

void Correlator::takeArrival(MessageRecord &m, const Event &event)
{
    // Exim's "<=" (and Sendmail's from=) line says at once what Postfix spreads over client=,
    // cleanup and qmgr.
    if (event.size >= 0)
        m.size = event.size;
    if (event.nrcpt >= 0)
        m.nrcpt = event.nrcpt;
    setIfEmpty(m.messageId, event.messageId);
    announceRecipients(m, event);
    // ... and a bounce names the message it reports on ("<= <> R=PARENT"), where Postfix has the
    // parent name its notification.
    if (!event.relatedQueueId.empty() && m.parentQueueId.empty()) {
        m.origin = MessageOrigin::Notification;
        m.parentQueueId.assign(event.relatedQueueId);
        if (auto parent = m_open.find(key(event.host, event.relatedQueueId)); parent != m_open.end())
            m.parentDbId = parent->second->dbId;
    }
}

void Correlator::applyRefusal(MessageRecord &m, const Event &event)
{
    // The refusal may be the message's first line (Exim names a message it refuses at DATA).
    setIfEmpty(m.clientHost, event.clientHost);
    setIfEmpty(m.clientIp, event.clientIp);
    // Its origin stays unknown: a message refused before it was queued was never received (as
    // pflogsumm counts a Postfix message only once qmgr has it).
    // A reject of the whole message without a recipient ("queue file size limit exceeded")
    // refuses no recipient in particular. When it is all the log says of the message (Exim names
    // the message it refuses at DATA), it is a refused row, as a NOQUEUE reject without a
    // recipient is.
    if (!event.recipient.empty() || !event.moreRecipients.empty() ||
        ((event.facts & fact::EndsMessage) && m.deliveries.empty() && m.lines.size() == 1))
        applyToRecipients(m, event);
    if (event.hasSender && !m.hasSender) {
        m.sender.assign(event.sender);
        m.hasSender = true;
    }
    // A reject that ends the message refuses all of it; one that does not (a RCPT refused
    // while other recipients go on) refuses its recipients only.
    if (event.facts & fact::EndsMessage)
        m.state = MessageState::Rejected;
}

MessageRecord *Correlator::reopenRefused(const Event &event, const RefusalCopies::Seen &first)
{
    if (event.queueId.empty() || first.dbId == 0)
        return nullptr;  // the first copy made the row or the incident already
    const std::string k(key(event.host, event.queueId));
    if (m_open.contains(k)) {
        m_lastRefused = k;  // its headers may follow this copy
        return nullptr;
    }
    // Written already: this copy makes the same message again, to add what follows this copy
    // (a rejectlog's headers), and updates its row.
    MessageRecord &m = messageFor(event, first.line.fileId, false);
    --m_nextId;  // the id messageFor just gave is not used
    m.dbId = first.dbId;
    m.inCache = true;
    m.lines.push_back(first.line);
    m.lastSeenMs = event.timeMs;
    if (event.facts & fact::EndsMessage)
        m_ending.emplace_back(k, event.timeMs);
    return &m;
}

void Correlator::continueRefusal(const Event &event)
{
    if (m_lastRefused.empty())
        return;
    auto it = m_open.find(m_lastRefused);
    if (it == m_open.end())
        return;
    MessageRecord &m = *it->second;
    m.changed = true;
    if (event.hasSender && !m.hasSender) {
        m.sender.assign(event.sender);
        m.hasSender = true;
    }
    setIfEmpty(m.messageId, event.messageId);
    std::string_view list = event.moreRecipients;
    std::string_view recipient = event.recipient;
    while (!recipient.empty()) {
        nameRefused(m, recipient);
        if (!nextRecipient(list, recipient))
            break;
    }
}

void Correlator::nameRefused(MessageRecord &m, std::string_view recipient)
{
    if (m.deliveries.empty())
        return;
    for (const DeliveryRecord &d : m.deliveries) {
        if (d.recipient == recipient)
            return;
    }
    for (DeliveryRecord &d : m.deliveries) {
        if (d.recipient.empty()) {
            d.recipient.assign(recipient);
            return;
        }
    }
    // One refusal, several recipients: each has the refused row the first one has.
    DeliveryRecord d = m.deliveries.front();
    d.recipient.assign(recipient);
    d.origRecipient.clear();
    d.newAttempts.clear();
    m.deliveries.push_back(std::move(d));
}

void Correlator::applyToRecipients(MessageRecord &m, const Event &event)
{
    const bool refused = event.kind == EventKind::Reject || event.kind == EventKind::Discard;
    const DeliveryStatus status = event.kind == EventKind::Discard ? DeliveryStatus::Discarded : DeliveryStatus::Rejected;
    DeliveryRecord &first = applyDelivery(m, event, event.recipient);
    if (refused)
        first.status = status;
    std::string_view list = event.moreRecipients;
    std::string_view recipient;
    while (nextRecipient(list, recipient)) {
        DeliveryRecord &d = applyDelivery(m, event, recipient);
        if (refused)
            d.status = status;
    }
}

void Correlator::endIfRecipientsDone(MessageRecord &m, const Event &event)
{
    // Recipients refused at RCPT are not among those it was accepted for (Sendmail's nrcpts).
    int done = 0;
    bool waiting = false;
    for (const DeliveryRecord &d : m.deliveries) {
        if (d.status == DeliveryStatus::Rejected)
            continue;
        if (isFinalStatus(d.status))
            ++done;
        else
            waiting = true;
    }
    const bool ended = !waiting && done > 0 && done >= m.nrcpt;
    if (ended && !m.removed) {
        m.removed = true;
        // Kept a little for the lines of the same step: the bounce a failure caused names it next.
        m_ending.emplace_back(key(event.host, event.queueId), event.timeMs);
    } else if (!ended && waiting && m.removed) {
        m.removed = false;  // a further try of a recipient seen after the others were done
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
        const std::int64_t timeout = it->second->idleTimeoutMs;
        if (timeout > 0 && it->second->lastSeenMs + timeout < nowMs) {
            MessageRecord &m = *it->second;
            m.removed = true;  // its lifetime is over, as if the format had logged its end
            m.updateState();
            m_sink->storeMessage(std::move(m));
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
        if (candidate.recipient == recipient && candidate.origRecipient == event.origRecipient &&
            candidate.expandedTo == event.expandedTo) {
            d = &candidate;
            break;
        }
    }
    if (!d) {
        // The first line of a recipient the arrival named takes its row, wherever it was expanded
        // to (Exim's "=> alice <info@lab.test>" is of the envelope recipient its orig_recipient names).
        const std::string_view envelope =
            !event.expandedTo.empty() && !event.origRecipient.empty() && recipient == event.recipient ? event.origRecipient : recipient;
        const auto announced = std::find_if(m.deliveries.begin(), m.deliveries.end(), [&](const DeliveryRecord &c) {
            return isAnnounced(c.recipient, envelope) && c.origRecipient.empty() && c.expandedTo.empty() &&
                   onlyAnnounced(c);
        });
        d = announced != m.deliveries.end() ? &*announced : &m.deliveries.emplace_back(newDelivery());
        d->recipient.assign(recipient);
        d->origRecipient.assign(event.origRecipient);
        d->expandedTo.assign(event.expandedTo);
    }
    if (onlyAnnounced(*d)) {
        // Its first try: the arrival's time was a stand-in, and no earlier try is to be kept.
        d->firstAttemptMs = event.timeMs;
        d->lastAttemptMs = 0;
        d->newAttempts.clear();
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
    // A failed try that names only its transport went to the host the line before it named (the
    // last one Exim tried, logged at once before the try's own line), else to the host of the
    // recipient's earlier try: the destination is a host, as Postfix's relay= names it. With
    // neither, no host was reached: "none", as Postfix says it, never the transport.
    std::string_view relay = event.relay;
    bool keptHost = false;
    if (TriedHost::namesTransportOnly(event)) {
        relay = m.triedHost.of(event);
        keptHost = relay.empty() && !d->relay.empty();
        if (relay.empty())
            relay = TriedHost::None;
    }
    if (!relay.empty() && !keptHost)
        d->relay.assign(relay);
    m.triedHost.note(event);
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
        if (keptHost)
            a.relay = d->relay;
        else
            a.relay.assign(relay);
        a.replyText.assign(event.replyText);
        a.delaySec = event.delaySec;
        a.counted = counted;
    }

    if (event.kind == EventKind::Delivery) {
        d->tls.clear();
        d->toNextHop = false;
        applyTls(m, *d, event);
        if (keepHistory)
            d->newAttempts.back().tls = d->tls;
    }
    // local(8) "forwarded as NEWQID": the new message is this one travelling on.
    if (!event.relatedQueueId.empty())
        linkParent(event, m, MessageOrigin::Forward);
    // "250 ... queued as NEWQID" from a server whose log is read too (a content filter's
    // re-injection, a relay of the log set): the next hop of one chain, not a final delivery.
    if (!event.hopQueueId.empty() && event.status == DeliveryStatus::Sent) {
        if (MessageRecord *next = findHop(event.host, event.hopQueueId); next && next != &m) {
            linkHop(m, *next);
            d->toNextHop = true;
        }
    }
    return *d;
}

// A bounce or delay notice is sent from the null sender, whether or not its log says so: Sendmail's
// "QID: QID2: DSN:" notice has no from= line of its own. Known to be a notice, its sender is ''
// (a from= line, if one follows, still names it), so that --sender '<>', the top senders and
// the tables all see the same null sender.
void Correlator::markNotice(MessageRecord &m)
{
    if (m.origin != MessageOrigin::Notification || m.hasSender)
        return;
    m.sender.clear();
    m.hasSender = true;
}

void Correlator::linkParent(const Event &event, const MessageRecord &parent, MessageOrigin origin)
{
    auto child = m_open.find(key(event.host, event.relatedQueueId));
    if (child != m_open.end()) {
        child->second->changed = true;
        child->second->parentQueueId.assign(event.queueId);
        child->second->parentDbId = parent.dbId;
        child->second->origin = origin;
        markNotice(*child->second);
    } else {
        m_pendingParent.insert_or_assign(std::string(key(event.host, event.relatedQueueId)),
                                         PendingParent{std::string(event.queueId), parent.dbId, origin});
    }
}

// A message refused before it had a queue id ("NOQUEUE: reject: ..."), or one smtpd told the
// client it accepted and then dropped ("NOQUEUE: discard: MAIL from ..."): `state` says which.
void Correlator::handleNoQueue(const Event &event, std::uint32_t fileId, MessageState state)
{
    MessageRecord m = newMessage();
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
    m.state = state;
    applyToRecipients(m, event);
    // A greylisting or SPF policy service said why, just before.
    takeReceiptVerdicts(m, event);
    m_sink->storeMessage(std::move(m));
}

void Correlator::finalize(Map::iterator it)
{
    MessageRecord &m = *it->second;
    m.updateState();
    m_sink->storeMessage(std::move(m));
    m_open.erase(it);
}

MessageRecord Correlator::newMessage()
{
    if (m_pool.messages() == 0)
        m_sink->reclaim(m_pool);
    return m_pool.message();
}

DeliveryRecord Correlator::newDelivery()
{
    if (m_pool.deliveries() == 0)
        m_sink->reclaim(m_pool);
    return m_pool.delivery();
}

std::vector<MessageRecord *> Correlator::changedOpenInOrder()
{
    std::vector<MessageRecord *> changed;
    changed.reserve(m_open.size());
    for (auto &[k, m] : m_open) {
        // Continued from the cache and not touched since: the cache has it as it is.
        if (!m->inCache || m->changed)
            changed.push_back(m.get());
    }
    std::sort(changed.begin(), changed.end(), [](const MessageRecord *a, const MessageRecord *b) {
        return std::tie(a->firstSeenMs, a->queueId, a->host, a->dbId) <
               std::tie(b->firstSeenMs, b->queueId, b->host, b->dbId);
    });
    return changed;
}

void Correlator::finish()
{
    for (MessageRecord *m : changedOpenInOrder()) {
        m->updateState();
        m_sink->storeMessage(std::move(*m));
    }
    m_open.clear();
    m_pendingParent.clear();
    m_connects.clear();
    m_sessionMessage.clear();
    m_tlsIn.clear();
    m_tlsOut.clear();
    m_ending.clear();
    m_pendingByMessageId.clear();
    m_pendingByHop.clear();
    m_pendingByClient.clear();
    m_copies.clear();
    m_lastRefused.clear();
    m_pendingBySession.clear();
    m_sessionClient.clear();
    m_recentlyDelivered.clear();
    m_ended.clear();
    m_endedOrder.clear();
}

void Correlator::checkpoint()
{
    for (MessageRecord *open : changedOpenInOrder()) {
        MessageRecord &m = *open;
        MessageRecord copy = m;
        copy.updateState();
        m_sink->storeMessage(std::move(copy));
        // What the cache has now: the next store updates the row and adds only newer tries.
        m.inCache = true;
        m.changed = false;
        for (DeliveryRecord &d : m.deliveries) {
            if (!d.newAttempts.empty())
                d.attemptsStored = true;
            d.newAttempts.clear();
        }
    }
}

} // namespace mailtrail
