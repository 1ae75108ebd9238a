// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/addresspattern.h"

namespace mailtrail {

AddressPattern AddressPattern::of(std::string_view p)
{
    while (!p.empty() && p.front() == ' ')
        p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ')
        p.remove_suffix(1);
    const bool bracketed = p.size() >= 2 && p.front() == '<' && p.back() == '>';
    if (bracketed)
        p = p.substr(1, p.size() - 2);
    AddressPattern out;
    out.text = std::string(p);
    if (p.find_first_of("*?") != std::string_view::npos)
        out.kind = Kind::Glob;
    else if (bracketed)
        out.kind = p.empty() ? Kind::Null : Kind::Exact;
    else
        out.kind = p.empty() ? Kind::None : Kind::Substring;
    return out;
}

} // namespace mailtrail
