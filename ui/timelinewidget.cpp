// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinewidget.h"

#include "replycodes.h"
#include "statuscolors.h"
#include "timelinemodel.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QTimeZone>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

enum Shape { Round, Diamond, Square };  // delivered, try again later, given up

Shape shapeOf(int status, int replyCode)
{
    switch (DeliveryStatus(status)) {
    case DeliveryStatus::Deferred: return Diamond;
    case DeliveryStatus::Bounced:
    case DeliveryStatus::Rejected:
    case DeliveryStatus::Expired: return Square;
    case DeliveryStatus::Sent: return Round;
    case DeliveryStatus::None: break;
    }
    return replyCode / 100 == 4 ? Diamond : replyCode / 100 == 5 ? Square : Round;
}

// Message-level events worth a tick; the others (message-id, connect, info) only add noise.
QString messageLabel(int kind)
{
    switch (EventKind(kind)) {
    case EventKind::Client: return u"received"_s;
    case EventKind::Pickup: return u"submitted"_s;
    case EventKind::Queued: return u"queued"_s;
    case EventKind::Reject: return u"rejected"_s;
    case EventKind::Expired: return u"expired"_s;
    case EventKind::Notification: return u"bounce"_s;
    case EventKind::Removed: return u"removed"_s;
    default: return {};
    }
}

QColor faded(QColor c, float alpha)
{
    c.setAlphaF(alpha);
    return c;
}

QString localTime(qint64 ms, int utcOffsetSec, const QString &format)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::fromSecondsAheadOfUtc(utcOffsetSec)), format);
}

} // namespace

struct TimelineWidget::Metrics {
    QFont small;
    double pad, laneH, axisH, nameW, r;  // r: marker radius
    QRectF lanes;  // all lanes, message lane on top, over the plot's x range
    double laneY(int lane, int laneCount) const { return lanes.top() + TimelineLayout::laneY(lane, laneCount, lanes.height()); }
};

// From the palette, so light and dark themes both read well (translucent text over the base);
// outcomes in the colours the tables use for the same statuses.
struct TimelineWidget::Colors {
    explicit Colors(const QPalette &p)
        : palette(p), base(p.color(QPalette::Base)), alt(p.color(QPalette::AlternateBase)), text(p.color(QPalette::Text))
        , dim(faded(text, 0.6f)), grid(faded(text, 0.1f)), line(faded(text, 0.35f)), tint(faded(text, 0.05f))
        , accent(p.color(QPalette::Highlight)), dark(isDarkPalette(p))
    {
    }
    QColor of(const Item &item) const { return item.status ? of(DeliveryStatus(item.status)) : replyClassColor(item.code, palette); }
    QColor of(DeliveryStatus status) const { return statusColor(int(status), palette); }
    QPalette palette;
    QColor base, alt, text, dim, grid, line, tint, accent;
    bool dark;
};

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void TimelineWidget::setModel(QAbstractItemModel *model)
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_model = model;
    const auto reloadNow = [this] { reload(); };
    if (model) {
        m_connections = {connect(model, &QAbstractItemModel::modelReset, this, reloadNow),
                         connect(model, &QAbstractItemModel::rowsInserted, this, reloadNow),
                         connect(model, &QAbstractItemModel::rowsRemoved, this, reloadNow),
                         connect(model, &QAbstractItemModel::dataChanged, this, reloadNow),
                         connect(model, &QAbstractItemModel::layoutChanged, this, reloadNow)};
    }
    reload();
}

QString TimelineWidget::cell(int row, int column) const
{
    return m_model ? m_model->index(row, column).data().toString() : QString();
}

void TimelineWidget::reload()
{
    m_items.clear();
    m_laneNames.clear();
    m_hoverRow = m_currentRow = -1;
    for (int row = 0, rows = m_model ? m_model->rowCount() : 0; row < rows; ++row) {
        const QModelIndex idx = m_model->index(row, 0);
        const auto role = [&idx](int r) { return idx.data(r).toInt(); };
        const Item item{row, idx.data(TimelineModel::TimeMsRole).toLongLong(), role(TimelineModel::LaneRole), role(TimelineModel::KindRole),
                        role(TimelineModel::StatusRole), role(TimelineModel::ReplyCodeRole), idx.data(TimelineModel::CountedRole).toBool(), {}};
        if (item.lane >= 0 || !messageLabel(item.kind).isEmpty())
            m_items.append(item);
        if (m_items.size() == 1 && m_items.first().row == row)
            m_utcOffsetSec = role(TimelineModel::UtcOffsetRole);
    }
    if (const auto *timeline = qobject_cast<const TimelineModel *>(m_model.data())) {
        for (int lane = 0; lane < timeline->laneCount(); ++lane)
            m_laneNames.append(timeline->laneName(lane));
    } else {
        for (const Item &item : std::as_const(m_items)) {
            if (item.lane >= m_laneNames.size())
                m_laneNames.resize(item.lane + 1);
            if (item.lane >= 0 && m_laneNames[item.lane].isEmpty())
                m_laneNames[item.lane] = cell(item.row, TimelineModel::RecipientColumn);
        }
    }
    m_items.removeIf([this](const Item &item) { return item.lane >= m_laneNames.size(); });
    updateGeometry();
    relayout();
    update();
}

TimelineWidget::Metrics TimelineWidget::metrics() const
{
    Metrics m;
    m.small = font();
    m.small.setPointSizeF(font().pointSizeF() * 0.9);
    const QFontMetricsF fm(font());
    m.pad = std::round(fm.height() * 0.5);
    m.laneH = std::round(std::max(26.0, fm.height() * 1.9));
    m.axisH = std::round(QFontMetricsF(m.small).height() + m.pad * 1.5);
    m.r = std::round(fm.height() * 0.32);
    double longest = fm.horizontalAdvance(u"Message"_s);
    for (const QString &name : m_laneNames)
        longest = std::max(longest, fm.horizontalAdvance(name));
    m.nameW = std::clamp(longest + 3 * m.pad, 6 * fm.height(), std::max(6 * fm.height(), width() * 0.3));
    m.lanes = QRectF(m.nameW, m.pad, std::max(0.0, width() - m.nameW - m.pad), m.laneH * double(m_laneNames.size() + 1));
    return m;
}

void TimelineWidget::ensureLayout() const
{
    if (m_layoutSize != size())
        relayout();
}

void TimelineWidget::relayout() const
{
    m_layoutSize = size();
    const Metrics m = metrics();
    QList<qint64> times;
    for (const Item &item : std::as_const(m_items))
        times.append(item.timeMs);
    m_layout.setMinSpacing(2 * m.r + 4);
    m_layout.setBreakWidth(QFontMetricsF(m.small).horizontalAdvance(u"99 h 99 min"_s) + 2 * m.pad);
    m_layout.setTimes(times);
    m_layout.setGeometry(m.lanes.right(), m.lanes.left() + m.r + m.pad, m.r + m.pad);
    QList<QPointF> centres;
    for (const Item &item : m_items) {
        centres.append({m_layout.mapTimeToX(item.timeMs), m.laneY(item.lane, int(m_laneNames.size()))});
        item.rect = QRectF(centres.last() - QPointF(m.r, m.r), QSizeF(2 * m.r, 2 * m.r));
    }
    m_layout.setMarkerPositions(centres);
}

int TimelineWidget::markerCount() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(), [](const Item &item) { return item.lane >= 0; }));
}

const TimelineWidget::Item *TimelineWidget::itemForRow(int row) const
{
    const auto it = std::find_if(m_items.cbegin(), m_items.cend(), [row](const Item &item) { return item.row == row; });
    return it == m_items.cend() ? nullptr : &*it;
}

QRectF TimelineWidget::markerRect(int row) const
{
    ensureLayout();
    const Item *item = itemForRow(row);
    return item ? item->rect : QRectF();
}

int TimelineWidget::itemIndexAt(QPointF pos) const
{
    ensureLayout();
    return m_layout.eventAt(pos, metrics().r + 3);
}

void TimelineWidget::setCurrentRow(int row)
{
    m_currentRow = row;
    update();
}

void TimelineWidget::setHoverRow(int row)
{
    if (m_hoverRow != row) {
        m_hoverRow = row;
        setCursor(row >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

QString TimelineWidget::toolTipText(int row) const
{
    const Item *item = itemForRow(row);
    if (!item)
        return {};
    QString title = item->lane < 0 ? messageLabel(item->kind) : QString::fromLatin1(statusName(DeliveryStatus(item->status)));
    title[0] = title[0].toUpper();
    if (item->lane >= 0)
        title += u" \u2014 "_s + m_laneNames.value(item->lane);
    QString html = u"<p style='white-space:nowrap'><b>"_s + title.toHtmlEscaped() + u"</b><br>"_s
        + localTime(item->timeMs, m_utcOffsetSec, u"ddd d MMM yyyy, HH:mm:ss t"_s);
    if (item->timeMs > m_layout.startTime())
        html += u" (+"_s + formatDuration(item->timeMs - m_layout.startTime()) + u')';
    if (!item->counted)
        html += u"<br><i>Not tried: delivery to this destination was temporarily suspended.</i>"_s;
    if (const QString relay = cell(row, TimelineModel::RelayColumn); !relay.isEmpty())
        html += u"<br>Relay: "_s + relay.toHtmlEscaped();
    const QModelIndex idx = m_model->index(row, 0);
    const QString dsn = idx.data(TimelineModel::DsnRole).toString();
    const QString reply = QString((item->code ? QString::number(item->code) + u' ' : QString()) + dsn).trimmed();
    html += u"</p><p><b>"_s + reply.toHtmlEscaped() + u"</b> "_s + cell(row, TimelineModel::TextColumn).toHtmlEscaped() + u"</p>"_s;
    if (const QString why = explainCodes(item->code, dsn); !why.isEmpty())
        html += u"<p>"_s + why.toHtmlEscaped().replace(u'\n', u"<br>"_s) + u"</p>"_s;
    return html;
}

QSize TimelineWidget::sizeHint() const
{
    const Metrics m = metrics();
    return QSize(600, int(std::ceil(m.lanes.height() + m.axisH + 2 * m.pad)));
}

QSize TimelineWidget::minimumSizeHint() const
{
    return QSize(300, sizeHint().height());
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const int index = itemIndexAt(help->pos());
    if (index < 0) {
        QToolTip::hideText();
        event->ignore();
    } else {
        const Item &item = m_items[index];
        QToolTip::showText(help->globalPos(), toolTipText(item.row), this, item.rect.toAlignedRect().adjusted(-3, -3, 3, 3));
    }
    return true;
}

void TimelineWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateGeometry();
        relayout();
    }
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    const int index = itemIndexAt(event->position());
    setHoverRow(index >= 0 ? m_items[index].row : -1);
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    const int index = event->button() == Qt::LeftButton ? itemIndexAt(event->position()) : -1;
    if (index < 0)
        return QWidget::mousePressEvent(event);
    setCurrentRow(m_items[index].row);
    Q_EMIT eventClicked(m_items[index].row);
}

void TimelineWidget::leaveEvent(QEvent *event)
{
    setHoverRow(-1);
    QWidget::leaveEvent(event);
}
