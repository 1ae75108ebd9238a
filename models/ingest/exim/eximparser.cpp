// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/exim/eximparser.h"

#include "ingest/syslogline.h"
#include "ingest/textscan.h"

#include <algorithm>
#include <cstring>

namespace mailtrail {
namespace {

using namespace textscan;

// Exim's readconf_printtime() form: "1d2h3m4s", "0.123s", "45s". -1 for anything else (the test
// suite writes "qqs").
double eximDuration(Text t)
{
    if (t.empty())
        return -1;
    double total = 0;
    while (!t.empty()) {
        std::size_t n = 0;
        while (n < t.size() && (isDigit(t[n]) || t[n] == '.'))
            ++n;
        if (n == 0 || n == t.size())
            return -1;
        const double value = wholeNumber(t.substr(0, n), -1.0);
        if (value < 0)
            return -1;
        switch (t[n]) {
        case 'w': total += value * 7 * 86400; break;
        case 'd': total += value * 86400; break;
        case 'h': total += value * 3600; break;
        case 'm': total += value * 60; break;
        case 's': total += value; break;
        default: return -1;
        }
        t.remove_prefix(n + 1);
    }
    return total;
}

// "KEY=" at the start of s: a run of letters (R, T, H, QT, id, CV...) and '='.
std::size_t keyLength(Text s)
{
    std::size_t n = 0;
    while (n < s.size() && n < 12 && isAlpha(s[n]))
        ++n;
    return n > 0 && n < s.size() && s[n] == '=' ? n : 0;
}

// The fields of a delivery or arrival line, and where the text after them starts.
struct Fields {
    Text router, transport, host, protocol, size, messageId, user, sender, confirmation, queueTime, deliveryTime;
    Text auth;  // A=authenticator:set_id of an authenticated arrival
    Text tail;  // "defer (-44) H=...: text", ": text", " : text", "for a@b c@d", or empty
};

// Where a field's value goes; null for the keys not read (X=, CV=, K=...). By length first: most
// keys are one letter, and this runs for every field of every line.
Text *fieldFor(Fields &f, Text key)
{
    if (key.size() == 1) {
        switch (key[0]) {
        case 'R': return &f.router;
        case 'T': return &f.transport;
        case 'H': return &f.host;
        case 'P': return &f.protocol;
        case 'S': return &f.size;
        case 'U': return &f.user;
        case 'F': return &f.sender;
        case 'C': return &f.confirmation;
        case 'A': return &f.auth;
        default: return nullptr;
        }
    }
    if (key == "id") return &f.messageId;
    if (key == "QT") return &f.queueTime;
    if (key == "DT") return &f.deliveryTime;
    return nullptr;
}

// s starts with '"': where the quote that closes it is (a backslash escapes the character after
// it), or s.size(). memchr finds the candidates; an odd run of backslashes before one escapes it.
std::size_t closingQuote(Text s)
{
    std::size_t from = 1;
    while (from < s.size()) {
        const void *hit = std::memchr(s.data() + from, '"', s.size() - from);
        if (!hit)
            return s.size();
        const auto at = static_cast<std::size_t>(static_cast<const char *>(hit) - s.data());
        std::size_t backslashes = 0;
        while (at - backslashes > 1 && s[at - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return at;
        from = at + 1;
    }
    return s.size();
}

// A bare value runs to the next ": ", or to a space followed by "KEY=", ": ", "defer (" or "for ".
// Only spaces can end it, so memchr jumps from one to the next: ": " ends it at its colon.
std::size_t bareValueEnd(Text s)
{
    std::size_t from = 0;
    while (from < s.size()) {
        const void *hit = std::memchr(s.data() + from, ' ', s.size() - from);
        if (!hit)
            return s.size();
        const auto at = static_cast<std::size_t>(static_cast<const char *>(hit) - s.data());
        if (at > 0 && s[at - 1] == ':')
            return at - 1;
        const Text after = s.substr(at + 1);
        if (keyLength(after) || after.starts_with(": ") || after.starts_with("defer (") || after.starts_with("for "))
            return at;
        from = at + 1;
    }
    return s.size();
}

// Reads "KEY=value" fields separated by spaces. A value in double quotes (C="250 OK", T="a b")
// runs to its closing quote; a bare one to the next " KEY=", ": ", " : ", " defer (" or " for ".
// H= values hold spaces ("mx.lab.test [192.0.2.1]:25"), so values are not cut at a space.
Fields readFields(Text s)
{
    Fields f;
    while (true) {
        while (consume(s, " ")) {}
        const std::size_t k = keyLength(s);
        if (k == 0)
            break;
        const Text key = s.substr(0, k);
        s.remove_prefix(k + 1);
        Text value;
        if (!s.empty() && s[0] == '"') {
            const std::size_t end = closingQuote(s);
            value = s.substr(1, end - 1);
            s.remove_prefix(std::min(end + 1, s.size()));
        } else {
            const std::size_t end = bareValueEnd(s);
            value = s.substr(0, end);
            s.remove_prefix(end);
        }
        if (Text *slot = fieldFor(f, key))
            *slot = value;
    }
    f.tail = s;
    return f;
}

// "name (helo) [ip]:port", "name [ip]" -> name and ip; "(helo) [ip]", "[ip]" -> no name and ip. The
// name is the host's, as Exim looked it up; what is in parentheses is only what the client said
// in its HELO (anything: "(ylmf-pc)", "([127.0.0.1])"), not a host's name, and is left out.
void readHost(Text h, Text &name, Text &ip)
{
    const std::size_t open = h.rfind('[');
    const std::size_t close = open == npos ? npos : h.find(']', open);
    if (close == npos) {
        name = h;
        return;
    }
    ip = h.substr(open + 1, close - open - 1);
    Text before = h.substr(0, open);
    while (before.ends_with(' '))
        before.remove_suffix(1);
    if (const std::size_t paren = before.find(" ("); paren != npos)
        before = before.substr(0, paren);
    if (before.starts_with('('))
        before = {};
    name = before;
}

// "H=mx.lab.test [192.0.2.1]:25 K": the peer as written, without the helo ("name (helo) [ip]")
// and without the flags that follow it (K for CHUNKING, ...).
Text relayOf(Text h)
{
    const std::size_t open = h.rfind('[');
    std::size_t end = open == npos ? npos : h.find(']', open);
    if (end != npos) {
        ++end;
        if (end < h.size() && h[end] == ':')
            while (++end < h.size() && isDigit(h[end])) {}
        h = h.substr(0, end);
    }
    if (const std::size_t paren = h.find(" ("); paren != npos && h.find(')', paren) != npos && open != npos)
        return h.substr(0, paren);  // "name (helo) [ip]": the name is enough to tell the peer
    return h;
}

// An SMTP reply inside an error text: "...: 550 5.1.1 <x>: unknown user" -> code, dsn, text from
// the code on.
void readReply(Text text, Event &ev)
{
    ev.replyText = text;
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (at != 0 && text[at - 1] != ' ')
            continue;
        const int code = leadingReplyCode(text.substr(at));
        if (code == 0)
            continue;
        ev.replyCode = code;
        const Text rest = text.substr(at + 4 > text.size() ? text.size() : at + 4);
        if (const std::size_t n = enhancedStatusLength(rest); n)
            ev.dsn = rest.substr(0, n);
        ev.replyText = text.substr(at);
        return;
    }
}

// "addr [(parent)...] [<envelope>]" at the start of s; advances s past them. The address in angle
// brackets is the envelope recipient, the one the delivery is of; the address before it is where
// routing took it: an alias or redirect ("=> alice <info@lab.test>", "=> /dev/null (faq@x) <faq@x>"),
// or, for a local delivery, only the local part of the envelope recipient ("=> bob <bob@lab.test>").
void readAddresses(Text &s, Event &ev)
{
    std::size_t end = s.find(' ');
    if (s.starts_with('|') && end != npos) {
        // A pipe's command holds spaces ("|/bin/sh -c \"cat >x\" <pipe@test.ex> R=..."): it runs
        // to the parent and envelope that end where the fields begin.
        std::size_t fields = s.size();
        for (std::size_t at = end; at != npos; at = s.find(' ', at + 1)) {
            if (keyLength(s.substr(at + 1))) {
                fields = at;
                break;
            }
        }
        end = fields;
        if (const Text head = s.substr(0, fields); head.ends_with('>') && head.rfind(" <") != npos)
            end = head.rfind(" <");
        if (const Text before = s.substr(0, end); before.ends_with(')') && before.rfind(" (") != npos)
            end = before.rfind(" (");
    }
    const Text address = s.substr(0, end);
    s.remove_prefix(end == npos ? s.size() : end);
    Text envelope;
    while (s.size() > 1 && s[0] == ' ' && (s[1] == '(' || s[1] == '<')) {
        const char close = s[1] == '(' ? ')' : '>';
        const std::size_t stop = s.find(close, 2);
        if (stop == npos)
            break;
        if (close == '>')
            envelope = s.substr(2, stop - 2);
        s.remove_prefix(stop + 1);
    }
    if (envelope.empty()) {
        ev.recipient = address;
        if (ev.recipient.ends_with(':'))
            ev.recipient.remove_suffix(1);  // "** b@known.ex: retry timeout exceeded"
        return;
    }
    ev.recipient = envelope;
    if (address == envelope || address == envelope.substr(0, envelope.rfind('@')))
        return;
    ev.expandedTo = address;
    // An alias or redirect to a mailbox is a delivery to it, of the envelope recipient: the row
    // names both, as Postfix's "to=<alice@lab.test>, orig_to=<info@lab.test>" does. A file or a
    // pipe is where the envelope recipient's mail went, as Postfix's "delivered to file: ...".
    // "=> unknown@known.domain <UNKNOWN@KNOWN.DOMAIN>" is the address itself, lower-cased.
    const bool sameAddress = std::equal(address.begin(), address.end(), envelope.begin(), envelope.end(),
                                        [](char a, char b) { return (a | 0x20) == (b | 0x20); });
    if (!sameAddress && !address.starts_with('/') && !address.starts_with('|') && !address.starts_with("save ")) {
        ev.recipient = address;
        ev.origRecipient = envelope;
    }
}

void readArrival(Text s, Event &ev)
{
    const std::size_t end = s.find(' ');
    Text sender = s.substr(0, end);
    s.remove_prefix(end == npos ? s.size() : end);
    ev.sender = unbracket(sender);
    ev.hasSender = true;
    const Fields f = readFields(s);
    ev.kind = f.host.empty() ? EventKind::Pickup : EventKind::Client;
    if (!f.host.empty())
        readHost(f.host, ev.clientHost, ev.clientIp);
    ev.size = wholeNumber<std::int64_t>(f.size, -1);
    ev.messageId = f.messageId;
    if (EximParser::isMessageId(f.router))
        ev.relatedQueueId = f.router;  // a bounce names the message it reports on with R=
    ev.detail = f.protocol;
    // "A=dovecot_plain:alice@lab.test": the authenticator, and the id it set (server_set_id), as
    // Postfix's sasl_method= and sasl_username=. Without a set id Exim logs the authenticator alone.
    const std::size_t colon = f.auth.find(':');
    ev.saslMethod = f.auth.substr(0, colon);
    if (colon != npos)
        ev.saslUsername = f.auth.substr(colon + 1);
    // "for a@b c@d" (+received_recipients): the envelope, as the client or the bounce gave it.
    Text tail = f.tail;
    while (consume(tail, " ")) {}
    if (consume(tail, "for "))
        ev.envelopeRecipients = tail;
}

// A deferral that tried no host, by its words: Exim's own retry and limit checks, whose errno
// numbers move between versions (-52 to -57 in the test suite, -59 to -64 since REQUIRETLS).
bool triedNothing(Text text)
{
    for (const Text words : {"retry time not reached",      // routing, or every host (-52, -54)
                             "Retry time not yet reached",  // a local delivery (-53)
                             "concurrency limit reached",   // the transport's max_parallel (-57)
                             "domain is in queue_domains",  // queued for a queue run (-56)
                             "first-pass only routing",     // -odqs, queue_smtp_domains, control=queue
                             "skips previous routing defer"}) {
        if (text.find(words) != npos)
            return true;
    }
    return false;
}

void readDelivery(Text flag, Text s, Event &ev)
{
    ev.kind = EventKind::Delivery;
    readAddresses(s, ev);
    const Fields f = readFields(s);
    ev.relay = !f.host.empty() ? relayOf(f.host) : f.transport;
    ev.relayIsTransport = f.host.empty() && !f.transport.empty();
    ev.delaySec = eximDuration(!f.queueTime.empty() ? f.queueTime : f.deliveryTime);
    Text tail = f.tail;
    while (consume(tail, " ")) {}
    if (flag == "==") {
        ev.status = DeliveryStatus::Deferred;
        // "defer (-44) H=mx [ip]: SMTP error ...": the errno, then fields of the host tried.
        consume(tail, "routing ");  // "== a@b routing defer (-52): retry time not reached"
        if (consume(tail, "defer (")) {
            const std::size_t close = tail.find(')');
            tail.remove_prefix(close == npos ? tail.size() : close + 1);
            const Fields more = readFields(tail);
            Text host = more.host;
            // "defer (110): Connection timed out H=mx [ip]: SMTP timeout after EHLO ...": the
            // host after the errno's text.
            if (const std::size_t h = more.tail.find(" H="); host.empty() && h != npos)
                host = readFields(more.tail.substr(h + 1)).host;
            if (!host.empty()) {
                ev.relay = relayOf(host);
                ev.relayIsTransport = false;
            }
            tail = more.tail;
        }
    } else if (flag == "**") {
        ev.status = DeliveryStatus::Bounced;
    } else {
        ev.status = DeliveryStatus::Sent;
        // A multi-line reply is logged with its line breaks written as \\n: its last line says it.
        Text confirmation = f.confirmation;
        if (const std::size_t br = confirmation.rfind("\\\\n"); br != npos)
            confirmation.remove_prefix(br + 3);
        readReply(confirmation, ev);
        // "*>" (delivery suppressed by -N) and ">>" (cutthrough, before the arrival line) are
        // kept as written, for the description of the line.
        if (flag != "=>" && flag != "->")
            ev.detail = flag;
        return;
    }
    while (consume(tail, " ") || consume(tail, ":")) {}
    // 4.98 with +deliver_time ends a failure with " DT=0.000s" after the text.
    if (const std::size_t dt = tail.rfind(" DT="); dt != npos && tail.find(' ', dt + 1) == npos) {
        if (ev.delaySec < 0)
            ev.delaySec = eximDuration(tail.substr(dt + 4));
        tail = tail.substr(0, dt);
    }
    readReply(tail, ev);
    if (flag == "==" && triedNothing(tail))
        ev.skippedTry = true;
    if (flag == "**" && (tail.starts_with("retry timeout exceeded") ||
                         (tail.starts_with("all hosts") && tail.find("failing for a long time") != npos))) {
        // Exim gives up on the retry data: the try that failed, if any, was logged with "==".
        ev.status = DeliveryStatus::Expired;
        ev.skippedTry = true;
    }
}

// "H=name (helo) [ip]:port U=x F=<sender> rejected RCPT <rcpt>: reason" and its relatives.
// The client (H=) and the sender (F=<...>) an ACL's line names, when it names them.
void readClientAndSender(const Fields &f, Event &ev)
{
    if (!f.host.empty())
        readHost(f.host, ev.clientHost, ev.clientIp);
    if (!f.sender.empty()) {
        ev.sender = f.sender;
        while (ev.sender.ends_with(' '))
            ev.sender.remove_suffix(1);
        ev.sender = unbracket(ev.sender);
        ev.hasSender = true;
    }
}

bool readRejection(Text s, Event &ev)
{
    const std::size_t at = s.find("rejected ");
    if (at == npos)
        return false;
    // Only fields may come before the word: "SMTP error ...: 550 rejected" is not Exim refusing.
    Text before = s.substr(0, at);
    if (before.ends_with("temporarily "))
        before.remove_suffix(12);
    const Fields f = readFields(before);
    if (!f.tail.empty())
        return false;
    readClientAndSender(f, ev);
    Text what = s.substr(at + 9);
    if (consume(what, "from <")) {
        // "ID rejected from <sender> H=...: message too big: read=30650 max=20480"
        const std::size_t close = what.find('>');
        if (close == npos)
            return false;
        ev.sender = what.substr(0, close);
        ev.hasSender = true;
        const Fields more = readFields(what.substr(close + 1));
        if (!more.host.empty())
            readHost(more.host, ev.clientHost, ev.clientIp);
        what = more.tail;
        while (consume(what, ":") || consume(what, " ")) {}
    } else if (consume(what, "RCPT ")) {
        const std::size_t end = what.find(": ");
        ev.recipient = unbracket(what.substr(0, end));
        what.remove_prefix(end == npos ? what.size() : end + 2);
    } else if (const std::size_t colon = what.find(": "); colon != npos) {
        ev.detail = what.substr(0, colon);
        // "rejected EHLO from (helo) [ip]: syntactically invalid argument(s): ..." names its
        // client after "from", not in H= ("HELO from CALLER" is a local caller, no client).
        if (f.host.empty() && (what.starts_with("EHLO from ") || what.starts_with("HELO from ")) &&
            ev.detail.find('[') != npos)
            readHost(ev.detail.substr(10), ev.clientHost, ev.clientIp);
        what.remove_prefix(colon + 2);
    } else {
        ev.detail = what;
        what = {};
    }
    ev.kind = EventKind::Reject;
    ev.status = DeliveryStatus::Rejected;
    readReply(what, ev);
    if (ev.replyText.empty())
        ev.replyText = ev.detail;
    if (ev.replyCode == 0 && at >= 12 && s.substr(at - 12, 12) == "temporarily ")
        ev.replyCode = 451;
    return true;
}

// "plain authenticator failed for H=(helo) [ip] U=x: 535 Incorrect authentication data" (4.9x),
// "login authenticator failed for (helo) [ip]:port: 535 ..." (older).
bool readAuthFailure(Text s, Event &ev)
{
    const std::size_t at = s.find(" authenticator failed for ");
    if (at == npos)
        return false;
    Text peer = s.substr(at + 26);
    consume(peer, "H=");
    const std::size_t colon = peer.find(": ");
    // "for U=CALLER: 535 ...": a local caller's SMTP session (-bs), no client on the network.
    if (!peer.starts_with("U="))
        readHost(peer.substr(0, std::min({colon, peer.find(" U="), peer.find(" I=")})), ev.clientHost, ev.clientIp);
    ev.kind = EventKind::AuthFailure;
    ev.detail = s;
    if (colon != npos)
        readReply(peer.substr(colon + 2), ev);
    return true;
}

// A client that misbehaved and was dropped, or dropped the connection: no message, a warning
// about the client, with its address.
bool readClientWarning(Text s, Event &ev)
{
    bool warning = false;
    // "SMTP protocol error in \"DATA\" H=... valid RCPT command must precede DATA": a client
    // breaking the protocol, as a syntax error is; "VRFY failed for <a@b> H=...": one trying
    // addresses.
    for (const Text start : {"no MAIL in SMTP connection from ", "SMTP protocol synchronization error",
                             "SMTP command timeout on connection from ", "SMTP data timeout",
                             "unexpected disconnection while reading SMTP command from ", "SMTP syntax error in ",
                             "SMTP protocol error in ", "VRFY failed for "}) {
        warning = warning || s.starts_with(start);
    }
    if (!warning)
        return false;
    ev.kind = EventKind::ClientWarning;
    ev.detail = s;
    // "... from (helo) [ip]:port D=1s", "... rejected connection from H=[ip]:port I=...",
    // "... rejected \"RSET\" H=name [ip]:port ...": the peer runs to the next field.
    Text peer;
    if (const std::size_t h = s.find(" H="); h != npos)
        peer = s.substr(h + 3);
    else if (const std::size_t from = s.find(" from "); from != npos)
        peer = s.substr(from + 6);
    if (!peer.empty())
        readHost(peer.substr(0, bareValueEnd(peer)), ev.clientHost, ev.clientIp);
    return true;
}

// "SMTP connection from name (helo) [ip]:port I=[ip]:port closed by DROP in ACL": an ACL's "drop"
// verb refused the client and hung up. Exim may write the connection's id first, but no message
// was received: it is a rejected connection, as "rejected connection in \"connect\" ACL" is, with
// no sender and no recipient, counted among the client's rejects.
bool readDroppedConnection(Text s, Event &ev)
{
    Text peer = s;
    if (consume(peer, "SMTP call from ")) {
        // "SMTP call from host [ip]:port I=[ip]:25 dropped: too many nonmail commands (last was
        // \"RSET\")": our server hung up on a client for abuse (smtp_accept_max_nonmail), a
        // refusal of that client as a DROP in an ACL is, not housekeeping.
        // Only this form: "too many syntax or protocol errors" and "too many unrecognized
        // commands" are a client's errors, left as they were (housekeeping) for now.
        const std::size_t dropped = peer.find(" dropped: too many nonmail commands");
        if (dropped == npos)
            return false;
        ev.detail = peer.substr(dropped + 1);  // "dropped: too many nonmail commands (last was ...)"
        ev.replyText = peer.substr(dropped + 10);
        peer = peer.substr(0, dropped);
        peer = peer.substr(0, std::min({peer.find(" I="), peer.find(" U="), peer.size()}));
        if (peer.find('[') != npos)  // "SMTP call from CALLER": a local caller, no client
            readHost(peer, ev.clientHost, ev.clientIp);
        ev.kind = EventKind::Reject;
        ev.status = DeliveryStatus::Rejected;
        return true;
    }
    if (!consume(peer, "SMTP connection from "))
        return false;
    const std::size_t closed = peer.find(" closed by DROP in ACL");
    if (closed == npos)
        return false;
    ev.detail = peer.substr(closed + 1);  // "closed by DROP in ACL": a view into the line, as every field
    ev.replyText = ev.detail;
    peer = peer.substr(0, closed);
    readHost(peer.substr(0, std::min(peer.find(" I="), peer.size())), ev.clientHost, ev.clientIp);
    ev.kind = EventKind::Reject;
    ev.status = DeliveryStatus::Rejected;
    return true;
}

// "H=[ip]:port dropped by 'connect' ACL: Country is banned": an ACL's "drop" verb with a message
// refused the client and hung up. Only fields come before the words; no message was received, so
// it is a rejected connection of the client, as "closed by DROP in ACL" is, the message its reason.
bool readAclDrop(Text s, Event &ev)
{
    const std::size_t at = s.find("dropped by '");
    if (at == npos)
        return false;
    const Fields f = readFields(s.substr(0, at));
    const std::size_t acl = s.find("' ACL", at + 12);
    if (!f.tail.empty() || acl == npos)
        return false;
    if (!f.host.empty())
        readHost(f.host, ev.clientHost, ev.clientIp);
    ev.detail = s.substr(at, acl + 5 - at);  // "dropped by 'connect' ACL"
    Text why = s.substr(acl + 5);
    while (consume(why, ":") || consume(why, " ")) {}
    readReply(why, ev);
    if (ev.replyText.empty())
        ev.replyText = ev.detail;
    ev.kind = EventKind::Reject;
    ev.status = DeliveryStatus::Rejected;
    return true;
}

// "DKIM: d=lab.test s=mail c=relaxed/relaxed a=rsa-sha256 b=2048 [verification succeeded]":
// Exim's result for one signature of a message it receives, in the words opendkim's lines give
// (companionparser): pass, fail, permerror for a signature or key it could not use. Empty for
// any other line.
Text dkimVerdict(Text s)
{
    if (!s.starts_with("DKIM: ") || !s.ends_with(']'))
        return {};
    const std::size_t open = s.rfind(" [");
    if (open == npos)
        return {};
    const Text result = s.substr(open + 2);
    if (result.starts_with("verification succeeded"))
        return "DKIM pass";
    if (result.starts_with("verification failed") || result.starts_with("fail"))
        return "DKIM fail";
    if (result.starts_with("invalid") || result.starts_with("failed key import"))
        return "DKIM permerror";
    return {};
}

bool isHousekeeping(Text s)
{
    // "ATRN 'example.org' received from (helo) [ip]": a client asking for its domain's mail.
    for (const Text start : {"Start queue run", "End queue run", "exim ", "SMTP connection from", "SMTP call from",
                             "TLS error", "no host name found", "no IP address found", "Connection from", "daemon",
                             "sender verify fail", "sender verify defer", "Warning: ", "ATRN "}) {
        if (s.starts_with(start))
            return true;
    }
    // "H=(helo) [ip] U=x sender verify fail for <a@b>: reason": why the "rejected RCPT ...: Sender
    // verify failed" on the next line refuses; that line is the refusal, counted once.
    for (const Text words : {" sender verify fail for ", " sender verify defer for "}) {
        if (const std::size_t at = s.find(words); at != npos)
            return readFields(s.substr(0, at)).tail.empty();
    }
    return false;
}

// "H=name (helo) [ip] F=<sender> RCPT <rcpt>: discarded by RCPT ACL: text" (and by MAIL ACL):
// the client was told the recipient was accepted, and the ACL's "discard" verb threw it away, as
// Postfix's "discard:" action does. No message is named yet: a discarded row of its own.
bool readDiscard(Text s, Event &ev)
{
    const std::size_t at = s.find(": discarded by ");
    if (at == npos)
        return false;
    // F= runs to the next ": ": the fields end before "RCPT <".
    const std::size_t rcpt = s.substr(0, at).rfind("RCPT <");
    if (rcpt == npos)
        return false;
    const Fields f = readFields(s.substr(0, rcpt));
    if (!f.tail.empty())
        return false;
    readClientAndSender(f, ev);
    ev.recipient = unbracket(s.substr(rcpt + 5, at - rcpt - 5));
    Text what = s.substr(at + 2);  // "discarded by RCPT ACL: text"
    const std::size_t colon = what.find(": ");
    ev.detail = what.substr(0, colon);
    ev.replyText = colon == npos ? ev.detail : what.substr(colon + 2);
    ev.kind = EventKind::Discard;
    ev.status = DeliveryStatus::Discarded;
    return true;
}

} // namespace

bool EximParser::isEximProgram(Text program)
{
    return program.starts_with("exim") &&
           (program.size() == 4 || isDigit(program[4]) || program[4] == '-' || program[4] == '.');
}

bool EximParser::isMessageId(Text t)
{
    // base-62 parts of 6, 6 and 2 characters, or 6, 11 and 4 since Exim 4.97.
    const auto part = [](Text p, std::size_t n) {
        if (p.size() != n)
            return false;
        for (const char c : p) {
            if (!isAlnum(c))
                return false;
        }
        return true;
    };
    if (t.size() == 16)
        return t[6] == '-' && t[13] == '-' && part(t.substr(0, 6), 6) && part(t.substr(7, 6), 6) && part(t.substr(14), 2);
    if (t.size() == 23)
        return t[6] == '-' && t[18] == '-' && part(t.substr(0, 6), 6) && part(t.substr(7, 11), 11) && part(t.substr(19), 4);
    return false;
}

bool EximParser::parse(const SyslogLine &line, Event &ev) const
{
    if (!isEximProgram(line.program))
        return false;
    const Event kept = ev;
    ev = Event{};
    ev.timeMs = kept.timeMs;
    ev.utcOffsetSec = kept.utcOffsetSec;
    ev.offset = kept.offset;
    ev.length = kept.length;
    ev.host = line.host;
    ev.program = line.program;
    ev.service = "exim";
    ev.pid = line.pid;

    Text s = line.body;
    // Through syslog, Exim may write its own timestamp (and pid) first, unless syslog_timestamp
    // is off.
    if (SyslogLine inner; parseEximLogLine(s, inner))
        s = inner.body;
    // Through syslog, a long line is cut into parts "[1\3] ...", "[2\3] ...": the first part holds
    // what is read here, the others are continuations.
    bool cut = false;  // a first part: its text ends where syslog cut it, maybe inside an address
    if (s.size() > 5 && s[0] == '[' && isDigit(s[1])) {
        const std::size_t close = s.find("] ");
        const Text marker = close == npos ? Text{} : s.substr(1, close - 1);
        if (close < 10 && marker.find_first_of("\\/") != npos) {
            const bool first = marker.starts_with("1\\") || marker.starts_with("1/");
            cut = marker != "1\\1" && marker != "1/1";
            s.remove_prefix(close + 2);
            if (!first) {
                ev.kind = EventKind::Info;
                ev.detail = s;
                return true;
            }
        }
    }
    // log_selector +pid writes "[pid] " through syslog too, after syslog's own "exim[pid]: ".
    if (s.size() > 3 && s[0] == '[' && isDigit(s[1])) {
        std::size_t i = 1;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        if (s.substr(i, 2) == "] ")
            s.remove_prefix(i + 2);
    }
    const std::size_t space = s.find(' ');
    const Text first = s.substr(0, space);
    if (isMessageId(first) && space != npos) {
        ev.queueId = first;
        Text rest = s.substr(space + 1);
        const Text flag = rest.substr(0, 3);
        if (flag == "<= ") {
            readArrival(rest.substr(3), ev);
            ev.facts = fact::StartsMessage;
            if (cut)
                ev.envelopeRecipients = {};
        } else if (flag == "=> " || flag == "-> " || flag == ">> " || flag == "*> " || flag == "== " || flag == "** ") {
            readDelivery(flag.substr(0, 2), rest.substr(3), ev);
        } else if (rest == "Completed" || rest.starts_with("Completed ")) {
            ev.kind = EventKind::Removed;
            ev.facts = fact::EndsMessage;
        } else if (readDroppedConnection(rest, ev)) {
            // The id names the connection, never a message: no row of its own.
            ev.queueId = {};
        } else if (readRejection(rest, ev)) {
            // Refused at or after DATA: Exim had named the message but never queued it; the id
            // is what its rejectlog headers, and a search, know it by.
            ev.facts = fact::EndsMessage;
        } else if (rest.starts_with("Frozen") || rest == "Message is frozen") {
            // Stays in the queue untried until an administrator thaws or removes it.
            ev.kind = EventKind::Hold;
            ev.detail = rest;
        } else if (rest.starts_with("unfrozen")) {
            ev.kind = EventKind::Release;
            ev.detail = rest;
        } else if (rest.starts_with("removed by ")) {
            // "exim -Mrm": an administrator deleted it from the queue, as postsuper -d does;
            // "Completed" follows.
            ev.kind = EventKind::Deleted;
            ev.detail = rest;
        } else {
            ev.kind = EventKind::Info;
            ev.detail = rest;
            // Its DKIM result, a verdict as opendkim's; the line stays Info, as it comes before
            // the "<=" that starts the message, which only such lines join.
            ev.verdict = dkimVerdict(rest);
            // "ID H=mx.remote.test [192.0.2.1] Connection refused": a host a delivery of the message
            // could not reach, or that failed it, on a line of its own; the "==" after it may name
            // only the transport. A client's line names its HELO in parentheses: not a host tried.
            if (rest.starts_with("H=")) {
                const Text host = readFields(rest).host;
                if (!host.empty() && host.find('(') == npos && host.find('[') != npos)
                    ev.relay = relayOf(host);
            }
        }
        return true;
    }
    if (readAuthFailure(s, ev) || readClientWarning(s, ev) || readDroppedConnection(s, ev) || readAclDrop(s, ev) ||
        readRejection(s, ev) || readDiscard(s, ev))
        return true;
    if (isHousekeeping(s)) {
        ev.kind = EventKind::Info;
        ev.detail = s;
    } else {
        ev.detail = s;
    }
    return true;
}

namespace {
// "P Received: ...", "  Date: ...", "I Message-Id: ...": the flag Exim's spool gives a header (a
// letter, '*' for a removed one, or a space), a space, the header's name and a colon.
bool isFlaggedHeader(Text line)
{
    if (line.size() < 4 || line[1] != ' ' || !(isAlpha(line[0]) || line[0] == ' ' || line[0] == '*'))
        return false;
    std::size_t n = 2;
    while (n < line.size() && line[n] == ' ')
        ++n;
    const std::size_t name = n;
    while (n < line.size() && (isAlnum(line[n]) || line[n] == '-' || line[n] == '_'))
        ++n;
    return n > name && n < line.size() && line[n] == ':';
}
} // namespace

bool EximParser::parseContinuation(Text line, Event &ev) const
{
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    const bool folded = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    const bool envelope = line.starts_with("Envelope-from: ") || line.starts_with("Envelope-to: ");
    if (!folded && !envelope && !isFlaggedHeader(line))
        return false;
    const Event kept = ev;
    ev = Event{};
    ev.timeMs = kept.timeMs;
    ev.utcOffsetSec = kept.utcOffsetSec;
    ev.offset = kept.offset;
    ev.length = kept.length;
    ev.program = "exim";
    ev.service = "exim";
    ev.kind = EventKind::Info;
    ev.facts = fact::ContinuesPrevious;
    ev.detail = line;
    Text value = line;
    if (consume(value, "Envelope-from: ")) {
        ev.sender = unbracket(value);
        ev.hasSender = true;
    } else if (consume(value, "Envelope-to: ")) {
        // "<a@b>, <c@d>": the first, and the others as further recipients of the same line.
        if (nextRecipient(value, ev.recipient))
            ev.moreRecipients = value;
    } else if (consume(value, "I Message-Id: ") || consume(value, "I Message-ID: ")) {
        ev.messageId = unbracket(value);
    }
    return true;
}

} // namespace mailtrail
