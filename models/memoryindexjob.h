// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

namespace mailtrail {

// Reads the cache's addresses into memory (Cache::buildMemoryIndex) on a thread of its own, behind
// the window's reads, after the cache is opened and after each import: every reader of the
// window then answers a sender or recipient filter from it. Requests while a read runs are
// joined into one more read after it, which waits a while first: a followed log imports every
// few seconds, and each read of a 1 GB cache costs seconds of a core.
class MemoryIndexJob : public QObject
{
    Q_OBJECT
public:
    explicit MemoryIndexJob(QString cachePath, QObject *parent = nullptr);
    ~MemoryIndexJob() override;

    void request();
    bool isRunning() const { return m_running; }
    // A read runs or is to come.
    bool isBusy() const { return m_running || m_pending || m_delay.isActive(); }
    // Whether the last read published an index.
    bool isReady() const { return m_ready; }
    // Stops a read under way and drops the index (the cache is about to be emptied).
    void drop();

Q_SIGNALS:
    // A read ended: `ready` when an index describes the cache now; `error` in words when it failed.
    void finished(bool ready, const QString &error);

private:
    void start();

    QString m_cachePath;
    QThreadPool m_pool;
    QTimer m_delay;
    QElapsedTimer m_lastRun;
    qint64 m_lastRunMs = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
    bool m_pending = false;
    bool m_ready = false;
};

} // namespace mailtrail
