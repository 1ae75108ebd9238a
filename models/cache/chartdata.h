// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// What the status chart stacks the delivery tries of a time bucket by.
enum class ChartGroup {
    Outcome,       // "delivered", "deferred" (an expired recipient's too), "bounced", "rejected"
    ReplyCode,     // "250", "450", "550"...; "" when the try got no reply (connection failed)
    EnhancedCode,  // "2.0.0", "5.7.1"...; "" when the reply had none
};

// The tries of one group in one minute: the cache answers per minute, and the chart model joins
// minutes into the bucket the range calls for (so one query serves every zoom level).
struct ChartCell {
    std::int64_t minute = 0;  // epoch milliseconds / 60000
    std::string key;
    std::int64_t count = 0;
};

struct ChartData {
    std::vector<ChartCell> cells;  // ordered by minute, then key
    std::string error;             // the query failed: why, in words for the user
    bool fromKept = false;         // from the numbers the imports keep, not from every try's row
    bool ok() const { return error.empty(); }
};

} // namespace mailtrail
