// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/importer.h"

#include "cache/cachewriter.h"
#include "cache/fileprobe.h"
#include "cache/importstate.h"
#include "cache/schema.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"
#include "correlation/correlator.h"
#include "parsing/formatdetector.h"
#include "parsing/logreader.h"
#include "parsing/postfixparser.h"
#include "parsing/syslogline.h"
#include "parsing/timestampresolver.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailtrail {

namespace {

constexpr std::size_t DetectBytes = 64 * 1024;  // enough lines to tell the format

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Thrown to leave an import whose every row must be undone.
struct Undo {};

} // namespace

struct Importer::StoredFile {
    std::int64_t id = 0;
    std::string path;
    std::int64_t headHash = 0;
    std::size_t headLen = 0;
    std::int64_t tailHash = 0;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    std::uint64_t parsedOffset = 0;
    int year = 0;
    int lastMonth = 0;
    std::int64_t firstTime = 0;
    std::int64_t lastTime = 0;
    std::int64_t lines = 0;
    std::int64_t unknownLines = 0;
    std::int64_t truncatedLines = 0;
    bool compressed = false;
};

struct Importer::Candidate {
    FileImport result;
    struct stat st {};
    std::string head;
    bool compressed = false;
    LogFormat format = LogFormat::Unknown;
    StoredFile stored;           // matching record (id 0 when new)
    std::int64_t replacedId = 0; // record that had this path but other content
    std::int64_t sortTime = 0;
    std::string firstHost;  // of its first line, for a new log
    int rereadYear = 0;     // read again from its start: the year its first line had the first time
    // After reading:
    bool needsRead = true;  // false for a renamed file with nothing new: only its name changes
    bool processed = false; // reached by this import (a cancel may stop it before)
    bool insertedNow = false;
    std::uint64_t endOffset = 0;
    int year = 0;
    int lastMonth = 0;
};

Importer::Importer(sql::Database &db, const ImportOptions &options)
    : m_db(db)
    , m_options(options)
{
}

std::vector<std::string> Importer::expand(const std::vector<std::string> &paths, ImportSummary &summary)
{
    std::vector<std::string> files;
    // A folder may hold the cache itself (a cache kept beside the logs): not a log to read.
    const char *dbFile = sqlite3_db_filename(m_db.handle(), "main");
    const std::string cachePath = dbFile ? dbFile : "";
    auto isCacheFile = [&cachePath](const std::string &file) {
        if (cachePath.empty())
            return false;
        const std::string canonical = canonicalPath(file);
        return canonical == cachePath || canonical == cachePath + "-wal" || canonical == cachePath + "-shm" ||
               canonical == cachePath + "-journal";
    };
    for (const std::string &path : paths) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            std::vector<std::string> inside;
            if (DIR *dir = ::opendir(path.c_str())) {
                while (const dirent *e = ::readdir(dir)) {
                    const std::string child = path + '/' + e->d_name;
                    struct stat cst {};
                    if (e->d_name[0] != '.' && ::stat(child.c_str(), &cst) == 0 && S_ISREG(cst.st_mode) &&
                        !isCacheFile(child))
                        inside.push_back(child);
                }
                ::closedir(dir);
            } else {
                FileImport f;
                f.path = path;
                f.error = std::string("cannot open folder: ") + std::strerror(errno);
                summary.files.push_back(std::move(f));
            }
            std::sort(inside.begin(), inside.end());
            files.insert(files.end(), inside.begin(), inside.end());
        } else {
            files.push_back(path);
        }
    }
    return files;
}

std::vector<Importer::StoredFile> Importer::loadFiles()
{
    std::vector<StoredFile> files;
    sql::Statement st(m_db, "SELECT id, coalesce(path, ''), head_hash, head_len, tail_hash, size, mtime, parsed_offset, "
                            "coalesce(year, 0), coalesce(last_month, 0), coalesce(first_time, 0), "
                            "coalesce(last_time, 0), lines, unknown_lines, truncated_lines, compressed FROM files");
    while (st.step()) {
        StoredFile f;
        f.id = st.int64(0);
        f.path = std::string(st.text(1));
        f.headHash = st.int64(2);
        f.headLen = static_cast<std::size_t>(st.int64(3));
        f.tailHash = st.int64(4);
        f.size = st.int64(5);
        f.mtime = st.int64(6);
        f.parsedOffset = static_cast<std::uint64_t>(st.int64(7));
        f.year = st.integer(8);
        f.lastMonth = st.integer(9);
        f.firstTime = st.int64(10);
        f.lastTime = st.int64(11);
        f.lines = st.int64(12);
        f.unknownLines = st.int64(13);
        f.truncatedLines = st.int64(14);
        f.compressed = st.integer(15) != 0;
        files.push_back(std::move(f));
    }
    return files;
}

bool Importer::inspect(Candidate &c, const std::vector<StoredFile> &stored)
{
    const std::string &path = c.result.path;
    if (::stat(path.c_str(), &c.st) != 0) {
        c.result.error = std::strerror(errno);
        return false;
    }
    if (!S_ISREG(c.st.st_mode)) {
        c.result.error = "not a regular file";
        return false;
    }
    if (::access(path.c_str(), R_OK) != 0) {
        c.result.error = std::strerror(errno);
        return false;
    }
    if (c.st.st_size == 0) {
        c.result.action = FileImport::Action::Empty;
        return false;
    }
    {
        LogReader probe;
        if (!probe.open(path)) {
            c.result.error = probe.error();
            return false;
        }
        c.compressed = probe.isCompressed();
    }
    c.head = LogReader::readHead(path, DetectBytes);
    if (c.head.empty()) {
        c.result.error = c.compressed ? "the compressed file holds no readable data" : "cannot read the file";
        return false;
    }
    c.format = detectFormat(c.head);
    if (c.format == LogFormat::Unknown && c.head.find('\n') == std::string::npos)
        c.format = detectFormat(fileprobe::sampleAfterFirstLine(path, DetectBytes));  // a first line longer than the probe
    c.result.format = formatName(c.format);
    if (c.format == LogFormat::Unknown) {
        c.result.error = "not a mail log Mailtrail can read (supported: Postfix)";
        return false;
    }

    const std::uint64_t length = c.compressed ? fileprobe::uncompressedLength(path) : static_cast<std::uint64_t>(c.st.st_size);
    auto continues = [&](const StoredFile &f) {
        if (f.headLen > c.head.size() || searchkeys::fnv1a(std::string_view(c.head).substr(0, f.headLen)) != f.headHash)
            return false;
        if (c.compressed)  // cannot cheaply check the tail; the length modulo 2^32 must not be shorter
            return (length & 0xffffffffULL) >= (f.parsedOffset & 0xffffffffULL) || length == 0;
        if (f.compressed)  // the .gz of this content came first: it has no tail hash to compare
            return length >= f.parsedOffset;
        return length >= f.parsedOffset && fileprobe::tailHash(path, f.parsedOffset) == f.tailHash;
    };
    const StoredFile *match = nullptr;
    for (const StoredFile &f : stored) {
        if (f.path == path) {
            if (continues(f)) {
                match = &f;
            } else if (!c.compressed && !f.compressed && length < f.parsedOffset && f.headLen <= c.head.size() &&
                       searchkeys::fnv1a(std::string_view(c.head).substr(0, f.headLen)) == f.headHash) {
                // Cut back to a part of what was imported (truncate -s, a restored copy): nothing
                // in it is new, and reading it as new content would show its messages twice.
                c.result.action = FileImport::Action::Unchanged;
                c.result.error = "it is shorter than when it was imported (" + std::to_string(length) + " bytes, then " +
                                 std::to_string(f.parsedOffset) + "): nothing read; its messages stay in the cache";
                return false;
            } else {
                c.replacedId = f.id;
            }
            break;
        }
    }
    if (!match) {
        // Same content under another name: logrotate moved mail.log to mail.log.1 (or gzipped it).
        for (const StoredFile &f : stored) {
            if (f.path != path && continues(f) && (!match || f.parsedOffset > match->parsedOffset))
                match = &f;
        }
    }
    if (match) {
        c.stored = *match;
        c.result.fileId = match->id;
        const bool renamed = match->path != path;
        const bool same = c.compressed ? (length & 0xffffffffULL) == (match->parsedOffset & 0xffffffffULL)
                                       : length == match->parsedOffset;
        c.result.action = renamed ? FileImport::Action::Renamed
                                  : (same ? FileImport::Action::Unchanged : FileImport::Action::Appended);
        if (same && !renamed)
            return false;
        c.needsRead = !same;
        c.sortTime = match->lastTime;
    } else {
        c.result.action = c.replacedId ? FileImport::Action::Replaced : FileImport::Action::New;
    }
    return true;
}

ImportSummary Importer::run(const std::vector<std::string> &paths)
{
    const auto started = std::chrono::steady_clock::now();
    ImportSummary summary;
    const std::vector<StoredFile> stored = loadFiles();
    std::vector<Candidate> work;
    std::vector<std::string> seenPaths;
    for (const std::string &path : expand(paths, summary)) {
        // The same file named twice (or through a link, already resolved) is read once.
        if (std::find(seenPaths.begin(), seenPaths.end(), path) != seenPaths.end())
            continue;
        seenPaths.push_back(path);
        Candidate c;
        c.result.path = path;
        if (!inspect(c, stored)) {
            summary.files.push_back(c.result);
            continue;
        }
        // Two names for one content (a copy beside a rotated file): the first one is read, the
        // other is reported as already there.
        const bool duplicate = std::any_of(work.begin(), work.end(), [&c](const Candidate &o) {
            if (c.stored.id != 0)
                return o.stored.id == c.stored.id;
            return o.stored.id == 0 && o.st.st_size == c.st.st_size && o.compressed == c.compressed && o.head == c.head;
        });
        if (duplicate) {
            c.result.action = FileImport::Action::Unchanged;
            c.result.error.clear();
            summary.files.push_back(c.result);
            continue;
        }
        work.push_back(std::move(c));
    }
    // A name whose old content another name now holds was rotated, not replaced.
    for (Candidate &c : work) {
        if (c.replacedId && std::any_of(work.begin(), work.end(), [&](const Candidate &o) { return o.stored.id == c.replacedId; }))
            c.result.action = FileImport::Action::New;
    }
    if (work.empty()) {
        finishIndexes(summary, started, false);  // left unbuilt by an import that failed after its rows
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return summary;
    }

    // Read older content first so a message that spans a rotation is joined in time order.
    for (Candidate &c : work) {
        if (c.stored.id != 0)
            continue;
        SyslogLine line;
        std::string_view rest = c.head;
        while (!rest.empty()) {
            const std::size_t nl = rest.find('\n');
            if (parseSyslogLine(rest.substr(0, nl), line)) {
                TimestampResolver resolver;
                resolver.setStartYear(m_options.year ? m_options.year
                                                     : TimestampResolver::startYearFor(line.month, c.st.st_mtime));
                Event first;
                if (resolver.resolve(line, first)) {
                    c.sortTime = first.timeMs;
                    c.firstHost.assign(line.host);
                }
                break;
            }
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        }
    }
    // mail.log.1 opened after mail.log: messages that span the two would be joined in the wrong
    // order. Every cached log is read again, in time order, when all of them can still be read.
    const bool older = holdsOlderContent(work, stored);
    const bool replaceAll = older && planReread(work, stored, summary);
    std::stable_sort(work.begin(), work.end(), [](const Candidate &a, const Candidate &b) { return a.sortTime < b.sortTime; });
    if (replaceAll) {
        // Named now and unchanged, but read again: listed once, as read again.
        std::erase_if(summary.files, [&work](const FileImport &f) {
            return std::any_of(work.begin(), work.end(), [&f](const Candidate &c) { return c.result.path == f.path; });
        });
    }

    std::int64_t run = 0;
    {
        sql::Transaction tx(m_db);
        sql::Statement next(m_db, "UPDATE meta SET value = value + 1 WHERE key = 'last_run' RETURNING value");
        next.step();
        run = next.int64(0);
        next.reset();
        sql::Statement insert(m_db, "INSERT INTO files(path, head_hash, head_len, size, mtime, compressed, import_run) "
                                    "VALUES(?,?,?,?,?,?,?)");
        sql::Statement mark(m_db, "UPDATE files SET import_run = ? WHERE id = ?");
        sql::Statement forget(m_db, "UPDATE files SET path = NULL WHERE id = ?");
        for (Candidate &c : work) {
            if (c.replacedId)
                forget.bind(1, c.replacedId).run();
            if (c.stored.id == 0) {
                const std::string_view head = std::string_view(c.head).substr(0, fileprobe::IdentityBytes);
                insert.bind(1, c.result.path).bind(2, searchkeys::fnv1a(head))
                    .bind(3, static_cast<std::int64_t>(head.size())).bind(4, static_cast<std::int64_t>(c.st.st_size))
                    .bind(5, static_cast<std::int64_t>(c.st.st_mtime)).bind(6, c.compressed ? 1 : 0).bind(7, run);
                insert.run();
                c.stored.id = c.result.fileId = m_db.lastInsertId();
                c.insertedNow = true;
            } else {
                mark.bind(1, run).bind(2, c.stored.id).run();
            }
        }
        tx.commit();
    }

    std::uint64_t bytesTotal = 0;
    for (const Candidate &c : work)
        bytesTotal += static_cast<std::uint64_t>(c.st.st_size);
    std::uint64_t bytesBefore = 0;
    try {
        // A reread drops them inside its own transaction (CacheWriter), so that a cancel keeps them.
        if (!replaceAll && isLarge(work, stored) && schema::hasDeferredIndexes(m_db)) {
            sql::Transaction tx(m_db);
            schema::dropDeferredIndexes(m_db);
            tx.commit();
            summary.phases.emplace_back("order and lookup indexes dropped for a large import", secondsSince(started));
        }
        std::vector<MessageRecord> open;
        if (!replaceAll)
            open = importstate::loadOpenMessages(m_db);
        sql::Statement maxId(m_db, "SELECT coalesce(max(id), 0) FROM messages");
        maxId.step();
        const std::int64_t firstId = maxId.int64(0) + 1;
        maxId.reset();
        const double cpuBefore = threadCpuSeconds();
        CacheWriter writer(m_db, run, m_options.committed, replaceAll);
        Correlator correlator(writer, firstId);
        correlator.restore(std::move(open));
        // An older log that could not be joined in time order: its lines must not continue the
        // cached messages of newer ones.
        correlator.setKeepCachedFromOlderLines(older && !replaceAll);
        for (Candidate &c : work) {
            importFile(c, correlator, writer, summary, bytesBefore, bytesTotal);
            if (summary.cancelled)
                break;
        }
        // Half of the logs read again would lose the other half's rows.
        if (replaceAll && (summary.cancelled || std::any_of(work.begin(), work.end(), [](const Candidate &c) {
                               return c.processed && !c.result.error.empty();
                           })))
            throw Undo{};
        summary.openMessages = correlator.openCount();
        correlator.finish();
        summary.phases.emplace_back("read, parse, correlate", secondsSince(started));
        summary.readerCpuSeconds = threadCpuSeconds() - cpuBefore;
        writer.close();
        summary.writerCpuSeconds = writer.cpuSeconds();
        summary.phases.emplace_back("writer drained", secondsSince(started));
        writer.writeDeferred();
        for (const Candidate &c : work) {
            if (c.processed)
                saveFile(c);
            else
                release(c);  // not reached before a cancel: as it was before this import
        }
        m_db.exec("COMMIT");
        summary.messages = writer.messagesWritten();
    } catch (const Undo &) {
        try {
            m_db.exec("ROLLBACK");
            importstate::recoverInterrupted(m_db);
        } catch (const sql::Error &) {
            // The next open of the cache finishes the recovery.
        }
        summary.undone = true;
        if (!summary.cancelled)
            summary.warning = "a log could not be read again in time order: nothing was imported, the cache is as it was";
        for (Candidate &c : work) {
            if (!c.result.error.empty())
                summary.files.push_back(c.result);
        }
        summary.seconds = secondsSince(started);
        return summary;
    } catch (const sql::Error &e) {
        try {
            m_db.exec("ROLLBACK");
        } catch (const sql::Error &) {
            // The failed statement may already have rolled the transaction back.
        }
        summary.error = e.what();
        try {
            importstate::recoverInterrupted(m_db);
        } catch (const sql::Error &) {
            // Still failing (disk full): the next open of the cache finishes the recovery.
        }
        return summary;
    }
    summary.phases.emplace_back("committed", secondsSince(started));
    finishIndexes(summary, started, true);
    for (Candidate &c : work)
        summary.files.push_back(c.result);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

void Importer::importFile(Candidate &c, Correlator &correlator, CacheWriter &writer, ImportSummary &summary,
                          std::uint64_t &bytesBefore, std::uint64_t bytesTotal)
{
    const std::uint64_t start = c.stored.parsedOffset;
    c.processed = true;
    if (!c.needsRead) {
        c.endOffset = start;
        c.year = c.stored.year;
        c.lastMonth = c.stored.lastMonth;
        bytesBefore += static_cast<std::uint64_t>(c.st.st_size);
        return;
    }
    LogReader reader;
    // A log written to in the last hour may end in half a line: leave it for the next import.
    reader.setHoldUnterminatedTail(!c.compressed && std::llabs(static_cast<long long>(std::time(nullptr) - c.st.st_mtime)) < 3600);
    if (!reader.open(c.result.path, start)) {
        c.result.error = reader.error();
        c.endOffset = start;
        return;
    }
    TimestampResolver resolver;
    if (c.stored.year != 0)
        resolver.restoreState(c.stored.year, c.stored.lastMonth);
    if (!m_options.year)
        resolver.setLatestYear(TimestampResolver::startYearFor(1, c.st.st_mtime));
    bool yearKnown = c.stored.year != 0;

    PostfixParser parser;
    SyslogLine line;
    Event event;  // reused: the parser resets it for each line it takes
    std::string_view text;
    std::uint64_t offset = 0;
    std::uint64_t lines = 0;
    std::uint64_t unknown = 0;
    const std::uint32_t fileId = static_cast<std::uint32_t>(c.stored.id);
    const std::uint64_t rawStart = reader.rawBytesRead();
    ImportProgress progress;
    progress.path = c.result.path;
    progress.bytesTotal = bytesTotal;
    std::int64_t firstTime = c.stored.firstTime;
    std::int64_t lastTime = c.stored.lastTime;
    while (reader.nextLine(text, offset)) {
        ++lines;
        if ((lines & 0x3fff) == 0) {
            if (m_options.isCancelled && m_options.isCancelled()) {
                summary.cancelled = true;
                break;
            }
            if (writer.failed())
                break;
            if (m_options.progress) {
                progress.bytesDone = bytesBefore + reader.rawBytesRead() - rawStart;
                progress.lines = summary.lines + lines;
                progress.messages = writer.messagesWritten();
                m_options.progress(progress);
            }
        }
        if (!parseSyslogLine(text, line) || !parser.parse(line, event)) {
            ++unknown;
            continue;
        }
        if (!yearKnown && line.year == 0) {
            // A log read again keeps the year it was given: --year of this import is for the
            // logs named now, and the file's modification time may have changed since.
            resolver.setStartYear(c.rereadYear ? c.rereadYear
                                  : m_options.year ? m_options.year
                                                   : TimestampResolver::startYearFor(line.month, c.st.st_mtime));
            yearKnown = true;
        }
        if (!resolver.resolve(line, event)) {
            ++unknown;
            continue;
        }
        event.offset = offset;
        event.length = static_cast<std::uint32_t>(text.size());
        if (event.kind == EventKind::Unknown)
            ++unknown;
        if (firstTime == 0)
            firstTime = event.timeMs;
        lastTime = std::max(lastTime, event.timeMs);
        correlator.process(event, fileId);
    }
    if (!reader.error().empty())
        c.result.error = reader.error();
    c.endOffset = reader.position();
    c.year = resolver.currentYear();
    c.lastMonth = resolver.lastMonth();
    c.stored.firstTime = firstTime;
    c.stored.lastTime = lastTime;
    c.result.bytesRead = reader.rawBytesRead() - rawStart;
    c.result.lines = lines;
    c.result.unknownLines = unknown;
    c.result.truncatedLines = reader.truncatedLines();
    c.result.endedEarly = reader.endedEarly();
    c.stored.lines += static_cast<std::int64_t>(lines);
    c.stored.unknownLines += static_cast<std::int64_t>(unknown);
    c.stored.truncatedLines += static_cast<std::int64_t>(reader.truncatedLines());
    summary.lines += lines;
    bytesBefore += static_cast<std::uint64_t>(c.st.st_size);
}

bool Importer::holdsOlderContent(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored)
{
    std::int64_t cachedEnd = 0;
    for (const StoredFile &f : stored) {
        if (f.parsedOffset > 0)
            cachedEnd = std::max(cachedEnd, f.lastTime);
    }
    // Another server's log of the same days is not older content: only mail of the same host
    // that the cache already has from later on is.
    // A minute of overlap is the same log's lines arriving out of order, not an older log.
    constexpr std::int64_t SlackMs = 60 * 1000;
    sql::Statement later(m_db, "SELECT 1 FROM messages WHERE first_seen >= ?1 AND host_id = "
                               "(SELECT id FROM hosts WHERE name = ?2) LIMIT 1");
    return std::any_of(work.begin(), work.end(), [&](const Candidate &c) {
        if (c.stored.id != 0 || c.sortTime == 0 || c.sortTime + SlackMs >= cachedEnd)
            return false;
        later.bind(1, c.sortTime + SlackMs).bind(2, c.firstHost);
        const bool found = later.step();
        later.reset();
        return found;
    });
}

bool Importer::planReread(std::vector<Candidate> &work, const std::vector<StoredFile> &stored, ImportSummary &summary)
{
    std::vector<Candidate> again;
    std::vector<std::string> gone;
    for (const StoredFile &f : stored) {
        const bool inWork = std::any_of(work.begin(), work.end(), [&f](const Candidate &c) { return c.stored.id == f.id; });
        if (f.parsedOffset == 0 || inWork)
            continue;
        Candidate c;
        c.result.path = f.path;
        if (f.path.empty() || (!inspect(c, stored) && c.result.action != FileImport::Action::Unchanged) || c.stored.id != f.id) {
            gone.push_back(f.path.empty() ? "a log replaced since it was imported" : f.path);
            continue;
        }
        again.push_back(std::move(c));
    }
    if (!gone.empty()) {
        // Each message then stays as it was joined: in two parts when it spans the older log and
        // the newer ones, but never with the older log's lines added after the newer ones'.
        summary.warning = "a log older than those already imported came in, and " + gone.front() +
                          (gone.size() > 1 ? " and " + std::to_string(gone.size() - 1) + " more" : std::string()) +
                          " can no longer be read to join them again in time order: messages that span them are "
                          "shown in two parts";
        return false;
    }
    for (Candidate &c : again)
        work.push_back(std::move(c));
    for (Candidate &c : work) {
        if (c.stored.id == 0)
            continue;
        StoredFile &f = c.stored;
        c.sortTime = f.firstTime;
        if (f.firstTime != 0) {
            const std::time_t first = static_cast<std::time_t>(f.firstTime / 1000);
            std::tm utc{};
            ::gmtime_r(&first, &utc);
            c.rereadYear = utc.tm_year + 1900;
        }
        f.parsedOffset = 0;
        f.year = f.lastMonth = 0;
        f.firstTime = f.lastTime = 0;
        f.lines = f.unknownLines = f.truncatedLines = 0;
        c.needsRead = true;
        c.result.action = FileImport::Action::Reread;
    }
    return true;
}

void Importer::finishIndexes(ImportSummary &summary, std::chrono::steady_clock::time_point started, bool rowsAdded)
{
    // The rows are committed by now: a failure here (a full disk, most likely, as building an
    // index needs room) loses none of them, and the next import tries again.
    try {
        bool built = false;
        if (!schema::hasIndexes(m_db)) {
            sql::Statement any(m_db, "SELECT 1 FROM messages LIMIT 1");
            if (any.step()) {
                any.reset();
                schema::createIndexes(m_db);
                summary.phases.emplace_back("indexes built", secondsSince(started));
                built = true;
            }
        }
        // Statistics for the planner, sampled (analysis_limit) so it costs milliseconds: without
        // them it takes the window's file scope for the selective condition and ignores the
        // index that a sender prefix could use.
        if (rowsAdded || built)
            m_db.exec("PRAGMA analysis_limit = 400; ANALYZE; PRAGMA optimize;");
    } catch (const sql::Error &e) {
        summary.warning = std::string("the rows were imported, but building the indexes for the filters failed (") +
            e.what() + "); filters are slow until the next import builds them";
    }
}

bool Importer::isLarge(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored)
{
    // Updating an index row by row reads a random page of it per row, while building it reads the
    // table once and sorts: measured here, adding half as much again to a 1 GB cache took 30 s
    // with every index kept, 9.6 s with the nine order and lookup indexes dropped (the window
    // builds them again afterwards). Past a quarter of what is cached, dropping them wins.
    std::uint64_t toRead = 0;
    for (const Candidate &c : work) {
        if (!c.needsRead)
            continue;
        const auto size = static_cast<std::uint64_t>(c.st.st_size);
        // A .gz holds about four times its size in log text.
        toRead += c.compressed ? size * 4 : size - std::min(size, c.stored.parsedOffset);
    }
    std::uint64_t cached = 0;
    for (const StoredFile &f : stored)
        cached += f.parsedOffset;
    return cached > 0 && toRead * 4 >= cached;
}

void Importer::release(const Candidate &c)
{
    if (c.insertedNow)
        sql::Statement(m_db, "DELETE FROM files WHERE id = ?").bind(1, c.stored.id).run();
    else
        sql::Statement(m_db, "UPDATE files SET import_run = NULL WHERE id = ?").bind(1, c.stored.id).run();
}

void Importer::saveFile(const Candidate &c)
{
    const std::string_view head = std::string_view(c.head).substr(0, fileprobe::IdentityBytes);
    sql::Statement st(m_db, "UPDATE files SET path=?, head_hash=?, head_len=?, tail_hash=?, size=?, mtime=?, "
                            "compressed=?, parsed_offset=?, format=?, year=?, last_month=?, first_time=?, last_time=?, "
                            "lines=?, unknown_lines=?, truncated_lines=?, import_run=NULL WHERE id=?");
    st.bind(1, c.result.path).bind(2, searchkeys::fnv1a(head)).bind(3, static_cast<std::int64_t>(head.size()))
        .bind(4, c.compressed ? std::int64_t(0) : fileprobe::tailHash(c.result.path, c.endOffset))
        .bind(5, static_cast<std::int64_t>(c.st.st_size)).bind(6, static_cast<std::int64_t>(c.st.st_mtime))
        .bind(7, c.compressed ? 1 : 0).bind(8, static_cast<std::int64_t>(c.endOffset)).bind(9, c.result.format)
        .bind(10, c.year).bind(11, c.lastMonth).bind(12, c.stored.firstTime).bind(13, c.stored.lastTime)
        .bind(14, c.stored.lines).bind(15, c.stored.unknownLines).bind(16, c.stored.truncatedLines).bind(17, c.stored.id);
    st.run();
}

} // namespace mailtrail
