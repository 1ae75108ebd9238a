// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/fileprograms.h"
#include "correlation/records.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// Plain rows the cache hands to the CLI and the item models.
struct MessageRow {
    std::int64_t id = 0;
    std::string host;
    std::string queueId;
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
    bool open = false;
    int recipientCount = 0;
    std::string firstRecipient;
    // The reply code beside the status (of a chain listed as one row: its last hop's), 0 for none;
    // then the enhanced code of its first recipient in that status that has one (a deferral
    // without a reply, "connect to ...: Connection refused", is 4.4.1), as the deliveries show it.
    int lastCode = 0;
    std::string lastDsn;
    int attempts = 0;  // tries of every recipient (of a chain listed as one row: of its last hop)
    std::int64_t parentId = 0;
    std::string parentQueueId;
    std::int64_t fileId = 0;
    // Layout 7 (NULL in rows imported before: empty, 0).
    std::int64_t chainId = 0;   // the first hop's id, on every hop of a chain; 0 for no chain
    std::int64_t prevHop = 0;   // the hop before this one
    int hops = 1;               // of the chain, on its first hop; 1 otherwise
    MessageState finalState = MessageState::Queued;  // the last hop's state for a first hop; else state
    std::string tlsIn;          // "Anonymous TLSv1.3 with cipher ..." of the connection it came on
    std::string tlsOut;         // of a final delivery over TLS (a chain: of its later hops)
    std::string saslMethod;
    std::string saslUser;
    std::string verdicts;       // "DKIM pass, SPF softfail, spam"

    bool isLaterHop() const { return prevHop != 0; }
};

struct DeliveryRow {
    std::int64_t messageDbId = 0;
    int index = 0;
    std::int64_t fileId = 0;
    std::int64_t firstSeenMs = 0;  // the message's arrival (of a chain, its first hop's)
    std::int64_t hopSeenMs = 0;    // its own hop's arrival: the key of the time order
    std::int64_t lastSeenMs = 0;   // the delivery's last attempt (or the message's last line)
    std::int32_t utcOffsetSec = 0;
    std::string host;
    std::string queueId;
    std::string messageId;
    std::string sender;
    std::string recipient;
    std::string origRecipient;
    DeliveryStatus status = DeliveryStatus::None;
    std::string dsn;
    int replyCode = 0;
    int attempts = 0;
    std::string relay;
    std::string reason;
    std::string tls;         // of the latest try
    bool toNextHop = false;  // handed to the next hop of its chain, not delivered
    // The queue id of its chain's first hop, the one Messages lists the chain by (a content
    // filter's re-injection is delivered under a queue id of its own); its own queue id otherwise.
    std::string messageQueueId;
};

struct AttemptRow {
    int deliveryIndex = 0;
    std::int64_t timeMs = 0;
    DeliveryStatus status = DeliveryStatus::None;
    int replyCode = 0;
    std::string dsn;
    std::string relay;
    std::string replyText;
    double delaySec = -1;
    bool counted = true;
    std::string tls;
};

struct RawLineRef {
    std::string path;  // empty when the file is no longer known
    bool compressed = false;
    std::uint64_t offset = 0;
};

// Everything about one message: what the timeline and the detail pane show.
struct MessageDetail {
    MessageRow message;
    std::vector<DeliveryRow> deliveries;
    std::vector<AttemptRow> attempts;
    std::vector<RawLineRef> lines;
    std::vector<MessageRow> children;  // bounces and forwards it caused
    // For the first hop of a chain: every later hop, in the order they were seen.
    std::vector<MessageDetail> laterHops;
};

struct FileRow {
    std::int64_t id = 0;
    std::string path;
    std::int64_t size = 0;
    std::int64_t parsedOffset = 0;
    bool compressed = false;
    std::string format;
    std::int64_t lines = 0;
    std::int64_t unknownLines = 0;
    ProgramCounts otherPrograms;  // most lines first
    std::int64_t firstTimeMs = 0;
    std::int64_t lastTimeMs = 0;
};

const char *stateName(MessageState s);
const char *statusName(DeliveryStatus s);
bool parseStateName(const std::string &name, int &value);  // accepts both vocabularies

} // namespace mailtrail
