// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// mailtrail-followwindowbench: how long a line written to a log the window follows takes to
// count in its table, and what the window costs while the log is quiet.
//
//   mailtrail-followwindowbench DIR [LINES_PER_SECOND] [SECONDS]
//
// Opens DIR/mail.log in the real main window (offscreen works), which follows it because it was
// just written. Idle: reads the process's CPU time over 10 s of a quiet log. Latency: a thread
// appends the same Postfix lines as mailtrail-followbench (5 per message, each its own write())
// at LINES_PER_SECOND (default 1000) for SECONDS (default 20), the table filtered to sent
// messages; each message's delay runs from the write() of its delivery line to the table's count
// of sent messages first including it. Prints median, p95 and max.
#include "cachetablemodel.h"
#include "followtraffic.h"
#include "mainwindow.h"
#include "session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mailtrail;
using namespace Qt::StringLiterals;
using namespace followbench;

namespace {

using Clock = std::chrono::steady_clock;

double processCpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // the user's settings neither read nor written
    app.setProperty("mailtrail.noDialogs", true);
    if (argc < 2) {
        QTextStream(stderr) << "usage: mailtrail-followwindowbench DIR [LINES_PER_SECOND] [SECONDS]\n";
        return 2;
    }
    const std::string dir = argv[1];
    const int rate = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 20;
    const std::string log = dir + "/mail.log";
    const QString cache = QString::fromStdString(dir + "/window.sqlite");
    ::unlink(log.c_str());
    QFile::remove(cache);
    appendLine(log, syslogTime() + " mx postfix/master[1]: daemon started -- version 3.9.1\n");

    MainWindow window(cache);
    window.resize(1400, 900);
    window.show();
    bool imported = false;
    QEventLoop opening;
    QObject::connect(&window, &MainWindow::importFinished, &opening, [&] {
        imported = true;
        opening.quit();
    });
    QTimer::singleShot(30000, &opening, &QEventLoop::quit);
    window.openLogs({QString::fromStdString(log)});
    opening.exec();
    if (!imported || !window.session()->isFollowing()) {
        QTextStream(stderr) << "the window did not open and follow " << QString::fromStdString(log) << "\n";
        return 1;
    }
    Filter sent;
    sent.statuses.push_back("sent");
    window.session()->setFilter(sent);
    runFor(3000);

    const double cpu0 = processCpuSeconds();
    runFor(10000);
    const double idleCpu = processCpuSeconds() - cpu0;
    QTextStream out(stdout);
    out << u"window idle: %1 s of CPU in 10 s of following a quiet log\n"_s.arg(idleCpu, 0, 'f', 3);
    out.flush();

    const int total = rate * seconds;
    std::mutex mutex;
    std::vector<Clock::time_point> written(static_cast<std::size_t>(total / 5));
    std::atomic<int> deliveriesWritten{0};
    std::vector<double> delays;
    std::size_t counted = 0;  // messages whose delay is taken, in order
    auto take = [&](qint64 matching) {
        const auto now = Clock::now();
        std::lock_guard lock(mutex);
        const auto shown = std::min<std::size_t>(static_cast<std::size_t>(std::max<qint64>(matching, 0)),
                                                 static_cast<std::size_t>(deliveriesWritten.load()));
        for (; counted < shown; ++counted)
            delays.push_back(std::chrono::duration<double, std::milli>(now - written[counted]).count());
    };
    CacheTableModel *table = window.currentModel();
    QObject::connect(table, &CacheTableModel::countsChanged, table, [&](qint64 matching, qint64) { take(matching); });

    std::thread writer([&] {
        const auto start = Clock::now();
        for (int i = 0; i < total; ++i) {
            const std::string line = trafficLine(i);
            std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long long>(i) * 1000000 / rate));
            if (i % 5 == 3) {
                std::lock_guard lock(mutex);
                written[static_cast<std::size_t>(i / 5)] = Clock::now();
                ++deliveriesWritten;
            }
            appendLine(log, line);
        }
    });
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < (seconds + 5) * 1000 && counted < static_cast<std::size_t>(total / 5))
        runFor(100);
    writer.join();
    out << u"window latency at %1 lines/s for %2 s: %3 of %4 deliveries counted; write to row: median %5 ms, "
           "p95 %6 ms, max %7 ms\n"_s.arg(rate)
               .arg(seconds)
               .arg(delays.size())
               .arg(total / 5)
               .arg(percentile(delays, 0.5), 0, 'f', 0)
               .arg(percentile(delays, 0.95), 0, 'f', 0)
               .arg(percentile(delays, 1.0), 0, 'f', 0);
    return delays.size() == static_cast<std::size_t>(total / 5) ? 0 : 1;
}
