// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/charttally.h"

namespace mailtrail {

void ChartTally::add(ChartGroup group, std::int64_t minute, std::string_view key, std::int64_t count)
{
    Cells &cells = m_cells[index(group)];
    auto [it, added] = cells.try_emplace({minute, std::string(key)}, 0);
    it->second += count;
    // No cell of nothing, as the rows' GROUP BY has none.
    if (it->second == 0)
        cells.erase(it);
}

void ChartTally::merge(const ChartTally &other)
{
    for (std::size_t g = 0; g < 3; ++g) {
        for (const auto &[key, count] : other.m_cells[g])
            add(static_cast<ChartGroup>(g), key.first, key.second, count);
    }
}

bool ChartTally::empty() const
{
    return m_cells[0].empty() && m_cells[1].empty() && m_cells[2].empty();
}

std::vector<ChartCell> ChartTally::list(ChartGroup group) const
{
    std::vector<ChartCell> out;
    const Cells &cells = m_cells[index(group)];
    out.reserve(cells.size());
    for (const auto &[key, count] : cells)
        out.push_back({key.first, key.second, count});
    return out;
}

} // namespace mailtrail
