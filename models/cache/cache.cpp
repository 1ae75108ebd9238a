// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/cache.h"

#include "cache/importstore.h"
#include "cache/importlock.h"
#include "cache/importstate.h"
#include "cache/memoryindex.h"
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace mailtrail {

namespace {

bool makeDirectories(const std::string &dir)
{
    if (dir.empty())
        return true;
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0)
        return S_ISDIR(st.st_mode);
    const auto slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0 && !makeDirectories(dir.substr(0, slash)))
        return false;
    return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

} // namespace

std::string canonicalPath(const std::string &path)
{
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved))
        return resolved;
    return path;
}

Cache::Cache()
    : m_db(std::make_unique<sql::Database>())
{
}

Cache::~Cache() = default;

namespace {

// How long the checkpoint after a write waits for readers on an older snapshot (the window's
// queries are short); past it the -wal file is reused from its start rather than emptied.
constexpr int JournalShrinkWaitMs = 100;

} // namespace

std::string Cache::defaultPath()
{
    const char *xdg = std::getenv("XDG_CACHE_HOME");
    std::string base = xdg && *xdg == '/' ? xdg : "";
    if (base.empty()) {
        const char *home = std::getenv("HOME");
        base = std::string(home && *home ? home : "/tmp") + "/.cache";
    }
    return base + "/mailtrail/cache.sqlite";
}

namespace {

// Touching the schema is what fails for a file that is not a database, and, for a read-only
// connection to a WAL database, where the -shm file can be neither opened nor created.
// True when the file holds no table of something else.
bool holdsOnlyCacheTables(sql::Database &db)
{
    sql::Statement probe(db, "SELECT count(*) FROM sqlite_master WHERE name NOT IN "
                             "('meta','files','hosts','messages','deliveries','attempts','incidents',"
                             "'message_files','file_programs','relays','dsns','clients','tls','verdicts','stats_snapshot') "
                             "AND name NOT LIKE 'message_text%' AND name NOT LIKE 'sqlite_%' AND type = 'table'");
    probe.step();
    return probe.int64(0) == 0;
}

bool exists(const std::string &path)
{
    return ::access(path.c_str(), F_OK) == 0;
}

bool holdsBytes(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

int layoutVersion(sql::Database &db)
{
    sql::Statement st(db, "PRAGMA user_version");
    return st.step() ? st.integer(0) : 0;
}

// Whether another connection could write the file: the file itself, and its folder (for the
// -wal and -shm files beside it). A file nobody may write (chmod a-w) stays unwritten even by
// root, whom access() lets write anything.
bool mayWrite(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0 &&
        ::access(path.c_str(), W_OK) == 0 && ::access(folder.c_str(), W_OK) == 0;
}

} // namespace

bool Cache::open(const std::string &path, Mode mode)
{
    m_textMatch = {};  // temp.text_match belongs to the connection being replaced
    m_chains = {};
    m_chainSets = {};
    m_hopSets = {};
    m_hopSetsSeen = {};
    m_tempChanges = 0;
    m_fileUnusable = false;
    m_path = path;
    m_memoryIndexKey.clear();  // named once the file exists (canonicalPath)
    m_memoryIndexCheck = {};
    m_memorySelections = {};
    m_error.clear();
    m_readOnly = mode == Mode::ReadOnly;
    m_writeAside = false;
    m_mayWriteAside = false;
    m_layout = 0;
    m_holdsLock = false;
    const auto slash = path.find_last_of('/');
    if (!m_readOnly && slash != std::string::npos && !makeDirectories(path.substr(0, slash))) {
        m_error = "cannot create the folder for the cache file " + path + " (" + std::strerror(errno) + ")";
        return false;
    }
    bool forcedReadOnly = false;
    try {
        try {
            m_db->open(path, m_readOnly);
        } catch (const sql::Error &e) {
            // A cache we may read but not write still answers queries.
            if (m_readOnly || ::access(path.c_str(), R_OK) != 0)
                throw;
            m_db->open(path, true);
            m_readOnly = true;
            forcedReadOnly = true;
        }
        sqlite3_busy_timeout(m_db->handle(), BusyTimeoutMs);
        // SQLite opens a file it may not write read-only without failing; ask it.
        if (sqlite3_db_readonly(m_db->handle(), "main") == 1 && !m_readOnly) {
            m_readOnly = true;
            forcedReadOnly = true;
        }
        bool onlyCache = false;
        try {
            if (!m_readOnly) {
                // Large pages suit a store written in bulk and read in index ranges; this only
                // takes effect on a new file, before WAL mode fixes the layout.
                m_db->exec("PRAGMA page_size = 16384");
                sql::Statement(*m_db, "PRAGMA journal_mode = WAL").step();
                // A checkpoint every 1024 pages of log (16 MiB at this page size): the one at the
                // end of an import, when the other threads are done, copies the last commit's pages
                // and not up to four times as many (4096 before session 29; 1 % of a 1 GB import's
                // time). An import that replaces every row commits once, and copies it all then.
                m_db->exec("PRAGMA wal_autocheckpoint = 1024");
            }
            onlyCache = holdsOnlyCacheTables(*m_db);
        } catch (const sql::Error &e) {
            // A WAL database whose -shm file can be neither opened nor made: a read-only mount,
            // a folder of another user (whatever the file's own mode). With no -wal file either (or
            // an empty one, as a reader leaves), nobody is writing it, and it can be read as it is
            // on disk.
            const int code = e.code() & 0xff;
            if ((code != SQLITE_CANTOPEN && code != SQLITE_READONLY) || !exists(path) || holdsBytes(path + "-wal"))
                throw;
            m_db->open(path, true, true);
            m_readOnly = true;
            onlyCache = holdsOnlyCacheTables(*m_db);
            forcedReadOnly = true;
        }
        // A reader's pages are in the system's file cache too, which every connection shares: its
        // own cache only spares a copy. The window keeps one reader per thread (table, chart,
        // summary, insights, index, timeline...), and 64 MiB each held 360 MB resident after a dozen
        // filters on a 160 MB log; 16 MiB each still held 35 MB more than 4 during a 1 GB import,
        // for filters as fast (docs/store.md, "The window's memory"). The writer keeps the larger
        // one, as its pages are new.
        m_db->exec(m_readOnly ? "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -4096;"
                                "PRAGMA foreign_keys = OFF"
                              : "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
                                "PRAGMA foreign_keys = OFF");
        if (!onlyCache) {
            m_error = path + " is an SQLite database but not a Mailtrail cache; choose another file with --cache";
            m_db->close();
            return false;
        }
        if (m_readOnly) {
            if (layoutVersion(*m_db) == 0) {
                // No tables: an empty file, or one the first import is creating right now.
                m_error = "no cache at " + path + " yet: nothing has been imported into it" +
                    (forcedReadOnly ? std::string() : " (or an import is creating it now)");
                m_db->close();
                return false;
            }
            if (!schema::readAsIs(*m_db)) {
                m_error = forcedReadOnly
                    ? "the cache file " + path + " is read-only and has not been created by this version"
                    : "the cache file " + path + " has not been brought up to this version's layout; import a log "
                                                 "into it first";
                m_db->close();
                return false;
            }
            m_layout = layoutVersion(*m_db);
            m_mayWriteAside = !forcedReadOnly && mayWrite(path);
            // A layout that needs migrating gets no index from a query: the import migrates it.
            m_writeAside = m_mayWriteAside && m_layout == schema::CurrentVersion;
        } else {
            migrate();
            recoverDeadImport();
        }
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, path);
        // Damaged, not a database, or a layout this build does not read: no retry will help.
        const int code = e.code() & 0xff;
        m_fileUnusable = code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_MISMATCH;
        m_db->close();
        return false;
    }
    return true;
}

void Cache::migrate()
{
    // Creating or migrating the tables writes the whole layout: never beside an import (which
    // prepares the layout itself under the lock) or another migration.
    if (layoutVersion(*m_db) == schema::CurrentVersion)
        return;
    ImportLock lock(lockBase());
    if (!lock.acquire(m_waiting, m_waitCancelled))
        throw sql::Error(lock.error().empty() ? "cancelled while waiting for another import to finish" : lock.error(),
                         SQLITE_BUSY);
    schema::prepare(*m_db);
}

void Cache::followLayout()
{
    if (!m_readOnly || !m_db->isOpen())
        return;
    try {
        const int now = layoutVersion(*m_db);
        if (now == m_layout)
            return;
        // Another process migrated the file under this connection: what readAsIs() laid over the
        // old layout names columns that are gone. Laid again over the new one.
        schema::forgetReadAsIs(*m_db);
        m_layout = now;
        m_writeAside = m_mayWriteAside && now == schema::CurrentVersion;
        // A layout newer than this build's is left bare: its queries fail and say what is missing.
        schema::readAsIs(*m_db);
    } catch (const sql::Error &) {
        // Tried again by the next query; this one reports what fails.
    }
}

void Cache::setLockWaiting(std::function<void(long pid)> waiting, std::function<bool()> cancelled)
{
    m_waiting = std::move(waiting);
    m_waitCancelled = std::move(cancelled);
}

void Cache::recoverDeadImport()
{
    if (!importstate::hasInterrupted(*m_db))
        return;
    // Only an import nobody runs any more is undone: while its importer lives, it holds the lock,
    // and its rows are the ones this connection is about to show.
    ImportLock lock(lockBase());
    if (lock.tryAcquire())
        importstate::recoverInterrupted(*m_db);
}

std::string Cache::lockBase() const
{
    // Every name of the cache file (a symlink, a relative path) must lock the same lock file.
    return canonicalPath(m_path);
}

std::string Cache::moveAside(const std::string &path)
{
    for (int n = 1; n < 1000; ++n) {
        const std::string target = path + ".broken-" + std::to_string(n);
        if (::access(target.c_str(), F_OK) == 0)
            continue;
        if (::rename(path.c_str(), target.c_str()) != 0)
            return {};
        for (const char *suffix : {"-wal", "-shm"})
            ::rename((path + suffix).c_str(), (target + suffix).c_str());
        return target;
    }
    return {};
}

bool Cache::setSizeLimit(std::int64_t bytes)
{
    try {
        sql::Statement pageSize(*m_db, "PRAGMA page_size");
        pageSize.step();
        const std::int64_t pages = bytes > 0 ? std::max<std::int64_t>(1, bytes / pageSize.int64(0)) : 4294967294LL;
        sql::Statement(*m_db, "PRAGMA max_page_count = " + std::to_string(pages)).step();
        return true;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return false;
    }
}

ImportSummary Cache::import(const std::vector<std::string> &paths, const ImportOptions &options,
                            const ImportRunner &run)
{
    ImportSummary summary;
    if (!m_db->isOpen()) {
        summary.error = m_error.empty() ? "the cache is not open" : m_error;
        return summary;
    }
    std::vector<std::string> canonical;
    canonical.reserve(paths.size());
    for (const std::string &p : paths)
        canonical.push_back(canonicalPath(p));
    if (m_readOnly) {
        // Logs the cache holds as they are need no write: the importer sees that nothing changed
        // and says so; what did change it names as not imported (ImportStore::readOnlyName()). No
        // lock (its file may not be creatable) and no index builds: nothing here is written.
        try {
            ImportStore store(*m_db, m_path);
            summary = run(store, canonical);
        } catch (const sql::Error &e) {
            summary.error = sql::describe(e, m_path);
        }
        return summary;
    }
    // One import at a time: a second one waits for the first and then reads what the first
    // left (most likely: nothing new).
    ImportLock lock(lockBase());
    if (!lock.acquire(options.waiting, options.isCancelled)) {
        if (lock.error().empty()) {
            summary.cancelled = true;
            summary.undone = true;
        } else {
            summary.error = lock.error();
        }
        return summary;
    }
    try {
        // The layout may have been migrated, and an import may have died, while this one waited.
        schema::prepare(*m_db);
        importstate::recoverInterrupted(*m_db);
        ImportStore store(*m_db);
        summary = run(store, canonical);
        if (!summary.error.empty()) {
            // The importer reports SQLite's words; say it for the user.
            summary.error = "import failed, the cache is unchanged: " + summary.error;
        }
    } catch (const sql::Error &e) {
        summary.error = sql::describe(e, m_path);
    }
    if (options.whileLocked) {
        m_holdsLock = true;
        options.whileLocked(summary);
        m_holdsLock = false;
    }
    m_db->shrinkJournal(JournalShrinkWaitMs, BusyTimeoutMs);
    return summary;
}

namespace {

struct TextIndexRange {
    std::int64_t indexed = 0;  // the last message in the text index
    std::int64_t last = 0;     // the last message
    // The last message up to which the index holds the joined words (textwords) of every message
    // it holds: indexed by this build, not by an older one (whose index holds none).
    std::int64_t joined = 0;
    bool holdsJoinedWords() const { return joined == indexed; }
};

TextIndexRange textIndexRange(sql::Database &db)
{
    sql::Statement range(db, "SELECT (SELECT value FROM meta WHERE key = 'text_indexed_upto'), "
                             "coalesce((SELECT max(id) FROM messages), 0), "
                             "coalesce((SELECT value FROM meta WHERE key = 'text_joined_upto'), 0)");
    range.step();
    return {range.int64(0), range.int64(1), range.int64(2)};
}

} // namespace

bool Cache::textIndexComplete()
{
    try {
        const TextIndexRange range = textIndexRange(*m_db);
        return range.indexed >= range.last;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return false;
    }
}

bool Cache::lockForWriting(ImportLock &lock)
{
    if (lock.tryAcquire())
        return true;
    if (lock.error().empty()) {
        const long pid = lock.holder();
        m_error = "another process" + (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
            " is importing into the cache file " + m_path + "; try again when it has finished";
    } else {
        m_error = lock.error();
    }
    return false;
}

bool Cache::writeUnderLock(bool wait, const std::function<void(sql::Database &)> &write)
{
    if (!m_db->isOpen())
        return false;
    if (!canBuildIndexes()) {
        m_error = "the cache file " + m_path + " is read-only";
        return false;
    }
    ImportLock lock(lockBase());
    if (!m_holdsLock) {
        if (!wait || !m_waiting) {
            if (!lockForWriting(lock))
                return false;
        } else if (!lock.acquire(m_waiting, m_waitCancelled)) {
            m_error = lock.error().empty() ? "cancelled while waiting for another import into " + m_path + " to finish"
                                           : lock.error();
            return false;
        }
    }
    // Not waiting for the lock: not for another connection's write either.
    const int busyTimeoutMs = wait ? BusyTimeoutMs : 0;
    try {
        if (!m_readOnly) {
            sqlite3_busy_timeout(m_db->handle(), busyTimeoutMs);
            write(*m_db);
            m_db->shrinkJournal(JournalShrinkWaitMs, BusyTimeoutMs);
            return true;
        }
        // This connection only reads; a writer of its own, for as long as the write takes.
        sql::Database writer;
        writer.open(m_path);
        sqlite3_busy_timeout(writer.handle(), busyTimeoutMs);
        write(writer);
        // This reader holds no snapshot between queries, so the checkpoint need not wait for it.
        writer.shrinkJournal(JournalShrinkWaitMs, busyTimeoutMs);
        return true;
    } catch (const sql::Error &e) {
        sqlite3_busy_timeout(m_db->handle(), BusyTimeoutMs);
        m_error = sql::describe(e, m_path);
        return false;
    }
}

bool Cache::ensureTextIndex()
{
    if (m_db->isOpen()) {
        try {
            const TextIndexRange range = textIndexRange(*m_db);
            // Without the joined words the answers are the same, found slower: a cache this
            // connection cannot write is read as it is.
            if (range.indexed >= range.last && (range.holdsJoinedWords() || !canBuildIndexes()))
                return true;
        } catch (const sql::Error &e) {
            m_error = sql::describe(e, m_path);
            return false;
        }
    }
    // Indexed while another process imports, messages it is still updating would keep the text
    // they had when indexed: under the lock.
    return writeUnderLock(true, [](sql::Database &db) {
        sql::Transaction tx(db);
        TextIndexRange range = textIndexRange(db);
        if (range.indexed >= range.last && range.holdsJoinedWords())
            return;
        // Built (or added to) by an earlier build: once again from the start, with the joined
        // words of every message.
        const bool fromScratch = !range.holdsJoinedWords();
        schema::indexText(db, fromScratch ? 1 : range.indexed + 1, range.last, fromScratch);
        sql::Statement(db, "UPDATE meta SET value = ? WHERE key = 'text_indexed_upto'").bind(1, range.last).run();
        sql::Statement(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('text_joined_upto', ?)").bind(1, range.last).run();
        tx.commit();
    });
}

bool Cache::ensureDeferredIndexes()
{
    if (deferredIndexesComplete())
        return true;
    // A large import drops these indexes while it runs, and builds them when it ends.
    return writeUnderLock(true, [](sql::Database &db) {
        if (!schema::hasDeferredIndexes(db))
            schema::createDeferredIndexes(db);
    });
}

bool Cache::deferredIndexesComplete()
{
    try {
        return m_db->isOpen() && schema::hasDeferredIndexes(*m_db);
    } catch (const sql::Error &) {
        return false;
    }
}

void Cache::setInterruptFlag(const std::atomic<bool> *flag)
{
    if (!m_db->isOpen())
        return;
    if (!flag) {
        sqlite3_progress_handler(m_db->handle(), 0, nullptr, nullptr);
        return;
    }
    // About every 10,000 virtual-machine steps: a few milliseconds.
    sqlite3_progress_handler(
        m_db->handle(), 10000,
        [](void *f) { return static_cast<const std::atomic<bool> *>(f)->load(std::memory_order_relaxed) ? 1 : 0; },
        const_cast<std::atomic<bool> *>(flag));
}

bool Cache::canOrderBy(Grain, SortKey key)
{
    if (key == SortKey::Time)
        return true;  // the time index is part of the layout
    if (!m_db->isOpen())
        return false;
    try {
        // The sender orders by its filter's index; the rest by the deferred ones (a large import
        // drops them while it runs). The window builds both after an import.
        if (key == SortKey::Sender)
            return schema::hasFilterIndex(*m_db, schema::FilterIndex::Sender);
        return schema::hasDeferredIndexes(*m_db);
    } catch (const sql::Error &) {
        return false;
    }
}

class Cache::TempWrites
{
public:
    explicit TempWrites(Cache &cache)
        : m_cache(cache)
        , m_before(sqlite3_total_changes64(cache.m_db->handle()))
    {
    }
    ~TempWrites() { m_cache.m_tempChanges += sqlite3_total_changes64(m_cache.m_db->handle()) - m_before; }
    TempWrites(const TempWrites &) = delete;
    TempWrites &operator=(const TempWrites &) = delete;

private:
    Cache &m_cache;
    std::int64_t m_before;
};

Cache::Moment Cache::moment()
{
    sql::Statement version(*m_db, "PRAGMA data_version");
    return {version.step() ? version.int64(0) : -2, sqlite3_total_changes64(m_db->handle()) - m_tempChanges};
}

bool Cache::holdsChains()
{
    try {
        const Moment now = moment();
        if (m_chains.at == now)
            return m_chains.any;
        // Both partial indexes are empty in a log without content filters: two probes.
        sql::Statement st(*m_db, "SELECT EXISTS(SELECT 1 FROM messages WHERE chain_id IS NOT NULL) OR "
                                 "EXISTS(SELECT 1 FROM deliveries WHERE next_hop IS NOT NULL)");
        m_chains = {now, !st.step() || st.int64(0) != 0};
        return m_chains.any;
    } catch (const sql::Error &) {
        return true;  // the chained query that follows reports what is wrong
    }
}

Filter Cache::simplified(const Filter &requested, bool fromMemory)
{
    followLayout();
    Filter filter = requested;
    const bool textGathered = !filter.text.empty() && m_textMatch.text == filter.text && m_textMatch.at.dataVersion >= 0;
    filter.textMatchReady = textGathered && m_textMatch.inTable;
    filter.textIdsReady = textGathered && m_textMatch.idsRead;
    // The chained forms of the conditions ask "any hop of the chain" through sets of first hops,
    // which the planner gathers before it walks: with no chain in the cache they ask what the
    // plain forms ask, at many times the cost (a 5xx count and first page at 1 GB: 548 ms
    // against 7).
    if (filter.chains && !holdsChains())
        filter.chains = false;
    if (!filter.fileIds.empty()) {
        try {
            sql::Statement st(*m_db, "SELECT id FROM files");
            std::vector<std::int64_t> all;
            while (st.step())
                all.push_back(st.int64(0));
            const bool coversAll = std::all_of(all.begin(), all.end(), [&](std::int64_t id) {
                return std::find(filter.fileIds.begin(), filter.fileIds.end(), id) != filter.fileIds.end();
            });
            if (coversAll && !all.empty())
                filter.fileIds.clear();
        } catch (const sql::Error &) {
            // Keep the scope: the query that follows reports the error.
        }
    }
    // The sets SQL gathers for chains are not needed where the index in memory answers.
    if (filter.chains && !(fromMemory && memoryIndexFor(filter))) {
        filter.chainSetsReady = prepareChainSets(!filter.statuses.empty());
        keepHopSets(filter);
    }
    // A text's matches read for the index in memory are put in temp.text_match for SQLite when a
    // query in SQL may follow: not asked from memory, or asked from memory (count, page, chart)
    // where it does not answer the table's or the chart's question, which then falls back here.
    // (Should the index go meanwhile, the query finds textMatchReady unset and gathers them.)
    if (textGathered && !m_textMatch.inTable && !(fromMemory && memoryIndexFor(filter) && memoryIndexFor(filter, true)))
        filter.textMatchReady = fillTextMatchTable();
    return filter;
}

bool Cache::prepareChainSets(bool states)
{
    // In a log whose mail all passes a content filter, half the messages are later hops of
    // chains: gathered by each count and page (the chained forms' subqueries), they took 150-550
    // ms a query at 1 GB, scrolling included; kept on the connection, they are only looked into.
    // Gathering them into a table costs about what two such queries do: while the cache changes
    // from one query to the next (an import, a followed log), the queries go on gathering what
    // they need; the sets are kept once two queries in a row find the same state.
    const TempWrites temp(*this);
    try {
        const Moment now = moment();
        if (!(m_chainSets.at == now)) {
            if (!(m_chainSets.seen == now)) {
                m_chainSets.seen = now;
                return false;
            }
            m_chainSets.at = {};
            // Emptied, not dropped, as temp.text_match is.
            m_db->exec("CREATE TEMP TABLE IF NOT EXISTS later_hops(id INTEGER PRIMARY KEY); DELETE FROM temp.later_hops;"
                       "INSERT INTO temp.later_hops SELECT id FROM messages WHERE chain_id IS NOT NULL AND chain_id <> id");
            m_chainSets = {now, false, now};
        }
        if (states && !m_chainSets.states) {
            // A chain's first hop keeps the state of its last (chain_state): the chain's. Read
            // from each first hop's row, so only for a status filter.
            m_db->exec("CREATE TEMP TABLE IF NOT EXISTS chain_firsts(id INTEGER PRIMARY KEY, state INTEGER);"
                       "CREATE INDEX IF NOT EXISTS temp.chain_firsts_state ON chain_firsts(state);"
                       "DELETE FROM temp.chain_firsts;"
                       "INSERT INTO temp.chain_firsts SELECT id, coalesce(chain_state, state) FROM messages "
                       "WHERE chain_id IS NOT NULL AND chain_id = id");
            m_chainSets.states = true;
        }
        return true;
    } catch (const sql::Error &) {
        // The queries then gather the sets themselves.
        m_chainSets.at = {};
        return false;
    }
}

void Cache::fillTempIds(const std::string &table, const std::string &select, const std::function<void(sql::Statement &)> &bind)
{
    // Not nested in another TempWrites scope, which would count these writes twice.
    const TempWrites temp(*this);
    m_db->exec(("CREATE TEMP TABLE IF NOT EXISTS " + table + "(id INTEGER PRIMARY KEY); DELETE FROM temp." + table).c_str());
    // OR IGNORE: a chain whose hops both meet a condition comes twice.
    sql::Statement fill(*m_db, "INSERT OR IGNORE INTO temp." + table + " " + select);
    bind(fill);
    fill.run();
}

bool Cache::fillTextMatchTable()
{
    if (m_textMatch.inTable)
        return true;
    try {
        if (m_textMatch.text.empty() || !(m_textMatch.at == moment()))
            return false;
        fillTempIds("text_match", m_textMatch.select, [this](sql::Statement &fill) { QueryBuilder::bind(fill, m_textMatch.params); });
        m_textMatch.inTable = true;
    } catch (const sql::Error &) {
        m_textMatch.inTable = false;  // the queries then gather the matches themselves
    }
    return m_textMatch.inTable;
}

namespace {
// The temp table that holds the kept "any hop" set of slot `index` (Cache::m_hopSets).
std::string hopSetTable(std::ptrdiff_t index)
{
    return "hop_set_" + std::to_string(index);
}
} // namespace

void Cache::keepHopSets(Filter &filter)
{
    // Over chains, each condition a hop may meet is a set of chains, which every count and page
    // gathered anew (5xx at 1 GB where all mail passes a content filter: 310 ms to count and show,
    // 200 ms a page of scrolling; a recipient's domain 420 ms a page). Kept, it is looked into.
    // While the cache changes between queries (an import, a followed log) the queries gather
    // them, as for the chains' later hops.
    filter.keptHopSets.clear();
    try {
        const Moment now = moment();
        if (!(m_hopSetsSeen == now)) {
            m_hopSetsSeen = now;
            return;
        }
        const QueryBuilder probe(Grain::Messages, filter);
        const std::uint64_t asked = ++m_hopSetUses;
        for (const QueryBuilder::HopSet &set : probe.hopSets()) {
            auto slot = std::find_if(m_hopSets.begin(), m_hopSets.end(),
                                     [&](const KeptHopSet &k) { return k.key == set.key && k.at == now; });
            if (slot == m_hopSets.end()) {
                // The set asked for least lately, never one this filter uses: more sets than slots
                // are gathered by the queries themselves.
                slot = std::min_element(m_hopSets.begin(), m_hopSets.end(),
                                        [](const KeptHopSet &a, const KeptHopSet &b) { return a.used < b.used; });
                if (slot->used == asked)
                    continue;
                *slot = {};
                fillTempIds(hopSetTable(slot - m_hopSets.begin()), set.select,
                            [&](sql::Statement &fill) { QueryBuilder::bind(fill, set.params); });
                slot->key = set.key;
                slot->at = now;
            }
            slot->used = asked;
            filter.keptHopSets.emplace_back(set.key, hopSetTable(slot - m_hopSets.begin()));
        }
    } catch (const sql::Error &) {
        // The queries then gather the sets themselves; a half-filled table is kept for no key.
        filter.keptHopSets.clear();
    }
}

void Cache::prepareFilterIndexes(const Filter &filter)
{
    if (!m_buildIndexesOnDemand || !canBuildIndexes())
        return;
    // An import builds none of them (schema::FilterIndex): the first query that reads one builds
    // it, once per cache, as findMessages() does the lookup indexes. Not worth waiting for another
    // process's import, a busy cache or a full disk: this query then reads the tables instead.
    using schema::FilterIndex;
    std::vector<FilterIndex> wanted;
    if (!filter.sender.empty())
        wanted.push_back(FilterIndex::Sender);
    if (!filter.recipient.empty())
        wanted.push_back(FilterIndex::Recipients);
    if (!filter.code.empty() || !filter.triedAs.empty())
        wanted.push_back(FilterIndex::Codes);
    for (FilterIndex which : wanted) {
        bool missing = false;
        try {
            missing = !schema::hasFilterIndex(*m_db, which);
        } catch (const sql::Error &) {
        }
        if (missing)
            writeUnderLock(false, [which](sql::Database &db) {
                if (!schema::hasFilterIndex(db, which))
                    schema::createFilterIndex(db, which);
            });
    }
}

void Cache::prepareTextFilter(const Filter &filter)
{
    prepareFilterIndexes(filter);
    if (filter.text.empty())
        return;
    if (m_buildIndexesOnDemand && canBuildIndexes())
        ensureTextIndex();
    // A text filter is a set of message ids from the text index, each checked for the terms it
    // must hold whole. Gathered once, it serves every count and page of the filter, instead of
    // being gathered again for each (100-200 ms each for a common word on a million messages).
    // Any commit, by this connection or another, may change it.
    try {
        const Moment now = moment();
        if (m_textMatch.text == filter.text && m_textMatch.at == now)
            return;
        m_textMatch = {};
        // From the index itself (a match of a message is one of its rows): not each match looked
        // up in the messages table (15,873 of them for "spamhaus" at 1 GB: 80 ms).
        TextMatch match{filter.text, now, {}, false, false, {}, {}};
        match.select = QueryBuilder::textMatches(filter.text, match.params);
        if (m_memoryIndexKey.empty())
            m_memoryIndexKey = canonicalPath(m_path);
        if (m_memoryIndexUsed && MemoryIndex::published(m_memoryIndexKey)) {
            // Counted, paged and charted from the index in memory, as an address filter is
            // (about 190,000 matches at 1 GB: 60-80 ms each time from SQLite, 1-2 ms there).
            // Read as found, not put in temp.text_match first, which only the queries SQLite
            // still answers read (over chains, a chart with a time range): filling it was half
            // of a common word's first application at 1 GB ("gmail com": 67 ms, now 36).
            readTextMatches(filter.text, match.ids);
            std::sort(match.ids.begin(), match.ids.end());
            match.ids.erase(std::unique(match.ids.begin(), match.ids.end()), match.ids.end());
            match.idsRead = true;
        }
        m_textMatch = std::move(match);
        if (!m_textMatch.idsRead)
            fillTextMatchTable();
    } catch (const sql::Error &) {
        // The queries then read the text index themselves.
        m_textMatch = {};
    }
}

namespace {
void readIds(sql::Database &db, const std::string &select, const std::vector<QueryBuilder::Param> &params,
             std::vector<std::int64_t> &ids)
{
    sql::Statement read(db, select);
    QueryBuilder::bind(read, params);
    while (read.step())
        ids.push_back(read.int64(0));
}
} // namespace

void Cache::readTextMatches(const std::string &text, std::vector<std::int64_t> &ids)
{
    const std::vector<QueryBuilder::TextPart> parts = QueryBuilder::textMatchParts(text);
    if (parts.size() == 1) {
        readIds(*m_db, parts.front().select, parts.front().params, ids);
        return;
    }
    // A term the text index also holds joined ("gmail.com") leaves candidates to read and check
    // one by one (8-16 µs each, most of it SQLite copying their rows' pages: 5,429 for
    // "gmail.com" at 1 GB). The two cores share them: a connection of its own checks the first
    // of them while this one reads the joined word's matches, then checks the others. Both read
    // committed rows, and the matches are a set. Where a second connection cannot be had, this
    // one checks all.
    const QueryBuilder::TextPart &rest = parts[1];
    std::vector<std::int64_t> candidates;
    readIds(*m_db, rest.candidates, rest.candidateParams, candidates);
    // The check of some candidates: a SELECT over rest.checkParams.
    const auto checkOf = [&](std::size_t from, std::size_t to) {
        std::string in;
        for (std::size_t i = from; i < to; ++i)
            in += (i > from ? "," : "") + std::to_string(candidates[i]);
        return "SELECT m.id FROM messages m WHERE m.id IN (" + in + ") AND " + rest.check;
    };
    // The joined word's matches take about a fifth of the check's time (figures in docs/store.md).
    const std::size_t split = candidates.size() * 3 / 5;
    const std::string first = checkOf(0, split), last = checkOf(split, candidates.size());
    std::vector<std::int64_t> checked;
    bool read = false;
    std::thread other;
    if (split > 0) {
        try {
            other = std::thread([&] {
                try {
                    sql::Database db;
                    db.open(m_path, true);
                    sqlite3_busy_timeout(db.handle(), BusyTimeoutMs);
                    readIds(db, first, rest.checkParams, checked);
                    read = true;
                } catch (const sql::Error &) {
                    // Read below, on this connection, as it would have been.
                }
            });
        } catch (const std::system_error &) {
            // No thread to be had: this connection checks all.
        }
    }
    try {
        readIds(*m_db, parts[0].select, parts[0].params, ids);
        if (split < candidates.size())
            readIds(*m_db, last, rest.checkParams, ids);
    } catch (...) {
        if (other.joinable())
            other.join();
        throw;
    }
    if (other.joinable())
        other.join();
    if (read)
        ids.insert(ids.end(), checked.begin(), checked.end());
    else if (split > 0)
        readIds(*m_db, first, rest.checkParams, ids);
}

std::vector<std::int64_t> Cache::fileIdsFor(const std::vector<std::string> &paths)
{
    std::vector<std::int64_t> ids;
    m_error.clear();  // none found, or the lookup failed
    followLayout();
    try {
        // A folder stands for the files directly in it, as the import reads them.
        sql::Statement st(*m_db, "SELECT id FROM files WHERE path = ?1 OR (?2 AND substr(path, 1, length(?1) + 1) = ?1 || '/' "
                                 "AND instr(substr(path, length(?1) + 2), '/') = 0)");
        for (const std::string &p : paths) {
            struct stat info {};
            const bool folder = ::stat(p.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
            st.bind(1, canonicalPath(p)).bind(2, folder ? 1 : 0);
            while (st.step()) {
                if (std::find(ids.begin(), ids.end(), st.int64(0)) == ids.end())
                    ids.push_back(st.int64(0));
            }
            st.reset();
        }
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return ids;
}

std::vector<FileRow> Cache::files()
{
    std::vector<FileRow> rows;
    try {
        sql::Statement st(*m_db, "SELECT id, coalesce(path, ''), size, parsed_offset, compressed, coalesce(format, ''), "
                                 "lines, unknown_lines, coalesce(first_time, 0), coalesce(last_time, 0) FROM files ORDER BY first_time");
        while (st.step()) {
            FileRow f;
            f.id = st.int64(0);
            f.path = st.text(1);
            f.size = st.int64(2);
            f.parsedOffset = st.int64(3);
            f.compressed = st.integer(4) != 0;
            f.format = st.text(5);
            f.lines = st.int64(6);
            f.unknownLines = st.int64(7);
            f.firstTimeMs = st.int64(8);
            f.lastTimeMs = st.int64(9);
            rows.push_back(std::move(f));
        }
        std::map<std::int64_t, ProgramCounts> programs = fileprograms::readAll(*m_db);
        for (FileRow &f : rows) {
            if (auto it = programs.find(f.id); it != programs.end())
                f.otherPrograms = std::move(it->second);
        }
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return rows;
}

} // namespace mailtrail
