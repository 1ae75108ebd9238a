// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mailtrail {

// The writer's side of a dictionary table (relays, dsns: a name; or a pair of values): the
// id of each value, assigned when the value is first written. Values met before cost a hash
// lookup; a new one one INSERT at the table's end. Only the importer writes a dictionary (under
// the import lock): the values a table holds are loaded when the writer starts, and the table
// needs no index of its values, which every new value would update at a random place.
class Dictionary final
{
public:
    // `table` has `id INTEGER PRIMARY KEY` and the NOT NULL columns given, each value once.
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
    std::int64_t insert(std::string_view value, std::string_view second);
    void load(const char *column, const char *second);

    sql::Database &m_db;
    std::string m_table;
    bool m_pair;
    sql::Statement m_insert;
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> m_ids;
    std::string m_key;
};

} // namespace mailtrail
