// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Correlator's SMTP sessions: the TLS a connection negotiated, and the message a client
// started and then left (it quit before DATA, or sent a second MAIL FROM) that nothing queued.
#include "correlation/correlator.h"

#include <algorithm>
#include <utility>

namespace mailtrail {

void Correlator::noteTls(const Event &event, std::uint32_t fileId)
{
    std::string tls(event.detail);
    if (!tls.empty())
        tls.push_back(' ');
    tls.append(event.tls);
    const LineRef line{fileId, event.offset};
    if (event.relay.empty())
        m_tlsIn.insert_or_assign(processKey(event), IncomingTls{std::move(tls), line});
    else
        m_tlsOut.insert_or_assign(processKey(event), OutgoingTls{std::move(tls), line, {}});
}

void Correlator::applyTls(MessageRecord &m, DeliveryRecord &d, const Event &event)
{
    auto it = m_tlsOut.find(processKey(event));
    if (it == m_tlsOut.end())
        return;
    // One connection carries the tries of one message (several recipients); the next message of
    // the same process connects anew and logs its own TLS line, or none without TLS.
    if (it->second.queueId.empty()) {
        it->second.queueId.assign(event.queueId);
        // The handshake line goes before the try it preceded (the try's own line is the last).
        m.lines.insert(m.lines.empty() ? m.lines.end() : m.lines.end() - 1, it->second.line);
    }
    if (it->second.queueId == event.queueId)
        d.tls = it->second.tls;
    else
        m_tlsOut.erase(it);
}

void Correlator::startSession(MessageRecord &m, const Event &event, std::uint32_t fileId)
{
    if (event.size >= 0)
        m.enteredQueue = true;  // formats whose arrival line says the message was received
    if (m.enteredQueue)
        return;
    const std::uint64_t process = processKey(event);
    if (auto tls = m_tlsIn.find(process); tls != m_tlsIn.end())
        m.tlsIn = tls->second.tls;
    if (!m_connects.contains(process))
        return;  // no session known to end: only lines of the queue end the message
    m.awaitsContent = true;
    std::string k(key(event.host, event.queueId));
    // A second MAIL FROM in one session: the message before it was given up if nothing queued it.
    if (auto before = m_sessionMessage.find(process); before != m_sessionMessage.end() && before->second != k)
        abandonIfEmpty(before->second, event, fileId);
    m_sessionMessage.insert_or_assign(process, std::move(k));
}

void Correlator::endSession(const Event &event, std::uint32_t fileId)
{
    const std::uint64_t process = processKey(event);
    m_connects.erase(process);
    m_tlsIn.erase(process);
    m_sessionClient.erase(process);
    m_pendingBySession.erase(process);
    auto session = m_sessionMessage.find(process);
    if (session == m_sessionMessage.end())
        return;
    const std::string k = std::move(session->second);
    m_sessionMessage.erase(session);
    abandonIfEmpty(k, event, fileId);
}

void Correlator::abandonIfEmpty(const std::string &messageKey, const Event &event, std::uint32_t fileId)
{
    auto it = m_open.find(messageKey);
    if (it == m_open.end() || !it->second->awaitsContent)
        return;
    MessageRecord &m = *it->second;
    m.awaitsContent = false;
    m.changed = true;
    if (m.enteredQueue || m.state == MessageState::Rejected)
        return;
    // client= and no line of cleanup or qmgr before the session moved on: the client quit (or
    // started over) before DATA, and nothing was queued.
    m.updateState();
    if (m.state != MessageState::Rejected)  // every recipient refused: it stays "rejected"
        m.state = MessageState::Abandoned;
    if (event.kind == EventKind::Disconnect) {
        m.lines.push_back(LineRef{fileId, event.offset});
        m.lastSeenMs = std::max(m.lastSeenMs, event.timeMs);
    }
    // cleanup's "removed (canceled)" may follow the disconnect: it belongs to this message.
    m_ending.emplace_back(messageKey, event.timeMs);
}

} // namespace mailtrail
