// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "clioptions.h"

namespace mailtrail::cli {

// Whether a command may create the cache: importing does; a query with nothing to import only reads,
// and opens it read-only.
enum class CacheNeed { MayCreate, MustExist };

// Opens --cache (or the default); prints the reason and returns false on failure.
bool openCache(Cache &cache, const QCommandLineParser &parser, const QString &command, CacheNeed need);
// Imports the LOG arguments; prints failures to stderr. `quiet` skips the per-file summary.
int importLogs(Cache &cache, const QCommandLineParser &parser, const QStringList &logs, bool quiet);

// --code finds the final reply; when it found nothing (`printed` 0) that --tried-as would, says so
// on stderr with the option that does.
void hintTriedAs(Cache &cache, Grain grain, const Filter &filter, const QString &command);

int runImport(const QStringList &args);
int runQuery(const QStringList &args, Grain grain);
int runTimeline(const QStringList &args);

} // namespace mailtrail::cli
