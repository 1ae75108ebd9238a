// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// An insight's time as the model says it (a copy, a screen reader, any view) is in the logs'
// clock, as the table's times are, not in the viewer's zone: ctest runs this with TZ=Asia/Kolkata.
#include "insightmodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace mailtrail;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(mailtrail::LogClock)

class TestInsightClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void viewerZoneIsAnother();
    void timeIsInTheLogsClock_data();
    void timeIsInTheLogsClock();
    void newClockRewritesTheTimes();
};

namespace {
// 2026-11-21 19:00:02 UTC: the sample's first reject burst, logged at 20:00:02+01:00.
const qint64 Fired = QDateTime(QDate(2026, 11, 21), QTime(19, 0, 2), QTimeZone::UTC).toMSecsSinceEpoch();

Insight insightAt(qint64 ms)
{
    Insight i;
    i.kind = InsightKind::RejectBurst;
    i.timeMs = ms;
    i.subject = "192.0.2.10";
    i.detail = "12 rejects in 10 min";
    return i;
}
}

void TestInsightClock::viewerZoneIsAnother()
{
    // Else the rows below could pass with the viewer's own clock.
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(Fired).offsetFromUtc(), 5 * 3600 + 1800);
}

void TestInsightClock::timeIsInTheLogsClock_data()
{
    QTest::addColumn<LogClock>("clock");
    QTest::addColumn<QString>("shown");
    QTest::newRow("log at +01:00") << LogClock(3600) << u"2026-11-21 20:00:02"_s;
    QTest::newRow("log in UTC") << LogClock(0) << u"2026-11-21 19:00:02"_s;
    QTest::newRow("log at -05:00") << LogClock(-5 * 3600) << u"2026-11-21 14:00:02"_s;
    LogClock changed(3600);
    changed.addChange(Fired - 60000, 7200);  // a clock change a minute before it fired
    QTest::newRow("after a clock change") << changed << u"2026-11-21 21:00:02"_s;
    QTest::newRow("no log open: UTC") << LogClock() << u"2026-11-21 19:00:02"_s;
}

void TestInsightClock::timeIsInTheLogsClock()
{
    QFETCH(LogClock, clock);
    InsightModel model;
    QAbstractItemModelTester tester(&model);
    model.setClock(clock);
    model.append({insightAt(Fired)});
    QTEST(model.index(0, InsightModel::Time).data().toString(), "shown");
}

void TestInsightClock::newClockRewritesTheTimes()
{
    // The clock comes after the insights (the logs' offsets are read off the GUI thread).
    InsightModel model;
    QAbstractItemModelTester tester(&model);
    model.append({insightAt(Fired), insightAt(Fired + 3600 * 1000)});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setClock(LogClock(3600));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(1, InsightModel::Time).data().toString(), u"2026-11-21 21:00:02"_s);
    model.setClock(LogClock(3600));  // the same clock again: nothing to say
    QCOMPARE(changed.size(), 1);
}

QTEST_GUILESS_MAIN(TestInsightClock)
#include "tst_insightclock.moc"
