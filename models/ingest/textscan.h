// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <charconv>
#include <string_view>
#include <system_error>

// The small scanning steps the line parsers (Postfix, Exim, Sendmail) share: ASCII classes (log
// fields are ASCII, and <cctype> depends on the locale), taking a known prefix or brackets, and
// reading numbers, either the number a field starts with or a field that is wholly one.
namespace mailtrail::textscan {

using Text = std::string_view;
constexpr auto npos = Text::npos;

constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool isAlpha(char c) { return isLower(c) || isUpper(c); }
constexpr bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }
constexpr bool isUpperHex(char c) { return isDigit(c) || (c >= 'A' && c <= 'F'); }

// The first position at or after `from` whose character is one of `set`, or whose character is
// not (findNotOf); npos when there is none. What Text::find_first_of and find_first_not_of
// answer, without their cost on the short fields of a log line: they call memchr on the set once
// for each character they pass.
constexpr std::size_t findOf(Text s, Text set, std::size_t from = 0)
{
    for (std::size_t i = from; i < s.size(); ++i) {
        for (const char c : set) {
            if (s[i] == c)
                return i;
        }
    }
    return npos;
}
constexpr std::size_t findNotOf(Text s, Text set, std::size_t from = 0)
{
    for (std::size_t i = from; i < s.size(); ++i) {
        bool in = false;
        for (const char c : set)
            in = in || s[i] == c;
        if (!in)
            return i;
    }
    return npos;
}

// Removes `prefix` from the front of `s` when it is there.
inline bool consume(Text &s, Text prefix)
{
    if (!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

// "<a@b>" -> "a@b"; anything not wrapped in angle brackets as it is.
constexpr Text unbracket(Text t)
{
    return t.size() >= 2 && t.front() == '<' && t.back() == '>' ? t.substr(1, t.size() - 2) : t;
}

// The number `s` starts with, whatever follows it ("12s" -> 12); `fallback` when it starts with none.
template<typename T>
T leadingNumber(Text s, T fallback)
{
    T value{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() ? value : fallback;
}

// The whole of `s` as a number; `fallback` when any of it is not.
template<typename T>
T wholeNumber(Text s, T fallback)
{
    T value{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && ptr == s.data() + s.size() ? value : fallback;
}

} // namespace mailtrail::textscan
