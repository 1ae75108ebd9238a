// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightspane.h"

#include "insightmodel.h"
#include "insightreplay.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace mailtrail {

InsightsPane::InsightsPane(InsightModel *model, InsightReplay *replay, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_replay(replay)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new QTreeView(this);
    m_view->setModel(model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->setToolTip(tr("Double-click an insight to show its messages"));
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) { activate(index.row()); });
    m_status = new QLabel(this);
    m_status->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    connect(model, &QAbstractItemModel::rowsInserted, this, &InsightsPane::updateStatus);
    connect(model, &QAbstractItemModel::modelReset, this, &InsightsPane::updateStatus);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        for (int c = 0; c < InsightModel::Numbers; ++c)
            m_view->resizeColumnToContents(c);
    });
    connect(replay, &InsightReplay::busyChanged, this, &InsightsPane::updateStatus);
    connect(replay, &InsightReplay::progress, this, [this](qint64 messages) {
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
    Q_EMIT filterRequested(m_model->filterFor(row));
}

void InsightsPane::updateStatus()
{
    if (m_replay->isBusy())
        m_status->setText(tr("Reading the history…"));
    else if (m_model->rowCount() == 0)
        m_status->setText(tr("Nothing unusual in the logs on show."));
    else
        // No translator supplies English plurals: each number its own sentence.
        m_status->setText(m_model->rowCount() == 1 ? tr("1 insight; double-click it to show its messages.")
                                                   : tr("%L1 insights; double-click one to show its messages.").arg(m_model->rowCount()));
}

} // namespace mailtrail
