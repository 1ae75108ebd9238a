// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <QAbstractTableModel>
#include <QThreadPool>

#include <algorithm>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace mailtrail {

// Shared part of the message and delivery tables: filter, sort and counts come from the cache's
// indexes; rows are paged in by the subclasses as the view shows them.
class CacheTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles {
        MessageDbIdRole = Qt::UserRole + 1,  // qint64 row id of the message
        StatusRole,                          // int: MessageState / DeliveryStatus
        ReplyCodeRole,                       // int
        ExportRole,                          // the cell as plain text for CSV and the clipboard
        FilterValueRole,                     // what "filter by this" puts in the filter
        DeliveryIndexRole,                   // int: a delivery row's index in its message; -1 of a message row
    };
    // A row by what it lists, not by its position: a message, or one delivery of it.
    struct RowKey {
        qint64 messageId = 0;
        int deliveryIndex = -1;  // of the delivery grain; -1: the message's (first) row
        bool operator==(const RowKey &) const = default;
    };

    // The Log or Format cell of a row by its file id (see logFileCell()).
    using LogCell = std::function<QVariant(std::int64_t fileId, bool format, int role)>;
    // Every row of the current filter in the current order, as the export cells of `columns`,
    // handed to `write` one row at a time (false stops it); run on another thread with that
    // thread's own connection. False when the rows could not be read (see cache.error()) or
    // `write` stopped them. Made on the model's thread, it holds values only.
    using RowsExport = std::function<bool(Cache &cache, const std::function<bool(const QStringList &)> &write)>;

    // When the rows are first counted: at once, on the calling thread (tests, tools), or not
    // before a filter is set, for an owner that sets one at once to be counted in the background
    // (the window: counting a whole cache of a million rows there would freeze it at start).
    enum class FirstCount { Now, WithFirstFilter };

    CacheTableModel(std::shared_ptr<Cache> cache, Grain grain, FirstCount first = FirstCount::Now, QObject *parent = nullptr);
    ~CacheTableModel() override;

    Grain grain() const { return m_grain; }
    const Filter &filter() const { return m_filter; }
    Sort currentSort() const { return m_sort; }
    void setFilter(const Filter &filter);
    // As setFilter, but the counts are taken on a thread of the model's own (with its own
    // connection): the rows of the previous filter stay until they are in, and an answer to a
    // filter replaced since is dropped. countingChanged() tells the view it waits.
    void setFilterInBackground(const Filter &filter);
    bool isCounting() const { return m_pending.has_value(); }
    // Re-reads counts and rows after an import committed; keeps filter and sort.
    void refresh();
    // As refresh(), with the counts taken on the model's own thread (a follow commits a batch a
    // second, and counting a big cache's rows on the GUI thread would stall the window each time).
    // The rows come in at the end when the answer arrives; a filter set meanwhile supersedes it.
    void refreshInBackground();
    qint64 matchingCount() const { return m_count; }
    qint64 totalCount() const { return m_total; }

    // While set (the view paints), a row whose page is not in memory is not read on this thread:
    // the page is read on the model's own, the row shows empty meanwhile, and dataChanged() brings
    // it. Unset, every row is read at once (exports, selections, tests).
    void setDeferMissingRows(bool defer) { m_deferMissing = defer; }
    // Pages asked for while painting and not in yet.
    bool isFetchingRows() const { return !m_fetchingPages.empty(); }

    // Finds where a message's row is in the current filter and order, off the GUI thread:
    // rowLocated() follows, unless the rows change first (a filter, an order, another locate()).
    // Of the delivery grain, its first delivery's row.
    void locate(qint64 messageId);
    // As locate(), for several rows at once (a selection after a follow's batch): rowsLocated()
    // follows with their positions, -1 for those the rows do not hold. Supersedes a locate() and
    // is superseded by one.
    void locateRows(const QList<RowKey> &keys);

    int rowCount(const QModelIndex &parent = {}) const override;
    void sort(int column, Qt::SortOrder order) override;
    // Whether an index of the cache orders rows by this column now (some are built after an import).
    bool canSortBy(int column) const;
    // Why a click on this column's header sorts, or why it cannot (its header's tooltip).
    QString sortHint(int column) const;
    // The column the rows are sorted by now (the first one with the current key).
    int sortColumn() const;
    // `rows`: only these row positions of the current order (sorted), else every row.
    virtual RowsExport rowsExport(const QList<int> &columns, const QList<int> &rows = {}) const = 0;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void countsChanged(qint64 matching, qint64 total);
    // New counts after an import are about to be applied: the rows held are dropped (read again
    // as they show), and rows may land before those selected. What a row lists is still readable.
    void aboutToRefresh();
    void countingChanged(bool counting);
    // The counts could not be taken: why, in words (the rows of the filter before stay).
    void countFailed(const QString &error);
    // refresh() put the rows back in time order: the index of the order chosen is gone.
    void sortReset();
    // A page of rows could not be read: why, in words (its rows stay empty).
    void rowsFailed(const QString &error);
    // Where locate() found the message: its row, or -1 when the rows do not hold it.
    void rowLocated(qint64 messageId, int row);
    // Where locateRows() found its keys, in their order.
    void rowsLocated(const QList<mailtrail::CacheTableModel::RowKey> &keys, const QList<int> &rows);

protected:
    // The cache index a column sorts by; none for columns no index orders (they do not sort,
    // rather than sort a million rows in memory).
    virtual std::optional<SortKey> sortKeyForColumn(int column) const = 0;
    virtual void clearPages() = 0;
    // Reads the first page of rows for this filter and order on the given connection (another
    // thread's); returns what keeps it as the model's first page, to be called on the model's thread.
    // Made on the model's thread, run on the other: it holds values only, never the model's state.
    using PageReader = std::function<std::function<void()>(Cache &cache, qint64 matching, qint64 total)>;
    virtual PageReader firstPageReader(const Filter &filter, Sort sort) = 0;
    // Whether walking the sort order finds `rows` rows soon (see PagedTableModel::fetch).
    static bool isDense(qint64 rows, qint64 matching, qint64 total)
    {
        return rows * total / std::max<qint64>(1, matching) < 200000;
    }
    bool defersMissingRows() const { return m_deferMissing && m_cache && !m_cache->path().empty(); }
    // Reads a page on the model's thread with `read`, which returns what keeps it (to be run here,
    // empty when the read failed).
    using RowsReader = std::function<std::function<void()>(Cache &cache)>;
    void fetchInBackground(std::int64_t page, std::int64_t firstRow, std::int64_t rows, RowsReader read);
    // The pages held were dropped: pages on their way are for rows that are no longer there.
    void forgetPagesOnTheirWay();
    // The log a row started in, by its file id: the Log and Format columns. The files are few, so
    // they are read once (again after the rows change) rather than joined into every page.
    struct LogFile {
        QString name;  // without the folder
        QString path;
        QString format;
    };
    const LogFile *logFile(std::int64_t fileId) const;
    static LogFile logFileOf(const FileRow &file);
    static QVariant logFileCellOf(const LogFile *file, bool format, int role);
    void forgetLogFiles() { m_logFilesRead = false; }
    void readLogFilesInBackground();
    // The Log cell (the file's name; its path as the tooltip) or the Format cell of a row.
    QVariant logFileCell(std::int64_t fileId, bool format, int role) const;
    std::shared_ptr<Cache> m_cache;

private:
    struct Counts {
        qint64 matching = 0;
        qint64 total = 0;
    };
    Counts counted() const;
    // The new counts after an import: rows come or go at the end, the view keeps its place.
    void applyRefresh(const Counts &now);
    void countInBackground();
    void recount();
    void applySort(Sort sort);

    Grain m_grain;
    Filter m_filter;
    Sort m_sort;
    qint64 m_count = 0;
    qint64 m_total = 0;
    std::vector<std::int64_t> m_totalScope;  // the files m_total was counted for
    bool m_totalChains = false;              // and whether over chains (Filter::chains)
    std::optional<Filter> m_pending;         // being counted in the background
    quint64 m_generation = 0;
    // Set when a newer filter supersedes the one being counted: its query stops within milliseconds.
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_deferMissing = false;
    std::set<std::int64_t> m_fetchingPages;
    std::set<std::int64_t> m_failedPages;  // not asked for again until the rows change
    quint64 m_pageGeneration = 0;
    quint64 m_locateGeneration = 0;
    std::shared_ptr<std::atomic<bool>> m_locateCancel;
    QThreadPool m_locatePool;  // apart from the pages: a long walk must not hold them up
    QThreadPool m_pool;  // one thread: its connection stays on it
    mutable std::unordered_map<std::int64_t, LogFile> m_logFiles;
    mutable bool m_logFilesRead = false;
    bool m_readingLogFiles = false;
};

} // namespace mailtrail
