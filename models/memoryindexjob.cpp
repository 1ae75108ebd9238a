// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "memoryindexjob.h"

#include "backgroundpriority.h"
#include "cache/cache.h"
#include "freedmemory.h"

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QtConcurrentRun>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcMemoryIndex, "mailtrail.models.memoryindex")

namespace mailtrail {

namespace {
struct Outcome {
    bool ready = false;
    QString error;
    qint64 ms = 0;
};
} // namespace

MemoryIndexJob::MemoryIndexJob(QString cachePath, QObject *parent)
    : QObject(parent)
    , m_cachePath(std::move(cachePath))
{
    m_pool.setMaxThreadCount(1);
    m_delay.setSingleShot(true);
    connect(&m_delay, &QTimer::timeout, this, &MemoryIndexJob::start);
}

MemoryIndexJob::~MemoryIndexJob()
{
    drop();  // its memory is the window's: gone with it
}

void MemoryIndexJob::request()
{
    if (m_running || m_delay.isActive()) {
        m_pending = true;
        return;
    }
    // After a read, the next waits three times as long as it took: a quarter of a core at most.
    const qint64 rest = m_lastRun.isValid() ? std::max<qint64>(0, 3 * m_lastRunMs - m_lastRun.elapsed()) : 0;
    if (rest > 0)
        m_delay.start(static_cast<int>(std::min<qint64>(rest, 60000)));
    else
        start();
}

void MemoryIndexJob::drop()
{
    m_delay.stop();
    m_pending = false;
    if (m_cancel)
        m_cancel->store(true);
    m_pool.waitForDone();
    Cache::dropMemoryIndex(m_cachePath.toStdString());
    m_ready = false;
}

void MemoryIndexJob::start()
{
    m_running = true;
    m_pending = false;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Outcome outcome = watcher->result();
        m_running = false;
        m_ready = outcome.ready;
        m_lastRunMs = outcome.ms;
        m_lastRun.start();
        qCDebug(lcMemoryIndex) << "index of addresses" << (outcome.ready ? "ready" : "not built") << "after"
                               << outcome.ms << "ms" << outcome.error;
        Q_EMIT finished(outcome.ready, outcome.error);
        if (m_pending)
            request();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cachePath.toStdString(), cancel = m_cancel] {
        Outcome outcome;
        QElapsedTimer timer;
        timer.start();
        lowerCurrentThreadPriority();
        {
            // A connection of its own, closed after the read: it holds no statement between reads.
            Cache cache;
            if (!cache.open(path, Cache::Mode::ReadOnly)) {
                outcome.error = QString::fromStdString(cache.error());
            } else {
                outcome.ready = cache.buildMemoryIndex(cancel.get());
                outcome.error = QString::fromStdString(cache.error());
            }
        }
        // The read's rows and its connection's pages.
        returnFreedMemory();
        outcome.ms = timer.elapsed();
        return outcome;
    }));
}

} // namespace mailtrail
