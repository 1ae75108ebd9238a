// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"
#include "ingest/triedhost.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// What became of a whole message, worst recipient first.
enum class MessageState : std::uint8_t {
    Queued,    // accepted, no delivery attempt seen (yet)
    Sent,
    Deferred,  // still waiting for a retry when the log ends
    Bounced,
    Expired,
    Rejected,  // refused before it was queued (NOQUEUE) or by cleanup
    // Appended, numbered as DeliveryStatus numbers the same words.
    Abandoned,     // the client quit before handing the message over: it never entered the queue
    Held,          // on hold when the log ends
    Discarded,     // accepted and thrown away by an access or content check
    Deleted,       // deleted from the queue by an administrator
    Deliverable,   // an address verification probe that found its recipients deliverable
    Undeliverable, // an address verification probe that found a recipient undeliverable
};

// How the message entered the queue: tells a user's mail from notifications Postfix made itself.
enum class MessageOrigin : std::uint8_t { Unknown, Smtp, Local, Notification, Forward };

// Where a raw line of a message lives, to re-read it when the message is shown.
struct LineRef {
    std::uint32_t fileId = 0;
    std::uint64_t offset = 0;
};

// The files other than `first` that `lines` reach, each once, in the order they are reached.
std::vector<std::uint32_t> otherFiles(const std::vector<LineRef> &lines, std::uint32_t first);

struct AttemptRecord {
    std::int64_t timeMs = 0;
    DeliveryStatus status = DeliveryStatus::None;
    int replyCode = 0;
    std::string dsn;
    std::string relay;
    std::string replyText;
    double delaySec = -1;
    bool counted = true;  // false for a skipped try ("delivery temporarily suspended")
    // The cache's key of replyText (searchkeys::forwardedFlag: -1 none, 0 no, 1 local(8)
    // forwarding), set where the text is at hand (CacheWriter::prepare, on the reading thread), so
    // that the writing and counting threads need not read the text again; NotKeyed until then.
    static constexpr std::int8_t NotKeyed = -2;
    std::int8_t forwarded = NotKeyed;
    // The TLS of the connection the try went over ("Trusted TLSv1.3 with cipher ..."); empty
    // when none was logged for it (attempts.tls_id).
    std::string tls;
};

struct DeliveryRecord {
    std::string recipient;
    std::string origRecipient;
    // Where an alias or redirect took the recipient (Event::expandedTo): each address it reached
    // has a delivery of its own. Not stored in the cache.
    std::string expandedTo;
    DeliveryStatus status = DeliveryStatus::None;
    std::string dsn;
    int replyCode = 0;
    std::string replyText;
    std::string relay;
    int attempts = 0;
    std::int64_t firstAttemptMs = 0;
    std::int64_t lastAttemptMs = 0;
    double lastDelaySec = -1;
    std::string tls;  // of the latest try, as AttemptRecord::tls
    // The latest try handed the message to the next hop of its chain (a content filter, a relay
    // of the same log set, which queued it under MessageRecord::nextHopQueueId): the recipient's
    // fate is that hop's, not this "sent".
    bool toNextHop = false;
    std::int8_t forwarded = AttemptRecord::NotKeyed;  // as AttemptRecord::forwarded
    // Attempts not yet written to the cache; older ones are there already when attemptsStored.
    // Empty while the recipient has had one try: the fields above are that try.
    std::vector<AttemptRecord> newAttempts;
    bool attemptsStored = false;  // the cache has attempt rows for this recipient

    // The recipient's latest try as an attempt record, from the fields above: a single try kept
    // only in the delivery becomes a record when a second one follows.
    AttemptRecord lastTry() const;
};

struct MessageRecord {
    std::int64_t dbId = 0;      // its row id in the cache, given by the correlator when first seen
    bool inCache = false;       // the row exists already (an open message continued): update it
    std::string host;
    std::string queueId;    // empty for NOQUEUE rejects
    std::string messageId;
    std::string sender;
    bool hasSender = false;
    std::int64_t size = -1;
    int nrcpt = -1;
    std::string clientHost;
    std::string clientIp;
    std::int64_t firstSeenMs = 0;
    std::int64_t lastSeenMs = 0;
    std::int32_t utcOffsetSec = 0;
    MessageState state = MessageState::Queued;
    MessageOrigin origin = MessageOrigin::Unknown;
    bool removed = false;      // its queue-id lifetime ended in this log
    std::string parentQueueId; // the message whose bounce or forward this one is
    std::int64_t parentDbId = 0;
    std::uint32_t fileId = 0;  // file of its first line
    std::int64_t idleTimeoutMs = 0;  // its format's LifetimeRules::idleTimeoutMs; not stored
    std::vector<DeliveryRecord> deliveries;
    std::vector<LineRef> lines;

    // Not stored in the cache yet (its layout changes first); the correlator fills them.
    // A message re-injected by a content filter or relayed to a host of the same log set is one
    // hop of a chain: the hop before and after this one, by queue id (and row id once known).
    std::string prevHopHost;
    std::string prevHopQueueId;
    std::int64_t prevHopDbId = 0;
    // Of a later hop, the chain's arrival: its first hop's firstSeenMs (0: not a later hop, or a
    // hop before it came from the cache as a later hop itself, whose arrival was not read back).
    std::int64_t chainArrivalMs = 0;
    std::string nextHopHost;
    std::string nextHopQueueId;
    std::int64_t nextHopDbId = 0;
    std::string saslMethod;    // client= of an authenticated submission
    std::string saslUsername;
    std::string tlsIn;         // TLS of the connection it arrived on: "Anonymous TLSv1.3 with cipher ..."
    // A line other than the client's own said the message was written to the queue (cleanup's
    // message-id, qmgr): without one, a client that disconnects has abandoned it.
    bool enteredQueue = false;
    bool awaitsContent = false;  // started by a client= whose session is still going
    bool held = false;           // placed on hold and not released since
    // Changed since the correlator last handed it to the sink: an open message continued from the
    // cache that no line touched needs no writing again (Correlator::finish(), checkpoint()).
    bool changed = false;
    // What companion programs concluded about it, each once, in the order said: "DKIM pass, SPF
    // softfail, spam" (Event::verdict). For the free-text filter once stored.
    std::string verdicts;
    // The host a delivery of it last failed to reach or failed at, as a line of its own (Exim's
    // "ID H=mx [ip] Connection refused") or a failed try names it, and when: a failed try logged
    // right after it that names only its transport (Event::relayIsTransport) was of that host.
    // Not stored.
    TriedHost triedHost;

    bool isOpen() const { return !removed && state != MessageState::Rejected && !isFinalState(state); }
    static bool isFinalState(MessageState s)
    {
        return s == MessageState::Abandoned || s == MessageState::Discarded || s == MessageState::Deleted;
    }
    int attemptCount() const;
    int lastReplyCode() const;
    void updateState();
    // The state updateState() would set, from the recipients as they are now.
    MessageState settledState() const;
};

} // namespace mailtrail
