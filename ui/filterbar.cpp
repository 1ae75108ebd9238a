// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "filterbar.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
const char *const StatusNames[] = {"sent", "deferred", "bounced", "expired", "rejected", "queued"};
constexpr qint64 Hour = 3600 * 1000;
}

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    m_sender = addField(tr("Sender"), tr("Sender address: a glob such as *@example.com, or any part of it"));
    m_recipient = addField(tr("Recipient"), tr("Recipient or original recipient: a glob or any part of it"));

    m_status = new QToolButton(this);
    m_status->setPopupMode(QToolButton::InstantPopup);
    m_status->setToolTip(tr("Show only these final states"));
    auto *menu = new QMenu(m_status);
    for (const char *name : StatusNames) {
        QAction *a = menu->addAction(QString::fromLatin1(name));
        a->setCheckable(true);
        a->setData(QString::fromLatin1(name));
        connect(a, &QAction::toggled, this, [this] {
            updateStatusButton();
            schedule();
        });
    }
    m_status->setMenu(menu);
    updateStatusButton();

    m_code = addField(tr("Code"), tr("Reply code (550), class (5xx, 4) or enhanced status code (5.1.1, 4.7)"));
    m_code->setMaximumWidth(90);

    m_range = new QComboBox(this);
    m_range->addItem(tr("Whole log"), 0);
    m_range->addItem(tr("Last hour"), Hour);
    m_range->addItem(tr("Last 6 hours"), 6 * Hour);
    m_range->addItem(tr("Last 24 hours"), 24 * Hour);
    m_range->addItem(tr("Last 7 days"), 7 * 24 * Hour);
    m_range->setToolTip(tr("Time range, counted back from the newest line of the log"));
    connect(m_range, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);

    m_text = addField(tr("Search replies, addresses, ids…"), tr("All words must appear in an address, a queue or "
                                                                "Message-ID, a relay or a server's reply"));
    m_text->setMinimumWidth(200);

    m_counts = new QLabel(this);
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(m_sender, 3);
    layout->addWidget(m_recipient, 3);
    layout->addWidget(m_status);
    layout->addWidget(m_code, 1);
    layout->addWidget(m_range);
    layout->addWidget(m_text, 4);
    layout->addWidget(m_counts);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, [this] { Q_EMIT filterChanged(filter()); });
}

QLineEdit *FilterBar::addField(const QString &placeholder, const QString &tip)
{
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    connect(edit, &QLineEdit::textChanged, this, &FilterBar::schedule);
    return edit;
}

void FilterBar::schedule()
{
    m_debounce.start();
}

void FilterBar::updateStatusButton()
{
    QStringList on;
    for (QAction *a : m_status->menu()->actions()) {
        if (a->isChecked())
            on << a->text();
    }
    m_status->setText(on.isEmpty() ? tr("Any status") : on.join(u", "_s));
}

Filter FilterBar::filter() const
{
    Filter f;
    f.sender = m_sender->text().trimmed().toStdString();
    f.recipient = m_recipient->text().trimmed().toStdString();
    f.code = m_code->text().trimmed().toStdString();
    f.text = m_text->text().trimmed().toStdString();
    for (QAction *a : m_status->menu()->actions()) {
        if (a->isChecked())
            f.statuses.push_back(a->data().toString().toStdString());
    }
    const qint64 span = m_range->currentData().toLongLong();
    if (span > 0 && m_latestMs > 0)
        f.sinceMs = m_latestMs - span;
    return f;
}

void FilterBar::setSender(const QString &text)
{
    m_sender->setText(text);
}

void FilterBar::setRecipient(const QString &text)
{
    m_recipient->setText(text);
}

void FilterBar::setCode(const QString &code)
{
    m_code->setText(code);
}

void FilterBar::setStatuses(const QStringList &statuses)
{
    for (QAction *a : m_status->menu()->actions())
        a->setChecked(statuses.contains(a->data().toString()));
}

void FilterBar::clear()
{
    for (QLineEdit *e : {m_sender, m_recipient, m_code, m_text})
        e->clear();
    setStatuses({});
    m_range->setCurrentIndex(0);
}

void FilterBar::focusFirstField()
{
    m_sender->setFocus(Qt::ShortcutFocusReason);
    m_sender->selectAll();
}

void FilterBar::setCounts(qint64 matching, qint64 total, const QString &noun)
{
    const QLocale locale;
    m_counts->setText(tr("%1 of %2 %3").arg(locale.toString(matching), locale.toString(total), noun));
}

} // namespace mailtrail
