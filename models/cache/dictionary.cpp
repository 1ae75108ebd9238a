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

std::string selectSql(const std::string &table, const char *column, const char *second)
{
    return "SELECT id FROM " + table + " WHERE " + column + " = ?" + (second ? std::string(" AND ") + second + " = ?" : "");
}

bool holdsRows(sql::Database &db, const std::string &table)
{
    sql::Statement st(db, "SELECT 1 FROM " + table + " LIMIT 1");
    return st.step();
}
} // namespace

Dictionary::Dictionary(sql::Database &db, const char *table, const char *column)
    : m_db(db)
    , m_table(table)
    , m_pair(false)
    , m_mayHoldUnseen(holdsRows(db, m_table))
    , m_insert(db, insertSql(m_table, column, nullptr))
    , m_select(db, selectSql(m_table, column, nullptr))
{
}

Dictionary::Dictionary(sql::Database &db, const char *table, const char *column, const char *second)
    : m_db(db)
    , m_table(table)
    , m_pair(true)
    , m_mayHoldUnseen(holdsRows(db, m_table))
    , m_insert(db, insertSql(m_table, column, second))
    , m_select(db, selectSql(m_table, column, second))
{
}

std::int64_t Dictionary::id(std::string_view value)
{
    if (value.empty())
        return 0;
    if (auto it = m_ids.find(value); it != m_ids.end())
        return it->second;
    return lookup(value, {});
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
    return lookup(value, second);
}

std::int64_t Dictionary::lookup(std::string_view value, std::string_view second)
{
    std::int64_t id = 0;
    if (m_mayHoldUnseen) {
        m_select.bind(1, value);
        if (m_pair)
            m_select.bind(2, second);
        if (m_select.step())
            id = m_select.int64(0);
        m_select.reset();
    }
    if (id == 0) {
        m_insert.bind(1, value);
        if (m_pair)
            m_insert.bind(2, second);
        m_insert.run();
        id = m_db.lastInsertId();
    }
    m_ids.emplace(m_pair ? m_key : std::string(value), id);
    return id;
}

void Dictionary::clear()
{
    m_db.exec(("DELETE FROM " + m_table).c_str());
    m_ids.clear();
    m_mayHoldUnseen = false;
}

} // namespace mailtrail
