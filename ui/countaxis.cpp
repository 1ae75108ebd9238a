// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "countaxis.h"

#include <QChart>
#include <QFontMetricsF>
#include <QValueAxis>

#include <algorithm>

namespace mailtrail {

namespace {

// The round steps from 1 up: 1, 2, 5, 10, 20, 25, 50, 100… (2.5 from 25 on: whole numbers).
qint64 nextRoundStep(qint64 step)
{
    qint64 magnitude = 1;
    while (magnitude * 10 <= step)
        magnitude *= 10;
    const qint64 lead = step / magnitude;
    if (lead == 1)
        return 2 * magnitude;
    if (lead == 2)
        return magnitude >= 10 && step == 2 * magnitude ? 25 * magnitude / 10 : 5 * magnitude;
    return 10 * magnitude;
}

} // namespace

CountTicks countTicks(qint64 tallest, int mostIntervals)
{
    if (tallest <= 0)
        return {};
    mostIntervals = std::max(mostIntervals, 1);
    // The top: the next multiple of the coarsest round step that fits five times under the
    // tallest bar (7,300 in steps of 1,000), so never more than a fifth of the tallest over it.
    qint64 fine = 1;
    for (qint64 next = nextRoundStep(fine); next * 5 <= tallest; next = nextRoundStep(next))
        fine = next;
    CountTicks out;
    out.top = (tallest + fine - 1) / fine * fine;
    // The labels: the finest round step of which at most `mostIntervals` reach the top.
    // Never over the top, though: one label above 0 in a chart that has room for no more.
    out.step = 1;
    for (qint64 next = 1; next <= out.top; next = nextRoundStep(next)) {
        out.step = next;
        if ((out.top + next - 1) / next <= mostIntervals)
            break;
    }
    out.ticks = static_cast<int>(out.top / out.step) + 1;
    return out;
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
    // "%.0f", not "%d": with the chart's numbers localized (QChart::localizeNumbers, "12,000"),
    // Qt Charts reads only a format with a precision ("%.0f"); it gave "%d" an empty label, and
    // the axis stood with its lines and no number (trial20).
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setRange(0, static_cast<qreal>(ticks.top));
    // Ticks at 0 and each step's multiple, not spread over the range: the top needs not be one.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(static_cast<qreal>(ticks.step));
    axis->setTickCount(ticks.ticks);
}

} // namespace mailtrail
