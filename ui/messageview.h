// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTableView>

namespace mailtrail {

// The message (or delivery) table: sorting by the cache, columns that move, hide and remember
// their widths, a context menu that turns a cell into a filter, Ctrl+C copying rows as TSV.
class MessageView : public QTableView
{
    Q_OBJECT
public:
    // What a "filter by this" request filters on.
    enum class FilterField { Sender, Recipient, Status, Code };

    explicit MessageView(QWidget *parent = nullptr);

    // statusColumn/codeColumn get the coloured delegates; filterColumns map columns to fields.
    void setTableModel(QAbstractItemModel *model, const QString &settingsKey, int statusColumn, int codeColumn,
                       const QHash<int, FilterField> &filterColumns, const QList<int> &hiddenByDefault);

    QList<int> selectedRowNumbers() const;
    QList<int> visibleColumnsInOrder() const;
    void copySelection();
    void saveLayout();

Q_SIGNALS:
    void filterRequested(mailtrail::MessageView::FilterField field, const QString &value);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    // Home and End (Ctrl or not) go to the first and last row, in the column the cursor is in.
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;
    // Rows not in memory are read off the GUI thread while painting: the table never waits.
    void paintEvent(QPaintEvent *event) override;
    // A table made shorter keeps the current row in view, if it was.
    void resizeEvent(QResizeEvent *event) override;

private:
    void showCellMenu(const QPoint &pos);
    void showHeaderMenu(const QPoint &pos);
    void restoreLayout(const QList<int> &hiddenByDefault);
    // Widens the Queue ID column to the longest id of the rows in view (never narrows it).
    void fitIdColumnLater();
    void fitIdColumn();

    QString m_settingsKey;
    QMetaObject::Connection m_sortReset;  // the model's, to keep the sort arrow true
    QHash<int, FilterField> m_filterColumns;
    QList<QMetaObject::Connection> m_fitConnections;
    int m_idColumn = -1;
    bool m_fitPending = false;
};

} // namespace mailtrail
