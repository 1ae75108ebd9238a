// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pagedtablemodel.h"

namespace mailtrail {

// One row per message (queue-id lifetime), paged from the cache as the view scrolls; with
// Filter::chains, one row per chain of hops: its first hop, with the state of the last.
class MessageTableModel final : public PagedTableModel<MessageRow>
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
        HopsColumn,  // of a chain (content filter, relays of the log set); 1 for a message alone
        TlsColumn,   // incoming and outgoing TLS protocol
        SizeColumn,
        QueueIdColumn,
        HostColumn,
        MessageIdColumn,
        FormatColumn,  // the format its first log was read as
        LogColumn,     // the log it started in: tells apart servers that share a name
        ClientColumn,  // last: it takes the room that is left
        ColumnCount
    };

    explicit MessageTableModel(std::shared_ptr<Cache> cache, FirstCount first = FirstCount::Now, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // A cell of a row as data() gives it, without the model: exports format rows on another thread.
    static QVariant cell(const MessageRow &row, int column, int role, const LogCell &logCell);
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    std::optional<SortKey> sortKeyForColumn(int column) const override;
};

} // namespace mailtrail
