// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "lineclock.h"

#include "cache/cache.h"
#include "cache/statsqueries.h"
#include "logclockreader.h"
#include "problempeak.h"
#include "timeformat.h"

#include <algorithm>
#include <optional>

namespace mailtrail {

LineClock::LineClock(Cache &cache, const Filter &filter, const Stats &stats)
    : m_cache(cache)
    , m_filter(filter)
    , m_stats(stats)
    , m_offsets(readLogOffsets(cache, filter.fileIds).offsets)
{
}

QString LineClock::when(std::int64_t ms, Line line)
{
    return ms ? isoTime(ms, offsetOf(ms, line)) : QString();
}

QString LineClock::whenProblem(std::int64_t ms)
{
    return isoTime(ms, problemOffset(ms));
}

std::int32_t LineClock::problemOffset(std::int64_t ms)
{
    std::optional<std::int32_t> offset = tryOffset(ms, ms + 1);
    if (!offset)
        offset = incidentOffset(ms);
    return offset.value_or(utcOffsetAt(m_stats, ms));
}

std::int32_t LineClock::spanOffset(std::int64_t fromMs, std::int64_t untilMs)
{
    if (!mixed())
        return utcOffsetAt(m_stats, fromMs);
    return tryOffset(fromMs, untilMs).value_or(utcOffsetAt(m_stats, fromMs));
}

QString LineClock::whenSpan(std::int64_t fromMs, std::int64_t untilMs)
{
    return fromMs ? isoTime(fromMs, spanOffset(fromMs, untilMs)) : QString();
}

// As the first failure's clock is found: a try the Summary's link finds, failed within the span.
std::optional<std::int32_t> LineClock::tryOffset(std::int64_t fromMs, std::int64_t untilMs)
{
    std::optional<std::int32_t> offset;
    m_cache.visitDeliveries(failedTries(m_filter, fromMs, untilMs), Sort{}, 1, [&offset](const DeliveryRow &r) {
        offset = r.utcOffsetSec;
        return false;
    });
    return offset;
}

std::optional<std::int32_t> LineClock::incidentOffset(std::int64_t ms)
{
    Filter at = m_filter;
    at.sinceMs = std::max(m_filter.sinceMs, ms);
    at.untilMs = std::min(m_filter.untilMs, ms + 1);
    std::vector<IncidentLine> lines;
    if (StatsQueries(m_cache).incidents(at, IncidentQuery{}, 1, lines) && !lines.empty())
        return lines.front().utcOffsetSec;
    return std::nullopt;
}

std::int32_t LineClock::offsetOf(std::int64_t ms, Line line)
{
    if (!mixed())
        return utcOffsetAt(m_stats, ms);
    const auto known = m_known.find({ms, line});
    if (known != m_known.end())
        return known->second;
    std::optional<std::int32_t> offset;
    if (line == Line::Try) {
        offset = tryOffset(ms, ms + 1);
    } else {
        offset = incidentOffset(ms);
    }
    // Not found (a query failed): the day's clock, as before.
    const std::int32_t result = offset.value_or(utcOffsetAt(m_stats, ms));
    m_known.emplace(std::pair{ms, line}, result);
    return result;
}

} // namespace mailtrail
