// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The status chart's aggregation: delivery tries per minute and per outcome or code, in SQL.
#include "cache/cache.h"

#include "cache/chartplan.h"
#include "cache/charttally.h"
#include "cache/charttries.h"
#include "cache/memoryindex.h"
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/sqlite.h"
#include "cache/statssnapshot.h"

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailtrail {

std::string chartOutcome(int status)
{
    switch (status) {
    case 1: return "delivered";
    // An expired recipient's try was a deferral: Postfix gives up on it later without trying
    // (the summary counts it among the deferrals too).
    case 2:
    case 4: return "deferred";
    case 5: return "rejected";
    default: return "bounced";
    }
}

namespace {

// The group of a try from its status, reply code and enhanced code columns (`p`: the alias), as
// text: for the GROUP BY of every stacking at once (countChartRows into ChartKept).
std::string groupKey(ChartGroup group, const char *p)
{
    const std::string a(p);
    switch (group) {
    case ChartGroup::Outcome: {
        // DeliveryStatus: 1 sent, 2 deferred, 3 bounced, 4 expired, 5 rejected; named as
        // chartOutcome() names them for the kept numbers.
        std::string out = "CASE " + a + "status";
        for (int status = 1; status <= 5; ++status)
            out += " WHEN " + std::to_string(status) + " THEN '" + chartOutcome(status) + "'";
        return out + " ELSE '" + chartOutcome(0) + "' END";
    }
    case ChartGroup::ReplyCode:
        // replyKey's value, named as replyKeyName names it.
        return "coalesce(CASE " + charttries::replyKeySql(a) + " WHEN " + std::to_string(charttries::DeliveredNoReply) +
            " THEN '" + charttries::DeliveredNoReplyName + "' ELSE CAST(" + charttries::replyKeySql(a) +
            " AS TEXT) END, '')";
    case ChartGroup::EnhancedCode:
        return "coalesce((SELECT name FROM dsns WHERE id = " + a + "dsn_id), '')";
    }
    return "''";
}

// The column a try's group is named from (`p`: the alias): the status, the reply code, the
// enhanced code's id (its text in an older layout read as it is). Counted by ids, named once per
// id afterwards (charttries.h): no string is made or compared per try.
std::string groupColumn(ChartGroup group, const char *p)
{
    switch (group) {
    case ChartGroup::Outcome: return std::string(p) + "status";
    case ChartGroup::ReplyCode: return charttries::replyKeySql(p);
    case ChartGroup::EnhancedCode: return std::string(p) + "dsn_id";
    }
    return "NULL";
}

// Whether the deliveries keep their earlier tries for the chart (layout 10): not in an older
// layout read as it is, whose chart reads the attempts table.
bool deliveriesKeepTries(sql::Database &db)
{
    sql::Statement column(db, "SELECT 1 FROM pragma_table_info('deliveries') WHERE name = 'tries'");
    return column.step();
}

// A try's time: its delivery's last attempt, or the message's last line when the row has none.
// The message's row is read only then (a subquery, not a column of `m`), so that a filter over the
// messages can be tested in one of their indexes alone (the sender's: every sender is in it).
const char *LastTryTime = "coalesce(d.last_attempt, (SELECT s.last_seen FROM messages s WHERE s.id = d.message_id))";

} // namespace

// Whether a delivery's last try (its row's) was a real one, over the attempts table (`p`: the
// delivery's alias, `a`: one for the attempts): a delivery without attempt rows was tried as its
// row says; one with them only if a counted one is at or after the row's last try. After a
// deferral, "delivery temporarily suspended" is a later line that tried nothing: the row's time
// and status are of it, its try is the attempt row before (charttries::lastTryCounted, the blob's
// counterpart). Also the tries filter's (querybuilderlinks.cpp).
// `keptTries`: the rows keep their blob (layout 10 on), NULL exactly for a delivery without
// attempt rows: tested in the row rather than by a search of the attempts.
std::string lastTryCountedSql(const std::string &p, const std::string &a, bool keptTries)
{
    const std::string rows = "SELECT 1 FROM attempts " + a + " WHERE " + a + ".message_id = " + p + "message_id AND " + a +
        ".delivery_idx = " + p + "idx";
    const std::string none = keptTries ? p + "tries IS NULL" : "NOT EXISTS (" + rows + ")";
    return "(" + p + "last_attempt IS NULL OR " + none + " OR EXISTS (" + rows + " AND " + a + ".counted = 1 AND " + a +
        ".time >= " + p + "last_attempt))";
}

namespace {

// The chart's tries of the deliveries `filter` matches, `extra` a further condition, with the
// columns `keys` (each an SQL expression of a last try, over `d.`, and of an earlier one, over
// `a.`), as "t, k0, k1...": the SQL to group, and the builder whose parameters it takes twice.
struct TriesSql {
    std::string sql;
    std::string rangeCondition;  // " AND t >= ..." over the tries' times
    QueryBuilder builder;
};

TriesSql triesSql(const Filter &simplifiedFilter, const std::string &extra,
                  const std::vector<std::pair<std::string, std::string>> &keys, bool keptTries)
{
    Filter filter = simplifiedFilter;
    // The range is of the tries, not of the messages' arrival: a message that came in before the
    // range may be tried, bounce or expire in it. A try falls between its message's first and last
    // line, so the messages that can have one in the range arrived before its end and were last
    // seen after its start; the tries themselves are then kept to the range.
    std::string tries;
    std::string lastSeen = extra.empty() ? std::string() : extra + " AND ";
    if (filter.sinceMs != std::numeric_limits<std::int64_t>::min()) {
        tries += " AND t >= " + std::to_string(filter.sinceMs);
        lastSeen += "m.last_seen >= " + std::to_string(filter.sinceMs) + " AND ";
        filter.sinceMs = std::numeric_limits<std::int64_t>::min();
    }
    if (filter.untilMs != std::numeric_limits<std::int64_t>::max())
        tries += " AND t < " + std::to_string(filter.untilMs);
    // Rows with a try in a range (a segment clicked): the chart shows their tries in that range.
    if (filter.triedSinceMs != std::numeric_limits<std::int64_t>::min())
        tries += " AND t >= " + std::to_string(filter.triedSinceMs);
    if (filter.triedUntilMs != std::numeric_limits<std::int64_t>::max())
        tries += " AND t < " + std::to_string(filter.triedUntilMs);
    QueryBuilder q(Grain::Deliveries, filter);
    const std::string and_ = (q.where().empty() ? " WHERE " : " AND ") + lastSeen;
    std::string lastKeys, earlierKeys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string name = "k" + std::to_string(i);
        lastKeys += ", " + keys[i].first + " AS " + name;
        earlierKeys += ", " + keys[i].second + " AS " + name;
    }
    // A recipient tried once keeps that try in its delivery row only; one tried more often has
    // a row per try in attempts, the last of them the same try as its delivery row. So: every
    // delivery's last try, plus the counted attempts before it ("delivery temporarily
    // suspended" tried nothing and is not counted, nor is a recipient that has only such lines:
    // attempts 0). Queued recipients (status 0) had no try;
    // nor had a discarded, held or deleted message, and an address probe delivered nothing
    // (statuses past 5).
    // An expired recipient's last line may be the giving up, which tried nothing (Exim's "**
    // retry timeout exceeded"): one with attempt rows counts those alone, each counted one.
    // A chain (a content filter's re-injection) counts once: the try that handed a recipient
    // to the next hop (next_hop) is no delivery, the next hop's is; tries it deferred before
    // (the filter down) count as any deferral. StatsFeed::written counts the same from a record.
    // '+': nearly every delivery has a status from 1 to 5; read by the status index, each would
    // then be looked up in the table (a small cache's statistics led the planner there).
    const std::string lastTry = std::string("SELECT ") + LastTryTime + " AS t" + lastKeys +
        " FROM deliveries d JOIN messages m ON m.id = d.message_id" + q.where() + and_ +
        "+d.status BETWEEN 1 AND 5 AND d.next_hop IS NULL AND d.attempts > 0 AND " + lastTryCountedSql("d.", "x", keptTries) +
        " AND (d.status <> 4 OR NOT EXISTS (SELECT 1 FROM attempts x WHERE x.message_id = d.message_id AND "
        "x.delivery_idx = d.idx))";
    // Any delivery with attempt rows may have counted ones before its last: one tried once whose
    // last line tried nothing has its one try there.
    const std::string earlier = "SELECT a.time AS t" + earlierKeys +
        " FROM deliveries d JOIN messages m ON m.id = d.message_id "
        "JOIN attempts a ON a.message_id = d.message_id AND a.delivery_idx = d.idx" +
        q.where() + and_ + (keptTries ? "d.tries IS NOT NULL AND " : "") + "a.counted = 1 AND (a.time < " + LastTryTime +
        " OR d.status = 4)";
    return {lastTry + " UNION ALL " + earlier, tries, std::move(q)};
}

// The chart's tries of the deliveries `filter` matches, `extra` a further condition, grouped by
// minute and by `keys` (as triesSql takes them); `row` is called with each group's statement: the
// minute, the keys, the count.
void groupTries(sql::Database &db, const Filter &simplifiedFilter, const std::string &extra,
                const std::vector<std::pair<std::string, std::string>> &keys, const std::function<void(sql::Statement &)> &row)
{
    const TriesSql tries = triesSql(simplifiedFilter, extra, keys, deliveriesKeepTries(db));
    std::string names;
    for (std::size_t i = 0; i < keys.size(); ++i)
        names += ", k" + std::to_string(i);
    // Integer division truncates toward zero; times are after 1970, so it floors.
    const std::string sql = "SELECT t / 60000 AS minute" + names + ", count(*) FROM (" + tries.sql + ") WHERE 1" +
        tries.rangeCondition + " GROUP BY minute" + names + " ORDER BY minute" + names;
    sql::Statement st(db, sql);
    tries.builder.bind(st, tries.builder.bind(st));
    while (st.step())
        row(st);
}

// The name a group's key value stands for, as groupKey() names it.
std::string keyName(sql::Database &db, ChartGroup group, const TallyCell &key)
{
    if (key.type == TallyCell::Type::Null)
        return group == ChartGroup::Outcome ? chartOutcome(0) : std::string();
    if (key.type == TallyCell::Type::Text)
        return group == ChartGroup::Outcome ? chartOutcome(-1) : key.text;
    switch (group) {
    case ChartGroup::Outcome: return chartOutcome(static_cast<int>(key.number));
    case ChartGroup::ReplyCode: return charttries::replyKeyName(key.number);
    case ChartGroup::EnhancedCode: {
        sql::Statement name(db, "SELECT name FROM dsns WHERE id = ?");
        name.bind(1, key.number);
        return name.step() ? std::string(name.text(0)) : std::string();
    }
    }
    return {};
}


// The chart's tries of the deliveries `filter` matches, `extra` a further condition, in one pass
// over the deliveries (layout 10): each row's last try and the earlier ones its blob keeps, counted
// by mailtrail_chart_tries under the conditions triesSql() puts in SQL. No attempt row is read,
// nor a delivery or message looked up per try.
TriesSql deliveryTriesSql(const Filter &simplifiedFilter, const std::string &extra, ChartGroup group)
{
    Filter filter = simplifiedFilter;
    // The range is of the tries (see triesSql): the messages are kept to those last seen after
    // its start, the tries to the range by the function.
    std::optional<std::int64_t> since, until;
    std::string lastSeen = extra.empty() ? std::string() : extra + " AND ";
    if (filter.sinceMs != std::numeric_limits<std::int64_t>::min()) {
        since = filter.sinceMs;
        lastSeen += "m.last_seen >= " + std::to_string(filter.sinceMs) + " AND ";
        filter.sinceMs = std::numeric_limits<std::int64_t>::min();
    }
    if (filter.untilMs != std::numeric_limits<std::int64_t>::max())
        until = filter.untilMs;
    if (filter.triedSinceMs != std::numeric_limits<std::int64_t>::min())
        since = std::max(since.value_or(filter.triedSinceMs), filter.triedSinceMs);
    if (filter.triedUntilMs != std::numeric_limits<std::int64_t>::max())
        until = std::min(until.value_or(filter.triedUntilMs), filter.triedUntilMs);
    const auto literal = [](const std::optional<std::int64_t> &v) { return v ? std::to_string(*v) : std::string("NULL"); };
    QueryBuilder q(Grain::Deliveries, filter);
    const std::string and_ = (q.where().empty() ? " WHERE " : " AND ") + lastSeen;
    // '+d.status': see triesSql. A row with neither a last try nor earlier ones is not passed.
    // The first two terms are true of every row: without them the planner took the messages first
    // for a filter over them that no index narrows (a sender's substring: every sender read in its
    // index, then each message's deliveries; a time range: the messages' table scanned whole),
    // which at 1 GB took longer than the deliveries in the chart index with each message looked
    // up (docs/store.md, session 13). A filter an index narrows still takes the messages first.
    std::string sql = "SELECT mailtrail_chart_tries(" + std::to_string(static_cast<int>(group)) + ", " +
        literal(since) + ", " + literal(until) + ", d.status, d.attempts, d.next_hop IS NULL, " + LastTryTime + ", " +
        groupColumn(group, "d.") + ", d.tries) FROM deliveries d JOIN messages m ON m.id = d.message_id" + q.where() +
        and_ + "+d.status >= 0 AND d.attempts >= 0 AND "
        "((+d.status BETWEEN 1 AND 5 AND d.next_hop IS NULL AND d.attempts > 0) OR d.tries IS NOT NULL)";
    // A delivery without earlier tries has no try before its last: one last tried before the
    // range is passed over here, in the index, before its message is read (the rows' SQL had
    // SQLite push its range into each half; for the last hour at 1 GB most deliveries end before
    // it). The message is still read for the others: a delivery whose message row is gone counts
    // nothing, as in the rows' SQL (tst_chartsnapshot rowsAfterARowDeleted).
    if (since)
        sql += std::string(" AND (") + LastTryTime + " >= " + std::to_string(*since) + " OR d.tries IS NOT NULL)";
    return {sql, {}, std::move(q)};
}

// The statement whose one row is the tally of the chart's tries of `group` (decodeTally).
sql::Statement tallyStatement(sql::Database &db, const Filter &filter, ChartGroup group, const std::string &extra,
                              const std::string &prefix = {})
{
    addChartFunctions(db);
    if (deliveriesKeepTries(db)) {
        const TriesSql tries = deliveryTriesSql(filter, extra, group);
        sql::Statement st(db, prefix + tries.sql);
        tries.builder.bind(st);
        return st;
    }
    const TriesSql tries = triesSql(filter, extra, {{groupColumn(group, "d."), groupColumn(group, "a.")}}, false);
    // Integer division truncates toward zero; times are after 1970, so it floors.
    sql::Statement st(db, prefix + "SELECT mailtrail_chart_tally(t / 60000, k0) FROM (" + tries.sql + ") WHERE 1" +
                              tries.rangeCondition);
    tries.builder.bind(st, tries.builder.bind(st));
    return st;
}

} // namespace

std::string chartPlan(sql::Database &db, const Filter &filter, ChartGroup group)
{
    sql::Statement st = tallyStatement(db, filter, group, {}, "EXPLAIN QUERY PLAN ");
    std::string plan;
    while (st.step())
        plan += std::string(st.text(3)) + '\n';
    return plan;
}

void countChartRows(sql::Database &db, const Filter &filter, ChartGroup group, const std::string &extra, ChartTally &into)
{
    sql::Statement st = tallyStatement(db, filter, group, extra);
    std::vector<TallyCell> cells;
    if (!st.step() || !decodeTally(st.blob(0), cells))
        throw sql::Error("the chart's count of the tries could not be read", SQLITE_ERROR);
    // Each id named once.
    std::unordered_map<std::string, std::string> names;
    for (const TallyCell &cell : cells) {
        const std::string id = cell.type == TallyCell::Type::Integer ? std::to_string(cell.number)
            : cell.type == TallyCell::Type::Null                     ? "n"
                                                                     : "t" + cell.text;
        auto [it, added] = names.try_emplace(id);
        if (added)
            it->second = keyName(db, group, cell);
        into.add(group, cell.minute, it->second, cell.count);
    }
}

void countChartRows(sql::Database &db, const Filter &filter, ChartKept &closed, ChartKept &open)
{
    constexpr ChartGroup Groups[] = {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode};
    std::vector<std::pair<std::string, std::string>> keys;
    for (ChartGroup group : Groups)
        keys.emplace_back(groupKey(group, "d."), groupKey(group, "a."));
    // A last try is never a hand-over's; an earlier one may be.
    keys.emplace_back("0", "d.next_hop IS NOT NULL");
    keys.emplace_back("m.open", "m.open");
    Filter every = filter;
    every.chains = false;
    groupTries(db, every, {}, keys, [&](sql::Statement &st) {
        ChartKept &kept = st.int64(5) != 0 ? open : closed;
        ChartTally &tally = st.int64(4) != 0 ? kept.handOvers : kept.final;
        for (std::size_t g = 0; g < 3; ++g)
            tally.add(Groups[g], st.int64(0), st.text(static_cast<int>(g) + 1), st.int64(6));
    });
}

ChartData Cache::chartData(const Filter &requested, ChartGroup group, bool fromRows)
{
    ChartData out;
    prepareTextFilter(requested);
    const Filter filter = simplified(requested, true);
    try {
        ChartTally tally;
        if (filter.isEmpty() && !fromRows)
            out.fromKept = chartOfWhole(filter.chains, group, tally);
        else if (const auto index = memoryIndexFor(filter, true)) {
            if (MemoryIndex::chartsSelection(filter))
                index->chart(memorySelection(index, filter), group, tally);  // the table's selection
            else
                index->chart(filter, group, tally);
        }
        else
            countChartRows(*m_db, filter, group, {}, tally);
        out.cells = tally.list(group);
    } catch (const sql::Error &e) {
        m_error = e.what();
        out.error = e.what();
        out.cells.clear();
    }
    return out;
}

bool Cache::chartOfWhole(bool chains, ChartGroup group, ChartTally &out)
{
    StatsSnapshot::State state;
    ChartKept closed, open;
    bool keep = false;
    {
        // The state, the parts and the rows read at one moment: an import may commit meanwhile.
        sql::Transaction read(*m_db, sql::Transaction::Read);
        state = StatsSnapshot::current(*m_db);
        // A layout-10 file read as it is keeps a chart that counted a last line that tried
        // nothing (schema.cpp, layout 11): not used.
        if (state.layout >= 11 && StatsSnapshot::loadChart(*m_db, state, closed)) {
            out = closed.view(chains);
            // The open messages (the queue at the end of the logs, found by their index) are in
            // no part.
            Filter openOnes;
            openOnes.chains = chains;
            countChartRows(*m_db, openOnes, group, "m.open = 1", out);
            read.commit();
            return true;
        }
        // Every stacking and view at once, so that what the parts lack can be kept beside them.
        countChartRows(*m_db, Filter{}, closed, open);
        keep = state.messages > 0 && StatsSnapshot::describes(*m_db, state);
        read.commit();
    }
    out = closed.view(chains);
    out.merge(open.view(chains));
    // The summary's numbers describe the cache but hold none of the chart's (a summary counted
    // the rows, or an older build imported): the chart's of the same messages are kept beside
    // them for the next time, when the cache can be written and no import holds it (never waited
    // for). Not in a cache of an older layout read as it is.
    if (!keep || state.layout != schema::CurrentVersion)
        return false;
    const std::string error = m_error;
    writeUnderLock(false, [&](sql::Database &writer) {
        sql::Transaction tx(writer);
        if (!(StatsSnapshot::current(writer) == state) || !StatsSnapshot::describes(writer, state))
            return;
        StatsSnapshot::setChart(writer, StatsSnapshot::encodeChart(closed));
        tx.commit();
    });
    m_error = error;
    return false;
}

} // namespace mailtrail
