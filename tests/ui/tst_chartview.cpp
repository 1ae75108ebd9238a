// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The status chart's count axis reads at every scale, in both palettes: whole numbers only, never
// an elided label ("…"), from a try or two per bar to hundreds.
#include "cachetablemodel.h"
#include "chartmodel.h"
#include "chartview.h"
#include "countaxis.h"
#include "mainwindow.h"
#include "session.h"
#include "testpalette.h"

#include <QApplication>
#include <QBarSet>
#include <QStackedBarSeries>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QGraphicsTextItem>
#include <QLegendMarker>
#include <QLocale>
#include <QFile>

#include <cmath>
#include <functional>
#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestChartView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void countTicksFitTheData_data();
    void countTicksFitTheData();
    void countAxisReadsAtEveryScale_data();
    void countAxisReadsAtEveryScale();
    void codeColoursStandApart_data();
    void codeColoursStandApart();
    void codeKeepsItsColourInEveryFilter_data();
    void codeKeepsItsColourInEveryFilter();
    void anEmptyChartSaysWhy_data();
    void anEmptyChartSaysWhy();
    void codesOnShowLookApart_data();
    void codesOnShowLookApart();
    void otherNamesItsCodesAndNarrowsToThem_data();
    void otherNamesItsCodesAndNarrowsToThem();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestChartView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
    m_window->resize(1200, 800);
    m_window->show();
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    QVERIFY(finished.wait(30000));
}

void TestChartView::cleanupTestCase()
{
    m_window.reset();
}

void TestChartView::countTicksFitTheData_data()
{
    QTest::addColumn<int>("tallest");
    QTest::addColumn<int>("mostIntervals");
    QTest::addColumn<int>("top");
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("ticks");
    // At 1000x650 the sample's bars of 24 had an axis up to 50: half the chart empty.
    // The trial's axes: 7,300 went to 10,000, 333 to 500, the Summary's 104 an hour to 150.
    QTest::addRow("7300, two intervals") << 7300 << 2 << 8000 << 5000 << 2;
    QTest::addRow("7300, five intervals") << 7300 << 5 << 8000 << 2000 << 5;
    QTest::addRow("333, five intervals") << 333 << 5 << 350 << 100 << 4;
    QTest::addRow("333, three intervals") << 333 << 3 << 350 << 200 << 2;
    QTest::addRow("104, five intervals") << 104 << 5 << 120 << 25 << 5;
    QTest::addRow("104, four intervals") << 104 << 4 << 120 << 50 << 3;
    // At 1000x650 the sample's bars of 24 had an axis up to 50: half the chart empty.
    QTest::addRow("24, one interval") << 24 << 1 << 24 << 20 << 2;
    QTest::addRow("24, two intervals") << 24 << 2 << 24 << 20 << 2;
    QTest::addRow("24, five intervals") << 24 << 5 << 24 << 5 << 5;
    QTest::addRow("7, two intervals") << 7 << 2 << 7 << 5 << 2;
    QTest::addRow("1, one interval") << 1 << 1 << 1 << 1 << 2;
    QTest::addRow("290, five intervals") << 290 << 5 << 300 << 100 << 4;
    QTest::addRow("240, one interval") << 240 << 1 << 250 << 250 << 2;
    QTest::addRow("3, five intervals") << 3 << 5 << 3 << 1 << 4;
    QTest::addRow("5, five intervals") << 5 << 5 << 5 << 1 << 6;
    QTest::addRow("1,000,000, five intervals") << 1000000 << 5 << 1000000 << 200000 << 6;
    QTest::addRow("12,345, five intervals") << 12345 << 5 << 14000 << 5000 << 3;
}

void TestChartView::countTicksFitTheData()
{
    QFETCH(int, tallest);
    QFETCH(int, mostIntervals);
    QFETCH(int, top);
    QFETCH(int, step);
    QFETCH(int, ticks);
    const CountTicks got = countTicks(tallest, mostIntervals);
    QCOMPARE(got.top, qint64(top));
    QCOMPARE(got.step, qint64(step));
    QCOMPARE(got.ticks, ticks);
    // Close over the data: never more than a fifth of it (or one) above; labels within the top.
    QVERIFY(got.top >= tallest && (got.top - tallest) * 5 <= std::max<qint64>(tallest, 5));
    QVERIFY((got.ticks - 1) * got.step <= got.top && got.ticks * got.step > got.top);
}

void TestChartView::countAxisReadsAtEveryScale_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("chartHeight");
    // The sample's three hours: one sender's few tries, the bounces, the rejects, every try (up
    // to about 25 a bar); and the chart as low as the window lets it be.
    for (bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        QTest::addRow("%s, one sender", palette) << dark << u"petra.allen@example.net"_s << QString() << 0;
        QTest::addRow("%s, bounced", palette) << dark << QString() << u"bounced"_s << 0;
        QTest::addRow("%s, rejected", palette) << dark << QString() << u"rejected"_s << 0;
        QTest::addRow("%s, every try", palette) << dark << QString() << QString() << 0;
        QTest::addRow("%s, bounced, low chart", palette) << dark << QString() << u"bounced"_s << 140;
        QTest::addRow("%s, every try, low chart", palette) << dark << QString() << QString() << 140;
        // The chart's usual height in a window of 1000x650: about 45 pixels of bars (trial20).
        QTest::addRow("%s, every try, 45 px of bars", palette) << dark << QString() << QString() << 118;
        QTest::addRow("%s, bounced, 45 px of bars", palette) << dark << QString() << u"bounced"_s << 118;
    }
}

void TestChartView::countAxisReadsAtEveryScale()
{
    QFETCH(bool, dark);
    QFETCH(QString, sender);
    QFETCH(QString, status);
    QFETCH(int, chartHeight);
    m_window->setPalette(breezePalette(dark));
    ChartView *view = m_window->chart();
    view->chartView()->setFixedHeight(chartHeight > 0 ? chartHeight : QWIDGETSIZE_MAX);
    if (chartHeight == 0)
        view->chartView()->setMinimumHeight(140);
    Filter filter;
    filter.sender = sender.toStdString();
    if (!status.isEmpty())
        filter.statuses.push_back(status.toStdString());
    m_window->session()->setFilter(filter);
    ChartModel *model = m_window->session()->chart();
    QTRY_VERIFY(!model->isBusy());
    QTRY_VERIFY(view->chartView()->chart()->axes(Qt::Vertical).size() == 1);

    // The tallest bar, as the axis must reach it.
    qint64 tallest = 0;
    for (int b = 0; b < model->rowCount(); ++b) {
        qint64 sum = 0;
        for (int c = 0; c < model->columnCount(); ++c)
            sum += model->data(model->index(b, c)).toLongLong();
        tallest = std::max(tallest, sum);
    }
    QVERIFY2(tallest > 0, "the case shows no bar");

    QChart *chart = view->chartView()->chart();
    auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    // Laid out and painted, as a user sees it.
    QTest::qWait(50);
    view->chartView()->grab();
    if (const QByteArray dir = qgetenv("MAILTRAIL_CHART_PICTURES"); !dir.isEmpty())
        view->chartView()->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(
            QString::fromLatin1(QTest::currentDataTag()).replace(u", "_s, u"-"_s).replace(u' ', u'_') + u".png"_s));

    // Whole numbers only: from 0, each tick a whole step above the one before, the top over the
    // tallest bar.
    QCOMPARE(y->min(), 0.0);
    QVERIFY2(y->max() >= static_cast<double>(tallest), qPrintable(u"top %1, tallest %2"_s.arg(y->max()).arg(tallest)));
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(y->tickAnchor(), 0.0);
    const double step = y->tickInterval();
    QVERIFY2(step >= 1.0 && step == std::floor(step) && step <= y->max(),
             qPrintable(u"steps of %1 up to %2"_s.arg(step).arg(y->max())));
    // Close over the tallest bar: at most a fifth of it above.
    QVERIFY2(y->max() <= std::max(tallest * 1.2, tallest + 1.0), qPrintable(u"top %1, tallest %2"_s.arg(y->max()).arg(tallest)));
    // And no label cut to "…" for want of width or height.
    QVERIFY2(!y->labelsTruncated(), qPrintable(u"%1 ticks up to %2, chart %3 px high"_s.arg(y->tickCount()).arg(y->max())
                                                   .arg(view->chartView()->height())));
    QCOMPARE(y->labelsColor(), breezePalette(dark).color(QPalette::Text));
    // And numbers there, not only lines: "%d" with localized numbers gave every label an empty
    // text (trial20). The labels left of the bars, as drawn: 0 and the top tick at least, in the
    // locale's digits.
    QStringList shown;
    std::function<void(QGraphicsItem *)> collect = [&](QGraphicsItem *item) {
        if (auto *text = dynamic_cast<QGraphicsTextItem *>(item);
            text && text->isVisible() && text->mapToScene(text->boundingRect().topRight()).x() <= chart->plotArea().left())
            shown << text->toPlainText();
        for (QGraphicsItem *child : item->childItems())
            collect(child);
    };
    collect(chart);
    const qint64 topTick = static_cast<qint64>(std::floor(y->max() / step) * step);
    QVERIFY2(shown.contains(QLocale().toString(topTick)), qPrintable(u"top tick %1, labels shown: %2 (%3 px of bars)"_s
                                                                        .arg(topTick).arg(shown.join(u", "_s))
                                                                        .arg(chart->plotArea().height())));
    QVERIFY2(chart->plotArea().height() >= 40 || chartHeight != 118, qPrintable(u"%1 px of bars"_s.arg(chart->plotArea().height())));
    // Its labels in the locale's grouping ("12,000", not "12000"), as every number of the window.
    QVERIFY(chart->localizeNumbers());
}

void TestChartView::codeColoursStandApart_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("group");
    for (const bool dark : {false, true}) {
        QTest::addRow("reply codes, %s", dark ? "dark" : "light") << dark << int(ChartGroup::ReplyCode);
        QTest::addRow("enhanced codes, %s", dark ? "dark" : "light") << dark << int(ChartGroup::EnhancedCode);
    }
}

void TestChartView::codeColoursStandApart()
{
    // By reply code the sample stacks 250, 421, 450, 451, 550, 554 and "No reply": "No reply" and
    // "Other" were the same grey, and 450/451 and 550/554 a shade apart (an RGB distance of 35).
    QFETCH(bool, dark);
    QFETCH(int, group);
    m_window->setPalette(breezePalette(dark));
    m_window->session()->setFilter(Filter{});
    ChartModel *model = m_window->session()->chart();
    model->setGroup(static_cast<ChartGroup>(group));
    QTRY_VERIFY(!model->isBusy());
    QChart *chart = m_window->chart()->chartView()->chart();
    QList<QBarSet *> sets;
    QTRY_VERIFY((sets = chart->series().isEmpty() ? QList<QBarSet *>()
                                                  : static_cast<QStackedBarSeries *>(chart->series().constFirst())->barSets())
                    .size() == model->columnCount());
    QVERIFY2(sets.size() >= 6, qPrintable(QString::number(sets.size())));
    if (const QByteArray dir = qgetenv("MAILTRAIL_CHART_PICTURES"); !dir.isEmpty()) {
        QTest::qWait(50);
        m_window->chart()->chartView()->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(
            QString::fromLatin1(QTest::currentDataTag()).replace(u", "_s, u"-"_s).replace(u' ', u'_') + u".png"_s));
    }
    for (qsizetype i = 0; i < sets.size(); ++i) {
        for (qsizetype j = i + 1; j < sets.size(); ++j) {
            const QColor a = sets[i]->color(), b = sets[j]->color();
            const double distance = std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
            QVERIFY2(distance >= 50, qPrintable(u"%1 (%2) and %3 (%4): %5"_s.arg(sets[i]->label(), a.name(), sets[j]->label(), b.name())
                                                    .arg(distance, 0, 'f', 0)));
        }
    }
    // No filter, no legend entry in bold: "No reply" (the empty code) was, matching the empty code
    // of no filter.
    for (int c = 0; c < model->columnCount(); ++c)
        QVERIFY2(!model->isSelected(Filter{}, c), qPrintable(sets.value(c) ? sets.value(c)->label() : QString()));
    model->setGroup(ChartGroup::Outcome);
}

void TestChartView::codeKeepsItsColourInEveryFilter_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("group");
    QTest::addColumn<QString>("code");
    for (const bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        QTest::addRow("451, %s", palette) << dark << int(ChartGroup::ReplyCode) << u"451"_s;
        QTest::addRow("554, %s", palette) << dark << int(ChartGroup::ReplyCode) << u"554"_s;
        QTest::addRow("4.7.1, %s", palette) << dark << int(ChartGroup::EnhancedCode) << u"4.7.1"_s;
        QTest::addRow("5.7.1, %s", palette) << dark << int(ChartGroup::EnhancedCode) << u"5.7.1"_s;
    }
}

void TestChartView::codeKeepsItsColourInEveryFilter()
{
    // A code's colour followed its column: 451, the second code of its class in the whole chart,
    // turned the deferrals' amber once the chart was narrowed to it.
    QFETCH(bool, dark);
    QFETCH(int, group);
    QFETCH(QString, code);
    m_window->setPalette(breezePalette(dark));
    ChartModel *model = m_window->session()->chart();
    model->setGroup(static_cast<ChartGroup>(group));
    const auto colourOf = [&](const Filter &filter) -> QColor {
        m_window->session()->setFilter(filter);
        if (!QTest::qWaitFor([&] { return !model->isBusy(); }, 10000))
            return {};
        QChart *chart = m_window->chart()->chartView()->chart();
        QList<QBarSet *> sets;
        if (!QTest::qWaitFor([&] {
                sets = chart->series().isEmpty() ? QList<QBarSet *>()
                                                 : static_cast<QStackedBarSeries *>(chart->series().constFirst())->barSets();
                return sets.size() == model->columnCount();
            }, 10000))
            return {};
        for (int c = 0; c < model->columnCount(); ++c)
            if (model->headerData(c, Qt::Horizontal, ChartModel::SeriesKeyRole).toString() == code)
                return sets[c]->color();
        return {};
    };
    const QColor whole = colourOf(Filter{});
    QVERIFY2(whole.isValid(), "the code is in the whole sample's chart");
    Filter narrowed;
    narrowed.triedAs = code.toStdString();  // as its legend entry narrows
    const QColor alone = colourOf(narrowed);
    QVERIFY2(alone.isValid(), "the code is in its own chart");
    QCOMPARE(alone.name(), whole.name());
    QCOMPARE(whole.name(), codeColor(code, breezePalette(dark)).name());
    m_window->session()->setFilter(Filter{});
    model->setGroup(ChartGroup::Outcome);
}

void TestChartView::anEmptyChartSaysWhy_data()
{
    QTest::addColumn<QString>("sender");
    QTest::addColumn<bool>("range");
    QTest::addColumn<QString>("said");
    // "in this range" with no range set sent the trial's user looking for one.
    QTest::addRow("a sender of none") << u"nobody@nowhere.invalid"_s << false << u"No delivery tries for this filter"_s;
    QTest::addRow("a range of none") << QString() << true << u"No delivery tries in this range"_s;
}

void TestChartView::anEmptyChartSaysWhy()
{
    QFETCH(QString, sender);
    QFETCH(bool, range);
    QFETCH(QString, said);
    Filter filter;
    filter.sender = sender.toStdString();
    if (range) {
        filter.sinceMs = 4102444800000;  // 2100-01-01
        filter.untilMs = filter.sinceMs + 3600000;
    }
    m_window->session()->setFilter(filter);
    QTRY_VERIFY(!m_window->session()->chart()->isBusy());
    QTRY_COMPARE(m_window->chart()->message(), said);
    m_window->session()->setFilter(Filter{});
    QTRY_COMPARE(m_window->chart()->message(), QString());
}

void TestChartView::codesOnShowLookApart_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QStringList>("codes");
    for (const bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        // 5.4.4's shade by its hash was 5.1.1's own: two bounce reasons of one colour (trial22).
        QTest::addRow("5.1.1 and 5.4.4, %s", palette) << dark << QStringList{u"5.1.1"_s, u"5.4.4"_s};
        // Seven codes of one class, the most a chart shows apart from "Other".
        QTest::addRow("seven 5.x.x, %s", palette)
            << dark << QStringList{u"5.0.0"_s, u"5.1.1"_s, u"5.2.1"_s, u"5.4.4"_s, u"5.7.0"_s, u"5.7.1"_s, u"5.7.27"_s};
        QTest::addRow("seven 4.x.x, %s", palette)
            << dark << QStringList{u"4.0.0"_s, u"4.2.0"_s, u"4.3.0"_s, u"4.4.1"_s, u"4.4.2"_s, u"4.4.3"_s, u"4.7.0"_s};
        QTest::addRow("seven 2.x.x, %s", palette)
            << dark << QStringList{u"2.0.0"_s, u"2.1.5"_s, u"2.6.0"_s, u"2.1.0"_s, u"2.4.0"_s, u"2.5.0"_s, u"2.7.0"_s};
        QTest::addRow("reply codes, %s", palette)
            << dark << QStringList{u"421"_s, u"450"_s, u"451"_s, u"550"_s, u"551"_s, u"552"_s, u"554"_s};
    }
}

void TestChartView::codesOnShowLookApart()
{
    QFETCH(bool, dark);
    QFETCH(QStringList, codes);
    const QPalette palette = breezePalette(dark);
    const QList<QColor> colours = codeColors(codes, palette);
    QCOMPARE(colours.size(), codes.size());
    // Apart from one another, from "Other" and from "No reply" (ChartView's own colours for them).
    QStringList names = codes;
    QList<QColor> all = colours;
    names << u"Other"_s << u"No reply"_s;
    all << palette.color(QPalette::PlaceholderText) << QColor::fromRgb(dark ? 0x7f9cf5 : 0x34508a);
    for (qsizetype i = 0; i < all.size(); ++i) {
        for (qsizetype j = i + 1; j < all.size(); ++j) {
            const QColor a = all[i], b = all[j];
            const double distance = std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
            QVERIFY2(distance >= 50, qPrintable(u"%1 (%2) and %3 (%4): %5"_s.arg(names[i], a.name(), names[j], b.name())
                                                    .arg(distance, 0, 'f', 0)));
        }
    }
    // A code of a shade of its own keeps it whatever is on show with it.
    for (qsizetype i = 0; i < codes.size(); ++i)
        if (codes[i] == u"5.1.1"_s || codes[i] == u"451"_s || codes[i] == u"4.7.1"_s)
            QCOMPARE(colours[i].name(), codeColor(codes[i], palette).name());
}

namespace {
// A Postfix log of bounces with ten enhanced codes (and as many reply codes), code i bounced
// 12 - i times: more than the chart shows apart, so that "Other" holds the last ones.
QString writeManyCodesLog(const QString &dir)
{
    static const char *const codes[][2] = {{"550", "5.1.1"}, {"550", "5.4.4"}, {"554", "5.7.1"}, {"552", "5.2.2"}, {"551", "5.1.6"},
                                           {"553", "5.1.3"}, {"550", "5.7.27"}, {"554", "5.3.0"}, {"550", "5.2.1"}, {"521", "5.7.0"}};
    QString text;
    int n = 0;
    for (int i = 0; i < 10; ++i) {
        for (int k = 0; k < 12 - i; ++k, ++n) {
            const QString id = u"%1"_s.arg(0xA00000 + n, 0, 16).toUpper();
            const QString time = u"Nov 20 11:%1:%2"_s.arg(n / 60 % 60, 2, 10, QLatin1Char('0')).arg(n % 60, 2, 10, QLatin1Char('0'));
            text += u"%1 mx1 postfix/qmgr[880]: %2: from=<news@example.com>, size=1000, nrcpt=1 (queue active)\n"_s.arg(time, id);
            text += u"%1 mx1 postfix/smtp[3121]: %2: to=<u%3@example.org>, relay=mx1.example.org[203.0.113.5]:25, delay=1, "
                    "delays=0/0/0.5/0.5, dsn=%4, status=bounced (host mx1.example.org[203.0.113.5] said: %5 %4 no (in reply "
                    "to RCPT TO command))\n"_s.arg(time, id).arg(n).arg(QLatin1String(codes[i][1]), QLatin1String(codes[i][0]));
        }
    }
    const QString path = dir + u"/many-codes.log"_s;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return {};
    return path;
}
} // namespace

void TestChartView::otherNamesItsCodesAndNarrowsToThem_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addRow("light") << false;
    QTest::addRow("dark") << true;
}

void TestChartView::otherNamesItsCodesAndNarrowsToThem()
{
    QFETCH(bool, dark);
    QTemporaryDir dir;
    const QString log = writeManyCodesLog(dir.path());
    QVERIFY(!log.isEmpty());
    MainWindow window(dir.filePath(u"cache.sqlite"_s));
    window.setPalette(breezePalette(dark));
    window.resize(1200, 800);
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    window.openLogs({log});
    QVERIFY(finished.wait(30000));
    ChartModel *model = window.session()->chart();
    model->setGroup(ChartGroup::EnhancedCode);
    QTRY_VERIFY(!model->isBusy() && model->columnCount() == ChartModel::TopCodes);
    const int other = model->columnCount() - 1;
    QCOMPARE(model->headerData(other, Qt::Horizontal, ChartModel::SeriesKeyRole).toString(), ChartModel::OtherKey);
    QChart *chart = window.chart()->chartView()->chart();
    QTRY_VERIFY(!chart->series().isEmpty());
    if (const QByteArray pictures = qgetenv("MAILTRAIL_CHART_PICTURES"); !pictures.isEmpty()) {
        QTest::qWait(50);
        window.chart()->chartView()->grab().save(
            QDir(QString::fromLocal8Bit(pictures)).filePath(u"many-codes-%1.png"_s.arg(QLatin1String(QTest::currentDataTag()))));
    }
    // Its hover names what it holds, the most tries first (six codes are shown, 5.1.1 to 5.1.3).
    QString hover;
    for (int b = 0; b < model->rowCount(); ++b)
        if (model->data(model->index(b, other)).toLongLong() > 0)
            hover += window.chart()->hoverText(b);
    QVERIFY2(hover.contains(u"5.7.27 ("_s) && hover.contains(u"5.7.0 ("_s), qPrintable(hover));
    const QString inRange = ChartView::codeCounts(model->table().othersInRange, ChartGroup::EnhancedCode);
    QCOMPARE(inRange, u"5.7.27 (6), 5.3.0 (5), 5.2.1 (4), 5.7.0 (3)"_s);
    // Its legend entry narrows to a try of any of those codes, and back (trial22: it was inert,
    // and a click on its segment narrowed to every try of the bar).
    const Filter before = window.session()->filter();
    window.chart()->toggleLegend(other);
    QCOMPARE(window.session()->filter().triedAs, std::string("5.2.1,5.3.0,5.7.0,5.7.27"));
    QCOMPARE(window.session()->chart()->isSelected(window.session()->filter(), other), true);
    QTRY_VERIFY(!window.currentModel()->isCounting());
    Filter anyOfThem;
    anyOfThem.triedAs = "5.2.1,5.3.0,5.7.0,5.7.27";
    anyOfThem.fileIds = window.session()->scope();
    const std::int64_t rows = window.session()->cache()->count(Grain::Messages, anyOfThem);
    QVERIFY(rows > 0);
    QTRY_COMPARE(window.currentModel()->rowCount(), int(rows));
    // "Other" stays, on, to switch the list off again (those rows have only its four codes).
    QTRY_VERIFY(!model->isBusy() && model->filter().triedAs == anyOfThem.triedAs);
    const int stillOther = int(model->table().keys.indexOf(ChartModel::OtherKey));
    QVERIFY(stillOther >= 0);
    QVERIFY(model->isSelected(window.session()->filter(), stillOther));
    window.chart()->toggleLegend(stillOther);
    QCOMPARE(window.session()->filter(), before);
    // A segment of it: the codes Other holds in that bar.
    QTRY_VERIFY(!model->isBusy() && model->columnCount() == ChartModel::TopCodes);
    int bucket = -1;
    for (int b = 0; b < model->rowCount() && bucket < 0; ++b)
        if (model->data(model->index(b, other)).toLongLong() > 0)
            bucket = b;
    QVERIFY(bucket >= 0);
    const Filter segment = model->filterFor(before, bucket, other);
    QVERIFY(!segment.triedAs.empty());
    for (const auto &[code, n] : model->table().others[bucket])
        QVERIFY2(QString::fromStdString(segment.triedAs).split(u',').contains(code), qPrintable(code));
}

QTEST_MAIN(TestChartView)
#include "tst_chartview.moc"
