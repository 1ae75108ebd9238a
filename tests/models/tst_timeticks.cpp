// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The chart's time axis: ticks at round times of the log's clock, dates at midnight and the year
// at New Year, never more than there is room for.
#include "timeticks.h"

#include <QDateTime>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
qint64 at(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toMSecsSinceEpoch();
}
} // namespace

class TestTimeTicks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTimes_data();
    void roundTimes();
};

void TestTimeTicks::roundTimes_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("end");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<int>("zoneOffset");   // seconds east of UTC of the log's clock
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QString>("firstTick");  // in UTC
    // The bundled sample's chart: five-minute bars from 20:00 to 23:05.
    QTest::newRow("three hours: half hours")
        << u"2026-11-21T20:00:00Z"_s << u"2026-11-21T23:05:00Z"_s << 9 << 0
        << QStringList{u"20:00"_s, u"20:30"_s, u"21:00"_s, u"21:30"_s, u"22:00"_s, u"22:30"_s, u"23:00"_s}
        << u"2026-11-21T20:00:00Z"_s;
    QTest::newRow("three hours, little room: hours")
        << u"2026-11-21T20:00:00Z"_s << u"2026-11-21T23:05:00Z"_s << 5 << 0
        << QStringList{u"20:00"_s, u"21:00"_s, u"22:00"_s, u"23:00"_s} << u"2026-11-21T20:00:00Z"_s;
    // The range starts at an odd second: the ticks do not.
    QTest::newRow("odd start: five minutes")
        << u"2026-11-21T09:07:13Z"_s << u"2026-11-21T09:43:00Z"_s << 9 << 0
        << QStringList{u"09:10"_s, u"09:15"_s, u"09:20"_s, u"09:25"_s, u"09:30"_s, u"09:35"_s, u"09:40"_s}
        << u"2026-11-21T09:10:00Z"_s;
    QTest::newRow("fifteen minutes")
        << u"2026-11-21T09:07:00Z"_s << u"2026-11-21T10:40:00Z"_s << 8 << 0
        << QStringList{u"09:15"_s, u"09:30"_s, u"09:45"_s, u"10:00"_s, u"10:15"_s, u"10:30"_s} << u"2026-11-21T09:15:00Z"_s;
    QTest::newRow("across midnight: the date at midnight")
        << u"2026-11-15T22:00:00Z"_s << u"2026-11-16T02:00:00Z"_s << 7 << 0
        << QStringList{u"22:00"_s, u"23:00"_s, u"16 Nov"_s, u"01:00"_s, u"02:00"_s} << u"2026-11-15T22:00:00Z"_s;
    QTest::newRow("two days: six hours")
        << u"2026-11-15T03:00:00Z"_s << u"2026-11-17T01:00:00Z"_s << 9 << 0
        << QStringList{u"06:00"_s, u"12:00"_s, u"18:00"_s, u"16 Nov"_s, u"06:00"_s, u"12:00"_s, u"18:00"_s, u"17 Nov"_s}
        << u"2026-11-15T06:00:00Z"_s;
    QTest::newRow("four days: midnights")
        << u"2026-11-15T00:00:00Z"_s << u"2026-11-19T00:00:00Z"_s << 6 << 0
        << QStringList{u"15 Nov"_s, u"16 Nov"_s, u"17 Nov"_s, u"18 Nov"_s, u"19 Nov"_s} << u"2026-11-15T00:00:00Z"_s;
    QTest::newRow("across New Year: the year on Jan 1")
        << u"2026-12-29T00:00:00Z"_s << u"2027-01-03T00:00:00Z"_s << 9 << 0
        << QStringList{u"29 Dec"_s, u"30 Dec"_s, u"31 Dec"_s, u"1 Jan 2027"_s, u"2 Jan"_s, u"3 Jan"_s}
        << u"2026-12-29T00:00:00Z"_s;
    QTest::newRow("New Year's midnight among hours")
        << u"2026-12-31T22:10:00Z"_s << u"2027-01-01T01:30:00Z"_s << 5 << 0
        << QStringList{u"23:00"_s, u"1 Jan 2027"_s, u"01:00"_s} << u"2026-12-31T23:00:00Z"_s;
    QTest::newRow("six weeks: Mondays")
        << u"2026-11-01T00:00:00Z"_s << u"2026-12-13T00:00:00Z"_s << 9 << 0
        << QStringList{u"2 Nov"_s, u"9 Nov"_s, u"16 Nov"_s, u"23 Nov"_s, u"30 Nov"_s, u"7 Dec"_s} << u"2026-11-02T00:00:00Z"_s;
    QTest::newRow("three years: half years, each January with its year")
        << u"2026-01-01T00:00:00Z"_s << u"2029-01-01T00:00:00Z"_s << 9 << 0
        << QStringList{u"Jan 2026"_s, u"Jul"_s, u"Jan 2027"_s, u"Jul"_s, u"Jan 2028"_s, u"Jul"_s, u"Jan 2029"_s}
        << u"2026-01-01T00:00:00Z"_s;
    QTest::newRow("thirty years: five years")
        << u"2001-03-01T00:00:00Z"_s << u"2031-01-01T00:00:00Z"_s << 9 << 0
        << QStringList{u"2005"_s, u"2010"_s, u"2015"_s, u"2020"_s, u"2025"_s, u"2030"_s} << u"2005-01-01T00:00:00Z"_s;
    // Round on the log's clock, not on UTC's: in India (UTC+05:30) 09:00 is 03:30 UTC.
    QTest::newRow("UTC+05:30: the log's hours")
        << u"2026-11-21T03:10:00Z"_s << u"2026-11-21T06:00:00Z"_s << 4 << (5 * 3600 + 1800)
        << QStringList{u"09:00"_s, u"10:00"_s, u"11:00"_s} << u"2026-11-21T03:30:00Z"_s;
    QTest::newRow("UTC-05:00: the log's midnight")
        << u"2026-11-21T03:00:00Z"_s << u"2026-11-21T07:00:00Z"_s << 5 << -5 * 3600
        << QStringList{u"22:00"_s, u"23:00"_s, u"21 Nov"_s, u"01:00"_s, u"02:00"_s} << u"2026-11-21T03:00:00Z"_s;
    QTest::newRow("twenty seconds: no round minute") << u"2026-11-21T09:00:10Z"_s << u"2026-11-21T09:00:30Z"_s << 9 << 0
                                                     << QStringList{} << QString();
}

void TestTimeTicks::roundTimes()
{
    QFETCH(QString, first);
    QFETCH(QString, end);
    QFETCH(int, maxTicks);
    QFETCH(int, zoneOffset);
    const QTimeZone zone = QTimeZone::fromSecondsAheadOfUtc(zoneOffset);
    const QList<TimeTick> ticks = timeTicks(at(first), at(end), maxTicks, zone);
    QStringList labels;
    for (const TimeTick &t : ticks)
        labels << t.label;
    QTEST(labels, "labels");
    QVERIFY(ticks.size() <= maxTicks);
    QTEST(ticks.isEmpty() ? QString() : QDateTime::fromMSecsSinceEpoch(ticks.first().ms, QTimeZone::UTC).toString(Qt::ISODate),
          "firstTick");
    // Evenly spaced in the log's clock (months and midnights aside): one step apart each.
    for (qsizetype i = 2; i < ticks.size(); ++i)
        if (ticks[i].ms - ticks[i - 1].ms < 24 * 3600 * 1000LL)
            QCOMPARE(ticks[i].ms - ticks[i - 1].ms, ticks[1].ms - ticks[0].ms);
    for (const TimeTick &t : ticks)
        QVERIFY(t.ms >= at(first) && t.ms <= at(end));
}

QTEST_GUILESS_MAIN(TestTimeTicks)
#include "tst_timeticks.moc"
