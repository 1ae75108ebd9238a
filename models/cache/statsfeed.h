// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/charttally.h"
#include "cache/sqlite.h"
#include "cache/statssnapshot.h"
#include "cache/statstally.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace mailtrail {

struct MessageRecord;

// The CacheWriter's side of StatsSnapshot: counts each message the import writes no longer open,
// from the record it writes (no read), for the summary and the status chart, and adds that tally
// as a part at the end of the import.
// The parts hold the messages whose rows are no longer open; the open ones (few: the queue at the
// end of the logs) are counted from their rows by each summary, so a message continued by a
// later import, open until then, was never counted and needs no taking out. A part is added only
// when the parts described the cache as this import found it; a row counted already that the
// import writes again with other numbers (a refusal's copy in another log) leaves no part at all:
// the next summary counts the rows.
class StatsFeed
{
public:
    // In the writer's transaction of import run `run`, before it writes; `replaceAll`: every row
    // was just deleted.
    StatsFeed(sql::Database &db, std::int64_t run, bool replaceAll);

    // A row written for the first time.
    void written(const MessageRecord &m);
    // Before the row of `m` is written again; `amend`: a companion's late line (its deliveries
    // as they were, so its numbers too).
    void rewriting(const MessageRecord &m, bool amend);
    // The chains linked once every row is in (CacheWriter::linkChains): (hop, first hop).
    void linked(const std::vector<std::pair<std::int64_t, std::int64_t>> &links);
    // At the end of the import, in its last transaction.
    void store();

private:
    sql::Database &m_db;
    bool m_counting = false;  // the parts describe the cache as the import found it
    StatsTally m_tally{0};
    ChartKept m_chart;  // the status chart's tries of the same messages
    sql::Statement m_wasOpen;
    std::vector<std::int64_t> m_recount;  // open before, written closed now: counted from their rows
};

} // namespace mailtrail
