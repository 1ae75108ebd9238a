// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <limits>
#include <utility>

namespace mailtrail {

// The clock the logs on show were written in: their offset from UTC, which may change at the
// clock changes of the server's zone. Every time the window shows or takes (the table, the chart's
// buckets and axis, the filter bar, the insights) is in this clock, never in the viewer's own zone:
// "08:00" on the chart is the row that says 08:00 in the table, wherever the window runs.
// A plain value; without changes it is UTC.
class LogClock
{
public:
    LogClock() = default;
    explicit LogClock(int utcOffsetSec) { m_changes.push_back({Earliest, utcOffsetSec}); }

    // From `fromMs` on, the offset is `utcOffsetSec`; changes are added in time order.
    void addChange(qint64 fromMs, int utcOffsetSec);
    int offsetAt(qint64 ms) const;
    QTimeZone zoneAt(qint64 ms) const { return QTimeZone::fromSecondsAheadOfUtc(offsetAt(ms)); }
    // `ms` as this clock shows it.
    QDateTime toWall(qint64 ms) const { return QDateTime::fromMSecsSinceEpoch(ms, zoneAt(ms)); }
    // The moment this clock shows as `date` `time` (the first of two in an hour the clock repeats;
    // in an hour it skips, the time an hour on).
    qint64 fromWall(QDate date, QTime time) const;
    // `ms` formatted as this clock shows it (QDateTime::toString formats, locale-independent, as
    // the table's "yyyy-MM-dd HH:mm:ss").
    QString format(qint64 ms, const QString &form) const { return toWall(ms).toString(form); }
    // The moments within (first, end) at which the offset changes.
    QList<qint64> changesWithin(qint64 first, qint64 end) const;

    bool operator==(const LogClock &) const = default;

private:
    static constexpr qint64 Earliest = std::numeric_limits<qint64>::min();
    QList<std::pair<qint64, int>> m_changes;  // (from, offset), in time order
};

} // namespace mailtrail
