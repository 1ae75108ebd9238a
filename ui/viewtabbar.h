// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTabBar>

namespace mailtrail {

// The window's view tabs (Messages, Deliveries, Summary) with the current one marked by a line in
// the highlight colour along its lower edge, as Breeze marks it. Fusion and other styles tell the
// current tab apart by a shade of the window colour only: in a dark palette rgb(33,36,39) against
// rgb(30,32,35), which a user does not see.
class ViewTabBar : public QTabBar
{
    Q_OBJECT
public:
    using QTabBar::QTabBar;

    // The line's height in pixels: a tenth of a line of text, at least 2.
    int markHeight() const;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace mailtrail
