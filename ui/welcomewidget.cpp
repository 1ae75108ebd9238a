// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomewidget.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

WelcomeWidget::WelcomeWidget(QWidget *parent)
    : QWidget(parent)
{
    setAcceptDrops(false);  // the main window takes the drop
    auto *outer = new QVBoxLayout(this);
    // Within the dashed frame (dropFrame()), with room to spare.
    outer->setContentsMargins(32, 32, 32, 32);
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
    m_links.clear();
    if (files.isEmpty())
        return;
    auto *label = new QLabel(tr("Recent"), this);
    label->setEnabled(false);
    m_recent->addWidget(label, 0, Qt::AlignHCenter);
    for (const QString &path : files.mid(0, 5)) {
        auto *link = new QCommandLinkButton(QFileInfo(path).fileName(), QFileInfo(path).absolutePath(), this);
        link->setToolTip(path);
        link->setMinimumWidth(360);
        // Never squeezed below its height: fitRecent() hides it instead. Its own minimum would
        // make the window's; the layout gives it its full height whenever it is shown. Its
        // size hint, not a height for its width: the layout squeezed those to the name alone.
        link->setMinimumHeight(1);
        QSizePolicy policy = link->sizePolicy();
        policy.setHeightForWidth(false);
        link->setSizePolicy(policy);
        link->setMaximumWidth(640);
        connect(link, &QCommandLinkButton::clicked, this, [this, path] { Q_EMIT recentRequested(path); });
        m_recent->addWidget(link, 0, Qt::AlignHCenter);
        m_links << link;
    }
    fitRecent();
}

QRect WelcomeWidget::dropFrame() const
{
    return rect().adjusted(24, 24, -24, -24);
}

QList<QWidget *> WelcomeWidget::recentShown() const
{
    QList<QWidget *> shown;
    for (QWidget *link : m_links)
        if (!link->isHidden())
            shown << link;
    return shown;
}

void WelcomeWidget::fitRecent()
{
    if (m_links.isEmpty())
        return;
    for (QWidget *link : std::as_const(m_links))
        link->setHidden(false);
    if (QWidget *heading = m_recent->itemAt(0)->widget())
        heading->setHidden(false);
    // The page at its preferred height (stretches take none), less what does not fit: the
    // oldest entries go first.
    // Measured again after each: the Recent layout keeps its size hint until it is invalidated
    // itself, and would go on counting the entries hidden.
    const auto need = [this] {
        m_recent->invalidate();
        layout()->invalidate();
        return layout()->totalSizeHint().height();
    };
    for (qsizetype i = m_links.size() - 1; i >= 0 && need() > height(); --i)
        m_links.at(i)->setHidden(true);
    // "Recent" over nothing would be a heading for a list that is not there.
    if (QWidget *heading = m_recent->itemAt(0)->widget())
        heading->setHidden(recentShown().isEmpty());
    // Laid out now, not when the event loop comes round: a picture taken at once shows them.
    m_recent->invalidate();
    layout()->activate();
}

void WelcomeWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitRecent();
}

void WelcomeWidget::paintEvent(QPaintEvent *)
{
    // A dashed drop zone: the one thing this page asks of the user.
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor c = palette().color(QPalette::PlaceholderText);
    p.setPen(QPen(c, 2, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(dropFrame(), 12, 12);
}

} // namespace mailtrail
