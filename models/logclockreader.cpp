// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logclockreader.h"

#include "cache/cache.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace mailtrail {

namespace {

struct Moment {
    std::int64_t ms = 0;
    int offset = 0;
};

// The first message of `filter` that arrived at or after `ms`.
std::optional<Moment> firstFrom(Cache &cache, Filter filter, std::int64_t ms)
{
    filter.sinceMs = ms;
    const std::vector<MessageRow> rows = cache.messages(filter, Sort{SortKey::Time, false}, 0, 1);
    if (rows.empty())
        return std::nullopt;
    return Moment{rows.front().firstSeenMs, rows.front().utcOffsetSec};
}

// The first message after `before` whose offset is not `before`'s, knowing that `after` is one.
Moment firstChange(Cache &cache, const Filter &filter, Moment before, Moment after)
{
    std::int64_t lo = before.ms, up = after.ms;
    while (up - lo > 1) {
        const std::int64_t mid = lo + (up - lo) / 2;
        const std::optional<Moment> m = firstFrom(cache, filter, mid);
        if (!m || m->ms >= up)
            up = mid;  // nothing in [mid, up): the change is before mid, or is `after`
        else if (m->offset != before.offset)
            after = *m, up = m->ms;
        else
            lo = m->ms;
    }
    return after;
}

} // namespace

LogClock readLogClock(Cache &cache, const std::vector<std::int64_t> &fileIds)
{
    Filter filter;
    filter.fileIds = fileIds;
    const std::vector<MessageRow> newest = cache.messages(filter, Sort{SortKey::Time, true}, 0, 1);
    if (newest.empty())
        return {};
    // clear() and push_back(): GCC 14 under ASan warns falsely on `vector = {x}` (-Warray-bounds).
    filter.fileIds.clear();
    filter.fileIds.push_back(newest.front().fileId);
    const Moment last{newest.front().firstSeenMs, newest.front().utcOffsetSec};
    const std::optional<Moment> first = firstFrom(cache, filter, std::numeric_limits<std::int64_t>::min());
    LogClock clock(first ? first->offset : last.offset);
    if (!first || first->offset == last.offset)
        return clock;  // a log of one offset, as most are (a clock change between two of the same is missed)
    // Samples across the log find its clock changes (two a year at most), each then narrowed down
    // to the first message with the new offset.
    constexpr int Samples = 64;
    Moment previous = *first;
    for (int i = 1; i <= Samples; ++i) {
        const std::optional<Moment> m = i == Samples ? std::optional<Moment>(last)
                                                     : firstFrom(cache, filter, first->ms + (last.ms - first->ms) / Samples * i);
        if (!m || m->ms < previous.ms)
            continue;
        if (m->offset != previous.offset) {
            const Moment change = firstChange(cache, filter, previous, *m);
            clock.addChange(change.ms, change.offset);
            previous = change;
            if (change.offset != m->offset) {  // another change between the two samples
                const Moment again = firstChange(cache, filter, change, *m);
                clock.addChange(again.ms, again.offset);
            }
        }
        previous = *m;
    }
    return clock;
}

LogOffsets readLogOffsets(Cache &cache, const std::vector<std::int64_t> &fileIds)
{
    LogOffsets out;
    std::int64_t newestMs = std::numeric_limits<std::int64_t>::min();
    for (const FileRow &f : cache.files()) {
        if (!fileIds.empty() && std::find(fileIds.begin(), fileIds.end(), f.id) == fileIds.end())
            continue;
        Filter filter;
        filter.fileIds.push_back(f.id);
        for (const bool newest : {false, true}) {
            const std::vector<MessageRow> rows = cache.messages(filter, Sort{SortKey::Time, newest}, 0, 1);
            if (rows.empty())
                break;
            const MessageRow &m = rows.front();
            if (std::find(out.offsets.begin(), out.offsets.end(), m.utcOffsetSec) == out.offsets.end())
                out.offsets.push_back(m.utcOffsetSec);
            if (newest && m.firstSeenMs > newestMs) {
                newestMs = m.firstSeenMs;
                out.clockFileId = m.fileId;
            }
        }
    }
    std::sort(out.offsets.begin(), out.offsets.end());
    return out;
}

} // namespace mailtrail
