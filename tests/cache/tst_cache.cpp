// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Importing into the cache: what is new, what is already there, rotation, growth, order.
#include "testlogs.h"

#include "cache/sqlite.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimeZone>

#include <algorithm>

using namespace mailtrail;
using namespace testlogs;

class TestCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void importsEveryFlow();
    void unchangedFileIsNotReadAgain();
    void grownFileImportsOnlyNewBytes();
    void rotatedFileIsRecognised();
    void gzippedRotationIsRecognised();
    void filesAreReadInTimeOrder();
    void scopeHoldsMessagesThatWentOnInIt_data();
    void olderLogAfterNewerIsJoinedInTimeOrder();
    void olderLogAfterAVanishedNewerOneKeepsTimeOrder();
    void anotherHostsLogOfTheSameDaysIsNotOlder();
    void scopeHoldsMessagesThatWentOnInIt();
    void shrunkFileIsNewContentAndOldIsKept();
    void fileCutToAPrefixIsNotReadAgain();
    void compressedAndPlainGiveTheSameMessages();
    void yearOverride();
    void detailHasAttemptsLinesAndChildren();
    void folderIsExpanded();
    void cacheInsideTheFolderIsNotALog();
    void gzipCopyBesideItsLogIsReadOnce();
    void yearLessLogAcrossNewYearStaysInOrder();
    void milterWarningsAreAMailLog();
    void oneFileNamedTwiceIsReadOnce();
    void halfWrittenLastLineWaitsForTheRest();
    void largeImportRebuildsIndexes();
    void firstLookupBuildsItsIndexes();
    void absentFieldsAreNullAfterPresentOnes();
    void textMatchesFollowNewRows_data();
    void queuedWithARefusedRecipientStaysOpen();
    void rereadKeepsEachLogsYear();
    void cancelledRereadLeavesTheCacheAsItWas();
    void textMatchesFollowNewRows();
    void journalIsEmptiedAfterEachWrite();
    void queriesBuildTheFilterIndexesTheyRead();
    void pageCacheScope_data();
    void pageCacheScope();
    void sortRunsScope_data();
    void sortRunsScope();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Cache> m_cache;
    void reopen();
};

void TestCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    reopen();
}

void TestCache::reopen()
{
    m_cache = std::make_unique<Cache>();
    QVERIFY2(m_cache->open(m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString()), m_cache->error().c_str());
}

void TestCache::importsEveryFlow()
{
    std::vector<std::string> files;
    for (const char *name : {"deferred-then-sent.log", "bounce-with-notification.log", "noqueue-reject.log",
                             "queue-id-reuse.log", "expired.log", "still-deferred.log", "partial-reject-and-forward.log",
                             "rfc3339-multihost.log"})
        files.push_back(write(*m_dir, QLatin1String(name), flow(name)));
    const ImportSummary s = Ingestor::import(*m_cache, files);
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), files.size());
    for (const FileImport &f : s.files) {
        QCOMPARE(int(f.action), int(FileImport::Action::New));
        QCOMPARE(f.format, std::string("postfix"));
        QCOMPARE(f.unknownLines, 0u);
    }
    // 1 + 2 + 1 + 2 + 2 + 1 + 3 + 2 messages and 1 + 3 + 1 + 2 + 1 + 1 + 4 + 2 recipients, read off the logs.
    QCOMPARE(countAll(*m_cache), 14);
    QCOMPARE(countAll(*m_cache, Grain::Deliveries), 15);
    // Still queued at the end, as stats counts it and the Summary's link lists it: the
    // still-deferred one, and the expiry notice known only from its cleanup line (the table shows
    // it queued, and nothing in the log took it out).
    Filter queued;
    queued.statuses = {"queued", "deferred"};
    QCOMPARE(m_cache->count(Grain::Messages, queued), std::int64_t(2));
}

void TestCache::unchangedFileIsNotReadAgain()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    reopen();
    const ImportSummary again = Ingestor::import(*m_cache, {path});
    QVERIFY(again.ok());
    QCOMPARE(int(again.files.at(0).action), int(FileImport::Action::Unchanged));
    QCOMPARE(again.lines, 0u);
    QCOMPARE(again.messages, 0u);
    QCOMPARE(countAll(*m_cache), 2);
}

void TestCache::grownFileImportsOnlyNewBytes()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("still-deferred.log"));
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    Filter deferred;
    deferred.statuses = {"deferred"};
    QCOMPARE(m_cache->count(Grain::Messages, deferred), 1);

    write(*m_dir, QStringLiteral("mail.log"),
          "Nov 20 15:30:01 mx1 postfix/smtp[7125]: 8C9D0E1F2A: to=<frank@full.example.org>, "
          "relay=mx.full.example.org[203.0.113.77]:25, delay=1801, delays=1800/0/0.4/0.5, dsn=2.0.0, status=sent "
          "(250 2.0.0 Ok: queued as 77)\n"
          "Nov 20 15:30:01 mx1 postfix/qmgr[880]: 8C9D0E1F2A: removed\n",
          true);
    const ImportSummary s = Ingestor::import(*m_cache, {path});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Appended));
    QCOMPARE(s.lines, 2u);
    QCOMPARE(countAll(*m_cache), 1);
    QCOMPARE(m_cache->count(Grain::Messages, deferred), 0);
    const std::vector<MessageRow> rows = m_cache->messages({}, {}, 0, 10);
    QCOMPARE(rows.at(0).state, MessageState::Sent);
    QCOMPARE(rows.at(0).attempts, 2);
    QVERIFY(!rows.at(0).open);
    const auto detail = m_cache->detail(rows.at(0).id);
    QVERIFY(detail);
    QCOMPARE(detail->attempts.size(), std::size_t(2));
    QCOMPARE(detail->lines.size(), std::size_t(6));
}

void TestCache::rotatedFileIsRecognised()
{
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    QVERIFY(QFile::rename(QString::fromStdString(log), m_dir->filePath(QStringLiteral("mail.log.1"))));
    write(*m_dir, QStringLiteral("mail.log"), flow("queue-id-reuse.log"));
    const ImportSummary s = Ingestor::import(*m_cache, {log, m_dir->filePath(QStringLiteral("mail.log.1")).toStdString()});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(2));
    int renamed = 0, fresh = 0;
    for (const FileImport &f : s.files) {
        renamed += f.action == FileImport::Action::Renamed;
        fresh += f.action == FileImport::Action::New;
    }
    QCOMPARE(renamed, 1);
    QCOMPARE(fresh, 1);
    QCOMPARE(countAll(*m_cache), 4);  // 2 from the rotated file, not imported twice, + 2 new
}

void TestCache::gzippedRotationIsRecognised()
{
    const QByteArray data = flow("partial-reject-and-forward.log");
    const std::string log = write(*m_dir, QStringLiteral("mail.log.1"), data);
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    QVERIFY(QFile::remove(QString::fromStdString(log)));
    const std::string gz = writeGzip(*m_dir, QStringLiteral("mail.log.2.gz"), data);
    const ImportSummary s = Ingestor::import(*m_cache, {gz});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Renamed));
    QCOMPARE(s.messages, 0u);
    QCOMPARE(countAll(*m_cache), 3);
    // The cache now finds the lines in the compressed file.
    const auto id = m_cache->findMessages("9D0E1F2A3B", {});
    QCOMPARE(id.size(), std::size_t(1));
    const auto detail = m_cache->detail(id.front());
    QVERIFY(detail && !detail->lines.empty());
    QVERIFY(detail->lines.front().compressed);
}

void TestCache::filesAreReadInTimeOrder()
{
    // The start of a message in the later-named file, its end in the earlier-named one.
    const auto [first, second] = splitFlow("deferred-then-sent.log", 5);
    const std::string b = write(*m_dir, QStringLiteral("b.log"), first);
    const std::string a = write(*m_dir, QStringLiteral("a.log"), second);
    const ImportSummary s = Ingestor::import(*m_cache, {a, b});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(countAll(*m_cache), 1);
    const MessageRow m = m_cache->messages({}, {}, 0, 1).at(0);
    QCOMPARE(m.state, MessageState::Sent);
    QCOMPARE(m.sender, std::string("alice@example.com"));
    QCOMPARE(m.attempts, 2);
    QCOMPARE(m.clientIp, std::string("192.0.2.10"));
}

void TestCache::scopeHoldsMessagesThatWentOnInIt_data()
{
    QTest::addColumn<bool>("oneRun");
    QTest::addColumn<bool>("fromLayout2");
    QTest::newRow("one run") << true << false;
    QTest::newRow("the later file in a later run") << false << false;
    QTest::newRow("a layout 2 cache, migrated") << true << true;
}

void TestCache::scopeHoldsMessagesThatWentOnInIt()
{
    // Queued in mail.log.1, tried again and sent after the rotation, in mail.log: a query of
    // mail.log alone shows it, and so does a lookup in mail.log alone.
    QFETCH(bool, oneRun);
    QFETCH(bool, fromLayout2);
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"), older);
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), newer);
    if (oneRun) {
        QVERIFY(Ingestor::import(*m_cache, {rotated, current}).ok());
    } else {
        QVERIFY(Ingestor::import(*m_cache, {rotated}).ok());
        QVERIFY(Ingestor::import(*m_cache, {current}).ok());
    }
    if (fromLayout2) {
        m_cache.reset();
        sql::Database db;
        db.open(m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString());
        toOlderLayout(db, 2);
        db.close();
        reopen();
    }
    QCOMPARE(countAll(*m_cache), 1);
    Filter scope;
    scope.fileIds = m_cache->fileIdsFor({current});
    QCOMPARE(scope.fileIds.size(), std::size_t(1));
    QCOMPARE(m_cache->count(Grain::Messages, scope), 1);
    QCOMPARE(m_cache->count(Grain::Deliveries, scope), 1);
    QCOMPARE(m_cache->messages(scope, {}, 0, 10).size(), std::size_t(1));
    QCOMPARE(m_cache->findMessages("4F2A81C0123", scope.fileIds).size(), std::size_t(1));
    scope.fileIds = m_cache->fileIdsFor({rotated});
    QCOMPARE(m_cache->count(Grain::Messages, scope), 1);
}

namespace {
bool timesInOrder(Cache &cache)
{
    for (const MessageRow &m : cache.messages({}, {}, 0, 1000)) {
        if (m.lastSeenMs < m.firstSeenMs)
            return false;
    }
    return true;
}
} // namespace

void TestCache::olderLogAfterNewerIsJoinedInTimeOrder()
{
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);  // queued, then the rotation
    const std::string other = write(*m_dir, QStringLiteral("other.log"), flow("expired.log"));
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), newer);
    QVERIFY(Ingestor::import(*m_cache, {current, other}).ok());
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"), older);
    const ImportSummary s = Ingestor::import(*m_cache, {rotated});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY2(s.warning.empty(), s.warning.c_str());
    QCOMPARE(s.files.size(), std::size_t(3));  // the new log, and the two read again
    int reread = 0;
    for (const FileImport &f : s.files)
        reread += f.action == FileImport::Action::Reread ? 1 : 0;
    QCOMPARE(reread, 2);
    // As if the three had been imported together: one message, queued, deferred, then sent.
    QCOMPARE(countAll(*m_cache), 3);  // that one, the expired message and its notice
    QVERIFY(timesInOrder(*m_cache));
    const std::vector<std::int64_t> found = m_cache->findMessages("4F2A81C0123", {});
    QCOMPARE(found.size(), std::size_t(1));
    const std::optional<MessageDetail> d = m_cache->detail(found.front());
    QVERIFY(d);
    QCOMPARE(d->message.state, MessageState::Sent);
    QCOMPARE(d->message.sender, std::string("alice@example.com"));
    QCOMPARE(d->message.attempts, 2);
    // And nothing more to do the next time.
    const ImportSummary again = Ingestor::import(*m_cache, {rotated, current, other});
    QVERIFY(again.ok());
    QCOMPARE(countAll(*m_cache), 3);
    for (const FileImport &f : again.files)
        QCOMPARE(int(f.action), int(FileImport::Action::Unchanged));
}

void TestCache::olderLogAfterAVanishedNewerOneKeepsTimeOrder()
{
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);  // queued, then the rotation
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), newer);
    QVERIFY(Ingestor::import(*m_cache, {current}).ok());
    QVERIFY(QFile::remove(QString::fromStdString(current)));
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"), older);
    const ImportSummary s = Ingestor::import(*m_cache, {rotated});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(s.warning.find("two parts") != std::string::npos);
    // The cached part is kept as it was; the older log's part is a message of its own.
    QCOMPARE(countAll(*m_cache), 2);
    QVERIFY(timesInOrder(*m_cache));
}

void TestCache::anotherHostsLogOfTheSameDaysIsNotOlder()
{
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);  // queued, then the rotation
    const std::string mx1 = write(*m_dir, QStringLiteral("mx1.log"), older + newer);
    QVERIFY(Ingestor::import(*m_cache, {mx1}).ok());
    QByteArray other = older + newer;
    other.replace(" mx1 ", " mx2 ");
    const std::string mx2 = write(*m_dir, QStringLiteral("mx2.log"), other.replace("10:00:0", "09:59:5"));
    const ImportSummary s = Ingestor::import(*m_cache, {mx2});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(1));  // mx1.log is not read again
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::New));
    QCOMPARE(countAll(*m_cache), 2);
}

void TestCache::shrunkFileIsNewContentAndOldIsKept()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    write(*m_dir, QStringLiteral("mail.log"), flow("noqueue-reject.log"));
    const ImportSummary s = Ingestor::import(*m_cache, {path});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Replaced));
    QCOMPARE(countAll(*m_cache), 3);  // nothing already imported is lost
    Filter onlyNow;
    onlyNow.fileIds = m_cache->fileIdsFor({path});
    QCOMPARE(onlyNow.fileIds.size(), std::size_t(1));
    QCOMPARE(m_cache->count(Grain::Messages, onlyNow), 1);
}

void TestCache::fileCutToAPrefixIsNotReadAgain()
{
    // Larger than the 4 KiB that identify a log, as real logs are.
    const QByteArray data = repeatedFlow("deferred-then-sent.log", 3, {{"4F2A81C0123", 0x100000}}) + flow("expired.log");
    QVERIFY(data.size() > 5000);
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), data);
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    QCOMPARE(countAll(*m_cache), 5);
    write(*m_dir, QStringLiteral("mail.log"), data.left(4500));
    const ImportSummary s = Ingestor::import(*m_cache, {path});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(int(s.files.at(0).action), int(FileImport::Action::Unchanged));
    QVERIFY(s.files.at(0).error.find("shorter") != std::string::npos);
    QCOMPARE(countAll(*m_cache), 5);  // not twice, and nothing lost
}

void TestCache::compressedAndPlainGiveTheSameMessages()
{
    const QByteArray data = flow("deferred-then-sent.log") + flow("expired.log");
    const std::string gz = writeGzip(*m_dir, QStringLiteral("mail.log.3.gz"), data);
    const ImportSummary s = Ingestor::import(*m_cache, {gz});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.lines, std::uint64_t(data.count('\n')));
    QCOMPARE(countAll(*m_cache), 3);
    QVERIFY(!s.files.at(0).endedEarly);
    // The same content uncompressed beside it (gzip -k), read after it: already there.
    const std::string plain = write(*m_dir, QStringLiteral("mail.log.3"), data);
    const ImportSummary again = Ingestor::import(*m_cache, {plain});
    QVERIFY2(again.ok(), again.error.c_str());
    QCOMPARE(int(again.files.at(0).action), int(FileImport::Action::Renamed));
    QCOMPARE(countAll(*m_cache), 3);
}

void TestCache::yearOverride()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("still-deferred.log"));
    ImportOptions options;
    options.year = 2019;
    QVERIFY(Ingestor::import(*m_cache, {path}, options).ok());
    const MessageRow m = m_cache->messages({}, {}, 0, 1).at(0);
    // 2019-11-20 15:00:00 UTC
    QCOMPARE(m.firstSeenMs, 1574262000000LL);
}

void TestCache::detailHasAttemptsLinesAndChildren()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    const auto ids = m_cache->findMessages("<news-2026-11@example.com>", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto d = m_cache->detail(ids.front());
    QVERIFY(d);
    QCOMPARE(d->deliveries.size(), std::size_t(2));
    QCOMPARE(d->attempts.size(), std::size_t(2));
    QCOMPARE(d->lines.size(), std::size_t(8));
    QCOMPARE(d->lines.front().offset, 0u);  // the connect line starts the file
    QCOMPARE(d->children.size(), std::size_t(1));
    QCOMPARE(d->children.front().queueId, std::string("0C9D8E7F6A"));
    QCOMPARE(d->children.front().origin, MessageOrigin::Notification);
}

void TestCache::folderIsExpanded()
{
    QDir(m_dir->path()).mkdir(QStringLiteral("logs"));
    write(*m_dir, QStringLiteral("logs/mail.log"), flow("noqueue-reject.log"));
    write(*m_dir, QStringLiteral("logs/mail.log.1"), flow("expired.log"));
    const ImportSummary s = Ingestor::import(*m_cache, {m_dir->filePath(QStringLiteral("logs")).toStdString()});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(2));
    QCOMPARE(countAll(*m_cache), 3);
    // The folder, as a query's scope, is the files in it.
    QCOMPARE(m_cache->fileIdsFor({m_dir->filePath(QStringLiteral("logs")).toStdString()}).size(), std::size_t(2));
    QCOMPARE(m_cache->fileIdsFor({m_dir->path().toStdString()}).size(), std::size_t(0));  // not the files below it
}

void TestCache::gzipCopyBesideItsLogIsReadOnce()
{
    // What gzip -k (or a copy) leaves: mail.log.1 and the same text as mail.log.1.gz.
    const QByteArray data = flow("deferred-then-sent.log") + flow("expired.log");
    QDir(m_dir->path()).mkdir(QStringLiteral("logs"));
    write(*m_dir, QStringLiteral("logs/mail.log.1"), data);
    writeGzip(*m_dir, QStringLiteral("logs/mail.log.1.gz"), data);
    const ImportSummary s = Ingestor::import(*m_cache, {m_dir->filePath(QStringLiteral("logs")).toStdString()});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(countAll(*m_cache), 3);
    QCOMPARE(s.files.size(), std::size_t(2));
    const auto unchanged = std::count_if(s.files.begin(), s.files.end(), [](const FileImport &f) {
        return f.action == FileImport::Action::Unchanged;
    });
    QCOMPARE(int(unchanged), 1);
}

void TestCache::yearLessLogAcrossNewYearStaysInOrder()
{
    // A log from Dec 31 23:20 to Jan 1 16:10 whose modification time is of the December after.
    QByteArray data = flow("deferred-then-sent.log");
    data.replace("Nov 20 10:00:0", "Dec 31 23:20:0");
    data.replace("Nov 20 10:05:03", "Jan  1 08:05:03");
    data.replace("Nov 20 10:10:04", "Jan  1 16:10:04");
    const std::string path = write(*m_dir, QStringLiteral("mail.log.1"), data);
    const time_t mtime = QDateTime(QDate(2026, 12, 15), QTime(12, 0), QTimeZone::UTC).toSecsSinceEpoch();
    utimbuf times{mtime, mtime};
    QCOMPARE(::utime(path.c_str(), &times), 0);
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    const std::vector<MessageRow> rows = m_cache->messages({}, {}, 0, 10);
    QCOMPARE(rows.size(), std::size_t(1));
    const MessageRow &m = rows.front();
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(m.firstSeenMs, QTimeZone::UTC),
             QDateTime(QDate(2025, 12, 31), QTime(23, 20, 1), QTimeZone::UTC));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(m.lastSeenMs, QTimeZone::UTC),
             QDateTime(QDate(2026, 1, 1), QTime(16, 10, 4), QTimeZone::UTC));
    QCOMPARE(int(m.state), int(MessageState::Sent));
}

void TestCache::milterWarningsAreAMailLog()
{
    // mail.warn of a Postfix server: only opendkim and opendmarc, about queued messages (written
    // in the form they log).
    const QByteArray data = "Nov 20 10:00:01 mx1 opendkim[812]: 4F2A81C0123: no signing table match for 'alice@example.com'\n"
                            "Nov 20 10:00:01 mx1 opendmarc[700]: 4F2A81C0123: SPF(mailfrom): example.com none\n";
    const std::string path = write(*m_dir, QStringLiteral("mail.warn"), data);
    const ImportSummary s = Ingestor::import(*m_cache, {path});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(1));
    QVERIFY2(s.files.at(0).error.empty(), s.files.at(0).error.c_str());
    QCOMPARE(s.files.at(0).format, std::string("postfix"));
    QCOMPARE(s.files.at(0).lines, std::uint64_t(2));
}

void TestCache::cacheInsideTheFolderIsNotALog()
{
    QDir(m_dir->path()).mkdir(QStringLiteral("logs"));
    write(*m_dir, QStringLiteral("logs/mail.log"), flow("expired.log"));
    Cache beside;
    QVERIFY(beside.open(m_dir->filePath(QStringLiteral("logs/cache.sqlite")).toStdString()));
    const ImportSummary s = Ingestor::import(beside, {m_dir->filePath(QStringLiteral("logs")).toStdString()});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(1));  // not cache.sqlite, -wal, -shm
    QVERIFY(s.files.at(0).error.empty());
    QCOMPARE(s.files.at(0).path, canonicalPath(m_dir->filePath(QStringLiteral("logs/mail.log")).toStdString()));
}

void TestCache::oneFileNamedTwiceIsReadOnce()
{
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), flow("deferred-then-sent.log"));
    const QString link = m_dir->filePath(QStringLiteral("current.log"));
    QVERIFY(QFile::link(QString::fromStdString(path), link));
    const std::string copy = write(*m_dir, QStringLiteral("mail.log.copy"), flow("deferred-then-sent.log"));
    const ImportSummary s = Ingestor::import(*m_cache, {path, path, link.toStdString(), copy});
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(countAll(*m_cache), 1);
    // Grown, and copied beside it: the new lines once, not once per name.
    write(*m_dir, QStringLiteral("mail.log"), flow("still-deferred.log"), true);
    QVERIFY(QFile::remove(QString::fromStdString(copy)));
    QVERIFY(QFile::copy(QString::fromStdString(path), QString::fromStdString(copy)));
    QVERIFY(Ingestor::import(*m_cache, {path, copy}).ok());
    QCOMPARE(countAll(*m_cache), 2);
}

void TestCache::halfWrittenLastLineWaitsForTheRest()
{
    // Postfix is writing line 8 as we read: the half line must not be taken for a whole one.
    const QByteArray all = flow("deferred-then-sent.log");
    int cut = 0;
    for (int i = 0; i < 7; ++i)
        cut = static_cast<int>(all.indexOf('\n', cut)) + 1;
    cut += 70;
    const std::string path = write(*m_dir, QStringLiteral("mail.log"), all.left(cut));
    ::utime(path.c_str(), nullptr);  // written just now
    const ImportSummary first = Ingestor::import(*m_cache, {path});
    QVERIFY2(first.ok(), first.error.c_str());
    QCOMPARE(first.files.at(0).unknownLines, 0u);
    write(*m_dir, QStringLiteral("mail.log"), all.mid(cut), true);
    ::utime(path.c_str(), nullptr);
    const ImportSummary second = Ingestor::import(*m_cache, {path});
    QVERIFY2(second.ok(), second.error.c_str());
    QCOMPARE(second.files.at(0).unknownLines, 0u);
    QCOMPARE(second.lines, 2u);
    const std::vector<DeliveryRow> rows = m_cache->deliveries({}, {}, 0, 10);
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows.at(0).recipient, std::string("bob@remote.example.net"));
    QCOMPARE(rows.at(0).status, DeliveryStatus::Sent);
}


namespace {

bool hasPhase(const ImportSummary &s, std::string_view name)
{
    return std::any_of(s.phases.begin(), s.phases.end(), [&](const auto &p) { return p.first == name; });
}

int indexCount(const std::string &cachePath,
               const char *names = "'messages_sender', 'deliveries_recipient_rev', 'messages_size'")
{
    sql::Database db;
    db.open(cachePath, true);
    sql::Statement st(db, std::string("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN (") +
                              names + ")");
    st.step();
    return st.integer(0);
}

} // namespace

void TestCache::largeImportRebuildsIndexes()
{
    // Appending a little updates the indexes in place; adding a quarter or more of what is cached
    // drops the order and lookup indexes, to be built again over the whole table, which is cheaper
    // than a random page of each for every row. The filter indexes stay throughout.
    const std::string cachePath = m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString();
    const std::string first = write(*m_dir, QStringLiteral("mail.log.1"),
                                    repeatedFlow("deferred-then-sent.log", 40, {{"4F2A81C0123", 0x100000}}));
    ImportSummary s = Ingestor::import(*m_cache, {first});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(!hasPhase(s, "order and lookup indexes dropped for a large import"));
    QVERIFY(m_cache->ensureDeferredIndexes());
    QCOMPARE(indexCount(cachePath), 3);

    // A day later, so that it is newer content, not an older log read after a newer one.
    const std::string second = write(*m_dir, QStringLiteral("mail.log"),
                                     repeatedFlow("deferred-then-sent.log", 2, {{"4F2A81C0123", 0x200000}}).replace("Nov 20", "Nov 21"));
    s = Ingestor::import(*m_cache, {second});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(!hasPhase(s, "order and lookup indexes dropped for a large import"));
    QCOMPARE(indexCount(cachePath), 3);

    write(*m_dir, QStringLiteral("mail.log"),
          repeatedFlow("deferred-then-sent.log", 20, {{"4F2A81C0123", 0x300000}}).replace("Nov 20", "Nov 21"), true);
    s = Ingestor::import(*m_cache, {second});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(hasPhase(s, "order and lookup indexes dropped for a large import"));
    // The filter indexes stayed; the ones only ordering needs wait for whoever needs them.
    QCOMPARE(indexCount(cachePath), 2);
    Filter alice;
    alice.sender = "alice@*";
    QCOMPARE(m_cache->count(Grain::Messages, alice), 62);
    Filter example;
    example.recipient = "*@remote.example.net";
    QCOMPARE(m_cache->count(Grain::Deliveries, example), 62);
}

void TestCache::firstLookupBuildsItsIndexes()
{
    // The import leaves out the indexes only lookups by id need; the first lookup builds them.
    const std::string cachePath = m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString();
    const char *lookup = "'messages_queue_id', 'messages_message_id'";
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, QStringLiteral("mail.log"), flow("deferred-then-sent.log"))}).ok());
    QCOMPARE(indexCount(cachePath, lookup), 0);
    QCOMPARE(m_cache->findMessages("4F2A81C0123", {}).size(), std::size_t(1));
    QCOMPARE(indexCount(cachePath, lookup), 2);
    QCOMPARE(m_cache->findMessages("4f2a81c0123", {}).size(), std::size_t(1));  // as typed in lower case
    QCOMPARE(indexCount(cachePath, "'messages_size'"), 0);  // ordering indexes still wait
    QCOMPARE(m_cache->findMessages("<20261120100001.AB12@example.com>", {}).size(), std::size_t(1));
}

void TestCache::absentFieldsAreNullAfterPresentOnes()
{
    // The writer keeps its statements' bindings from row to row and binds every field again: a
    // message without size or Message-ID written right after one with them must not inherit them.
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), flow("deferred-then-sent.log") + flow("noqueue-reject.log"));
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    const std::vector<MessageRow> rows = m_cache->messages({}, {}, 0, 10);
    QCOMPARE(rows.size(), std::size_t(2));
    QCOMPARE(rows.at(0).size, 4211);
    QVERIFY(!rows.at(0).messageId.empty());
    QCOMPARE(rows.at(1).state, MessageState::Rejected);
    QCOMPARE(rows.at(1).size, -1);
    QVERIFY(rows.at(1).messageId.empty());
    QCOMPARE(rows.at(1).parentId, 0);
    QCOMPARE(m_cache->findMessages("<20261120100001.AB12@example.com>", {}).size(), std::size_t(1));
}


void TestCache::queuedWithARefusedRecipientStaysOpen()
{
    // The log ends after one recipient was refused at RCPT and the message was queued, before
    // the other recipient's delivery: still in the queue, continued by the next import.
    const auto [first, rest] = splitFlow("partial-reject-and-forward.log", 5);
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"), first);
    QVERIFY(Ingestor::import(*m_cache, {rotated}).ok());
    Filter queued;
    queued.statuses = {"queued"};
    QCOMPARE(m_cache->count(Grain::Messages, queued), 1);
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), rest);
    QVERIFY(Ingestor::import(*m_cache, {current}).ok());
    const std::vector<std::int64_t> found = m_cache->findMessages("9D0E1F2A3B", {});
    QCOMPARE(found.size(), std::size_t(1));  // one message, not one per log
    const std::optional<MessageDetail> d = m_cache->detail(found.front());
    QVERIFY(d);
    QCOMPARE(d->message.state, MessageState::Sent);
    QCOMPARE(d->deliveries.size(), std::size_t(2));
}

void TestCache::rereadKeepsEachLogsYear()
{
    // mail.log came without --year (its time says 2026); mail.log.1 comes with --year 2025, so
    // it is older and every log is read again: mail.log keeps 2026, and it is listed once.
    const auto [older, newer] = splitFlow("deferred-then-sent.log", 6);  // queued, then the rotation
    const std::string current = write(*m_dir, QStringLiteral("mail.log"), newer);
    QVERIFY(Ingestor::import(*m_cache, {current}).ok());
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"), older);
    ImportOptions options;
    options.year = 2025;
    const ImportSummary s = Ingestor::import(*m_cache, {current, rotated}, options);
    QVERIFY2(s.ok(), s.error.c_str());
    QCOMPARE(s.files.size(), std::size_t(2));
    const std::vector<MessageRow> rows = m_cache->messages({}, {}, 0, 10);
    QCOMPARE(rows.size(), std::size_t(1));
    QVERIFY(rows.front().firstSeenMs < 1767225600000LL);  // 2025
    QVERIFY(rows.front().lastSeenMs >= 1767225600000LL);  // 2026
}

void TestCache::cancelledRereadLeavesTheCacheAsItWas()
{
    const std::string cachePath = m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString();
    const std::string current = write(*m_dir, QStringLiteral("mail.log"),
                                      repeatedFlow("deferred-then-sent.log", 2000, {{"4F2A81C0123", 0x100000}}).replace("Nov 20", "Nov 21"));
    QVERIFY(Ingestor::import(*m_cache, {current}).ok());
    QVERIFY(m_cache->ensureDeferredIndexes());
    QCOMPARE(indexCount(cachePath), 3);
    // Older, and long enough for the cancel to be seen (every 16 k lines) while it is read.
    const std::string rotated = write(*m_dir, QStringLiteral("mail.log.1"),
                                      repeatedFlow("deferred-then-sent.log", 2000, {{"4F2A81C0123", 0x200000}}));
    ImportOptions options;
    options.isCancelled = [] { return true; };
    const ImportSummary s = Ingestor::import(*m_cache, {rotated}, options);
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(s.cancelled);
    QVERIFY(s.undone);
    QCOMPARE(countAll(*m_cache), 2000);
    QCOMPARE(indexCount(cachePath), 3);  // the order and lookup indexes too
    // And the next import, not cancelled, does it all.
    const ImportSummary again = Ingestor::import(*m_cache, {rotated});
    QVERIFY2(again.ok(), again.error.c_str());
    QCOMPARE(countAll(*m_cache), 4000);
}

void TestCache::textMatchesFollowNewRows_data()
{
    QTest::addColumn<bool>("otherConnection");
    QTest::newRow("imported through this cache") << false;
    QTest::newRow("imported by another process") << true;
}

void TestCache::textMatchesFollowNewRows()
{
    // A text filter's matches are gathered once and reused: a new import, here or in another
    // process, must show in the next count and page all the same.
    QFETCH(bool, otherConnection);
    const std::string first = write(*m_dir, QStringLiteral("a.log"), flow("deferred-then-sent.log"));
    QVERIFY(Ingestor::import(*m_cache, {first}).ok());
    Filter greylisted;
    greylisted.text = "Greylisted remote.example.net";
    QCOMPARE(m_cache->count(Grain::Messages, greylisted), 1);
    QCOMPARE(m_cache->messages(greylisted, {}, 0, 10).size(), std::size_t(1));
    const std::string second = write(*m_dir, QStringLiteral("b.log"),
                                     repeatedFlow("deferred-then-sent.log", 2, {{"4F2A81C0123", 0x500000}}).replace("Nov 20", "Nov 21"));
    if (otherConnection) {
        Cache other;
        QVERIFY(other.open(m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString()));
        QVERIFY(Ingestor::import(other, {second}).ok());
        QVERIFY(other.ensureTextIndex());
    } else {
        QVERIFY(Ingestor::import(*m_cache, {second}).ok());
        QVERIFY(m_cache->ensureTextIndex());
    }
    QCOMPARE(m_cache->count(Grain::Messages, greylisted), 3);
    QCOMPARE(m_cache->messages(greylisted, {}, 0, 10).size(), std::size_t(3));
    QCOMPARE(m_cache->count(Grain::Deliveries, greylisted), 3);
}

void TestCache::journalIsEmptiedAfterEachWrite()
{
    // The window's readers cannot checkpoint, and one of them is usually the last to close the
    // cache: a -wal file left at the size of the largest write stayed on disk for good (200 MB
    // beside a 120 MB cache after a text index was built).
    const QString path = m_dir->filePath(QStringLiteral("cache/c.sqlite"));
    const auto walBytes = [&path] { return QFileInfo(path + QStringLiteral("-wal")).size(); };
    const std::string log = write(*m_dir, QStringLiteral("a.log"), repeatedFlow("deferred-then-sent.log", 200, {{"4F2A81C0123", 0x500000}}));
    Cache reader;
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    QCOMPARE(walBytes(), 0);
    QVERIFY2(reader.open(path.toStdString(), Cache::Mode::ReadOnly), reader.error().c_str());
    Filter greylisted;
    greylisted.text = "Greylisted";
    // Builds the text index through a writer of its own, the reader staying open beside it.
    QCOMPARE(reader.count(Grain::Messages, greylisted), 200);
    QVERIFY(reader.ensureDeferredIndexes());
    QCOMPARE(walBytes(), 0);
    QCOMPARE(reader.count(Grain::Messages, greylisted), 200);
    QCOMPARE(m_cache->count(Grain::Messages, {}), 200);
}

void TestCache::queriesBuildTheFilterIndexesTheyRead()
{
    // An import ends when its rows are in (docs/store.md, session 23): no filter index is built by
    // it. A query builds the one its conditions read, when on-demand building is on (the CLI's
    // default), and keeps it for the next; with it off (the window's reading connections), it
    // answers the same from the tables.
    const std::string cachePath = m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString();
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), repeatedFlow("deferred-then-sent.log", 3, {{"4F2A81C0123", 0x100000}}));
    const ImportSummary s = Ingestor::import(*m_cache, {log});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY(hasPhase(s, "statistics kept"));
    const char *filterIndexes = "'messages_sender', 'deliveries_recipient_rev', 'deliveries_orig_rev', 'deliveries_code_class'";
    QCOMPARE(indexCount(cachePath, filterIndexes), 0);

    Filter bySender;
    bySender.sender = "alice@*";
    Filter byRecipient;
    byRecipient.recipient = "*@remote.example.net";
    Filter byCode;
    byCode.code = "2.0.0";
    m_cache->setBuildIndexesOnDemand(false);
    const std::int64_t senders = m_cache->count(Grain::Messages, bySender);
    const std::int64_t recipients = m_cache->count(Grain::Deliveries, byRecipient);
    const std::int64_t codes = m_cache->count(Grain::Messages, byCode);
    QCOMPARE(indexCount(cachePath, filterIndexes), 0);
    QVERIFY(senders > 0 && recipients > 0 && codes > 0);

    m_cache->setBuildIndexesOnDemand(true);
    QCOMPARE(m_cache->count(Grain::Messages, bySender), senders);
    QCOMPARE(indexCount(cachePath, filterIndexes), 1);
    QCOMPARE(indexCount(cachePath, "'messages_sender'"), 1);
    QCOMPARE(m_cache->count(Grain::Deliveries, byRecipient), recipients);
    QCOMPARE(indexCount(cachePath, filterIndexes), 3);
    QCOMPARE(m_cache->count(Grain::Messages, byCode), codes);
    QCOMPARE(indexCount(cachePath, filterIndexes), 4);
    QVERIFY(m_cache->canOrderBy(Grain::Messages, SortKey::Sender));

    // The window builds them with the deferred ones, after its import.
    Cache other;
    const std::string otherPath = m_dir->filePath(QStringLiteral("cache/d.sqlite")).toStdString();
    QVERIFY(other.open(otherPath));
    QVERIFY2(Ingestor::import(other, {log}).ok(), "import");
    QVERIFY(!other.deferredIndexesComplete());
    QVERIFY(!other.canOrderBy(Grain::Messages, SortKey::Sender));
    QVERIFY(other.ensureDeferredIndexes());
    QCOMPARE(indexCount(otherPath, filterIndexes), 4);
    QVERIFY(other.canOrderBy(Grain::Messages, SortKey::Sender));
}

// A scope sets the page cache, and gives the connection its own back after, given in KiB or in
// pages; "at least" leaves a larger one as it is.
namespace {
// A setting's value as `PRAGMA name` reads it on `db`; -1 when it reads nothing.
qint64 pragmaValue(sql::Database &db, const std::string &name)
{
    sql::Statement st(db, "PRAGMA " + name);
    return st.step() ? qint64(st.int64(0)) : qint64(-1);
}
} // namespace

void TestCache::pageCacheScope_data()
{
    QTest::addColumn<qint64>("before");  // PRAGMA cache_size: negative KiB, else pages (4 KiB here)
    QTest::addColumn<int>("kib");
    QTest::addColumn<bool>("atLeast");
    QTest::addColumn<qint64>("inside");
    QTest::newRow("KiB, raised") << qint64(-2000) << 65536 << true << qint64(-65536);
    QTest::newRow("KiB, a larger one kept") << qint64(-131072) << 65536 << true << qint64(-131072);
    QTest::newRow("pages, raised") << qint64(100) << 65536 << true << qint64(-65536);
    QTest::newRow("pages, a larger one kept") << qint64(5000) << 4096 << true << qint64(5000);
    QTest::newRow("lowered") << qint64(-65536) << 2048 << false << qint64(-2048);
    QTest::newRow("from none") << qint64(0) << 2048 << false << qint64(-2048);
}

void TestCache::pageCacheScope()
{
    QFETCH(qint64, before);
    QFETCH(int, kib);
    QFETCH(bool, atLeast);
    QFETCH(qint64, inside);
    sql::Database db;
    db.open(m_dir->filePath(QStringLiteral("plain.sqlite")).toStdString());
    db.exec("PRAGMA page_size = 4096; CREATE TABLE t(x)");
    const auto cacheSize = [&db] { return pragmaValue(db, "cache_size"); };
    db.exec(("PRAGMA cache_size = " + std::to_string(before)).c_str());
    {
        const sql::PageCacheScope scope(db, kib, atLeast);
        QCOMPARE(cacheSize(), inside);
    }
    QCOMPARE(cacheSize(), before);
    // Given back when what it was held for throws.
    try {
        const sql::PageCacheScope scope(db, kib, atLeast);
        db.exec("SELECT * FROM no_such_table");
    } catch (const sql::Error &) {
    }
    QCOMPARE(cacheSize(), before);
}

void TestCache::sortRunsScope_data()
{
    QTest::addColumn<QString>("held");  // what the connection holds when the scope begins
    QTest::addColumn<bool>("switched");
    QTest::newRow("nothing: runs in files") << QString() << true;
    QTest::newRow("a temporary table: kept, sorted in memory") << QStringLiteral("temp table") << false;
    QTest::newRow("a transaction: sorted in memory") << QStringLiteral("transaction") << false;
    QTest::newRow("a temporary table dropped before: runs in files") << QStringLiteral("dropped temp table") << true;
}

void TestCache::sortRunsScope()
{
    QFETCH(QString, held);
    QFETCH(bool, switched);
    sql::Database db;
    db.open(m_dir->filePath(QStringLiteral("plain.sqlite")).toStdString());
    db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (3), (1), (2); PRAGMA temp_store = MEMORY");
    const auto tempStore = [&db] { return pragmaValue(db, "temp_store"); };
    if (held == QLatin1String("temp table"))
        db.exec("CREATE TEMP TABLE matches(id INTEGER PRIMARY KEY); INSERT INTO matches VALUES (7)");
    else if (held == QLatin1String("transaction"))
        db.exec("BEGIN");
    else if (held == QLatin1String("dropped temp table"))
        db.exec("CREATE TEMP TABLE gone(id); DROP TABLE gone");
    // Prepared before the switch, which resets the connection's schemas: SQLite prepares it again.
    sql::Statement earlier(db, "SELECT count(*) FROM t");
    {
        const sql::SortRunsScope scope(db);
        QCOMPARE(scope.switched(), switched);
        QCOMPARE(tempStore(), switched ? 1 : 2);  // 1: FILE, 2: MEMORY
        sql::Statement sorted(db, "SELECT x FROM t ORDER BY x");
        std::vector<std::int64_t> xs;
        while (sorted.step())
            xs.push_back(sorted.int64(0));
        QCOMPARE(xs, (std::vector<std::int64_t>{1, 2, 3}));
    }
    QCOMPARE(tempStore(), 2);
    QVERIFY(earlier.step());
    QCOMPARE(earlier.int64(0), std::int64_t(3));
    if (held == QLatin1String("temp table")) {
        sql::Statement kept(db, "SELECT id FROM temp.matches");
        QVERIFY(kept.step());
        QCOMPARE(kept.int64(0), std::int64_t(7));
    } else if (held == QLatin1String("transaction")) {
        db.exec("COMMIT");
    }
}

QTEST_GUILESS_MAIN(TestCache)

#include "tst_cache.moc"
