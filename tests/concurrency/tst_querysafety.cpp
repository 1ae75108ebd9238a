// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// What a query may do to a cache while an import holds it (here: the import lock, held by this
// test as an import would): read, never write; migrate the layout or build an index only under
// the lock. And the window's import builds its indexes before it lets the lock go.
#include "../cache/olderlayout.h"
#include "cache/cache.h"
#include "cache/importlock.h"
#include "cache/schema.h"
#include "importjob.h"
#include "ingest/ingestor.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <sys/stat.h>
#include <utime.h>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

const QString Cli = QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli");

struct Finished {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Finished finish(QProcess &p)
{
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(60000))
        qFatal("mailtrail-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

Finished cli(const QStringList &args)
{
    QProcess p;
    p.start(Cli, args);
    return finish(p);
}

// Waits until the process writes `what` on stderr (kept in `err`), or ends.
bool waitForStderr(QProcess &p, const QByteArray &what, QByteArray &err)
{
    for (int i = 0; i < 400 && p.state() != QProcess::NotRunning; ++i) {
        p.waitForReadyRead(50);
        err += p.readAllStandardError();
        if (err.contains(what))
            return true;
    }
    return false;
}

QString copyFlow(const QTemporaryDir &dir, const QString &name)
{
    const QString to = dir.filePath(name);
    QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + name, to);
    utimbuf times{1795348800, 1795348800};  // 2026-11-22: the flows' year
    ::utime(to.toLocal8Bit().constData(), &times);
    return to;
}

int layoutVersion(const QString &cache)
{
    sqlite3 *db = nullptr;
    int version = -1;
    if (sqlite3_open_v2(cache.toLocal8Bit().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return version;
}

bool execSql(const QString &cache, const char *sqlText)
{
    sqlite3 *db = nullptr;
    const bool ok = sqlite3_open(cache.toLocal8Bit().constData(), &db) == SQLITE_OK &&
        sqlite3_exec(db, sqlText, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

// The cache file and its WAL as they are on disk: bytes and modification times. A missing WAL and
// an empty one are alike: SQLite's read-only readers make an empty one when there is none.
QString state(const QString &cache)
{
    QString out;
    for (const QString &name : QStringList{cache, cache + u"-wal"_s}) {
        struct stat st {};
        if (::stat(name.toLocal8Bit().constData(), &st) != 0 || (name != cache && st.st_size == 0)) {
            out += u"no WAL; "_s;
            continue;
        }
        QFile f(name);
        const QByteArray bytes = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        out += u"%1 bytes, mtime %2.%3, sha1 %4; "_s.arg(st.st_size).arg(st.st_mtim.tv_sec).arg(st.st_mtim.tv_nsec).arg(
            QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex()));
    }
    return out;
}

// An older build's cache (layout 2: no record of messages spanning files), as the import of
// `log` leaves it.
QString olderCache(const QTemporaryDir &dir, const QString &name, const QString &log)
{
    const QString cache = dir.filePath(name);
    if (cli({u"import"_s, u"--cache"_s, cache, log}).exitCode != 0 ||
        !execSql(cache, (std::string(testlogs::ToLayout9) + testlogs::ToLayout8 + testlogs::ToLayout7 + testlogs::ToLayout6 + testlogs::ToLayout4 +
                         "DROP TABLE message_files; DROP TABLE file_programs; PRAGMA user_version = 2; "
                         "PRAGMA wal_checkpoint(TRUNCATE)").c_str()))
        qFatal("cannot make the older cache");
    return cache;
}

// An import under way, as a query sees it: the lock held, a connection open on the cache (and so
// a WAL beside it).
class ImportInProgress
{
public:
    explicit ImportInProgress(const QString &cache)
        : m_lock(canonicalPath(cache.toStdString()))
    {
        m_locked = m_lock.tryAcquire();
        sqlite3_stmt *st = nullptr;
        m_open = sqlite3_open(cache.toLocal8Bit().constData(), &m_db) == SQLITE_OK &&
            sqlite3_prepare_v2(m_db, "SELECT count(*) FROM messages", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    ~ImportInProgress() { sqlite3_close(m_db); }
    bool ok() const { return m_locked && m_open; }

private:
    ImportLock m_lock;
    sqlite3 *m_db = nullptr;
    bool m_locked = false;
    bool m_open = false;
};

QStringList queryArgs(const QString &command, const QString &cache)
{
    if (command == u"timeline"_s)
        return {command, u"--cache"_s, cache, u"4F2A81C0123"_s};
    return {command, u"--cache"_s, cache};
}

} // namespace

class TestQuerySafety : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queryDuringImportNeverWrites_data();
    void queryDuringImportNeverWrites();
    void migrationWaitsForTheImport();
    void textQueryWaitsForTheImport();
    void readOnlyCopyAnswersUnchanged_data();
    void readOnlyCopyAnswersUnchanged();
    void indexesBuiltUnderTheImportLock();
    void windowSaysWhenItsIndexesFail();

private:
    QTemporaryDir m_dir;
};

void TestQuerySafety::queryDuringImportNeverWrites_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"messages", "deliveries", "timeline", "stats"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestQuerySafety::queryDuringImportNeverWrites()
{
    // A layout to migrate and indexes to build: a query that wrote would do either.
    QFETCH(QString, command);
    const QString cache = olderCache(m_dir, command + u"-during.sqlite"_s, copyFlow(m_dir, u"deferred-then-sent.log"_s));
    ImportInProgress importing(cache);
    QVERIFY(importing.ok());
    QVERIFY(QFile::exists(cache + u"-wal"_s));
    const QString before = state(cache);
    const Finished r = cli(queryArgs(command, cache));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("4F2A81C0123") || command == u"stats"_s);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(layoutVersion(cache), 2);
    QCOMPARE(state(cache), before);
}

void TestQuerySafety::migrationWaitsForTheImport()
{
    const QString cache = olderCache(m_dir, u"migrate.sqlite"_s, copyFlow(m_dir, u"deferred-then-sent.log"_s));
    auto importing = std::make_unique<ImportLock>(canonicalPath(cache.toStdString()));
    QVERIFY(importing->tryAcquire());
    QProcess second;
    second.start(Cli, {u"import"_s, u"--cache"_s, cache, copyFlow(m_dir, u"expired.log"_s)});
    QByteArray err;
    QVERIFY2(waitForStderr(second, "waiting for another import into", err), err.constData());
    // Told to wait, and waiting before it changed the layout.
    QCOMPARE(layoutVersion(cache), 2);
    importing.reset();
    Finished r = finish(second);
    r.err.prepend(err);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(layoutVersion(cache), schema::CurrentVersion);
}

void TestQuerySafety::textQueryWaitsForTheImport()
{
    // The CLI's import leaves the free-text index to the first query that needs it; while an
    // import runs, that query waits for it, then builds the index and answers in full.
    const QString cache = m_dir.filePath(u"text.sqlite"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache, copyFlow(m_dir, u"deferred-then-sent.log"_s)}).exitCode, 0);
    auto importing = std::make_unique<ImportInProgress>(cache);
    QVERIFY(importing->ok());
    const QString before = state(cache);
    QProcess query;
    query.start(Cli, {u"deliveries"_s, u"--cache"_s, cache, u"--text"_s, u"example.com"_s, u"--format"_s, u"csv"_s});
    QByteArray err;
    QVERIFY2(waitForStderr(query, "waiting for another import into", err), err.constData());
    QTest::qWait(200);
    QCOMPARE(query.state(), QProcess::Running);
    QCOMPARE(state(cache), before);
    importing.reset();
    Finished r = finish(query);
    r.err.prepend(err);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(!r.err.contains("partial"), r.err.constData());
    QVERIFY2(r.out.contains("4F2A81C0123"), r.out.constData());
}

void TestQuerySafety::readOnlyCopyAnswersUnchanged_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"messages", "deliveries", "timeline", "stats"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestQuerySafety::readOnlyCopyAnswersUnchanged()
{
    // A copy made read-only (chmod a-w) answers, and stays as it was: no index is built into it,
    // even by root, whom the file's mode does not stop.
    QFETCH(QString, command);
    const QString cache = m_dir.filePath(command + u"-copy.sqlite"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache, copyFlow(m_dir, u"deferred-then-sent.log"_s)}).exitCode, 0);
    QVERIFY(QFile::setPermissions(cache, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    const QString before = state(cache);
    const Finished r = cli(queryArgs(command, cache));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("4F2A81C0123") || command == u"stats"_s);
    QCOMPARE(state(cache), before);
}

void TestQuerySafety::indexesBuiltUnderTheImportLock()
{
    const std::string path = m_dir.filePath(u"locked.sqlite"_s).toStdString();
    Cache cache;
    QVERIFY2(cache.open(path), cache.error().c_str());
    bool lockedMeanwhile = false;
    bool textBuilt = false;
    bool deferredBuilt = false;
    ImportOptions options;
    options.whileLocked = [&](ImportSummary &) {
        ImportLock other(canonicalPath(path));
        lockedMeanwhile = !other.tryAcquire() && other.error().empty();
        // The import's own lock does not stop its connection.
        textBuilt = cache.ensureTextIndex();
        deferredBuilt = cache.ensureDeferredIndexes();
    };
    const ImportSummary s = Ingestor::import(cache, {copyFlow(m_dir, u"deferred-then-sent.log"_s).toStdString()}, options);
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(lockedMeanwhile);
    QVERIFY2(textBuilt && deferredBuilt, cache.error().c_str());
    QVERIFY(cache.textIndexComplete());
    QVERIFY(cache.deferredIndexesComplete());
}

void TestQuerySafety::windowSaysWhenItsIndexesFail()
{
    // The window's import builds the ordering indexes after the rows; when that fails, the import
    // says so in words rather than leaving the table unsortable without a word. (A view of an
    // index's name makes it fail.)
    const QString cache = m_dir.filePath(u"window.sqlite"_s);
    {
        Cache c;
        QVERIFY(c.open(cache.toStdString()));
    }
    QVERIFY(execSql(cache, "CREATE VIEW messages_state AS SELECT 1"));
    ImportJob job(cache);
    QSignalSpy finished(&job, &ImportJob::finished);
    ImportSummary summary;
    connect(&job, &ImportJob::finished, this, [&summary](const ImportSummary &s) { summary = s; });
    QVERIFY(job.start({copyFlow(m_dir, u"deferred-then-sent.log"_s)}));
    QVERIFY(finished.wait(30000));
    QVERIFY2(summary.ok(), summary.error.c_str());
    QVERIFY2(summary.warning.find("indexes for sorting") != std::string::npos, summary.warning.c_str());
    QVERIFY2(summary.warning.find("messages_state") != std::string::npos, summary.warning.c_str());
}

QTEST_GUILESS_MAIN(TestQuerySafety)
#include "tst_querysafety.moc"
