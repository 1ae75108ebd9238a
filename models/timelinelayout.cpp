// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinelayout.h"

#include <QDateTime>
#include <QHash>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

// Steps a reader counts in: ticks on these fall on round clock times.
constexpr qint64 NiceSteps[] = {
    Second,     2 * Second,  5 * Second, 10 * Second, 15 * Second, 30 * Second, Minute,  2 * Minute,
    5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute, Hour,       2 * Hour,    3 * Hour, 6 * Hour,
    12 * Hour,  Day,         2 * Day,    7 * Day,     14 * Day,    28 * Day,
};

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return u"-"_s + formatDuration(ms == std::numeric_limits<qint64>::min() ? std::numeric_limits<qint64>::max() : -ms);
    if (ms < Second)
        return ms == 0 ? u"0 s"_s : u"%1 ms"_s.arg(ms);
    struct Unit {
        qint64 ms;
        QStringView name;
    };
    static constexpr Unit units[] = {{Day, u"d"}, {Hour, u"h"}, {Minute, u"min"}, {Second, u"s"}};
    for (size_t i = 0; i < std::size(units); ++i) {
        if (ms < units[i].ms)
            continue;
        QString text = QString::number(ms / units[i].ms) + u' ' + units[i].name;
        const qint64 minor = i + 1 < std::size(units) ? (ms % units[i].ms) / units[i + 1].ms : 0;
        if (minor > 0)
            text += u' ' + QString::number(minor) + u' ' + units[i + 1].name;
        return text;
    }
    return {};
}

void TimelineLayout::setTimes(const QList<qint64> &times)
{
    m_knotTimes = times;
    std::sort(m_knotTimes.begin(), m_knotTimes.end());
    m_knotTimes.erase(std::unique(m_knotTimes.begin(), m_knotTimes.end()), m_knotTimes.end());
    relayout();
}

void TimelineLayout::setGeometry(double width, double leftMargin, double rightMargin)
{
    m_width = width;
    m_leftMargin = leftMargin;
    m_rightMargin = rightMargin;
    relayout();
}

void TimelineLayout::setMinSpacing(double px)
{
    m_minSpacing = std::max(0.0, px);
    relayout();
}

void TimelineLayout::setBreakWidth(double px)
{
    m_breakWidth = std::max(0.0, px);
    relayout();
}

void TimelineLayout::setBreakFactor(double factor)
{
    m_breakFactor = factor;
    relayout();
}

void TimelineLayout::setBreakShare(double share)
{
    m_breakShare = share;
    relayout();
}

void TimelineLayout::setMinBreakMs(qint64 ms)
{
    m_minBreakMs = ms;
    relayout();
}

void TimelineLayout::relayout()
{
    m_gaps.clear();
    m_left = m_leftMargin;
    m_right = std::max(m_left, m_width - m_rightMargin);
    const double available = m_right - m_left;
    const qsizetype n = m_knotTimes.size();
    m_knotX = QList<double>(n, m_left);
    if (n == 1)
        m_knotX[0] = m_left + available / 2;
    if (n < 2 || available <= 0)
        return;

    QList<qint64> durations(n - 1);
    for (qsizetype i = 0; i + 1 < n; ++i)
        durations[i] = m_knotTimes[i + 1] - m_knotTimes[i];
    QList<bool> isBreak = findBreaks(durations, available, m_breakWidth);
    const auto breakCount = std::count(isBreak.cbegin(), isBreak.cend(), true);
    // Breaks carry a label, but must leave the events most of the room.
    const double breakWidth = breakCount ? std::min(m_breakWidth, available / 2 / double(breakCount)) : 0;

    QList<qint64> linear;
    for (qsizetype i = 0; i < durations.size(); ++i) {
        if (!isBreak[i])
            linear.append(durations[i]);
    }
    const QList<double> widths = fillWidths(linear, available - breakWidth * double(breakCount), m_minSpacing);
    qsizetype next = 0;
    for (qsizetype i = 0; i < durations.size(); ++i) {
        const double w = isBreak[i] ? breakWidth : widths[next++];
        m_knotX[i + 1] = m_knotX[i] + w;
        if (isBreak[i])
            m_gaps.append(Gap{m_knotX[i], w, m_knotTimes[i], durations[i], formatDuration(durations[i])});
    }
    m_knotX[n - 1] = m_right;  // no drift from summing
}

QList<bool> TimelineLayout::findBreaks(const QList<qint64> &durations, double available, double breakWidth) const
{
    QList<bool> result(durations.size(), false);
    QList<qsizetype> order(durations.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) { return durations[a] > durations[b]; });
    const qint64 median = durations[order[order.size() / 2]];
    const qint64 span = std::accumulate(durations.cbegin(), durations.cend(), qint64(0));
    qint64 linearMs = span;
    int breaks = 0;
    // Longest first. A gap breaks only if it stands out from the typical gap, takes over a share of
    // the whole span (of the whole, not of what is left, or retries backing off exponentially would
    // break one after the other), and is wider to scale than a break; one gap stays to scale.
    for (const qsizetype i : order) {
        const qint64 d = durations[i];
        const double room = available - breakWidth * (breaks + 1);
        if (double(d) <= m_breakFactor * double(median) || d < m_minBreakMs || double(d) <= m_breakShare * double(span)
            || double(d) / double(linearMs) * room <= 1.5 * breakWidth || breaks + 1 >= durations.size())
            break;
        result[i] = true;
        linearMs -= d;
        ++breaks;
    }
    return result;
}

QList<double> TimelineLayout::fillWidths(const QList<qint64> &durations, double width, double minWidth)
{
    const qsizetype n = durations.size();
    if (n == 0 || width <= 0)
        return QList<double>(n, 0.0);
    if (minWidth * double(n) >= width)
        return QList<double>(n, width / double(n));
    // Proportional to duration, except that the short ones are raised to minWidth and the rest
    // shares what is left; repeat until no share falls below the floor.
    QList<double> widths(n);
    QList<bool> floored(n, false);
    for (bool changed = true; changed;) {
        changed = false;
        qint64 freeMs = 0;
        qsizetype flooredCount = 0;
        for (qsizetype i = 0; i < n; ++i) {
            if (floored[i])
                ++flooredCount;
            else
                freeMs += durations[i];
        }
        const double freeWidth = width - minWidth * double(flooredCount);
        for (qsizetype i = 0; i < n; ++i) {
            if (floored[i])
                continue;
            widths[i] = double(durations[i]) * freeWidth / double(freeMs);
            if (widths[i] < minWidth) {
                widths[i] = minWidth;
                floored[i] = changed = true;
            }
        }
    }
    return widths;
}

double TimelineLayout::mapTimeToX(qint64 timeMs) const
{
    if (m_knotTimes.isEmpty())
        return m_left;
    if (timeMs <= m_knotTimes.first())
        return m_knotX.first();
    if (timeMs >= m_knotTimes.last())
        return m_knotX.last();
    const auto it = std::upper_bound(m_knotTimes.cbegin(), m_knotTimes.cend(), timeMs);
    const qsizetype i = (it - m_knotTimes.cbegin()) - 1;
    const double fraction = double(timeMs - m_knotTimes[i]) / double(m_knotTimes[i + 1] - m_knotTimes[i]);
    return m_knotX[i] + fraction * (m_knotX[i + 1] - m_knotX[i]);
}

qint64 TimelineLayout::mapXToTime(double x) const
{
    if (m_knotTimes.isEmpty())
        return 0;
    if (m_knotTimes.size() == 1 || m_right <= m_left || x <= m_knotX.first())
        return m_knotTimes.first();
    if (x >= m_knotX.last())
        return m_knotTimes.last();
    const auto it = std::upper_bound(m_knotX.cbegin(), m_knotX.cend(), x);
    const qsizetype i = (it - m_knotX.cbegin()) - 1;
    const double w = m_knotX[i + 1] - m_knotX[i];
    if (w <= 0)
        return m_knotTimes[i];
    const double fraction = (x - m_knotX[i]) / w;
    return m_knotTimes[i] + qRound64(fraction * double(m_knotTimes[i + 1] - m_knotTimes[i]));
}

QList<TimelineLayout::Section> TimelineLayout::sections() const
{
    QList<Section> result;
    if (m_knotTimes.isEmpty())
        return result;
    Section current{m_knotTimes.first(), 0, m_knotX.first(), 0};
    for (const Gap &gap : m_gaps) {
        current.endMs = gap.startMs;
        current.x1 = gap.x;
        result.append(current);
        current = Section{gap.startMs + gap.durationMs, 0, gap.x + gap.width, 0};
    }
    current.endMs = m_knotTimes.last();
    current.x1 = m_knotX.last();
    result.append(current);
    return result;
}

// Pixels per millisecond of the most compressed stretch between fromMs and toMs.
double TimelineLayout::minScale(qint64 fromMs, qint64 toMs) const
{
    double scale = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i + 1 < m_knotTimes.size(); ++i) {
        if (m_knotTimes[i] >= fromMs && m_knotTimes[i + 1] <= toMs)
            scale = std::min(scale, (m_knotX[i + 1] - m_knotX[i]) / double(m_knotTimes[i + 1] - m_knotTimes[i]));
    }
    return scale;
}

QList<TimelineLayout::Tick> TimelineLayout::ticks(double minPx, int utcOffsetSec) const
{
    QList<Tick> result;
    const qint64 offsetMs = qint64(utcOffsetSec) * Second;
    for (const Section &section : sections()) {
        const double scale = minScale(section.startMs, section.endMs);
        if (section.endMs <= section.startMs || !(scale > 0) || std::isinf(scale))
            continue;
        const auto step = std::find_if(std::cbegin(NiceSteps), std::cend(NiceSteps),
                                       [&](qint64 s) { return double(s) * scale >= minPx; });
        if (step == std::cend(NiceSteps))
            continue;
        for (qint64 t = (floorDiv(section.startMs + offsetMs, *step) + 1) * *step - offsetMs; t < section.endMs; t += *step)
            result.append(Tick{t, mapTimeToX(t), *step});
    }
    return result;
}

QList<TimelineLayout::AxisLabel> TimelineLayout::axisLabels(double minTickPx, int utcOffsetSec) const
{
    const QTimeZone zone = QTimeZone::fromSecondsAheadOfUtc(utcOffsetSec);
    const auto local = [&](qint64 ms, const QString &format) { return QDateTime::fromMSecsSinceEpoch(ms, zone).toString(format); };
    QList<AxisLabel> labels;
    if (m_knotTimes.isEmpty())
        return labels;
    // Each time label in its shortest form; two that would read the same (the same hour of two
    // days across a break, two ticks in one minute) say what tells them apart: the date, else
    // the seconds.
    struct Timed {
        AxisLabel::Kind kind;
        double x;
        qint64 ms;
        QString format;
    };
    QList<Timed> timed;
    // The end names its day when that is not the start's (the date beside the axis is the
    // start's): a try at 00:19 after New Year's Eve must not read as the 31st's.
    const QString startDay = local(startTime(), u"yyyyMMdd"_s);
    const auto clock = [&](qint64 ms) { return local(ms, u"yyyyMMdd"_s) != startDay ? u"d MMM HH:mm:ss"_s : u"HH:mm:ss"_s; };
    timed.append({AxisLabel::End, mapTimeToX(startTime()), startTime(), u"HH:mm:ss"_s});
    // A message whose lines all share one instant has one time to say, not the same one twice.
    if (endTime() != startTime())
        timed.append({AxisLabel::End, mapTimeToX(endTime()), endTime(), clock(endTime())});
    const qsizetype breaksAt = timed.size();
    // The time each break ends at, the try the wait was for (one three hours on had no label but
    // a tick's, when one fell near it).
    for (const Gap &gap : m_gaps) {
        if (const qint64 resumed = gap.startMs + gap.durationMs; resumed != endTime())
            timed.append({AxisLabel::Resume, mapTimeToX(resumed), resumed, clock(resumed)});
    }
    for (const Tick &tick : ticks(minTickPx, utcOffsetSec)) {
        const bool midnight = (tick.timeMs + utcOffsetSec * Second) % Day == 0;
        timed.append({AxisLabel::Tick, tick.x, tick.timeMs, midnight ? u"d MMM"_s : tick.stepMs < Minute ? u"HH:mm:ss"_s : u"HH:mm"_s});
    }
    const auto text = [&](const Timed &t) { return local(t.ms, t.format); };
    for (bool changed = true; changed;) {
        changed = false;
        QHash<QString, QList<qsizetype>> byText;
        for (qsizetype i = 0; i < timed.size(); ++i)
            byText[text(timed[i])].append(i);
        for (const QList<qsizetype> &same : std::as_const(byText)) {
            if (same.size() < 2)
                continue;
            const auto differ = [&](const QString &format) {
                const QString first = local(timed[same.first()].ms, format);
                return std::any_of(same.begin(), same.end(), [&](qsizetype i) { return local(timed[i].ms, format) != first; });
            };
            const auto onStartDay = [&](qsizetype i) { return local(timed[i].ms, u"yyyyMMdd"_s) == startDay; };
            // The one on the day the axis names beside it needs no date.
            const bool oneOnStartDay = std::count_if(same.begin(), same.end(), onStartDay) == 1;
            for (const qsizetype i : same) {
                QString &format = timed[i].format;
                const QString before = format;
                if (differ(u"yyyyMMdd"_s)) {
                    if (oneOnStartDay && onStartDay(i))
                        continue;
                    if (!format.contains(u"MMM"_s))
                        format.prepend(u"d MMM "_s);
                    else if (!format.contains(u"yyyy"_s) && differ(u"yyyy"_s))
                        format.replace(u"MMM"_s, u"MMM yyyy"_s);
                } else if (!format.contains(u"ss"_s) && differ(u"HH:mm:ss"_s)) {
                    format += format.contains(u"HH:mm"_s) ? u":ss"_s : u" HH:mm:ss"_s;
                } else if (!format.contains(u"zzz"_s)) {
                    format += format.contains(u"ss"_s) ? u".zzz"_s : u" HH:mm:ss.zzz"_s;
                }
                changed = changed || format != before;
            }
        }
    }
    const auto add = [&](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to; ++i)
            labels.append({timed[i].kind, timed[i].x, text(timed[i])});
    };
    // The ends first: a break's label makes way for them (it hid the later one, a try hours on).
    add(0, breaksAt);
    for (const Gap &gap : m_gaps)
        labels.append({AxisLabel::Break, gap.x + gap.width / 2, gap.label});
    add(breaksAt, timed.size());
    return labels;
}

double TimelineLayout::laneHeight(int laneCount, double height)
{
    return height > 0 ? height / double(std::max(laneCount, 0) + 1) : 0;
}

double TimelineLayout::laneY(int lane, int laneCount, double height)
{
    const int row = std::clamp(lane, -1, std::max(laneCount, 0) - 1) + 1;
    return laneHeight(laneCount, height) * (row + 0.5);
}

QList<QRectF> TimelineLayout::placeLabels(const QList<Label> &labels, QList<QRectF> obstacles, double minGap, double minX, double maxX)
{
    QList<QRectF> placed;
    for (const Label &label : labels) {
        QRectF where;
        for (QRectF r : {label.rect, label.alternative}) {
            if (r.isNull() || r.width() > maxX - minX)
                continue;
            r.moveLeft(std::clamp(r.left(), minX, maxX - r.width()));
            const auto clash = [&](const QRectF &o) { return o.adjusted(-minGap, 0, minGap, 0).intersects(r); };
            if (std::none_of(obstacles.cbegin(), obstacles.cend(), clash)) {
                where = r;
                break;
            }
        }
        if (!where.isNull())
            obstacles.append(where);
        placed.append(where);
    }
    return placed;
}

int TimelineLayout::eventAt(QPointF pos, double tolerance) const
{
    int best = -1;
    double bestDistance = tolerance * tolerance;
    if (tolerance < 0)
        return best;
    for (qsizetype i = 0; i < m_markers.size(); ++i) {
        const QPointF d = m_markers[i] - pos;
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) {
            best = int(i);
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace mailtrail
