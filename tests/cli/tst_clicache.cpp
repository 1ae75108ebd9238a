// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli and the cache it is given: logs that never reach it, a cache that is missing, is a
// folder or cannot be written. Each case must say what is wrong, never answer with nothing.
#include "clirun.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <grp.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clitest;

class TestCliCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void logsNotInTheCacheAreReported_data();
    void logsNotInTheCacheAreReported();
    void queryWithoutLogsNeedsACache_data();
    void queryWithoutLogsNeedsACache();
    void importingCreatesTheCache_data();
    void importingCreatesTheCache();
    void directoryIsNoCache_data();
    void directoryIsNoCache();
    void textOnAReadOnlyCache_data();
    void textOnAReadOnlyCache();
    void logsOfAReadOnlyCache_data();
    void logsOfAReadOnlyCache();
    void oneFileNamedTwiceIsReadOnce_data();
    void oneFileNamedTwiceIsReadOnce();
    void emptyFolderReadsNothing();
    void importSaysWhatTheTableLists();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
};

void TestCliCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCliCache::logsNotInTheCacheAreReported_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("log");
    QTest::addColumn<QByteArray>("reason");
    for (const QString &command : {u"messages"_s, u"deliveries"_s, u"timeline"_s}) {
        QTest::addRow("%s, missing file", qPrintable(command))
            << command << u"missing.log"_s << QByteArray("those that could not be imported are named above");
        QTest::addRow("%s, not a log", qPrintable(command))
            << command << u"notes.txt"_s << QByteArray("those that could not be imported are named above");
        QTest::addRow("%s, empty file", qPrintable(command))
            << command << u"empty.log"_s << QByteArray("they are empty");
    }
}

void TestCliCache::logsNotInTheCacheAreReported()
{
    QFETCH(QString, command);
    QFETCH(QString, log);
    QFETCH(QByteArray, reason);
    writeFile(*m_dir, u"notes.txt"_s, "shopping list\nmilk\neggs\n");
    writeFile(*m_dir, u"empty.log"_s, {});
    QStringList args{command, u"--cache"_s, cache()};
    if (command == u"timeline"_s)
        args << u"4F2A81C0123"_s;
    const Run r = cli(args << m_dir->filePath(log));
    QCOMPARE(r.exitCode, 1);
    const QByteArray said = "mailtrail-cli " + command.toUtf8() + ": none of the given logs is in the cache";
    QVERIFY2(r.err.contains(said), r.err.constData());
    QVERIFY2(r.err.contains(reason), r.err.constData());
}

void TestCliCache::queryWithoutLogsNeedsACache_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("named");
    QTest::newRow("messages") << QStringList{u"messages"_s} << true;
    QTest::newRow("deliveries") << QStringList{u"deliveries"_s, u"--format"_s, u"csv"_s} << true;
    QTest::newRow("timeline") << QStringList{u"timeline"_s, u"4F2A81C0123"_s} << true;
    QTest::newRow("messages, default cache") << QStringList{u"messages"_s} << false;
}

void TestCliCache::queryWithoutLogsNeedsACache()
{
    QFETCH(QStringList, args);
    QFETCH(bool, named);
    const QString folder = m_dir->filePath(named ? u"new"_s : u"xdg/mailtrail"_s);
    const QString path = folder + u"/cache.sqlite"_s;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CACHE_HOME"_s, m_dir->filePath(u"xdg"_s));
    process.setProcessEnvironment(env);
    if (named)
        args << u"--cache"_s << path;
    const Run r = cli(args, &process);
    QCOMPARE(r.exitCode, 3);
    const QString said = u"no cache at %1; import logs first with mailtrail-cli import %2LOG..."_s.arg(
        path, named ? u"--cache "_s + path + u' ' : QString());
    QVERIFY2(r.err.contains(said.toUtf8()), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFileInfo::exists(folder));
}

void TestCliCache::importingCreatesTheCache_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("import") << QStringList{u"import"_s};
    QTest::newRow("messages with a log") << QStringList{u"messages"_s};
    QTest::newRow("timeline with a log") << QStringList{u"timeline"_s, u"4F2A81C0123"_s};
}

void TestCliCache::importingCreatesTheCache()
{
    QFETCH(QStringList, args);
    const QString path = m_dir->filePath(u"new/cache.sqlite"_s);
    const Run r = cli(args << u"--cache"_s << path << copyFlow(*m_dir, u"deferred-then-sent.log"_s));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(QFileInfo(path).isFile());
}

void TestCliCache::directoryIsNoCache_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("withLog");
    QTest::newRow("import") << QStringList{u"import"_s} << true;
    QTest::newRow("messages") << QStringList{u"messages"_s} << false;
    QTest::newRow("messages with a log") << QStringList{u"messages"_s} << true;
    QTest::newRow("deliveries") << QStringList{u"deliveries"_s} << false;
    QTest::newRow("timeline") << QStringList{u"timeline"_s, u"4F2A81C0123"_s} << false;
}

void TestCliCache::directoryIsNoCache()
{
    QFETCH(QStringList, args);
    QFETCH(bool, withLog);
    args << u"--cache"_s << m_dir->path();
    if (withLog)
        args << copyFlow(*m_dir, u"deferred-then-sent.log"_s);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, 3);
    const QString said = u"%1 is a directory, not a cache file; name a file with --cache, such as %1/cache.sqlite"_s.arg(
        m_dir->path());
    QVERIFY2(r.err.contains(said.toUtf8()), r.err.constData());
}

void TestCliCache::textOnAReadOnlyCache_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("indexed");  // imported with --text-index
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("rows");
    const QStringList text{u"--text"_s, u"greylisted"_s};
    QTest::newRow("messages --text") << QStringList{u"messages"_s} + text << false << 3 << 0;
    QTest::newRow("deliveries --text") << QStringList{u"deliveries"_s} + text << false << 3 << 0;
    QTest::newRow("index complete") << QStringList{u"messages"_s} + text << true << 0 << 1;
    QTest::newRow("no --text") << QStringList{u"messages"_s} << false << 0 << 1;
}

void TestCliCache::textOnAReadOnlyCache()
{
    QFETCH(QStringList, args);
    QFETCH(bool, indexed);
    QFETCH(int, exitCode);
    QFETCH(int, rows);
    QStringList import{u"import"_s, u"--cache"_s, cache(), copyFlow(*m_dir, u"deferred-then-sent.log"_s)};
    if (indexed)
        import << u"--text-index"_s;
    QCOMPARE(cli(import).exitCode, 0);
    QVERIFY(QFile::setPermissions(cache(), QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    // The folder stays open to all: a reader of a WAL database creates the -shm file beside it.
    QVERIFY(QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                     | QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
                                                     | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther));
    QProcess process;
    // The tests may run as root, who writes any file whatever its mode: the query runs as nobody.
    if (::geteuid() == 0) {
        process.setChildProcessModifier([] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                ::_exit(125);
        });
    }
    const Run r = cli(args << u"--cache"_s << cache() << u"--format"_s << u"csv"_s, &process);
    if (r.exitCode == 125)
        QSKIP("cannot run the CLI as nobody here");
    QVERIFY2(r.exitCode == exitCode, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1 + rows);
    if (exitCode == 0) {
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        return;
    }
    const QString said = u"warning: the answer is partial: the free-text index does not reach the latest messages "
                         u"(the cache file %1 is read-only, so it cannot be brought up to date; run mailtrail-cli "
                         u"import --text-index with write access to it)"_s.arg(cache());
    QVERIFY2(r.err.contains(said.toUtf8()), r.err.constData());
}

void TestCliCache::logsOfAReadOnlyCache_data()
{
    QTest::addColumn<QString>("readOnly");  // what cannot be written: the cache "file" or its "folder"
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("grown");         // lines were added to the log after it was imported
    for (const QString &readOnly : {u"file"_s, u"folder"_s}) {
        for (const QString &command : {u"stats"_s, u"messages"_s, u"import"_s}) {
            for (const bool grown : {false, true})
                QTest::addRow("%s, %s, %s", qPrintable(readOnly), qPrintable(command), grown ? "grown" : "unchanged")
                    << readOnly << command << grown;
        }
    }
}

// A cache the user cannot write, over logs it holds: nothing to import is no error, and the answer
// comes from the cache. A log that grew since says that its new lines cannot go in, and why.
void TestCliCache::logsOfAReadOnlyCache()
{
    QFETCH(QString, readOnly);
    QFETCH(QString, command);
    QFETCH(bool, grown);
    const QString log = copyFlow(*m_dir, u"deferred-then-sent.log"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), log}).exitCode, 0);
    if (grown) {
        QFile more(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/expired.log"));
        QFile to(log);
        QVERIFY(more.open(QIODevice::ReadOnly) && to.open(QIODevice::Append));
        to.write(more.readAll());
    }
    const auto everyone = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther | QFile::ExeOwner | QFile::ExeGroup
                          | QFile::ExeOther;
    if (readOnly == u"file"_s) {
        QVERIFY(QFile::setPermissions(cache(), QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        // Open to all: a reader of a WAL database creates the -shm file beside it.
        QVERIFY(QFile::setPermissions(m_dir->path(), everyone | QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther));
    } else {
        QVERIFY(QFile::setPermissions(m_dir->path(), everyone));
    }
    QProcess process;
    // As root, any file may be written whatever its mode: the command runs as nobody.
    if (::geteuid() == 0) {
        process.setChildProcessModifier([] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                ::_exit(125);
        });
    }
    QStringList args{command, u"--cache"_s, cache()};
    if (command == u"stats"_s)
        args << u"--format"_s << u"json"_s;
    else if (command == u"messages"_s)
        args << u"--format"_s << u"csv"_s;
    const Run r = cli(args << log, &process);
    QFile::setPermissions(m_dir->path(), everyone | QFile::WriteOwner);  // for the cleanup
    if (r.exitCode == 125)
        QSKIP("cannot run the CLI as nobody here");
    if (grown) {
        QVERIFY2(r.exitCode == 1, r.err.constData());
        const QString said = u"%1: not imported: the cache file %2 is read-only; what it holds of this log is shown, "
                             u"without the lines added since"_s.arg(log, cache());
        QVERIFY2(r.err.contains(said.toUtf8()), r.err.constData());
    } else {
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.isEmpty(), r.err.constData());
    }
    // The one message the cache holds, whatever the log holds now.
    if (command == u"stats"_s)
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(u"messages"_s).toInteger(-1), 1);
    else if (command == u"messages"_s)
        QCOMPARE(r.out.count('\n'), 2);
    else if (!grown)
        QVERIFY2(r.out.contains(": unchanged, nothing to do\n"), r.out.constData());
}

void TestCliCache::oneFileNamedTwiceIsReadOnce_data()
{
    // How the second name is given: the same path, a symlink, a relative path, the folder.
    QTest::addColumn<QString>("how");
    for (const char *how : {"same path", "symlink", "relative", "folder"})
        QTest::newRow(how) << QString::fromLatin1(how);
}

void TestCliCache::oneFileNamedTwiceIsReadOnce()
{
    QFETCH(QString, how);
    QDir(m_dir->path()).mkdir(u"logs"_s);
    const QString log = copyFlow(*m_dir, u"deferred-then-sent.log"_s);
    const QString inFolder = m_dir->filePath(u"logs/mail.log"_s);
    QVERIFY(QFile::rename(log, inFolder));
    QString second = inFolder;
    QProcess p;
    if (how == u"symlink"_s) {
        second = m_dir->filePath(u"link.log"_s);
        QVERIFY(QFile::link(inFolder, second));
    } else if (how == u"relative"_s) {
        p.setWorkingDirectory(m_dir->path());
        second = u"logs/../logs/mail.log"_s;
    } else if (how == u"folder"_s) {
        second = m_dir->filePath(u"logs"_s);
    }
    const Run r = cli({u"import"_s, u"--cache"_s, cache(), inFolder, second}, &p);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // 9 lines read once, and one line for the one file.
    QVERIFY2(r.out.contains("\n9 lines, "), r.out.constData());
    QCOMPARE(r.out.count(": imported"), 1);
    QProcess q;
    const Run rows = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s}, &q);
    QCOMPARE(rows.out.count('\n'), 2);  // the header and the one recipient
}

// A folder with no file in it is said and is no success, as the window says it (the import
// printed "0 lines, 0 messages written" and exited 0).
void TestCliCache::emptyFolderReadsNothing()
{
    const QString empty = m_dir->filePath(u"nothing-here"_s);
    QVERIFY(QDir().mkpath(empty));
    const Run r = cli({u"import"_s, u"--cache"_s, cache(), empty});
    QCOMPARE(r.exitCode, 1);
    const QByteArray said = "no log file found in " + empty.toUtf8();
    QVERIFY2(r.err.contains(said), r.err.constData());
    QVERIFY2(!r.err.contains("subfolder"), r.err.constData());
    // Its logs one folder down (as in Exim's test suite: log/ and rejectlog/): the subfolders are
    // named, which are not read, and how to read them (the import said only "no log file found").
    QVERIFY(QDir().mkpath(empty + u"/log"_s));
    QVERIFY(QDir().mkpath(empty + u"/rejectlog"_s));
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"), empty + u"/log/mainlog"_s));
    const Run down = cli({u"import"_s, u"--cache"_s, cache(), empty});
    QCOMPARE(down.exitCode, 1);
    const QByteArray named = "subfolders are not read (name them to read them): " + empty.toUtf8() + "/log, " +
        empty.toUtf8() + "/rejectlog\n";
    QVERIFY2(down.err.contains(named), down.err.constData());
    const Run one = cli({u"import"_s, u"--cache"_s, cache(), empty + u"/log"_s});
    QVERIFY2(one.exitCode == 0, one.err.constData());
    QVERIFY2(!one.err.contains("subfolder"), one.err.constData());
}

// The content-filter log writes 16 message records (each hop of a chain, amavis between them)
// where `messages` and the window list 12: the import says what the table will show.
void TestCliCache::importSaysWhatTheTableLists()
{
    const QString log = QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log");
    const Run import = cli({u"import"_s, u"--cache"_s, cache(), log});
    QCOMPARE(import.exitCode, 0);
    QVERIFY2(import.out.contains("\n157 lines, 16 messages written, "), import.out.constData());
    QVERIFY2(import.out.contains("\nthe logs imported hold 12 messages as `messages` lists them"), import.out.constData());
    const Run listed = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s});
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.out.count('\n') - 1, 12);  // less the header
}

QTEST_GUILESS_MAIN(TestCliCache)
#include "tst_clicache.moc"
