// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/chainsummary.h"

namespace mailtrail::chainsummary {

namespace {

struct Column {
    const char *name;
    const char *expression;  // %L: the last hops' condition; %T: the table; %F: the first hop
};

// A chain's code is 0, not NULL, when its last hop got no reply (a local delivery, a connection
// refused): the row must not fall back to the first hop's 250 from the content filter.
constexpr Column Columns[] = {
    {"hops", "(SELECT count(*) FROM %T c WHERE c.chain_id = %F)"},
    {"chain_state", "(SELECT max(c.state) FROM %T c WHERE %L)"},
    {"chain_code", "coalesce((SELECT c.last_code FROM %T c WHERE %L ORDER BY c.state DESC, c.last_seen DESC, c.id DESC "
                   "LIMIT 1), 0)"},
    {"chain_attempts", "(SELECT sum(c.attempts) FROM %T c WHERE %L)"},
};
constexpr const char *LastHops = "c.chain_id = %F AND c.id <> %F AND NOT EXISTS(SELECT 1 FROM %T n WHERE n.chain_id = %F "
                                 "AND n.prev_hop = c.id)";

std::string replaced(std::string text, std::string_view marker, std::string_view by)
{
    for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + by.size()))
        text.replace(at, marker.size(), by);
    return text;
}

std::string expression(const Column &column, std::string_view first, std::string_view table)
{
    return replaced(replaced(replaced(column.expression, "%L", LastHops), "%T", table), "%F", first);
}

} // namespace

std::string assignments(std::string_view first, std::string_view table)
{
    std::string out;
    for (const Column &column : Columns)
        out += (out.empty() ? "" : ", ") + std::string(column.name) + " = " + expression(column, first, table);
    return out;
}

std::string finalColumns(std::string_view alias, std::string_view table)
{
    const std::string first = std::string(alias) + ".id";
    std::string out;
    for (const Column &column : {Columns[2], Columns[3]})
        out += (out.empty() ? "" : ", ") + std::string("CASE WHEN ") + std::string(alias) + ".chain_id = " + first + " THEN " +
            expression(column, first, table) + " END AS " + column.name;
    return out;
}

} // namespace mailtrail::chainsummary
