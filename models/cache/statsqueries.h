// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"

#include <string>

namespace mailtrail {

class Cache;

// The summary of a filter: totals, traffic per hour and day, top lists, reasons, rejects, security
// and connectivity problems, delays. One pass over the filtered messages and one over their
// deliveries feed a StatsTally, which counts and groups in memory (one entry per group: sender,
// domain, hour...; no row is kept); the incidents are aggregated by SQLite.
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
    const std::string &error() const { return m_error; }

private:
    Cache &m_cache;
    std::string m_error;
    int m_top = 10;
};

} // namespace mailtrail
