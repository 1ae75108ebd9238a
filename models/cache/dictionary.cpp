// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/dictionary.h"

namespace mailtrail {

namespace {
std::string insertSql(const std::string &table, const char *column, const char *second)
{
    return "INSERT INTO " + table + "(" + column + (second ? std::string(", ") + second : std::string()) + ") VALUES(?" +
        (second ? ", ?" : "") + ")";
}

} // namespace

Dictionary::Dictionary(sql::Database &db, const char *table, const char *column)
    : m_db(db)
    , m_table(table)
    , m_pair(false)
    , m_insert(db, insertSql(m_table, column, nullptr))
{
    load(column, nullptr);
}

Dictionary::Dictionary(sql::Database &db, const char *table, const char *column, const char *second)
    : m_db(db)
    , m_table(table)
    , m_pair(true)
    , m_insert(db, insertSql(m_table, column, second))
{
    load(column, second);
}

void Dictionary::load(const char *column, const char *second)
{
    sql::Statement st(m_db, "SELECT id, " + std::string(column) + (second ? std::string(", ") + second : std::string()) +
                                " FROM " + m_table);
    while (st.step()) {
        m_key.assign(st.text(1));
        if (second) {
            m_key += '\n';
            m_key += st.text(2);
        }
        m_ids.emplace(m_key, st.int64(0));
    }
}

std::int64_t Dictionary::id(std::string_view value)
{
    if (value.empty())
        return 0;
    if (auto it = m_ids.find(value); it != m_ids.end())
        return it->second;
    return insert(value, {});
}

std::int64_t Dictionary::id(std::string_view value, std::string_view second)
{
    if (value.empty() && second.empty())
        return 0;
    // Neither part holds a line break: log lines end there.
    m_key.assign(value);
    m_key += '\n';
    m_key += second;
    if (auto it = m_ids.find(std::string_view(m_key)); it != m_ids.end())
        return it->second;
    return insert(value, second);
}

std::int64_t Dictionary::insert(std::string_view value, std::string_view second)
{
    m_insert.bind(1, value);
    if (m_pair)
        m_insert.bind(2, second);
    m_insert.run();
    const std::int64_t id = m_db.lastInsertId();
    m_ids.emplace(m_pair ? m_key : std::string(value), id);
    return id;
}

void Dictionary::clear()
{
    m_db.exec(("DELETE FROM " + m_table).c_str());
    m_ids.clear();
}

} // namespace mailtrail
