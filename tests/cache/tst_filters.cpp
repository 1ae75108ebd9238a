// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Every filter of the CLI and the filter bar against the flows; counts read off the logs by hand.
#include "cache/naturalorder.h"
#include "cache/querybuilder.h"
#include "cache/sqlite.h"
#include "cache/statsqueries.h"
#include "testlogs.h"

#include <tuple>

#include <set>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestFilters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void counts_data();
    void counts();
    void sortOrders_data();
    void sortOrders();
    void likePatterns_data();
    void likePatterns();
    void pagingCoversEveryRowOnce();
    void compoundTerms_data();
    void compoundTerms();
    void everySortableOrderIsAnIndexWalk_data();
    void everySortableOrderIsAnIndexWalk();
    void codeFiltersReadOnlyTheCodeIndex_data();
    void codeFiltersReadOnlyTheCodeIndex();
    void textMatchesOutliveIndexBuilds();
    void recipientSubstringsReadTheReversedIndex();
    void chainCounts_data();
    void chainCounts();
    void chainSetsAreKeptNotGathered();
    void hopSetsAreKeptNotGathered();
    void statusOrdersChainsByTheirState();
    void queuedListsWhatTheSummaryCounts_data();
    void summaryCountsTheChainsTheTableLists_data();
    void summaryCountsTheChainsTheTableLists();
    void queuedListsWhatTheSummaryCounts();
    void queuedCountsEveryRowShownQueued();
    void naturalOrder_data();
    void naturalOrder();
    void topListTiesKeptInNaturalOrder();
    void receivedListsWhatTheSummaryCounts_data();
    void receivedListsWhatTheSummaryCounts();

private:
    QTemporaryDir m_dir;
    Cache m_cache;
    std::unique_ptr<Cache> m_chainCache;  // of the flows with hops, TLS and SASL
};

void TestFilters::initTestCase()
{
    QVERIFY(m_cache.open(m_dir.filePath(QStringLiteral("c.sqlite")).toStdString()));
    std::vector<std::string> files;
    for (const char *name : {"deferred-then-sent.log", "bounce-with-notification.log", "noqueue-reject.log",
                             "queue-id-reuse.log", "expired.log", "still-deferred.log", "partial-reject-and-forward.log",
                             "rfc3339-multihost.log"})
        files.push_back(write(m_dir, QLatin1String(name), flow(name)));
    QVERIFY(Ingestor::import(m_cache, files).ok());
}

Q_DECLARE_METATYPE(mailtrail::Filter)

void TestFilters::compoundTerms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("terms");
    QTest::newRow("plain words") << "mailbox full" << QStringList{};
    QTest::newRow("IP address") << "198.51.100.7" << QStringList{u"198.51.100.7"_s};
    QTest::newRow("address in brackets, lowered") << "<Bob@Example.ORG>," << QStringList{u"bob@example.org"_s};
    QTest::newRow("several") << "blocked 10.0.0.1 at mx1.example.com" << QStringList{u"10.0.0.1"_s, u"mx1.example.com"_s};
    // The index folds accents, SQLite's lower() does not: such a term is left to the index.
    QTest::newRow("not ASCII") << "Müller-Lüdenscheid" << QStringList{};
}

void TestFilters::compoundTerms()
{
    QFETCH(QString, text);
    QStringList got;
    for (const std::string &term : QueryBuilder::compoundTerms(text.toStdString()))
        got << QString::fromStdString(term);
    QTEST(got, "terms");
}

void TestFilters::counts_data()
{
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<int>("messages");
    QTest::addColumn<int>("deliveries");
    auto f = [](auto set) {
        Filter filter;
        set(filter);
        return filter;
    };
    QTest::newRow("no filter") << Filter{} << 14 << 15;
    QTest::newRow("sender exact") << f([](Filter &x) { x.sender = "alice@example.com"; }) << 1 << 1;
    QTest::newRow("sender case-insensitive") << f([](Filter &x) { x.sender = "ALICE@Example.COM"; }) << 1 << 1;
    QTest::newRow("sender domain glob") << f([](Filter &x) { x.sender = "*@example.com"; }) << 6 << 7;
    QTest::newRow("sender substring") << f([](Filter &x) { x.sender = "example.com"; }) << 8 << 9;
    // As the table shows it: only the bounce from=<>, not the expiry notice whose sender was never logged.
    // The bounce with its from=<> line, and the expiry notice known only from its cleanup line: a
    // notice is from the null sender (it has no recipient row).
    QTest::newRow("null sender <>") << f([](Filter &x) { x.sender = "<>"; }) << 2 << 1;
    QTest::newRow("sender as the log writes it") << f([](Filter &x) { x.sender = " <alice@example.com>"; }) << 1 << 1;
    QTest::newRow("recipient as the log writes it") << f([](Filter &x) { x.recipient = "<news@example.com>"; }) << 1 << 1;
    // An address in brackets is that address whole, not every address that holds it.
    QTest::newRow("sender in brackets, not a part") << f([](Filter &x) { x.sender = "<lice@example.com>"; }) << 0 << 0;
    QTest::newRow("sender in brackets, other case") << f([](Filter &x) { x.sender = "<ALICE@Example.COM>"; }) << 1 << 1;
    QTest::newRow("recipient in brackets, not a part") << f([](Filter &x) { x.recipient = "<ews@example.com>"; }) << 0 << 0;
    QTest::newRow("recipient in brackets, other case") << f([](Filter &x) { x.recipient = "<NEWS@Example.com>"; }) << 1 << 1;
    QTest::newRow("orig recipient in brackets") << f([](Filter &x) { x.recipient = "<ROOT>"; }) << 2 << 2;
    QTest::newRow("glob in brackets") << f([](Filter &x) { x.recipient = "<*@example.org>"; }) << 1 << 2;
    // No recipient is empty: "<>" is nobody, not "no condition".
    QTest::newRow("recipient <>") << f([](Filter &x) { x.recipient = " <> "; }) << 0 << 0;
    QTest::newRow("sender of spaces only") << f([](Filter &x) { x.sender = "   "; }) << 14 << 15;
    QTest::newRow("sender ? wildcard") << f([](Filter &x) { x.sender = "on?@example.com"; }) << 1 << 1;
    QTest::newRow("recipient domain") << f([](Filter &x) { x.recipient = "*@example.org"; }) << 1 << 2;
    QTest::newRow("orig recipient") << f([](Filter &x) { x.recipient = "root"; }) << 2 << 2;
    // Suffix globs take the reversed-address index: case-insensitive, original recipients too.
    QTest::newRow("recipient suffix, other case") << f([](Filter &x) { x.recipient = "*@MX1.Example.com"; }) << 2 << 2;
    QTest::newRow("orig recipient suffix") << f([](Filter &x) { x.recipient = "*oot"; }) << 2 << 2;
    // Substrings and globs of '*' are read from the reversed addresses; '?' from the addresses.
    QTest::newRow("recipient substring, other case") << f([](Filter &x) { x.recipient = "REMOTE.Example"; }) << 1 << 1;
    QTest::newRow("recipient glob, inner wildcards") << f([](Filter &x) { x.recipient = "e*@*.example.net"; }) << 1 << 1;
    QTest::newRow("recipient glob, forwarded") << f([](Filter &x) { x.recipient = "s*@*.net"; }) << 1 << 1;
    // Its end ("...example.net") is a range of the reversed addresses: lower case, as they are.
    QTest::newRow("recipient glob, other case") << f([](Filter &x) { x.recipient = "E*@*.Example.NET"; }) << 1 << 1;
    QTest::newRow("recipient glob, forwarded, other case") << f([](Filter &x) { x.recipient = "S*@*.NET"; }) << 1 << 1;
    QTest::newRow("recipient glob, anchored") << f([](Filter &x) { x.recipient = "ob@*"; }) << 0 << 0;
    QTest::newRow("recipient ? wildcard") << f([](Filter &x) { x.recipient = "?ob@*"; }) << 1 << 1;
    QTest::newRow("suffix matches no more than the end") << f([](Filter &x) { x.recipient = "*@example"; }) << 0 << 0;
    QTest::newRow("bounced") << f([](Filter &x) { x.statuses = {"bounced"}; }) << 2 << 2;
    QTest::newRow("deferred") << f([](Filter &x) { x.statuses = {"deferred"}; }) << 1 << 1;
    // NOQUEUE and milter rejects; a queued message with one refused RCPT is not one, its delivery is.
    QTest::newRow("rejected") << f([](Filter &x) { x.statuses = {"rejected"}; }) << 2 << 3;
    QTest::newRow("expired") << f([](Filter &x) { x.statuses = {"expired"}; }) << 1 << 1;
    // The one message in the state (expired.log's notification 6A7B8C9D0E, known by its cleanup line
    // only): no recipient named, shown queued, listed by "queued" and counted still queued by the
    // Summary. It has no delivery row.
    QTest::newRow("queued") << f([](Filter &x) { x.statuses = {"queued"}; }) << 1 << 0;
    QTest::newRow("sent or deferred") << f([](Filter &x) { x.statuses = {"sent", "deferred"}; }) << 8 << 9;
    QTest::newRow("unknown status") << f([](Filter &x) { x.statuses = {"lost"}; }) << 0 << 0;
    QTest::newRow("code 550") << f([](Filter &x) { x.code = "550"; }) << 3 << 3;
    QTest::newRow("class 5xx") << f([](Filter &x) { x.code = "5xx"; }) << 5 << 5;
    QTest::newRow("class 5") << f([](Filter &x) { x.code = "5"; }) << 5 << 5;
    QTest::newRow("class 4xx") << f([](Filter &x) { x.code = "4xx"; }) << 2 << 2;
    QTest::newRow("55x") << f([](Filter &x) { x.code = "55x"; }) << 4 << 4;
    QTest::newRow("enhanced 4.2.2") << f([](Filter &x) { x.code = "4.2.2"; }) << 1 << 1;
    QTest::newRow("enhanced 5.7") << f([](Filter &x) { x.code = "5.7"; }) << 3 << 3;
    QTest::newRow("malformed code") << f([](Filter &x) { x.code = "5a0"; }) << 0 << 0;
    QTest::newRow("malformed code keeps other filters") << f([](Filter &x) {
        x.sender = "alice*";
        x.code = "9xx";
    }) << 0 << 0;
    QTest::newRow("text in an earlier reply") << f([](Filter &x) { x.text = "Greylisted"; }) << 1 << 1;
    QTest::newRow("text blocklist") << f([](Filter &x) { x.text = "spamhaus"; }) << 1 << 1;
    // Words, not phrases: "example.org" is example AND org, which the NOQUEUE reject also has
    // (promo@spam.example, www.spamhaus.org).
    // carol@ and nobody@example.org (one message, two deliveries), frank@full.example.org; not the
    // spam reject that has "spam.example" and "spamhaus.org".
    QTest::newRow("text domain") << f([](Filter &x) { x.text = "example.org"; }) << 2 << 3;
    QTest::newRow("text address") << f([](Filter &x) { x.text = "bob@remote.example.net"; }) << 1 << 1;
    // Only the NOQUEUE reject from 198.51.100.7; not 198.51.100.1 or .66 of messages that also say "7".
    QTest::newRow("text IP address, whole") << f([](Filter &x) { x.text = "198.51.100.7"; }) << 1 << 1;
    QTest::newRow("text address in brackets") << f([](Filter &x) { x.text = "<BOB@remote.example.net>"; }) << 1 << 1;
    QTest::newRow("text two words") << f([](Filter &x) { x.text = "mailbox full"; }) << 1 << 1;
    QTest::newRow("text quote") << f([](Filter &x) { x.text = "\"unbalanced"; }) << 0 << 0;
    QTest::newRow("since 16:00 UTC") << f([](Filter &x) { x.sinceMs = 1795132800000LL + 16 * 3600000LL; }) << 5 << 6;
    QTest::newRow("until 10:30 UTC") << f([](Filter &x) { x.untilMs = 1795132800000LL + 10 * 3600000LL + 1800000; })
                                     << 3 << 2;
    QTest::newRow("host") << f([](Filter &x) { x.host = "edge1"; }) << 1 << 1;
    // Every log here is Postfix's: by format, all of them or none.
    QTest::newRow("host and format") << f([](Filter &x) {
        x.host = "edge1";
        x.format = "postfix";
    }) << 1 << 1;
    QTest::newRow("format of no log") << f([](Filter &x) { x.format = "exim"; }) << 0 << 0;
    QTest::newRow("combined") << f([](Filter &x) {
        x.sender = "*@example.com";
        x.statuses = {"bounced"};
        x.code = "5xx";
    }) << 2 << 2;
}

void TestFilters::counts()
{
    QFETCH(Filter, filter);
    QTEST(int(m_cache.count(Grain::Messages, filter)), "messages");
    QTEST(int(m_cache.count(Grain::Deliveries, filter)), "deliveries");
    // The rows agree with the count, whether the query gathers the matches first or walks the
    // time order testing each row (dense), and both give the same rows in the same order.
    QTEST(int(m_cache.messages(filter, {}, 0, 1000).size()), "messages");
    QTEST(int(m_cache.messages(filter, {}, 0, 1000, true).size()), "messages");
    const auto keys = [](const std::vector<DeliveryRow> &rows) {
        std::vector<std::pair<std::int64_t, int>> out;
        for (const DeliveryRow &r : rows)
            out.emplace_back(r.messageDbId, r.index);
        return out;
    };
    const auto gathered = keys(m_cache.deliveries(filter, {}, 0, 1000));
    const auto walked = keys(m_cache.deliveries(filter, {}, 0, 1000, true));
    QTEST(int(gathered.size()), "deliveries");
    QVERIFY(gathered == walked);
    const Sort newestFirst{SortKey::Time, true};
    QVERIFY(keys(m_cache.deliveries(filter, newestFirst, 0, 1000)) == keys(m_cache.deliveries(filter, newestFirst, 0, 1000, true)));
    // The page keys (every row's, with pages of one) are the same read either way.
    const auto anchorKeys = [](const std::vector<PageAnchor> &anchors) {
        std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, int>> out;
        for (const PageAnchor &a : anchors)
            out.emplace_back(a.firstSeenMs, a.fileId, a.messageId, a.deliveryIndex);
        return out;
    };
    for (const Grain grain : {Grain::Messages, Grain::Deliveries}) {
        for (const Sort sort : {Sort{}, newestFirst}) {
            const auto plain = anchorKeys(m_cache.pageAnchors(grain, filter, sort, 1));
            QCOMPARE(int(plain.size()), int(m_cache.count(grain, filter)));
            QVERIFY(plain == anchorKeys(m_cache.pageAnchors(grain, filter, sort, 1, true)));
        }
    }
}

void TestFilters::sortOrders_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("firstQueueId");
    QTest::newRow("time") << int(SortKey::Time) << false << "5E6F7A8B9C";
    QTest::newRow("time desc") << int(SortKey::Time) << true << "2F3A4B5C6D";
    QTest::newRow("size desc") << int(SortKey::Size) << true << "0C9D8E7F6A";
    QTest::newRow("sender desc") << int(SortKey::Sender) << true << "A1B2C3D4E5";
}

void TestFilters::sortOrders()
{
    QFETCH(int, key);
    QFETCH(bool, descending);
    const Sort sort{SortKey(key), descending};
    const std::vector<MessageRow> rows = m_cache.messages({}, sort, 0, 1);
    QCOMPARE(rows.size(), std::size_t(1));
    QTEST(QString::fromStdString(rows.front().queueId), "firstQueueId");
}

void TestFilters::likePatterns_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("like");
    QTest::newRow("substring") << "alice" << "%alice%";
    QTest::newRow("domain glob") << "*@example.com" << "%@example.com";
    QTest::newRow("question mark") << "a?c" << "a_c";
    QTest::newRow("escapes like wildcards") << "100%_a" << "%100\\%\\_a%";
}

void TestFilters::likePatterns()
{
    QFETCH(QString, input);
    QTEST(QString::fromStdString(QueryBuilder::likePattern(input.toStdString())), "like");
}

void TestFilters::pagingCoversEveryRowOnce()
{
    std::set<std::int64_t> seen;
    for (std::int64_t offset = 0; offset < 14; offset += 4) {
        for (const MessageRow &r : m_cache.messages({}, {SortKey::Sender, false}, offset, 4))
            QVERIFY(seen.insert(r.id).second);
    }
    QCOMPARE(seen.size(), std::size_t(14));
}

void TestFilters::everySortableOrderIsAnIndexWalk_data()
{
    // The orders the two tables offer. A column the cache says it can order by must be an index
    // walk: a sort of every row for each page is what "sortable" must never mean.
    QTest::addColumn<int>("grain");
    QTest::addColumn<int>("key");
    QTest::addColumn<bool>("beforeDeferred");  // sortable straight after an import
    // The sender's is its filter's index, which an import leaves to the first query that reads it
    // too (schema::FilterIndex).
    const std::pair<SortKey, bool> messages[] = {{SortKey::Time, true}, {SortKey::Sender, false}, {SortKey::Status, false},
        {SortKey::Code, false}, {SortKey::Attempts, false}, {SortKey::Size, false}, {SortKey::Host, false},
        {SortKey::QueueId, false}};
    const std::pair<SortKey, bool> deliveries[] = {{SortKey::Time, true}, {SortKey::Sender, false}, {SortKey::Code, false},
        {SortKey::Status, false}, {SortKey::Recipient, false}, {SortKey::Host, false}, {SortKey::QueueId, false}};
    for (const auto &[key, early] : messages)
        QTest::addRow("messages %d", int(key)) << int(Grain::Messages) << int(key) << early;
    for (const auto &[key, early] : deliveries)
        QTest::addRow("deliveries %d", int(key)) << int(Grain::Deliveries) << int(key) << early;
}

void TestFilters::everySortableOrderIsAnIndexWalk()
{
    QFETCH(int, grain);
    QFETCH(int, key);
    QFETCH(bool, beforeDeferred);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("o.sqlite")).toStdString()));
    const QByteArray data = repeatedFlow("partial-reject-and-forward.log", 300, {});
    QVERIFY(Ingestor::import(cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    QCOMPARE(cache.canOrderBy(Grain(grain), SortKey(key)), beforeDeferred);
    QVERIFY(cache.ensureDeferredIndexes());
    QVERIFY(cache.canOrderBy(Grain(grain), SortKey(key)));
    // Listed as hops and over chains (the window's default), whose rows show and sort by their
    // last hop's code and tries.
    Filter overChains;
    overChains.chains = true;
    for (const Filter &filter : {Filter{}, overChains}) {
        for (const bool descending : {false, true}) {
            for (const bool dense : {false, true}) {
                const std::string plan = cache.pagePlan(Grain(grain), filter, {SortKey(key), descending}, dense);
                QVERIFY(!plan.empty());
                QVERIFY2(plan.find("TEMP B-TREE") == std::string::npos, plan.c_str());
            }
        }
    }
}

void TestFilters::codeFiltersReadOnlyTheCodeIndex_data()
{
    QTest::addColumn<QString>("code");
    for (const char *code : {"5xx", "5", "55x", "550", "5.7.1", "5.7"})
        QTest::newRow(code) << QString::fromLatin1(code);
}

void TestFilters::codeFiltersReadOnlyTheCodeIndex()
{
    // Every form of a code filter counts its messages in the index led by (class, message), which
    // carries the codes: no row read, and no temporary B-tree to make the messages distinct. Also
    // once the order index by (class, reply code) is there, which the planner could take instead.
    // The window's table asks over chains (a message's hops as one row): in a cache that holds no
    // chain, that is the same question and must cost the same, not a set of first hops gathered
    // row by row (548 ms against 7 for 5xx at 1 GB).
    QFETCH(QString, code);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("c.sqlite")).toStdString()));
    const QByteArray data = repeatedFlow("bounce-with-notification.log", 300, {}) + repeatedFlow("noqueue-reject.log", 300, {});
    QVERIFY(Ingestor::import(cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    Filter filter;
    filter.code = code.toStdString();
    for (const bool orderIndexes : {false, true}) {
        if (orderIndexes)
            QVERIFY(cache.ensureDeferredIndexes());
        filter.chains = false;
        const std::string plan = cache.countPlan(Grain::Messages, filter);
        QVERIFY2(plan.find("COVERING INDEX deliveries_code_class") != std::string::npos, plan.c_str());
        QVERIFY2(plan.find("TEMP B-TREE") == std::string::npos, plan.c_str());
        QVERIFY(cache.count(Grain::Messages, filter) > 0);
        const std::string pagePlan = cache.pagePlan(Grain::Messages, filter, {});
        filter.chains = true;
        QCOMPARE(cache.countPlan(Grain::Messages, filter), plan);
        QCOMPARE(cache.pagePlan(Grain::Messages, filter, {}), pagePlan);
    }
}

void TestFilters::textMatchesOutliveIndexBuilds()
{
    // The window keeps a text filter's matches in a temporary table of its connection and builds
    // the order indexes on that connection: how the builds sort must not drop the table.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("t.sqlite")).toStdString()));
    const QByteArray data = flow("noqueue-reject.log") + flow("deferred-then-sent.log");
    QVERIFY(Ingestor::import(cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    Filter filter;
    filter.text = "spamhaus";
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(1));
    QVERIFY(!cache.deferredIndexesComplete());
    QVERIFY(cache.ensureDeferredIndexes());
    QVERIFY(cache.deferredIndexesComplete());
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(1));
    QCOMPARE(cache.messages(filter, {}, 0, 10).size(), std::size_t(1));
    QVERIFY2(cache.error().empty(), cache.error().c_str());
}

namespace {

// Whether a statement reads a column of the rows of `table`, rather than only its indexes: its
// bytecode reads a column through a cursor opened on the table's own b-tree. (SQLite's plan says
// "USING INDEX", not "COVERING INDEX", of an index on an expression that it reads alone.)
bool readsRowsOf(const std::string &path, const std::string &sqlText, const QueryBuilder &q, const char *table)
{
    sql::Database db;
    db.open(path, true);
    sql::Statement root(db, "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?");
    root.bind(1, std::string_view(table));
    if (!root.step())
        return true;
    const std::int64_t page = root.int64(0);
    sql::Statement explain(db, "EXPLAIN " + sqlText);
    q.bind(explain);
    std::set<std::int64_t> cursors;
    std::vector<std::int64_t> columnsRead;  // the cursor of each Column
    while (explain.step()) {
        const std::string_view op = explain.text(1);
        if ((op == "OpenRead" || op == "ReopenIdx") && explain.int64(3) == page)
            cursors.insert(explain.int64(2));
        else if (op == "Column")
            columnsRead.push_back(explain.int64(2));
    }
    return std::any_of(columnsRead.begin(), columnsRead.end(), [&](std::int64_t c) { return cursors.count(c) > 0; });
}

} // namespace

void TestFilters::recipientSubstringsReadTheReversedIndex()
{
    // Not the deliveries table, whose rows hold every reply text too. Layout 12: the index is over
    // the reversed addresses as a function computes them (no such column in the rows), and a
    // filter reads the index alone.
    const std::string path = m_dir.filePath(QStringLiteral("c.sqlite")).toStdString();
    for (const char *recipient : {"example.org", "*@example.com", "a*@*.net", "sales@example.com"}) {
        Filter filter;
        filter.recipient = recipient;
        for (const Grain grain : {Grain::Messages, Grain::Deliveries}) {
            const std::string plan = m_cache.countPlan(grain, filter);
            QVERIFY2(plan.find("INDEX deliveries_recipient_rev") != std::string::npos, plan.c_str());
            QVERIFY2(plan.find("INDEX deliveries_orig_rev") != std::string::npos, plan.c_str());
            QVERIFY2(plan.find("SCAN deliveries\n") == std::string::npos && plan.find("SCAN r\n") == std::string::npos, plan.c_str());
            const QueryBuilder q(grain, filter);
            QVERIFY2(!readsRowsOf(path, q.countSql(), q, "deliveries"), (recipient + ("\n" + plan)).c_str());
        }
    }
    // What the test would see of a filter that reads the rows: the recipient's text itself.
    Filter rows;
    rows.recipient = "exämple";
    const QueryBuilder q(Grain::Deliveries, rows);
    QVERIFY(readsRowsOf(path, q.countSql(), q, "deliveries"));
}

void TestFilters::chainCounts_data()
{
    // amavis-and-milters: 6A1B2C3D4E (carol, over TLS) -> amavis -> 7B2C3D4E5F: dave sent over TLS,
    // erin bounced 5.1.1 without; 8C3D4E5F6A, in clear, rejected by a milter for grace and heidi.
    // relay-between-hosts: 1E2D3C4B5A (from web01, in clear) on edge1 -> over TLS -> 5E6F7A8B9C on
    // hub1 -> buyer sent, without TLS. Over chains: 3 messages, 5 deliveries; as hops: 5 and 8.
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<bool>("chains");
    QTest::addColumn<int>("messages");
    QTest::addColumn<int>("deliveries");
    auto f = [](auto set) {
        Filter filter;
        set(filter);
        return filter;
    };
    QTest::newRow("no filter, chains") << Filter{} << true << 3 << 5;
    QTest::newRow("no filter, hops") << Filter{} << false << 5 << 8;
    // The chain once, not each hop that had dave as a recipient.
    QTest::newRow("recipient, chains") << f([](Filter &x) { x.recipient = "dave"; }) << true << 1 << 1;
    QTest::newRow("recipient, hops") << f([](Filter &x) { x.recipient = "dave"; }) << false << 2 << 2;
    QTest::newRow("recipient domain, chains") << f([](Filter &x) { x.recipient = "*@example.org"; }) << true << 2 << 2;
    // The chain has its last hop's state: the first hop's own "sent" to amavis does not count.
    QTest::newRow("bounced, chains") << f([](Filter &x) { x.statuses = {"bounced"}; }) << true << 1 << 1;
    QTest::newRow("sent, chains") << f([](Filter &x) { x.statuses = {"sent"}; }) << true << 1 << 2;
    QTest::newRow("sent, hops") << f([](Filter &x) { x.statuses = {"sent"}; }) << false << 3 << 5;
    QTest::newRow("code of the last hop, chains") << f([](Filter &x) { x.code = "5.1.1"; }) << true << 1 << 1;
    QTest::newRow("code and sender, chains") << f([](Filter &x) {
        x.code = "5xx";
        x.sender = "carol*";
    }) << true << 1 << 1;
    QTest::newRow("SASL user, chains") << f([](Filter &x) { x.saslUser = "carol"; }) << true << 1 << 2;
    QTest::newRow("SASL user, hops") << f([](Filter &x) { x.saslUser = "carol@example.com"; }) << false << 1 << 2;
    QTest::newRow("SASL user glob") << f([](Filter &x) { x.saslUser = "*@example.net"; }) << true << 0 << 0;
    QTest::newRow("with TLS, chains") << f([](Filter &x) { x.tls = "yes"; }) << true << 2 << 1;
    // In clear: erin's and buyer's tries, the milter-rejected message's arrival, web01's.
    QTest::newRow("without TLS, chains") << f([](Filter &x) { x.tls = "no"; }) << true << 3 << 2;
    QTest::newRow("without TLS, hops") << f([](Filter &x) { x.tls = "no"; }) << false << 4 << 2;
    QTest::newRow("TLS neither yes nor no") << f([](Filter &x) { x.tls = "maybe"; }) << true << 0 << 0;
    // amavis's verdict, on the first hop: its chain and the chain's final deliveries.
    QTest::newRow("verdict text, chains") << f([](Filter &x) { x.text = "clean"; }) << true << 1 << 2;
    QTest::newRow("verdict text, hops") << f([](Filter &x) { x.text = "clean"; }) << false << 1 << 2;
    // Text is of the message: every final delivery of a chain that has it (dave's too).
    QTest::newRow("text of the last hop, chains") << f([](Filter &x) { x.text = "mx.example.org"; }) << true << 2 << 3;
}

void TestFilters::chainCounts()
{
    QFETCH(Filter, filter);
    QFETCH(bool, chains);
    QFETCH(int, messages);
    QFETCH(int, deliveries);
    if (!m_chainCache) {
        m_chainCache = std::make_unique<Cache>();
        QVERIFY(m_chainCache->open(m_dir.filePath(QStringLiteral("chains.sqlite")).toStdString()));
        const ImportSummary s = Ingestor::import(*m_chainCache, {write(m_dir, u"filter.log"_s, flow("amavis-and-milters.log")),
                                                                 write(m_dir, u"relay.log"_s, flow("relay-between-hosts.log"))});
        QVERIFY2(s.ok(), s.error.c_str());
    }
    filter.chains = chains;
    QCOMPARE(m_chainCache->count(Grain::Messages, filter), messages);
    QCOMPARE(m_chainCache->count(Grain::Deliveries, filter), deliveries);
    // The pages list what the count counts, each chain once.
    std::set<std::int64_t> ids;
    for (const MessageRow &m : m_chainCache->messages(filter, {}, 0, 100)) {
        QVERIFY(ids.insert(m.id).second);
        QVERIFY(!chains || !m.isLaterHop());
    }
    QCOMPARE(int(ids.size()), messages);
    QCOMPARE(int(m_chainCache->deliveries(filter, {}, 0, 100).size()), deliveries);
}

void TestFilters::chainSetsAreKeptNotGathered()
{
    // Where all mail passes a content filter, half the messages are later hops of chains. The
    // chained forms gathered them from the messages in every count and page (150-550 ms a query at
    // 1 GB, scrolling included); the cache keeps them once two queries in a row find the same state
    // of the cache, and the queries only look into that set. It must follow the cache: a second
    // import's chains count, from the first query after it.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("k.sqlite")).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"filter.log"_s, flow("amavis-and-milters.log"))}).ok());
    // No set of messages gathered by a subquery (the per-row subqueries of the page's columns are
    // correlated, and read one chain each).
    const auto gathersMessages = [](const std::string &plan) {
        const QStringList lines = QString::fromStdString(plan).split(u'\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            if (lines[i].startsWith(u"LIST SUBQUERY"_s) &&
                (lines[i + 1].startsWith(u"SEARCH messages"_s) || lines[i + 1].startsWith(u"SCAN messages"_s)))
                return true;
        }
        return false;
    };
    Filter filter;
    filter.chains = true;
    // The first query after the import gathers; the second finds the cache as the first did.
    QVERIFY(cache.countPlan(Grain::Messages, filter).find("later_hops") == std::string::npos);
    for (const std::vector<std::string> &statuses : {std::vector<std::string>{}, std::vector<std::string>{"bounced"}}) {
        filter.statuses = statuses;
        const std::string count = cache.countPlan(Grain::Messages, filter);
        QVERIFY2(count.find("later_hops") != std::string::npos && !gathersMessages(count), count.c_str());
        const std::string page = cache.pagePlan(Grain::Messages, filter, {});
        QVERIFY2(page.find("later_hops") != std::string::npos && !gathersMessages(page), page.c_str());
    }
    QVERIFY2(cache.countPlan(Grain::Messages, filter).find("chain_firsts") != std::string::npos,
             cache.countPlan(Grain::Messages, filter).c_str());
    // With many matches a page tests each row as it walks, rather than gathering every match of
    // the status through its index again for each page (and sorting them).
    const std::string densePage = cache.pagePlan(Grain::Messages, filter, {}, true);
    QVERIFY2(densePage.find("MULTI-INDEX OR") == std::string::npos && densePage.find("messages_state") == std::string::npos,
             densePage.c_str());
    // amavis-and-milters: two chains, one bounced (see chainCounts_data).
    filter.statuses.clear();
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(2));
    filter.statuses = {"bounced"};
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(1));
    // relay-between-hosts: one more chain of two hops, sent.
    QVERIFY(Ingestor::import(cache, {write(dir, u"relay.log"_s, flow("relay-between-hosts.log"))}).ok());
    filter.statuses.clear();
    for (int query = 0; query < 3; ++query) {  // gathered, then kept anew, then looked into
        QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(3));
        QCOMPARE(int(cache.messages(filter, {}, 0, 100).size()), 3);
    }
    QVERIFY(cache.countPlan(Grain::Messages, filter).find("later_hops") != std::string::npos);
    filter.statuses = {"sent"};
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(1));
    QVERIFY2(cache.error().empty(), cache.error().c_str());
}

void TestFilters::hopSetsAreKeptNotGathered()
{
    // Over chains, a condition any hop may meet (a code, a recipient, a text, TLS, a destination)
    // is a set of chains. Gathered by every count and page, it cost 200-400 ms a page of scrolling
    // at 1 GB where all mail passes a content filter; the cache keeps it, as the later hops.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("h.sqlite")).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"filter.log"_s, flow("amavis-and-milters.log")),
                                     write(dir, u"relay.log"_s, flow("relay-between-hosts.log"))}).ok());
    Filter filter;
    filter.chains = true;
    filter.code = "5xx";
    // The first query after the import gathers the set; from the second, the queries look into it.
    QVERIFY(cache.countPlan(Grain::Messages, filter).find("hop_set_") == std::string::npos);
    for (const bool dense : {false, true}) {
        const std::string page = cache.pagePlan(Grain::Messages, filter, {}, dense);
        QVERIFY2(page.find("hop_set_") != std::string::npos && page.find("deliveries_code") == std::string::npos, page.c_str());
    }
    const std::string count = cache.countPlan(Grain::Messages, filter);
    QVERIFY2(count.find("hop_set_") != std::string::npos && count.find("deliveries") == std::string::npos, count.c_str());
    // With a condition before it whose parameter comes after its SQL (the sender's), the set
    // still takes its own parameters only: kept, not gathered for want of a filled table.
    Filter withSender = filter;
    withSender.sender = "carol*";
    QCOMPARE(cache.count(Grain::Messages, withSender), std::int64_t(1));
    const std::string senderPage = cache.pagePlan(Grain::Messages, withSender, {});
    QVERIFY2(senderPage.find("hop_set_") != std::string::npos && senderPage.find("deliveries_code") == std::string::npos,
             senderPage.c_str());
    // erin's bounce, on the second hop of the amavis chain: the chain, listed as its first hop;
    // and the message the milter rejected for grace and heidi.
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(2));
    std::set<std::string> ids;
    for (const MessageRow &m : cache.messages(filter, {}, 0, 10))
        ids.insert(m.queueId);
    QCOMPARE(ids, (std::set<std::string>{"6A1B2C3D4E", "8C3D4E5F6A"}));
    QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(3));

    // Five sets, one more than the cache keeps: each condition still narrows, kept or gathered,
    // the same as on a connection that keeps none (its first query).
    Filter five = filter;
    five.recipient = "erin";
    five.tls = "no";
    five.text = "clean";
    five.destination = "mx.example.org";
    for (const Filter &f : {filter, five}) {
        Cache fresh;
        QVERIFY(fresh.open(dir.filePath(QStringLiteral("h.sqlite")).toStdString()));
        for (const Grain grain : {Grain::Messages, Grain::Deliveries})
            QCOMPARE(cache.count(grain, f), fresh.count(grain, f));
    }
    QCOMPARE(cache.count(Grain::Messages, five), std::int64_t(1));
    five.destination = "mx.nowhere.example";  // a set of no chain: nothing
    QCOMPARE(cache.count(Grain::Messages, five), std::int64_t(0));
    QCOMPARE(int(cache.messages(five, {}, 0, 10).size()), 0);

    // The sets follow the cache: a message imported after them counts from the first query on.
    QVERIFY(Ingestor::import(cache, {write(dir, u"bounce.log"_s, flow("bounce-with-notification.log"))}).ok());
    for (int query = 0; query < 3; ++query) {  // gathered, then kept anew, then looked into
        QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(3));
        QCOMPARE(int(cache.messages(filter, {}, 0, 10).size()), 3);
    }
    QVERIFY2(cache.error().empty(), cache.error().c_str());
}

void TestFilters::statusOrdersChainsByTheirState()
{
    // Over chains a row shows its chain's state, its last hop's: sorted by Status, a bounced chain
    // stood among the sent, in the place of its first hop's own "sent" to the filter.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(QStringLiteral("s.sqlite")).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"filter.log"_s, flow("amavis-and-milters.log")),
                                     write(dir, u"relay.log"_s, flow("relay-between-hosts.log")),
                                     write(dir, u"deferred.log"_s, flow("deferred-then-sent.log")),
                                     write(dir, u"bounce.log"_s, flow("bounce-with-notification.log"))}).ok());
    QVERIFY(cache.ensureDeferredIndexes());
    Filter filter;
    filter.chains = true;
    for (const bool descending : {false, true}) {
        const Sort sort{SortKey::Status, descending};
        const std::vector<MessageRow> rows = cache.messages(filter, sort, 0, 100);
        QCOMPARE(std::int64_t(rows.size()), cache.count(Grain::Messages, filter));
        bool bouncedChain = false;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            bouncedChain = bouncedChain || (rows[i].hops > 1 && rows[i].finalState == MessageState::Bounced);
            if (i == 0)
                continue;
            const auto previous = int(rows[i - 1].finalState), shown = int(rows[i].finalState);
            QVERIFY2(descending ? previous >= shown : previous <= shown, rows[i].queueId.c_str());
        }
        QVERIFY(bouncedChain);  // the row the order misplaced is there
        const std::string plan = cache.pagePlan(Grain::Messages, filter, sort);
        QVERIFY2(plan.find("TEMP B-TREE") == std::string::npos && plan.find("messages_chain_state") != std::string::npos,
                 plan.c_str());
    }
}

void TestFilters::queuedListsWhatTheSummaryCounts_data()
{
    addRealLogRows();
    // Sendmail DSN lines of messages whose own lines are not in the log: 24 such messages, no
    // recipient of their own. The table shows them queued and its "queued" lists them: the
    // Summary counts them (session 14 left them out of both the filter and the count, while the
    // table still called them queued).
    QTest::newRow("sendmail custom DSN") << QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/corpus/psm-sendmail-custom-dsn.log");
}

// The Summary's "still queued" (and `stats`' still_queued) links to the table's status filter
// "queued,deferred": the messages it lists are those it counts, in either listing.
void TestFilters::queuedListsWhatTheSummaryCounts()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    Stats stats;
    StatsQueries queries(cache);
    QVERIFY(queries.compute(Filter{}, stats));
    if (log.endsWith(u"custom-dsn.log"_s))
        QCOMPARE(stats.stillQueued, std::int64_t(24));
    for (const bool chains : {false, true}) {
        Filter queued;
        queued.statuses = {"queued", "deferred"};
        queued.chains = chains;
        QCOMPARE(cache.count(Grain::Messages, queued), stats.stillQueued);
    }
}

// Two Exim main logs (no host name in their lines), of two servers whose queue ids met: the first
// server's message, queued by an ACL with its recipients unnamed ("<=" without "for"), is written
// when the second's arrival takes the id, and the second's waits for a retry. The table shows both
// as waiting; a new user found such rows in no status filter and in no "still queued" (the Exim
// test suite: 420 rows), and the import's "still in the queue" (counted in memory at the end of the
// import) saying 4 where stats said 285.
void TestFilters::queuedCountsEveryRowShownQueued()
{
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
    const std::string first = write(dir, u"mainlog.1"_s,
                                    "2026-11-30 10:00:00 1vQaAa-0001Ab-Cd <= alice@example.com H=(client) [192.0.2.1] "
                                    "P=esmtp S=1234\n"
                                    "2026-11-30 10:00:00 1vQaAa-0001Ab-Cd no immediate delivery: queued by ACL\n");
    const std::string second = write(dir, u"mainlog.2"_s,
                                     "2026-11-30 11:00:00 1vQaAa-0001Ab-Cd <= bob@example.org H=(other) [192.0.2.2] "
                                     "P=esmtp S=99 for carol@example.net\n"
                                     "2026-11-30 11:00:01 1vQaAa-0001Ab-Cd == carol@example.net R=dnslookup "
                                     "T=remote_smtp defer (-44) H=mx.example.net [198.51.100.5]: SMTP error from "
                                     "remote mail server after RCPT TO:<carol@example.net>: 451 4.7.1 Try later\n");
    QVERIFY(Ingestor::import(cache, {first, second}).ok());
    Stats stats;
    StatsQueries queries(cache);
    QVERIFY2(queries.compute(Filter{}, stats), queries.error().c_str());
    QCOMPARE(stats.stillQueued, std::int64_t(2));
    Filter queued, deferred, waiting;
    queued.statuses = {"queued"};
    deferred.statuses = {"deferred"};
    waiting.statuses = {"queued", "deferred"};
    QCOMPARE(cache.count(Grain::Messages, queued), std::int64_t(1));
    QCOMPARE(cache.count(Grain::Messages, deferred), std::int64_t(1));
    QCOMPARE(cache.count(Grain::Messages, waiting), stats.stillQueued);
    waiting.chains = true;
    QCOMPARE(cache.count(Grain::Messages, waiting), stats.stillQueued);
}

void TestFilters::naturalOrder_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("order");
    QTest::newRow("IP by number") << u"192.0.2.9"_s << u"192.0.2.10"_s << -1;
    QTest::newRow("IP by number, first part") << u"10.0.0.1"_s << u"9.0.0.1"_s << 1;
    QTest::newRow("host names") << u"mx2.example.com"_s << u"mx10.example.com"_s << -1;
    QTest::newRow("leading zeros: the value, then the shorter") << u"a07"_s << u"a7"_s << 1;
    QTest::newRow("equal") << u"198.51.100.7"_s << u"198.51.100.7"_s << 0;
    QTest::newRow("prefix first") << u"mx1"_s << u"mx1.example.com"_s << -1;
    QTest::newRow("text by bytes") << u"alice"_s << u"bob"_s << -1;
    QTest::newRow("empty first") << QString() << u"0"_s << -1;
    // Those the Summary's sort was tested with (tst_summarydays), before the order moved here.
    QTest::newRow("address") << u"158.24.101.9"_s << u"158.24.101.10"_s << -1;
    QTest::newRow("address, first byte") << u"9.1.1.1"_s << u"10.0.0.0"_s << -1;
    QTest::newRow("prefix") << u"mx"_s << u"mx1"_s << -1;
    QTest::newRow("leading zeros, the shorter spelling first") << u"a7"_s << u"a007"_s << -1;
}

void TestFilters::naturalOrder()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, order);
    const std::string x = a.toStdString(), y = b.toStdString();
    QCOMPARE((naturalCompare(x, y) > 0) - (naturalCompare(x, y) < 0), order);
    QCOMPARE((naturalCompare(y, x) > 0) - (naturalCompare(y, x) < 0), -order);
    QCOMPARE(naturalLess(x, y), order < 0);
    QCOMPARE(naturalLess(y, x), order > 0);
    QVERIFY(!naturalLess(x, x));
}

// Twelve clients failed SASL once each: a top ten keeps .1 to .10, the first ten of them in the
// order the list shows them. Byte order kept .1, .10, .11, .12 and .2 to .7 (session 18's trial),
// in the statistics kept by the import and in those of a filter (SQL) alike.
void TestFilters::topListTiesKeptInNaturalOrder()
{
    QByteArray log;
    for (int i = 12; i >= 1; --i)
        log += "Nov 24 10:" + QByteArray::number(10 + i) + ":00 mx1 postfix/smtpd[5110]: warning: unknown[192.0.2." +
               QByteArray::number(i) + "]: SASL LOGIN authentication failed: UGFzc3dvcmQ6\n";
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"mail.log"_s, log)}).ok());
    Filter within;  // a filter: the lists come from SQL, not from the kept statistics
    within.sinceMs = 0;
    for (const Filter &filter : {Filter{}, within}) {
        Stats stats;
        StatsQueries queries(cache);
        queries.setTopLimit(10);
        QVERIFY2(queries.compute(filter, stats), queries.error().c_str());
        QStringList kept;
        for (const StatsSource &s : stats.authFailuresByClient)
            kept << QString::fromStdString(s.key);
        QCOMPARE(kept, (QStringList{u"192.0.2.1"_s, u"192.0.2.2"_s, u"192.0.2.3"_s, u"192.0.2.4"_s, u"192.0.2.5"_s,
                                    u"192.0.2.6"_s, u"192.0.2.7"_s, u"192.0.2.8"_s, u"192.0.2.9"_s, u"192.0.2.10"_s}));
    }
}

void TestFilters::summaryCountsTheChainsTheTableLists_data()
{
    addRealLogRows();
}

// The Summary (and `stats`) of a filter counts the messages the table lists: a content filter's
// chain once, by the state it shows (its last hop's). Counted hop by hop, "deferred" on the
// content-filter log found only the later hop: 0 messages where the table listed the chain.
void TestFilters::summaryCountsTheChainsTheTableLists()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    auto f = [](auto set) {
        Filter filter;
        set(filter);
        return filter;
    };
    const Filter filters[] = {
        f([](Filter &x) { x.statuses = {"sent"}; }),     f([](Filter &x) { x.statuses = {"deferred"}; }),
        f([](Filter &x) { x.statuses = {"bounced"}; }),  f([](Filter &x) { x.statuses = {"rejected"}; }),
        f([](Filter &x) { x.statuses = {"expired"}; }),  f([](Filter &x) { x.code = "5xx"; }),
        f([](Filter &x) { x.code = "4xx"; }),            f([](Filter &x) { x.code = "250"; }),
        f([](Filter &x) { x.text = "127.0.0.1"; }),
    };
    for (const Filter &filter : filters) {
        Stats stats;
        StatsQueries queries(cache);
        QVERIFY2(queries.compute(filter, stats), queries.error().c_str());
        Filter listed = filter;
        listed.chains = true;
        const std::string what = filter.statuses.empty() ? filter.code + filter.text : filter.statuses.front();
        QVERIFY2(stats.messagesAll == cache.count(Grain::Messages, listed),
                 (what + ": " + std::to_string(stats.messagesAll) + " counted, " +
                  std::to_string(cache.count(Grain::Messages, listed)) + " listed").c_str());
    }
}

void TestFilters::receivedListsWhatTheSummaryCounts_data()
{
    queuedListsWhatTheSummaryCounts_data();
}

// The Summary's "messages received" and "rows not received" (Filter::received, `--received`) list
// the rows they count, in either listing, also under another filter; and over chains the final
// deliveries are all of one or of the other.
void TestFilters::receivedListsWhatTheSummaryCounts()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    for (const std::vector<std::string> &statuses : {std::vector<std::string>{}, std::vector<std::string>{"sent"},
                                                     std::vector<std::string>{"rejected"}}) {
        Filter base;
        base.statuses = statuses;
        Stats stats;
        StatsQueries queries(cache);
        QVERIFY2(queries.compute(base, stats), queries.error().c_str());
        // With a status, the statistics count chains by the state the chain shows (its last
        // hop's): what the table lists over chains, not hop by hop.
        for (const bool chains : {false, true}) {
            if (!chains && !statuses.empty())
                continue;
            Filter received = base, other = base;
            received.chains = other.chains = chains;
            received.received = "yes";
            other.received = "no";
            const std::string what = (statuses.empty() ? std::string("every status") : statuses.front()) +
                                     (chains ? ", chains" : ", hops");
            QVERIFY2(cache.count(Grain::Messages, received) == stats.received,
                     (what + ": " + std::to_string(cache.count(Grain::Messages, received)) + " listed, " +
                      std::to_string(stats.received) + " received").c_str());
            QVERIFY2(cache.count(Grain::Messages, other) == stats.messagesAll - stats.received, what.c_str());
        }
    }
    Filter all, received, other;
    all.chains = received.chains = other.chains = true;
    received.received = "yes";
    other.received = "no";
    QCOMPARE(cache.count(Grain::Deliveries, received) + cache.count(Grain::Deliveries, other), cache.count(Grain::Deliveries, all));
    Filter neither;
    neither.received = "maybe";
    QCOMPARE(cache.count(Grain::Messages, neither), std::int64_t(0));
}

QTEST_GUILESS_MAIN(TestFilters)
#include "tst_filters.moc"
