// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's models over chains of hops (a content filter, a relay between hosts of the log
// set): a chain is a row, its timeline every hop in order. Checked by QAbstractItemModelTester.
#include "../cache/testlogs.h"
#include "cellformat.h"
#include "deliverytablemodel.h"
#include "messagetablemodel.h"
#include "replycodes.h"
#include "timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QTemporaryDir>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestChainModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tlsCell_data();
    void tlsCell();
    void messageTableShowsAChainOnce();
    void deliveryTableShowsTheFinalDeliveries();
    void timelineShowsEveryHopInOrder();
    void explanationSaysEachLineOnce();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Cache> m_cache;
    int rowOf(const QAbstractItemModel &model, int column, const QString &value) const;
};

void TestChainModels::initTestCase()
{
    m_cache = std::make_shared<Cache>();
    QVERIFY(m_cache->open(m_dir.filePath(u"c.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(*m_cache, {write(m_dir, u"filter.log"_s, flow("amavis-and-milters.log")),
                                        write(m_dir, u"relay.log"_s, flow("relay-between-hosts.log"))})
                .ok());
}

int TestChainModels::rowOf(const QAbstractItemModel &model, int column, const QString &value) const
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, column).data().toString() == value)
            return row;
    }
    return -1;
}

void TestChainModels::tlsCell_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("shown");
    QTest::newRow("both") << u"Trusted TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"_s
                          << u"Untrusted TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)"_s
                          << u"in TLSv1.3 · out TLSv1.2"_s;
    QTest::newRow("out only") << QString() << u"Verified TLSv1.3 with cipher X"_s << u"out TLSv1.3"_s;
    QTest::newRow("none") << QString() << QString() << u"none"_s;
}

void TestChainModels::tlsCell()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QTEST(cellformat::tls(in.toStdString(), out.toStdString()), "shown");
}

void TestChainModels::messageTableShowsAChainOnce()
{
    MessageTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Filter chains;
    chains.chains = true;
    model.setFilter(chains);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.totalCount(), 3);
    const int row = rowOf(model, MessageTableModel::QueueIdColumn, u"6A1B2C3D4E"_s);
    QVERIFY(row >= 0);
    QCOMPARE(rowOf(model, MessageTableModel::QueueIdColumn, u"7B2C3D4E5F"_s), -1);
    QCOMPARE(model.index(row, MessageTableModel::HopsColumn).data().toInt(), 2);
    // The sender and client of the first hop, the fate of the last.
    QCOMPARE(model.index(row, MessageTableModel::StatusColumn).data().toString(), u"Bounced"_s);
    QCOMPARE(model.index(row, MessageTableModel::StatusColumn).data(CacheTableModel::StatusRole).toInt(),
             int(MessageState::Bounced));
    QCOMPARE(model.index(row, MessageTableModel::SenderColumn).data().toString(), u"carol@example.com"_s);
    QCOMPARE(model.index(row, MessageTableModel::TlsColumn).data().toString(), u"in TLSv1.3 · out TLSv1.3"_s);
    QVERIFY(model.index(row, MessageTableModel::TlsColumn).data(Qt::ToolTipRole).toString().contains(u"Trusted TLSv1.3"_s));
    QCOMPARE(model.headerData(MessageTableModel::HopsColumn, Qt::Horizontal).toString(), u"Hops"_s);

    // The toggle: every hop a row, each with its own state.
    Filter hops;
    model.setFilter(hops);
    QCOMPARE(model.rowCount(), 5);
    const int first = rowOf(model, MessageTableModel::QueueIdColumn, u"6A1B2C3D4E"_s);
    QVERIFY(first >= 0);
    QCOMPARE(model.index(first, MessageTableModel::StatusColumn).data().toString(), u"Sent"_s);
    QVERIFY(rowOf(model, MessageTableModel::QueueIdColumn, u"7B2C3D4E5F"_s) >= 0);

    // A recipient filter finds the chain once.
    Filter dave = chains;
    dave.recipient = "dave@example.net";
    model.setFilter(dave);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.totalCount(), 3);
}

void TestChainModels::deliveryTableShowsTheFinalDeliveries()
{
    DeliveryTableModel model(m_cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 8);
    Filter chains;
    chains.chains = true;
    model.setFilter(chains);
    QCOMPARE(model.rowCount(), 5);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(!model.index(row, DeliveryTableModel::RelayColumn).data().toString().contains(u":10024"_s));
}

void TestChainModels::timelineShowsEveryHopInOrder()
{
    const std::vector<std::int64_t> ids = m_cache->findMessages("6A1B2C3D4E", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const std::optional<MessageDetail> detail = m_cache->detail(ids.front());
    QVERIFY(detail);
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMessage(*detail, timelineEvents(*detail));
    // dave and erin on each hop, named after the hop's queue id.
    QCOMPARE(model.laneCount(), 4);
    QCOMPARE(model.laneName(0), u"dave@example.net · 6A1B2C3D4E"_s);
    QCOMPARE(model.laneName(3), u"erin@example.org · 7B2C3D4E5F"_s);
    // The first hop's events, then where the second begins, then the second's.
    int hopRow = -1;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, TimelineModel::EventColumn).data().toString() == u"hop"_s) {
            QCOMPARE(hopRow, -1);
            hopRow = row;
        }
    }
    QVERIFY(hopRow > 0);
    QCOMPARE(model.index(hopRow, TimelineModel::TextColumn).data().toString(), u"hop 2 of 2: 7B2C3D4E5F on mx1"_s);
    for (int row = 0; row < model.rowCount(); ++row) {
        const int lane = model.index(row, 0).data(TimelineModel::LaneRole).toInt();
        if (lane >= 0)
            QVERIFY2((lane < 2) == (row < hopRow), qPrintable(QString::number(row)));
    }
    // Its header's explanation is about the final deliveries: erin's 5.1.1, not the filter's 250.
    QVERIFY2(model.outcomeExplanation().startsWith(explainCodes(550, u"5.1.1"_s)), qPrintable(model.outcomeExplanation()));
    // The raw lines of both hops, without the hop's title.
    QCOMPARE(model.rawLines().size(), static_cast<qsizetype>(detail->lines.size() + detail->laterHops.front().lines.size()));
}

// A real Postfix's chain: its final deliveries are a local one (2.0.0, no reply), a remote one (2.0.0,
// 250) and one deferred (4.4.1): 2.0.0 is explained once, after the deferral that decided the state.
void TestChainModels::explanationSaysEachLineOnce()
{
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(cache, {MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"}).ok());
    const std::vector<std::int64_t> ids = cache.findMessages("3656CE643A6", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const std::optional<MessageDetail> detail = cache.detail(ids.front());
    QVERIFY(detail);
    TimelineModel model;
    model.setMessage(*detail, timelineEvents(*detail));
    const QStringList lines = model.outcomeExplanation().split(u'\n');
    QVERIFY2(lines.first().startsWith(u"4.4.1: "_s), qPrintable(lines.join(u'\n')));
    QCOMPARE(lines.filter(u"2.0.0: "_s).size(), 1);
    QCOMPARE(QSet<QString>(lines.begin(), lines.end()).size(), lines.size());
}

QTEST_GUILESS_MAIN(TestChainModels)
#include "tst_chainmodels.moc"
