// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "problempeak.h"

#include "cache/cache.h"
#include "chartmodel.h"
#include "lineclock.h"
#include "logclockreader.h"
#include "timeformat.h"

#include <QDate>
#include <QTimeZone>

#include <algorithm>
#include <limits>
#include <map>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

std::int64_t problemsOf(const StatsHour &h)
{
    return h.deferred + h.bounced + h.rejected;
}

// The peak of a log that spans less than the chart's hour bars (ChartModel::bucketFor): the
// chart's bar (a minute, 5 minutes) with the most failed tries, bounces and rejects, as the chart
// stacks them, found in the chart's own numbers of the filter. The peak as it was otherwise.
ProblemPeak narrowed(Cache &cache, const Filter &filter, const Stats &s, const ProblemPeak &peak)
{
    constexpr std::int64_t Hour = 3'600'000;
    // Traffic in hours 14 or more apart spans over 13 hours: the chart's bars are hours (5-minute
    // bars go to 12.5 hours), and the chart's numbers need not be read.
    int firstHour = -1, lastHour = -1;
    for (std::size_t h = 0; h < s.byHour.size(); ++h) {
        const StatsHour &c = s.byHour[h];
        if (c.received + c.delivered + c.deferred + c.bounced + c.rejected > 0) {
            firstHour = firstHour < 0 ? static_cast<int>(h) : firstHour;
            lastHour = static_cast<int>(h);
        }
    }
    if (firstHour >= 0 && lastHour - firstHour >= 14)
        return peak;
    const ChartData data = cache.chartData(filter, ChartGroup::Outcome);
    if (!data.ok() || data.cells.empty())
        return peak;
    const LogClock clock = readLogClock(cache, filter.fileIds);
    const auto unset = [](std::int64_t v) {
        return v == std::numeric_limits<std::int64_t>::min() || v == std::numeric_limits<std::int64_t>::max();
    };
    const std::int64_t lo = unset(filter.sinceMs) ? data.cells.front().minute * 60'000 : filter.sinceMs;
    const std::int64_t hi = unset(filter.untilMs) ? (data.cells.back().minute + 1) * 60'000 : filter.untilMs;
    const ChartModel::Table table = ChartModel::build(data, ChartGroup::Outcome, lo, hi, clock);
    if (table.bucketMs >= Hour || table.starts.isEmpty())
        return peak;
    const qsizetype deferred = table.keys.indexOf(u"deferred"_s), bounced = table.keys.indexOf(u"bounced"_s),
                    rejected = table.keys.indexOf(u"rejected"_s);
    const auto problems = [&](const QList<qint64> &row) { return row.value(deferred) + row.value(bounced) + row.value(rejected); };
    qsizetype best = -1;
    for (qsizetype i = 0; i < table.counts.size(); ++i) {
        if (best < 0 || problems(table.counts[i]) > problems(table.counts[best]))
            best = i;
    }
    if (best < 0 || problems(table.counts[best]) == 0)
        return peak;
    ProblemPeak narrow = peak;
    narrow.startMs = table.starts[best];
    narrow.endMs = best + 1 < table.starts.size() ? table.starts[best + 1] : table.end;
    // Its day and hour in the clock of the log that failed in it, as `stats` prints the bar.
    narrow.utcOffsetSec = LineClock(cache, filter, s).spanOffset(narrow.startMs, narrow.endMs);
    const QString start = isoTime(narrow.startMs, narrow.utcOffsetSec);
    narrow.day = start.left(10);
    narrow.hour = start.mid(11, 2).toInt();
    narrow.problems = problems(table.counts[best]);
    narrow.counts = StatsHour{};
    narrow.counts.deferred = table.counts[best].value(deferred);
    narrow.counts.bounced = table.counts[best].value(bounced);
    narrow.counts.rejected = table.counts[best].value(rejected);
    return narrow;
}

// The UTC span of a day or an hour of `peak`: the hours and days of the summary are each log's
// own, so where the logs were written at several offsets the span is taken in the offset whose
// span holds the most failed tries (session 18's trial: "peaked between 08:00-09:00", counted in
// a +01:00 log, opened 08:00-09:00 at -05:00, the clock of another log, and 0 rows).
void spanOf(Cache &cache, const Filter &filter, const Stats &s, ProblemPeak &peak)
{
    if (peak.startMs) {
        peak.fromMs = peak.startMs;
        peak.untilMs = peak.endMs;
        return;
    }
    const QDate date = QDate::fromString(peak.day, Qt::ISODate);
    if (!date.isValid())
        return;
    const std::int64_t wall = date.startOfDay(QTimeZone::UTC).toMSecsSinceEpoch() + (peak.hour >= 0 ? peak.hour * 3'600'000LL : 0);
    const std::int64_t length = peak.hour >= 0 ? 3'600'000 : 86'400'000;
    const auto day = std::find_if(s.byDay.begin(), s.byDay.end(), [&](const StatsDay &d) { return QString::fromStdString(d.day) == peak.day; });
    const std::int32_t dayOffset = day == s.byDay.end() ? utcOffsetAt(s, wall) : day->utcOffsetSec;
    std::vector<int> offsets = readLogOffsets(cache, filter.fileIds).offsets;
    if (std::find(offsets.begin(), offsets.end(), dayOffset) == offsets.end())
        offsets.push_back(dayOffset);
    std::int32_t best = dayOffset;
    if (offsets.size() > 1) {
        std::int64_t most = -1;
        for (const int offset : offsets) {
            const std::int64_t from = wall - offset * 1000LL;
            const std::int64_t n = cache.count(Grain::Deliveries, failedTries(filter, from, from + length));
            if (n > most || (n == most && offset == dayOffset)) {
                most = n;
                best = offset;
            }
        }
    }
    peak.fromMs = wall - best * 1000LL;
    peak.untilMs = peak.fromMs + length;
    peak.utcOffsetSec = best;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// The peak of logs written at several offsets (ProblemPeak::of): of every hour (or day) of each
// of their clocks, the one whose span holds the most failed tries (the chart's deferred tries,
// bounces and rejects, the tries the Summary's link lists), the earliest of equals; named in the
// clock of the log whose failed try comes first in it when several clocks have that span.
// Session 19's trial: 3 rejects counted at 08:00-09:00 in a +01:00 log, whose link, 07:00-08:00
// UTC, held a -05:00 log's bounce of 02:40 too: 4 rows. None where the chart's numbers fail.
std::optional<ProblemPeak> inOneClock(Cache &cache, const Filter &filter, const Stats &s, const ProblemPeak &peak,
                                      const std::vector<int> &offsets)
{
    const ChartData data = cache.chartData(filter, ChartGroup::Outcome);
    if (!data.ok() || data.cells.empty())
        return std::nullopt;
    const std::int64_t length = peak.hour >= 0 ? 3'600'000 : 86'400'000;
    std::map<std::pair<std::int64_t, int>, StatsHour> spans;  // (UTC start, offset)
    for (const ChartCell &c : data.cells) {
        const bool deferred = c.key == "deferred", bounced = c.key == "bounced", rejected = c.key == "rejected";
        if (!deferred && !bounced && !rejected)
            continue;
        const std::int64_t ms = c.minute * 60'000;
        for (const int offset : offsets) {
            const std::int64_t shift = offset * 1000LL;
            StatsHour &h = spans[{floorDiv(ms + shift, length) * length - shift, offset}];
            (deferred ? h.deferred : bounced ? h.bounced : h.rejected) += c.count;
        }
    }
    const std::pair<const std::pair<std::int64_t, int>, StatsHour> *best = nullptr;
    for (const auto &span : spans) {
        if (!best || problemsOf(span.second) > problemsOf(best->second))
            best = &span;
    }
    if (!best || problemsOf(best->second) == 0)
        return std::nullopt;
    const std::int64_t from = best->first.first;
    int offset = best->first.second;
    if (const int first = LineClock(cache, filter, s).spanOffset(from, from + length);
        first != offset && spans.contains({from, first}) && problemsOf(spans.at({from, first})) == problemsOf(best->second))
        offset = first;
    ProblemPeak out;
    const QString start = isoTime(from, offset);
    out.day = start.left(10);
    out.hour = peak.hour >= 0 ? start.mid(11, 2).toInt() : -1;
    out.counts = best->second;
    out.problems = problemsOf(out.counts);
    out.fromMs = from;
    out.untilMs = from + length;
    out.utcOffsetSec = offset;
    return out;
}

} // namespace

Filter failedTries(const Filter &filter, std::int64_t fromMs, std::int64_t untilMs)
{
    Filter at = filter;
    at.triedSinceMs = std::max(filter.triedSinceMs, fromMs);
    at.triedUntilMs = std::min(filter.triedUntilMs, untilMs);
    at.triedAs = filter.triedAs.empty() ? "failed" : filter.triedAs;
    return at;
}

std::int32_t firstProblemOffset(Cache &cache, const Filter &filter, const Stats &s)
{
    if (s.firstProblemMs <= 0)
        return 0;
    // The rule of every time `mailtrail-cli stats` prints: a failed try's log, else a SASL
    // failure's (the first problem may be one).
    return LineClock(cache, filter, s).problemOffset(s.firstProblemMs);
}

std::optional<ProblemPeak> ProblemPeak::of(const Stats &s)
{
    if (s.byDay.size() > 1) {
        const auto peak = std::max_element(s.byDay.begin(), s.byDay.end(), [&](const StatsDay &a, const StatsDay &b) {
            return problemsOf(a.counts) < problemsOf(b.counts);
        });
        if (problemsOf(peak->counts) > 0)
            return ProblemPeak{QString::fromStdString(peak->day), -1, problemsOf(peak->counts), peak->counts};
    } else if (s.byDay.size() == 1) {
        const auto peak = std::max_element(s.byHour.begin(), s.byHour.end(),
                                           [&](const StatsHour &a, const StatsHour &b) { return problemsOf(a) < problemsOf(b); });
        if (problemsOf(*peak) > 0)
            return ProblemPeak{QString::fromStdString(s.byDay.front().day), static_cast<int>(peak - s.byHour.begin()),
                               problemsOf(*peak), *peak};
    }
    return std::nullopt;
}

std::optional<ProblemPeak> ProblemPeak::of(Cache &cache, const Filter &filter, const Stats &s)
{
    std::optional<ProblemPeak> peak = of(s);
    if (peak && peak->hour >= 0)
        peak = narrowed(cache, filter, s, *peak);
    if (!peak)
        return peak;
    if (peak->startMs) {
        spanOf(cache, filter, s, *peak);
        return peak;
    }
    if (const LogOffsets logs = readLogOffsets(cache, filter.fileIds); logs.mixed()) {
        if (std::optional<ProblemPeak> one = inOneClock(cache, filter, s, *peak, logs.offsets))
            return one;
    }
    spanOf(cache, filter, s, *peak);
    return peak;
}

} // namespace mailtrail
