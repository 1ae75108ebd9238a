// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachetablemodel.h"
#include "pagecache.h"

#include <QStringList>

#include <algorithm>
#include <optional>

namespace mailtrail {

// What the message and delivery tables share: a fixed set of columns over rows of one type,
// paged in from the cache by the grain's query.
template<typename Row>
class PagedTableModel : public CacheTableModel
{
public:
    using CellFn = QVariant (*)(const Row &row, int column, int role, const LogCell &logCell);

    PagedTableModel(std::shared_ptr<Cache> cache, Grain grain, int columns, CellFn cell, FirstCount first, QObject *parent)
        : CacheTableModel(std::move(cache), grain, first, parent)
        , m_columns(columns)
        , m_cell(cell)
        , m_pages([this](std::int64_t offset, std::int64_t limit, const Row *previous) {
            return fetch(offset, limit, previous);
        })
    {
    }

    int columnCount(const QModelIndex &parent = {}) const final { return parent.isValid() ? 0 : m_columns; }

    // The row (fetching its page if needed); nullptr past the end, and while painting, for a row
    // whose page is being read on the model's thread (see setDeferMissingRows()).
    const Row *rowAt(int row) const
    {
        if (row < 0 || row >= rowCount())
            return nullptr;
        if (!m_pages.holds(row) && defersMissingRows()) {
            const_cast<PagedTableModel *>(this)->readPageInBackground(row);
            return nullptr;
        }
        return m_pages.row(row);
    }
    // Pages of rows held in memory: stays small however many rows match.
    std::size_t pagesHeld() const { return m_pages.pagesHeld(); }

    RowsExport rowsExport(const QList<int> &columns, const QList<int> &rows = {}) const final
    {
        return [filter = filter(), sort = currentSort(), columns, rows, cell = m_cell](Cache &cache,
                                                                                      const std::function<bool(const QStringList &)> &write) {
            // The few files, read once on this connection, as the model reads them on its own.
            std::unordered_map<std::int64_t, LogFile> files;
            for (const FileRow &f : cache.files())
                files.emplace(f.id, logFileOf(f));
            if (!cache.error().empty())
                return false;
            const LogCell logCell = [&files](std::int64_t fileId, bool format, int role) {
                const auto it = files.find(fileId);
                return logFileCellOf(it == files.end() ? nullptr : &it->second, format, role);
            };
            QStringList fields;
            bool stopped = false;
            qsizetype position = 0;  // of the row visited, in the order
            auto wanted = rows.begin();  // the next of `rows` to write
            // One statement in the order's index (no OFFSET per page): any order streams in one
            // pass; chosen rows end it at the last of them.
            const auto visit = [&](const Row &row) {
                if (!rows.isEmpty()) {
                    if (wanted == rows.end())
                        return false;
                    if (*wanted != position++)
                        return true;
                    ++wanted;
                }
                fields.clear();
                for (const int column : columns)
                    fields << cell(row, column, ExportRole, logCell).toString();
                stopped = !write(fields);
                return !stopped;
            };
            bool read = false;
            if constexpr (std::is_same_v<Row, MessageRow>)
                read = cache.visitMessages(filter, sort, -1, visit);
            else
                read = cache.visitDeliveries(filter, sort, -1, visit);
            return read && !stopped;
        };
    }

protected:
    void clearPages() final
    {
        m_pages.clear();
        m_anchors.reset();
        forgetPagesOnTheirWay();
        forgetLogFiles();
    }

    PageReader firstPageReader(const Filter &filter, Sort sort) final
    {
        return [this, filter, sort](Cache &cache, qint64 matching, qint64 total) -> std::function<void()> {
            auto rows = std::make_shared<std::vector<Row>>(
                queryOn(cache, filter, sort, 0, PageCache<Row>::PageSize, nullptr, isDense(PageCache<Row>::PageSize, matching, total)));
            if (!cache.error().empty())
                return {};
            // Run on the model's thread, with the model alive: the answer is dropped otherwise.
            return [this, rows] { m_pages.put(0, std::move(*rows)); };
        };
    }

private:
    static PageAnchor anchorAfter(const Row &previous)
    {
        PageAnchor anchor;
        anchor.fileId = previous.fileId;
        if constexpr (std::is_same_v<Row, MessageRow>) {
            anchor.firstSeenMs = previous.firstSeenMs;
            anchor.messageId = previous.id;
        } else {
            anchor.firstSeenMs = previous.hopSeenMs;  // the order's key, not the chain's arrival shown
            anchor.messageId = previous.messageDbId;
            anchor.deliveryIndex = previous.index;
        }
        return anchor;
    }

    // As fetch(), on the model's thread: a seek past the page before when it is held (or its
    // anchor known), else an offset; the rows are kept when they come, if nothing changed since.
    void readPageInBackground(int row)
    {
        constexpr std::int64_t limit = PageCache<Row>::PageSize;
        const std::int64_t page = row / limit;
        const std::int64_t offset = page * limit;
        std::optional<PageAnchor> anchor;
        if (currentSort().key == SortKey::Time) {
            if (const Row *previous = m_pages.lastBefore(row))
                anchor = anchorAfter(*previous);
            else if (m_anchors && page >= 1 && static_cast<std::size_t>(page - 1) < m_anchors->size())
                anchor = (*m_anchors)[static_cast<std::size_t>(page - 1)];
        }
        const bool dense = isDense((anchor ? 0 : offset) + limit, matchingCount(), totalCount());
        fetchInBackground(page, offset, limit,
                          [this, page, offset, anchor, dense, filter = filter(), sort = currentSort()](Cache &cache) -> std::function<void()> {
                              auto rows = std::make_shared<std::vector<Row>>(
                                  queryOn(cache, filter, sort, offset, limit, anchor ? &*anchor : nullptr, dense));
                              if (!cache.error().empty())
                                  return {};
                              // Run on the model's thread, with the model alive: dropped otherwise.
                              return [this, page, rows] { m_pages.put(page, std::move(*rows)); };
                          });
    }

    std::vector<Row> fetch(std::int64_t offset, std::int64_t limit, const Row *previous) const
    {
        if (!m_cache)
            return {};
        // Scrolling on from a page in memory: seek past its last row instead of counting rows.
        // A jump far down: seek past the previous page's last row, from the page keys read in
        // one pass the first time the user jumps (then every jump is a seek).
        PageAnchor anchor;
        const bool timeOrder = currentSort().key == SortKey::Time;
        if (!previous && timeOrder && offset >= 4 * limit) {
            if (!m_anchors)
                m_anchors = m_cache->pageAnchors(grain(), filter(), currentSort(), limit,
                                                 matchingCount() * 8 >= totalCount());
            const auto page = static_cast<std::size_t>(offset / limit);
            if (offset % limit == 0 && page >= 1 && page - 1 < m_anchors->size()) {
                anchor = (*m_anchors)[page - 1];
                return query(offset, limit, &anchor, limit * totalCount() / std::max<qint64>(1, matchingCount()) < 200000);
            }
        }
        const bool anchored = previous && timeOrder;
        if (anchored)
            anchor = anchorAfter(*previous);
        // Walking the sort order and testing each row finds a page after about
        // (offset + limit) * total / matching rows; gathering every match and sorting them costs
        // about the same wherever the page is. Walk when that is short.
        const bool dense = isDense((anchored ? 0 : offset) + limit, matchingCount(), totalCount());
        return query(offset, limit, anchored ? &anchor : nullptr, dense);
    }

    std::vector<Row> query(std::int64_t offset, std::int64_t limit, const PageAnchor *after, bool dense) const
    {
        return queryOn(*m_cache, filter(), currentSort(), offset, limit, after, dense);
    }

    static std::vector<Row> queryOn(Cache &cache, const Filter &filter, Sort sort, std::int64_t offset, std::int64_t limit,
                                    const PageAnchor *after, bool dense)
    {
        if constexpr (std::is_same_v<Row, MessageRow>)
            return cache.messages(filter, sort, offset, limit, dense, after);
        else
            return cache.deliveries(filter, sort, offset, limit, dense, after);
    }

    int m_columns;
    CellFn m_cell;
    mutable PageCache<Row> m_pages;
    mutable std::optional<std::vector<PageAnchor>> m_anchors;
};

} // namespace mailtrail
