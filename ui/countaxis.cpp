// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "countaxis.h"

#include <QChart>
#include <QFontMetricsF>
#include <QValueAxis>

#include <algorithm>

namespace mailtrail {

CountTicks countTicks(qint64 tallest, int mostIntervals)
{
    if (tallest <= 0)
        return {};
    mostIntervals = std::max(mostIntervals, 1);
    // Of the round steps (1, 2, 2.5 and 5 times a power of ten, 2.5 from 25 on: whole numbers),
    // the one whose top stands nearest over the tallest bar: 25 for bars of 24 in a low chart,
    // where 1, 2, 5 alone went to 50.
    CountTicks best;
    best.top = -1;
    for (qint64 magnitude = 1;; magnitude *= 10) {
        for (const int quarters : {4, 8, 10, 20}) {
            if (quarters == 10 && magnitude < 10)
                continue;
            const qint64 step = quarters * magnitude / 4;
            const qint64 intervals = (tallest + step - 1) / step;
            if (intervals <= mostIntervals && (best.top < 0 || intervals * step < best.top))
                best = {intervals * step, static_cast<int>(intervals) + 1};
        }
        if (magnitude > tallest)
            return best;
    }
}

void fitCountAxis(QValueAxis *axis, const QChart *chart, qint64 tallest)
{
    // Qt Charts gives each label the plot's height divided by the number of ticks, less a padding
    // above and below (a few pixels each; 4 is on the safe side of Qt 6.8's).
    const qreal line = QFontMetricsF(axis->labelsFont()).height() + 2 * 4;
    const qreal height = chart->plotArea().height();
    // Before the first layout the plot area is empty: five intervals, until it is laid out.
    const int fit = height > 0 ? static_cast<int>(height / line) : 6;
    const CountTicks ticks = countTicks(tallest, std::min(fit, 6) - 1);
    axis->setLabelFormat(QStringLiteral("%d"));
    axis->setRange(0, static_cast<qreal>(ticks.top));
    axis->setTickCount(ticks.ticks);
}

} // namespace mailtrail
