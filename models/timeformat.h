// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace mailtrail {

// "2026-11-22T08:50:30+01:00" (milliseconds only when there are some), in the zone the log line
// was written in.
QString isoTime(std::int64_t epochMs, std::int32_t utcOffsetSec);

// "2026-11-22 08:50:30": how the window shows a time, in the table and in the message pane alike.
// No zone (every time of the window is in the log's clock) and no milliseconds.
QString tableTime(std::int64_t epochMs, std::int32_t utcOffsetSec);

// Parses what a user types for --since/--until: an ISO 8601 date or date-time, with or without a
// zone (local time when none), "YYYY-MM-DD HH:MM[:SS]", or epoch seconds "@1700000000". Anything
// else, including a valid date followed by something unreadable, is nullopt: never midnight.
std::optional<std::int64_t> parseUserTime(const QString &text);

// The forms parseUserTime accepts, for an error message.
QString userTimeForms();

} // namespace mailtrail
