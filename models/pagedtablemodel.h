// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachetablemodel.h"
#include "pagecache.h"

#include <algorithm>
#include <optional>

namespace mailtrail {

// What the message and delivery tables share: a fixed set of columns over rows of one type,
// paged in from the cache by the grain's query.
template<typename Row>
class PagedTableModel : public CacheTableModel
{
public:
    PagedTableModel(std::shared_ptr<Cache> cache, Grain grain, int columns, QObject *parent)
        : CacheTableModel(std::move(cache), grain, parent)
        , m_columns(columns)
        , m_pages([this](std::int64_t offset, std::int64_t limit, const Row *previous) {
            return fetch(offset, limit, previous);
        })
    {
    }

    int columnCount(const QModelIndex &parent = {}) const final { return parent.isValid() ? 0 : m_columns; }

    // The row (fetching its page if needed); nullptr past the end.
    const Row *rowAt(int row) const { return row >= 0 && row < rowCount() ? m_pages.row(row) : nullptr; }
    // Pages of rows held in memory: stays small however many rows match.
    std::size_t pagesHeld() const { return m_pages.pagesHeld(); }

protected:
    void clearPages() final
    {
        m_pages.clear();
        m_anchors.reset();
    }

private:
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
        if (anchored) {
            anchor.firstSeenMs = previous->firstSeenMs;
            anchor.fileId = previous->fileId;
            if constexpr (std::is_same_v<Row, MessageRow>) {
                anchor.messageId = previous->id;
            } else {
                anchor.messageId = previous->messageDbId;
                anchor.deliveryIndex = previous->index;
            }
        }
        // Walking the sort order and testing each row finds a page after about
        // (offset + limit) * total / matching rows; gathering every match and sorting them costs
        // about the same wherever the page is. Walk when that is short.
        const qint64 walk = ((anchored ? 0 : offset) + limit) * totalCount() / std::max<qint64>(1, matchingCount());
        const bool dense = walk < 200000;
        return query(offset, limit, anchored ? &anchor : nullptr, dense);
    }

    std::vector<Row> query(std::int64_t offset, std::int64_t limit, const PageAnchor *after, bool dense) const
    {
        if constexpr (std::is_same_v<Row, MessageRow>)
            return m_cache->messages(filter(), currentSort(), offset, limit, dense, after);
        else
            return m_cache->deliveries(filter(), currentSort(), offset, limit, dense, after);
    }

    int m_columns;
    mutable PageCache<Row> m_pages;
    mutable std::optional<std::vector<PageAnchor>> m_anchors;
};

} // namespace mailtrail
