// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeticks.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

enum class Unit { Minute, Day, Week, Month, Year };

struct Step {
    Unit unit;
    int n;
};

// Finest first. Hours are minutes that divide a day, so a tick falls on the same clock times
// every day.
constexpr std::array<Step, 25> Steps{{
    {Unit::Minute, 1},   {Unit::Minute, 2},   {Unit::Minute, 5},   {Unit::Minute, 10}, {Unit::Minute, 15},
    {Unit::Minute, 30},  {Unit::Minute, 60},  {Unit::Minute, 120}, {Unit::Minute, 180}, {Unit::Minute, 360},
    {Unit::Minute, 720}, {Unit::Day, 1},      {Unit::Day, 2},      {Unit::Week, 1},    {Unit::Month, 1},
    {Unit::Month, 3},    {Unit::Month, 6},    {Unit::Year, 1},     {Unit::Year, 2},    {Unit::Year, 5},
    {Unit::Year, 10},    {Unit::Year, 20},    {Unit::Year, 50},    {Unit::Year, 100},  {Unit::Year, 1000},
}};

// The round times of `step` from `first` to `end`; stops as soon as there are more than `most`.
QList<qint64> roundTimes(qint64 first, qint64 end, Step step, int most, const QTimeZone &zone)
{
    QList<qint64> out;
    auto add = [&](const QDateTime &at) {
        const qint64 ms = at.toMSecsSinceEpoch();
        if (at.isValid() && ms >= first && ms <= end && (out.isEmpty() || ms > out.last()))
            out << ms;
        return out.size() <= most;
    };
    const QDate firstDay = QDateTime::fromMSecsSinceEpoch(first, zone).date();
    const QDate lastDay = QDateTime::fromMSecsSinceEpoch(end, zone).date();
    switch (step.unit) {
    case Unit::Minute: {
        // From the round time at or before `first` to the first one after `end`: each QDateTime
        // in a zone costs a conversion, and walking whole days from midnight for each of the 11
        // steps took 100 ms of the GUI thread per chart.
        const QTime firstTime = QDateTime::fromMSecsSinceEpoch(first, zone).time();
        const int firstMinute = (firstTime.hour() * 60 + firstTime.minute()) / step.n * step.n;
        for (QDate d = firstDay; d <= lastDay; d = d.addDays(1)) {
            for (int m = d == firstDay ? firstMinute : 0; m < 24 * 60; m += step.n) {
                const QDateTime at(d, QTime(m / 60, m % 60), zone);
                if (at.isValid() && at.toMSecsSinceEpoch() > end)
                    return out;
                // In the hour the clocks skip, Qt moves the time on: not a round one.
                if (at.time() == QTime(m / 60, m % 60) && !add(at))
                    return out;
            }
        }
        break;
    }
    case Unit::Day:
        for (QDate d = firstDay; d <= lastDay; d = d.addDays(1))
            if (d.toJulianDay() % step.n == 0 && !add(d.startOfDay(zone)))
                return out;
        break;
    case Unit::Week:
        for (QDate d = firstDay.addDays(1 - firstDay.dayOfWeek()); d <= lastDay; d = d.addDays(7))
            if (!add(d.startOfDay(zone)))
                return out;
        break;
    case Unit::Month:
        for (QDate d(firstDay.year(), firstDay.month(), 1); d <= lastDay; d = d.addMonths(1))
            if ((d.month() - 1) % step.n == 0 && !add(d.startOfDay(zone)))
                return out;
        break;
    case Unit::Year:
        for (int y = firstDay.year() / step.n * step.n; y <= lastDay.year(); y += step.n)
            if (!add(QDate(y, 1, 1).startOfDay(zone)))
                return out;
        break;
    }
    return out;
}

QString label(const QDateTime &at, Unit unit, int previousYear)
{
    const QLocale locale;
    // At New Year, or the first tick of a year after ticks of another.
    const bool newYear = (previousYear != 0 && at.date().year() != previousYear) ||
                         (at.date().dayOfYear() == 1 && at.time() == QTime(0, 0));
    switch (unit) {
    case Unit::Year:
        return locale.toString(at, u"yyyy"_s);
    case Unit::Month:
        // The first tick names its year too: months alone could be of any year.
        return locale.toString(at, newYear || previousYear == 0 ? u"MMM yyyy"_s : u"MMM"_s);
    case Unit::Day:
    case Unit::Week:
        return locale.toString(at, newYear ? u"d MMM yyyy"_s : u"d MMM"_s);
    case Unit::Minute:
        if (at.time() == QTime(0, 0))
            return locale.toString(at, newYear ? u"d MMM yyyy"_s : u"d MMM"_s);
        return locale.toString(at, u"HH:mm"_s);
    }
    return {};
}

} // namespace

QList<TimeTick> timeTicks(qint64 first, qint64 end, int maxTicks, const QTimeZone &zone)
{
    QList<TimeTick> ticks;
    if (end < first || maxTicks < 1)
        return ticks;
    for (const Step step : Steps) {
        const QList<qint64> times = roundTimes(first, end, step, maxTicks, zone);
        if (times.size() > maxTicks)
            continue;
        int previousYear = 0;
        for (const qint64 ms : times) {
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms, zone);
            ticks.push_back(TimeTick{ms, label(at, step.unit, previousYear)});
            previousYear = at.date().year();
        }
        break;
    }
    return ticks;
}

QList<TimeTick> timeTicks(qint64 first, qint64 end, int maxTicks, const LogClock &clock)
{
    const QList<qint64> changes = clock.changesWithin(first, end);
    if (changes.isEmpty() || end <= first)
        return timeTicks(first, end, maxTicks, clock.zoneAt(first));
    QList<TimeTick> ticks;
    qint64 from = first;
    for (qsizetype i = 0; i <= changes.size(); ++i) {
        const qint64 to = i < changes.size() ? changes[i] : end;
        const int most = std::max(1, static_cast<int>(maxTicks * (to - from) / (end - first)));
        for (const TimeTick &tick : timeTicks(from, to, most, clock.zoneAt(from)))
            if (tick.ms >= from && (tick.ms < to || to == end))
                ticks.push_back(tick);
        from = to;
    }
    return ticks;
}

} // namespace mailtrail
