// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "windowfitter.h"

#include "chartview.h"
#include "detailpane.h"
#include "insightspane.h"
#include "messageview.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QMainWindow>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace mailtrail {

WindowFitter::WindowFitter(QMainWindow *window, QSplitter *splitter, ChartView *chart, MessageView *table, DetailPane *detail,
                           QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_splitter(splitter)
    , m_chart(chart)
    , m_table(table)
    , m_detail(detail)
{
    connect(m_splitter, &QSplitter::splitterMoved, this, [this](int, int handle) {
        m_splitterRestored = true;
        if (handle == 2 && m_detail->showsMessage())
            m_detailChosen = true;
    });
}

void WindowFitter::setInsights(QDockWidget *dock, InsightsPane *pane)
{
    m_insightsDock = dock;
    m_insightsPane = pane;
}

void WindowFitter::windowShown()
{
    // The Insights dock is as tall as its insights (a fifth of the window left most of it empty
    // with two or three); the table and the message above keep the rest. Docks are sized within
    // the window as laid out, so not before it is shown.
    if (!std::exchange(m_docksSized, true))
        fitInsightsDock();
}

void WindowFitter::splitterResized()
{
    fitSplitter();
    // The window's new size: the dock as tall as its insights again (the layout shares a
    // change of the window's height with the docks). In a window of the same height, the
    // dock's edge was dragged (or the welcome page went).
    if (m_docksSized && m_dockFitted >= 0 && m_window->height() != m_dockFittedInHeight)
        QTimer::singleShot(0, this, &WindowFitter::fitInsightsDock);
}

void WindowFitter::mousePressed(QPoint pos)
{
    // The docks' edges are the main window's own, between its widgets: a press there that changes
    // the dock's height is the user's drag, and their choice of its height. A press on one of its
    // widgets that none took (a label's) reaches the window too; then the dock may change its
    // height for its insights, no choice of the user's.
    if (m_insightsDock && !m_window->childAt(pos))
        m_dockHeightAtPress = m_insightsDock->height();
}

void WindowFitter::mouseReleased()
{
    if (m_dockHeightAtPress >= 0) {
        if (m_insightsDock->height() != m_dockHeightAtPress)
            m_dockFitted = -1;
        m_dockHeightAtPress = -1;
    }
}

void WindowFitter::insightsChanged()
{
    if (m_docksSized && m_window->isVisible())
        fitInsightsDock();
}

void WindowFitter::fitSplitter()
{
    // Until the user drags a handle (then as they left it, in later sessions too), at each size of
    // the window: the chart a quarter (up to what it asks for), the message below what a message of a recipient or two asks
    // for (its events table showed less than a row at 1400x900 when the pane took a share), as
    // long as the table keeps a few rows; the table the rest.
    if (m_splitterRestored)
        return;
    const int total = m_splitter->height() - 2 * m_splitter->handleWidth();
    const int chartMin = m_chart->minimumSizeHint().height();
    int chart = std::clamp(total / 4, chartMin, std::max(chartMin, m_chart->sizeHint().height()));
    // The table keeps five rows, under its header and above its scroll bar, in a small window;
    // the message pane the rest (its header scrolls there, above its timeline and events).
    int detail = std::max(0, std::min(m_detail->preferredHeight(), total - chart - tableHeight(5)));
    // A message not cut through before the table's fifth row, where that row is all it lacks
    // (at 1000x650 the pane ended through its Events tab); a message that would be cut anyway
    // (a timeline of many lanes) scrolls, and the table keeps it.
    if (const int compact = m_detail->compactHeight();
        m_detail->showsMessage() && detail < compact && total - chart - tableHeight(4) >= compact)
        detail = compact;
    // Eight rows where the chart can give them, down to its readable minimum: with the Insights
    // dock as tall as its insights, a quarter for the chart left the table six at 1400x900.
    if (const int short_ = tableHeight(8) - (total - chart - detail); short_ > 0)
        chart = std::max(chartMin, chart - short_);
    m_splitter->setSizes({chart, total - chart - detail, detail});
}

int WindowFitter::tableHeight(int rows) const
{
    return rows * m_table->verticalHeader()->defaultSectionSize() + m_table->horizontalHeader()->sizeHint().height() +
           m_table->horizontalScrollBar()->sizeHint().height() + 2 * m_table->frameWidth();
}

void WindowFitter::fitDetailToMessage()
{
    // The Insights dock leaves a message its least room (its cap counts the message's header).
    if (m_docksSized && m_window->isVisible())
        fitInsightsDock();
    // Only ever taller: a smaller message after a bigger one leaves the pane as it is, so the
    // table does not jump at each row the user arrows through.
    const QList<int> sizes = m_splitter->sizes();
    if (sizes.size() != 3 || sizes[2] >= m_detail->preferredHeight())
        return;
    if (!m_splitterRestored) {
        fitSplitter();
        return;
    }
    // Sizes the user left are kept, but not a pane at its one line (the height it has without a
    // message): a session that ended with no row selected saved it so, and the next one showed
    // every message in those 36 px. Collapsed to nothing by a drag, it stays so.
    const int oneLine = m_splitter->widget(2)->minimumHeight();
    if (!m_detailChosen && sizes[2] > 0 && sizes[2] <= oneLine + 2)
        growDetailFromTable();
}

void WindowFitter::growDetailFromTable()
{
    QList<int> sizes = m_splitter->sizes();
    const int both = sizes[1] + sizes[2];
    sizes[2] = std::max(sizes[2], std::min(m_detail->preferredHeight(), both - tableHeight(5)));
    // Not cut through, before the table's fifth row where that is all it lacks (as fitSplitter()).
    if (const int compact = m_detail->compactHeight(); sizes[2] < compact && both - tableHeight(4) >= compact)
        sizes[2] = compact;
    sizes[1] = both - sizes[2];
    m_splitter->setSizes(sizes);
}

void WindowFitter::fitInsightsDock()
{
    // Until the user drags its edge (mouseReleased): then it stays as they make it, in later
    // sessions too. Insights that come make the dock taller before it is fitted to them: no choice.
    if (m_dockFitted < 0 || !m_insightsDock)
        return;
    // All its insights up to a fifth of the window (then the list scrolls), in whole rows: a row
    // cut in half at the bottom did not say that more follow.
    const int frame = m_insightsDock->sizeHint().height() - m_insightsPane->sizeHint().height();  // its title
    int budget = std::max(m_window->height() / 5, m_window->fontMetrics().height() * 6) - frame;
    // And no more than the table, the chart and a message above leave: at 1000x650 the sample's
    // seven insights took four rows, and the message pane ended through its Events tab. What the
    // splitter lacks for them (it has the dock's height back once the dock is resized) comes off
    // the list, down to two rows, which then scrolls.
    if (m_splitter->isVisible()) {
        const int needed = m_chart->minimumSizeHint().height() + tableHeight(5) + m_detail->compactHeight() + 2 * m_splitter->handleWidth();
        budget = std::min(budget, m_splitter->height() + m_insightsDock->height() - needed - frame);
    }
    int rows = m_insightsPane->rowCount();
    while (rows > 2 && m_insightsPane->heightForRows(rows) > budget)
        --rows;
    const int wanted = frame + m_insightsPane->heightForRows(rows);
    m_window->resizeDocks({m_insightsDock}, {wanted}, Qt::Vertical);
    m_dockFitted = m_insightsDock->height();
    m_dockFittedInHeight = m_window->height();
}

} // namespace mailtrail
