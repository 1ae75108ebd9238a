// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QList>
#include <QPalette>
#include <QStringList>

namespace mailtrail {

// The colour of a reply code ("451") or an enhanced code ("4.4.1") in the chart: a shade of its
// class's hue family, a function of the code alone (the same in every filter), in this palette.
QColor codeColor(const QString &code, const QPalette &palette);
// The colours of codes shown at once, in their order: each its codeColor(), unless a code of its
// class before it in the list (or one with a shade of its own) has that shade: then the next one
// free of its class, so that no two codes on show look alike.
QList<QColor> codeColors(const QStringList &codes, const QPalette &palette);
// The chart's "Delivered, no code" (by reply code): a shade of the 2xx family of its own.
QColor deliveredWithoutCodeColor(const QPalette &palette);

} // namespace mailtrail
