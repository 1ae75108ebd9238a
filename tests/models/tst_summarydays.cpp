// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Summary's days: the days without traffic between two with traffic are there, at zero, so
// that the per-day chart's axis is true (11-21 stood next to 12-03).
#include "cache/cache.h"
#include "ingest/ingestor.h"
#include "../cache/testlogs.h"
#include "summarymodel.h"

#include <QTest>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestSummaryDays : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quietDaysAreShown();
    void monthsApartAreLeftAsThey();
};

void TestSummaryDays::quietDaysAreShown()
{
    // The same message on 20 November and again (another queue id) on 3 December.
    QTemporaryDir dir;
    QByteArray later = flow("deferred-then-sent.log");
    later.replace("Nov 20 ", "Dec  3 ");
    later.replace("4F2A81C0123", "4F2A81C0456");
    const QString log = QString::fromStdString(write(dir, u"two-days.log"_s, flow("deferred-then-sent.log") + later));
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    SummaryModel model(dir.filePath(u"c.sqlite"_s));
    model.request(Filter{});
    model.waitForIdle();
    QVERIFY2(model.error().isEmpty(), qPrintable(model.error()));
    const std::vector<StatsDay> &days = model.stats().byDay;
    QCOMPARE(days.size(), 14u);  // 20 November to 3 December
    QCOMPARE(days.front().day, std::string("2026-11-20"));
    QCOMPARE(days.back().day, std::string("2026-12-03"));
    QCOMPARE(days.front().counts.received, std::int64_t{1});
    QCOMPARE(days.back().counts.received, std::int64_t{1});
    for (std::size_t i = 1; i + 1 < days.size(); ++i) {
        QCOMPARE(days[i].day, QDate(2026, 11, 20).addDays(qint64(i)).toString(Qt::ISODate).toStdString());
        QCOMPARE(days[i].counts.received, std::int64_t{0});
        QCOMPARE(days[i].counts.deferred, std::int64_t{0});
        // A click on a quiet day shows that day: its start is the day's midnight in the log's clock.
        QCOMPARE(SummaryModel::dayStartMs(days[i]), SummaryModel::dayStartMs(days[i - 1]) + 86'400'000);
    }
}

void TestSummaryDays::monthsApartAreLeftAsThey()
{
    // Half a year of empty bars would leave the two days with traffic a pixel wide each.
    StatsDay a, b;
    a.day = "2026-01-10";
    b.day = "2026-07-01";
    a.counts.received = b.counts.received = 5;
    const std::vector<StatsDay> days = SummaryModel::withQuietDays({a, b});
    QCOMPARE(days.size(), 2u);
    // Next to each other: nothing added.
    b.day = "2026-01-11";
    QCOMPARE(SummaryModel::withQuietDays({a, b}).size(), 2u);
    // One between.
    b.day = "2026-01-12";
    QCOMPARE(SummaryModel::withQuietDays({a, b}).size(), 3u);
}

QTEST_MAIN(TestSummaryDays)
#include "tst_summarydays.moc"
