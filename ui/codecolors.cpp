// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "codecolors.h"

#include "statuscolors.h"

#include <array>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

// A code's colour is a function of the code alone, never of its column: 451 kept the deferrals'
// amber only when it was the first of its class on show, and turned another shade when the chart
// was narrowed to it. Each class has eight shades of its hue family (its status colour, a darker,
// a lighter, neighbouring hues), chosen at least 50 apart in RGB from one another and from the
// other families, "Other" and "No reply", in both palettes. The codes a mail server says most
// have their own shade, apart from the codes they are seen with; any other code takes one by a
// hash of its text, the same in every filter and every session, unless a code on show with it
// has that shade already (5.4.4 took 5.1.1's, trial22): then the next one free (codeColors()).
constexpr int Shades = 8;
constexpr QRgb LightShades[3][Shades] = {
    {0x1e8a45, 0x08461f, 0x66c17a, 0x2a9d8f, 0x24d921, 0x54a619, 0x21b7d9, 0x21d967},   // 2xx
    {0xb36b00, 0x6e4100, 0xe6a817, 0x9a9a1a, 0xa68d5b, 0xccd921, 0xd9cc77, 0x6d731d},   // 4xx
    {0xc8232c, 0x7d0f16, 0xec7a80, 0xa8325e, 0x7b2d8e, 0xd9218c, 0xbf699b, 0xd95757}};  // 5xx
constexpr QRgb DarkShades[3][Shades] = {
    {0x4fd17f, 0x1f8a50, 0xa8ecbd, 0x4fc1b8, 0x34f230, 0x66bf26, 0x218da6, 0x30f2c8},
    {0xf6b73c, 0xb8740f, 0xffe28a, 0xd4d45a, 0x8c8846, 0xd99f6c, 0xf2f230, 0x8c501c},
    {0xff6b6b, 0xc23b3b, 0xffb3b3, 0xe0558f, 0xa66c89, 0x8c1c41, 0xf23061, 0xa63a70}};

// The codes with a shade of their own; -1 for the others.
int knownShade(const QString &code)
{
    struct Known {
        const char16_t *code;
        int shade;
    };
    // The usual companions in one log stand apart: 450/451/421, 550/554/504 and their enhanced
    // codes 4.4.1/4.7.1/4.2.0/4.1.8, 5.1.1/5.7.1/5.2.2/5.5.2.
    static constexpr Known known[] = {
        {u"250", 0}, {u"2.0.0", 0}, {u"251", 2}, {u"2.6.0", 2}, {u"252", 1}, {u"2.1.5", 1},
        {u"451", 0}, {u"4.4.1", 0}, {u"421", 1}, {u"4.2.0", 1}, {u"450", 2}, {u"4.7.1", 2}, {u"452", 3}, {u"4.1.8", 3},
        {u"550", 0}, {u"5.1.1", 0}, {u"554", 1}, {u"5.7.1", 1}, {u"553", 2}, {u"5.2.2", 2}, {u"504", 3}, {u"5.5.2", 3},
    };
    for (const Known &k : known)
        if (code == QStringView(k.code))
            return k.shade;
    return -1;
}

int shadeOf(const QString &code)
{
    if (const int known = knownShade(code); known >= 0)
        return known;
    // FNV-1a: qHash is seeded per process, and the colour must not change between sessions.
    quint32 hash = 2166136261u;
    for (const QChar c : code)
        hash = (hash ^ c.unicode()) * 16777619u;
    return static_cast<int>(hash % Shades);
}

// 0, 1, 2 for a code of class 2, 4, 5; -1 for anything else.
int familyOf(const QString &code)
{
    const int cls = code.isEmpty() ? 0 : code.at(0).digitValue();
    return cls == 2 ? 0 : cls == 4 ? 1 : cls == 5 ? 2 : -1;
}

QColor shadeColor(int family, int shade, const QPalette &palette)
{
    return QColor::fromRgb(isDarkPalette(palette) ? DarkShades[family][shade] : LightShades[family][shade]);
}

} // namespace

QColor codeColor(const QString &code, const QPalette &palette)
{
    const int family = familyOf(code);
    if (family < 0)
        return palette.color(QPalette::Mid);
    return shadeColor(family, shadeOf(code), palette);
}

QList<QColor> codeColors(const QStringList &codes, const QPalette &palette)
{
    QList<QColor> colours(codes.size());
    std::array<std::array<bool, Shades>, 3> taken{};
    // The codes of a shade of their own first: another code never takes theirs.
    for (qsizetype i = 0; i < codes.size(); ++i) {
        const int family = familyOf(codes[i]);
        const int shade = knownShade(codes[i]);
        if (family >= 0 && shade >= 0 && !taken[family][shade]) {
            taken[family][shade] = true;
            colours[i] = shadeColor(family, shade, palette);
        }
    }
    for (qsizetype i = 0; i < codes.size(); ++i) {
        if (colours[i].isValid())
            continue;
        const int family = familyOf(codes[i]);
        if (family < 0) {
            colours[i] = palette.color(QPalette::Mid);
            continue;
        }
        int shade = shadeOf(codes[i]);
        for (int step = 0; step < Shades && taken[family][shade]; ++step)
            shade = (shade + 1) % Shades;
        taken[family][shade] = true;  // more codes of a class than shades: the last ones share
        colours[i] = shadeColor(family, shade, palette);
    }
    return colours;
}

QColor deliveredWithoutCodeColor(const QPalette &palette)
{
    // A light green, the shade of 251/2.6.0: no code on show takes it as well (ChartView::columnColors()).
    return shadeColor(0, 2, palette);
}

} // namespace mailtrail
