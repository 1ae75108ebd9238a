// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "cache/importstore.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mailtrail {

class Correlator;
class RefusalCopies;
class FollowState;
struct MessageRecord;
struct IncidentRecord;

// Sees each message an import writes (new, continued, or still open at its end), on the importing
// thread and before the commit: what a follower prints once the import returns.
using MessageObserver = std::function<void(const MessageRecord &)>;
// The same for the incidents (SASL failures) an import writes.
using IncidentObserver = std::function<void(const IncidentRecord &)>;

// Imports logs of any format into the cache: decides per file what is new (by content, not by
// name), detects each file's format (FormatRegistry), reads the files in the order of their
// content's time through their format, joins the lines into messages (Correlator) and writes
// them through the cache's writer. The cache keeps storage and queries (ImportStore); this layer
// decides what to read and how.
class Ingestor
{
public:
    // Imports or refreshes the files (folders are expanded to the files inside). Files are read in
    // the order of their content's time; messages continue across file boundaries.
    static ImportSummary import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options = {});
    // The same, showing `observer` every message written. Nothing of an import that is undone or
    // fails is in the cache, whatever the observer saw (see ImportSummary::ok() and undone).
    static ImportSummary import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options,
                                MessageObserver observer, IncidentObserver incidents = {});
    // One batch of a follow: `carry` joins its lines to those of the batches before as one import
    // of all of them would (see FollowState), and only the messages it changed are written.
    static ImportSummary import(Cache &cache, const std::vector<std::string> &paths, const ImportOptions &options,
                                MessageObserver observer, IncidentObserver incidents, FollowState &carry);

private:
    struct Candidate;

    Ingestor(ImportStore &store, const ImportOptions &options, MessageObserver observer = {},
             IncidentObserver incidents = {}, FollowState *carry = nullptr);
    ImportSummary run(const std::vector<std::string> &paths);

    std::vector<std::string> expand(const std::vector<std::string> &paths, ImportSummary &summary);
    bool inspect(Candidate &c, const std::vector<StoredFile> &stored);
    void importFile(Candidate &c, Correlator &correlator, CacheWriter &writer, ImportSummary &summary,
                    std::uint64_t &bytesBefore, std::uint64_t bytesTotal, bool carried);
    // Whether the carried correlator continues this import: the cache is as the follow's last
    // batch left it.
    bool canCarry(const std::vector<StoredFile> &stored, std::int64_t nextId) const;
    // After a commit: what the next batch of the follow continues from.
    void keepCarry(std::unique_ptr<Correlator> correlator, const std::vector<Candidate> &work);
    void saveFile(const Candidate &c);
    // The year of the first year-less line of a log, from its mtime and the months of its first
    // and last lines.
    static int startYear(Candidate &c, int firstLineMonth);
    void release(const Candidate &c);
    // On a cache that cannot be written: each log that needs reading is named as not imported.
    void readOnly(std::vector<Candidate> &work, ImportSummary &summary);
    // Tells the progress callback that reading is over and what the import does now.
    void reportStage(ImportProgress::Stage stage, std::uint64_t bytes, std::uint64_t lines, std::uint64_t messages);
    // The planner's statistics when rows came (ImportStore::keepStatistics).
    void keepStatistics(ImportSummary &summary, bool rowsAdded);
    // Whether this import adds enough to the cache that its secondary indexes are better rebuilt.
    // Whether a new log holds mail of a host older than mail of that host the cache holds.
    bool holdsOlderContent(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored);
    // The refusals the cache holds from where the lines of `work` begin, for their copies.
    void rememberRefusals(const std::vector<Candidate> &work, RefusalCopies &into);
    // Adds every cached log to `work`, to be read again from its start; false (and a warning) when
    // some of them can no longer be read.
    bool planReread(std::vector<Candidate> &work, const std::vector<StoredFile> &stored, ImportSummary &summary);
    static bool isLarge(const std::vector<Candidate> &work, const std::vector<StoredFile> &stored);

    ImportStore &m_store;
    const ImportOptions &m_options;
    MessageObserver m_observer;
    IncidentObserver m_incidents;
    FollowState *m_carry = nullptr;
};

} // namespace mailtrail
