// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "incidenttablemodel.h"

#include "cache/statsqueries.h"
#include "ingest/linefetcher.h"
#include "threadconnection.h"
#include "timeformat.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QtConcurrentRun>

#include <unordered_map>

namespace mailtrail {

IncidentTableModel::IncidentTableModel(QString cachePath, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cachePath(std::move(cachePath))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

IncidentTableModel::~IncidentTableModel()
{
    ++m_generation;
    m_pool.waitForDone();
}

void IncidentTableModel::request(const Filter &filter, const IncidentQuery &query)
{
    struct Answer {
        std::vector<Row> rows;
        QString error;
    };
    const quint64 generation = ++m_generation;
    m_busy = true;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;  // asked for other incidents since
        m_busy = false;
        Answer answer = watcher->result();
        m_error = answer.error;
        if (!m_error.isEmpty()) {
            Q_EMIT failed(m_error);
            return;
        }
        beginResetModel();
        m_rows = std::move(answer.rows);
        endResetModel();
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cachePath.toStdString(), filter, query] {
        Answer answer;
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache) {
            answer.error = QString::fromStdString(error);
            return answer;
        }
        std::vector<IncidentLine> lines;
        StatsQueries stats(*cache);
        if (!stats.incidents(filter, query, Limit, lines)) {
            answer.error = QString::fromStdString(stats.error());
            ThreadConnection::drop();
            return answer;
        }
        // The lines themselves, re-read from the logs by offset: the cache keeps where they are.
        std::unordered_map<std::int64_t, std::string> paths;
        for (const FileRow &f : cache->files())
            paths.emplace(f.id, f.path);
        std::vector<LineLocation> where;
        where.reserve(lines.size());
        for (const IncidentLine &l : lines) {
            const auto it = paths.find(l.fileId);
            where.push_back(LineLocation{it == paths.end() ? std::string() : it->second, static_cast<std::uint64_t>(l.offset)});
        }
        const std::vector<FetchedLine> fetched = fetchLines(where);
        answer.rows.reserve(lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i)
            answer.rows.push_back(Row{lines[i], i < fetched.size() && fetched[i].ok ? QString::fromStdString(fetched[i].text) : QString()});
        return answer;
    }));
}

int IncidentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int IncidentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const IncidentLine &l = row.line;
    if (role == LogLineRole)
        return row.logLine.isEmpty() ? tr("(the log line can no longer be read: the log was moved or rewritten)") : row.logLine;
    if (role == Qt::ToolTipRole)
        return row.logLine;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn: return QDateTime::fromMSecsSinceEpoch(l.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case KindColumn: return QString::fromLatin1(incidentKindName(l.kind));
    case ClientColumn: return QString::fromStdString(l.clientHost);
    case IpColumn: return QString::fromStdString(l.clientIp);
    case UserColumn: return QString::fromStdString(l.user);
    case DetailColumn: return QString::fromStdString(l.detail);
    }
    return {};
}

QVariant IncidentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Kind");
    case ClientColumn: return tr("Client");
    case IpColumn: return tr("IP");
    case UserColumn: return tr("Username");
    case DetailColumn: return tr("Detail");
    }
    return {};
}

} // namespace mailtrail
