// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cachelayout.h"

#include "schema.h"
#include "sqlite.h"

#include <sys/stat.h>

namespace mailtrail {

bool cacheNeedsMigration(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0)
        return false;
    try {
        sql::Database db;
        db.open(path, true);
        sql::Statement version(db, "PRAGMA user_version");
        // 0: not a cache of any build yet (or not a cache); 1: the development builds' layout,
        // which is refused: open() creates, refuses or moves those aside at once.
        return version.step() && version.integer(0) >= 2 && version.integer(0) < schema::CurrentVersion;
    } catch (const sql::Error &) {
        return false;
    }
}

} // namespace mailtrail
