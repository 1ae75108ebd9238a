// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "logclock.h"

#include <QCoreApplication>
#include <QString>

namespace mailtrail {

// What a click on the chart or the Summary narrowed the filter to that no field of the filter bar
// shows (tries in a bucket of time, of an outcome or a code, to a destination; rejects of a
// reason), in plain words: "Only mail with a try answered 421 at mx.example.org, between
// 2026-11-22 08:00 and 09:00." Times in the logs' clock.
class NarrowedNote
{
    Q_DECLARE_TR_FUNCTIONS(NarrowedNote)
public:
    // Reads the tried range, triedAs, destination, rejectReason, received and messageIds of `filter`; "" when
    // none is set.
    // `insight` names the insight whose messages messageIds are ("Deferrals, example.org").
    // `logs`: how many logs are on show ("this log" or "these logs"; 0 unknown).
    static QString describe(const Filter &filter, const LogClock &clock, const QString &insight = QString(), qsizetype logs = 0);

private:
    // "a try answered 421", "a deferred try"...: the tries of `triedAs` (TryGroup).
    static QString tries(const std::string &triedAs);
};

} // namespace mailtrail
