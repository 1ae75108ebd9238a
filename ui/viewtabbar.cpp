// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "viewtabbar.h"

#include <QPainter>

#include <algorithm>

namespace mailtrail {

int ViewTabBar::markHeight() const
{
    return std::max(2, fontMetrics().height() / 10);
}

void ViewTabBar::paintEvent(QPaintEvent *event)
{
    QTabBar::paintEvent(event);
    if (currentIndex() < 0)
        return;
    const QRect tab = tabRect(currentIndex()) & rect();
    QPainter painter(this);
    painter.fillRect(QRect(tab.left() + 1, tab.bottom() - markHeight() + 1, tab.width() - 2, markHeight()),
                     palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::Highlight));
}

} // namespace mailtrail
