// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

class QChart;
class QValueAxis;

namespace mailtrail {

// The scale of an axis of counts: from 0 to `top`, a round number just over `tallest` (the
// tallest bar over four fifths of the height or more: 8,000 for 7,300, 350 for 333, 120 for 104),
// labelled at whole, round steps (1, 2, 2.5 or 5 times a power of ten) of which there are at most
// `mostIntervals` up to the top. The top is labelled only when it is a step's multiple: an axis up
// to the next labelled step (10,000 for 7,300) left the bars a bit over two thirds of the chart.
struct CountTicks {
    qint64 top = 1;
    qint64 step = 1;
    int ticks = 2;  // labelled, from 0: 0, step, 2 step… up to the top
};
CountTicks countTicks(qint64 tallest, int mostIntervals);

// Sets `axis` (a chart's vertical axis of counts) to whole numbers up to `tallest` (countTicks), with
// as many ticks as there is height for in `chart`'s plot area: Qt Charts elides a label ("…") when the
// tick spacing is lower than a line of text, which the default five ticks are in a low chart,
// and labels the fractions between small counts ("0 0 1 1 2"). Called again when the plot area
// changes size.
void fitCountAxis(QValueAxis *axis, const QChart *chart, qint64 tallest);

} // namespace mailtrail
