// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/postfix/postfixparser.h"

#include "ingest/syslogline.h"
#include "ingest/textscan.h"

#include <algorithm>
#include <array>

namespace mailtrail {
namespace {

using namespace textscan;

// Short ids are upper-case hex; long ids (enable_long_queue_ids) are base-52 alphanumerics. A
// digit is required of long ones so that words such as "statistics:" are not taken for ids.
bool looksLikeQueueId(Text t)
{
    if (t.size() < 5 || t.size() > 32)
        return false;
    bool hex = true, digit = false, letter = false;
    for (const char c : t) {
        if (!isAlnum(c))
            return false;
        hex = hex && isUpperHex(c);
        (isDigit(c) ? digit : letter) = true;
    }
    return hex || (t.size() >= 10 && digit && letter);
}

// "0.1/0/0.4/1": four non-negative decimal numbers.
bool looksLikeDelays(Text t)
{
    if (std::count(t.begin(), t.end(), '/') != 3)
        return false;
    for (std::size_t from = 0; from <= t.size();) {
        const std::size_t slash = std::min(t.find('/', from), t.size());
        const Text part = t.substr(from, slash - from);
        if (part.empty() || part.size() > 16 || findNotOf(part, "0123456789.") != npos || leadingNumber(part, -1.0) < 0)
            return false;
        from = slash + 1;
    }
    return true;
}

// "QID: " or "NOQUEUE: " at the start of s; NOQUEUE gives an empty id.
bool takeQueueId(Text &s, Text &queueId)
{
    const std::size_t colon = s.substr(0, 34).find(':');
    if (colon == npos || colon + 1 >= s.size() || s[colon + 1] != ' ')
        return false;
    const Text token = s.substr(0, colon);
    const bool noQueue = token == "NOQUEUE";
    if (!noQueue && !looksLikeQueueId(token))
        return false;
    queueId = noQueue ? Text{} : token;
    s.remove_prefix(colon + 2);
    return true;
}

bool takeLevel(Text &s)
{
    return consume(s, "warning: ") || consume(s, "error: ") || consume(s, "fatal: ") || consume(s, "panic: ");
}

void setClient(Event &ev, const PeerAddress &peer)
{
    ev.clientHost = peer.host;
    ev.clientIp = peer.ip;
}

// The first " from host[ip]" in s.
bool findPeerAfterFrom(Text s, PeerAddress &peer)
{
    for (std::size_t pos = s.find(" from "); pos != npos; pos = s.find(" from ", pos + 1)) {
        if (readPeerAddress(s.substr(pos + 6), peer))
            return true;
    }
    return false;
}

// The first "host[ip]" token in s, for lines that name one peer.
bool findPeer(Text s, PeerAddress &peer)
{
    const std::size_t open = s.find('[');
    if (open == npos)
        return false;
    const std::size_t space = s.rfind(' ', open);
    return readPeerAddress(s.substr(space == npos ? 0 : space + 1), peer);
}

// The reply code of a delivery text: leading, or that of the remote server's answer.
int replyCodeOf(Text t)
{
    if (const int code = leadingReplyCode(t))
        return code;
    for (const Text marker : {Text(" said: "), Text(" refused to talk to me: ")}) {
        if (const std::size_t pos = t.find(marker); pos != npos)
            return leadingReplyCode(t.substr(pos + marker.size()));
    }
    return 0;
}

// "550 5.1.1 <x>: Recipient address rejected: ..." -> replyText, replyCode, dsn (unless the line
// had a dsn= already). Returns the reason: what follows the code, the dsn and the rejected item.
Text readReply(Text text, Event &ev)
{
    ev.replyText = text;
    ev.replyCode = leadingReplyCode(text);
    if (ev.replyCode != 0)
        text.remove_prefix(std::min<std::size_t>(4, text.size()));
    if (const std::size_t n = enhancedStatusLength(text)) {
        if (ev.dsn.empty())
            ev.dsn = text.substr(0, n);
        text.remove_prefix(n);
        consume(text, " ");
    }
    const std::size_t itemEnd = text.starts_with('<') ? text.find(">: ") : npos;
    if (itemEnd != npos)
        text.remove_prefix(itemEnd + 3);
    else
        consume(text, ": ");
    return text;
}

// "250 2.0.0 Ok: queued as 4BDC5C0A2F" (Postfix), "... from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0
// Ok: queued as X" (amavis): the last "queued as" names the id the receiver gave the message.
Text queuedAs(Text reply)
{
    const std::size_t pos = reply.rfind("queued as ");
    if (pos == npos)
        return {};
    Text id = reply.substr(pos + 10);
    id = id.substr(0, std::min(findOf(id, " ,;)"), id.size()));
    return looksLikeQueueId(id) ? id : Text{};
}

// "status=sent (text)": the text is everything inside the outermost parentheses.
void readDeliveryStatus(Text word, Text rest, Event &ev)
{
    using enum DeliveryStatus;
    ev.status = word == "sent" ? Sent
        : word == "deferred" || word == "SOFTBOUNCE" ? Deferred
        : word == "bounced" ? Bounced
        : word == "expired" ? Expired
        : word == "deliverable" ? Deliverable
        : word == "undeliverable" ? Undeliverable : None;
    if (ev.status == DeliveryStatus::None)
        ev.detail = word;
    while (consume(rest, " ")) { }
    if (!consume(rest, "("))
        return;
    ev.replyText = rest.substr(0, rest.rfind(')'));
    ev.replyCode = replyCodeOf(ev.replyText);
    ev.skippedTry = ev.replyText.starts_with("delivery temporarily suspended");
    Text forwarded = ev.replyText;
    if (consume(forwarded, "forwarded as ") && looksLikeQueueId(forwarded))
        ev.relatedQueueId = forwarded;
    ev.hopQueueId = queuedAs(ev.replyText);
}

// Delivery agents: "to=<r>, orig_to=<o>, relay=.., delay=.., delays=.., dsn=X.Y.Z, status=word (text)".
void parseDelivery(Text s, Event &ev)
{
    ev.kind = EventKind::Delivery;
    KeyValueScanner fields(s);
    KeyValue f;
    while (fields.next(f)) {
        if (f.key == "to")
            ev.recipient = f.value;
        else if (f.key == "orig_to")
            ev.origRecipient = f.value;
        else if (f.key == "relay")
            ev.relay = f.value;
        else if (f.key == "delay")
            ev.delaySec = leadingNumber(f.value, -1.0);
        else if (f.key == "delays" && looksLikeDelays(f.value))
            ev.delays = f.value;
        else if (f.key == "dsn")
            ev.dsn = f.value;
        else if (f.key == "status")
            return readDeliveryStatus(f.value, fields.rest(), ev);
    }
}

// qmgr: "from=<a>, size=N, nrcpt=N (queue active)" or "from=<a>, status=expired, returned to sender";
// pickup: "uid=0 from=<root>".
void parseSenderRecord(Text s, EventKind kind, Event &ev)
{
    ev.kind = kind;
    KeyValueScanner fields(s);
    KeyValue f;
    while (fields.next(f)) {
        if (f.key == "from") {
            ev.sender = f.value;
            ev.hasSender = true;
        } else if (f.key == "size") {
            ev.size = leadingNumber<std::int64_t>(f.value, -1);
        } else if (f.key == "nrcpt") {
            ev.nrcpt = leadingNumber(f.value, -1);
        } else if (f.key == "status" && f.value == "expired") {
            ev.kind = EventKind::Expired;
            ev.status = DeliveryStatus::Expired;
        }
    }
    if (ev.kind == EventKind::Info && fields.rest().find("(queue active)") != npos)
        ev.kind = EventKind::Queued;
}

// smtpd: "client=host[ip]" with optional ", sasl_method=X, sasl_username=Y" kept in detail.
void parseClientRecord(Text s, Event &ev)
{
    ev.kind = EventKind::Client;
    PeerAddress peer;
    if (!readPeerAddress(s, peer))
        return;
    setClient(ev, peer);
    const Text rest = s.substr(peer.whole.size());
    ev.detail = rest.substr(std::min(findNotOf(rest, ", "), rest.size()));
    KeyValueScanner fields(rest);
    for (KeyValue f; fields.next(f);) {
        if (f.key == "sasl_method")
            ev.saslMethod = f.value;
        else if (f.key == "sasl_username")
            ev.saslUsername = f.value;
        else if (f.key == "orig_queue_id" && looksLikeQueueId(f.value))
            ev.origQueueId = f.value;
    }
}

// bounce: "sender non-delivery notification: NEWQID". detail keeps which notice it is: a delay
// notification does not mean that the message bounced.
bool parseNotification(Text s, Event &ev)
{
    const std::size_t pos = s.find(" notification: ");
    if (pos == npos || !looksLikeQueueId(s.substr(pos + 15)))
        return false;
    ev.kind = EventKind::Notification;
    ev.relatedQueueId = s.substr(pos + 15);
    ev.detail = s.substr(0, pos + 13);
    return true;
}

// Where "; from=", "; to=" or "; proto=" starts the envelope of an action line, or npos.
std::size_t envelopeStart(Text s)
{
    for (std::size_t pos = s.find("; "); pos != npos; pos = s.find("; ", pos + 2)) {
        const Text rest = s.substr(pos + 2);
        if (rest.starts_with("from=") || rest.starts_with("to=") || rest.starts_with("proto="))
            return pos;
    }
    return npos;
}

// Access and content-check actions: "reject: ...", "milter-reject: ...", "hold: ...". WARN and
// INFO header checks log "warning:"/"info:", told from daemon warnings by their envelope.
bool takeAction(Text &s, Text &action)
{
    static constexpr std::array<Text, 11> words = {"reject", "reject_warning", "warn", "discard", "filter",
        "hold", "redirect", "prepend", "replace", "bcc", "strip"};
    std::size_t i = 0;
    while (i < s.size() && i < 32 && (isLower(s[i]) || s[i] == '-' || s[i] == '_'))
        ++i;
    if (i == 0 || i + 1 >= s.size() || s[i] != ':' || s[i + 1] != ' ')
        return false;
    const Text word = s.substr(0, i);
    const Text after = s.substr(i + 2);
    const bool known = std::find(words.begin(), words.end(), word) != words.end() || word.starts_with("milter-")
        || word.starts_with("proxy-") || ((word == "warning" || word == "info") && envelopeStart(after) != npos);
    if (known) {
        action = word;
        s = after;
    }
    return known;
}

// smtpd style: "RCPT from host[ip]: <reply>" or "END-OF-MESSAGE: <reply>". Sets the reason.
bool readStagedReply(Text head, Event &ev, Text &reason)
{
    std::size_t i = 0;
    while (i < head.size() && (isUpper(head[i]) || head[i] == '-'))
        ++i;
    Text rest = head.substr(i);
    PeerAddress peer;
    if (i == 0 || (consume(rest, " from ") && !readPeerAddress(rest, peer)))
        return false;
    rest.remove_prefix(peer.whole.size());
    if (!consume(rest, ": "))
        return false;
    setClient(ev, peer);
    reason = readReply(rest, ev);
    return true;
}

// cleanup style: "header Subject: ... from host[ip]"; the client follows the last " from ".
void readCheckedContent(Text head, Event &ev)
{
    const std::size_t from = head.rfind(" from ");
    if (from == npos)
        return;
    const Text client = head.substr(from + 6);
    PeerAddress peer;
    if (readPeerAddress(client, peer))
        setClient(ev, peer);
    else
        ev.clientHost = client;  // "from local"
}

// "action: <what> ...; from=<a> to=<b> proto=P helo=<h>[: text]". detail is the reason (smtpd
// rejects) or the check that matched (cleanup rejects); for other actions it is the whole action
// text, so that "hold:" or "discard:" stays visible.
void parseAction(Text action, Text s, Event &ev)
{
    // "milter-reject", "proxy-reject", "milter-header-redirect": the action is the last word.
    const Text verb = action.substr(action.rfind('-') + 1);  // npos + 1 == 0
    const bool reject = verb == "reject";
    ev.kind = reject ? EventKind::Reject
        : verb == "hold" ? EventKind::Hold
        : verb == "discard" ? EventKind::Discard
        : verb == "redirect" ? EventKind::Redirect : EventKind::Info;
    ev.status = reject ? DeliveryStatus::Rejected
        : ev.kind == EventKind::Discard ? DeliveryStatus::Discarded : DeliveryStatus::None;
    const std::size_t env = envelopeStart(s);
    const Text head = s.substr(0, env);
    Text trailing;
    if (env != npos) {
        KeyValueScanner fields(s.substr(env + 2));
        for (KeyValue f; fields.next(f);) {
            if (f.key == "from") {
                ev.sender = f.value;
                ev.hasSender = true;
            } else if (f.key == "to") {
                ev.recipient = f.value;
            }
        }
        trailing = fields.rest();
        consume(trailing, ": ");
    }
    if (Text reason; readStagedReply(head, ev, reason)) {
        ev.detail = reason;
    } else {
        readCheckedContent(head, ev);
        ev.detail = head;
        if (reject && !trailing.empty())
            readReply(trailing, ev);
    }
    if (!reject)
        ev.detail = Text(action.data(), static_cast<std::size_t>(head.data() + head.size() - action.data()));
}

// Records after "QID: " that read the same whatever the daemon. False if s is none of them.
bool parseQueueRecord(Text s, Event &ev)
{
    Text rest = s;
    Text action;
    if (rest.starts_with("to=")) {
        parseDelivery(rest, ev);
    } else if (rest.starts_with("from=")) {
        parseSenderRecord(rest, EventKind::Info, ev);
    } else if (rest.starts_with("uid=")) {
        parseSenderRecord(rest, EventKind::Pickup, ev);
    } else if (consume(rest, "client=")) {
        parseClientRecord(rest, ev);
    } else if (consume(rest, "message-id=")) {
        ev.kind = EventKind::MessageId;
        const bool bracketed = rest.size() >= 2 && rest.front() == '<' && rest.back() == '>';
        ev.messageId = bracketed ? rest.substr(1, rest.size() - 2) : rest;
    } else if (rest == "removed") {
        // postsuper -d logs the same word as qmgr: an administrator's deletion, not a completion.
        ev.kind = ev.service == "postsuper" ? EventKind::Deleted : EventKind::Removed;
    } else if (consume(rest, "removed (") && rest.ends_with(')')) {
        // cleanup (Postfix 3.9+): "removed (canceled)" when the client gave up or was refused
        // before the queue file was complete, "removed (discarded)" after a discard action.
        ev.kind = EventKind::Removed;
        ev.detail = rest.substr(0, rest.size() - 1);
    } else if (rest == "placed on hold") {
        ev.kind = EventKind::Hold;
        ev.detail = rest;
    } else if (rest == "released from hold" || rest == "requeued") {
        ev.kind = EventKind::Release;
        ev.detail = rest;
    } else if (takeAction(rest, action)) {
        parseAction(action, rest, ev);
    } else {
        return parseNotification(s, ev);
    }
    return true;
}

// Lines read no further: Info when they concern a queued message; a diagnostic of the server
// itself ("warning: ...", "fatal: ...") is a Notice; else Unknown.
void keepAsText(Text s, Event &ev)
{
    Text rest = s;
    const bool diagnostic = takeLevel(rest);
    if (ev.queueId.empty() && diagnostic && takeQueueId(rest, ev.queueId) && !ev.queueId.empty()) {
        ev.kind = EventKind::Info;
        ev.detail = rest;  // "warning: QID: text"
        if (rest.starts_with("queue file size limit exceeded")) {
            // cleanup refused the message; the client was told 552 (RFC 5321 section 4.5.3.1.10).
            ev.kind = EventKind::Reject;
            ev.status = DeliveryStatus::Rejected;
            ev.replyCode = 552;
            ev.replyText = rest;
        }
        return;
    }
    ev.kind = !ev.queueId.empty() ? EventKind::Info : diagnostic ? EventKind::Notice : EventKind::Unknown;
    ev.detail = s;
}

// "Untrusted TLS connection established to mx[ip]:25: TLSv1.3 with cipher ..." (smtp, lmtp) or
// "... from host[ip]: ..." (smtpd, tlsproxy).
bool parseTlsLine(Text s, Event &ev)
{
    const std::size_t pos = s.find(" TLS connection established ");
    if (pos == npos || pos > 16)
        return false;
    Text rest = s.substr(pos + 28);
    const bool outgoing = consume(rest, "to ");
    PeerAddress peer;
    if (!(outgoing || consume(rest, "from ")) || !readPeerAddress(rest, peer))
        return false;
    ev.kind = EventKind::Tls;
    ev.detail = s.substr(0, pos);
    if (outgoing)
        ev.relay = peer.whole;
    else
        setClient(ev, peer);
    rest.remove_prefix(peer.whole.size());
    consume(rest, ": ");
    ev.tls = rest;
    return true;
}

// smtpd's complaints about a client, after "warning: " or bare: "non-SMTP command from host[ip]:
// ...", "hostname x does not resolve to address ip", "too many errors after DATA from host[ip]".
bool parseClientWarning(Text s, Text whole, Event &ev)
{
    PeerAddress peer;
    Text rest = s;
    if (consume(rest, "hostname ")) {
        const std::size_t space = rest.find(' ');
        Text after = rest.substr(std::min(space, rest.size()));
        if (!consume(after, " does not resolve to address "))
            return false;
        ev.clientHost = rest.substr(0, space);
        ev.clientIp = after.substr(0, findOf(after, ": "));
    } else if ((findPeerAfterFrom(s, peer) || readPeerAddress(s, peer)) && !peer.ip.empty()) {
        setClient(ev, peer);  // "... from host[ip]..." or "host[ip]: ..."
    } else {
        return false;
    }
    ev.kind = EventKind::ClientWarning;
    ev.detail = whole;
    return true;
}

// "host[ip]: SASL LOGIN authentication failed: ..." after "warning: ".
bool parseAuthFailure(Text s, Event &ev)
{
    PeerAddress peer;
    if (!readPeerAddress(s, peer))
        return false;
    Text rest = s.substr(peer.whole.size());
    if (!consume(rest, ": ") || !rest.starts_with("SASL ") || rest.find(" authentication failed") == npos)
        return false;
    ev.kind = EventKind::AuthFailure;
    setClient(ev, peer);
    ev.detail = rest;
    return true;
}

void parseSmtpdLine(Text s, Event &ev)
{
    Text rest = s;
    PeerAddress peer;
    if (consume(rest, "connect from ")) {
        ev.kind = EventKind::Connect;
        if (readPeerAddress(rest, peer))
            setClient(ev, peer);
    } else if (consume(rest, "disconnect from ")) {
        ev.kind = EventKind::Disconnect;
        if (readPeerAddress(rest, peer)) {
            setClient(ev, peer);
            ev.detail = rest.substr(std::min(peer.whole.size() + 1, rest.size()));  // command counts
        }
    } else if (rest.starts_with("lost connection after ") || rest.starts_with("timeout after ")) {
        ev.kind = EventKind::LostConnection;
        const std::size_t from = rest.find(" from ");
        ev.detail = rest.substr(0, from);
        if (from != npos && readPeerAddress(rest.substr(from + 6), peer))
            setClient(ev, peer);
    } else if (Text action; takeAction(rest, action)) {
        parseAction(action, rest, ev);  // as "proxy-reject: ..." is quoted without its queue id
    } else if (consume(rest, "warning: ")) {
        if (!parseAuthFailure(rest, ev) && !parseClientWarning(rest, s, ev))
            keepAsText(s, ev);
    } else if (rest.starts_with("too many errors ") || rest.starts_with("improper command pipelining ") ||
               rest.starts_with("SSL_accept error ") || rest.starts_with("bare <LF> received ") ||
               rest.starts_with("non-SMTP command ")) {
        parseClientWarning(rest, s, ev);
    } else if (rest.starts_with("discarding EHLO keywords")) {
        ev.kind = EventKind::Notice;
        ev.detail = s;
        if (findPeerAfterFrom(s, peer))
            setClient(ev, peer);
    } else {
        keepAsText(s, ev);
        if (findPeerAfterFrom(s, peer))
            setClient(ev, peer);
    }
}

// postscreen and tlsproxy name the client "[ip]:port". Only postscreen's CONNECT starts a
// session; tlsproxy's repeats one that smtpd logs as well.
void parsePostscreenLine(Text s, Event &ev)
{
    const bool proxy = ev.service == "tlsproxy";
    Text rest = s;
    PeerAddress peer;
    if (consume(rest, "CONNECT from ")) {
        ev.kind = proxy ? EventKind::Notice : EventKind::Connect;
    } else if (consume(rest, "DISCONNECT ")) {
        ev.kind = proxy ? EventKind::Notice : EventKind::Disconnect;
    } else if (!takeLevel(rest) && !rest.empty() && isUpper(rest.front()) && findPeer(s, peer)) {
        // "PASS OLD [ip]:port" lets a client through; "PREGREET 6 after 1.2 from [ip]:port: ...",
        // "DNSBL rank 3 for [ip]:port", "HANGUP", "COMMAND ... LIMIT", "NON-SMTP COMMAND",
        // "BARE NEWLINE", "DENYLISTED": the reason a client never reached smtpd.
        const bool passes = s.starts_with("PASS ") || s.starts_with("WHITELISTED ") || s.starts_with("ALLOWLISTED ") ||
            s.starts_with("WHITELIST VETO ") || s.starts_with("ALLOWLIST VETO ");
        ev.kind = passes ? EventKind::Notice : EventKind::Screen;
        ev.detail = s;
        setClient(ev, peer);
        return;
    } else {
        keepAsText(s, ev);
        if (s.starts_with("cache "))
            ev.kind = EventKind::Notice;  // "cache btree:... full cleanup: retained=242 dropped=7 entries"
        return;
    }
    if (readPeerAddress(rest, peer))
        setClient(ev, peer);
}

// dnsblog: "addr 192.0.2.1 listed by domain zen.spamhaus.org as 127.0.0.2".
void parseDnsblogLine(Text s, Event &ev)
{
    Text rest = s;
    keepAsText(s, ev);
    if (!consume(rest, "addr "))
        return;
    ev.clientIp = rest.substr(0, rest.find(' '));
    if (rest.find(" listed by domain ") != npos)
        ev.kind = EventKind::Screen;
}

// Programs that log nothing about messages or clients: their lines are statistics and state.
bool isHousekeeping(Text service)
{
    static constexpr std::array<Text, 12> names = {"postfix", "anvil", "master", "scache", "postfix-script", "tlsmgr",
        "verify", "postlog", "postmap", "postalias", "postconf", "postsuper"};
    return std::find(names.begin(), names.end(), service) != names.end();
}

// smtp/lmtp lines about one remote server: "QID: host mx[ip] said: 550 ... (in reply to ...)",
// "QID: lost connection with mx[ip] while ...", "connect to mx[ip]:25: Connection refused".
void parseSmtpClientLine(Text s, Event &ev)
{
    keepAsText(s, ev);
    Text rest = s;
    PeerAddress peer;
    if (takeLevel(rest) || !findPeer(s, peer))
        return;
    ev.relay = peer.whole;
    if (ev.kind == EventKind::Unknown)
        ev.kind = EventKind::Notice;  // "connect to mx[ip]:25: Connection refused", "SSL_connect error to ..."
    for (const Text marker : {Text(" said: "), Text(" refused to talk to me: ")}) {
        if (const std::size_t pos = s.find(marker); pos != npos) {
            const Text reply = s.substr(pos + marker.size());
            const std::size_t inReplyTo = reply.ends_with(')') ? reply.rfind(" (in reply to ") : npos;
            readReply(reply.substr(0, inReplyTo), ev);
            return;
        }
    }
}

void parseDaemonLine(Text s, Event &ev)
{
    if (parseTlsLine(s, ev))
        return;
    if (ev.service == "smtpd") {
        parseSmtpdLine(s, ev);
    } else if (ev.service == "postscreen" || ev.service == "tlsproxy") {
        parsePostscreenLine(s, ev);
    } else if (ev.service == "smtp" || ev.service == "lmtp") {
        parseSmtpClientLine(s, ev);
    } else if (ev.service == "dnsblog") {
        parseDnsblogLine(s, ev);
    } else {
        keepAsText(s, ev);
        if (ev.kind == EventKind::Unknown && isHousekeeping(ev.service))
            ev.kind = EventKind::Notice;
    }
}

// What the line means for a message's lifetime, so that the correlator needs no daemon names.
std::uint8_t factsOf(const Event &ev)
{
    switch (ev.kind) {
    case EventKind::Connect:
        // postscreen hands a client it lets through to smtpd, which logs its own connect.
        return ev.service == "smtpd" ? fact::OpensSession : 0;
    case EventKind::Client:
    case EventKind::Pickup:
        return fact::StartsMessage;
    case EventKind::Removed:
    case EventKind::Deleted:
        return fact::EndsMessage;
    case EventKind::Reject:
    case EventKind::Discard:
        // cleanup (header/body checks, milters) refuses the whole message and logs nothing after;
        // smtpd refusing one RCPT of a queued message leaves the other recipients going.
        return ev.service == "cleanup" && !ev.queueId.empty() ? fact::EndsMessage : 0;
    default:
        return 0;
    }
}

} // namespace

bool PostfixParser::isPostfixProgram(std::string_view program)
{
    // "postfix" itself, "postfix/smtpd", or a second instance's "postfix-out/smtp" (its
    // syslog_name, then the daemon); "postfix-policyd-spf-python" is a policy service beside it.
    // Asked twice of every line (ownsProgram(), parse()): the common "postfix/" is told at once.
    if (!program.starts_with("postfix"))
        return false;
    return program.size() == 7 || program[7] == '/' || program.find('/', 8) != npos;
}

bool PostfixParser::startsWithQueueId(std::string_view body)
{
    Text queueId;
    return takeQueueId(body, queueId) && !queueId.empty();
}

bool PostfixParser::isQueueId(std::string_view token)
{
    return looksLikeQueueId(token);
}

bool PostfixParser::parse(const SyslogLine &line, Event &ev) const
{
    if (!isPostfixProgram(line.program))
        return false;
    // Keep what the reader and the timestamp resolver filled in (four scalars, not a copy of all).
    const std::int64_t timeMs = ev.timeMs;
    const std::int32_t utcOffsetSec = ev.utcOffsetSec;
    const std::uint64_t offset = ev.offset;
    const std::uint32_t length = ev.length;
    ev = Event{};
    ev.timeMs = timeMs;
    ev.utcOffsetSec = utcOffsetSec;
    ev.offset = offset;
    ev.length = length;
    ev.host = line.host;
    ev.program = line.program;
    ev.service = line.program.substr(line.program.rfind('/') + 1);  // npos + 1 == 0
    ev.pid = line.pid;
    Text body = line.body;
    if (!(takeQueueId(body, ev.queueId) && parseQueueRecord(body, ev)))
        parseDaemonLine(body, ev);
    ev.facts = factsOf(ev);
    return true;
}

} // namespace mailtrail
