// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the tests of migrations and of old caches read as they are: SQL that turns a cache this
// build wrote into one of layout 4.
namespace testlogs {

// What a layout-4 build wrote: the strings in the rows, no dictionaries (the columns' order aside).
inline constexpr const char *ToLayout4 = R"sql(
DROP INDEX IF EXISTS deliveries_code_class;
ALTER TABLE deliveries ADD COLUMN relay TEXT;
ALTER TABLE deliveries ADD COLUMN dsn TEXT;
UPDATE deliveries SET relay = (SELECT name FROM relays WHERE id = relay_id), dsn = (SELECT name FROM dsns WHERE id = dsn_id);
ALTER TABLE deliveries DROP COLUMN relay_id;
ALTER TABLE deliveries DROP COLUMN dsn_id;
ALTER TABLE attempts ADD COLUMN relay TEXT;
ALTER TABLE attempts ADD COLUMN dsn TEXT;
UPDATE attempts SET relay = (SELECT name FROM relays WHERE id = relay_id), dsn = (SELECT name FROM dsns WHERE id = dsn_id);
ALTER TABLE attempts DROP COLUMN relay_id;
ALTER TABLE attempts DROP COLUMN dsn_id;
ALTER TABLE messages ADD COLUMN client_host TEXT;
ALTER TABLE messages ADD COLUMN client_ip TEXT;
UPDATE messages SET client_host = (SELECT nullif(host, '') FROM clients WHERE id = client_id),
    client_ip = (SELECT nullif(ip, '') FROM clients WHERE id = client_id);
ALTER TABLE messages DROP COLUMN client_id;
DROP TABLE relays;
DROP TABLE dsns;
DROP TABLE clients;
CREATE INDEX deliveries_code_class ON deliveries(code_class, message_id, idx, reply_code, dsn);
PRAGMA user_version = 4;
)sql";

} // namespace testlogs
