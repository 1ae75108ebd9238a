// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/timestampresolver.h"

#include "ingest/event.h"
#include "ingest/syslogline.h"

#include <algorithm>
#include <ctime>

namespace mailtrail {
namespace {

// Howard Hinnant's days_from_civil: timegm() without its locking and tm normalisation.
constexpr std::int64_t daysFromCivil(std::int64_t y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);

constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

std::int32_t offsetAt(std::int64_t utcSecs)
{
    const auto t = static_cast<std::time_t>(utcSecs);
    std::tm tm{};
    if (localtime_r(&t, &tm) == nullptr)
        return 0;
    return static_cast<std::int32_t>(tm.tm_gmtoff);
}

// Real offsets lie within [-12 h, +14 h], so every UTC reading of a local hour falls inside
// [hour - 15 h, hour + 1 h + 13 h]. Equal offsets at both ends mean no transition in between.
constexpr std::int64_t eastMarginSecs = 15 * 3600;
constexpr std::int64_t westMarginSecs = 13 * 3600;
// In the hour that repeats when clocks go back, a line takes the first reading unless the file has
// already moved more than this past it: then it was written during the second pass.
constexpr std::int64_t backwardSlackSecs = 600;
// A line may be dated a little after its file's mtime when the host that sent it runs ahead.
constexpr std::int64_t latestSlackSecs = 86400;

} // namespace

void TimestampResolver::setStartYear(int year)
{
    m_year = year;
    m_lastMonth = 0;
}

void TimestampResolver::restoreState(int year, int lastMonth)
{
    m_year = year;
    m_lastMonth = lastMonth;
}

int TimestampResolver::startYearFor(int firstLineMonth, std::int64_t fileMtimeSecs)
{
    const auto t = static_cast<std::time_t>(fileMtimeSecs);
    std::tm tm{};
    if (localtime_r(&t, &tm) == nullptr)
        return 1970;
    const int year = tm.tm_year + 1900;
    return firstLineMonth > tm.tm_mon + 1 ? year - 1 : year;
}

int TimestampResolver::startYearFor(int firstLineMonth, int lastLineMonth, std::int64_t fileMtimeSecs)
{
    if (lastLineMonth < 1 || lastLineMonth > 12)
        return startYearFor(firstLineMonth, fileMtimeSecs);
    const int lastYear = startYearFor(lastLineMonth, fileMtimeSecs);
    // As yearForMonth() reads the months: two or more back is a new year.
    return lastLineMonth - firstLineMonth <= -2 ? lastYear - 1 : lastYear;
}

// A month more than one back starts a new year; one back is a line written a little late across a
// month boundary. December right after January is such a late line from the old year: it must not
// move the state, or the next January line would start yet another year.
int TimestampResolver::yearForMonth(int month)
{
    if (m_year == 0)
        m_year = startYearFor(month, static_cast<std::int64_t>(std::time(nullptr)));
    if (m_lastMonth != 0) {
        const int delta = month - m_lastMonth;
        if (delta == 11)
            return m_year - 1;
        // A file cannot hold lines from after it was last written: no roll-over past that year.
        if (delta <= -2 && (m_latestYear == 0 || m_year < m_latestYear))
            ++m_year;
    }
    m_lastMonth = month;
    return m_year;
}

bool TimestampResolver::resolve(const SyslogLine &line, Event &ev)
{
    if (line.month < 1 || line.month > 12 || line.day < 1 || line.day > 31)
        return false;
    int year = line.year;
    if (year != 0) {
        m_year = year;
        m_lastMonth = line.month;
    } else {
        year = yearForMonth(line.month);
    }
    const auto wallAt = [&line](int y) {
        return daysFromCivil(y, line.month, line.day) * 86400 + line.hour * 3600 + line.minute * 60 + line.second;
    };
    std::int32_t offset = line.utcOffsetSec;
    std::int64_t utc = line.hasUtcOffset ? wallAt(year) - offset : localToUtc(wallAt(year), offset);
    if (line.year == 0 && m_latestSecs != Unset && utc > m_latestSecs + latestSlackSecs) {
        // The guess put the line after the file was last written: it is of the year before, and so
        // are the lines after it until the months wrap again.
        --year;
        m_year = std::min(m_year, year);
        utc = line.hasUtcOffset ? wallAt(year) - offset : localToUtc(wallAt(year), offset);
    }
    m_lastUtcSecs = utc;
    ev.timeMs = utc * 1000 + line.millisecond;
    ev.utcOffsetSec = offset;
    return true;
}

std::int64_t TimestampResolver::localToUtc(std::int64_t localSecs, std::int32_t &offset)
{
    const std::int64_t hour = floorDiv(localSecs, 3600);
    if (hour != m_cachedHour) {
        m_cachedHour = hour;
        m_offsetBefore = offsetAt(hour * 3600 - eastMarginSecs);
        m_offsetAfter = offsetAt(hour * 3600 + 3600 + westMarginSecs);
    }
    if (m_offsetBefore == m_offsetAfter) {
        offset = m_offsetBefore;
        return localSecs - offset;
    }
    return resolveNearTransition(localSecs, offset);
}

// Within a day of a transition each line is checked against both offsets: valid readings are those
// whose UTC instant really has that offset.
std::int64_t TimestampResolver::resolveNearTransition(std::int64_t localSecs, std::int32_t &offset) const
{
    const std::int64_t withBefore = localSecs - m_offsetBefore;
    const std::int64_t withAfter = localSecs - m_offsetAfter;
    const bool beforeValid = offsetAt(withBefore) == m_offsetBefore;
    const bool afterValid = offsetAt(withAfter) == m_offsetAfter;
    std::int64_t utc = withBefore;  // also for the skipped hour: read it as if not yet switched
    if (beforeValid && afterValid) {
        const std::int64_t first = std::min(withBefore, withAfter);
        const std::int64_t second = std::max(withBefore, withAfter);
        const bool pastFirst = m_lastUtcSecs != Unset && first < m_lastUtcSecs - backwardSlackSecs;
        utc = pastFirst ? second : first;
    } else if (afterValid) {
        utc = withAfter;
    }
    offset = offsetAt(utc);
    return utc;
}

} // namespace mailtrail
