// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/fileprograms.h"

#include "cache/sqlite.h"

#include <algorithm>

namespace mailtrail::fileprograms {

void save(sql::Database &db, std::int64_t fileId, const ProgramCounts &counts, bool replace)
{
    if (replace)
        sql::Statement(db, "DELETE FROM file_programs WHERE file_id = ?").bind(1, fileId).run();
    if (counts.empty())
        return;
    sql::Statement add(db, "INSERT INTO file_programs(file_id, program, lines) VALUES(?,?,?) "
                           "ON CONFLICT(file_id, program) DO UPDATE SET lines = lines + excluded.lines");
    for (const ProgramLines &p : counts) {
        add.bind(1, fileId).bind(2, std::string_view(p.program)).bind(3, static_cast<std::int64_t>(p.lines));
        add.run();
    }
}

ProgramCounts read(sql::Database &db, std::int64_t fileId)
{
    ProgramCounts counts;
    sql::Statement st(db, "SELECT program, lines FROM file_programs WHERE file_id = ? ORDER BY lines DESC, program");
    st.bind(1, fileId);
    while (st.step())
        counts.push_back({std::string(st.text(0)), static_cast<std::uint64_t>(st.int64(1))});
    return counts;
}

std::map<std::int64_t, ProgramCounts> readAll(sql::Database &db)
{
    std::map<std::int64_t, ProgramCounts> all;
    sql::Statement st(db, "SELECT file_id, program, lines FROM file_programs ORDER BY file_id, lines DESC, program");
    while (st.step())
        all[st.int64(0)].push_back({std::string(st.text(1)), static_cast<std::uint64_t>(st.int64(2))});
    return all;
}

void count(ProgramCounts &counts, std::string_view program)
{
    // A file of junk whose every line names another "program" must not make this quadratic, nor
    // the table grow by a row per line: past that many names, the rest are counted together.
    constexpr std::size_t MaxPrograms = 64;
    for (ProgramLines &p : counts) {
        if (p.program == program) {
            ++p.lines;
            return;
        }
    }
    if (counts.size() < MaxPrograms || program == OthersName) {
        counts.push_back({std::string(program), 1});
        return;
    }
    count(counts, OthersName);
}

void sort(ProgramCounts &counts)
{
    std::sort(counts.begin(), counts.end(), [](const ProgramLines &a, const ProgramLines &b) {
        return a.lines != b.lines ? a.lines > b.lines : a.program < b.program;
    });
}

} // namespace mailtrail::fileprograms
