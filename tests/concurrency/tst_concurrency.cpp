// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Processes sharing one cache, as users run them: the CLI and the window, two imports, a query
// during an import, an import killed (SIGKILL) at any moment. Whatever the timing, no row may be
// lost or doubled: after the last import the cache holds exactly what one import alone gives.
//
// Start offsets are fractions of how long one import alone takes here, so they fall inside the
// import on a fast machine and a slow one alike. MAILTRAIL_CONCURRENCY_SIZE (a size for
// mailtrail-genlog, default 2M) and MAILTRAIL_CONCURRENCY_OFFSETS (offsets per pair, default 4)
// make the matrix larger by hand.
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <grp.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QString Bin = QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/");

// What "nothing lost" is checked against: the rows of every table an import writes, a sum over
// the messages' times, rows orphaned by a file record that went away, and imports left unfinished.
QString signature(const QString &cache)
{
    sqlite3 *db = nullptr;
    QString out;
    if (sqlite3_open_v2(cache.toLocal8Bit().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        const char *sqlText =
            "SELECT (SELECT count(*) FROM messages) || ' messages, ' || (SELECT count(*) FROM deliveries) || "
            "' deliveries, ' || (SELECT count(*) FROM attempts) || ' attempts, ' || (SELECT count(*) FROM incidents) || "
            "' incidents, ' || (SELECT count(*) FROM files) || ' files, ' || (SELECT count(*) FROM message_files) || "
            "' message_files, times ' || (SELECT total(first_seen) FROM messages) || ', ' || "
            "(SELECT count(*) FROM messages WHERE file_id NOT IN (SELECT id FROM files)) || ' orphans, ' || "
            "(SELECT count(*) FROM files WHERE import_run IS NOT NULL) || ' unfinished'";
        if (sqlite3_prepare_v2(db, sqlText, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        else
            out = u"unreadable: "_s + QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

struct Finished {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Finished finish(QProcess &p)
{
    // Already ended (while the event loop ran) is finished too; waitForFinished() says false then.
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(300000))
        qFatal("%s did not finish", qPrintable(p.program()));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

void start(QProcess &p, const QString &program, const QStringList &args)
{
    p.start(Bin + program, args);
    if (!p.waitForStarted())
        qFatal("cannot start %s", qPrintable(program));
}

Finished run(const QString &program, const QStringList &args)
{
    QProcess p;
    start(p, program, args);
    return finish(p);
}

// Waits `ms` from `since` on, with the event loop free for the processes' pipes.
void waitUntil(const QElapsedTimer &since, qint64 ms)
{
    while (since.elapsed() < ms)
        QTest::qWait(static_cast<int>(std::min<qint64>(5, ms - since.elapsed())));
}

QList<double> fractions()
{
    const int n = std::max(1, qEnvironmentVariableIntValue("MAILTRAIL_CONCURRENCY_OFFSETS"));
    const int count = qEnvironmentVariableIsSet("MAILTRAIL_CONCURRENCY_OFFSETS") ? n : 4;
    QList<double> out;
    for (int i = 0; i < count; ++i)
        out << (i + 0.5) / count;
    return out;
}

} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pairs_data();
    void pairs();
    void killed_data();
    void killed();
    void readOnlyCacheAnswers_data();
    void readOnlyCacheAnswers();

private:
    QTemporaryDir m_dir;
    QString m_log;          // the whole generated log
    QByteArray m_head;      // its first half, for imports that append the rest
    QString m_signature;    // of one import of m_log alone
    QString m_appendSignature;  // of the head imported, then the rest
    qint64 m_importMs = 0;  // one import of m_log alone, process start to exit
    qint64 m_appendMs = 0;
    QString m_lateQueueId;  // of a message near the end of the log

    QString fresh(const QString &name) const { return m_dir.filePath(name); }
};

void TestConcurrency::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString size = qEnvironmentVariable("MAILTRAIL_CONCURRENCY_SIZE", u"2M"_s);
    m_log = m_dir.filePath(u"mail.log"_s);
    QProcess gen;
    gen.setStandardOutputFile(m_log);
    start(gen, u"mailtrail-genlog"_s, {u"--size"_s, size, u"--seed"_s, u"11"_s});
    QCOMPARE(finish(gen).exitCode, 0);
    QFile log(m_log);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray all = log.readAll();
    m_head = all.left(all.indexOf('\n', all.size() / 2) + 1);

    const QString ref = fresh(u"ref.sqlite"_s);
    QElapsedTimer clock;
    clock.start();
    const Finished r = run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, ref, m_log});
    m_importMs = clock.elapsed();
    QVERIFY2(r.exitCode == 0, r.err.constData());
    m_signature = signature(ref);
    QVERIFY2(m_signature.endsWith(u" 0 orphans, 0 unfinished"_s), qPrintable(m_signature));
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(ref.toLocal8Bit().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(db, "SELECT queue_id FROM messages WHERE queue_id IS NOT NULL ORDER BY first_seen DESC LIMIT 1",
                           -1, &st, nullptr);
        if (sqlite3_step(st) == SQLITE_ROW)
            m_lateQueueId = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    QVERIFY(!m_lateQueueId.isEmpty());

    const QString appendRef = fresh(u"ref-append.sqlite"_s);
    const QString grown = fresh(u"grown.log"_s);
    {
        QFile f(grown);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_head);
    }
    QCOMPARE(run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, appendRef, grown}).exitCode, 0);
    {
        QFile f(grown);
        QVERIFY(f.open(QIODevice::Append));
        f.write(all.mid(m_head.size()));
    }
    clock.restart();
    QCOMPARE(run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, appendRef, grown}).exitCode, 0);
    m_appendMs = clock.elapsed();
    m_appendSignature = signature(appendRef);
    qInfo("log of %s: %lld bytes, one import %lld ms, the second half appended %lld ms; %s", qPrintable(size),
          static_cast<long long>(all.size()), static_cast<long long>(m_importMs), static_cast<long long>(m_appendMs),
          qPrintable(m_signature));
}

void TestConcurrency::pairs_data()
{
    QTest::addColumn<QString>("first");   // what starts first: cli-import or window-import
    QTest::addColumn<QString>("second");  // what starts during it
    QTest::addColumn<double>("at");       // when, as a fraction of one import's time
    const QList<std::pair<QString, QString>> pairs{
        {u"cli-import"_s, u"cli-query"_s},       {u"cli-import"_s, u"cli-timeline"_s},
        {u"cli-import"_s, u"cli-import"_s},      {u"cli-import"_s, u"window"_s},
        {u"window-import"_s, u"cli-query"_s},    {u"window-import"_s, u"cli-import"_s},
    };
    for (const auto &[first, second] : pairs) {
        for (double at : fractions())
            QTest::addRow("%s + %s at %.2f", qPrintable(first), qPrintable(second), at) << first << second << at;
    }
}

void TestConcurrency::pairs()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(double, at);
    const QString cache = fresh(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_') + u".sqlite"_s);
    const QString shot = cache + u".png"_s;
    auto command = [&](const QString &what) -> std::pair<QString, QStringList> {
        if (what == u"cli-import"_s)
            return {u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, m_log}};
        if (what == u"cli-query"_s)
            return {u"mailtrail-cli"_s, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s}};
        if (what == u"cli-timeline"_s)
            return {u"mailtrail-cli"_s, {u"timeline"_s, u"--cache"_s, cache, m_lateQueueId}};
        if (what == u"window-import"_s)
            return {u"mailtrail"_s, {u"--cache"_s, cache, u"--screenshot"_s, shot, m_log}};
        return {u"mailtrail"_s, {u"--cache"_s, cache, u"--screenshot"_s, shot}};
    };
    QProcess a;
    QProcess b;
    QElapsedTimer clock;
    clock.start();
    const auto [programA, argsA] = command(first);
    start(a, programA, argsA);
    waitUntil(clock, static_cast<qint64>(at * static_cast<double>(m_importMs)));
    const auto [programB, argsB] = command(second);
    start(b, programB, argsB);
    const Finished ra = finish(a);
    const Finished rb = finish(b);
    QVERIFY2(ra.exitCode == 0, ra.err.constData());
    // A lookup may come before its message is in: "no message with queue id" (1) is a true answer;
    // so is "no cache" (3) before the window has made one.
    const bool early = (second == u"cli-timeline"_s && rb.exitCode == 1 && rb.err.contains("no message")) ||
        (second != u"cli-import"_s && rb.exitCode == 3 && rb.err.contains("no cache at"));
    QVERIFY2(rb.exitCode == 0 || early, rb.err.constData());
    const Finished again = run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, m_log});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.out.contains("unchanged, nothing to do"), again.out.constData());
    QCOMPARE(signature(cache), m_signature);
}

void TestConcurrency::killed_data()
{
    QTest::addColumn<bool>("append");  // the import adds the second half of a log already half imported
    QTest::addColumn<double>("at");
    // Spread over the whole import, the index build and the statistics at its end included, and
    // jittered so that runs over time cover more moments than the fixed offsets.
    QRandomGenerator random(static_cast<quint32>(QDateTime::currentMSecsSinceEpoch()));
    int row = 0;
    for (bool append : {false, true}) {
        QList<double> at = fractions();
        at << 0.9 << 0.97;
        for (double f : at) {
            const double jittered = std::clamp(f + (random.generateDouble() - 0.5) * 0.1, 0.01, 0.99);
            // Numbered: two jittered moments may print alike, and the tag names the cache file.
            QTest::addRow("%d %s, killed at %.2f", ++row, append ? "append" : "new cache", jittered) << append << jittered;
        }
    }
}

void TestConcurrency::killed()
{
    QFETCH(bool, append);
    QFETCH(double, at);
    const QString cache = fresh(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_') + u".sqlite"_s);
    QString log = m_log;
    if (append) {
        log = cache + u".log"_s;
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_head);
        f.close();
        QCOMPARE(run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, log}).exitCode, 0);
        QFile whole(m_log);
        QVERIFY(whole.open(QIODevice::ReadOnly) && f.open(QIODevice::Append));
        f.write(whole.readAll().mid(m_head.size()));
    }
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    start(p, u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, log});
    waitUntil(clock, static_cast<qint64>(at * static_cast<double>(append ? m_appendMs : m_importMs)));
    p.kill();  // SIGKILL
    finish(p);
    const Finished again = run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, log});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(signature(cache), append ? m_appendSignature : m_signature);
    const Finished check = run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, log});
    QVERIFY2(check.out.contains("unchanged, nothing to do"), check.out.constData());
}

void TestConcurrency::readOnlyCacheAnswers_data()
{
    QTest::addColumn<bool>("folderWritable");
    QTest::addColumn<bool>("fileWritable");
    QTest::newRow("file of another user") << true << false;
    QTest::newRow("folder of another user, as on a read-only mount") << false << false;
    QTest::newRow("writable file in a folder of another user") << false << true;
}

void TestConcurrency::readOnlyCacheAnswers()
{
    // The query runs as nobody, on a cache of root's: it may read the file, not write it, and (in
    // the second row) not create the -shm file beside it either.
    QFETCH(bool, folderWritable);
    QFETCH(bool, fileWritable);
    if (::geteuid() != 0)
        QSKIP("needs root, to run the query as another user");
    const QString folder = fresh(QString::fromLatin1(QTest::currentDataTag()).left(24).replace(u' ', u'_'));
    QVERIFY(QDir().mkpath(folder));
    const QString cache = folder + u"/cache.sqlite"_s;
    const QString log = folder + u"/mail.log"_s;
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/deferred-then-sent.log"), log));
    QCOMPARE(run(u"mailtrail-cli"_s, {u"import"_s, u"--cache"_s, cache, log}).exitCode, 0);
    const Finished expected = run(u"mailtrail-cli"_s, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s});
    QCOMPARE(expected.exitCode, 0);
    // Nobody writes it: no WAL, or the empty one a read-only query leaves.
    QVERIFY(!QFile::exists(cache + u"-wal"_s) || QFileInfo(cache + u"-wal"_s).size() == 0);
    const auto all = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
    QVERIFY(QFile::setPermissions(m_dir.path(), all | QFile::WriteOwner));
    QVERIFY(QFile::setPermissions(folder, folderWritable ? all | QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther : all));
    const auto readable = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther;
    QVERIFY(QFile::setPermissions(cache, fileWritable ? readable | QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther
                                                      : readable));
    QProcess p;
    p.setChildProcessModifier([] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(125);
    });
    start(p, u"mailtrail-cli"_s, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s});
    const Finished r = finish(p);
    QVERIFY(QFile::setPermissions(folder, all | QFile::WriteOwner));
    if (r.exitCode == 125)
        QSKIP("cannot run the CLI as nobody here");
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, expected.out);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
