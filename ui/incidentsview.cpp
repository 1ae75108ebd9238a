// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "incidentsview.h"

#include "incidenttablemodel.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mailtrail {

IncidentsView::IncidentsView(IncidentTableModel *model, const QString &what, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_what(what)
{
    setWindowTitle(what);
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(split);
    // Sortable by any column (the clients of an attack, its usernames), over the lines read so
    // far: the title says when more follow.
    auto *sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(model);
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // in the log's order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // A line a row, as the window's tables (the style's default made rows twice the text's height).
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_line = new QPlainTextEdit(split);
    m_line->setReadOnly(true);
    m_line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_line->setPlaceholderText(tr("Select an incident to see its log line"));
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // The lines come a page at a time (scrolling to the end reads the next one, too).
    m_more = buttons->addButton(tr("Show &More"), QDialogButtonBox::ActionRole);
    m_more->setObjectName(u"showMore"_s);
    m_more->setToolTip(tr("Read the next %L1 lines").arg(IncidentTableModel::PageSize));
    m_more->setEnabled(false);
    connect(m_more, &QPushButton::clicked, this, [this] {
        m_more->setEnabled(false);
        m_model->fetchMore({});
    });
    layout->addWidget(buttons);
    // The pane shows the selected row's line, or none: whatever changed the selection (a click,
    // the keys, a reset of the list).
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &IncidentsView::showSelectedLine);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &IncidentsView::showSelectedLine);
    // Sorted, the selected row went wherever the order put it (the far end of the list, out of
    // sight) while the pane went on showing its line: it is scrolled to.
    connect(sorted, &QAbstractItemModel::layoutChanged, this, [this] {
        showSelectedLine();
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (rows.size() == 1)
            m_table->scrollTo(rows.first());
    });
    connect(sorted, &QAbstractItemModel::modelReset, this, &IncidentsView::showSelectedLine);
    connect(model, &IncidentTableModel::loaded, this, [this] {
        showCount();
        if (m_table->selectionModel()->currentIndex().isValid())
            return;  // a next page: the one selected stays
        m_table->resizeColumnsToContents();
        if (m_model->rowCount() > 0)
            m_table->selectRow(0);
    });
    connect(model, &IncidentTableModel::failed, this,
            [this](const QString &error) { m_title->setText(tr("%1: could not be read (%2)").arg(m_what, error)); });
    m_title->setText(tr("%1: reading…").arg(m_what));
    resize(900, 520);
}

void IncidentsView::showSelectedLine()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    m_line->setPlainText(rows.size() == 1 ? rows.first().data(IncidentTableModel::LogLineRole).toString() : QString());
}

void IncidentsView::setWhat(const QString &what)
{
    m_what = what;
    setWindowTitle(what);
    m_title->setText(m_model->isBusy() ? tr("%1: reading…").arg(m_what) : QString());
    if (!m_model->isBusy())
        showCount();
}

void IncidentsView::showCount()
{
    const int n = m_model->rowCount();
    m_more->setEnabled(m_model->hasMore());
    // Never a page read as the whole: a brute-force attack logs far more than a page.
    m_title->setText(m_model->hasMore() ? tr("%1: the first %L2 lines; more follow (Show More, or scroll to the end)").arg(m_what).arg(n)
                             : n == 1 ? tr("%1: 1 line").arg(m_what)
                                      : tr("%1: %L2 lines").arg(m_what).arg(n));
}

} // namespace mailtrail
