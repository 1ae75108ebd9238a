// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

// What the row of a chain of hops (a message re-injected by a content filter, or relayed to a host
// of the same log set) shows, kept on its first hop: the number of hops, and the state, reply code
// and tries of its last hop (a hop no other hop follows; of several, when a filter split the
// recipients over re-injections, the highest state, which numbers the outcomes from sent to expired
// in that order, and that hop's code; their tries added up). The writer stores them once a chain's
// hops are in, a migration fills them, and a reader of an older layout computes them: one SQL for
// the three, so they cannot differ.
namespace mailtrail::chainsummary {

// "hops = (...), chain_state = (...), chain_code = (...), chain_attempts = (...)" for an UPDATE of
// the first hop `first` (an SQL expression: "?1", "messages.id") over the messages table `table`.
std::string assignments(std::string_view first, std::string_view table);
// "<code> AS chain_code, <tries> AS chain_attempts" of the row `alias` of `table` (NULL for a row
// that is no chain's first hop), for a view over a layout that does not store them.
std::string finalColumns(std::string_view alias, std::string_view table);

} // namespace mailtrail::chainsummary
