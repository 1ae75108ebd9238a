// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "importjob.h"
#include "freedmemory.h"

#include "ingest/followstate.h"
#include "ingest/ingestor.h"

#include <QThread>

#include <chrono>

namespace mailtrail {

ImportJob::ImportJob(QString cachePath, QObject *parent)
    : QObject(parent)
    , m_cachePath(std::move(cachePath))
{
}

ImportJob::~ImportJob()
{
    cancel();
    wait();
}

bool ImportJob::start(const QStringList &paths, int year, const QString &format)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::string> files;
    for (const QString &p : paths)
        files.push_back(p.toStdString());
    const std::string cachePath = m_cachePath.toStdString();
    QPointer<ImportJob> self(this);
    auto cancel = m_cancel;
    const std::string formatName = format.toStdString();
    auto carry = m_carry;  // one import at a time uses it

    m_thread = QThread::create([self, cancel, files, cachePath, year, formatName, carry] {
        // Results travel back by queued calls on `self`: dropped if the job is gone.
        auto post = [self](auto fn) {
            if (ImportJob *job = self.data())
                QMetaObject::invokeMethod(job, fn, Qt::QueuedConnection);
        };
        Cache cache;
        ImportSummary summary;
        // Opening may have to wait for another import (to migrate the layout); cancel ends it.
        cache.setLockWaiting(
            [post, self](long pid) {
                post([self, pid] {
                    if (ImportJob *job = self.data())
                        Q_EMIT job->waitingForOtherImport(pid);
                });
            },
            [cancel] { return cancel->load(); });
        if (!cache.open(cachePath)) {
            summary.error = cache.error();
        } else {
            ImportOptions options;
            options.year = year;
            options.format = formatName;
            options.isCancelled = [cancel] { return cancel->load(); };
            QElapsedTimer clock;
            clock.start();
            qint64 lastReport = -1000;
            qint64 lastPurge = 0;
            options.progress = [&](const ImportProgress &p) {
                if (p.stage != ImportProgress::Stage::Reading) {
                    // Once, never held back: the bytes stop moving from here on.
                    post([self] {
                        if (ImportJob *job = self.data())
                            Q_EMIT job->finishing();
                    });
                    return;
                }
                const qint64 now = clock.elapsed();
                if (now - lastPurge >= 1000) {
                    // The window's readers, the writer and the counting thread free as much as
                    // the reader allocates; kept by jemalloc for ten seconds, it piled up to a
                    // third of the window's memory at the end of a 1 GB import.
                    lastPurge = now;
                    returnFreedMemory(FreedMemoryMoment::WhileBusy);
                }
                if (now - lastReport < 100)
                    return;
                lastReport = now;
                const double mbps = now > 0 ? static_cast<double>(p.bytesDone) / 1e3 / static_cast<double>(now) : 0;
                const auto done = static_cast<qint64>(p.bytesDone);
                const auto total = static_cast<qint64>(p.bytesTotal);
                const auto messages = static_cast<qint64>(p.messages);
                post([self, done, total, mbps, messages] {
                    if (ImportJob *job = self.data())
                        Q_EMIT job->progress(done, total, mbps, messages);
                });
            };
            options.waiting = [&](long pid) {
                post([self, pid] {
                    if (ImportJob *job = self.data())
                        Q_EMIT job->waitingForOtherImport(pid);
                });
            };
            options.committed = [&] {
                post([self] {
                    if (ImportJob *job = self.data())
                        Q_EMIT job->rowsCommitted();
                });
            };
            // The indexes the import leaves out, then the free-text index in one pass over what
            // is new, while the rows are already on show. Still under the import's lock: another
            // import may not begin before they are built (nor make them skip). The first also
            // after a failed import, which may have dropped them: the table must stay sortable.
            // Cancel (or closing the window) interrupts either.
            options.whileLocked = [&](ImportSummary &done) {
                // The reading, writing and counting threads have freed their batches by now.
                returnFreedMemory();
                if (cancel->load())
                    return;
                cache.setInterruptFlag(cancel.get());
                std::string failed;
                if (!cache.deferredIndexesComplete()) {
                    post([self] {
                        if (ImportJob *job = self.data())
                            Q_EMIT job->buildingIndexes();
                    });
                    if (!cache.ensureDeferredIndexes() && !cancel->load())
                        failed = "The indexes for sorting by every column could not be built: " + cache.error() + '.';
                    returnFreedMemory();  // the sorter's runs
                }
                if (done.ok() && !cancel->load()) {
                    post([self] {
                        if (ImportJob *job = self.data())
                            Q_EMIT job->indexingText();
                    });
                    if (!cache.ensureTextIndex() && !cancel->load())
                        failed += (failed.empty() ? "" : " ") + ("The free-text index could not be brought up to date: " +
                                                                 cache.error() + '.');
                    returnFreedMemory();  // the index's pending words and page cache
                }
                cache.setInterruptFlag(nullptr);
                if (!failed.empty())
                    done.warning += (done.warning.empty() ? "" : " ") + failed;
            };
            summary = carry ? Ingestor::import(cache, files, options, {}, {}, *carry) : Ingestor::import(cache, files, options);
        }
        post([self, summary] {
            if (ImportJob *job = self.data()) {
                job->m_running = false;
                Q_EMIT job->finished(summary);
            }
        });
    });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
    return true;
}

void ImportJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ImportJob::wait()
{
    if (m_thread)
        m_thread->wait();
}

} // namespace mailtrail
