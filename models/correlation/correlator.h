// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/recordpool.h"
#include "correlation/records.h"
#include "correlation/refusalcopies.h"
#include "ingest/event.h"

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailtrail {

// What a client did that an incident records. The numbers are stored (incidents.kind).
enum class IncidentKind : std::uint8_t {
    AuthFailure = 1,     // SASL authentication failed
    ClientWarning = 2,   // non-SMTP command, too many errors, name does not resolve, bad TLS handshake
    LostConnection = 3,  // the client dropped the connection (lost connection / timeout after X)
    Screened = 4,        // postscreen or a DNS blocklist judged the client (PREGREET, DNSBL rank...)
};

// A line about a client that belongs to no message: the only record of why a client never
// handed over a message.
struct IncidentRecord {
    IncidentKind kind = IncidentKind::AuthFailure;
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
    // A message stored already, whose lifetime had ended, that a companion program's late line
    // joined since (dovecot's lmtp line logged after Postfix's "removed"): the same row again
    // (inCache set), with that line and its verdict; its deliveries are as they were stored, so a
    // sink that watches outcomes has nothing new to see.
    virtual void amendMessage(MessageRecord &&message) { storeMessage(std::move(message)); }
    // Gives the pool the records it was handed and is done with, to be filled again by the
    // correlator (see RecordPool); asked when the pool runs out. A sink that frees each record as
    // it is stored has nothing to give.
    virtual void reclaim(RecordPool &pool) { (void)pool; }
};

// Joins the events of one queue-id lifetime per host into a MessageRecord. Only messages still in
// the queue are held in memory; a message leaves for the sink as soon as its lifetime ends (a
// companion's line that comes a moment later amends the stored row: MessageSink::amendMessage).
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
    // LifetimeRules::endsWhenRecipientsDone of the format of the lines that follow.
    void setEndsWhenRecipientsDone(bool ends) { m_endsWhenRecipientsDone = ends; }
    // Several logs are read in one go: a refusal one of them repeats from another (Exim's
    // rejectlog beside its mainlog) is taken once (RefusalCopies).
    void setRecognizeCopies(bool recognize) { m_recognizeCopies = recognize; }
    // The refusals earlier imports stored (RefusalCopies::addStored): a copy read now in another
    // log (the rejectlog opened after its mainlog) is taken once too.
    RefusalCopies &storedRefusals() { return m_copies; }
    void process(const Event &event, std::uint32_t fileId);
    // Hands every message still in the queue that changed to the sink, in the order they were
    // first seen, then by queue id; they stay open in the cache.
    void finish();
    // finish() for a follow: hands a copy of every open message that changed to the sink, in
    // finish()'s order, and keeps them, with what it knows of connections (connect and TLS lines,
    // sessions, refusals still taking lines, parents and hops not seen yet), so that the next batch
    // of lines, handed to a sink of its own (setSink()), joins them as one import of all the lines
    // would.
    void checkpoint();
    void setSink(MessageSink &sink) { m_sink = &sink; }
    // The row id the next message gets.
    std::int64_t nextId() const { return m_nextId; }

    // Messages still in the queue; those a reject, a discard or their client just ended are not.
    std::size_t openCount() const;

private:
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    // The record behind a pointer: a node then holds the key, its hash and the pointer in one
    // cache line, where a record of some 700 bytes in the node put the hash a lookup compares
    // on another line; the lookups of every line of a log were a seventh of the reading thread's
    // time (docs/store.md, session 24).
    using Map = std::unordered_map<std::string, std::unique_ptr<MessageRecord>, KeyHash, std::equal_to<>>;
    struct PendingParent {
        std::string queueId;
        std::int64_t dbId;
        MessageOrigin origin;
    };
    using RefMap = std::unordered_map<std::string, PendingParent, KeyHash, std::equal_to<>>;

    std::string_view key(std::string_view host, std::string_view id);
    MessageRecord &messageFor(const Event &event, std::uint32_t fileId, bool startsLifetime);
    void takeArrival(MessageRecord &m, const Event &event);
    DeliveryRecord &applyDelivery(MessageRecord &m, const Event &event, std::string_view recipient);
    // The event for its recipient and each of its moreRecipients.
    void applyToRecipients(MessageRecord &m, const Event &event);
    void closeIdle(std::int64_t nowMs);
    // Ends m (see setEndsWhenRecipientsDone) when each of its recipients has a final status.
    void endIfRecipientsDone(MessageRecord &m, const Event &event);
    void handleNoQueue(const Event &event, std::uint32_t fileId, MessageState state);
    std::uint64_t processKey(const Event &event);
    void linkParent(const Event &event, const MessageRecord &parent, MessageOrigin origin);
    static void markNotice(MessageRecord &m);
    void finalize(Map::iterator it);
    // A blank record for a new message (delivery), with the buffers of one the sink gave back.
    MessageRecord newMessage();
    DeliveryRecord newDelivery();
    // The open messages finish() and checkpoint() hand on: changed ones, by first line, queue id.
    std::vector<MessageRecord *> changedOpenInOrder();
    void storeIncident(IncidentKind kind, const Event &event, std::uint32_t fileId);
    void noteTls(const Event &event, std::uint32_t fileId);
    void applyTls(MessageRecord &m, DeliveryRecord &d, const Event &event);
    void startSession(MessageRecord &m, const Event &event, std::uint32_t fileId);
    void endSession(const Event &event, std::uint32_t fileId);
    void abandonIfEmpty(const std::string &messageKey, const Event &event, std::uint32_t fileId);
    MessageRecord *findHop(std::string_view host, std::string_view queueId);
    void linkHop(MessageRecord &from, MessageRecord &to);
    void closeEnded(std::int64_t nowMs);
    // A refusal another file logged first: the message that one made, open again, or null when
    // there is nothing to add to (an incident, a NOQUEUE reject, a message still open).
    MessageRecord *reopenRefused(const Event &event, const RefusalCopies::Seen &first);
    // A line that continues the refusal before it (fact::ContinuesPrevious): its headers name the
    // sender and recipients of the refused message.
    void continueRefusal(const Event &event);
    static void nameRefused(MessageRecord &m, std::string_view recipient);
    void applyRefusal(MessageRecord &m, const Event &event);
    // A companion program's verdict: joins the message it names by the strongest key its line has
    // (queue id, then the hop amavis queued it as, Message-ID, client address), and only a message
    // in the state where that companion runs; or waits for it (see m_pending*).
    void noteVerdict(const Event &event, std::uint32_t fileId);
    struct PendingVerdict {
        LineRef line;
        std::string_view verdict;  // a constant of the parser's
        std::int64_t timeMs;
        VerdictStage stage;
        std::size_t program;    // hash of the program's name: one line of each per RCPT
        std::string recipient;  // the mailbox a delivery agent saved it to
    };
    using PendingMap = std::unordered_map<std::string, std::vector<PendingVerdict>, KeyHash, std::equal_to<>>;
    void noteVerdictByClient(const Event &event, const LineRef &line);
    void noteVerdictByMessageId(const Event &event, const LineRef &line);
    // The message whose delivery to the agent's mailbox Postfix logged a moment ago.
    // Whether it ended (stored) already: see m_ended.
    std::pair<MessageRecord *, bool> deliveredTo(const Event &event);
    static PendingVerdict pendingOf(const Event &event, const LineRef &line);
    void pend(PendingMap &pending, const Event &event, std::string_view id, const LineRef &line);
    // Stores a message whose lifetime ended and, once the log has companion lines, keeps what was
    // stored for a moment: their lines may come after the end (see m_ended).
    void finalizeEnded(Map::iterator it, std::int64_t timeMs);
    // The message a late line names, stored a moment ago, or null; amend() stores it again.
    MessageRecord *endedMessage(std::string_view messageKey);
    void amend(MessageRecord &ended);
    void forgetEnded(std::int64_t nowMs);
    // After a line of m: takes the verdicts that waited for it.
    void takeVerdicts(MessageRecord &m, const Event &event);
    // m's first RCPT was accepted (client=) or refused (NOQUEUE): the policy services' lines of its
    // session, or else the oldest of each program from its client's address.
    void takeReceiptVerdicts(MessageRecord &m, const Event &event);
    // Moves the verdicts waiting under `id` that `fits` into m, before its latest line.
    template<typename Fits>
    void takePending(PendingMap &pending, MessageRecord &m, std::string_view id, std::int64_t nowMs, Fits fits);

    MessageSink *m_sink;
    RecordPool m_pool;
    Map m_open;
    RefMap m_pendingParent;  // child key -> parent, for a child not seen yet
    std::unordered_map<std::uint64_t, LineRef> m_connects;  // smtpd process -> its connect line
    // smtpd process -> the key of the message its client started last, until the disconnect.
    std::unordered_map<std::uint64_t, std::string> m_sessionMessage;
    struct IncomingTls {
        std::string tls;
        LineRef line;  // joins the story of each message received over the connection
    };
    std::unordered_map<std::uint64_t, IncomingTls> m_tlsIn;  // smtpd process -> TLS of its connection
    struct OutgoingTls {
        std::string tls;
        LineRef line;
        std::string queueId;  // the message whose tries took it; a next message needs its own line
    };
    std::unordered_map<std::uint64_t, OutgoingTls> m_tlsOut;  // smtp/lmtp process -> TLS of its connection
    // Messages a reject, a discard or their client ended, kept open a little for the lines that
    // still follow (a repeated milter-reject, cleanup's "removed (canceled)"); key and time.
    std::deque<std::pair<std::string, std::int64_t>> m_ending;
    // Verdicts that name no queue id, until a line of their message comes: by (host, Message-ID)
    // for spamd and dovecot, whose lines precede the Postfix line of the same step; by (host, queue
    // id of the next hop) for amavis without Queue-ID, until the delivery to it says "queued as";
    // for policy services, asked at RCPT before smtpd logs client= (or a NOQUEUE reject), by the
    // smtpd process when only one session of that client can be at RCPT, else by (host, client IP).
    PendingMap m_pendingByMessageId;
    PendingMap m_pendingByHop;
    PendingMap m_pendingByClient;
    std::unordered_map<std::uint64_t, std::vector<PendingVerdict>> m_pendingBySession;
    std::unordered_map<std::uint64_t, std::string> m_sessionClient;  // smtpd process -> client IP
    // Messages that had a delivery accepted lately (key, time): where a delivery agent's verdict
    // that comes after Postfix's line of the delivery belongs.
    std::deque<std::pair<std::string, std::int64_t>> m_recentlyDelivered;
    // Messages stored when their lifetime ended, as the sink has them, for a few seconds of log
    // time: a companion's line after the end joins the copy, which is stored again. Nothing waits
    // in memory to be stored. Kept only once the log has had a companion's line (m_companions):
    // other logs pay nothing for it.
    Map m_ended;
    struct Ended {
        std::string key;
        std::int64_t dbId;
        std::int64_t timeMs;
    };
    std::deque<Ended> m_endedOrder;
    bool m_companions = false;
    std::int64_t m_nextPendingSweepMs = 0;
    std::vector<std::string> m_hosts;
    std::size_t m_lastHost = 0;  // index into m_hosts of the previous line's host
    std::string m_key;
    std::int64_t m_nextId;
    bool m_keepCachedFromOlderLines = false;
    std::int64_t m_idleTimeoutMs = 0;
    bool m_endsWhenRecipientsDone = false;
    std::int64_t m_nextIdleSweepMs = 0;
    std::size_t m_idleOpen = 0;  // open messages with a timeout, as of the last sweep or since
    bool m_recognizeCopies = false;
    RefusalCopies m_copies;
    std::string m_lastRefused;  // key of the message the previous line refused, for its continuations
};

} // namespace mailtrail
