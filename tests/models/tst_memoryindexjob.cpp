// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's index of addresses in memory: read after the cache is opened and again after each
// import, so that every reader of the window answers an address filter from it while the cache
// stays as it was read; dropped when the cache is emptied.
#include "cache/cache.h"
#include "importjob.h"
#include "memoryindexjob.h"
#include "session.h"
#include "../cache/testlogs.h"

#include <QSignalSpy>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestMemoryIndexJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readAfterOpenAndEachImport();
    void droppedWithTheCache();
};

namespace {

// Whether a connection of its own (as each reader of the window has) answers from memory.
bool answersFromMemory(const QString &cachePath)
{
    Cache reader;
    if (!reader.open(cachePath.toStdString(), Cache::Mode::ReadOnly))
        return false;
    Filter f;
    f.recipient = "@";
    return reader.answersFromMemory(f);
}

bool waitForIndex(Session &session)
{
    return QTest::qWaitFor([&] { return !session.memoryIndex()->isBusy(); }, 20000);
}

} // namespace

void TestMemoryIndexJob::readAfterOpenAndEachImport()
{
    QTemporaryDir dir;
    const auto [first, second] = splitFlow("deferred-then-sent.log", 3);
    const std::string log = write(dir, u"mail.log"_s, first);
    const QString path = importedCache(dir, {log});
    QVERIFY(!path.isEmpty());
    Session session(path);
    QVERIFY(waitForIndex(session));
    QVERIFY(session.memoryIndex()->isReady());
    QVERIFY(answersFromMemory(path));

    // The rest of the log comes in: until the index is read again, SQLite answers.
    write(dir, u"mail.log"_s, second, true);
    QSignalSpy finished(session.memoryIndex(), &MemoryIndexJob::finished);
    QSignalSpy imported(session.importJob(), &ImportJob::finished);
    QVERIFY(session.importJob()->start({QString::fromStdString(log)}));
    QVERIFY(imported.wait(20000));
    QVERIFY(session.memoryIndex()->isBusy());  // asked for by the import's end
    QVERIFY(waitForIndex(session));
    QCOMPARE(finished.size(), 1);
    QVERIFY(finished.first().at(0).toBool());
    QVERIFY(answersFromMemory(path));
}

void TestMemoryIndexJob::droppedWithTheCache()
{
    QTemporaryDir dir;
    const QString path = importedCache(dir, {MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"});
    Session session(path);
    QVERIFY(waitForIndex(session));
    QVERIFY(answersFromMemory(path));
    QString error;
    QVERIFY2(session.emptyCacheNow(&error), qPrintable(error));
    QVERIFY(!session.memoryIndex()->isReady());
    QVERIFY(!answersFromMemory(path));
}

QTEST_GUILESS_MAIN(TestMemoryIndexJob)
#include "tst_memoryindexjob.moc"
