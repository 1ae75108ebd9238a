// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "importprogressbar.h"

#include "importjob.h"
#include "importstatus.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace mailtrail {

ImportProgressBar::ImportProgressBar(ImportJob *job, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel(this);
    m_label->setObjectName(u"importProgress"_s);
    m_bar = new QProgressBar(this);
    m_bar->setMaximumWidth(220);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_cancel = new QToolButton(this);
    m_cancel->setIcon(QIcon::fromTheme(u"process-stop"_s));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setToolTip(tr("Stop importing; what was read so far stays"));
    connect(m_cancel, &QToolButton::clicked, this, &ImportProgressBar::cancelRequested);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();

    connect(job, &ImportJob::progress, this, &ImportProgressBar::showProgress);
    connect(job, &ImportJob::finishing, this, [this] { showStage(ImportStatus::finishing()); });
    connect(job, &ImportJob::buildingIndexes, this, [this] { showStage(ImportStatus::buildingIndexes()); });
    connect(job, &ImportJob::waitingForOtherImport, this,
            [this](qint64 pid) { showStage(ImportStatus::waitingForOtherImport(pid)); });
    connect(job, &ImportJob::indexingText, this, [this] { showStage(ImportStatus::indexingText()); });
}

void ImportProgressBar::start()
{
    m_label->setText(ImportStatus::starting());
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_label->show();
    m_cancel->show();
    show();
}

void ImportProgressBar::showStage(const QString &text)
{
    m_bar->setRange(0, 0);
    m_label->setText(text);
}

void ImportProgressBar::showCancelling()
{
    m_label->setText(ImportStatus::cancelling());
}

void ImportProgressBar::showUpdatingCache(bool updating)
{
    // Nothing to cancel, nothing to count: the bar says the window is at work.
    m_label->setVisible(!updating);
    m_cancel->setVisible(!updating);
    m_bar->setRange(0, updating ? 0 : 1000);
    setVisible(updating);
}

void ImportProgressBar::showProgress(qint64 done, qint64 total, double mbps, qint64 messages)
{
    m_bar->setValue(total > 0 ? static_cast<int>(done * 1000 / total) : 0);
    m_label->setText(ImportStatus::progress(done, total, mbps, messages));
}

} // namespace mailtrail
