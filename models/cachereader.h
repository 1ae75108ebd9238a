// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "threadconnection.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrentRun>

#include <atomic>
#include <memory>
#include <string>
#include <utility>

namespace mailtrail {

// What the models that read the cache off the GUI thread share: a pool of one thread (its
// connection, ThreadConnection's, stays on it and is kept between reads), a generation that drops
// the answer to a read superseded since, and a flag that stops a superseded query within
// milliseconds instead of holding the thread for seconds.
class CacheReader
{
public:
    explicit CacheReader(std::string cachePath)
        : m_path(std::move(cachePath))
    {
        m_pool.setMaxThreadCount(1);
        m_pool.setExpiryTimeout(-1);
    }
    ~CacheReader()
    {
        ++m_generation;
        if (m_cancel)
            m_cancel->store(true);
        m_pool.waitForDone();
    }
    CacheReader(const CacheReader &) = delete;
    CacheReader &operator=(const CacheReader &) = delete;

    // Runs `read(Cache &, std::string &error)` (returns a T; sets `error`, or leaves the cache's
    // error to say what failed) on the pool's thread, and then `done(T, QString error)` on
    // `context`'s thread, unless another start() came since. `error` is in words ("" when it
    // worked); after a failure the thread's connection is opened afresh for the next read.
    template<typename T, typename Read, typename Done>
    void start(QObject *context, Read read, Done done)
    {
        struct Answer {
            T value{};
            QString error;
        };
        const quint64 generation = ++m_generation;
        if (m_cancel)
            m_cancel->store(true);
        m_cancel = std::make_shared<std::atomic<bool>>(false);
        auto *watcher = new QFutureWatcher<Answer>(context);
        QObject::connect(watcher, &QFutureWatcher<Answer>::finished, context,
                         [this, watcher, generation, done = std::move(done)]() mutable {
                             watcher->deleteLater();
                             if (generation != m_generation)
                                 return;  // asked for something else since: its answer is on its way
                             Answer answer = watcher->result();
                             done(std::move(answer.value), answer.error);
                         });
        watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_path, cancel = m_cancel, read = std::move(read)]() mutable {
            Answer answer;
            if (cancel->load())
                return answer;  // superseded while it waited: its answer would be dropped
            std::string error;
            Cache *cache = ThreadConnection::get(path, &error);
            if (!cache) {
                answer.error = QString::fromStdString(error);
                return answer;
            }
            cache->setInterruptFlag(cancel.get());
            answer.value = read(*cache, error);
            cache->setInterruptFlag(nullptr);
            if (error.empty())
                error = cache->error();
            if (!error.empty()) {
                answer.error = QString::fromStdString(error);
                ThreadConnection::drop();
            }
            return answer;
        }));
    }

    // Waits for the read under way (tests, benchmarks); its answer is delivered by the event loop.
    void waitForDone() { m_pool.waitForDone(); }

private:
    std::string m_path;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QThreadPool m_pool;
};

} // namespace mailtrail
