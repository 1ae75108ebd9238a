// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace mailtrail::bitwords {

// Sets of positions as words of 64 bits, as MemoryIndex keeps its selections.
inline void setBit(std::vector<std::uint64_t> &bits, std::uint32_t i)
{
    bits[i >> 6] |= std::uint64_t(1) << (i & 63);
}

inline bool bit(const std::vector<std::uint64_t> &bits, std::uint32_t i)
{
    return (bits[i >> 6] >> (i & 63)) & 1;
}

inline std::int64_t popcount(const std::vector<std::uint64_t> &bits)
{
    std::int64_t n = 0;
    for (std::uint64_t word : bits)
        n += std::popcount(word);
    return n;
}

} // namespace mailtrail::bitwords
