// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's CSV export (ExportRunner) and copy: the CLI's file of the filter (mailtrail-cli
// messages|deliveries --format csv) in the table's order, or exactly the rows selected of it, read
// off the GUI thread; a failure leaves no file.
#include "windowtest.h"
#include "../cli/clirun.h"

#include "cache/sqlite.h"
#include "deliverytablemodel.h"
#include "messageview.h"
#include "tableexporter.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QHeaderView>

#include <algorithm>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestWindowExport : public QObject, public WindowTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setUpSuite(); }
    void init() { setUpWindow(); }
    void cleanup() { m_window.reset(); }
    void exportWritesExactlyTheSelectedRows();
    void exportMakesFormulasSafe();
    void exportFailureLeavesNoFile();
    void exportIsTheCliCsv_data();
    void exportIsTheCliCsv();
    void exportOfEveryRowKeepsTheTableOrder_data();
    void exportOfEveryRowKeepsTheTableOrder();
    void exportWaitsOffTheGuiThread();
    void copyPutsRowsOnTheClipboard();
};

void TestWindowExport::exportWritesExactlyTheSelectedRows()
{
    openAndWait(m_flows);
    MessageView *table = m_window->table();
    const QString all = m_dir->filePath(u"all.csv"_s);
    QVERIFY(m_window->exportCsv(all, false));
    QFile whole(all);
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QList<QByteArray> every = whole.readAll().split('\n');
    QCOMPARE(every.size(), table->model()->rowCount() + 2);  // header, the rows, empty tail
    table->selectRow(1);
    table->selectionModel()->select(table->model()->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString path = m_dir->filePath(u"out.csv"_s);
    QString error;
    QVERIFY2(m_window->exportCsv(path, true, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 4);  // header, two rows, empty tail after the last CRLF
    // The CLI's file restricted to those rows: its header, and the lines of rows 1 and 4.
    QCOMPARE(lines.at(0), TableExporter::grainHeader(Grain::Messages).join(u',').toUtf8() + '\r');
    QCOMPARE(lines.at(1), every.at(1 + 1));
    QCOMPARE(lines.at(2), every.at(1 + 4));
    const QString queueId = table->model()->index(4, MessageTableModel::QueueIdColumn).data().toString();
    QVERIFY(lines.at(2).contains(QByteArray(',' + queueId.toUtf8() + ',')));
    // The table's columns (moved, hidden) are the table's: the file stays the CLI's.
    table->horizontalHeader()->moveSection(table->horizontalHeader()->visualIndex(MessageTableModel::QueueIdColumn), 0);
    QVERIFY(m_window->exportCsv(path, true, &error));
    QFile again(path);  // a new file: QSaveFile replaced the old one whole
    QVERIFY(again.open(QIODevice::ReadOnly));
    QVERIFY(again.readAll().startsWith("first_seen,last_seen,"));
}

void TestWindowExport::exportIsTheCliCsv_data()
{
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("messages") << false << QStringList();
    QTest::newRow("messages, bounced or sent") << false << QStringList{u"--status"_s, u"bounced,sent"_s};
    QTest::newRow("messages to a recipient") << false << QStringList{u"--recipient"_s, u"example.net"_s};
    QTest::newRow("deliveries") << true << QStringList();
    QTest::newRow("deliveries, code 5xx") << true << QStringList{u"--code"_s, u"5xx"_s};
}

void TestWindowExport::exportIsTheCliCsv()
{
    // The window wrote "a@x (+2)" for the recipients and the dsn inside the code: its export is
    // the file `mailtrail-cli messages|deliveries --format csv` writes for the same filter.
    QFETCH(bool, deliveries);
    QFETCH(QStringList, options);
    openAndWait(m_flows);
    m_window->setGrain(deliveries ? Grain::Deliveries : Grain::Messages);
    Filter filter;
    for (qsizetype i = 0; i + 1 < options.size(); i += 2) {
        const std::string value = options.at(i + 1).toStdString();
        if (options.at(i) == u"--status"_s) {
            for (const QString &status : options.at(i + 1).split(u','))
                filter.statuses.push_back(status.toStdString());
        } else if (options.at(i) == u"--recipient"_s) {
            filter.recipient = value;
        } else if (options.at(i) == u"--code"_s) {
            filter.code = value;
        }
    }
    m_window->session()->setFilter(filter);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QVERIFY(m_window->currentModel()->rowCount() > 0);
    const QString path = m_dir->filePath(u"window.csv"_s);
    QString error;
    QVERIFY2(m_window->exportCsv(path, false, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const clitest::Run csv = clitest::cli(QStringList{deliveries ? u"deliveries"_s : u"messages"_s, u"--cache"_s,
                                                      m_dir->filePath(u"cache.sqlite"_s), u"--format"_s, u"csv"_s} + options);
    QCOMPARE(csv.exitCode, 0);
    QCOMPARE(f.readAll(), csv.out);
}

void TestWindowExport::exportMakesFormulasSafe()
{
    const QString evil = QString::fromStdString(write(
        *m_dir, u"evil.log"_s,
        "Nov 20 12:00:01 mx1 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: 550 5.7.1 "
        "no; from=<=HYPERLINK(\"http://x\")@evil.example> to=<-victim@example.com> proto=ESMTP helo=<x>\n"));
    openAndWait({evil});
    const QString path = m_dir->filePath(u"all.csv"_s);
    QVERIFY(m_window->exportCsv(path, false));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray csv = f.readAll();
    QVERIFY2(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")@evil.example\","), csv.constData());
    QVERIFY2(csv.contains(",'-victim@example.com,"), csv.constData());
}

void TestWindowExport::exportFailureLeavesNoFile()
{
    openAndWait({m_flows.at(0)});
    const QString path = m_dir->filePath(u"no/such/folder/out.csv"_s);
    QString error;
    QVERIFY(!m_window->exportCsv(path, false, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFile::exists(path));
    m_window->table()->clearSelection();
    QVERIFY(!m_window->exportCsv(m_dir->filePath(u"x.csv"_s), true, &error));
    QCOMPARE(error, u"No rows are selected."_s);
}

void TestWindowExport::exportOfEveryRowKeepsTheTableOrder_data()
{
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::newRow("messages by time") << false << int(MessageTableModel::TimeColumn) << false;
    QTest::newRow("messages by sender, descending") << false << int(MessageTableModel::SenderColumn) << true;
    QTest::newRow("messages by code") << false << int(MessageTableModel::CodeColumn) << false;
    QTest::newRow("messages by size, descending") << false << int(MessageTableModel::SizeColumn) << true;
    QTest::newRow("deliveries by code") << true << int(DeliveryTableModel::CodeColumn) << false;
    QTest::newRow("deliveries by recipient, descending") << true << int(DeliveryTableModel::RecipientColumn) << true;
    QTest::newRow("deliveries by status") << true << int(DeliveryTableModel::StatusColumn) << false;
}

void TestWindowExport::exportOfEveryRowKeepsTheTableOrder()
{
    QFETCH(bool, deliveries);
    QFETCH(int, column);
    QFETCH(bool, descending);
    openAndWait(m_flows);
    m_window->setGrain(deliveries ? Grain::Deliveries : Grain::Messages);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    m_window->table()->sortByColumn(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    // Read on a thread of its own, in one pass: in the table's order, a row a line, each the
    // table's row (its queue id in the same place of the order).
    const QString path = m_dir->filePath(u"all.csv"_s);
    QString error;
    QVERIFY2(m_window->exportCsv(path, false, &error), qPrintable(error));
    QFile a(path);
    QVERIFY(a.open(QIODevice::ReadOnly));
    const QByteArray written = a.readAll();
    CacheTableModel *model = m_window->currentModel();
    QCOMPARE(written.count('\n'), model->rowCount() + 1);
    const QList<QByteArray> lines = written.split('\n');
    const int queueColumn = deliveries ? int(DeliveryTableModel::QueueIdColumn) : int(MessageTableModel::QueueIdColumn);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString queueId = model->index(row, queueColumn).data().toString();
        if (!queueId.isEmpty())
            QVERIFY2(lines.at(row + 1).contains(QByteArray(',' + queueId.toUtf8() + ',')), lines.at(row + 1).constData());
    }
}

void TestWindowExport::exportWaitsOffTheGuiThread()
{
    openAndWait(m_flows);
    // The cache goes bad under the window: the rows cannot be read.
    sql::Database other;
    other.open(m_dir->filePath(u"cache.sqlite"_s).toStdString());
    other.exec("DROP TABLE messages");
    EventLoopWatchdog watchdog;
    const QString path = m_dir->filePath(u"all.csv"_s);
    QString error;
    QVERIFY(!m_window->exportCsv(path, false, &error));
    watchdog.stop();
    // Read with the event loop turning; the failure is said, not written as a file of empty rows.
    QVERIFY2(watchdog.longest() < 1000, qPrintable(QString::number(watchdog.longest())));
    QVERIFY2(error.contains(u"could not be read"_s) && error.contains(u"messages"_s), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void TestWindowExport::copyPutsRowsOnTheClipboard()
{
    openAndWait({m_flows.at(0)});
    m_window->table()->selectRow(0);
    QTest::keySequence(m_window->table(), QKeySequence::Copy);
    const QString text = QApplication::clipboard()->text();
    QVERIFY2(text.startsWith(u"2026-11-20 10:00:01\tSent\talice@example.com\tbob@remote.example.net\t250\t2\t"_s), qPrintable(text));
    QVERIFY(text.endsWith(u'\n'));
}

QTEST_MAIN(TestWindowExport)
#include "tst_windowexport.moc"
