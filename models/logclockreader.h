// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logclock.h"

#include <cstdint>
#include <vector>

namespace mailtrail {

class Cache;

// The clock of the logs `fileIds` as their messages carry it (each row's utc_offset). Logs of
// several offsets cannot share one clock: the window follows the log whose newest message is the
// newest (the one "Last hour" counts back from), and that log's clock changes where its rows'
// offsets change. UTC when they hold no message or the cache cannot be read. A few dozen page
// reads of one row each: off the GUI thread.
LogClock readLogClock(Cache &cache, const std::vector<std::int64_t> &fileIds);

// The UTC offsets the logs `fileIds` (every log when empty) were written at, by the first and
// the last message of each, and the log whose newest message is the newest: the one whose clock
// readLogClock follows. Logs of several offsets make a time without one ambiguous, which a
// command says (session 16: `--since` found 0 rows where the window's table, in another log's
// clock, showed 2).
struct LogOffsets {
    std::vector<int> offsets;      // distinct, ascending
    std::int64_t clockFileId = 0;  // 0: no message
    bool mixed() const { return offsets.size() > 1; }
};
LogOffsets readLogOffsets(Cache &cache, const std::vector<std::int64_t> &fileIds);

} // namespace mailtrail
