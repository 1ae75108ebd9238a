// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The item models the window shows, checked by QAbstractItemModelTester and against the flows.
#include "ingest/ingestor.h"
#include "../cache/testlogs.h"
#include "deliverytablemodel.h"
#include "importjob.h"
#include "messagetablemodel.h"
#include "cellformat.h"
#include "cache/sqlite.h"
#include "timelinemodel.h"
#include "replycodes.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestTableModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sizesAreSI_data();
    void sizesAreSI();
    void messageModel();
    void messageModelFilterAndSort();
    void filterCountedInTheBackground();
    void backgroundCountFailureSaysWhy();
    void firstPageComesWithTheCount_data();
    void firstPageComesWithTheCount();
    void deliveryModel();
    void pagesAreFetchedLazily();
    void paintingReadsMissingRowsInTheBackground();
    void sortFallsBackWhenItsIndexGoes();
    void scrollingOnSeeksLikeCounting_data();
    void scrollingOnSeeksLikeCounting();
    void timelineModel();
    void everyCodeOfAMessageIsExplained();
    void aliasLanesAreNamedByWhereTheyWent();
    void retriesAreNotQueuedAnew();
    void importJobRefreshesWhileItRuns();
    void filterSetDuringARefreshCountsTheTotal();
    void mixedLogsShowTheirLogAndFormat_data();
    void mixedLogsShowTheirLogAndFormat();
    void readAsReachesTheImport_data();
    void readAsReachesTheImport();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Cache> m_cache;
    std::string cachePath() const { return m_dir.filePath(QStringLiteral("c.sqlite")).toStdString(); }
};

void TestTableModels::sizesAreSI_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("shown");
    // As size= in the log reads: 3300 bytes are 3.3 kB, not 3.2.
    QTest::newRow("bytes") << qint64(512) << u"512 bytes"_s;
    QTest::newRow("kB") << qint64(3300) << u"3.3 kB"_s;
    QTest::newRow("MB") << qint64(20342000) << u"20.3 MB"_s;
    QTest::newRow("unknown") << qint64(-1) << QString();
}

void TestTableModels::sizesAreSI()
{
    QFETCH(qint64, bytes);
    QLocale::setDefault(QLocale::c());
    QTEST(cellformat::size(bytes), "shown");
}

void TestTableModels::initTestCase()
{
    m_cache = std::make_shared<Cache>();
    QVERIFY(m_cache->open(cachePath()));
    std::vector<std::string> files;
    for (const char *name : {"deferred-then-sent.log", "bounce-with-notification.log", "noqueue-reject.log",
                             "queue-id-reuse.log", "expired.log", "still-deferred.log", "partial-reject-and-forward.log",
                             "rfc3339-multihost.log"})
        files.push_back(write(m_dir, QLatin1String(name), flow(name)));
    QVERIFY(Ingestor::import(*m_cache, files).ok());
}

void TestTableModels::messageModel()
{
    MessageTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 14);
    QCOMPARE(model.columnCount(), int(MessageTableModel::ColumnCount));
    QCOMPARE(model.totalCount(), 14);
    // Time order: the first is the expired invoice from Nov 15.
    const QModelIndex first = model.index(0, MessageTableModel::QueueIdColumn);
    QCOMPARE(first.data().toString(), QStringLiteral("5E6F7A8B9C"));
    QCOMPARE(model.index(0, MessageTableModel::StatusColumn).data().toString(), QStringLiteral("Expired"));
    QCOMPARE(model.index(0, MessageTableModel::TimeColumn).data().toString(), QStringLiteral("2026-11-15 09:00:00"));
    QCOMPARE(model.index(0, MessageTableModel::TimeColumn).data(CacheTableModel::ExportRole).toString(),
             QStringLiteral("2026-11-15T09:00:00+00:00"));
    QCOMPARE(model.index(0, MessageTableModel::StatusColumn).data(CacheTableModel::StatusRole).toInt(),
             int(MessageState::Expired));
    QVERIFY(model.index(0, 0).data(CacheTableModel::MessageDbIdRole).toLongLong() > 0);
}

void TestTableModels::filterCountedInTheBackground()
{
    MessageTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy counting(&model, &CacheTableModel::countingChanged);
    QSignalSpy counts(&model, &CacheTableModel::countsChanged);
    Filter bounced;
    bounced.statuses = {"bounced"};
    Filter rejected;
    rejected.statuses = {"rejected"};
    model.setFilterInBackground(bounced);
    // The rows of the filter before stay until the counts are in.
    QVERIFY(model.isCounting());
    QCOMPARE(model.rowCount(), 14);
    // A newer filter supersedes the one being counted: only its answer shows.
    model.setFilterInBackground(rejected);
    QCOMPARE(counting.size(), 1);
    QTRY_VERIFY(!model.isCounting());
    QCOMPARE(counting.size(), 2);
    QCOMPARE(counts.size(), 1);
    QCOMPARE(model.rowCount(), 2);  // the NOQUEUE and the milter reject
    QCOMPARE(model.filter().statuses, rejected.statuses);
    QCOMPARE(model.totalCount(), 14);
    // A filter set at once wins over one still being counted.
    model.setFilterInBackground(bounced);
    model.setFilter({});
    QVERIFY(!model.isCounting());
    QTest::qWait(200);
    QCOMPARE(model.rowCount(), 14);
}

void TestTableModels::firstPageComesWithTheCount_data()
{
    QTest::addColumn<int>("grain");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("rows");
    QTest::newRow("messages, bounced") << int(Grain::Messages) << u"bounced"_s << 2;
    QTest::newRow("messages, rejected") << int(Grain::Messages) << u"rejected"_s << 2;
    QTest::newRow("deliveries, sent") << int(Grain::Deliveries) << u"sent"_s << 8;
}

void TestTableModels::firstPageComesWithTheCount()
{
    // The rows the view repaints first after a filter are read with its count, off the GUI
    // thread: the model holds them before the view asks, and reads nothing more to show them.
    QFETCH(int, grain);
    QFETCH(QString, status);
    QFETCH(int, rows);
    std::unique_ptr<CacheTableModel> model;
    if (grain == int(Grain::Messages))
        model = std::make_unique<MessageTableModel>(m_cache);
    else
        model = std::make_unique<DeliveryTableModel>(m_cache);
    Filter filter;
    filter.statuses = {status.toStdString()};
    model->setFilterInBackground(filter);
    QTRY_VERIFY(!model->isCounting());
    QCOMPARE(model->rowCount(), rows);
    const auto held = [&] {
        if (auto *m = dynamic_cast<MessageTableModel *>(model.get()))
            return m->pagesHeld();
        return static_cast<DeliveryTableModel *>(model.get())->pagesHeld();
    };
    QCOMPARE(held(), std::size_t(1));
    const int statusRole = CacheTableModel::StatusRole;
    const int wanted = grain == int(Grain::Messages)
        ? int(status == u"bounced"_s ? MessageState::Bounced : MessageState::Rejected)
        : int(DeliveryStatus::Sent);
    for (int row = 0; row < rows; ++row)
        QCOMPARE(model->index(row, 0).data(statusRole).toInt(), wanted);
    QAbstractItemModelTester tester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(held(), std::size_t(1));
}

void TestTableModels::backgroundCountFailureSaysWhy()
{
    // A cache that lost a table: the filter's count fails in words, the rows before stay.
    QTemporaryDir dir;
    const std::string path = dir.filePath(u"b.sqlite"_s).toStdString();
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(path));
    QVERIFY(Ingestor::import(*cache, {write(dir, u"a.log"_s, flow("deferred-then-sent.log"))}).ok());
    DeliveryTableModel model(cache);
    QCOMPARE(model.rowCount(), 1);
    {
        sql::Database db;
        db.open(path);
        db.exec("DROP TABLE deliveries");
    }
    QSignalSpy failed(&model, &CacheTableModel::countFailed);
    Filter bob;
    bob.recipient = "bob";
    model.setFilterInBackground(bob);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(u"deliveries"_s), qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(!model.isCounting());
    QVERIFY(model.filter().recipient.empty());
}

void TestTableModels::messageModelFilterAndSort()
{
    MessageTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy counts(&model, &CacheTableModel::countsChanged);
    Filter bounced;
    bounced.statuses = {"bounced"};
    model.setFilter(bounced);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(counts.last().at(0).toLongLong(), 2);
    QCOMPARE(counts.last().at(1).toLongLong(), 14);
    const QModelIndex recipients = model.index(0, MessageTableModel::RecipientsColumn);
    QCOMPARE(recipients.data().toString(), QStringLiteral("carol@example.org (+1)"));
    QCOMPARE(model.index(0, MessageTableModel::CodeColumn).data().toString(), QStringLiteral("550"));
    QVERIFY(model.index(0, MessageTableModel::CodeColumn).data(Qt::ToolTipRole).toString().contains(
        QStringLiteral("Mailbox unavailable")));

    model.setFilter({});
    // No index orders recipients: the rows stay in time order rather than being sorted in memory.
    QVERIFY(!model.canSortBy(MessageTableModel::RecipientsColumn));
    model.sort(MessageTableModel::RecipientsColumn, Qt::AscendingOrder);
    QCOMPARE(model.index(0, MessageTableModel::QueueIdColumn).data().toString(), QStringLiteral("5E6F7A8B9C"));
    QCOMPARE(model.sortColumn(), int(MessageTableModel::TimeColumn));
    // The import builds the time order's index only; ordering by size or sender waits for theirs.
    QVERIFY(!model.canSortBy(MessageTableModel::SizeColumn));
    QVERIFY(!model.canSortBy(MessageTableModel::SenderColumn));
    model.sort(MessageTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(model.sortColumn(), int(MessageTableModel::TimeColumn));
    QVERIFY(m_cache->ensureDeferredIndexes());
    QVERIFY(model.canSortBy(MessageTableModel::SizeColumn));
    QVERIFY(model.canSortBy(MessageTableModel::SenderColumn));
    model.sort(MessageTableModel::AttemptsColumn, Qt::DescendingOrder);
    QCOMPARE(model.index(0, MessageTableModel::AttemptsColumn).data().toInt(), 2);
    model.sort(MessageTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(model.index(0, MessageTableModel::QueueIdColumn).data().toString(), QStringLiteral("0C9D8E7F6A"));
    QCOMPARE(model.index(0, MessageTableModel::SenderColumn).data().toString(), QStringLiteral("<>"));
    QCOMPARE(model.index(0, MessageTableModel::SizeColumn).data(CacheTableModel::ExportRole).toString(),
             QStringLiteral("20342"));
}

void TestTableModels::deliveryModel()
{
    DeliveryTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 15);
    Filter fwd;
    fwd.recipient = "sales.team@*";
    model.setFilter(fwd);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, DeliveryTableModel::RecipientColumn).data().toString(),
             QStringLiteral("sales.team@crm.example.net (was sales@example.com)"));
    QCOMPARE(model.index(0, DeliveryTableModel::CodeColumn).data().toString(), QStringLiteral("250 2.0.0"));
    QCOMPARE(model.index(0, DeliveryTableModel::RelayColumn).data().toString(),
             QStringLiteral("in.crm.example.net[198.51.100.90]:25"));
}

void TestTableModels::paintingReadsMissingRowsInTheBackground()
{
    // While the view paints, a row whose page is not in memory is read on the model's thread:
    // the cell is empty until dataChanged() brings it, and the GUI thread never waits for SQL.
    QTemporaryDir dir;
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(dir.filePath(QStringLiteral("p.sqlite")).toStdString()));
    const QByteArray data = repeatedFlow("still-deferred.log", 1000, {{"8C9D0E1F2A", 0x3000000000LL}});
    QVERIFY(Ingestor::import(*cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    MessageTableModel expected(cache);
    const QString row900 = expected.index(900, MessageTableModel::QueueIdColumn).data().toString();
    QVERIFY(!row900.isEmpty());

    MessageTableModel model(cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1000);
    const std::size_t before = model.pagesHeld();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDeferMissingRows(true);
    QVERIFY(!model.index(900, MessageTableModel::QueueIdColumn).data().isValid());
    QVERIFY(model.isFetchingRows());
    QCOMPARE(model.pagesHeld(), before);
    QVERIFY(changed.wait(10000));
    QVERIFY(!model.isFetchingRows());
    // The page of rows 768-1023 (the last 232 of them): announced, and held.
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 768);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 999);
    QCOMPARE(model.pagesHeld(), before + 1);
    QCOMPARE(model.index(900, MessageTableModel::QueueIdColumn).data().toString(), row900);
    model.setDeferMissingRows(false);

    // A page on its way when the filter changes is for rows that are gone: dropped.
    model.setDeferMissingRows(true);
    QVERIFY(!model.index(500, MessageTableModel::QueueIdColumn).data().isValid());
    model.setDeferMissingRows(false);
    Filter deferred;
    deferred.statuses = {"deferred"};
    model.setFilter(deferred);
    QVERIFY(!model.isFetchingRows());
    changed.clear();
    QTest::qWait(300);
    QCOMPARE(changed.size(), 0);
}

void TestTableModels::sortFallsBackWhenItsIndexGoes()
{
    // A large import drops the indexes while it runs; a table sorted by one of them goes back to
    // time order rather than sort every row for each page, and says so.
    QTemporaryDir dir;
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(dir.filePath(QStringLiteral("s.sqlite")).toStdString()));
    QVERIFY(Ingestor::import(*cache, {write(dir, QStringLiteral("a.log"),
                                 repeatedFlow("deferred-then-sent.log", 40, {{"4F2A81C0123", 0x10000000}}))}).ok());
    QVERIFY(cache->ensureDeferredIndexes());
    MessageTableModel model(cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(MessageTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(model.currentSort().key, SortKey::Size);
    QSignalSpy reset(&model, &CacheTableModel::sortReset);
    QVERIFY(Ingestor::import(*cache, {write(dir, QStringLiteral("b.log"),
                                 repeatedFlow("deferred-then-sent.log", 40, {{"4F2A81C0123", 0x20000000}}))}).ok());
    model.refresh();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.currentSort().key, SortKey::Time);
    QVERIFY(!model.canSortBy(MessageTableModel::SizeColumn));
    QCOMPARE(model.rowCount(), 80);
    QVERIFY(cache->ensureDeferredIndexes());
    model.sort(MessageTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(model.currentSort().key, SortKey::Size);
}

void TestTableModels::pagesAreFetchedLazily()
{
    // 1,000 messages: the model must not read them all to show the first screen.
    QTemporaryDir dir;
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(dir.filePath(QStringLiteral("p.sqlite")).toStdString()));
    const QByteArray data = repeatedFlow("still-deferred.log", 1000, {{"8C9D0E1F2A", 0x3000000000LL}});
    QVERIFY(Ingestor::import(*cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    QVERIFY(cache->ensureDeferredIndexes());
    MessageTableModel model(cache);
    model.sort(MessageTableModel::QueueIdColumn, Qt::AscendingOrder);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.pagesHeld(), std::size_t(0));
    QCOMPARE(model.index(999, MessageTableModel::QueueIdColumn).data().toString(), QStringLiteral("30000003E7"));
    QCOMPARE(model.index(0, MessageTableModel::QueueIdColumn).data().toString(), QStringLiteral("3000000000"));
    QCOMPARE(model.pagesHeld(), std::size_t(2));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestTableModels::scrollingOnSeeksLikeCounting_data()
{
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<bool>("descending");
    QTest::newRow("messages") << false << false;
    QTest::newRow("messages, newest first") << false << true;
    QTest::newRow("deliveries") << true << false;
    QTest::newRow("deliveries, newest first") << true << true;
}

void TestTableModels::scrollingOnSeeksLikeCounting()
{
    // Pages after a page in memory are found by seeking past its last row; they must be the rows
    // OFFSET would give, with ties in time (these 1,500 messages share a few seconds).
    QFETCH(bool, deliveries);
    QFETCH(bool, descending);
    QTemporaryDir dir;
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(dir.filePath(QStringLiteral("s.sqlite")).toStdString()));
    const QByteArray data = repeatedFlow("bounce-with-notification.log", 750,
                                         {{"7A1B2C3D4E", 0x4000000000LL}, {"0C9D8E7F6A", 0x5000000000LL}});
    QVERIFY(Ingestor::import(*cache, {write(dir, QStringLiteral("m.log"), data)}).ok());
    const Sort sort{SortKey::Time, descending};
    std::unique_ptr<CacheTableModel> model;
    if (deliveries)
        model = std::make_unique<DeliveryTableModel>(cache);
    else
        model = std::make_unique<MessageTableModel>(cache);
    model->sort(0, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    const int rows = model->rowCount();
    QCOMPARE(rows, deliveries ? 2250 : 1500);
    for (int row = 0; row < rows; ++row) {
        const qint64 seen = model->index(row, 0).data(CacheTableModel::MessageDbIdRole).toLongLong();
        const qint64 counted = deliveries ? cache->deliveries({}, sort, row, 1).at(0).messageDbId
                                          : cache->messages({}, sort, row, 1).at(0).id;
        if (seen != counted)
            QFAIL(qPrintable(QStringLiteral("row %1: %2 by seeking, %3 by counting").arg(row).arg(seen).arg(counted)));
    }
    // Jumps far down in a fresh model seek from the page keys read in one pass.
    std::unique_ptr<CacheTableModel> jumper;
    if (deliveries)
        jumper = std::make_unique<DeliveryTableModel>(cache);
    else
        jumper = std::make_unique<MessageTableModel>(cache);
    jumper->sort(0, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    for (int row : {rows - 1, 1300, 1024, 1023, 1535, 2000, 777}) {
        if (row >= rows)
            continue;
        const qint64 seen = jumper->index(row, 0).data(CacheTableModel::MessageDbIdRole).toLongLong();
        const qint64 counted = deliveries ? cache->deliveries({}, sort, row, 1).at(0).messageDbId
                                          : cache->messages({}, sort, row, 1).at(0).id;
        QCOMPARE(seen, counted);
    }
}

void TestTableModels::everyCodeOfAMessageIsExplained()
{
    // One recipient rejected (550 5.1.1), one forwarded (2.0.0): the header explains both, the
    // one that decided the message's state first.
    const auto ids = m_cache->findMessages("9D0E1F2A3B", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = m_cache->detail(ids.front());
    QVERIFY(detail);
    TimelineModel model;
    model.setMessage(*detail, timelineEvents(*detail));
    const QString explanation = model.outcomeExplanation();
    const QString rejected = explainCodes(550, u"5.1.1"_s, Outcome::Refused);
    QVERIFY(!rejected.isEmpty());
    QVERIFY2(explanation.startsWith(rejected), qPrintable(explanation));
    int distinct = 0;
    for (const DeliveryRow &d : detail->deliveries) {
        const QString text = explainCodes(d.replyCode, QString::fromStdString(d.dsn),
                                          d.status == DeliveryStatus::Rejected ? Outcome::Refused : Outcome::Pending);
        QVERIFY2(explanation.contains(text), qPrintable(text));
        distinct += !text.isEmpty() && text != rejected;
    }
    QVERIFY(distinct > 0);
}

void TestTableModels::aliasLanesAreNamedByWhereTheyWent()
{
    // Exim 4.98.2 (tests/data/exim/produce.sh): info@lab.test is an alias of alice and bob, and the
    // message went to bob@lab.test and info@lab.test. Exim logs "=> alice <info@lab.test>" and
    // "=> bob <info@lab.test>": two deliveries the cache keeps as info@lab.test.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log")));
    const auto ids = cache.findMessages("1xZDjI-000000005nk-0wGM", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = cache.detail(ids.front());
    QVERIFY(detail);
    TimelineModel model;
    model.setMessage(*detail, timelineEvents(*detail));
    QStringList lanes;
    for (int lane = 0; lane < model.laneCount(); ++lane)
        lanes << model.laneName(lane);
    QCOMPARE(lanes, (QStringList{u"bob@lab.test"_s, u"alice via info@lab.test"_s, u"bob via info@lab.test"_s}));

    // Postfix names the final address and the one it was sent to (orig_to=); a bare local part
    // that only gained its domain is the same mailbox.
    QTemporaryDir postfixDir;
    Cache postfix;
    QVERIFY(importOne(postfix, postfixDir, QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/partial-reject-and-forward.log")));
    QStringList postfixLanes;
    for (const std::int64_t id : postfix.findMessages("1E2F3A4B5C", {})) {
        const auto forwarded = postfix.detail(id);
        QVERIFY(forwarded);
        model.setMessage(*forwarded, timelineEvents(*forwarded));
        for (int lane = 0; lane < model.laneCount(); ++lane)
            postfixLanes << model.laneName(lane);
    }
    QVERIFY2(postfixLanes.contains(u"sales.team@crm.example.net via sales@example.com"_s), qPrintable(postfixLanes.join(u", "_s)));
}

void TestTableModels::retriesAreNotQueuedAnew()
{
    // Postfix 3.10.13 (tests/data/postfix/produce.sh): late@slow.test refuses, and qmgr logs
    // 75963E643B1's "from=<alice@lab.test>, size=540, nrcpt=3 (queue active)" again at each of the
    // four retries. The first line queues the message; the others bring it back to the active queue.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log")));
    const auto ids = cache.findMessages("75963E643B1", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = cache.detail(ids.front());
    QVERIFY(detail);
    const QList<TimelineEvent> events = timelineEvents(*detail);
    QStringList queueLines;
    QList<int> retries;
    for (const TimelineEvent &e : events) {
        if (e.kind == EventKind::Queued) {
            queueLines << timelineKindName(e) + u": "_s + e.description;
            retries << e.retry;
        }
    }
    QCOMPARE(retries, (QList<int>{0, 1, 2, 3, 4}));
    QCOMPARE(queueLines.first(), u"queued: queued from <alice@lab.test>, 540 bytes, 3 recipients"_s);
    QCOMPARE(queueLines.at(2), u"retry: back in the active queue (retry 2): from <alice@lab.test>, 540 bytes, 3 recipients"_s);

    // The pane's table and ticks say so too.
    TimelineModel model;
    model.setMessage(*detail, events);
    QStringList shown;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row, TimelineModel::EventColumn);
        if (i.data(TimelineModel::KindRole).toInt() == int(EventKind::Queued))
            shown << i.data().toString() + QString::number(i.data(TimelineModel::RetryRole).toInt());
    }
    QCOMPARE(shown, (QStringList{u"queued0"_s, u"retry1"_s, u"retry2"_s, u"retry3"_s, u"retry4"_s}));
}

void TestTableModels::timelineModel()
{
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto ids = m_cache->findMessages("4F2A81C0123", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = m_cache->detail(ids.front());
    QVERIFY(detail);
    model.setMessage(*detail, timelineEvents(*detail));
    // connect, client, message-id, queued, removed + three attempts (one suspended)
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.laneCount(), 1);
    QCOMPARE(model.laneName(0), QStringLiteral("bob@remote.example.net"));
    int attempts = 0, counted = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row, 0);
        if (i.data(TimelineModel::LaneRole).toInt() == 0) {
            ++attempts;
            counted += i.data(TimelineModel::CountedRole).toBool();
            QVERIFY(!i.data(TimelineModel::RawLineRole).toString().isEmpty());
        }
        if (row > 0)
            QVERIFY(i.data(TimelineModel::TimeMsRole).toLongLong() >=
                    model.index(row - 1, 0).data(TimelineModel::TimeMsRole).toLongLong());
    }
    QCOMPARE(attempts, 3);
    QCOMPARE(counted, 2);
    QCOMPARE(model.index(4, TimelineModel::CodeColumn).data().toString(), QStringLiteral("450 4.2.0"));
    // The events' times read as the table's: no zone appended ("+00:00"), no milliseconds.
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row, TimelineModel::TimeColumn);
        QCOMPARE(i.data().toString(), cellformat::time(i.data(TimelineModel::TimeMsRole).toLongLong(),
                                                       i.data(TimelineModel::UtcOffsetRole).toInt()));
        QCOMPARE(i.data().toString().size(), 19);
    }
    // delay= and delays= come from the raw line: the cache keeps neither for a recipient's tries.
    QCOMPARE(model.index(4, TimelineModel::DelayColumn).data().toString(), QStringLiteral("2.1 s"));
    QCOMPARE(model.index(4, TimelineModel::DelayColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("2.1 s: 0.1 s before the queue manager, 0 s in it, 0.9 s connecting, 1.1 s transmitting"));
    QCOMPARE(model.index(6, TimelineModel::DelayColumn).data().toString(), QStringLiteral("10 min 3 s"));
    QCOMPARE(model.index(0, TimelineModel::DelayColumn).data().toString(), QString());
    QCOMPARE(model.rawLines().size(), 8);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestTableModels::importJobRefreshesWhileItRuns()
{
    QTemporaryDir dir;
    const QString cachePath = dir.filePath(QStringLiteral("j.sqlite"));
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(cachePath.toStdString()));
    MessageTableModel model(cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    ImportJob job(cachePath);
    QSignalSpy finished(&job, &ImportJob::finished);
    ImportSummary summary;
    connect(&job, &ImportJob::finished, this, [&summary](const ImportSummary &s) { summary = s; });
    connect(&job, &ImportJob::rowsCommitted, &model, &CacheTableModel::refresh);
    connect(&job, &ImportJob::finished, &model, &CacheTableModel::refresh);
    const std::string log = write(dir, QStringLiteral("mail.log"), flow("bounce-with-notification.log"));
    QVERIFY(job.start({QString::fromStdString(log)}));
    QVERIFY(!job.start({QString::fromStdString(log)}));  // one at a time
    QVERIFY(finished.wait(20000));
    QVERIFY2(summary.ok(), summary.error.c_str());
    QCOMPARE(summary.files.size(), std::size_t(1));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(!job.isRunning());
}

// New rows came in, and a filter is set before the refresh they asked for answers: the filter's
// count supersedes the refresh, and "N of M" must still count M anew.
void TestTableModels::filterSetDuringARefreshCountsTheTotal()
{
    QTemporaryDir dir;
    const auto [first, second] = splitFlow("deferred-then-sent.log", 3);
    const std::string log = write(dir, u"mail.log"_s, first);
    const QString path = importedCache(dir, {log});
    QVERIFY(!path.isEmpty());
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(path.toStdString()));
    MessageTableModel model(cache);
    Filter some;
    some.sender = "@";
    model.setFilterInBackground(some);
    QVERIFY(QTest::qWaitFor([&] { return !model.isCounting(); }, 10000));
    const qint64 before = model.totalCount();
    // Another message, then the refresh an import asks for and at once another filter.
    write(dir, u"mail.log"_s, second, true);
    Cache importer;
    QVERIFY(importer.open(path.toStdString()));
    QVERIFY(Ingestor::import(importer, {log}).ok());
    write(dir, u"mail.log"_s, QByteArray(flow("noqueue-reject.log")), true);
    QVERIFY(Ingestor::import(importer, {log}).ok());
    const qint64 after = importer.count(Grain::Messages, Filter{});
    QVERIFY(after > before);
    model.refreshInBackground();
    Filter other;
    other.sender = "example";
    model.setFilterInBackground(other);
    QVERIFY(QTest::qWaitFor([&] { return !model.isCounting(); }, 10000));
    QTest::qWait(200);  // the superseded refresh's answer, if any, is dropped
    QCOMPARE(model.totalCount(), after);
}

namespace {
QByteArray corpus(const char *relative)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/") + QLatin1String(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", relative);
    return f.readAll();
}
} // namespace

void TestTableModels::mixedLogsShowTheirLogAndFormat_data()
{
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("log");  // every row's Log and Format, when the filter picks one log
    QTest::addColumn<QString>("shownFormat");
    // A folder of two servers' Postfix log and an Exim main log, as one dataset.
    QTest::newRow("messages, all") << false << QString() << QString() << 55 << QString() << QString();
    QTest::newRow("messages, exim") << false << QString() << u"exim"_s << 53 << u"exim_mainlog"_s << u"exim"_s;
    QTest::newRow("messages, postfix") << false << QString() << u"postfix"_s << 2 << u"mail.log"_s << u"postfix"_s;
    QTest::newRow("messages, one host") << false << u"edge1"_s << QString() << 1 << u"mail.log"_s << u"postfix"_s;
    QTest::newRow("messages, host and format disagree") << false << u"edge1"_s << u"exim"_s << 0 << QString() << QString();
    QTest::newRow("deliveries, exim") << true << QString() << u"exim"_s << 150 << u"exim_mainlog"_s << u"exim"_s;
    QTest::newRow("deliveries, postfix") << true << QString() << u"postfix"_s << 2 << u"mail.log"_s << u"postfix"_s;
}

void TestTableModels::mixedLogsShowTheirLogAndFormat()
{
    QFETCH(bool, deliveries);
    QFETCH(QString, host);
    QFETCH(QString, format);
    QFETCH(int, rows);
    QFETCH(QString, log);
    QFETCH(QString, shownFormat);
    QTemporaryDir dir;
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(dir.filePath(u"mix.sqlite"_s).toStdString()));
    const std::string postfix = write(dir, u"mail.log"_s, flow("rfc3339-multihost.log"));
    const std::string exim = write(dir, u"exim_mainlog"_s, corpus("exim/corpus/exim-testsuite.log"));
    QVERIFY(Ingestor::import(*cache, {postfix, exim}).ok());

    std::unique_ptr<CacheTableModel> model;
    if (deliveries)
        model = std::make_unique<DeliveryTableModel>(cache);
    else
        model = std::make_unique<MessageTableModel>(cache);
    QAbstractItemModelTester tester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int formatColumn = deliveries ? int(DeliveryTableModel::FormatColumn) : int(MessageTableModel::FormatColumn);
    const int logColumn = deliveries ? int(DeliveryTableModel::LogColumn) : int(MessageTableModel::LogColumn);
    QCOMPARE(model->headerData(formatColumn, Qt::Horizontal).toString(), u"Format"_s);
    QCOMPARE(model->headerData(logColumn, Qt::Horizontal).toString(), u"Log"_s);
    Filter filter;
    filter.host = host.toStdString();
    filter.format = format.toStdString();
    model->setFilter(filter);
    QCOMPARE(model->rowCount(), rows);
    QSet<QString> logs;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString shownLog = model->index(r, logColumn).data().toString();
        logs.insert(shownLog);
        // The tooltip names the folder too: two servers' mail.log differ only there.
        QCOMPARE(model->index(r, logColumn).data(Qt::ToolTipRole).toString(), dir.filePath(shownLog));
        QCOMPARE(model->index(r, logColumn).data(CacheTableModel::ExportRole).toString(), shownLog);
        const QString expectedFormat = shownLog == u"exim_mainlog"_s ? u"exim"_s : u"postfix"_s;
        QCOMPARE(model->index(r, formatColumn).data().toString(), expectedFormat);
        if (!log.isEmpty()) {
            QCOMPARE(shownLog, log);
            QCOMPARE(model->index(r, formatColumn).data().toString(), shownFormat);
        }
    }
    if (log.isEmpty() && rows > 0)
        QCOMPARE(logs, (QSet<QString>{u"mail.log"_s, u"exim_mainlog"_s}));
}

void TestTableModels::readAsReachesTheImport_data()
{
    QTest::addColumn<QString>("readAs");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("fileFormat");
    // The first six lines of an Exim main log: two messages. Read as Postfix, every line is one
    // Postfix does not write: the choice beats detection, rows and all.
    QTest::newRow("automatic") << QString() << true << 2 << u"exim"_s;
    QTest::newRow("exim") << u"exim"_s << true << 2 << u"exim"_s;
    QTest::newRow("postfix") << u"postfix"_s << true << 0 << u"postfix"_s;
    QTest::newRow("no such format") << u"qmail"_s << false << 0 << QString();
}

void TestTableModels::readAsReachesTheImport()
{
    QFETCH(QString, readAs);
    QFETCH(bool, ok);
    QFETCH(int, rows);
    QFETCH(QString, fileFormat);
    QTemporaryDir dir;
    const QString cachePath = dir.filePath(u"r.sqlite"_s);
    auto cache = std::make_shared<Cache>();
    QVERIFY(cache->open(cachePath.toStdString()));
    const QByteArray head = corpus("exim/corpus/exim-testsuite.log").split('\n').mid(0, 6).join('\n') + '\n';
    const std::string log = write(dir, u"short.log"_s, head);
    ImportJob job(cachePath);
    QSignalSpy finished(&job, &ImportJob::finished);
    ImportSummary summary;
    connect(&job, &ImportJob::finished, this, [&summary](const ImportSummary &s) { summary = s; });
    QVERIFY(job.start({QString::fromStdString(log)}, 0, readAs));
    QVERIFY(finished.wait(20000));
    QCOMPARE(summary.files.size(), std::size_t(1));
    QVERIFY2(summary.files.front().error.empty() == ok, summary.files.front().error.c_str());
    MessageTableModel model(cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), rows);
    for (int r = 0; r < rows; ++r)
        QCOMPARE(model.index(r, MessageTableModel::FormatColumn).data().toString(), fileFormat);
    const std::vector<FileRow> files = cache->files();
    QCOMPARE(files.size(), std::size_t(ok ? 1 : 0));
    if (ok)
        QCOMPARE(QString::fromStdString(files.front().format), fileFormat);
}

QTEST_GUILESS_MAIN(TestTableModels)
#include "tst_tablemodels.moc"
