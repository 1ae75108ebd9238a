// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/chartdata.h"
#include "cache/charttally.h"
#include "cache/filter.h"
#include "cache/fileprograms.h"
#include "cache/rows.h"

#include <array>
#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
class Statement;
}
class ImportStore;
class ImportLock;
class MemoryIndex;
struct MemorySelection;
struct IncidentRecord;

struct ImportProgress {
    std::string path;               // file being read
    std::uint64_t bytesDone = 0;    // over all files of the import, as read from disk
    std::uint64_t bytesTotal = 0;
    std::uint64_t lines = 0;
    std::uint64_t messages = 0;     // messages written so far
    // What the import does after the last line was read, when the bytes no longer move: the
    // window names it rather than stand at "1061 of 1073 MB" for seconds.
    enum class Stage { Reading, Writing } stage = Stage::Reading;
};

struct ImportSummary;

struct ImportOptions {
    int year = 0;  // year of the first line of year-less syslog files; 0 = infer from mtime
    // A format's name (FormatRegistry, "postfix"): the files named are read as that format,
    // without detection. Empty: each file's format is detected from its content.
    std::string format;
    std::function<bool()> isCancelled;
    std::function<void(const ImportProgress &)> progress;  // called from the importing thread
    // Called after each commit, when new rows became visible to other connections.
    std::function<void()> committed;
    // Called once, before this import waits for another one into the same cache (pid of its
    // process, 0 when unknown) to finish; isCancelled ends the wait.
    std::function<void(long pid)> waiting;
    // Called when the run has ended (also when it failed), while this import still holds the lock:
    // the index builds an import leaves to its caller, done before another import may begin. It
    // may add a warning to the summary.
    std::function<void(ImportSummary &)> whileLocked;
};

struct FileImport {
    // Reread: already imported, read again from its start because an older log came in after it.
    enum class Action { New, Appended, Unchanged, Renamed, Replaced, Reread, Empty, Failed };
    std::string path;
    Action action = Action::Failed;
    std::string error;      // for Failed: why, in words for the user
    // Unchanged because another name given in the same import holds the same content (a copy, a
    // link, mail.log.1 beside its .gz): that name, which was read instead.
    std::string sameAs;
    std::string format;
    std::int64_t fileId = 0;
    std::uint64_t bytesRead = 0;
    std::uint64_t lines = 0;
    std::uint64_t unknownLines = 0;    // of the format's own programs, or no syslog line at all
    ProgramCounts otherPrograms;        // lines of other programs, most first
    std::uint64_t truncatedLines = 0;
    bool endedEarly = false;  // .gz cut short: what was readable was imported
};

struct ImportSummary {
    std::vector<FileImport> files;
    std::uint64_t lines = 0;
    std::uint64_t messages = 0;   // messages written (new or updated)
    double seconds = 0;
    bool cancelled = false;
    bool undone = false;          // nothing of this import was kept: the cache is as it was
    std::string error;            // the cache itself failed: nothing of this import was kept
    std::string warning;          // the rows are in, but something after them failed (said why)
    // Folders inside a folder given: not read (a folder's files are, not those of its subfolders).
    std::vector<std::string> skippedFolders;
    // When each stage ended, in seconds from the start (for --verbose and the benchmarks).
    std::vector<std::pair<std::string, double>> phases;
    // CPU seconds of the thread that reads, parses and correlates, of the writer thread and of the
    // one counting for the summary, while the rows were loaded: which sets the pace.
    double readerCpuSeconds = 0;
    double writerCpuSeconds = 0;
    double countingCpuSeconds = 0;

    bool ok() const { return error.empty(); }
};

// Where a replay for the insight rules ended (Cache::replayForInsights), so that the next one goes
// on from there when a follow imported more. Log times have seconds only: messages last seen in
// that same second may still come; those already handed over are skipped.
struct InsightCursor {
    std::int64_t lastSeenMs = std::numeric_limits<std::int64_t>::min();
    std::set<std::int64_t> atLastSeen;
    std::int64_t lastIncidentId = 0;
};

// The SQLite store of imported logs. One Cache per thread: SQLite connections are not shared.
// Errors come back as text for the user; no exception crosses this API.
class Cache
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    Cache();
    ~Cache();
    Cache(const Cache &) = delete;
    Cache &operator=(const Cache &) = delete;

    // Opens or creates the cache file (and its folder). False with error() set when the file is
    // not a cache, is damaged, is locked by another process or cannot be written. A cache that
    // cannot be written (its file, folder or mount) is opened read-only and answers queries.
    // Opening never changes rows another process is importing: what a dead import left is undone,
    // one in progress is left alone (see ImportLock); a layout that needs migrating is migrated
    // under the import lock, waiting for an import in progress (see setLockWaiting()).
    // ReadOnly: this connection never writes the file (queries). The indexes a query lacks are then
    // built, when the file may be written, through a connection of their own under the import lock.
    bool open(const std::string &path, Mode mode = Mode::ReadWrite);
    // How this connection waits for the import lock when it must write (a migration, an index
    // build): `waiting` is told the holder's pid once, `cancelled` ends the wait. Without
    // `waiting`, index builds do not wait: they fail, or the query goes without the index.
    void setLockWaiting(std::function<void(long pid)> waiting, std::function<bool()> cancelled = {});
    // Whether ensureTextIndex() and ensureDeferredIndexes() may build what is missing (the file can
    // be written), even on a connection opened read-only.
    bool canBuildIndexes() const { return !m_readOnly || m_writeAside; }
    const std::string &error() const { return m_error; }
    // After a failed open(): the file itself cannot serve as this build's cache (damaged, not a
    // database, another layout), as opposed to a lock, a full disk or missing rights that may pass.
    bool fileIsUnusable() const { return m_fileUnusable; }
    const std::string &path() const { return m_path; }
    // The free-text index (--text) is built after an import, in one pass over the new messages,
    // rather than row by row during it. Queries with text build what is missing first, unless
    // turned off (the window builds it on its import thread instead). False when it could not.
    bool ensureTextIndex();
    bool textIndexComplete();
    // The filters by sender, recipient and code, ordering by columns other than time, and
    // findMessages() use indexes that the import leaves out (each costs a pass over the table).
    // This builds them all; queries build those they read themselves unless on-demand building
    // is off. False when it could not.
    bool ensureDeferredIndexes();
    bool deferredIndexesComplete();
    // While set, a long statement of this cache (an index or text-index build) stops soon after the
    // flag turns true, and fails as interrupted. Not for imports, which have their own cancel.
    void setInterruptFlag(const std::atomic<bool> *flag);
    // Whether rows can be put in this order now: an index serves it, so every page is a seek.
    bool canOrderBy(Grain grain, SortKey key);
    // Whether text queries and lookups build the indexes they miss (on by default). The window turns
    // it off: its import thread builds them, and its own connection only reads.
    void setBuildIndexesOnDemand(bool on) { m_buildIndexesOnDemand = on; }

    // Caps the cache file's size; an import that would grow past it fails as on a full disk and
    // leaves the cache as it was. 0 lifts the cap.
    bool setSizeLimit(std::int64_t bytes);
    bool isReadOnly() const { return m_readOnly; }

    // Runs an import into this cache: `run` (the Ingestor, models/ingest/ingestor.h, decides what
    // to read) is handed the store and the files named, as canonical paths. The cache turns a
    // failure of its own into words. While another process imports into the same cache, this one
    // waits for it (see ImportOptions::waiting). A cache that cannot be written is handed over
    // read-only (ImportStore::isReadOnly()): logs it holds unchanged are no error, the others are
    // named as not imported; there is no lock and no whileLocked call.
    using ImportRunner = std::function<ImportSummary(ImportStore &store, const std::vector<std::string> &paths)>;
    ImportSummary import(const std::vector<std::string> &paths, const ImportOptions &options, const ImportRunner &run);

    // Ids of the cached content now at these paths (after import); unknown paths are skipped.
    // error() is set when the lookup failed, and empty otherwise.
    std::vector<std::int64_t> fileIdsFor(const std::vector<std::string> &paths);

    std::int64_t count(Grain grain, const Filter &filter);
    // A page of rows. `dense`: the caller knows a good share of all rows matches (see QueryBuilder).
    // `after`: in time order, the page starts right after this row, and `offset` is ignored.
    std::vector<MessageRow> messages(const Filter &filter, Sort sort, std::int64_t offset, std::int64_t limit,
                                     bool dense = false, const PageAnchor *after = nullptr);
    std::vector<DeliveryRow> deliveries(const Filter &filter, Sort sort, std::int64_t offset, std::int64_t limit,
                                        bool dense = false, const PageAnchor *after = nullptr);
    // Streams every matching row (limit < 0: all) without holding them; the visitor returns false to
    // stop. False when the query failed (see error()).
    // In time order, the key of the last row of every page of `pageSize` rows: lets a jump to any
    // page seek instead of counting rows. One pass over the matching keys.
    // `dense` as for the pages: a good share of the rows matches, so walking the time order beats
    // gathering and sorting the matches.
    std::vector<PageAnchor> pageAnchors(Grain grain, const Filter &filter, Sort sort, std::int64_t pageSize,
                                        bool dense = false);
    bool visitMessages(const Filter &filter, Sort sort, std::int64_t limit,
                       const std::function<bool(const MessageRow &)> &visit);
    bool visitDeliveries(const Filter &filter, Sort sort, std::int64_t limit,
                         const std::function<bool(const DeliveryRow &)> &visit);
    // Where a message's row (of the delivery grain: its delivery `deliveryIndex`, or its first
    // when -1) is among the matching rows in this order, from 0; -1 when it does not match (or the
    // query failed: see error()). Walks the order up to the row.
    std::int64_t rowPosition(Grain grain, const Filter &filter, Sort sort, std::int64_t messageId, int deliveryIndex = -1);
    // SQLite's plan for a page of rows, one step a line (for tests and diagnosis).
    std::string pagePlan(Grain grain, const Filter &filter, Sort sort, bool dense = false);
    // And for the count of a filter's rows.
    std::string countPlan(Grain grain, const Filter &filter);
    // By queue id or Message-ID; the most recent lifetime when a queue id was reused. error() is
    // set when the lookup failed, and empty otherwise: an empty answer is "none" only then.
    std::vector<std::int64_t> findMessages(const std::string &queueOrMessageId, const std::vector<std::int64_t> &fileIds);
    std::optional<MessageDetail> detail(std::int64_t messageId);
    std::vector<FileRow> files();
    // The names of the servers whose mail is in the cache, sorted; not the empty one of a log
    // that names none (Exim's own files). For the window's host filter.
    std::vector<std::string> hostNames();
    // The same, of the mail in these files (every file when none): what the logs on show hold.
    std::vector<std::string> hostNames(const std::vector<std::int64_t> &fileIds);
    // The delivery tries of the matching deliveries (every counted attempt: a deferral, then the
    // final one), per minute of the try and per group, from the cache's indexes (chartqueries.cpp).
    // Without a filter, from the numbers the imports keep when they describe the cache (and the
    // open messages' rows), unless `fromRows`.
    ChartData chartData(const Filter &filter, ChartGroup group, bool fromRows = false);
    // Earliest and latest arrival among the matching messages; {0, 0} when none.
    std::pair<std::int64_t, std::int64_t> timeRange(const Filter &filter);
    // The correlation output again, for the insight rules over opened history (insightreplay.cpp):
    // the messages of these files (all files when none) with their deliveries and tries, and the
    // incidents, merged in log time. A message comes at its last line, whole; before that, at each
    // counted try of a recipient tried more than once, as it stood then (open, its tries so far),
    // so that the rules see a destination deferring when it deferred, not when its messages ended
    // (an import hands a message to the rules when it ends: hours after its first deferral). One
    // message in memory at a time, and the tries of those not ended yet. Resumable: `cursor` says
    // where the last replay ended and is advanced. A visitor returning false, or `cancelled`, stops
    // it. False when the query failed (see error()).
    bool replayForInsights(const std::vector<std::int64_t> &fileIds, InsightCursor &cursor,
                           const std::function<bool()> &cancelled,
                           const std::function<bool(const MessageRecord &)> &message,
                           const std::function<bool(const IncidentRecord &)> &incident);

    // Reads the addresses of the cache into memory (MemoryIndex) for every Cache of this process
    // on the same file: while the file stays as it was read, a filter whose only conditions are a
    // sender or a recipient is then counted, paged in time order and charted from memory, and
    // the chart of statuses, codes and a time range with them too. Seconds
    // at a gigabyte: off the GUI thread. Nothing is built while an import is under way (false,
    // error() empty), or when `cancelled` turns true; false with error() set when the read failed.
    bool buildMemoryIndex(const std::atomic<bool> *cancelled = nullptr);
    // Off: this connection answers every filter from SQLite (the tests compare both answers).
    void setMemoryIndexUsed(bool on) { m_memoryIndexUsed = on; }
    // Whether a query of `filter` (its count and pages, or its chart) would be answered from the
    // index in memory now (a text's matches gathered first, as the query would).
    bool answersFromMemory(const Filter &filter);
    bool chartsFromMemory(const Filter &filter);
    // Drops the index of this file for every Cache of the process.
    void dropMemoryIndex();
    static void dropMemoryIndex(const std::string &path);

    // Renames a damaged cache (and its -wal/-shm companions) to PATH.broken-N so a new one can be
    // created in its place without destroying what might still be rescued. Returns the new name.
    static std::string moveAside(const std::string &path);

    // Default cache file: $XDG_CACHE_HOME/mailtrail/cache.sqlite.
    static std::string defaultPath();

private:
    // replayForInsights() once, its sorts in runs on disk or in memory (`inRuns`); `begun` turns
    // true once a cursor moved, `failure` holds SQLite's code when it returns false.
    bool replayOnce(const std::vector<std::int64_t> &fileIds, InsightCursor &cursor, const std::function<bool()> &cancelled,
                    const std::function<bool(const MessageRecord &)> &message,
                    const std::function<bool(const IncidentRecord &)> &incident, bool inRuns, bool &begun, int &failure);
    friend class StatsQueries;  // aggregates over the same connection and text filter
    // How long a statement waits for another connection's write lock before it reports "locked".
    static constexpr int BusyTimeoutMs = 3000;
    std::unique_ptr<sql::Database> m_db;
    std::string m_path;
    std::string m_error;
    bool m_readOnly = false;
    bool m_fileUnusable = false;
    bool m_buildIndexesOnDemand = true;
    // Opened read-only by request on a file that may be written: index builds go through a
    // connection of their own.
    bool m_writeAside = false;
    // Within import()'s whileLocked: the lock is this connection's already.
    bool m_holdsLock = false;
    std::function<void(long pid)> m_waiting;
    std::function<bool()> m_waitCancelled;
    // The unfiltered chart: from the numbers the imports keep (StatsSnapshot::loadChart) and the
    // open messages' rows (true), or from every row when they do not describe the cache (false).
    bool chartOfWhole(bool chains, ChartGroup group, ChartTally &out);
    // Creates or migrates the layout, under the import lock.
    void migrate();
    // Read-only: the layout the connection was set up for (schema::readAsIs), followed when
    // another process migrates the file. Checked as each query starts (one read of the file's
    // header, which the page cache holds).
    void followLayout();
    int m_layout = 0;
    bool m_mayWriteAside = false;
    // Undoes what a dead import left, unless an import is under way (then those rows are its).
    void recoverDeadImport();
    // The path the import lock is named after.
    std::string lockBase() const;
    // Takes the import lock for a write of this connection's own (an index), without waiting;
    // false with error() set when another import holds it.
    bool lockForWriting(ImportLock &lock);
    // Runs `write` under the import lock (waited for when `wait` and setLockWaiting() allow), on
    // this connection or, when it was opened read-only, on one of its own. False with error() set
    // when it could not.
    bool writeUnderLock(bool wait, const std::function<void(sql::Database &)> &write);
    // Builds the filter indexes the filter reads when on-demand building allows
    // (prepareFilterIndexes), brings the text index up to date when it may, and gathers the
    // messages matching the filter's text into temp.text_match, once for all the counts and
    // pages that follow.
    void prepareTextFilter(const Filter &filter);
    void prepareFilterIndexes(const Filter &filter);
    // The filter without a file scope that covers every file of the cache, without chains when
    // the cache holds none, and marked textMatchReady when temp.text_match holds its text's
    // matches. `fromMemory`: the caller asks the index in memory first (memoryIndexFor), which
    // needs none of the sets SQL gathers for chains.
    Filter simplified(const Filter &filter, bool fromMemory = false);
    // Whether any message of the cache is a hop of a chain, as of the cache's present state.
    bool holdsChains();
    // Gathers the chains' later hops into temp.later_hops, and with `states` their first hops with
    // the chain's state into temp.chain_firsts, once per state of the cache that two queries in a
    // row found; false when they are not gathered (the queries then gather what they need).
    bool prepareChainSets(bool states);
    // A state of the cache as this connection sees it: any commit, by it or another, changes it;
    // the temp tables this connection fills (m_tempChanges) do not.
    struct Moment {
        std::int64_t dataVersion = -1;
        std::int64_t ownChanges = -1;
        bool operator==(const Moment &) const = default;
    };
    Moment moment();
    // The matches of this text, as of this state of the cache: for an index in memory to answer
    // the filter with, their ids in order; for SQLite, in temp.text_match (inTable), filled by
    // `select` the first time a query in SQL needs them (fillTextMatchTable()).
    // The ids of the messages a text matches (QueryBuilder::textMatchParts), unsorted, from this
    // connection and, for the candidates of a joined term, a second one.
    void readTextMatches(const std::string &text, std::vector<std::int64_t> &ids);
    struct TextMatch {
        std::string text;
        Moment at;
        std::vector<std::int64_t> ids;
        bool idsRead = false;
        bool inTable = false;
        std::string select;
        std::vector<std::variant<std::int64_t, std::string>> params;  // QueryBuilder::Param
    } m_textMatch;
    struct Chains {
        Moment at;
        bool any = true;
    } m_chains;
    struct ChainSets {
        Moment at;    // what temp.later_hops holds
        bool states = false;  // temp.chain_firsts too, as of `at`
        Moment seen;  // the state of the cache the last query found
    } m_chainSets;
    // Gathers the "any hop" sets of the filter over chains (a code, a recipient, a text, a
    // destination, TLS, tries) into temp tables, once per set and state of the cache that two
    // queries in a row found, and names them in filter.keptHopSets.
    void keepHopSets(Filter &filter);
    // Empties temp.`table` (made with one column, id INTEGER PRIMARY KEY, when missing) and fills it
    // with the ids `select` gives, `bind` binding its parameters; out of the cache's changes (a
    // temp write is no new state of the cache). Emptied, not dropped: a table cannot be dropped
    // while a statement of this connection is still open on it, which the table models' pages may be.
    void fillTempIds(const std::string &table, const std::string &select, const std::function<void(sql::Statement &)> &bind);
    // Fills temp.text_match with the matches of m_textMatch, if they are still of the cache's
    // present state; whether it holds them.
    bool fillTextMatchTable();
    struct KeptHopSet {
        std::string key;  // QueryBuilder::HopSet::key of what temp.hop_set_N holds
        Moment at;
        std::uint64_t used = 0;  // m_hopSetUses when a filter last asked for it
    };
    // The index in memory of this file when it describes the cache as this connection sees it
    // and serves `filter` (through simplified()) for the table or, with `chart`, for the chart;
    // null otherwise.
    std::shared_ptr<const MemoryIndex> memoryIndexFor(const Filter &filter, bool chart = false);
    // The rows of `filter` in `index`, kept for the count, the page and the chart that follow.
    struct KeptSelection;
    const MemorySelection &memorySelection(const std::shared_ptr<const MemoryIndex> &index, const Filter &filter);
    bool m_memoryIndexUsed = true;
    std::string m_memoryIndexKey;  // the file's canonical path, which the index is published under
    struct MemoryIndexCheck {
        std::shared_ptr<const MemoryIndex> index;
        Moment at;
        bool current = false;  // the index describes the cache as of `at`
    } m_memoryIndexCheck;
    // The last two, latest first: the table asks the count of its scope alone (the "of M" of its
    // total) between the count and the page of its filter.
    std::array<std::shared_ptr<KeptSelection>, 2> m_memorySelections;
    std::array<KeptHopSet, 4> m_hopSets;  // temp.hop_set_0 to _3
    std::uint64_t m_hopSetUses = 0;
    Moment m_hopSetsSeen;  // the state of the cache the last query found
    std::int64_t m_tempChanges = 0;  // rows this connection wrote to its temp tables
    // Counts what this connection writes to its temp tables in its scope into m_tempChanges,
    // however the scope is left.
    class TempWrites;
};

// Absolute path with symlinks resolved: how files are named in the cache.
std::string canonicalPath(const std::string &path);

} // namespace mailtrail
