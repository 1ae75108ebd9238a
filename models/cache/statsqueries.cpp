// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statsqueries.h"

#include "cache/cache.h"
#include "cache/naturalorder.h"
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/sqlite.h"
#include "cache/statssnapshot.h"
#include "cache/statstally.h"

#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace mailtrail {

namespace {

// A read transaction (sql::Transaction takes the write lock): one snapshot of the file for
// every statement inside it.
class ReadTransaction
{
public:
    explicit ReadTransaction(sql::Database &db)
        : m_db(db)
    {
        m_db.exec("BEGIN");
    }
    ~ReadTransaction()
    {
        try {
            m_db.exec(m_done ? "COMMIT" : "ROLLBACK");
        } catch (const sql::Error &) {
            // Nothing was written: ending it cannot lose anything.
        }
    }
    void commit() { m_done = true; }

private:
    sql::Database &m_db;
    bool m_done = false;
};

// The integer values of the enums as the cache stores them (see records.h and event.h).
// A hop of a chain after its first (a content filter's re-injection, a relay of the log set).
constexpr const char *LaterHop = "(m.chain_id IS NOT NULL AND m.chain_id <> m.id)";

std::optional<std::string_view> optionalText(const sql::Statement &st, int col)
{
    if (st.isNull(col))
        return std::nullopt;
    return st.text(col);
}

std::optional<std::int64_t> optionalInt(const sql::Statement &st, int col)
{
    if (st.isNull(col))
        return std::nullopt;
    return st.int64(col);
}

class Run
{
public:
    // `listed`: the temp table of the chains the filter lists (QueryBuilder::listedChains), if filled.
    Run(sql::Database &db, const Filter &filter, int top, const std::string &listed = {})
        : m_db(db)
        , m_filter(filter)
        , m_messages(QueryBuilder::chainMembers(Grain::Messages, filter, listed))
        , m_deliveries(QueryBuilder::chainMembers(Grain::Deliveries, filter, listed))
        , m_top(top)
    {
        addNaturalCollation(db);  // the top lists' ties, as StatsTally orders them
    }

    // One pass over the filtered messages and one over their deliveries (with the attempt rows of
    // the few recipients tried more than once, read before), every number counted in C++ from
    // there; then the incidents, which belong to no message. The seventeen queries before, each a
    // pass of its own with a sort for its groups, took about as long as the import.
    void all(Stats &s)
    {
        StatsTally tally(m_top);
        count(tally, nullptr);
        finish(tally, s);
    }

    // The messages no longer open into `closed`, the open ones into `open` (all into `closed`
    // without it); `extra`: a condition on m added to the filter's.
    void count(StatsTally &closed, StatsTally *open, const std::string &extra = {})
    {
        m_extra = extra;
        std::unordered_set<std::int64_t> openIds;
        messages(closed, open, openIds);
        deliveries(closed, open ? open : &closed, openIds, attempts());
        m_kept.clear();
    }

    // The numbers of the tally, and those of the incidents.
    void finish(StatsTally &tally, Stats &s)
    {
        tally.finish(s);
        security(s);
        clientIncidents(s);
    }

private:
    sql::Database &m_db;
    const Filter &m_filter;
    QueryBuilder m_messages;
    QueryBuilder m_deliveries;
    int m_top;
    std::string m_extra;
    std::deque<std::string> m_kept;  // the deferred tries' texts; a deque never moves them

    std::string where(const QueryBuilder &q) const
    {
        if (m_extra.empty())
            return q.where();
        return q.where() + (q.where().empty() ? " WHERE " : " AND ") + m_extra;
    }

    // Runs SELECT ... over the filtered messages (or deliveries), the filter's parameters bound.
    void each(const QueryBuilder &q, const std::string &sql, const std::function<void(sql::Statement &)> &row)
    {
        sql::Statement st(m_db, sql);
        q.bind(st);
        while (st.step())
            row(st);
    }
    std::string limit() const { return " LIMIT " + std::to_string(m_top); }

    void messages(StatsTally &closed, StatsTally *open, std::unordered_set<std::int64_t> &openIds)
    {
        each(m_messages,
             "SELECT m.first_seen, m.utc_offset, " + QueryBuilder::receivedCondition() + ", m.sender, m.size, m.state, m.open, " + LaterHop +
                 ", m.id FROM messages m" + where(m_messages),
             [&](sql::Statement &st) {
                 StatsMessageRow row;
                 row.firstSeenMs = st.int64(0);
                 row.utcOffsetSec = st.integer(1);
                 row.received = st.int64(2) != 0;
                 row.sender = optionalText(st, 3);
                 row.size = optionalInt(st, 4);
                 row.state = st.integer(5);
                 row.laterHop = st.int64(7) != 0;
                 // Which tally, not what it counts: still queued is a state (StatsTally::addMessage).
                 const bool isOpen = open && st.int64(6) != 0;
                 if (isOpen)
                     openIds.insert(st.int64(8));
                 (isOpen ? *open : closed).addMessage(row);
             });
    }

    // The attempt rows of the filtered deliveries, by (message, index): few (recipients tried
    // more than once), so read from their table first, each delivery and message looked up by key.
    using TryKey = std::pair<std::int64_t, std::int64_t>;
    struct TryKeyHash {
        std::size_t operator()(const TryKey &k) const { return std::hash<std::int64_t>{}(k.first * 1000003 + k.second); }
    };
    using Attempts = std::unordered_map<TryKey, std::vector<StatsTry>, TryKeyHash>;

    Attempts attempts()
    {
        Attempts out;
        const std::string where = this->where(m_deliveries);
        // The reply of the deferred tries only: each counts in the reasons. CROSS JOIN keeps
        // attempts the outer loop (SQLite does not reorder it).
        each(m_deliveries,
             "SELECT a.message_id, a.delivery_idx, a.time, a.status, a.counted, mailtrail_reply(a.reply_text) LIKE 'forwarded as %', "
             "CASE WHEN a.status = 2 THEN coalesce(a.reply_code, 0) END, CASE WHEN a.status = 2 THEN " + schema::dsnOf("a") +
             " END, CASE WHEN a.status = 2 THEN ar.name END, CASE WHEN a.status = 2 THEN mailtrail_reply(a.reply_text) END "
             "FROM attempts a CROSS JOIN deliveries d ON d.message_id = a.message_id AND d.idx = a.delivery_idx "
             "CROSS JOIN messages m ON m.id = d.message_id LEFT JOIN relays ar ON ar.id = a.relay_id" + where,
             [&](sql::Statement &st) {
                 std::optional<int> forwarded;
                 if (!st.isNull(5))
                     forwarded = st.integer(5);
                 const bool deferred = st.integer(3) == 2;
                 out[{st.int64(0), st.int64(1)}].push_back(
                     StatsTry{st.int64(2), st.integer(3), st.int64(4) == 1, forwarded, deferred ? st.integer(6) : 0,
                              deferred ? kept(st, 7).value_or(std::string_view()) : std::string_view(),
                              deferred ? kept(st, 8) : std::nullopt, deferred ? kept(st, 9) : std::nullopt});
             });
        return out;
    }

    // A text of the current row kept until the pass ends (the tries are read before their deliveries).
    std::optional<std::string_view> kept(const sql::Statement &st, int col)
    {
        if (st.isNull(col))
            return std::nullopt;
        return m_kept.emplace_back(st.text(col));
    }

    void deliveries(StatsTally &closed, StatsTally *open, const std::unordered_set<std::int64_t> &openIds, const Attempts &tries)
    {
        // The reply text only where a count reads it: of a problem, and of a sent delivery without
        // a relay (its host is the one a connection failure names); most texts are of sent ones.
        // The enhanced code of the reasons only.
        const std::string sql =
            "SELECT d.message_id, d.idx, d.status, d.forwarded, d.recipient, coalesce(d.reply_code, 0), "
            "CASE WHEN d.status IN (2, 3, 4) THEN " + schema::dsnOf("d") + " END, "
            "CASE WHEN d.status IN (2, 3, 4, 5) OR (d.status = 1 AND (r.name IS NULL OR r.name = 'none')) "
            "THEN mailtrail_reply(d.reply_text, d.recipient) END, r.name, d.last_attempt, d.attempts, "
            // A later hop's recipients arrived with the chain's first hop (only their delay reads it).
            "CASE WHEN " + std::string(LaterHop) + " THEN coalesce((SELECT f.first_seen FROM messages f "
            "WHERE f.id = m.chain_id), m.first_seen) ELSE m.first_seen END, m.last_seen, m.utc_offset, m.size, "
            "mailtrail_ip(m.client_ip), CASE WHEN d.status = 5 THEN mailtrail_text(m.client_host) END, coalesce(d.next_hop, 0), "
            "coalesce(m.chain_id, m.id) "
            "FROM deliveries d JOIN messages m ON m.id = d.message_id LEFT JOIN relays r ON r.id = d.relay_id" +
            where(m_deliveries);
        each(m_deliveries, sql, [&](sql::Statement &st) {
            StatsDeliveryRow row;
            row.messageKey = st.int64(18);
            row.status = st.integer(2);
            if (!st.isNull(3))
                row.forwarded = st.integer(3);
            row.recipient = optionalText(st, 4);
            row.replyCode = st.integer(5);
            row.dsn = st.text(6);
            row.replyText = optionalText(st, 7);
            row.relay = optionalText(st, 8);
            row.lastAttemptMs = optionalInt(st, 9);
            row.attempts = st.integer(10);
            row.arrivalMs = st.int64(11);
            row.lastSeenMs = st.int64(12);
            row.utcOffsetSec = st.integer(13);
            row.size = optionalInt(st, 14);
            row.clientIp = optionalText(st, 15);
            row.clientHost = st.text(16);
            row.handOver = st.int64(17) != 0;
            const auto it = tries.empty() ? tries.end() : tries.find({st.int64(0), st.int64(1)});
            StatsTally &tally = !openIds.empty() && openIds.contains(st.int64(0)) ? *open : closed;
            tally.addDelivery(row, it == tries.end() ? nullptr : &it->second);
        });
    }

    // Incidents belong to no message: of the filter, only the time range, the host (?1) and the
    // files apply to them.
    std::string incidentWhere(const std::string &kinds) const
    {
        std::string where = " WHERE i.kind IN (" + kinds + ")";
        if (m_filter.sinceMs != std::numeric_limits<std::int64_t>::min())
            where += " AND i.time >= " + std::to_string(m_filter.sinceMs);
        if (m_filter.untilMs != std::numeric_limits<std::int64_t>::max())
            where += " AND i.time < " + std::to_string(m_filter.untilMs);
        // A range of tries (a chart's bar, the Summary's peak) is a span of time for lines of no
        // message too: they stood for the whole log beside totals it narrowed.
        if (m_filter.triedSinceMs != std::numeric_limits<std::int64_t>::min())
            where += " AND i.time >= " + std::to_string(m_filter.triedSinceMs);
        if (m_filter.triedUntilMs != std::numeric_limits<std::int64_t>::max())
            where += " AND i.time < " + std::to_string(m_filter.triedUntilMs);
        if (!m_filter.fileIds.empty()) {
            std::string in;
            for (std::int64_t id : m_filter.fileIds)
                in += (in.empty() ? "" : ",") + std::to_string(id);
            where += " AND i.file_id IN (" + in + ")";
        }
        if (!m_filter.host.empty())
            where += " AND i.host_id = (SELECT id FROM hosts WHERE name = ?1)";
        return where;
    }

    // Each row of an incident query whose WHERE is incidentWhere()'s (its host is ?1).
    void incidentRows(const std::string &sql, const std::function<void(sql::Statement &)> &row)
    {
        sql::Statement st(m_db, sql);
        if (!m_filter.host.empty())
            st.bind(1, std::string_view(m_filter.host));
        while (st.step())
            row(st);
    }

    // The login a SASL failure names ("sasl_username=NAME"), "" when none.
    static std::string incidentUser()
    {
        const std::string user = "substr(i.detail, instr(i.detail, 'sasl_username=') + 14)";
        return "CASE WHEN instr(i.detail, 'sasl_username=') > 0 THEN rtrim(substr(" + user + ", 1, instr(" + user +
            " || ',', ',') - 1)) ELSE '' END";
    }

    void clientIncidents(Stats &s)
    {
        const std::string where = incidentWhere("2, 3, 4");
        incidentRows("SELECT i.kind, count(*) FROM incidents i" + where + " GROUP BY 1", [&](sql::Statement &st) {
            const std::int64_t n = st.int64(1);
            switch (st.integer(0)) {
            case 2: s.clientWarnings = n; break;
            case 3: s.lostConnections = n; break;
            default: s.screened = n; break;
            }
        });
        // A client postscreen turned away has a line for each test it failed: the clients, once each.
        incidentRows("SELECT count(DISTINCT i.client_ip) FROM incidents i" + incidentWhere("4"),
                     [&](sql::Statement &st) { s.screenedClients = st.int64(0); });
        incidentRows("SELECT coalesce(i.client_ip, ''), i.kind, count(*), min(i.time), max(i.time) FROM incidents i" + where +
                " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2" + limit(),
            [&](sql::Statement &st) {
                s.clientIncidents.push_back(StatsSource{std::string(st.text(0)), incidentKindName(st.integer(1)), st.int64(2),
                                                        st.int64(3), st.int64(4), st.integer(1)});
            });
    }

public:
    void incidents(const IncidentQuery &query, std::int64_t limit, std::int64_t skip, std::vector<IncidentLine> &out)
    {
        std::string kinds;
        for (int k : query.kinds)
            kinds += (kinds.empty() ? "" : ", ") + std::to_string(k);
        std::string where = incidentWhere(kinds.empty() ? "1, 2, 3, 4" : kinds);
        // After the host's ?1: the client and the login, when asked for.
        int next = 2;
        const int ip = query.clientIp.empty() ? 0 : next++;
        const int prefix = query.clientPrefix.empty() ? 0 : next++;
        const int user = query.user.empty() ? 0 : next++;
        if (ip)
            where += " AND i.client_ip = ?" + std::to_string(ip);
        if (prefix)
            where += " AND substr(i.client_ip, 1, length(?" + std::to_string(prefix) + ")) = ?" + std::to_string(prefix);
        if (user)
            where += " AND " + incidentUser() + " = ?" + std::to_string(user);
        // The incidents table keeps no offset from UTC: the log's is its last message's before
        // the line (else its first after), found walking the time index from the line's time.
        const std::string offsetOf = "coalesce((SELECT m.utc_offset FROM messages m WHERE m.first_seen <= i.time AND "
                                     "m.file_id = i.file_id ORDER BY m.first_seen DESC LIMIT 1), (SELECT m.utc_offset FROM "
                                     "messages m WHERE m.first_seen > i.time AND m.file_id = i.file_id ORDER BY m.first_seen "
                                     "LIMIT 1), 0)";
        sql::Statement st(m_db, "SELECT i.time, i.kind, coalesce(h.name, ''), coalesce(i.client_host, ''), coalesce(i.client_ip, ''), " +
                                    incidentUser() + ", coalesce(i.detail, ''), i.file_id, i.offset, " + offsetOf +
                                    " FROM incidents i LEFT JOIN hosts h ON h.id = i.host_id" + where +
                                    " ORDER BY i.time, i.id LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(skip));
        if (!m_filter.host.empty())
            st.bind(1, std::string_view(m_filter.host));
        if (ip)
            st.bind(ip, std::string_view(query.clientIp));
        if (prefix)
            st.bind(prefix, std::string_view(query.clientPrefix));
        if (user)
            st.bind(user, std::string_view(query.user));
        while (st.step()) {
            out.push_back(IncidentLine{st.int64(0), st.integer(1), std::string(st.text(2)), std::string(st.text(3)),
                                       std::string(st.text(4)), std::string(st.text(5)), std::string(st.text(6)), st.int64(7),
                                       st.int64(8), st.integer(9)});
        }
    }

private:
    // Authentication failures belong to no message: of the filter, only the time range, the host
    // and the files apply to them.
    void security(Stats &s)
    {
        const std::string where = incidentWhere("1");
        // "... authentication failed: UGFzc3dvcmQ6": failed at the prompt "Password:" (saslprompt.h).
        incidentRows("SELECT count(*), count(DISTINCT nullif(i.client_ip, '')), coalesce(sum(i.detail GLOB '*: UGFzc3dvcmQ6'), 0), "
                     "coalesce(min(i.time), 0), coalesce(sum(coalesce(i.client_ip, '') = ''), 0) FROM incidents i" + where,
                     [&](sql::Statement &st) {
            s.authFailures = st.int64(0);
            s.authFailureClients = st.int64(1);
            s.authFailuresAtPassword = st.int64(2);
            s.authFailuresLocal = st.int64(4);
            // A failed login is a problem, and may come before any message.
            if (const std::int64_t first = st.int64(3); first > 0) {
                if (s.firstProblemMs == 0 || first < s.firstProblemMs)
                    s.firstProblemMs = first;
                if (s.firstSeenMs == 0 || first < s.firstSeenMs)
                    s.firstSeenMs = first;
            }
        });
        auto source = [](std::vector<StatsSource> &out) {
            return [&out](sql::Statement &st) {
                out.push_back(StatsSource{std::string(st.text(0)), std::string(st.text(1)), st.int64(2), st.int64(3), st.int64(4), 1});
            };
        };
        // By client: the failures of a client on the network, as authFailureClients counts them;
        // a local caller's (Exim's "authenticator failed for U=CALLER") is none.
        incidentRows("SELECT i.client_ip, max(coalesce(i.client_host, '')), count(*), min(i.time), max(i.time) "
            "FROM incidents i" + where + " AND i.client_ip <> '' GROUP BY 1 ORDER BY 3 DESC, 1 COLLATE mailtrail_natural" + limit(),
            source(s.authFailuresByClient));
        // Postfix names the login tried only with smtpd_sasl_... logging "sasl_username=NAME".
        // A login tried from several clients names how many, not one of them picked by max().
        incidentRows("SELECT " + incidentUser() + ", "
            "CASE WHEN count(DISTINCT i.client_ip) > 1 THEN count(DISTINCT i.client_ip) || ' clients' "
            "ELSE coalesce(max(i.client_ip), '') END, "
            "count(*), min(i.time), max(i.time) FROM incidents i" + where +
                " AND instr(i.detail, 'sasl_username=') > 0 GROUP BY 1 ORDER BY 3 DESC, 1 COLLATE mailtrail_natural" + limit(),
            source(s.authFailuresByUser));
    }

};

} // namespace

bool StatsQueries::incidents(const Filter &requested, const IncidentQuery &query, std::int64_t limit,
                            std::vector<IncidentLine> &out, std::int64_t skip)
{
    out.clear();
    m_error.clear();
    const Filter filter = m_cache.simplified(requested);
    try {
        Run(*m_cache.m_db, filter, m_top).incidents(query, limit, skip, out);
        return true;
    } catch (const sql::Error &e) {
        m_error = e.what();
        return false;
    }
}

bool StatsQueries::rejectedMessagesOf(const std::vector<std::string> &ips, std::size_t limit,
                                     std::map<std::string, std::vector<std::int64_t>> &out)
{
    out.clear();
    m_error.clear();
    if (ips.empty())
        return true;
    // The rejects are few and read by the status index; their messages are looked up by rowid.
    std::string in;
    for (std::size_t i = 0; i < ips.size(); ++i)
        in += (i ? ", ?" : "?") + std::to_string(i + 1);
    try {
        sql::Statement st(*m_cache.m_db, "SELECT DISTINCT mailtrail_ip(m.client_ip), m.id FROM deliveries d JOIN messages m "
                                         "ON m.id = d.message_id WHERE d.status = 5 AND mailtrail_ip(m.client_ip) IN (" + in +
                                         ") ORDER BY m.id");
        for (std::size_t i = 0; i < ips.size(); ++i)
            st.bind(static_cast<int>(i + 1), std::string_view(ips[i]));
        while (st.step()) {
            std::vector<std::int64_t> &ids = out[std::string(st.text(0))];
            if (ids.size() < limit)
                ids.push_back(st.int64(1));
        }
        return true;
    } catch (const sql::Error &e) {
        m_error = e.what();
        return false;
    }
}

const char *incidentKindName(int kind)
{
    switch (kind) {
    case 1: return "SASL failure";
    case 2: return "client warning";
    case 3: return "lost connection";
    case 4: return "screened";
    }
    return "incident";
}

bool StatsQueries::compute(const Filter &requested, Stats &out)
{
    out = Stats{};
    m_error.clear();
    m_source = Source::Rows;
    m_cache.prepareTextFilter(requested);
    // The summary counts a content filter's chain once, as the table lists it: a status, code or
    // text filter selects the chains the table lists (a chain's state is its last hop's), then
    // counts every hop of them (its arrival on the first, its deliveries on the last). Counted hop
    // by hop, "deferred" found only the later hop: 0 messages received where the table listed the
    // chain. Without chains in the cache, the plain queries.
    Filter asked = requested;
    asked.chains = true;
    const Filter filter = m_cache.simplified(asked);
    try {
        if (filter.isEmpty() && !m_fromRows) {
            Filter every = filter;
            every.chains = false;  // every hop of every chain: the kept numbers' way
            whole(every, out);
        } else {
            // The chains the table lists, gathered once for the three passes (the messages, the
            // tries, the deliveries), each of which gathered them again and tested every row
            // against them.
            std::string listed;
            if (const auto chains = QueryBuilder::listedChains(filter)) {
                m_cache.fillTempIds("stats_chains", chains->select,
                                    [&](sql::Statement &fill) { QueryBuilder::bind(fill, chains->params); });
                listed = "stats_chains";
            }
            Run(*m_cache.m_db, filter, m_top, listed).all(out);
        }
        return true;
    } catch (const sql::Error &e) {
        m_error = e.what();
        return false;
    }
}

void StatsQueries::whole(const Filter &filter, Stats &out)
{
    sql::Database &db = *m_cache.m_db;
    Run run(db, filter, m_top);
    StatsTally tally(m_top);
    std::string counted;
    StatsSnapshot::State state;
    {
        // The state, the parts and the rows read at one moment: an import may commit meanwhile.
        ReadTransaction read(db);
        state = StatsSnapshot::current(db);
        if (StatsSnapshot::load(db, state, tally, &m_parts)) {
            // The open messages (the queue at the end of the logs) are in no part.
            run.count(tally, nullptr, "m.open = 1");
            m_source = Source::Snapshot;
        } else {
            tally = StatsTally(m_top);  // what a part that could not be read left
            StatsTally open(m_top);
            run.count(tally, &open);
            counted = StatsSnapshot::encode(tally);
            tally.merge(open);
        }
        read.commit();
    }
    run.finish(tally, out);
    // Not in a cache of an older layout read as it is: the build that wrote it knows no such table.
    if (m_source == Source::Snapshot || state.layout != schema::CurrentVersion)
        return;
    // Kept for the next summary when the cache can be written and no import holds it (never
    // waited for); rows changed since the count leave it as it was.
    const std::string error = m_cache.m_error;
    m_cache.writeUnderLock(false, [&](sql::Database &writer) {
        sql::Transaction tx(writer);
        if (!(StatsSnapshot::current(writer) == state))
            return;
        StatsSnapshot::clear(writer);
        StatsSnapshot::append(writer, state, counted);
        tx.commit();
    });
    m_cache.m_error = error;
}

void countStatsRows(sql::Database &db, const Filter &filter, StatsTally &closed, StatsTally *open)
{
    Run(db, filter, 0).count(closed, open);
}

} // namespace mailtrail
