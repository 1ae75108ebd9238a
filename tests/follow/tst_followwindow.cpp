// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window following a log that is being written: Follow turns itself on for a log written in
// the last hour, new rows come in without moving the selection or the scroll position, and a
// table at its newest row stays there.
#include "cachetablemodel.h"
#include "chartmodel.h"
#include "chartview.h"
#include "insightmodel.h"
#include "insightnotifier.h"
#include "insightreplay.h"
#include "insightsettings.h"
#include "insightspane.h"
#include "mainwindow.h"
#include "openlogsdialog.h"
#include "messagetablemodel.h"
#include "messageview.h"
#include "session.h"
#include "summarymodel.h"
#include "summaryview.h"
#include "ingest/ingestor.h"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

QByteArray psmLines(int from, int to)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/psm-postfix-plain.log"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read the test log");
    const QList<QByteArray> lines = f.readAll().split('\n');
    QByteArray out;
    for (int i = from; i < std::min<int>(to, static_cast<int>(lines.size())); ++i) {
        if (!lines[i].isEmpty())
            out += lines[i] + '\n';
    }
    return out;
}

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append) || f.write(bytes) != bytes.size())
        qFatal("cannot append to %s", qPrintable(path));
}

QAction *reloadAction(MainWindow &window)
{
    for (QAction *a : window.findChildren<QAction *>()) {
        if (a->shortcut() == QKeySequence(QKeySequence::Refresh))
            return a;
    }
    return nullptr;
}

// Which message a row is (its status may change as its lines come: an open message goes on).
QString rowText(CacheTableModel *model, int row)
{
    QStringList cells;
    for (int column = 0; column < model->columnCount(); ++column) {
        const QString header = model->headerData(column, Qt::Horizontal).toString();
        if (header.contains(u"Queue"_s) || header.contains(u"Message-ID"_s) || header.contains(u"Time"_s) ||
            header.contains(u"Received"_s))
            cells << model->index(row, column).data().toString();
    }
    if (cells.size() < 2)
        qFatal("no identifying columns among the headers");
    return cells.join(u'|');
}

} // namespace

class TestFollowWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void newRowsKeepTheView_data();
    void newRowsKeepTheView();
    void closedLogIsNotFollowed();
    void rotationKeepsTheOpenLogs();
    void rotatedLogIsListedAndCloses();
    void insightsPaneIsInTheViewMenu();
    void insightsDockFitsWhatItHolds();
    void refreshCountsOffTheGuiThread();
    void reloadReadsWhatCameWhileNotFollowing();
    void liveInsightsAreNotifiedOnce();
    void chartAndSummaryMoveWithTheBatches();
    void wakeUpThatReadsNothingKeepsTheStatusBar();
};

void TestFollowWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
}

void TestFollowWindow::newRowsKeepTheView_data()
{
    QTest::addColumn<bool>("atNewest");
    QTest::addColumn<bool>("newestFirst");
    QTest::newRow("selection in the middle") << false << false;
    QTest::newRow("at the newest row") << true << false;
    // The new rows come before the selected one: it must stay on the same message.
    QTest::newRow("newest first, selection in the middle") << false << true;
}

void TestFollowWindow::newRowsKeepTheView()
{
    QFETCH(bool, atNewest);
    QFETCH(bool, newestFirst);
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 110));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.resize(1000, 500);
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    auto *follow = window.findChild<QAction *>(u"follow"_s);
    QVERIFY(follow);
    QVERIFY2(follow->isChecked(), "a log written in the last hour is followed");

    CacheTableModel *model = window.currentModel();
    QTRY_VERIFY(model->rowCount() > 10);
    const int before = model->rowCount();
    MessageView *table = window.table();
    if (newestFirst) {
        table->sortByColumn(MessageTableModel::TimeColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!rowText(model, 0).isEmpty());
    }
    QScrollBar *bar = table->verticalScrollBar();
    QTRY_VERIFY2(bar->maximum() > 0, "more rows than the view shows");
    int selected = 2;
    if (atNewest) {
        table->scrollToBottom();
        selected = before - 1;
    } else {
        table->scrollTo(model->index(5, 0), QAbstractItemView::PositionAtTop);
    }
    table->selectRow(selected);
    const QString selectedText = rowText(model, selected);
    const int scroll = bar->value();

    append(log, psmLines(110, 400));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > before, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 2, 10000);
    if (newestFirst) {
        // Moved down by the rows that came before it, still selected, the view where it was.
        QTRY_VERIFY(table->selectionModel()->currentIndex().row() > selected);
        QTRY_COMPARE(rowText(model, table->selectionModel()->currentIndex().row()), selectedText);
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(bar->value(), scroll);
        return;
    }
    QTRY_COMPARE(table->selectionModel()->currentIndex().row(), selected);
    QCOMPARE(rowText(model, selected), selectedText);
    if (atNewest) {
        // The view lays the new rows out later than the model has them: wait for its range.
        QTRY_VERIFY(bar->maximum() > scroll);
        QTRY_COMPARE(bar->value(), bar->maximum());
    } else {
        QCOMPARE(bar->value(), scroll);
    }
}

void TestFollowWindow::closedLogIsNotFollowed()
{
    // Closing a followed log stops following it: its next line must not open it again.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 110));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    auto *follow = window.findChild<QAction *>(u"follow"_s);
    QVERIFY(follow && follow->isChecked());
    window.closeLogs({log});
    QVERIFY(window.openLogPaths().isEmpty());
    append(log, psmLines(110, 400));
    QTest::qWait(2500);  // the follower's poll is 1 s, its settle time 50 ms
    QCOMPARE(finished.count(), 1);
    QVERIFY(window.openLogPaths().isEmpty());
}

void TestFollowWindow::rotationKeepsTheOpenLogs()
{
    // Rotated twice while followed: the window still has one log open and follows that name
    // alone, and shows the rotated content too.
    QTemporaryDir dir;
    const QString log = QFileInfo(dir.filePath(u"mail.log"_s)).absoluteFilePath();
    append(log, psmLines(0, 60));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    const QStringList open = window.openLogPaths();
    QCOMPARE(open.size(), 1);
    CacheTableModel *model = window.currentModel();
    QTRY_VERIFY(model->rowCount() > 0);
    int rows = model->rowCount();
    for (int rotation = 0; rotation < 2; ++rotation) {
        if (rotation == 1)
            QVERIFY(QFile::rename(log + u".1"_s, log + u".2"_s));
        QVERIFY(QFile::rename(log, log + u".1"_s));
        append(log, psmLines(60 + rotation * 60, 120 + rotation * 60));
        const qsizetype batches = finished.count();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > batches && model->rowCount() > rows, 10000);
        QTest::qWait(300);  // a second batch for the rotated file's late lines, if any
        QCOMPARE(window.openLogPaths(), open);
        QVERIFY(!window.windowTitle().contains(u"mail.log.1"_s));
        rows = model->rowCount();
    }
    // Every message of the three contents is on show: as many as one import of them all gives.
    MainWindow whole(dir.filePath(u"whole.sqlite"_s));
    QSignalSpy wholeFinished(&whole, &MainWindow::importFinished);
    whole.openLogs({log + u".2"_s, log + u".1"_s, log}, 2005);
    QVERIFY(wholeFinished.wait(20000));
    QTRY_COMPARE(whole.currentModel()->rowCount(), rows);
}

void TestFollowWindow::rotatedLogIsListedAndCloses()
{
    // Rotated while followed: the table shows the old content's rows under mail.log.1, and File >
    // Logs Open listed mail.log alone (12 lines) beside a status bar counting both. It lists every
    // file whose rows are on show, with its lines, and Close Log puts the rotated one away.
    QTemporaryDir dir;
    const QString log = QFileInfo(dir.filePath(u"mail.log"_s)).absoluteFilePath();
    append(log, psmLines(0, 110));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    CacheTableModel *model = window.currentModel();
    QTRY_VERIFY(model->rowCount() > 0);
    const int before = model->rowCount();
    QVERIFY(QFile::rename(log, log + u".1"_s));
    append(log, psmLines(110, 122));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 1 && model->rowCount() > before, 10000);
    QTest::qWait(300);  // a second batch for the rotated file's late lines, if any
    const int all = model->rowCount();

    window.showOpenLogs();
    OpenLogsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<OpenLogsDialog *>()) != nullptr);
    QTableWidget *table = dialog->table();
    QMap<QString, int> lines;
    int rotatedRow = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString name = table->item(r, OpenLogsDialog::LogColumn)->text();
        lines.insert(name, table->item(r, OpenLogsDialog::LinesColumn)->text().toInt());
        QVERIFY2(!table->item(r, OpenLogsDialog::FromColumn)->text().isEmpty(), qPrintable(name));
        if (name == u"mail.log.1"_s)
            rotatedRow = r;
    }
    QCOMPARE(lines.keys(), (QStringList{u"mail.log"_s, u"mail.log.1"_s}));
    QCOMPARE(lines.value(u"mail.log"_s), 12);
    QCOMPARE(lines.value(u"mail.log.1"_s), 110);

    // Close Log on mail.log.1: its rows go; mail.log stays open and followed.
    table->selectRow(rotatedRow);
    const QList<QPushButton *> buttons = dialog->findChildren<QPushButton *>();
    const auto close = std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == u"Close &Log"_s; });
    QVERIFY(close != buttons.end());
    (*close)->click();
    QCOMPARE(window.openLogPaths(), QStringList{log});
    // The rows left have lines in mail.log (a few started in mail.log.1, and say so).
    QTRY_VERIFY(model->rowCount() < all && model->rowCount() > 0);
    QPointer<OpenLogsDialog> first = dialog;
    dialog->close();
    QTRY_VERIFY(!first);
    window.showOpenLogs();
    QTRY_VERIFY((dialog = window.findChild<OpenLogsDialog *>()) != nullptr);
    QCOMPARE(dialog->table()->rowCount(), 1);
    QCOMPARE(dialog->table()->item(0, OpenLogsDialog::LogColumn)->text(), u"mail.log"_s);
}

void TestFollowWindow::insightsPaneIsInTheViewMenu()
{
    // A pane is shown and hidden from View, with Follow; Settings holds settings.
    QTemporaryDir dir;
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    QMenu *view = nullptr;
    QMenu *settings = nullptr;
    for (QAction *a : window.menuBar()->actions()) {
        if (a->text().remove(u'&') == u"View"_s)
            view = a->menu();
        if (a->text().remove(u'&') == u"Settings"_s)
            settings = a->menu();
    }
    QVERIFY(view && settings);
    auto *dock = window.findChild<QDockWidget *>(u"insights"_s);
    QVERIFY(dock);
    QVERIFY(view->actions().contains(dock->toggleViewAction()));
    QVERIFY(!settings->actions().contains(dock->toggleViewAction()));
}

void TestFollowWindow::insightsDockFitsWhatItHolds()
{
    // The first time, the Insights dock is as tall as what it holds: with no insight, the status
    // line (a fifth of the window was mostly an empty list); dragged taller by the user, it stays
    // so in the next session.
    QSettings().remove(u"window"_s);
    QTemporaryDir dir;
    int chosen = 0;
    {
        MainWindow window(dir.filePath(u"cache.sqlite"_s));
        window.resize(1000, 700);  // within the offscreen screen: its geometry is restored as it was
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *dock = window.findChild<QDockWidget *>(u"insights"_s);
        QVERIFY(dock);
        auto *pane = window.insightsPane();
        QTRY_VERIFY2(dock->height() >= pane->sizeHint().height() && dock->height() < window.height() / 5,
                     qPrintable(u"%1 of %2"_s.arg(dock->height()).arg(pane->sizeHint().height())));
        const int first = dock->height();
        // The user drags its edge, the window's separator above it (moved on a timer of the window's).
        const QPoint from(window.width() / 2, (window.centralWidget()->geometry().bottom() + dock->geometry().top()) / 2);
        QTest::mousePress(&window, Qt::LeftButton, {}, from);
        QTest::mouseMove(&window, from - QPoint(0, 60));
        QTest::qWait(50);
        QTest::mouseRelease(&window, Qt::LeftButton, {}, from - QPoint(0, 60));
        QTRY_VERIFY2(dock->height() > first + 30, qPrintable(QString::number(dock->height())));
        chosen = dock->height();
        window.close();
    }
    MainWindow again(dir.filePath(u"cache.sqlite"_s));
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    auto *dock = again.findChild<QDockWidget *>(u"insights"_s);
    QVERIFY(dock);
    QCOMPARE(again.height(), 700);
    QTRY_COMPARE(dock->height(), chosen);
    QSettings().remove(u"window"_s);
}

void TestFollowWindow::refreshCountsOffTheGuiThread()
{
    // A follow's batch committed: the session's refresh counts the rows on the model's own thread,
    // so the count changes when the answer comes back to the event loop, not inside refresh().
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 60));
    Session session(dir.filePath(u"cache.sqlite"_s));
    QVERIFY(Ingestor::import(*session.cache(), {log.toStdString()}, ImportOptions{}).ok());
    session.setScope(session.cache()->fileIdsFor({log.toStdString()}));
    CacheTableModel *model = session.model(Grain::Messages);
    QTRY_VERIFY(model->rowCount() > 0);
    const int before = model->rowCount();
    append(log, psmLines(60, 200));
    QVERIFY(Ingestor::import(*session.cache(), {log.toStdString()}, ImportOptions{}).ok());
    session.refresh();
    QCOMPARE(model->rowCount(), before);
    QTRY_VERIFY(model->rowCount() > before);
}

void TestFollowWindow::reloadReadsWhatCameWhileNotFollowing()
{
    // Follow turned off: lines written meanwhile wait; F5 reads them by hand.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 110));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    auto *follow = window.findChild<QAction *>(u"follow"_s);
    QVERIFY(follow && follow->isChecked());
    follow->setChecked(false);
    QVERIFY(!window.session()->isFollowing());
    CacheTableModel *model = window.currentModel();
    QTRY_VERIFY(!model->isCounting());
    const qint64 before = model->totalCount();
    append(log, psmLines(110, 400));
    QTest::qWait(2500);  // the follower's poll is 1 s: had it been on, it would have read them
    QCOMPARE(finished.count(), 1);
    QAction *reload = reloadAction(window);
    QVERIFY(reload);
    QCOMPARE(reload->shortcut(), QKeySequence(Qt::Key_F5));
    reload->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 10000);
    // The appended lines continue messages of the first part as much as they start new ones.
    const auto summary = finished.at(1).at(0).value<ImportSummary>();
    QCOMPARE(summary.lines, std::uint64_t(psmLines(110, 400).count('\n')));
    QTRY_VERIFY(!model->isCounting());
    QVERIFY(model->totalCount() >= before);
}

void TestFollowWindow::liveInsightsAreNotifiedOnce()
{
    // The lab's Exim mainlog with low thresholds: its first third is the history (its insights are
    // not news), the rest is appended while the window follows. What fires in it is appended to
    // the pane and notified, each insight once; F5 with nothing new notifies nothing more.
    InsightThresholds low;
    low.failureMinimum = 3;
    low.failureShare = 0.2;
    low.deferringMs = 0;
    low.queueMinimum = 1;
    low.rejectBurst = 1;
    QSettings settings;
    saveInsightThresholds(settings, low);
    QFile source(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray text = source.readAll();
    const qsizetype third = text.indexOf('\n', text.size() / 3) + 1;
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mainlog"_s);
    append(log, text.left(third));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    settings.remove(u"insights"_s);  // read by the window's session: the other tests keep the defaults
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log});
    QVERIFY(finished.wait(20000));
    QVERIFY(window.session()->isFollowing());
    InsightReplay *replay = window.session()->insightReplay();
    InsightModel *insights = window.session()->insights();
    QTRY_VERIFY(!replay->isBusy());
    auto *notifier = window.findChild<InsightNotifier *>();
    QVERIFY(notifier);
    const int history = insights->rowCount();
    QCOMPARE(notifier->notified(), 0);

    append(log, text.mid(third));
    // The five of one replay of the whole log (tst_insightmodel), the rest of them live.
    QTRY_VERIFY_WITH_TIMEOUT(insights->rowCount() == 5 && !replay->isBusy(), 15000);
    QVERIFY2(history < 5, "something fires in the appended lines");
    QTRY_VERIFY(notifier->notified() > 0);
    QVERIFY(notifier->notified() <= 5 - history);
    const int notified = notifier->notified();

    const qsizetype imports = finished.count();
    QAction *reload = reloadAction(window);
    QVERIFY(reload);
    reload->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > imports, 10000);
    QTRY_VERIFY(!replay->isBusy());
    QCOMPARE(insights->rowCount(), 5);
    QCOMPARE(notifier->notified(), notified);
}

namespace {
qint64 chartTotal(const ChartModel &chart)
{
    qint64 total = 0;
    for (const QList<qint64> &bucket : chart.table().counts) {
        for (qint64 n : bucket)
            total += n;
    }
    return total;
}

// The tries the chart's bars stack up to, as drawn.
qint64 barsTotal(ChartView *view)
{
    qreal total = 0;
    for (QAbstractSeries *series : view->chartView()->chart()->series()) {
        if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            for (const QBarSet *set : bars->barSets())
                total += set->sum();
        }
    }
    return qRound64(total);
}

// The number a Summary link shows ("12 recipients sent").
QString summaryNumber(SummaryView *view, const QString &link)
{
    const QLabel *label = view->linkLabel(link);
    return label ? label->text() : QString();
}
} // namespace

void TestFollowWindow::chartAndSummaryMoveWithTheBatches()
{
    // While following, each batch moves the chart above the table and the Summary: the one on
    // show at once, the other when it is shown again.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 60));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    QVERIFY(window.session()->isFollowing());
    ChartModel *chart = window.session()->chart();
    SummaryModel *summary = window.session()->summary();
    QTRY_VERIFY(!chart->isBusy() && chartTotal(*chart) > 0);
    const qint64 tries = chartTotal(*chart);
    QTRY_COMPARE(barsTotal(window.chart()), tries);
    window.showSummary(true);
    QTRY_VERIFY(!summary->isBusy() && summary->stats().messagesAll > 0);
    const Stats before = summary->stats();
    const QString sentShown = summaryNumber(window.summaryView(), u"total:sent"_s);
    QVERIFY2(sentShown.contains(QString::number(before.sent)), qPrintable(sentShown));

    // The Summary on show: it is read again with the batch.
    append(log, psmLines(60, 120));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!summary->isBusy() && summary->stats().messagesAll > before.messagesAll, 10000);
    QVERIFY(summary->stats().sent > before.sent);
    QVERIFY(summary->stats().recipients > before.recipients);
    QTRY_VERIFY(summaryNumber(window.summaryView(), u"total:sent"_s).contains(QString::number(summary->stats().sent)));
    // The chart was read again meanwhile too, though out of sight.
    QTRY_VERIFY_WITH_TIMEOUT(!chart->isBusy() && chartTotal(*chart) > tries, 10000);
    const qint64 triesThen = chartTotal(*chart);

    // The table and chart on show: the chart moves with the next batch, and the Summary, out of
    // sight, shows the new numbers when it comes back.
    window.showSummary(false);
    const Stats then = summary->stats();
    const qsizetype batches = finished.count();
    append(log, psmLines(120, 400));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > batches, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!chart->isBusy() && chartTotal(*chart) > triesThen, 10000);
    QTRY_COMPARE(barsTotal(window.chart()), chartTotal(*chart));
    window.showSummary(true);
    QTRY_VERIFY_WITH_TIMEOUT(!summary->isBusy() && summary->stats().messagesAll > then.messagesAll, 10000);
}

void TestFollowWindow::wakeUpThatReadsNothingKeepsTheStatusBar()
{
    // The log touched, then half a line written: the follow wakes up, imports and reads no line.
    // What the status bar said (the last batch's summary, a message of the moment) stays; the
    // end of the line brings a batch that says what it read.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    append(log, psmLines(0, 110));
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log}, 2005);
    QVERIFY(finished.wait(20000));
    QVERIFY(window.session()->isFollowing());
    auto *summary = window.findChild<QLabel *>(u"importSummary"_s);
    QVERIFY(summary);
    const QString said = summary->text();
    QVERIFY2(said.startsWith(u"Imported 110 line"_s), qPrintable(said));
    const QString moment = u"Exported to /tmp/rows.csv"_s;
    window.statusBar()->showMessage(moment);

    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(1), QFileDevice::FileModificationTime));
    file.close();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 10000);
    QCOMPARE(finished.last().at(0).value<ImportSummary>().lines, std::uint64_t(0));
    const QByteArray line = psmLines(110, 111);
    append(log, line.left(line.size() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 3, 10000);
    QCOMPARE(finished.last().at(0).value<ImportSummary>().lines, std::uint64_t(0));
    QCOMPARE(summary->text(), said);
    QCOMPARE(window.statusBar()->currentMessage(), moment);

    append(log, line.mid(line.size() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 4, 10000);
    QTRY_VERIFY2(summary->text().startsWith(u"Imported 1 line"_s), qPrintable(summary->text()));
}

QTEST_MAIN(TestFollowWindow)
#include "tst_followwindow.moc"
