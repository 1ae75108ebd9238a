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
    void equalCountsSortByName();
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

void TestSummaryDays::equalCountsSortByName()
{
    // The cache lists equal counts as text: 158.24.101.10 before 158.24.101.9. By count, then
    // by name as a person reads it; a problem list by its problems.
    Stats s;
    const auto source = [](std::string key, std::int64_t count) {
        StatsSource r;
        r.key = std::move(key);
        r.count = count;
        return r;
    };
    s.authFailuresByClient = {source("158.24.101.243", 64), source("158.24.101.10", 3), source("158.24.101.100", 3),
                              source("158.24.101.9", 3), source("10.0.0.1", 1)};
    s.topSenders = {StatsCount{"b10@x", 5, 0, 0}, StatsCount{"b9@x", 5, 0, 0}, StatsCount{"a@x", 7, 0, 0}};
    s.problemRelays = {StatsCount{"mx10", 9, 1, 0}, StatsCount{"mx9", 1, 1, 0}, StatsCount{"mx1", 1, 4, 0}};
    SummaryModel::sortLists(s);
    QStringList clients, senders, relays;
    for (const StatsSource &r : s.authFailuresByClient)
        clients << QString::fromStdString(r.key);
    for (const StatsCount &r : s.topSenders)
        senders << QString::fromStdString(r.key);
    for (const StatsCount &r : s.problemRelays)
        relays << QString::fromStdString(r.key);
    QCOMPARE(clients, (QStringList{u"158.24.101.243"_s, u"158.24.101.9"_s, u"158.24.101.10"_s, u"158.24.101.100"_s, u"10.0.0.1"_s}));
    QCOMPARE(senders, (QStringList{u"a@x"_s, u"b9@x"_s, u"b10@x"_s}));
    QCOMPARE(relays, (QStringList{u"mx1"_s, u"mx9"_s, u"mx10"_s}));
}

QTEST_MAIN(TestSummaryDays)
#include "tst_summarydays.moc"
