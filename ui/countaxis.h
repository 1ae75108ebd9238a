// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

class QChart;
class QValueAxis;

namespace mailtrail {

// The ticks of an axis of counts: from 0 to `top` in `ticks` whole, round steps (1, 2, 2.5 or 5
// times a power of ten) of which there are at most `mostIntervals`, the top at or over `tallest`
// and the lowest such top.
struct CountTicks {
    qint64 top = 1;
    int ticks = 2;
};
CountTicks countTicks(qint64 tallest, int mostIntervals);

// Sets `axis` (a chart's vertical axis of counts) to whole numbers up to `tallest`, with as many
// ticks as there is height for in `chart`'s plot area: Qt Charts elides a label ("…") when the
// tick spacing is lower than a line of text, which the default five ticks are in a low chart,
// and labels the fractions between small counts ("0 0 1 1 2"). Called again when the plot area
// changes size.
void fitCountAxis(QValueAxis *axis, const QChart *chart, qint64 tallest);

} // namespace mailtrail
