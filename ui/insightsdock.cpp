// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightsdock.h"

#include "insightnotifier.h"
#include "insightreplay.h"
#include "insightsettings.h"
#include "insightsettingsdialog.h"
#include "insightspane.h"
#include "session.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace mailtrail {

InsightsDock::InsightsDock(Session *session, QWidget *parent)
    : QDockWidget(tr("Insights"), parent)
    , m_session(session)
{
    setObjectName(u"insights"_s);
    m_pane = new InsightsPane(session->insights(), session->insightReplay(), this);
    m_pane->setClock(session->clock());
    setWidget(m_pane);
    m_notifier = new InsightNotifier(session->insights(), this);
    connect(session->insightReplay(), &InsightReplay::liveInsights, m_notifier, &InsightNotifier::notify);
}

void InsightsDock::setFollowing(bool following)
{
    m_notifier->setEnabled(following);
}

void InsightsDock::editThresholds()
{
    InsightSettingsDialog dialog(m_session->insightThresholds(), parentWidget());
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings settings;
    saveInsightThresholds(settings, dialog.thresholds());
    m_session->setInsightThresholds(dialog.thresholds());
}

} // namespace mailtrail
