// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliverytablemodel.h"

#include "cellformat.h"
#include "replycodes.h"
#include "rowformat.h"
#include "timeformat.h"

using namespace Qt::StringLiterals;

namespace mailtrail {

DeliveryTableModel::DeliveryTableModel(std::shared_ptr<Cache> cache, FirstCount first, QObject *parent)
    : PagedTableModel(std::move(cache), Grain::Deliveries, ColumnCount, &DeliveryTableModel::cell, first, parent)
{
}

QVariant DeliveryTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeliveryRow *d = rowAt(index.row());
    if (!d)
        return {};
    return cell(*d, index.column(), role, [this](std::int64_t fileId, bool format, int r) { return logFileCell(fileId, format, r); });
}

QVariant DeliveryTableModel::cell(const DeliveryRow &row, int column, int role, const LogCell &logCell)
{
    const DeliveryRow *d = &row;
    switch (role) {
    case MessageDbIdRole: return QVariant::fromValue<qint64>(d->messageDbId);
    case DeliveryIndexRole: return d->index;
    case StatusRole: return static_cast<int>(d->status);
    case ReplyCodeRole: return d->replyCode;
    case Qt::ToolTipRole:
        if (column == LogColumn)
            return logCell(d->fileId, false, role);
        if (column == CodeColumn || column == ReasonColumn)
            return explainCodes(d->replyCode, qs(d->dsn),
                                d->status == DeliveryStatus::Expired    ? Outcome::GaveUp
                                : d->status == DeliveryStatus::Rejected ? Outcome::Refused
                                                                        : Outcome::Pending);
        return {};
    case Qt::TextAlignmentRole:
        if (column == AttemptsColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case FilterValueRole:
        switch (column) {
        case SenderColumn: return qs(d->sender);
        case RecipientColumn: return qs(d->recipient);
        case StatusColumn: return QString::fromLatin1(statusName(d->status));
        case CodeColumn: return d->replyCode ? QString::number(d->replyCode) : qs(d->dsn);
        default: return cell(row, column, Qt::DisplayRole, logCell);
        }
    case ExportRole:
        switch (column) {
        case TimeColumn: return isoTime(d->firstSeenMs, d->utcOffsetSec);
        case StatusColumn: return QString::fromLatin1(statusName(d->status));
        default: return cell(row, column, Qt::DisplayRole, logCell);
        }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case TimeColumn: return cellformat::time(d->firstSeenMs, d->utcOffsetSec);
    case StatusColumn: return cellformat::status(d->status);
    case SenderColumn: return d->sender.empty() ? u"<>"_s : qs(d->sender);
    case RecipientColumn:
        if (!d->origRecipient.empty() && d->origRecipient != d->recipient)
            return tr("%1 (was %2)").arg(qs(d->recipient), qs(d->origRecipient));
        return qs(d->recipient);
    case CodeColumn: {
        QString code = d->replyCode ? QString::number(d->replyCode) : QString();
        if (!d->dsn.empty())
            code += (code.isEmpty() ? u""_s : u" "_s) + qs(d->dsn);
        return code;
    }
    case AttemptsColumn: return d->attempts;
    case RelayColumn: return qs(d->relay);
    case ReasonColumn: return qs(d->reason);
    case HostColumn: return qs(d->host);
    case QueueIdColumn: return qs(d->queueId);
    case MessageIdColumn: return qs(d->messageId);
    case FormatColumn: return logCell(d->fileId, true, role);
    case LogColumn: return logCell(d->fileId, false, role);
    }
    return {};
}

QVariant DeliveryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole)
        return sortHint(section);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case StatusColumn: return tr("Status");
    case SenderColumn: return tr("Sender");
    case RecipientColumn: return tr("Recipient");
    case CodeColumn: return tr("Code");
    case AttemptsColumn: return tr("Attempts");
    case RelayColumn: return tr("Relay");
    case ReasonColumn: return tr("Reply");
    case HostColumn: return tr("Host");
    case QueueIdColumn: return tr("Queue ID");
    case MessageIdColumn: return tr("Message-ID");
    case FormatColumn: return tr("Format");
    case LogColumn: return tr("Log");
    }
    return {};
}

std::optional<SortKey> DeliveryTableModel::sortKeyForColumn(int column) const
{
    switch (column) {
    case TimeColumn: return SortKey::Time;
    case StatusColumn: return SortKey::Status;
    case SenderColumn: return SortKey::Sender;
    case RecipientColumn: return SortKey::Recipient;
    case CodeColumn: return SortKey::Code;
    case HostColumn: return SortKey::Host;
    case QueueIdColumn: return SortKey::QueueId;
    default: return std::nullopt;  // attempts, relay, reply, Message-ID: no index orders them
    }
}

} // namespace mailtrail
