// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachetablemodel.h"

#include <QList>
#include <QObject>
#include <QString>

class QModelIndex;

namespace mailtrail {

class DetailPane;
class MessageView;
class Session;
class TimelineModel;

// Keeps the table's selection and the message the pane below shows in agreement: a row selected
// shows its message; rows that change under it (a filter, an order, a follow's batch) have it
// looked for again off the GUI thread and selected where it is now; a link of the pane selects its
// message, or says the table does not list it. Rows are positions, so every change of them drops
// the selection, and this finds it again.
class SelectionTracker : public QObject
{
    Q_OBJECT
public:
    // `models`: the tables the view may show (the two grains); the one the view shows is followed.
    SelectionTracker(Session *session, const QList<CacheTableModel *> &models, MessageView *table, DetailPane *detail,
                     QString cachePath, QObject *parent = nullptr);

    // The view was given another model (a grain): its selection is followed.
    void tableModelChanged();
    // The filter changed: with no row selected, the pane is emptied, but for a message a link
    // showed (the new rows are looked through for it).
    void filterChanged();

Q_SIGNALS:
    // The pane shows this message (after a chain's later hop was replaced by its chain).
    void messageShown(qint64 messageId);

private:
    CacheTableModel *currentModel() const;
    bool hasCurrentRow() const;
    void connectModel(CacheTableModel *model);
    void onLoaded(qint64 id);
    void onCurrentRowChanged(const QModelIndex &current);
    void followLink(qint64 messageId);
    void onRowLocated(CacheTableModel *model, qint64 messageId, int row);
    // Reads the rows selected before a follow batch's rows come (they are still in memory).
    void keepSelection(CacheTableModel *model);
    void onRowsInserted(CacheTableModel *model);
    // Selects these rows again (rowsLocated(): -1 for one the rows no longer hold), the first the
    // current one, the pane's message, without scrolling.
    void reselectRows(CacheTableModel *model, qint64 currentId, const QList<int> &rows);

    Session *m_session;
    MessageView *m_table;
    DetailPane *m_detail;
    TimelineModel *m_timeline;
    QString m_cachePath;
    qint64 m_quietLocate = 0;  // the message looked for again after a follow batch: no scrolling
    qint64 m_linkTarget = 0;   // the message a link of the pane showed, until a row is selected
    // The rows selected when a follow batch came, looked for again in the new rows (the current
    // one first); beyond MaxKeptSelection, the current one alone (each is a walk of the rows).
    static constexpr qsizetype MaxKeptSelection = 200;
    QList<CacheTableModel::RowKey> m_keptSelection;
    QList<CacheTableModel::RowKey> m_locatingRows;
};

} // namespace mailtrail
