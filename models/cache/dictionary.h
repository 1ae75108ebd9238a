// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mailtrail {

// The writer's side of a dictionary table (relays, dsns: a name; clients: a host and an IP): the
// id of each value, assigned when the value is first written. Values met before cost a hash
// lookup; a new one one INSERT. Only the importer writes a dictionary (under the import lock), so
// ids it has not seen are looked up in the table only when the table held rows when it started.
class Dictionary final
{
public:
    // `table` has `id INTEGER PRIMARY KEY` and the NOT NULL, together UNIQUE, columns given.
    Dictionary(sql::Database &db, const char *table, const char *column);
    Dictionary(sql::Database &db, const char *table, const char *column, const char *second);

    // The id of a value; 0 for no value ("", or "" and "").
    std::int64_t id(std::string_view value);
    std::int64_t id(std::string_view value, std::string_view second);
    // Empties the table (every row that used it is being written again).
    void clear();

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::int64_t lookup(std::string_view value, std::string_view second);

    sql::Database &m_db;
    std::string m_table;
    bool m_pair;
    bool m_mayHoldUnseen;  // the table had rows when this writer began
    sql::Statement m_insert, m_select;
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> m_ids;
    std::string m_key;
};

} // namespace mailtrail
