// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The index of addresses in memory against SQLite: on every real log, for patterns made from the
// log's own addresses, the count, the pages in time order, the page keys, a row's position and the
// chart in its three stackings must be what the SQL queries answer; and the index must step aside
// when the cache changes under it.
#include "cache/addresspattern.h"
#include "cache/memoryindex.h"
#include "cache/querybuilder.h"
#include "cache/statsqueries.h"
#include "ingest/ingestor.h"
#include "testlogs.h"

#include <functional>
#include <set>
#include <tuple>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestMemoryIndex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesAsSql();
    void sameAnswers_data();
    void sameAnswers();
    void scopeHostAndFormat();
    void sharedAcrossConnections();
    void textMatchesServeSqlToo();
    void changedCacheIsAskedInSql();
    void importUnderWayBuildsNothing();
    void chainsListedOnce();
    void chainsAnswerAsSql_data();
    void chainsAnswerAsSql();
};

namespace {

// In capitals (ASCII), as a user may type a name.
std::string upper(std::string text)
{
    for (char &c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::vector<std::int64_t> ids(const std::vector<MessageRow> &rows)
{
    std::vector<std::int64_t> out;
    for (const MessageRow &r : rows)
        out.push_back(r.id);
    return out;
}

QStringList cells(const ChartData &data)
{
    QStringList out;
    for (const ChartCell &c : data.cells)
        out << u"%1 %2=%3"_s.arg(c.minute).arg(QString::fromStdString(c.key)).arg(c.count);
    return out;
}

QStringList anchors(const std::vector<PageAnchor> &list)
{
    QStringList out;
    for (const PageAnchor &a : list)
        out << u"%1/%2/%3"_s.arg(a.firstSeenMs).arg(a.fileId).arg(a.messageId);
    return out;
}

// Patterns a user would type for this address: whole, in brackets, a part, its domain, with a
// '?' in it, in capitals.
std::vector<std::string> patternsOf(const std::string &address)
{
    if (address.empty())
        return {};  // the null sender: "<>", asked on its own
    std::vector<std::string> out{address, "<" + address + ">"};
    if (address.size() > 4)
        out.push_back(address.substr(1, address.size() - 3));
    if (const std::size_t at = address.find('@'); at != std::string::npos) {
        out.push_back("*" + address.substr(at));
        out.push_back(address.substr(0, at + 1) + "*");
        out.push_back("*" + address.substr(at + 1, 3) + "*");
    }
    if (!address.empty()) {
        std::string q = address;
        q[q.size() / 2] = '?';
        out.push_back(q);
        out.push_back(upper(address));
        out.push_back("<" + upper(address) + ">");
        out.push_back("<" + address.substr(1) + ">");  // in brackets, a part is no match
    }
    return out;
}

// Two connections to the cache at `path`: `memory` with the index read, `sqlite` without it.
bool openSideBySide(Cache &memory, Cache &sqlite, const QString &path)
{
    if (!memory.open(path.toStdString()) || !sqlite.open(path.toStdString()))
        return false;
    sqlite.setMemoryIndexUsed(false);
    return memory.buildMemoryIndex();
}

// Every question the window asks of a filter, from both connections, compared.
void compare(Cache &memory, Cache &sqlite, const Filter &f)
{
    QByteArray what = QByteArray("sender '") + f.sender.c_str() + "' recipient '" + f.recipient.c_str() + "'";
    for (const std::string &st : f.statuses)
        what += " status " + QByteArray(st.c_str());
    if (!f.code.empty())
        what += " code " + QByteArray(f.code.c_str());
    if (!f.destination.empty())
        what += " destination " + QByteArray(f.destination.c_str());
    if (!f.rejectReason.empty())
        what += " reject reason " + QByteArray(f.rejectReason.c_str());
    if (!f.tls.empty())
        what += " TLS " + QByteArray(f.tls.c_str());
    if (!f.received.empty())
        what += " received " + QByteArray(f.received.c_str());
    if (!f.saslUser.empty())
        what += " SASL user '" + QByteArray(f.saslUser.c_str()) + "'";
    if (f.sinceMs != std::numeric_limits<std::int64_t>::min() || f.untilMs != std::numeric_limits<std::int64_t>::max())
        what += " arrived " + QByteArray::number(f.sinceMs) + ".." + QByteArray::number(f.untilMs);
    if (!f.triedAs.empty() || f.triedSinceMs != std::numeric_limits<std::int64_t>::min())
        what += " tried as '" + QByteArray(f.triedAs.c_str()) + "' " + QByteArray::number(f.triedSinceMs);
    if (!f.text.empty())
        what += " text '" + QByteArray(f.text.c_str()) + "'";
    for (std::int64_t file : f.fileIds)
        what += " file " + QByteArray::number(file);
    if (!f.host.empty())
        what += " host " + QByteArray(f.host.c_str());
    if (!f.format.empty())
        what += " format " + QByteArray(f.format.c_str());
    if (f.chains)
        what += " over chains";
    QVERIFY2(memory.answersFromMemory(f), what.constData());
    QVERIFY(!sqlite.answersFromMemory(f));
    for (Grain grain : {Grain::Messages, Grain::Deliveries}) {
        const std::int64_t fromMemory = memory.count(grain, f), fromSql = sqlite.count(grain, f);
        const QByteArray why = what + (grain == Grain::Messages ? " messages " : " deliveries ") +
            QByteArray::number(fromMemory) + " against " + QByteArray::number(fromSql);
        QVERIFY2(fromMemory == fromSql, why.constData());
    }
    for (bool descending : {false, true}) {
        const Sort sort{SortKey::Time, descending};
        const auto page = sqlite.messages(f, sort, 0, 7);
        QVERIFY2(ids(memory.messages(f, sort, 0, 7)) == ids(page), what.constData());
        QVERIFY2(ids(memory.messages(f, sort, 3, 5)) == ids(sqlite.messages(f, sort, 3, 5)), what.constData());
        if (page.size() >= 2) {
            const PageAnchor after{page[1].firstSeenMs, page[1].fileId, page[1].id, -1};
            QVERIFY2(ids(memory.messages(f, sort, 0, 4, false, &after)) == ids(sqlite.messages(f, sort, 0, 4, false, &after)),
                     what.constData());
            QCOMPARE(memory.rowPosition(Grain::Messages, f, sort, page[1].id),
                     sqlite.rowPosition(Grain::Messages, f, sort, page[1].id));
        }
        QCOMPARE(memory.rowPosition(Grain::Messages, f, sort, -5), -1);
        QCOMPARE(anchors(memory.pageAnchors(Grain::Messages, f, sort, 3)), anchors(sqlite.pageAnchors(Grain::Messages, f, sort, 3)));
    }
    for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
        const ChartData fromMemory = memory.chartData(f, group);
        QVERIFY(fromMemory.ok());
        QCOMPARE(cells(fromMemory), cells(sqlite.chartData(f, group)));
    }
    QVERIFY(memory.error().empty());
}

// The chart of a filter the table asks SQLite for (statuses, codes, a time range), from both.
void compareChart(Cache &memory, Cache &sqlite, const Filter &f, const QByteArray &what)
{
    QVERIFY2(memory.chartsFromMemory(f), what.constData());
    QVERIFY(!sqlite.chartsFromMemory(f));
    for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode})
        QVERIFY2(cells(memory.chartData(f, group)) == cells(sqlite.chartData(f, group)), what.constData());
}

} // namespace

// The arena's search against the SQL that QueryBuilder asks of the same pattern: LIKE of
// likePattern for a substring or glob, NOCASE equality for an address in brackets, '' for "<>".
// Case, globs, '?' over a character of several bytes, the characters LIKE would take as its own.
void TestMemoryIndex::matchesAsSql()
{
    const std::vector<std::string> addresses{"alice@example.com", "Bob.Smith@Example.ORG", "", "müller@beispiel.de",
                                             "x_y%z@test.net", "alice@example.com.evil.net", "a@b", "root",
                                             "postmaster@example.com", "malice@example.com"};
    const std::vector<std::string> patterns{"alice", "ALICE", "example.com", "*@example.com", "*@example.org", "m?ller",
                                            "m??ller", "x_y", "y%z", "*.net", "a*@*", "?@?", "*", "b.smith", "zz",
                                            "*example*com*", "müller", "MÜLLER", "*@b", "root?", "<alice@example.com>",
                                            " <ALICE@EXAMPLE.COM> ", "<lice@example.com>", "<root>", "<>", "<x_y%z@test.net>",
                                            "<x_y_z@test.net>", "<*@example.com>", "<müller@beispiel.de>", "<a@b>"};
    StringArena strings;
    for (const std::string &a : addresses)
        strings.add(a);
    sql::Database db;
    db.open(":memory:");
    db.exec("CREATE TABLE a(s TEXT COLLATE NOCASE)");
    sql::Statement insert(db, "INSERT INTO a VALUES(?)");
    for (const std::string &a : addresses)
        insert.bind(1, a).run();
    for (const std::string &p : patterns) {
        const AddressPattern pattern = AddressPattern::of(p);
        const std::vector<bool> hits = strings.matching(pattern);
        std::set<std::string> expected;
        const char *query = pattern.kind == AddressPattern::Kind::Exact  ? "SELECT s FROM a WHERE s = ?"
                            : pattern.kind == AddressPattern::Kind::Null ? "SELECT s FROM a WHERE s = '' AND ? IS NOT NULL"
                                                                         : "SELECT s FROM a WHERE s LIKE ? ESCAPE '\\'";
        sql::Statement like(db, query);
        like.bind(1, pattern.kind == AddressPattern::Kind::Exact ? pattern.text : QueryBuilder::likePattern(pattern.text));
        while (like.step())
            expected.insert(std::string(like.text(0)));
        std::set<std::string> got;
        for (std::size_t i = 0; i < addresses.size(); ++i) {
            if (hits[i])
                got.insert(addresses[i]);
        }
        QVERIFY2(got == expected, p.c_str());
    }
    // Whole: not the addresses that hold it.
    const std::vector<bool> whole = strings.matching(AddressPattern::of("<alice@example.com>"));
    QCOMPARE(std::count(whole.begin(), whole.end(), true), 1);
}

void TestMemoryIndex::sameAnswers_data()
{
    addRealLogRows();
    // A submission with SASL through a content filter: a chain whose first hop has the user.
    QTest::newRow("flow amavis-and-milters") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/amavis-and-milters.log");
}

void TestMemoryIndex::sameAnswers()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    const QString path = importedCache(dir, {log.toStdString()});
    QVERIFY(!path.isEmpty());
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    QVERIFY(memory.error().empty());
    sql::Database db;
    db.open(path.toStdString());
    // Over chains too (the table's way) when the log has any: a chain listed once.
    const bool hasChains = sql::Statement(db, "SELECT 1 FROM messages WHERE chain_id IS NOT NULL").step();
    const auto both = [&](Filter f) {
        compare(memory, sqlite, f);
        if (hasChains) {
            f.chains = true;
            compare(memory, sqlite, f);
        }
    };
    // A few addresses of the log, each as several patterns, as sender, as recipient and both.
    std::vector<std::string> senders, recipients;
    for (const char *query : {"SELECT DISTINCT sender FROM messages WHERE sender IS NOT NULL ORDER BY id LIMIT 4",
                              "SELECT DISTINCT sender FROM messages WHERE sender IS NOT NULL ORDER BY id DESC LIMIT 2"}) {
        sql::Statement st(db, query);
        while (st.step())
            senders.emplace_back(st.text(0));
    }
    for (const char *query : {"SELECT DISTINCT recipient FROM deliveries ORDER BY id LIMIT 4",
                              "SELECT DISTINCT orig_recipient FROM deliveries WHERE orig_recipient IS NOT NULL LIMIT 2"}) {
        sql::Statement st(db, query);
        while (st.step())
            recipients.emplace_back(st.text(0));
    }
    int compared = 0;
    Filter f;
    f.sender = "<>";
    both(f);
    f.sender = "no-such-address-anywhere";
    both(f);
    f.sender.clear();
    f.recipient = "<>";
    both(f);
    f.recipient.clear();
    for (const std::string &s : senders) {
        for (const std::string &p : patternsOf(s)) {
            Filter one;
            one.sender = p;
            both(one);
            ++compared;
        }
    }
    for (const std::string &r : recipients) {
        for (const std::string &p : patternsOf(r)) {
            Filter one;
            one.recipient = p;
            both(one);
            if (const auto sender = std::find_if(senders.begin(), senders.end(), [](const std::string &a) { return !a.empty(); });
                sender != senders.end()) {
                const std::vector<std::string> forms = patternsOf(*sender);
                one.sender = forms[forms.size() - 3];  // in capitals
                both(one);
                one.sender = forms[1];                 // whole, in brackets
                both(one);
            }
            ++compared;
        }
    }
    // A free text, hop by hop (over chains SQLite answers it): words, a term the index holds
    // joined, one checked whole, none; alone, with addresses and with a status.
    for (const char *text : {"example", "example.com", "250 ok", "mx1.example.com", "no-such-word-anywhere"}) {
        Filter t;
        t.text = text;
        compare(memory, sqlite, t);
        t.statuses = {"sent"};
        compare(memory, sqlite, t);
        t.statuses.clear();
        if (!recipients.empty() && !patternsOf(recipients.front()).empty()) {
            t.recipient = patternsOf(recipients.front()).front();
            compare(memory, sqlite, t);
        }
        if (const auto sender = std::find_if(senders.begin(), senders.end(), [](const std::string &a) { return !a.empty(); });
            sender != senders.end()) {
            t.sender = patternsOf(*sender).front();
            compare(memory, sqlite, t);
        }
    }
    if (QTest::currentTestFailed())
        return;
    QVERIFY(compared > 0);
    // The chart of statuses, codes and times, alone and with an address, hop by hop.
    std::int64_t first = 0, last = 0;
    {
        sql::Statement span(db, "SELECT min(first_seen), max(last_seen) FROM messages");
        QVERIFY(span.step());
        first = span.int64(0);
        last = span.int64(1);
    }
    const std::int64_t middle = first + (last - first) / 2;
    std::vector<std::pair<QByteArray, std::function<void(Filter &)>>> charts = {
        {"bounced", [](Filter &c) { c.statuses = {"bounced"}; }},
        {"deferred, sent", [](Filter &c) { c.statuses = {"deferred", "sent"}; }},
        {"unknown status", [](Filter &c) { c.statuses = {"nonsense"}; }},
        {"5xx", [](Filter &c) { c.code = "5xx"; }},
        {"4", [](Filter &c) { c.code = "4"; }},
        {"55x", [](Filter &c) { c.code = "55x"; }},
        {"250", [](Filter &c) { c.code = "250"; }},
        {"5.1.1", [](Filter &c) { c.code = "5.1.1"; }},
        {"4.7", [](Filter &c) { c.code = "4.7"; }},
        {"not a code", [](Filter &c) { c.code = "x9"; }},
        {"since the middle", [middle](Filter &c) { c.sinceMs = middle; }},
        {"until the middle", [middle](Filter &c) { c.untilMs = middle; }},
        {"a minute's range", [middle](Filter &c) {
             c.sinceMs = middle - 30'000;
             c.untilMs = middle + 90'001;
         }},
        {"bounced 5xx since", [middle](Filter &c) {
             c.statuses = {"bounced"};
             c.code = "5xx";
             c.sinceMs = middle;
         }},
    };
    for (const auto &[name, set] : charts) {
        Filter c;
        set(c);
        // The table's count and pages too, hop by hop and over chains, alone and with tries.
        both(c);
        Filter withTries = c;
        withTries.triedAs = "deferred";
        both(withTries);
        compareChart(memory, sqlite, c, name);
        if (!senders.empty() && !recipients.empty()) {
            c.sender = patternsOf(senders.back()).empty() ? "<>" : patternsOf(senders.back())[2 % patternsOf(senders.back()).size()];
            compareChart(memory, sqlite, c, name + " with a sender");
            both(c);
            c.sender.clear();
            if (!patternsOf(recipients.front()).empty()) {
                c.recipient = patternsOf(recipients.front()).front();
                compareChart(memory, sqlite, c, name + " with a recipient");
                both(c);
            }
        }
    }
    // The summary's destinations (a relay's host, the host of a connection that failed, "none"),
    // as its links ask for them: alone, in capitals, with a status, a code, a segment's tries and
    // an address; one no delivery has.
    StatsQueries queries(sqlite);
    queries.setTopLimit(1000);
    Stats stats;
    QVERIFY2(queries.compute({}, stats), queries.error().c_str());
    std::vector<std::string> destinations{"no-such-host.example"};
    for (const StatsCount &relay : stats.topRelays)
        destinations.push_back(relay.key);
    QVERIFY(destinations.size() > 1 || stats.topRelays.empty());
    for (const std::string &host : destinations) {
        const QByteArray name = QByteArray("destination ") + host.c_str();
        Filter d;
        d.destination = host;
        both(d);
        compareChart(memory, sqlite, d, name);
        d.destination = upper(host);
        both(d);
        d.destination = host;
        d.statuses = {"deferred", "bounced"};
        both(d);
        d.statuses.clear();
        d.code = "4xx";
        both(d);
        compareChart(memory, sqlite, d, name + " 4xx");
        d.code.clear();
        d.triedAs = "deferred";
        both(d);
        d.triedAs.clear();
        if (!recipients.empty() && !patternsOf(recipients.front()).empty()) {
            d.recipient = "*" + recipients.front().substr(recipients.front().find('@') + 1);
            both(d);
        }
        ++compared;
    }
    // The summary's reject reasons, as its links ask for them: alone, with a status, a time of
    // arrival and an address; a kind of no reject, one of no name.
    std::set<std::string> kinds{"other", "no such kind"};
    for (const StatsSource &reason : stats.rejectsByReason)
        kinds.insert(reason.key);
    for (const std::string &kind : kinds) {
        Filter r;
        r.rejectReason = kind;
        both(r);
        compareChart(memory, sqlite, r, QByteArray("reject reason ") + kind.c_str());
        r.statuses = {"rejected"};
        both(r);
        r.statuses.clear();
        r.sinceMs = middle;
        both(r);
        r.sinceMs = std::numeric_limits<std::int64_t>::min();
        if (const auto sender = std::find_if(senders.begin(), senders.end(), [](const std::string &a) { return !a.empty(); });
            sender != senders.end()) {
            r.sender = patternsOf(*sender).front();
            both(r);
        }
    }
    // The filter bar's TLS and the Summary's "received" links: alone, with statuses, a code, a
    // time of arrival and an address, together; a value that is neither yes nor no.
    for (const char *value : {"yes", "no", "maybe"}) {
        for (const bool tls : {true, false}) {
            Filter t;
            (tls ? t.tls : t.received) = value;
            const QByteArray name = QByteArray(tls ? "TLS " : "received ") + value;
            both(t);
            compareChart(memory, sqlite, t, name);
            t.statuses = {"sent", "deferred"};
            both(t);
            t.statuses.clear();
            t.code = "2xx";
            both(t);
            compareChart(memory, sqlite, t, name + " 2xx");
            t.code.clear();
            t.sinceMs = middle;
            both(t);
            t.sinceMs = std::numeric_limits<std::int64_t>::min();
            if (!recipients.empty() && !patternsOf(recipients.front()).empty()) {
                t.recipient = "*" + recipients.front().substr(recipients.front().find('@') + 1);
                both(t);
                t.recipient.clear();
            }
            (tls ? t.received : t.tls) = "yes";
            both(t);
            (tls ? t.received : t.tls) = "no";
            both(t);
        }
    }
    // The filter bar's SASL user: whole, a part, a glob, in capitals, in brackets (no address
    // form: a substring with them), any, none; alone, with a status and a time of arrival.
    std::vector<std::string> saslUsers{"*", "no-such-user", "<>"};
    {
        sql::Statement st(db, "SELECT DISTINCT sasl_user FROM messages WHERE sasl_user IS NOT NULL ORDER BY id LIMIT 3");
        while (st.step()) {
            const std::string user(st.text(0));
            saslUsers.push_back(user);
            saslUsers.push_back("<" + user + ">");
            if (user.size() > 2) {
                saslUsers.push_back(user.substr(1, user.size() - 2));
                saslUsers.push_back(user.substr(0, 2) + "*");
                saslUsers.push_back(upper(user));
            }
        }
    }
    for (const std::string &user : saslUsers) {
        Filter u;
        u.saslUser = user;
        both(u);
        compareChart(memory, sqlite, u, QByteArray("SASL user ") + user.c_str());
        u.statuses = {"sent"};
        both(u);
        u.statuses.clear();
        u.sinceMs = middle;
        both(u);
    }
    if (QTest::currentTestFailed())
        return;
    // A chart's segments as a click asks for them (a minute and a key), each key at any time, a
    // minute of any key; alone and with an address; with keys no try has.
    int segments = 0;
    for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
        const ChartData data = sqlite.chartData({}, group);
        QVERIFY(data.ok());
        std::set<std::string> keys;
        const std::size_t step = std::max<std::size_t>(1, data.cells.size() / 6);
        for (std::size_t i = 0; i < data.cells.size(); ++i) {
            const ChartCell &cell = data.cells[i];
            keys.insert(cell.key);
            if (i % step != 0)
                continue;
            Filter segment;
            segment.triedAs = triedAsFor(group, cell.key);
            segment.triedSinceMs = cell.minute * 60'000;
            segment.triedUntilMs = segment.triedSinceMs + 60'000;
            both(segment);
            if (i == 0 && !recipients.empty() && !patternsOf(recipients.front()).empty()) {
                segment.recipient = patternsOf(recipients.front()).front();
                both(segment);
            }
            ++segments;
        }
        for (const std::string &key : keys) {
            Filter any;
            any.triedAs = triedAsFor(group, key);
            both(any);
        }
        // The codes of a chart's "Other": a try of any of them.
        if (keys.size() >= 2) {
            Filter list;
            list.triedAs = triedAsFor(group, *keys.begin()) + "," + triedAsFor(group, *keys.rbegin());
            both(list);
        }
    }
    if (QTest::currentTestFailed())
        return;
    for (const char *as : {"", "nonsense", "9.9.9", "299", "no-dsn", "no-reply", "failed"}) {
        Filter half;
        half.triedAs = as;
        half.triedSinceMs = first;
        half.triedUntilMs = middle;
        both(half);
        if (!senders.empty()) {
            half.sender = senders.front().empty() ? "<>" : senders.front();
            both(half);
        }
    }
    QVERIFY(segments > 0);
    // A segment within a range of arrival: the chart's range is of tries, SQL's.
    Filter tried;
    tried.sinceMs = middle;
    tried.triedAs = "deferred";
    QVERIFY(memory.answersFromMemory(tried));
    QVERIFY(!memory.chartsFromMemory(tried));
    // A list of messages (an insight's) is SQL's.
    Filter mixed;
    mixed.sender = "a";
    mixed.statuses = {"sent"};
    mixed.messageIds = {1, 2};
    QVERIFY(!memory.answersFromMemory(mixed));
    memory.dropMemoryIndex();
}

// The window's scope (the logs on show, when the cache holds others too), a host and a format, as
// SQL answers them: alone, together and with the other conditions, over a cache of several logs of
// three formats and several hosts; one log rotated in the middle of its messages (the messages of
// the first file with lines in the second: message_files), one in the middle of a chain of hops.
void TestMemoryIndex::scopeHostAndFormat()
{
    QTemporaryDir dir;
    // A log rotated after `at` of its lines: the two halves in `dir` as NAME.1 and NAME.
    const auto rotated = [&dir](const QString &log, const QString &name, qsizetype at) {
        QFile in(log);
        if (!in.open(QIODevice::ReadOnly))
            return std::vector<std::string>{};
        QList<QByteArray> lines = in.readAll().split('\n');
        lines.removeAll(QByteArray());
        at = at < 0 ? lines.size() / 2 : at;
        const QString older = dir.filePath(name + u".1"_s), newer = dir.filePath(name);
        for (const auto &[path, from, to] : {std::tuple(older, qsizetype(0), at), std::tuple(newer, at, lines.size())}) {
            QFile out(path);
            if (!out.open(QIODevice::WriteOnly))
                return std::vector<std::string>{};
            for (qsizetype i = from; i < to; ++i)
                out.write(lines[i] + '\n');
        }
        return std::vector<std::string>{older.toStdString(), newer.toStdString()};
    };
    // The sample in the middle of its messages; the content filter's log in the middle of a chain.
    std::vector<std::string> logs = rotated(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), u"mail.log"_s, -1);
    const std::vector<std::string> filtered =
        rotated(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), u"filter.log"_s, 100);
    QCOMPARE(logs.size(), 2u);
    QCOMPARE(filtered.size(), 2u);
    logs.insert(logs.end(), filtered.begin(), filtered.end());
    for (const char *log : {"/postfix/golden/rfc3339-multihost.log", "/exim/golden/exim-4.98.2-mainlog.log",
                            "/sendmail/golden/sendmail-8.17.1.9-syslog.log"})
        logs.push_back(MAILTRAIL_TEST_DATA + std::string(log));
    const QString path = importedCache(dir, logs);
    QVERIFY(!path.isEmpty());
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    sql::Database db;
    db.open(path.toStdString());
    const auto column = [&db](const char *query) {
        std::vector<std::string> out;
        sql::Statement st(db, query);
        while (st.step())
            out.emplace_back(st.text(0));
        return out;
    };
    std::vector<std::int64_t> files;
    for (const std::string &id : column("SELECT id FROM files ORDER BY id"))
        files.push_back(std::stoll(id));
    // The rotated log's halves, as the scope names them.
    const std::int64_t olderId = std::stoll(column("SELECT id FROM files WHERE path LIKE '%/mail.log.1'").at(0));
    const std::int64_t newerId = std::stoll(column("SELECT id FROM files WHERE path LIKE '%/mail.log'").at(0));
    // A log without host names has the host '' (no condition of the filter).
    const std::vector<std::string> hosts = column("SELECT name FROM hosts WHERE name != '' ORDER BY id");
    const std::vector<std::string> formats = column("SELECT DISTINCT format FROM files ORDER BY format");
    QCOMPARE(files.size(), 7u);
    QVERIFY(hosts.size() >= 4);
    QCOMPARE(formats, (std::vector<std::string>{"exim", "postfix", "sendmail"}));
    // The rotated log's later half holds lines of messages its first half began.
    QVERIFY(sql::Statement(db, "SELECT 1 FROM message_files").step());
    // A chain whose hops are in the two halves of the content filter's log.
    QVERIFY(sql::Statement(db, "SELECT 1 FROM messages m JOIN messages h ON h.id = m.chain_id WHERE m.file_id != h.file_id").step());
    const std::int64_t filterNewerId = std::stoll(column("SELECT id FROM files WHERE path LIKE '%/filter.log'").at(0));
    std::int64_t middle = 0;
    {
        sql::Statement span(db, "SELECT min(first_seen) + (max(first_seen) - min(first_seen)) / 2 FROM messages");
        QVERIFY(span.step());
        middle = span.int64(0);
    }
    const auto both = [&](Filter f) {
        compare(memory, sqlite, f);
        f.chains = true;
        compare(memory, sqlite, f);
    };
    // Alone and with each other condition of another kind.
    const auto withOthers = [&](Filter f) {
        both(f);
        Filter g = f;
        g.statuses = {"sent"};
        both(g);
        g = f;
        g.code = "5xx";
        both(g);
        g = f;
        g.sinceMs = middle;
        both(g);
        compareChart(memory, sqlite, g, "since the middle");
        g = f;
        g.sender = "*example*";
        both(g);
        g = f;
        g.recipient = "*.org";
        both(g);
        g = f;
        g.tls = "yes";
        both(g);
        g = f;
        g.text = "example";
        compare(memory, sqlite, g);
    };
    std::vector<std::vector<std::int64_t>> scopes{{newerId}, {olderId, newerId}, {files[0], newerId}, {filterNewerId}, {-1}};
    for (std::int64_t file : files)
        scopes.push_back({file});
    scopes.push_back(std::vector<std::int64_t>(files.begin() + 1, files.end()));
    for (const std::vector<std::int64_t> &scope : scopes) {
        Filter f;
        f.fileIds = scope;
        withOthers(f);
    }
    std::vector<std::string> hostNames = hosts;
    hostNames.push_back("no-such-host");
    hostNames.push_back(upper(hosts.front()));
    for (const std::string &host : hostNames) {
        Filter f;
        f.host = host;
        withOthers(f);
        f.fileIds = {files[0], files[2]};
        both(f);
    }
    std::vector<std::string> formatNames = formats;
    formatNames.push_back("nonsense");
    for (const std::string &format : formatNames) {
        Filter f;
        f.format = format;
        withOthers(f);
        f.fileIds = {files[1], files.back()};
        both(f);
        f.host = hosts.back();
        both(f);
    }
    // Not vacuous: the scope of the rotated log's later half lists messages its first half began.
    Filter later;
    later.fileIds = {newerId};
    sql::Statement begunThere(db, "SELECT count(*) FROM messages WHERE file_id = ?");
    begunThere.bind(1, newerId);
    QVERIFY(begunThere.step());
    QVERIFY(memory.count(Grain::Messages, later) > begunThere.int64(0));
}

// Built on one connection, used by every other of the process on the same file.
void TestMemoryIndex::sharedAcrossConnections()
{
    QTemporaryDir dir;
    const QString path = importedCache(dir, {MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"});
    Cache builder, reader;
    QVERIFY(builder.open(path.toStdString()));
    QVERIFY(reader.open(path.toStdString()));
    Filter f;
    f.recipient = "example";
    QVERIFY(!reader.answersFromMemory(f));
    QVERIFY(builder.buildMemoryIndex());
    QVERIFY(reader.answersFromMemory(f));
    QVERIFY(reader.count(Grain::Messages, f) > 0);
    builder.dropMemoryIndex();
    QVERIFY(!reader.answersFromMemory(f));
}

// A text's matches read for the index in memory, not put in SQLite's temp table: the questions
// the index does not answer (an order of an address, the deliveries' positions, a chart of a
// time range) are answered in SQL with this text's matches, never a text asked before.
void TestMemoryIndex::textMatchesServeSqlToo()
{
    QTemporaryDir dir;
    const QString path = importedCache(dir, {MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"});
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    QVERIFY(memory.ensureTextIndex());
    std::int64_t lastCount = -1;
    for (const char *text : {"example.com", "gmail.com", "outlook", "example.com", "gmail com"}) {
        Filter f;
        f.text = text;
        const std::int64_t count = memory.count(Grain::Messages, f);
        QVERIFY2(memory.answersFromMemory(f), text);
        QCOMPARE(count, sqlite.count(Grain::Messages, f));
        QVERIFY2(count > 0 && count != lastCount, text);  // each text its own answer
        lastCount = count;
        const Sort bySender{SortKey::Sender, false};
        QCOMPARE(ids(memory.messages(f, bySender, 0, 500)), ids(sqlite.messages(f, bySender, 0, 500)));
        QCOMPARE(anchors(memory.pageAnchors(Grain::Deliveries, f, Sort{}, 3)), anchors(sqlite.pageAnchors(Grain::Deliveries, f, Sort{}, 3)));
        Filter ranged = f;
        const auto page = sqlite.messages(f, Sort{}, 0, 3);
        QVERIFY(!page.empty());
        ranged.sinceMs = page.front().firstSeenMs;
        ranged.untilMs = ranged.sinceMs + 6 * 3600 * 1000LL;
        QVERIFY(!memory.chartsFromMemory(ranged));
        QCOMPARE(cells(memory.chartData(ranged, ChartGroup::Outcome)), cells(sqlite.chartData(ranged, ChartGroup::Outcome)));
        // Asked from memory again after SQL: the same.
        QCOMPARE(memory.count(Grain::Messages, f), count);
    }
    QVERIFY(memory.error().empty());
    memory.dropMemoryIndex();
}

// Rows imported after the index was read: SQLite answers, with the new rows, until it is read again.
void TestMemoryIndex::changedCacheIsAskedInSql()
{
    QTemporaryDir dir;
    const auto [first, second] = splitFlow("deferred-then-sent.log", 3);
    const std::string log = write(dir, u"mail.log"_s, first);
    const QString path = importedCache(dir, {log});
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    Filter f;
    f.sender = "@";
    QVERIFY(memory.answersFromMemory(f));
    const QStringList before = cells(memory.chartData(f, ChartGroup::Outcome));
    write(dir, u"mail.log"_s, second, true);
    Cache importer;
    QVERIFY(importer.open(path.toStdString()));
    QVERIFY(Ingestor::import(importer, {log}).ok());
    QVERIFY(!memory.answersFromMemory(f));
    const QStringList after = cells(memory.chartData(f, ChartGroup::Outcome));
    QCOMPARE(after, cells(sqlite.chartData(f, ChartGroup::Outcome)));
    QVERIFY(after != before);  // the rest of the flow brought tries
    QVERIFY(memory.buildMemoryIndex());
    QVERIFY(memory.answersFromMemory(f));
    QCOMPARE(cells(memory.chartData(f, ChartGroup::Outcome)), after);
    memory.dropMemoryIndex();
}

// The rows of an import under way are not final: nothing is read, and an index read before
// steps aside while an import runs.
void TestMemoryIndex::importUnderWayBuildsNothing()
{
    QTemporaryDir dir;
    const QString path = importedCache(dir, {MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"});
    Cache cache;
    QVERIFY(cache.open(path.toStdString()));
    QVERIFY(cache.buildMemoryIndex());
    Filter f;
    f.sender = "example";
    QVERIFY(cache.answersFromMemory(f));
    {
        sql::Database db;
        db.open(path.toStdString());
        db.exec("UPDATE files SET import_run = 99");
    }
    QVERIFY(!cache.answersFromMemory(f));
    QVERIFY(!cache.buildMemoryIndex());
    QVERIFY(cache.error().empty());
    cache.dropMemoryIndex();
}

// A cache with chains of hops (a content filter): a chain listed as one row, each condition met
// by any hop, as SQLite lists it.
void TestMemoryIndex::chainsListedOnce()
{
    QTemporaryDir dir;
    const QString path = importedCache(dir, {MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"});
    QVERIFY(!path.isEmpty());
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    Filter f;
    f.recipient = "lab.test";
    const std::int64_t hops = memory.count(Grain::Messages, f);
    f.chains = true;
    compare(memory, sqlite, f);
    const std::int64_t chains = memory.count(Grain::Messages, f);
    QVERIFY(chains > 0);
    QVERIFY(chains < hops);
    memory.dropMemoryIndex();
}

void TestMemoryIndex::chainsAnswerAsSql_data()
{
    QTest::addColumn<bool>("laterHopsLater");
    QTest::newRow("as logged") << false;
    // Every line of the filter's re-injected hops a minute later than logged, so that a time of
    // arrival tells a chain's first hop from its later ones.
    QTest::newRow("later hops a minute later") << true;
}

// Statuses, codes and times of arrival over chains: a chain's state is its last hop's, a code may
// be any hop's, a delivery arrived with its chain's first hop; from both connections.
void TestMemoryIndex::chainsAnswerAsSql()
{
    QFETCH(bool, laterHopsLater);
    QTemporaryDir dir;
    QFile in(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"));
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = in.readAll().split('\n');
    QList<QByteArray> laterHops;
    for (const QByteArray &line : lines) {
        if (line.contains("orig_queue_id="))
            laterHops << line.mid(line.indexOf("]: ") + 3, line.indexOf(':', line.indexOf("]: ") + 3) - line.indexOf("]: ") - 3);
    }
    QCOMPARE(laterHops.size(), 3);
    QByteArray log;
    for (QByteArray line : lines) {
        if (laterHopsLater && std::any_of(laterHops.begin(), laterHops.end(), [&](const QByteArray &id) {
                return line.contains(QByteArray(id + ": "));
            }))
            line.replace(" 00:26:", " 00:27:");
        log += line + '\n';
    }
    const QString path = importedCache(dir, {write(dir, u"filter.log"_s, log)});
    QVERIFY(!path.isEmpty());
    Cache memory, sqlite;
    QVERIFY(openSideBySide(memory, sqlite, path));
    // The log begins at 00:26:20 (of whichever year the import gave it).
    std::int64_t minute27 = 0;
    {
        sql::Database db;
        db.open(path.toStdString());
        sql::Statement first(db, "SELECT min(first_seen) FROM messages");
        QVERIFY(first.step());
        minute27 = first.int64(0) / 60'000 * 60'000 + 60'000;
    }
    std::vector<Filter> filters;
    for (const char *status : {"sent", "deferred", "bounced", "expired", "rejected", "queued", "discarded"}) {
        Filter f;
        f.statuses = {status};
        filters.push_back(f);
    }
    for (const char *code : {"2xx", "4xx", "5", "250", "450", "2.0.0", "4.4", "5.1.1"}) {
        Filter f;
        f.code = code;
        filters.push_back(f);
    }
    for (int which = 0; which < 3; ++which) {
        Filter f;
        if (which != 1)
            f.sinceMs = minute27;
        if (which != 0)
            f.untilMs = minute27 + (which == 1 ? 0 : 60'000);
        filters.push_back(f);
        f.statuses = {"deferred"};
        filters.push_back(f);
        f.statuses.clear();
        f.recipient = "slow.test";
        filters.push_back(f);
    }
    for (Filter f : filters) {
        f.chains = true;
        compare(memory, sqlite, f);
        f.chains = false;
        compare(memory, sqlite, f);
    }
    memory.dropMemoryIndex();
}

QTEST_GUILESS_MAIN(TestMemoryIndex)
#include "tst_memoryindex.moc"
