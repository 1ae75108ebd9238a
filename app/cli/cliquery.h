// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <QCommandLineParser>
#include <QStringList>

namespace mailtrail::cli {

// Exit codes: 0 ok, 1 some input could not be used, 2 usage error, 3 the cache failed.
enum Exit { Ok = 0, InputError = 1, UsageError = 2, CacheError = 3 };

void addCommonOptions(QCommandLineParser &parser);
void addFilterOptions(QCommandLineParser &parser);

// Opens --cache (or the default); prints the reason and returns false on failure.
bool openCache(Cache &cache, const QCommandLineParser &parser);
// Imports the LOG arguments; prints failures to stderr. `quiet` skips the per-file summary.
int importLogs(Cache &cache, const QCommandLineParser &parser, const QStringList &logs, bool quiet);
// Builds the filter from the options; false (with the reason printed) for a malformed value.
bool buildFilter(const QCommandLineParser &parser, Filter &filter);

int runImport(const QStringList &args);
int runQuery(const QStringList &args, Grain grain);
int runTimeline(const QStringList &args);

} // namespace mailtrail::cli
