// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <string>

namespace mailtrail {
class Cache;
}

namespace mailtrail::cli {

// Exit codes: 0 ok, 1 some input could not be used, 2 usage error, 3 the cache failed.
enum Exit { Ok = 0, InputError = 1, UsageError = 2, CacheError = 3 };

// Every message goes through one stream so that they reach stderr in the order they were written.
QTextStream &err();
// Writes one line to stderr now.
void complain(const QString &line);

void addCommonOptions(QCommandLineParser &parser);
void addFilterOptions(QCommandLineParser &parser);

// Parses args (without the command word), handles --help and rejects a single-valued option given
// more than once; returns -1 to go on, or the exit code.
int parseArgs(QCommandLineParser &parser, const QString &command, const QStringList &args);
// --format in lower case; empty, with the reason printed, when it is not one of `accepted`.
QString outputFormat(const QCommandLineParser &parser, const QString &command, const QStringList &accepted);
// The format named by --`option` (source-format) as the registry names it in `name`, empty when
// the option is not given; false (with the formats printed) when no format has the name.
bool logFormatOption(const QCommandLineParser &parser, const QString &option, const QString &command, std::string &name);
// Builds the filter from the options; false (with the reason printed) for a malformed value. A
// time without an offset is read in local time here; resolveLogClockTimes reads it again.
bool buildFilter(const QCommandLineParser &parser, const QString &command, Filter &filter);
// Reads the times of --since, --until, --tried-since and --tried-until that name no offset (nor
// Z, nor @epoch) in the clock of the logs of `filter.fileIds` (all of the cache's when empty), as
// the window's time filter and the table's times are: "08:00" is the row that says 08:00,
// whatever the zone of the computer. Call it once the logs are imported. Nothing is read from the
// cache when no such time is given. When the logs were written at more than one offset, says on
// stderr which offset each such time was read at (whose log's clock) and how to give one.
void resolveLogClockTimes(const QCommandLineParser &parser, const QString &command, Cache &cache, Filter &filter);
// "+01:00", "-05:00", "+00:00": as an ISO 8601 time gives its offset.
QString offsetText(int seconds);

} // namespace mailtrail::cli
