// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventfields.h"

#include "ingest/exim/eximformat.h"
#include "ingest/formatregistry.h"
#include "ingest/syslogline.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <memory>

using namespace mailtrail;
using namespace mailtrail::test;
using namespace Qt::StringLiterals;

namespace {
// A line parsed from a buffer of exactly its size, so that a sanitizer build catches any read past
// its end; Exim's own log form first, then syslog.
class ExactLine
{
public:
    explicit ExactLine(const QByteArray &line)
        : m_size(static_cast<std::size_t>(line.size()))
        , m_buffer(new char[std::max<std::size_t>(m_size, 1)])
    {
        std::copy(line.cbegin(), line.cend(), m_buffer.get());
        const std::string_view text(m_buffer.get(), m_size);
        m_split = parseEximLogLine(text, m_line) || parseSyslogLine(text, m_line);
        m_exim = m_split && EximParser().parse(m_line, m_ev);
    }
    bool isExim() const { return m_exim; }
    const Event &event() const { return m_ev; }
    const SyslogLine &line() const { return m_line; }

    bool viewsInside() const
    {
        const Event &e = m_ev;
        for (const std::string_view v : {e.host, e.queueId, e.sender, e.recipient, e.origRecipient, e.relay, e.dsn,
                                         e.replyText, e.clientHost, e.clientIp, e.messageId, e.relatedQueueId, e.detail,
                                         m_line.host, m_line.body}) {
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
    bool m_split = false;
    bool m_exim = false;
};

QStringList corpusFiles()
{
    return QDir(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus")).entryList({u"*.log"_s}, QDir::Files, QDir::Name);
}
} // namespace

class TestEximParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logLine_data();
    void logLine();
    void messageId_data();
    void messageId();
    void parse_data();
    void parse();
    void otherPrograms();
    void detect_data();
    void detect();
    void continuation_data();
    void continuation();
    void corpus_data();
    void corpus();
    void syslogCopies_data();
    void syslogCopies();
};

void TestEximParser::logLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("time");  // year-month-day hour:minute:second.ms zone pid
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("plain") << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 Completed"_ba << true
                           << u"1999-3-2 9:44:33.0 - -1"_s << "10HmaX-000000005vi-0000 Completed"_ba;
    QTest::newRow("pid") << "1999-03-02 09:44:33 [1234] 10HmaX-000000005vi-0000 <= CALLER@myhost.test.ex U=CALLER P=local S=sss"_ba
                         << true << u"1999-3-2 9:44:33.0 - 1234"_s
                         << "10HmaX-000000005vi-0000 <= CALLER@myhost.test.ex U=CALLER P=local S=sss"_ba;
    QTest::newRow("milliseconds") << "2017-07-30 18:51:05.712 10HmaZ-000000005vi-0000 => userx <userx@test.ex> R=r1 T=t1"_ba
                                  << true << u"2017-7-30 18:51:5.712 - -1"_s
                                  << "10HmaZ-000000005vi-0000 => userx <userx@test.ex> R=r1 T=t1"_ba;
    QTest::newRow("log_timezone") << "2026-12-03 20:31:07 +0100 1xV3Nh-0002YX-30 Completed"_ba << true
                                  << u"2026-12-3 20:31:7.0 3600 -1"_s << "1xV3Nh-0002YX-30 Completed"_ba;
    QTest::newRow("rejectlog header") << "Envelope-from: <x@y>"_ba << false << QString() << QByteArray();
    QTest::newRow("syslog") << "Dec  3 20:31:07 mx exim[12]: 1xV3Nh-0002YX-30 Completed"_ba << false << QString() << QByteArray();
    QTest::newRow("bad month") << "2026-13-03 20:31:07 x"_ba << false << QString() << QByteArray();
    QTest::newRow("truncated") << "2026-12-03 20:31"_ba << false << QString() << QByteArray();
    QTest::newRow("glued") << "2026-12-03 20:31:07x"_ba << false << QString() << QByteArray();
}

void TestEximParser::logLine()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    SyslogLine out;
    QCOMPARE(parseEximLogLine(std::string_view(line.constData(), static_cast<std::size_t>(line.size())), out), ok);
    if (!ok)
        return;
    QFETCH(QString, time);
    QFETCH(QByteArray, body);
    const QString got = u"%1-%2-%3 %4:%5:%6.%7 %8 %9"_s.arg(out.year).arg(out.month).arg(out.day).arg(out.hour)
                            .arg(out.minute).arg(out.second).arg(out.millisecond)
                            .arg(out.hasUtcOffset ? QString::number(out.utcOffsetSec) : u"-"_s).arg(out.pid);
    QCOMPARE(got, time);
    QCOMPARE(QByteArray(out.body.data(), static_cast<qsizetype>(out.body.size())), body);
    QCOMPARE(QByteArray(out.program.data(), static_cast<qsizetype>(out.program.size())), "exim"_ba);
}

void TestEximParser::messageId_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("id");
    QTest::newRow("classic") << "1xV3Nh-0002YX-30"_ba << true;
    QTest::newRow("4.97 long") << "10HmaX-000000005vi-0000"_ba << true;
    QTest::newRow("test-suite short") << "10HmaX-0005vi-00"_ba << true;
    QTest::newRow("word") << "Completed"_ba << false;
    QTest::newRow("dash misplaced") << "1xV3N-h0002YX-30"_ba << false;
    QTest::newRow("punctuation") << "1xV3Nh-0002Y.-30"_ba << false;
    QTest::newRow("long form, short last part") << "10HmaX-000000005vi-000"_ba << false;
}

void TestEximParser::messageId()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, id);
    QCOMPARE(EximParser::isMessageId(std::string_view(token.constData(), static_cast<std::size_t>(token.size()))), id);
}

void TestEximParser::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expect");

    // Lines from Exim's own test suite (GPL-2.0-or-later) and fail2ban's samples (GPL-2.0-or-later):
    // see tests/data/README.md. Lines of logs produced by tests/data/exim/produce.sh are marked so.
    QTest::newRow("arrival, local")
        << "1999-03-02 09:44:33 [1234] 10HmaX-000000005vi-0000 <= CALLER@myhost.test.ex U=CALLER P=local S=sss"_ba
        << QStringList{u"kind=Pickup"_s, u"queueId=10HmaX-000000005vi-0000"_s, u"sender=CALLER@myhost.test.ex"_s,
                       u"hasSender=true"_s, u"size=-1"_s, u"pid=1234"_s, u"detail=local"_s, u"relatedQueueId="_s};
    QTest::newRow("arrival, smtp (produced)")
        << "2026-12-03 20:41:02 1vQx2c-000Ab3-2F <= alice@lab.test H=localhost (client.lab.test) [127.0.0.1] P=esmtp S=412 id=20261203.1@client.lab.test"_ba
        << QStringList{u"kind=Client"_s, u"sender=alice@lab.test"_s, u"clientHost=localhost"_s, u"clientIp=127.0.0.1"_s,
                       u"size=412"_s, u"messageId=20261203.1@client.lab.test"_s, u"detail=esmtp"_s};
    // tests/data/exim/golden/exim-4.98.2-mainlog.log, log_selector +received_recipients.
    QTest::newRow("arrival names its envelope recipients (produced)")
        << "2026-12-03 20:48:36.264 [22304] 1xZDjI-000000005nk-0wGM <= alice@lab.test H=(mx) [127.0.0.1] P=esmtp S=401 id=20261203204836.022263@mx for bob@lab.test info@lab.test"_ba
        << QStringList{u"kind=Client"_s, u"sender=alice@lab.test"_s, u"size=401"_s, u"messageId=20261203204836.022263@mx"_s,
                       u"envelopeRecipients=bob@lab.test info@lab.test"_s, u"recipient="_s};
    QTest::newRow("bounce names its recipient (produced)")
        << "2026-12-03 20:50:20.249 [24830] 1xZDky-000000006SU-0P43 <= <> R=1xZDjO-000000005rI-1ryo U=Debian-exim P=local S=1607 for bob@lab.test"_ba
        << QStringList{u"kind=Pickup"_s, u"relatedQueueId=1xZDjO-000000005rI-1ryo"_s, u"envelopeRecipients=bob@lab.test"_s};
    // Syslog cut a long line: its first part may end inside an address, which is no recipient.
    QTest::newRow("arrival cut by syslog names none")
        << "Dec  3 20:48:36 mx exim[22304]: [1\\2] 1xZDjI-000000005nk-0wGM <= alice@lab.test H=(mx) [127.0.0.1] P=esmtp S=401 for bob@lab.test inf"_ba
        << QStringList{u"kind=Client"_s, u"queueId=1xZDjI-000000005nk-0wGM"_s, u"envelopeRecipients="_s};
    QTest::newRow("arrival, authenticated (produced)")
        << "2026-12-03 20:48:56.265 [22898] 1xZDjc-000000005xK-0lCx <= alice@lab.test H=(mx) [127.0.0.3] P=esmtpa A=plain_server:alice S=426 id=20261203204855.022830@mx for friend@remote.test"_ba
        << QStringList{u"kind=Client"_s, u"saslMethod=plain_server"_s, u"saslUsername=alice"_s, u"size=426"_s,
                       u"detail=esmtpa"_s, u"clientIp=127.0.0.3"_s};
    QTest::newRow("arrival, authenticated over TLS")
        << "1999-03-02 09:44:33 10HmaY-000000005vi-0000 <= CALLER@the.local.host.name H=localhost (the.local.host.name) [127.0.0.1] P=esmtpsa L. X=TLS1.x:ke-RSA-AES256-SHAnnn:xxx A=plain:userx S=sss id=E10HmaX-000000005vi-0000@the.local.host.name for nocache@test.ex"_ba
        << QStringList{u"saslMethod=plain"_s, u"saslUsername=userx"_s, u"messageId=E10HmaX-000000005vi-0000@the.local.host.name"_s};
    QTest::newRow("arrival, not authenticated (produced)")
        << "2026-12-03 20:41:02 1vQx2c-000Ab3-2F <= alice@lab.test H=localhost (client.lab.test) [127.0.0.1] P=esmtp S=412 id=20261203.1@client.lab.test"_ba
        << QStringList{u"saslMethod="_s, u"saslUsername="_s};
    QTest::newRow("bounce names its parent")
        << "1999-03-02 09:44:33 10HmbD-000000005vi-0000 <= <> R=10HmaY-000000005vi-0000 U=EXIMUSER P=local S=sss"_ba
        << QStringList{u"kind=Pickup"_s, u"sender="_s, u"hasSender=true"_s, u"relatedQueueId=10HmaY-000000005vi-0000"_s};
    QTest::newRow("local delivery: the local part of the envelope recipient")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 => userx <userx@myhost.test.ex> R=userx T=appendfile"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Sent"_s, u"recipient=userx@myhost.test.ex"_s, u"origRecipient="_s,
                       u"expandedTo="_s, u"relay=appendfile"_s};
    // As Postfix's "to=<alice@lab.test>, orig_to=<info@lab.test>": the address reached, and the
    // envelope recipient it was reached by.
    QTest::newRow("alias: the address reached, of the envelope recipient (produced)")
        << "2026-12-03 20:35:43 1xZDWo-0001nf-2y => alice <info@lab.test> R=localuser T=local_delivery"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Sent"_s, u"recipient=alice"_s, u"origRecipient=info@lab.test"_s,
                       u"expandedTo=alice"_s, u"relay=local_delivery"_s};
    QTest::newRow("the envelope recipient lower-cased (testsuite)")
        << "1999-03-02 09:44:33 10HmbC-000000005vi-0000 => unknown@known.domain <UNKNOWN@KNOWN.DOMAIN> R=default1 T=appendfile"_ba
        << QStringList{u"kind=Delivery"_s, u"recipient=UNKNOWN@KNOWN.DOMAIN"_s, u"origRecipient="_s};
    QTest::newRow("pipe with parent")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 => /dev/null (faq@nl.demon.net) <faq@nl.demon.net> R=algemeen_aliases T=**bypassed**"_ba
        << QStringList{u"recipient=faq@nl.demon.net"_s, u"origRecipient="_s, u"expandedTo=/dev/null"_s,
                       u"relay=**bypassed**"_s};
    QTest::newRow("pipe, a command with spaces")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 => |/bin/sh -c \"cat >TESTSUITE/test-mail/pipe\" <pipe@test.ex> R=forward T=pipe"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Sent"_s, u"recipient=pipe@test.ex"_s,
                       u"expandedTo=|/bin/sh -c \"cat >TESTSUITE/test-mail/pipe\""_s, u"relay=pipe"_s};
    QTest::newRow("remote, confirmation")
        << "1999-03-02 09:44:33 10HmaY-000000005vi-0000 => userx@test.ex <Userx-S@Test.Ex> R=localuser_ss T=delivery_s H=127.0.0.1 [127.0.0.1] C=\"250 OK\""_ba
        << QStringList{u"recipient=userx@test.ex"_s, u"origRecipient=Userx-S@Test.Ex"_s, u"expandedTo=userx@test.ex"_s,
                       u"relay=127.0.0.1 [127.0.0.1]"_s,
                       u"replyCode=250"_s, u"replyText=250 OK"_s};
    QTest::newRow("further address")
        << "1999-03-02 09:44:33 10HmbN-000000005vi-0000 -> ok2 <ok2@test.ex> R=r0 T=t2"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Sent"_s, u"recipient=ok2@test.ex"_s};
    QTest::newRow("suppressed by -N")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 *> newr1@myhost.test.ex <r1@test.ex> R=ok T=t1 H=V4NET.0.0.0 [V4NET.0.0.0] C=\"delivery bypassed by -N option\""_ba
        << QStringList{u"status=Sent"_s, u"recipient=newr1@myhost.test.ex"_s, u"origRecipient=r1@test.ex"_s, u"detail=*>"_s,
                       u"replyCode=0"_s};
    QTest::newRow("queue time")
        << "2017-07-30 18:51:05.712 10HmaZ-000000005vi-0000 => userx <userx@test.ex> R=r1 T=t1 QT=1m2.5s DT=0.3s"_ba
        << QStringList{u"delaySec=62.5"_s};
    QTest::newRow("defer with SMTP reply")
        << "1999-03-02 09:44:33 10HmbB-000000005vi-0000 == b@test.ex <B@test.ex> R=client T=send_to_server defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<B@test.ex>: 452 4.5.3 Try again"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Deferred"_s, u"recipient=B@test.ex"_s, u"relay=127.0.0.1 [127.0.0.1]"_s,
                       u"replyCode=452"_s, u"dsn=4.5.3"_s, u"replyText=452 4.5.3 Try again"_s, u"skippedTry=false"_s};
    QTest::newRow("defer, held")
        << "1999-03-02 09:44:33 10HmaY-000000005vi-0000 == CALLER@two.test.ex defer (-23): domain is held"_ba
        << QStringList{u"status=Deferred"_s, u"recipient=CALLER@two.test.ex"_s, u"replyText=domain is held"_s};
    // A try that reached no host names its transport; the host is on the line before it.
    QTest::newRow("connection refused: the host, on a line of its own (produced)")
        << "2026-12-03 20:48:42.644 [22536] 1xZDjO-000000005rI-1ryo H=127.0.0.9 [127.0.0.9] Connection refused"_ba
        << QStringList{u"kind=Info"_s, u"relay=127.0.0.9 [127.0.0.9]"_s, u"queueId=1xZDjO-000000005rI-1ryo"_s};
    QTest::newRow("connection refused: the try names its transport (produced)")
        << "2026-12-03 20:48:42.671 [22530] 1xZDjO-000000005rI-1ryo == x@slow.test R=to_slow T=remote_smtp defer (111): Connection refused DT=0.000s"_ba
        << QStringList{u"kind=Delivery"_s, u"status=Deferred"_s, u"relay=remote_smtp"_s, u"relayIsTransport=true"_s,
                       u"replyText=Connection refused"_s};
    QTest::newRow("timed out: the host after the error (testsuite)")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userx@domain1.com R=all T=smtp defer (dd): Connection timed out H=127.0.0.1 [127.0.0.1]: SMTP timeout after EHLO myhost.test.ex"_ba
        << QStringList{u"status=Deferred"_s, u"relay=127.0.0.1 [127.0.0.1]"_s, u"relayIsTransport=false"_s};
    QTest::newRow("network error: the host, on a line of its own (testsuite)")
        << "1999-03-02 09:44:33 10HmbC-000000005vi-0000 H=V4NET.0.0.2 [V4NET.0.0.2] Network Error"_ba
        << QStringList{u"kind=Info"_s, u"relay=V4NET.0.0.2 [V4NET.0.0.2]"_s};
    QTest::newRow("retry time not reached: skipped")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userx@simple R=all T=smtp defer (-54): retry time not reached for any host for 'simple'"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=userx@simple"_s, u"relay=smtp"_s};
    QTest::newRow("failure, unrouteable")
        << "1999-03-02 09:44:33 10HmaY-000000005vi-0000 ** userx@bad.ex : Unrouteable address"_ba
        << QStringList{u"status=Bounced"_s, u"recipient=userx@bad.ex"_s, u"replyText=Unrouteable address"_s};
    QTest::newRow("failure, remote 550 (produced)")
        << "2026-12-03 20:41:05 1vQx2c-000Ab3-2F ** nobody@remote.test R=smarthost T=remote_smtp_smarthost H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<nobody@remote.test>: 550 5.1.1 No such user"_ba
        << QStringList{u"status=Bounced"_s, u"recipient=nobody@remote.test"_s, u"replyCode=550"_s, u"dsn=5.1.1"_s,
                       u"relay=127.0.0.1 [127.0.0.1]"_s};
    QTest::newRow("retry timeout exceeded")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** b@known.ex: retry timeout exceeded"_ba
        << QStringList{u"status=Expired"_s, u"recipient=b@known.ex"_s};
    QTest::newRow("hosts failing for a long time")
        << "2026-12-03 20:41:05 1vQx2c-000Ab3-2F ** x@slow.test R=dnslookup T=remote_smtp: all hosts for 'slow.test' have been failing for a long time (and retry time not reached)"_ba
        << QStringList{u"status=Expired"_s, u"recipient=x@slow.test"_s};
    QTest::newRow("completed") << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 Completed"_ba
                               << QStringList{u"kind=Removed"_s, u"queueId=10HmaX-000000005vi-0000"_s};
    QTest::newRow("frozen") << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 Frozen"_ba
                            << QStringList{u"kind=Hold"_s, u"detail=Frozen"_s, u"queueId=10HmaX-000000005vi-0000"_s};
    QTest::newRow("frozen, delivery error message (produced)")
        << "2026-12-03 20:48:58.594 [22972] 1xZDje-000000005yR-1Ngy Frozen (delivery error message)"_ba
        << QStringList{u"kind=Hold"_s, u"detail=Frozen (delivery error message)"_s, u"queueId=1xZDje-000000005yR-1Ngy"_s};
    QTest::newRow("queue run finds it frozen")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 Message is frozen"_ba
        << QStringList{u"kind=Hold"_s, u"queueId=10HmaX-000000005vi-0000"_s};
    // Exim's DKIM results (testsuite 4501, tests/data/exim/corpus/exim-testsuite-dkim.log),
    // before the "<=": Info lines that join the message, with a verdict as opendkim's.
    QTest::newRow("DKIM pass (testsuite)")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 DKIM: d=test.ex s=sel c=simple/simple a=rsa-sha1 b=1024 [verification succeeded]"_ba
        << QStringList{u"kind=Info"_s, u"verdict=DKIM pass"_s, u"queueId=10HmaX-000000005vi-0000"_s};
    QTest::newRow("DKIM fail (testsuite)")
        << "1999-03-02 09:44:33 10HmaY-000000005vi-0000 DKIM: d=test.ex s=sel c=simple/simple a=rsa-sha1 b=1024 [verification failed - body hash mismatch (body probably modified in transit)]"_ba
        << QStringList{u"kind=Info"_s, u"verdict=DKIM fail"_s};
    // A key it could not use (test/log/4502, quoted unchanged).
    QTest::newRow("DKIM invalid key (testsuite)")
        << "1999-03-02 09:44:33 10HmbA-000000005vi-0000 DKIM: d=test.ex s=sel_bad c=relaxed/relaxed a=rsa-sha1 b=1024 [invalid - syntax error in public key record]"_ba
        << QStringList{u"kind=Info"_s, u"verdict=DKIM permerror"_s};
    // exim -Mrm (testsuite 5820, tests/data/exim/corpus/exim-testsuite-dane.log): an
    // administrator's deletion, as postsuper -d's; "Completed" follows.
    QTest::newRow("removed by an administrator (testsuite)")
        << "1999-03-02 09:44:33 10HmbH-000000005vi-0000 removed by CALLER"_ba
        << QStringList{u"kind=Deleted"_s, u"detail=removed by CALLER"_s, u"queueId=10HmbH-000000005vi-0000"_s};
    QTest::newRow("unfrozen (produced)")
        << "2026-12-03 20:49:01.745 [23037] 1xZDje-000000005yR-1Ngy unfrozen by root"_ba
        << QStringList{u"kind=Release"_s, u"detail=unfrozen by root"_s, u"queueId=1xZDje-000000005yR-1Ngy"_s};
    QTest::newRow("refused RCPT")
        << "1999-03-02 09:44:33 H=(test) [V4NET.0.0.0] U=CALLER F=<userx@test.ex> rejected RCPT <x@ten-2.test.ex>: relay not permitted"_ba
        << QStringList{u"kind=Reject"_s, u"status=Rejected"_s, u"queueId="_s, u"sender=userx@test.ex"_s,
                       u"recipient=x@ten-2.test.ex"_s, u"clientIp=V4NET.0.0.0"_s, u"clientHost="_s,
                       u"replyText=relay not permitted"_s};
    QTest::newRow("refused RCPT, bare addresses, pid")
        << "2013-06-10 18:33:32 [10099] H=(yakult.com.tw) [202.132.70.178]:3755 I=[1.2.3.4]:25 F=menacedsj04@listserv.eurasia.org rejected RCPT dir@ml3.ru: relay not permitted"_ba
        << QStringList{u"kind=Reject"_s, u"sender=menacedsj04@listserv.eurasia.org"_s, u"recipient=dir@ml3.ru"_s,
                       u"clientIp=202.132.70.178"_s, u"pid=10099"_s};
    QTest::newRow("temporarily refused")
        << "1999-03-02 09:44:33 H=(test) [56.56.57.57] U=CALLER F=<userx@test.ex> temporarily rejected RCPT <cond-rhubarb@test.ex>: invalid \"condition\" value \"rhubarb\""_ba
        << QStringList{u"kind=Reject"_s, u"replyCode=451"_s, u"recipient=cond-rhubarb@test.ex"_s};
    QTest::newRow("refused connection")
        << "1999-03-02 09:44:33 H=[127.0.0.1] rejected connection in \"connect\" ACL: 550 client disliked"_ba
        << QStringList{u"kind=Reject"_s, u"recipient="_s, u"clientIp=127.0.0.1"_s, u"replyCode=550"_s,
                       u"detail=connection in \"connect\" ACL"_s};
    // fail2ban's exim sample: the id Exim writes first names the connection, not a message.
    QTest::newRow("connection dropped by an ACL, with an id")
        << "2016-03-21 04:07:49 [25874] 1ahr79-0006jK-G9 SMTP connection from (voyeur.webair.com) [174.137.147.204]:44884 I=[172.89.0.6]:25 closed by DROP in ACL"_ba
        << QStringList{u"kind=Reject"_s, u"status=Rejected"_s, u"queueId="_s, u"hasSender=false"_s, u"recipient="_s,
                       u"clientHost="_s, u"clientIp=174.137.147.204"_s, u"detail=closed by DROP in ACL"_s};
    QTest::newRow("connection dropped by an ACL, host name")
        << "2016-03-21 04:33:13 [26074] 1ahrVl-0006mY-79 SMTP connection from riveruse.com [206.214.71.53]:39865 I=[172.89.0.6]:25 closed by DROP in ACL"_ba
        << QStringList{u"kind=Reject"_s, u"queueId="_s, u"clientHost=riveruse.com"_s, u"clientIp=206.214.71.53"_s};
    QTest::newRow("connection dropped by an ACL, no id")
        << "2016-03-21 04:33:14 SMTP connection from (some.domain) [192.0.2.33] closed by DROP in ACL"_ba
        << QStringList{u"kind=Reject"_s, u"queueId="_s, u"clientIp=192.0.2.33"_s};
    // smtp_accept_max_nonmail: our server hung up on a client sending too many non-mail commands.
    QTest::newRow("call dropped: too many nonmail commands")
        << "2013-06-02 09:22:05 [19591] SMTP call from pc012-6201.spo.scu.edu.tw [163.14.21.161]:3767 I=[1.2.3.4]:25 dropped: too many nonmail commands (last was \"RSET\")"_ba
        << QStringList{u"kind=Reject"_s, u"status=Rejected"_s, u"queueId="_s, u"hasSender=false"_s, u"recipient="_s,
                       u"clientHost=pc012-6201.spo.scu.edu.tw"_s, u"clientIp=163.14.21.161"_s,
                       u"detail=dropped: too many nonmail commands (last was \"RSET\")"_s,
                       u"replyText=too many nonmail commands (last was \"RSET\")"_s};
    QTest::newRow("call dropped: HELO name and U=")
        << "1999-03-02 09:44:33 SMTP call from (test.host) [10.0.0.1] U=CALLER dropped: too many nonmail commands (last was \"auth\")"_ba
        << QStringList{u"kind=Reject"_s, u"clientHost="_s, u"clientIp=10.0.0.1"_s};
    QTest::newRow("call dropped: a local caller, no client")
        << "1999-03-02 09:44:33 SMTP call from CALLER dropped: too many nonmail commands (last was \"rset\")"_ba
        << QStringList{u"kind=Reject"_s, u"clientHost="_s, u"clientIp="_s};
    QTest::newRow("call dropped for syntax errors: still housekeeping")
        << "2013-06-02 09:22:06 SMTP call from [192.0.2.109] dropped: too many syntax or protocol errors (last command was \"AUTH LOGIN\")"_ba
        << QStringList{u"kind=Info"_s};
    // "drop" with a message: the ACL's name in quotes, the message after it.
    QTest::newRow("connection dropped by the connect ACL, its message")
        << "2022-04-03 21:53:54 H=[192.0.2.101]:62839 dropped by 'connect' ACL: Country is banned"_ba
        << QStringList{u"kind=Reject"_s, u"status=Rejected"_s, u"queueId="_s, u"hasSender=false"_s, u"recipient="_s,
                       u"clientHost="_s, u"clientIp=192.0.2.101"_s, u"detail=dropped by 'connect' ACL"_s,
                       u"replyText=Country is banned"_s};
    QTest::newRow("connection dropped by the connect ACL, pid, 550")
        << "1999-03-02 09:44:33 [1235] H=[127.0.0.1] dropped by 'connect' ACL: 550 we dislike you"_ba
        << QStringList{u"kind=Reject"_s, u"clientIp=127.0.0.1"_s, u"replyCode=550"_s, u"pid=1235"_s};
    QTest::newRow("connection dropped by the connect ACL, no message")
        << "1999-03-02 09:44:33 H=name.example (helo) [192.0.2.7]:1234 I=[192.0.2.1]:25 dropped by 'connect' ACL"_ba
        << QStringList{u"kind=Reject"_s, u"clientHost=name.example"_s, u"clientIp=192.0.2.7"_s,
                       u"replyText=dropped by 'connect' ACL"_s};
    QTest::newRow("dropped by, not after fields: not a reject")
        << "1999-03-02 09:44:33 some text dropped by 'connect' ACL"_ba
        << QStringList{u"kind=Unknown"_s, u"clientIp="_s};
    QTest::newRow("refused EHLO: its client after from")
        << "1999-03-02 09:44:33 rejected EHLO from (bad) [192.0.2.44]: syntactically invalid argument(s): bad"_ba
        << QStringList{u"kind=Reject"_s, u"status=Rejected"_s, u"clientHost="_s, u"clientIp=192.0.2.44"_s,
                       u"detail=EHLO from (bad) [192.0.2.44]"_s, u"replyText=syntactically invalid argument(s): bad"_s};
    QTest::newRow("refused HELO of a local caller: no client")
        << "1999-03-02 09:44:33 rejected HELO from CALLER: syntactically invalid argument(s): (no argument given)"_ba
        << QStringList{u"kind=Reject"_s, u"clientHost="_s, u"clientIp="_s};
    QTest::newRow("refused EHLO or HELO, after H=")
        << "1999-03-02 09:44:33 H=(x.y.z) [10.9.8.10] U=CALLER rejected EHLO or HELO x.y.z"_ba
        << QStringList{u"kind=Reject"_s, u"clientIp=10.9.8.10"_s, u"detail=EHLO or HELO x.y.z"_s};
    QTest::newRow("message too big: never queued, its id kept")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 U=CALLER F=<CALLER@myhost.test.ex> rejected after DATA: message too big - $recipients=userx@test.ex (1)"_ba
        << QStringList{u"kind=Reject"_s, u"queueId=10HmaX-000000005vi-0000"_s, u"facts=EndsMessage"_s,
                       u"sender=CALLER@myhost.test.ex"_s, u"replyText^message too big"_s};
    QTest::newRow("too big, rejectlog form (produced)")
        << "2026-12-03 20:31:30 1xZDSk-0000en-1h rejected from <alice@lab.test> H=(mx) [127.0.0.1]: message too big: read=30650 max=20480"_ba
        << QStringList{u"kind=Reject"_s, u"queueId=1xZDSk-0000en-1h"_s, u"facts=EndsMessage"_s, u"sender=alice@lab.test"_s,
                       u"clientIp=127.0.0.1"_s, u"replyText=message too big: read=30650 max=20480"_s};
    QTest::newRow("rejected after DATA")
        << "1999-03-02 09:44:33 10HmaZ-000000005vi-0000 U=CALLER F=<CALLER@myhost.test.ex> rejected after DATA"_ba
        << QStringList{u"kind=Reject"_s, u"queueId=10HmaZ-000000005vi-0000"_s, u"status=Rejected"_s};
    QTest::newRow("client warning: no MAIL")
        << "2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from www3005.sakura.ne.jp [49.212.207.15]:28890 I=[172.89.0.6]:25 D=21s C=EHLO,STARTTLS"_ba
        << QStringList{u"kind=ClientWarning"_s, u"queueId="_s, u"clientHost=www3005.sakura.ne.jp"_s,
                       u"clientIp=49.212.207.15"_s, u"detail^no MAIL in SMTP connection"_s};
    QTest::newRow("client warning: synchronization error")
        << "2013-06-02 06:54:20 [13314] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[211.148.195.192]:25936 I=[1.2.3.4]:25 input=\"GET / HTTP/1.1\\r\\n\\r\\n\""_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientIp=211.148.195.192"_s};
    QTest::newRow("client warning: synchronization error, command")
        << "2013-06-02 09:05:48 [18505] SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"RSET\" H=ba77.mx83.fr [82.96.160.77]:58302 I=[1.2.3.4]:25 next input=\"QUIT\\r\\n\""_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientHost=ba77.mx83.fr"_s, u"clientIp=82.96.160.77"_s};
    QTest::newRow("client warning: command timeout")
        << "1999-03-02 09:44:33 SMTP command timeout on connection from (rhu1.barb) [127.0.0.1] D=qqs"_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientHost="_s, u"clientIp=127.0.0.1"_s};
    QTest::newRow("client warning: unexpected disconnection")
        << "1999-03-02 09:44:33 unexpected disconnection while reading SMTP command from (test) [127.0.0.1] D=qqs"_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientIp=127.0.0.1"_s};
    QTest::newRow("client warning: syntax error, local caller")
        << "1999-03-02 09:44:33 SMTP syntax error in \"debug\" U=CALLER unrecognized command"_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientIp="_s, u"detail^SMTP syntax error"_s};
    QTest::newRow("routing defer, retry time not reached (produced)")
        << "2026-12-03 20:31:58 1xZDSU-0000Z4-1Z == flaky@remote.test routing defer (-52): retry time not reached"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=flaky@remote.test"_s,
                       u"replyText=retry time not reached"_s};
    QTest::newRow("chunking flag after the host (produced)")
        << "2026-12-03 20:32:59 1xZDSU-0000Z4-1Z => flaky@remote.test R=to_remote T=remote_smtp H=127.0.0.1 [127.0.0.1] K C=\"250- 438 byte chunk, total 438\\\\n250 OK id=1xZDUB-00017U-2B\""_ba
        << QStringList{u"relay=127.0.0.1 [127.0.0.1]"_s, u"replyCode=250"_s, u"recipient=flaky@remote.test"_s,
                       u"replyText=250 OK id=1xZDUB-00017U-2B"_s};
    QTest::newRow("failure text before DT= (4.98, produced)")
        << "2026-12-03 20:48:37.773 [22357] 1xZDjJ-000000005oY-1pzX ** nobody@remote.test R=to_remote T=remote_smtp H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<nobody@remote.test>: 550 5.1.1 No such user DT=0.000s"_ba
        << QStringList{u"replyText=550 5.1.1 No such user"_s, u"delaySec=0"_s, u"pid=22357"_s, u"queueId=1xZDjJ-000000005oY-1pzX"_s};
    QTest::newRow("SMTP error text is no rejection")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 SMTP error from remote mail server after RCPT TO:<a@b>: 550 rejected by policy"_ba
        << QStringList{u"kind=Info"_s, u"queueId=10HmaX-000000005vi-0000"_s};
    QTest::newRow("auth failure")
        << "2013-08-20 07:48:02 login authenticator failed for static-ip-85-25-92-177.inaddr.ip-pool.com (USER) [85.25.92.177]: 535 Incorrect authentication data: 1 Time(s)"_ba
        << QStringList{u"kind=AuthFailure"_s, u"clientHost=static-ip-85-25-92-177.inaddr.ip-pool.com"_s,
                       u"clientIp=85.25.92.177"_s, u"replyCode=535"_s};
    QTest::newRow("auth failure of a local caller: no client (testsuite)")
        << "1999-03-02 09:44:33 plain1 authenticator failed for U=CALLER: 535 Incorrect authentication data (set_id=userx\\n)"_ba
        << QStringList{u"kind=AuthFailure"_s, u"clientHost="_s, u"clientIp="_s, u"replyCode=535"_s};
    QTest::newRow("auth failure, port and interface")
        << "2014-12-02 03:00:23 auth_plain authenticator failed for (rom182) [193.254.202.35]:41556 I=[10.0.0.1]:25: 535 Incorrect authentication data (set_id=webmaster)"_ba
        << QStringList{u"kind=AuthFailure"_s, u"clientHost="_s, u"clientIp=193.254.202.35"_s};
    QTest::newRow("auth failure, through syslog with Exim's timestamp")
        << "Jul 17 23:20:49 mail.example.com exim[3751842]: 2021-07-17 23:20:49 plain_server authenticator failed for ([192.0.2.17]) [192.0.2.27]: 535 Incorrect authentication data"_ba
        << QStringList{u"kind=AuthFailure"_s, u"clientIp=192.0.2.27"_s, u"host=mail.example.com"_s, u"pid=3751842"_s};
    QTest::newRow("syslog, classic id (produced)")
        << "Dec  3 20:41:02 mx exim[4211]: 1vQx2c-000Ab3-2F <= alice@lab.test U=alice P=local S=412"_ba
        << QStringList{u"kind=Pickup"_s, u"queueId=1vQx2c-000Ab3-2F"_s, u"host=mx"_s, u"pid=4211"_s, u"size=412"_s};
    QTest::newRow("syslog with +pid (4.98, produced)")
        << "Dec  3 20:48:36 mx exim[22311]: [22311] 1xZDjI-000000005nk-0wGM => alice <info@lab.test> R=localuser T=local_delivery QT=0.340s DT=0.058s"_ba
        << QStringList{u"kind=Delivery"_s, u"queueId=1xZDjI-000000005nk-0wGM"_s, u"recipient=alice"_s,
                       u"origRecipient=info@lab.test"_s, u"expandedTo=alice"_s, u"delaySec=0.34"_s, u"pid=22311"_s};
    QTest::newRow("syslog continuation part")
        << "Dec  3 20:41:02 mx exim[4211]: [2\\3] for a@b c@d"_ba << QStringList{u"kind=Info"_s, u"queueId="_s};
    // Session 22's trial: deferrals that tried no host are no tries, whatever their errno (Exim's
    // test suite, test/log/0570, 0135, 0055).
    QTest::newRow("concurrency limit: skipped")
        << "1999-03-02 09:44:33 10HmbB-000000005vi-0000 == usery@domf.ex R=all T=smtp defer (-57): concurrency limit reached for transport"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=usery@domf.ex"_s,
                       u"replyText=concurrency limit reached for transport"_s};
    QTest::newRow("local retry time: skipped")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 == d@test.ex R=smart T=local_delivery defer (-53): Retry time not yet reached"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=d@test.ex"_s};
    QTest::newRow("queue_domains: skipped")
        << "1999-03-02 09:44:33 10HmaZ-000000005vi-0000 == xxx@local.test.ex routing defer (-56): domain is in queue_domains"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=xxx@local.test.ex"_s};
    QTest::newRow("first-pass routing: skipped")
        << "1999-03-02 09:44:33 10HmbC-000000005vi-0000 == xxx@ten-2.test.ex R=lookuphost T=smtp defer (-1): first-pass only routing due to -odqs, queue_smtp_domains or control=queue"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=true"_s, u"recipient=xxx@ten-2.test.ex"_s};
    // A host that failed is a try (test/log/0022-style SMTP error): not skipped.
    QTest::newRow("SMTP error: a try")
        << "1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userx@test.ex R=r1 T=t1 defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<userx@test.ex>: 451 Temporary error"_ba
        << QStringList{u"status=Deferred"_s, u"skippedTry=false"_s};
    // Lines Exim's test suite writes that were not understood (test/log/0458, 0212, 0024, 0376,
    // 0416, 0570, 0639).
    QTest::newRow("SMTP protocol error: a client warning")
        << "1999-03-02 09:44:33 SMTP protocol error in \"DATA\" H=(rhu.barb) [127.0.0.1]:10002 I=[127.0.0.1]:PORT_D valid RCPT command must precede DATA"_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientIp=127.0.0.1"_s, u"clientHost="_s};
    QTest::newRow("VRFY failed: a client warning")
        << "1999-03-02 09:44:33 VRFY failed for <b@test.ex> H=(test) [V4NET.0.0.0] U=CALLER"_ba
        << QStringList{u"kind=ClientWarning"_s, u"clientIp=V4NET.0.0.0"_s};
    QTest::newRow("sender verify fail: the reason of the reject after it")
        << "1999-03-02 09:44:33 H=(test) [V4NET.0.0.0] U=CALLER sender verify fail for <x@y>: Unrouteable address"_ba
        << QStringList{u"kind=Info"_s, u"queueId="_s};
    QTest::newRow("sender verify defer")
        << "1999-03-02 09:44:33 H=(test) [V4NET.0.0.1] U=root sender verify defer for <ok@localhost>: Could not complete sender verify callout: 127.0.0.1 [127.0.0.1] : Connection refused"_ba
        << QStringList{u"kind=Info"_s, u"queueId="_s};
    QTest::newRow("discarded by RCPT ACL")
        << "1999-03-02 09:44:33 U=CALLER F=<ok@x.y> RCPT <discard@p.q>: discarded by RCPT ACL: discard message 1"_ba
        << QStringList{u"kind=Discard"_s, u"status=Discarded"_s, u"queueId="_s, u"sender=ok@x.y"_s,
                       u"recipient=discard@p.q"_s, u"detail=discarded by RCPT ACL"_s, u"replyText=discard message 1"_s};
    QTest::newRow("discarded by RCPT ACL, from a client")
        << "1999-03-02 09:44:33 H=localhost (primary.test.ex) [127.0.0.1] F=<CALLER@test.ex> RCPT <userx@domA.ex>: discarded by RCPT ACL"_ba
        << QStringList{u"kind=Discard"_s, u"clientHost=localhost"_s, u"clientIp=127.0.0.1"_s, u"sender=CALLER@test.ex"_s,
                       u"recipient=userx@domA.ex"_s, u"replyText=discarded by RCPT ACL"_s};
    QTest::newRow("ATRN")
        << "1999-03-02 09:44:33 ATRN 'clientdom.net' received from the.local.host.name [ip4.ip4.ip4.ip4]"_ba
        << QStringList{u"kind=Info"_s};
    QTest::newRow("queue run") << "2026-12-03 20:41:00 Start queue run: pid=4200"_ba
                               << QStringList{u"kind=Info"_s, u"queueId="_s};
    QTest::newRow("not understood") << "2026-12-03 20:41:00 something Exim said"_ba
                                    << QStringList{u"kind=Unknown"_s, u"detail=something Exim said"_s};
}

void TestEximParser::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expect);
    const ExactLine parsed(line);
    QVERIFY(parsed.isExim());
    QVERIFY(parsed.viewsInside());
    const QStringList failed = mismatches(parsed.event(), expect);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"; "_s)));
}

void TestEximParser::otherPrograms()
{
    QVERIFY(!ExactLine("Dec  3 20:41:02 mx postfix/smtpd[12]: connect from a[1.2.3.4]"_ba).isExim());
    QVERIFY(!ExactLine("Dec  3 20:41:02 mx eximstats[12]: hello"_ba).isExim());
    QVERIFY(ExactLine("Dec  3 20:41:02 mx exim4[12]: 1vQx2c-000Ab3-2F Completed"_ba).isExim());
}

void TestEximParser::detect_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::newRow("mainlog, 4.96") << u"exim/golden/exim-4.96-mainlog.log"_s << u"exim"_s;
    QTest::newRow("rejectlog, 4.96") << u"exim/golden/exim-4.96-rejectlog.log"_s << u"exim"_s;
    QTest::newRow("rejectlog of local callers") << u"exim/corpus/exim-testsuite-rejectlog.log"_s << u"exim"_s;
    QTest::newRow("syslog, 4.96") << u"exim/golden/exim-4.96-syslog.log"_s << u"exim"_s;
    QTest::newRow("test suite") << u"exim/corpus/exim-testsuite.log"_s << u"exim"_s;
    QTest::newRow("fail2ban") << u"exim/corpus/fail2ban-exim.log"_s << u"exim"_s;
    QTest::newRow("postfix") << u"postfix/flows/bounce-with-notification.log"_s << u"postfix"_s;
}

// The registry picks Exim for Exim's logs, and Exim does not take Postfix's.
void TestEximParser::detect()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/") + file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray head = f.read(FormatRegistry::HeadBytes);
    const LogFormat *detected = FormatRegistry::detect(std::string_view(head.constData(), static_cast<std::size_t>(head.size())));
    QVERIFY(detected);
    QCOMPARE(QString::fromUtf8(detected->name().data(), static_cast<qsizetype>(detected->name().size())), format);
}

void TestEximParser::continuation_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expect");
    // The headers after a rejection in the produced rejectlogs, and in Exim's test suite's
    // test/rejectlog/0021; the second line of a mainlog warning (produced).
    QTest::newRow("envelope sender (produced)")
        << "Envelope-from: <alice@lab.test>"_ba
        << QStringList{u"kind=Info"_s, u"facts=ContinuesPrevious"_s, u"sender=alice@lab.test"_s, u"hasSender=true"_s};
    QTest::newRow("null envelope sender")
        << "Envelope-from: <>"_ba << QStringList{u"sender="_s, u"hasSender=true"_s};
    QTest::newRow("envelope recipient (produced)")
        << "Envelope-to: <bob@lab.test>"_ba
        << QStringList{u"facts=ContinuesPrevious"_s, u"recipient=bob@lab.test"_s, u"moreRecipients="_s};
    QTest::newRow("flagged header")
        << "P Received: from CALLER by myhost.test.ex with local (Exim x.yz)"_ba
        << QStringList{u"kind=Info"_s, u"facts=ContinuesPrevious"_s, u"recipient="_s, u"hasSender=false"_s};
    QTest::newRow("unflagged header (produced)")
        << "  Date: Thu, 03 Dec 2026 20:35:53 +0000"_ba << QStringList{u"facts=ContinuesPrevious"_s};
    QTest::newRow("folded header")
        << "\t(envelope-from <userx@test1>)"_ba << QStringList{u"facts=ContinuesPrevious"_s, u"hasSender=false"_s};
    QTest::newRow("message-id")
        << "I Message-Id: <E10HmaY-000000005vi-0000@myhost.test.ex>"_ba
        << QStringList{u"messageId=E10HmaY-000000005vi-0000@myhost.test.ex"_s};
    QTest::newRow("warning's advice (produced)")
        << " Suggested action: use keep_environment."_ba << QStringList{u"kind=Info"_s, u"facts=ContinuesPrevious"_s};
}

// Lines with no time of their own that belong to the record before them.
void TestEximParser::continuation()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expect);
    Event ev;
    ev.timeMs = 42;
    QVERIFY(EximParser().parseContinuation(std::string_view(line.constData(), static_cast<std::size_t>(line.size())), ev));
    QCOMPARE(ev.timeMs, 42);  // the time of the record it continues
    const QStringList failed = mismatches(ev, expect);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"; "_s)));
}

void TestEximParser::corpus_data()
{
    QTest::addColumn<QByteArray>("line");
    for (const QString &name : corpusFiles()) {
        QFile file(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/") + name);
        QVERIFY(file.open(QIODevice::ReadOnly));
        int n = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().chopped(1);
            ++n;
            if (!line.isEmpty())
                QTest::addRow("%s:%d", qPrintable(name), n) << line;
        }
    }
}

// Every line of the samples is read as Exim's, and a line that carries a delivery flag or a
// rejection is never left unclassified.
void TestEximParser::corpus()
{
    QFETCH(QByteArray, line);
    // A line of a record of its own is never taken for the continuation of another.
    Event unused;
    QVERIFY(!EximParser().parseContinuation(std::string_view(line.constData(), static_cast<std::size_t>(line.size())), unused));
    const ExactLine parsed(line);
    QVERIFY(parsed.isExim());
    QVERIFY(parsed.viewsInside());
    const Event &ev = parsed.event();
    const QByteArray id(ev.queueId.data(), static_cast<qsizetype>(ev.queueId.size()));
    for (const char *flag : {" <= ", " => ", " -> ", " *> ", " == ", " ** "}) {
        if (!id.isEmpty() && line.contains(QByteArray(id + flag)))
            QVERIFY2(ev.kind == EventKind::Delivery || ev.kind == EventKind::Client || ev.kind == EventKind::Pickup,
                     qPrintable(kindName(ev.kind)));
    }
    if (line.contains(" rejected RCPT "))
        QCOMPARE(kindName(ev.kind), u"Reject"_s);
    if (line.contains("authenticator failed"))
        QCOMPARE(kindName(ev.kind), u"AuthFailure"_s);
    if (ev.kind == EventKind::Delivery)
        QVERIFY(!ev.recipient.empty());
}

void TestEximParser::syslogCopies_data()
{
    // Lines of tests/data/exim/golden/exim-4.98.2-syslog.log and its mainlog.
    QTest::addColumn<QByteArray>("previous");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("copy");
    const QByteArray rcpt = "Dec  3 20:48:45 mx exim[22611]: [22611] H=(mx) [127.0.0.1] F=<alice@lab.test> rejected RCPT "
                            "<ghost@lab.test>: Unrouteable address";
    const QByteArray tooBig = "Dec  3 20:48:52 mx exim[22776]: [22776] 1xZDjY-000000005vM-04IA rejected from "
                              "<alice@lab.test> H=(mx) [127.0.0.1]: message too big: read=30650 max=20480";
    const QByteArray tooBigCopy = "Dec  3 20:48:52 mx exim[22776]: [1\\9] [22776] 1xZDjY-000000005vM-04IA rejected "
                                  "from <alice@lab.test> H=(mx) [127.0.0.1]: message too big: read=30650 max=20480";
    const QByteArray auth = "Dec  3 20:48:53 mx exim[22811]: [22811] plain_server authenticator failed for (mx) "
                            "[127.0.0.3]: 535 Incorrect authentication data (set_id=alice)";
    QTest::newRow("RCPT rejection, twice") << rcpt << rcpt << true;
    QTest::newRow("AUTH failure, twice") << auth << auth << true;
    QTest::newRow("rejection with headers, numbered copy") << tooBig << tooBigCopy << true;
    QTest::newRow("numbered copy of another line") << rcpt << tooBigCopy << false;
    QTest::newRow("next header line") << tooBigCopy << QByteArray("Dec  3 20:48:52 mx exim[22776]: [2\\9] Envelope-from: "
                                                                  "<alice@lab.test>") << false;
    QTest::newRow("same rejection, another process")
        << rcpt << QByteArray(rcpt).replace("22611", "22612") << false;
    QTest::newRow("same rejection, a second later")
        << rcpt << QByteArray(rcpt).replace("20:48:45", "20:48:46") << false;
    QTest::newRow("first line") << QByteArray() << rcpt << false;
    const QByteArray mainlog = "2026-12-03 20:35:48 H=(mx) [127.0.0.1] F=<alice@lab.test> rejected RCPT <ghost@lab.test>: "
                               "Unrouteable address";
    QTest::newRow("Exim's own mainlog holds each once") << mainlog << mainlog << false;
    const QByteArray postfix = "Nov 22 08:50:30 mx postfix/smtpd[123]: connect from unknown[192.0.2.1]";
    QTest::newRow("not Exim") << postfix << postfix << false;
}

void TestEximParser::syslogCopies()
{
    QFETCH(QByteArray, previous);
    QFETCH(QByteArray, line);
    QFETCH(bool, copy);
    const EximFormat format;
    QVERIFY(format.mayRepeatLines());
    QCOMPARE(format.repeats(std::string_view(line.constData(), static_cast<std::size_t>(line.size())),
                            std::string_view(previous.constData(), static_cast<std::size_t>(previous.size()))),
             copy);
}

QTEST_GUILESS_MAIN(TestEximParser)
#include "tst_eximparser.moc"
