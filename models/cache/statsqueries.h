// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"

#include <map>
#include <string>
#include <vector>

namespace mailtrail {

class Cache;
class StatsTally;

namespace sql {
class Database;
}

// The summary of a filter: totals, traffic per hour and day, top lists, reasons, rejects, security
// and connectivity problems, delays. One pass over the filtered messages and one over their
// deliveries feed a StatsTally, which counts and groups in memory (one entry per group: sender,
// domain, hour...; no row is kept); the incidents are aggregated by SQLite. Without a filter, the
// messages no longer open are counted by the imports that wrote them (StatsSnapshot) while those
// numbers still describe the cache, and only the open ones are read; otherwise the rows are
// counted, and kept for the next time.
class StatsQueries
{
public:
    explicit StatsQueries(Cache &cache)
        : m_cache(cache) {}

    // How many lines each list keeps.
    void setTopLimit(int n) { m_top = n; }

    // False with error() set when a query failed; `out` is then incomplete.
    bool compute(const Filter &filter, Stats &out);
    // The incidents the filter's time range, host and files hold, that `query` asks for, oldest
    // first, at most `limit` after the first `skip`. False with error() set when the query failed.
    bool incidents(const Filter &filter, const IncidentQuery &query, std::int64_t limit, std::vector<IncidentLine> &out,
                   std::int64_t skip = 0);
    // The messages with a rejected recipient from each of these client IPs (at most `limit` each),
    // by IP: what a count of rejects by client lists, with the rest of the filter applied on top.
    // False with error() set when the query failed.
    bool rejectedMessagesOf(const std::vector<std::string> &ips, std::size_t limit,
                            std::map<std::string, std::vector<std::int64_t>> &out);
    const std::string &error() const { return m_error; }

    // Count every number from the rows, even without a filter (to check the kept ones).
    void setFromRows(bool fromRows) { m_fromRows = fromRows; }
    enum class Source { Rows, Snapshot };
    // What the last compute() counted from; for Snapshot, how many parts it merged.
    Source source() const { return m_source; }
    int snapshotParts() const { return m_parts; }

private:
    void whole(const Filter &filter, Stats &out);

    Cache &m_cache;
    std::string m_error;
    int m_top = 10;
    bool m_fromRows = false;
    Source m_source = Source::Rows;
    int m_parts = 0;
};

// The rows `filter` selects, counted into `closed`, or, those of open messages, into `open` when
// given. Throws sql::Error.
void countStatsRows(sql::Database &db, const Filter &filter, StatsTally &closed, StatsTally *open);

} // namespace mailtrail
