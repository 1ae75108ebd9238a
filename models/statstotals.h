// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/stats.h"

#include <QCoreApplication>
#include <QString>

#include <utility>
#include <vector>

namespace mailtrail {

// The totals of a summary, each with the one name both the Summary view and `mailtrail-cli stats
// --format text` give it: numbers that look alike but count different things (recipient rows and
// distinct addresses delivered to, recipients still deferred and messages ever deferred) are named
// so that a reader sees why they differ.
struct StatsTotal {
    const char *id;   // "received", "recipients", ... (the Summary's link "total:ID")
    QString label;    // "messages received"
    qint64 value = 0;
    bool bytes = false;

    // The value in words: a count as the locale writes it, bytes with their unit (SI, as size=
    // in the log reads: 3300 bytes are 3.3 kB).
    QString text() const;
};

class StatsTotals
{
    Q_DECLARE_TR_FUNCTIONS(mailtrail::StatsTotals)
public:
    // In the order both show them. `logs`: how many logs the summary covers, which the labels
    // that name them follow ("this log", "these logs": LogWords; 0 unknown, said as several).
    // The CLI's text passes none yet and says "this log", as it always did.
    static std::vector<StatsTotal> of(const Stats &s, qsizetype logs = 1);

    // Whether the delays were measured to the second: the log's times are (syslog's), so a
    // median of 0 means "within the second", not "no time". Told from the figures themselves:
    // a log with sub-second times (RFC 3339) gives a fraction somewhere.
    static bool delaysToTheSecond(const Stats &s);
    // The hours of the day the hourly traffic shows, first and last included: in a summary of
    // one day, those from its first hour with traffic to its last (a log of three hours is three
    // slots, not 24 of which 21 are empty), as the Summary's chart does; over several days, where
    // each slot adds up that hour of every day, all 24.
    static std::pair<int, int> hourSpan(const Stats &s);
    // The kinds of problem a count of them holds, only those present, the count spelt out:
    // "2 deferred tries, 1 bounce", "1,204 rejects" (grouped as the locale groups digits).
    // Untranslated: the text report's.
    static QString problemKinds(const StatsHour &h);
    // A delay as the times measured it: "< 1 s" for 0 of times to the second, "0.877 s" to the
    // millisecond, "365 s" in whole seconds; "–" for none. Untranslated: the text report's.
    static QString delay(const Stats &s, double seconds);
    // A destination (a relay's host) as both name it: Postfix's relay=none, where no server was
    // tried, is "no relay (not sent)", not a host called "none".
    static QString destinationName(const QString &host);
    static QString destinationTip(const QString &host);
};

} // namespace mailtrail
