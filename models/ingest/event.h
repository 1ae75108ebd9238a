// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string_view>

namespace mailtrail {

// What one log line says happened. Parsers classify, the correlator decides what it means for a
// message; keep kinds about the line, not about the message's fate.
enum class EventKind : std::uint8_t {
    Unknown,          // a line of a known program that Mailtrail does not interpret
    Connect,          // smtpd/postscreen: connect from host[ip]
    Disconnect,       // smtpd/postscreen: disconnect from host[ip]
    LostConnection,   // smtpd: lost connection after X from host[ip]
    AuthFailure,      // smtpd: warning: host[ip]: SASL LOGIN authentication failed: ...
    Client,           // smtpd: QID: client=host[ip] (a message enters the queue)
    Pickup,           // pickup: QID: uid=N from=<sender> (local submission)
    MessageId,        // cleanup: QID: message-id=<id>
    Reject,           // smtpd/postscreen/cleanup: NOQUEUE or QID: reject: / milter-reject: (5xx or 4xx)
    Queued,           // qmgr: QID: from=<sender>, size=N, nrcpt=N (queue active)
    Delivery,         // smtp/lmtp/local/virtual/pipe/error/discard/relay: QID: to=<rcpt>, ..., status=X (text)
    Expired,          // qmgr: QID: from=<sender>, status=expired, returned to sender
    Notification,     // bounce: QID: sender non-delivery notification: NEWQID
    Removed,          // qmgr: QID: removed
    Info,             // a line about a queued message that adds detail only (host said..., warning:)
    // Appended, so that the numbers above keep their meaning.
    Tls,              // smtpd/smtp: Trusted TLS connection established from/to peer: TLSv1.3 with cipher ...
    Screen,           // postscreen/dnsblog: a verdict against a client (PREGREET, DNSBL rank, HANGUP...)
    ClientWarning,    // smtpd: a client misbehaving (non-SMTP command, too many errors, unresolvable name)
    Notice,           // a line understood that concerns no message and no bad client (statistics,
                      // daemon start, postscreen PASS OLD, warnings about the server itself)
    Hold,             // QID: placed on hold (postsuper), hold:/milter-hold: (an access or content check)
    Release,          // postsuper: QID: released from hold / requeued
    Discard,          // discard:/milter-discard: the message is accepted and thrown away
    Redirect,         // redirect:/milter-redirect: every recipient replaced by another address
    Deleted,          // postsuper: QID: removed (an administrator deleted the message from the queue)
    Verdict,          // a companion program's word on a message: opendkim, opendmarc, amavis, spamd,
                      // policyd-spf, postgrey, dovecot's "saved mail to" (never starts a message)
};

// Final or per-attempt status of one recipient, as Postfix's status= words.
enum class DeliveryStatus : std::uint8_t {
    None,
    Sent,
    Deferred,
    Bounced,
    Expired,
    Rejected,
    // Appended; MessageState numbers its states alike.
    Abandoned,      // the client quit before handing the message over (client= without cleanup)
    Held,           // on hold in the queue: waits for an administrator
    Discarded,      // accepted and thrown away by an access or content check
    Deleted,        // removed from the queue by an administrator (postsuper -d)
    Deliverable,    // address verification probe: the recipient would be accepted
    Undeliverable,  // address verification probe: the recipient would be refused
};

// What a line means for the lifetime of the message it names, said by the format so that the
// correlator needs no program names. Bits of Event::facts.
namespace fact {
// A connection messages arrive on: its line leads each message received in it (Postfix: smtpd's
// connect, not postscreen's). A Disconnect of the same host and pid ends it.
constexpr std::uint8_t OpensSession = 1;
// A new lifetime of the queue id: seen again after a message went through the queue, the id
// names another message (Postfix: client=, uid=; Exim: "<=").
constexpr std::uint8_t StartsMessage = 2;
// The lifetime ends with this line (Postfix: removed, a reject of the whole message by cleanup;
// Exim: Completed). A Reject that ends the message rejects all of it.
constexpr std::uint8_t EndsMessage = 4;
// A line with no time of its own that belongs to the record before it in the same file (the
// header lines Exim's rejectlog writes after a rejection): it adds to that record's message.
constexpr std::uint8_t ContinuesPrevious = 8;
} // namespace fact

// When a companion program judges a message, which tells the correlator which message, and which
// hop of a content-filter chain, a verdict belongs to when its line names no queue id.
enum class VerdictStage : std::uint8_t {
    Unknown,
    Receipt,   // while the client hands the message over: a policy service at RCPT, a milter at DATA
    Filter,    // a content filter the queue handed it to (amavis): the hop before its queued_as
    Delivery,  // the delivery agent the queue handed it to (dovecot lmtp/lda): the hop delivered
};

// One parsed line. The string_views point into the line buffer handed to the parser and are valid
// only until the next line is parsed: consumers copy what they keep.
struct Event {
    std::int64_t timeMs = 0;        // UTC epoch milliseconds
    std::int32_t utcOffsetSec = 0;  // offset of the line's own clock, for display
    std::uint64_t offset = 0;       // byte offset of the line in its (uncompressed) file
    std::uint32_t length = 0;       // length of the line without its newline

    std::string_view host;     // syslog host name
    std::string_view program;  // e.g. "postfix/submission/smtpd"
    std::string_view service;  // last path element of program: "smtpd", "smtp", "qmgr"...
    std::int64_t pid = -1;

    EventKind kind = EventKind::Unknown;
    std::string_view queueId;  // empty for NOQUEUE and lines without one

    // Fields; which are set depends on kind.
    std::string_view sender;         // without angle brackets; empty string for the null sender <>
    bool hasSender = false;          // distinguishes "from=<>" (null sender) from "no from= field"
    std::string_view recipient;      // to=
    std::string_view origRecipient;  // orig_to=
    std::string_view relay;          // relay=
    std::string_view dsn;            // 2.0.0 / 4.4.1 / 5.1.1
    std::string_view replyText;      // text in parentheses after status=, or reject text
    std::string_view clientHost;     // host part of host[ip]
    std::string_view clientIp;       // ip part of host[ip]
    std::string_view messageId;      // message-id=<...> without brackets
    std::string_view relatedQueueId; // NEWQID of a notification or "forwarded as NEWQID"
    std::string_view detail;         // free text: reject reason, warning text, auth mechanism...
    DeliveryStatus status = DeliveryStatus::None;
    int replyCode = 0;               // 250, 450, 550... or 0
    std::int64_t size = -1;
    int nrcpt = -1;
    double delaySec = -1;
    // delays=a/b/c/d, seconds: before the queue manager (including receiving the message), in the
    // queue manager, connection setup (DNS, HELO, TLS), message transmission. Empty when absent.
    std::string_view delays;
    bool skippedTry = false;         // "delivery temporarily suspended": no connection was tried
    // The relay is the transport the try went through, not a host (Exim's "== x@slow.test
    // R=to_slow T=remote_smtp defer (111): Connection refused", whose host "ID H=mx [ip]
    // Connection refused" named on a line of its own, kept by the correlator as the message's).
    bool relayIsTransport = false;
    std::uint8_t facts = 0;          // fact:: bits
    // Further recipients of the same record (Sendmail's "to=a,b,c"), as written: the correlator
    // applies the event to recipient and then to each of these (see nextRecipient()).
    std::string_view moreRecipients;

    // TLS of a connection (kind Tls): "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)";
    // detail holds the trust ("Anonymous", "Untrusted", "Trusted", "Verified").
    std::string_view tls;
    // client= of an authenticated submission: sasl_method=, sasl_username=.
    std::string_view saslMethod;
    std::string_view saslUsername;
    // client= of a message re-injected by a content filter that forwards Postfix's XFORWARD:
    // orig_queue_id= names the message of the previous hop.
    std::string_view origQueueId;
    // "250 2.0.0 Ok: queued as QID" in a delivery's reply: the id under which the receiving server
    // (a content filter's Postfix, a relay in the same log set) queued the message.
    std::string_view hopQueueId;
    // What a companion program concluded (kind Verdict): "DKIM fail", "DMARC pass", "SPF softfail",
    // "spam", "clean", "greylisted", "saved to mailbox"; empty when its line says no verdict.
    // Points to a constant, not into the line.
    std::string_view verdict;
    // The address a delivery reached when it is not the recipient itself: an alias or redirect
    // expanded the envelope recipient to it (Exim's "=> alice <info@lab.test>": alice).
    std::string_view expandedTo;
    VerdictStage verdictStage = VerdictStage::Unknown;
    // The envelope recipients an arrival names, separated by spaces (Exim's "<= a@b ... for c@d
    // e@f", log_selector +received_recipients): the recipients of the message before any line
    // about them, so that one no delivery line names (a duplicate Exim delivered once) has a row.
    std::string_view envelopeRecipients;
};

// Takes the next address off a comma-separated list, without its angle brackets and the spaces
// around it; false when the list is used up.
inline bool nextRecipient(std::string_view &list, std::string_view &address)
{
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
        while (!item.empty() && (item.front() == ' ' || item.front() == '<'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '>'))
            item.remove_suffix(1);
        if (!item.empty()) {
            address = item;
            return true;
        }
    }
    return false;
}

} // namespace mailtrail
