// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string_view>

namespace mailtrail {

// Which parser reads a file.
enum class LogFormat : std::uint8_t {
    Unknown = 0,
    Postfix = 1,
    // Exim, Sendmail, Exchange message tracking... follow.
};

// Guesses the format from the start of a file (the first lines of up to ~64 KB are read; a line
// cut off by the end of head is ignored). Postfix when a good share of the syslog lines (at least
// one in ten, and one at the least) come from Postfix programs: mail.log also carries dovecot,
// opendkim or amavis lines.
LogFormat detectFormat(std::string_view head);

// Lower-case name, "postfix" or "unknown"; the importer stores it, so names never change.
const char *formatName(LogFormat format);

} // namespace mailtrail
