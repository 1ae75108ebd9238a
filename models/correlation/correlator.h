// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"
#include "ingest/event.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailtrail {

// A security-relevant line that belongs to no message (SASL failures).
struct IncidentRecord {
    std::int64_t timeMs = 0;
    std::string host;
    std::string clientHost;
    std::string clientIp;
    std::string detail;
    LineRef line;
};

// Receives what the correlator has finished with. A message may come again later (inCache set)
// when it was still open at the end of an earlier import and has been continued since.
class MessageSink
{
public:
    virtual ~MessageSink() = default;
    virtual void storeMessage(MessageRecord &&message) = 0;
    virtual void storeIncident(IncidentRecord &&incident) = 0;
};

// Joins the events of one queue-id lifetime per host into a MessageRecord. Only messages still in
// the queue are held in memory; a message leaves for the sink as soon as its lifetime ends.
class Correlator
{
public:
    // Row ids are handed out from firstId on, so links between messages (a bounce and the
    // message that caused it) are known here, without looking them up in the cache later.
    explicit Correlator(MessageSink &sink, std::int64_t firstId = 1);

    // Messages an earlier import left open, to be continued by this one.
    void restore(std::vector<MessageRecord> &&open);
    // For a log older than the ones the restored messages were last seen in: a line older than a
    // restored message's last one starts a lifetime of its own instead of continuing it.
    void setKeepCachedFromOlderLines(bool keep) { m_keepCachedFromOlderLines = keep; }
    // The idle timeout of the format of the lines that follow (LifetimeRules::idleTimeoutMs): a
    // message they start is closed that long after its last line. 0 (the default): only a line
    // that ends it, or finish(), closes it.
    void setIdleTimeout(std::int64_t ms) { m_idleTimeoutMs = ms; }
    void process(const Event &event, std::uint32_t fileId);
    // Hands every message still in the queue to the sink; they stay open in the cache.
    void finish();

    std::size_t openCount() const { return m_open.size(); }

private:
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Map = std::unordered_map<std::string, MessageRecord, KeyHash, std::equal_to<>>;
    struct PendingParent {
        std::string queueId;
        std::int64_t dbId;
        MessageOrigin origin;
    };
    using RefMap = std::unordered_map<std::string, PendingParent, KeyHash, std::equal_to<>>;

    std::string_view key(std::string_view host, std::string_view id);
    MessageRecord &messageFor(const Event &event, std::uint32_t fileId, bool startsLifetime);
    DeliveryRecord &applyDelivery(MessageRecord &m, const Event &event, std::string_view recipient);
    // The event for its recipient and each of its moreRecipients.
    void applyToRecipients(MessageRecord &m, const Event &event);
    void closeIdle(std::int64_t nowMs);
    void handleNoQueue(const Event &event, std::uint32_t fileId);
    std::uint64_t processKey(const Event &event);
    void linkParent(const Event &event, const MessageRecord &parent, MessageOrigin origin);
    void finalize(Map::iterator it);

    MessageSink &m_sink;
    Map m_open;
    RefMap m_pendingParent;  // child key -> parent, for a child not seen yet
    std::unordered_map<std::uint64_t, LineRef> m_connects;  // smtpd process -> its connect line
    std::vector<std::string> m_hosts;
    std::size_t m_lastHost = 0;  // index into m_hosts of the previous line's host
    std::string m_key;
    std::int64_t m_nextId;
    bool m_keepCachedFromOlderLines = false;
    std::int64_t m_idleTimeoutMs = 0;
    std::int64_t m_nextIdleSweepMs = 0;
    std::size_t m_idleOpen = 0;  // open messages with a timeout, as of the last sweep or since
};

} // namespace mailtrail
