// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// What --since and --until accept, and that a time that cannot be read is refused, not midnight.
#include "clirun.h"
#include "timeformat.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
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
    void rereadKeepsTheLocalYear();
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

void TestCliTime::rereadKeepsTheLocalYear()
{
    // A log whose first line is just after midnight of New Year's Day, local time, east of UTC
    // (the last hour of the old year in UTC), read again when an older log comes in after it: its
    // lines keep their year. The year for the rereading was taken from the UTC time, a year early.
    QTemporaryDir dir;
    auto log = [&](const QString &flow, const QByteArray &from, const QByteArray &to, const QString &name, time_t mtime) {
        QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + flow);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(flow));
        const QString path = writeFile(dir, name, f.readAll().replace(from, to));
        utimbuf times{mtime, mtime};
        ::utime(path.toLocal8Bit().constData(), &times);
        return path;
    };
    const QString current = log(u"deferred-then-sent.log"_s, "Nov 20 10:", "Jan  1 00:", u"mail.log"_s, 1798848000);  // 2027-01-02
    const QString older = log(u"noqueue-reject.log"_s, "Nov 20 12:", "Dec 31 12:", u"mail.log.1"_s, 1798722000);  // 2026-12-31 13:00Z
    const QString cache = dir.filePath(u"c.sqlite"_s);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TZ"_s, u"CET-1"_s);  // UTC+1 all year, without tzdata
    p.setProcessEnvironment(env);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache, current}, &p).exitCode, 0);
    const Run before = cli({u"messages"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s}, &p);
    const Run reread = cli({u"import"_s, u"--cache"_s, cache, older}, &p);
    QCOMPARE(reread.exitCode, 0);
    QVERIFY2(reread.out.contains("read again"), reread.out.constData());
    const Run after = cli({u"messages"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s, current}, &p);
    QCOMPARE(after.exitCode, 0);
    QVERIFY2(before.out.contains("2027-01-01T00:00:01"), before.out.constData());
    QCOMPARE(after.out, before.out);
}

QTEST_GUILESS_MAIN(TestCliTime)
#include "tst_clitime.moc"
