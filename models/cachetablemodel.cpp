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

CacheTableModel::Counts CacheTableModel::counted() const
{
    // "N of M": M is everything in the files on show, whatever else the filter says.
    if (!m_cache)
        return {};
    Counts c;
    c.matching = m_cache->count(m_grain, m_filter);
    Filter rest = m_filter;
    rest.fileIds.clear();
    if (rest.isEmpty()) {
        c.total = c.matching;
    } else if (m_totalScope == m_filter.fileIds && m_total > 0) {
        c.total = m_total;  // the files on show are the same: their count has not changed
    } else {
        Filter scope;
        scope.fileIds = m_filter.fileIds;
        c.total = m_cache->count(m_grain, scope);
    }
    return c;
}

void CacheTableModel::recount()
{
    const Counts c = counted();
    m_count = c.matching;
    m_total = c.total;
    m_totalScope = m_filter.fileIds;
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
    if (m_sort.key != SortKey::Time && !(m_cache && m_cache->canOrderBy(m_grain, m_sort.key))) {
        // The index of this order is gone (a large import drops them while it runs): back to
        // time order, rather than sort every row for each page.
        applySort(Sort{});
        Q_EMIT sortReset();
    }
    m_totalScope.clear();  // new rows came in: count the total again
    m_totalScope.push_back(-2);
    const Counts now = counted();
    const int before = rowCount();
    const int after = static_cast<int>(std::min<qint64>(now.matching, std::numeric_limits<int>::max()));
    clearPages();
    // The view keeps its scroll position and selection: rows come or go at the end, the rest is
    // repainted. The new count takes effect between begin and end, as the tester checks.
    if (after > before)
        beginInsertRows({}, before, after - 1);
    else if (after < before)
        beginRemoveRows({}, after, before - 1);
    m_count = now.matching;
    m_total = now.total;
    m_totalScope = m_filter.fileIds;
    if (after > before)
        endInsertRows();
    else if (after < before)
        endRemoveRows();
    if (after > 0 && before > 0)
        Q_EMIT dataChanged(index(0, 0), index(std::min(before, after) - 1, columnCount() - 1));
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
    if (column < 0 || column >= columnCount() || !canSortBy(column))
        return;
    applySort({*sortKeyForColumn(column), order == Qt::DescendingOrder});
}

void CacheTableModel::applySort(Sort wanted)
{
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

bool CacheTableModel::canSortBy(int column) const
{
    const std::optional<SortKey> key = sortKeyForColumn(column);
    return key && m_cache && m_cache->canOrderBy(m_grain, *key);
}

QString CacheTableModel::sortHint(int column) const
{
    if (!sortKeyForColumn(column))
        return tr("The rows cannot be sorted by this column: no index of the cache orders it");
    if (!canSortBy(column))
        return tr("Sorting by this column is possible once the indexes for sorting are built");
    return tr("Click to sort by this column");
}

int CacheTableModel::sortColumn() const
{
    for (int c = 0; c < columnCount(); ++c) {
        if (sortKeyForColumn(c) == m_sort.key)
            return c;
    }
    return 0;
}

Qt::ItemFlags CacheTableModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

} // namespace mailtrail
