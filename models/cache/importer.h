// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "correlation/records.h"

#include <chrono>

namespace mailtrail {

namespace sql {
class Database;
}

// One import run: decides per file what is new (by content, not by name), reads the files in the
// order of their content's time, and writes through a CacheWriter. Internal to the cache layer.
class Importer
{
public:
    Importer(sql::Database &db, const ImportOptions &options);
    ImportSummary run(const std::vector<std::string> &paths);

private:
    struct Candidate;
    struct StoredFile;

    std::vector<std::string> expand(const std::vector<std::string> &paths, ImportSummary &summary);
    bool inspect(Candidate &c, const std::vector<StoredFile> &stored);
    std::vector<StoredFile> loadFiles();
    void importFile(Candidate &c, class Correlator &correlator, class CacheWriter &writer, ImportSummary &summary,
                    std::uint64_t &bytesBefore, std::uint64_t bytesTotal);
    void saveFile(const Candidate &c);
    void release(const Candidate &c);
    // Builds the filter indexes if they are missing, and the planner's statistics when rows came.
    void finishIndexes(ImportSummary &summary, std::chrono::steady_clock::time_point started, bool rowsAdded);
    // Rows but no planner statistics for them.
    bool lacksStatistics();
    // Whether this import adds enough to the cache that its secondary indexes are better rebuilt.
    // Whether a new log holds mail of a host older than mail of that host the cache holds.
    bool holdsOlderContent(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored);
    // Adds every cached log to `work`, to be read again from its start; false (and a warning) when
    // some of them can no longer be read.
    bool planReread(std::vector<Candidate> &work, const std::vector<StoredFile> &stored, ImportSummary &summary);
    static bool isLarge(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored);

    sql::Database &m_db;
    const ImportOptions &m_options;
};

} // namespace mailtrail
