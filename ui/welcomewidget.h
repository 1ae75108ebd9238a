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
    // The dashed frame the page is drawn in; everything on it stays inside.
    QRect dropFrame() const;
    // The Recent entries shown: as many as fit whole within the frame.
    QList<QWidget *> recentShown() const;

Q_SIGNALS:
    void openRequested();
    void sampleRequested();
    void recentRequested(const QString &path);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // Hides the Recent entries that would not fit at their full height: squeezed, their path
    // line was cut through its glyphs and the last one ran over the frame.
    void fitRecent();

    QVBoxLayout *m_recent;
    QList<QWidget *> m_links;
};

} // namespace mailtrail
