// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's CSV export (ExportRunner) and copy: exactly the rows selected, or every row of the
// filter in the table's order and columns, read off the GUI thread; a failure leaves no file.
#include "windowtest.h"

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
    void exportOfEveryRowKeepsTheTableOrder_data();
    void exportOfEveryRowKeepsTheTableOrder();
    void exportWaitsOffTheGuiThread();
    void copyPutsRowsOnTheClipboard();
};

void TestWindowExport::exportWritesExactlyTheSelectedRows()
{
    openAndWait(m_flows);
    MessageView *table = m_window->table();
    table->selectRow(1);
    table->selectionModel()->select(table->model()->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString path = m_dir->filePath(u"out.csv"_s);
    QString error;
    QVERIFY2(m_window->exportCsv(path, true, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 4);  // header, two rows, empty tail after the last CRLF
    QVERIFY(lines.at(0).startsWith("Time,Status,Sender,Recipients,Code,Attempts,Hops,TLS,Size,Queue ID"));
    for (int i : {1, 2}) {
        const int row = i == 1 ? 1 : 4;
        const QString queueId = table->model()->index(row, MessageTableModel::QueueIdColumn).data().toString();
        const QString time = table->model()->index(row, MessageTableModel::TimeColumn).data(CacheTableModel::ExportRole).toString();
        QVERIFY2(lines.at(i).startsWith(QByteArray(time.toUtf8() + ',')), lines.at(i).constData());
        QVERIFY(queueId.isEmpty() || lines.at(i).contains(QByteArray(',' + queueId.toUtf8() + ',')));
    }
    // The table's column order is the file's column order.
    table->horizontalHeader()->moveSection(table->horizontalHeader()->visualIndex(MessageTableModel::QueueIdColumn), 0);
    QVERIFY(m_window->exportCsv(path, true, &error));
    QFile again(path);  // a new file: QSaveFile replaced the old one whole
    QVERIFY(again.open(QIODevice::ReadOnly));
    QVERIFY(again.readAll().startsWith("Queue ID,Time,"));
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
    QVERIFY2(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")@evil.example\",'-victim@example.com,"), csv.constData());
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
    // Read on a thread of its own, in one pass: the same file as the table's own rows give.
    const QString path = m_dir->filePath(u"all.csv"_s);
    QString error;
    QVERIFY2(m_window->exportCsv(path, false, &error), qPrintable(error));
    const QString expected = m_dir->filePath(u"expected.csv"_s);
    QVERIFY(TableExporter::exportCsv(*m_window->currentModel(), {}, m_window->table()->visibleColumnsInOrder(), expected).ok);
    QFile a(path);
    QFile b(expected);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray written = a.readAll();
    QCOMPARE(written, b.readAll());
    QCOMPARE(written.count('\n'), m_window->currentModel()->rowCount() + 1);
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
