// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Layouts 5 and 6: relays and enhanced codes in dictionaries (and, in 5, clients); layout 7: chains
// of hops, TLS, SASL and verdicts; layout 8: the forwarded flag of deliveries; layout 9: a chain's
// last code and tries on its first hop; layout 10: a delivery's earlier tries for the chart in its
// row; layout 11: the chart kept by the imports counted again (a last line that tried nothing is
// no try); layout 12: no first recipient in the messages' rows, no reversed addresses in the
// deliveries' (their indexes over a function); layout 13: reply texts stored encoded where that is
// shorter (replycodec); layout 14: a message's lines with their file id once, a shorter key of its
// Message-ID, a delivery's reply holding its recipient by reference. A cache of layout 2 to 13 is migrated in place when it may be written, and
// read as it is when not; either way it answers as before.
#include "testlogs.h"

#include "cache/charttally.h"
#include "cache/schema.h"
#include "cache/sqlite.h"
#include "cache/statsqueries.h"
#include "cache/statssnapshot.h"

#include <algorithm>
#include <sstream>

using namespace mailtrail;
using namespace testlogs;

namespace {

// Every flow but the one with several hosts' clocks: relays, enhanced codes, clients, attempts.
const char *const Flows[] = {"amavis-and-milters.log", "bounce-with-notification.log", "deferred-then-sent.log",
                             "expired.log", "noqueue-reject.log", "partial-reject-and-forward.log",
                             "queue-id-reuse.log", "relay-between-hosts.log", "sasl-failures.log", "still-deferred.log"};


// The earlier tries each delivery keeps for the chart (layout 10), as text.
std::string triesOf(const std::string &path)
{
    sql::Database db;
    db.open(path, true);
    sql::Statement st(db, "SELECT message_id, idx, hex(tries) FROM deliveries WHERE tries IS NOT NULL ORDER BY 1, 2");
    std::string out;
    while (st.step())
        out += std::to_string(st.int64(0)) + '.' + std::to_string(st.int64(1)) + ' ' + std::string(st.text(2)) + '\n';
    return out;
}

std::int64_t single(const std::string &path, const char *sqlText)
{
    sql::Database db;
    db.open(path, true);
    sql::Statement st(db, sqlText);
    return st.step() ? st.int64(0) : -1;
}

Filter code(const char *c)
{
    Filter f;
    f.code = c;
    return f;
}

Filter text(const char *t)
{
    Filter f;
    f.text = t;
    return f;
}

// Everything the cache answers about its rows, as text: two caches that answer alike print alike.
std::string snapshot(Cache &cache)
{
    std::ostringstream out;
    for (const MessageRow &m : cache.messages({}, {}, 0, 1000)) {
        out << m.queueId << ' ' << m.sender << " client=" << m.clientHost << '[' << m.clientIp << "] "
            << stateName(m.state) << " to " << m.firstRecipient << " of " << m.recipientCount << '\n';
        // Found by its Message-ID (layout 14: a key of 23 bits; before, FNV-1a's 64).
        if (!m.messageId.empty())
            out << "  found by its Message-ID: " << cache.findMessages(m.messageId, {}).size() << '\n';
        const std::optional<MessageDetail> d = cache.detail(m.id);
        if (!d) {
            out << "  no detail: " << cache.error() << '\n';
            continue;
        }
        for (const DeliveryRow &r : d->deliveries)
            out << "  to " << r.recipient << ' ' << statusName(r.status) << ' ' << r.replyCode << ' ' << r.dsn
                << " relay=" << r.relay << " (" << r.reason << ")\n";
        for (const AttemptRow &a : d->attempts)
            out << "  try " << a.deliveryIndex << ' ' << a.timeMs << ' ' << statusName(a.status) << ' ' << a.dsn
                << " relay=" << a.relay << " (" << a.replyText << ")\n";
    }
    // Over chains (layout 9: a chain's row shows its last hop's code and tries).
    Filter chains;
    chains.chains = true;
    for (const MessageRow &m : cache.messages(chains, {}, 0, 1000))
        out << "listed " << m.queueId << ' ' << stateName(m.finalState) << ' ' << m.lastCode << ' ' << m.lastDsn << ' '
            << m.attempts << " hops " << m.hops << '\n';
    for (const DeliveryRow &r : cache.deliveries({}, {}, 0, 1000))
        out << "delivery " << r.queueId << ' ' << r.recipient << ' ' << r.dsn << ' ' << r.relay << '\n';
    // The recipients' filters (layout 12: over the reversed addresses the indexes compute, or the
    // columns of an older layout) and orders.
    for (const char *r : {"*@example.com", "*@EXAMPLE.net", "example", "a*@*.example", "sales@example.com", "Dave@Example.NET"}) {
        Filter f;
        f.recipient = r;
        out << "recipient " << r << ": " << cache.count(Grain::Messages, f) << '/' << cache.count(Grain::Deliveries, f) << '\n';
        for (const MessageRow &m : cache.messages(f, {}, 0, 1000))
            out << "  " << m.queueId << '\n';
    }
    for (const DeliveryRow &r : cache.deliveries({}, {SortKey::Recipient, false}, 0, 1000))
        out << "by recipient " << r.recipient << ' ' << r.queueId << '\n';
    for (const MessageRow &m : cache.messages({}, {SortKey::Recipient, true}, 0, 1000))
        out << "messages by recipient " << m.firstRecipient << ' ' << m.queueId << '\n';
    for (const char *c : {"5xx", "4.4", "5.1.1", "2.0.0", "550"})
        out << "code " << c << ": " << cache.count(Grain::Messages, code(c)) << '/' << cache.count(Grain::Deliveries, code(c))
            << '\n';
    // Found by a relay's name, by a client's IP, checked whole.
    // And in the reply texts (layout 13: read through mailtrail_reply(), which the index's text
    // and the check of each candidate call).
    for (const char *t : {"192.0.2.10", "mx.example.net", "gmail-smtp-in.l.google.com", "queued as", "Connection refused",
                          "said: 550", "forwarded"})
        out << "text " << t << ": " << cache.count(Grain::Messages, text(t)) << '\n';
    Stats s;
    StatsQueries stats(cache);
    if (!stats.compute({}, s))
        out << "stats failed: " << stats.error() << '\n';
    // Delivered, not forwarded on by local(8): the flag of layout 8, or the reply texts before it.
    out << "delivered " << s.deliveredTries << ' ' << s.bytesDelivered << ' ' << s.recipientsDelivered << " to "
        << s.recipientDomains << " domains\n";
    for (const StatsCount &r : s.topRelays)
        out << "relay " << r.key << ' ' << r.count << '\n';
    for (const StatsReason &r : s.reasons)
        out << "reason " << r.host << ' ' << r.dsn << ' ' << r.count << '\n';
    for (const StatsSource &r : s.rejectsByClient)
        out << "rejected client " << r.key << ' ' << r.detail << '\n';
    for (const StatsSource &r : s.connectivity)
        out << "connectivity " << r.key << ' ' << r.detail << '\n';
    const ChartData chart = cache.chartData({}, ChartGroup::EnhancedCode);
    for (const auto &cell : chart.cells)
        out << "chart " << cell.minute << ' ' << cell.key << ' ' << cell.count << '\n';
    // A filter's chart counts the rows by the ids of their codes (an older layout read as it is
    // has the codes' text in their place) and names them afterwards.
    Filter anyRecipient;
    anyRecipient.recipient = "@";
    for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
        const ChartData filtered = cache.chartData(anyRecipient, group);
        if (!filtered.ok())
            out << "chart failed: " << filtered.error << '\n';
        for (const auto &cell : filtered.cells)
            out << "filtered chart " << cell.minute << ' ' << cell.key << ' ' << cell.count << '\n';
    }
    return out.str();
}

} // namespace

class TestCacheLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void olderLayoutIsMigratedOrReadAsIs_data();
    void olderLayoutIsMigratedOrReadAsIs();
    void dictionariesHoldEachValueOnce();
    void firstRecipientIsTheListedDelivery();
    void layout6GetsChainsEmptyUntilReadAgain_data();
    void layout6GetsChainsEmptyUntilReadAgain();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string cachePath() const { return m_dir->filePath(QStringLiteral("c.sqlite")).toStdString(); }
    std::vector<std::string> writeFlows();
};

void TestCacheLayout::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

std::vector<std::string> TestCacheLayout::writeFlows()
{
    std::vector<std::string> paths;
    for (const char *name : Flows)
        paths.push_back(write(*m_dir, QString::fromLatin1(name), flow(name)));
    return paths;
}

void TestCacheLayout::olderLayoutIsMigratedOrReadAsIs_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<bool>("readOnly");
    for (int version : {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}) {
        QTest::addRow("layout %d, may be written: migrated in place", version) << version << false;
        QTest::addRow("layout %d, read-only: read as it is", version) << version << true;
    }
}

void TestCacheLayout::olderLayoutIsMigratedOrReadAsIs()
{
    QFETCH(int, version);
    QFETCH(bool, readOnly);
    std::string before;
    {
        Cache cache;
        QVERIFY2(cache.open(cachePath()), cache.error().c_str());
        const ImportSummary s = Ingestor::import(cache, writeFlows());
        QVERIFY2(s.ok(), s.error.c_str());
        QVERIFY(cache.ensureTextIndex());
    }
    if (version < 7) {
        // Before layout 7 a cache knows no chains: every hop of amavis-and-milters.log counts as
        // a message of its own (docs/store.md), in the statistics and the chart too.
        sql::Database db;
        db.open(cachePath());
        // Nor the statistics its imports kept (rows changed in place would leave them stale).
        db.exec("UPDATE messages SET chain_id = NULL, prev_hop = NULL, hops = NULL, chain_state = NULL, chain_code = NULL, "
                "chain_attempts = NULL;"
                "UPDATE deliveries SET next_hop = NULL; DROP TABLE stats_snapshot");
    }
    {
        Cache cache;
        QVERIFY2(cache.open(cachePath()), cache.error().c_str());
        before = snapshot(cache);
    }
    QVERIFY(before.find("relay=") != std::string::npos && before.find("client=") != std::string::npos);
    // What the writer kept of the attempt rows: the migration makes the same bytes from the rows.
    const std::string written = triesOf(cachePath());
    QVERIFY(!written.empty());
    // Layout 13 stores most reply texts encoded; every older layout stored them as text.
    const char *const encodedReplies = "SELECT (SELECT count(*) FROM deliveries WHERE typeof(reply_text) = 'blob') + "
                                       "(SELECT count(*) FROM attempts WHERE typeof(reply_text) = 'blob')";
    QVERIFY(single(cachePath(), encodedReplies) > 0);
    // Layout 14 leaves a first try's time out where it is the last's, and keeps the others.
    QVERIFY(single(cachePath(), "SELECT count(*) FROM deliveries WHERE first_attempt IS NULL") > 0);
    QVERIFY(single(cachePath(), "SELECT count(*) FROM deliveries WHERE first_attempt < last_attempt") > 0);
    QVERIFY2(before.find("failed") == std::string::npos && before.find("no detail") == std::string::npos, before.c_str());
    {
        sql::Database db;
        db.open(cachePath());
        testlogs::toOlderLayout(db, version);
        // A chart kept by an older build counted otherwise (layout 11: not a last line that tried
        // nothing): one that counts nothing stands for it, and must not be shown.
        if (version >= 9 && version <= 10) {
            sql::Statement stale(db, "UPDATE stats_snapshot SET chart = ?");
            stale.bind(1, StatsSnapshot::encodeChart(ChartKept{}));
            stale.step();
        }
    }
    if (version >= 9 && version <= 10)
        QVERIFY(single(cachePath(), "SELECT count(*) FROM stats_snapshot WHERE chart IS NOT NULL") > 0);
    // Layout 13 stored encoded replies too, but for the recipient; its lines had a file id each,
    // its Message-ID keys were FNV-1a's 64 bits.
    const char *const linesOnce = "SELECT count(*) FROM messages WHERE substr(lines, 1, 1) = x'00'";
    const char *const longKeys = "SELECT count(*) FROM messages WHERE message_id_hash NOT BETWEEN 0 AND 8388607";
    const char *const encodedCells = "SELECT count(*) FROM messages WHERE 'blob' IN (typeof(message_id), "
                                     "typeof(client_host), typeof(client_ip))";
    const char *const firstTriesLeftOut = "SELECT count(*) FROM deliveries WHERE first_attempt IS NULL";
    QCOMPARE(single(cachePath(), firstTriesLeftOut), 0);
    QCOMPARE(single(cachePath(), encodedReplies) > 0, version == 13);
    QCOMPARE(single(cachePath(), linesOnce), 0);
    QVERIFY(single(cachePath(), longKeys) > 0);
    if (version != 5)  // (which kept the clients in a table of their own)
        QCOMPARE(single(cachePath(), encodedCells), 0);
    // Up to layout 11 the rows hold each message's listed recipient and the reversed addresses.
    if (version <= 11) {
        QVERIFY(single(cachePath(), "SELECT count(*) FROM messages WHERE first_rcpt IS NOT NULL") > 0);
        QVERIFY(single(cachePath(), "SELECT count(*) FROM deliveries WHERE recipient_rev IS NOT NULL") > 0);
        QVERIFY(single(cachePath(), "SELECT count(*) FROM deliveries WHERE orig_rev IS NOT NULL") > 0);
    }
    QCOMPARE(single(cachePath(), version >= 10  ? "SELECT 0"
                                 : version == 9 ? "SELECT count(*) FROM pragma_table_info('deliveries') WHERE name = 'tries'"
                                 : version == 8 ? "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'chain_code'"
                                 : version == 7 ? "SELECT count(*) FROM pragma_table_info('deliveries') WHERE name = 'forwarded'"
                                 : version == 6 ? "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'chain_id'"
                                 : version == 5 ? "SELECT count(*) FROM clients"
                                                : "SELECT count(*) FROM deliveries WHERE relay IS NOT NULL") > 0,
             version < 6);

    Cache cache;
    QVERIFY2(cache.open(cachePath(), readOnly ? Cache::Mode::ReadOnly : Cache::Mode::ReadWrite), cache.error().c_str());
    if (version >= 9 && !readOnly) {
        // The statistics still kept, as this layout's; a chart of layout 9 or 10 dropped, counted
        // again below (layout 12 counts as 11 did).
        QCOMPARE(single(cachePath(), ("SELECT count(*) FROM stats_snapshot WHERE layout <> " +
                                      std::to_string(schema::CurrentVersion)).c_str()), 0);
        if (version < 11)
            QCOMPARE(single(cachePath(), "SELECT count(*) FROM stats_snapshot WHERE chart IS NOT NULL"), 0);
        QVERIFY(single(cachePath(), "SELECT count(*) FROM stats_snapshot") > 0);
    }
    const std::string after = snapshot(cache);
    if (qEnvironmentVariableIsSet("SNAPSHOT"))
        qInfo("%s", before.c_str());
    QCOMPARE(after, before);
    QCOMPARE(single(cachePath(), "PRAGMA user_version"), readOnly ? version : schema::CurrentVersion);
    // The index of addresses in memory reads this build's layout only; an older one read as it
    // is keeps answering from SQLite, with no error.
    QCOMPARE(cache.buildMemoryIndex(), !readOnly);
    QVERIFY2(cache.error().empty(), cache.error().c_str());
    cache.dropMemoryIndex();
    if (!readOnly) {
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM pragma_table_info('deliveries') WHERE name IN ('relay', 'dsn')"), 0);
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM sqlite_master WHERE name = 'clients'"), 0);
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM sqlite_master WHERE name = 'deliveries_code_class'"), 1);
        // Layout 12: what the rows repeated is gone, and the address indexes are over the function.
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'first_rcpt'"), 0);
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM pragma_table_info('deliveries') WHERE name IN ('recipient_rev', "
                                     "'orig_rev')"), 0);
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM sqlite_master WHERE name IN ('deliveries_recipient_rev', "
                                     "'deliveries_orig_rev') AND sql LIKE '%mailtrail_reversed(%'"), 2);
        // (Before layout 5 the enhanced codes' ids are given again, maybe in another order: the
        // same deliveries keep tries; their equal counts are the snapshot's filtered charts.)
        const std::string migrated = triesOf(cachePath());
        if (version >= 5)
            QCOMPARE(migrated, written);
        else
            QCOMPARE(std::count(migrated.begin(), migrated.end(), '\n'), std::count(written.begin(), written.end(), '\n'));
        // The flag filled from the texts: the forward of partial-reject-and-forward.log.
        QCOMPARE(single(cachePath(), "SELECT count(*) FROM deliveries WHERE forwarded = 1"), 1);
        // The texts of the older rows stay text (mailtrail_reply() reads both); the migrated cache
        // takes the next import, whose texts are stored as this layout stores them.
        QCOMPARE(single(cachePath(), encodedReplies) > 0, version == 13);
        const std::int64_t olderKeys = single(cachePath(), longKeys);
        const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("more.log"), flow("rfc3339-multihost.log"))});
        QVERIFY2(s.ok(), s.error.c_str());
        QVERIFY(single(cachePath(), encodedReplies) > 0);
        // The new rows as layout 14 writes them, the older ones as they were.
        QVERIFY(single(cachePath(), linesOnce) > 0);
        QCOMPARE(single(cachePath(), longKeys), olderKeys);
        QVERIFY(single(cachePath(), encodedCells) > 0);
        QVERIFY(single(cachePath(), firstTriesLeftOut) > 0);
        QVERIFY(single(cachePath(), "SELECT count(*) FROM messages WHERE message_id_hash BETWEEN 0 AND 8388607") > 0);
    }
}

void TestCacheLayout::dictionariesHoldEachValueOnce()
{
    // Each value once, and only values some row uses: after a first import, one appending the same
    // relays and clients again, and one reading every log again (an older log after a newer one).
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);
    Cache cache;
    QVERIFY2(cache.open(cachePath()), cache.error().c_str());
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), newer + flow("bounce-with-notification.log"));
    const std::vector<std::string> imports[] = {
        {current},
        {write(*m_dir, QStringLiteral("other.log"), flow("bounce-with-notification.log") + flow("partial-reject-and-forward.log"))},
        {write(*m_dir, QStringLiteral("mail.log.1"), older)},
    };
    for (const std::vector<std::string> &logs : imports) {
        const ImportSummary s = Ingestor::import(cache, logs);
        QVERIFY2(s.ok(), s.error.c_str());
        const std::string path = cachePath();
        QVERIFY(single(path, "SELECT count(*) FROM relays") > 0);
        QCOMPARE(single(path, "SELECT count(*) FROM relays"),
                 single(path, "SELECT count(*) FROM (SELECT relay_id FROM deliveries WHERE relay_id IS NOT NULL "
                              "UNION SELECT relay_id FROM attempts WHERE relay_id IS NOT NULL)"));
        QCOMPARE(single(path, "SELECT count(*) FROM dsns"),
                 single(path, "SELECT count(*) FROM (SELECT dsn_id FROM deliveries WHERE dsn_id IS NOT NULL "
                              "UNION SELECT dsn_id FROM attempts WHERE dsn_id IS NOT NULL)"));
        QCOMPARE(single(path, "SELECT count(DISTINCT name) FROM relays"), single(path, "SELECT count(*) FROM relays"));
        QCOMPARE(single(path, "SELECT count(DISTINCT name) FROM dsns"), single(path, "SELECT count(*) FROM dsns"));
    }
}

void TestCacheLayout::firstRecipientIsTheListedDelivery()
{
    // Layout 12 reads a message's listed recipient from its deliveries: as the writer chose it
    // until layout 11, its first recipient not refused at RCPT, else its first.
    Cache cache;
    QVERIFY2(cache.open(cachePath()), cache.error().c_str());
    const std::vector<std::string> paths = writeFlows();
    const ImportSummary s = Ingestor::import(cache, paths);
    QVERIFY2(s.ok(), s.error.c_str());
    int refusedFirst = 0, allRefused = 0;
    for (const MessageRow &m : cache.messages({}, {}, 0, 1000)) {
        const std::optional<MessageDetail> d = cache.detail(m.id);
        QVERIFY(d);
        std::string expected;
        if (!d->deliveries.empty()) {
            const auto listed = std::find_if(d->deliveries.begin(), d->deliveries.end(),
                                             [](const DeliveryRow &r) { return r.status != DeliveryStatus::Rejected; });
            expected = listed != d->deliveries.end() ? listed->recipient : d->deliveries.front().recipient;
            refusedFirst += listed != d->deliveries.end() && listed != d->deliveries.begin();
            allRefused += listed == d->deliveries.end() && d->deliveries.size() > 1;
        }
        QCOMPARE(m.firstRecipient, expected);
    }
    // The rule's turn is on these logs: a recipient refused at RCPT before the one listed
    // (partial-reject-and-forward.log).
    QVERIFY(refusedFirst > 0);
    qInfo("%d messages list a later recipient than their first; %d were refused for every recipient", refusedFirst,
          allRefused);
}

void TestCacheLayout::layout6GetsChainsEmptyUntilReadAgain_data()
{
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("migrated in place") << false;
    QTest::newRow("read as it is") << true;
}

void TestCacheLayout::layout6GetsChainsEmptyUntilReadAgain()
{
    // A layout 6 cache has no record of hops, TLS, SASL or verdicts: its rows have none after the
    // migration (every hop is listed as a message of its own, even over chains), and the logs
    // imported since have them.
    QFETCH(bool, readOnly);
    const std::string filtered = write(*m_dir, QStringLiteral("filter.log"), flow("amavis-and-milters.log"));
    Filter chains;
    chains.chains = true;
    {
        Cache cache;
        QVERIFY2(cache.open(cachePath()), cache.error().c_str());
        QVERIFY(Ingestor::import(cache, {filtered}).ok());
        QCOMPARE(cache.count(Grain::Messages, chains), 2);  // the two hops as one, and a rejected message
        sql::Database db;
        db.open(cachePath());
        testlogs::toOlderLayout(db, 6);
    }
    Cache cache;
    QVERIFY2(cache.open(cachePath(), readOnly ? Cache::Mode::ReadOnly : Cache::Mode::ReadWrite), cache.error().c_str());
    QCOMPARE(single(cachePath(), "PRAGMA user_version"), readOnly ? 6 : schema::CurrentVersion);
    QCOMPARE(cache.count(Grain::Messages, chains), 3);
    QCOMPARE(cache.count(Grain::Messages, {}), 3);
    Filter sasl;
    sasl.saslUser = "carol";
    QCOMPARE(cache.count(Grain::Messages, sasl), 0);
    for (const MessageRow &m : cache.messages(chains, {}, 0, 10)) {
        QCOMPARE(m.hops, 1);
        QVERIFY(m.tlsIn.empty() && m.saslUser.empty() && m.verdicts.empty());
        const std::optional<MessageDetail> d = cache.detail(m.id);
        QVERIFY2(d, cache.error().c_str());
        QVERIFY(d->laterHops.empty());
    }
    if (readOnly)
        return;
    // Another log: its chain is stored whole, beside the old rows.
    const std::string relayed = write(*m_dir, QStringLiteral("relay.log"), flow("relay-between-hosts.log"));
    QVERIFY(Ingestor::import(cache, {relayed}).ok());
    QCOMPARE(cache.count(Grain::Messages, chains), 4);
    QCOMPARE(cache.count(Grain::Messages, {}), 5);
}

QTEST_GUILESS_MAIN(TestCacheLayout)
#include "tst_cachelayout.moc"
