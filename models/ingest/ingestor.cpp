// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/ingestor.h"

#include "cache/fileprobe.h"
#include "cache/fileprograms.h"
#include "cache/importstore.h"
#include "cache/searchkeys.h"
#include "correlation/correlator.h"
#include "ingest/decompressor.h"
#include "ingest/followstate.h"
#include "ingest/formatregistry.h"
#include "ingest/linefeeder.h"
#include "ingest/logreader.h"
#include "ingest/timestampresolver.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <dirent.h>
#include <map>
#include <memory>
#include <stdexcept>
#include <fcntl.h>
#include <iterator>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

namespace mailtrail {

namespace {

constexpr std::size_t DetectBytes = FormatRegistry::HeadBytes;  // enough lines to tell the format

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The month of the last line of a plain file, 0 when unknown (compressed, unreadable, the last
// line is no record of the format or carries its year): with the first line's month, it places a
// year-less log in time.
// The line that ends at `end` (its newline just before it), empty if none or longer than the
// longest line a log is read with.
std::string lineBefore(const std::string &path, std::uint64_t end)
{
    constexpr std::uint64_t MaxBytes = 64 * 1024;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    const std::uint64_t from = end > MaxBytes ? end - MaxBytes : 0;
    std::string tail(static_cast<std::size_t>(end - from), '\0');
    const ssize_t got = ::pread(fd, tail.data(), tail.size(), static_cast<off_t>(from));
    ::close(fd);
    if (got != static_cast<ssize_t>(tail.size()) || tail.empty() || tail.back() != '\n')
        return {};
    tail.pop_back();
    if (!tail.empty() && tail.back() == '\r')
        tail.pop_back();
    const std::size_t newline = tail.rfind('\n');
    if (newline == std::string::npos && from > 0)
        return {};
    return tail.substr(newline == std::string::npos ? 0 : newline + 1);
}

int lastLineMonth(const std::string &path, const LogFormat &format, std::uint64_t size)
{
    constexpr std::uint64_t TailBytes = 64 * 1024;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const std::uint64_t start = size > TailBytes ? size - TailBytes : 0;
    std::string tail(static_cast<std::size_t>(size - start), '\0');
    const ssize_t got = ::pread(fd, tail.data(), tail.size(), static_cast<off_t>(start));
    ::close(fd);
    if (got <= 0)
        return 0;
    std::string_view rest(tail.data(), static_cast<std::size_t>(got));
    Record record;
    while (!rest.empty()) {
        if (rest.back() == '\n')
            rest.remove_suffix(1);
        const std::size_t newline = rest.rfind('\n');
        if (newline == std::string_view::npos && start > 0)
            return 0;  // the line may begin before the tail
        std::string_view line = rest.substr(newline == std::string_view::npos ? 0 : newline + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (format.readRecord(line, record))
            return record.year != 0 ? 0 : record.month;
        if (newline == std::string_view::npos)
            return 0;
        rest = rest.substr(0, newline);
    }
    return 0;
}

// Thrown to leave an import whose every row must be undone.
struct Undo {};

// Shows each message to the observer on its way to the writer.
class ObservedSink final : public MessageSink
{
public:
    ObservedSink(MessageSink &sink, const MessageObserver &observer, const IncidentObserver &incidents)
        : m_sink(sink)
        , m_observer(observer)
        , m_incidents(incidents)
    {
    }
    void storeMessage(MessageRecord &&message) override
    {
        if (m_observer)
            m_observer(message);
        m_sink.storeMessage(std::move(message));
    }
    // Only a late line and its verdict: the observers saw its outcome when it was stored.
    void amendMessage(MessageRecord &&message) override { m_sink.amendMessage(std::move(message)); }
    void reclaim(RecordPool &pool) override { m_sink.reclaim(pool); }
    void storeIncident(IncidentRecord &&incident) override
    {
        if (m_incidents)
            m_incidents(incident);
        m_sink.storeIncident(std::move(incident));
    }

private:
    MessageSink &m_sink;
    const MessageObserver &m_observer;
    const IncidentObserver &m_incidents;
};

} // namespace

struct Ingestor::Candidate {
    FileImport result;
    struct stat st {};
    std::string head;
    bool compressed = false;
    std::uint64_t length = 0;    // of the text; for .gz modulo 2^32 (the gzip trailer's ISIZE)
    const LogFormat *format = nullptr;
    StoredFile stored;           // matching record (id 0 when new)
    std::int64_t replacedId = 0; // record that had this path but other content
    std::int64_t sortTime = 0;
    std::string firstHost;  // of its first line, for a new log
    int rereadYear = 0;     // read again from its start: the year its first line had the first time
    int tailMonth = -1;     // month of its last line (see lastLineMonth()), -1 until looked up
    std::int64_t logMtime = 0;  // what dates its year-less lines: st_mtime, or what a .gz states
    // A longer copy of a cached log that is still there under its own name: a log of its own, read
    // whole and apart from the others (see inspect()).
    bool separate = false;
    // After reading:
    bool needsRead = true;  // false for a renamed file with nothing new: only its name changes
    bool processed = false; // reached by this import (a cancel may stop it before)
    bool insertedNow = false;
    std::uint64_t endOffset = 0;
    int year = 0;
    int lastMonth = 0;
    std::string lastLine;   // for a format whose lines may repeat: the line a copy would repeat
};

ImportSummary Ingestor::import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options)
{
    return cache.import(paths, options, [&options](ImportStore &store, const std::vector<std::string> &canonical) {
        return Ingestor(store, options).run(canonical);
    });
}

ImportSummary Ingestor::import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options,
                               MessageObserver observer, IncidentObserver incidents)
{
    return cache.import(paths, options, [&](ImportStore &store, const std::vector<std::string> &canonical) {
        return Ingestor(store, options, observer, incidents).run(canonical);
    });
}

ImportSummary Ingestor::import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options,
                               MessageObserver observer, IncidentObserver incidents, FollowState &carry)
{
    const ImportSummary summary =
        cache.import(paths, options, [&](ImportStore &store, const std::vector<std::string> &canonical) {
            return Ingestor(store, options, observer, incidents, &carry).run(canonical);
        });
    if (!summary.ok() || summary.undone)
        carry.reset();  // the lines it read are not in the cache: the next batch starts from the cache
    return summary;
}

Ingestor::Ingestor(ImportStore &store, const ImportOptions &options, MessageObserver observer, IncidentObserver incidents,
                   FollowState *carry)
    : m_store(store)
    , m_options(options)
    , m_observer(std::move(observer))
    , m_incidents(std::move(incidents))
    , m_carry(carry)
{
}

namespace {
std::map<std::int64_t, std::uint64_t> readPositions(const std::vector<StoredFile> &stored)
{
    std::map<std::int64_t, std::uint64_t> positions;
    for (const StoredFile &f : stored)
        positions.emplace(f.id, f.parsedOffset);
    return positions;
}

// Whether the cached log `f` is still at its own path, another file than `other`, with the text
// that was read of it and not grown to `otherLength`: a file of that length given under another
// name that starts with that text is a longer copy. One the log has grown to is its copy beside
// it, the same content.
bool stillHolds(const StoredFile &f, const struct stat &other, std::uint64_t otherLength)
{
    struct stat st {};
    if (f.path.empty() || f.compressed || ::stat(f.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    if (st.st_dev == other.st_dev && st.st_ino == other.st_ino)
        return false;  // a link: one file
    const auto length = static_cast<std::uint64_t>(st.st_size);
    if (length < f.parsedOffset || length >= otherLength)
        return false;
    const std::string head = LogReader::readHead(f.path, f.headLen);
    return head.size() >= f.headLen && searchkeys::fnv1a(std::string_view(head).substr(0, f.headLen)) == f.headHash &&
           fileprobe::tailHash(f.path, f.parsedOffset) == f.tailHash;
}
} // namespace

bool Ingestor::canCarry(const std::vector<StoredFile> &stored, std::int64_t nextId) const
{
    return m_carry && m_carry->m_correlator && m_carry->m_nextId == nextId && m_carry->m_correlator->nextId() == nextId &&
           m_carry->m_cacheFiles == readPositions(stored);
}

void Ingestor::keepCarry(std::unique_ptr<Correlator> correlator, const std::vector<Candidate> &work)
{
    if (correlator)
        m_carry->m_correlator = std::move(correlator);
    m_carry->m_nextId = m_store.nextMessageId();
    m_carry->m_cacheFiles = readPositions(m_store.files());
    for (const Candidate &c : work) {
        if (c.processed && c.stored.id != 0)
            m_carry->m_files[c.stored.id] = FollowState::File{c.endOffset, c.lastLine};
    }
}

std::vector<std::string> Ingestor::expand(const std::vector<std::string> &paths, ImportSummary &summary)
{
    std::vector<std::string> files;
    for (const std::string &path : paths) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            std::vector<std::string> inside;
            if (DIR *dir = ::opendir(path.c_str())) {
                while (const dirent *e = ::readdir(dir)) {
                    const std::string child = path + '/' + e->d_name;
                    struct stat cst {};
                    if (e->d_name[0] == '.' || ::stat(child.c_str(), &cst) != 0)
                        continue;
                    if (S_ISREG(cst.st_mode) && !m_store.isCacheFile(child))
                        inside.push_back(child);
                    else if (S_ISDIR(cst.st_mode))
                        summary.skippedFolders.push_back(child);
                }
                ::closedir(dir);
            } else {
                FileImport f;
                f.path = path;
                f.error = std::string("cannot open folder: ") + std::strerror(errno);
                summary.files.push_back(std::move(f));
            }
            std::sort(inside.begin(), inside.end());
            std::sort(summary.skippedFolders.begin(), summary.skippedFolders.end());
            files.insert(files.end(), inside.begin(), inside.end());
        } else {
            files.push_back(path);
        }
    }
    return files;
}

bool Ingestor::inspect(Candidate &c, const std::vector<StoredFile> &stored)
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
    // A .gz records the rotated log's own mtime; the .gz file's may be that of a later copy.
    const std::int64_t stated = c.compressed ? statedMtime(path) : 0;
    c.logMtime = stated > 0 ? stated : static_cast<std::int64_t>(c.st.st_mtime);
    c.head = LogReader::readHead(path, DetectBytes);
    if (c.head.empty()) {
        c.result.error = c.compressed ? fileprobe::whyNotRead(path, c.head, true, DetectBytes) : "cannot read the file";
        return false;
    }
    if (!m_options.format.empty()) {
        c.format = FormatRegistry::find(m_options.format);
        if (!c.format) {
            c.result.error = "no log format is called '" + m_options.format + "' (known: " + FormatRegistry::titles() + ")";
            return false;
        }
    } else {
        c.format = FormatRegistry::detect(c.head);
    }
    if (!c.format && c.head.find('\n') == std::string::npos)
        c.format = FormatRegistry::detect(fileprobe::sampleAfterFirstLine(path, DetectBytes));  // a first line longer than the probe
    c.result.format = c.format ? std::string(c.format->name()) : std::string("unknown");
    if (!c.format) {
        c.result.error = fileprobe::whyNotRead(path, c.head, c.compressed, DetectBytes);
        return false;
    }

    const std::uint64_t length = c.compressed ? fileprobe::uncompressedLength(path) : static_cast<std::uint64_t>(c.st.st_size);
    c.length = length;
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
        // Unless that name still holds what was read of it: then this is a copy that goes on past
        // it (the bundled sample after its first part was imported and rotated), not the log
        // grown under a new name. Taken as that log, it would continue messages the log's own
        // successor (mail.log after mail.log.1) already continued, and its refusals would be the
        // successor's copies, dropped. It is read as a log of its own: its numbers are those of
        // the copy imported alone. A copy of the same length is still the same content, read once.
        if (match && length > match->parsedOffset && !c.compressed && stillHolds(*match, c.st, length)) {
            match = nullptr;
            c.separate = true;
        }
    }
    if (match) {
        c.stored = *match;
        c.result.fileId = match->id;
        const bool renamed = match->path != path;
        // A compressed log that states no length (bzip2): the same file as cached, byte for byte on
        // disk, has nothing new; otherwise it is read again and only what is past the stored end is new.
        const bool unknownLength = c.compressed && length == 0;
        const bool same = unknownLength ? (match->path == path && match->size == static_cast<std::int64_t>(c.st.st_size) &&
                                           match->mtime == static_cast<std::int64_t>(c.st.st_mtime))
                        : c.compressed ? (length & 0xffffffffULL) == (match->parsedOffset & 0xffffffffULL)
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

ImportSummary Ingestor::run(const std::vector<std::string> &paths)
{
    const auto started = std::chrono::steady_clock::now();
    ImportSummary summary;
    const std::vector<StoredFile> stored = m_store.files();
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
        // mail.log.1 and the mail.log.1.gz that gzip -k leaves beside it are one content too.
        const auto duplicate = std::find_if(work.begin(), work.end(), [&c](const Candidate &o) {
            if (c.stored.id != 0)
                return o.stored.id == c.stored.id;
            // A compressed copy that states no length (bzip2) is the same content when its start is.
            const bool sameLength = (o.length & 0xffffffffULL) == (c.length & 0xffffffffULL) ||
                                    (o.compressed && o.length == 0) || (c.compressed && c.length == 0);
            return o.stored.id == 0 && sameLength && o.head == c.head;
        });
        if (duplicate != work.end()) {
            // Named, not "unchanged": on a first import nothing was there to be unchanged.
            c.result.action = FileImport::Action::Unchanged;
            c.result.sameAs = duplicate->result.path;
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
    if (m_store.isReadOnly()) {
        readOnly(work, summary);
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return summary;
    }
    if (work.empty()) {
        keepStatistics(summary, false);  // left out by an import that failed after its rows
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return summary;
    }

    // Read older content first so a message that spans a rotation is joined in time order.
    for (Candidate &c : work) {
        if (c.stored.id != 0)
            continue;
        Record line;
        std::string_view rest = c.head;
        while (!rest.empty()) {
            const std::size_t nl = rest.find('\n');
            if (c.format->readRecord(rest.substr(0, nl), line)) {
                TimestampResolver resolver;
                resolver.setStartYear(m_options.year ? m_options.year : startYear(c, line.month));
                if (!m_options.year)
                    resolver.setLatestTime(c.logMtime);
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

    std::vector<RunFile> runFiles;
    runFiles.reserve(work.size());
    for (const Candidate &c : work) {
        runFiles.push_back(RunFile{c.stored.id, c.replacedId, c.result.path, c.head, static_cast<std::int64_t>(c.st.st_size),
                                   static_cast<std::int64_t>(c.st.st_mtime), c.compressed, false});
    }
    const std::int64_t run = m_store.startRun(runFiles);
    for (std::size_t i = 0; i < work.size(); ++i) {
        if (runFiles[i].inserted) {
            work[i].stored.id = work[i].result.fileId = runFiles[i].id;
            work[i].insertedNow = true;
        }
    }

    std::uint64_t bytesTotal = 0;
    for (const Candidate &c : work)
        bytesTotal += static_cast<std::uint64_t>(c.st.st_size);
    std::uint64_t bytesBefore = 0;
    try {
        // A reread drops them inside its own transaction (CacheWriter), so that a cancel keeps them.
        if (!replaceAll && isLarge(work, stored) && m_store.dropDeferredIndexes()) {
            summary.phases.emplace_back("order and lookup indexes dropped for a large import", secondsSince(started));
        }
        const std::int64_t firstId = m_store.nextMessageId();
        const bool anySeparate = std::any_of(work.begin(), work.end(), [](const Candidate &c) { return c.separate; });
        const bool carried = !older && !anySeparate && canCarry(stored, firstId);
        if (m_carry && !carried)
            m_carry->reset();
        std::vector<MessageRecord> open;
        if (!replaceAll && !carried)
            open = m_store.openMessages();
        // Read before the writer begins, which may drop indexes no open statement may read.
        RefusalCopies storedRefusals;
        if (!replaceAll && !stored.empty())
            rememberRefusals(work, storedRefusals);
        const double cpuBefore = threadCpuSeconds();
        const std::unique_ptr<CacheWriter> ownWriter = m_store.writer(run, m_options.committed, replaceAll);
        CacheWriter &writer = *ownWriter;
        ObservedSink observed(writer, m_observer, m_incidents);
        MessageSink &sink = m_observer || m_incidents ? static_cast<MessageSink &>(observed) : writer;
        std::unique_ptr<Correlator> ownCorrelator;
        if (!carried) {
            ownCorrelator = std::make_unique<Correlator>(sink, firstId);
            ownCorrelator->restore(std::move(open));
        }
        Correlator &correlator = carried ? *m_carry->m_correlator : *ownCorrelator;
        correlator.setSink(sink);
        // An older log that could not be joined in time order: its lines must not continue the
        // cached messages of newer ones.
        correlator.setKeepCachedFromOlderLines(older && !replaceAll);
        correlator.setRecognizeCopies(work.size() > 1);
        correlator.storedRefusals().takeStored(std::move(storedRefusals));
        for (Candidate &c : work) {
            if (c.separate)
                continue;
            importFile(c, correlator, writer, summary, bytesBefore, bytesTotal, carried);
            if (summary.cancelled)
                break;
        }
        // Half of the logs read again would lose the other half's rows.
        if (replaceAll && (summary.cancelled || std::any_of(work.begin(), work.end(), [](const Candidate &c) {
                               return c.processed && !c.result.error.empty();
                           })))
            throw Undo{};
        reportStage(ImportProgress::Stage::Writing, bytesTotal, summary.lines, writer.messagesWritten());
        if (m_carry && !anySeparate)
            correlator.checkpoint();
        else
            correlator.finish();
        // A copy of its own: none of the other logs' messages or refusals is its.
        std::int64_t nextId = correlator.nextId();
        for (Candidate &c : work) {
            if (!c.separate || summary.cancelled)
                continue;
            Correlator own(sink, nextId);
            importFile(c, own, writer, summary, bytesBefore, bytesTotal, false);
            own.finish();
            nextId = own.nextId();
        }
        summary.phases.emplace_back("read, parse, correlate", secondsSince(started));
        summary.readerCpuSeconds = threadCpuSeconds() - cpuBefore;
        writer.close();
        summary.writerCpuSeconds = writer.cpuSeconds();
        summary.countingCpuSeconds = writer.countingCpuSeconds();
        summary.phases.emplace_back("writer drained", secondsSince(started));
        writer.writeDeferred();
        for (const Candidate &c : work) {
            if (c.processed)
                saveFile(c);
            else
                release(c);  // not reached before a cancel: as it was before this import
        }
        m_store.commit();
        summary.messages = writer.messagesWritten();
        if (m_carry && anySeparate) {
            m_carry->reset();  // the next batch restores from the cache
        } else if (m_carry) {
            try {
                keepCarry(std::move(ownCorrelator), work);
            } catch (const std::exception &) {
                m_carry->reset();  // committed all the same: the next batch restores from the cache
            }
        }
    } catch (const Undo &) {
        m_store.rollback();
        summary.undone = true;
        if (!summary.cancelled)
            summary.warning = "a log could not be read again in time order: nothing was imported, the cache is as it was";
        for (Candidate &c : work) {
            if (!c.result.error.empty())
                summary.files.push_back(c.result);
        }
        summary.seconds = secondsSince(started);
        return summary;
    } catch (const std::runtime_error &e) {  // the cache failed (sql::Error)
        summary.error = e.what();
        m_store.rollback();
        return summary;
    } catch (const std::exception &e) {  // out of memory, or a bug: undo, say so, keep the window alive
        summary.error = std::string("the import stopped (") + e.what() + ")";
        m_store.rollback();
        return summary;
    }
    summary.phases.emplace_back("committed", secondsSince(started));
    keepStatistics(summary, true);
    summary.phases.emplace_back("statistics kept", secondsSince(started));
    for (Candidate &c : work)
        summary.files.push_back(c.result);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

void Ingestor::importFile(Candidate &c, Correlator &correlator, CacheWriter &writer, ImportSummary &summary,
                          std::uint64_t &bytesBefore, std::uint64_t bytesTotal, bool carried)
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
    if (!m_options.year) {
        resolver.setLatestYear(TimestampResolver::startYearFor(1, c.logMtime));
        resolver.setLatestTime(c.logMtime);
    }

    const LogFormat &format = *c.format;
    correlator.setIdleTimeout(format.lifetime().idleTimeoutMs);
    correlator.setEndsWhenRecipientsDone(format.lifetime().endsWhenRecipientsDone);
    // A log read again keeps the year it was given: --year of this import is for the logs named
    // now, and the file's modification time may have changed since.
    LineFeeder feeder(format, resolver, correlator, static_cast<std::uint32_t>(c.stored.id), c.stored.year != 0,
                      [&](int month) { return c.rereadYear ? c.rereadYear : m_options.year ? m_options.year : startYear(c, month); });
    feeder.setTimes(c.stored.firstTime, c.stored.lastTime);
    feeder.otherPrograms() = std::move(c.result.otherPrograms);
    if (carried) {
        // A follow's batch may begin with the continuation of the last batch's record, or with
        // the syslog copy of the line it ended on.
        auto it = m_carry->m_files.find(c.stored.id);
        feeder.continueFrom(it != m_carry->m_files.end() && it->second.end == start ? it->second.lastLine : std::string());
    } else if (start > 0 && !c.compressed && format.mayRepeatLines()) {
        // The same for a log that grew since an import without a follow: its last line read is
        // in the file, just before where this import begins (session 22: Exim's refusals that
        // syslog wrote twice across the two imports counted twice).
        feeder.continueFrom(lineBefore(c.result.path, start));
    }
    std::string_view text;
    std::uint64_t offset = 0;
    std::uint64_t lines = 0;
    const std::uint64_t rawStart = reader.rawBytesRead();
    ImportProgress progress;
    progress.path = c.result.path;
    progress.bytesTotal = bytesTotal;
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
        feeder.feed(text, offset);
    }
    const std::uint64_t unknown = feeder.unknownLines();
    c.result.otherPrograms = std::move(feeder.otherPrograms());
    if (!reader.error().empty())
        c.result.error = reader.error();
    c.endOffset = reader.position();
    c.lastLine = std::move(feeder.lastLine());
    if (c.result.action == FileImport::Action::Renamed && c.endOffset < start) {
        // An older copy of a log still being written (bzip2 -k, which states no length) ends
        // before where the log was read to: nothing in it is new, and the record stays the log's.
        c.processed = false;
        c.result.action = FileImport::Action::Unchanged;
    }
    c.year = resolver.currentYear();
    c.lastMonth = resolver.lastMonth();
    c.stored.firstTime = feeder.firstTime();
    c.stored.lastTime = feeder.lastTime();
    c.result.bytesRead = reader.rawBytesRead() - rawStart;
    c.result.lines = lines;
    c.result.unknownLines = unknown;
    fileprograms::sort(c.result.otherPrograms);
    c.result.truncatedLines = reader.truncatedLines();
    c.result.endedEarly = reader.endedEarly();
    c.stored.lines += static_cast<std::int64_t>(lines);
    c.stored.unknownLines += static_cast<std::int64_t>(unknown);
    c.stored.truncatedLines += static_cast<std::int64_t>(reader.truncatedLines());
    summary.lines += lines;
    bytesBefore += static_cast<std::uint64_t>(c.st.st_size);
}

int Ingestor::startYear(Candidate &c, int firstLineMonth)
{
    // From the first line alone, a log from Dec 31 to Jan 1 whose mtime is of the December after
    // started that December and ran back a year at midnight: the last line places it too.
    if (c.tailMonth < 0)
        c.tailMonth = c.compressed ? 0 : lastLineMonth(c.result.path, *c.format, static_cast<std::uint64_t>(c.st.st_size));
    return TimestampResolver::startYearFor(firstLineMonth, c.tailMonth, c.logMtime);
}

void Ingestor::rememberRefusals(const std::vector<Candidate> &work, RefusalCopies &into)
{
    // From where the lines read now begin: a new log's first line, or where a growing one stopped.
    std::int64_t since = std::numeric_limits<std::int64_t>::max();
    for (const Candidate &c : work)
        since = std::min(since, c.insertedNow ? c.sortTime : c.stored.lastTime);
    m_store.refusalsSince(since, [&into](const ImportStore::StoredRefusal &r) {
        static constexpr EventKind byIncident[] = {EventKind::Reject, EventKind::AuthFailure, EventKind::ClientWarning,
                                                   EventKind::LostConnection};
        if (r.incidentKind < 0 || r.incidentKind >= static_cast<int>(std::size(byIncident)))
            return;  // screened by postscreen: no copy of it is looked for
        const auto file = static_cast<std::uint32_t>(r.fileId);
        into.addStored(byIncident[r.incidentKind], r.timeMs, r.host, r.clientIp, r.recipient, file);
        if (r.incidentKind == 0 && !r.recipient.empty())
            into.addStored(EventKind::Reject, r.timeMs, r.host, r.clientIp, {}, file);
    });
}

bool Ingestor::holdsOlderContent(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored)
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
    return std::any_of(work.begin(), work.end(), [&](const Candidate &c) {
        if (c.stored.id != 0 || c.separate || c.sortTime == 0 || c.sortTime + SlackMs >= cachedEnd)
            return false;
        return m_store.holdsMailSince(c.firstHost, c.sortTime + SlackMs);
    });
}

bool Ingestor::planReread(std::vector<Candidate> &work, const std::vector<StoredFile> &stored, ImportSummary &summary)
{
    std::vector<Candidate> again;
    std::vector<std::string> gone;
    for (const StoredFile &f : stored) {
        const bool inWork = std::any_of(work.begin(), work.end(), [&f](const Candidate &c) { return c.stored.id == f.id; });
        if (f.parsedOffset == 0 || inWork)
            continue;
        // Its name now holds the other content this import reads: the same file, said once as
        // what it is, not as a log that went missing.
        const bool replacedNow =
            std::any_of(work.begin(), work.end(), [&f](const Candidate &c) { return c.replacedId == f.id; });
        Candidate c;
        c.result.path = f.path;
        if (f.path.empty() || replacedNow) {
            gone.push_back(f.path.empty() ? "a log replaced since it was imported"
                                          : "the content " + f.path + " had before it was replaced");
            continue;
        }
        if ((!inspect(c, stored) && c.result.action != FileImport::Action::Unchanged) || c.stored.id != f.id) {
            gone.push_back(f.path);
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
            // The year its first line had in the log's own clock, as it was read (local time).
            const std::time_t first = static_cast<std::time_t>(f.firstTime / 1000);
            std::tm local{};
            ::localtime_r(&first, &local);
            c.rereadYear = local.tm_year + 1900;
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

void Ingestor::reportStage(ImportProgress::Stage stage, std::uint64_t bytes, std::uint64_t lines, std::uint64_t messages)
{
    if (!m_options.progress)
        return;
    ImportProgress progress;
    progress.bytesDone = progress.bytesTotal = bytes;
    progress.lines = lines;
    progress.messages = messages;
    progress.stage = stage;
    m_options.progress(progress);
}

void Ingestor::readOnly(std::vector<Candidate> &work, ImportSummary &summary)
{
    const std::string why = "not imported: the cache file " + m_store.readOnlyName() + " is read-only";
    for (Candidate &c : work) {
        if (c.stored.id != 0 && c.needsRead) {
            c.result.error = why + "; what it holds of this log is shown, without the lines added since";
        } else if (c.stored.id == 0) {
            c.result.action = FileImport::Action::Failed;
            c.result.error = why;
        }
        // else: already imported under another name, unchanged: nothing to write but its new name.
        summary.files.push_back(std::move(c.result));
    }
}

void Ingestor::keepStatistics(ImportSummary &summary, bool rowsAdded)
{
    std::string warning;
    m_store.keepStatistics(rowsAdded, warning);
    if (!warning.empty())
        summary.warning = warning;
}

bool Ingestor::isLarge(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored)
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

void Ingestor::release(const Candidate &c)
{
    m_store.releaseFile(c.stored.id, c.insertedNow);
}

void Ingestor::saveFile(const Candidate &c)
{
    StoredFile f = c.stored;
    f.path = c.result.path;
    f.size = static_cast<std::int64_t>(c.st.st_size);
    f.mtime = static_cast<std::int64_t>(c.st.st_mtime);
    f.parsedOffset = c.endOffset;
    f.year = c.year;
    f.lastMonth = c.lastMonth;
    m_store.saveFile(f, c.compressed, c.head, c.result.format);
    m_store.saveFilePrograms(f.id, c.result.otherPrograms, c.result.action == FileImport::Action::Reread);
}

} // namespace mailtrail
