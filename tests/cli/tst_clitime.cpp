// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// What --since and --until accept, and that a time that cannot be read is refused, not midnight.
#include "clirun.h"
#include "timeformat.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

class TestCliTime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void cliRefusesWithTheForms_data();
    void cliRefusesWithTheForms();
};

// The tests run with TZ=UTC, so local time is UTC here.
constexpr qint64 Day = 1795305600000;  // 2026-11-22T00:00:00Z

void TestCliTime::accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("date") << u"2026-11-22"_s << Day;
    QTest::newRow("date, spaces around") << u"  2026-11-22 "_s << Day;
    QTest::newRow("minutes") << u"2026-11-22T10:05"_s << Day + 36300000;
    QTest::newRow("seconds") << u"2026-11-22T10:05:00"_s << Day + 36300000;
    QTest::newRow("space for T") << u"2026-11-22 10:05:07"_s << Day + 36307000;
    QTest::newRow("milliseconds") << u"2026-11-22T10:05:07.250"_s << Day + 36307250;
    QTest::newRow("Z") << u"2026-11-22T10:05:00Z"_s << Day + 36300000;
    QTest::newRow("+01:00") << u"2026-11-22T10:05:00+01:00"_s << Day + 32700000;
    QTest::newRow("-0500") << u"2026-11-22T10:05:00-0500"_s << Day + 54300000;
    QTest::newRow("-05") << u"2026-11-22T10:05-05"_s << Day + 54300000;
    QTest::newRow("space, zone") << u"2026-11-22 10:05:00+01:00"_s << Day + 32700000;
    QTest::newRow("24:00 is the next day") << u"2026-11-22T24:00"_s << Day + 86400000;
    QTest::newRow("epoch, last second of 9999") << u"@253402300799"_s << qint64(253402300799000);
    QTest::newRow("epoch") << u"@1795305600"_s << Day;
    QTest::newRow("epoch before 1970") << u"@-60"_s << qint64(-60000);
}

void TestCliTime::accepted()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const auto t = mailtrail::parseUserTime(text);
    QVERIFY(t.has_value());
    QCOMPARE(*t, ms);
}

void TestCliTime::refused_data()
{
    QTest::addColumn<QString>("text");
    // Each of these once read as 2026-11-22 00:00.
    QTest::newRow("zone name") << u"2026-11-22T10:05:00 CET"_s;
    QTest::newRow("offset of one digit") << u"2026-11-22T10:05:00+1"_s;
    QTest::newRow("hour 25") << u"2026-11-22T25:05:00"_s;
    QTest::newRow("second 60") << u"2026-11-22T10:05:60"_s;
    QTest::newRow("minute 60") << u"2026-11-22 10:60"_s;
    QTest::newRow("hour only") << u"2026-11-22T10"_s;
    QTest::newRow("date then junk") << u"2026-11-22xyz"_s;
    QTest::newRow("date then T") << u"2026-11-22T"_s;
    QTest::newRow("time then junk") << u"2026-11-22T10:05:00 tomorrow"_s;
    QTest::newRow("day 31 of November") << u"2026-11-31"_s;
    QTest::newRow("short year") << u"26-11-22"_s;
    QTest::newRow("slashes") << u"2026/11/22"_s;
    QTest::newRow("words") << u"yesterday"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("epoch not a number") << u"@17953056x"_s;
    QTest::newRow("epoch alone") << u"@"_s;
    QTest::newRow("epoch past year 9999") << u"@253402300800"_s;
    QTest::newRow("epoch overflowing milliseconds") << u"@9223372036854775"_s;
    QTest::newRow("epoch overflowing") << u"@99999999999999999999"_s;
    QTest::newRow("comma for T") << u"2026-11-22,10:05"_s;
    QTest::newRow("offset of three digits") << u"2026-11-22T10:05+010"_s;
}

void TestCliTime::refused()
{
    QFETCH(QString, text);
    const auto t = mailtrail::parseUserTime(text);
    QVERIFY2(!t.has_value(), qPrintable(u"read as %1"_s.arg(t.value_or(0))));
}

void TestCliTime::cliRefusesWithTheForms_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::newRow("since, zone name") << u"--since"_s << u"2026-11-22T10:05:00 CET"_s;
    QTest::newRow("since, +1") << u"--since"_s << u"2026-11-22T10:05:00+1"_s;
    QTest::newRow("until, hour 25") << u"--until"_s << u"2026-11-22T25:05:00"_s;
    QTest::newRow("until, second 60") << u"--until"_s << u"2026-11-22T10:05:60"_s;
}

void TestCliTime::cliRefusesWithTheForms()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QTemporaryDir dir;
    const Run r = cli({u"deliveries"_s, option, value, u"--cache"_s, dir.filePath(u"c.sqlite"_s)});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    const QString expected = u"mailtrail-cli deliveries: %1: cannot read '%2' as a time; accepted: %3\n"_s.arg(
        option, value, mailtrail::userTimeForms());
    QCOMPARE(QString::fromUtf8(r.err), expected);
    QVERIFY(expected.contains(u"@1795348800"_s));
}

QTEST_GUILESS_MAIN(TestCliTime)
#include "tst_clitime.moc"
