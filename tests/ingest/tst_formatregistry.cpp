// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/formatregistry.h"

#include <QFile>
#include <QTest>

using namespace mailtrail;

namespace {
const QByteArray PostfixLine = "Nov 22 08:50:30 mx1 postfix/qmgr[9]: 7EE668039: removed\n";
const QByteArray DovecotLine = "Nov 22 08:50:30 mx1 dovecot: imap-login: Login: user=<a@example.org>, method=PLAIN\n";
const QByteArray EximLine = "2026-11-22 08:50:30 1vAbCd-000123-AB <= a@example.org H=mx [192.0.2.1] P=esmtp S=1234\n";
} // namespace

class TestFormatRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detects_data();
    void detects();
    void names();
    void namesFormatsNotRead_data();
    void namesFormatsNotRead();
    void otherServersAreNotExim();
};

void TestFormatRegistry::detects_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("format");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("postfix") << PostfixLine.repeated(20) << QByteArray("postfix");
    QTest::newRow("rfc3339 postfix, CRLF")
        << QByteArray("2026-11-22T08:50:30.1+01:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\r\n").repeated(5)
        << QByteArray("postfix");
    QTest::newRow("mail.log with dovecot, one in ten postfix") << QByteArray(DovecotLine.repeated(9) + PostfixLine).repeated(10)
                                                               << QByteArray("postfix");
    QTest::newRow("one postfix line in twenty") << QByteArray(DovecotLine.repeated(19) + PostfixLine) << QByteArray();
    QTest::newRow("dovecot only") << DovecotLine.repeated(50) << QByteArray();
    QTest::newRow("exim mainlog") << EximLine.repeated(50) << QByteArray("exim");
    // mail.warn of a server whose milters complain: their lines name Postfix queue ids (written in
    // the form opendkim and opendmarc log them).
    QTest::newRow("mail.warn with milter lines only")
        << QByteArray("Nov 22 08:50:31 mx1 opendkim[812]: 4BDC5C0A2F: no signing table match for 'a@example.org'\n"
                      "Nov 22 08:50:32 mx1 opendmarc[700]: 4BDC5C0A2F: SPF(mailfrom): example.org none\n"
                      "Nov 22 08:51:02 mx1 opendkim[812]: 7EE668039: bad signature data\n")
        << QByteArray("postfix");
    // The milters' lines of tests/data/postfix/golden/postfix-3.10.13-companions.log, as a mail.warn
    // holding nothing else would.
    QTest::newRow("mail.warn of the produced log's milters")
        << QByteArray("Dec  4 04:07:33 mx opendkim[62]: 63637E64551: signature=U6SSZFE7 domain=remote.test selector=rt "
                      "result=\"signature verification failed\"\n"
                      "Dec  4 04:07:33 mx opendkim[62]: 63637E64551: bad signature data\n"
                      "Dec  4 04:07:33 mx opendmarc[70]: 63637E64551: remote.test none\n"
                      "Dec  4 04:07:39 mx opendkim[62]: 81E9FE64561: no signature data\n")
        << QByteArray("postfix");
    QTest::newRow("milter lines without queue ids")
        << QByteArray("Nov 22 08:50:31 mx1 opendkim[812]: OpenDKIM Filter v2.11.0 starting\n").repeated(5) << QByteArray();
    QTest::newRow("binary") << QByteArray(4096, '\0') << QByteArray();
    QTest::newRow("postfix only after 64 KB") << QByteArray(DovecotLine.repeated(80 * 1024 / DovecotLine.size()) + PostfixLine.repeated(100))
                                              << QByteArray();
    // Head cut inside the only Postfix line: a partial line is no evidence.
    QTest::newRow("partial last line ignored")
        << QByteArray(QByteArray(64 * 1024 - 30, 'x') + '\n' + PostfixLine.repeated(3)) << QByteArray();
    QTest::newRow("unterminated last line of a short file") << QByteArray(PostfixLine).chopped(1) << QByteArray("postfix");
}

void TestFormatRegistry::detects()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, format);
    const LogFormat *detected = FormatRegistry::detect(std::string_view(head.constData(), size_t(head.size())));
    QCOMPARE(detected ? QByteArray(detected->name().data(), qsizetype(detected->name().size())) : QByteArray(), format);
}

void TestFormatRegistry::names()
{
    // Names are stored in caches: they never change.
    QVERIFY(FormatRegistry::find("postfix"));
    QCOMPARE(FormatRegistry::find("POSTFIX"), FormatRegistry::find("postfix"));
    QCOMPARE(FormatRegistry::find("postfix")->name(), std::string_view("postfix"));
    QVERIFY(!FormatRegistry::find("unknown"));
    QVERIFY(!FormatRegistry::find(""));
    for (const LogFormat *f : FormatRegistry::all())
        QCOMPARE(FormatRegistry::find(f->name()), f);
    QVERIFY(FormatRegistry::titles().find("Postfix") != std::string::npos);
}

void TestFormatRegistry::namesFormatsNotRead_data()
{
    // tests/data/unsupported: real lines of Exchange 2013 (kinesis-agent-windows) and of qmail
    // through syslog (fail2ban), and qmail-send's lines as multilog writes them (ours).
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("named");
    QTest::newRow("exchange with its header") << QStringLiteral("exchange-2013-msgtrk.log") << QByteArray("an Exchange message-tracking log");
    QTest::newRow("exchange rows only") << QStringLiteral("exchange-2013-msgtrk-noheader.log") << QByteArray("an Exchange message-tracking log");
    QTest::newRow("qmail through syslog") << QStringLiteral("fail2ban-qmail.log") << QByteArray("a qmail log");
    QTest::newRow("qmail-send by multilog") << QStringLiteral("qmail-send-multilog.log") << QByteArray("a qmail log");
}

void TestFormatRegistry::namesFormatsNotRead()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, named);
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/unsupported/") + file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    const QByteArray head = f.readAll();
    const std::string_view text(head.constData(), size_t(head.size()));
    QVERIFY(!FormatRegistry::detect(text));
    QCOMPARE(QByteArray::fromStdString(FormatRegistry::unsupported(text)), named);
    // Not for a mail log, nor for a file of anything else, nor for a few such lines among others.
    QCOMPARE(FormatRegistry::unsupported(std::string_view(PostfixLine.constData(), size_t(PostfixLine.size()))), std::string());
    const QByteArray junk = DovecotLine.repeated(10);
    QCOMPARE(FormatRegistry::unsupported(std::string_view(junk.constData(), size_t(junk.size()))), std::string());
    const QByteArray mixed = DovecotLine.repeated(2 * head.count('\n') + 2) + head;
    if (!head.startsWith('#'))  // Exchange's own header names it wherever it is
        QCOMPARE(FormatRegistry::unsupported(std::string_view(mixed.constData(), size_t(mixed.size()))), std::string());
}

void TestFormatRegistry::otherServersAreNotExim()
{
    // Lotus Domino writes "2018-09-19 17:25:52   SMTP Server [...] Connection from [192.0.2.2]
    // rejected for policy reasons": Exim's date and time, then text padded with spaces, which
    // Exim never writes. It was read as Exim, every line "not understood".
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/unsupported/fail2ban-domino-smtp.log"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    const QByteArray head = f.readAll();
    const LogFormat *format = FormatRegistry::detect(std::string_view(head.constData(), size_t(head.size())));
    QVERIFY2(!format, format ? format->name().data() : "");
}

QTEST_GUILESS_MAIN(TestFormatRegistry)
#include "tst_formatregistry.moc"
