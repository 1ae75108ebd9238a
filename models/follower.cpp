// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "follower.h"

#include "ingest/logfollower.h"

#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcFollow, "mailtrail.follow", QtWarningMsg)

namespace mailtrail {

Follower::Follower(const QStringList &paths, QObject *parent)
    : QObject(parent)
    , m_paths(paths)
{
    std::vector<std::string> files;
    for (const QString &p : paths)
        files.push_back(p.toStdString());
    m_follower = std::make_unique<LogFollower>(files);
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &Follower::checkNow);
    // Started by the first event of a burst, not restarted by the next ones: a log written every
    // millisecond would otherwise push the import back until the poll.
    auto settle = [this] {
        if (!m_settle.isActive())
            m_settle.start();
    };
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, settle);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, settle);
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &Follower::checkNow);
    m_poll.start();
    rewatch();
}

Follower::~Follower() = default;

void Follower::checkNow()
{
    const std::vector<std::string> files = m_follower->changes();
    // A rotated or recreated log is a new inode: the watch on the old one is gone.
    rewatch();
    if (files.empty())
        return;
    QStringList list;
    for (const std::string &f : files)
        list.append(QString::fromStdString(f));
    qCDebug(lcFollow) << "to import:" << list;
    Q_EMIT changed(list);
}

void Follower::rewatch()
{
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    QStringList missing;
    for (const std::string &p : m_follower->watchPaths()) {
        const QString path = QString::fromStdString(p);
        if (!watched.contains(path) && QFileInfo::exists(path))
            missing.append(path);
    }
    if (!missing.isEmpty())
        m_watcher.addPaths(missing);  // a path it cannot watch is left to the poll
}

} // namespace mailtrail
