// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QtGlobal>

namespace mailtrail {

// "850 ms", "45 s", "12 min 5 s", "2 h 14 min", "3 d 4 h": the two largest units, the second left
// out when it is zero. Negative durations get a leading minus.
QString formatDuration(qint64 ms);

// Geometry of a message timeline, kept apart from painting so it can be tested without a screen
// (the shape of Hotspot's TimeLineData). Times map to x piecewise-linearly between consecutive
// distinct event times, so that:
//  - a gap much longer than the others (a retry three days later) becomes a fixed-width break
//    instead of squashing everything before it into a few pixels: a gap breaks when it is over
//    the break factor times the median gap, over the break share of the whole span, and at
//    least the minimum break long;
//  - two distinct times are never closer than minSpacing() pixels while the width allows it;
//  - time -> x stays monotonic, and x -> time is its inverse (interpolated across breaks).
class TimelineLayout
{
public:
    struct Gap {
        double x = 0;       // left edge of the break
        double width = 0;
        qint64 startMs = 0; // the event time at the left edge
        qint64 durationMs = 0;
        QString label;      // formatDuration(durationMs)
    };
    // A run of time between breaks, drawn at one scale per gap between its events.
    struct Section {
        qint64 startMs = 0;
        qint64 endMs = 0;
        double x0 = 0;
        double x1 = 0;
    };

    // Any order, duplicates allowed.
    void setTimes(const QList<qint64> &times);
    // The drawable range is [leftMargin, width - rightMargin]; a width that leaves nothing puts
    // every time at leftMargin.
    void setGeometry(double width, double leftMargin = 0, double rightMargin = 0);
    void setMinSpacing(double px);       // default 8
    void setBreakWidth(double px);       // default 56, shrunk when breaks would take over half the width
    void setBreakFactor(double factor);  // default 10
    void setBreakShare(double share);    // default 0.25
    void setMinBreakMs(qint64 ms);       // default 5 min

    bool isEmpty() const { return m_knotTimes.isEmpty(); }
    qint64 startTime() const { return m_knotTimes.isEmpty() ? 0 : m_knotTimes.first(); }
    qint64 endTime() const { return m_knotTimes.isEmpty() ? 0 : m_knotTimes.last(); }
    double left() const { return m_left; }
    double right() const { return m_right; }
    double minSpacing() const { return m_minSpacing; }

    // Times outside [startTime, endTime] clamp to the ends; x outside [left, right] likewise.
    double mapTimeToX(qint64 timeMs) const;
    qint64 mapXToTime(double x) const;

    const QList<Gap> &gaps() const { return m_gaps; }
    QList<Section> sections() const;
    struct Tick {
        qint64 timeMs = 0;
        double x = 0;
        qint64 stepMs = 0;  // so the label can say "10:05" or "10:05:30" or "21 Nov"
    };
    // Round times ("every 5 min", aligned in the zone of utcOffsetSec) at least minPx apart inside
    // each section, at the section's tightest scale: where to put axis ticks.
    QList<Tick> ticks(double minPx, int utcOffsetSec = 0) const;

    struct AxisLabel {
        // End: the first or the last time. Resume: the first time after a break (the try the
        // wait was for), unless it is the last.
        enum Kind { Break, End, Resume, Tick };
        Kind kind = Tick;
        double x = 0;
        QString text;
    };
    // What the time axis says, most important first: the first and last times, the breaks'
    // durations, the times after the breaks, then round times ("d MMM" at midnight), in the zone
    // of utcOffsetSec.
    QList<AxisLabel> axisLabels(double minTickPx, int utcOffsetSec = 0) const;

    // Centre y of a lane in a band of `height`: lane -1 (message-level events) is the top row,
    // recipient lanes 0..laneCount-1 follow, all rows the same height.
    static double laneY(int lane, int laneCount, double height);
    static double laneHeight(int laneCount, double height);

    // Labels on one row that must not overlap each other nor the obstacles (markers): in the order
    // given, so earlier ones win, each goes at its rect or else at its alternative, shifted inside
    // [minX, maxX], at least minGap from the others; where neither fits, its entry is a null rect.
    struct Label {
        QRectF rect;
        QRectF alternative;
    };
    static QList<QRectF> placeLabels(const QList<Label> &labels, QList<QRectF> obstacles, double minGap, double minX, double maxX);

    // Hit testing: index of the nearest marker within `tolerance` pixels, or -1. Later markers win
    // ties, since they are painted on top.
    void setMarkerPositions(const QList<QPointF> &positions) { m_markers = positions; }
    const QList<QPointF> &markerPositions() const { return m_markers; }
    int eventAt(QPointF pos, double tolerance) const;

private:
    void relayout();
    QList<bool> findBreaks(const QList<qint64> &durations, double available, double breakWidth) const;
    static QList<double> fillWidths(const QList<qint64> &durations, double width, double minWidth);
    double minScale(qint64 fromMs, qint64 toMs) const;

    // Sorted distinct event times and their x: the mapping is linear between consecutive knots.
    QList<qint64> m_knotTimes;
    QList<double> m_knotX;
    QList<Gap> m_gaps;
    QList<QPointF> m_markers;
    double m_width = 0;
    double m_leftMargin = 0;
    double m_rightMargin = 0;
    double m_left = 0;
    double m_right = 0;
    double m_minSpacing = 8;
    double m_breakWidth = 56;
    double m_breakFactor = 10;
    double m_breakShare = 0.25;
    qint64 m_minBreakMs = 5 * 60 * 1000;
};

} // namespace mailtrail
