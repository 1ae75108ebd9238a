// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace mailtrail {

class MainWindow;

// `mailtrail --screenshot FILE.png [LOG…]`: waits until the import has finished, selects the first
// message and waits for its detail (on the Summary, for its numbers; with `incidents`, then opens
// the list of the SASL failures and pictures it instead), saves a picture of the window and quits. Lets the window be checked on a machine without a display
// (QT_QPA_PLATFORM=offscreen).
class Screenshot : public QObject
{
    Q_OBJECT
public:
    Screenshot(MainWindow *window, QString path, bool waitForImport, bool incidents = false);

private:
    void selectFirst();
    void openIncidents();
    void capture();

    MainWindow *m_window;
    QWidget *m_shot = nullptr;  // what is pictured: the window, or the list of incidents
    bool m_incidents = false;
    QString m_path;
    bool m_captured = false;
};

} // namespace mailtrail
