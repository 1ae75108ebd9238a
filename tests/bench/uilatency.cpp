// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-uilatency --cache FILE [--filters] LOG...
//
// With --filters: once the logs are open, applies each filter of a user's first minutes through the
// window's session (as the filter bar does) and times, median of 3, the filter taking effect to
// the table's first paint with all its new rows in view, and to the chart's first paint with its
// new bars; and the longest the event loop was held meanwhile.
//
// Opens the logs in the real main window (offscreen works), and while the import runs scrolls
// the table to a random row every 100 ms, as an impatient user would. Every 5 ms a timer notes
// how late it fired: the longest delay is the longest the window was frozen. Prints the import
// time, how long after opening the logs the table first showed rows (what a user waits for after
// dropping them), the number of scroll jumps, and the worst and 99th-percentile event-loop delays.
#include "cachetablemodel.h"
#include "chartmodel.h"
#include "chartview.h"
#include "insightreplay.h"
#include "memoryindexjob.h"
#include "session.h"
#include "mainwindow.h"
#include "messageview.h"

#include <QApplication>
#include <QChartView>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

// Notes when a widget paints: the time, on a clock shared with the filter's start.
class PaintClock : public QObject
{
public:
    PaintClock(QWidget *widget, const QElapsedTimer &clock)
        : m_clock(clock)
    {
        widget->installEventFilter(this);
    }
    double lastPaintMs = -1;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            lastPaintMs = static_cast<double>(m_clock.nsecsElapsed()) / 1e6;
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_clock;
};

// Applies each filter three times (after the empty one) and prints the medians of: the filter
// taking effect (Session::setFilter, as the filter bar calls it) to the table's viewport painted
// with every row in view present, and to the chart's view painted with the new bars; and the
// longest the event loop was late meanwhile. The window is left to paint as it does for a user
// (no forced repaint) and the wait does not spin: a busy loop here would take a core from the
// threads that count and chart.
void timeFilters(MainWindow &window)
{
    Session *session = window.session();
    ChartModel *chart = session->chart();
    struct Case {
        const char *name;
        std::function<void(Filter &)> set;
    };
    Filter scope;
    scope.fileIds = session->scope();
    const auto [oldest, newest] = session->cache()->timeRange(scope);
    // The last tenth of the log's time: "last hour" was every row of a log shorter than that.
    const qint64 tenth = (newest - oldest) / 10;
    const std::vector<Case> cases{
        {"sender contains 'example.com'", [](Filter &f) { f.sender = "example.com"; }},
        // A domain the generator writes (inbound, delivered by virtual(8)): example.org is in no
        // generated log, and a filter that matches nothing times an empty table.
        {"recipient contains 'example.net'", [](Filter &f) { f.recipient = "example.net"; }},
        {"status bounced", [](Filter &f) { f.statuses = {"bounced"}; }},
        {"code 5xx", [](Filter &f) { f.code = "5xx"; }},
        {"code 5.7.1", [](Filter &f) { f.code = "5.7.1"; }},
        {"time: the last tenth", [newest, tenth](Filter &f) { f.sinceMs = newest - tenth; }},
        {"text 'spamhaus'", [](Filter &f) { f.text = "spamhaus"; }},
        // A common word pair, and a term of two words that the index holds joined.
        {"text 'gmail com'", [](Filter &f) { f.text = "gmail com"; }},
        {"text 'gmail.com'", [](Filter &f) { f.text = "gmail.com"; }},
        // A Summary destination's link (the generator's busiest).
        {"destination gmail-smtp-in.l.google.com", [](Filter &f) { f.destination = "gmail-smtp-in.l.google.com"; }},
        // Combinations, which SQLite answered by joining one index's matches to the other's rows.
        {"5xx and sender 'example.com'", [](Filter &f) {
             f.code = "5xx";
             f.sender = "example.com";
         }},
        {"bounced in the last tenth", [newest, tenth](Filter &f) {
             f.statuses = {"bounced"};
             f.sinceMs = newest - tenth;
         }},
        // A click on a bar of the chart (ChartModel::segmentFilter): the tries of
        // an outcome or a reply code in a hundredth of the log's time.
        {"chart bar: deferred", [newest, tenth](Filter &f) {
             f.triedAs = "deferred";
             f.triedSinceMs = newest - tenth;
             f.triedUntilMs = newest - tenth + tenth / 10;
         }},
        {"chart bar: reply 550", [newest, tenth](Filter &f) {
             f.triedAs = "550";
             f.triedSinceMs = newest - tenth;
             f.triedUntilMs = newest - tenth + tenth / 10;
         }},
    };
    QElapsedTimer clock;
    clock.start();
    PaintClock tablePaint(window.table()->viewport(), clock);
    PaintClock chartPaint(window.chart()->chartView()->viewport(), clock);
    const auto now = [&clock] { return static_cast<double>(clock.nsecsElapsed()) / 1e6; };
    // When the new rows and bars came in, and the last rows a paint asked for after them.
    double tableIn = -1, rowsIn = -1, chartIn = -1;
    QObject context;  // the connections end with this function
    QObject::connect(window.currentModel(), &QAbstractItemModel::modelReset, &context, [&] { tableIn = now(); });
    QObject::connect(window.currentModel(), &QAbstractItemModel::dataChanged, &context, [&] { rowsIn = now(); });
    QObject::connect(chart, &QAbstractItemModel::modelReset, &context, [&] { chartIn = now(); });

    QTextStream out(stdout);
    // The addresses are read into memory after the import (MemoryIndexJob): the sender and
    // recipient filters are timed once they are, as a user meets them seconds after an import.
    {
        MemoryIndexJob *index = session->memoryIndex();
        QElapsedTimer waited;
        waited.start();
        while (index->isBusy())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        out << "index of addresses " << (index->isReady() ? "ready" : "not built") << ", waited "
            << waited.elapsed() / 1000.0 << " s for it\n";
    }
    // The insights are counted again over every row after an import, on a thread of their own:
    // the filters below share the two cores with that replay until it is done.
    InsightReplay *replay = session->insightReplay();
    out << "insight replay " << (replay->isBusy() ? "still running" : "done") << " when the filters start";
    if (replay->isBusy() && qEnvironmentVariableIntValue("SETTLE") == 1) {
        QElapsedTimer settle;
        settle.start();
        while (replay->isBusy())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        out << "; waited " << settle.elapsed() / 1000.0 << " s for it (SETTLE=1)";
    }
    out << "\n";
    out << u"%1 %2 %3 %4 %5\n"_s.arg(u"filter"_s, -34).arg(u"rows"_s, 9).arg(u"table ms"_s, 9).arg(u"chart ms"_s, 9)
               .arg(u"held ms"_s, 8);
    for (const Case &c : cases) {
        std::vector<double> table, bars, held;
        int rows = 0;
        for (int run = 0; run < 3; ++run) {
            session->setFilter({});
            while (window.currentModel()->isCounting() || chart->isBusy())
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            QCoreApplication::processEvents();  // the paints of the empty filter
            Filter f;
            c.set(f);
            tableIn = rowsIn = chartIn = -1;
            tablePaint.lastPaintMs = chartPaint.lastPaintMs = -1;
            double tableMs = -1, chartMs = -1, worst = 0;
            QEventLoop wait;
            QElapsedTimer late;
            QTimer tick;
            tick.setInterval(5);
            QObject::connect(&tick, &QTimer::timeout, [&] {
                worst = std::max(worst, static_cast<double>(late.nsecsElapsed()) / 1e6 - 5);
                late.restart();
                // The table is done at the first paint after its rows came in that asked for no
                // row still to be read (a page not in memory is read off the GUI thread while
                // painting; its arrival repaints).
                if (tableMs < 0 && tableIn >= 0 && tablePaint.lastPaintMs >= std::max(tableIn, rowsIn) &&
                    !window.currentModel()->isCounting() && !window.currentModel()->isFetchingRows())
                    tableMs = tablePaint.lastPaintMs;
                if (chartMs < 0 && chartIn >= 0 && !chart->isBusy() && chartPaint.lastPaintMs >= chartIn)
                    chartMs = chartPaint.lastPaintMs;
                if (tableMs >= 0 && chartMs >= 0)
                    wait.quit();
            });
            const double start = now();
            session->setFilter(f);
            late.start();
            tick.start();
            wait.exec();
            table.push_back(tableMs - start);
            bars.push_back(chartMs - start);
            held.push_back(std::max(0.0, worst));
            rows = window.currentModel()->rowCount();
        }
        for (auto *v : {&table, &bars, &held})
            std::sort(v->begin(), v->end());
        if (rows == 0)
            QTextStream(stderr) << "warning: " << c.name << " matches no row of these logs: its time says little\n";
        out << u"%1 %2 %3 %4 %5\n"_s.arg(QString::fromLatin1(c.name), -34).arg(rows, 9).arg(table[1], 9, 'f', 0)
                   .arg(bars[1], 9, 'f', 0).arg(held[1], 8, 'f', 0);
        out.flush();
    }
}

// What a user sees in top and in the cache's folder after this session's work.
void printFootprint(const QString &cache)
{
    QFile status(u"/proc/self/status"_s);
    QString rss, peak;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                rss = QString::fromLatin1(line.mid(6).trimmed());
            else if (line.startsWith("VmHWM:"))
                peak = QString::fromLatin1(line.mid(6).trimmed());
        }
    }
    const auto mb = [](qint64 bytes) { return QString::number(bytes / 1e6, 'f', 1); };
    QTextStream(stdout) << "memory: resident " << rss << ", peak " << peak << "; cache " << mb(QFileInfo(cache).size())
                        << " MB, its -wal " << mb(QFileInfo(cache + u"-wal"_s).size()) << " MB\n";
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    app.setProperty("mailtrail.noDialogs", true);
    QStringList args = app.arguments().mid(1);
    const qsizetype cacheAt = args.indexOf(u"--cache"_s);
    if (cacheAt < 0 || cacheAt + 1 >= args.size() || args.size() < 3) {
        QTextStream(stderr) << "usage: mailtrail-uilatency --cache FILE LOG...\n";
        return 2;
    }
    const QString cache = args.at(cacheAt + 1);
    args.remove(cacheAt, 2);
    const bool filters = args.removeAll(u"--filters"_s) > 0;

    auto owned = std::make_unique<MainWindow>(cache);
    MainWindow &window = *owned;
    window.resize(1400, 900);
    window.show();

    std::vector<qint64> delays;
    QElapsedTimer import;
    qint64 firstRowsMs = -1;
    QElapsedTimer sinceTick;
    QTimer tick;
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        delays.push_back(std::max<qint64>(0, sinceTick.elapsed() - 5));
        sinceTick.restart();
        if (firstRowsMs < 0 && window.currentModel() && window.currentModel()->rowCount() > 0)
            firstRowsMs = import.elapsed();
    });
    int jumps = 0;
    QTimer scroll;
    scroll.setInterval(100);
    QObject::connect(&scroll, &QTimer::timeout, [&] {
        QAbstractItemModel *model = window.table()->model();
        if (model && model->rowCount() > 0) {
            const int row = QRandomGenerator::global()->bounded(model->rowCount());
            window.table()->scrollTo(model->index(row, 0));
            ++jumps;
        }
    });
    QObject::connect(&window, &MainWindow::importFinished, [&] {
        const qint64 ms = import.elapsed();
        tick.stop();
        scroll.stop();
        std::sort(delays.begin(), delays.end());
        const qint64 worst = delays.empty() ? 0 : delays.back();
        const qint64 p99 = delays.empty() ? 0 : delays[delays.size() * 99 / 100];
        QTextStream(stdout) << "first rows in the table " << firstRowsMs / 1000.0 << " s after the logs were opened\n";
        QTextStream(stdout) << "import " << ms / 1000.0 << " s, " << window.currentModel()->rowCount()
                            << " rows, " << jumps << " scroll jumps; event loop late by at most " << worst
                            << " ms (99% within " << p99 << " ms)\n";
        printFootprint(cache);
        if (filters)
            QTimer::singleShot(0, [&window, cache] {
                timeFilters(window);
                printFootprint(cache);
                QApplication::quit();
            });
        else
            QApplication::quit();
    });
    sinceTick.start();
    import.start();
    tick.start();
    scroll.start();
    window.openLogs(args);
    const int rc = app.exec();
    owned.reset();
    QTextStream(stdout) << "after the window closed: -wal " << QFileInfo(cache + u"-wal"_s).size() / 1e6 << " MB\n";
    return rc;
}
