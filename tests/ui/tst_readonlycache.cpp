// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window over a cache the user cannot write (its file, or its folder), whose logs it holds: an
// unchanged log is read, shown from the cache, with no "Not read"; a log that grew since says that
// the cache is read-only, and what the cache holds of it stays on show.
#include "../cache/testlogs.h"
#include "cachetablemodel.h"
#include "elidedlabel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

#include <cstdlib>
#include <grp.h>
#include <unistd.h>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestReadOnlyCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void logsOfAReadOnlyCache_data();
    void logsOfAReadOnlyCache();
};

void TestReadOnlyCache::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
}

void TestReadOnlyCache::logsOfAReadOnlyCache_data()
{
    QTest::addColumn<bool>("folder");  // the folder is read-only, not only the file
    QTest::addColumn<bool>("grown");   // lines were added to the log after it was imported
    QTest::newRow("file, unchanged") << false << false;
    QTest::newRow("file, grown") << false << true;
    QTest::newRow("folder, unchanged") << true << false;
    QTest::newRow("folder, grown") << true << true;
}

void TestReadOnlyCache::logsOfAReadOnlyCache()
{
    QFETCH(bool, folder);
    QFETCH(bool, grown);
    QTemporaryDir logs;
    QTemporaryDir dir;
    const QString log = QString::fromStdString(write(logs, u"mail.log"_s, flow("deferred-then-sent.log")));
    {
        Cache cache;
        QVERIFY(importOne(cache, dir, log));
    }
    if (grown)
        write(logs, u"mail.log"_s, flow("expired.log"), true);
    const QString cachePath = dir.filePath(u"c.sqlite"_s);
    QVERIFY(QFile::setPermissions(cachePath, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    if (folder)
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
    const auto restore = qScopeGuard([&] { QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner); });
    if (QFile writable(cachePath); writable.open(QIODevice::ReadWrite))
        QSKIP("the cache file can be written whatever its mode (root, and no other user to be)");

    MainWindow window(cachePath);
    window.resize(1000, 650);
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log});
    QVERIFY(finished.wait(30000));
    const QString said = window.statusBar()->findChild<ElidedLabel *>(u"importSummary"_s)->text();
    if (grown) {
        const QString notRead = u"Not read: mail.log: not imported: the cache file %1 is read-only; what it holds of "
                                u"this log is shown, without the lines added since"_s.arg(cachePath);
        QVERIFY2(said.contains(notRead), qPrintable(said));
    } else {
        QVERIFY2(said.startsWith(u"Already imported and unchanged: shown from the cache."_s), qPrintable(said));
        QVERIFY2(!said.contains(u"Not read"_s), qPrintable(said));
    }
    // The log is open, with the message the cache holds of it.
    QCOMPARE(window.openLogPaths().size(), 1);
    QTRY_COMPARE(window.currentModel()->totalCount(), 1);
}

// As root every file may be written whatever its mode: the suite runs as nobody, with a home of
// its own, when it can.
int main(int argc, char **argv)
{
    static char home[] = "/tmp/mailtrail-readonlycache-XXXXXX";
    if (::geteuid() == 0 && ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0 &&
        ::mkdtemp(home) != nullptr) {
        ::setenv("HOME", home, 1);
        ::unsetenv("XDG_RUNTIME_DIR");
    }
    QApplication app(argc, argv);
    TestReadOnlyCache test;
    const int rc = QTest::qExec(&test, argc, argv);
    if (::geteuid() == 65534)
        QDir(QString::fromLocal8Bit(home)).removeRecursively();
    return rc;
}

#include "tst_readonlycache.moc"
