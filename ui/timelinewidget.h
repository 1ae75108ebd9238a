// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "timelinelayout.h"

#include <QAbstractItemModel>
#include <QPointer>
#include <QWidget>

namespace mailtrail {

// Draws one message's story from a TimelineModel: a top lane of message-level events (received,
// queued, bounce, removed), one lane per recipient with a marker per delivery attempt coloured and
// shaped by outcome, long waits folded into labelled breaks, and a time axis. Geometry lives in
// TimelineLayout; this class paints and handles the mouse.
//
// Reads TimelineModel's roles, plus the display text of its Recipient, Relay and Text columns for
// tooltips. Lanes come from TimelineModel::laneCount()/laneName() when the model is one, otherwise
// from the LaneRole values and the Recipient column.
class TimelineWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }

    // Attempt markers painted: one per row on a recipient lane, skipped tries (drawn hollow)
    // included. Message-level events are ticks and do not count.
    int markerCount() const;
    // Where the marker (or the message-level tick) of a model row is, in widget coordinates;
    // empty when that row is not drawn.
    QRectF markerRect(int row) const;
    // What stands in the widget when nothing is drawn: no message, or a message with nothing to draw.
    QString emptyText() const;
    // The text the tooltip shows for a row.
    QString toolTipText(int row) const;
    // The stage labels of the Message lane as last painted, "" for one that had no room (tests).
    QStringList stageLabels() const { return m_stageLabels; }
    // The time axis's labels as last painted (times and breaks' durations), "" for one that had no
    // room (tests).
    QStringList axisLabels() const { return m_axisLabels; }
    // The row drawn with a selection ring (the one last clicked, or set by the owner), -1 for none.
    int currentRow() const { return m_currentRow; }
    void setCurrentRow(int row);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void eventClicked(int row);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Item {
        int row = -1;
        qint64 timeMs = 0;
        int lane = -1;
        int kind = 0;
        int status = 0;
        int code = 0;
        bool counted = true;
        int retry = 0;  // TimelineModel::RetryRole
        mutable QRectF rect;  // marker or tick, set by relayout()
    };
    struct Metrics;
    struct Colors;

    void reload();
    // Geometry follows size() lazily: a hidden widget gets no resize events.
    void relayout() const;
    void ensureLayout() const;
    // `fitHeight`: lanes narrow down (to a line of text each) to fit the widget's height, so that
    // a message with many recipients leaves room for its events below.
    Metrics metrics(bool fitHeight = true) const;
    double compactLaneHeight() const;
    int itemIndexAt(QPointF pos) const;
    const Item *itemForRow(int row) const;
    QString cell(int row, int column) const;
    void setHoverRow(int row);

    void paintLanes(QPainter &p, const Metrics &m, const Colors &c) const;
    void paintAxis(QPainter &p, const Metrics &m, const Colors &c) const;
    // Where the axis's labels go (a null rect: no room), from their rects centred on their times.
    QList<QRectF> placeAxisLabels(const QList<TimelineLayout::AxisLabel> &labels, const QList<QRectF> &centred, const Metrics &m) const;
    void paintMessageEvents(QPainter &p, const Metrics &m, const Colors &c) const;
    // The stage labels placeLabels found no room for: staggered within the lane, else cut.
    void placeCrowdedStages(const QList<TimelineLayout::Label> &wanted, const QList<QRectF> &dots, QStringList &texts,
                            QList<QRectF> &placed, const Metrics &m) const;
    void paintMarker(QPainter &p, const Item &item, const Metrics &m, const Colors &c) const;

    QPointer<QAbstractItemModel> m_model;
    QList<QMetaObject::Connection> m_connections;
    QList<Item> m_items;
    mutable QStringList m_stageLabels;
    mutable QStringList m_axisLabels;
    QStringList m_laneNames;
    int m_utcOffsetSec = 0;
    mutable TimelineLayout m_layout;
    mutable QSize m_layoutSize;
    int m_hoverRow = -1;
    int m_currentRow = -1;
};

} // namespace mailtrail
