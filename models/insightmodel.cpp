// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightmodel.h"

#include "cellformat.h"
#include "correlation/correlator.h"

#include <algorithm>

#include <QIcon>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

InsightModel::InsightModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int InsightModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_insights.size());
}

int InsightModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString InsightModel::kindTitle(InsightKind kind)
{
    switch (kind) {
    case InsightKind::FailureShare: return tr("Bounces and deferrals");
    case InsightKind::DestinationDeferring: return tr("Destination deferring");
    case InsightKind::AuthFailureBurst: return tr("SASL failures");
    case InsightKind::RejectBurst: return tr("Rejects");
    case InsightKind::QueueGrowing: return tr("Queue growing");
    case InsightKind::NoDeliveries: return tr("No deliveries");
    case InsightKind::Blocklisted: return tr("Blocklisted");
    }
    return {};
}

QVariant InsightModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Insight &i = m_insights[static_cast<std::size_t>(index.row())];
    const bool critical = i.severity == InsightSeverity::Critical;
    switch (role) {
    case TimeMsRole: return static_cast<qint64>(i.timeMs);
    case SeverityRole: return static_cast<int>(i.severity);
    case KindRole: return static_cast<int>(i.kind);
    case MessageCountRole: return static_cast<int>(i.messageIds.size());
    case Qt::DecorationRole:
        if (index.column() == Severity)
            return QIcon::fromTheme(critical ? u"dialog-error"_s : u"dialog-warning"_s);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Numbers)
            return qs(i.detail);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            // The logs' clock, in the tables' format: the time reads as the times of its messages
            // in the table (copied, read aloud, or shown by a view without the pane's delegate).
            return cellformat::time(i.timeMs, m_clock.offsetAt(i.timeMs));
        case Severity: return critical ? tr("Critical") : tr("Warning");
        case Kind: return kindTitle(i.kind);
        case Subject:
            // Of logs of several servers, which one: two that call themselves "mx" are two.
            if (!i.server.empty())
                return i.subject.empty() ? qs(i.server) : tr("%1 on %2").arg(qs(i.subject), qs(i.server));
            return i.subject.empty() ? tr("this server") : qs(i.subject);
        case Numbers: return qs(i.detail);
        default: return {};
        }
    default: return {};
    }
}

QVariant InsightModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Severity: return tr("Severity");
    case Kind: return tr("Insight");
    case Subject: return tr("About");
    case Numbers: return tr("Numbers");
    default: return {};
    }
}

void InsightModel::append(std::vector<Insight> insights)
{
    // An update replaces the numbers of the row it is of (the latest such row), in place.
    std::erase_if(insights, [this](const Insight &grown) {
        if (!grown.update)
            return false;
        for (std::size_t row = m_insights.size(); row-- > 0;) {
            Insight &i = m_insights[row];
            if (i.kind == grown.kind && i.server == grown.server && i.subject == grown.subject && i.timeMs == grown.timeMs) {
                i.detail = grown.detail;
                i.firstMs = grown.firstMs;
                i.lastMs = grown.lastMs;
                const QModelIndex at = index(static_cast<int>(row), Numbers);
                Q_EMIT dataChanged(at, at);
                return true;
            }
        }
        return false;
    });
    for (Insight &i : insights)
        i.update = false;  // of a row this model never had: a row of its own
    if (insights.empty())
        return;
    const int first = static_cast<int>(m_insights.size());
    const int last = first + static_cast<int>(insights.size()) - 1;
    beginInsertRows({}, first, last);
    m_insights.insert(m_insights.end(), std::make_move_iterator(insights.begin()), std::make_move_iterator(insights.end()));
    endInsertRows();
    Q_EMIT fired(first, last);
}

void InsightModel::setClock(const LogClock &clock)
{
    if (clock == m_clock)
        return;
    m_clock = clock;
    if (!m_insights.empty())
        Q_EMIT dataChanged(index(0, Time), index(rowCount() - 1, Time), {Qt::DisplayRole});
}

void InsightModel::clear()
{
    if (m_insights.empty())
        return;
    beginResetModel();
    m_insights.clear();
    endResetModel();
}

IncidentQuery InsightModel::incidentsFor(int row, bool *networkExact) const
{
    IncidentQuery query;
    query.kinds.push_back(static_cast<int>(IncidentKind::AuthFailure));  // not = {…}: GCC 14 with ASan misreads it
    if (networkExact)
        *networkExact = true;
    if (row < 0 || row >= rowCount())
        return query;
    const std::string &subject = m_insights[static_cast<std::size_t>(row)].subject;
    if (subject.ends_with(".0/24"))
        query.clientPrefix = subject.substr(0, subject.size() - 4);  // "158.24.101."
    else if (subject.find('/') == std::string::npos)
        query.clientIp = subject;
    else if (networkExact)
        *networkExact = false;
    return query;
}

Filter InsightModel::filterFor(int row) const
{
    Filter f;
    if (row < 0 || row >= rowCount())
        return f;
    const Insight &i = m_insights[static_cast<std::size_t>(row)];
    if (!i.messageIds.empty() && i.messageIds.size() < Insight::MaxMessages) {
        // Exactly the messages it counted.
        f.messageIds = i.messageIds;
        std::sort(f.messageIds.begin(), f.messageIds.end());
        f.messageIds.erase(std::unique(f.messageIds.begin(), f.messageIds.end()), f.messageIds.end());
        return f;
    }
    // No list (SASL failures belong to no message, silence has none), or only the first
    // Insight::MaxMessages of them: the subject and the window, a superset.
    // The filter reads arrival times, the rules the times of the tries, and messages reach the
    // rules when they end, not in the order they came: the window counted back from the insight,
    // widened by as much on both sides.
    auto window = [&f, &i](std::int64_t ms) {
        f.sinceMs = i.timeMs - 2 * ms;
        f.untilMs = i.timeMs + ms;
    };
    switch (i.kind) {
    // Not by status: a message counted as deferred then may have been delivered since.
    case InsightKind::FailureShare:
        window(m_thresholds.failureWindowMs);
        break;
    case InsightKind::DestinationDeferring:
        f.recipient = "*@" + i.subject;
        break;
    case InsightKind::AuthFailureBurst:
        f.text = i.subject;
        window(m_thresholds.burstWindowMs);
        // The run as far as it went (it grows after it fired), not only the window it fired in.
        if (i.lastMs >= i.firstMs && i.lastMs > 0) {
            f.sinceMs = std::min(f.sinceMs, i.firstMs);
            f.untilMs = std::max(f.untilMs, i.lastMs + 1);
        }
        break;
    case InsightKind::RejectBurst:
        f.text = i.subject;
        f.statuses = {"rejected"};
        window(m_thresholds.burstWindowMs);
        break;
    case InsightKind::QueueGrowing:
        window(m_thresholds.queueWindowMs);
        break;
    case InsightKind::NoDeliveries:
        window(m_thresholds.silenceMs);
        break;
    case InsightKind::Blocklisted:
        if (!i.subject.empty())
            f.text = i.subject;
        break;
    }
    return f;
}

} // namespace mailtrail
