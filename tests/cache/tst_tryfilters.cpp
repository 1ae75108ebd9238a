// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The filter on delivery tries (Filter::triedSinceMs, triedUntilMs, triedAs) against the status
// chart: each segment of the chart, as a filter, lists exactly the rows whose tries it counts.
// The tries of a listed row are counted here from its timeline (Cache::detail), not by SQL.
#include "cache/statsqueries.h"
#include "ingest/ingestor.h"
#include "testlogs.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <set>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(mailtrail::ChartGroup)

namespace {

struct Try {
    std::int64_t timeMs;
    std::string outcome;
    std::string replyCode;
    std::string dsn;
};

std::string outcomeOf(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Sent: return "delivered";
    // An expired recipient's tries were deferrals: the giving up tried nothing.
    case DeliveryStatus::Deferred:
    case DeliveryStatus::Expired: return "deferred";
    case DeliveryStatus::Rejected: return "rejected";
    default: return "bounced";
    }
}

// By reply code, a try without one is "delivered-no-reply" when it delivered (local(8), pipe,
// Sendmail's and Exim's deliveries), else "" (a timeout, a refused connection, a milter's refusal).
std::string replyOf(int code, DeliveryStatus status)
{
    return code != 0 ? std::to_string(code) : status == DeliveryStatus::Sent ? "delivered-no-reply" : std::string();
}

// The tries of one delivery as the timeline shows them: its last try (none when it was queued
// only, handed to a chain's next hop, or is not a try at all), and the counted attempts before.
// An expired recipient with attempt rows: each counted one, its last line maybe the giving up
// (Exim's "** retry timeout exceeded"), which tried nothing. A last line that tried nothing
// ("delivery temporarily suspended" after a deferral) is an attempt row not counted, with none
// counted at or after it: the recipient's last try is the counted one before.
std::vector<Try> triesOf(const MessageDetail &detail, const DeliveryRow &d)
{
    std::vector<Try> out;
    const int status = static_cast<int>(d.status);
    const bool expired = d.status == DeliveryStatus::Expired;
    bool hasRows = false, lastCounted = false;
    for (const AttemptRow &a : detail.attempts) {
        if (a.deliveryIndex != d.index)
            continue;
        hasRows = true;
        lastCounted = lastCounted || (a.counted && a.timeMs >= d.lastSeenMs);
    }
    if (status >= 1 && status <= 5 && !d.toNextHop && d.attempts > 0 && !(expired && hasRows) && (!hasRows || lastCounted))
        out.push_back({d.lastSeenMs, outcomeOf(d.status), replyOf(d.replyCode, d.status), d.dsn});
    for (const AttemptRow &a : detail.attempts) {
        if (a.deliveryIndex == d.index && a.counted && (a.timeMs < d.lastSeenMs || expired))
            out.push_back({a.timeMs, outcomeOf(a.status), replyOf(a.replyCode, a.status), a.dsn});
    }
    return out;
}

const std::string &keyOf(const Try &t, ChartGroup group)
{
    switch (group) {
    case ChartGroup::Outcome: return t.outcome;
    case ChartGroup::ReplyCode: return t.replyCode;
    case ChartGroup::EnhancedCode: return t.dsn;
    }
    return t.outcome;
}

} // namespace

class TestTryFilters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void segmentsSelectTheirTries_data();
    void segmentsSelectTheirTries();
    void triedAsForms_data();
    void triedAsForms();
    void listedKeysAreAnyOfThem_data();
    void listedKeysAreAnyOfThem();
    void timeBoundedTriesReadTheTimeIndex();
    void chartClickAndSummaryCountDeferredMessagesAlike_data();
    void chartClickAndSummaryCountDeferredMessagesAlike();
    void hourlyProblemsAgree_data();
    void hourlyProblemsAgree();
};

void TestTryFilters::segmentsSelectTheirTries_data()
{
    addRealLogRows();
}

void TestTryFilters::segmentsSelectTheirTries()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    std::map<std::int64_t, MessageDetail> details;
    const auto detailOf = [&](std::int64_t id) -> const MessageDetail & {
        auto it = details.find(id);
        if (it == details.end())
            it = details.emplace(id, cache.detail(id).value()).first;
        return it->second;
    };
    int segments = 0;
    for (const ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
        const ChartData chart = cache.chartData({}, group);
        QVERIFY2(chart.ok(), chart.error.c_str());
        for (const ChartCell &cell : chart.cells) {
            Filter filter;
            filter.triedSinceMs = cell.minute * 60000;
            filter.triedUntilMs = filter.triedSinceMs + 60000;
            filter.triedAs = triedAsFor(group, cell.key);
            const QByteArray where = QByteArray::number(cell.minute) + ' ' + QByteArray::fromStdString(filter.triedAs);
            const std::vector<DeliveryRow> rows = cache.deliveries(filter, {}, 0, 1000000);
            QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(rows.size()));
            std::int64_t counted = 0;
            std::set<std::int64_t> messages;
            for (const DeliveryRow &row : rows) {
                int own = 0;
                for (const Try &t : triesOf(detailOf(row.messageDbId), row))
                    own += t.timeMs >= filter.triedSinceMs && t.timeMs < filter.triedUntilMs && keyOf(t, group) == cell.key;
                QVERIFY2(own > 0, where.constData());
                counted += own;
                messages.insert(row.messageDbId);
            }
            const QByteArray counts = where + " counts " + QByteArray::number(cell.count) + ", rows have " +
                QByteArray::number(counted);
            QVERIFY2(counted == cell.count, counts.constData());
            QVERIFY2(cache.count(Grain::Messages, filter) == std::int64_t(messages.size()), where.constData());
            std::set<std::int64_t> listed;
            for (const MessageRow &m : cache.messages(filter, {}, 0, 1000000))
                listed.insert(m.id);
            QVERIFY2(listed == messages, where.constData());
            ++segments;
        }
    }
    QVERIFY(segments > 0);
}

void TestTryFilters::triedAsForms_data()
{
    QTest::addColumn<QString>("triedAs");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("key");
    QTest::newRow("outcome") << u"deferred"_s << int(TryGroup::Outcome) << u"deferred"_s;
    QTest::newRow("reply code") << u"450"_s << int(TryGroup::ReplyCode) << u"450"_s;
    QTest::newRow("no reply") << u"no-reply"_s << int(TryGroup::ReplyCode) << QString();
    QTest::newRow("delivered, no reply") << u"delivered-no-reply"_s << int(TryGroup::ReplyCode) << u"delivered-no-reply"_s;
    QTest::newRow("enhanced code") << u"4.2.0"_s << int(TryGroup::EnhancedCode) << u"4.2.0"_s;
    QTest::newRow("no dsn") << u"no-dsn"_s << int(TryGroup::EnhancedCode) << QString();
    QTest::newRow("any") << QString() << int(TryGroup::Any) << QString();
    // A class or a partial enhanced code is no segment of the chart: Filter::code is for those.
    QTest::newRow("class") << u"4xx"_s << int(TryGroup::Invalid) << QString();
    QTest::newRow("partial dsn") << u"4.2"_s << int(TryGroup::Invalid) << QString();
    QTest::newRow("status name") << u"sent"_s << int(TryGroup::Invalid) << QString();
    // Lists are of one kind, without empty pieces.
    QTest::newRow("codes and an outcome") << u"450,deferred"_s << int(TryGroup::Invalid) << QString();
    QTest::newRow("a list ending in a comma") << u"450,"_s << int(TryGroup::Invalid) << QString();
    QTest::newRow("a list with a class") << u"450,4xx"_s << int(TryGroup::Invalid) << QString();
}

void TestTryFilters::triedAsForms()
{
    QFETCH(QString, triedAs);
    QFETCH(int, kind);
    QFETCH(QString, key);
    const TryGroup group = TryGroup::parseAll(triedAs.toStdString()).front();
    QCOMPARE(int(group.kind), kind);
    QCOMPARE(QString::fromStdString(group.key), key);
    if (group.kind == TryGroup::Outcome || group.kind == TryGroup::ReplyCode || group.kind == TryGroup::EnhancedCode) {
        const auto chartGroup = group.kind == TryGroup::Outcome ? ChartGroup::Outcome
            : group.kind == TryGroup::ReplyCode                 ? ChartGroup::ReplyCode
                                                                : ChartGroup::EnhancedCode;
        QCOMPARE(QString::fromStdString(triedAsFor(chartGroup, group.key)), triedAs);
    }
    if (group.kind == TryGroup::Invalid) {
        // Matches nothing, rather than every row.
        QTemporaryDir dir;
        Cache cache;
        QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
        QVERIFY(Ingestor::import(cache, {write(dir, u"a.log"_s, flow("deferred-then-sent.log"))}).ok());
        QVERIFY(countAll(cache) > 0);
        Filter filter;
        filter.triedAs = triedAs.toStdString();
        QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(0));
        QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(0));
    }
}

void TestTryFilters::listedKeysAreAnyOfThem_data()
{
    addRealLogRows();
}

// Several keys of one group (the codes a chart's "Other" holds) list the rows of any of them: in
// each minute with two keys or more, the union of each key's rows.
void TestTryFilters::listedKeysAreAnyOfThem()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    const auto ids = [&cache](const Filter &f) {
        std::set<std::pair<std::int64_t, int>> out;
        for (const DeliveryRow &row : cache.deliveries(f, {}, 0, 1000000))
            out.emplace(row.messageDbId, row.index);
        return out;
    };
    int lists = 0;
    bool twoKeys = false;
    for (const ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
        const ChartData chart = cache.chartData({}, group);
        QVERIFY2(chart.ok(), chart.error.c_str());
        // Each minute's keys, and (under no minute) every key of the log at any time.
        std::map<std::int64_t, std::vector<std::string>> byMinute;
        std::set<std::string> everyKey;
        for (const ChartCell &cell : chart.cells) {
            byMinute[cell.minute].push_back(triedAsFor(group, cell.key));
            everyKey.insert(triedAsFor(group, cell.key));
        }
        byMinute[std::numeric_limits<std::int64_t>::min()].assign(everyKey.begin(), everyKey.end());
        twoKeys = twoKeys || everyKey.size() >= 2;
        for (const auto &[minute, keys] : byMinute) {
            if (keys.size() < 2)
                continue;
            Filter one;
            if (minute != std::numeric_limits<std::int64_t>::min()) {
                one.triedSinceMs = minute * 60000;
                one.triedUntilMs = one.triedSinceMs + 60000;
            }
            std::set<std::pair<std::int64_t, int>> expected;
            std::string list;
            for (const std::string &key : {keys.front(), keys.back()}) {
                one.triedAs = key;
                const auto rows = ids(one);
                expected.insert(rows.begin(), rows.end());
                list += (list.empty() ? "" : ",") + key;
            }
            Filter both = one;
            both.triedAs = list;
            QVERIFY2(ids(both) == expected, list.c_str());
            QCOMPARE(cache.count(Grain::Deliveries, both), std::int64_t(expected.size()));
            ++lists;
        }
    }
    // A log whose tries have two keys of a group at all had them listed together.
    QCOMPARE(lists > 0, twoKeys);
}

void TestTryFilters::timeBoundedTriesReadTheTimeIndex()
{
    // Neither grain reads every message or delivery for a time-bounded try filter: the messages
    // that can have a try before the range's end are a range of the time index, and the
    // deliveries of an outcome a range of the status index.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"m.log"_s, repeatedFlow("deferred-then-sent.log", 200, {}))}).ok());
    Filter filter;
    filter.triedSinceMs = 1795000000000;
    filter.triedUntilMs = 1795000000000 + 3600000;
    // Also once the window has built the order indexes: the one of the deliveries by status must
    // not be walked for the tries' status test (1 to 5), which nearly every delivery passes; it may
    // serve one message's deliveries of one status.
    for (const bool orderIndexes : {false, true}) {
        if (orderIndexes)
            QVERIFY(cache.ensureDeferredIndexes());
        for (const char *triedAs : {"deferred", ""}) {
            filter.triedAs = triedAs;
            for (const Grain grain : {Grain::Messages, Grain::Deliveries}) {
                for (const std::string &plan : {cache.countPlan(grain, filter), cache.pagePlan(grain, filter, {})}) {
                    for (const char *scan : {"SCAN x", "SCAN y", "SCAN d", "(status>?"})
                        QVERIFY2(plan.find(scan) == std::string::npos, plan.c_str());
                }
            }
        }
    }
}

void TestTryFilters::chartClickAndSummaryCountDeferredMessagesAlike_data()
{
    segmentsSelectTheirTries_data();
    // Exim's own test suite: recipients deferred, then given up on when their retry time ran out.
    QTest::newRow("exim test suite, expiries") << QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/exim-testsuite-expiry.log");
}

// The messages a click on the chart's "deferred" lists are the Summary's "deferred tries (N
// messages)": a recipient whose only lines say "delivery temporarily suspended" was tried by
// neither. The tries themselves are the Summary's deferrals, in the view of every hop (a
// hand-over's deferral counts there), an expired recipient's last deferral among them.
void TestTryFilters::chartClickAndSummaryCountDeferredMessagesAlike()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    Stats stats;
    StatsQueries queries(cache);
    QVERIFY(queries.compute(Filter{}, stats));
    Filter deferred;
    deferred.triedAs = "deferred";
    deferred.chains = true;
    QCOMPARE(cache.count(Grain::Messages, deferred), stats.deferredMessages);
    for (const bool fromRows : {false, true}) {
        std::int64_t tries = 0;
        for (const ChartCell &c : cache.chartData({}, ChartGroup::Outcome, fromRows).cells)
            tries += c.key == "deferred" ? c.count : 0;
        QCOMPARE(tries, stats.deferrals);
    }
}

void TestTryFilters::hourlyProblemsAgree_data()
{
    addRealLogRows();
}

// The Summary's problems of each hour of the day (deferred tries, bounces, rejects: the busiest
// hour's number and the hourly chart's bar), the status chart's failed tries in that hour, and the
// tries of the rows its link lists (`--tried-as failed` in the hour, each day) are one number. A
// recipient whose last line in the hour said "delivery temporarily suspended" (it tried nothing,
// after a real deferral earlier) counted in the chart and the link, not in the Summary: on the
// sample, the busiest hour had 23 problems and its link listed 28 rows.
void TestTryFilters::hourlyProblemsAgree()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    Stats stats;
    StatsQueries queries(cache);
    QVERIFY(queries.compute(Filter{}, stats));
    constexpr std::int64_t Hour = 3600000;
    // The start of the local hour `ms` falls in, and its hour of the day.
    const auto hourStart = [&stats](std::int64_t ms) {
        const std::int64_t offset = std::int64_t(utcOffsetAt(stats, ms)) * 1000;
        return (ms + offset) / Hour * Hour - offset;
    };
    const auto hourOfDay = [&stats](std::int64_t ms) {
        return int((ms + std::int64_t(utcOffsetAt(stats, ms)) * 1000) / Hour % 24);
    };
    const std::set<std::string> failed{"deferred", "bounced", "rejected"};
    std::set<std::int64_t> hours;  // the local hours with a failed try in the chart
    for (const bool fromRows : {false, true}) {
        std::array<std::int64_t, 24> chart{};
        const ChartData data = cache.chartData({}, ChartGroup::Outcome, fromRows);
        QVERIFY2(data.ok(), data.error.c_str());
        for (const ChartCell &c : data.cells) {
            if (failed.count(c.key)) {
                chart[std::size_t(hourOfDay(c.minute * 60000))] += c.count;
                hours.insert(hourStart(c.minute * 60000));
            }
        }
        for (int h = 0; h < 24; ++h) {
            const StatsHour &s = stats.byHour[std::size_t(h)];
            const QByteArray where = "hour " + QByteArray::number(h) + (fromRows ? " (rows)" : " (kept)");
            const QByteArray says = where + ": chart " + QByteArray::number(chart[std::size_t(h)]) + ", summary " +
                QByteArray::number(s.deferred + s.bounced + s.rejected);
            QVERIFY2(chart[std::size_t(h)] == s.deferred + s.bounced + s.rejected, says.constData());
        }
    }
    std::array<std::int64_t, 24> listedTries{}, listedRows{};
    for (const std::int64_t start : hours) {
        Filter link;
        link.triedAs = "failed";
        link.triedSinceMs = start;
        link.triedUntilMs = start + Hour;
        const std::vector<DeliveryRow> rows = cache.deliveries(link, {}, 0, 1000000);
        QCOMPARE(cache.count(Grain::Deliveries, link), std::int64_t(rows.size()));
        const std::size_t h = std::size_t(hourOfDay(start));
        listedRows[h] += std::int64_t(rows.size());
        std::map<std::int64_t, MessageDetail> details;
        for (const DeliveryRow &row : rows) {
            auto it = details.find(row.messageDbId);
            if (it == details.end())
                it = details.emplace(row.messageDbId, cache.detail(row.messageDbId).value()).first;
            int own = 0;
            for (const Try &t : triesOf(it->second, row))
                own += t.timeMs >= start && t.timeMs < start + Hour && failed.count(t.outcome);
            QVERIFY2(own > 0, QByteArray::number(qint64(start)).constData());
            listedTries[h] += own;
        }
    }
    for (int h = 0; h < 24; ++h) {
        const StatsHour &s = stats.byHour[std::size_t(h)];
        QCOMPARE(listedTries[std::size_t(h)], s.deferred + s.bounced + s.rejected);
        // A row is a recipient, which may have failed more than once in the hour.
        QVERIFY(listedRows[std::size_t(h)] <= listedTries[std::size_t(h)]);
    }
    // The sample's hour with the most problems, 22:00-23:00, where each failed once: 23 (the link
    // listed 28 rows before, the chart counted 28).
    if (log.endsWith(u"sample/mail.log"_s)) {
        const StatsHour &s = stats.byHour[22];
        QCOMPARE(s.deferred + s.bounced + s.rejected, std::int64_t(23));
        QCOMPARE(listedRows[22], std::int64_t(23));
    }
}

QTEST_GUILESS_MAIN(TestTryFilters)
#include "tst_tryfilters.moc"
