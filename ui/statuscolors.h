// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>
#include <QStringView>

namespace mailtrail {

// Outcome colours that read on light and dark palettes alike: the same hues, lighter on dark.
// `status` is a MessageState / DeliveryStatus value (both number the names alike).
QColor statusColor(int status, const QPalette &palette);
// Colour for a reply code class: 2xx good, 4xx temporary, 5xx permanent.
QColor replyClassColor(int replyCode, const QPalette &palette);
// The class of a Code cell (2, 4, 5; 0 for none): the reply code's, else the enhanced status
// code's its text starts with ("5.7.1", as a log without reply codes gives it).
int codeClass(int replyCode, QStringView shown);
bool isDarkPalette(const QPalette &palette);

} // namespace mailtrail
