// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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
    void freeze();  // drops the map that add() needs
    std::size_t size() const { return m_starts.size(); }
    std::size_t bytes() const;
    std::string_view at(std::uint32_t id) const;
    // The entries a sender or recipient filter matches, as QueryBuilder's SQL matches them.
    std::vector<bool> matching(const AddressPattern &pattern) const;

private:
    enum class Anchor { None, End, Whole };
    std::vector<bool> containing(std::string_view needle, Anchor anchor) const;
    std::unordered_map<std::string, std::uint32_t> m_ids;  // while adding
    std::string m_arena;
    std::vector<std::uint32_t> m_starts;
};

} // namespace mailtrail
