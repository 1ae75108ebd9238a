// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace mailtrail {

class LogFollower;

// Watches logs that are being written and says which files to import again (LogFollower decides,
// rotation included). inotify (QFileSystemWatcher) wakes it at once; a slow poll catches what
// inotify does not report (network filesystems). Idle, it costs a stat() per log and per poll.
// Importing is the caller's: the CLI imports at once, the window through its ImportJob.
//
// Each import of a follow is an import like any other: it takes the cache's import lock for that
// batch only (Cache::import), never for the life of the follow. So a follower keeps another
// import, an index build or a second follower of the same cache waiting one batch at most; the
// lines it has not read yet stay in the files, and whoever imports next reads them (files are
// known by content and by how far they were read, so nothing is read twice). The state a follow
// carries between batches is the cache's: each file's read position and the messages still open,
// restored by the next batch as by any incremental import.
class Follower : public QObject
{
    Q_OBJECT
public:
    // Construct it before the first import of the logs, so nothing written in between is missed.
    explicit Follower(const QStringList &paths, QObject *parent = nullptr);
    ~Follower() override;

    // The fallback poll's period, and how long a burst of inotify events is gathered into one
    // import (a log written line by line would otherwise be imported line by line).
    static constexpr int PollMs = 1000;
    static constexpr int SettleMs = 50;

    QStringList paths() const { return m_paths; }
    // Looks at the files now (F5, or before stopping); emits changed() when there is something.
    void checkNow();

Q_SIGNALS:
    // Files to import now, older content first.
    void changed(const QStringList &files);

private:
    void rewatch();

    QStringList m_paths;
    std::unique_ptr<LogFollower> m_follower;
    QFileSystemWatcher m_watcher;
    QTimer m_poll;
    QTimer m_settle;
};

} // namespace mailtrail
