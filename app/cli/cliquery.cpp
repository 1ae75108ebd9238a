// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cliquery.h"

#include "clioutput.h"
#include "rowformat.h"
#include "timeformat.h"

#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

QString actionName(FileImport::Action a)
{
    switch (a) {
    case FileImport::Action::New: return u"imported"_s;
    case FileImport::Action::Appended: return u"new lines imported"_s;
    case FileImport::Action::Unchanged: return u"unchanged, nothing to do"_s;
    case FileImport::Action::Renamed: return u"already imported under another name (rotated)"_s;
    case FileImport::Action::Replaced: return u"replaced by new content, imported as a new file"_s;
    case FileImport::Action::Empty: return u"empty"_s;
    case FileImport::Action::Failed: return u"failed"_s;
    }
    return {};
}

// Parses args (without the command word) and handles --help; returns -1 to go on.
int parseArgs(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    parser.addHelpOption();
    QStringList full{u"mailtrail-cli "_s + command};
    full += args;
    if (!parser.parse(full)) {
        err() << "mailtrail-cli " << command << ": " << parser.errorText() << "\n"
              << "Try 'mailtrail-cli " << command << " --help'.\n";
        err().flush();
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << parser.helpText();
        return Ok;
    }
    return -1;
}

} // namespace

void addCommonOptions(QCommandLineParser &parser)
{
    parser.addOption({u"cache"_s, u"Cache file (default: %1)."_s.arg(QString::fromStdString(Cache::defaultPath())),
                      u"FILE"_s});
    parser.addOption({u"year"_s, u"Year of the first line of logs whose timestamps have none (default: from the "
                                 "file's modification time)."_s,
                      u"YEAR"_s});
}

void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption({u"sender"_s, u"Sender matches GLOB (* and ?), or contains it when it has no wildcard."_s, u"GLOB"_s});
    parser.addOption({u"recipient"_s, u"A recipient (or original recipient) matches GLOB."_s, u"GLOB"_s});
    parser.addOption({u"status"_s, u"Status is one of LIST: sent,deferred,bounced,expired,rejected,queued."_s, u"LIST"_s});
    parser.addOption({u"code"_s, u"Reply code (550), class (5xx, 4) or enhanced status code (5.1.1, 4.7)."_s, u"N"_s});
    parser.addOption({u"since"_s, u"First seen at or after T (ISO 8601, e.g. 2026-11-22 or 2026-11-22T08:00+01:00)."_s, u"T"_s});
    parser.addOption({u"until"_s, u"First seen before T."_s, u"T"_s});
    parser.addOption({u"text"_s, u"All WORDS appear in addresses, ids, relays or reply texts."_s, u"WORDS"_s});
    parser.addOption({u"format"_s, u"Output format: table (default), csv or json."_s, u"FORMAT"_s, u"table"_s});
    parser.addOption({u"limit"_s, u"Print at most N rows (default: all)."_s, u"N"_s});
}

bool openCache(Cache &cache, const QCommandLineParser &parser)
{
    const std::string path = parser.isSet(u"cache"_s) ? parser.value(u"cache"_s).toStdString() : Cache::defaultPath();
    if (!cache.open(path)) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return false;
    }
    return true;
}

int importLogs(Cache &cache, const QCommandLineParser &parser, const QStringList &logs, bool quiet)
{
    ImportOptions options;
    if (parser.isSet(u"year"_s)) {
        bool ok = false;
        options.year = parser.value(u"year"_s).toInt(&ok);
        if (!ok || options.year < 1970 || options.year > 9999) {
            err() << "mailtrail-cli: --year wants a year such as 2026, not '" << parser.value(u"year"_s) << "'\n";
            err().flush();
            return UsageError;
        }
    }
    const ImportSummary summary = cache.import(toStd(logs), options);
    if (!summary.ok()) {
        err() << "mailtrail-cli: " << QString::fromStdString(summary.error) << "\n";
        err().flush();
        return CacheError;
    }
    int rc = Ok;
    QTextStream out(stdout);
    if (!summary.warning.empty())
        err() << "mailtrail-cli: warning: " << QString::fromStdString(summary.warning) << "\n";
    for (const FileImport &f : summary.files) {
        const QString path = QString::fromStdString(f.path);
        if (f.action == FileImport::Action::Failed || !f.error.empty()) {
            err() << "mailtrail-cli: " << path << ": " << QString::fromStdString(f.error) << "\n";
            rc = InputError;
            continue;
        }
        if (f.endedEarly)
            err() << "mailtrail-cli: " << path << ": the compressed file ends early (truncated); "
                  << "everything before the cut was imported\n";
        if (quiet)
            continue;
        out << path << ": " << actionName(f.action);
        if (f.lines)
            out << ", " << f.lines << " lines (" << QString::fromStdString(f.format) << ")";
        if (f.unknownLines)
            out << ", " << f.unknownLines << " not understood";
        if (f.truncatedLines)
            out << ", " << f.truncatedLines << " over-long lines cut";
        out << "\n";
    }
    if (!quiet) {
        std::uint64_t bytes = 0;
        for (const FileImport &f : summary.files)
            bytes += f.bytesRead;
        out << summary.lines << " lines, " << summary.messages << " messages written, " << summary.openMessages
            << " still in the queue at the end, in " << QString::number(summary.seconds, 'f', 2) << " s";
        if (summary.seconds > 0 && bytes > 0)
            out << " (" << QString::number(static_cast<double>(bytes) / 1e6 / summary.seconds, 'f', 1) << " MB/s)";
        out << "\n";
        if (summary.cancelled)
            out << "import cancelled; what was read so far is kept\n";
        if (parser.isSet(u"verbose"_s)) {
            for (const auto &[phase, at] : summary.phases)
                out << "  " << QString::number(at, 'f', 3) << " s  " << QString::fromStdString(phase) << "\n";
            out << "  CPU while loading: " << QString::number(summary.readerCpuSeconds, 'f', 3) << " s reading, parsing, "
                << "correlating; " << QString::number(summary.writerCpuSeconds, 'f', 3) << " s writing\n";
        }
    }
    err().flush();
    return rc;
}

bool buildFilter(const QCommandLineParser &parser, Filter &filter)
{
    filter.sender = parser.value(u"sender"_s).toStdString();
    filter.recipient = parser.value(u"recipient"_s).toStdString();
    filter.code = parser.value(u"code"_s).toStdString();
    filter.text = parser.value(u"text"_s).toStdString();
    for (const QString &s : parser.value(u"status"_s).split(u',', Qt::SkipEmptyParts)) {
        int value = 0;
        if (!parseStateName(s.trimmed().toStdString(), value)) {
            err() << "mailtrail-cli: unknown status '" << s << "' (use sent, deferred, bounced, expired, rejected, queued)\n";
            err().flush();
            return false;
        }
        filter.statuses.push_back(s.trimmed().toLower().toStdString());
    }
    for (const char *name : {"since", "until"}) {
        const QString key = QString::fromLatin1(name);
        if (!parser.isSet(key))
            continue;
        const auto t = parseUserTime(parser.value(key));
        if (!t) {
            err() << "mailtrail-cli: --" << key << ": cannot read '" << parser.value(key)
                  << "' as a time (try 2026-11-22 or 2026-11-22T08:00:00+01:00)\n";
            err().flush();
            return false;
        }
        (key == u"since"_s ? filter.sinceMs : filter.untilMs) = *t;
    }
    return true;
}

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Import or refresh mail logs in the cache and print a summary."_s);
    addCommonOptions(parser);
    parser.addOption({u"verbose"_s, u"Also print when each stage of the import ended, and the CPU time of the "
                                    u"reading and the writing thread."_s});
    parser.addOption({u"text-index"_s, u"Also bring the free-text index (--text) up to date now, instead of on the first "
                                       "query that needs it."_s});
    parser.addPositionalArgument(u"LOG"_s, u"Log files or folders (plain or .gz)."_s, u"LOG..."_s);
    if (int rc = parseArgs(parser, u"import"_s, args); rc >= 0)
        return rc;
    if (parser.positionalArguments().isEmpty()) {
        err() << "mailtrail-cli import: no log file given\n";
        err().flush();
        return UsageError;
    }
    Cache cache;
    if (!openCache(cache, parser))
        return CacheError;
    const int rc = importLogs(cache, parser, parser.positionalArguments(), false);
    if (rc != CacheError && parser.isSet(u"text-index"_s) && !cache.ensureTextIndex()) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return CacheError;
    }
    return rc;
}

int runQuery(const QStringList &args, Grain grain)
{
    const QString command = grain == Grain::Messages ? u"messages"_s : u"deliveries"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(grain == Grain::Messages
                                         ? u"List messages (one row per queue-id lifetime) matching the filters."_s
                                         : u"List deliveries (one row per recipient) matching the filters."_s);
    addCommonOptions(parser);
    addFilterOptions(parser);
    parser.addPositionalArgument(u"LOG"_s, u"Import these logs first and show only their messages."_s, u"[LOG...]"_s);
    if (int rc = parseArgs(parser, command, args); rc >= 0)
        return rc;
    const QString format = parser.value(u"format"_s);
    if (format != u"table"_s && format != u"csv"_s && format != u"json"_s) {
        err() << "mailtrail-cli " << command << ": unknown format '" << format << "' (use table, csv or json)\n";
        err().flush();
        return UsageError;
    }
    Filter filter;
    if (!buildFilter(parser, filter))
        return UsageError;
    std::int64_t limit = -1;
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        limit = parser.value(u"limit"_s).toLongLong(&ok);
        if (!ok || limit < 0) {
            err() << "mailtrail-cli: --limit wants a number\n";
            err().flush();
            return UsageError;
        }
    }
    Cache cache;
    if (!openCache(cache, parser))
        return CacheError;
    int rc = Ok;
    const QStringList logs = parser.positionalArguments();
    if (!logs.isEmpty()) {
        rc = importLogs(cache, parser, logs, true);
        if (rc == CacheError || rc == UsageError)
            return rc;
        filter.fileIds = cache.fileIdsFor(toStd(logs));
        if (filter.fileIds.empty())
            return rc == Ok ? InputError : rc;
    }
    if (!printRows(cache, grain, filter, format, limit)) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return CacheError;
    }
    return rc;
}

int runTimeline(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Print every event of one message: arrival, each delivery attempt with its "
                                     "reply and delay, bounces, removal. The first lookup in a cache builds its "
                                     "indexes by queue id and Message-ID (about 2 s for a million messages)."_s);
    addCommonOptions(parser);
    parser.addOption({u"format"_s, u"Output format: table (default) or json."_s, u"FORMAT"_s, u"table"_s});
    parser.addPositionalArgument(u"ID"_s, u"Queue id or Message-ID of the message."_s);
    parser.addPositionalArgument(u"LOG"_s, u"Import these logs first and look only in them."_s, u"[LOG...]"_s);
    if (int rc = parseArgs(parser, u"timeline"_s, args); rc >= 0)
        return rc;
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        err() << "mailtrail-cli timeline: which message? Give a queue id or Message-ID\n";
        err().flush();
        return UsageError;
    }
    const QString id = positional.takeFirst();
    Cache cache;
    if (!openCache(cache, parser))
        return CacheError;
    std::vector<std::int64_t> fileIds;
    int rc = Ok;
    if (!positional.isEmpty()) {
        rc = importLogs(cache, parser, positional, true);
        if (rc == CacheError || rc == UsageError)
            return rc;
        fileIds = cache.fileIdsFor(toStd(positional));
        if (fileIds.empty())
            return InputError;
    }
    const std::vector<std::int64_t> found = cache.findMessages(id.toStdString(), fileIds);
    if (found.empty()) {
        err() << "mailtrail-cli timeline: no message with queue id or Message-ID '" << id << "'\n";
        err().flush();
        return InputError;
    }
    if (!printTimeline(cache, found, parser.value(u"format"_s)))
        return CacheError;
    return rc;
}

} // namespace mailtrail::cli
