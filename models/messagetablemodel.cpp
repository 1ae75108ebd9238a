// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagetablemodel.h"

#include "cellformat.h"
#include "replycodes.h"
#include "rowformat.h"
#include "timeformat.h"

using namespace Qt::StringLiterals;

namespace mailtrail {

MessageTableModel::MessageTableModel(std::shared_ptr<Cache> cache, FirstCount first, QObject *parent)
    : PagedTableModel(std::move(cache), Grain::Messages, ColumnCount, &MessageTableModel::cell, first, parent)
{
}

QVariant MessageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageRow *m = rowAt(index.row());
    if (!m)
        return {};
    return cell(*m, index.column(), role, [this](std::int64_t fileId, bool format, int r) { return logFileCell(fileId, format, r); });
}

QVariant MessageTableModel::cell(const MessageRow &row, int column, int role, const LogCell &logCell)
{
    const MessageRow *m = &row;
    switch (role) {
    case MessageDbIdRole: return QVariant::fromValue<qint64>(m->id);
    case DeliveryIndexRole: return -1;
    case StatusRole: return static_cast<int>(m->finalState);
    case ReplyCodeRole: return m->lastCode;
    case Qt::ToolTipRole:
        if (column == LogColumn)
            return logCell(m->fileId, false, role);
        if (column == CodeColumn && (m->lastCode || !m->lastDsn.empty()))
            return explainCodes(m->lastCode, m->lastCode ? QString() : qs(m->lastDsn),
                                m->finalState == MessageState::Rejected ? Outcome::Refused : Outcome::Pending);
        if (column == StatusColumn && m->open)
            return tr("Still in the queue when the log ends");
        if (column == TlsColumn) {
            QStringList lines;
            if (!m->tlsIn.empty())
                lines << tr("Received over %1").arg(qs(m->tlsIn));
            if (!m->tlsOut.empty())
                lines << tr("Delivered over %1").arg(qs(m->tlsOut));
            return lines.isEmpty() ? tr("No TLS logged for it") : lines.join(u'\n');
        }
        if (column == HopsColumn && m->hops > 1)
            return tr("Passed through %1 queues (content filter or relay of the same logs)").arg(m->hops);
        return {};
    case Qt::TextAlignmentRole:
        if (column == AttemptsColumn || column == SizeColumn || column == CodeColumn || column == HopsColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case FilterValueRole:
        switch (column) {
        case SenderColumn: return qs(m->sender);
        case RecipientsColumn: return qs(m->firstRecipient);
        case StatusColumn: return QString::fromLatin1(stateName(m->finalState));
        case CodeColumn: return m->lastCode ? QString::number(m->lastCode) : qs(m->lastDsn);
        default: return cell(row, column, Qt::DisplayRole, logCell);
        }
    case ExportRole:
        switch (column) {
        case TimeColumn: return isoTime(m->firstSeenMs, m->utcOffsetSec);
        case SizeColumn: return m->size >= 0 ? QString::number(m->size) : QString();
        case StatusColumn: return QString::fromLatin1(stateName(m->finalState));
        default: return cell(row, column, Qt::DisplayRole, logCell);
        }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case TimeColumn: return cellformat::time(m->firstSeenMs, m->utcOffsetSec);
    case StatusColumn: return cellformat::state(m->finalState);
    case SenderColumn: return cellformat::sender(m->sender, m->hasSender);
    case RecipientsColumn:
        if (m->recipientCount > 1)
            return tr("%1 (+%2)").arg(qs(m->firstRecipient)).arg(m->recipientCount - 1);
        return qs(m->firstRecipient);
    case CodeColumn: return m->lastCode ? QString::number(m->lastCode) : qs(m->lastDsn);
    case AttemptsColumn: return m->attempts;
    case HopsColumn: return m->hops;
    case TlsColumn: return cellformat::tls(m->tlsIn, m->tlsOut);
    case SizeColumn: return cellformat::size(m->size);
    case ClientColumn: return cellformat::client(m->clientHost, m->clientIp);
    case HostColumn: return qs(m->host);
    case QueueIdColumn: return qs(m->queueId);
    case MessageIdColumn: return qs(m->messageId);
    case FormatColumn: return logCell(m->fileId, true, role);
    case LogColumn: return logCell(m->fileId, false, role);
    }
    return {};
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole)
        return sortHint(section);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case StatusColumn: return tr("Status");
    case SenderColumn: return tr("Sender");
    case RecipientsColumn: return tr("Recipients");
    case CodeColumn: return tr("Code");
    case AttemptsColumn: return tr("Attempts");
    case HopsColumn: return tr("Hops");
    case TlsColumn: return tr("TLS");
    case SizeColumn: return tr("Size");
    case ClientColumn: return tr("Client");
    case HostColumn: return tr("Host");
    case QueueIdColumn: return tr("Queue ID");
    case MessageIdColumn: return tr("Message-ID");
    case FormatColumn: return tr("Format");
    case LogColumn: return tr("Log");
    }
    return {};
}

std::optional<SortKey> MessageTableModel::sortKeyForColumn(int column) const
{
    switch (column) {
    case TimeColumn: return SortKey::Time;
    case StatusColumn: return SortKey::Status;
    case SenderColumn: return SortKey::Sender;
    case CodeColumn: return SortKey::Code;
    case AttemptsColumn: return SortKey::Attempts;
    case SizeColumn: return SortKey::Size;
    case HostColumn: return SortKey::Host;
    case QueueIdColumn: return SortKey::QueueId;
    default: return std::nullopt;  // recipients, Message-ID, client: no index orders them
    }
}

} // namespace mailtrail
