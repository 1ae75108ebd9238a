// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <limits>

namespace mailtrail {

struct Event;
struct SyslogLine;

// Turns the time written on a syslog line into UTC epoch milliseconds, line after line of one
// file. RFC 3339 lines carry their own offset. Classic lines have neither year nor zone: the year
// is inferred (start year, then roll-over when the months wrap around) and the wall-clock time is
// read in the process's local zone (TZ), as the machine that wrote it did.
//
// One instance per file and thread; not thread-safe. Create it after any change of TZ (tzset()).
class TimestampResolver
{
public:
    // Year of the first year-less line (see startYearFor()). Without it, the first line's year is
    // inferred from the current time.
    void setStartYear(int year);
    // Continues an earlier import of the same file from its saved state.
    void restoreState(int year, int lastMonth);
    // The year the file was last written (its mtime): roll-over never goes past it, so a file
    // whose months jump back and forth (concatenated excerpts) cannot drift into the future.
    void setLatestYear(int year) { m_latestYear = year; }
    // The file's mtime, UTC epoch seconds: a guessed year never dates a line after it (a day of
    // slack aside, for a sending host's clock ahead of the file's): a year-less "Dec 30" in a
    // file last written on Dec 5 is of the year before.
    void setLatestTime(std::int64_t utcSecs) { m_latestSecs = utcSecs; }
    int currentYear() const { return m_year; }
    int lastMonth() const { return m_lastMonth; }

    // Sets ev.timeMs and ev.utcOffsetSec. Returns false (ev untouched) for an impossible date.
    bool resolve(const SyslogLine &line, Event &ev);

    // Local year of the file's mtime, minus 1 if the first line's month lies after mtime's month
    // (a file started in December and written last in January).
    static int startYearFor(int firstLineMonth, std::int64_t fileMtimeSecs);
    // The same, knowing the month of the file's last line as well: the last line is dated no
    // later than the mtime, and the first a year before it when the months wrap in between (a log
    // from Dec 31 to Jan 1 written last the December after still starts in the year before).
    // lastLineMonth 0: unknown, as above.
    static int startYearFor(int firstLineMonth, int lastLineMonth, std::int64_t fileMtimeSecs);

private:
    int yearForMonth(int month);
    std::int64_t localToUtc(std::int64_t localSecs, std::int32_t &offset);
    std::int64_t resolveNearTransition(std::int64_t localSecs, std::int32_t &offset) const;

    int m_year = 0;
    int m_lastMonth = 0;
    int m_latestYear = 0;
    // Local offsets change at most twice a year, so the hour of the previous line is remembered.
    static constexpr std::int64_t Unset = std::numeric_limits<std::int64_t>::min();
    std::int64_t m_cachedHour = Unset;
    std::int32_t m_offsetBefore = 0;  // offset in effect well before the cached hour
    std::int32_t m_offsetAfter = 0;   // ... and well after it; equal unless a transition is near
    std::int64_t m_lastUtcSecs = Unset;
    std::int64_t m_latestSecs = Unset;
};

} // namespace mailtrail
