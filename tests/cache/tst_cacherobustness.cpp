// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input and a hostile environment: never a crash, a clear message, nothing cached is lost.
#include "testlogs.h"

#include "cache/sqlite.h"

#include <QElapsedTimer>

#include <QFileInfo>

#include <sqlite3.h>

using namespace mailtrail;
using namespace testlogs;

namespace {

int filterIndexCount(const std::string &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    int n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('messages_sender', "
                               "'deliveries_recipient_rev', 'deliveries_orig_rev', 'deliveries_code_class')",
                           -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

} // namespace

class TestCacheRobustness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void binaryJunkFileIsRefused();
    void missingAndEmptyFiles();
    void junkLinesAreCountedNotFatal();
    void invalidUtf8IsKeptByteForByte();
    void truncatedGzipKeepsWhatIsReadable();
    void refusedFilesSayWhatTheyAre_data();
    void refusedFilesSayWhatTheyAre();
    void corruptCacheIsReportedAndLeftAlone();
    void foreignDatabaseIsRefused();
    void otherLayoutsAreRefusedUntouched();
    void lockedCacheIsReported();
    void lookupDuringAnotherImportDoesNotWait();
    void readOnlyCacheStillAnswers();
    void readOnlyLayout2CacheAnswersAndReopens();
    void fullDiskKeepsTheCacheAsItWas();
    void fullDiskWhileIndexingKeepsTheRows();
    void interruptedImportIsUndone();
    void cancelLeavesAConsistentCacheThatResumes();
    void cancelBeforeAFileLeavesItAsItWas();
    void lineOfExactlyTheCapIsWhole();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string cachePath() const { return m_dir->filePath(QStringLiteral("c.sqlite")).toStdString(); }
};

void TestCacheRobustness::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCacheRobustness::binaryJunkFileIsRefused()
{
    QByteArray junk;
    for (int i = 0; i < 100000; ++i)
        junk.append(char((i * 7919) & 0xff));
    const std::string junkPath = write(*m_dir, QStringLiteral("core.dump"), junk);
    const std::string good = write(*m_dir, QStringLiteral("mail.log"), flow("expired.log"));
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {junkPath, good});
    QVERIFY(s.ok());
    QCOMPARE(s.files.size(), std::size_t(2));
    const FileImport &bad = s.files.at(0).path == junkPath ? s.files.at(0) : s.files.at(1);
    QCOMPARE(int(bad.action), int(FileImport::Action::Failed));
    QVERIFY2(bad.error.find("not a mail log") != std::string::npos, bad.error.c_str());
    QCOMPARE(countAll(cache), 2);  // the good file still opened
}

void TestCacheRobustness::missingAndEmptyFiles()
{
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const std::string empty = write(*m_dir, QStringLiteral("empty.log"), QByteArray());
    const ImportSummary s = Ingestor::import(cache, {m_dir->filePath(QStringLiteral("nope.log")).toStdString(), empty});
    QVERIFY(s.ok());
    QCOMPARE(s.files.size(), std::size_t(2));
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Failed));
    QVERIFY2(s.files.at(0).error.find("No such file") != std::string::npos, s.files.at(0).error.c_str());
    QCOMPARE(int(s.files.at(1).action), int(FileImport::Action::Empty));
}

void TestCacheRobustness::junkLinesAreCountedNotFatal()
{
    QByteArray data = flow("deferred-then-sent.log");
    data.insert(data.indexOf('\n') + 1, QByteArray("\x00\x01\x02garbage\xff\xfe\n", 14));
    data.insert(data.indexOf('\n') + 1, QByteArray(2 * 1024 * 1024, 'A') + '\n');  // a 2 MB line
    data.insert(data.indexOf('\n') + 1, "Nov 20 10:00:01 mx1 postfix/smtp[1]: 4F2A81C0123: to=<trunc\n");
    data.insert(data.indexOf('\n') + 1, "Nov 20 10:00:01 mx1 kernel: [12.5] eth0 link up\n");
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), data);
    const ImportSummary s = Ingestor::import(cache, {path});
    QVERIFY2(s.ok(), s.error.c_str());
    const FileImport &f = s.files.at(0);
    QCOMPARE(f.truncatedLines, 1u);
    QVERIFY2(f.unknownLines >= 3, std::to_string(f.unknownLines).c_str());
    QCOMPARE(countAll(cache), 1);
    const MessageRow m = cache.messages({}, {}, 0, 1).at(0);
    QCOMPARE(m.state, MessageState::Sent);
    QCOMPARE(m.sender, std::string("alice@example.com"));
}

void TestCacheRobustness::invalidUtf8IsKeptByteForByte()
{
    const QByteArray line = "Nov 20 12:00:01 mx1 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: "
                            "550 5.1.1 <j\xe9r\xf4me@example.com>: Recipient address rejected: User unknown; "
                            "from=<m\xfcller\xff@example.de> to=<j\xe9r\xf4me@example.com> proto=ESMTP helo=<x>\n";
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(Ingestor::import(cache, {write(*m_dir, QStringLiteral("latin1.log"), line)}).ok());
    const MessageRow m = cache.messages({}, {}, 0, 1).at(0);
    QCOMPARE(QByteArray::fromStdString(m.sender), QByteArray("m\xfcller\xff@example.de"));
    Filter byRecipient;
    byRecipient.recipient = "j\xe9r\xf4me@example.com";
    QCOMPARE(cache.count(Grain::Deliveries, byRecipient), 1);
}

void TestCacheRobustness::truncatedGzipKeepsWhatIsReadable()
{
    QByteArray data;
    for (int i = 0; i < 200; ++i)
        data += flow("queue-id-reuse.log");
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const std::string gz = writeGzip(*m_dir, QStringLiteral("mail.log.2.gz"), data, 300);
    const ImportSummary s = Ingestor::import(cache, {gz});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(s.files.at(0).endedEarly);
    QVERIFY(s.lines > 0);
    QVERIFY(s.lines < std::uint64_t(data.count('\n')));
    QVERIFY(countAll(cache) > 0);
}

void TestCacheRobustness::refusedFilesSayWhatTheyAre_data()
{
    QTest::addColumn<QString>("sample");  // of tests/data/unsupported; empty: a .gz cut short
    QTest::addColumn<QString>("said");
    QTest::newRow("gz cut to 100 bytes") << QString() << QStringLiteral("a truncated or corrupt compressed file");
    QTest::newRow("qmail") << QStringLiteral("fail2ban-qmail.log") << QStringLiteral("a qmail log: not read yet (supported: ");
    QTest::newRow("qmail-send") << QStringLiteral("qmail-send-multilog.log") << QStringLiteral("a qmail log: not read yet (supported: ");
    QTest::newRow("exchange") << QStringLiteral("exchange-2013-msgtrk.log") << QStringLiteral("an Exchange message-tracking log: not read yet (supported: ");
}

void TestCacheRobustness::refusedFilesSayWhatTheyAre()
{
    // Said "not a mail log" before: a reader of a damaged download, or of a qmail or Exchange
    // server's log, was told the file was no mail log at all.
    QFETCH(QString, sample);
    QFETCH(QString, said);
    std::string path;
    if (sample.isEmpty()) {
        QByteArray data;
        for (int i = 0; i < 200; ++i)
            data += flow("queue-id-reuse.log");
        path = writeGzip(*m_dir, QStringLiteral("mail.log.2.gz"), data);
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.size() > 100);
        QVERIFY(f.resize(100));
    } else {
        QFile in(QStringLiteral(MAILTRAIL_TEST_DATA "/unsupported/") + sample);
        QVERIFY(in.open(QIODevice::ReadOnly));
        path = write(*m_dir, sample, in.readAll());
    }
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {path});
    QCOMPARE(s.files.size(), std::size_t(1));
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Failed));
    const QString error = QString::fromStdString(s.files.at(0).error);
    QVERIFY2(error.startsWith(said), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("not a mail log")), qPrintable(error));
}

void TestCacheRobustness::corruptCacheIsReportedAndLeftAlone()
{
    QByteArray garbage(64 * 1024, '\x5a');
    garbage.replace(0, 16, "definitely not a");
    write(*m_dir, QStringLiteral("c.sqlite"), garbage);
    Cache cache;
    QVERIFY(!cache.open(cachePath()));
    QVERIFY2(cache.error().find("not a Mailtrail cache or is damaged") != std::string::npos, cache.error().c_str());
    QFile f(QString::fromStdString(cachePath()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), garbage);
    QVERIFY(!Ingestor::import(cache, {write(*m_dir, QStringLiteral("mail.log"), flow("expired.log"))}).ok());
}

void TestCacheRobustness::foreignDatabaseIsRefused()
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(cachePath().c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    Cache cache;
    QVERIFY(!cache.open(cachePath()));
    QVERIFY2(cache.error().find("not a Mailtrail cache") != std::string::npos, cache.error().c_str());
}

void TestCacheRobustness::otherLayoutsAreRefusedUntouched()
{
    // A development build's layout (1) and a newer build's are refused with a sentence that says
    // so; the file stays as it was.
    for (const int version : {1, 99}) {
        QFile::remove(QString::fromStdString(cachePath()));
        {
            Cache cache;
            QVERIFY(cache.open(cachePath()));
        }
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(cachePath().c_str(), &db), SQLITE_OK);
        const std::string set = "PRAGMA user_version = " + std::to_string(version);
        QCOMPARE(sqlite3_exec(db, set.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        Cache cache;
        QVERIFY(!cache.open(cachePath()));
        QVERIFY2(cache.error().find(version == 1 ? "development build" : "newer Mailtrail") != std::string::npos,
                 cache.error().c_str());
        QVERIFY(cache.error().find("--cache") != std::string::npos);
        sqlite3 *check = nullptr;
        QCOMPARE(sqlite3_open(cachePath().c_str(), &check), SQLITE_OK);
        sqlite3_stmt *st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(check, "PRAGMA user_version", -1, &st, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(st, 0), version);
        sqlite3_finalize(st);
        sqlite3_close(check);
    }
}

void TestCacheRobustness::lockedCacheIsReported()
{
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("expired.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
    }
    sqlite3 *other = nullptr;
    QCOMPARE(sqlite3_open(cachePath().c_str(), &other), SQLITE_OK);
    QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
    Cache cache;
    const bool opened = cache.open(cachePath());
    std::string error = cache.error();
    if (opened) {
        // WAL readers may open; writing must then fail clearly.
        const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("more.log"), flow("still-deferred.log"))});
        QVERIFY(!s.ok());
        error = s.error;
    }
    QVERIFY2(error.find("locked by another process") != std::string::npos, error.c_str());
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    Cache again;
    QVERIFY(again.open(cachePath()));
    QCOMPARE(countAll(again), 2);
}

void TestCacheRobustness::lookupDuringAnotherImportDoesNotWait()
{
    // The first lookup builds its indexes, unless another process is writing: then it reads every
    // message at once rather than wait for the lock, and builds them another time.
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("deferred-then-sent.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
    }
    sqlite3 *other = nullptr;
    QCOMPARE(sqlite3_open(cachePath().c_str(), &other), SQLITE_OK);
    QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    Cache cache;
    QVERIFY2(cache.open(cachePath()), cache.error().c_str());
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(cache.findMessages("4F2A81C0123", {}).size(), std::size_t(1));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    QCOMPARE(cache.findMessages("<20261120100001.AB12@example.com>", {}).size(), std::size_t(1));
}

void TestCacheRobustness::readOnlyCacheStillAnswers()
{
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
    }
    Cache cache;
    QVERIFY2(cache.open(cachePath(), Cache::Mode::ReadOnly), cache.error().c_str());
    QVERIFY(cache.isReadOnly());
    QCOMPARE(countAll(cache), 2);
    // A log it does not hold is not read, and says why; the cache is as it was.
    const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("more.log"), flow("expired.log"))});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(1));
    QCOMPARE(s.files[0].action, FileImport::Action::Failed);
    QVERIFY2(s.files[0].error.find("read-only") != std::string::npos, s.files[0].error.c_str());
    QCOMPARE(countAll(cache), 2);
}

void TestCacheRobustness::readOnlyLayout2CacheAnswersAndReopens()
{
    // A cache an older build wrote, shared read-only: it answers (a scope by files, a text filter)
    // without being migrated, and a second open on the same object starts clean.
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
        QVERIFY(cache.ensureTextIndex());
    }
    {
        sql::Database db;
        db.open(cachePath());
        toOlderLayout(db, 2);
    }
    Cache cache;
    QVERIFY2(cache.open(cachePath(), Cache::Mode::ReadOnly), cache.error().c_str());
    Filter scoped;
    scoped.fileIds = cache.fileIdsFor({log});
    scoped.text = "news@example.com";
    QCOMPARE(cache.count(Grain::Messages, scoped), 2);  // the bounced newsletter and its notification
    QVERIFY2(cache.open(cachePath(), Cache::Mode::ReadOnly), cache.error().c_str());
    QCOMPARE(cache.count(Grain::Messages, scoped), 2);
    QVERIFY2(cache.error().empty(), cache.error().c_str());
}

void TestCacheRobustness::fullDiskKeepsTheCacheAsItWas()
{
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(Ingestor::import(cache, {write(*m_dir, QStringLiteral("a.log"), flow("expired.log"))}).ok());
    QCOMPARE(countAll(cache), 2);
    QVERIFY(cache.ensureDeferredIndexes());  // as the window does after an import
    const QByteArray big = repeatedFlow("bounce-with-notification.log", 3000,
                                        {{"7A1B2C3D4E", 0x1000000000LL}, {"0C9D8E7F6A", 0x2000000000LL}});
    QVERIFY(cache.setSizeLimit(QFileInfo(QString::fromStdString(cachePath())).size() + 64 * 1024));
    const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("big.log"), big)});
    QVERIFY(!s.ok());
    QVERIFY2(s.error.find("full") != std::string::npos, s.error.c_str());
    QCOMPARE(countAll(cache), 2);
    // That import was large enough to drop the order and lookup indexes; the filter ones stay.
    QCOMPARE(filterIndexCount(cachePath()), 4);
    QVERIFY(cache.setSizeLimit(0));
    const ImportSummary retry = Ingestor::import(cache, {m_dir->filePath(QStringLiteral("big.log")).toStdString()});
    QVERIFY2(retry.ok(), retry.error.c_str());
    QCOMPARE(countAll(cache), 2 + 6000);
}

void TestCacheRobustness::fullDiskWhileIndexingKeepsTheRows()
{
    // The disk fills up while a query builds the filter indexes it reads (an import builds none):
    // the rows stay, the query answers from the tables, and a later one builds them.
    const QByteArray big = repeatedFlow("bounce-with-notification.log", 2000,
                                        {{"7A1B2C3D4E", 0x1000000000LL}, {"0C9D8E7F6A", 0x2000000000LL}});
    const std::string log = write(*m_dir, QStringLiteral("big.log"), big);
    Filter everyIndex;
    everyIndex.sender = "*@*";
    everyIndex.recipient = "*@*";
    everyIndex.code = "5xx";
    const std::string measured = m_dir->filePath(QStringLiteral("measure.sqlite")).toStdString();
    std::int64_t expected = -1;
    {
        Cache cache;
        QVERIFY(cache.open(measured));
        QVERIFY(Ingestor::import(cache, {log}).ok());
        QCOMPARE(filterIndexCount(measured), 0);
        cache.setBuildIndexesOnDemand(false);
        expected = cache.count(Grain::Messages, everyIndex);
        cache.setBuildIndexesOnDemand(true);
        QCOMPARE(cache.count(Grain::Messages, everyIndex), expected);
        QCOMPARE(filterIndexCount(measured), 4);
    }
    QVERIFY(expected > 0);
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(measured.c_str(), &db), SQLITE_OK);
    const auto number = [db](const char *sqlText) {
        sqlite3_stmt *st = nullptr;
        std::int64_t v = -1;
        if (sqlite3_prepare_v2(db, sqlText, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    };
    const std::int64_t pageSize = number("PRAGMA page_size");
    const std::int64_t pages = number("PRAGMA page_count");
    const std::int64_t indexPages = number("SELECT count(*) FROM dbstat WHERE name IN ('messages_sender', "
                                           "'deliveries_recipient_rev', 'deliveries_orig_rev', 'deliveries_code_class')");
    sqlite3_close(db);
    QVERIFY2(indexPages > 4, "dbstat is needed to measure the indexes");

    Cache cache;
    QVERIFY(cache.open(cachePath()));
    ImportSummary s = Ingestor::import(cache, {log});
    QVERIFY2(s.ok() && s.warning.empty(), (s.error + s.warning).c_str());
    QVERIFY(cache.setSizeLimit((pages - indexPages / 2) * pageSize));
    QCOMPARE(cache.count(Grain::Messages, everyIndex), expected);
    QVERIFY(filterIndexCount(cachePath()) < 4);
    QCOMPARE(countAll(cache), 4000);
    QVERIFY(cache.setSizeLimit(0));
    QCOMPARE(cache.count(Grain::Messages, everyIndex), expected);
    QCOMPARE(filterIndexCount(cachePath()), 4);
    QCOMPARE(countAll(cache), 4000);
}

void TestCacheRobustness::interruptedImportIsUndone()
{
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("expired.log"));
    {
        Cache cache;
        QVERIFY(cache.open(cachePath()));
        QVERIFY(Ingestor::import(cache, {log}).ok());
    }
    // What a killed import leaves: its file marked as under way, rows of its run committed.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(cachePath().c_str(), &db), SQLITE_OK);
    const char *crash = "INSERT INTO files(path, head_hash, head_len, size, mtime, compressed, import_run) "
                        "VALUES('/var/log/half.log', 1, 1, 10, 0, 0, 77);"
                        "INSERT INTO messages(host_id, queue_id, first_seen, last_seen, utc_offset, state, open, origin, "
                        "file_id, run, rcpt_count, attempts) VALUES(1, 'HALF1', 0, 0, 0, 1, 0, 1, last_insert_rowid(), 77, 0, 0);"
                        "INSERT INTO incidents(time, host_id, kind, file_id, offset, run) VALUES(0, 1, 1, 99, 0, 77);";
    QCOMPARE(sqlite3_exec(db, crash, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QCOMPARE(countAll(cache), 2);
    QVERIFY(cache.findMessages("HALF1", {}).empty());
    QCOMPARE(cache.files().size(), std::size_t(1));
    sqlite3 *check = nullptr;
    QCOMPARE(sqlite3_open(cachePath().c_str(), &check), SQLITE_OK);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(check, "SELECT count(*) FROM incidents WHERE run = 77", -1, &st, nullptr);
    QCOMPARE(sqlite3_step(st), SQLITE_ROW);
    QCOMPARE(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(check);
}

void TestCacheRobustness::cancelLeavesAConsistentCacheThatResumes()
{
    const QByteArray data = repeatedFlow("deferred-then-sent.log", 4000, {{"4F2A81C0123", 0x10000000000LL}});
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), data);
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    ImportOptions options;
    int checks = 0;
    options.isCancelled = [&checks] { return ++checks >= 1; };
    const ImportSummary s = Ingestor::import(cache, {log}, options);
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(s.cancelled);
    const std::int64_t partial = countAll(cache);
    QVERIFY(partial > 0 && partial < 4000);
    const ImportSummary rest = Ingestor::import(cache, {log});
    QVERIFY2(rest.ok(), rest.error.c_str());
    QCOMPARE(int(rest.files.at(0).action), int(FileImport::Action::Appended));
    QCOMPARE(countAll(cache), 4000);
    Filter sent;
    sent.statuses = {"sent"};
    QCOMPARE(cache.count(Grain::Messages, sent), 4000);
}

void TestCacheRobustness::cancelBeforeAFileLeavesItAsItWas()
{
    // The second lifetime of 3B4C5D6E7F arrives after the first import; the next import is
    // cancelled in a big file it reads first (earlier times), before it reaches this one.
    const QByteArray reuse = flow("queue-id-reuse.log");
    const qsizetype half = reuse.indexOf("Nov 20 14:00:00");
    const std::string small = write(*m_dir, QStringLiteral("c.log"), reuse.left(half));
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(Ingestor::import(cache, {small}).ok());
    write(*m_dir, QStringLiteral("c.log"), reuse.mid(half), true);
    const std::string big = write(*m_dir, QStringLiteral("big.log"),
                                  repeatedFlow("deferred-then-sent.log", 4000, {{"4F2A81C0123", 0x10000000000LL}}));
    ImportOptions options;
    options.isCancelled = [] { return true; };
    const ImportSummary cancelled = Ingestor::import(cache, {big, small}, options);
    QVERIFY2(cancelled.ok(), cancelled.error.c_str());
    QVERIFY(cancelled.cancelled);
    for (const FileRow &f : cache.files()) {
        if (f.path == small)
            QCOMPARE(f.parsedOffset, std::int64_t(half));
    }
    QVERIFY(Ingestor::import(cache, {big, small}).ok());
    QCOMPARE(cache.findMessages("3B4C5D6E7F", {}).size(), std::size_t(2));
    QCOMPARE(countAll(cache), 4002);
}

void TestCacheRobustness::lineOfExactlyTheCapIsWhole()
{
    QByteArray data(1024 * 1024, 'A');
    data += '\n';
    data += flow("still-deferred.log");
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {write(*m_dir, QStringLiteral("wide.log"), data)});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY2(s.files.at(0).error.empty(), s.files.at(0).error.c_str());
    QCOMPARE(s.files.at(0).truncatedLines, 0u);
    QCOMPARE(s.files.at(0).unknownLines, 1u);
    QCOMPARE(countAll(cache), 1);
}

QTEST_GUILESS_MAIN(TestCacheRobustness)
#include "tst_cacherobustness.moc"
