// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// One line of a "top" list: a sender, a domain, a relay, a client... with how much traffic it had
// and how much of it went wrong (deferred, bounced, expired or rejected).
struct StatsCount {
    std::string key;
    std::int64_t count = 0;
    std::int64_t problems = 0;
    std::int64_t bytes = 0;
};

// A group of like events over time: an authentication failure source, a reject reason...
struct StatsSource {
    std::string key;       // client IP, username, category or destination
    std::string detail;    // client host name, the reply text, the kind of failure
    std::int64_t count = 0;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
    int incidentKind = 0;  // of a list of incidents: the IncidentKind its lines are (0: none)
};

// Deferral or bounce reasons: one remote host and reply. A deferral counts every deferred try
// (so they add up to Stats::deferrals), a bounce or expiry each recipient in that final state;
// first and last seen are of the tries.
struct StatsReason {
    std::string status;    // "deferred", "bounced", "expired"
    // The remote host (the relay, Exim's H=, Sendmail's relay=, or the host a connection failure
    // names); where the try names none (a transport, a local mailer) the recipient's domain.
    std::string host;
    bool hostIsRecipientDomain = false;
    int replyCode = 0;
    std::string dsn;
    std::string text;      // the reply with what differs between tries masked (statsreplies::reasonKey)
    std::string example;   // one full reply text of them
    std::int64_t count = 0;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
};

struct StatsHour {
    std::int64_t received = 0;
    std::int64_t delivered = 0;  // status=sent lines, as deliveredTries
    std::int64_t deferred = 0;  // deferred tries
    std::int64_t bounced = 0;
    std::int64_t rejected = 0;
};

struct StatsDay {
    std::string day;        // YYYY-MM-DD in the log's own clock
    std::int64_t startMs = 0;  // first arrival that day (UTC epoch ms)
    std::int32_t utcOffsetSec = 0;  // the log's offset from UTC that day
    StatsHour counts;
};

// The numbers of the summary of the current filter. Times are the log's own clock where they are
// hours or days (hour of day 0-23 as the log shows it), UTC epoch milliseconds otherwise.
// A chain of hops (a content filter's re-injection, a relay of the log set) is one message: its
// later hops are not received or listed again, and a hand-over to the next hop is no delivery.
// Definitions (the README's "stats" section says where they differ from pflogsumm's):
struct Stats {
    std::int64_t messagesAll = 0;        // message rows matching (as `messages` lists them: a chain once)
    std::int64_t received = 0;           // messages that entered the queue here: smtpd client= or pickup
    std::int64_t recipients = 0;         // delivery rows matching (as `deliveries` lists them: no hand-overs)
    std::int64_t sent = 0, deferred = 0, bounced = 0, expired = 0, rejected = 0;  // per delivery row
    std::int64_t queuedRecipients = 0;   // delivery rows not tried yet
    std::int64_t deferredMessages = 0;   // messages (a chain once) with at least one deferred try
    std::int64_t deferrals = 0;          // deferred tries the log records (also "temporarily suspended")
    std::int64_t stillQueued = 0;        // messages still in the queue at the end of the log
    // Messages that ended neither delivered nor refused (MessageState): on hold when the log ends,
    // thrown away by an access or content check, given up by their client before the queue took
    // them, deleted from the queue by an administrator. A chain counts once, by its fate.
    std::int64_t held = 0, discarded = 0, abandoned = 0, deleted = 0;
    std::int64_t bytesReceived = 0;      // size of the received messages
    std::int64_t deliveredTries = 0;     // lines saying "status=sent", but for local(8) forwarding it on
    // Recipients sent (of `sent`) without a delivery line of their own: Exim delivers an address
    // that two recipients reach once, on a line of one of them ("=> bob <info@lab.test>" served
    // bob@lab.test as well), so `sent` is `deliveredTries` plus these where nothing else differs.
    std::int64_t sentWithoutLine = 0;
    std::int64_t bytesDelivered = 0;     // the message's size for each of those
    std::int64_t senders = 0;            // distinct senders of received messages the queue manager took
    std::int64_t senderDomains = 0;      // their distinct domains
    std::int64_t recipientsDelivered = 0;  // distinct recipient addresses delivered to (not forwarded)
    std::int64_t recipientDomains = 0;   // their distinct domains
    std::int64_t authFailures = 0;       // SASL authentication failures
    std::int64_t authFailureClients = 0; // distinct client IPs they came from (a local caller is none)
    std::int64_t authFailuresAtPassword = 0;  // of them, those that end at AUTH LOGIN's password prompt
    // Of them, those of a local caller: no client address (Exim's "authenticator failed for
    // U=CALLER", an SMTP session of a local process).
    std::int64_t authFailuresLocal = 0;

    // When the problems began: the first deferred or failed try, bounce, expiry, reject or SASL
    // failure of all of them (not only of the reasons listed); and the earliest time counted at all
    // (an arrival, a try, a failure): a log that begins with a problem has the two within a minute.
    std::int64_t firstProblemMs = 0;     // 0: no problem
    std::int64_t firstSeenMs = 0;        // 0: nothing counted

    std::array<StatsHour, 24> byHour{};
    int peakHour = -1;                   // hour of day with the most received messages; -1 none
    std::vector<StatsDay> byDay;

    std::vector<StatsCount> topSenders;          // by received messages
    std::vector<StatsCount> topSenderDomains;
    std::vector<StatsCount> topRecipientDomains; // by deliveries; problems = not sent
    std::vector<StatsCount> topRelays;           // destinations by deliveries
    std::vector<StatsCount> problemRecipientDomains;  // by problems
    std::vector<StatsCount> problemRelays;

    std::vector<StatsReason> reasons;            // deferrals, bounces and expiries, grouped

    std::vector<StatsSource> rejectsByReason;    // key: category (rbl, relay denied, ...), detail: a text
    std::vector<StatsSource> rejectsByClient;    // key: client IP, detail: client host

    std::vector<StatsSource> authFailuresByClient;   // key: client IP, detail: client host; those with an IP
    std::vector<StatsSource> authFailuresByUser;     // key: sasl_username, where the log names it
    std::vector<StatsSource> relayDenials;           // key: client IP
    std::vector<StatsSource> rblHits;                // key: client IP, detail: the list that named it

    // Failed tries that reached no server (or no TLS): key: the host, else the name a failed
    // lookup names, else the recipient's domain; detail: the kind of failure.
    std::vector<StatsSource> connectivity;

    // What clients did besides SASL failures, without a message (IncidentKind 2-4): each kind's
    // count, and by client (key: client IP, detail: the kind, as incidentKindName() says it).
    std::int64_t clientWarnings = 0;   // non-SMTP command, too many errors, unresolvable name, TLS
    std::int64_t lostConnections = 0;  // the client dropped the connection or timed out
    std::int64_t screened = 0;         // lines of postscreen or a DNS blocklist judging a client
    // The clients they judged: one connection may have several (PREGREET, then HANGUP).
    std::int64_t screenedClients = 0;
    std::vector<StatsSource> clientIncidents;

    // Time from arrival to delivery of the sent deliveries, in seconds (from the lines' times).
    double delayMedianSec = -1;
    double delayP95Sec = -1;
    std::int64_t delaySamples = 0;
};

// The log's offset from UTC at `ms`, as the day it falls in has it (Stats::byDay): the times of
// the lists (first and last seen) are UTC and show in the log's own clock, as the messages' do.
// 0 without a day (a log of incidents only).
inline std::int32_t utcOffsetAt(const Stats &s, std::int64_t ms)
{
    std::int32_t offset = s.byDay.empty() ? 0 : s.byDay.front().utcOffsetSec;
    for (const StatsDay &d : s.byDay) {
        if (d.startMs > ms)
            break;
        offset = d.utcOffsetSec;
    }
    return offset;
}

// One line about a client that belongs to no message (a SASL failure, a lost connection...).
struct IncidentLine {
    std::int64_t timeMs = 0;
    int kind = 1;               // IncidentKind
    std::string host;           // the server that logged it
    std::string clientHost;
    std::string clientIp;
    std::string user;           // sasl_username, where the log names it
    std::string detail;
    std::int64_t fileId = 0;    // where the line is: the log and the byte offset
    std::int64_t offset = 0;
    // The log's offset from UTC then, as its messages around that time have it: the time shows
    // in the log's own clock, as the table shows the messages'.
    std::int32_t utcOffsetSec = 0;
};

// Which incidents to list: of these kinds (all when none), of this client IP or username when set.
struct IncidentQuery {
    std::vector<int> kinds;
    std::string clientIp;
    // Clients whose address starts with this ("158.24.101.": an IPv4 /24 an insight names).
    std::string clientPrefix;
    std::string user;
};

// "SASL failure", "client warning", "lost connection", "screened".
const char *incidentKindName(int kind);

} // namespace mailtrail
