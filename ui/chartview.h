// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/chartdata.h"
#include "cache/filter.h"
#include "codecolors.h"

#include <QPointer>
#include <QAbstractBarSeries>
#include <QCategoryAxis>
#include <QValueAxis>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QRubberBand;
class QToolButton;

namespace mailtrail {

class ChartModel;
class Session;

// The status chart above the table: tries over time stacked by outcome or code, drawn from the
// session's chart model. A click on a segment narrows the filter to its bucket and group, a drag
// across sets the time range, a legend entry switches its group on or off, Back returns to the
// range before.
class ChartView : public QWidget
{
    Q_OBJECT
public:
    explicit ChartView(Session *session, QWidget *parent = nullptr);

    // What a click on a segment, a drag or a legend entry does, without a mouse (for tests).
    void clickSegment(int bucket, int column);
    void dragBuckets(int firstBucket, int lastBucket);
    void toggleLegend(int column);
    // "5.4.4 (12), 5.1.2 (3)": codes with their tries, the first five, and how many more.
    static QString codeCounts(const QList<QPair<QString, qint64>> &codes, ChartGroup group);
    // The bar under a point of the chart view, or -1 (for tests and the mouse).
    int bucketAt(const QPoint &viewPos) const;
    QChartView *chartView() const { return m_view; }
    // The line of its title, the grouping box, Previous Range and what it says (reading, an
    // error): where a note may lie over its free end (MainWindow::placeNote()). In its coordinates.
    QRect headerRect() const;
    int headerUsedRight() const;
    // What the chart says besides its bars: reading, an error, or why it has none.
    QString message() const;
    // What hovering bar `bucket` shows: its span in the logs' clock and its counts (rich text).
    QString hoverText(int bucket) const;
    // Where the time axis's labels stand, in the chart's coordinates, left to right (for tests).
    QList<QRectF> timeLabelRects() const;
    QStringList timeLabels() const;

    // Room for its bars, the axis and a row of legend above them in a window with room to spare;
    // the window gives it less when it is small (WindowFitter::fitSplitter).
    QSize sizeHint() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    // The legend entries the filter asks for in bold.
    void markSelected();
    void showBusy(bool busy);
    // Why there are no bars: the range, the filter, or the logs themselves.
    QString emptyTitle() const;
    void showHover(bool on, int bucket);
    // The colours of the columns on show: each code's own shade, apart from the others on show.
    QList<QColor> columnColors() const;
    // The time axis's first label begins at the plot's left edge rather than standing half past it,
    // and the axis is made longer at its right end where its last label would (hidden by Qt at the
    // left, cut at the right: "23:" for "23:00" at 1000x650).
    void fitTimeLabels();

    Session *m_session;
    ChartModel *m_model;
    QChart *m_chart;
    QChartView *m_view;
    QComboBox *m_group;
    QToolButton *m_back;
    QLabel *m_state;
    QPointer<QValueAxis> m_countAxis;  // the counts' axis of the bars on show
    QPointer<QCategoryAxis> m_timeAxis;     // their time axis
    // Its labels and where they stand, as rebuild() made them (fitTimeLabels() moves the first).
    QList<QPair<QString, double>> m_timeLabels;
    bool m_fittingTimeLabels = false;
    QPointer<QAbstractBarSeries> m_series;  // the bars
    qint64 m_tallest = 0;               // their tallest bar
    int m_hoverBucket = -1;             // the bar under the pointer (hovered), or -1
    QRubberBand *m_band = nullptr;
    QPoint m_pressPos;
    bool m_dragging = false;
};

} // namespace mailtrail
