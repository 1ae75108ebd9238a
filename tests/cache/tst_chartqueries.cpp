// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The chart's aggregation against the flows: every try counted once, in its minute and its group,
// as read off the logs by hand (tests run with TZ=UTC, so the log's times are UTC).
#include "cache/chartplan.h"
#include "cache/charttries.h"
#include "ingest/ingestor.h"
#include "testlogs.h"

#include <QDateTime>

#include <sqlite3.h>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(mailtrail::Filter)
Q_DECLARE_METATYPE(mailtrail::ChartGroup)

class TestChartQueries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cells_data();
    void cells();
    void chainCountsOnce();
    void chainFoundByItsFirstHopIsCharted_data();
    void chainFoundByItsFirstHopIsCharted();
    void filteredChartReadsIndexes_data();
    void filteredChartReadsIndexes();
    void brokenCacheSaysWhy();
    void talliesCountApart();

private:
    QTemporaryDir m_dir;
    Cache m_cache;
};

void TestChartQueries::initTestCase()
{
    QVERIFY(m_cache.open(m_dir.filePath(u"c.sqlite"_s).toStdString()));
    std::vector<std::string> files;
    for (const char *name : {"deferred-then-sent.log", "noqueue-reject.log", "expired.log", "partial-reject-and-forward.log"})
        files.push_back(write(m_dir, QLatin1String(name), flow(name)));
    QVERIFY(Ingestor::import(m_cache, files).ok());
}

void TestChartQueries::cells_data()
{
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<ChartGroup>("group");
    QTest::addColumn<QStringList>("expected");  // "MM-dd hh:mm key=count", in minute then key order
    Filter all;
    Filter bob;
    bob.recipient = "bob@";
    Filter permanent;
    permanent.code = "5xx";
    Filter noon;
    noon.sinceMs = QDateTime(QDate(2026, 11, 20), QTime(11, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    noon.untilMs = QDateTime(QDate(2026, 11, 20), QTime(13, 0), QTimeZone::UTC).toMSecsSinceEpoch();

    // deferred-then-sent: greylisted (450 4.2.0), a suspended try that tried nothing (not
    // counted), then sent. expired: two timed-out connections (4.4.1, no reply), both deferrals,
    // then given up on (which tried nothing). noqueue-reject: 554 5.7.1 before queueing.
    // partial-reject-and-forward: ghost@ refused (550 5.1.1), sales@ forwarded locally, the
    // forward delivered (250 2.0.0), grace@'s message refused by a milter (5.7.1, no reply code).
    // By reply code, the local forward (delivered, no reply code) is "delivered-no-reply", apart
    // from the tries that failed without a reply (the timeouts, the milter's refusal).
    QTest::newRow("outcomes of every try") << all << ChartGroup::Outcome
                                           << QStringList{u"11-15 09:00 deferred=1"_s, u"11-15 10:00 deferred=1"_s,
                                                          u"11-20 10:00 deferred=1"_s, u"11-20 10:10 delivered=1"_s,
                                                          u"11-20 12:00 rejected=1"_s, u"11-20 16:00 delivered=2"_s,
                                                          u"11-20 16:00 rejected=2"_s};
    QTest::newRow("reply codes") << all << ChartGroup::ReplyCode
                                 << QStringList{u"11-15 09:00 =1"_s, u"11-15 10:00 =1"_s, u"11-20 10:00 450=1"_s,
                                                u"11-20 10:10 250=1"_s, u"11-20 12:00 554=1"_s, u"11-20 16:00 =1"_s,
                                                u"11-20 16:00 250=1"_s, u"11-20 16:00 550=1"_s, u"11-20 16:00 delivered-no-reply=1"_s};
    QTest::newRow("enhanced codes") << all << ChartGroup::EnhancedCode
                                    << QStringList{u"11-15 09:00 4.4.1=1"_s, u"11-15 10:00 4.4.1=1"_s,
                                                   u"11-20 10:00 4.2.0=1"_s, u"11-20 10:10 2.0.0=1"_s,
                                                   u"11-20 12:00 5.7.1=1"_s, u"11-20 16:00 2.0.0=2"_s,
                                                   u"11-20 16:00 5.1.1=1"_s, u"11-20 16:00 5.7.1=1"_s};
    // The filter applies per delivery: bob's deferral and delivery, nobody else's tries.
    QTest::newRow("recipient") << bob << ChartGroup::Outcome
                               << QStringList{u"11-20 10:00 deferred=1"_s, u"11-20 10:10 delivered=1"_s};
    QTest::newRow("5xx deliveries") << permanent << ChartGroup::EnhancedCode
                                    << QStringList{u"11-20 12:00 5.7.1=1"_s, u"11-20 16:00 5.1.1=1"_s,
                                                   u"11-20 16:00 5.7.1=1"_s};
    QTest::newRow("time range") << noon << ChartGroup::Outcome << QStringList{u"11-20 12:00 rejected=1"_s};
}

void TestChartQueries::cells()
{
    QFETCH(Filter, filter);
    QFETCH(ChartGroup, group);
    const ChartData data = m_cache.chartData(filter, group);
    QVERIFY2(data.ok(), data.error.c_str());
    QStringList got;
    for (const ChartCell &c : data.cells)
        got << u"%1 %2=%3"_s.arg(QDateTime::fromMSecsSinceEpoch(c.minute * 60000, QTimeZone::UTC).toString(u"MM-dd hh:mm"_s),
                                 QString::fromStdString(c.key))
                   .arg(c.count);
    QTEST(got, "expected");
}

void TestChartQueries::chainCountsOnce()
{
    // Postfix 3.10.13 with a content filter (tests/data/postfix/golden), every line in the minute
    // 00:26 of 2026-12-04. Its 13 status=sent lines include 6 hand-overs to the filter ("250 2.0.0
    // Ok: queued as ..."), which the next hop delivers: 7 deliveries. late@slow.test deferred 5
    // times at the second hop; ghost@lab.test refused at RCPT. The discarded message and the
    // address probe (status=deliverable) tried no delivery.
    QTemporaryDir dir;
    Cache c;
    QVERIFY(c.open(dir.filePath(u"f.sqlite"_s).toStdString()));
    QFile log(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const std::string path = write(dir, u"filter.log"_s, log.readAll());
    ImportOptions options;
    options.year = 2026;
    QVERIFY(Ingestor::import(c, {path}, options).ok());
    const ChartData data = c.chartData({}, ChartGroup::Outcome);
    QVERIFY2(data.ok(), data.error.c_str());
    QStringList got;
    for (const ChartCell &cell : data.cells)
        got << u"%1 %2=%3"_s.arg(QDateTime::fromMSecsSinceEpoch(cell.minute * 60000, QTimeZone::UTC).toString(u"MM-dd hh:mm"_s),
                                 QString::fromStdString(cell.key))
                   .arg(cell.count);
    QCOMPARE(got, (QStringList{u"12-04 00:26 deferred=5"_s, u"12-04 00:26 delivered=7"_s, u"12-04 00:26 rejected=1"_s}));
}

void TestChartQueries::chainFoundByItsFirstHopIsCharted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("chains");
    QTest::addColumn<int>("listed");
    QTest::addColumn<QStringList>("expected");
    // alice's message 3656CE643A6 went through the filter to 75963E643B1, which delivered it to
    // bob (locally) and friend@remote.test and deferred late@slow.test 5 times. Found by its first
    // hop's queue id, the chain is listed by the table over chains: the chart shows its last hop's
    // tries, not the hand-overs.
    const QStringList chain{u"12-04 00:26 deferred=5"_s, u"12-04 00:26 delivered=2"_s};
    QTest::newRow("first hop, over chains") << u"3656CE643A6"_s << true << 1 << chain;
    QTest::newRow("last hop, over chains") << u"75963E643B1"_s << true << 1 << chain;
    // Hop by hop, the first hop's three tries are hand-overs, which are no deliveries; the last
    // hop's id is also in the first hop's replies ("queued as").
    QTest::newRow("first hop, hop by hop") << u"3656CE643A6"_s << false << 1 << QStringList{};
    QTest::newRow("last hop, hop by hop") << u"75963E643B1"_s << false << 2 << chain;
}

void TestChartQueries::chainFoundByItsFirstHopIsCharted()
{
    QFETCH(QString, text);
    QFETCH(bool, chains);
    QFETCH(int, listed);
    QTemporaryDir dir;
    Cache c;
    QVERIFY(c.open(dir.filePath(u"f.sqlite"_s).toStdString()));
    QFile log(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const std::string path = write(dir, u"filter.log"_s, log.readAll());
    ImportOptions options;
    options.year = 2026;
    QVERIFY(Ingestor::import(c, {path}, options).ok());
    QVERIFY(c.ensureTextIndex());
    Filter f;
    f.text = text.toStdString();
    f.chains = chains;
    // The window counts, then pages, then charts: from the second query on, the sets of chains a
    // condition meets are kept on the connection (Cache::keepHopSets), and the chart reads them.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(c.count(Grain::Messages, f), listed);
    const ChartData data = c.chartData(f, ChartGroup::Outcome);
    QVERIFY2(data.ok(), data.error.c_str());
    QStringList got;
    for (const ChartCell &cell : data.cells)
        got << u"%1 %2=%3"_s.arg(QDateTime::fromMSecsSinceEpoch(cell.minute * 60000, QTimeZone::UTC).toString(u"MM-dd hh:mm"_s),
                                 QString::fromStdString(cell.key))
                   .arg(cell.count);
    QTEST(got, "expected");
}

void TestChartQueries::filteredChartReadsIndexes_data()
{
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<ChartGroup>("group");
    QTest::addColumn<QString>("reads");  // a step the plan must have
    Filter sender;
    sender.sender = "example";
    Filter recipient;
    recipient.recipient = "*@example.com";
    Filter permanent;
    permanent.code = "5xx";
    Filter since;
    since.sinceMs = QDateTime(QDate(2026, 11, 20), QTime(11, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    // The deliveries of a filter over the messages are read from the chart's index, not from
    // their rows.
    QTest::newRow("sender substring") << sender << ChartGroup::Outcome << u"COVERING INDEX deliveries_chart"_s;
    QTest::newRow("sender, enhanced codes") << sender << ChartGroup::EnhancedCode << u"COVERING INDEX deliveries_chart"_s;
    QTest::newRow("recipient domain") << recipient << ChartGroup::ReplyCode << u"deliveries_recipient_rev"_s;
    Filter enhanced;
    enhanced.code = "5.1.1";
    // A code filter's deliveries are read from the code index, which carries what the chart reads
    // (layout 10).
    QTest::newRow("code class") << permanent << ChartGroup::EnhancedCode << u"COVERING INDEX deliveries_code_class"_s;
    QTest::newRow("enhanced code") << enhanced << ChartGroup::Outcome << u"COVERING INDEX deliveries_code_class"_s;
    QTest::newRow("since") << since << ChartGroup::Outcome << u"COVERING INDEX deliveries_chart"_s;
}

void TestChartQueries::filteredChartReadsIndexes()
{
    QFETCH(Filter, filter);
    QFETCH(ChartGroup, group);
    QFETCH(QString, reads);
    QVERIFY(m_cache.ensureDeferredIndexes());
    sql::Database db;
    db.open(m_dir.filePath(u"c.sqlite"_s).toStdString(), true);
    const std::string plan = chartPlan(db, filter, group);
    // Counted as they are read: no sort of every try by minute and group (a temporary B-tree),
    // no row of the deliveries read whole (their table scanned, or looked up by rowid), no
    // enhanced code's name looked up per try.
    QVERIFY2(plan.find("TEMP B-TREE FOR GROUP BY") == std::string::npos, plan.c_str());
    QVERIFY2(plan.find("SCAN d\n") == std::string::npos && plan.find("SEARCH d USING INTEGER PRIMARY KEY") == std::string::npos,
             plan.c_str());
    // (A filter by an enhanced code looks its id up once: SCAN dsns, not SEARCH per try.)
    QVERIFY2(plan.find("SEARCH dsns") == std::string::npos, plan.c_str());
    // One pass over the deliveries (layout 10): no attempt row read, nor its delivery and message
    // looked up for it; no last tries and earlier ones put together (UNION ALL).
    QVERIFY2(plan.find("attempts") == std::string::npos && plan.find("UNION ALL") == std::string::npos, plan.c_str());
    QVERIFY2(plan.find(reads.toStdString()) != std::string::npos, plan.c_str());
}

void TestChartQueries::brokenCacheSaysWhy()
{
    // A cache that lost its deliveries table: the chart says why, rather than drawing nothing. (It
    // no longer reads the attempts table, whose tries the deliveries keep.)
    QTemporaryDir dir;
    const std::string path = dir.filePath(u"b.sqlite"_s).toStdString();
    Cache c;
    QVERIFY(c.open(path));
    QVERIFY(Ingestor::import(c, {write(dir, u"a.log"_s, flow("deferred-then-sent.log"))}).ok());
    QVERIFY(c.chartData({}, ChartGroup::Outcome).ok());
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "DROP TABLE attempts", nullptr, nullptr, nullptr), SQLITE_OK);
    QVERIFY(c.chartData({}, ChartGroup::Outcome).ok());
    QCOMPARE(sqlite3_exec(db, "DROP TABLE deliveries", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    const ChartData data = c.chartData({}, ChartGroup::Outcome);
    QVERIFY(!data.ok());
    QVERIFY2(QString::fromStdString(data.error).contains(u"deliveries"_s), data.error.c_str());
    QVERIFY(data.cells.empty());
}

namespace {

// The cells of a tally (mailtrail_chart_tally's value) as "minute key=count", in order.
QStringList cellsOf(std::string_view blob)
{
    std::vector<TallyCell> cells;
    if (!decodeTally(blob, cells))
        return {u"not a tally"_s};
    QStringList out;
    for (const TallyCell &c : cells)
        out << u"%1 %2=%3"_s.arg(c.minute).arg(c.type == TallyCell::Type::Null ? u"null"_s : QString::number(c.number)).arg(c.count);
    out.sort();
    return out;
}

} // namespace

void TestChartQueries::talliesCountApart()
{
    // Each aggregate counts into its own state: two connections on one thread, or two statements
    // of one connection, stepped in turn, do not count into each other's tally (a tally kept per
    // thread did: the second one's end left the first counting nowhere).
    sql::Database a, b;
    a.open(m_dir.filePath(u"tally-a.sqlite"_s).toStdString());
    b.open(m_dir.filePath(u"tally-b.sqlite"_s).toStdString());
    for (sql::Database *db : {&a, &b}) {
        addChartFunctions(*db);
        db->exec("CREATE TABLE t(g, minute, key); INSERT INTO t VALUES (1, 10, 250), (1, 10, 250), (1, 11, NULL), "
                 "(2, 10, 450), (3, 12, 550), (3, 12, 550), (3, 12, 550)");
    }
    sql::Statement grouped(a, "SELECT g, mailtrail_chart_tally(minute, key) FROM t GROUP BY g ORDER BY g");
    sql::Statement sameConnection(a, "SELECT mailtrail_chart_tally(minute, key) FROM t WHERE g = 3");
    sql::Statement other(b, "SELECT mailtrail_chart_tally(minute, key) FROM t");
    QVERIFY(grouped.step());
    QCOMPARE(cellsOf(grouped.blob(1)), (QStringList{u"10 250=2"_s, u"11 null=1"_s}));
    QVERIFY(other.step());
    QCOMPARE(cellsOf(other.blob(0)), (QStringList{u"10 250=2"_s, u"10 450=1"_s, u"11 null=1"_s, u"12 550=3"_s}));
    other.reset();
    QVERIFY(grouped.step());
    QCOMPARE(cellsOf(grouped.blob(1)), (QStringList{u"10 450=1"_s}));
    QVERIFY(sameConnection.step());
    QCOMPARE(cellsOf(sameConnection.blob(0)), (QStringList{u"12 550=3"_s}));
    sameConnection.reset();
    QVERIFY(grouped.step());
    QCOMPARE(cellsOf(grouped.blob(1)), (QStringList{u"12 550=3"_s}));
    QVERIFY(!grouped.step());
}

QTEST_GUILESS_MAIN(TestChartQueries)
#include "tst_chartqueries.moc"
