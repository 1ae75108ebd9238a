// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QVBoxLayout;

namespace mailtrail {

// What an empty window shows: where to drop logs, and buttons to open some.
class WelcomeWidget : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomeWidget(QWidget *parent = nullptr);
    void setRecentFiles(const QStringList &files);

Q_SIGNALS:
    void openRequested();
    void sampleRequested();
    void recentRequested(const QString &path);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QVBoxLayout *m_recent;
};

} // namespace mailtrail
