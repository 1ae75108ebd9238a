// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageview.h"

#include "cachetablemodel.h"
#include "statusdelegate.h"
#include "tableexporter.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QToolTip>
#include <QKeyEvent>
#include <QMenu>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

MessageView::MessageView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setSortingEnabled(true);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setShowGrid(false);
    setContextMenuPolicy(Qt::CustomContextMenu);
    // Fixed row heights: the view never measures rows, so a million of them cost nothing.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    verticalHeader()->hide();
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
    connect(this, &QWidget::customContextMenuRequested, this, &MessageView::showCellMenu);
    // A click on a column no index can order leaves the rows (and the arrow) as they were.
    connect(horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column, Qt::SortOrder) {
        auto *model = qobject_cast<CacheTableModel *>(this->model());
        if (model && !model->canSortBy(column)) {
            // Said where the user clicked: a click that does nothing must not look broken.
            QToolTip::showText(QCursor::pos(), model->sortHint(column), horizontalHeader());
            QSignalBlocker block(horizontalHeader());
            horizontalHeader()->setSortIndicator(model->sortColumn(), model->currentSort().descending
                                                                           ? Qt::DescendingOrder : Qt::AscendingOrder);
        }
    });
    connect(horizontalHeader(), &QWidget::customContextMenuRequested, this, &MessageView::showHeaderMenu);
}

void MessageView::paintEvent(QPaintEvent *event)
{
    auto *model = qobject_cast<CacheTableModel *>(this->model());
    if (model)
        model->setDeferMissingRows(true);
    QTableView::paintEvent(event);
    if (model)
        model->setDeferMissingRows(false);
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    // The table gets shorter when the message pane grows for the row just clicked, or the
    // Insights dock for insights that came: a view keeps its top row, so a current row near the
    // bottom went under the pane (and after a sort had just scrolled to it, out of sight).
    const QModelIndex current = currentIndex();
    const QRect before = current.isValid() ? visualRect(current) : QRect();
    const bool wasInView = !before.isEmpty() && before.top() >= 0 && before.bottom() < event->oldSize().height();
    QTableView::resizeEvent(event);
    if (!wasInView || event->size().height() >= event->oldSize().height())
        return;
    if (const QRect now = visualRect(current); now.bottom() >= viewport()->height()) {
        // By the column at the left edge: the view does not scroll sideways for it.
        const int column = columnAt(0);
        scrollTo(column >= 0 ? current.siblingAtColumn(column) : current, EnsureVisible);
    }
}

void MessageView::setTableModel(QAbstractItemModel *model, const QString &settingsKey, int statusColumn, int codeColumn,
                                const QHash<int, FilterField> &filterColumns, const QList<int> &hiddenByDefault)
{
    if (!m_settingsKey.isEmpty())
        saveLayout();
    // The delegates of the previous grain must not paint the new grain's columns.
    for (int c = 0; c < 32; ++c)
        setItemDelegateForColumn(c, nullptr);
    setModel(model);
    disconnect(m_sortReset);
    for (const QMetaObject::Connection &c : std::as_const(m_fitConnections))
        disconnect(c);
    m_fitConnections.clear();
    if (auto *table = qobject_cast<CacheTableModel *>(model)) {
        m_sortReset = connect(table, &CacheTableModel::sortReset, this, [this, table] {
            QSignalBlocker block(horizontalHeader());
            horizontalHeader()->setSortIndicator(table->sortColumn(), Qt::AscendingOrder);
        });
        // Rows came in: an id longer than the column was made for (Exim 4.97's
        // 10HmaX-000000005vi-0000) widens it rather than being cut.
        m_fitConnections << connect(table, &QAbstractItemModel::dataChanged, this, &MessageView::fitIdColumnLater)
                         << connect(table, &QAbstractItemModel::modelReset, this, &MessageView::fitIdColumnLater)
                         << connect(table, &QAbstractItemModel::rowsInserted, this, &MessageView::fitIdColumnLater)
                         << connect(table, &QAbstractItemModel::layoutChanged, this, &MessageView::fitIdColumnLater);
    }
    m_idColumn = -1;
    for (int c = 0; c < model->columnCount(); ++c) {
        if (model->headerData(c, Qt::Horizontal).toString() == tr("Queue ID"))
            m_idColumn = c;
    }
    m_settingsKey = settingsKey;
    m_filterColumns = filterColumns;
    setItemDelegateForColumn(statusColumn, new StatusDelegate(StatusDelegate::Kind::Status, this));
    setItemDelegateForColumn(codeColumn, new StatusDelegate(StatusDelegate::Kind::ReplyCode, this));
    restoreLayout(hiddenByDefault);
}

void MessageView::fitIdColumnLater()
{
    if (m_fitPending)
        return;
    m_fitPending = true;
    // After the view has laid the rows out: which rows are in view is known then.
    QMetaObject::invokeMethod(this, &MessageView::fitIdColumn, Qt::QueuedConnection);
}

void MessageView::fitIdColumn()
{
    m_fitPending = false;
    auto *table = qobject_cast<CacheTableModel *>(model());
    if (!table || m_idColumn < 0 || horizontalHeader()->isSectionHidden(m_idColumn) || table->rowCount() == 0)
        return;
    const int first = std::max(0, rowAt(0));
    int last = rowAt(viewport()->height() - 1);
    if (last < 0)
        last = std::min(table->rowCount() - 1, first + 64);
    // Only rows already in memory: a row still to be read is measured when it comes.
    table->setDeferMissingRows(true);
    int widest = 0;
    for (int row = first; row <= last; ++row)
        widest = std::max(widest, fontMetrics().horizontalAdvance(table->index(row, m_idColumn).data().toString()));
    table->setDeferMissingRows(false);
    const int wanted = widest + 2 * fontMetrics().horizontalAdvance(u'M');
    if (widest > 0 && wanted > horizontalHeader()->sectionSize(m_idColumn))
        horizontalHeader()->resizeSection(m_idColumn, wanted);
}

void MessageView::restoreLayout(const QList<int> &hiddenByDefault)
{
    QHeaderView *header = horizontalHeader();
    const QByteArray state = QSettings().value(u"columns/"_s + m_settingsKey).toByteArray();
    if (!state.isEmpty() && header->restoreState(state))
        return;
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(u'M');
    const int pad = 2 * em;  // cell margins and the sort arrow
    for (int c = 0; c < model()->columnCount(); ++c) {
        const QString title = model()->headerData(c, Qt::Horizontal).toString();
        // Widths for what the columns hold, never measured from the data (that would read every row).
        QString sample = u"mail.example.com [192.0.2.10]"_s;
        if (title == tr("Time"))
            sample = u"2026-11-22 08:50:30"_s;
        else if (title == tr("Status"))
            sample = u"● Rejected"_s;
        else if (title == tr("Code"))
            sample = u"550 5.1.1"_s;
        else if (title == tr("Attempts") || title == tr("Hops"))
            sample = u"99"_s;
        else if (title == tr("TLS"))
            sample = u"in TLSv1.3 · out TLSv1.3"_s;
        else if (title == tr("Size"))
            sample = u"999.9 kB"_s;
        else if (title == tr("Queue ID"))
            sample = u"4F2A81C0123"_s;
        else if (title == tr("Host"))
            sample = u"mx1.example.com"_s;
        // A file's name (its path is in the tooltip): as wide as a client, the Log column left
        // Client, the last one, cut at 1600 pixels (trial20).
        else if (title == tr("Log"))
            sample = u"mail.log.2.gz"_s;
        else if (title == tr("Format"))
            sample = u"Sendmail"_s;
        else if (title == tr("Sender") || title.startsWith(tr("Recipient")))
            sample = u"firstname.lastname@example.com"_s;
        const int width = std::max(fm.horizontalAdvance(title), fm.horizontalAdvance(sample)) + pad;
        header->resizeSection(c, width);
        header->setSectionHidden(c, hiddenByDefault.contains(c));
    }
}

void MessageView::saveLayout()
{
    if (!m_settingsKey.isEmpty() && model())
        QSettings().setValue(u"columns/"_s + m_settingsKey, horizontalHeader()->saveState());
}

QList<int> MessageView::selectedRowNumbers() const
{
    QList<int> rows;
    if (!selectionModel())
        return rows;
    // Ranges, not selectedRows(): selecting a million rows must not build a million indexes.
    for (const QItemSelectionRange &range : selectionModel()->selection()) {
        for (int r = range.top(); r <= range.bottom(); ++r)
            rows << r;
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

QList<int> MessageView::visibleColumnsInOrder() const
{
    QList<int> columns;
    const QHeaderView *header = horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns << logical;
    }
    return columns;
}

void MessageView::copySelection()
{
    if (!model())
        return;
    QApplication::clipboard()->setText(TableExporter::toTsv(*model(), selectedRowNumbers(), visibleColumnsInOrder()));
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    // The first or last row is a move down the table, not across it: the columns stay where the
    // user scrolled them (Ctrl+End scrolled to the last column, Time, Status and Sender out of
    // view; trial21), even when the cursor's own column is out of view.
    if (event->key() == Qt::Key_Home || event->key() == Qt::Key_End) {
        QScrollBar *across = horizontalScrollBar();
        const int at = across->value();
        // With Ctrl or not, the row it goes to is selected (and shown below): with Ctrl,
        // QAbstractItemView moved the cursor and left the selection on the row before.
        QKeyEvent plain(event->type(), event->key(), event->modifiers() & ~Qt::ControlModifier, event->text(),
                        event->isAutoRepeat(), static_cast<quint16>(event->count()));
        QTableView::keyPressEvent(&plain);
        event->setAccepted(plain.isAccepted());
        across->setValue(at);
        return;
    }
    QTableView::keyPressEvent(event);
}

QModelIndex MessageView::moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers)
{
    // Whole rows are selected: QTableView's Home and End went to the first and last column of the
    // row, and only with Ctrl to another row.
    if ((action != MoveHome && action != MoveEnd) || !model() || model()->rowCount() == 0)
        return QTableView::moveCursor(action, modifiers);
    int column = currentIndex().isValid() ? currentIndex().column() : -1;
    if (column < 0 || isColumnHidden(column))
        column = columnAt(0) >= 0 ? columnAt(0) : horizontalHeader()->logicalIndex(0);
    return model()->index(action == MoveHome ? 0 : model()->rowCount() - 1, column);
}

void MessageView::showCellMenu(const QPoint &pos)
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const QString value = index.data(CacheTableModel::FilterValueRole).toString();
    static const QHash<FilterField, QString> labels{{FilterField::Sender, tr("Filter by this sender")},
                                                    {FilterField::Recipient, tr("Filter by this recipient")},
                                                    {FilterField::Status, tr("Filter by this status")},
                                                    {FilterField::Code, tr("Filter by this code")}};
    if (m_filterColumns.contains(index.column()) && !value.isEmpty()) {
        const FilterField field = m_filterColumns.value(index.column());
        menu.addAction(QIcon::fromTheme(u"view-filter"_s), labels.value(field) + u": "_s + value, this,
                       [this, field, value] { Q_EMIT filterRequested(field, value); });
        menu.addSeparator();
    }
    const QString cellText = index.data().toString();
    menu.addAction(QIcon::fromTheme(u"edit-copy"_s), tr("Copy Cell"), this,
                   [cellText] { QApplication::clipboard()->setText(cellText); });
    menu.addAction(QIcon::fromTheme(u"edit-copy"_s), tr("Copy Selected Rows"), QKeySequence::Copy, this,
                   &MessageView::copySelection);
    menu.exec(viewport()->mapToGlobal(pos));
}

void MessageView::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(this);
    QHeaderView *header = horizontalHeader();
    for (int c = 0; c < header->count(); ++c) {
        QAction *a = menu.addAction(model()->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        connect(a, &QAction::toggled, this, [this, header, c](bool on) {
            header->setSectionHidden(c, !on);
            saveLayout();
        });
    }
    menu.exec(header->mapToGlobal(pos));
}

} // namespace mailtrail
