// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the tests of migrations and of old caches read as they are: SQL that turns a cache this
// build wrote into one of layout 4 to 13.
namespace testlogs {

// The SQL part of testlogs::toLayout13: a delivery's encoded reply that may hold its recipient,
// and a message's encoded Message-ID, client name and address (layout 14), as text; a delivery's
// first try's time where layout 14 leaves it out (the last's).
inline constexpr const char *ToLayout13 = R"sql(
UPDATE deliveries SET reply_text = mailtrail_reply(reply_text, recipient)
    WHERE typeof(reply_text) = 'blob' AND instr(reply_text, x'0005') > 0;
UPDATE messages SET message_id = mailtrail_message_id(message_id, sender), client_host = mailtrail_text(client_host),
    client_ip = mailtrail_ip(client_ip);
UPDATE deliveries SET first_attempt = last_attempt WHERE first_attempt IS NULL;
PRAGMA user_version = 13;
)sql";

// What a layout-12 build wrote: every reply text as text (layout 13 stores the ones replycodec
// shortens as blobs).
inline constexpr const char *ToLayout12 = R"sql(
UPDATE deliveries SET reply_text = mailtrail_reply(reply_text, recipient) WHERE typeof(reply_text) = 'blob';
UPDATE attempts SET reply_text = mailtrail_reply(reply_text) WHERE typeof(reply_text) = 'blob';
PRAGMA user_version = 12;
)sql";

// What a layout-11 build wrote: each message's listed recipient in its row (the writer's rule: the
// first not refused at RCPT, status 5, else the first), and the deliveries' addresses reversed and
// lower-cased in theirs, with the two indexes over those columns (the columns' order aside).
inline constexpr const char *ToLayout11 = R"sql(
DROP INDEX IF EXISTS deliveries_recipient_rev;
DROP INDEX IF EXISTS deliveries_orig_rev;
ALTER TABLE messages ADD COLUMN first_rcpt TEXT;
UPDATE messages SET first_rcpt = (SELECT f.recipient FROM deliveries f WHERE f.message_id = messages.id
    ORDER BY f.status = 5, f.idx LIMIT 1);
ALTER TABLE deliveries ADD COLUMN recipient_rev TEXT;
ALTER TABLE deliveries ADD COLUMN orig_rev TEXT;
UPDATE deliveries SET recipient_rev = mailtrail_reversed(recipient), orig_rev = mailtrail_reversed(orig_recipient);
CREATE INDEX deliveries_recipient_rev ON deliveries(recipient_rev, message_id);
CREATE INDEX deliveries_orig_rev ON deliveries(orig_rev, message_id) WHERE orig_rev IS NOT NULL;
PRAGMA user_version = 11;
)sql";

// What a layout-10 build wrote: the same tables (the chart its imports kept counted a last line
// that tried nothing; tst_cachelayout puts a wrong chart there to see that it is not used).
inline constexpr const char *ToLayout10 = "PRAGMA user_version = 10;";

// What a layout-9 build wrote: no earlier tries in the delivery rows (the chart read the attempts
// table), the code index without what the chart reads, and the chart index without the tries (a
// cache of such a build may have none: the window builds it).
inline constexpr const char *ToLayout9 = R"sql(
DROP INDEX IF EXISTS deliveries_chart;
DROP INDEX IF EXISTS deliveries_code_class;
ALTER TABLE deliveries DROP COLUMN tries;
CREATE INDEX deliveries_code_class ON deliveries(code_class, message_id, idx, reply_code, dsn_id);
PRAGMA user_version = 9;
)sql";

// What a layout-8 build wrote: a chain's row with its first hop's code and tries; the order indexes
// by those over the hop's own.
inline constexpr const char *ToLayout8 = R"sql(
DROP INDEX IF EXISTS messages_code;
DROP INDEX IF EXISTS messages_attempts;
ALTER TABLE messages DROP COLUMN chain_code;
ALTER TABLE messages DROP COLUMN chain_attempts;
PRAGMA user_version = 8;
)sql";

// What a layout-7 build wrote: no forwarded flag, the statistics read the reply texts.
inline constexpr const char *ToLayout7 = R"sql(
ALTER TABLE deliveries DROP COLUMN forwarded;
PRAGMA user_version = 7;
)sql";

// What a layout-6 build wrote: no chains, TLS, SASL or verdicts.
inline constexpr const char *ToLayout6 = R"sql(
DROP INDEX messages_chain;
DROP INDEX deliveries_next_hop;
ALTER TABLE messages DROP COLUMN chain_id;
ALTER TABLE messages DROP COLUMN prev_hop;
ALTER TABLE messages DROP COLUMN hops;
ALTER TABLE messages DROP COLUMN chain_state;
ALTER TABLE messages DROP COLUMN tls_in_id;
ALTER TABLE messages DROP COLUMN tls_out_id;
ALTER TABLE messages DROP COLUMN sasl_method;
ALTER TABLE messages DROP COLUMN sasl_user;
ALTER TABLE messages DROP COLUMN verdicts_id;
ALTER TABLE deliveries DROP COLUMN tls_id;
ALTER TABLE deliveries DROP COLUMN next_hop;
ALTER TABLE attempts DROP COLUMN tls_id;
DROP TABLE tls;
DROP TABLE verdicts;
PRAGMA user_version = 6;
)sql";

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
DROP TABLE relays;
DROP TABLE dsns;
CREATE INDEX deliveries_code_class ON deliveries(code_class, message_id, idx, reply_code, dsn);
PRAGMA user_version = 4;
)sql";

// What a layout-5 build wrote: the clients in a dictionary as well.
inline constexpr const char *ToLayout5 = R"sql(
CREATE TABLE clients(id INTEGER PRIMARY KEY, host TEXT NOT NULL, ip TEXT NOT NULL);
INSERT INTO clients(host, ip) SELECT DISTINCT coalesce(client_host, ''), coalesce(client_ip, '') FROM messages
    WHERE client_host IS NOT NULL OR client_ip IS NOT NULL;
ALTER TABLE messages ADD COLUMN client_id INTEGER;
UPDATE messages SET client_id = (SELECT c.id FROM clients c WHERE c.host = coalesce(messages.client_host, '')
    AND c.ip = coalesce(messages.client_ip, '')) WHERE client_host IS NOT NULL OR client_ip IS NOT NULL;
ALTER TABLE messages DROP COLUMN client_host;
ALTER TABLE messages DROP COLUMN client_ip;
PRAGMA user_version = 5;
)sql";

} // namespace testlogs
