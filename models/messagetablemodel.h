// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachetablemodel.h"
#include "pagecache.h"

namespace mailtrail {

// One row per message (queue-id lifetime), paged from the cache as the view scrolls.
class MessageTableModel final : public CacheTableModel
{
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        StatusColumn,
        SenderColumn,
        RecipientsColumn,
        CodeColumn,
        AttemptsColumn,
        SizeColumn,
        QueueIdColumn,
        HostColumn,
        MessageIdColumn,
        ClientColumn,  // last: it takes the room that is left
        ColumnCount
    };

    explicit MessageTableModel(std::shared_ptr<Cache> cache, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The message on a row (fetching its page if needed); nullptr past the end.
    const MessageRow *messageAt(int row) const;
    // Pages of rows held in memory: stays small however many rows match.
    std::size_t pagesHeld() const { return m_pages.pagesHeld(); }

protected:
    SortKey sortKeyForColumn(int column) const override;
    void clearPages() override { m_pages.clear(); }

private:
    mutable PageCache<MessageRow> m_pages;
};

} // namespace mailtrail
