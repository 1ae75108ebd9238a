// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/sendmail/sendmailparser.h"

#include "ingest/syslogline.h"
#include "ingest/textscan.h"

#include <algorithm>
#include <cstring>

namespace mailtrail {
namespace {

using namespace textscan;

} // namespace

// YMDhmsNNPPPPP: the pid part may be longer on systems with large pids.
bool SendmailParser::isQueueId(Text t)
{
    if (t.size() < 14 || t.size() > 20)
        return false;
    for (const char c : t) {
        if (!isAlnum(c))
            return false;
    }
    return true;
}

namespace {

// Where ", " or ": " (`first` then a space) begins in `s`, from `from` on. memchr finds `first`:
// string_view::find of two characters compares byte by byte, which made most of the parser's time.
std::size_t findSeparator(Text s, char first, std::size_t from = 0)
{
    while (from + 1 < s.size()) {
        const void *hit = std::memchr(s.data() + from, first, s.size() - from - 1);
        if (!hit)
            return npos;
        const auto at = static_cast<std::size_t>(static_cast<const char *>(hit) - s.data());
        if (s[at + 1] == ' ')
            return at;
        from = at + 1;
    }
    return npos;
}

// "00:00:01", "1+00:00:15" -> seconds; -1 otherwise.
double sendmailDelay(Text t)
{
    double days = 0;
    if (const std::size_t plus = t.find('+'); plus != npos) {
        days = wholeNumber(t.substr(0, plus), -1.0);
        t.remove_prefix(plus + 1);
    }
    if (days < 0 || t.size() != 8 || t[2] != ':' || t[5] != ':')
        return -1;
    const int h = wholeNumber(t.substr(0, 2), -1), m = wholeNumber(t.substr(3, 2), -1), s = wholeNumber(t.substr(6, 2), -1);
    if (h < 0 || m < 0 || s < 0)
        return -1;
    return days * 86400 + h * 3600 + m * 60 + s;
}

// "host. [192.0.2.1]", "[192.0.2.1]" (no name), "host [ip] (may be forged)", "localhost", and
// "root@localhost" or "user@host [ip]": the user the message came from (a local submitter, or one
// ident named) at the host, which is the host.
void readRelay(Text relay, Text &host, Text &ip)
{
    const std::size_t open = relay.find('[');
    const std::size_t close = open == npos ? npos : relay.find(']', open);
    host = relay.substr(0, close == npos ? relay.size() : open);
    if (close != npos)
        ip = relay.substr(open + 1, close - open - 1);
    if (const std::size_t at = host.find('@'); at != npos)
        host.remove_prefix(at + 1);
    while (host.ends_with(' ') || host.ends_with('.'))
        host.remove_suffix(1);
}

// A delivery's relay= as "host [ip]", the address once: Sendmail writes a peer whose name it did
// not look up as its address twice ("[192.0.2.1] [192.0.2.1]"), which is "[192.0.2.1]".
Text relayOnce(Text relay)
{
    const std::size_t gap = relay.find("] [");
    if (relay.starts_with('[') && gap != npos && relay.substr(gap + 2) == relay.substr(0, gap + 1))
        return relay.substr(0, gap + 1);
    return relay;
}

// The text from the SMTP code on: code, enhanced status and text. A code opens the text, a
// parenthesis or what follows a colon ("Deferred: 451 4.3.5 ...", "said: 550 ..."): a number
// further on is the remote's own ("Queued! 1108912239 qp 327 <...>": qmail's process, no code).
void readReply(Text text, Event &ev)
{
    ev.replyText = text;
    for (std::size_t at = 0; at < text.size(); ++at) {
        // 2-5 at such a place: most characters are neither.
        if (text[at] < '2' || text[at] > '5' ||
            (at != 0 && text[at - 1] != '(' && !(at >= 2 && text[at - 1] == ' ' && text[at - 2] == ':')))
            continue;
        const int code = leadingReplyCode(text.substr(at));
        if (code == 0)
            continue;
        ev.replyCode = code;
        const Text rest = text.substr(std::min(at + 4, text.size()));
        if (const std::size_t n = enhancedStatusLength(rest); n && ev.dsn.empty())
            ev.dsn = rest.substr(0, n);
        return;
    }
}

// Whether `t` starts with what may stand before '=' as a key, and '=': 1 to 16 characters, none
// a space, comma or angle bracket (a value's own '=' then does not end the field before it). One
// pass over at most 17 characters, not a search for '=' through the rest of the line.
bool startsWithKey(Text t)
{
    const std::size_t n = std::min<std::size_t>(t.size(), 17);
    for (std::size_t i = 0; i < n; ++i) {
        const char c = t[i];
        if (c == '=')
            return i > 0;
        if (c == ' ' || c == ',' || c == '<' || c == '>')
            return false;
    }
    return false;
}

// Sendmail writes "key=value, key=value": fields end at ", " followed by a key; stat= and
// reject= run to the end of the line, their text may hold ", ".
class Fields
{
public:
    explicit Fields(Text s)
        : m_s(s)
    {
    }
    bool next(Text &key, Text &value)
    {
        // The key: 1 to 16 letters, digits or '_', then '='.
        std::size_t eq = 0;
        while (eq < m_s.size() && eq <= 16 && (isAlnum(m_s[eq]) || m_s[eq] == '_'))
            ++eq;
        if (eq == 0 || eq > 16 || eq >= m_s.size() || m_s[eq] != '=')
            return false;
        key = m_s.substr(0, eq);
        Text rest = m_s.substr(eq + 1);
        std::size_t end = npos;
        if (key != "stat" && key != "reject") {
            for (std::size_t from = 0; (end = findSeparator(rest, ',', from)) != npos; from = end + 1) {
                if (startsWithKey(rest.substr(end + 2)))
                    break;
            }
        }
        value = rest.substr(0, end);
        m_s = end == npos ? Text{} : rest.substr(end + 2);
        return true;
    }

private:
    Text m_s;
};

void readFrom(Text s, Event &ev)
{
    Fields fields(s);
    Text key, value;
    Text relay;
    while (fields.next(key, value)) {
        if (key == "from") {
            ev.sender = unbracket(value);
            ev.hasSender = true;
        } else if (key == "size") {
            ev.size = wholeNumber<std::int64_t>(value, -1);
        } else if (key == "nrcpts") {
            ev.nrcpt = wholeNumber(value, -1);
        } else if (key == "msgid") {
            ev.messageId = unbracket(value);
        } else if (key == "relay") {
            relay = value;
        } else if (key == "proto") {
            ev.detail = value;
        }
    }
    readRelay(relay, ev.clientHost, ev.clientIp);
    ev.kind = ev.clientIp.empty() ? EventKind::Pickup : EventKind::Client;
    if (ev.nrcpt == 0) {
        // Every RCPT was refused (each refusal has its own line, before this one): nothing was
        // queued. The refusals' message ends here, and this line names its sender.
        ev.kind = EventKind::Reject;
        ev.status = DeliveryStatus::Rejected;
        ev.facts = fact::EndsMessage;
    }
}

void readStatus(Text stat, Event &ev)
{
    Text text = stat;
    if (consume(text, "Sent")) {
        ev.status = DeliveryStatus::Sent;
        while (consume(text, " ")) {}
        if (text.starts_with('(') && text.ends_with(')'))
            text = text.substr(1, text.size() - 2);
    } else if (consume(text, "Deferred")) {
        ev.status = DeliveryStatus::Deferred;
        while (consume(text, ":") || consume(text, " ")) {}
    } else if (stat == "queued") {
        // Put in the queue without a try (queue-only mode, a load too high): a queue run delivers it.
        ev.status = DeliveryStatus::Deferred;
        ev.skippedTry = true;
    } else {
        ev.status = DeliveryStatus::Bounced;
    }
    // The dsn= field decides when the words do not ("stat=queued" of a local mailer, ...).
    if (ev.dsn.starts_with('2'))
        ev.status = DeliveryStatus::Sent;
    else if (ev.dsn.starts_with('4'))
        ev.status = DeliveryStatus::Deferred;
    else if (ev.dsn.starts_with('5'))
        ev.status = DeliveryStatus::Bounced;
    readReply(text, ev);
    ev.replyText = text.empty() ? stat : text;
    // "Sent (j061bXn5000812 Message accepted for delivery)": a Sendmail (the MTA after the local
    // submission program, a relay of the same log set) queued it under that id, the next hop.
    if (ev.status == DeliveryStatus::Sent) {
        constexpr Text Accepted = " Message accepted for delivery";
        const std::size_t at = text.find(Accepted);
        if (at != npos && at > 0 && text.substr(0, at).find(' ') == npos)
            ev.hopQueueId = text.substr(0, at);
    }
}

void readTo(Text s, Event &ev)
{
    // "to=<a>,<b>, ctladdr=..." or "to=a,b, delay=": the list ends at the first ", ".
    consume(s, "to=");
    const std::size_t end = findSeparator(s, ',');
    const Text list = s.substr(0, end);
    const std::size_t comma = list.find(',');
    ev.recipient = unbracket(list.substr(0, comma));
    ev.moreRecipients = comma == npos ? Text{} : list.substr(comma + 1);
    ev.kind = EventKind::Delivery;
    Fields fields(end == npos ? Text{} : s.substr(end + 2));
    Text key, value, stat, mailer, reply;
    while (fields.next(key, value)) {
        if (key == "relay")
            ev.relay = relayOnce(value);
        else if (key == "reply")
            reply = value;
        else if (key == "dsn")
            ev.dsn = value;
        else if (key == "delay")
            ev.delaySec = sendmailDelay(value);
        else if (key == "mailer")
            mailer = value;
        else if (key == "stat")
            stat = value;
    }
    if (ev.relay.empty())
        ev.relay = mailer;
    readStatus(stat, ev);
    // "reply=550 5.1.1 User unknown, stat=User unknown": the code is in reply= only (8.17).
    if (ev.replyCode == 0)
        ev.replyCode = leadingReplyCode(reply);
}

// "ruleset=check_rcpt, arg1=<a@b>, relay=host [ip], reject=550 5.7.1 <a@b>... Relaying denied"
void readRuleset(Text s, Event &ev)
{
    Fields fields(s);
    Text key, value, ruleset, arg1, relay, reject;
    while (fields.next(key, value)) {
        if (key == "ruleset")
            ruleset = value;
        else if (key == "arg1")
            arg1 = value;
        else if (key == "relay")
            relay = value;
        else if (key == "reject")
            reject = value;
    }
    readRelay(relay, ev.clientHost, ev.clientIp);
    if (ruleset == "check_rcpt") {
        ev.recipient = unbracket(arg1);
    } else if (ruleset == "check_mail") {
        ev.sender = unbracket(arg1);
        ev.hasSender = true;
    }
    ev.kind = EventKind::Reject;
    ev.status = DeliveryStatus::Rejected;
    ev.detail = ruleset;
    readReply(reject, ev);
    ev.replyText = reject;
}

// Session incidents: the peer is "host [ip]" before the first ": " or after "from ".
bool readIncident(Text s, Event &ev)
{
    // An address probe (EXPN, VRFY) or a client talking before the greeting is the session's, not
    // a message's, though it carries the session's queue id: read as a message it stood in the
    // table as one "queued" for ever, and counted among those still in the queue.
    static constexpr Text markers[] = {"AUTH failure", "possible SMTP attack", "lost input channel from ",
                                       "timeout waiting for input from ", "did not issue MAIL/EXPN/VRFY/ETRN",
                                       "rejecting commands from ", "]: expn ", "]: vrfy ", "]: EXPN ", "]: VRFY "};
    std::size_t at = npos;
    Text marker;
    for (const Text m : markers) {
        if ((at = s.find(m)) != npos) {
            marker = m;
            break;
        }
    }
    if (at == npos)
        return false;
    Text peer;
    if (marker.ends_with("from ")) {
        peer = s.substr(at + marker.size());
        peer = peer.substr(0, std::min({peer.find(" to "), peer.find(" during "), peer.find(" due to ")}));
    } else if (marker.starts_with("did not")) {
        peer = s.substr(0, at);
    } else if (const std::size_t relay = s.find("relay="); relay != npos) {
        peer = s.substr(relay + 6);  // AUTH failure (LOGIN): ..., relay=host [ip]
        peer = peer.substr(0, peer.find(", "));
    } else {
        peer = s.substr(0, s.find(": "));
    }
    readRelay(peer, ev.clientHost, ev.clientIp);
    // Only an AUTH failure is an attempt at a password; a session that timed out, lost its channel
    // or never sent MAIL is a client misbehaving or gone, as Postfix's smtpd warnings are.
    if (marker == "AUTH failure" || (marker.starts_with("possible") && s.find("command=AUTH") != npos))
        ev.kind = EventKind::AuthFailure;
    else if (marker.starts_with("lost input") || marker.starts_with("timeout"))
        ev.kind = EventKind::LostConnection;
    else
        ev.kind = EventKind::ClientWarning;
    ev.queueId = {};
    ev.detail = s;
    return true;
}

// The daemon's own lines that concern no message: understood, so not counted as lines not
// understood (a user took the reverse-DNS failures logged for every connection for a parser
// failure). Each is a line sendmail 8 writes as it stands (daemon.c, main.c, conf.c).
bool isHousekeeping(Text s)
{
    static constexpr Text prefixes[] = {
        "starting daemon", "restarting ", "stopping daemon", "daemon invoked without full pathname",
        "rejecting connections on daemon", "accepting connections again", "gethostbyaddr(",
        "unable to qualify my own domain name", "My unqualified host name", "STARTTLS", "alias database",
        "ruleset=", "rejecting ", "grew WorkList", "File descriptors missing", "connect from", "AUTH=",
    };
    return std::any_of(std::begin(prefixes), std::end(prefixes), [s](Text p) { return s.starts_with(p); });
}

} // namespace

bool SendmailParser::isSendmailProgram(Text program)
{
    return program == "sendmail" || program.starts_with("sm-");
}

bool SendmailParser::parse(const SyslogLine &line, Event &ev) const
{
    if (!isSendmailProgram(line.program))
        return false;
    const Event kept = ev;
    ev = Event{};
    ev.timeMs = kept.timeMs;
    ev.utcOffsetSec = kept.utcOffsetSec;
    ev.offset = kept.offset;
    ev.length = kept.length;
    ev.host = line.host;
    ev.program = line.program;
    ev.service = line.program;
    ev.pid = line.pid;

    Text s = line.body;
    // A queue id (or NOQUEUE) and ": " lead the line, when there is one: only its first 21
    // characters need looking at, not the whole line.
    const std::size_t colon = findSeparator(s.substr(0, 23), ':');
    const Text first = s.substr(0, colon);
    if (colon != npos && (isQueueId(first) || first == "NOQUEUE")) {
        ev.queueId = first == "NOQUEUE" ? Text{} : first;
        s.remove_prefix(colon + 2);
    }
    // "QID: QID2: DSN: ..." / "QID: QID2: return to sender: ..." / "... sender notify: ...".
    if (const std::size_t c2 = findSeparator(s.substr(0, 23), ':');
        !ev.queueId.empty() && c2 != npos && isQueueId(s.substr(0, c2))) {
        ev.kind = EventKind::Notification;
        ev.relatedQueueId = s.substr(0, c2);
        ev.detail = s.substr(c2 + 2);
        // Returned for its age (Timeout.queuereturn), not a warning of a delay ("Warning: could
        // not send message for past 4 hours"): the recipients still waiting have expired.
        if (ev.detail.find(": Cannot send message for ") != npos)
            ev.status = DeliveryStatus::Expired;
        return true;
    }
    if (s.starts_with("from=")) {
        readFrom(s, ev);
        if (!ev.queueId.empty() && ev.kind != EventKind::Reject)
            ev.facts = fact::StartsMessage;
    } else if (s.starts_with("to=")) {
        readTo(s, ev);
    } else if (s.starts_with("ruleset=")) {
        readRuleset(s, ev);
        // A RCPT refused keeps the id of the envelope it was refused from: a row of that message,
        // whose from= line (nrcpts counts the accepted recipients only) names the sender. The
        // other checks refuse a connection or a sender: no message follows under the id.
        if (ev.detail != "check_rcpt")
            ev.queueId = {};
    } else if (readIncident(s, ev)) {
    } else if (const std::size_t dots = s.find(">... "); s.starts_with('<') && dots != npos) {
        // "<nobody@example.edu>... User unknown": a RCPT refused in the SMTP dialogue, as above.
        ev.kind = EventKind::Reject;
        ev.status = DeliveryStatus::Rejected;
        ev.recipient = s.substr(1, dots - 1);
        ev.replyText = s.substr(dots + 5);
        ev.replyCode = 550;
    } else {
        ev.kind = EventKind::Info;
        ev.detail = s;
        // "host [ip]: ETRN name": a session asked for a queue run; no message of its own.
        if (const std::size_t etrn = s.find("]: ETRN "); etrn != npos && etrn < s.find(": "))
            ev.queueId = {};
        else if (ev.queueId.empty() && !isHousekeeping(s))
            ev.kind = EventKind::Unknown;
    }
    return true;
}

} // namespace mailtrail
