// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPoint>

class QDockWidget;
class QMainWindow;
class QSplitter;

namespace mailtrail {

class ChartView;
class DetailPane;
class InsightsPane;
class MessageView;

// How the main window shares its height, until the user drags an edge: the Insights dock as tall
// as its insights, and in the splitter the chart its readable height, the message pane what the
// message asks for, the table the rest. The window tells it of the events it sees (its show,
// the splitter's resizes, presses on the docks' edges); it sizes the parts.
class WindowFitter : public QObject
{
    Q_OBJECT
public:
    WindowFitter(QMainWindow *window, QSplitter *splitter, ChartView *chart, MessageView *table, DetailPane *detail,
                 QObject *parent = nullptr);
    // The Insights dock and its pane, once the window made them.
    void setInsights(QDockWidget *dock, InsightsPane *pane);

    // The splitter's sizes were restored from a session before (then kept as the user left them).
    void setSplitterRestored(bool restored) { m_splitterRestored = restored; }
    // The user chose the Insights dock's height in a session before.
    void keepDockHeight() { m_dockFitted = -1; }

    // The window is shown: the first time, the dock as tall as its insights.
    void windowShown();
    // The splitter was resized (with the window).
    void splitterResized();
    // A press at `pos` (in the window) and its release reached the window: around them, the docks'
    // edges may be dragged.
    void mousePressed(QPoint pos);
    void mouseReleased();
    // The Insights pane's content changed its height.
    void insightsChanged();

    // The Insights dock as tall as its content (InsightsPane::sizeHint), unless the user sized it.
    void fitInsightsDock();
    // Whether the user chose the Insights dock's height: dragged its edge, in this session or a
    // remembered one.
    bool dockHeightChosen() const { return m_dockFitted < 0; }
    void fitSplitter();
    // A message of more recipients than the pane was fitted for: the pane fitted again. And a
    // pane at its one line (left so without a message, in this session or a restored one) grows to
    // what the message asks for, sizes the user left or not: its one line was nobody's choice.
    void fitDetailToMessage();

private:
    // The table's height with this many rows, its header and its scroll bar.
    int tableHeight(int rows) const;
    // The message pane as tall as the message asks for (what the table can give up to keep five
    // rows), from the table; the chart keeps its height.
    void growDetailFromTable();

    QMainWindow *m_window;
    QSplitter *m_splitter;
    ChartView *m_chart;
    MessageView *m_table;
    DetailPane *m_detail;
    QDockWidget *m_insightsDock = nullptr;
    InsightsPane *m_insightsPane = nullptr;
    bool m_splitterRestored = false;
    // The user dragged the message pane's edge while it showed a message: its height, however
    // small, is theirs.
    bool m_detailChosen = false;
    // The Insights dock's height as last fitted to its content; -1 once the user sized it.
    int m_dockFitted = 0;
    int m_dockFittedInHeight = 0;  // the window's height when the dock was fitted
    int m_dockHeightAtPress = -1;  // the Insights dock's height when a press reached the window
    bool m_docksSized = false;  // the first show fitted the Insights dock
};

} // namespace mailtrail
