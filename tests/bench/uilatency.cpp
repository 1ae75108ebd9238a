// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-uilatency --cache FILE LOG...
//
// Opens the logs in the real main window (offscreen works), and while the import runs scrolls
// the table to a random row every 100 ms, as an impatient user would. Every 5 ms a timer notes
// how late it fired: the longest delay is the longest the window was frozen. Prints the import
// time, the number of scroll jumps, and the worst and 99th-percentile event-loop delays.
#include "cachetablemodel.h"
#include "mainwindow.h"
#include "messageview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace mailtrail;
using namespace Qt::StringLiterals;

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

    MainWindow window(cache);
    window.resize(1400, 900);
    window.show();

    std::vector<qint64> delays;
    QElapsedTimer sinceTick;
    QTimer tick;
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        delays.push_back(std::max<qint64>(0, sinceTick.elapsed() - 5));
        sinceTick.restart();
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
    QElapsedTimer import;
    QObject::connect(&window, &MainWindow::importFinished, [&] {
        const qint64 ms = import.elapsed();
        tick.stop();
        scroll.stop();
        std::sort(delays.begin(), delays.end());
        const qint64 worst = delays.empty() ? 0 : delays.back();
        const qint64 p99 = delays.empty() ? 0 : delays[delays.size() * 99 / 100];
        QTextStream(stdout) << "import " << ms / 1000.0 << " s, " << window.currentModel()->rowCount()
                            << " rows, " << jumps << " scroll jumps; event loop late by at most " << worst
                            << " ms (99% within " << p99 << " ms)\n";
        QApplication::quit();
    });
    sinceTick.start();
    import.start();
    tick.start();
    scroll.start();
    window.openLogs(args);
    return app.exec();
}
