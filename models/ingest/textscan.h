// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <charconv>
#include <string_view>
#include <system_error>

// The small scanning steps the line parsers share: ASCII classes (log fields are ASCII, and
// <cctype> depends on the locale), taking a known prefix, and reading a whole field as a number.
namespace mailtrail::textscan {

using Text = std::string_view;
constexpr auto npos = Text::npos;

constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }

// Removes `prefix` from the front of `s` when it is there.
inline bool consume(Text &s, Text prefix)
{
    if (!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

// The whole of `s` as a number; `fallback` when any of it is not.
template<typename T>
T toNumber(Text s, T fallback)
{
    T value{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && ptr == s.data() + s.size() ? value : fallback;
}

} // namespace mailtrail::textscan
