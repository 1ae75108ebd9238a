// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Insights pane of the window on a real log, with the thresholds the settings stored: the
// history is replayed into it when the log is opened, and activating an insight filters the table
// to its messages.
#include "cachetablemodel.h"
#include "insightmodel.h"
#include "insightreplay.h"
#include "insightsettings.h"
#include "insightsettingsdialog.h"
#include "insightspane.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "session.h"

#include <QApplication>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QHeaderView>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace mailtrail;

class TestInsightsPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void activatingFiltersTheTable_data();
    void activatingFiltersTheTable();
    void dialogEditsTheThresholds();
    void listedInTimeOrder();
    void stopAndResume();
    void sizeHintFitsItsRows_data();
    void sizeHintFitsItsRows();
};

void TestInsightsPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
    InsightThresholds low;
    low.failureMinimum = 3;
    low.failureShare = 0.2;
    low.deferringMs = 0;
    low.queueMinimum = 1;
    low.rejectBurst = 1;
    QSettings settings;
    settings.clear();
    saveInsightThresholds(settings, low);
}

void TestInsightsPane::activatingFiltersTheTable_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("clientIp");  // of every message the filter shows; empty: not checked
    QTest::newRow("reject burst") << u"127.0.0.2"_s << u"127.0.0.2"_s;
    QTest::newRow("destination deferring") << u"slow.test"_s << QString();
}

void TestInsightsPane::activatingFiltersTheTable()
{
    QFETCH(QString, subject);
    QFETCH(QString, clientIp);
    QTemporaryDir dir;
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.resize(1200, 800);
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log")});
    QVERIFY(finished.wait(30000));
    InsightModel *insights = window.session()->insights();
    QTRY_COMPARE(insights->rowCount(), 5);
    QTRY_VERIFY(!window.session()->insightReplay()->isBusy());
    const int all = window.currentModel()->rowCount();
    int row = -1;
    for (int r = 0; r < insights->rowCount(); ++r) {
        if (insights->index(r, InsightModel::Subject).data().toString() == subject)
            row = r;
    }
    QVERIFY(row >= 0);
    QAbstractItemModel *shown = window.insightsPane()->view()->model();
    for (int r = 0; r < shown->rowCount(); ++r) {
        if (shown->index(r, InsightModel::Subject).data().toString() == subject)
            window.insightsPane()->view()->setCurrentIndex(shown->index(r, 0));
    }
    QTest::keyClick(window.insightsPane()->view(), Qt::Key_Return);
    QTRY_VERIFY(window.currentModel()->rowCount() > 0 && window.currentModel()->rowCount() < all);
    QTRY_VERIFY(!window.currentModel()->isCounting());
    QCOMPARE(window.session()->filter(), insights->filterFor(row));
    if (clientIp.isEmpty())
        return;
    CacheTableModel *table = window.currentModel();
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString client = table->index(r, MessageTableModel::ClientColumn).data().toString();
        QVERIFY2(client.contains(clientIp), qPrintable(client));
    }
}

void TestInsightsPane::dialogEditsTheThresholds()
{
    InsightThresholds t;
    t.rejectBurst = 4;
    t.failureShare = 0.45;
    t.silenceMs = 3 * 60 * 60 * 1000;
    InsightSettingsDialog dialog(t);
    const InsightThresholds read = dialog.thresholds();
    QCOMPARE(read.rejectBurst, 4);
    QCOMPARE(read.failureShare, 0.45);
    QCOMPARE(read.silenceMs, t.silenceMs);
    QCOMPARE(read.failureWindowMs, InsightThresholds{}.failureWindowMs);
}

void TestInsightsPane::listedInTimeOrder()
{
    // Rules fire out of log time (a replay's passes, a follow's batches): the list is in log time.
    QTemporaryDir dir;
    InsightModel model;
    InsightReplay replay(dir.filePath(u"cache.sqlite"_s), &model);
    InsightsPane pane(&model, &replay);
    auto fired = [](const std::string &subject, std::int64_t timeMs) {
        Insight i;
        i.kind = InsightKind::RejectBurst;
        i.subject = subject;
        i.timeMs = timeMs;
        return i;
    };
    // push_back, not {…}: GCC 14 with ASan misreads the bounds of a braced vector.
    std::vector<Insight> first;
    first.push_back(fired("192.0.2.3", 3000));
    first.push_back(fired("192.0.2.1", 1000));
    model.append(first);
    std::vector<Insight> later;
    later.push_back(fired("192.0.2.2", 2000));
    model.append(later);
    QAbstractItemModel *shown = pane.view()->model();
    QStringList subjects;
    for (int r = 0; r < shown->rowCount(); ++r)
        subjects << shown->index(r, InsightModel::Subject).data().toString();
    QCOMPARE(subjects, (QStringList{u"192.0.2.1"_s, u"192.0.2.2"_s, u"192.0.2.3"_s}));
    // Enter on the first one shown asks for its messages, not for those of the model's first row.
    Filter asked;
    connect(&pane, &InsightsPane::filterRequested, this, [&asked](const Filter &f) { asked = f; });
    pane.view()->setCurrentIndex(shown->index(0, 0));
    QTest::keyClick(pane.view(), Qt::Key_Return);
    QCOMPARE(asked.text, std::string("192.0.2.1"));
}

void TestInsightsPane::stopAndResume()
{
    // The Stop button is there as soon as the history is being read (after the import: not while
    // the replay waits for it); pressed, the replay stops
    // and the pane says so and offers Resume, which reads the rest: the same five insights.
    QTemporaryDir dir;
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.resize(1200, 800);
    window.show();
    InsightReplay *replay = window.session()->insightReplay();
    InsightsPane *pane = window.insightsPane();
    QVERIFY(pane->stopButton()->isHidden());
    bool pressed = false;
    bool shownWhenBusy = false;
    bool hiddenWhileWaiting = true;
    connect(replay, &InsightReplay::busyChanged, pane, [&](bool busy) {
        // While the import runs the replay waits for it: nothing to stop yet.
        if (busy && replay->isWaiting()) {
            hiddenWhileWaiting = hiddenWhileWaiting && pane->stopButton()->isHidden();
            return;
        }
        if (!busy || std::exchange(pressed, true))
            return;
        shownWhenBusy = !pane->stopButton()->isHidden();
        pane->stopButton()->click();
    });
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log")});
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(!replay->isBusy());
    QVERIFY(pressed);
    QVERIFY(shownWhenBusy);
    QVERIFY(hiddenWhileWaiting);
    QVERIFY(replay->isStopped());
    QVERIFY(!pane->stopButton()->isHidden());
    QCOMPARE(pane->stopButton()->text(), u"Resume"_s);
    QVERIFY(pane->progressBar()->isHidden());
    QVERIFY2(pane->statusText().startsWith(u"Stopped"_s), qPrintable(pane->statusText()));
    pane->stopButton()->click();
    QTRY_VERIFY(!replay->isBusy());
    QCOMPARE(window.session()->insights()->rowCount(), 5);
    QVERIFY(!replay->isStopped());
    QVERIFY(pane->stopButton()->isHidden());
    QVERIFY2(pane->statusText().startsWith(u"5 insights"_s), qPrintable(pane->statusText()));
}

void TestInsightsPane::sizeHintFitsItsRows_data()
{
    QTest::addColumn<int>("insights");
    QTest::addColumn<int>("rows");  // the rows on show: every one, up to a dozen (then it scrolls)
    QTest::newRow("1") << 1 << 1;
    QTest::newRow("3") << 3 << 3;
    QTest::newRow("many") << 30 << 12;
}

void TestInsightsPane::sizeHintFitsItsRows()
{
    // At its size hint, the list shows its rows whole: not the last one cut, not an empty one
    // under them.
    QFETCH(int, insights);
    QFETCH(int, rows);
    QTemporaryDir dir;
    InsightModel model;
    InsightReplay replay(dir.filePath(u"cache.sqlite"_s), &model);
    InsightsPane pane(&model, &replay);
    std::vector<Insight> fired;
    for (int i = 0; i < insights; ++i) {
        Insight insight;
        insight.kind = InsightKind::DestinationDeferring;
        insight.timeMs = 1'790'000'000'000 + i * 60'000;
        insight.subject = "dest" + std::to_string(i) + ".example";
        insight.detail = "deferring for an hour";
        fired.push_back(insight);
    }
    model.append(fired);
    pane.resize(900, pane.sizeHint().height());
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QTreeView *list = pane.view();
    QVERIFY(list->isVisible());
    const int rowHeight = list->sizeHintForRow(0);
    QVERIFY(rowHeight > 0);
    QTRY_COMPARE(pane.height(), pane.sizeHint().height());
    const int shown = list->viewport()->height();
    QVERIFY2(shown >= rows * rowHeight && shown < rows * rowHeight + rowHeight / 2,
             qPrintable(u"%1 px for %2 rows of %3 px"_s.arg(shown).arg(rows).arg(rowHeight)));
    // The last row whole, and nothing past it.
    QCOMPARE(list->indexAt(QPoint(4, shown - 1)).row(), rows - 1);
}

QTEST_MAIN(TestInsightsPane)
#include "tst_insightspane.moc"
