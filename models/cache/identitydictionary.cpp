// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/identitydictionary.h"

#include "cache/sqlite.h"

#include <sqlite3.h>

#include <new>
#include <string>
#include <vector>

namespace mailtrail::identitydictionary {

namespace {

constexpr const char *ModuleName = "mailtrail_identity";

struct Table : sqlite3_vtab {
    sqlite3 *db = nullptr;
    std::string listSql;
    // Every value, read at the first scan. A cache of an older layout changes only by being
    // migrated, after which the reader drops this table (Cache::followLayout): the list stays true.
    std::vector<std::string> values;
    bool listed = false;
};

struct Cursor : sqlite3_vtab_cursor {
    std::vector<std::string> one;  // the value of a lookup
    const std::vector<std::string> *rows = nullptr;
    std::size_t at = 0;
};

bool isColumnName(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *c = name; *c; ++c) {
        if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
            return false;
    }
    return true;
}

int connect(sqlite3 *db, void *, int argc, const char *const *argv, sqlite3_vtab **out, char **error)
{
    // argv: module, schema, table, then the column of deliveries and attempts that holds the values.
    if (argc != 4 || !isColumnName(argv[3])) {
        *error = sqlite3_mprintf("%s wants the name of one column", ModuleName);
        return SQLITE_ERROR;
    }
    const int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id TEXT, name TEXT)");
    if (rc != SQLITE_OK)
        return rc;
    auto *table = new (std::nothrow) Table;
    if (!table)
        return SQLITE_NOMEM;
    const std::string column = argv[3];
    table->db = db;
    table->listSql = "SELECT " + column + " FROM main.deliveries WHERE " + column + " IS NOT NULL UNION SELECT " + column +
        " FROM main.attempts WHERE " + column + " IS NOT NULL";
    *out = table;
    return SQLITE_OK;
}

int disconnect(sqlite3_vtab *table)
{
    delete static_cast<Table *>(table);
    return SQLITE_OK;
}

int bestIndex(sqlite3_vtab *, sqlite3_index_info *info)
{
    // A lookup by id or by name is the value itself: one row, read from nothing.
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto &c = info->aConstraint[i];
        if (c.usable && c.op == SQLITE_INDEX_CONSTRAINT_EQ && (c.iColumn == 0 || c.iColumn == 1)) {
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 0;  // SQLite checks it again: a value of another type
            info->idxNum = 1;
            info->estimatedCost = 1;
            info->estimatedRows = 1;
            info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
            return SQLITE_OK;
        }
    }
    info->idxNum = 0;
    info->estimatedCost = 1e6;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

int open(sqlite3_vtab *, sqlite3_vtab_cursor **out)
{
    auto *cursor = new (std::nothrow) Cursor;
    if (!cursor)
        return SQLITE_NOMEM;
    *out = cursor;
    return SQLITE_OK;
}

int close(sqlite3_vtab_cursor *cursor)
{
    delete static_cast<Cursor *>(cursor);
    return SQLITE_OK;
}

int list(Table &table)
{
    if (table.listed)
        return SQLITE_OK;
    sqlite3_stmt *st = nullptr;
    int rc = sqlite3_prepare_v2(table.db, table.listSql.c_str(), -1, &st, nullptr);
    std::vector<std::string> values;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
        values.emplace_back(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_OK ? SQLITE_ERROR : rc;
    table.values = std::move(values);
    table.listed = true;
    return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor *base, int idxNum, const char *, int argc, sqlite3_value **argv)
{
    auto *cursor = static_cast<Cursor *>(base);
    cursor->at = 0;
    cursor->one.clear();
    cursor->rows = &cursor->one;
    if (idxNum == 1 && argc == 1) {
        if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
            const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
            cursor->one.emplace_back(text ? text : "", static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
        }
        return SQLITE_OK;
    }
    auto *table = static_cast<Table *>(base->pVtab);
    const int rc = list(*table);
    if (rc != SQLITE_OK)
        return rc;
    cursor->rows = &table->values;
    return SQLITE_OK;
}

int next(sqlite3_vtab_cursor *base)
{
    ++static_cast<Cursor *>(base)->at;
    return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor *base)
{
    const auto *cursor = static_cast<Cursor *>(base);
    return cursor->at >= cursor->rows->size() ? 1 : 0;
}

int column(sqlite3_vtab_cursor *base, sqlite3_context *context, int)
{
    const auto *cursor = static_cast<Cursor *>(base);
    const std::string &value = (*cursor->rows)[cursor->at];
    sqlite3_result_text(context, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *out)
{
    *out = static_cast<sqlite3_int64>(static_cast<Cursor *>(base)->at);
    return SQLITE_OK;
}

sqlite3_module makeModule()
{
    sqlite3_module m{};
    m.iVersion = 0;
    m.xCreate = connect;
    m.xConnect = connect;
    m.xBestIndex = bestIndex;
    m.xDisconnect = disconnect;
    m.xDestroy = disconnect;
    m.xOpen = open;
    m.xClose = close;
    m.xFilter = filter;
    m.xNext = next;
    m.xEof = eof;
    m.xColumn = column;
    m.xRowid = rowid;
    return m;
}

const sqlite3_module Module = makeModule();

} // namespace

void addTo(sql::Database &db)
{
    const int rc = sqlite3_create_module_v2(db.handle(), ModuleName, &Module, nullptr, nullptr);
    if (rc != SQLITE_OK)
        throw sql::Error(std::string("cannot register ") + ModuleName + ": " + sqlite3_errmsg(db.handle()), rc);
}

} // namespace mailtrail::identitydictionary
