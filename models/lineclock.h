// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"

#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace mailtrail {

class Cache;

// The clock the times of `stats`' lists (first and last seen of a reason, a reject, a SASL
// client...) show in: that of the log the line came from, the rule the first failure follows and
// `deliveries` prints its tries by. Where the logs in scope were written at one offset, that is
// the offset of the day the time falls in (utcOffsetAt) and nothing more is read. Where at
// several (session 18's trial: a reject at 08:50+01:00 listed as 02:50-05:00, another log's day),
// each time is looked up: the failed try at that millisecond (a reject, a deferral, a bounce, a
// connection that failed), or the incident (a SASL failure, a client warning) for the lists of
// those: two indexed reads of one row for each time a list prints, remembered.
class LineClock
{
public:
    // What a list's times are the times of.
    enum class Line { Try, Incident };

    LineClock(Cache &cache, const Filter &filter, const Stats &stats);

    // The distinct offsets of the logs in scope, ascending; more than one: mixed().
    const std::vector<int> &offsets() const { return m_offsets; }
    bool mixed() const { return m_offsets.size() > 1; }
    // `ms` as an ISO 8601 time in the clock of the log its line came from; empty for 0.
    QString when(std::int64_t ms, Line line);
    // A problem's time (the first failure): a failed try's, else an incident's (a SASL failure).
    // Looked up even in logs of one offset, where the day's clock could still miss a clock change.
    QString whenProblem(std::int64_t ms);
    // Its offset: the Summary's "first failure" shows it beside the time when it is not the day's.
    std::int32_t problemOffset(std::int64_t ms);
    // A span of the chart's bars (the problems' peak, [fromMs, untilMs)) in the clock of the log
    // of a failed try within it: its first time as when() shows it.
    QString whenSpan(std::int64_t fromMs, std::int64_t untilMs);
    // The offset of whenSpan(), for the span's end as well.
    std::int32_t spanOffset(std::int64_t fromMs, std::int64_t untilMs);

private:
    std::int32_t offsetOf(std::int64_t ms, Line line);
    std::optional<std::int32_t> tryOffset(std::int64_t fromMs, std::int64_t untilMs);
    std::optional<std::int32_t> incidentOffset(std::int64_t ms);

    Cache &m_cache;
    const Filter &m_filter;
    const Stats &m_stats;
    std::vector<int> m_offsets;
    std::map<std::pair<std::int64_t, Line>, std::int32_t> m_known;
};

} // namespace mailtrail
