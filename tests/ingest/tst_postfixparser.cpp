// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventfields.h"
#include "grokspec.h"

#include "ingest/postfix/postfixparser.h"
#include "ingest/syslogline.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace mailtrail;
using namespace mailtrail::test;
using namespace Qt::StringLiterals;

namespace {
// A line parsed from a buffer of exactly its size, so that a sanitizer build catches any read past
// its end. The event's views point into the buffer: keep the object alive while checking them.
class ExactLine
{
public:
    explicit ExactLine(const QByteArray &line, const Event &start = Event{})
        : m_size(static_cast<std::size_t>(line.size()))
        , m_buffer(new char[std::max<std::size_t>(m_size, 1)])
        , m_ev(start)
    {
        std::copy(line.cbegin(), line.cend(), m_buffer.get());
        m_syslog = parseSyslogLine(std::string_view(m_buffer.get(), m_size), m_line);
        m_postfix = m_syslog && PostfixParser().parse(m_line, m_ev);
    }
    bool isSyslog() const { return m_syslog; }
    bool isPostfix() const { return m_postfix; }
    const Event &event() const { return m_ev; }

    bool viewsInside() const
    {
        const Event &e = m_ev;
        for (const std::string_view v : {e.host, e.program, e.service, e.queueId, e.sender, e.recipient, e.origRecipient,
                                         e.relay, e.dsn, e.replyText, e.clientHost, e.clientIp, e.messageId,
                                         e.relatedQueueId, e.detail, m_line.host, m_line.program, m_line.body}) {
            if (!v.empty() && (v.data() < m_buffer.get() || v.data() + v.size() > m_buffer.get() + m_size))
                return false;
        }
        return true;
    }

private:
    std::size_t m_size;
    std::unique_ptr<char[]> m_buffer;
    SyslogLine m_line;
    Event m_ev;
    bool m_syslog = false;
    bool m_postfix = false;
};

QString grokDir()
{
    return QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/grok");
}

// Lines whose kind no grok field tells, and one spec that leaves its queue id out.
const QHash<QString, QString> &grokKinds()
{
    static const QHash<QString, QString> kinds = {{u"smtpd_0001"_s, u"Connect"_s}, {u"smtpd_0002"_s, u"Disconnect"_s},
        {u"smtpd_0029"_s, u"AuthFailure"_s}, {u"postscreen_0002"_s, u"Connect"_s},
        {u"postscreen_0003"_s, u"Disconnect"_s}, {u"smtp_0031"_s, u"Info"_s}};
    return kinds;
}

// Real lines from the corpora named in tests/data/README.md, plus real-shaped ones of ours.
const QByteArray ForwardedLine =
    "Nov 22 08:50:31 mx1 postfix/local[2222]: 3D1B2A0F5E: to=<alice@example.org>, orig_to=<postmaster@example.org>, "
    "relay=local, delay=0.02, delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (forwarded as 8C4D1E2F3A)";
} // namespace


// Lines of production setups: postscreen, TLS, content filters, header checks, postsuper. Real
// lines from postfix-grok-patterns and fail2ban (tests/data/README.md), real-shaped ones of ours
// ("mailtrail"), and lines of the log
// tests/data/postfix/produce.sh made with Postfix 3.10 (golden/postfix-3.10.13-filter.log).
static void productionLines()
{
    const auto row = [](const char *name, const QByteArray &line, const QStringList &expected) {
        QTest::newRow(name) << line << expected;
    };
    row("grok postscreen PASS OLD", "Nov 22 08:50:30 mx1 postfix/postscreen[123]: PASS OLD [2604:8d00:0:1::3]:52237",
        {u"kind=Notice"_s, u"clientIp=2604:8d00:0:1::3"_s, u"detail=PASS OLD [2604:8d00:0:1::3]:52237"_s});
    row("grok postscreen DNSBL rank", "Nov 22 08:50:30 mx1 postfix/postscreen[123]: DNSBL rank 3 for [111.73.45.149]:1038",
        {u"kind=Screen"_s, u"clientIp=111.73.45.149"_s, u"detail=DNSBL rank 3 for [111.73.45.149]:1038"_s,
         u"facts=none"_s});
    row("grok postscreen HANGUP",
        "Nov 22 08:50:30 mx1 postfix/postscreen[123]: HANGUP after 63 from [111.73.45.149]:1038 in tests after SMTP handshake",
        {u"kind=Screen"_s, u"clientIp=111.73.45.149"_s});
    row("grok postscreen COMMAND PIPELINING",
        "Nov 22 08:50:30 mx1 postfix/postscreen[123]: COMMAND PIPELINING from [88.208.233.4]:42606 after .: \\n",
        {u"kind=Screen"_s, u"clientIp=88.208.233.4"_s});
    row("grok postscreen NON-SMTP COMMAND",
        "Nov 22 08:50:30 mx1 postfix/postscreen[123]: NON-SMTP COMMAND from [93.174.93.51]:45284 after CONNECT: GET "
        "http://ipv4scan.com/hello/check.txt HTTP/1.1",
        {u"kind=Screen"_s, u"clientIp=93.174.93.51"_s});
    row("grok postscreen WHITELISTED", "Nov 22 08:50:30 mx1 postfix/postscreen[123]: WHITELISTED [61.238.241.86]:53024",
        {u"kind=Notice"_s, u"clientIp=61.238.241.86"_s});
    row("grok postscreen cache cleanup",
        "Nov 22 08:50:30 mx1 postfix/postscreen[123]: cache btree:/var/lib/postfix-in/postscreen_cache full cleanup: "
        "retained=242 dropped=7 entries",
        {u"kind=Notice"_s, u"clientIp="_s});
    row("grok dnsblog listed",
        "Nov 22 08:50:30 mx1 postfix/dnsblog[123]: addr 61.238.241.86 listed by domain psbl.surriel.com as 127.0.0.2",
        {u"kind=Screen"_s, u"clientIp=61.238.241.86"_s, u"detail^addr 61.238.241.86 listed by domain psbl"_s});
    row("grok dnsblog lookup error",
        "Nov 22 08:50:30 mx1 postfix/dnsblog[123]: warning: dnsblog_query: lookup error for DNS query "
        "198.204.82.110.list.dnswl.org: Host or domain name not found.",
        {u"kind=Notice"_s});
    row("grok TLS from",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: Anonymous TLS connection established from julie.example.com[10.163.89.202]: "
        "TLSv1.2 with cipher AECDH-AES256-SHA (256/256 bits)",
        {u"kind=Tls"_s, u"detail=Anonymous"_s, u"clientHost=julie.example.com"_s, u"clientIp=10.163.89.202"_s,
         u"relay="_s, u"tls=TLSv1.2 with cipher AECDH-AES256-SHA (256/256 bits)"_s});
    row("grok TLS to",
        "Nov 22 08:50:30 mx1 postfix/smtp[123]: Verified TLS connection established to mail.sys4.de[2001:1578:400:111::7]:25: "
        "TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)",
        {u"kind=Tls"_s, u"detail=Verified"_s, u"relay=mail.sys4.de[2001:1578:400:111::7]:25"_s, u"clientIp="_s,
         u"tls=TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)"_s});
    row("grok hostname does not resolve",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: warning: hostname exemple.com does not resolve to address 185.14.29.32",
        {u"kind=ClientWarning"_s, u"clientHost=exemple.com"_s, u"clientIp=185.14.29.32"_s});
    row("fail2ban hostname does not resolve, with reason",
        "Aug 14 10:00:01 mail postfix/smtpd[1234]: warning: hostname bad.example.com does not resolve to address "
        "192.0.2.44: Name or service not known",
        {u"kind=ClientWarning"_s, u"clientHost=bad.example.com"_s, u"clientIp=192.0.2.44"_s});
    row("grok improper pipelining",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: improper command pipelining after EHLO from "
        "unknown[2001:968:9999:20:415c:cd2:da8e:d0cf]: MAIL FROM:<>\\nRCPT TO:<tom@example.net>",
        {u"kind=ClientWarning"_s, u"clientIp=2001:968:9999:20:415c:cd2:da8e:d0cf"_s});
    row("grok SSL_accept error", "Nov 22 08:50:30 mx1 postfix/smtpd[123]: SSL_accept error from unknown[72.13.58.7]: lost connection",
        {u"kind=ClientWarning"_s, u"clientIp=72.13.58.7"_s});
    row("grok milter-reject keeps the enhanced code",
        "Nov 22 08:50:30 mx1 postfix/cleanup[123]: 4104E3D: milter-reject: END-OF-MESSAGE from "
        "061238241086.static.ctinets.com[61.238.241.86]: 5.7.1 Blocked by SpamAssassin; from=<wumt5@cchfdc.com> "
        "to=<voorzitter@example.com> proto=ESMTP helo=<ecsolved.com>",
        {u"kind=Reject"_s, u"status=Rejected"_s, u"dsn=5.7.1"_s, u"replyCode=0"_s, u"facts=EndsMessage"_s,
         u"recipient=voorzitter@example.com"_s, u"clientIp=61.238.241.86"_s});
    row("grok milter-header-redirect",
        "Nov 22 08:50:30 mx1 postfix/cleanup[123]: 4104E3D: milter-header-redirect: header X-Spam-Status: Yes, score=39.3 "
        "required=5.0 tests=ADVANCE_FE from 061238241086.static.ctinets.com[61.238.241.86]; from=<wumt5@cchfdc.com> "
        "to=<voorzitter@example.com> proto=ESMTP helo=<ecsolved.com>: spam@example.com",
        {u"kind=Redirect"_s, u"status=None"_s, u"facts=none"_s, u"detail^milter-header-redirect: header X-Spam-Status"_s});
    row("grok postsuper removed", "Nov 22 08:50:30 mx1 postfix/postsuper[123]: D4F2023DB: removed",
        {u"kind=Deleted"_s, u"queueId=D4F2023DB"_s, u"facts=EndsMessage"_s});
    row("grok postsuper placed on hold", "Nov 22 08:50:30 mx1 postfix/postsuper[123]: D4F2023DB: placed on hold",
        {u"kind=Hold"_s, u"queueId=D4F2023DB"_s, u"facts=none"_s});
    row("grok postsuper released", "Nov 22 08:50:30 mx1 postfix/postsuper[123]: D4F2023DB: released from hold",
        {u"kind=Release"_s, u"queueId=D4F2023DB"_s});
    row("grok postsuper count", "Nov 22 08:50:30 mx1 postfix/postsuper[123]: Deleted: 115 messages", {u"kind=Notice"_s});
    row("grok anvil statistics",
        "Nov 22 08:50:30 mx1 postfix/anvil[123]: statistics: max connection rate 1/60s for (smtp:1.2.3.4) at Oct 23 10:34:31",
        {u"kind=Notice"_s});
    row("grok discard agent", "Nov 22 08:50:30 mx1 postfix/discard[123]: 25F2E5E061: to=<george.desantis@test.example.com>, "
        "relay=none, delay=0.05, delays=0.05/0/0/0, dsn=2.0.0, status=sent (test.example.com)",
        {u"kind=Delivery"_s, u"status=Sent"_s, u"hopQueueId="_s});
    row("grok smtpd discard NOQUEUE",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: NOQUEUE: discard: MAIL from ccm231.constantcontact.com[208.75.123.231]: "
        "<bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com>: Sender address SPAM; "
        "from=<bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com> proto=ESMTP helo=<ccm231.constantcontact.com>",
        {u"kind=Discard"_s, u"status=Discarded"_s, u"queueId="_s, u"clientIp=208.75.123.231"_s});
    row("produced content filter hop",
        "Dec  4 00:00:46 mx postfix/smtp[9939]: 34264E64304: to=<alice@lab.test>, relay=127.0.0.1[127.0.0.1]:10025, "
        "delay=0.41, delays=0.08/0.11/0.17/0.04, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7EEFEE64307)",
        {u"kind=Delivery"_s, u"status=Sent"_s, u"hopQueueId=7EEFEE64307"_s, u"relatedQueueId="_s});
    row("grok amavis reply queued as",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: proxy-accept: END-OF-MESSAGE: 250 2.0.0 from MTA(smtp:[127.0.0.1]:10013): "
        "250 2.0.0 Ok: queued as DF66E940333; from=<user1@test.example.com> to=<user2@example2.com> proto=ESMTP "
        "helo=<[127.0.0.1]>",
        {u"kind=Info"_s});
    row("produced client with orig_queue_id",
        "Dec  4 00:00:46 mx postfix/smtpd[9941]: 7EEFEE64307: client=unknown[127.0.0.1], orig_queue_id=34264E64304, "
        "orig_client=unknown[127.0.0.1]",
        {u"kind=Client"_s, u"clientIp=127.0.0.1"_s, u"origQueueId=34264E64304"_s, u"saslUsername="_s,
         u"facts=StartsMessage"_s});
    row("mailtrail client with sasl (the shape of syslog-ng patterndb's rule)",
        "Nov 22 08:50:30 mx1 postfix/smtpd[123]: 2F3A4B5C6D: client=unknown[192.0.2.7], sasl_method=PLAIN, "
        "sasl_username=alice@example.com",
        {u"kind=Client"_s, u"saslMethod=PLAIN"_s, u"saslUsername=alice@example.com"_s, u"origQueueId="_s});
    row("produced queue file size limit (cleanup)",
        "Dec  4 00:00:53 mx postfix/cleanup[9938]: warning: A1873E6430C: queue file size limit exceeded",
        {u"kind=Reject"_s, u"queueId=A1873E6430C"_s, u"status=Rejected"_s, u"replyCode=552"_s, u"dsn="_s,
         u"facts=EndsMessage"_s});
    row("produced queue file size limit (smtpd)",
        "Dec  4 00:00:53 mx postfix/smtpd[9934]: warning: A1873E6430C: queue file size limit exceeded",
        {u"kind=Reject"_s, u"facts=none"_s});
    row("produced removed (canceled)", "Dec  4 00:00:47 mx postfix/cleanup[9938]: A7EB8E64308: removed (canceled)",
        {u"kind=Removed"_s, u"detail=canceled"_s, u"facts=EndsMessage"_s});
    row("produced hold header check",
        "Dec  4 00:00:49 mx postfix/cleanup[9938]: 20E4FE64309: hold: header Subject: review me from unknown[127.0.0.1]; "
        "from=<friend@remote.test> to=<bob@lab.test> proto=ESMTP helo=<mx>: held for review",
        {u"kind=Hold"_s, u"facts=none"_s, u"recipient=bob@lab.test"_s});
    row("produced discard header check",
        "Dec  4 00:00:50 mx postfix/cleanup[9938]: 962A0E6430A: discard: header Subject: junk from unknown[127.0.0.1]; "
        "from=<friend@remote.test> to=<bob@lab.test> proto=ESMTP helo=<mx>: junk",
        {u"kind=Discard"_s, u"status=Discarded"_s, u"facts=EndsMessage"_s, u"recipient=bob@lab.test"_s});
    row("produced verify probe",
        "Dec  4 00:00:55 mx postfix/local[9942]: A435CE6430E: to=<alice@lab.test>, relay=local, delay=0.12, "
        "delays=0.02/0/0/0.1, dsn=2.0.0, status=deliverable (delivers to mailbox)",
        {u"kind=Delivery"_s, u"status=Deliverable"_s, u"replyText=delivers to mailbox"_s});
    row("produced delivery status notification",
        "Dec  4 00:00:55 mx postfix/bounce[10084]: A435CE6430E: sender delivery status notification: BFBF4E64310",
        {u"kind=Notification"_s, u"relatedQueueId=BFBF4E64310"_s, u"detail=sender delivery status notification"_s});
    row("produced master daemon started",
        "Dec  4 00:00:34 mx postfix/master[9777]: daemon started -- version 3.10.13, configuration /etc/postfix",
        {u"kind=Notice"_s});
}

class TestPostfixParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postfixPrograms();
    void grokCorpus_data();
    void grokCorpus();
    void grokUnderstood();
    void realLines_data();
    void realLines();
    void notPostfix_data();
    void notPostfix();
    void resetsAllButReaderFields();
    void junk_data();
    void junk();
    void everyTruncation();
    void randomLines();
    void hugeLines_data();
    void hugeLines();
};

void TestPostfixParser::grokCorpus_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expected");
    const QStringList files = QDir(grokDir()).entryList({u"*.yaml"_s}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 170, qPrintable(u"only %1 specs in "_s.arg(files.size()) + grokDir()));
    for (const QString &file : files) {
        GrokSpec spec;
        QVERIFY2(readGrokSpec(grokDir() + u'/' + file, spec), qPrintable(file));
        const GrokExpectations mapped(file, spec, grokKinds());
        QVERIFY2(mapped.unmappedKeys().isEmpty(), qPrintable(file + u": no mapping for "_s + mapped.unmappedKeys().join(u", ")));
        QStringList expected = mapped.expectations();
        if (file.startsWith(u"smtp_0031"))
            expected << u"queueId=B0ADE20FC7"_s;
        const QByteArray prefix = "Nov 22 08:50:30 mx1 " + grokProgram(file).toUtf8() + "[123]: ";
        QTest::newRow(qPrintable(file)) << QByteArray(prefix + spec.data) << expected;
    }
}

void TestPostfixParser::grokCorpus()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expected);
    const ExactLine parsed(line);
    QVERIFY(parsed.isSyslog());
    QVERIFY(parsed.isPostfix());
    QVERIFY(parsed.viewsInside());
    const QStringList failed = mismatches(parsed.event(), expected);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"\n   "_s)));
}

// Issue 11's goal: at most 2 % of the lines of Postfix programs are "not understood" (Unknown).
// The grok specs are one real line each of 30 daemons, the rare ones included.
void TestPostfixParser::grokUnderstood()
{
    const QStringList files = QDir(grokDir()).entryList({u"*.yaml"_s}, QDir::Files, QDir::Name);
    QStringList unknown;
    for (const QString &file : files) {
        GrokSpec spec;
        QVERIFY(readGrokSpec(grokDir() + u'/' + file, spec));
        const ExactLine parsed("Nov 22 08:50:30 mx1 " + grokProgram(file).toUtf8() + "[123]: " + spec.data);
        QVERIFY(parsed.isPostfix());
        if (parsed.event().kind == EventKind::Unknown)
            unknown << file + u": "_s + QString::fromUtf8(spec.data);
    }
    qInfo("%lld of %lld lines not understood", qlonglong(unknown.size()), qlonglong(files.size()));
    QVERIFY2(unknown.size() * 50 <= files.size(), qPrintable(unknown.join(u"\n   "_s)));
}

void TestPostfixParser::realLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char *name, const QByteArray &line, const QStringList &expected) {
        QTest::newRow(name) << line << expected;
    };
    row("psm pickup", "Feb 20 04:05:39 fangorn postfix/pickup[15241]: 0D7037A4: uid=0 from=<root>",
        {u"kind=Pickup"_s, u"host=fangorn"_s, u"service=pickup"_s, u"pid=15241"_s, u"queueId=0D7037A4"_s, u"sender=root"_s,
         u"hasSender=true"_s});
    row("psm message-id",
        "Feb 20 04:05:39 fangorn postfix/cleanup[22877]: 0D7037A4: message-id=<20050220030539.0D7037A4@fangorn.maddingue.net>",
        {u"kind=MessageId"_s, u"queueId=0D7037A4"_s, u"messageId=20050220030539.0D7037A4@fangorn.maddingue.net"_s});
    row("psm queued",
        "Feb 20 04:05:39 fangorn postfix/qmgr[4225]: 0D7037A4: from=<root@fangorn.maddingue.net>, size=567, nrcpt=1 (queue active)",
        {u"kind=Queued"_s, u"sender=root@fangorn.maddingue.net"_s, u"hasSender=true"_s, u"size=567"_s, u"nrcpt=1"_s});
    row("psm local delivery, no dsn",
        "Feb 20 04:05:39 fangorn postfix/local[22879]: 0D7037A4: to=<postfix@fangorn.maddingue.net>, orig_to=<root>, "
        "relay=local, delay=0, status=sent (delivered to mailbox)",
        {u"kind=Delivery"_s, u"recipient=postfix@fangorn.maddingue.net"_s, u"origRecipient=root"_s, u"relay=local"_s,
         u"delaySec=0"_s, u"dsn="_s, u"status=Sent"_s, u"replyText=delivered to mailbox"_s, u"replyCode=0"_s});
    row("psm smtp sent",
        "Feb 20 14:56:18 fangorn postfix/smtp[5161]: CCAE27A4: to=<cpan-testers@perl.org>, relay=mx.develooper.com[63.251.223.176], "
        "delay=9, status=sent (250 Queued! 1108907778 qp 18309 <20050220135609.CCAE27A4@fangorn.maddingue.net>)",
        {u"kind=Delivery"_s, u"queueId=CCAE27A4"_s, u"relay=mx.develooper.com[63.251.223.176]"_s, u"delaySec=9"_s,
         u"status=Sent"_s, u"replyCode=250"_s,
         u"replyText=250 Queued! 1108907778 qp 18309 <20050220135609.CCAE27A4@fangorn.maddingue.net>"_s});
    row("psm removed", "Feb 20 04:05:39 fangorn postfix/qmgr[4225]: 0D7037A4: removed",
        {u"kind=Removed"_s, u"queueId=0D7037A4"_s});
    row("psm bounced without relay",
        "Aug 13 00:52:53 DalekGate postfix/smtp[21945]: 84179E35: to=<secdalek@gmail.coml>, relay=none, delay=0, "
        "status=bounced (Host or domain name not found. Name service error for name=gmail.coml type=A: Host not found)",
        {u"kind=Delivery"_s, u"host=DalekGate"_s, u"recipient=secdalek@gmail.coml"_s, u"relay=none"_s, u"status=Bounced"_s,
         u"replyCode=0"_s, u"replyText^Host or domain name not found."_s, u"replyText$type=A: Host not found"_s});
    row("psm cleanup header reject",
        "Aug 13 16:06:58 DalekGate postfix/cleanup[17395]: 8B7EF2BB7: reject: header Date: Mon, 18 Jan 2038 19:07:11 +0800 "
        "from unknown[192.168.7.245]; from=<bcfxhdfyrey4l@easterndalek.com> to=<service@exterminate.com> proto=ESMTP "
        "helo=<realmail.iiiiiii.com>: Message content rejected",
        {u"kind=Reject"_s, u"status=Rejected"_s, u"queueId=8B7EF2BB7"_s, u"sender=bcfxhdfyrey4l@easterndalek.com"_s,
         u"recipient=service@exterminate.com"_s, u"clientHost=unknown"_s, u"clientIp=192.168.7.245"_s,
         u"replyText=Message content rejected"_s, u"replyCode=0"_s,
         u"detail=header Date: Mon, 18 Jan 2038 19:07:11 +0800 from unknown[192.168.7.245]"_s});
    row("fail2ban null sender, empty item",
        "Feb 21 09:21:54 xxx postfix/smtpd[14398]: NOQUEUE: reject: RCPT from example.com[192.0.43.10]: 450 4.7.1 : Helo "
        "command rejected: Host not found; from=<> to=<> proto=ESMTP helo=",
        {u"kind=Reject"_s, u"queueId="_s, u"sender="_s, u"hasSender=true"_s, u"recipient="_s, u"replyCode=450"_s,
         u"dsn=4.7.1"_s, u"replyText=450 4.7.1 : Helo command rejected: Host not found"_s,
         u"detail=Helo command rejected: Host not found"_s, u"clientHost=example.com"_s, u"clientIp=192.0.43.10"_s});
    row("fail2ban reject with queue id",
        "Aug 13 15:45:46 server postfix/smtpd[13844]: 00ADB3C0899: reject: RCPT from example.com[192.0.2.1]: 550 5.1.1 "
        "<sales@server.com>: Recipient address rejected: User unknown in local recipient table; from=<xxxxxx@example.com> "
        "to=<sales@server.com> proto=ESMTP helo=<mail.example.com>",
        {u"kind=Reject"_s, u"queueId=00ADB3C0899"_s, u"recipient=sales@server.com"_s, u"replyCode=550"_s, u"dsn=5.1.1"_s,
         u"detail=Recipient address rejected: User unknown in local recipient table"_s});
    row("fail2ban EHLO reject, no sender",
        "Jan 31 13:55:24 xxx postfix/smtpd[3462]: NOQUEUE: reject: EHLO from s271272.static.corbina.ru[78.107.251.238]: 504 "
        "5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>",
        {u"kind=Reject"_s, u"hasSender=false"_s, u"recipient="_s, u"replyCode=504"_s, u"dsn=5.5.2"_s,
         u"clientHost=s271272.static.corbina.ru"_s, u"detail=Helo command rejected: need fully-qualified hostname"_s});
    row("fail2ban milter-reject, unpadded day",
        "Mar 7 02:09:33 server postfix/smtpd[27246]: 1D8CC1CA0A7F: milter-reject: DATA from "
        "66-220-155-151.mail-mail.facebook.com[192.0.2.151]: 550 5.7.1 Command rejected; from=<security@mail.example.com> "
        "to=<hostmaster@example.com> proto=ESMTP helo=<192-0-2-151.mail-mail.example.com>",
        {u"kind=Reject"_s, u"queueId=1D8CC1CA0A7F"_s, u"replyText=550 5.7.1 Command rejected"_s, u"clientIp=192.0.2.151"_s,
         u"sender=security@mail.example.com"_s, u"recipient=hostmaster@example.com"_s});
    row("fail2ban long queue id, custom instance",
        "Mar 11 23:27:54 server postfix-smo/submission/smtpd[22427]: 44JCRG5tYPzCqt2: reject: BDAT from "
        "signing-milter.example.com[192.0.2.109]: 550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> "
        "to=<some@example.com> proto=ESMTP helo=<domain.tld>",
        {u"kind=Reject"_s, u"queueId=44JCRG5tYPzCqt2"_s, u"program=postfix-smo/submission/smtpd"_s, u"service=smtpd"_s,
         u"hasSender=true"_s, u"sender="_s, u"detail=Data command rejected: Multi-recipient bounce"_s});
    row("fail2ban postscreen reject, comma envelope",
        "May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service "
        "unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, "
        "to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>",
        {u"kind=Reject"_s, u"clientHost="_s, u"clientIp=216.245.194.173"_s, u"sender=spammer@example.com"_s,
         u"recipient=goodguy@example.com"_s, u"replyCode=550"_s,
         u"replyText=550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com"_s});
    row("fail2ban CONNECT reject, dsn 4.7.25",
        "Jun  1 19:00:55 mail postfix/smtpd[7749]: NOQUEUE: reject: CONNECT from unknown[192.0.2.114]: 450 4.7.25 Client host "
        "rejected: cannot find your hostname, [178.215.236.114]; proto=SMTP",
        {u"kind=Reject"_s, u"dsn=4.7.25"_s, u"replyCode=450"_s, u"clientIp=192.0.2.114"_s,
         u"detail=Client host rejected: cannot find your hostname, [178.215.236.114]"_s});
    row("fail2ban SASL CRAM-MD5",
        "Dec  2 22:24:22 hel postfix/smtpd[7676]: warning: 114-44-142-233.dynamic.hinet.net[114.44.142.233]: SASL CRAM-MD5 "
        "authentication failed: PDc3OTEwNTkyNTEyMzA2NDIuMTIyODI1MzA2MUBoZWw+",
        {u"kind=AuthFailure"_s, u"clientHost=114-44-142-233.dynamic.hinet.net"_s, u"clientIp=114.44.142.233"_s,
         u"detail=SASL CRAM-MD5 authentication failed: PDc3OTEwNTkyNTEyMzA2NDIuMTIyODI1MzA2MUBoZWw+"_s});
    row("fail2ban SASL with client port",
        "Aug 4 16:47:52 mail3 postfix/smtpd[31152]: warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: "
        "authentication failure",
        {u"kind=AuthFailure"_s, u"clientIp=192.0.2.237"_s, u"detail=SASL LOGIN authentication failed: authentication failure"_s});
    row("fail2ban SASL username",
        "Nov  4 09:11:01 mail postfix/smtpd[1234]: warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: (reason "
        "unavailable), sasl_username=admin",
        {u"kind=AuthFailure"_s, u"detail$sasl_username=admin"_s});
    row("fail2ban submission SASL",
        "Sep  6 00:44:56 trianon postfix/submission/smtpd[11538]: warning: unknown[82.221.106.233]: SASL LOGIN authentication "
        "failed: UGFzc3dvcmQ6",
        {u"kind=AuthFailure"_s, u"service=smtpd"_s, u"clientIp=82.221.106.233"_s});
    row("fail2ban disconnect, custom service",
        "Feb 10 13:26:34 srv postfix/smtp-25/smtpd[123]: disconnect from unknown[192.0.2.1] helo=1 auth=0/1 quit=1 commands=2/3",
        {u"kind=Disconnect"_s, u"service=smtpd"_s, u"clientIp=192.0.2.1"_s, u"detail=helo=1 auth=0/1 quit=1 commands=2/3"_s});
    row("fail2ban NOQUEUE lost connection",
        "Sep 17 18:19:20 mxhost postfix/smtpd[12345]: NOQUEUE: lost connection after CONNECT from unknown[192.0.2.25]",
        {u"kind=LostConnection"_s, u"queueId="_s, u"clientIp=192.0.2.25"_s, u"detail=lost connection after CONNECT"_s});
    row("fail2ban rate limit warning",
        "Sep 19 12:10:57 hostname postfix/smtpd[23244]: warning: Connection rate limit exceeded: 31 from "
        "spamhost.domain.org[192.0.2.123] for service smtpd",
        {u"kind=ClientWarning"_s, u"clientHost=spamhost.domain.org"_s, u"clientIp=192.0.2.123"_s,
         u"detail=warning: Connection rate limit exceeded: 31 from spamhost.domain.org[192.0.2.123] for service smtpd"_s});
    row("fail2ban too many errors",
        "Jun  3 06:25:43 srv postfix/smtpd[29306]: too many errors after RCPT from example.com[192.0.2.11]",
        {u"kind=ClientWarning"_s, u"clientHost=example.com"_s, u"clientIp=192.0.2.11"_s});
    row("fail2ban postscreen PREGREET",
        "Dec 23 19:39:13 xxx postfix/postscreen[21057]: PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n",
        {u"kind=Screen"_s, u"clientIp=192.0.2.2"_s, u"detail^PREGREET 14 after 0.08"_s});
    row("mailtrail bounce notification",
        "Nov 22 08:50:32 mx1 postfix/bounce[3333]: 3D1B2A0F5E: sender non-delivery notification: 7A6B5C4D3E",
        {u"kind=Notification"_s, u"queueId=3D1B2A0F5E"_s, u"relatedQueueId=7A6B5C4D3E"_s,
         u"detail=sender non-delivery notification"_s});
    row("mailtrail local forward", ForwardedLine,
        {u"kind=Delivery"_s, u"relatedQueueId=8C4D1E2F3A"_s, u"replyText=forwarded as 8C4D1E2F3A"_s, u"status=Sent"_s,
         u"origRecipient=postmaster@example.org"_s});
    row("mailtrail queued as: not related",
        "Nov 22 08:50:33 mx1 postfix-out/smtp[4444]: 4Mxyz12ABCz1xyz: to=<bob@example.net>, relay=mx.example.net[192.0.2.25]:25, "
        "delay=1.5, delays=0.1/0/0.4/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E7D6C5B)",
        {u"kind=Delivery"_s, u"queueId=4Mxyz12ABCz1xyz"_s, u"service=smtp"_s, u"relatedQueueId="_s, u"replyCode=250"_s,
         u"delaySec=1.5"_s, u"delays=0.1/0/0.4/1"_s, u"dsn=2.0.0"_s});
    row("mailtrail deferred by remote 550",
        "Nov 22 08:50:34 mx1 postfix/smtp[4445]: 7EE668039: to=<x@example.net>, relay=mx[192.0.2.26]:25, delay=5, "
        "delays=0/0/1/4, dsn=5.1.1, status=bounced (host mx[192.0.2.26] said: 550 5.1.1 <x@example.net>... User unknown (in "
        "reply to RCPT TO command))",
        {u"kind=Delivery"_s, u"status=Bounced"_s, u"replyCode=550"_s, u"skippedTry=false"_s,
         u"replyText=host mx[192.0.2.26] said: 550 5.1.1 <x@example.net>... User unknown (in reply to RCPT TO command)"_s});
    row("mailtrail suspended delivery",
        "Nov 22 08:50:35 mx1 postfix/error[5555]: 2DC5552A34: to=<user@example.com>, relay=none, delay=63495, "
        "delays=63350/144/0/0, dsn=4.4.2, status=deferred (delivery temporarily suspended: lost connection with "
        "mx.example.com[192.0.2.27] while sending RCPT TO)",
        {u"kind=Delivery"_s, u"status=Deferred"_s, u"skippedTry=true"_s, u"replyCode=0"_s, u"delaySec=63495"_s,
         u"delays=63350/144/0/0"_s});
    row("mailtrail delays not four numbers",
        "Nov 22 08:50:35 mx1 postfix/smtp[5555]: 2DC5552A34: to=<user@example.com>, relay=none, delay=1, "
        "delays=1/0/x/0, dsn=4.4.2, status=deferred (lost connection)",
        {u"kind=Delivery"_s, u"delaySec=1"_s, u"delays="_s, u"dsn=4.4.2"_s});
    row("mailtrail delays with a fifth part",
        "Nov 22 08:50:35 mx1 postfix/smtp[5555]: 2DC5552A34: to=<user@example.com>, relay=none, delay=1, "
        "delays=1/0/0/0/2, dsn=4.4.2, status=deferred (lost connection)",
        {u"kind=Delivery"_s, u"delays="_s, u"dsn=4.4.2"_s});
    row("mailtrail connection refused, no queue id",
        "Nov 22 08:50:36 mx1 postfix/smtp[5556]: connect to mx.example.com[192.0.2.28]:25: Connection refused",
        {u"kind=Notice"_s, u"queueId="_s, u"relay=mx.example.com[192.0.2.28]:25"_s});
    row("mailtrail SASL client",
        "Nov 22 08:50:37 mx1 postfix/submission/smtpd[6666]: 1A2B3C4D5E: client=laptop.example.org[198.51.100.7], "
        "sasl_method=PLAIN, sasl_username=alice",
        {u"kind=Client"_s, u"clientHost=laptop.example.org"_s, u"clientIp=198.51.100.7"_s,
         u"detail=sasl_method=PLAIN, sasl_username=alice"_s});
    row("mailtrail hold is visible",
        "Nov 22 08:50:38 mx1 postfix/cleanup[7777]: 1A2B3C4D5E: hold: header Subject: win from h.example[192.0.2.29]; "
        "from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<h.example>: spam",
        {u"kind=Hold"_s, u"status=None"_s, u"detail=hold: header Subject: win from h.example[192.0.2.29]"_s,
         u"clientIp=192.0.2.29"_s, u"sender=a@example.org"_s});
    row("mailtrail HELO cannot forge the envelope",
        "Nov 22 08:50:39 mx1 postfix/smtpd[8888]: NOQUEUE: reject: RCPT from h[192.0.2.30]: 554 5.7.1 <b@example.net>: Relay "
        "access denied; from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<x; from=<evil@example.com>>",
        {u"kind=Reject"_s, u"sender=a@example.org"_s, u"recipient=b@example.net"_s});
    row("mailtrail SOFTBOUNCE and probes",
        "Nov 22 08:50:40 mx1 postfix/smtp[9999]: 1A2B3C4D5E: to=<c@example.net>, relay=none, delay=1, dsn=5.1.1, "
        "status=SOFTBOUNCE (unknown user)",
        {u"kind=Delivery"_s, u"status=Deferred"_s});
    row("mailtrail rfc3339 line",
        "2026-11-22T08:50:41.123456+01:00 mx1 postfix/qmgr[10]: 1A2B3C4D5E: from=<>, size=100, nrcpt=2 (queue active)",
        {u"kind=Queued"_s, u"hasSender=true"_s, u"sender="_s, u"size=100"_s, u"nrcpt=2"_s});
    row("mailtrail truncated recipient", "Nov 22 08:50:42 mx1 postfix/smtp[11]: 1A2B3C4D5E: to=<abc",
        {u"kind=Delivery"_s, u"recipient=abc"_s, u"status=None"_s, u"replyText="_s});
    // Facts: what a line means for a message's lifetime, which the correlator goes by.
    row("mailtrail facts smtpd connect", "Nov 20 10:00:01 mx1 postfix/smtpd[2101]: connect from mail.example.com[192.0.2.10]",
        {u"kind=Connect"_s, u"facts=OpensSession"_s});
    row("mailtrail facts postscreen connect",
        "Nov 21 20:00:14 mx1 postfix/postscreen[1079]: CONNECT from [53.210.196.114]:50121 to [203.0.113.10]:25",
        {u"kind=Connect"_s, u"facts=none"_s});
    row("mailtrail facts client", "Nov 20 10:00:01 mx1 postfix/smtpd[2101]: A1B2C3D4E5: client=mail.example.com[192.0.2.10]",
        {u"kind=Client"_s, u"facts=StartsMessage"_s});
    row("mailtrail facts pickup", "Nov 20 13:00:00 mx1 postfix/pickup[5100]: 3B4C5D6E7F: uid=0 from=<root>",
        {u"kind=Pickup"_s, u"facts=StartsMessage"_s});
    row("mailtrail facts removed", "Nov 20 11:00:02 mx1 postfix/qmgr[880]: 7A1B2C3D4E: removed",
        {u"kind=Removed"_s, u"facts=EndsMessage"_s});
    row("mailtrail facts cleanup reject",
        "Nov 20 16:00:03 mx1 postfix/cleanup[8111]: 2F3A4B5C6D: milter-reject: END-OF-MESSAGE from "
        "spammy.example[198.51.100.66]: 5.7.1 Spam message rejected; from=<offer@spammy.example> "
        "to=<grace@example.com> proto=ESMTP helo=<spammy.example>",
        {u"kind=Reject"_s, u"facts=EndsMessage"_s, u"moreRecipients="_s});
    row("mailtrail facts smtpd reject of one recipient",
        "Nov 20 16:00:03 mx1 postfix/smtpd[8110]: 2F3A4B5C6D: reject: RCPT from spammy.example[198.51.100.66]: "
        "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown; from=<offer@spammy.example> "
        "to=<nobody@example.com> proto=ESMTP helo=<spammy.example>",
        {u"kind=Reject"_s, u"facts=none"_s});
    row("mailtrail facts delivery", "Nov 20 11:00:02 mx1 postfix/smtp[881]: 7A1B2C3D4E: to=<a@example.org>, "
        "relay=mx.example.org[192.0.2.5]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
        {u"kind=Delivery"_s, u"facts=none"_s});
    row("mailtrail postfix itself", "Nov 22 08:50:43 mx1 postfix[12]: starting the Postfix mail system",
        {u"kind=Notice"_s, u"service=postfix"_s, u"detail=starting the Postfix mail system"_s});
    productionLines();
}

void TestPostfixParser::realLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expected);
    const ExactLine parsed(line);
    QVERIFY(parsed.isPostfix());
    QVERIFY(parsed.viewsInside());
    const QStringList failed = mismatches(parsed.event(), expected);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"\n   "_s)));
}

void TestPostfixParser::notPostfix_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("dovecot") << QByteArray("Nov 22 08:50:30 mx1 dovecot: imap-login: Login: user=<a>, method=PLAIN");
    QTest::newRow("amavis") << QByteArray("Nov 22 08:50:30 mx1 amavis[123]: (12345-01) Passed CLEAN {RelayedInbound}");
    QTest::newRow("bare smtpd") << QByteArray("Nov 22 08:50:30 mx1 smtpd[1]: connect from a[192.0.2.1]");
    QTest::newRow("postfix later in path") << QByteArray("Nov 22 08:50:30 mx1 opendkim/postfix[1]: 7EE668039: removed");
    QTest::newRow("postfi") << QByteArray("Nov 22 08:50:30 mx1 postfi/smtp[1]: 7EE668039: removed");
    // A policy service named after its package (as an install may log it; the line is of the
    // log tests/data/postfix/produce-companions.sh made, where it logs as "policyd-spf"): it
    // starts with "postfix" but is no Postfix daemon.
    QTest::newRow("policy service named after its package")
        << QByteArray("Dec  4 04:07:21 mx postfix-policyd-spf-python[220]: : prepend Received-SPF: None (mailfrom) "
                      "identity=mailfrom; client-ip=127.0.0.2; helo=relay.remote.test; envelope-from=friend@remote.test; "
                      "receiver=lab.test ");
}

void TestPostfixParser::notPostfix()
{
    QFETCH(QByteArray, line);
    Event before;
    before.sender = "unchanged";
    before.kind = EventKind::Delivery;
    const ExactLine parsed(line, before);
    QVERIFY(parsed.isSyslog());
    QVERIFY(!parsed.isPostfix());
    QCOMPARE(parsed.event().kind, EventKind::Delivery);
    QCOMPARE(text(parsed.event().sender), u"unchanged"_s);
}

void TestPostfixParser::resetsAllButReaderFields()
{
    Event before;
    before.timeMs = 1234567;
    before.utcOffsetSec = 3600;
    before.offset = 987654321;
    before.length = 99;
    before.sender = "stale";
    before.hasSender = true;
    before.status = DeliveryStatus::Sent;
    before.replyCode = 250;
    before.delaySec = 3;
    before.skippedTry = true;
    const ExactLine parsed("Nov 22 08:50:30 mx1 postfix/smtpd[1]: connect from a.example[192.0.2.1]", before);
    const Event &ev = parsed.event();
    QCOMPARE(ev.timeMs, std::int64_t(1234567));
    QCOMPARE(ev.utcOffsetSec, 3600);
    QCOMPARE(ev.offset, std::uint64_t(987654321));
    QCOMPARE(ev.length, std::uint32_t(99));
    QCOMPARE(ev.kind, EventKind::Connect);
    QVERIFY(ev.sender.empty() && !ev.hasSender && !ev.skippedTry);
    QCOMPARE(ev.status, DeliveryStatus::None);
    QCOMPARE(ev.replyCode, 0);
    QCOMPARE(ev.delaySec, -1.0);
}

void TestPostfixParser::junk_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("kind");
    const char *bodies[][2] = {{"", "Unknown"}, {"NOQUEUE:", "Unknown"}, {"NOQUEUE: ", "Unknown"},
        {"NOQUEUE: reject:", "Unknown"}, {"NOQUEUE: reject: ", "Reject"}, {"NOQUEUE: reject: RCPT from", "Reject"},
        {"NOQUEUE: reject: RCPT from h[", "Reject"}, {"NOQUEUE: reject: RCPT from h[1.2.3.4]: 5", "Reject"},
        {"NOQUEUE: reject: ; from=<", "Reject"}, {"7EE668039: to=<", "Delivery"}, {"7EE668039: to=", "Delivery"},
        {"7EE668039: to=<a>, status=sent (", "Delivery"}, {"7EE668039: to=<a>, status=sent )(", "Delivery"},
        {"7EE668039: client=", "Client"}, {"7EE668039: client=[", "Client"}, {"7EE668039: message-id=<", "MessageId"},
        {"7EE668039: from=<>, size=x, nrcpt=99999999999999999999", "Info"}, {"7EE668039: uid=", "Pickup"},
        {"7EE668039: a notification: ", "Info"}, {"7EE668039:", "Unknown"}, {"warning: ", "Notice"},
        {"warning: [", "Notice"}, {"warning: h[1.2.3.4]: SASL", "ClientWarning"}, {"connect from ", "Connect"},
        {"disconnect from h[1", "Disconnect"}, {"lost connection after ", "LostConnection"}, {"\xff\xfe\xfd invalid", "Unknown"},
        {"7EE668039: to=<\xc3\x28@example.org>, status=sent (\xe2\x82)", "Delivery"}};
    int i = 0;
    for (const auto &[body, kind] : bodies)
        QTest::addRow("junk %d", i++) << QByteArray(body) << QString::fromLatin1(kind);
    static const char withNul[] = "7EE668039: to=<a\0b>, status=sent (x\0y)";
    QTest::newRow("nul bytes") << QByteArray(withNul, sizeof(withNul) - 1) << u"Delivery"_s;
}

void TestPostfixParser::junk()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, kind);
    for (const QByteArray program : {"postfix/smtpd", "postfix/postscreen", "postfix/smtp", "postfix/cleanup"}) {
        const ExactLine parsed("Nov 22 08:50:30 mx1 " + program + "[1]: " + body);
        QVERIFY(parsed.isPostfix());
        QVERIFY(parsed.viewsInside());
        if (program == "postfix/smtpd")
            QCOMPARE(kindName(parsed.event().kind), kind);
    }
}

// Every prefix of real lines, as a log cut off while being written or by a full disk.
void TestPostfixParser::everyTruncation()
{
    QList<QByteArray> lines;
    for (const QString &file : QDir(grokDir()).entryList({u"*.yaml"_s}, QDir::Files, QDir::Name)) {
        GrokSpec spec;
        if (readGrokSpec(grokDir() + u'/' + file, spec))
            lines << "Nov 22 08:50:30 mx1 " + grokProgram(file).toUtf8() + "[123]: " + spec.data;
    }
    lines << ForwardedLine << "2026-11-22T08:50:41.123456+01:00 mx1 postfix/qmgr[10]: 1A2B3C4D5E: removed";
    QVERIFY(lines.size() > 170);
    qint64 prefixes = 0;
    for (const QByteArray &line : std::as_const(lines)) {
        for (qsizetype n = 0; n <= line.size(); ++n, ++prefixes) {
            const ExactLine parsed(line.left(n));
            QVERIFY2(parsed.viewsInside(), line.left(n).constData());
        }
    }
    QVERIFY(prefixes > 20000);
}

// Random lines over the characters the parsers look for, behind valid and broken prefixes.
void TestPostfixParser::randomLines()
{
    QRandomGenerator random(20261122);
    const QByteArray alphabet = "<>[]():;,= =.-_/@aZ09NOQUEUE7EE668039tofromstatusrelay\xff\0";
    const QList<QByteArray> prefixes = {"Nov 22 08:50:30 mx1 postfix/smtpd[1]: ", "Nov 22 08:50:30 mx1 postfix/smtp[1]: ",
        "Nov 22 08:50:30 mx1 postfix/cleanup[1]: 7EE668039: ", "Nov 22 08:50:30 mx1 postfix/qmgr[1]: NOQUEUE: reject: ",
        "Nov 22 08:50:30 mx1 postfix/postscreen[1]: ", "2026-11-22T08:50:30Z mx1 postfix/local[1]: 7EE668039: to=<", ""};
    int postfixLines = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray line = prefixes[random.bounded(prefixes.size())];
        const int length = random.bounded(200);
        for (int c = 0; c < length; ++c)
            line += alphabet[random.bounded(alphabet.size())];
        const ExactLine parsed(line);
        QVERIFY2(parsed.viewsInside(), line.toPercentEncoding().constData());
        postfixLines += parsed.isPostfix() ? 1 : 0;
    }
    QVERIFY(postfixLines > 15000);
}

void TestPostfixParser::hugeLines_data()
{
    QTest::addColumn<QByteArray>("body");
    constexpr int Mb = 1 << 20;
    QTest::newRow("open address") << QByteArray("7EE668039: to=<" + QByteArray(Mb, 'a'));
    QTest::newRow("brackets") << QByteArray("NOQUEUE: reject: RCPT from " + QByteArray(Mb, '['));
    QTest::newRow("from h[ again and again") << QByteArray("lost " + QByteArray(" from h[").repeated(Mb / 8));
    QTest::newRow("envelope markers") << QByteArray("NOQUEUE: warn: " + QByteArray("; ").repeated(Mb / 2));
    QTest::newRow("closing brackets") << QByteArray("7EE668039: to=<" + QByteArray(">x").repeated(Mb / 2));
    QTest::newRow("said markers") << QByteArray("7EE668039: host h[1] said: " + QByteArray("(in reply to ").repeated(Mb / 13));
}

void TestPostfixParser::hugeLines()
{
    QFETCH(QByteArray, body);
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray program : {"postfix/smtpd", "postfix/postscreen", "postfix/smtp", "postfix/cleanup"}) {
        const ExactLine parsed("Nov 22 08:50:30 mx1 " + program + "[1]: " + body);
        QVERIFY(parsed.isPostfix());
        QVERIFY(parsed.viewsInside());
    }
    // Linear scans take milliseconds per MB; a quadratic one would take minutes.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void TestPostfixParser::postfixPrograms()
{
    for (const char *own : {"postfix", "postfix/smtpd", "postfix/submission/smtpd", "postfix-out/smtp", "postfix2/qmgr"})
        QVERIFY2(PostfixParser::isPostfixProgram(own), own);
    for (const char *other : {"postfix-policyd-spf-python", "postfixadmin", "postfi", "xpostfix/smtpd", "Postfix/smtpd",
                              "dovecot", "", "/postfix"})
        QVERIFY2(!PostfixParser::isPostfixProgram(other), other);
}

QTEST_GUILESS_MAIN(TestPostfixParser)
#include "tst_postfixparser.moc"
