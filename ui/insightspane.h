// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"
#include "logclock.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

namespace mailtrail {

class InsightModel;
class InsightReplay;

// The Insights pane: the insights over the logs on show in log time, newest last; activating one asks for
// the table's filter that shows its messages, or for the log lines of a burst of SASL failures
// (they belong to no message). While the history is replayed, its progress and a
// Stop button (Resume once stopped) sit under the list.
class InsightsPane : public QWidget
{
    Q_OBJECT
public:
    InsightsPane(InsightModel *model, InsightReplay *replay, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QPushButton *stopButton() const { return m_stop; }
    QProgressBar *progressBar() const { return m_progress; }
    QString statusText() const;
    // The logs' clock (Session::clock()): the times of the list are in it, as the table's are.
    void setClock(const LogClock &clock);
    // Whether any log is open: with none, "nothing unusual" would be a finding about nothing.
    void setLogsOpen(bool open);
    // The time the list shows in its row `row` (of the view, in its order).
    QString timeText(int row) const;
    // As a double click or Enter on the insight of the model's `row` would.
    void activate(int row);
    // As tall as its insights and the status line under them (two rows at least; past a dozen it
    // scrolls), or as the status line alone when there is none: its dock is sized to it, not to
    // a share of the window.
    QSize sizeHint() const override;
    // The pane's height with this many rows of the list whole (0: the status line alone).
    int heightForRows(int rows) const;
    int rowCount() const { return rowsToShow(); }

Q_SIGNALS:
    // sizeHint() changed: as many insights as before no longer.
    void contentHeightChanged();
    // The messages of an insight, and its name as the list shows it ("Deferrals, example.org"),
    // for the filter bar to say which insight it is narrowed to.
    void filterRequested(const mailtrail::Filter &filter, const QString &insight);
    // The lines of `query` within `filter`'s time range, titled `what`.
    void incidentsRequested(const mailtrail::Filter &filter, const mailtrail::IncidentQuery &query, const QString &what);

private:
    void updateStatus();
    void contentChanged();
    // The rows of the list sizeHint() makes room for: none without insights (the list is hidden).
    int rowsToShow() const;

    InsightModel *m_model;
    InsightReplay *m_replay;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_stop = nullptr;
    int m_fittedRows = 0;  // the rows sizeHint() made room for last
    LogClock m_clock;
    bool m_logsOpen = false;
};

} // namespace mailtrail
