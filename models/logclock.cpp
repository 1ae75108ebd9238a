// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logclock.h"

#include <algorithm>

namespace mailtrail {

void LogClock::addChange(qint64 fromMs, int utcOffsetSec)
{
    if (!m_changes.isEmpty() && m_changes.back().second == utcOffsetSec)
        return;
    m_changes.push_back({m_changes.isEmpty() ? Earliest : fromMs, utcOffsetSec});
}

int LogClock::offsetAt(qint64 ms) const
{
    const auto after = std::upper_bound(m_changes.begin(), m_changes.end(), ms,
                                        [](qint64 t, const std::pair<qint64, int> &c) { return t < c.first; });
    return after == m_changes.begin() ? 0 : std::prev(after)->second;
}

qint64 LogClock::fromWall(QDate date, QTime time) const
{
    const qint64 asUtc = QDateTime(date, time, QTimeZone::UTC).toMSecsSinceEpoch();
    // Each offset the clock has had, earliest first: the first that reads back as this wall time.
    for (const auto &[from, offset] : m_changes) {
        const qint64 ms = asUtc - qint64(offset) * 1000;
        if (offsetAt(ms) == offset)
            return ms;
    }
    return asUtc - qint64(offsetAt(asUtc)) * 1000;
}

QList<qint64> LogClock::changesWithin(qint64 first, qint64 end) const
{
    QList<qint64> within;
    for (const auto &[from, offset] : m_changes)
        if (from > first && from < end)
            within.push_back(from);
    return within;
}

} // namespace mailtrail
