// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace mailtrail {

class FollowState;

// Runs Ingestor::import on a thread of its own with its own connection, so the window keeps
// answering while a 2 GB log is read. Progress arrives at most ten times a second; rowsCommitted()
// says new rows became visible, so views can refresh while the import goes on.
class ImportJob : public QObject
{
    Q_OBJECT
public:
    explicit ImportJob(QString cachePath, QObject *parent = nullptr);
    ~ImportJob() override;

    bool isRunning() const { return m_running; }
    // Starts importing; returns false if a job is already running. `format`: a format's name
    // ("exim") the files are read as, without detecting it (ImportOptions::format).
    bool start(const QStringList &paths, int year = 0, const QString &format = {});
    // While following: each import continues the one before (FollowState), so that lines split
    // across batches are joined as one import joins them. Null: each import starts from the cache.
    void setFollowState(std::shared_ptr<FollowState> carry) { m_carry = std::move(carry); }
    // Asks the import to stop at the next block; finished() still follows, with cancelled set.
    void cancel();
    // Blocks until the running import has finished (for tests and shutdown).
    void wait();

Q_SIGNALS:
    void progress(qint64 bytesDone, qint64 bytesTotal, double megabytesPerSecond, qint64 messages);
    void rowsCommitted();
    // Every line is read: the rows still queued are written. The bytes stand still meanwhile.
    void finishing();
    // Another process (pid, 0 when unknown) is importing into the same cache: this import waits
    // for it to finish, then begins.
    void waitingForOtherImport(qint64 pid);
    // The rows are in; the indexes for ordering by any column are being built (after a first
    // import, or one large enough to have dropped them).
    void buildingIndexes();
    // The rows and every order are in; the free-text index is being brought up to date
    // (finished() follows).
    void indexingText();
    void finished(const mailtrail::ImportSummary &summary);

private:
    QString m_cachePath;
    QPointer<QThread> m_thread;  // deletes itself when it has finished
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<FollowState> m_carry;
    bool m_running = false;
};

} // namespace mailtrail
