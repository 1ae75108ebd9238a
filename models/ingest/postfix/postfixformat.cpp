// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/postfix/postfixformat.h"

namespace mailtrail {

namespace {
// Parse-Syslog-Mail's t/logs/postfix-plain.log and t/cpan-rt-28807.log, fail2ban's test log
// (tests/data/README.md).
constexpr FormatSample Samples[] = {
    {"Feb 20 04:05:39 fangorn postfix/pickup[15241]: 0D7037A4: uid=0 from=<root>", EventKind::Pickup,
     fact::StartsMessage, "0D7037A4"},
    {"Feb 20 04:05:39 fangorn postfix/cleanup[22877]: 0D7037A4: "
     "message-id=<20050220030539.0D7037A4@fangorn.maddingue.net>",
     EventKind::MessageId, 0, "0D7037A4"},
    {"Feb 20 04:05:39 fangorn postfix/qmgr[4225]: 0D7037A4: from=<root@fangorn.maddingue.net>, size=567, nrcpt=1 "
     "(queue active)",
     EventKind::Queued, 0, "0D7037A4"},
    {"Feb 20 04:05:39 fangorn postfix/local[22879]: 0D7037A4: to=<postfix@fangorn.maddingue.net>, orig_to=<root>, "
     "relay=local, delay=0, status=sent (delivered to mailbox)",
     EventKind::Delivery, 0, "0D7037A4", "postfix@fangorn.maddingue.net"},
    {"Feb 20 04:05:39 fangorn postfix/qmgr[4225]: 0D7037A4: removed", EventKind::Removed, fact::EndsMessage,
     "0D7037A4"},
    {"Feb 20 14:56:18 fangorn postfix/smtp[5161]: CCAE27A4: to=<cpan-testers@perl.org>, "
     "relay=mx.develooper.com[63.251.223.176], delay=9, status=sent (250 Queued! 1108907778 qp 18309 "
     "<20050220135609.CCAE27A4@fangorn.maddingue.net>)",
     EventKind::Delivery, 0, "CCAE27A4", "cpan-testers@perl.org"},
    {"Aug 13 00:52:53 DalekGate postfix/smtp[21945]: 84179E35: to=<secdalek@gmail.coml>, relay=none, delay=0, "
     "status=bounced (Host or domain name not found. Name service error for name=gmail.coml type=A: Host not found)",
     EventKind::Delivery, 0, "84179E35", "secdalek@gmail.coml"},
    {"Aug 13 16:06:58 DalekGate postfix/cleanup[17395]: 8B7EF2BB7: reject: header Date: Mon, 18 Jan 2038 19:07:11 "
     "+0800 from unknown[192.168.7.245]; from=<bcfxhdfyrey4l@easterndalek.com> to=<service@exterminate.com> "
     "proto=ESMTP helo=<realmail.iiiiiii.com>: Message content rejected",
     EventKind::Reject, fact::EndsMessage, "8B7EF2BB7", "service@exterminate.com"},
    {"Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 "
     "<smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP "
     "helo=<198.51.100.17>",
     EventKind::Reject, 0, "", "smtp@example.org"},
};
} // namespace

std::span<const FormatSample> PostfixFormat::samples() const
{
    return Samples;
}

int PostfixFormat::detect(std::span<const std::string_view> lines) const
{
    int syslogLines = 0;
    int postfixLines = 0;
    Record record;
    for (std::string_view line : lines) {
        if (!readSyslogRecord(line, record))
            continue;
        ++syslogLines;
        // mail.err and mail.warn may hold only a milter's complaints about queued messages.
        if (PostfixParser::isPostfixProgram(record.program) ||
            (CompanionParser::isCompanionProgram(record.program) && PostfixParser::startsWithQueueId(record.body)))
            ++postfixLines;
    }
    // mail.log also carries dovecot, opendkim or amavis lines: one line in ten is enough.
    return postfixLines == 0 ? 0 : postfixLines * 100 / syslogLines;
}

} // namespace mailtrail
