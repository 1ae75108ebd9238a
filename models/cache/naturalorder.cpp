// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/naturalorder.h"

#include "cache/sqlite.h"

#include <sqlite3.h>

namespace mailtrail {

int naturalCompare(std::string_view a, std::string_view b)
{
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            // Two numbers: by value (leading zeros aside), then the shorter spelling first.
            std::size_t ie = i, je = j;
            while (ie < a.size() && digit(a[ie]))
                ++ie;
            while (je < b.size() && digit(b[je]))
                ++je;
            std::size_t is = i, js = j;
            while (is + 1 < ie && a[is] == '0')
                ++is;
            while (js + 1 < je && b[js] == '0')
                ++js;
            if (ie - is != je - js)
                return ie - is < je - js ? -1 : 1;
            if (const int c = a.substr(is, ie - is).compare(b.substr(js, je - js)); c != 0)
                return c;
            if (ie - i != je - j)
                return ie - i < je - j ? -1 : 1;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j])
                return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
            ++i;
            ++j;
        }
    }
    const std::size_t restA = a.size() - i, restB = b.size() - j;
    return restA == restB ? 0 : restA < restB ? -1 : 1;
}

void addNaturalCollation(sql::Database &db)
{
    // Once per connection: SQLite refuses to replace a collation while a statement is running.
    if (sql::Statement(db, "SELECT 1 FROM pragma_collation_list WHERE name = 'mailtrail_natural'").step())
        return;
    const auto compare = [](void *, int lengthA, const void *a, int lengthB, const void *b) {
        return naturalCompare(std::string_view(static_cast<const char *>(a), static_cast<std::size_t>(lengthA)),
                              std::string_view(static_cast<const char *>(b), static_cast<std::size_t>(lengthB)));
    };
    if (sqlite3_create_collation_v2(db.handle(), "mailtrail_natural", SQLITE_UTF8, nullptr, compare, nullptr) != SQLITE_OK)
        db.fail("mailtrail_natural");
}

} // namespace mailtrail
