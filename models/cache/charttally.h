// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/chartdata.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
}
struct Filter;

// The status chart's tries per minute, for each of its three stackings (outcome, reply code,
// enhanced code): what the imports keep of the messages no longer open (StatsFeed, StatsSnapshot)
// so that the unfiltered chart need not group every try of the cache. Counts add, so the tallies of
// disjoint sets of messages merge into the tally of both.
class ChartTally
{
public:
    using Cells = std::map<std::pair<std::int64_t, std::string>, std::int64_t>;  // (minute, key) -> tries

    void add(ChartGroup group, std::int64_t minute, std::string_view key, std::int64_t count = 1);
    void merge(const ChartTally &other);
    bool empty() const;
    const Cells &cells(ChartGroup group) const { return m_cells[index(group)]; }
    // The cells of `group` as the chart's query answers them: ordered by minute, then key.
    std::vector<ChartCell> list(ChartGroup group) const;

private:
    static std::size_t index(ChartGroup group) { return static_cast<std::size_t>(group); }
    Cells m_cells[3];
};

// What the imports keep for the chart. A chain's hand-over to its next hop is no delivery: its last
// try is never counted, and the tries before it only when every hop is shown (Filter::chains off).
// So the tries of the view of chains, and apart, those the view of every hop adds.
struct ChartKept {
    ChartTally final;
    ChartTally handOvers;
    void merge(const ChartKept &other)
    {
        final.merge(other.final);
        handOvers.merge(other.handOvers);
    }
    // The chart of the view of chains (`chains`) or of every hop.
    ChartTally view(bool chains) const
    {
        ChartTally out = final;
        if (!chains)
            out.merge(handOvers);
        return out;
    }
};

// The outcome the chart stacks a try of this DeliveryStatus under (ChartGroup::Outcome's keys).
std::string chartOutcome(int status);
// The SQL condition that a delivery's last try (alias `p`, with its dot) was a real one, its
// attempt rows searched under alias `a` (chartqueries.cpp says when it is not).
std::string lastTryCountedSql(const std::string &p, const std::string &a, bool keptTries);

// Adds the chart's tries of `group` of the deliveries `filter` (through Cache::simplified) matches,
// `extra` a further SQL condition over their messages `m` and deliveries `d` ("m.open = 1"), as the
// chart counts them from the rows (chartqueries.cpp). Throws sql::Error.
void countChartRows(sql::Database &db, const Filter &filter, ChartGroup group, const std::string &extra, ChartTally &into);
// Every stacking at once, in both views, apart for the messages no longer open (what the imports
// keep) and the open ones.
void countChartRows(sql::Database &db, const Filter &filter, ChartKept &closed, ChartKept &open);

} // namespace mailtrail
