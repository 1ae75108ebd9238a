// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/chartdata.h"

#include <string>

namespace mailtrail {

namespace sql {
class Database;
}
struct Filter;

// SQLite's plan of the query that counts the chart's tries of `group` for `filter` (passed through
// Cache::simplified), one line per step: for the benchmarks and the tests of its plans. Throws
// sql::Error.
std::string chartPlan(sql::Database &db, const Filter &filter, ChartGroup group);

} // namespace mailtrail
