// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "insights/insight.h"

#include <QDialog>

class QDoubleSpinBox;
class QSpinBox;

namespace mailtrail {

// Settings > Insights: the thresholds of the rules. The caller stores them (QSettings, read by
// mailtrail-cli too) and replays the insights with them.
class InsightSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InsightSettingsDialog(const InsightThresholds &thresholds, QWidget *parent = nullptr);

    InsightThresholds thresholds() const;
    void setThresholds(const InsightThresholds &t);

private:
    QSpinBox *m_failureWindow, *m_failureMinimum, *m_deferring, *m_burstWindow, *m_authBurst, *m_rejectBurst,
        *m_queueWindow, *m_queueMinimum, *m_silence, *m_silenceAfter;
    QDoubleSpinBox *m_failureShare;
};

} // namespace mailtrail
