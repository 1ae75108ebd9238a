// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The verdicts of the programs beside Postfix, on the lines they wrote in the log that
// tests/data/postfix/produce-companions.sh made with opendkim 2.11, opendmarc 1.4, spamd 4.0 (with
// spamass-milter), amavis 2.13, policyd-spf 3.1, postgrey 1.37 and dovecot 2.4
// (golden/postfix-3.10.13-companions.log), unless a row says otherwise.
#include "eventfields.h"

#include "ingest/postfix/postfixformat.h"
#include "ingest/syslogline.h"

#include <QFile>
#include <QTest>

#include <memory>

using namespace mailtrail;
using namespace mailtrail::test;
using namespace Qt::StringLiterals;

namespace {

// Parsed from a buffer of exactly the line's size, so that a sanitizer build catches a read past
// its end; the event's views point into it.
struct Parsed {
    explicit Parsed(const QByteArray &line)
        : buffer(new char[std::max<qsizetype>(line.size(), 1)])
    {
        std::copy(line.cbegin(), line.cend(), buffer.get());
        const std::string_view text(buffer.get(), static_cast<std::size_t>(line.size()));
        read = format.readRecord(text, record) && format.parse(record, ev);
        for (const std::string_view v : {ev.queueId, ev.messageId, ev.clientIp, ev.detail, ev.hopQueueId, ev.recipient}) {
            if (!v.empty() && (v.data() < text.data() || v.data() + v.size() > text.data() + text.size()))
                inside = false;
        }
    }
    PostfixFormat format;
    std::unique_ptr<char[]> buffer;
    Record record;
    Event ev;
    bool read = false;
    bool inside = true;
};

QByteArray producedLog()
{
    QFile file(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-companions.log"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the companions log");
    return file.readAll();
}

} // namespace

class TestCompanionParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void namesNoMessage_data();
    void namesNoMessage();
    void everyProducedLine();
    void everyTruncation();
};

void TestCompanionParser::verdicts_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char *name, const QByteArray &line, const QStringList &expected) {
        QTest::newRow(name) << line << expected;
    };
    row("opendkim good signature",
        "Dec  4 04:07:26 mx opendkim[62]: 2C91FE643B2: signature=U6SSZFE7 domain=remote.test selector=rt "
        "result=\"no signature error\"",
        {u"kind=Verdict"_s, u"queueId=2C91FE643B2"_s, u"verdict=DKIM pass"_s, u"program=opendkim"_s, u"facts=none"_s,
         u"detail^signature=U6SSZFE7"_s, u"verdictStage=Receipt"_s});
    row("opendkim signature verification failed",
        "Dec  4 04:07:33 mx opendkim[62]: 63637E64551: signature=U6SSZFE7 domain=remote.test selector=rt "
        "result=\"signature verification failed\"",
        {u"kind=Verdict"_s, u"queueId=63637E64551"_s, u"verdict=DKIM fail"_s});
    row("opendkim bad signature data", "Dec  4 04:07:33 mx opendkim[62]: 63637E64551: bad signature data",
        {u"kind=Verdict"_s, u"queueId=63637E64551"_s, u"verdict=DKIM fail"_s, u"detail=bad signature data"_s});
    row("opendkim no signature data", "Dec  4 04:07:39 mx opendkim[62]: 81E9FE64561: no signature data",
        {u"kind=Verdict"_s, u"queueId=81E9FE64561"_s, u"verdict=DKIM none"_s});
    row("opendkim why, no verdict", "Dec  4 04:07:26 mx opendkim[62]: 2C91FE643B2: [127.0.0.2] [127.0.0.2] not internal",
        {u"kind=Verdict"_s, u"queueId=2C91FE643B2"_s, u"verdict="_s, u"detail=[127.0.0.2] [127.0.0.2] not internal"_s});
    row("opendkim SSL with no error", "Dec  4 04:07:26 mx opendkim[62]: 2C91FE643B2: s=rt d=remote.test a=rsa-sha1 SSL ",
        {u"kind=Verdict"_s, u"verdict="_s});
    // Real-shaped (ours): what opendkim 2.10 logs when it signs; 2.11 says nothing.
    row("mailtrail opendkim signed", "Nov 20 10:00:00 mx1 opendkim[301]: 3B4C5D6E7F: DKIM-Signature field added (s=mail, d=example.org)",
        {u"kind=Verdict"_s, u"queueId=3B4C5D6E7F"_s, u"verdict=DKIM signed"_s});
    row("opendmarc none", "Dec  4 04:07:26 mx opendmarc[70]: 2C91FE643B2: remote.test none",
        {u"kind=Verdict"_s, u"queueId=2C91FE643B2"_s, u"verdict=DMARC none"_s, u"detail=remote.test none"_s});
    row("mailtrail opendmarc fail", "Nov 20 10:00:00 mx1 opendmarc[302]: 3B4C5D6E7F: example.org fail",
        {u"verdict=DMARC fail"_s});
    row("policyd-spf before the queue id",
        "Dec  4 04:07:21 mx policyd-spf[220]: : prepend Received-SPF: None (mailfrom) identity=mailfrom; "
        "client-ip=127.0.0.2; helo=relay.remote.test; envelope-from=friend@remote.test; receiver=lab.test ",
        {u"kind=Verdict"_s, u"queueId="_s, u"clientIp=127.0.0.2"_s, u"verdict=SPF none"_s,
         u"detail^prepend Received-SPF: None"_s, u"verdictStage=Receipt"_s});
    // Real-shaped (ours): policyd-spf asked again once smtpd has a queue id, on a Fail.
    row("mailtrail policyd-spf with queue id",
        "Nov 20 10:00:00 mx1 policyd-spf[303]: 3B4C5D6E7F: prepend Received-SPF: Softfail (mailfrom) "
        "identity=mailfrom; client-ip=192.0.2.9; helo=x.example; envelope-from=a@example.org; receiver=b@lab.test",
        {u"queueId=3B4C5D6E7F"_s, u"clientIp=192.0.2.9"_s, u"verdict=SPF softfail"_s});
    row("postgrey greylist",
        "Dec  4 04:07:21 mx postgrey[77]: action=greylist, reason=new, client_name=unknown, client_address=127.0.0.2, "
        "sender=friend@remote.test, recipient=alice@lab.test",
        {u"kind=Verdict"_s, u"clientIp=127.0.0.2"_s, u"verdict=greylisted"_s, u"queueId="_s, u"verdictStage=Receipt"_s});
    row("postgrey pass",
        "Dec  4 04:07:33 mx postgrey[77]: action=pass, reason=client AWL, client_name=unknown, client_address=127.0.0.2, "
        "sender=friend@remote.test, recipient=bob@lab.test",
        {u"clientIp=127.0.0.2"_s, u"verdict=greylist pass"_s});
    row("spamd spam",
        "Dec  4 04:07:40 mx spamd[82]: spamd: result: Y 999 - ALL_TRUSTED,DKIM_ADSP_NXDOMAIN,GTUBE,SPF_NONE,"
        "TVD_SPACE_RATIO scantime=0.4,size=775,user=root,uid=65534,required_score=5.0,rhost=localhost,raddr=127.0.0.1,"
        "rport=33812,mid=<20261204040739.000239@mx>,autolearn=no autolearn_force=no",
        {u"kind=Verdict"_s, u"messageId=20261204040739.000239@mx"_s, u"verdict=spam"_s, u"queueId="_s,
         u"verdictStage=Receipt"_s});
    row("spamd clean",
        "Dec  4 04:07:27 mx spamd[82]: spamd: result: .  0 - ALL_TRUSTED,DKIM_ADSP_NXDOMAIN,DKIM_INVALID,DKIM_SIGNED,"
        "SPF_NONE scantime=1.4,size=1459,user=root,uid=65534,required_score=5.0,rhost=localhost,raddr=127.0.0.1,"
        "rport=58896,mid=<lunch-1@remote.test>,autolearn=no autolearn_force=no",
        {u"messageId=lunch-1@remote.test"_s, u"verdict=clean"_s});
    row("amavis spam, re-injected",
        "Dec  4 04:07:41 mx amavis[122]: (00122-03) Passed SPAM {RelayedTaggedInbound,Quarantined}, [127.0.0.2]:44545 "
        "<offers@remote.test> -> <bob@lab.test>, quarantine: 8/spam-8hIJWg2sOmBq.gz, Queue-ID: 81E9FE64561, "
        "Message-ID: <20261204040739.000239@mx>, mail_id: 8hIJWg2sOmBq, Hits: 1004.1, size: 3122, queued_as: "
        "84F49E64562, 1262 ms",
        {u"kind=Verdict"_s, u"queueId=81E9FE64561"_s, u"hopQueueId=84F49E64562"_s, u"verdict=spam"_s,
         u"messageId=20261204040739.000239@mx"_s, u"detail^Passed SPAM {RelayedTaggedInbound"_s, u"verdictStage=Filter"_s});
    row("amavis clean, no queue id",
        "Dec  4 04:07:50 mx amavis[122]: (00122-05) Passed CLEAN {RelayedInbound}, [127.0.0.1] <bob@lab.test> -> "
        "<alice@lab.test>, Message-ID: <20261204040749.24131E64564@mx.lab.test>, mail_id: 4Z6ElrloW7Xv, Hits: 0.914, "
        "size: 783, queued_as: 8C829E64565, 1420 ms",
        {u"queueId="_s, u"messageId=20261204040749.24131E64564@mx.lab.test"_s, u"verdict=clean"_s,
         u"hopQueueId=8C829E64565"_s, u"verdictStage=Filter"_s});
    row("dovecot lda saved",
        "Dec  4 04:07:30 mx dovecot: lda(alice)<231><tNKkN4I8EmvnAAAALsOh1Q>: msgid=<lunch-1@remote.test>: saved mail to INBOX",
        {u"kind=Verdict"_s, u"program=dovecot"_s, u"messageId=lunch-1@remote.test"_s, u"verdict=saved to mailbox"_s,
         u"recipient=alice"_s, u"verdictStage=Delivery"_s});
    // Real-shaped (ours): dovecot's LMTP server, as Postfix's lmtp delivers to it.
    row("mailtrail dovecot lmtp saved",
        "Dec  4 04:07:51 mx dovecot: lmtp(alice@lab.test)<256><gaELAZc8EmsAAQAALsOh1Q>: "
        "msgid=<20261204040749.24131E64564@mx.lab.test>: saved mail to INBOX",
        {u"kind=Verdict"_s, u"messageId=20261204040749.24131E64564@mx.lab.test"_s, u"recipient=alice@lab.test"_s,
         u"verdict=saved to mailbox"_s, u"verdictStage=Delivery"_s});
}

void TestCompanionParser::verdicts()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expected);
    const Parsed p(line);
    QVERIFY(p.read);
    QVERIFY(p.inside);
    const QStringList failed = mismatches(p.ev, expected);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"\n   "_s)));
}

// Lines of the same programs that name no message: left to be counted as other programs' lines.
void TestCompanionParser::namesNoMessage_data()
{
    QTest::addColumn<QByteArray>("line");
    for (const char *line : {
             "Dec  4 04:06:22 mx opendkim[62]: OpenDKIM Filter v2.11.0 starting (args: -x /etc/mt-companions/opendkim.conf)",
             "Dec  4 04:07:45 mx opendmarc[70]: ignoring connection from [127.0.0.1]",
             "Dec  4 04:07:26 mx postgrey[77]: whitelisted: unknown[127.0.0.2]",
             "Dec  4 04:07:27 mx spamd[82]: spamd: clean message (0.0/5.0) for root:65534 in 1.4 seconds, 1459 bytes.",
             "Dec  4 04:07:26 mx spamd[82]: spamd: processing message <lunch-1@remote.test> for root:65534",
             "Dec  4 04:07:26 mx spamc[224]: connect to spamd on ::1 failed, retrying (#1 of 3): Connection refused",
             "Dec  4 04:06:58 mx amavis[107]: No ext program for   .zoo, tried: zoo",
             "Dec  4 04:06:34 mx spamass-milter[85]: spamass-milter 0.4.0 starting",
             // Another install names the policy service after its package: not a Postfix daemon.
             "Dec  4 04:07:21 mx postfix-policyd-spf-python[220]: starting",
             "Nov 22 08:50:30 mx1 dovecot: imap-login: Login: user=<a>, method=PLAIN",
         }) {
        QTest::newRow(line + 20) << QByteArray(line);
    }
}

void TestCompanionParser::namesNoMessage()
{
    QFETCH(QByteArray, line);
    const Parsed p(line);
    QVERIFY(!p.read);
    QVERIFY(!p.format.ownsProgram(p.record.program));
}

// Every line of the produced log is read by the format (Postfix's own or a verdict) or names no
// message, and none of Postfix's own is left not understood.
void TestCompanionParser::everyProducedLine()
{
    int postfix = 0, verdicts = 0, others = 0;
    for (const QByteArray &line : producedLog().split('\n')) {
        if (line.isEmpty())
            continue;
        const Parsed p(line);
        QVERIFY(p.inside);
        if (p.format.ownsProgram(p.record.program)) {
            ++postfix;
            QVERIFY2(p.read && p.ev.kind != EventKind::Unknown, line.constData());
        } else if (p.read) {
            ++verdicts;
            QCOMPARE(p.ev.kind, EventKind::Verdict);
        } else {
            ++others;
        }
    }
    QCOMPARE(postfix, 67);
    QCOMPARE(verdicts, 42);
    QCOMPARE(others, 97);
}

void TestCompanionParser::everyTruncation()
{
    for (const QByteArray &line : producedLog().split('\n')) {
        for (qsizetype n = 0; n <= line.size(); ++n) {
            const Parsed p(line.left(n));
            QVERIFY2(p.inside, line.left(n).constData());
        }
    }
}

QTEST_GUILESS_MAIN(TestCompanionParser)
#include "tst_companionparser.moc"
