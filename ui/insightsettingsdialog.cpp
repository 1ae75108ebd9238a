// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightsettingsdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
constexpr std::int64_t Minute = 60 * 1000;

QSpinBox *spin(int max, const QString &suffix, const QString &name)
{
    auto *s = new QSpinBox;
    s->setRange(0, max);
    s->setSuffix(suffix);
    s->setObjectName(name);
    return s;
}
} // namespace

InsightSettingsDialog::InsightSettingsDialog(const InsightThresholds &thresholds, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Insights"));
    const QString min = tr(" min"), hours = tr(" h");
    m_failureWindow = spin(24 * 60, min, u"failureWindow"_s);
    m_failureMinimum = spin(100000, {}, u"failureMinimum"_s);
    m_failureShare = new QDoubleSpinBox;
    m_failureShare->setObjectName(u"failureShare"_s);
    m_failureShare->setRange(1, 100);
    m_failureShare->setDecimals(0);
    m_failureShare->setSuffix(u" %"_s);
    m_deferring = spin(7 * 24 * 60, min, u"deferring"_s);
    m_burstWindow = spin(24 * 60, min, u"burstWindow"_s);
    m_authBurst = spin(100000, {}, u"authFailureBurst"_s);
    m_rejectBurst = spin(100000, {}, u"rejectBurst"_s);
    m_queueWindow = spin(24 * 60, min, u"queueWindow"_s);
    m_queueMinimum = spin(100000, {}, u"queueMinimum"_s);
    m_silence = spin(7 * 24, hours, u"silence"_s);
    m_silenceAfter = spin(100000, {}, u"silenceAfterDeliveries"_s);
    for (QSpinBox *s : {m_failureWindow, m_burstWindow, m_queueWindow, m_silence, m_authBurst, m_rejectBurst})
        s->setMinimum(1);

    auto *form = new QFormLayout;
    form->addRow(tr("Bounced or deferred share above"), m_failureShare);
    form->addRow(tr("… of at least (recipients)"), m_failureMinimum);
    form->addRow(tr("… within"), m_failureWindow);
    form->addRow(tr("A destination deferring for longer than"), m_deferring);
    form->addRow(tr("SASL failures from one IP or network, at least"), m_authBurst);
    form->addRow(tr("Refused messages and postscreen drops from one IP or network, at least"), m_rejectBurst);
    form->addRow(tr("… within"), m_burstWindow);
    form->addRow(tr("Queue growing: deferred outnumber delivered, at least"), m_queueMinimum);
    form->addRow(tr("… within"), m_queueWindow);
    form->addRow(tr("No delivery for"), m_silence);
    form->addRow(tr("… after at least (deliveries)"), m_silenceAfter);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setThresholds(InsightThresholds{}); });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setThresholds(thresholds);
}

void InsightSettingsDialog::setThresholds(const InsightThresholds &t)
{
    m_failureWindow->setValue(static_cast<int>(t.failureWindowMs / Minute));
    m_failureMinimum->setValue(t.failureMinimum);
    m_failureShare->setValue(t.failureShare * 100);
    m_deferring->setValue(static_cast<int>(t.deferringMs / Minute));
    m_burstWindow->setValue(static_cast<int>(t.burstWindowMs / Minute));
    m_authBurst->setValue(t.authFailureBurst);
    m_rejectBurst->setValue(t.rejectBurst);
    m_queueWindow->setValue(static_cast<int>(t.queueWindowMs / Minute));
    m_queueMinimum->setValue(t.queueMinimum);
    m_silence->setValue(static_cast<int>(t.silenceMs / (60 * Minute)));
    m_silenceAfter->setValue(t.silenceAfterDeliveries);
}

InsightThresholds InsightSettingsDialog::thresholds() const
{
    InsightThresholds t;
    t.failureWindowMs = m_failureWindow->value() * Minute;
    t.failureMinimum = m_failureMinimum->value();
    t.failureShare = m_failureShare->value() / 100;
    t.deferringMs = m_deferring->value() * Minute;
    t.burstWindowMs = m_burstWindow->value() * Minute;
    t.authFailureBurst = m_authBurst->value();
    t.rejectBurst = m_rejectBurst->value();
    t.queueWindowMs = m_queueWindow->value() * Minute;
    t.queueMinimum = m_queueMinimum->value();
    t.silenceMs = m_silence->value() * 60 * Minute;
    t.silenceAfterDeliveries = m_silenceAfter->value();
    return t;
}

} // namespace mailtrail
