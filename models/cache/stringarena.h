// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtrail {

struct AddressPattern;

// Distinct strings, lower-cased (ASCII, as SQLite's LIKE and NOCASE fold), end to end with a '\n'
// after each: one search over the whole arena finds every entry that holds a substring. The
// addresses of a MemoryIndex.
class StringArena
{
public:
    std::uint32_t add(std::string_view text);
    void freeze();  // drops the table that add() needs
    std::size_t size() const { return m_starts.size(); }
    std::size_t bytes() const;
    std::string_view at(std::uint32_t id) const;
    // The entries a sender or recipient filter matches, as QueryBuilder's SQL matches them.
    std::vector<bool> matching(const AddressPattern &pattern) const;

private:
    enum class Anchor { None, End, Whole };
    std::vector<bool> containing(std::string_view needle, Anchor anchor) const;
    void grow();
    // While adding: an open-addressing table of ids (0: empty, else id + 1) over the arena's own
    // strings, with each entry's hash. At 1 GB of log nearly every sender is new; a map of strings
    // made a node and a copy of each, and took most of the index's read (1.5 s of 1.7).
    std::vector<std::uint32_t> m_slots;
    std::vector<std::size_t> m_hashes;
    std::string m_lower;
    std::string m_arena;
    std::vector<std::uint32_t> m_starts;
};

} // namespace mailtrail
