// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// How long the window takes to replay the insight rules over the history of a big cache, whether
// its event loop keeps answering meanwhile, and how soon a replay stops when it is superseded:
//     mailtrail-replaybench CACHE
// Prints the replay's time and messages, the event loop's longest pause during it, and the time a
// cancel (a new scope, closing the window) takes to end a replay under way.
#include "cache/cache.h"
#include "insightmodel.h"
#include "insightreplay.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace mailtrail;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: mailtrail-replaybench CACHE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    std::vector<std::int64_t> ids;
    {
        Cache cache;
        if (!cache.open(path.toStdString(), Cache::Mode::ReadOnly)) {
            std::fprintf(stderr, "cannot open %s: %s\n", argv[1], cache.error().c_str());
            return 1;
        }
        for (const FileRow &f : cache.files())
            ids.push_back(f.id);
    }
    InsightModel model;
    InsightReplay replay(path, &model);
    qint64 messages = 0;
    QObject::connect(&replay, &InsightReplay::progress, [&messages](qint64 n) { messages = n; });

    // The event loop's pauses: a timer due every 10 ms, and how late it comes.
    QElapsedTimer clock;
    qint64 lastTick = 0;
    qint64 longestPause = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longestPause = std::max(longestPause, now - lastTick);
        lastTick = now;
    });

    QEventLoop loop;
    QObject::connect(&replay, &InsightReplay::busyChanged, &loop, [&loop](bool busy) {
        if (!busy)
            loop.quit();
    });
    clock.start();
    tick.start();
    replay.restart(ids, InsightThresholds{});
    loop.exec();
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    tick.stop();
    std::printf("replay: %.2f s, %lld+ messages, %d insights, event loop's longest pause %lld ms\n", seconds,
                static_cast<long long>(messages), model.rowCount(), static_cast<long long>(longestPause));

    // Superseded one second in: how long until the replay under way has stopped.
    replay.restart(ids, InsightThresholds{});
    QTimer::singleShot(1000, &app, [&] {
        QElapsedTimer stopping;
        stopping.start();
        replay.cancel();
        replay.waitForIdle();
        std::printf("cancel after 1 s: stopped in %lld ms\n", static_cast<long long>(stopping.elapsed()));
        app.quit();
    });
    return app.exec();
}
