// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinewidget.h"

#include "replycodes.h"
#include "statuscolors.h"
#include "timelinemodel.h"

#include <QDateTime>
#include <QHash>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QTimeZone>
#include <QToolTip>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

// Delivered, try again later, given up: the shape repeats what the colour says.
enum Shape { Round, Diamond, Square };

Shape shapeOf(int status, int replyCode)
{
    const auto s = DeliveryStatus(status);
    const int cls = s == DeliveryStatus::None ? replyCode / 100 : s == DeliveryStatus::Sent ? 2 : s == DeliveryStatus::Deferred ? 4 : 5;
    return cls == 4 ? Diamond : cls == 5 ? Square : Round;
}

// Message-level events worth a tick; the others (message-id, connect, info) only add noise.
// A deferred message back in the active queue is a retry, not a new queueing.
QString messageLabel(int kind, int retry = 0)
{
    if (retry > 0)
        return u"retry %1"_s.arg(retry);
    static const QHash<EventKind, QString> labels = {
        {EventKind::Client, u"received"_s}, {EventKind::Pickup, u"submitted"_s},   {EventKind::Queued, u"queued"_s},
        {EventKind::Reject, u"rejected"_s}, {EventKind::Expired, u"expired"_s},    {EventKind::Notification, u"bounce"_s},
        {EventKind::Removed, u"removed"_s},
    };
    return labels.value(EventKind(kind));
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
    double pad, laneH, nameW, r;  // r: marker radius
    QRectF lanes;  // all lanes, message lane on top, over the plot's x range
    double laneY(int lane, int laneCount) const { return lanes.top() + TimelineLayout::laneY(lane, laneCount, lanes.height()); }
};

// From the palette, so light and dark themes both read well (translucent text over the base);
// outcomes in the colours the tables use for the same statuses.
struct TimelineWidget::Colors {
    explicit Colors(const QPalette &p)
        : palette(p), base(p.color(QPalette::Base)), alt(p.color(QPalette::AlternateBase)), text(p.color(QPalette::Text))
        , dim(faded(text, 0.6f)), grid(faded(text, 0.1f)), line(faded(text, 0.35f)), tint(faded(text, 0.05f))
        , accent(p.color(QPalette::Highlight))
    {
    }
    QColor of(const Item &item) const { return item.status ? of(DeliveryStatus(item.status)) : replyClassColor(item.code, palette); }
    QColor of(DeliveryStatus status) const { return statusColor(int(status), palette); }
    QColor of(EventKind kind) const
    {
        return kind == EventKind::Expired ? of(DeliveryStatus::Expired)
            : kind == EventKind::Notification || kind == EventKind::Reject ? of(DeliveryStatus::Bounced)
            : kind == EventKind::Removed ? of(DeliveryStatus::None) : accent;
    }
    QPalette palette;
    QColor base, alt, text, dim, grid, line, tint, accent;
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
                         connect(model, &QAbstractItemModel::layoutChanged, this, reloadNow),
                         connect(model, &QObject::destroyed, this, reloadNow)};
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
                        role(TimelineModel::StatusRole), role(TimelineModel::ReplyCodeRole), idx.data(TimelineModel::CountedRole).toBool(),
                        role(TimelineModel::RetryRole), {}};
        if (item.lane >= 0 || !messageLabel(item.kind).isEmpty())
            m_items.append(item);
    }
    m_utcOffsetSec = m_items.isEmpty() ? 0 : m_model->index(m_items.first().row, 0).data(TimelineModel::UtcOffsetRole).toInt();
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
    m_items.removeIf([this](const Item &item) { return item.lane < -1 || item.lane >= m_laneNames.size(); });
    updateGeometry();
    relayout();
    update();
}

TimelineWidget::Metrics TimelineWidget::metrics(bool fitHeight) const
{
    Metrics m;
    m.small = font();
    m.small.setPointSizeF(font().pointSizeF() * 0.9);
    const QFontMetricsF fm(font());
    m.pad = std::round(fm.height() * 0.5);
    m.laneH = std::round(std::max(26.0, fm.height() * 1.9));
    if (fitHeight) {
        const double rows = double(m_laneNames.size() + 1);
        const double room = height() - QFontMetricsF(m.small).height() - 3.5 * m.pad;
        m.laneH = std::clamp(std::floor(room / rows), compactLaneHeight(), m.laneH);
    }
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
    if (!item || !m_model)
        return {};
    QString title = item->lane < 0 ? messageLabel(item->kind, item->retry) : QString::fromLatin1(statusName(DeliveryStatus(item->status)));
    title[0] = title[0].toUpper();
    const QString dsn = m_model->index(row, 0).data(TimelineModel::DsnRole).toString();
    QString relay = cell(row, TimelineModel::RelayColumn).toHtmlEscaped();
    if (!relay.isEmpty())
        relay = u"<br>Relay: "_s + relay;
    const QString delay = m_model->index(row, TimelineModel::DelayColumn).data(Qt::ToolTipRole).toString();
    if (!delay.isEmpty())
        relay += u"<br>Delay: "_s + delay.toHtmlEscaped();
    return u"<p style='white-space:nowrap'><b>%1</b><br>%2%3%4%5</p><p><b>%6</b> %7</p><p>%8</p>"_s.arg(
        (item->lane < 0 ? title : title + u" \u2014 "_s + m_laneNames.value(item->lane)).toHtmlEscaped(),
        localTime(item->timeMs, m_utcOffsetSec, u"ddd d MMM yyyy, HH:mm:ss t"_s),
        item->timeMs > m_layout.startTime() ? u" (+"_s + formatDuration(item->timeMs - m_layout.startTime()) + u')' : QString(),
        item->counted ? QString() : u"<br><i>Not tried: delivery to this destination was temporarily suspended.</i>"_s,
        relay,
        QString((item->code ? QString::number(item->code) + u' ' : QString()) + dsn).trimmed().toHtmlEscaped(),
        cell(row, TimelineModel::TextColumn).toHtmlEscaped(),
        explainCodes(item->code, dsn).toHtmlEscaped().replace(u'\n', u"<br>"_s));
}

double TimelineWidget::compactLaneHeight() const
{
    return std::round(QFontMetricsF(font()).height() * 1.15);
}

QSize TimelineWidget::sizeHint() const
{
    const Metrics m = metrics(false);
    return QSize(600, int(std::ceil(m.lanes.height() + QFontMetricsF(m.small).height() + 3.5 * m.pad)));
}

QSize TimelineWidget::minimumSizeHint() const
{
    // Every lane a line of text high: the events table below gets the rest.
    const Metrics m = metrics(false);
    const double lanes = compactLaneHeight() * double(m_laneNames.size() + 1);
    return QSize(300, int(std::ceil(std::min(m.lanes.height(), lanes) + QFontMetricsF(m.small).height() + 3.5 * m.pad)));
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

void TimelineWidget::paintEvent(QPaintEvent *)
{
    ensureLayout();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Metrics m = metrics();
    const Colors c(palette());
    p.fillRect(rect(), c.base);
    if (m_items.isEmpty()) {
        p.setPen(c.dim);
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, emptyText());
        return;
    }
    paintLanes(p, m, c);
    paintAxis(p, m, c);
    paintMessageEvents(p, m, c);
    for (const Item &item : m_items) {
        if (item.lane >= 0)
            paintMarker(p, item, m, c);
    }
}

QString TimelineWidget::emptyText() const
{
    // A message can be selected and still have nothing to draw: a Sendmail session that only
    // probed addresses (VRFY, EXPN), or a message whose lines name no recipient and no try.
    const auto *timeline = qobject_cast<const TimelineModel *>(m_model.data());
    if (timeline && timeline->detail().message.id != 0)
        return tr("No recipient and no delivery try in this message's lines");
    return tr("No message selected");
}

void TimelineWidget::paintLanes(QPainter &p, const Metrics &m, const Colors &c) const
{
    const int count = int(m_laneNames.size());
    QList<const Item *> last(count + 1, nullptr);  // rows come in time order
    for (const Item &item : m_items)
        last[item.lane + 1] = &item;
    QList<std::pair<QLineF, QPen>> lifelines;
    for (int lane = -1; lane < count; ++lane) {
        const double y = m.laneY(lane, count);
        if (lane % 2 == 0)
            p.fillRect(QRectF(0, y - m.laneH / 2, width(), m.laneH), c.alt);
        const QRectF nameRect(m.pad, y - m.laneH / 2, m.nameW - 2 * m.pad, m.laneH);
        const QString name = lane < 0 ? u"Message"_s : m_laneNames[lane];
        p.setPen(lane < 0 ? c.dim : c.text);
        p.drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft, fontMetrics().elidedText(name, Qt::ElideMiddle, int(nameRect.width())));
        // The wait from arrival to the lane's last event, in the colour of how it ended.
        if (const Item *end = last[lane + 1]) {
            const QPen pen(lane < 0 ? c.line : faded(c.of(*end), 0.6f), lane < 0 ? 1 : 2, Qt::SolidLine, Qt::RoundCap);
            // Of a chain, each hop a stage: its lanes from its arrival, the Message lane hop by hop.
            const auto *timeline = qobject_cast<const TimelineModel *>(m_model.data());
            const auto x = [this](qint64 ms) { return m_layout.mapTimeToX(ms); };
            if (lane < 0 && timeline && timeline->hopCount() > 1) {
                for (int hop = 0; hop < timeline->hopCount(); ++hop) {
                    const TimelineModel::HopSpan span = timeline->hopSpan(hop);
                    lifelines.append({QLineF(hop == 0 ? m_layout.left() : x(span.startMs), y, x(span.endMs), y), pen});
                }
            } else {
                const int hop = timeline && lane >= 0 ? timeline->laneHop(lane) : 0;
                lifelines.append({QLineF(hop > 0 ? x(timeline->hopSpan(hop).startMs) : m_layout.left(), y, end->rect.center().x(), y), pen});
            }
        }
    }
    // Folded time: a tinted band the lifelines cross dotted.
    QRegion breaks;
    for (const TimelineLayout::Gap &gap : m_layout.gaps())
        breaks += QRectF(gap.x + m.r + 3, m.lanes.top(), gap.width - 2 * m.r - 6, m.lanes.height()).toAlignedRect();
    for (const QRect &r : breaks)
        p.fillRect(r, c.tint);
    for (const Qt::PenStyle style : {Qt::SolidLine, Qt::DotLine}) {
        p.setClipRegion(style == Qt::SolidLine ? QRegion(rect()) - breaks : breaks);
        for (auto [line, pen] : lifelines) {
            pen.setStyle(style);
            p.setPen(pen);
            p.drawLine(line);
        }
    }
    p.setClipping(false);
}

void TimelineWidget::paintAxis(QPainter &p, const Metrics &m, const Colors &c) const
{
    const double y = std::round(m.lanes.bottom()) + 0.5;
    p.setFont(m.small);
    const QFontMetricsF fm(m.small);
    const QList<TimelineLayout::AxisLabel> labels = m_layout.axisLabels(fm.horizontalAdvance(u"00:00:00"_s) + 3 * m.pad, m_utcOffsetSec);
    QList<QRectF> centred;
    for (const TimelineLayout::AxisLabel &label : labels) {
        const double w = fm.horizontalAdvance(label.text) + (label.kind == TimelineLayout::AxisLabel::Break ? 1.5 * m.pad : 0);
        centred.append(QRectF(label.x - w / 2, y + m.pad * 0.6, w, fm.height()));
        const double x = std::round(label.x) + 0.5;
        p.setPen(QPen(c.grid, 1));
        if (label.kind == TimelineLayout::AxisLabel::Tick)
            p.drawLine(QPointF(x, m.lanes.top()), QPointF(x, y + 3));
    }
    const QList<QRectF> placed = placeAxisLabels(labels, centred, m);
    // The axis, cut at each break with a pair of slashes.
    p.setPen(QPen(c.line, 1));
    double from = m.lanes.left();
    for (const TimelineLayout::Gap &gap : m_layout.gaps()) {
        p.drawLine(QPointF(from, y), QPointF(gap.x, y));
        for (const double x : {gap.x, gap.x + gap.width})
            p.drawLine(QPointF(x - 2, y + 4), QPointF(x + 2, y - 4));
        from = gap.x + gap.width;
    }
    p.drawLine(QPointF(from, y), QPointF(m.lanes.right(), y));
    m_axisLabels.clear();
    for (qsizetype i = 0; i < placed.size(); ++i) {
        m_axisLabels << (placed[i].isNull() ? QString() : labels[i].text);
        const bool pill = labels[i].kind == TimelineLayout::AxisLabel::Break;
        if (pill && !placed[i].isNull()) {
            p.setPen(QPen(c.line, 1));
            p.setBrush(c.tint);
            p.drawRoundedRect(placed[i].adjusted(0, -1, 0, 1), placed[i].height() / 2 + 1, placed[i].height() / 2 + 1);
        }
        p.setPen(pill ? c.text : c.dim);
        p.drawText(placed[i], Qt::AlignCenter, placed[i].isNull() ? QString() : labels[i].text);
    }
    p.setPen(c.dim);
    const QRectF dateRect(m.pad, y + m.pad * 0.6, m.nameW - 2 * m.pad, fm.height());
    p.drawText(dateRect, Qt::AlignLeft | Qt::AlignVCenter, localTime(m_layout.startTime(), m_utcOffsetSec, u"d MMM yyyy"_s));
}

QList<QRectF> TimelineWidget::placeAxisLabels(const QList<TimelineLayout::AxisLabel> &labels, const QList<QRectF> &centred,
                                             const Metrics &m) const
{
    // In their order, each centred on its time; a time or a break's duration that meets labels
    // placed before it on one side only is moved aside, up to its width (still beside its time).
    // A break ending at the last time (a retry four hours on) had its label where that time's
    // would stand, and the time had none.
    QList<QRectF> placed;
    QList<QRectF> taken;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const QRectF r = centred[i];
        QRectF alternative;
        if (labels[i].kind != TimelineLayout::AxisLabel::Tick) {
            double leftBlock = -std::numeric_limits<double>::infinity();
            double rightBlock = std::numeric_limits<double>::infinity();
            for (const QRectF &o : std::as_const(taken)) {
                if (!o.adjusted(-m.pad, 0, m.pad, 0).intersects(r))
                    continue;
                if (o.center().x() < r.center().x())
                    leftBlock = std::max(leftBlock, o.right() + m.pad + 1);
                else
                    rightBlock = std::min(rightBlock, o.left() - m.pad - 1);
            }
            const double shift = std::isinf(rightBlock) ? leftBlock - r.left() : std::isinf(leftBlock) ? rightBlock - r.right() : 0;
            if (shift != 0 && std::isfinite(shift) && std::abs(shift) <= r.width())
                alternative = r.translated(shift, 0);
        }
        const QRectF where = TimelineLayout::placeLabels({{r, alternative}}, taken, m.pad, m.lanes.left(), m.lanes.right()).value(0);
        placed.append(where);
        if (!where.isNull())
            taken.append(where);
    }
    return placed;
}

void TimelineWidget::paintMessageEvents(QPainter &p, const Metrics &m, const Colors &c) const
{
    QList<const Item *> events;  // in time order, as the rows come
    for (const Item &item : m_items) {
        if (item.lane < 0)
            events.append(&item);
    }
    p.setFont(m.small);
    const QFontMetricsF fm(m.small);
    QStringList texts;
    QList<TimelineLayout::Label> wanted;
    QList<QRectF> dots;
    // Events a marker apart share one label, "received · queued", right of them or else left.
    for (qsizetype i = 0; i < events.size();) {
        const QRectF first = events[i]->rect;
        QStringList labels;
        for (; i < events.size() && events[i]->rect.center().x() - first.center().x() < 2 * m.r + 5; ++i) {
            const QColor colour = c.of(EventKind(events[i]->kind));
            p.setPen(QPen(colour.darker(120), 1));
            p.setBrush(colour);
            p.drawEllipse(events[i]->rect.center(), m.r * 0.6, m.r * 0.6);
            dots.append(events[i]->rect.adjusted(m.r * 0.4, 0, -m.r * 0.4, 0));
            labels.append(messageLabel(events[i]->kind, events[i]->retry));
        }
        texts.append(labels.join(u" \u00b7 "_s));
        const double w = fm.horizontalAdvance(texts.last()), y = first.center().y() - fm.height() / 2;
        wanted.append({QRectF(dots.last().right() + 2, y, w, fm.height()), QRectF(first.left() - 2 - w, y, w, fm.height())});
    }
    QList<QRectF> placed = TimelineLayout::placeLabels(wanted, dots, 2, m.lanes.left(), m.lanes.right());
    placeCrowdedStages(wanted, dots, texts, placed, m);
    m_stageLabels.clear();
    for (qsizetype i = 0; i < placed.size(); ++i) {
        m_stageLabels.append(placed[i].isNull() ? QString() : texts[i]);
        if (placed[i].isNull())
            continue;
        p.fillRect(placed[i].adjusted(-2, 0, 2, 0), c.base);  // cut the message line behind the text
        p.setPen(c.dim);
        p.drawText(placed[i], Qt::AlignCenter, texts[i]);
    }
}

void TimelineWidget::placeCrowdedStages(const QList<TimelineLayout::Label> &wanted, const QList<QRectF> &dots, QStringList &texts,
                                        QList<QRectF> &placed, const Metrics &m) const
{
    // Two hops' stages in one second (a content filter's re-injection: "removed", then the next
    // hop's "received · queued") left no room beside their dots, and one went missing (session
    // 18's trial). A label with no room there moves half a line down or up within the Message
    // lane, else is cut to the room it has ("received · qu…"; each dot's tooltip names it whole).
    const QFontMetricsF fm(m.small);
    QList<QRectF> taken = dots;
    for (const QRectF &r : std::as_const(placed)) {
        if (!r.isNull())
            taken.append(r);
    }
    const double shift = std::min(fm.height() * 0.6, m.laneH / 2 - fm.height() / 2);
    for (qsizetype i = 0; i < placed.size(); ++i) {
        if (!placed[i].isNull())
            continue;
        for (const double dy : {shift, -shift}) {
            if (dy < 2 && dy > -2)
                break;  // no room in a lane of one line
            const TimelineLayout::Label moved{wanted[i].rect.translated(0, dy), wanted[i].alternative.translated(0, dy)};
            const QRectF where = TimelineLayout::placeLabels({moved}, taken, 2, m.lanes.left(), m.lanes.right()).value(0);
            if (!where.isNull()) {
                placed[i] = where;
                taken.append(where);
                break;
            }
        }
        if (!placed[i].isNull())
            continue;
        // Cut: from beside its dots to the next thing on its line, right of them or else left
        // (the last stage, at the right end).
        const QRectF &r = wanted[i].rect;
        const QRectF &l = wanted[i].alternative;
        double right = m.lanes.right(), left = m.lanes.left();
        for (const QRectF &o : std::as_const(taken)) {
            if (o.top() >= r.bottom() || o.bottom() <= r.top())
                continue;
            if (o.left() >= r.left())
                right = std::min(right, o.left() - 2);
            if (!l.isNull() && o.right() <= l.right())
                left = std::max(left, o.right() + 2);
        }
        const double least = fm.horizontalAdvance(u"ab\u2026"_s);
        if (right - r.left() >= least) {
            texts[i] = fm.elidedText(texts[i], Qt::ElideRight, right - r.left());
            placed[i] = QRectF(r.left(), r.top(), fm.horizontalAdvance(texts[i]), r.height());
        } else if (!l.isNull() && l.right() - left >= least) {
            texts[i] = fm.elidedText(texts[i], Qt::ElideRight, l.right() - left);
            const double w = fm.horizontalAdvance(texts[i]);
            placed[i] = QRectF(l.right() - w, l.top(), w, l.height());
        } else {
            continue;
        }
        taken.append(placed[i]);
    }
}

void TimelineWidget::paintMarker(QPainter &p, const Item &item, const Metrics &m, const Colors &c) const
{
    const QColor colour = c.of(item);
    const double grow = item.row == m_hoverRow ? 1.5 : 0;
    const QRectF r = item.rect.adjusted(-grow, -grow, grow, grow);
    if (item.row == m_currentRow) {
        p.setPen(QPen(c.accent, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.center(), m.r + 4, m.r + 4);
    }
    // Skipped tries are hollow; shapes repeat the colour's meaning for colour-blind readers.
    p.setPen(item.counted ? QPen(colour.darker(isDarkPalette(c.palette) ? 160 : 130), 1) : QPen(colour, 2));
    p.setBrush(item.counted ? colour : c.base);
    const QRectF shape = item.counted ? r : r.adjusted(1, 1, -1, -1);
    const QPointF mid = shape.center();
    const double h = shape.width() / 2 + 1;
    switch (shapeOf(item.status, item.code)) {
    case Diamond: p.drawPolygon(QPolygonF({mid + QPointF(0, -h), mid + QPointF(h, 0), mid + QPointF(0, h), mid + QPointF(-h, 0)})); break;
    case Square: p.drawRoundedRect(shape.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2); break;
    case Round: p.drawEllipse(shape); break;
    }
}

} // namespace mailtrail
