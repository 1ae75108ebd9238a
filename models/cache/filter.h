// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/chartdata.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailtrail {

// What the user asked to see. Empty fields do not filter. The same filter serves the message and
// the delivery grain; statuses are the names of MessageState / DeliveryStatus ("sent", "bounced"...).
struct Filter {
    std::string sender;     // glob (* ? [..]) or, without wildcards, a substring; case-insensitive
    std::string recipient;  // same, over recipients and original recipients
    std::vector<std::string> statuses;
    std::string code;       // "550", "5xx", "5", "4.7.1", "5.1"
    std::int64_t sinceMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t untilMs = std::numeric_limits<std::int64_t>::max();
    std::string text;       // words that must all appear in addresses, ids or reply texts
    std::vector<std::int64_t> fileIds;  // restrict to messages with a line in these files
    std::string host;       // exact host name
    std::string format;     // the format the message's first log was read as ("postfix")
    std::vector<std::int64_t> messageIds;  // only these messages (those an insight is about)
    // "yes": messages that came or left over TLS (a delivery: a try over TLS); "no": one that
    // came over SMTP without it, or had a recipient tried at a network relay without it (a
    // hand-over to the next hop of its chain aside). "": either.
    std::string tls;
    std::string saslUser;   // the authenticated user of a submission; glob or substring, as sender
    // "yes": the messages received in these logs, as the statistics count "messages received"
    // (smtpd's client= or pickup's uid= with a queue id; a chain by its first hop); "no": the other
    // rows of Messages (queued before the log began, refused before queueing, notices, forwards);
    // "": either. The later hops of a chain are neither: the statistics count a chain once.
    std::string received;
    // Rows with at least one delivery try, as the status chart counts them (a delivery's last try
    // and its counted earlier attempts; no hand-over to a chain's next hop), in [triedSinceMs,
    // triedUntilMs) and of the group `triedAs` names (TryGroup's forms; "" any try). A message
    // has such a try when one of its deliveries has. The chart's segment (minute range, group,
    // key) is this filter with triedAs = triedAsFor(group, key).
    std::int64_t triedSinceMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t triedUntilMs = std::numeric_limits<std::int64_t>::max();
    std::string triedAs;
    // Deliveries to this remote host, as the summary names destinations (case-insensitive): the
    // host part of the relay ("mx.example.org" of "mx.example.org[192.0.2.1]:25"), or for a try
    // that reached no server the host of its "connect to HOST[...]"; a message has one of them.
    // Hand-overs to the next hop of a chain have no destination.
    std::string destination;
    // Rejected recipients whose refusal is of this kind, as the summary names them (statsreplies'
    // rejectCategory: "RBL", "relay denied", "unknown user", ..., "other"), in any MTA's words.
    std::string rejectReason;
    // List a chain of hops (content filter, relays of the log set) as one message: its first hop,
    // with the fate of the last, each condition met by any hop; and of the deliveries only the
    // final ones, not the hand-overs to a next hop. Off: every hop is a message of its own.
    bool chains = false;
    // Set by the cache, not by users: temp.text_match holds the messages matching `text`.
    bool textMatchReady = false;
    // Set by the cache, not by users: it has read the messages matching `text` in order, for the
    // index in memory (Cache::TextMatch), whether or not temp.text_match holds them too.
    bool textIdsReady = false;
    // Set by the cache, not by users: temp.later_hops and temp.chain_firsts hold the hops of the
    // chains as of the cache's present state (Cache::simplified).
    bool chainSetsReady = false;
    // Set by the cache, not by users: the "any hop" sets of chains (QueryBuilder::HopSet) it keeps
    // in temp tables as of its present state, by their key: table name.
    std::vector<std::pair<std::string, std::string>> keptHopSets;

    bool isEmpty() const;
    bool operator==(const Filter &) const = default;
};

// Whether `code` is one of the forms Filter::code takes: a reply code (550), a class with wildcards
// (5xx, 55x, 5), or an enhanced status code (5.1.1, 4.7). Anything else matches nothing.
bool isCodeFilter(std::string_view code);

// What Filter::triedAs names: an outcome of the chart ("delivered", "deferred" with an expired
// recipient's tries, "bounced", "rejected"), a reply code ("450"), an enhanced code ("4.2.0"), or
// a try without either ("delivered-no-reply": delivered without a reply code, as local(8) delivers
// and Sendmail and Exim log every delivery; "no-reply": not delivered and no code, as a connection
// that timed out; "no-dsn").
// Anything else (Invalid) matches nothing.
struct TryGroup {
    enum Kind { Any, Outcome, ReplyCode, EnhancedCode, Invalid } kind = Any;
    std::string key;  // the chart's key: "deferred", "450", "4.2.0", "delivered-no-reply", "" for no-reply / no-dsn
    static TryGroup parse(std::string_view triedAs);
    // Several of one group, comma-separated ("504,421": a try of either; the codes a chart's
    // "Other" holds). One Invalid when any is, or when they are not of one group.
    static std::vector<TryGroup> parseAll(std::string_view triedAs);
};
// Filter::triedAs for the chart's segment (group, key): the inverse of TryGroup::parse.
std::string triedAsFor(ChartGroup group, const std::string &key);

enum class Grain { Messages, Deliveries };

// Columns the views sort by; each is served by an index of the cache.
enum class SortKey { Time, Sender, Recipient, Status, Code, Attempts, Size, Client, Host, QueueId, MessageId, LastSeen };

struct Sort {
    SortKey key = SortKey::Time;
    bool descending = false;
};

// Where the previous page of a time-ordered listing ended: the next page starts right after it,
// found in the time index instead of by counting OFFSET rows from the top.
struct PageAnchor {
    std::int64_t firstSeenMs = 0;
    std::int64_t fileId = 0;
    std::int64_t messageId = 0;
    int deliveryIndex = -1;  // the delivery grain's last key; -1 for messages
};

} // namespace mailtrail
