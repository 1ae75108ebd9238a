// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cachetablemodel.h"

#include "threadconnection.h"

#include <QFutureWatcher>
#include <QtConcurrentRun>

#include <limits>
#include <utility>

namespace mailtrail {

CacheTableModel::CacheTableModel(std::shared_ptr<Cache> cache, Grain grain, FirstCount first, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cache(std::move(cache))
    , m_grain(grain)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    m_locatePool.setMaxThreadCount(1);
    m_locatePool.setExpiryTimeout(-1);
    if (first == FirstCount::Now)
        recount();
}

CacheTableModel::~CacheTableModel()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    if (m_locateCancel)
        m_locateCancel->store(true);
    m_pool.waitForDone();
    m_locatePool.waitForDone();
}

void CacheTableModel::locate(qint64 messageId)
{
    if (m_locateCancel)
        m_locateCancel->store(true);
    if (!m_cache || m_cache->path().empty())
        return;
    m_locateCancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_locateGeneration;
    auto *watcher = new QFutureWatcher<qint64>(this);
    connect(watcher, &QFutureWatcher<qint64>::finished, this, [this, watcher, generation, messageId] {
        watcher->deleteLater();
        const qint64 row = watcher->result();
        // The rows changed since (a filter, an order, new rows): that position is of other rows.
        if (generation != m_locateGeneration || row == -2)
            return;
        Q_EMIT rowLocated(messageId, row < rowCount() ? static_cast<int>(row) : -1);
    });
    watcher->setFuture(QtConcurrent::run(&m_locatePool, [path = m_cache->path(), grain = m_grain, filter = m_filter, sort = m_sort,
                                                         cancel = m_locateCancel, messageId]() -> qint64 {
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache || cancel->load())
            return -2;
        cache->setInterruptFlag(cancel.get());
        const std::int64_t row = cache->rowPosition(grain, filter, sort, messageId);
        cache->setInterruptFlag(nullptr);
        if (!cache->error().empty()) {
            ThreadConnection::drop();
            return -2;  // interrupted, or failed: the selection stays cleared, as before
        }
        return row;
    }));
}

void CacheTableModel::locateRows(const QList<RowKey> &keys)
{
    if (m_locateCancel)
        m_locateCancel->store(true);
    if (!m_cache || m_cache->path().empty())
        return;
    m_locateCancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_locateGeneration;
    auto *watcher = new QFutureWatcher<QList<qint64>>(this);
    connect(watcher, &QFutureWatcher<QList<qint64>>::finished, this, [this, watcher, generation, keys] {
        watcher->deleteLater();
        const QList<qint64> found = watcher->result();
        // The rows changed since (a filter, an order, new rows): those positions are of other rows.
        if (generation != m_locateGeneration || found.size() != keys.size())
            return;
        QList<int> rows;
        rows.reserve(found.size());
        for (const qint64 row : found)
            rows << (row >= 0 && row < rowCount() ? static_cast<int>(row) : -1);
        Q_EMIT rowsLocated(keys, rows);
    });
    watcher->setFuture(QtConcurrent::run(&m_locatePool, [path = m_cache->path(), grain = m_grain, filter = m_filter, sort = m_sort,
                                                         cancel = m_locateCancel, keys]() -> QList<qint64> {
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache || cancel->load())
            return {};
        QList<qint64> rows;
        cache->setInterruptFlag(cancel.get());
        for (const RowKey &key : keys) {
            rows << cache->rowPosition(grain, filter, sort, key.messageId, key.deliveryIndex);
            if (!cache->error().empty())
                break;
        }
        cache->setInterruptFlag(nullptr);
        if (!cache->error().empty()) {
            ThreadConnection::drop();
            return {};  // interrupted, or failed: the selection stays cleared, as before
        }
        return rows;
    }));
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
    } else if (m_totalScope == m_filter.fileIds && m_totalChains == m_filter.chains && m_total > 0) {
        c.total = m_total;  // the files on show are the same: their count has not changed
    } else {
        Filter scope;
        scope.fileIds = m_filter.fileIds;
        scope.chains = m_filter.chains;  // a chain counts once in the total too
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
    m_totalChains = m_filter.chains;
}

void CacheTableModel::setFilterInBackground(const Filter &filter)
{
    if (!m_cache || m_cache->path().empty()) {
        setFilter(filter);
        return;
    }
    const bool was = isCounting();
    m_pending = filter;
    if (!was)
        Q_EMIT countingChanged(true);
    countInBackground();
}

void CacheTableModel::countInBackground()
{
    struct Answer {
        Counts counts;
        bool totalKnown = false;
        QString error;
        std::function<void()> keepFirstPage;
    };
    const quint64 generation = ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const Filter filter = *m_pending;
    Filter rest = filter;
    rest.fileIds.clear();
    const bool sameScope = m_totalScope == filter.fileIds && m_totalChains == filter.chains && m_total > 0;
    const qint64 knownTotal = m_total;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation, filter, sort = m_sort] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;  // another filter, or new rows, since: that count is on its way
        const Answer answer = watcher->result();
        m_pending.reset();
        ++m_locateGeneration;
        if (!answer.error.isEmpty()) {
            Q_EMIT countingChanged(false);
            Q_EMIT countFailed(answer.error);
            return;
        }
        beginResetModel();
        m_filter = filter;
        clearPages();
        m_count = answer.counts.matching;
        if (answer.totalKnown)
            m_total = answer.counts.total;
        m_totalScope = filter.fileIds;
        m_totalChains = filter.chains;
        // The rows the view shows first came with the counts: repainting reads no page here.
        // Unless the view was sorted again meanwhile: that page is in the old order.
        if (answer.keepFirstPage && sort.key == m_sort.key && sort.descending == m_sort.descending)
            answer.keepFirstPage();
        endResetModel();
        Q_EMIT countingChanged(false);
        Q_EMIT countsChanged(m_count, m_total);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cache->path(), grain = m_grain, filter, rest, sameScope,
                                                   knownTotal, cancel = m_cancel, readPage = firstPageReader(filter, m_sort)] {
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
        answer.counts.matching = cache->count(grain, filter);
        answer.counts.total = knownTotal;
        if (rest.isEmpty()) {
            answer.counts.total = answer.counts.matching;
            answer.totalKnown = true;
        } else if (!sameScope && cache->error().empty()) {
            Filter scope;
            scope.fileIds = filter.fileIds;
            scope.chains = filter.chains;  // a chain counts once in the total too
            answer.counts.total = cache->count(grain, scope);
            answer.totalKnown = true;
        }
        if (cache->error().empty() && answer.counts.matching > 0)
            answer.keepFirstPage = readPage(*cache, answer.counts.matching, answer.counts.total);
        cache->setInterruptFlag(nullptr);
        if (!cache->error().empty()) {
            answer.error = QString::fromStdString(cache->error());
            answer.keepFirstPage = nullptr;
            ThreadConnection::drop();
        }
        return answer;
    }));
}

void CacheTableModel::fetchInBackground(std::int64_t page, std::int64_t firstRow, std::int64_t rows, RowsReader read)
{
    if (m_fetchingPages.count(page) || m_failedPages.count(page))
        return;
    m_fetchingPages.insert(page);
    struct Answer {
        std::function<void()> keep;
        QString error;
    };
    const quint64 generation = m_pageGeneration;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation, page, firstRow, rows] {
        watcher->deleteLater();
        if (generation != m_pageGeneration)
            return;  // the rows changed since (a filter, an order, an import): asked for again if in view
        m_fetchingPages.erase(page);
        const Answer answer = watcher->result();
        if (!answer.keep) {
            m_failedPages.insert(page);
            Q_EMIT rowsFailed(answer.error);
            return;
        }
        answer.keep();
        const int last = static_cast<int>(std::min<qint64>(firstRow + rows, rowCount())) - 1;
        if (last >= firstRow)
            Q_EMIT dataChanged(index(static_cast<int>(firstRow), 0), index(last, columnCount() - 1));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cache->path(), read = std::move(read)] {
        Answer answer;
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache) {
            answer.error = QString::fromStdString(error);
            return answer;
        }
        answer.keep = read(*cache);
        if (!cache->error().empty() || !answer.keep) {
            answer.error = QString::fromStdString(cache->error());
            answer.keep = nullptr;
            ThreadConnection::drop();
        }
        return answer;
    }));
}

void CacheTableModel::forgetPagesOnTheirWay()
{
    ++m_pageGeneration;
    m_fetchingPages.clear();
    m_failedPages.clear();
}

void CacheTableModel::setFilter(const Filter &filter)
{
    ++m_generation;  // a count still running in the background is for an older wish
    ++m_locateGeneration;
    if (std::exchange(m_pending, std::nullopt))
        Q_EMIT countingChanged(false);
    beginResetModel();
    m_filter = filter;
    clearPages();
    recount();
    endResetModel();
    Q_EMIT countsChanged(m_count, m_total);
}

void CacheTableModel::refresh()
{
    if (m_pending) {
        // New rows came in while a filter was being counted: count it again, with them.
        countInBackground();
        return;
    }
    if (m_sort.key != SortKey::Time && !(m_cache && m_cache->canOrderBy(m_grain, m_sort.key))) {
        // The index of this order is gone (a large import drops them while it runs): back to
        // time order, rather than sort every row for each page.
        applySort(Sort{});
        Q_EMIT sortReset();
    }
    m_totalScope.clear();  // new rows came in: count the total again
    m_totalScope.push_back(-2);
    applyRefresh(counted());
}

void CacheTableModel::refreshInBackground()
{
    // New rows came in: whatever counts next counts the total again. A filter set before this
    // refresh answers supersedes it, and would otherwise keep the old total (trial20: "5 of
    // 218,482" where the logs held 218,487).
    m_totalScope.assign(1, -2);
    if (m_pending) {
        countInBackground();  // the filter being counted is counted again, with the new rows
        return;
    }
    if (!m_cache || m_cache->path().empty()) {
        refresh();  // no connection of its own to count on
        return;
    }
    // Supersedes a refresh under way; a filter set meanwhile supersedes this one (m_generation).
    const quint64 generation = ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    struct Answer {
        Counts counts;
        bool ok = false;
        bool orderGone = false;
    };
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        const Answer answer = watcher->result();
        if (generation != m_generation || !answer.ok)
            return;  // superseded, or the cache failed: the rows on show stay
        if (answer.orderGone) {
            // As refresh(): the index of this order is gone (an import drops them while it runs).
            applySort(Sort{});
            Q_EMIT sortReset();
        }
        applyRefresh(answer.counts);
    });
    Filter rest = m_filter;
    rest.fileIds.clear();
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cache->path(), grain = m_grain, filter = m_filter,
                                                   restEmpty = rest.isEmpty(), sortKey = m_sort.key, cancel = m_cancel] {
        Answer answer;
        if (cancel->load())
            return answer;
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache)
            return answer;
        answer.orderGone = sortKey != SortKey::Time && !cache->canOrderBy(grain, sortKey);
        cache->setInterruptFlag(cancel.get());
        answer.counts.matching = cache->count(grain, filter);
        if (restEmpty) {
            answer.counts.total = answer.counts.matching;
        } else if (cache->error().empty()) {
            Filter scope;
            scope.fileIds = filter.fileIds;
            scope.chains = filter.chains;  // a chain counts once in the total too
            answer.counts.total = cache->count(grain, scope);
        }
        cache->setInterruptFlag(nullptr);
        answer.ok = cache->error().empty();
        if (!answer.ok)
            ThreadConnection::drop();
        return answer;
    }));
}

void CacheTableModel::applyRefresh(const Counts &now)
{
    const int before = rowCount();
    const int after = static_cast<int>(std::min<qint64>(now.matching, std::numeric_limits<int>::max()));
    Q_EMIT aboutToRefresh();
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
    m_totalChains = m_filter.chains;
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
    ++m_locateGeneration;
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

const CacheTableModel::LogFile *CacheTableModel::logFile(std::int64_t fileId) const
{
    if (!m_logFilesRead && m_cache && defersMissingRows()) {
        // Painting: read on the model's thread like a page; the cells come with dataChanged().
        const_cast<CacheTableModel *>(this)->readLogFilesInBackground();
        return nullptr;
    }
    if (!m_logFilesRead && m_cache) {
        m_logFilesRead = true;
        m_logFiles.clear();
        for (const FileRow &f : m_cache->files())
            m_logFiles.emplace(f.id, logFileOf(f));
    }
    const auto it = m_logFiles.find(fileId);
    return it == m_logFiles.end() ? nullptr : &it->second;
}

void CacheTableModel::readLogFilesInBackground()
{
    if (m_readingLogFiles)
        return;
    m_readingLogFiles = true;
    using Files = std::unordered_map<std::int64_t, LogFile>;
    auto *watcher = new QFutureWatcher<std::optional<Files>>(this);
    connect(watcher, &QFutureWatcher<std::optional<Files>>::finished, this, [this, watcher, generation = m_pageGeneration] {
        watcher->deleteLater();
        m_readingLogFiles = false;
        std::optional<Files> files = watcher->result();
        // The rows changed since (new logs may have come): read again when next painted.
        if (generation != m_pageGeneration)
            return;
        // Failed: the cells stay empty until the rows change, rather than a read per repaint.
        m_logFiles = files ? std::move(*files) : Files{};
        m_logFilesRead = true;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cache->path()]() -> std::optional<Files> {
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache)
            return std::nullopt;
        Files files;
        for (const FileRow &f : cache->files())
            files.emplace(f.id, logFileOf(f));
        if (!cache->error().empty()) {
            ThreadConnection::drop();
            return std::nullopt;
        }
        return files;
    }));
}

CacheTableModel::LogFile CacheTableModel::logFileOf(const FileRow &f)
{
    const QString path = QString::fromStdString(f.path);
    return LogFile{path.mid(path.lastIndexOf(u'/') + 1), path, QString::fromStdString(f.format)};
}

QVariant CacheTableModel::logFileCell(std::int64_t fileId, bool format, int role) const
{
    return logFileCellOf(logFile(fileId), format, role);
}

QVariant CacheTableModel::logFileCellOf(const LogFile *file, bool format, int role)
{
    if (!file)
        return {};
    if (role == Qt::ToolTipRole)
        return format ? QVariant() : QVariant(file->path);
    return format ? file->format : file->name;
}

Qt::ItemFlags CacheTableModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

} // namespace mailtrail
