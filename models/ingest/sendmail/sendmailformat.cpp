// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/sendmail/sendmailformat.h"

namespace mailtrail {

namespace {
// Lines of tests/data/sendmail (Parse-Syslog-Mail, and the log the real Sendmail wrote there).
constexpr FormatSample Samples[] = {
    {"Jan  6 02:37:33 Jupiter sendmail[812]: j061bXn5000812: from=<maddingue@jupiter.maddingue.net>, "
     "size=2262, class=0, nrcpts=1, msgid=<200501060137.j061bW9V000809@jupiter.maddingue.net>, proto=ESMTP, "
     "daemon=MTA, relay=localhost [127.0.0.1]",
     EventKind::Client, fact::StartsMessage, "j061bXn5000812"},
    {"Jan  6 02:37:43 Jupiter sendmail[814]: j061bXn5000812: to=<cpan-testers@perl.org>, delay=00:00:10, "
     "xdelay=00:00:10, mailer=esmtp, pri=30373, relay=mx.develooper.com. [63.251.223.176], dsn=2.0.0, "
     "stat=Sent (Queued! <200501060137.j061bW9V000809@jupiter.maddingue.net>)",
     EventKind::Delivery, 0, "j061bXn5000812", "cpan-testers@perl.org"},
    {"May 20 04:07:05 mailhost sendmail[28499]: j4K970hV028494: j4K975hV028499: DSN: Service unavailable",
     EventKind::Notification, 0, "j4K970hV028494"},
    {"Mar 24 16:52:57 fence sendmail[26245]: j2OFquVD026245: ruleset=check_rcpt, arg1=<fwipada@dakkitydak.fap>, "
     "relay=mx2.laboris.fr [123.456.789.1], reject=553 5.1.8 <fwipada@dakkitydak.fap>... Domain of sender "
     "address antoine@infirmiers.co does not exist",
     EventKind::Reject, 0, "j2OFquVD026245", "fwipada@dakkitydak.fap"},
    {"May 20 04:08:34 mailhost sendmail[29739]: j4K98Yl7029739: lost input channel from somehost.example.edu "
     "[129.107.xxx.yyy] to MTA after rcpt",
     EventKind::LostConnection, 0, ""},
};
} // namespace

std::span<const FormatSample> SendmailFormat::samples() const
{
    return Samples;
}

bool SendmailFormat::describe(const Event &ev, std::string &text) const
{
    // The from= line of an envelope whose every RCPT was refused: a reject with no text of its own
    // (the refusals have their lines), which the words by kind would leave as "rejected: ".
    if (ev.kind != EventKind::Reject || !ev.recipient.empty() || !ev.replyText.empty())
        return false;
    text = "no recipient accepted from <";
    text.append(ev.sender);
    text.append(">: nothing queued");
    return true;
}

int SendmailFormat::detect(std::span<const std::string_view> lines) const
{
    int syslogLines = 0;
    int sendmailLines = 0;
    Record record;
    for (const std::string_view line : lines) {
        if (!readSyslogRecord(line, record))
            continue;
        ++syslogLines;
        sendmailLines += SendmailParser::isSendmailProgram(record.program) ? 1 : 0;
    }
    return sendmailLines == 0 ? 0 : sendmailLines * 100 / syslogLines;
}

} // namespace mailtrail
