// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
}

// Lines of a program that is not one of its log format's own (dovecot, amavis, opendkim in a
// Postfix mail.log): counted by program, not as lines not understood.
struct ProgramLines {
    std::string program;
    std::uint64_t lines = 0;
};
using ProgramCounts = std::vector<ProgramLines>;

namespace fileprograms {

// The table, for the migration (schema.cpp) and, as TEMP, for an older cache read as it is.
constexpr const char *Columns = "file_programs(file_id INTEGER NOT NULL, program TEXT NOT NULL, "
                                "lines INTEGER NOT NULL, PRIMARY KEY(file_id, program)) WITHOUT ROWID";

// Adds the counts of one import of a file to what the cache holds for it (an appended log adds
// to its counts); `replace` first drops them (the log read again from its start).
void save(sql::Database &db, std::int64_t fileId, const ProgramCounts &counts, bool replace);
// The counts of one file, most lines first.
ProgramCounts read(sql::Database &db, std::int64_t fileId);
// Of every file, by file id.
std::map<std::int64_t, ProgramCounts> readAll(sql::Database &db);

// The name the lines of programs past the first 64 of a file are counted under.
constexpr std::string_view OthersName = "(more programs)";

// Adds one line of `program` (the hot path: a few programs per log, looked up linearly).
void count(ProgramCounts &counts, std::string_view program);
// Most lines first, then by name.
void sort(ProgramCounts &counts);

} // namespace fileprograms

} // namespace mailtrail
