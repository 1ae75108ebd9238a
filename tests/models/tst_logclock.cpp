// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The logs' clock across a clock change (+01:00 to +02:00 on 2026-03-29 at 01:00 UTC): moments
// read and typed as that clock shows them, the chart's hour and day bars at its round times
// (a 23-hour day), and the axis never naming an hour the clock skipped.
#include "chartmodel.h"
#include "logclock.h"
#include "timeticks.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 Minute = 60000;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

qint64 utc(int month, int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, month, day), QTime(hour, minute), QTimeZone::UTC).toMSecsSinceEpoch();
}

// +01:00 until 2026-03-29 01:00 UTC, +02:00 after.
LogClock spring()
{
    LogClock clock(3600);
    clock.addChange(utc(3, 29, 1), 7200);
    return clock;
}

// One try per hour from `from` to `to`, deferred.
ChartData hourly(qint64 from, qint64 to)
{
    ChartData data;
    for (qint64 t = from; t < to; t += Hour)
        data.cells.push_back(ChartCell{t / Minute, "deferred", 1});
    return data;
}
} // namespace

class TestLogClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsAndTypesTheLogsTime();
    void hourBarsStartOnTheLogsHours();
    void dayBarsStartAtTheLogsMidnights();
    void ticksSkipTheHourTheClockSkips();
};

void TestLogClock::readsAndTypesTheLogsTime()
{
    const LogClock clock = spring();
    QCOMPARE(clock.offsetAt(utc(3, 29, 0, 59)), 3600);
    QCOMPARE(clock.offsetAt(utc(3, 29, 1)), 7200);
    QCOMPARE(clock.format(utc(3, 29, 0, 59), u"yyyy-MM-dd HH:mm"_s), u"2026-03-29 01:59"_s);
    QCOMPARE(clock.format(utc(3, 29, 1), u"yyyy-MM-dd HH:mm"_s), u"2026-03-29 03:00"_s);
    QCOMPARE(clock.fromWall(QDate(2026, 3, 29), QTime(1, 30)), utc(3, 29, 0, 30));
    QCOMPARE(clock.fromWall(QDate(2026, 3, 29), QTime(3, 30)), utc(3, 29, 1, 30));
    QCOMPARE(clock.changesWithin(utc(3, 28, 0), utc(3, 30, 0)), QList<qint64>{utc(3, 29, 1)});
    QVERIFY(clock.changesWithin(utc(3, 29, 1), utc(3, 30, 0)).isEmpty());
    // No change known: UTC, and a clock of one offset has it everywhere.
    QCOMPARE(LogClock().offsetAt(utc(3, 29, 1)), 0);
    QCOMPARE(LogClock(-18000).format(utc(1, 1, 3), u"yyyy-MM-dd HH:mm"_s), u"2025-12-31 22:00"_s);
}

void TestLogClock::hourBarsStartOnTheLogsHours()
{
    // A log at +05:30 (no hour of UTC is one of its hours): its bars start at its own hours.
    const LogClock clock(19800);
    const qint64 from = utc(3, 1, 0, 10), to = utc(3, 3, 0, 10);
    const ChartModel::Table t = ChartModel::build(hourly(from, to), ChartGroup::Outcome, from, to, clock);
    QCOMPARE(t.bucketMs, Hour);
    for (const qint64 start : t.starts)
        QCOMPARE(clock.format(start, u"mm:ss"_s), u"00:00"_s);
    QCOMPARE(clock.format(t.starts.first(), u"HH:mm"_s), u"05:00"_s);  // 00:10 UTC is 05:40 there
}

void TestLogClock::dayBarsStartAtTheLogsMidnights()
{
    const LogClock clock = spring();
    const qint64 from = utc(3, 20, 12), to = utc(4, 5, 12);
    const ChartModel::Table t = ChartModel::build(hourly(from, to), ChartGroup::Outcome, from, to, clock);
    QCOMPARE(t.bucketMs, Day);
    for (const qint64 start : t.starts)
        QCOMPARE(clock.format(start, u"HH:mm"_s), u"00:00"_s);
    // The day of the change is 23 hours; each bar counts the tries of its own day.
    const auto bar = static_cast<int>(t.starts.indexOf(clock.fromWall(QDate(2026, 3, 29), QTime(0, 0))));
    QVERIFY(bar > 0);
    QCOMPARE(t.starts[bar + 1] - t.starts[bar], 23 * Hour);
    const int deferred = static_cast<int>(t.keys.indexOf(u"deferred"_s));
    QCOMPARE(t.counts[bar][deferred], qint64(23));
    QCOMPARE(t.counts[bar - 1][deferred], qint64(24));
    QCOMPARE(t.counts[bar + 1][deferred], qint64(24));
}

void TestLogClock::ticksSkipTheHourTheClockSkips()
{
    const LogClock clock = spring();
    // 00:00 to 06:00 of the log's clock on the day of the change: five hours.
    const QList<TimeTick> ticks = timeTicks(utc(3, 28, 23), utc(3, 29, 4), 12, clock);
    QStringList labels;
    for (const TimeTick &tick : ticks) {
        labels << tick.label;
        if (tick.label.contains(u':'))
            QCOMPARE(tick.label, clock.format(tick.ms, u"HH:mm"_s));
    }
    QVERIFY2(labels.contains(u"03:00"_s) && labels.contains(u"06:00"_s), qPrintable(labels.join(u", "_s)));
    QVERIFY2(labels.contains(u"29 Mar"_s) && !labels.contains(u"02:00"_s), qPrintable(labels.join(u", "_s)));
}

QTEST_GUILESS_MAIN(TestLogClock)
#include "tst_logclock.moc"
