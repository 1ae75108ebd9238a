// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window as a user drives it: drop a log, type a filter, pick a message, sort, follow, import.
// The chart and the Summary: tst_windowchart; the export: tst_windowexport.
#include "../cache/testlogs.h"
#include "windowtest.h"
#include "cache/importlock.h"
#include "cache/schema.h"
#include "cache/sqlite.h"
#include "cachetablemodel.h"
#include "cellformat.h"
#include "chartmodel.h"
#include "chartview.h"
#include "deliverytablemodel.h"
#include "detailpane.h"
#include "incidentsview.h"
#include "incidenttablemodel.h"
#include "insightmodel.h"
#include "insightreplay.h"
#include "insightspane.h"
#include "filterbar.h"
#include "importjob.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "messageview.h"
#include "recentfiles.h"
#include "session.h"
#include "statuscolors.h"
#include "summarymodel.h"
#include "summaryview.h"
#include "testpalette.h"
#include "openlogsdialog.h"
#include "timelinemodel.h"
#include "timelinewidget.h"

#include <QApplication>
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeEdit>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTableWidget>
#include <QTextDocumentFragment>
#include <QTreeView>

#include <cmath>

#include <utime.h>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject, public WindowTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dropOpensFiles();
    void typingASenderFilters();
    void contextFilterFillsTheBar();
    void selectingAMessageFillsTheTimeline();
    void newFilterShowsItsRowsFromTheTop();
    void causedMessageIsALink();
    void linkToAMessageTheFilterHides();
    void sortingKeepsTheSelection();
    void sortingKeepsASelectionFarDown();
    void aShorterTableKeepsTheCurrentRowInView();
    void logsOpenAreListedAndClose();
    void hostsOfClosedLogsAreNotOffered();
    void cacheIsShownAndEmptiedAtNextStart();
    void cacheIsEmptiedAtOnceWhenNothingHoldsIt();
    void headerOfALogWithoutHost();
    void deliveriesGrain();
    void longEximIdsAreShownWhole();
    void hopsToggleListsEachHop();
    void aDeliveryOfAChainShowsTheChain();
    void theCurrentViewTabStandsOut_data();
    void theCurrentViewTabStandsOut();
    void countsOfAGrainWaitOffTheGuiThread();
    void importLeavesEveryColumnSortable();
    void cacheOfADevelopmentBuildIsMovedAside();
    void foreignCacheFileFailsTheImportAtOnce();
    void textSearchCompletesAnUnfinishedTextIndex();
    void unreadableFileIsNamedAndOthersOpen();
    void linesNotUnderstoodAreCounted();
    void cancelKeepsWhatWasReadAndReopenFinishes();
    void ctrlFReachesTheTextSearch();
    void importSummaryStaysInView();
    void importNamesItsLastPhases();
    void fromToRangeFilters();
    void firstWindowTakesAShareOfTheScreen();
    void smallWindowKeepsTheTableReadable();
    void unsortableColumnSaysWhy();
    void followSaysWhatItFollows();
    void compressedLogIsNotCountedAsFollowed();
    void sampleIsNotFollowedByItself();
    void saslRunIsOneClickFromTheInsights();
    void insightsDockFitsItsInsights();
    void followedBatchCountsAsTheFilterBar();
    void followedBatchKeepsEverySelectedRow_data();
    void followedBatchKeepsEverySelectedRow();
    void olderCacheIsUpdatedOffTheGuiThread();
    void ctrlEndGoesDownNotAcross_data();
    void ctrlEndGoesDownNotAcross();
    void filterKeepsTheSelectedMessageItStillMatches();
    void aCopyIsNotCountedAsFollowed();
    void insightsAreThoseOfTheCacheImported();

private:
    // A new window whose cache file is a database made by `sql`; returns the file's path.
    QString windowOnDatabase(const QString &name, const char *sql);
};

void TestMainWindow::initTestCase()
{
    setUpSuite();
}

void TestMainWindow::init()
{
    setUpWindow();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

QString TestMainWindow::windowOnDatabase(const QString &name, const char *sql)
{
    m_window.reset();
    const QString path = m_dir->filePath(name);
    {
        sql::Database db;
        db.open(path.toStdString());
        db.exec(sql);
    }
    m_window = std::make_unique<MainWindow>(path);
    return path;
}

void TestMainWindow::insightsDockFitsItsInsights()
{
    // No insight (a log of four messages has none): the dock is the one-line status ("Nothing
    // unusual…") under its title, not two empty rows of a list and its header (about 90 px at
    // 1200x800, for nothing): the table takes the rest.
    openAndWait({m_flows.at(0)});
    InsightsPane *pane = m_window->insightsPane();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->insightReplay()->isBusy(), 20000);
    QTreeView *list = pane->view();
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(pane->isVisible());
    QVERIFY(!list->isVisible());
    QVERIFY2(pane->statusText().startsWith(u"Nothing unusual"_s), qPrintable(pane->statusText()));
    const int statusLine = std::max(pane->stopButton()->sizeHint().height(), pane->fontMetrics().height()) + 2;
    QTRY_VERIFY2(pane->height() <= statusLine + 2, qPrintable(u"%1 px for a line of %2"_s.arg(pane->height()).arg(statusLine)));

    // Insights come (the sample's): the list shows them, as tall as they are up to a dozen.
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->insightReplay()->isBusy(), 20000);
    QTRY_VERIFY(list->isVisible());
    const int rows = list->model()->rowCount();
    QVERIFY(rows > 0);
    const int rowHeight = list->sizeHintForRow(0);
    QTRY_VERIFY2(list->viewport()->height() >= std::min(rows, 2) * rowHeight,
                 qPrintable(u"%1 rows of %2 px in %3 px"_s.arg(rows).arg(rowHeight).arg(list->viewport()->height())));
}

void TestMainWindow::saslRunIsOneClickFromTheInsights()
{
    // The sample as a new user opens it: the Insights name the SASL run without a word typed,
    // and Enter on it lists its failed logins (they belong to no message: the table has none).
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    InsightsPane *pane = m_window->insightsPane();
    QVERIFY(pane->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->insightReplay()->isBusy(), 20000);
    QAbstractItemModel *shown = pane->view()->model();
    int row = -1;
    QStringList subjects;
    for (int r = 0; r < shown->rowCount(); ++r) {
        const QString subject = shown->index(r, InsightModel::Subject).data().toString();
        if (shown->index(r, 0).data(InsightModel::KindRole).toInt() == int(InsightKind::AuthFailureBurst)) {
            subjects << subject;
            if (row < 0)
                row = r;
        }
    }
    QVERIFY2(row >= 0, qPrintable(subjects.join(u", "_s)));
    for (const QString &s : std::as_const(subjects))
        QVERIFY2(s.startsWith(u"158.24.101."_s), qPrintable(s));
    // One row for the attack: its /24, which names its addresses (not the /24 and each address again).
    QCOMPARE(subjects, QStringList{u"158.24.101.0/24"_s});
    pane->view()->setCurrentIndex(shown->index(row, 0));
    QTest::keyClick(pane->view(), Qt::Key_Return);
    auto *view = m_window->findChild<IncidentsView *>();
    QVERIFY(view);
    QVERIFY(view->isVisible());
    // The failures at the time of the run (a network's lines are not narrowed to one address): at
    // least the ten that fired it, of its addresses.
    QTRY_VERIFY(view->table()->model()->rowCount() >= 10);
    const QAbstractItemModel *lines = view->table()->model();
    int ofTheRun = 0;
    for (int r = 0; r < lines->rowCount(); ++r) {
        QCOMPARE(lines->index(r, IncidentTableModel::KindColumn).data().toString(), u"SASL failure"_s);
        ofTheRun += lines->index(r, IncidentTableModel::IpColumn).data().toString().startsWith(u"158.24.101."_s) ? 1 : 0;
    }
    QVERIFY(ofTheRun >= 10);
}

void TestMainWindow::followedBatchCountsAsTheFilterBar()
{
    // Lines appended to a followed log: the import summary's "The logs open hold N messages."
    // said the count read when the import ended, which the table's count after the batch could
    // overtake (one less than the filter bar's "N of N messages"). It says each count the filter
    // bar gets: after the batch, and in the other grain.
    openAndWait({m_flows.at(0)});
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->findChild<QAction *>(u"follow"_s)->trigger();
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    const qint64 before = m_window->currentModel()->totalCount();
    write(*m_dir, u"deferred-then-sent.log"_s, flow("bounce-with-notification.log"), true);
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(m_window->currentModel()->totalCount() > before);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    const qint64 total = m_window->currentModel()->totalCount();
    // One log on show: "The log open holds".
    const QString held = u"The log open holds %1 messages."_s.arg(total);
    QTRY_VERIFY2(m_window->lastImportMessage().contains(held), qPrintable(m_window->lastImportMessage()));
    auto *summary = m_window->statusBar()->findChild<QLabel *>(u"importSummary"_s);
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(held), qPrintable(summary->text()));
    bool filterBarSays = false;
    for (QLabel *l : m_window->filterBar()->findChildren<QLabel *>())
        filterBarSays |= l->text() == u"%1 of %1 messages"_s.arg(total);
    QVERIFY(filterBarSays);
    m_window->setGrain(Grain::Deliveries);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    const qint64 deliveries = m_window->currentModel()->totalCount();
    QVERIFY(deliveries > total);
    const QString heldNow = u"The log open holds %1 deliveries."_s.arg(deliveries);
    QTRY_VERIFY2(summary->text().contains(heldNow), qPrintable(summary->text()));
    QVERIFY(!summary->text().contains(held));
}

void TestMainWindow::followedBatchKeepsEverySelectedRow_data()
{
    QTest::addColumn<int>("grain");
    QTest::addRow("messages") << int(Grain::Messages);
    QTest::addRow("deliveries") << int(Grain::Deliveries);
}

void TestMainWindow::followedBatchKeepsEverySelectedRow()
{
    // Two rows selected while a log is followed: the next batch kept one of them (trial22).
    QFETCH(int, grain);
    openAndWait({m_flows.at(0)});
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->findChild<QAction *>(u"follow"_s)->trigger();
    QVERIFY(finished.wait(30000));
    write(*m_dir, u"deferred-then-sent.log"_s, flow("bounce-with-notification.log"), true);
    QVERIFY(finished.wait(30000));
    m_window->setGrain(static_cast<Grain>(grain));
    QTRY_VERIFY(!m_window->currentModel()->isCounting() && m_window->currentModel()->rowCount() >= 3);
    CacheTableModel *model = m_window->currentModel();
    QItemSelectionModel *selection = m_window->table()->selectionModel();
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(0);
    QVERIFY(shown.wait(10000));
    selection->select(model->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const auto keys = [&] {
        QStringList out;
        for (const QModelIndex &row : selection->selectedRows())
            out << u"%1/%2"_s.arg(row.data(CacheTableModel::MessageDbIdRole).toLongLong())
                       .arg(row.data(CacheTableModel::DeliveryIndexRole).toInt());
        out.sort();
        return out;
    };
    const QStringList before = keys();
    QCOMPARE(before.size(), 2);
    const qint64 current = selection->currentIndex().data(CacheTableModel::MessageDbIdRole).toLongLong();
    const qint64 rows = model->rowCount();
    write(*m_dir, u"deferred-then-sent.log"_s, flow("noqueue-reject.log"), true);
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(model->rowCount() > rows);
    // Both again, once looked for (off this thread); the current one still the pane's.
    QTRY_COMPARE(keys(), before);
    QVERIFY(selection->currentIndex().isValid());
    QCOMPARE(selection->currentIndex().data(CacheTableModel::MessageDbIdRole).toLongLong(), current);
    QCOMPARE(m_window->timelineModel()->detail().message.id, current);
}

void TestMainWindow::olderCacheIsUpdatedOffTheGuiThread()
{
    // A cache an older build wrote (layout 7) is migrated when the window opens it: seconds to
    // minutes on a big one. Another import holds the lock here, so the migration cannot start:
    // the window is made all the same, says what it does, and keeps a filter and a log opened
    // meanwhile until the cache is open.
    m_window.reset();
    const QString path = m_dir->filePath(u"older.sqlite"_s);
    {
        Cache cache;
        QVERIFY(cache.open(path.toStdString()));
        QVERIFY(Ingestor::import(cache, {m_flows.at(0).toStdString()}).ok());
    }
    {
        sql::Database db;
        db.open(path.toStdString());
        toOlderLayout(db, 7);
    }
    ImportLock other(canonicalPath(path.toStdString()));
    QVERIFY(other.tryAcquire());
    m_window = std::make_unique<MainWindow>(path);
    m_window->show();
    Session *session = m_window->session();
    QVERIFY(session->isOpeningCache());
    QVERIFY2(m_window->statusBar()->currentMessage().startsWith(u"Updating the cache to this version"_s),
             qPrintable(m_window->statusBar()->currentMessage()));
    QTest::qWait(200);  // the event loop runs: nothing waits for the lock on this thread
    QVERIFY(session->isOpeningCache());
    Filter bounced;
    bounced.statuses.push_back("bounced");
    session->setFilter(bounced);
    QSignalSpy opened(session, &Session::cacheOpened);
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs({m_flows.at(1)});
    QVERIFY(!m_window->isImporting());  // queued behind the migration
    other.release();
    QVERIFY(opened.wait(30000));
    QVERIFY(!session->isOpeningCache());
    QVERIFY2(session->cacheError().isEmpty(), qPrintable(session->cacheError()));
    {
        sql::Database db;
        db.open(path.toStdString(), true);
        sql::Statement version(db, "PRAGMA user_version");
        QVERIFY(version.step());
        QCOMPARE(version.integer(0), schema::CurrentVersion);
    }
    // The log opened meanwhile is imported, and the table shows it through the filter set
    // meanwhile: bounce-with-notification.log's one bounced message.
    QVERIFY(finished.wait(30000));
    QCOMPARE(session->filter(), bounced);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    QCOMPARE(m_window->currentModel()->index(0, MessageTableModel::StatusColumn).data().toString(), u"Bounced"_s);
}

void TestMainWindow::followSaysWhatItFollows()
{
    // Follow on: the status bar says so, and which log; off, it says nothing; on again over two
    // logs, it counts them.
    openAndWait({m_flows.at(0)});
    auto *follow = m_window->findChild<QAction *>(u"follow"_s);
    QVERIFY(follow);
    auto *said = m_window->statusBar()->findChild<QLabel *>(u"followIndicator"_s);
    QVERIFY(said);
    QVERIFY(!follow->isChecked());  // the test's logs are dated days ago: not being written
    QVERIFY(!said->isVisible());
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    follow->trigger();
    QVERIFY(finished.wait(30000));  // what was written meanwhile is read at once
    QVERIFY(said->isVisible());
    QVERIFY2(said->text().endsWith(u"Following deferred-then-sent.log"_s), qPrintable(said->text()));
    QVERIFY2(said->toolTip().contains(QFileInfo(m_flows.at(0)).canonicalFilePath()), qPrintable(said->toolTip()));
    follow->trigger();
    QVERIFY(!follow->isChecked());
    QVERIFY(!said->isVisible());
    openAndWait({m_flows.at(1)});
    QVERIFY(!said->isVisible());
    follow->trigger();
    QVERIFY(finished.wait(30000));
    QVERIFY(said->isVisible());
    QVERIFY2(said->text().endsWith(u"Following 2 logs"_s), qPrintable(said->text()));
}

void TestMainWindow::compressedLogIsNotCountedAsFollowed()
{
    // A folder of four logs being written and a compressed one: the four are followed, and the
    // status bar counts four, not five; the compressed one is named as not followed.
    QVERIFY(QDir(m_dir->path()).mkdir(u"mixed"_s));
    for (const QString &flow : std::as_const(m_flows)) {
        const QString copy = m_dir->filePath(u"mixed/"_s + QFileInfo(flow).fileName());
        QVERIFY(QFile::copy(flow, copy));
        ::utime(copy.toLocal8Bit().constData(), nullptr);  // written just now
    }
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.gz"),
                        m_dir->filePath(u"mixed/old.log.gz"_s)));
    openAndWait({m_dir->filePath(u"mixed"_s)});
    QCOMPARE(m_window->openLogPaths().size(), 5);
    QVERIFY(m_window->findChild<QAction *>(u"follow"_s)->isChecked());
    const QStringList followed = m_window->session()->followedPaths();
    QCOMPARE(followed.size(), 4);
    for (const QString &path : followed)
        QVERIFY2(!path.endsWith(u".gz"_s), qPrintable(path));
    auto *said = m_window->statusBar()->findChild<QLabel *>(u"followIndicator"_s);
    QVERIFY(said);
    QVERIFY2(said->text().endsWith(u"Following 4 logs"_s), qPrintable(said->text()));
    QVERIFY2(said->toolTip().contains(u"Not followed"_s) && said->toolTip().contains(u"old.log.gz"_s),
             qPrintable(said->toolTip()));
}

void TestMainWindow::sampleIsNotFollowedByItself()
{
    // The bundled sample's time is that of the checkout (or the install): recent, though nothing
    // writes it. It is not followed unless the user asks.
    const QStringList samples{QStringLiteral(MAILTRAIL_TEST_DATA "/../../resources/sample/mail.log"),
                              QApplication::applicationDirPath() + u"/../share/mailtrail/sample/mail.log"_s};
    for (const QString &sample : samples)
        if (QFileInfo::exists(sample))
            ::utime(sample.toLocal8Bit().constData(), nullptr);  // as a fresh checkout leaves it
    QAction *open = nullptr;
    for (QAction *a : m_window->findChildren<QAction *>())
        if (a->text() == u"Open &Sample Log"_s)
            open = a;
    QVERIFY(open);
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    open->trigger();
    QVERIFY(finished.wait(60000));
    QCOMPARE(m_window->openLogPaths().size(), 1);
    QVERIFY(!m_window->findChild<QAction *>(u"follow"_s)->isChecked());
    QVERIFY(!m_window->session()->isFollowing());
}

void TestMainWindow::dropOpensFiles()
{
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(m_flows.at(0)), QUrl::fromLocalFile(m_flows.at(1))});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(finished.wait(30000));
    // 1 message in the first flow, 2 in the second; nothing else of the cache is shown.
    QCOMPARE(m_window->currentModel()->rowCount(), 3);
    delete mime;
}

void TestMainWindow::typingASenderFilters()
{
    openAndWait(m_flows);
    QCOMPARE(m_window->currentModel()->rowCount(), 7);
    QLineEdit *sender = field(u"Sender"_s);
    QVERIFY(sender);
    QTest::keyClicks(sender, u"alice"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    QCOMPARE(m_window->currentModel()->index(0, MessageTableModel::SenderColumn).data().toString(), u"alice@example.com"_s);
    bool countsShown = false;
    for (QLabel *label : m_window->filterBar()->findChildren<QLabel *>())
        countsShown |= label->text() == u"1 of 7 messages"_s;
    QVERIFY(countsShown);
    sender->clear();
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 7);
}

void TestMainWindow::contextFilterFillsTheBar()
{
    openAndWait(m_flows);
    Q_EMIT m_window->table()->filterRequested(MessageView::FilterField::Status, u"rejected"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 2);  // NOQUEUE and milter reject, not the partial RCPT reject
}

void TestMainWindow::selectingAMessageFillsTheTimeline()
{
    openAndWait(m_flows);
    const int row = rowOf(u"4F2A81C0123"_s);
    QVERIFY(row >= 0);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    // Three tries of bob@remote.example.net: deferred, suspended (not tried), sent.
    QCOMPARE(m_window->detailPane()->timeline()->markerCount(), 3);
    QCOMPARE(m_window->timelineModel()->laneCount(), 1);
    QCOMPARE(m_window->timelineModel()->rawLines().size(), 8);
    // The events' short columns show their values whole: "suspended (not tried)", "450 4.2.0".
    QTableView *events = m_window->detailPane()->attempts();
    for (int event = 0; event < events->model()->rowCount(); ++event) {
        for (int column : {int(TimelineModel::TimeColumn), int(TimelineModel::EventColumn), int(TimelineModel::StatusColumn),
                           int(TimelineModel::CodeColumn)}) {
            const QString text = events->model()->index(event, column).data().toString();
            QVERIFY2(events->fontMetrics().horizontalAdvance(text) < events->columnWidth(column), qPrintable(text));
        }
    }
    // A filter that takes the selection away empties the pane below.
    field(u"Sender"_s)->setText(u"news@example.com"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    QTRY_COMPARE(m_window->timelineModel()->laneCount(), 0);
    QVERIFY(m_window->timelineModel()->rawLines().isEmpty());
    // ... the header too: it names no message the rest of the pane has dropped.
    QVERIFY2(!m_window->detailPane()->headerText().contains(u"4F2A81C0123"_s), qPrintable(m_window->detailPane()->headerText()));
    QVERIFY2(!m_window->detailPane()->headerText().contains(u"Message "_s), qPrintable(m_window->detailPane()->headerText()));
}

void TestMainWindow::logsOpenAreListedAndClose()
{
    openAndWait(m_flows);
    // The title names what is open.
    QVERIFY2(m_window->windowTitle().contains(u"deferred-then-sent.log"_s), qPrintable(m_window->windowTitle()));
    QVERIFY2(m_window->windowTitle().contains(u"and 2 more"_s), qPrintable(m_window->windowTitle()));
    const int all = m_window->currentModel()->rowCount();
    m_window->showOpenLogs();
    // The list is read off the GUI thread: the dialog opens when it is in.
    OpenLogsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<OpenLogsDialog *>()) != nullptr);
    QTableWidget *table = dialog->table();
    QCOMPARE(table->rowCount(), 4);
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        QCOMPARE(table->item(r, OpenLogsDialog::FormatColumn)->text(), u"postfix"_s);
        QVERIFY(table->item(r, OpenLogsDialog::LinesColumn)->text().toInt() > 0);
        if (table->item(r, OpenLogsDialog::LogColumn)->text() == u"deferred-then-sent.log"_s)
            row = r;
    }
    QVERIFY(row >= 0);
    // Close: its one message goes from the table, the title no longer names it.
    table->selectRow(row);
    const QList<QPushButton *> buttons = dialog->findChildren<QPushButton *>();
    // The buttons say what they close; one closes the dialog.
    QStringList texts;
    for (const QPushButton *b : buttons)
        texts << QString(b->text()).remove(u'&');
    texts.sort();
    QCOMPARE(texts, (QStringList{u"Close All Logs"_s, u"Close Log"_s, u"OK"_s}));
    const auto close = std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == u"Close &Log"_s; });
    QVERIFY(close != buttons.end());
    (*close)->click();
    // The logs left are looked up and their rows counted off the GUI thread.
    QVERIFY(m_window->session()->isReadingScope() || m_window->currentModel()->isCounting());
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(m_window->openLogPaths().size(), 3);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), all - 1);
    QVERIFY(!m_window->windowTitle().contains(u"deferred-then-sent.log"_s));
    // Close All: nothing open, the welcome page again.
    const auto closeAll = std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == u"Close &All Logs"_s; });
    QVERIFY(closeAll != buttons.end());
    (*closeAll)->click();
    QVERIFY(m_window->openLogPaths().isEmpty());
    QCOMPARE(m_window->windowTitle(), u"Mailtrail"_s);
    dialog->close();
}

void TestMainWindow::hostsOfClosedLogsAreNotOffered()
{
    const QString multihost = QString::fromStdString(write(*m_dir, u"multihost.log"_s, flow("rfc3339-multihost.log")));
    openAndWait(m_flows + QStringList{multihost});
    auto *hosts = m_window->filterBar()->findChild<QComboBox *>(u"hostFilter"_s);
    QVERIFY(hosts);
    QTRY_VERIFY(hosts->findText(u"edge1"_s) > 0);
    QVERIFY(hosts->findText(u"mx1"_s) > 0);
    m_window->closeLogs({QFileInfo(multihost).canonicalFilePath()});
    // edge1 and edge2 wrote only the log closed: their mail is no longer on show.
    QTRY_COMPARE(hosts->findText(u"edge1"_s), -1);
    QCOMPARE(hosts->findText(u"edge2"_s), -1);
    QVERIFY(hosts->findText(u"mx1"_s) > 0);
}

void TestMainWindow::cacheIsShownAndEmptiedAtNextStart()
{
    openAndWait(m_flows);
    const QString path = m_dir->filePath(u"cache.sqlite"_s);
    const QString description = m_window->cacheDescription();
    QVERIFY2(description.contains(QDir::toNativeSeparators(path)), qPrintable(description));
    // In the units of every other size the window shows (the table's, the Summary's): SI, kB not KiB.
    QVERIFY2(description.contains(cellformat::size(Session::cacheSizeOnDisk(path))), qPrintable(description));
    QVERIFY2(!description.contains(u"iB"_s), qPrintable(description));
    QVERIFY(Session::cacheSizeOnDisk(path) > 0);
    m_window->clearCacheAtNextStart();
    // Until the next start the window goes on reading it.
    QVERIFY(m_window->currentModel()->rowCount() > 0);
    m_window.reset();
    m_window = std::make_unique<MainWindow>(path);
    auto *summary = m_window->findChild<QLabel *>(u"importSummary"_s);
    QVERIFY(summary);
    QCOMPARE(summary->text(), u"The cache was emptied, as asked."_s);
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    QVERIFY(cache.files().empty());
    // Once only.
    m_window.reset();
    m_window = std::make_unique<MainWindow>(path);
    QVERIFY(m_window->findChild<QLabel *>(u"importSummary"_s)->text().isEmpty());
}

void TestMainWindow::cacheIsEmptiedAtOnceWhenNothingHoldsIt()
{
    openAndWait(m_flows);
    const QString path = m_dir->filePath(u"cache.sqlite"_s);
    const qint64 before = Session::cacheSizeOnDisk(path);
    {
        // Another import holds it: it is emptied at the next start, and the window says so.
        ImportLock other(canonicalPath(path.toStdString()));
        QVERIFY(other.tryAcquire());
        const QString said = m_window->emptyCache();
        QVERIFY2(said.contains(u"next starts"_s), qPrintable(said));
        QCOMPARE(QSettings().value(u"cache/emptyAtStart"_s).toString(), path);
        QVERIFY(m_window->currentModel()->rowCount() > 0);
    }
    // Nothing holds it: emptied at once, the logs closed, the window reading the new cache.
    const QString said = m_window->emptyCache();
    QVERIFY2(said.contains(u"was emptied"_s), qPrintable(said));
    QVERIFY(!QSettings().contains(u"cache/emptyAtStart"_s));
    QVERIFY(m_window->openLogPaths().isEmpty());
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 0);
    QVERIFY(Session::cacheSizeOnDisk(path) < before);
    {
        Cache cache;
        QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
        QVERIFY(cache.files().empty());
    }
    // Opened again, the logs are imported anew, and every connection reads them.
    openAndWait(m_flows);
    QCOMPARE(m_window->currentModel()->rowCount(), 7);
    m_window->setGrain(Grain::Deliveries);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 9);
}

void TestMainWindow::sortingKeepsTheSelection()
{
    openAndWait(m_flows);
    const int row = rowOf(u"7A1B2C3D4E"_s);
    QVERIFY(row >= 0);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    const qint64 id = shown.last().at(0).toLongLong();
    QVERIFY(m_window->currentModel()->canSortBy(MessageTableModel::SenderColumn));
    m_window->table()->sortByColumn(MessageTableModel::SenderColumn, Qt::DescendingOrder);
    QCOMPARE(m_window->currentModel()->currentSort().key, SortKey::Sender);
    // Found in the new order off the GUI thread, then selected again.
    QTRY_VERIFY(m_window->table()->selectionModel()->currentIndex().isValid());
    const QModelIndex current = m_window->table()->selectionModel()->currentIndex();
    QCOMPARE(current.data(CacheTableModel::MessageDbIdRole).toLongLong(), id);
    QCOMPARE(m_window->timelineModel()->detail().message.id, id);
}

void TestMainWindow::sortingKeepsASelectionFarDown()
{
    // 400 messages of one sender and one other: the selected one sorts far below the first
    // rows (once looked for only among the first 256).
    const QString many = QString::fromStdString(
        write(*m_dir, u"many.log"_s, repeatedFlow("deferred-then-sent.log", 400, {{"4F2A81C0123", 0x100000}})));
    openAndWait({many, m_flows.at(1)});
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    CacheTableModel *model = m_window->currentModel();
    QVERIFY(model->rowCount() > 400);
    // The last of the 400 in time order.
    const int row = rowOf(u"10018F"_s);
    QVERIFY(row >= 0);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    const qint64 id = shown.last().at(0).toLongLong();
    // By sender: the 400 of alice in the order they came, after the null sender's: the last far down.
    m_window->table()->sortByColumn(MessageTableModel::SenderColumn, Qt::AscendingOrder);
    QTRY_VERIFY(m_window->table()->selectionModel()->currentIndex().isValid());
    const QModelIndex current = m_window->table()->selectionModel()->currentIndex();
    QVERIFY2(current.row() > 256, qPrintable(QString::number(current.row())));
    QCOMPARE(current.data(CacheTableModel::MessageDbIdRole).toLongLong(), id);
    // And it is in view, and stays so: the Insights dock, fitted to insights that come after the
    // import from their own thread, may make the table shorter after the sort scrolled to the row
    // (under load, 1 run in 3 before MessageView kept the current row in view, which
    // aShorterTableKeepsTheCurrentRowInView tests on its own). The current row is read again
    // each time: a QModelIndex taken before would not follow a later locate.
    const auto inView = [this, id] {
        QTableView *table = m_window->table();
        const QModelIndex now = table->selectionModel()->currentIndex();
        return now.isValid() && now.data(CacheTableModel::MessageDbIdRole).toLongLong() == id &&
            table->viewport()->rect().intersects(table->visualRect(now));
    };
    QTRY_VERIFY_WITH_TIMEOUT(inView(), 15000);
}

void TestMainWindow::aShorterTableKeepsTheCurrentRowInView()
{
    // The row just clicked, at the bottom of the table: the message pane (or the Insights dock)
    // that grows then must not cover it. A view keeps its top row when it gets shorter.
    const QString many = QString::fromStdString(
        write(*m_dir, u"many.log"_s, repeatedFlow("deferred-then-sent.log", 60, {{"4F2A81C0123", 0x100000}})));
    openAndWait({many});
    QTableView *table = m_window->table();
    QTRY_VERIFY(table->model()->rowCount() >= 60);
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    const int last = table->rowAt(table->viewport()->height() - 1);
    QVERIFY2(last > 2, qPrintable(QString::number(last)));
    const int row = table->viewport()->rect().contains(table->visualRect(table->model()->index(last, 0))) ? last : last - 1;
    table->selectRow(row);
    QCOMPARE(table->currentIndex().row(), row);
    const int topBefore = table->rowAt(0);
    // The pane below takes three rows of the table, as the splitter's handle would.
    QSplitter *splitter = nullptr;
    QWidget *pane = table;
    while (pane && !(splitter = qobject_cast<QSplitter *>(pane->parentWidget())))
        pane = pane->parentWidget();
    QVERIFY(splitter && pane);
    const int at = splitter->indexOf(pane);
    QVERIFY(at >= 0 && at + 1 < splitter->count());
    QList<int> sizes = splitter->sizes();
    sizes[at] -= 3 * rowHeight;
    sizes[at + 1] += 3 * rowHeight;
    const int heightBefore = table->viewport()->height();
    splitter->setSizes(sizes);
    QTRY_VERIFY(table->viewport()->height() < heightBefore - 2 * rowHeight);
    const QRect current = table->visualRect(table->currentIndex());
    QVERIFY2(current.top() >= 0 && current.bottom() < table->viewport()->height(),
             qPrintable(u"row %1 at %2..%3 of %4"_s.arg(row).arg(current.top()).arg(current.bottom()).arg(table->viewport()->height())));
    QVERIFY(table->rowAt(0) > topBefore);
    // A row scrolled away from stays away: the view does not jump back to it when it gets shorter.
    table->scrollToTop();
    QVERIFY(table->visualRect(table->currentIndex()).top() >= table->viewport()->height());
    sizes = splitter->sizes();
    sizes[at] -= rowHeight;
    sizes[at + 1] += rowHeight;
    splitter->setSizes(sizes);
    QTRY_COMPARE(splitter->sizes().at(at), sizes.at(at));
    QCOMPARE(table->rowAt(0), 0);
}

void TestMainWindow::causedMessageIsALink()
{
    openAndWait(m_flows);
    const int row = rowOf(u"7A1B2C3D4E"_s);
    QVERIFY(row >= 0);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    QVERIFY(m_window->detailPane()->headerText().contains(u"Caused message 0C9D8E7F6A"_s));
    // The notice it caused is one click away: the link shows it in the pane.
    const qint64 child = m_window->timelineModel()->detail().children.at(0).id;
    m_window->detailPane()->activateLink(u"message:%1"_s.arg(child));
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.last().at(0).toLongLong(), child);
    QVERIFY(m_window->detailPane()->headerText().startsWith(u"Message 0C9D8E7F6A"_s));
    // And the table selects it: the pane showed the notice while the table kept the bounced
    // message selected (trial22).
    const auto selected = [this] {
        const QModelIndex current = m_window->table()->selectionModel()->currentIndex();
        return current.isValid() ? current.data(CacheTableModel::MessageDbIdRole).toLongLong() : qint64(0);
    };
    QTRY_COMPARE(selected(), child);
    QCOMPARE(m_window->table()->selectionModel()->selectedRows().size(), 1);
    if (const QByteArray pictures = qgetenv("MAILTRAIL_WINDOW_PICTURES"); !pictures.isEmpty())
        m_window->grab().save(QDir(QString::fromLocal8Bit(pictures)).filePath(u"link-notice.png"_s));
    QTRY_VERIFY(m_window->table()->viewport()->rect().intersects(
        m_window->table()->visualRect(m_window->table()->selectionModel()->currentIndex())));
    // The notice names the message it is about by a link that goes back to it, the same way.
    const qint64 parent = m_window->timelineModel()->detail().message.parentId;
    QVERIFY(parent > 0);
    QVERIFY(m_window->detailPane()->headerText().contains(u"Sent by the mail system about message 7A1B2C3D4E"_s));
    m_window->detailPane()->activateLink(u"message:%1"_s.arg(parent));
    QTRY_COMPARE(selected(), parent);
    QCOMPARE(m_window->timelineModel()->detail().message.id, parent);
}

void TestMainWindow::linkToAMessageTheFilterHides()
{
    openAndWait(m_flows);
    // The bounced message's sender: its notice (from <>) is not among the rows.
    field(u"Sender"_s)->setText(u"news@example.com"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(0);
    QVERIFY(shown.wait(10000));
    const qint64 bounced = shown.last().at(0).toLongLong();
    const qint64 child = m_window->timelineModel()->detail().children.at(0).id;
    m_window->detailPane()->activateLink(u"message:%1"_s.arg(child));
    // The pane shows the notice, the table selects no other message, and the pane says why.
    QTRY_VERIFY2(m_window->detailPane()->headerText().contains(u"not among the rows the filter shows"_s),
                 qPrintable(m_window->detailPane()->headerText()));
    QCOMPARE(m_window->timelineModel()->detail().message.id, child);
    if (const QByteArray pictures = qgetenv("MAILTRAIL_WINDOW_PICTURES"); !pictures.isEmpty())
        m_window->grab().save(QDir(QString::fromLocal8Bit(pictures)).filePath(u"link-unlisted.png"_s));
    QVERIFY(!m_window->table()->selectionModel()->currentIndex().isValid());
    QVERIFY(m_window->table()->selectionModel()->selectedRows().isEmpty());
    // Its link clears the filter, and the notice is listed and selected.
    m_window->detailPane()->activateLink(u"filter:clear"_s);
    QTRY_VERIFY(m_window->table()->selectionModel()->currentIndex().isValid());
    QCOMPARE(m_window->table()->selectionModel()->currentIndex().data(CacheTableModel::MessageDbIdRole).toLongLong(), child);
    QVERIFY(field(u"Sender"_s)->text().isEmpty());
    QVERIFY(!m_window->detailPane()->headerText().contains(u"not among the rows"_s));
    QVERIFY(bounced != child);
}

void TestMainWindow::headerOfALogWithoutHost()
{
    // Exim's mainlog names no host: the header said "on  · from …".
    openAndWait({QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.96-mainlog.log")});
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(0);
    QVERIFY(shown.wait(10000));
    const QString header = m_window->detailPane()->headerText();
    QVERIFY2(header.contains(u"from alice@lab.test · 2 recipients"_s), qPrintable(header));
    QVERIFY2(!header.contains(u" on "_s), qPrintable(header));
}

void TestMainWindow::newFilterShowsItsRowsFromTheTop()
{
    // 300 messages sent and 300 still deferred; scrolled to the end, then filtered to the deferred.
    const QString log = QString::fromStdString(write(*m_dir, u"many.log"_s,
        repeatedFlow("deferred-then-sent.log", 300, {{"4F2A81C0123", 0x10000000}}) +
            repeatedFlow("still-deferred.log", 300, {{"8C9D0E1F2A", 0x20000000}})));
    openAndWait({log});
    QCOMPARE(m_window->currentModel()->rowCount(), 600);
    m_window->table()->scrollToBottom();
    QVERIFY(m_window->table()->verticalScrollBar()->value() > 0);
    Filter deferred;
    deferred.statuses = {"deferred"};
    m_window->session()->setFilter(deferred);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QCOMPARE(m_window->currentModel()->rowCount(), 300);
    QVERIFY(m_window->table()->verticalScrollBar()->maximum() > 0);
    QCOMPARE(m_window->table()->verticalScrollBar()->value(), 0);
}

void TestMainWindow::deliveriesGrain()
{
    openAndWait(m_flows);
    m_window->setGrain(Grain::Deliveries);
    QCOMPARE(m_window->grain(), Grain::Deliveries);
    // Counted off the GUI thread: the bar says so until the count is in.
    QVERIFY(m_window->currentModel()->isCounting());
    // 1 + (2 + the notification's 1) + 1 + 4 recipients
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 9);
}

void TestMainWindow::longEximIdsAreShownWhole()
{
    // Exim 4.97 and later write ids such as 1vAlZc-00000000GfZ-0Nm7, longer than the Queue ID
    // column was made for.
    const QString log = QString::fromStdString(write(*m_dir, u"mainlog"_s, QByteArray()));
    QFile::remove(log);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"), log));
    openAndWait({log});
    QTableView *table = m_window->table();
    QVERIFY(!table->isColumnHidden(MessageTableModel::QueueIdColumn));
    const QString id = m_window->currentModel()->index(0, MessageTableModel::QueueIdColumn).data().toString();
    QVERIFY2(id.size() > 20, qPrintable(id));
    QTRY_VERIFY2(table->columnWidth(MessageTableModel::QueueIdColumn) > table->fontMetrics().horizontalAdvance(id),
                 qPrintable(QString::number(table->columnWidth(MessageTableModel::QueueIdColumn))));
}

void TestMainWindow::hopsToggleListsEachHop()
{
    // Postfix behind a content filter: four messages passed through two queues each. By default
    // each is one row with Hops 2; View > Show Hops as Separate Messages lists every queue id.
    const QString log = QString::fromStdString(write(*m_dir, u"mail.log"_s, QByteArray()));
    QFile::remove(log);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), log));
    openAndWait({log});
    CacheTableModel *model = m_window->currentModel();
    QTRY_COMPARE(model->rowCount(), 12);
    const auto chains = [model] {
        int n = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            n += model->index(row, MessageTableModel::HopsColumn).data().toInt() > 1;
        return n;
    };
    QCOMPARE(chains(), 4);
    // 75963E643B1 is the second hop of 3656CE643A6 (re-injected by the filter).
    QVERIFY(rowOf(u"3656CE643A6"_s) >= 0);
    QCOMPARE(rowOf(u"75963E643B1"_s), -1);
    auto *toggle = m_window->findChild<QAction *>(u"showHops"_s);
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    toggle->trigger();
    QTRY_COMPARE(model->rowCount(), 16);
    QVERIFY(rowOf(u"75963E643B1"_s) >= 0);
    // The first hop still says how many hops its chain has.
    QCOMPARE(chains(), 4);
    toggle->trigger();
    QTRY_COMPARE(model->rowCount(), 12);
    QCOMPARE(rowOf(u"75963E643B1"_s), -1);
}

void TestMainWindow::aDeliveryOfAChainShowsTheChain()
{
    // Behind a content filter, a delivery of the Deliveries tab is its chain's last hop's
    // (75963E643B1, re-injected by the filter); the pane shows the chain from its first hop
    // (3656CE643A6: the client, the hops), as the Messages tab's row of it does.
    const QString log = QString::fromStdString(write(*m_dir, u"mail.log"_s, QByteArray()));
    QFile::remove(log);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), log));
    openAndWait({log});
    QTRY_VERIFY(rowOf(u"3656CE643A6"_s) >= 0);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(rowOf(u"3656CE643A6"_s));
    QVERIFY(shown.wait(10000));
    const MessageDetail fromMessages = m_window->timelineModel()->detail();
    QCOMPARE(QString::fromStdString(fromMessages.message.queueId), u"3656CE643A6"_s);
    QVERIFY(!fromMessages.laterHops.empty());
    const int markers = m_window->detailPane()->timeline()->markerCount();

    m_window->setGrain(Grain::Deliveries);
    CacheTableModel *deliveries = m_window->currentModel();
    const auto deliveryRow = [deliveries] {
        for (int r = 0; r < deliveries->rowCount(); ++r)
            if (deliveries->index(r, DeliveryTableModel::QueueIdColumn).data().toString() == u"75963E643B1"_s)
                return r;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(deliveryRow() >= 0, 10000);
    const int row = deliveryRow();
    m_window->table()->clearSelection();
    shown.clear();
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    QTRY_COMPARE(shown.count(), 1);
    const MessageDetail fromDeliveries = m_window->timelineModel()->detail();
    QCOMPARE(fromDeliveries.message.id, fromMessages.message.id);
    QCOMPARE(fromDeliveries.laterHops.size(), fromMessages.laterHops.size());
    QCOMPARE(m_window->detailPane()->timeline()->markerCount(), markers);

    // Hops listed apart: the delivery shows its own hop.
    m_window->findChild<QAction *>(u"showHops"_s)->trigger();
    m_window->setGrain(Grain::Messages);
    QTRY_VERIFY(rowOf(u"75963E643B1"_s) >= 0);
    shown.clear();
    m_window->table()->selectRow(rowOf(u"75963E643B1"_s));
    QVERIFY(shown.wait(10000));
    QCOMPARE(QString::fromStdString(m_window->timelineModel()->detail().message.queueId), u"75963E643B1"_s);
}

void TestMainWindow::theCurrentViewTabStandsOut_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<double>("least");
    // WCAG's 3:1 for what tells a control's state, in the dark palette where the trial could not
    // tell the tabs apart (rgb 33,36,39 against 30,32,35: 1.1:1). The light palette's highlight
    // on a light grey reaches less, as Breeze's own does.
    QTest::addRow("dark") << true << 3.0;
    QTest::addRow("light") << false << 1.8;
}

void TestMainWindow::theCurrentViewTabStandsOut()
{
    QFETCH(bool, dark);
    QFETCH(double, least);
    openAndWait(m_flows);
    m_window->setPalette(breezePalette(dark));
    QTabBar *tabs = viewTabs();
    QVERIFY(tabs && tabs->isVisible());
    tabs->setCurrentIndex(0);
    const QImage image = tabs->grab().toImage();
    if (const QByteArray dir = qgetenv("MAILTRAIL_TAB_PICTURES"); !dir.isEmpty())
        image.save(QDir(QString::fromLocal8Bit(dir)).filePath(u"tabs-%1.png"_s.arg(dark ? u"dark"_s : u"light"_s)));
    const qreal ratio = image.devicePixelRatio();
    // A row's mean colour across a tab, in the tab's own coordinates.
    const auto rowColour = [&](int tab, int y) {
        const QRect r = tabs->tabRect(tab);
        double red = 0, green = 0, blue = 0;
        int n = 0;
        for (int x = r.left() + 2; x < r.right() - 2; ++x, ++n) {
            const QColor c = image.pixelColor(QPoint(x, r.top() + y) * ratio);
            red += double(c.redF());
            green += double(c.greenF());
            blue += double(c.blueF());
        }
        return QColor::fromRgbF(float(red / n), float(green / n), float(blue / n));
    };
    const auto luminance = [](const QColor &c) {
        const auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * lin(double(c.redF())) + 0.7152 * lin(double(c.greenF())) + 0.0722 * lin(double(c.blueF()));
    };
    // Above and below the text, where the two tabs differ by their state only.
    const int height = tabs->tabRect(0).height();
    const int textTop = (height - tabs->fontMetrics().height()) / 2;
    double best = 1.0;
    for (int y = 0; y < height; ++y) {
        if (y >= textTop - 1 && y <= textTop + tabs->fontMetrics().height())
            continue;
        const double a = luminance(rowColour(0, y));
        const double b = luminance(rowColour(1, y));
        best = std::max(best, (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05));
    }
    QVERIFY2(best >= least, qPrintable(u"%1:1"_s.arg(best, 0, 'f', 2)));
}

void TestMainWindow::countsOfAGrainWaitOffTheGuiThread()
{
    openAndWait(m_flows);
    // The cache goes bad under the window (another build, a damaged file): the count fails.
    sql::Database other;
    other.open(m_dir->filePath(u"cache.sqlite"_s).toStdString());
    other.exec("DROP TABLE deliveries");
    EventLoopWatchdog watchdog;
    m_window->setGrain(Grain::Deliveries);
    QVERIFY(m_window->currentModel()->isCounting());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->currentModel()->isCounting(), 15000);
    watchdog.stop();
    // The event loop turned all along, and the failure is said in words, not shown as 0 rows.
    QVERIFY2(watchdog.longest() < 1000, qPrintable(QString::number(watchdog.longest())));
    const QString said = m_window->statusBar()->currentMessage();
    QVERIFY2(said.contains(u"could not be applied"_s) && said.contains(u"deliveries"_s), qPrintable(said));
}

void TestMainWindow::importLeavesEveryColumnSortable()
{
    // The import itself builds only what filters need; the window's import job adds the indexes
    // for the other orders before it reports the import finished.
    openAndWait(m_flows);
    CacheTableModel *model = m_window->currentModel();
    QVERIFY(model->canSortBy(MessageTableModel::SizeColumn));
    m_window->table()->sortByColumn(MessageTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(model->sortColumn(), int(MessageTableModel::SizeColumn));
    QCOMPARE(model->currentSort().key, SortKey::Size);
}

void TestMainWindow::cacheOfADevelopmentBuildIsMovedAside()
{
    // A cache this build cannot read is kept beside a new one, and the user is told, also after
    // the first import has replaced the status line.
    const QString path = windowOnDatabase(u"old.sqlite"_s, "CREATE TABLE messages(id INTEGER PRIMARY KEY); PRAGMA user_version = 1");
    QVERIFY(m_window->cacheError().isEmpty());
    QVERIFY2(m_window->lastImportMessage().contains(u"development build"_s), qPrintable(m_window->lastImportMessage()));
    QVERIFY(QFileInfo::exists(path + u".broken-1"_s));
    openAndWait({m_flows.at(0)});
    QCOMPARE(m_window->currentModel()->rowCount(), 1);
    QVERIFY(m_window->lastImportMessage().startsWith(u"Imported"_s));
    QVERIFY(m_window->lastImportMessage().contains(u"moved to"_s));
}

void TestMainWindow::foreignCacheFileFailsTheImportAtOnce()
{
    // Someone else's database is neither read nor moved: opening logs says why and ends at once,
    // so a script waiting for the import (--screenshot) does not wait for a dialog to close.
    const QString path = windowOnDatabase(u"theirs.sqlite"_s, "CREATE TABLE invoices(id INTEGER PRIMARY KEY)");
    QVERIFY(!m_window->cacheError().isEmpty());
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs({m_flows.at(0)});
    QCOMPARE(finished.count(), 1);
    QVERIFY(!finished.at(0).at(0).value<ImportSummary>().ok());
    QVERIFY(m_window->lastImportMessage().contains(u"not a Mailtrail cache"_s));
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(path + u".broken-1"_s));
}

void TestMainWindow::textSearchCompletesAnUnfinishedTextIndex()
{
    // As after an indexing cut short: a text search says it is partial and indexes the rest.
    openAndWait(m_flows);
    {
        sql::Database db;
        db.open(m_dir->filePath(u"cache.sqlite"_s).toStdString());
        db.exec("INSERT INTO message_text(message_text) VALUES('delete-all'); "
                "UPDATE meta SET value = 0 WHERE key = 'text_indexed_upto'");
    }
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    QLineEdit *text = field(u"Search replies, addresses, ids…"_s);
    QVERIFY(text);
    QTest::keyClicks(text, u"Greylisted"_s);
    QVERIFY(finished.wait(30000));  // the filter bar applies the words after a pause
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    QCOMPARE(m_window->lastImportMessage(), u"Free-text search now covers every message."_s);
}

void TestMainWindow::unreadableFileIsNamedAndOthersOpen()
{
    const QString junk = QString::fromStdString(write(*m_dir, u"photo.jpg"_s, QByteArray(5000, '\xff')));
    openAndWait({junk, m_flows.at(1)});
    QCOMPARE(m_window->currentModel()->rowCount(), 2);
    QVERIFY2(m_window->lastImportMessage().contains(u"photo.jpg: not a mail log"_s), qPrintable(m_window->lastImportMessage()));
    // ... and in the window itself, which stays in view.
    auto *summary = m_window->findChild<QLabel *>(u"importSummary"_s);
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(u"photo.jpg: not a mail log"_s), qPrintable(summary->text()));
    // Open Recent offers what opened, not what could not.
    const QStringList recent = recentfiles::list();
    QVERIFY(recent.contains(QFileInfo(m_flows.at(1)).absoluteFilePath()));
    QVERIFY(!recent.contains(junk));
}

void TestMainWindow::linesNotUnderstoodAreCounted()
{
    // Junk in the middle of a log: the messages around it open, and the status line says how
    // many lines were not understood, as the CLI does, with digits grouped.
    QByteArray data = flow("expired.log");
    for (int i = 0; i < 1200; ++i)
        data += "\x01\x02 not a syslog line \xff\xfe\n";
    data += flow("still-deferred.log");
    openAndWait({QString::fromStdString(write(*m_dir, u"mixed.log"_s, data))});
    QCOMPARE(m_window->currentModel()->rowCount(), 3);
    QVERIFY2(m_window->lastImportMessage().contains(QLocale().toString(1200) + u" of them not understood"_s),
             qPrintable(m_window->lastImportMessage()));
}

void TestMainWindow::cancelKeepsWhatWasReadAndReopenFinishes()
{
    // Big enough (180,000 lines, checked for a cancel every 16,384) that the import is still
    // running when the cancel arrives, even on a fast machine.
    const QByteArray data = repeatedFlow("deferred-then-sent.log", 20000, {{"4F2A81C0123", 0x10000000000LL}});
    const QString big = QString::fromStdString(write(*m_dir, u"big.log"_s, data));
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    ImportSummary summary;
    connect(m_window.get(), &MainWindow::importFinished, this, [&summary](const ImportSummary &s) { summary = s; });
    m_window->openLogs({big});
    QVERIFY(m_window->isImporting());
    m_window->cancelImport();
    QVERIFY(finished.wait(30000));
    QVERIFY(summary.cancelled);
    const int partial = m_window->currentModel()->rowCount();
    QVERIFY2(partial > 0 && partial < 20000, qPrintable(QString::number(partial)));
    QVERIFY(m_window->lastImportMessage().contains(u"cancelled"_s));
    // Opening it again reads on from where the import stopped.
    openAndWait({big});
    QCOMPARE(m_window->currentModel()->rowCount(), 20000);
}

void TestMainWindow::ctrlFReachesTheTextSearch()
{
    openAndWait(m_flows);
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), field(u"Search replies, addresses, ids…"_s));
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(QApplication::focusWidget(), field(u"Sender"_s));
}

void TestMainWindow::importNamesItsLastPhases()
{
    // Once the last line is read the bytes stand still (7 s at "1061 of 1073 MB" for 1 GB): the
    // progress line says what the import does meanwhile, then what is built after the rows.
    auto *progress = m_window->findChild<QLabel *>(u"importProgress"_s);
    QVERIFY(progress);
    QStringList said;
    ImportJob *job = m_window->session()->importJob();
    connect(job, &ImportJob::finishing, this, [&] { said << progress->text(); });
    connect(job, &ImportJob::buildingIndexes, this, [&] { said << progress->text(); });
    openAndWait(m_flows);
    QCOMPARE(said.size(), 2);
    QCOMPARE(said.at(0), u"Every line is read; writing the last rows…"_s);
    QCOMPARE(said.at(1), u"Building indexes for filtering and sorting…"_s);
}

void TestMainWindow::importSummaryStaysInView()
{
    // The import's summary used to be a status-bar message gone after 10 s.
    openAndWait(m_flows);
    auto *summary = m_window->findChild<QLabel *>(u"importSummary"_s);
    QVERIFY(summary);
    QVERIFY2(summary->text().startsWith(u"Imported"_s), qPrintable(summary->text()));
    // The status bar and the table count agree at the end.
    QVERIFY2(summary->text().contains(u"hold %1 messages"_s.arg(QLocale().toString(m_window->currentModel()->totalCount()))),
             qPrintable(summary->text()));
    // A message of the moment covers it while it lasts, then it is back.
    m_window->statusBar()->showMessage(u"Copied"_s, 50);
    QVERIFY(!summary->isVisible());
    QTRY_VERIFY(summary->isVisible());
    QVERIFY(summary->text().startsWith(u"Imported"_s));
}

void TestMainWindow::fromToRangeFilters()
{
    openAndWait(m_flows);
    // Nov 20 12:00 to 13:00 (tests run in UTC): only the NOQUEUE reject arrived then.
    Filter noon;
    noon.sinceMs = QDateTime(QDate(2026, 11, 20), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    noon.untilMs = QDateTime(QDate(2026, 11, 20), QTime(13, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    m_window->session()->setFilter(noon);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    // The bar shows it as a from-to range, and reads it back the same.
    QCOMPARE(m_window->filterBar()->filter().sinceMs, noon.sinceMs);
    QCOMPARE(m_window->filterBar()->filter().untilMs, noon.untilMs);
    bool shown = false;
    for (QDateTimeEdit *edit : m_window->filterBar()->findChildren<QDateTimeEdit *>())
        shown |= edit->isVisible() && edit->dateTime().toMSecsSinceEpoch() == noon.sinceMs;
    QVERIFY(shown);
}

void TestMainWindow::firstWindowTakesAShareOfTheScreen()
{
    QSettings().remove(u"window/geometry"_s);
    MainWindow fresh(m_dir->filePath(u"other.sqlite"_s));
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    QCOMPARE(fresh.width(), available.width() * 4 / 5);
    QCOMPARE(fresh.height(), available.height() * 17 / 20);
}

// A 1024-pixel screen: the window fits it, and the table keeps rows to read when a message of a
// chain (its timeline a lane per recipient and hop) is selected; the pane below scrolls instead.
void TestMainWindow::smallWindowKeepsTheTableReadable()
{
    m_window.reset();
    QSettings settings;
    for (const QString &key : {u"window/geometry"_s, u"window/splitter3"_s, u"window/state"_s})
        settings.remove(key);
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"small.sqlite"_s));
    QVERIFY2(m_window->minimumSizeHint().width() <= 1024, qPrintable(QString::number(m_window->minimumSizeHint().width())));
    m_window->resize(1000, 650);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    openAndWait({QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log")});
    QTableView *table = m_window->table();
    QTRY_VERIFY(table->model()->rowCount() > 5);
    table->selectRow(0);  // 3656CE643A6: three recipients over two hops
    QTRY_VERIFY(m_window->detailPane()->attempts()->model()->rowCount() > 5);
    const int rows = table->viewport()->height() / table->verticalHeader()->defaultSectionSize();
    QVERIFY2(rows >= 5, qPrintable(QString::number(rows)));
    // And the message pane shows its timeline whole (a lane per recipient and hop), not only its
    // header (its code explanations, its TLS and hops), which scrolls on its own instead.
    TimelineWidget *timeline = m_window->detailPane()->timeline();
    QTRY_VERIFY2(timeline->visibleRegion().boundingRect().height() >= timeline->minimumSizeHint().height(),
                 qPrintable(u"%1 of %2 px"_s.arg(timeline->visibleRegion().boundingRect().height()).arg(timeline->minimumSizeHint().height())));
    QVERIFY2(m_window->detailPane()->headerText().startsWith(u"Message 3656CE643A6"_s), qPrintable(m_window->detailPane()->headerText()));
}

void TestMainWindow::unsortableColumnSaysWhy()
{
    openAndWait(m_flows);
    m_window->setGrain(Grain::Deliveries);
    CacheTableModel *model = m_window->currentModel();
    QTRY_VERIFY(!model->isCounting());
    const QString attempts = model->headerData(DeliveryTableModel::AttemptsColumn, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(attempts.contains(u"cannot be sorted"_s), qPrintable(attempts));
    const QString time = model->headerData(DeliveryTableModel::TimeColumn, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(time.contains(u"Click to sort"_s), qPrintable(time));
}

void TestMainWindow::ctrlEndGoesDownNotAcross_data()
{
    QTest::addColumn<int>("modifiers");
    QTest::newRow("Ctrl") << int(Qt::ControlModifier);
    QTest::newRow("alone") << int(Qt::NoModifier);
}

void TestMainWindow::ctrlEndGoesDownNotAcross()
{
    // trial21: Ctrl+End jumped to the last column, and Time, Status and Sender went out of view.
    QFETCH(int, modifiers);
    m_window->resize(1000, 650);
    openAndWait(m_flows);
    MessageView *table = m_window->table();
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    const int rows = m_window->currentModel()->rowCount();
    QVERIFY(rows > 2);
    QVERIFY2(table->horizontalScrollBar()->maximum() > 0, "the columns are wider than the window");
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    table->selectRow(1);
    QVERIFY(shown.wait(10000));
    table->setFocus();
    QCOMPARE(table->horizontalScrollBar()->value(), 0);
    QTest::keyClick(table, Qt::Key_End, Qt::KeyboardModifiers(modifiers));
    QCOMPARE(table->currentIndex().row(), rows - 1);
    QCOMPARE(table->horizontalScrollBar()->value(), 0);
    // The row gone to is the one selected and shown below.
    QCOMPARE(table->selectedRowNumbers(), QList<int>{rows - 1});
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.last().at(0).toLongLong(), table->currentIndex().data(CacheTableModel::MessageDbIdRole).toLongLong());
    // Scrolled across by the user, it stays there.
    table->horizontalScrollBar()->setValue(table->horizontalScrollBar()->maximum() / 2);
    const int across = table->horizontalScrollBar()->value();
    QTest::keyClick(table, Qt::Key_Home, Qt::KeyboardModifiers(modifiers));
    QCOMPARE(table->currentIndex().row(), 0);
    QCOMPARE(table->horizontalScrollBar()->value(), across);
    QCOMPARE(table->selectedRowNumbers(), QList<int>{0});
}

void TestMainWindow::filterKeepsTheSelectedMessageItStillMatches()
{
    // trial21: a new filter dropped the selected message even when it still matched it (a new
    // order keeps it). Kept: selected, shown below, in view; not matched: both cleared, as before.
    const QString many = QString::fromStdString(
        write(*m_dir, u"many.log"_s, repeatedFlow("deferred-then-sent.log", 400, {{"4F2A81C0123", 0x100000}})));
    openAndWait({many, m_flows.at(1)});
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    // Far down, out of the first rows' view.
    const int row = rowOf(u"10018F"_s);
    QVERIFY(row > 300);
    QSignalSpy shown(m_window.get(), &MainWindow::messageShown);
    m_window->table()->selectRow(row);
    QVERIFY(shown.wait(10000));
    const qint64 id = shown.last().at(0).toLongLong();
    QCOMPARE(m_window->timelineModel()->detail().message.id, id);
    // Still matched: the 400 of alice, not the bounce of the other log.
    field(u"Sender"_s)->setText(u"alice@example.com"_s);
    QTRY_VERIFY(m_window->session()->filter().sender == "alice@example.com");
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QTRY_VERIFY(m_window->table()->selectionModel()->currentIndex().isValid());
    const QModelIndex current = m_window->table()->selectionModel()->currentIndex();
    QCOMPARE(current.data(CacheTableModel::MessageDbIdRole).toLongLong(), id);
    QCOMPARE(m_window->table()->selectedRowNumbers(), QList<int>{current.row()});
    QCOMPARE(m_window->timelineModel()->detail().message.id, id);
    QVERIFY(m_window->timelineModel()->laneCount() > 0);
    QTRY_VERIFY(m_window->table()->viewport()->rect().intersects(m_window->table()->visualRect(current)));
    // Not matched any more: nothing selected, the pane empty.
    field(u"Sender"_s)->setText(u"nobody@example.com"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 0);
    QTRY_COMPARE(m_window->timelineModel()->laneCount(), 0);
    QVERIFY(!m_window->table()->selectionModel()->currentIndex().isValid());
    QCOMPARE(m_window->timelineModel()->detail().message.id, 0);
}

void TestMainWindow::aCopyIsNotCountedAsFollowed()
{
    // trial21: "Following 2 logs" of a log and a copy of it, which the import skipped (same
    // content): one log's lines come in.
    const QString log = QString::fromStdString(write(*m_dir, u"a.log"_s, flow("deferred-then-sent.log")));
    const QString copy = QString::fromStdString(write(*m_dir, u"b.log"_s, flow("deferred-then-sent.log")));
    openAndWait({log, copy});
    QCOMPARE(m_window->openLogPaths().size(), 2);
    auto *follow = m_window->findChild<QAction *>(u"follow"_s);
    auto *said = m_window->statusBar()->findChild<QLabel *>(u"followIndicator"_s);
    QVERIFY(follow && said);
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    follow->trigger();
    QVERIFY(finished.wait(30000));
    QVERIFY(said->isVisible());
    QVERIFY2(said->text().endsWith(u"Following a.log"_s), qPrintable(said->text()));
    // The copy is still watched (it may be the name written to), and said so.
    QCOMPARE(m_window->session()->followedPaths().size(), 2);
    QVERIFY2(said->toolTip().contains(u"b.log (same content as a.log)"_s), qPrintable(said->toolTip()));
    // Two logs of their own are two.
    follow->trigger();
    openAndWait({m_flows.at(1)});
    follow->trigger();
    QVERIFY(finished.wait(30000));
    QVERIFY2(said->text().endsWith(u"Following 2 logs"_s), qPrintable(said->text()));
}

void TestMainWindow::insightsAreThoseOfTheCacheImported()
{
    // trial21: two windows on nearly one log listed 14 and 11 insights. The replay started at the
    // import's first commit and went on at each: over messages still open there, its insights
    // depended on where the commits fell. They are those of one replay of the cache imported.
    const QString log = m_dir->filePath(u"gen.log"_s);
    QProcess gen;
    gen.setStandardOutputFile(log);
    gen.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-genlog"),
              {u"--size"_s, u"20M"_s, u"--seed"_s, u"7"_s, u"--rate"_s, u"3"_s});
    QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    InsightReplay *replay = m_window->session()->insightReplay();
    QString saidWhileImporting;
    connect(replay, &InsightReplay::busyChanged, this, [&] {
        if (replay->isWaiting() && m_window->isImporting())
            saidWhileImporting = m_window->insightsPane()->statusText();
    });
    m_window->openLogs({log});
    QVERIFY(finished.wait(120000));
    QTRY_VERIFY_WITH_TIMEOUT(!replay->isBusy(), 60000);
    // Meanwhile the pane said it waits for the import, not "Nothing unusual".
    QVERIFY2(saidWhileImporting.contains(u"once the import is done"_s), qPrintable(saidWhileImporting));
    const auto listed = [](const InsightModel &model) {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row) {
            const Insight &i = model.insight(row);
            out << u"%1 %2 @%3: %4"_s.arg(QLatin1StringView(insightKindName(i.kind)), QString::fromStdString(i.subject))
                       .arg(i.timeMs)
                       .arg(QString::fromStdString(i.detail));
        }
        return out;
    };
    InsightModel once;
    InsightReplay again(m_dir->filePath(u"cache.sqlite"_s), &once);
    again.restart(m_window->session()->scope(), m_window->session()->insightThresholds());
    again.waitForIdle();
    QVERIFY(once.rowCount() > 0);  // the log has some: the comparison says something
    QCOMPARE(listed(*m_window->session()->insights()), listed(once));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
