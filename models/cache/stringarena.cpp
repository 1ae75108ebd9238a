// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/stringarena.h"

#include "cache/addresspattern.h"

#include <algorithm>
#include <functional>

namespace mailtrail {

namespace {

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A glob of '*' (any run of characters) and '?' (one character, of UTF-8) over the whole of
// `text`, both lower-case ASCII: what SQLite's LIKE of QueryBuilder::likePattern does.
bool globMatches(std::string_view glob, std::string_view text)
{
    std::size_t g = 0, t = 0;
    std::size_t starG = std::string_view::npos, starT = 0;
    const auto charLength = [&](std::size_t at) {
        std::size_t n = 1;
        while (at + n < text.size() && (static_cast<unsigned char>(text[at + n]) & 0xc0) == 0x80)
            ++n;
        return n;
    };
    while (t < text.size()) {
        if (g < glob.size() && glob[g] == '*') {
            starG = g++;
            starT = t;
        } else if (g < glob.size() && glob[g] == '?') {
            ++g;
            t += charLength(t);
        } else if (g < glob.size() && glob[g] == text[t]) {
            ++g;
            ++t;
        } else if (starG != std::string_view::npos) {
            g = starG + 1;
            starT += charLength(starT);
            t = starT;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*')
        ++g;
    return g == glob.size();
}

} // namespace

std::uint32_t StringArena::add(std::string_view text)
{
    m_lower.assign(text);
    for (char &c : m_lower)
        c = lowerAscii(c);
    if (m_hashes.size() * 2 >= m_slots.size())
        grow();
    const std::size_t hash = std::hash<std::string_view>()(m_lower);
    const std::size_t mask = m_slots.size() - 1;
    std::size_t slot = hash & mask;
    for (; m_slots[slot] != 0; slot = (slot + 1) & mask) {
        const std::uint32_t id = m_slots[slot] - 1;
        if (m_hashes[id] == hash && at(id) == m_lower)
            return id;
    }
    const auto id = static_cast<std::uint32_t>(m_starts.size());
    m_slots[slot] = id + 1;
    m_hashes.push_back(hash);
    m_starts.push_back(static_cast<std::uint32_t>(m_arena.size()));
    m_arena += m_lower;
    m_arena += '\n';
    return id;
}

void StringArena::grow()
{
    std::vector<std::uint32_t> slots(std::max<std::size_t>(1024, m_slots.size() * 2), 0);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t id = 0; id < m_hashes.size(); ++id) {
        std::size_t slot = m_hashes[id] & mask;
        while (slots[slot] != 0)
            slot = (slot + 1) & mask;
        slots[slot] = id + 1;
    }
    m_slots = std::move(slots);
}

void StringArena::freeze()
{
    std::vector<std::uint32_t>().swap(m_slots);
    std::vector<std::size_t>().swap(m_hashes);
    std::string().swap(m_lower);
    m_arena.shrink_to_fit();
    m_starts.shrink_to_fit();
}

std::size_t StringArena::bytes() const
{
    return m_arena.capacity() + m_starts.capacity() * sizeof(std::uint32_t);
}

std::string_view StringArena::at(std::uint32_t id) const
{
    const std::size_t start = m_starts[id];
    const std::size_t end = id + 1 < m_starts.size() ? m_starts[id + 1] - 1 : m_arena.size() - 1;
    return std::string_view(m_arena).substr(start, end - start);
}

std::vector<bool> StringArena::containing(std::string_view needle, Anchor anchor) const
{
    std::vector<bool> hit(m_starts.size());
    if (needle.empty() || needle.find('\n') != std::string_view::npos)
        return hit;
    // One search over the arena, not one per entry: a hit names its entry by the last start at
    // or before it, and the search goes on at the next entry.
    const std::boyer_moore_horspool_searcher searcher(needle.begin(), needle.end());
    auto from = m_arena.begin();
    while (true) {
        const auto found = std::search(from, m_arena.end(), searcher);
        if (found == m_arena.end())
            break;
        const auto at = static_cast<std::uint32_t>(found - m_arena.begin());
        const auto entry = static_cast<std::size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), at) - m_starts.begin() - 1);
        const std::size_t end = m_arena.find('\n', at);
        const bool ends = end == at + needle.size();
        if (anchor == Anchor::None || (ends && (anchor == Anchor::End || at == m_starts[entry]))) {
            hit[entry] = true;
            from = m_arena.begin() + static_cast<std::ptrdiff_t>(end + 1);
        } else {
            from = found + 1;  // a later occurrence in the same entry may end it
        }
    }
    return hit;
}

std::vector<bool> StringArena::matching(const AddressPattern &pattern) const
{
    std::string lower(pattern.text);
    for (char &c : lower)
        c = lowerAscii(c);
    switch (pattern.kind) {
    case AddressPattern::Kind::None: return std::vector<bool>(m_starts.size(), true);
    case AddressPattern::Kind::Null: {
        std::vector<bool> hit(m_starts.size());
        for (std::uint32_t id = 0; id < m_starts.size(); ++id)
            hit[id] = at(id).empty();
        return hit;
    }
    case AddressPattern::Kind::Exact: return containing(lower, Anchor::Whole);
    case AddressPattern::Kind::Substring: return containing(lower, Anchor::None);
    case AddressPattern::Kind::Glob: break;
    }
    const std::string_view rest = std::string_view(lower).substr(1);
    if (lower.size() > 1 && lower.front() == '*' && rest.find_first_of("*?") == std::string_view::npos)
        return containing(rest, Anchor::End);  // "*@example.com": the addresses that end with it
    std::vector<bool> hit(m_starts.size());
    for (std::uint32_t id = 0; id < m_starts.size(); ++id)
        hit[id] = globMatches(lower, at(id));
    return hit;
}

} // namespace mailtrail
