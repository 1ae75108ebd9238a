// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "incidenttablemodel.h"

#include "cellformat.h"
#include "saslprompt.h"

#include "cache/statsqueries.h"
#include "ingest/linefetcher.h"

#include <unordered_map>

using namespace Qt::StringLiterals;

namespace mailtrail {

IncidentTableModel::IncidentTableModel(QString cachePath, QObject *parent)
    : QAbstractTableModel(parent)
    , m_reader(cachePath.toStdString())
{
}

void IncidentTableModel::request(const Filter &filter, const IncidentQuery &query)
{
    m_filter = filter;
    m_query = query;
    readPage(0);
}

bool IncidentTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_busy;
}

void IncidentTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        readPage(static_cast<std::int64_t>(m_rows.size()));
}

void IncidentTableModel::readPage(std::int64_t skip)
{
    m_busy = true;
    m_reader.start<Page>(
        this,
        [filter = m_filter, query = m_query, skip](Cache &cache, std::string &error) {
            Page page;
            std::vector<IncidentLine> lines;
            StatsQueries stats(cache);
            // One more than a page: whether more follow, without counting them all.
            if (!stats.incidents(filter, query, PageSize + 1, lines, skip)) {
                error = stats.error();
                return page;
            }
            page.more = lines.size() > static_cast<std::size_t>(PageSize);
            if (page.more)
                lines.pop_back();
            // The lines themselves, re-read from the logs by offset: the cache keeps where they are.
            std::unordered_map<std::int64_t, std::string> paths;
            for (const FileRow &f : cache.files())
                paths.emplace(f.id, f.path);
            std::vector<LineLocation> where;
            where.reserve(lines.size());
            for (const IncidentLine &l : lines) {
                const auto it = paths.find(l.fileId);
                where.push_back(LineLocation{it == paths.end() ? std::string() : it->second, static_cast<std::uint64_t>(l.offset)});
            }
            const std::vector<FetchedLine> fetched = fetchLines(where);
            page.rows.reserve(lines.size());
            for (std::size_t i = 0; i < lines.size(); ++i)
                page.rows.push_back(Row{lines[i], i < fetched.size() && fetched[i].ok ? QString::fromStdString(fetched[i].text) : QString()});
            return page;
        },
        [this, skip](Page page, const QString &error) {
            m_busy = false;
            m_error = error;
            if (!m_error.isEmpty()) {
                Q_EMIT failed(m_error);
                return;
            }
            if (skip == 0) {
                beginResetModel();
                m_rows = std::move(page.rows);
                m_hasMore = page.more;
                endResetModel();
            } else if (!page.rows.empty()) {
                const int first = static_cast<int>(m_rows.size());
                beginInsertRows({}, first, first + static_cast<int>(page.rows.size()) - 1);
                m_rows.insert(m_rows.end(), std::make_move_iterator(page.rows.begin()), std::make_move_iterator(page.rows.end()));
                m_hasMore = page.more;
                endInsertRows();
            } else {
                m_hasMore = false;
            }
            Q_EMIT loaded();
        });
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
    case TimeColumn: return cellformat::time(l.timeMs, l.utcOffsetSec);  // the log's own clock, as the table
    case KindColumn: return QString::fromLatin1(incidentKindName(l.kind));
    case ClientColumn: return QString::fromStdString(l.clientHost);
    case IpColumn: return QString::fromStdString(l.clientIp);
    case UserColumn: return QString::fromStdString(l.user);
    case DetailColumn: {
        const QString detail = QString::fromStdString(l.detail);
        const QString why = explainSaslFailure(detail);
        return why.isEmpty() ? detail : detail + u" — "_s + why;
    }
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
