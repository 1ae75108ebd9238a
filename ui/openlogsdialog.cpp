// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "openlogsdialog.h"

#include "cellformat.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
constexpr int FileIdRole = Qt::UserRole + 1;

QString time(std::int64_t ms, const LogClock &clock)
{
    return ms > 0 ? cellformat::time(ms, clock.offsetAt(ms)) : QString();
}
} // namespace

OpenLogsDialog::OpenLogsDialog(const std::vector<OpenLog> &logs, const LogClock &clock, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Open Logs"));
    m_table = new QTableWidget(static_cast<int>(logs.size()), ColumnCount, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Log"), tr("Format"), tr("Hosts"), tr("From"), tr("To"), tr("Lines"), tr("Not understood"), tr("Other programs")});
    m_table->horizontalHeaderItem(OtherColumn)
        ->setToolTip(tr("Lines of programs other than the mail server's (dovecot, amavis, opendkim…): read, and not "
                        "part of any message"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    const QLocale locale;
    for (int row = 0; row < static_cast<int>(logs.size()); ++row) {
        const FileRow &f = logs[static_cast<std::size_t>(row)].file;
        const QString path = QString::fromStdString(f.path);
        auto *name = new QTableWidgetItem(QFileInfo(path).fileName());
        name->setToolTip(path);
        name->setData(Qt::UserRole, path);
        name->setData(FileIdRole, qint64(f.id));
        m_table->setItem(row, LogColumn, name);
        m_table->setItem(row, FormatColumn, new QTableWidgetItem(QString::fromStdString(f.format)));
        const QStringList &hosts = logs[static_cast<std::size_t>(row)].hosts;
        auto *hostItem = new QTableWidgetItem(hosts.join(u", "_s));
        hostItem->setToolTip(hosts.join(u'\n'));
        m_table->setItem(row, HostsColumn, hostItem);
        m_table->setItem(row, FromColumn, new QTableWidgetItem(time(f.firstTimeMs, clock)));
        m_table->setItem(row, ToColumn, new QTableWidgetItem(time(f.lastTimeMs, clock)));
        for (auto [column, value] : {std::pair{LinesColumn, f.lines}, std::pair{UnknownColumn, f.unknownLines}}) {
            auto *item = new QTableWidgetItem(locale.toString(value));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
        std::int64_t others = 0;
        QStringList programs;
        for (const ProgramLines &p : f.otherPrograms) {
            others += static_cast<std::int64_t>(p.lines);
            programs << tr("%1: %L2").arg(QString::fromStdString(p.program)).arg(static_cast<qulonglong>(p.lines));
        }
        auto *other = new QTableWidgetItem(locale.toString(others));
        other->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        // Which programs, most lines first.
        other->setToolTip(programs.join(u'\n'));
        m_table->setItem(row, OtherColumn, other);
    }
    m_table->resizeColumnsToContents();

    // One button closes the dialog (OK); the two beside it say that they close logs: a "Close"
    // beside "OK" read as the dialog's own.
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok, this);
    QPushButton *close = buttons->addButton(tr("Close &Log"), QDialogButtonBox::ActionRole);
    close->setToolTip(tr("Put the selected logs away from the window (the cache keeps them)"));
    QPushButton *closeAll = buttons->addButton(tr("Close &All Logs"), QDialogButtonBox::ActionRole);
    connect(close, &QPushButton::clicked, this, &OpenLogsDialog::closeSelected);
    connect(closeAll, &QPushButton::clicked, this, [this] {
        m_table->selectAll();
        closeSelected();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(960, 320);
}

void OpenLogsDialog::closeSelected()
{
    QStringList paths;
    QList<qint64> ids;
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows)) {
        paths << m_table->item(row, LogColumn)->data(Qt::UserRole).toString();
        ids << m_table->item(row, LogColumn)->data(FileIdRole).toLongLong();
        m_table->removeRow(row);
    }
    if (!paths.isEmpty())
        Q_EMIT closeRequested(paths, ids);
}

} // namespace mailtrail
