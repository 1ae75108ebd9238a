// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pagedtablemodel.h"

namespace mailtrail {

// One row per recipient of a message (a delivery), paged from the cache as the view scrolls.
class DeliveryTableModel final : public PagedTableModel<DeliveryRow>
{
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        StatusColumn,
        SenderColumn,
        RecipientColumn,
        CodeColumn,
        AttemptsColumn,
        QueueIdColumn,
        HostColumn,
        MessageIdColumn,
        RelayColumn,
        FormatColumn,  // the format its first log was read as
        LogColumn,     // the log it started in: tells apart servers that share a name
        ReasonColumn,  // last: the servers' replies take the room that is left
        ColumnCount
    };

    explicit DeliveryTableModel(std::shared_ptr<Cache> cache, FirstCount first = FirstCount::Now, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // A cell of a row as data() gives it, without the model: exports format rows on another thread.
    static QVariant cell(const DeliveryRow &row, int column, int role, const LogCell &logCell);
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    std::optional<SortKey> sortKeyForColumn(int column) const override;
};

} // namespace mailtrail
