// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cachewriter.h"
#include "cache/fileprograms.h"
#include "correlation/records.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
}

// What the cache holds of one log file: its identity and how far it was read.
struct StoredFile {
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

// A log taking part in an import run.
struct RunFile {
    std::int64_t id = 0;         // 0 for a new log: set by startRun()
    std::int64_t forgetId = 0;   // a stored file that had this path but other content
    std::string path;
    std::string_view head;       // the start of its text
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    bool compressed = false;
    bool inserted = false;       // set by startRun() for a new log
};

// The cache's side of an import: what it holds of each log, and the writes of one run. The
// Ingestor (models/ingest/ingestor.h) decides what to read and drives it. Every method but
// rollback() throws sql::Error, a std::runtime_error, when the cache fails.
class ImportStore
{
public:
    explicit ImportStore(sql::Database &db);
    // A cache that cannot be written (`name`: its file, in the user's words): only what it holds
    // may be read; the importer writes nothing into it.
    ImportStore(sql::Database &db, std::string readOnlyName);
    ~ImportStore();
    ImportStore(const ImportStore &) = delete;
    ImportStore &operator=(const ImportStore &) = delete;

    // A file of the cache itself (a cache kept beside the logs, its -wal...): not a log.
    bool isCacheFile(const std::string &path) const;
    bool isReadOnly() const { return !m_readOnlyName.empty(); }
    const std::string &readOnlyName() const { return m_readOnlyName; }
    std::vector<StoredFile> files();
    // Whether the cache holds mail of `host` first seen at or after `timeMs`.
    bool holdsMailSince(const std::string &host, std::int64_t timeMs);

    // Starts a run, in a transaction of its own: a row for each new log (its id set), the known
    // ones marked as part of the run, forgotten paths cleared. Returns the run's number.
    std::int64_t startRun(std::vector<RunFile> &files);
    // Drops the order and lookup indexes for a large import, when there are; true when dropped.
    bool dropDeferredIndexes();
    std::vector<MessageRecord> openMessages();
    // A refusal an earlier import stored, to know a copy of it in another log read now (Exim's
    // rejectlog after its mainlog): a rejected recipient ("" for a refusal of no recipient in
    // particular, which every rejected row also stands for), or an incident (kind > 0, its
    // IncidentKind number).
    struct StoredRefusal {
        std::int64_t timeMs = 0;
        std::string_view host;
        std::string_view clientIp;
        std::string_view recipient;
        int incidentKind = 0;
        std::int64_t fileId = 0;
    };
    // Every refusal of time `sinceMs` or later, handed to `take` (its strings valid during the call).
    void refusalsSince(std::int64_t sinceMs, const std::function<void(const StoredRefusal &)> &take);
    std::int64_t nextMessageId();
    // The writer of the run's rows; it opens the transaction that commit() ends.
    std::unique_ptr<CacheWriter> writer(std::int64_t run, std::function<void()> committed, bool replaceAll);
    // Where a log's reading ended, after the writer closed.
    void saveFile(const StoredFile &file, bool compressed, std::string_view head, const std::string &format);
    // Its lines of other programs (fileprograms.h), added to those of its earlier imports unless
    // it was read again from its start.
    void saveFilePrograms(std::int64_t id, const ProgramCounts &counts, bool fromStart);
    // A log the run did not reach: as it was before.
    void releaseFile(std::int64_t id, bool insertedNow);
    void commit();
    // Undoes the open transaction and what the run left; never throws (the next open of the
    // cache finishes what fails here).
    void rollback();

    // After the commit: the planner's statistics when rows came; a failure comes back in
    // `warning`. No index is built here: each filter index is built by the first query that
    // needs it, or with the deferred ones (schema::FilterIndex).
    void keepStatistics(bool rowsAdded, std::string &warning);

private:
    // Rows without planner statistics: an import died between building the indexes and ANALYZE.
    bool lacksStatistics();
    // Back to waiting for the disk at checkpoints, after a first load (see writer()).
    void endFirstLoad();

    // The page cache of the import's writer (see writer()); the connection's own is 64 MiB.
    static constexpr int WriterCacheKiB = 16384;
    sql::Database &m_db;
    std::string m_cachePath;
    std::string m_readOnlyName;
    bool m_firstLoad = false;
    std::int64_t m_cacheSizeBefore = 0;
};

} // namespace mailtrail
