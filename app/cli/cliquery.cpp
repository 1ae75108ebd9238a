// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cliquery.h"

#include "clioutput.h"
#include "cliwords.h"
#include "ingest/ingestor.h"
#include "rowformat.h"
#include "timeformat.h"

#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

// "40 from other programs (dovecot 20, amavis 15, opendkim 5, 2 more)": the first `shown` by
// count, all of them when `shown` is 0.
QString otherProgramsText(const ProgramCounts &programs, std::size_t shown)
{
    std::uint64_t total = 0;
    for (const ProgramLines &p : programs)
        total += p.lines;
    QStringList names;
    for (std::size_t i = 0; i < programs.size() && (shown == 0 || i < shown); ++i)
        names << QString::fromStdString(programs[i].program) + u' ' + QString::number(programs[i].lines);
    if (shown != 0 && programs.size() > shown)
        names << QString::number(programs.size() - shown) + u" more"_s;
    return QString::number(total) + u" from other programs ("_s + names.join(u", "_s) + u')';
}

QString actionName(FileImport::Action a)
{
    switch (a) {
    case FileImport::Action::New: return u"imported"_s;
    case FileImport::Action::Appended: return u"new lines imported"_s;
    case FileImport::Action::Unchanged: return u"unchanged, nothing to do"_s;
    case FileImport::Action::Renamed: return u"already imported under another name (rotated)"_s;
    case FileImport::Action::Replaced: return u"replaced by new content, imported as a new file"_s;
    case FileImport::Action::Reread: return u"read again, in time order with the older log given now"_s;
    case FileImport::Action::Empty: return u"empty"_s;
    case FileImport::Action::Failed: return u"failed"_s;
    }
    return {};
}

// Imports a query's LOG arguments and puts the ids of their files in `fileIds`; returns the exit
// status so far. None of them in the cache leaves nothing to show: that is said, not left to an
// empty answer and a bare exit status.
int importForQuery(Cache &cache, const QCommandLineParser &parser, const QString &command, const QStringList &logs,
                   std::vector<std::int64_t> &fileIds)
{
    const int rc = importLogs(cache, parser, logs, true);
    if (rc == CacheError || rc == UsageError)
        return rc;
    fileIds = cache.fileIdsFor(toStd(logs));
    if (!fileIds.empty())
        return rc;
    if (!cache.error().empty()) {
        complain(u"mailtrail-cli: "_s + QString::fromStdString(cache.error()));
        return CacheError;
    }
    complain(u"mailtrail-cli %1: none of the given logs is in the cache (%2), so there is nothing to show"_s.arg(
        command, rc == Ok ? u"they are empty, or folders with no log in them"_s
                          : u"those that could not be imported are named above"_s));
    return rc == Ok ? InputError : rc;
}

// A text query finds only the messages the free-text index reaches. Brings the index up to date; when
// it cannot, says that the answer is partial and why, and turns off the query's own attempt, which
// would only fail again (after waiting out a lock a second time).
bool textIndexReady(Cache &cache, const QString &command)
{
    if (cache.textIndexComplete())
        return true;
    QString why;
    if (!cache.canBuildIndexes()) {
        why = u"the cache file %1 is read-only, so it cannot be brought up to date; run mailtrail-cli import "
              u"--text-index with write access to it"_s.arg(QString::fromStdString(cache.path()));
    } else {
        // Waits for an import in progress (saying so), which would otherwise leave it behind.
        if (cache.ensureTextIndex())
            return true;
        why = u"it could not be brought up to date: "_s + QString::fromStdString(cache.error());
    }
    cache.setBuildIndexesOnDemand(false);
    complain(u"mailtrail-cli %1: warning: the answer is partial: the free-text index does not reach the latest "
             u"messages (%2)"_s.arg(command, why));
    return false;
}

// --code is the final reply of each row; the chart counts every try. A code that no row ended
// with may be one of earlier tries (4.7.1 greylisting before a 250): said on stderr, with the
// option that finds them, rather than leave an empty answer that contradicts the chart.
} // namespace

void hintTriedAs(Cache &cache, Grain grain, const Filter &filter, const QString &command)
{
    if (filter.code.empty() || !filter.triedAs.empty())
        return;
    const TryGroup group = TryGroup::parse(filter.code);
    if (group.kind != TryGroup::ReplyCode && group.kind != TryGroup::EnhancedCode)
        return;
    Filter tried = filter;
    tried.code.clear();
    tried.triedAs = filter.code;
    const std::int64_t n = cache.count(grain, tried);
    if (n <= 0)
        return;
    const QString code = QString::fromStdString(filter.code);
    // stats counts what messages and deliveries list: the same words, "counts" for "lists".
    complain(u"mailtrail-cli %1: no %2 ended with code %3, but %4 had an earlier try that got it: "
             u"--tried-as %3 %5 them"_s.arg(command, grain == Grain::Messages ? u"message"_s : u"delivery"_s, code,
                                            QString::number(n), command == u"stats"_s ? u"counts"_s : u"lists"_s));
}

namespace {

void waitingFor(const Cache &cache, long pid)
{
    err() << "mailtrail-cli: waiting for another import into " << QString::fromStdString(cache.path())
          << (pid > 0 ? u" (pid %1)"_s.arg(pid) : QString()) << " to finish...\n";
    err().flush();
}

} // namespace

bool openCache(Cache &cache, const QCommandLineParser &parser, const QString &command, CacheNeed need)
{
    const bool named = parser.isSet(u"cache"_s);
    const QString path = named ? parser.value(u"cache"_s) : QString::fromStdString(Cache::defaultPath());
    const QFileInfo info(path);
    // Checked here: SQLite would call a folder a "disk I/O error", and create a missing file.
    if (info.isDir()) {
        complain(u"mailtrail-cli %1: %2 is a directory, not a cache file; name a file with --cache, such as %3"_s.arg(
            command, path, QDir(path).filePath(u"cache.sqlite"_s)));
        return false;
    }
    if (need == CacheNeed::MustExist && !info.exists()) {
        complain(u"mailtrail-cli %1: no cache at %2; import logs first with mailtrail-cli import %3LOG..."_s.arg(
            command, path, named ? u"--cache "_s + path + u' ' : QString()));
        return false;
    }
    cache.setLockWaiting([&cache](long pid) { waitingFor(cache, pid); });
    // A query of the cache as it is never writes it: not even a migration or an index, which go
    // through a connection of their own under the import lock.
    const Cache::Mode mode = need == CacheNeed::MustExist ? Cache::Mode::ReadOnly : Cache::Mode::ReadWrite;
    if (!cache.open(path.toStdString(), mode)) {
        complain(u"mailtrail-cli: "_s + QString::fromStdString(cache.error()));
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
    options.waiting = [&cache](long pid) { waitingFor(cache, pid); };
    options.format = parser.value(u"log-format"_s).toStdString();
    const ImportSummary summary = Ingestor::import(cache, toStd(logs), options);
    if (!summary.ok()) {
        err() << "mailtrail-cli: " << QString::fromStdString(summary.error) << "\n";
        err().flush();
        return CacheError;
    }
    int rc = Ok;
    QTextStream out(stdout);
    // Exim's test suite, a copy of /var/log: the logs may be one folder down. Said, not guessed:
    // /var/log's subfolders hold other programs' logs.
    if (!summary.skippedFolders.empty()) {
        QStringList names;
        for (const std::string &f : summary.skippedFolders)
            names << QString::fromStdString(f);
        const qsizetype shown = std::min<qsizetype>(names.size(), 5);
        err() << "mailtrail-cli: " << (names.size() == 1 ? "a subfolder is" : "subfolders are")
              << " not read (name them to read them): " << names.first(shown).join(u", "_s)
              << (names.size() > shown ? u" and %1 more"_s.arg(names.size() - shown) : QString()) << "\n";
        err().flush();
    }
    // A folder that holds no file (or only folders) read nothing: said, and not a success, as the
    // window says it ("holds no log files").
    if (summary.files.empty() && !logs.isEmpty()) {
        err() << "mailtrail-cli: no log file found in " << logs.join(u", "_s) << "\n";
        err().flush();
        return InputError;
    }
    if (!summary.warning.empty())
        err() << "mailtrail-cli: warning: " << QString::fromStdString(summary.warning) << "\n";
    for (const FileImport &f : summary.files) {
        const QString path = QString::fromStdString(f.path);
        if (f.action == FileImport::Action::Failed || !f.error.empty()) {
            err() << "mailtrail-cli: " << path << ": " << QString::fromStdString(f.error) << "\n";
            rc = InputError;
            continue;
        }
        // Partly read: its rows stay in the cache, but the log was not all used, which a script
        // must be able to tell from the exit status as from a log that could not be read at all.
        if (f.endedEarly) {
            err() << "mailtrail-cli: " << path << ": partly read: the compressed file ends early (truncated); "
                  << "everything before the cut was imported\n";
            rc = InputError;
        }
        if (quiet)
            continue;
        constexpr std::size_t Shown = 3;
        const auto n = [](std::uint64_t v) { return static_cast<qint64>(v); };
        out << path << ": "
            << clauses({f.sameAs.empty() ? actionName(f.action)
                                         : u"same content as %1, skipped"_s.arg(QString::fromStdString(f.sameAs)),
                        f.lines ? counted(n(f.lines), u"line", u"lines") + u" ("_s + QString::fromStdString(f.format) + u')'
                                : QString(),
                        f.unknownLines ? QString::number(f.unknownLines) + u" not understood"_s : QString(),
                        f.otherPrograms.empty()
                            ? QString()
                            : otherProgramsText(f.otherPrograms, parser.isSet(u"verbose"_s) ? 0 : Shown),
                        f.truncatedLines ? counted(n(f.truncatedLines), u"over-long line cut", u"over-long lines cut")
                                         : QString()})
            << "\n";
    }
    if (!quiet) {
        // What the import read, as `messages` lists it: a chain of hops (a content filter's
        // re-injection) once, and a message rewritten while open once.
        std::vector<std::string> read;
        for (const FileImport &f : summary.files) {
            if (f.action != FileImport::Action::Failed)
                read.push_back(f.path);
        }
        Filter ofThese;
        ofThese.chains = true;  // as `messages` lists them without --hops
        ofThese.fileIds = cache.fileIdsFor(read);
        // The usual case, every log of the cache just imported: counted without the per-file
        // condition, which a gigabyte's count would pay for at every message.
        const std::size_t inCache = cache.files().size();
        const bool all = !ofThese.fileIds.empty() && ofThese.fileIds.size() == inCache;
        if (all)
            ofThese.fileIds.clear();
        const bool counts = all || !ofThese.fileIds.empty();
        // Still in the queue: the rows the Summary's number lists (the status filter "queued,
        // deferred"), which is stats' still_queued; counted in the cache, so that a message two
        // servers' logs share a queue id with, written when the other took the id, counts too.
        Filter queued = ofThese;
        queued.statuses = {"queued", "deferred"};
        const std::int64_t stillQueued = counts ? cache.count(Grain::Messages, queued) : 0;
        std::uint64_t bytes = 0;
        for (const FileImport &f : summary.files)
            bytes += f.bytesRead;
        out << clauses({counted(static_cast<qint64>(summary.lines), u"line", u"lines"),
                        counted(static_cast<qint64>(summary.messages), u"message written", u"messages written"),
                        QString::number(std::max<std::int64_t>(stillQueued, 0)) + u" still in the queue at the end"_s})
            << ", in " << QString::number(summary.seconds, 'f', 2) << " s";
        if (summary.seconds > 0 && bytes > 0)
            out << " (" << QString::number(static_cast<double>(bytes) / 1e6 / summary.seconds, 'f', 1) << " MB/s)";
        out << "\n";
        if (counts) {
            const std::int64_t rows = cache.count(Grain::Messages, ofThese);
            if (rows >= 0 && static_cast<std::uint64_t>(rows) != summary.messages)
                out << "the logs imported hold " << counted(rows, u"message", u"messages")
                    << " as `messages` lists them (a chain of hops counts once)\n";
        }
        if (summary.cancelled)
            out << (summary.undone ? "import cancelled; the cache is as it was\n" : "import cancelled; what was read so far is kept\n");
        if (parser.isSet(u"verbose"_s)) {
            for (const auto &[phase, at] : summary.phases)
                out << "  " << QString::number(at, 'f', 3) << " s  " << QString::fromStdString(phase) << "\n";
            out << "  CPU while loading: " << QString::number(summary.readerCpuSeconds, 'f', 3) << " s reading, parsing, "
                << "correlating; " << QString::number(summary.writerCpuSeconds, 'f', 3) << " s writing; "
                << QString::number(summary.countingCpuSeconds, 'f', 3) << " s counting for the summary\n";
        }
    }
    err().flush();
    return rc;
}

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Import or refresh mail logs in the cache and print a summary."_s);
    addCommonOptions(parser);
    parser.addOption({u"verbose"_s, u"Also print when each stage of the import ended, and the CPU time of the "
                                    u"reading, the writing and the counting thread."_s});
    parser.addOption({u"text-index"_s, u"Also bring the free-text index (--text) up to date now, instead of on the first "
                                       "query that needs it."_s});
    parser.addPositionalArgument(u"LOG"_s, u"Log files or folders (plain, or compressed by gzip, bzip2, xz or zstd)."_s, u"LOG..."_s);
    if (int rc = parseArgs(parser, u"import"_s, args); rc >= 0)
        return rc;
    if (parser.positionalArguments().isEmpty()) {
        err() << "mailtrail-cli import: no log file given\n";
        err().flush();
        return UsageError;
    }
    Cache cache;
    if (!openCache(cache, parser, u"import"_s, CacheNeed::MayCreate))
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
    parser.setApplicationDescription(
        (grain == Grain::Messages
             ? u"List messages matching the filters: one row per queue-id lifetime, and one per chain of hops (a "
               u"content filter's re-injection, a relay of the same log set), the first hop's, with its number of hops "
               u"and the fate, reply code and tries of the last."_s
             : u"List deliveries matching the filters: one row per recipient, the final delivery of a chain of hops "
               u"(not its hand-over to the next hop). Its times are its message's arrival (first_seen, which "
               u"--since/--until select by: of a chain, its first hop's, as `messages` lists it; with --hops, "
               u"its own hop's) and its own last try (last_seen; --tried-since/--tried-until select "
               u"by the tries). message_queue_id is the queue id `messages` lists its message by: of a chain "
               u"(a content filter's re-injection), its first hop's; otherwise its own queue_id."_s) +
        u" Every form has the column format: the format of the log each message was first read from "
        u"(postfix, exim, sendmail). In CSV it comes after the columns of earlier versions (of deliveries, "
        u"message_queue_id after it), and the header is the same whatever the formats of the logs."_s);
    addCommonOptions(parser);
    addFilterOptions(parser);
    parser.addOption({u"format"_s, u"Output format: table (default), csv or json."_s, u"FORMAT"_s, u"table"_s});
    parser.addOption({u"limit"_s, u"Print at most N rows (default: all)."_s, u"N"_s});
    parser.addOption({u"hops"_s, grain == Grain::Messages ? u"List every hop of a chain as a message of its own."_s
                                                          : u"Also list the hand-overs to the next hop of a chain."_s});
    parser.addOption({u"raw"_s, u"With --format csv, write every value as the log has it. Without it, a value that a "
                                "spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a "
                                "carriage return) gets an apostrophe in front, as the window's export does."_s});
    parser.addPositionalArgument(u"LOG"_s, u"Import these logs first and show only their messages."_s, u"[LOG...]"_s);
    if (int rc = parseArgs(parser, command, args); rc >= 0)
        return rc;
    const QString format = outputFormat(parser, command, {u"table"_s, u"csv"_s, u"json"_s});
    if (format.isEmpty())
        return UsageError;
    Filter filter;
    if (!buildFilter(parser, command, filter))
        return UsageError;
    filter.chains = !parser.isSet(u"hops"_s);
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
    const QStringList logs = parser.positionalArguments();
    Cache cache;
    if (!openCache(cache, parser, command, logs.isEmpty() ? CacheNeed::MustExist : CacheNeed::MayCreate))
        return CacheError;
    int rc = Ok;
    if (!logs.isEmpty()) {
        rc = importForQuery(cache, parser, command, logs, filter.fileIds);
        if (filter.fileIds.empty())
            return rc;
    }
    resolveLogClockTimes(parser, command, cache, filter);
    const bool partial = !filter.text.empty() && !textIndexReady(cache, command);
    std::int64_t printed = 0;
    if (!printRows(cache, grain, filter, format, limit, parser.isSet(u"raw"_s), &printed)) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return CacheError;
    }
    if (printed == 0)
        hintTriedAs(cache, grain, filter, command);
    return partial ? CacheError : rc;
}

int runTimeline(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Print every event of one message: arrival, each delivery attempt with its "
                                     "reply and delay, bounces, removal; for the first hop of a message that passed "
                                     "through several queues (a content filter, a relay), every hop in order. "
                                     "The first lookup in a cache builds its "
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
    const QString format = outputFormat(parser, u"timeline"_s, {u"table"_s, u"json"_s});
    if (format.isEmpty())
        return UsageError;
    Cache cache;
    if (!openCache(cache, parser, u"timeline"_s, positional.isEmpty() ? CacheNeed::MustExist : CacheNeed::MayCreate))
        return CacheError;
    std::vector<std::int64_t> fileIds;
    int rc = Ok;
    if (!positional.isEmpty()) {
        rc = importForQuery(cache, parser, u"timeline"_s, positional, fileIds);
        if (fileIds.empty())
            return rc;
    }
    const std::vector<std::int64_t> found = cache.findMessages(id.toStdString(), fileIds);
    if (found.empty() && !cache.error().empty()) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return CacheError;
    }
    if (found.empty()) {
        err() << "mailtrail-cli timeline: no message with queue id or Message-ID '" << id << "'\n";
        err().flush();
        return InputError;
    }
    if (!printTimeline(cache, found, format)) {
        err() << "mailtrail-cli: " << QString::fromStdString(cache.error()) << "\n";
        err().flush();
        return CacheError;
    }
    return rc;
}

} // namespace mailtrail::cli
