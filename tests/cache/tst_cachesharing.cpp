// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// One cache, more than one user of it: an import in progress is told from a dead one, a second
// import waits for the first, queries leave the rows alone, and a damaged cache is named as such.
#include "testlogs.h"

#include "cache/importlock.h"
#include "cache/schema.h"
#include "ingest/ingestor.h"
#include "cache/sqlite.h"

#include <QFileInfo>

#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <unistd.h>

using namespace mailtrail;
using namespace testlogs;

namespace {

std::int64_t number(const std::string &path, const char *sqlText)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sqlText, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void execute(const std::string &path, const char *sqlText)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *error = nullptr;
    const int rc = sqlite3_exec(db, sqlText, nullptr, nullptr, &error);
    const QByteArray said = error ? QByteArray(error) : QByteArray();
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, said.constData());
}

// What an import leaves while it runs (or when it died): its file marked as under way, rows of
// its run committed.
constexpr const char *UnfinishedRun =
    "INSERT INTO files(path, head_hash, head_len, size, mtime, compressed, import_run) "
    "VALUES('/var/log/half.log', 1, 1, 10, 0, 0, 77);"
    "INSERT INTO messages(host_id, queue_id, first_seen, last_seen, utc_offset, state, open, origin, "
    "file_id, run, rcpt_count, attempts) VALUES(1, 'HALF1', 0, 0, 0, 1, 0, 1, last_insert_rowid(), 77, 0, 0);";

} // namespace

class TestCacheSharing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void openDuringAnImportLeavesItsRows_data();
    void openDuringAnImportLeavesItsRows();
    void secondImportWaitsForTheFirst();
    void cancelWhileWaitingChangesNothing();
    void indexBuildsWaitForNoImport();
    void damagedCacheIsNamedByEveryQuery_data();
    void damagedCacheIsNamedByEveryQuery();
    void missingStatisticsAreWrittenByTheNextImport();
    void replacedLogIsReportedOnce();
    void readerFollowsAMigration_data();
    void readerFollowsAMigration();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string cachePath() const { return m_dir->filePath(QStringLiteral("c.sqlite")).toStdString(); }
    void importFlow(const char *flowName);
};

void TestCacheSharing::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestCacheSharing::importFlow(const char *flowName)
{
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QString::fromLatin1(flowName), flow(flowName))});
    QVERIFY2(s.ok(), s.error.c_str());
}

void TestCacheSharing::openDuringAnImportLeavesItsRows_data()
{
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("read-write open") << false;
    QTest::newRow("read-only open") << true;
}

void TestCacheSharing::openDuringAnImportLeavesItsRows()
{
    // An import of another process (here: another open file of this one) holds the lock and has
    // committed part of its rows. Opening the cache must leave them; once the importer is gone,
    // its rows are those of a dead import, and the next read-write open undoes them.
    QFETCH(bool, readOnly);
    importFlow("expired.log");
    execute(cachePath(), UnfinishedRun);
    {
        ImportLock importer(canonicalPath(cachePath()));
        QVERIFY(importer.tryAcquire());
        Cache cache;
        QVERIFY2(cache.open(cachePath(), readOnly ? Cache::Mode::ReadOnly : Cache::Mode::ReadWrite), cache.error().c_str());
        QCOMPARE(countAll(cache), 3);
        QCOMPARE(cache.files().size(), std::size_t(2));
        QCOMPARE(number(cachePath(), "SELECT count(*) FROM messages WHERE run = 77"), 1);
    }
    Cache cache;
    QVERIFY2(cache.open(cachePath(), readOnly ? Cache::Mode::ReadOnly : Cache::Mode::ReadWrite), cache.error().c_str());
    if (readOnly) {
        QCOMPARE(countAll(cache), 3);  // a read-only open never writes, not even to undo
        QVERIFY(cache.open(cachePath()));
    }
    QCOMPARE(countAll(cache), 2);
    QCOMPARE(cache.files().size(), std::size_t(1));
}

void TestCacheSharing::secondImportWaitsForTheFirst()
{
    importFlow("expired.log");
    const std::string log = write(*m_dir, QStringLiteral("more.log"), flow("deferred-then-sent.log"));
    auto importer = std::make_unique<ImportLock>(canonicalPath(cachePath()));
    QVERIFY(importer->tryAcquire());
    std::atomic<long> waitedFor = -1;
    std::atomic<bool> done = false;
    ImportSummary summary;
    std::thread second([&] {
        Cache cache;
        if (!cache.open(cachePath()))
            return;
        ImportOptions options;
        options.waiting = [&waitedFor](long pid) { waitedFor = pid; };
        summary = Ingestor::import(cache, {log}, options);
        done = true;
    });
    QTRY_COMPARE(waitedFor.load(), static_cast<long>(::getpid()));
    QTest::qWait(200);
    QVERIFY(!done.load());
    importer.reset();  // the first import ends
    second.join();
    QVERIFY2(summary.ok(), summary.error.c_str());
    QCOMPARE(summary.files.size(), std::size_t(1));
    QCOMPARE(summary.files[0].action, FileImport::Action::New);
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QCOMPARE(countAll(cache), 3);
}

void TestCacheSharing::cancelWhileWaitingChangesNothing()
{
    importFlow("expired.log");
    ImportLock importer(canonicalPath(cachePath()));
    QVERIFY(importer.tryAcquire());
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    ImportOptions options;
    bool waited = false;
    options.waiting = [&waited](long) { waited = true; };
    int polls = 0;
    options.isCancelled = [&polls] { return ++polls > 3; };
    const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("more.log"), flow("still-deferred.log"))}, options);
    QVERIFY(waited);
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(s.cancelled);
    QVERIFY(s.undone);
    QCOMPARE(countAll(cache), 2);
}

void TestCacheSharing::indexBuildsWaitForNoImport()
{
    // The text and order indexes are writes of a query: not while another process imports.
    importFlow("deferred-then-sent.log");
    ImportLock importer(canonicalPath(cachePath()));
    QVERIFY(importer.tryAcquire());
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(!cache.ensureTextIndex());
    QVERIFY2(cache.error().find("importing into the cache file") != std::string::npos, cache.error().c_str());
    QVERIFY(!cache.ensureDeferredIndexes());
    QCOMPARE(cache.findMessages("4F2A81C0123", {}).size(), std::size_t(1));  // read without the lookup index
    QVERIFY(!cache.deferredIndexesComplete());
    importer.release();
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    QVERIFY2(cache.ensureDeferredIndexes(), cache.error().c_str());
}

void TestCacheSharing::damagedCacheIsNamedByEveryQuery_data()
{
    QTest::addColumn<int>("query");
    QTest::newRow("count") << 0;
    QTest::newRow("page of messages") << 1;
    QTest::newRow("visit deliveries") << 2;
    QTest::newRow("lookup by queue id") << 3;
    QTest::newRow("time range") << 4;
    QTest::newRow("one message in detail") << 5;
}

void TestCacheSharing::damagedCacheIsNamedByEveryQuery()
{
    QFETCH(int, query);
    const QByteArray big = repeatedFlow("deferred-then-sent.log", 600, {{"4F2A81C0123", 0x10000000000LL}});
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {write(*m_dir, QStringLiteral("mail.log"), big)}).ok());
    }
    // The leaf pages of the messages and deliveries and their indexes overwritten: the file still
    // opens (its first page and the files table are whole), its rows do not read.
    std::vector<std::int64_t> pages;
    {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open_v2(cachePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt *st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(db, "SELECT pageno FROM dbstat WHERE pagetype = 'leaf' AND name IN (SELECT name FROM "
                                        "sqlite_master WHERE tbl_name IN ('messages', 'deliveries'))",
                                    -1, &st, nullptr),
                 SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW)
            pages.push_back(sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    const std::int64_t pageSize = number(cachePath(), "PRAGMA page_size");
    QVERIFY(pages.size() > 4);
    {
        QFile file(QString::fromStdString(cachePath()));
        QVERIFY(file.open(QIODevice::ReadWrite));
        for (std::int64_t page : pages) {
            QVERIFY(file.seek((page - 1) * pageSize));
            file.write(QByteArray(static_cast<qsizetype>(pageSize), '\x5a'));
        }
    }
    Cache cache;
    QVERIFY2(cache.open(cachePath()), cache.error().c_str());
    bool failed = false;
    switch (query) {
    case 0:
        cache.count(Grain::Messages, Filter{});
        failed = !cache.error().empty();
        break;
    case 1:
        cache.messages(Filter{}, Sort{}, 0, 1000000);
        failed = !cache.error().empty();
        break;
    case 2:
        failed = !cache.visitDeliveries(Filter{}, Sort{}, -1, [](const DeliveryRow &) { return true; });
        break;
    case 3:
        failed = cache.findMessages("4F2A81C0123", {}).empty() && !cache.error().empty();
        break;
    case 4:
        cache.timeRange(Filter{});
        failed = !cache.error().empty();
        break;
    case 5:
        failed = !cache.detail(300) && !cache.error().empty();
        break;
    }
    QVERIFY(failed);
    const std::string said = "the cache file " + cachePath() + " is damaged";
    QVERIFY2(cache.error().find(said) != std::string::npos, cache.error().c_str());
    QVERIFY2(cache.error().find("move it away") != std::string::npos, cache.error().c_str());
}

void TestCacheSharing::missingStatisticsAreWrittenByTheNextImport()
{
    // A kill after the indexes were built and before ANALYZE: a later import with nothing new to
    // read still writes the planner's statistics.
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
    }
    QVERIFY(number(cachePath(), "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'messages'") > 0);
    execute(cachePath(), "DELETE FROM sqlite_stat1");
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {log});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.at(0).action, FileImport::Action::Unchanged);
    QVERIFY(number(cachePath(), "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'messages'") > 0);
}

void TestCacheSharing::replacedLogIsReportedOnce()
{
    // mail.log replaced by an older log of the same server: it is a new file, imported; its earlier
    // content cannot be read again to join the two in time order, and that is what is said, not
    // that mail.log itself can no longer be read.
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("partial-reject-and-forward.log"));
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(Ingestor::import(cache, {log}).ok());
    write(*m_dir, QStringLiteral("mail.log"), flow("deferred-then-sent.log"));
    const ImportSummary s = Ingestor::import(cache, {log});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(1));
    QCOMPARE(s.files[0].action, FileImport::Action::Replaced);
    QVERIFY2(s.files[0].error.empty(), s.files[0].error.c_str());
    QVERIFY2(s.warning.find(log + " can no longer be read") == std::string::npos, s.warning.c_str());
    QVERIFY2(s.warning.find("the content " + log + " had before it was replaced") != std::string::npos, s.warning.c_str());
}

void TestCacheSharing::readerFollowsAMigration_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("layout 4: its columns under views") << 4;
    QTest::newRow("layout 6: no forwarded flag") << 6;
}

void TestCacheSharing::readerFollowsAMigration()
{
    // A window (or a CLI query) reads an older cache as it is, through names laid over its old
    // columns; another process migrates the file meanwhile (an import). The reader's next queries
    // answer from the new layout, as before, without being opened again.
    QFETCH(int, version);
    importFlow("partial-reject-and-forward.log");
    importFlow("deferred-then-sent.log");
    {
        sql::Database db;
        db.open(cachePath());
        toOlderLayout(db, version);
    }
    Cache reader;
    QVERIFY2(reader.open(cachePath(), Cache::Mode::ReadOnly), reader.error().c_str());
    Filter code;
    code.code = "4.4";
    auto answers = [&] {
        std::string out = std::to_string(countAll(reader)) + ' ' + std::to_string(countAll(reader, Grain::Deliveries)) +
            " 4.4:" + std::to_string(reader.count(Grain::Deliveries, code));
        for (const MessageRow &m : reader.messages({}, {}, 0, 100)) {
            const std::optional<MessageDetail> d = reader.detail(m.id);
            if (!d)
                continue;
            for (const DeliveryRow &r : d->deliveries)
                out += ' ' + r.recipient + '/' + r.relay + '/' + r.dsn;
            for (const AttemptRow &a : d->attempts)
                out += " try/" + a.relay + '/' + a.dsn;
        }
        return out + " error:" + reader.error();
    };
    const std::string before = answers();
    QVERIFY2(before.find("/4.4.1") != std::string::npos && before.find("error:") == before.size() - 6, before.c_str());
    {
        Cache migrating;
        QVERIFY2(migrating.open(cachePath()), migrating.error().c_str());
    }
    QCOMPARE(number(cachePath(), "PRAGMA user_version"), std::int64_t(schema::CurrentVersion));
    QCOMPARE(answers(), before);
}

QTEST_GUILESS_MAIN(TestCacheSharing)
#include "tst_cachesharing.moc"
