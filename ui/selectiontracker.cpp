// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "selectiontracker.h"

#include "detailpane.h"
#include "messageview.h"
#include "session.h"
#include "timelinemodel.h"

#include <QItemSelectionModel>

#include <utility>

namespace mailtrail {

SelectionTracker::SelectionTracker(Session *session, const QList<CacheTableModel *> &models, MessageView *table,
                                   DetailPane *detail, QString cachePath, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_table(table)
    , m_detail(detail)
    , m_timeline(session->timeline())
    , m_cachePath(std::move(cachePath))
{
    connect(m_timeline, &TimelineModel::loaded, this, &SelectionTracker::onLoaded);
    for (CacheTableModel *model : models)
        connectModel(model);
    // A link of the pane (a bounce notice and the message it is about) selects its message in the
    // table, as a click on its row would: the pane never shows one message while the table
    // selects another. Until it is found (off this thread), nothing is selected.
    connect(m_detail, &DetailPane::messageRequested, this, &SelectionTracker::followLink);
    connect(m_detail, &DetailPane::clearFilterRequested, this, [this] { m_session->setFilter(Filter{}); });
}

CacheTableModel *SelectionTracker::currentModel() const
{
    return qobject_cast<CacheTableModel *>(m_table->model());
}

bool SelectionTracker::hasCurrentRow() const
{
    return m_table->selectionModel() && m_table->selectionModel()->currentIndex().isValid();
}

void SelectionTracker::tableModelChanged()
{
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
}

void SelectionTracker::filterChanged()
{
    // The rows changed and nothing is selected any more: the pane below must not go on showing
    // a message the filter may have just taken away. A message a link showed (none selected)
    // stays: the new rows are looked through for it.
    if (!hasCurrentRow() && (m_linkTarget == 0 || m_timeline->detail().message.id != m_linkTarget))
        m_timeline->clear();
}

void SelectionTracker::onLoaded(qint64 id)
{
    // A later hop of a chain listed as one row (a delivery of the Deliveries tab is its last
    // hop's, a bounce's parent may be one): the pane shows the whole chain, as the Messages
    // tab's row of it does, unless the hops are listed as messages of their own.
    const MessageRow &shown = m_timeline->detail().message;
    if (!m_session->showHops() && shown.isLaterHop() && shown.chainId > 0 && shown.chainId != id) {
        if (m_linkTarget == id)
            m_linkTarget = shown.chainId;  // the row that lists it is its chain's
        m_timeline->loadMessage(m_cachePath, shown.chainId);
        return;
    }
    // Reached by a link of the pane: the table selects its row, or says it does not list it.
    if (id == m_linkTarget && !hasCurrentRow() && currentModel())
        currentModel()->locate(id);
    Q_EMIT messageShown(id);
}

void SelectionTracker::onCurrentRowChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    m_linkTarget = 0;
    m_detail->setUnlisted(0, false);
    const qint64 id = current.data(CacheTableModel::MessageDbIdRole).toLongLong();
    if (id > 0)
        m_timeline->loadMessage(m_cachePath, id);
}

void SelectionTracker::followLink(qint64 messageId)
{
    m_linkTarget = messageId;
    m_detail->setUnlisted(0, false);
    m_table->selectionModel()->clear();
    m_timeline->loadMessage(m_cachePath, messageId);
}

void SelectionTracker::connectModel(CacheTableModel *model)
{
    // The rows of a new filter came in and nothing is selected any more. The message the pane
    // shows is looked for in them, as after a sort: still matched, it is selected again and
    // scrolled to (rowLocated); taken away, the pane is emptied then.
    connect(model, &QAbstractItemModel::modelReset, this, [this, model] {
        if (model != currentModel())
            return;
        // A new filter's rows are read from the first: the old scroll position means nothing in them.
        m_table->scrollToTop();
        if (!m_table->selectionModel() || hasCurrentRow())
            return;
        const qint64 shown = m_timeline->detail().message.id;
        if (shown > 0 && (model->rowCount() > 0 || shown == m_linkTarget))
            model->locate(shown);
        else
            m_timeline->clear();
    });
    // A new order drops the selection (rows are positions in it): the message on show is
    // looked for in the new order off the GUI thread, wherever it is, and selected again.
    connect(model, &QAbstractItemModel::layoutChanged, this, [this, model] {
        const qint64 shown = m_timeline->detail().message.id;
        if (model != currentModel() || shown <= 0 || hasCurrentRow())
            return;
        model->locate(shown);
    });
    // Rows that came with a follow batch may land before the selected ones (newest first, lines
    // out of time order): rows are positions, so the selection would point at other messages.
    // Every row selected is looked for again, as after a sort, and the view does not scroll: the
    // batch after a selection of several rows kept one of them (trial22).
    connect(model, &CacheTableModel::aboutToRefresh, this, [this, model] { keepSelection(model); });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this, model] { onRowsInserted(model); });
    connect(model, &CacheTableModel::rowsLocated, this,
            [this, model](const QList<CacheTableModel::RowKey> &keys, const QList<int> &rows) {
                if (model != currentModel() || keys != m_locatingRows || keys.isEmpty() || hasCurrentRow())
                    return;
                m_locatingRows.clear();
                m_quietLocate = 0;
                reselectRows(model, keys.first().messageId, rows);
            });
    connect(model, &CacheTableModel::rowLocated, this,
            [this, model](qint64 messageId, int row) { onRowLocated(model, messageId, row); });
}

void SelectionTracker::onRowLocated(CacheTableModel *model, qint64 messageId, int row)
{
    const bool quiet = std::exchange(m_quietLocate, 0) == messageId;
    if (model != currentModel() || m_timeline->detail().message.id != messageId || hasCurrentRow())
        return;
    if (row < 0) {
        // Reached by a link: the pane shows it, no row is selected, and the pane says why.
        if (messageId == m_linkTarget) {
            Filter conditions = m_session->filter();
            conditions.fileIds.clear();
            m_detail->setUnlisted(messageId, !conditions.isEmpty());
            return;
        }
        // The rows do not hold it (a filter took it away): the pane must not go on showing it.
        m_timeline->clear();
        return;
    }
    if (quiet) {
        const bool autoScroll = m_table->hasAutoScroll();
        m_table->setAutoScroll(false);
        m_table->selectRow(row);
        m_table->setAutoScroll(autoScroll);
        return;
    }
    m_table->selectRow(row);
    m_table->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
}

void SelectionTracker::keepSelection(CacheTableModel *model)
{
    m_keptSelection.clear();
    if (model != currentModel() || !m_table->selectionModel())
        return;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() < 2 || rows.size() > MaxKeptSelection)
        return;
    for (const QModelIndex &row : rows) {
        const qint64 id = row.data(CacheTableModel::MessageDbIdRole).toLongLong();
        if (id > 0)
            m_keptSelection << CacheTableModel::RowKey{id, row.data(CacheTableModel::DeliveryIndexRole).toInt()};
    }
}

void SelectionTracker::onRowsInserted(CacheTableModel *model)
{
    const qint64 shown = m_timeline->detail().message.id;
    const QList<CacheTableModel::RowKey> kept = std::exchange(m_keptSelection, {});
    if (model != currentModel() || shown <= 0 || !hasCurrentRow())
        return;
    m_quietLocate = shown;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const CacheTableModel::RowKey currentKey{shown, current.data(CacheTableModel::DeliveryIndexRole).toInt()};
    m_table->selectionModel()->clear();
    if (kept.size() < 2) {
        model->locate(shown);
        return;
    }
    // The current row first: the pane's message.
    m_locatingRows = kept;
    m_locatingRows.removeAll(currentKey);
    m_locatingRows.prepend(currentKey);
    model->locateRows(m_locatingRows);
}

void SelectionTracker::reselectRows(CacheTableModel *model, qint64 currentId, const QList<int> &rows)
{
    // Where they are now, without scrolling: the view stays where the user left it.
    const bool autoScroll = m_table->hasAutoScroll();
    m_table->setAutoScroll(false);
    QItemSelection selection;
    for (const int row : rows)
        if (row >= 0)
            selection.select(model->index(row, 0), model->index(row, model->columnCount() - 1));
    QItemSelectionModel *selected = m_table->selectionModel();
    if (rows.first() >= 0 && m_timeline->detail().message.id == currentId)
        selected->setCurrentIndex(model->index(rows.first(), 0), QItemSelectionModel::NoUpdate);
    else
        m_timeline->clear();  // the rows no longer hold the message on show
    selected->select(selection, QItemSelectionModel::ClearAndSelect);
    m_table->setAutoScroll(autoScroll);
}

} // namespace mailtrail
