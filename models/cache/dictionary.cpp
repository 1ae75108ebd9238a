// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/dictionary.h"

#include <algorithm>

namespace mailtrail {

Dictionary::Dictionary(sql::Database &db, const char *table, const char *column)
    : m_db(db)
    , m_table(table)
    , m_insert(db, "INSERT INTO " + m_table + "(id, " + column + ") VALUES(?, ?)")
{
    sql::Statement st(m_db, "SELECT id, " + std::string(column) + " FROM " + m_table);
    while (st.step()) {
        m_ids.emplace(std::string(st.text(1)), st.int64(0));
        m_nextId = std::max(m_nextId, st.int64(0) + 1);
    }
}

std::int64_t Dictionary::assign(std::string_view value)
{
    if (value.empty())
        return 0;
    if (auto it = m_ids.find(value); it != m_ids.end())
        return it->second;
    const std::int64_t id = m_nextId++;
    m_ids.emplace(std::string(value), id);
    m_new.emplace_back(id, std::string(value));
    return id;
}

std::int64_t Dictionary::id(std::string_view value)
{
    const std::int64_t id = assign(value);
    for (const NewValue &v : m_new)
        insert(v);
    m_new.clear();
    return id;
}

void Dictionary::takeNew(NewValues &out)
{
    for (NewValue &v : m_new)
        out.emplace_back(this, std::move(v));
    m_new.clear();
}

void Dictionary::insert(const NewValue &value)
{
    m_insert.bind(1, value.first).bind(2, std::string_view(value.second));
    m_insert.run();
}

void Dictionary::clear()
{
    m_db.exec(("DELETE FROM " + m_table).c_str());
    m_ids.clear();
    m_new.clear();
    m_nextId = 1;
}

} // namespace mailtrail
