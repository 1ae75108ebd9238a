// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartmodel.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcChart, "mailtrail.models.chart")

namespace mailtrail {

namespace {

constexpr qint64 Minute = 60000;
constexpr qint64 Day = 24 * 60 * Minute;
// Weeks, months and years are calendar ones: these are their nominal lengths, which name the
// bucket; the buckets themselves start on Mondays, on the 1st, on January 1st.
constexpr qint64 Week = 7 * Day;
constexpr qint64 Month = 30 * Day;
constexpr qint64 Year = 365 * Day;
constexpr qint64 MaxBars = 150;
constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();

const QStringList Outcomes{u"delivered"_s, u"deferred"_s, u"bounced"_s, u"rejected"_s};

// The start of the bucket holding `ms`, on the logs' clock: whole minutes, five minutes, hours,
// midnights, Mondays, the 1st of a month or of a year, so the axis reads 10:00, 10:05… and days
// start when the log's day starts, wherever the window runs.
qint64 bucketStart(qint64 ms, qint64 bucketMs, const LogClock &clock)
{
    const QDateTime local = clock.toWall(ms);
    const QTime t = local.time();
    const QDate d = local.date();
    if (bucketMs >= Year)
        return clock.fromWall(QDate(d.year(), 1, 1), QTime(0, 0));
    if (bucketMs >= Month)
        return clock.fromWall(QDate(d.year(), d.month(), 1), QTime(0, 0));
    if (bucketMs >= Week)
        return clock.fromWall(d.addDays(1 - d.dayOfWeek()), QTime(0, 0));
    if (bucketMs >= Day)
        return clock.fromWall(d, QTime(0, 0));
    const int perBucket = static_cast<int>(bucketMs / Minute);
    const int minutes = t.hour() * 60 + t.minute();
    const int start = minutes / perBucket * perBucket;
    return clock.fromWall(d, QTime(start / 60, start % 60));
}

qint64 nextBucket(qint64 start, qint64 bucketMs, const LogClock &clock)
{
    // A day is 23 or 25 hours when the clocks change; months and years are of the calendar.
    if (bucketMs < Day)
        return start + bucketMs;
    const QDateTime local = clock.toWall(start);
    QDate next = local.date();
    if (bucketMs >= Year)
        next = next.addYears(1);
    else if (bucketMs >= Month)
        next = next.addMonths(1);
    else if (bucketMs >= Week)
        next = next.addDays(7);
    else
        next = next.addDays(1);
    return clock.fromWall(next, QTime(0, 0));
}

} // namespace

qint64 ChartModel::bucketFor(qint64 spanMs)
{
    for (qint64 bucket : {Minute, 5 * Minute, 60 * Minute, Day, Week, Month})
        if (spanMs <= MaxBars * bucket)
            return bucket;
    return Year;
}

double ChartModel::barPosition(const Table &table, qint64 ms)
{
    if (table.starts.isEmpty() || ms <= table.starts.first())
        return -0.5;
    if (ms >= table.end)
        return static_cast<double>(table.starts.size()) - 0.5;
    const auto bar = std::distance(table.starts.begin(), std::upper_bound(table.starts.begin(), table.starts.end(), ms)) - 1;
    const qint64 start = table.starts[bar];
    const qint64 end = bar + 1 < table.starts.size() ? table.starts[bar + 1] : table.end;
    return static_cast<double>(bar) - 0.5 + static_cast<double>(ms - start) / static_cast<double>(end - start);
}

ChartModel::Table ChartModel::build(const ChartData &data, ChartGroup group, qint64 lo, qint64 hi, const LogClock &clock,
                                     bool keepOther)
{
    Table table;
    if (lo == NoLow || hi == NoHigh) {  // no range asked for: the data's own
        if (data.cells.empty())
            return table;
        if (lo == NoLow)
            lo = data.cells.front().minute * Minute;
        if (hi == NoHigh)
            hi = (data.cells.back().minute + 1) * Minute;
    }
    // A range far wider than the data (an open end read as a date, a typo in a year) would make
    // a chart of empty years with the data in one bar: keep to the data, and to at most MaxSpan.
    // Logs of several years are in reach: their bars are weeks, months or years.
    constexpr qint64 MaxSpan = 100 * Year;
    if (hi - lo > 10 * Year && !data.cells.empty()) {
        lo = std::max(lo, data.cells.front().minute * Minute);
        hi = std::min(hi, (data.cells.back().minute + 1) * Minute);
    }
    if (hi - lo > MaxSpan)
        hi = lo + MaxSpan;
    if (hi <= lo)
        return table;
    table.bucketMs = bucketFor(hi - lo);
    // A cell is a minute of tries: in range when the minute overlaps it. A range that starts
    // within a minute (the last hour from the newest line's 21:55:15) holds that minute's tries
    // after its start, which the query counted; the bar that starts before it shows them.
    const auto inRange = [lo, hi](const ChartCell &c) { return (c.minute + 1) * Minute > lo && c.minute * Minute < hi; };
    for (qint64 s = bucketStart(lo, table.bucketMs, clock); s < hi; s = nextBucket(s, table.bucketMs, clock))
        table.starts.push_back(s);
    table.end = table.starts.isEmpty() ? hi : nextBucket(table.starts.back(), table.bucketMs, clock);

    // The columns: the four outcomes always (stable colours and legend), else the codes with the
    // most tries in the range and "other" for the rest.
    if (group == ChartGroup::Outcome) {
        table.keys = Outcomes;
    } else {
        std::map<std::string, qint64> totals;
        for (const ChartCell &c : data.cells)
            if (inRange(c))
                totals[c.key] += c.count;
        std::vector<std::pair<std::string, qint64>> ranked(totals.begin(), totals.end());
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        const bool needOther = ranked.size() > static_cast<std::size_t>(TopCodes);
        if (needOther) {
            for (auto it = ranked.begin() + (TopCodes - 1); it != ranked.end(); ++it)
                table.othersInRange.append({QString::fromStdString(it->first), it->second});
            ranked.resize(TopCodes - 1);
        }
        std::sort(ranked.begin(), ranked.end());  // codes in their own order: 250, 421, 450...
        for (const auto &[key, n] : ranked)
            table.keys << QString::fromStdString(key);
        if (needOther || keepOther)
            table.keys << OtherKey;
    }
    table.counts.fill(QList<qint64>(table.keys.size(), 0), table.starts.size());
    const qsizetype other = table.keys.indexOf(OtherKey);
    std::vector<std::map<QString, qint64>> others(other >= 0 ? table.starts.size() : 0);
    for (const ChartCell &c : data.cells) {
        const qint64 ms = c.minute * Minute;
        if (!inRange(c))
            continue;
        const auto it = std::upper_bound(table.starts.begin(), table.starts.end(), ms);
        if (it == table.starts.begin())
            continue;
        const auto bucket = std::distance(table.starts.begin(), it) - 1;
        qsizetype column = table.keys.indexOf(QString::fromStdString(c.key));
        if (column < 0 && other >= 0) {
            column = other;
            others[bucket][QString::fromStdString(c.key)] += c.count;
        }
        if (column >= 0)
            table.counts[bucket][column] += c.count;
    }
    if (other >= 0) {
        table.others.resize(table.starts.size());
        for (std::size_t b = 0; b < others.size(); ++b) {
            auto &codes = table.others[static_cast<qsizetype>(b)];
            for (const auto &[key, n] : others[b])
                codes.append({key, n});
            std::stable_sort(codes.begin(), codes.end(), [](const auto &x, const auto &y) { return x.second > y.second; });
        }
    }
    return table;
}

ChartModel::ChartModel(QString cachePath, QObject *parent)
    : QAbstractTableModel(parent)
    , m_reader(cachePath.toStdString())
{
}

void ChartModel::request(const Filter &filter)
{
    m_filter = filter;
    start();
}

void ChartModel::setGroup(ChartGroup group)
{
    if (group == m_group)
        return;
    m_group = group;
    start();
}

void ChartModel::setClock(const LogClock &clock)
{
    if (clock == m_clock)
        return;
    m_clock = clock;
    start();
}

QString ChartModel::bucketText(int bucket) const
{
    if (bucket < 0 || bucket >= m_table.starts.size())
        return {};
    const qint64 start = m_table.starts[bucket];
    const qint64 end = bucket + 1 < m_table.starts.size() ? m_table.starts[bucket + 1] : m_table.end;
    // A day or more (weeks, months, years): from its first day to its last, without times.
    if (end - start >= Day) {
        const QString from = m_clock.format(start, u"yyyy-MM-dd"_s), to = m_clock.format(end - 1, u"yyyy-MM-dd"_s);
        return from == to ? from : u"%1 – %2"_s.arg(from, to);
    }
    return u"%1 – %2"_s.arg(m_clock.format(start, u"yyyy-MM-dd HH:mm"_s), m_clock.format(end, u"HH:mm"_s));
}

void ChartModel::start()
{
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    const Filter filter = m_filter;
    const ChartGroup group = m_group;
    m_reader.start<ChartData>(
        this, [filter, group](Cache &cache, std::string &) { return cache.chartData(filter, group); },
        [this, group, lo = filter.sinceMs, hi = filter.untilMs,
         onOther = filter.triedAs.find(',') != std::string::npos](ChartData data, const QString &error) {
            beginResetModel();
            m_error = error;
            m_table = error.isEmpty() ? build(data, group, lo, hi, m_clock, onOther) : Table{};
            endResetModel();
            m_busy = false;
            Q_EMIT busyChanged(false);
            if (!m_error.isEmpty()) {
                qCWarning(lcChart) << "chart query failed:" << m_error;
                Q_EMIT failed(m_error);
            }
            Q_EMIT updated();
        });
}

void ChartModel::waitForIdle()
{
    m_reader.waitForDone();
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

int ChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.starts.size());
}

int ChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.keys.size());
}

QVariant ChartModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return m_table.counts[index.row()][index.column()];
    if (role == SeriesKeyRole)
        return m_table.keys[index.column()];
    return {};
}

QVariant ChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= m_table.starts.size())
            return {};
        const qint64 start = m_table.starts[section];
        const qint64 end = section + 1 < m_table.starts.size() ? m_table.starts[section + 1] : m_table.end;
        switch (role) {
        case BucketStartRole: return start;
        case BucketEndRole: return end;
        case Qt::DisplayRole: return m_clock.format(start, u"yyyy-MM-dd HH:mm"_s);
        default: return {};
        }
    }
    if (section < 0 || section >= m_table.keys.size())
        return {};
    const QString &key = m_table.keys[section];
    if (role == SeriesKeyRole)
        return key;
    if (role != Qt::DisplayRole)
        return {};
    if (m_group == ChartGroup::Outcome) {
        if (key == u"delivered"_s)
            return tr("Delivered (2xx)");
        if (key == u"deferred"_s)
            return tr("Deferred (4xx)");
        if (key == u"bounced"_s)
            return tr("Bounced (5xx)");
        return tr("Rejected");
    }
    if (key == OtherKey)
        return tr("Other");
    if (key.isEmpty())
        return m_group == ChartGroup::ReplyCode ? tr("Not delivered, no code") : tr("No enhanced code");
    if (m_group == ChartGroup::ReplyCode && key == DeliveredNoReplyKey)
        return tr("Delivered, no code");
    return key;
}

QStringList ChartModel::statusesOf(const QString &outcome)
{
    if (outcome == u"delivered"_s)
        return {u"sent"_s};
    // An expired recipient's tries were deferrals (chartOutcome): the chart shows them as such.
    if (outcome == u"deferred"_s)
        return {u"deferred"_s, u"expired"_s};
    return {outcome};
}

Filter ChartModel::filterFor(Filter base, int bucket, int column) const
{
    // A segment counts tries: the rows it stands for are those with such a try in its bucket, not
    // the messages that arrived then and ended in that state (a greylisted try later delivered,
    // the retry of an older message). The chart's range is of tries too, so the arrival range
    // gives way to the bucket's.
    if (bucket >= 0 && bucket < m_table.starts.size()) {
        base.triedSinceMs = m_table.starts[bucket];
        base.triedUntilMs = bucket + 1 < m_table.starts.size() ? m_table.starts[bucket + 1] : m_table.end;
        base.sinceMs = std::numeric_limits<std::int64_t>::min();
        base.untilMs = std::numeric_limits<std::int64_t>::max();
    }
    if (column < 0 || column >= m_table.keys.size())
        return base;
    const QString &key = m_table.keys[column];
    if (key != OtherKey)
        base.triedAs = triedAsFor(m_group, key.toStdString());
    else  // the codes "Other" holds in that bar (or in the whole range)
        base.triedAs = anyOf(bucket >= 0 && bucket < m_table.others.size() ? m_table.others[bucket] : m_table.othersInRange);
    return base;
}

std::string ChartModel::anyOf(const QList<QPair<QString, qint64>> &codes) const
{
    // In the codes' own order, so that the legend's Other is the same filter however its codes
    // ranked (Filter::triedAs takes them comma-separated: a try of any of them).
    std::vector<std::string> keys;
    for (const auto &[key, n] : codes)
        keys.push_back(triedAsFor(m_group, key.toStdString()));
    std::sort(keys.begin(), keys.end());
    std::string out;
    for (const std::string &k : keys)
        out += (out.empty() ? "" : ",") + k;
    return out;
}

bool ChartModel::isSelected(const Filter &filter, int column) const
{
    if (column < 0 || column >= m_table.keys.size())
        return false;
    const QString &key = m_table.keys[column];
    // A code's entry narrows to the mail with such a try, as its segments do (triedAs).
    // "Other" is on while a list of codes is (its codes change with the rows it narrowed to).
    if (m_group != ChartGroup::Outcome)
        return key == OtherKey ? filter.triedAs.find(',') != std::string::npos
                               : !filter.triedAs.empty() && filter.triedAs == triedAsFor(m_group, key.toStdString());
    // On with any of its states: "Deferred" picked in the status box is the legend's Deferred
    // (deferred and expired), which a click switches off (it added Expired instead).
    const QStringList wanted = statusesOf(key);
    return std::any_of(wanted.begin(), wanted.end(), [&filter](const QString &s) {
        return std::find(filter.statuses.begin(), filter.statuses.end(), s.toStdString()) != filter.statuses.end();
    });
}

Filter ChartModel::toggled(Filter base, int column) const
{
    if (column < 0 || column >= m_table.keys.size())
        return base;
    const QString &key = m_table.keys[column];
    if (m_group != ChartGroup::Outcome) {
        // The tries of that code, whenever they were: not the final code (a 4.7.1 greylisting was
        // later delivered, and a final-code filter of it listed nothing, the chart and its legend
        // gone with the rows, nothing left to click back).
        // "Other": any of the codes it holds in the range on show.
        const std::string as = key == OtherKey ? anyOf(m_table.othersInRange) : triedAsFor(m_group, key.toStdString());
        base.triedAs = isSelected(base, column) ? std::string() : as;
        return base;
    }
    const bool on = isSelected(base, column);
    for (const QString &s : statusesOf(key)) {
        const std::string name = s.toStdString();
        std::erase(base.statuses, name);
        if (!on)
            base.statuses.push_back(name);
    }
    return base;
}

} // namespace mailtrail
