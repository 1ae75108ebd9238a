// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window never reads rows of the cache on its own thread: not the first count of a cache it
// opens, nor the counts after each commit of an import, nor the logs' file ids, time span and
// formats when the logs on show change, nor the rows of an export of a selection, nor anything a
// user does after that (a text search and the state of its index, the list of open logs, an
// order, the other grain, a message, the chart, the summary, its incidents, F5). Every statement
// of every connection is traced (SQLite's auto extension puts a trace on each one opened), with
// the thread it ran on.
#include "../cache/testlogs.h"
#include "cachetablemodel.h"
#include "chartmodel.h"
#include "chartview.h"
#include "incidenttablemodel.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "messageview.h"
#include "openlogsdialog.h"
#include "session.h"
#include "summarymodel.h"
#include "timelinemodel.h"

#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QTableWidget>
#include <QMutex>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

#include <atomic>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {

std::atomic<bool> g_watching{false};
QMutex g_mutex;
QStringList g_onGuiThread;

int traced(unsigned, void *, void *statement, void *)
{
    if (!g_watching.load() || QThread::currentThread() != qApp->thread())
        return 0;
    const QString sql = QString::fromUtf8(sqlite3_sql(static_cast<sqlite3_stmt *>(statement)));
    // Opening a cache reads its layout (PRAGMAs, sqlite_master): that is no read of its rows.
    static const QRegularExpression rows(u"\\b(FROM|JOIN)\\s+(messages|deliveries|attempts|files|incidents|hosts|message_text|"
                                         "message_files|relays|dsns)\\b"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    // Nor is its look whether an import into it was cut short (it stops at the first file row).
    static const QString cutShortImport = u"SELECT 1 FROM files WHERE import_run IS NOT NULL LIMIT 1"_s;
    if (!rows.match(sql).hasMatch() || sql == cutShortImport)
        return 0;
    const QMutexLocker lock(&g_mutex);
    g_onGuiThread << sql.simplified().left(160);
    return 0;
}

int traceEveryStatement(sqlite3 *db, const char **, const sqlite3_api_routines *)
{
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, &traced, nullptr);
    return SQLITE_OK;
}

QStringList takeReads()
{
    const QMutexLocker lock(&g_mutex);
    return std::exchange(g_onGuiThread, {});
}

} // namespace

class TestGuiThreadReads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void theTracePicksUpReadsOnTheGuiThread();
    void openingAnImportedCacheCountsOffTheGuiThread();
    void importAndScopeReadOffTheGuiThread();
    void exportOfSelectedRowsReadsOffTheGuiThread();
    void whatAUserDoesReadsOffTheGuiThread();

private:
    void openAndWait(MainWindow &window, const QStringList &paths);
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_cache;
    QStringList m_logs;
};

void TestGuiThreadReads::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
    // Every connection opened from now on, on any thread, traces its statements.
    QCOMPARE(sqlite3_auto_extension(reinterpret_cast<void (*)()>(&traceEveryStatement)), SQLITE_OK);
}

void TestGuiThreadReads::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_cache = m_dir->filePath(u"cache.sqlite"_s);
    m_logs.clear();
    for (const char *name : {"deferred-then-sent.log", "bounce-with-notification.log", "noqueue-reject.log",
                             "partial-reject-and-forward.log"})
        m_logs << QString::fromStdString(write(*m_dir, QLatin1String(name), flow(name)));
    takeReads();
}

void TestGuiThreadReads::cleanup()
{
    g_watching = false;
    takeReads();
}

void TestGuiThreadReads::openAndWait(MainWindow &window, const QStringList &paths)
{
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs(paths);
    QVERIFY(finished.wait(30000));
}

void TestGuiThreadReads::theTracePicksUpReadsOnTheGuiThread()
{
    // The test itself could pass by seeing nothing: a count on this thread must show.
    Cache cache;
    QVERIFY(cache.open(m_cache.toStdString()));
    g_watching = true;
    cache.count(Grain::Messages, Filter{});
    g_watching = false;
    const QStringList reads = takeReads();
    QVERIFY2(!reads.isEmpty() && reads.join(u'\n').contains(u"messages"_s), qPrintable(reads.join(u'\n')));
}

void TestGuiThreadReads::openingAnImportedCacheCountsOffTheGuiThread()
{
    {
        MainWindow first(m_cache);
        openAndWait(first, m_logs);
    }
    // A window on a cache that holds rows: its tables are counted on their own threads.
    g_watching = true;
    MainWindow window(m_cache);
    QSignalSpy counted(window.currentModel(), &CacheTableModel::countsChanged);
    window.show();
    // Watched until the counts of the first filter and the chart are in (after a fixed wait, a
    // slow machine stopped watching before they were taken, and so saw nothing).
    QTRY_VERIFY_WITH_TIMEOUT(!counted.isEmpty() && !window.currentModel()->isCounting(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->chart()->isBusy(), 20000);
    g_watching = false;
    const QStringList reads = takeReads();
    QVERIFY2(reads.isEmpty(), qPrintable(reads.join(u'\n')));
}

void TestGuiThreadReads::importAndScopeReadOffTheGuiThread()
{
    MainWindow window(m_cache);
    window.show();
    g_watching = true;
    // Each commit refreshes the counts; the logs' ids, span, hosts and formats are looked up.
    openAndWait(window, m_logs);
    QCOMPARE(window.currentModel()->totalCount(), 7);
    // Closing one: the scope is looked up again.
    QSignalSpy scoped(window.session(), &Session::scopeRead);
    window.closeLogs({QFileInfo(m_logs.at(0)).canonicalFilePath()});
    QVERIFY(scoped.wait(10000));
    QTRY_COMPARE(window.currentModel()->totalCount(), 6);
    // Opened again (already imported: shown from the cache).
    openAndWait(window, {m_logs.at(0)});
    QTRY_COMPARE(window.currentModel()->totalCount(), 7);
    g_watching = false;
    const QStringList reads = takeReads();
    QVERIFY2(reads.isEmpty(), qPrintable(reads.join(u'\n')));
}

void TestGuiThreadReads::exportOfSelectedRowsReadsOffTheGuiThread()
{
    MainWindow window(m_cache);
    window.resize(1200, 800);
    window.show();
    openAndWait(window, m_logs);
    CacheTableModel *model = window.currentModel();
    QVERIFY(model->rowCount() >= 5);
    // Selected while in view; their cells are dropped as new rows come in would be: the export
    // reads the rows again, off this thread.
    window.table()->selectionModel()->select(QItemSelection(model->index(1, 0), model->index(1, 0)),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    window.table()->selectionModel()->select(QItemSelection(model->index(4, 0), model->index(4, 0)),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString expected1 = model->index(1, 0).data(CacheTableModel::ExportRole).toString();
    const QString expected4 = model->index(4, 0).data(CacheTableModel::ExportRole).toString();
    const QString path = m_dir->filePath(u"selected.csv"_s);
    g_watching = true;
    QString error;
    QVERIFY2(window.exportCsv(path, true, &error), qPrintable(error));
    g_watching = false;
    const QStringList reads = takeReads();
    QVERIFY2(reads.isEmpty(), qPrintable(reads.join(u'\n')));
    // The two rows selected, in the table's order, under the header.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(1).startsWith(expected1), qPrintable(lines.at(1)));
    QVERIFY2(lines.at(2).startsWith(expected4), qPrintable(lines.at(2)));
}

void TestGuiThreadReads::whatAUserDoesReadsOffTheGuiThread()
{
    MainWindow window(m_cache);
    window.resize(1200, 800);
    window.show();
    openAndWait(window, m_logs);
    Session *session = window.session();
    const auto settled = [&] {
        return !window.currentModel()->isCounting() && !session->chart()->isBusy() && !session->isReadingScope();
    };
    QTRY_VERIFY(settled());
    g_watching = true;

    // A text search: the state of the free-text index is asked for (and, complete, nothing more).
    Filter text;
    text.text = "Greylisted";
    session->setFilter(text);
    QTRY_VERIFY(settled());
    QTRY_COMPARE(window.currentModel()->rowCount(), 1);
    session->setFilter({});
    QTRY_VERIFY(settled());

    // File > Logs Open: the cache's record of each log.
    window.showOpenLogs();
    OpenLogsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<OpenLogsDialog *>()) != nullptr);
    QCOMPARE(dialog->table()->rowCount(), m_logs.size());
    dialog->close();

    // Another order, the other grain and back.
    window.table()->sortByColumn(MessageTableModel::SenderColumn, Qt::AscendingOrder);
    QTRY_VERIFY(settled());
    window.setGrain(Grain::Deliveries);
    QTRY_VERIFY(settled());
    QVERIFY(window.currentModel()->rowCount() > 0);
    window.setGrain(Grain::Messages);
    QTRY_VERIFY(settled());

    // A message: its timeline and lines.
    QSignalSpy shown(&window, &MainWindow::messageShown);
    window.table()->selectRow(0);
    QVERIFY(shown.wait(10000));
    QVERIFY(window.timelineModel()->rowCount() > 0);

    // A click on the chart, and back.
    QTRY_VERIFY(session->chart()->rowCount() > 0);
    window.chart()->clickSegment(0, 0);
    QTRY_VERIFY(settled());
    session->setFilter({});
    QTRY_VERIFY(settled());

    // The Summary, and the lines behind one of its counts.
    window.showSummary(true);
    QTRY_VERIFY(!session->summary()->isBusy() && session->summary()->stats().messagesAll > 0);
    IncidentQuery sasl;
    sasl.kinds.push_back(1);  // SASL failures
    window.showIncidents(session->scopedFilter(), sasl, u"SASL failures"_s);
    QTRY_VERIFY(!session->incidentLines()->isBusy());
    window.showSummary(false);

    // F5: the logs on show read again.
    openAndWait(window, m_logs);
    QTRY_VERIFY(settled());

    g_watching = false;
    const QStringList reads = takeReads();
    QVERIFY2(reads.isEmpty(), qPrintable(reads.join(u'\n')));
}

QTEST_MAIN(TestGuiThreadReads)
#include "tst_guithreadreads.moc"
