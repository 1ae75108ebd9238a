// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace mailtrail::sql {
class Database;
}

// The relays and dsns dictionaries of a cache of layout 2 to 4 read as it is (read-only, not
// migrated), whose rows hold the strings themselves: each string stands for its own id. A virtual
// table, `CREATE VIRTUAL TABLE temp.relays USING mailtrail_identity(relay)`, answers a lookup by id
// or name with the value itself, without reading anything, and lists the values (every distinct
// `relay` of deliveries and attempts) only when a query scans it (an enhanced-code filter's
// `dsn_id IN (SELECT id FROM dsns WHERE name LIKE ?)`). Opening such a cache reads no row: a table
// filled at open read every delivery and attempt, each time a connection opened it.
namespace mailtrail::identitydictionary {

// Makes the module known to this connection. Throws sql::Error.
void addTo(sql::Database &db);

} // namespace mailtrail::identitydictionary
