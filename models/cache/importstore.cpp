// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/importstore.h"

#include "cache/cache.h"
#include "cache/fileprobe.h"
#include "cache/importstate.h"
#include "cache/schema.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace mailtrail {

ImportStore::ImportStore(sql::Database &db)
    : m_db(db)
{
    const char *dbFile = sqlite3_db_filename(m_db.handle(), "main");
    m_cachePath = dbFile ? dbFile : "";
}

ImportStore::ImportStore(sql::Database &db, std::string readOnlyName)
    : ImportStore(db)
{
    m_readOnlyName = std::move(readOnlyName);
}

ImportStore::~ImportStore()
{
    if (m_cacheSizeBefore != 0) {
        try {
            m_db.exec(("PRAGMA cache_size = " + std::to_string(m_cacheSizeBefore)).c_str());
        } catch (const sql::Error &) {
            // Left as it is: the queries after the import then page through a smaller cache.
        }
    }
    endFirstLoad();
}

bool ImportStore::isCacheFile(const std::string &path) const
{
    if (m_cachePath.empty())
        return false;
    const std::string canonical = canonicalPath(path);
    return canonical == m_cachePath || canonical == m_cachePath + "-wal" || canonical == m_cachePath + "-shm" ||
           canonical == m_cachePath + "-journal" || canonical == m_cachePath + "-lock";
}

std::vector<StoredFile> ImportStore::files()
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

bool ImportStore::holdsMailSince(const std::string &host, std::int64_t timeMs)
{
    sql::Statement later(m_db, "SELECT 1 FROM messages WHERE first_seen >= ?1 AND host_id = "
                               "(SELECT id FROM hosts WHERE name = ?2) LIMIT 1");
    later.bind(1, timeMs).bind(2, host);
    return later.step();
}

std::int64_t ImportStore::startRun(std::vector<RunFile> &files)
{
    sql::Transaction tx(m_db);
    sql::Statement next(m_db, "UPDATE meta SET value = value + 1 WHERE key = 'last_run' RETURNING value");
    next.step();
    const std::int64_t run = next.int64(0);
    next.reset();
    sql::Statement insert(m_db, "INSERT INTO files(path, head_hash, head_len, size, mtime, compressed, import_run) "
                                "VALUES(?,?,?,?,?,?,?)");
    sql::Statement mark(m_db, "UPDATE files SET import_run = ? WHERE id = ?");
    sql::Statement forget(m_db, "UPDATE files SET path = NULL WHERE id = ?");
    for (RunFile &f : files) {
        if (f.forgetId)
            forget.bind(1, f.forgetId).run();
        if (f.id == 0) {
            const std::string_view head = f.head.substr(0, fileprobe::IdentityBytes);
            insert.bind(1, f.path).bind(2, searchkeys::fnv1a(head)).bind(3, static_cast<std::int64_t>(head.size()))
                .bind(4, f.size).bind(5, f.mtime).bind(6, f.compressed ? 1 : 0).bind(7, run);
            insert.run();
            f.id = m_db.lastInsertId();
            f.inserted = true;
        } else {
            mark.bind(1, run).bind(2, f.id).run();
        }
    }
    tx.commit();
    return run;
}

bool ImportStore::dropDeferredIndexes()
{
    if (!schema::hasDeferredIndexes(m_db))
        return false;
    sql::Transaction tx(m_db);
    schema::dropDeferredIndexes(m_db);
    tx.commit();
    return true;
}

std::vector<MessageRecord> ImportStore::openMessages()
{
    return importstate::loadOpenMessages(m_db);
}

void ImportStore::refusalsSince(std::int64_t sinceMs, const std::function<void(const StoredRefusal &)> &take)
{
    // The time of a rejected recipient is its try's; the message that holds it began at most a
    // session earlier (a RCPT refused after others were accepted), which the time index bounds.
    constexpr std::int64_t SessionMs = 10 * 60 * 1000;
    sql::Statement rejected(m_db, "SELECT d.last_attempt, h.name, coalesce(mailtrail_ip(m.client_ip), ''), coalesce(d.recipient, ''), "
                                  "m.file_id FROM messages m JOIN hosts h ON h.id = m.host_id JOIN deliveries d "
                                  "ON d.message_id = m.id WHERE m.first_seen >= ?1 AND d.status = ?2 AND "
                                  "d.last_attempt >= ?3");
    rejected.bind(1, sinceMs - SessionMs).bind(2, static_cast<int>(DeliveryStatus::Rejected)).bind(3, sinceMs);
    while (rejected.step()) {
        take(StoredRefusal{rejected.int64(0), rejected.text(1), rejected.text(2), rejected.text(3), 0,
                           rejected.int64(4)});
    }
    // Few rows, and no index of their own: one pass.
    sql::Statement incidents(m_db, "SELECT i.time, h.name, coalesce(i.client_ip, ''), i.kind, i.file_id FROM "
                                   "incidents i JOIN hosts h ON h.id = i.host_id WHERE i.time >= ?1");
    incidents.bind(1, sinceMs);
    while (incidents.step()) {
        take(StoredRefusal{incidents.int64(0), incidents.text(1), incidents.text(2), {}, incidents.integer(3),
                           incidents.int64(4)});
    }
}

std::int64_t ImportStore::nextMessageId()
{
    sql::Statement maxId(m_db, "SELECT coalesce(max(id), 0) FROM messages");
    maxId.step();
    return maxId.int64(0) + 1;
}

std::unique_ptr<CacheWriter> ImportStore::writer(std::int64_t run, std::function<void()> committed, bool replaceAll)
{
    // The first load into an empty cache does not wait for the disk (synchronous=OFF) until its
    // indexes are built: no fsync at each checkpoint of the write-ahead log. It changes nothing
    // when the process dies (kill -9, a crash): what it wrote is the kernel's, and the log's
    // frames are checked as ever. Only a crash of the system, or a power cut, before the kernel
    // wrote it all could damage the file, and then what is lost is this import alone, which
    // reading the logs again restores (the window moves a cache it finds damaged aside). Not for a
    // cache that held rows before.
    bool empty = false;
    {
        // Finished before the writer begins: it may drop indexes, which no open statement may read.
        sql::Statement any(m_db, "SELECT 1 FROM messages LIMIT 1");
        empty = !any.step();
    }
    if (empty) {
        m_db.exec("PRAGMA synchronous = OFF");
        m_firstLoad = true;
    }
    // The writer's page cache: it appends to tables and to indexes kept in time and id order,
    // whose last pages are what it touches; 64 MiB held them and 48 MiB more, the largest part
    // of the import's peak memory. Back to the connection's own size for the queries after.
    {
        sql::Statement size(m_db, "PRAGMA cache_size");
        size.step();
        m_cacheSizeBefore = size.int64(0);
    }
    m_db.exec(("PRAGMA cache_size = -" + std::to_string(WriterCacheKiB)).c_str());
    return std::make_unique<CacheWriter>(m_db, run, std::move(committed), replaceAll);
}

void ImportStore::saveFile(const StoredFile &f, bool compressed, std::string_view head, const std::string &format)
{
    head = head.substr(0, fileprobe::IdentityBytes);
    sql::Statement st(m_db, "UPDATE files SET path=?, head_hash=?, head_len=?, tail_hash=?, size=?, mtime=?, "
                            "compressed=?, parsed_offset=?, format=?, year=?, last_month=?, first_time=?, last_time=?, "
                            "lines=?, unknown_lines=?, truncated_lines=?, import_run=NULL WHERE id=?");
    st.bind(1, f.path).bind(2, searchkeys::fnv1a(head)).bind(3, static_cast<std::int64_t>(head.size()))
        .bind(4, compressed ? std::int64_t(0) : fileprobe::tailHash(f.path, f.parsedOffset))
        .bind(5, f.size).bind(6, f.mtime)
        .bind(7, compressed ? 1 : 0).bind(8, static_cast<std::int64_t>(f.parsedOffset)).bind(9, format)
        .bind(10, f.year).bind(11, f.lastMonth).bind(12, f.firstTime).bind(13, f.lastTime)
        .bind(14, f.lines).bind(15, f.unknownLines).bind(16, f.truncatedLines).bind(17, f.id);
    st.run();
}

void ImportStore::saveFilePrograms(std::int64_t id, const ProgramCounts &counts, bool fromStart)
{
    fileprograms::save(m_db, id, counts, fromStart);
}

void ImportStore::releaseFile(std::int64_t id, bool insertedNow)
{
    if (insertedNow)
        sql::Statement(m_db, "DELETE FROM files WHERE id = ?").bind(1, id).run();
    else
        sql::Statement(m_db, "UPDATE files SET import_run = NULL WHERE id = ?").bind(1, id).run();
}

void ImportStore::commit()
{
    m_db.exec("COMMIT");
}

void ImportStore::rollback()
{
    try {
        m_db.exec("ROLLBACK");
    } catch (const sql::Error &) {
        // The failed statement may already have rolled the transaction back.
    }
    endFirstLoad();
    try {
        importstate::recoverInterrupted(m_db);
    } catch (const sql::Error &) {
        // Still failing (disk full): the next open of the cache finishes the recovery.
    }
}

void ImportStore::keepStatistics(bool rowsAdded, std::string &warning)
{
    // The rows are committed by now: a failure here (a full disk, most likely) loses none of them,
    // and the next import tries again.
    try {
        // Statistics for the planner, sampled (analysis_limit) so it costs milliseconds: without
        // them it takes the window's file scope for the selective condition and ignores the
        // index that a sender prefix could use. Also when an import died after its commit but
        // before this: nothing else would ever write them.
        if (rowsAdded || lacksStatistics())
            m_db.exec("PRAGMA analysis_limit = 400; ANALYZE; PRAGMA optimize;");
    } catch (const sql::Error &e) {
        warning = std::string("the rows were imported, but keeping the planner's statistics failed (") + e.what() +
            "); filters may be slow until the next import keeps them";
    }
    endFirstLoad();
}

void ImportStore::endFirstLoad()
{
    if (!m_firstLoad)
        return;
    try {
        m_db.exec("PRAGMA synchronous = NORMAL");
        m_firstLoad = false;
    } catch (const sql::Error &) {
        // Left as it is: the destructor tries again.
    }
}

bool ImportStore::lacksStatistics()
{
    sql::Statement any(m_db, "SELECT 1 FROM messages LIMIT 1");
    if (!any.step())
        return false;  // nothing to measure
    sql::Statement table(m_db, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'");
    if (!table.step())
        return true;
    sql::Statement rows(m_db, "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'messages' LIMIT 1");
    return !rows.step();
}

} // namespace mailtrail
