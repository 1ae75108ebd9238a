// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The status chart's aggregation: delivery tries per minute and per outcome or code, in SQL.
#include "cache/cache.h"

#include "cache/querybuilder.h"
#include "cache/sqlite.h"

#include <limits>
#include <string>

namespace mailtrail {

namespace {

// The group of a try from its status, reply code and enhanced code columns (`p`: the alias).
std::string groupKey(ChartGroup group, const char *p)
{
    const std::string a(p);
    switch (group) {
    case ChartGroup::Outcome:
        // DeliveryStatus: 1 sent, 2 deferred, 3 bounced, 4 expired, 5 rejected.
        return "CASE " + a + "status WHEN 1 THEN 'delivered' WHEN 2 THEN 'deferred' WHEN 5 THEN 'rejected' "
                             "ELSE 'bounced' END";
    case ChartGroup::ReplyCode:
        return "coalesce(CAST(" + a + "reply_code AS TEXT), '')";
    case ChartGroup::EnhancedCode:
        return "coalesce((SELECT name FROM dsns WHERE id = " + a + "dsn_id), '')";
    }
    return "''";
}

} // namespace

ChartData Cache::chartData(const Filter &requested, ChartGroup group)
{
    ChartData out;
    prepareTextFilter(requested);
    Filter filter = simplified(requested);
    // The range is of the tries, not of the messages' arrival: a message that came in before the
    // range may be tried, bounce or expire in it. A try falls between its message's first and last
    // line, so the messages that can have one in the range arrived before its end and were last
    // seen after its start; the tries themselves are then kept to the range.
    std::string tries;
    std::string lastSeen;
    if (filter.sinceMs != std::numeric_limits<std::int64_t>::min()) {
        tries += " AND t >= " + std::to_string(filter.sinceMs);
        lastSeen = "m.last_seen >= " + std::to_string(filter.sinceMs) + " AND ";
        filter.sinceMs = std::numeric_limits<std::int64_t>::min();
    }
    if (filter.untilMs != std::numeric_limits<std::int64_t>::max())
        tries += " AND t < " + std::to_string(filter.untilMs);
    // Rows with a try in a range (a segment clicked): the chart shows their tries in that range.
    if (filter.triedSinceMs != std::numeric_limits<std::int64_t>::min())
        tries += " AND t >= " + std::to_string(filter.triedSinceMs);
    if (filter.triedUntilMs != std::numeric_limits<std::int64_t>::max())
        tries += " AND t < " + std::to_string(filter.triedUntilMs);
    try {
        QueryBuilder q(Grain::Deliveries, filter);
        const std::string and_ = (q.where().empty() ? " WHERE " : " AND ") + lastSeen;
        // A recipient tried once keeps that try in its delivery row only; one tried more often has
        // a row per try in attempts, the last of them the same try as its delivery row. So: every
        // delivery's last try, plus the counted attempts before it ("delivery temporarily
        // suspended" tried nothing and is not counted, nor is a recipient that has only such lines:
        // attempts 0). Queued recipients (status 0) had no try;
        // nor had a discarded, held or deleted message, and an address probe delivered nothing
        // (statuses past 5).
        // A chain (a content filter's re-injection) counts once: the try that handed a recipient
        // to the next hop (next_hop) is no delivery, the next hop's is; tries it deferred before
        // (the filter down) count as any deferral.
        const std::string lastTry = "SELECT coalesce(d.last_attempt, m.last_seen) AS t, " + groupKey(group, "d.") +
            " AS k FROM deliveries d JOIN messages m ON m.id = d.message_id" + q.where() + and_ +
            "d.status BETWEEN 1 AND 5 AND d.next_hop IS NULL AND d.attempts > 0";
        const std::string earlier = "SELECT a.time AS t, " + groupKey(group, "a.") +
            " AS k FROM deliveries d JOIN messages m ON m.id = d.message_id "
            "JOIN attempts a ON a.message_id = d.message_id AND a.delivery_idx = d.idx" +
            q.where() + and_ + "d.attempts > 1 AND a.counted = 1 AND a.time < coalesce(d.last_attempt, m.last_seen)";
        // Integer division truncates toward zero; times are after 1970, so it floors.
        const std::string sql = "SELECT t / 60000 AS minute, k, count(*) FROM (" + lastTry + " UNION ALL " + earlier +
            ") WHERE 1" + tries + " GROUP BY minute, k ORDER BY minute, k";
        sql::Statement st(*m_db, sql);
        q.bind(st, q.bind(st));
        while (st.step())
            out.cells.push_back({st.int64(0), std::string(st.text(1)), st.int64(2)});
    } catch (const sql::Error &e) {
        m_error = e.what();
        out.error = e.what();
        out.cells.clear();
    }
    return out;
}

} // namespace mailtrail
