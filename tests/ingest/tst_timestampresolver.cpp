// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/event.h"
#include "ingest/syslogline.h"
#include "ingest/timestampresolver.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

#include <ctime>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
// Central European rules as a POSIX TZ string: glibc needs no tzdata for it, and the build root
// may have none. 2026: clocks go forward on 29 March at 01:00 UTC and back on 25 October at 01:00 UTC.
constexpr char CentralEurope[] = "CET-1CEST,M3.5.0,M10.5.0/3";

SyslogLine classic(int month, int day, int hour, int minute, int second, int millisecond = 0)
{
    SyslogLine line;
    line.month = month;
    line.day = day;
    line.hour = hour;
    line.minute = minute;
    line.second = second;
    line.millisecond = millisecond;
    return line;
}

SyslogLine fromLocal(const QDateTime &wallClock)
{
    return classic(wallClock.date().month(), wallClock.date().day(), wallClock.time().hour(), wallClock.time().minute(),
                   wallClock.time().second());
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::UTC).toMSecsSinceEpoch();
}

// Switches the process zone for one test; the resolver reads it through localtime_r.
class ZoneGuard
{
public:
    explicit ZoneGuard(const char *tz)
        : m_old(qgetenv("TZ"))
        , m_hadOld(qEnvironmentVariableIsSet("TZ"))
    {
        qputenv("TZ", tz);
        tzset();
    }
    ~ZoneGuard()
    {
        if (m_hadOld)
            qputenv("TZ", m_old);
        else
            qunsetenv("TZ");
        tzset();
    }

private:
    QByteArray m_old;
    bool m_hadOld;
};
} // namespace

class TestTimestampResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startYearFor_data();
    void startYearFor();
    void startYearFromBothEnds_data();
    void startYearFromBothEnds();
    void startYearUsesLocalZone();
    void utcWallClock();
    void rollOverDecemberToJanuary();
    void lateDecemberLineKeepsYear();
    void lineOneMonthBackIsNotNewYear();
    void noRollOverPastTheLatestYear();
    void restoreStateContinues();
    void rfc3339_data();
    void rfc3339();
    void rejectsImpossibleDate();
    void dstSamples_data();
    void dstSamples();
    void dstWalkThroughTransitions_data();
    void dstWalkThroughTransitions();
};

void TestTimestampResolver::initTestCase()
{
    // ctest runs with TZ=UTC; make a direct run of the binary agree.
    qputenv("TZ", "UTC");
    tzset();
}

void TestTimestampResolver::startYearFor_data()
{
    QTest::addColumn<int>("firstMonth");
    QTest::addColumn<qint64>("mtime");
    QTest::addColumn<int>("year");
    const qint64 march = utcMs(2026, 3, 10, 12, 0, 0) / 1000;
    const qint64 newYear = utcMs(2026, 1, 1, 0, 30, 0) / 1000;
    QTest::newRow("january, mtime march") << 1 << march << 2026;
    QTest::newRow("same month") << 3 << march << 2026;
    QTest::newRow("april, mtime march: last year") << 4 << march << 2025;
    QTest::newRow("december, mtime march") << 12 << march << 2025;
    QTest::newRow("december, mtime new year") << 12 << newYear << 2025;
    QTest::newRow("january, mtime new year") << 1 << newYear << 2026;
}

void TestTimestampResolver::startYearFor()
{
    QFETCH(int, firstMonth);
    QFETCH(qint64, mtime);
    QFETCH(int, year);
    QCOMPARE(TimestampResolver::startYearFor(firstMonth, mtime), year);
}

void TestTimestampResolver::startYearFromBothEnds_data()
{
    QTest::addColumn<int>("firstMonth");
    QTest::addColumn<int>("lastMonth");
    QTest::addColumn<qint64>("mtime");
    QTest::addColumn<int>("year");
    const qint64 decemberAfter = utcMs(2026, 12, 15, 12, 0, 0) / 1000;
    const qint64 newYear = utcMs(2026, 1, 1, 16, 30, 0) / 1000;
    // Dec 31 23:20 to Jan 1 16:10, copied (mtime) the December after: read from its first line
    // alone it started 2026-12-31 and its January lines went back a year.
    QTest::newRow("dec to jan, mtime the december after") << 12 << 1 << decemberAfter << 2025;
    QTest::newRow("dec to jan, mtime right after") << 12 << 1 << newYear << 2025;
    QTest::newRow("within december, mtime the december after") << 12 << 12 << decemberAfter << 2026;
    QTest::newRow("last month unknown: from the first") << 12 << 0 << decemberAfter << 2026;
    QTest::newRow("a late line one month back is no new year") << 3 << 2 << decemberAfter << 2026;
}

void TestTimestampResolver::startYearFromBothEnds()
{
    QFETCH(int, firstMonth);
    QFETCH(int, lastMonth);
    QFETCH(qint64, mtime);
    QFETCH(int, year);
    QCOMPARE(TimestampResolver::startYearFor(firstMonth, lastMonth, mtime), year);
}

void TestTimestampResolver::startYearUsesLocalZone()
{
    // 23:30 UTC on New Year's Eve is already 2026 in Berlin.
    const qint64 mtime = utcMs(2025, 12, 31, 23, 30, 0) / 1000;
    QCOMPARE(TimestampResolver::startYearFor(1, mtime), 2025);  // in UTC still December 2025
    ZoneGuard zone(CentralEurope);
    QCOMPARE(TimestampResolver::startYearFor(1, mtime), 2026);
}

void TestTimestampResolver::utcWallClock()
{
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    Event ev;
    QVERIFY(resolver.resolve(classic(11, 22, 8, 50, 30, 250), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 11, 22, 8, 50, 30, 250));
    QCOMPARE(ev.utcOffsetSec, 0);
    QCOMPARE(resolver.currentYear(), 2026);
    QCOMPARE(resolver.lastMonth(), 11);
}

void TestTimestampResolver::rollOverDecemberToJanuary()
{
    TimestampResolver resolver;
    resolver.setStartYear(2025);
    Event ev;
    QVERIFY(resolver.resolve(classic(11, 30, 10, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2025, 11, 30, 10, 0, 0));
    QVERIFY(resolver.resolve(classic(12, 31, 23, 59, 59), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2025, 12, 31, 23, 59, 59));
    QVERIFY(resolver.resolve(classic(1, 1, 0, 0, 1), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 1, 1, 0, 0, 1));
    QCOMPARE(resolver.currentYear(), 2026);
    QVERIFY(resolver.resolve(classic(2, 1, 0, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 2, 1, 0, 0, 0));
    QCOMPARE(resolver.currentYear(), 2026);
    QCOMPARE(resolver.lastMonth(), 2);
}

void TestTimestampResolver::lateDecemberLineKeepsYear()
{
    TimestampResolver resolver;
    resolver.setStartYear(2025);
    Event ev;
    QVERIFY(resolver.resolve(classic(12, 31, 23, 59, 58), ev));
    QVERIFY(resolver.resolve(classic(1, 1, 0, 0, 1), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 1, 1, 0, 0, 1));
    // Written a moment late by another process: still the old year, and no new year after it.
    QVERIFY(resolver.resolve(classic(12, 31, 23, 59, 59), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2025, 12, 31, 23, 59, 59));
    QVERIFY(resolver.resolve(classic(1, 1, 0, 0, 2), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 1, 1, 0, 0, 2));
    QCOMPARE(resolver.currentYear(), 2026);
    QCOMPARE(resolver.lastMonth(), 1);
}

void TestTimestampResolver::lineOneMonthBackIsNotNewYear()
{
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    Event ev;
    QVERIFY(resolver.resolve(classic(3, 1, 0, 0, 1), ev));
    QVERIFY(resolver.resolve(classic(2, 28, 23, 59, 59), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 2, 28, 23, 59, 59));
    QVERIFY(resolver.resolve(classic(3, 1, 0, 0, 2), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 3, 1, 0, 0, 2));
    // Two months back cannot be a late line: a new year began (a quiet log spanning new year).
    QVERIFY(resolver.resolve(classic(1, 3, 9, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2027, 1, 3, 9, 0, 0));
}

void TestTimestampResolver::noRollOverPastTheLatestYear()
{
    // Concatenated excerpts (test suites, pasted tickets) jump back and forth between months; a
    // file last written in 2026 holds no line from 2027.
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    resolver.setLatestYear(2026);
    Event ev;
    QVERIFY(resolver.resolve(classic(8, 10, 10, 0, 0), ev));
    QVERIFY(resolver.resolve(classic(2, 21, 9, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 2, 21, 9, 0, 0));
    QCOMPARE(resolver.currentYear(), 2026);
}

void TestTimestampResolver::restoreStateContinues()
{
    TimestampResolver first;
    first.setStartYear(2025);
    Event ev;
    QVERIFY(first.resolve(classic(12, 30, 12, 0, 0), ev));
    QVERIFY(first.resolve(classic(1, 2, 12, 0, 0), ev));
    QCOMPARE(first.currentYear(), 2026);
    QCOMPARE(first.lastMonth(), 1);

    TimestampResolver resumed;
    resumed.restoreState(first.currentYear(), first.lastMonth());
    QVERIFY(resumed.resolve(classic(1, 3, 12, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2026, 1, 3, 12, 0, 0));
    // A fresh resolver started at 2025 would have called it 2025 without the saved state.
    TimestampResolver fresh;
    fresh.setStartYear(2025);
    QVERIFY(fresh.resolve(classic(1, 3, 12, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), utcMs(2025, 1, 3, 12, 0, 0));
}

void TestTimestampResolver::rfc3339_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("timeMs");
    QTest::addColumn<int>("offset");
    QTest::newRow("Z") << QByteArray("2026-11-22T08:50:30Z h p[1]: x") << utcMs(2026, 11, 22, 8, 50, 30) << 0;
    QTest::newRow("+01:00 fraction") << QByteArray("2026-11-22T08:50:30.123456+01:00 h p[1]: x")
                                     << utcMs(2026, 11, 22, 7, 50, 30, 123) << 3600;
    QTest::newRow("-05:30 across midnight") << QByteArray("2024-02-29T23:00:00-05:30 h p[1]: x")
                                            << utcMs(2024, 3, 1, 4, 30, 0) << -19800;
    QTest::newRow("+14:00 across new year") << QByteArray("2027-01-01T05:00:00+14:00 h p[1]: x")
                                            << utcMs(2026, 12, 31, 15, 0, 0) << 50400;
}

void TestTimestampResolver::rfc3339()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, timeMs);
    QFETCH(int, offset);
    // The zone of the process must not matter for lines that carry their own offset.
    ZoneGuard zone(CentralEurope);
    SyslogLine parsed;
    QVERIFY(parseSyslogLine(std::string_view(line.constData(), size_t(line.size())), parsed));
    TimestampResolver resolver;
    resolver.setStartYear(1999);
    Event ev;
    QVERIFY(resolver.resolve(parsed, ev));
    QCOMPARE(qint64(ev.timeMs), timeMs);
    QCOMPARE(ev.utcOffsetSec, offset);
    QCOMPARE(resolver.currentYear(), parsed.year);
}

void TestTimestampResolver::rejectsImpossibleDate()
{
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    Event ev;
    ev.timeMs = 42;
    QVERIFY(!resolver.resolve(classic(0, 1, 0, 0, 0), ev));
    QVERIFY(!resolver.resolve(classic(13, 1, 0, 0, 0), ev));
    QVERIFY(!resolver.resolve(classic(5, 0, 0, 0, 0), ev));
    QCOMPARE(qint64(ev.timeMs), qint64(42));
}

void TestTimestampResolver::dstSamples_data()
{
    QTest::addColumn<QList<int>>("local");  // month day hour minute second, one line after another
    QTest::addColumn<QList<qint64>>("expectedMs");
    QTest::addColumn<QList<int>>("offsets");
    QTest::newRow("winter") << QList<int>{1, 15, 12, 0, 0} << QList<qint64>{utcMs(2026, 1, 15, 11, 0, 0)} << QList<int>{3600};
    QTest::newRow("summer") << QList<int>{7, 15, 12, 0, 0} << QList<qint64>{utcMs(2026, 7, 15, 10, 0, 0)} << QList<int>{7200};
    QTest::newRow("spring forward") << QList<int>{3, 29, 1, 59, 59, 3, 29, 3, 0, 0, 3, 29, 3, 30, 0}
                                    << QList<qint64>{utcMs(2026, 3, 29, 0, 59, 59), utcMs(2026, 3, 29, 1, 0, 0),
                                                     utcMs(2026, 3, 29, 1, 30, 0)}
                                    << QList<int>{3600, 7200, 7200};
    // 02:30 does not exist that night: read with the winter offset, as if the clock was late.
    QTest::newRow("skipped hour") << QList<int>{3, 29, 2, 30, 0} << QList<qint64>{utcMs(2026, 3, 29, 1, 30, 0)}
                                  << QList<int>{7200};
    QTest::newRow("fall back, both passes")
        << QList<int>{10, 25, 1, 59, 59, 10, 25, 2, 0, 0, 10, 25, 2, 59, 59, 10, 25, 2, 0, 0, 10, 25, 2, 30, 0, 10, 25, 3, 0, 0}
        << QList<qint64>{utcMs(2026, 10, 24, 23, 59, 59), utcMs(2026, 10, 25, 0, 0, 0), utcMs(2026, 10, 25, 0, 59, 59),
                         utcMs(2026, 10, 25, 1, 0, 0), utcMs(2026, 10, 25, 1, 30, 0), utcMs(2026, 10, 25, 2, 0, 0)}
        << QList<int>{7200, 7200, 7200, 3600, 3600, 3600};
    QTest::newRow("repeated hour alone: first reading") << QList<int>{10, 25, 2, 15, 0}
                                                        << QList<qint64>{utcMs(2026, 10, 25, 0, 15, 0)} << QList<int>{7200};
}

void TestTimestampResolver::dstSamples()
{
    QFETCH(QList<int>, local);
    QFETCH(QList<qint64>, expectedMs);
    QFETCH(QList<int>, offsets);
    ZoneGuard zone(CentralEurope);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    for (qsizetype i = 0; i < expectedMs.size(); ++i) {
        Event ev;
        const auto f = local.mid(i * 5, 5);
        QVERIFY(resolver.resolve(classic(f[0], f[1], f[2], f[3], f[4]), ev));
        QCOMPARE(qint64(ev.timeMs), expectedMs[i]);
        QCOMPARE(ev.utcOffsetSec, offsets[i]);
    }
}

void TestTimestampResolver::dstWalkThroughTransitions_data()
{
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::newRow("spring") << utcMs(2026, 3, 27, 0, 0, 0) << utcMs(2026, 3, 31, 0, 0, 0);
    QTest::newRow("fall") << utcMs(2026, 10, 23, 0, 0, 0) << utcMs(2026, 10, 27, 0, 0, 0);
}

// Writes a log the way syslog would (UTC instants every 7 minutes, printed as Berlin wall clock
// without year or zone) and checks that every line resolves to its instant: across the cached
// hour boundaries, into and out of the window around the transition, and through the repeated hour.
void TestTimestampResolver::dstWalkThroughTransitions()
{
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    const qint64 summerFrom = utcMs(2026, 3, 29, 1, 0, 0);
    const qint64 summerTo = utcMs(2026, 10, 25, 1, 0, 0);
    ZoneGuard zone(CentralEurope);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    int lines = 0;
    for (qint64 ms = fromMs; ms < toMs; ms += 7 * 60 * 1000, ++lines) {
        const int offset = ms >= summerFrom && ms < summerTo ? 7200 : 3600;
        const QDateTime wall = QDateTime::fromMSecsSinceEpoch(ms + offset * 1000LL, QTimeZone::UTC);
        Event ev;
        QVERIFY(resolver.resolve(fromLocal(wall), ev));
        QVERIFY2(ev.timeMs == ms && ev.utcOffsetSec == offset,
                 qPrintable(wall.toString(Qt::ISODate) + u" resolved to "_s
                            + QDateTime::fromMSecsSinceEpoch(ev.timeMs, QTimeZone::UTC).toString(Qt::ISODate)));
    }
    QVERIFY(lines > 800);
}

QTEST_GUILESS_MAIN(TestTimestampResolver)
#include "tst_timestampresolver.moc"
