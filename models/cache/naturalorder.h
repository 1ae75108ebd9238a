// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>

namespace mailtrail {

namespace sql {
class Database;
}

// Text with its numbers compared by value: "192.0.2.9" before "192.0.2.10", "mx2" before "mx10".
// Byte order elsewhere. Top lists break ties of their counts this way, so that the rows kept at a
// list's cut are the first of those the reader sees in order.
int naturalCompare(std::string_view a, std::string_view b);
inline bool naturalLess(std::string_view a, std::string_view b)
{
    return naturalCompare(a, b) < 0;
}

// The same order as the collation "mailtrail_natural" (NATURAL is a keyword) on this connection, for ORDER BY … LIMIT.
void addNaturalCollation(sql::Database &db);

} // namespace mailtrail
