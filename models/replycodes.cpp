// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replycodes.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

struct Entry {
    const char *code;
    const char *meaning;
    const char *advice;
};

// RFC 5321 section 4.2 and the codes servers use in practice.
constexpr Entry ReplyCodes[] = {
    {"211", "System status or help reply.", ""},
    {"214", "Help message.", ""},
    {"220", "The server is ready.", ""},
    {"221", "The server is closing the connection.", ""},
    {"235", "Authentication succeeded.", ""},
    {"250", "Requested action completed: accepted.", ""},
    {"251", "User not local; the server will forward the message.", ""},
    {"252", "Cannot verify the user, but will accept the message and try to deliver it.", ""},
    {"334", "Authentication challenge: the server waits for the next step.", ""},
    {"354", "Start the message body; end it with a single dot.", ""},
    {"421", "Service not available: the server is closing the connection (overload, shutdown or rate limit).",
     "Temporary: the message stays queued and is retried. If it persists, check the receiving server's limits."},
    {"450", "Mailbox unavailable right now (busy, greylisted or temporarily blocked).",
     "Temporary: retried automatically. Greylisting clears after a few minutes."},
    {"451", "Local error in processing at the receiving server.",
     "Temporary: retried automatically. If it persists, contact the receiving domain's postmaster."},
    {"452", "Insufficient system storage at the receiving server, or too many recipients.",
     "Temporary: retried automatically. Send fewer recipients per message if it keeps happening."},
    {"454", "Temporary authentication or TLS failure.", "Check TLS and authentication settings on both sides."},
    {"500", "Syntax error: command not recognised.", "Usually a client or protocol bug; check the software talking to the server."},
    {"501", "Syntax error in parameters or arguments (often a malformed address).", "Check the address syntax."},
    {"502", "Command not implemented.", ""},
    {"503", "Bad sequence of commands (e.g. authentication required first).", "Check that the client authenticates before sending."},
    {"504", "Command parameter not implemented.", ""},
    {"521", "The server does not accept mail.", "The domain does not receive mail; remove the address."},
    {"530", "Authentication required.", "Configure the client to authenticate (SMTP AUTH)."},
    {"535", "Authentication credentials invalid.", "Wrong user name or password; repeated failures may be an attack."},
    {"550", "Mailbox unavailable: not found, no access, or refused by policy.",
     "Permanent: check the address; if it is a policy block, read the reply text for the reason."},
    {"551", "User not local; the server does not forward.", "Use the address the reply suggests."},
    {"552", "Exceeded storage allocation (mailbox full or message too big).", "Send a smaller message or ask the recipient to make room."},
    {"553", "Mailbox name not allowed (invalid address).", "Check the address for typos."},
    {"554", "Transaction failed (often a spam or blocklist rejection).",
     "Permanent: read the reply text; check blocklists (e.g. Spamhaus) for the sending IP."},
    {"555", "MAIL FROM or RCPT TO parameters not recognised.", ""},
    {"556", "The domain does not accept mail.", "The domain has a null MX; remove the address."},
};

// RFC 3463 (and RFC 7372, 7505) subject.detail, shared by classes 2, 4 and 5.
constexpr Entry Enhanced[] = {
    {"0.0", "Other or undefined status.", ""},
    {"1.0", "Other address status.", ""},
    {"1.1", "The mailbox does not exist.", "Check the address for typos; remove it from lists if it keeps bouncing."},
    {"1.2", "The destination domain does not exist or does not accept mail.", "Check the domain name; it may have a typo or have expired."},
    {"1.3", "The destination address syntax is invalid.", "Check the address."},
    {"1.6", "The mailbox has moved and no forwarding address is known.", "Ask the recipient for the new address."},
    {"1.7", "The sender address syntax is invalid.", "Check the sender address."},
    {"1.8", "The sender's domain is invalid or does not resolve.", "Check the sender domain's DNS."},
    {"1.10", "The recipient domain has a null MX: it accepts no mail.", "Remove the address."},
    {"2.0", "Other mailbox status.", ""},
    {"2.1", "The mailbox is disabled and not accepting messages.", "Contact the recipient another way."},
    {"2.2", "The mailbox is full.", "Temporary (4.2.2): retried automatically. Permanent (5.2.2): ask the recipient to make room."},
    {"2.3", "The message is larger than the recipient accepts.", "Send a smaller message or a link instead of the attachment."},
    {"2.4", "Mailing list expansion problem.", ""},
    {"3.0", "Other mail system status.", ""},
    {"3.1", "The receiving mail system is full.", "Temporary: retried automatically."},
    {"3.2", "The system is not accepting network messages.", ""},
    {"3.4", "The message is too big for the system.", "Send a smaller message."},
    {"3.5", "The system is incorrectly configured.", "Contact the receiving domain's postmaster."},
    {"4.0", "Other network or routing status.", ""},
    {"4.1", "No answer from the host.", "Temporary: the server did not respond; retried automatically."},
    {"4.2", "Bad connection.", "Temporary: the connection broke; retried automatically."},
    {"4.3", "Directory server failure (DNS lookup failed).", "Check DNS resolution on this server."},
    {"4.4", "Unable to route (no MX or address for the domain).", "Check the domain's MX records."},
    {"4.6", "Routing loop detected.", "Check the mail routing (transport, relayhost, MX) configuration."},
    {"4.7", "Delivery time expired.", "The message stayed in the queue too long and was returned to the sender."},
    {"5.0", "Other protocol status.", ""},
    {"5.1", "Invalid command.", ""},
    {"5.2", "Syntax error.", ""},
    {"5.3", "Too many recipients.", "Send the message to fewer recipients at a time."},
    {"5.4", "Invalid command arguments.", ""},
    {"6.0", "Other media error.", ""},
    {"7.0", "Other security or policy status (often spam filtering).", "Read the reply text; the receiving server refused by policy."},
    {"7.1", "Delivery not authorised, message refused (policy, blocklist, relay denied).",
     "Check blocklists for the sending IP, and SPF, DKIM and DMARC for the sender's domain."},
    {"7.8", "Authentication credentials invalid.", "Check the user name and password; repeated failures may be an attack."},
    {"7.9", "Authentication mechanism too weak.", ""},
    {"7.23", "SPF validation failed.", "Fix the sender domain's SPF record to include this server."},
    {"7.25", "Reverse DNS validation failed.", "Give the sending IP a PTR record that matches its host name."},
    {"7.26", "Multiple authentication checks failed (SPF, DKIM, DMARC).", "Check SPF, DKIM and DMARC for the sender's domain."},
    {"7.27", "The sender address has a null MX.", ""},
};

CodeExplanation fromEntry(const Entry &e)
{
    return {QString::fromUtf8(e.meaning), QString::fromUtf8(e.advice)};
}

} // namespace

CodeExplanation explainReplyCode(int code)
{
    const QByteArray key = QByteArray::number(code);
    for (const Entry &e : ReplyCodes) {
        if (key == e.code)
            return fromEntry(e);
    }
    if (code >= 200 && code < 300)
        return {u"Success."_s, {}};
    if (code >= 400 && code < 500)
        return {u"Temporary failure: the sending server keeps the message and tries again."_s, {}};
    if (code >= 500 && code < 600)
        return {u"Permanent failure: the message will not be delivered to this recipient."_s, {}};
    return {};
}

CodeExplanation explainEnhancedCode(const QString &dsn)
{
    const QStringList parts = dsn.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray key = (parts.at(1) + u'.' + parts.at(2)).toLatin1();
    CodeExplanation out;
    for (const Entry &e : Enhanced) {
        if (key == e.code) {
            out = fromEntry(e);
            break;
        }
    }
    if (out.isEmpty())
        return out;
    const QString cls = parts.at(0);
    const QString prefix = cls == u"2"_s ? u"Success. "_s
        : cls == u"4"_s                  ? u"Temporary: "_s
        : cls == u"5"_s                  ? u"Permanent: "_s
                                         : QString();
    out.meaning.prepend(prefix);
    return out;
}

QString explainCodes(int code, const QString &dsn, Outcome outcome)
{
    QStringList lines;
    const CodeExplanation enhanced = explainEnhancedCode(dsn);
    const CodeExplanation basic = code ? explainReplyCode(code) : CodeExplanation{};
    if (!enhanced.isEmpty())
        lines << dsn + u": "_s + enhanced.meaning;
    if (!basic.isEmpty())
        lines << QString::number(code) + u": "_s + basic.meaning;
    const bool temporary = code ? code / 100 == 4 : dsn.startsWith(u'4');
    const QString advice = outcome == Outcome::GaveUp
        ? u"Postfix stopped retrying when the message reached its queue lifetime and returned it to the "
          u"sender. Find out why the receiving side kept failing (the reply above), then have it sent again."_s
        : outcome == Outcome::Refused && temporary
        ? u"Our server refused the client for now, by a limit or check of its own (the reply above); "
          u"the client may try again later. If it is a legitimate sender, review the limit that refused it."_s
        : outcome == Outcome::Refused
        ? u"Our server refused it by its own policy (the reply above), and the client was told. If the "
          u"sender is legitimate, review the check that refused it."_s
        : !enhanced.advice.isEmpty() ? enhanced.advice : basic.advice;
    if (!advice.isEmpty())
        lines << u"What to do: "_s + advice;
    return lines.join(u'\n');
}

} // namespace mailtrail
