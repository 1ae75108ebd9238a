// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailtrail {

// The writer's side of a dictionary table (relays, dsns, TLS, verdicts: a name): the id of each
// value, assigned when the value is first met. Values met before cost a hash lookup; a new one
// one INSERT at the table's end. Only the importer writes a dictionary (under the import lock):
// the values a table holds are loaded when the writer starts, and the table needs no index of its
// values, which every new value would update at a random place.
//
// The ids are given on the thread that reads the records (assign(), where their texts are at
// hand), the rows inserted on the writer's (insert()): the new values go from one to the other
// with the batch whose rows use them (takeNew()). id() does both, on one thread, once the writer's
// has ended. The ids are the next after those loaded: no one else may add rows meanwhile, which
// the import lock and one CacheWriter (one Dictionary each) per import ensure.
class Dictionary final
{
public:
    // `table` has `id INTEGER PRIMARY KEY` and the NOT NULL column given, each value once.
    Dictionary(sql::Database &db, const char *table, const char *column);

    // The id of a value; 0 for no value (""). A new value's row is inserted at once.
    std::int64_t id(std::string_view value);
    // The id of a value, a new value's row left for insert() (see takeNew()).
    std::int64_t assign(std::string_view value);
    // The values assign() gave new ids since the last call, moved to `out` (appended).
    using NewValue = std::pair<std::int64_t, std::string>;
    using NewValues = std::vector<std::pair<Dictionary *, NewValue>>;
    void takeNew(NewValues &out);
    // Inserts a value assign() gave its id; touches none of the ids' state that assign() uses (its
    // statement is id()'s too, which runs once the writer has ended).
    void insert(const NewValue &value);
    // Empties the table (every row that used it is being written again).
    void clear();

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    sql::Database &m_db;
    std::string m_table;
    sql::Statement m_insert;
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> m_ids;
    std::int64_t m_nextId = 1;
    std::vector<NewValue> m_new;
};

} // namespace mailtrail
