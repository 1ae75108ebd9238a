// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/logformat.h"

#include <span>
#include <string>
#include <string_view>

namespace mailtrail {

// The formats Mailtrail reads, and which one a file is written in.
class FormatRegistry
{
public:
    // The lowest detect() score that names a format.
    static constexpr int MinScore = 10;
    // How much of the start of a file detection reads.
    static constexpr std::size_t HeadBytes = 64 * 1024;

    static std::span<const LogFormat *const> all();
    // By name ("postfix"), ignoring case; nullptr when there is none.
    static const LogFormat *find(std::string_view name);
    // The format of the head of a file (its first lines, up to 1000 of them in HeadBytes; a line
    // cut off by the end of head is ignored): the highest score of at least MinScore, nullptr
    // when none scores that much.
    static const LogFormat *detect(std::string_view head);
    // "Postfix, Exim, Sendmail": what "not a mail log" messages name as supported.
    static std::string titles();
    // Of a head detect() names no format for: the mail log it is all the same, in a format
    // Mailtrail does not read ("a qmail log", "an Exchange message-tracking log"), so that it is
    // not called "not a mail log"; empty when it is none of them either.
    static std::string unsupported(std::string_view head);
};

} // namespace mailtrail
