// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clitable.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

bool isControl(char16_t c)
{
    return (c < 0x20 && c != u'\t') || (c >= 0x7f && c <= 0x9f);
}

QString cut(const QString &s, qsizetype width)
{
    qsizetype keep = width - 1;
    // Not half of a character outside the BMP.
    if (keep > 0 && s.at(keep - 1).isHighSurrogate())
        --keep;
    return s.left(keep) + u'…' + QString(width - 1 - keep, u' ');
}

// A relay too wide: its bracketed address as "[…]", then cut if still too wide.
QString cutRelay(const QString &s, qsizetype width)
{
    const qsizetype open = s.indexOf(u'[');
    const qsizetype close = s.indexOf(u']', open + 1);
    if (open < 0 || close < 0)
        return cut(s, width);
    const QString shorter = s.left(open + 1) + u'…' + s.mid(close);
    return shorter.size() > width ? cut(shorter, width) : shorter.leftJustified(width);
}

} // namespace

std::vector<TableColumn> withHeaders(std::vector<TableColumn> columns, const QStringList &header)
{
    for (TableColumn &c : columns)
        c.width = std::max(c.width, static_cast<int>(header.value(c.field).size()));
    return columns;
}

QString tableLine(const QStringList &fields, const std::vector<TableColumn> &columns)
{
    QString line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const TableColumn &c = columns[i];
        const QString text = visible(fields.value(c.field));
        if (i + 1 == columns.size()) {
            line += text;
            break;
        }
        if (text.size() <= c.width || c.overflow == Overflow::Widen)
            line += text.leftJustified(c.width);
        else
            line += c.overflow == Overflow::Relay ? cutRelay(text, c.width) : cut(text, c.width);
        line += u"  "_s;
    }
    while (line.endsWith(u' '))
        line.chop(1);
    return line;
}

QString visible(const QString &s)
{
    if (std::none_of(s.begin(), s.end(), [](QChar ch) { return isControl(ch.unicode()); }))
        return s;
    QString out;
    out.reserve(s.size() + 8);
    for (QChar ch : s) {
        if (isControl(ch.unicode()))
            out += u"\\x%1"_s.arg(static_cast<unsigned>(ch.unicode()), 2, 16, QChar(u'0'));
        else
            out += ch;
    }
    return out;
}

} // namespace mailtrail::cli
