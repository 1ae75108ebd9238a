// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightspane.h"

#include "insightmodel.h"
#include "insightreplay.h"
#include "cellformat.h"


#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
// The model says times in the viewer's zone; the list says them in the logs' clock, as the table.
class LogTimeDelegate : public QStyledItemDelegate
{
public:
    LogTimeDelegate(const InsightsPane *pane, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_pane(pane)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->text = m_pane->timeText(index.row());
    }

private:
    const InsightsPane *m_pane;
};
} // namespace

InsightsPane::InsightsPane(InsightModel *model, InsightReplay *replay, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_replay(replay)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new QTreeView(this);
    // The model keeps the order the rules fired in (a replay in passes, a follow's batches, rules
    // that fire when a window closes): the list reads in log time, ties in that order.
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(model);
    m_sorted->setSortRole(InsightModel::TimeMsRole);
    m_sorted->sort(InsightModel::Time, Qt::AscendingOrder);
    m_view->setModel(m_sorted);
    m_view->setItemDelegateForColumn(InsightModel::Time, new LogTimeDelegate(this, m_view));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->setToolTip(tr("Double-click an insight to show its messages"));
    connect(m_view, &QTreeView::activated, this,
            [this](const QModelIndex &index) { activate(m_sorted->mapToSource(index).row()); });
    m_status = new QLabel(this);
    m_status->setContentsMargins(6, 2, 6, 2);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(fontMetrics().horizontalAdvance(u'M') * 12);
    m_stop = new QPushButton(QIcon::fromTheme(u"process-stop"_s), tr("Stop"), this);
    m_stop->setToolTip(tr("Stop reading the history: the insights found so far stay"));
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_replay->isStopped())
            m_replay->resume();
        else
            m_replay->stop();
    });
    // One height for the status line, with its Stop button and bar or without: the list above
    // keeps its rows whole while the history is read (sizeHint() counts on it).
    m_status->setMinimumHeight(std::max(m_stop->sizeHint().height(), m_progress->sizeHint().height()));
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 6, 2);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_stop);
    layout->addWidget(m_view, 1);
    layout->addLayout(statusRow);
    // Without insights the list is hidden and the status line says so: at the top of a dock the
    // user made taller, not in its middle.
    layout->addStretch(0);
    m_fittedRows = rowsToShow();
    m_view->setVisible(m_fittedRows > 0);
    connect(model, &QAbstractItemModel::rowsInserted, this, &InsightsPane::updateStatus);
    connect(model, &QAbstractItemModel::modelReset, this, &InsightsPane::updateStatus);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        for (int c = 0; c < InsightModel::Numbers; ++c)
            m_view->resizeColumnToContents(c);
    });
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &InsightsPane::contentChanged);
    connect(model, &QAbstractItemModel::modelReset, this, &InsightsPane::contentChanged);
    connect(replay, &InsightReplay::busyChanged, this, [this](bool busy) {
        if (busy)
            m_progress->setValue(0);
        updateStatus();
    });
    connect(replay, &InsightReplay::stoppedChanged, this, &InsightsPane::updateStatus);
    connect(replay, &InsightReplay::progress, this, [this](qint64 messages, int permille) {
        m_progress->setValue(permille);
        m_progress->setVisible(!m_replay->isStopped());
        m_status->setText(tr("Reading the history: %L1 messages…").arg(messages));
    });
    connect(replay, &InsightReplay::failed, this,
            [this](const QString &error) { m_status->setText(tr("The insights could not be read: %1").arg(error)); });
    updateStatus();
}

void InsightsPane::activate(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const Insight &insight = m_model->insight(row);
    if (insight.kind != InsightKind::AuthFailureBurst) {
        const QString name = tr("%1, %2").arg(m_model->index(row, InsightModel::Kind).data().toString(),
                                              m_model->index(row, InsightModel::Subject).data().toString());
        Q_EMIT filterRequested(m_model->filterFor(row), name);
        return;
    }
    // Failed logins make no message: a filter of the table would show nothing. Their lines, of
    // the time the rule counted them in.
    Filter window;
    const Filter f = m_model->filterFor(row);
    window.sinceMs = f.sinceMs;
    window.untilMs = f.untilMs;
    bool exact = true;
    const IncidentQuery query = m_model->incidentsFor(row, &exact);
    const QString subject = QString::fromStdString(insight.subject);
    Q_EMIT incidentsRequested(window, query,
                              exact ? tr("SASL failures from %1").arg(subject)
                                    : tr("SASL failures of every client at the time of the run from %1").arg(subject));
}

int InsightsPane::rowsToShow() const
{
    const int rows = m_model->rowCount();
    // As many as there are, up to a dozen (then it scrolls): one insight is one row, not a row
    // and an empty one.
    return std::min(rows, 12);
}

QSize InsightsPane::sizeHint() const
{
    return {QWidget::sizeHint().width(), heightForRows(rowsToShow())};
}

int InsightsPane::heightForRows(int rows) const
{
    // The status line as tall as it is with its progress bar and Stop button, shown or not: the
    // dock keeps one height while the history is read.
    const int status = std::max({m_status->sizeHint().height(), m_stop->sizeHint().height(), m_progress->sizeHint().height()}) + 2;
    if (rows == 0)  // "Nothing unusual…" in one line: the table below takes the rest
        return status;
    const int rowHeight = std::max(m_view->sizeHintForRow(0), 1);
    const int list = m_view->header()->sizeHint().height() + rows * rowHeight + 2 * m_view->frameWidth();
    // And the layout's space between the list and the status line: without it the last row was cut.
    return list + layout()->spacing() + status;
}

void InsightsPane::contentChanged()
{
    const int rows = rowsToShow();
    m_view->setVisible(rows > 0);
    // Never squeezed below two rows (one when there is one) by a small window; and no taller: its
    // scroll area's own minimum (about three rows) left one insight above two empty rows.
    if (rows > 0)
        m_view->setMinimumHeight(m_view->header()->sizeHint().height() + std::min(rows, 2) * std::max(m_view->sizeHintForRow(0), 1) +
                                 2 * m_view->frameWidth());
    if (rows == m_fittedRows)
        return;
    m_fittedRows = rows;
    updateGeometry();
    Q_EMIT contentHeightChanged();
}

QString InsightsPane::statusText() const
{
    return m_status->text();
}

void InsightsPane::updateStatus()
{
    const bool busy = m_replay->isBusy();
    const bool stopped = m_replay->isStopped();
    const bool waiting = m_replay->isWaiting();
    // A follow's pass over its new rows takes milliseconds: no bar flashing for it.
    m_progress->setVisible(busy && !stopped && !waiting && m_progress->value() > 0);
    m_stop->setVisible((busy || stopped) && !waiting);
    m_stop->setText(stopped ? tr("Resume") : tr("Stop"));
    m_stop->setIcon(QIcon::fromTheme(stopped ? u"media-playback-start"_s : u"process-stop"_s));
    m_stop->setToolTip(stopped ? tr("Go on reading the history from where it stopped")
                               : tr("Stop reading the history: the insights found so far stay"));
    const QString found = m_model->rowCount() == 0 ? QString()
                          : m_model->rowCount() == 1 ? tr("1 insight so far.")
                                                     : tr("%L1 insights so far.").arg(m_model->rowCount());
    if (waiting)
        m_status->setText(tr("The history is read once the import is done…"));
    else if (stopped)
        m_status->setText(QString(tr("Stopped before the end of the history; later lines are not checked.") + u' ' + found).trimmed());
    else if (busy)
        m_status->setText(tr("Reading the history…"));
    else if (m_model->rowCount() == 0 && !m_logsOpen)
        m_status->setText(tr("No logs are open: open one to see what is unusual in it."));
    else if (m_model->rowCount() == 0)
        m_status->setText(tr("Nothing unusual in the logs on show."));
    else
        // No translator supplies English plurals: each number its own sentence.
        m_status->setText(m_model->rowCount() == 1 ? tr("1 insight; double-click it to show its messages.")
                                                   : tr("%L1 insights; double-click one to show its messages.").arg(m_model->rowCount()));
}

void InsightsPane::setLogsOpen(bool open)
{
    m_logsOpen = open;
    updateStatus();
}

void InsightsPane::setClock(const LogClock &clock)
{
    m_clock = clock;
    m_view->viewport()->update();
}

QString InsightsPane::timeText(int row) const
{
    const qint64 ms = m_sorted->index(row, InsightModel::Time).data(InsightModel::TimeMsRole).toLongLong();
    return cellformat::time(ms, m_clock.offsetAt(ms));
}

} // namespace mailtrail
