// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/postfix/companionparser.h"

#include "ingest/postfix/postfixparser.h"
#include "ingest/syslogline.h"
#include "ingest/textscan.h"

#include <algorithm>
#include <array>

namespace mailtrail {
namespace {

using namespace textscan;

// "QID: " at the start of s.
bool takeQueueId(Text &s, Text &queueId)
{
    const std::size_t colon = s.substr(0, 34).find(": ");
    if (colon == npos || !PostfixParser::isQueueId(s.substr(0, colon)))
        return false;
    queueId = s.substr(0, colon);
    s.remove_prefix(colon + 2);
    return true;
}

// The value after `key` in s up to the first of `stops` (or the end).
Text valueAfter(Text s, Text key, Text stops)
{
    const std::size_t pos = s.find(key);
    if (pos == npos)
        return {};
    const Text rest = s.substr(pos + key.size());
    return rest.substr(0, std::min(findOf(rest, stops), rest.size()));
}

Text unbracket(Text t)
{
    if (t.size() >= 2 && t.front() == '<' && t.back() == '>')
        return t.substr(1, t.size() - 2);
    return t;
}

// opendkim: "QID: DKIM-Signature field added (s=mail, d=lab.test)", "QID: DKIM verification
// successful", "QID: bad signature data", "QID: no signature data", "QID: key retrieval failed
// (s=mail, d=remote.test)", "QID: s=mail d=remote.test SSL error:...", and with LogResults
// "QID: signature=X domain=d selector=s result=\"no signature error\"" (a good signature) or
// another result. Others ("no signing table match", "not internal") join the message's story
// with no verdict.
Text dkimVerdict(Text s)
{
    if (s.starts_with("DKIM-Signature field added"))
        return "DKIM signed";
    if (s.starts_with("DKIM verification successful"))
        return "DKIM pass";
    if (s.starts_with("signature=")) {
        const std::size_t result = s.find(" result=\"");
        if (result == npos)
            return {};
        return s.substr(result + 9).starts_with("no signature error") ? Text("DKIM pass") : Text("DKIM fail");
    }
    if (s.starts_with("bad signature data") || s.find(" SSL error:") != npos)
        return "DKIM fail";
    if (s.starts_with("no signature data"))
        return "DKIM none";
    if (s.starts_with("key retrieval failed") || s.starts_with("key data is not secure"))
        return "DKIM temperror";
    return {};
}

// opendmarc: "QID: lab.test pass" (the From: domain and the DMARC result).
Text dmarcVerdict(Text s)
{
    static constexpr std::array<std::pair<Text, Text>, 7> results = {{{" pass", "DMARC pass"},
        {" fail", "DMARC fail"}, {" none", "DMARC none"}, {" bestguesspass", "DMARC bestguesspass"},
        {" reject", "DMARC fail"}, {" quarantine", "DMARC fail"}, {" temperror", "DMARC temperror"}}};
    if (s.find(' ') == npos || s.find(' ') != s.rfind(' '))
        return {};  // "QID: ignoring Authentication-Results at 18 from mx.example.org"
    for (const auto &[ending, verdict] : results) {
        if (s.ends_with(ending))
            return verdict;
    }
    return {};
}

// amavis: "(04100-01) Passed CLEAN {RelayedInbound}, [192.0.2.50]:50122 <a@b> -> <c@d>,
// Queue-ID: 6A1B2C3D4E, Message-ID: <x@y>, mail_id: ..., Hits: -1.2, size: 2048, queued_as:
// 7B2C3D4E5F, 812 ms"; "Blocked SPAM {DiscardedInbound,Quarantined}, ...", "Passed SPAMMY",
// "Blocked INFECTED (Eicar-Signature)", "Passed BAD-HEADER-0", "Blocked BANNED (...)".
bool readAmavis(Text s, Event &ev)
{
    if (s.starts_with('(')) {
        const std::size_t close = s.find(") ");
        if (close == npos)
            return false;
        s.remove_prefix(close + 2);
    }
    Text rest = s;
    if (!(consume(rest, "Passed ") || consume(rest, "Blocked ") || consume(rest, "Not-Delivered ")))
        return false;
    const Text category = rest.substr(0, std::min(findOf(rest, " ,"), rest.size()));
    ev.queueId = valueAfter(s, "Queue-ID: ", ", ");
    if (!PostfixParser::isQueueId(ev.queueId))
        ev.queueId = {};
    ev.messageId = unbracket(valueAfter(s, "Message-ID: ", ", "));
    if (const Text next = valueAfter(s, "queued_as: ", ", "); PostfixParser::isQueueId(next))
        ev.hopQueueId = next;
    ev.verdict = category.starts_with("SPAM") ? Text("spam")
        : category == "CLEAN" ? Text("clean")
        : category.starts_with("INFECTED") ? Text("virus")
        : category.starts_with("BANNED") ? Text("banned")
        : category.starts_with("BAD-HEADER") ? Text("bad header") : Text();
    ev.detail = s;
    ev.verdictStage = VerdictStage::Filter;
    return !ev.queueId.empty() || !ev.messageId.empty();
}

// spamd: "spamd: result: Y 1000 - GTUBE,NO_RECEIVED scantime=0.1,size=712,user=amavis,...,
// mid=<x@y>,autolearn=no". Its other lines name no message.
bool readSpamd(Text s, Event &ev)
{
    consume(s, "spamd: ");
    Text rest = s;
    if (!consume(rest, "result: ") || rest.empty())
        return false;
    ev.messageId = unbracket(valueAfter(rest, "mid=", ", "));
    if (ev.messageId.empty())
        return false;
    ev.verdict = rest.front() == 'Y' ? Text("spam") : Text("clean");
    ev.detail = s;
    // Asked by spamass-milter at the end of DATA, before the message is queued.
    ev.verdictStage = VerdictStage::Receipt;
    return true;
}

// policyd-spf: "prepend Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip=192.0.2.1;
// helo=...; envelope-from=...; receiver=..." (or its reject "550 5.7.23 Message rejected due to:
// SPF fail - not authorized. ...; identity=mailfrom; client-ip=..."). Asked at RCPT, before the
// message has a queue id: the client's address ties it to the message smtpd then accepts.
bool readSpf(Text s, Event &ev)
{
    ev.clientIp = valueAfter(s, "client-ip=", "; ");
    if (ev.clientIp.empty())
        return false;
    Text result = valueAfter(s, "Received-SPF: ", " ;");
    if (result.empty())
        result = valueAfter(s, "due to: SPF ", " ;");
    static constexpr std::array<std::pair<Text, Text>, 14> verdicts = {{{"Pass", "SPF pass"}, {"pass", "SPF pass"},
        {"Fail", "SPF fail"}, {"fail", "SPF fail"}, {"Softfail", "SPF softfail"}, {"softfail", "SPF softfail"},
        {"Neutral", "SPF neutral"}, {"neutral", "SPF neutral"}, {"None", "SPF none"}, {"none", "SPF none"},
        {"Temperror", "SPF temperror"}, {"temperror", "SPF temperror"}, {"Permerror", "SPF permerror"},
        {"permerror", "SPF permerror"}}};
    for (const auto &[word, verdict] : verdicts) {
        if (result == word)
            ev.verdict = verdict;
    }
    ev.detail = s;
    ev.verdictStage = VerdictStage::Receipt;
    return true;
}

// postgrey: "action=greylist, reason=new, client_name=x, client_address=192.0.2.1, sender=a@b,
// recipient=c@d" or "action=pass, reason=triplet found, ...".
bool readPostgrey(Text s, Event &ev)
{
    if (!s.starts_with("action="))
        return false;
    ev.clientIp = valueAfter(s, "client_address=", ", ");
    const Text queueId = valueAfter(s, "queue_id=", ", ");
    if (PostfixParser::isQueueId(queueId))
        ev.queueId = queueId;
    if (ev.clientIp.empty() && ev.queueId.empty())
        return false;
    const Text action = valueAfter(s, "action=", ", ");
    ev.verdict = action == "greylist" ? Text("greylisted") : action == "pass" ? Text("greylist pass") : Text();
    ev.detail = s;
    ev.verdictStage = VerdictStage::Receipt;
    return true;
}

// dovecot: "lmtp(bob)<1234><AbCd>: msgid=<x@y>: saved mail to INBOX", "lda(bob)<1234><AbCd>:
// msgid=<x@y>: saved mail to INBOX" (the Message-ID, not the queue id, names the message; the
// user, as recipient, tells which delivery of it).
bool readDovecot(Text s, Event &ev)
{
    Text user = s;
    if (!(consume(user, "lmtp(") || consume(user, "lda(")))
        return false;
    ev.recipient = user.substr(0, std::min(user.find(')'), user.size()));
    const std::size_t mid = s.find(": msgid=");
    if (mid == npos)
        return false;
    Text rest = s.substr(mid + 8);
    const std::size_t end = rest.find(": ");
    if (end == npos)
        return false;
    ev.messageId = unbracket(rest.substr(0, end));
    rest.remove_prefix(end + 2);
    if (ev.messageId.empty())
        return false;
    // With Sieve: "lda(bob)<..>: sieve: msgid=<x@y>: stored mail into mailbox 'INBOX'".
    const bool saved = rest.starts_with("saved mail to ") || rest.starts_with("stored mail into mailbox ");
    ev.verdict = saved ? Text("saved to mailbox") : Text();
    ev.detail = s;
    ev.verdictStage = VerdictStage::Delivery;
    return true;
}

} // namespace

bool CompanionParser::isCompanionProgram(std::string_view program)
{
    static constexpr std::array<std::string_view, 17> companions = {"opendkim", "opendmarc", "openarc",
        "dkimpy-milter", "amavis", "amavisd", "amavisd-new", "clamav-milter", "spamass-milter", "spamd",
        "milter-greylist", "policyd-spf", "postfix-policyd-spf-python", "postgrey", "rspamd", "dovecot",
        "spf-engine"};
    const std::string_view first = program.substr(0, program.find('/'));
    return std::find(companions.begin(), companions.end(), first) != companions.end();
}

bool CompanionParser::parse(const SyslogLine &line, Event &ev) const
{
    if (!isCompanionProgram(line.program))
        return false;
    Event e;
    e.timeMs = ev.timeMs;
    e.utcOffsetSec = ev.utcOffsetSec;
    e.offset = ev.offset;
    e.length = ev.length;
    e.host = line.host;
    e.program = line.program;
    e.service = line.program.substr(line.program.rfind('/') + 1);  // npos + 1 == 0
    e.pid = line.pid;
    e.kind = EventKind::Verdict;
    Text body = line.body;
    const Text name = line.program.substr(0, line.program.find('/'));
    bool read = false;
    if (name.starts_with("amavis")) {
        read = readAmavis(body, e);
    } else if (name == "spamd") {
        read = readSpamd(body, e);
    } else if (name == "dovecot") {
        read = readDovecot(body, e);
    } else if (name == "postgrey") {
        read = readPostgrey(body, e);
    } else if (name.find("spf") != npos) {
        // "QID: prepend Received-SPF: ..." once smtpd has a queue id, ": prepend ..." before.
        if (!takeQueueId(body, e.queueId))
            consume(body, ": ");
        read = readSpf(body, e);
    } else if (takeQueueId(body, e.queueId)) {
        // Milters name the queue id first: opendkim, opendmarc, spamass-milter, clamav-milter...
        e.detail = body;
        e.verdict = name == "opendkim" ? dkimVerdict(body) : name == "opendmarc" ? dmarcVerdict(body) : Text();
        e.verdictStage = VerdictStage::Receipt;
        read = true;
    }
    if (read)
        ev = e;
    return read;
}

} // namespace mailtrail
