// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomewidget.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mailtrail {

WelcomeWidget::WelcomeWidget(QWidget *parent)
    : QWidget(parent)
{
    setAcceptDrops(false);  // the main window takes the drop
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(u":/icons/mailtrail.svg"_s).pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("Drop mail logs here"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.8);
    title->setFont(f);
    title->setAlignment(Qt::AlignCenter);
    auto *hint = new QLabel(tr("Postfix, Exim or Sendmail logs, plain or compressed (.gz, .bz2, .xz, .zst) — mail.log, "
                                 "mail.log.1, mail.log.2.gz … or a whole folder"), this);
    hint->setAlignment(Qt::AlignCenter);
    hint->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    auto *open = new QPushButton(QIcon::fromTheme(u"document-open"_s), tr("Open Logs…"), this);
    auto *sample = new QPushButton(QIcon::fromTheme(u"mail-message"_s), tr("Open Sample Log"), this);
    buttons->addStretch();
    buttons->addWidget(open);
    buttons->addWidget(sample);
    buttons->addStretch();
    connect(open, &QPushButton::clicked, this, &WelcomeWidget::openRequested);
    connect(sample, &QPushButton::clicked, this, &WelcomeWidget::sampleRequested);

    m_recent = new QVBoxLayout;
    m_recent->setAlignment(Qt::AlignHCenter);

    outer->addWidget(icon);
    outer->addWidget(title);
    outer->addWidget(hint);
    outer->addSpacing(12);
    outer->addLayout(buttons);
    outer->addSpacing(12);
    outer->addLayout(m_recent);
    outer->addStretch(3);
}

void WelcomeWidget::setRecentFiles(const QStringList &files)
{
    while (QLayoutItem *item = m_recent->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (files.isEmpty())
        return;
    auto *label = new QLabel(tr("Recent"), this);
    label->setEnabled(false);
    m_recent->addWidget(label, 0, Qt::AlignHCenter);
    for (const QString &path : files.mid(0, 5)) {
        auto *link = new QCommandLinkButton(QFileInfo(path).fileName(), QFileInfo(path).absolutePath(), this);
        link->setToolTip(path);
        link->setMinimumWidth(360);
        link->setMaximumWidth(640);
        connect(link, &QCommandLinkButton::clicked, this, [this, path] { Q_EMIT recentRequested(path); });
        m_recent->addWidget(link, 0, Qt::AlignHCenter);
    }
}

void WelcomeWidget::paintEvent(QPaintEvent *)
{
    // A dashed drop zone: the one thing this page asks of the user.
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor c = palette().color(QPalette::PlaceholderText);
    p.setPen(QPen(c, 2, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    const QRect r = rect().adjusted(24, 24, -24, -24);
    p.drawRoundedRect(r, 12, 12);
}

} // namespace mailtrail
