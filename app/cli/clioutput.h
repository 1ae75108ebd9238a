// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <QString>

namespace mailtrail::cli {

// Streams the matching rows to stdout as table, csv or json. CSV is formula-safe (see
// CsvWriter::formulaSafe) unless `raw`.
// `printed`, when given, gets the number of rows printed.
bool printRows(Cache &cache, Grain grain, const Filter &filter, const QString &format, std::int64_t limit,
               bool raw = false, std::int64_t *printed = nullptr);
// Each message's events from its raw lines, then its deliveries.
bool printTimeline(Cache &cache, const std::vector<std::int64_t> &messageIds, const QString &format);

} // namespace mailtrail::cli
