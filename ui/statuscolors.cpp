// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "statuscolors.h"

namespace mailtrail {

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

namespace {
// Breeze's positive/neutral/negative text colours for light, and their tints for dark.
QColor pick(bool dark, QRgb light, QRgb onDark)
{
    return QColor::fromRgb(dark ? onDark : light);
}
} // namespace

QColor statusColor(int status, const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    switch (status) {
    case 1: return pick(dark, 0x1e8a45, 0x4fd17f);  // sent
    case 2: return pick(dark, 0xb36b00, 0xf6b73c);  // deferred
    case 3: return pick(dark, 0xc8232c, 0xff6b6b);  // bounced
    case 4: return pick(dark, 0x8e2c6e, 0xe58fd0);  // expired
    // Refused at the door, not returned: violet, far from the bounces' red and from every other
    // status also to red-green colour-blind eyes (an orange-red read as the bounces' red, and as
    // the deferrals' amber to a deuteranope).
    case 5: return pick(dark, 0x4527a0, 0x7c6cff);  // rejected
    case 7: return pick(dark, 0x2980b9, 0x5dade2);  // held: waits for someone, as Breeze's information blue
    case 10: return pick(dark, 0x1e8a45, 0x4fd17f);  // deliverable (a probe): as sent
    case 11: return pick(dark, 0xc8232c, 0xff6b6b);  // undeliverable (a probe): as bounced
    default: return palette.color(QPalette::PlaceholderText);  // queued, abandoned, discarded, deleted
    }
}

QColor replyClassColor(int replyCode, const QPalette &palette)
{
    if (replyCode >= 200 && replyCode < 300)
        return statusColor(1, palette);
    if (replyCode >= 400 && replyCode < 500)
        return statusColor(2, palette);
    if (replyCode >= 500 && replyCode < 600)
        return statusColor(3, palette);
    return palette.color(QPalette::Text);
}

int codeClass(int replyCode, QStringView shown)
{
    if (replyCode > 0)
        return replyCode / 100;
    // RFC 3463: class "." subject "." detail, the class 2, 4 or 5.
    const QStringView code = shown.trimmed();
    if (code.size() < 5 || code[1] != u'.' || !code[2].isDigit())
        return 0;
    const int cls = code[0].digitValue();
    return cls == 2 || cls == 4 || cls == 5 ? cls : 0;
}

} // namespace mailtrail
