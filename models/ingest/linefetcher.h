// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

struct LineLocation {
    std::string path;
    std::uint64_t offset = 0;
};

// Re-reads raw lines by byte offset: the cache stores where a message's lines are, not the lines.
// Plain files seek; compressed ones are inflated once up to the last wanted offset. A line that
// cannot be read any more (file moved or rewritten) comes back empty with ok=false.
struct FetchedLine {
    std::string text;
    bool ok = false;
};

std::vector<FetchedLine> fetchLines(const std::vector<LineLocation> &where);

} // namespace mailtrail
