// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/formatdetector.h"

#include <QTest>

using namespace mailtrail;

namespace {
const QByteArray PostfixLine = "Nov 22 08:50:30 mx1 postfix/qmgr[9]: 7EE668039: removed\n";
const QByteArray DovecotLine = "Nov 22 08:50:30 mx1 dovecot: imap-login: Login: user=<a@example.org>, method=PLAIN\n";
const QByteArray EximLine = "2026-11-22 08:50:30 1vAbCd-000123-AB <= a@example.org H=mx [192.0.2.1] P=esmtp S=1234\n";
} // namespace

class TestFormatDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detects_data();
    void detects();
    void names();
};

void TestFormatDetector::detects_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<LogFormat>("format");
    QTest::newRow("empty") << QByteArray() << LogFormat::Unknown;
    QTest::newRow("postfix") << PostfixLine.repeated(20) << LogFormat::Postfix;
    QTest::newRow("rfc3339 postfix, CRLF")
        << QByteArray("2026-11-22T08:50:30.1+01:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\r\n").repeated(5)
        << LogFormat::Postfix;
    QTest::newRow("mail.log with dovecot, one in ten postfix") << QByteArray(DovecotLine.repeated(9) + PostfixLine).repeated(10)
                                                               << LogFormat::Postfix;
    QTest::newRow("one postfix line in twenty") << QByteArray(DovecotLine.repeated(19) + PostfixLine) << LogFormat::Unknown;
    QTest::newRow("dovecot only") << DovecotLine.repeated(50) << LogFormat::Unknown;
    QTest::newRow("exim is not syslog") << EximLine.repeated(50) << LogFormat::Unknown;
    QTest::newRow("binary") << QByteArray(4096, '\0') << LogFormat::Unknown;
    QTest::newRow("postfix only after 64 KB") << QByteArray(DovecotLine.repeated(80 * 1024 / DovecotLine.size()) + PostfixLine.repeated(100))
                                              << LogFormat::Unknown;
    // Head cut inside the only Postfix line: a partial line is no evidence.
    QTest::newRow("partial last line ignored")
        << QByteArray(QByteArray(64 * 1024 - 30, 'x') + '\n' + PostfixLine.repeated(3)) << LogFormat::Unknown;
    QTest::newRow("unterminated last line of a short file") << QByteArray(PostfixLine).chopped(1) << LogFormat::Postfix;
}

void TestFormatDetector::detects()
{
    QFETCH(QByteArray, head);
    QFETCH(LogFormat, format);
    QCOMPARE(detectFormat(std::string_view(head.constData(), size_t(head.size()))), format);
}

void TestFormatDetector::names()
{
    QCOMPARE(formatName(LogFormat::Postfix), "postfix");
    QCOMPARE(formatName(LogFormat::Unknown), "unknown");
}

QTEST_GUILESS_MAIN(TestFormatDetector)
#include "tst_formatdetector.moc"
