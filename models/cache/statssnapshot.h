// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailtrail {

namespace sql {
class Database;
}

class StatsTally;
struct ChartKept;

// The statistics of the messages no longer open, kept by the imports (StatsFeed) so that the
// summary of the whole cache need not read every row: a table beside the layout's, `stats_snapshot`,
// one row per import (a part: that import's tally, serialized), each with the state of the cache
// after it. The parts are used only while the last one describes the cache as it is; anything else
// that changes rows leaves it describing another state, and the rows are counted again.
// Outside the layout's versions: created when first written, never migrated (a stale or unreadable
// part is dropped, not converted).
class StatsSnapshot
{
public:
    // What the parts must match to describe the cache: the layout, the last import run (every
    // import, even one undone, takes a number), how many message rows and the greatest id.
    struct State {
        std::int64_t layout = 0, lastRun = 0, messages = 0, maxId = 0;
        bool operator==(const State &) const = default;
    };
    static State current(sql::Database &db);

    static bool hasTable(sql::Database &db);
    static void createTable(sql::Database &db);
    // Whether the last part describes `state`; true for no part at all when the cache holds no
    // message (nothing to count).
    static bool describes(sql::Database &db, const State &state);
    // Adds every part to `into` when the last describes `state`; false (`into` unchanged) when
    // there is no table, no part, a stale one or one this build cannot read. `parts`: how many.
    static bool load(sql::Database &db, const State &state, StatsTally &into, int *parts = nullptr);
    // The status chart's tries of the same messages, kept beside each part (a column of its own:
    // a part written without them, by a summary that counted the rows or by an older build, has
    // none). Like load(), but true only when every part has them.
    static bool loadChart(sql::Database &db, const State &state, ChartKept &into);
    // A part more, the cache then being in `state`; `chart`: the chart's tries of its messages
    // (encodeChart), none when null.
    static void append(sql::Database &db, const State &state, const std::string &encoded,
                       const std::string *chart = nullptr);
    // The same with `tally` encoded into the row a piece at a time: the encoding is never whole in
    // memory (the import's part, 20 MB at 1 GB of log).
    static void appendTally(sql::Database &db, const State &state, const StatsTally &tally,
                            const std::string *chart = nullptr);
    // The chart's tries of every part's messages (counted from the rows), kept in the first part,
    // the others then holding none.
    static void setChart(sql::Database &db, const std::string &chart);
    // Every part in one, when there are many (each import adds one).
    static void compact(sql::Database &db, const State &state, int top);
    static void clear(sql::Database &db);

    static std::string encode(const StatsTally &tally);
    // Reads an encoding, or a part's counter as stored (compressed by zstd; deflated by zlib or
    // raw, from an earlier build).
    static bool decode(std::string_view bytes, StatsTally &into);
    static std::string encodeChart(const ChartKept &chart);
    static bool decodeChart(std::string_view bytes, ChartKept &into);

private:
    // The encoding, into a writer that makes the text or only counts its size (statssnapshot.cpp).
    template<typename W>
    static void encodeInto(W &w, const StatsTally &tally);
};

} // namespace mailtrail
