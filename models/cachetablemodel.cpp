// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cachetablemodel.h"

#include <limits>

namespace mailtrail {

CacheTableModel::CacheTableModel(std::shared_ptr<Cache> cache, Grain grain, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cache(std::move(cache))
    , m_grain(grain)
{
    recount();
}

void CacheTableModel::recount()
{
    // "N of M": M is everything in the files on show, whatever else the filter says.
    if (!m_cache) {
        m_count = m_total = 0;
        return;
    }
    m_count = m_cache->count(m_grain, m_filter);
    Filter rest = m_filter;
    rest.fileIds.clear();
    Filter scope;
    scope.fileIds = m_filter.fileIds;
    m_total = rest.isEmpty() ? m_count : m_cache->count(m_grain, scope);
}

void CacheTableModel::setFilter(const Filter &filter)
{
    beginResetModel();
    m_filter = filter;
    clearPages();
    recount();
    endResetModel();
    Q_EMIT countsChanged(m_count, m_total);
}

void CacheTableModel::refresh()
{
    const qint64 before = rowCount();
    clearPages();
    recount();
    const qint64 after = rowCount();
    // Keep the view's scroll position and selection: grow or shrink at the end, repaint the rest.
    if (after > before) {
        beginInsertRows({}, static_cast<int>(before), static_cast<int>(after - 1));
        endInsertRows();
    } else if (after < before) {
        beginRemoveRows({}, static_cast<int>(after), static_cast<int>(before - 1));
        endRemoveRows();
    }
    if (after > 0 && before > 0)
        Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(std::min(before, after) - 1), columnCount() - 1));
    Q_EMIT countsChanged(m_count, m_total);
}

int CacheTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return static_cast<int>(std::min<qint64>(m_count, std::numeric_limits<int>::max()));
}

void CacheTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= columnCount())
        return;
    const Sort wanted{sortKeyForColumn(column), order == Qt::DescendingOrder};
    if (wanted.key == m_sort.key && wanted.descending == m_sort.descending)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    m_sort = wanted;
    clearPages();
    // Rows are positions in the new order: persistent indexes cannot follow them without reading
    // every row, so they are dropped (the view clears its selection).
    const QModelIndexList persistent = persistentIndexList();
    changePersistentIndexList(persistent, QModelIndexList(persistent.size()));
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

Qt::ItemFlags CacheTableModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

} // namespace mailtrail
