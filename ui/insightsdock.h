// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>

namespace mailtrail {

class InsightNotifier;
class InsightsPane;
class Session;

// The Insights dock: the pane of what the rules found in the logs on show, the desktop's
// notifications of new ones while following, and Settings › Insights.
class InsightsDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit InsightsDock(Session *session, QWidget *parent = nullptr);

    InsightsPane *pane() const { return m_pane; }
    // New insights are notified while the logs are followed (they come as lines are written).
    void setFollowing(bool following);
    // Settings › Insights: the rules' thresholds, kept and applied when accepted.
    void editThresholds();

private:
    Session *m_session;
    InsightsPane *m_pane;
    InsightNotifier *m_notifier;
};

} // namespace mailtrail
