// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace mailtrail {

class Cache;

// When the problems (deferred tries, bounces, rejects) of a summary peaked, as both the Summary
// view and `mailtrail-cli stats` name it: the day with the most, or in a log of one day, the
// hour; in a log shorter than the chart's hour bars (an 8-minute log has minute bars), the bar
// of the chart that has most, so that the period named is one the chart shows.
struct ProblemPeak {
    QString day;       // YYYY-MM-DD in the log's clock
    int hour = -1;     // -1: the whole day
    std::int64_t problems = 0;
    StatsHour counts;  // of that period: which kinds the problems were
    std::int64_t startMs = 0, endMs = 0;  // of a bar shorter than an hour, else 0
    // The period as a span of UTC (the Summary's link to its failed tries), in the clock of the
    // logs whose failures it counts: a day or an hour is counted in each log's own clock, and
    // logs written at several offsets put "08:00-09:00" at as many moments. Set by of(cache, ...)
    // only; 0 otherwise.
    std::int64_t fromMs = 0, untilMs = 0;
    // The offset from UTC of the clock `day` and `hour` (and a bar's start and end) are in: the
    // day's, or where the logs were written at several offsets, that of the log whose failed try
    // comes first in the period. Set by of(cache, ...) only.
    std::int32_t utcOffsetSec = 0;

    // The peak of `s`, from its days and hours alone; none without problems.
    static std::optional<ProblemPeak> of(const Stats &s);
    // The peak of `s` (the summary of `filter`), narrowed to the chart's bar where the chart's
    // bars are shorter than an hour, read from the chart's numbers of `filter` (a query on
    // `cache`: call it off the GUI thread). Where that query fails, the peak from `s` alone.
    // Where the logs were written at several offsets, the hours and days of `s` add up each
    // log's own, which no one span of time holds: the peak is then the hour (or day) of one of
    // their clocks that holds the most failed tries, counted as the chart counts them, so that
    // its number is that of the tries its span [fromMs, untilMs) holds.
    static std::optional<ProblemPeak> of(Cache &cache, const Filter &filter, const Stats &s);
};

// The filter's failed tries within [fromMs, untilMs), as the Summary's links ask for them (the
// filter's own outcome, if it names one).
Filter failedTries(const Filter &filter, std::int64_t fromMs, std::int64_t untilMs);

// The offset from UTC of the log whose try failed first (Stats::firstProblemMs), as `deliveries`
// prints that try: the day's clock (utcOffsetAt) may be another log's where the logs were written
// at several offsets (session 17's trial: "the first failure at 16:50+09:00" of a reject at
// 08:50+01:00). The try is found as the Summary's link finds it (the filter's tries failed at
// that moment); an authentication failure has no such row and is found among the incidents
// (LineClock::problemOffset). A query on `cache`: off the GUI thread. `mailtrail-cli stats` and
// the Summary both say it so.
std::int32_t firstProblemOffset(Cache &cache, const Filter &filter, const Stats &s);

} // namespace mailtrail
