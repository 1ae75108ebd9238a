// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QTimeZone>

#include "logclock.h"

namespace mailtrail {

// One labelled tick of a time axis.
struct TimeTick {
    qint64 ms = 0;  // epoch milliseconds
    QString label;
    bool operator==(const TimeTick &) const = default;
};

// The ticks of a time axis from `first` to `end` (both included): at most `maxTicks` of them, at
// the finest round step of `zone`'s clock that keeps to that number (1, 2, 5, 10, 15 or 30
// minutes; 1, 2, 3, 6 or 12 hours; days; Mondays; 1, 3 or 6 months; 1, 2, 5, 10… years), never at
// whatever time the range happens to start. A tick at midnight is labelled with its date, and
// with its year at New Year (or when the year differs from the tick before); others with the
// time ("14:30"), months with their name, years with the year. Labels are in the current locale.
QList<TimeTick> timeTicks(qint64 first, qint64 end, int maxTicks, const QTimeZone &zone);
// The same in the logs' clock: where its offset changes within the range, each part has the round
// times of its own offset (ticks per part in proportion to its length).
QList<TimeTick> timeTicks(qint64 first, qint64 end, int maxTicks, const LogClock &clock);

} // namespace mailtrail
