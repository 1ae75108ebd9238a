// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

namespace mailtrail {

class InsightModel;

// A desktop notification per new insight while following, through KDE Frameworks' KNotification
// when Mailtrail is built with it (the desktop's settings for Mailtrail's "insight" event apply),
// else the freedesktop notification service on the session bus. Without a session bus (offscreen,
// a bare X server) it says nothing: the Insights pane lists them anyway.
class InsightNotifier : public QObject
{
    Q_OBJECT
public:
    explicit InsightNotifier(InsightModel *model, QObject *parent = nullptr);

    void setEnabled(bool on) { m_enabled = on; }
    // Rows of the model that are new: each insight not notified of yet is, once.
    void notify(int first, int last);
    // How many notifications were asked for (tests: the service may not be there to ask).
    int notified() const { return m_notified; }

private:
    InsightModel *m_model;
    bool m_enabled = false;
    int m_notified = 0;
    QSet<QString> m_seen;  // kind, subject and time of each insight notified of
};

} // namespace mailtrail
