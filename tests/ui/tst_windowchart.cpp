// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The chart and the Summary above and in place of the table, linked to it: a segment, a drag, a
// legend entry or a number of the Summary narrows the table; Back undoes it; colours follow the
// palette; a SASL count opens its log lines.
#include "windowtest.h"

#include "deliverytablemodel.h"
#include "chartview.h"
#include "filterbar.h"
#include "incidentsview.h"
#include "incidenttablemodel.h"
#include "messageview.h"
#include "statuscolors.h"
#include "testpalette.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QMouseEvent>
#include <QTableView>
#include <QTimeZone>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestWindowChart : public QObject, public WindowTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setUpSuite(); }
    void init() { setUpWindow(); }
    void cleanup() { m_window.reset(); }
    void chartSegmentNarrowsTheTable();
    void chartCountsTheChainsTheTableLists();
    void chartDragSetsTheRangeAndBackUndoesIt();
    void chartLegendTogglesItsOutcome();
    void chartColoursFollowThePalette_data();
    void chartColoursFollowThePalette();
    void summaryLinkNarrowsTheTable_data();
    void summaryLinkNarrowsTheTable();
    void summaryFollowsFiltersAndImports();
    void saslFailuresOpenTheirLines();
    void altLeftGoesBackOnTheSummaryToo();
    void timeLabelsStandInsideThePlot_data();
    void timeLabelsStandInsideThePlot();
    void timeAxisStartsAtTheFirstBar();
    void aShortLogsBarsKeepTheirWidth_data();
    void aShortLogsBarsKeepTheirWidth();
    void barCountsStayWhileHovered();
    void timeAxisStartsWithItsDay_data();
    void timeAxisStartsWithItsDay();
};

void TestWindowChart::chartSegmentNarrowsTheTable()
{
    openAndWait(m_flows);
    waitForChart();
    ChartModel *chart = m_window->session()->chart();
    const int rejected = int(chart->table().keys.indexOf(u"rejected"_s));
    int bucket = -1;
    for (int b = 0; b < chart->rowCount() && bucket < 0; ++b)
        if (chart->data(chart->index(b, rejected)).toLongLong() > 0)
            bucket = b;
    QVERIFY(bucket >= 0);
    const qint64 start = chart->headerData(bucket, Qt::Vertical, ChartModel::BucketStartRole).toLongLong();
    const qint64 segment = chart->data(chart->index(bucket, rejected)).toLongLong();
    m_window->chart()->clickSegment(bucket, rejected);
    const Filter &f = m_window->session()->filter();
    QCOMPARE(f.triedAs, std::string("rejected"));
    QCOMPARE(f.triedSinceMs, start);
    // The table shows the messages with a refusal in that bucket (once counted off the GUI
    // thread; exactly those: tst_tryfilters), the bar the same filter and says it in words.
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QVERIFY(m_window->currentModel()->rowCount() > 0);
    QVERIFY(m_window->currentModel()->rowCount() <= segment);
    QCOMPARE(m_window->filterBar()->filter().triedAs, f.triedAs);
    QCOMPARE(m_window->filterBar()->filter().triedSinceMs, f.triedSinceMs);
    QCOMPARE(m_window->filterBar()->filter().triedUntilMs, f.triedUntilMs);
    QLabel *said = nullptr;
    for (QLabel *label : m_window->findChildren<QLabel *>()) {
        if (label->text().startsWith(u"Only mail with a rejected try, between"_s))
            said = label;
    }
    QVERIFY(said && said->isVisibleTo(m_window.get()));
    // The chart follows: the tries of those rows in that bucket, as many as the segment had.
    waitForChart();
    qint64 shown = 0;
    for (int b = 0; b < chart->rowCount(); ++b)
        shown += chart->data(chart->index(b, int(chart->table().keys.indexOf(u"rejected"_s)))).toLongLong();
    QCOMPARE(shown, segment);
}


void TestWindowChart::chartCountsTheChainsTheTableLists()
{
    // Behind a content filter, a search by a message's first hop (3656CE643A6) lists its chain;
    // that hop's own tries are hand-overs to the filter, no deliveries. The chart must count what
    // the chain did after the filter (75963E643B1: bob and friend delivered, late@slow.test
    // deferred 5 times), as the table lists it, not "No delivery tries for this filter".
    const QString log = QString::fromStdString(write(*m_dir, u"mail.log"_s, QByteArray()));
    QFile::remove(log);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), log));
    openAndWait({log});
    field(u"Search replies, addresses, ids…"_s)->setText(u"3656CE643A6"_s);
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 1);
    ChartModel *chart = m_window->session()->chart();
    QTRY_VERIFY_WITH_TIMEOUT(!chart->isBusy() && chart->filter().text == "3656CE643A6", 10000);
    const auto total = [chart](const QString &key) {
        const int column = int(chart->table().keys.indexOf(key));
        qint64 n = 0;
        for (int b = 0; column >= 0 && b < chart->rowCount(); ++b)
            n += chart->data(chart->index(b, column)).toLongLong();
        return n;
    };
    QCOMPARE(total(u"delivered"_s), 2);
    QCOMPARE(total(u"deferred"_s), 5);
    // Hops shown apart: the first hop is listed, and charted, on its own.
    m_window->findChild<QAction *>(u"showHops"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!chart->isBusy() && !chart->filter().chains, 10000);
    QCOMPARE(total(u"delivered"_s), 0);
    QCOMPARE(total(u"deferred"_s), 0);
}

void TestWindowChart::chartDragSetsTheRangeAndBackUndoesIt()
{
    openAndWait(m_flows);
    waitForChart();
    ChartModel *chart = m_window->session()->chart();
    const int all = m_window->currentModel()->rowCount();
    QVERIFY(!m_window->session()->canGoBack());
    const int last = chart->rowCount() - 1;
    m_window->chart()->dragBuckets(last, last);
    QCOMPARE(m_window->session()->filter().sinceMs, chart->headerData(last, Qt::Vertical, ChartModel::BucketStartRole).toLongLong());
    QVERIFY(m_window->session()->canGoBack());
    QTRY_VERIFY(m_window->currentModel()->rowCount() < all);
    m_window->session()->previousRange();
    QCOMPARE(m_window->session()->filter().sinceMs, std::numeric_limits<std::int64_t>::min());
    QTRY_COMPARE(m_window->currentModel()->rowCount(), all);
    QVERIFY(!m_window->session()->canGoBack());

    // With the mouse: a drag across the plot from the first bar to the last sets the whole span.
    waitForChart();
    QChartView *view = m_window->chart()->chartView();
    QTRY_VERIFY(m_window->chart()->bucketAt(view->rect().center()) >= 0);
    int left = view->width() / 2, right = view->width() / 2;
    while (left > 0 && m_window->chart()->bucketAt(QPoint(left - 1, view->height() / 2)) >= 0)
        --left;
    while (right < view->width() - 1 && m_window->chart()->bucketAt(QPoint(right + 1, view->height() / 2)) >= 0)
        ++right;
    const int y = view->height() / 2;
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, QPoint(left + 2, y));
    QMouseEvent move(QEvent::MouseMove, QPointF(right - 2, y), view->viewport()->mapToGlobal(QPointF(right - 2, y)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &move);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, QPoint(right - 2, y));
    QCOMPARE(m_window->session()->filter().sinceMs, chart->headerData(0, Qt::Vertical, ChartModel::BucketStartRole).toLongLong());
    QCOMPARE(m_window->session()->filter().untilMs, chart->table().end);
}


void TestWindowChart::chartLegendTogglesItsOutcome()
{
    openAndWait(m_flows);
    waitForChart();
    const int delivered = int(m_window->session()->chart()->table().keys.indexOf(u"delivered"_s));
    m_window->chart()->toggleLegend(delivered);
    QCOMPARE(m_window->session()->filter().statuses, (std::vector<std::string>{"sent"}));
    m_window->chart()->toggleLegend(delivered);
    QVERIFY(m_window->session()->filter().statuses.empty());
}


void TestWindowChart::chartColoursFollowThePalette_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}


void TestWindowChart::chartColoursFollowThePalette()
{
    QFETCH(bool, dark);
    m_window->setPalette(breezePalette(dark));
    openAndWait(m_flows);
    waitForChart();
    QChart *chart = m_window->chart()->chartView()->chart();
    QCOMPARE(chart->backgroundBrush().color(), breezePalette(dark).color(QPalette::Base));
    const auto *series = qobject_cast<QAbstractBarSeries *>(chart->series().value(0));
    QVERIFY(series);
    const QStringList keys = m_window->session()->chart()->table().keys;
    // The outcomes in the table's status colours: sent, deferred, bounced, rejected.
    const int statuses[] = {1, 2, 3, 5};
    for (int c = 0; c < 4; ++c) {
        QCOMPARE(series->barSets().at(c)->color(), statusColor(statuses[c], breezePalette(dark)));
        // Readable on the chart's background: a clear difference in lightness.
        QVERIFY(std::abs(series->barSets().at(c)->color().lightness() - breezePalette(dark).color(QPalette::Base).lightness()) > 60);
    }
}


void TestWindowChart::summaryLinkNarrowsTheTable_data()
{
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("statuses");
    QTest::addColumn<QString>("sender");
    // The bundled sample's numbers, as mailtrail-cli stats and pflogsumm give them (tst_clistats):
    // statuses are counted per recipient, as the deliveries table lists them.
    QTest::newRow("bounced recipients") << true << u"total:bounced"_s << u"7"_s << u"bounced"_s << QString();
    QTest::newRow("rejected") << true << u"total:rejected"_s << u"7"_s << u"rejected"_s << QString();
    QTest::newRow("top sender's messages") << false << u"sender:0"_s << u"10"_s << QString() << u"<root@mx1.example.com>"_s;
    // A destination counts the recipients tried there, and by problems those not delivered; a
    // reason the recipients in its state at its host with its reply (tst_destinationfilter has
    // every row of every real log).
    QTest::newRow("top destination") << true << u"relay-host:0"_s << u"165"_s << u"sent,deferred,bounced,expired"_s
                                     << QString();
    QTest::newRow("destination by problems") << true << u"problemrelay:0"_s << u"7"_s << u"deferred,bounced,expired"_s
                                             << QString();
    // An expiry reason counts recipients (a deferral reason counts tries, which its rows need not
    // match: tst_summaryview); the tenth of the sample: 2 expired at mail.northwind-labs.es.
    QTest::newRow("expiry reason") << true << u"reason:9"_s << u"2"_s << u"expired"_s << QString();
}


void TestWindowChart::summaryLinkNarrowsTheTable()
{
    QFETCH(bool, deliveries);
    QFETCH(QString, link);
    QFETCH(QString, shown);
    QFETCH(QString, statuses);
    QFETCH(QString, sender);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    m_window->setGrain(deliveries ? Grain::Deliveries : Grain::Messages);
    // The Summary is a tab beside the grains: a click shows it, for the logs opened.
    QTabBar *tabs = viewTabs();
    QVERIFY(tabs);
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(2).center());
    QVERIFY(m_window->isSummaryShown());
    QVERIFY(m_window->summaryView()->isVisible());
    QVERIFY(!m_window->table()->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(summaryText(u"total:received"_s), u"247"_s, 20000);
    QCOMPARE(summaryText(link), shown);

    // A click on the number: the table comes back, narrowed to the rows it counted.
    QLabel *label = m_window->summaryView()->linkLabel(link);
    m_window->summaryView()->ensureWidgetVisible(label);
    const int width = label->fontMetrics().horizontalAdvance(QTextDocumentFragment::fromHtml(label->text()).toPlainText());
    QTest::mouseClick(label, Qt::LeftButton, {}, QPoint(label->contentsRect().right() - width / 2, label->contentsRect().center().y()));
    QVERIFY(!m_window->isSummaryShown());
    QTRY_VERIFY(m_window->table()->isVisible());
    QCOMPARE(m_window->grain(), deliveries ? Grain::Deliveries : Grain::Messages);
    QCOMPARE(tabs->currentIndex(), deliveries ? 1 : 0);
    QTRY_VERIFY(!m_window->currentModel()->isCounting());
    QCOMPARE(m_window->currentModel()->rowCount(), shown.toInt());
    // The filter bar shows the narrowed filter and its count.
    const Filter bar = m_window->filterBar()->filter();
    QStringList got;
    for (const std::string &s : bar.statuses)
        got << QString::fromStdString(s);
    QCOMPARE(got.join(u','), statuses);
    QCOMPARE(QString::fromStdString(bar.sender), sender);
    const QString counts = u"%1 of %2 %3"_s.arg(shown, QLocale().toString(m_window->currentModel()->totalCount()),
                                                deliveries ? u"deliveries"_s : u"messages"_s);
    bool countsShown = false;
    for (QLabel *l : m_window->filterBar()->findChildren<QLabel *>())
        countsShown |= l->text() == counts;
    QVERIFY2(countsShown, qPrintable(counts));
}


void TestWindowChart::summaryFollowsFiltersAndImports()
{
    SummaryModel *summary = m_window->session()->summary();
    // Shown before anything is opened (Ctrl+3): the numbers come with the import's end.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QVERIFY(m_window->isSummaryShown());
    openAndWait({m_flows.at(0)});
    QTRY_COMPARE(summaryText(u"total:received"_s), u"1"_s);
    openAndWait({m_flows.at(1)});
    // The bounce's notification was made by Postfix itself: not received.
    QTRY_COMPARE(summaryText(u"total:received"_s), u"2"_s);
    QVERIFY(m_window->isSummaryShown());

    // The filter bar narrows it as it narrows the table.
    field(u"Sender"_s)->setText(u"alice@example.com"_s);
    QTRY_COMPARE(QString::fromStdString(summary->filter().sender), u"alice@example.com"_s);
    QTRY_COMPARE(summaryText(u"total:received"_s), u"1"_s);
    QCOMPARE(summary->filter().fileIds, m_window->session()->scopedFilter().fileIds);

    // Hidden, it is not read for each filter; shown again, it is read for the filter of then.
    m_window->setGrain(Grain::Messages);
    QVERIFY(!m_window->isSummaryShown());
    field(u"Sender"_s)->clear();
    QTRY_VERIFY(m_window->session()->filter().sender.empty());
    QTRY_COMPARE(m_window->currentModel()->rowCount(), 3);
    QCOMPARE(QString::fromStdString(summary->filter().sender), u"alice@example.com"_s);
    // A chart click changes the filter as well.
    waitForChart();
    const int delivered = int(m_window->session()->chart()->table().keys.indexOf(u"delivered"_s));
    m_window->chart()->toggleLegend(delivered);
    m_window->showSummary(true);
    QCOMPARE(summary->filter().statuses, (std::vector<std::string>{"sent"}));
    QVERIFY(summary->filter().sender.empty());
    QTRY_VERIFY(!summary->isBusy());
    QCOMPARE(summaryText(u"total:bounced"_s), u"0"_s);
}


void TestWindowChart::saslFailuresOpenTheirLines()
{
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    m_window->showSummary(true);
    SummaryView *summary = m_window->summaryView();
    QTRY_VERIFY(summary->linkLabel(u"auth:0"_s));
    // A failed login belongs to no message: its count shows the lines themselves.
    summary->activate(u"auth:0"_s);
    auto *view = m_window->findChild<IncidentsView *>();
    QVERIFY(view);
    QVERIFY(view->isVisible());
    // The sample's password-guessing run: 158.24.101.243 failed the most, 64 times.
    QTRY_COMPARE(view->table()->model()->rowCount(), 64);
    const QAbstractItemModel *lines = view->table()->model();
    for (int r = 0; r < lines->rowCount(); ++r) {
        QCOMPARE(lines->index(r, IncidentTableModel::KindColumn).data().toString(), u"SASL failure"_s);
        QCOMPARE(lines->index(r, IncidentTableModel::IpColumn).data().toString(), u"158.24.101.243"_s);
    }
    QTRY_VERIFY2(view->logLine()->toPlainText().contains(u"authentication failed"_s), qPrintable(view->logLine()->toPlainText()));
    // The table of messages stays as it was: nothing was narrowed.
    QVERIFY(m_window->isSummaryShown());
    QVERIFY(m_window->session()->filter().text.empty());
}


void TestWindowChart::altLeftGoesBackOnTheSummaryToo()
{
    openAndWait(m_flows);
    Filter noon;
    noon.sinceMs = QDateTime(QDate(2026, 11, 20), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    m_window->session()->setFilter(noon);
    QVERIFY(m_window->session()->canGoBack());
    m_window->showSummary(true);
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(m_window->session()->filter().sinceMs, std::numeric_limits<std::int64_t>::min());
    QVERIFY(m_window->isSummaryShown());
    QVERIFY(!m_window->session()->canGoBack());
}


void TestWindowChart::timeLabelsStandInsideThePlot_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1400x900") << QSize(1400, 900);
    QTest::newRow("1000x650") << QSize(1000, 650);
}

void TestWindowChart::timeLabelsStandInsideThePlot()
{
    // The sample's last label, "23:00", stands on the axis's end: it was cut there ("23:").
    QFETCH(QSize, size);
    m_window->resize(size);
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    waitForChart();
    ChartView *view = m_window->chart();
    QChart *chart = view->chartView()->chart();
    QTRY_VERIFY(!view->timeLabelRects().isEmpty());
    // Laid out, and fitted: asked until then (a loaded machine takes longer than a fixed wait),
    // then checked label by label.
    const auto inside = [&] {
        const QRectF p = chart->plotArea();
        const QList<QRectF> all = view->timeLabelRects();
        return std::all_of(all.begin(), all.end(), [&](const QRectF &r) {
            return r.left() >= p.left() - 1 && r.right() <= p.right() + 1 && r.right() <= chart->size().width();
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(inside(), 5000);
    const QRectF plot = chart->plotArea();
    const QList<QRectF> rects = view->timeLabelRects();
    const QStringList labels = view->timeLabels();
    QVERIFY2(labels.last() == u"23:00"_s, qPrintable(labels.join(u", "_s)));
    // The start's label says its day, from the first bar's left edge, which is the plot's: no
    // empty slot before the first bar (trial22).
    QVERIFY2(labels.first() == u"21 Nov 20:00"_s, qPrintable(labels.join(u", "_s)));
    const QPointF start = chart->mapToPosition(QPointF(-0.5, 0), chart->series().first());
    QVERIFY2(std::abs(start.x() - plot.left()) < 1.0, qPrintable(u"the first bar at %1, the plot at %2"_s.arg(start.x()).arg(plot.left())));
    for (qsizetype i = 0; i < rects.size(); ++i) {
        const QRectF &r = rects[i];
        QVERIFY2(r.left() >= plot.left() - 1 && r.right() <= plot.right() + 1 && r.right() <= chart->size().width(),
                 qPrintable(u"%1 at %2..%3, the plot %4..%5"_s.arg(labels[i]).arg(r.left()).arg(r.right()).arg(plot.left()).arg(plot.right())));
    }
}

void TestWindowChart::timeAxisStartsAtTheFirstBar()
{
    // Logs months apart, the first from 6 January: weekly bars from Monday 5 January, and the
    // axis says so at its start (its first label was "Feb 2026", a month after the first message).
    m_window->resize(1400, 900);
    QVERIFY(QDir(m_dir->path()).mkdir(u"mixed"_s));
    for (const char *log : {"/sendmail/golden/psm-sendmail-plain.log", "/postfix/golden/psm-postfix-plain.log",
                            "/postfix/golden/expired.log", "/exim/golden/exim-4.98.2-mainlog.log"})
        QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA) + QLatin1String(log),
                            m_dir->filePath(u"mixed/"_s + QFileInfo(QLatin1String(log)).fileName())));
    openAndWait({m_dir->filePath(u"mixed"_s)});
    waitForChart();
    ChartView *view = m_window->chart();
    QChart *chart = view->chartView()->chart();
    QTRY_VERIFY(!view->timeLabelRects().isEmpty());
    // Laid out, and fitted (see timeLabelsStandInsideThePlot).
    QTRY_VERIFY_WITH_TIMEOUT(view->timeLabelRects().first().left() >= chart->plotArea().left() - 1, 5000);
    const QStringList labels = view->timeLabels();
    QVERIFY2(labels.first().contains(u"Jan"_s) && labels.first().contains(u"2026"_s), qPrintable(labels.join(u", "_s)));
    // Beginning at the first bar's left edge, whole inside the plot; and the first bar at the
    // plot's left edge (trial22: the axis made longer for the label's left half began the chart
    // with an empty slot).
    const QRectF first = view->timeLabelRects().first();
    const QPointF start = chart->mapToPosition(QPointF(-0.5, 0), chart->series().first());
    QVERIFY2(std::abs(start.x() - chart->plotArea().left()) < 1.0,
             qPrintable(u"the first bar at %1, the plot at %2"_s.arg(start.x()).arg(chart->plotArea().left())));
    QVERIFY2(std::abs(first.left() - start.x()) < 2.0, qPrintable(u"%1 for %2"_s.arg(first.left()).arg(start.x())));
}

void TestWindowChart::aShortLogsBarsKeepTheirWidth_data()
{
    QTest::addColumn<QString>("flow");
    QTest::addColumn<int>("bars");
    QTest::addColumn<QString>("start");
    // Tries within one minute: its one bar stood across the whole plot, a total, not time.
    QTest::newRow("one minute") << u"bounce-with-notification.log"_s << 1 << u"20 Nov 11:00"_s;
    // Ten minutes: eleven bars, each a twelfth of the plot.
    QTest::newRow("ten minutes") << u"deferred-then-sent.log"_s << 11 << u"20 Nov 10:00"_s;
}

void TestWindowChart::aShortLogsBarsKeepTheirWidth()
{
    QFETCH(QString, flow);
    QFETCH(int, bars);
    QFETCH(QString, start);
    m_window->resize(1400, 900);
    openAndWait({m_dir->filePath(flow)});
    waitForChart();
    QCOMPARE(m_window->session()->chart()->rowCount(), bars);
    ChartView *view = m_window->chart();
    QChart *chart = view->chartView()->chart();
    QTRY_VERIFY(!view->timeLabelRects().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(view->timeLabelRects().first().left() >= chart->plotArea().left() - 1, 5000);
    const QRectF plot = chart->plotArea();
    QAbstractSeries *series = chart->series().first();
    // A bar's slot is at most a thirtieth of the plot, from its left edge on: the data's time
    // first, then the time after it with no tries.
    const double slot = chart->mapToPosition(QPointF(0.5, 0), series).x() - chart->mapToPosition(QPointF(-0.5, 0), series).x();
    QVERIFY2(slot > 0 && slot <= plot.width() / 30 + 1, qPrintable(u"a bar's slot %1 px of %2"_s.arg(slot).arg(plot.width())));
    QVERIFY(std::abs(chart->mapToPosition(QPointF(-0.5, 0), series).x() - plot.left()) < 1.0);
    // The labels say when, inside the plot and apart.
    const QStringList labels = view->timeLabels();
    QVERIFY2(labels.first() == start, qPrintable(labels.join(u", "_s)));
    const QList<QRectF> rects = view->timeLabelRects();
    for (qsizetype i = 0; i < rects.size(); ++i) {
        QVERIFY2(rects[i].left() >= plot.left() - 1 && rects[i].right() <= plot.right() + 1, qPrintable(labels.at(i)));
        if (i > 0)
            QVERIFY2(rects[i].left() > rects[i - 1].right(), qPrintable(labels.join(u", "_s)));
    }
    // The room after the data is no bar: a click there narrows nothing.
    const QPointF after = chart->mapToPosition(QPointF(bars + 2, 0), series);
    const auto bucketAtX = [&](double x) {
        return view->bucketAt(view->chartView()->mapFromScene(chart->mapToScene(QPointF(x, plot.center().y()))));
    };
    QCOMPARE(bucketAtX(after.x()), -1);
    QCOMPARE(bucketAtX(chart->mapToPosition(QPointF(bars - 1, 0), series).x()), bars - 1);
}

void TestWindowChart::barCountsStayWhileHovered()
{
    // The bar's counts gave way after about 1.7 s to the chart's own tooltip (how to click and
    // drag), the pointer still on the bar: the tooltip event the rest brings shows the counts.
    openAndWait(m_flows);
    waitForChart();
    ChartView *chart = m_window->chart();
    QWidget *viewport = chart->chartView()->viewport();
    auto *series = qobject_cast<QAbstractBarSeries *>(chart->chartView()->chart()->series().value(0));
    QVERIFY(series);
    const int bucket = 0;
    const QPoint at = viewport->rect().center();
    Q_EMIT series->hovered(true, bucket, series->barSets().value(0));
    QHelpEvent rest(QEvent::ToolTip, at, viewport->mapToGlobal(at));
    QApplication::sendEvent(viewport, &rest);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), chart->hoverText(bucket));
    // Off the bar, the chart's own tooltip again.
    Q_EMIT series->hovered(false, bucket, series->barSets().value(0));
    QHelpEvent off(QEvent::ToolTip, at, viewport->mapToGlobal(at));
    QApplication::sendEvent(viewport, &off);
    QTRY_COMPARE(QToolTip::text(), chart->chartView()->toolTip());
}

void TestWindowChart::timeAxisStartsWithItsDay_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("day");
    // Both start on a round time (10:00), which was the first label alone: of no day (trial21).
    QTest::newRow("minutes") << u"deferred-then-sent.log"_s << u"20 Nov"_s;
    QTest::newRow("hours") << u"delay-notification.log"_s << u"20 Nov"_s;
}

void TestWindowChart::timeAxisStartsWithItsDay()
{
    QFETCH(QString, log);
    QFETCH(QString, day);
    m_window->resize(1000, 650);
    openAndWait({QString::fromStdString(testlogs::write(*m_dir, u"one.log"_s, testlogs::flow(log.toLatin1().constData())))});
    waitForChart();
    ChartView *view = m_window->chart();
    QTRY_VERIFY(!view->timeLabels().isEmpty());
    const QStringList labels = view->timeLabels();
    QVERIFY2(labels.first().contains(day) && labels.first().contains(u"10:00"_s), qPrintable(labels.join(u", "_s)));
    // The day is said once: the labels after it are times.
    for (qsizetype i = 1; i < labels.size(); ++i)
        QVERIFY2(!labels[i].contains(u"Nov"_s), qPrintable(labels.join(u", "_s)));
}

QTEST_MAIN(TestWindowChart)
#include "tst_windowchart.moc"
