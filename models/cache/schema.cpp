// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/schema.h"

#include "cache/chainsummary.h"
#include "cache/charttries.h"
#include "cache/fileprograms.h"
#include "cache/identitydictionary.h"
#include "cache/linecodec.h"
#include "cache/rows.h"
#include "cache/sqlite.h"
#include "cache/textwords.h"

#include <sqlite3.h>
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mailtrail::schema {

namespace {

// Times are epoch milliseconds (UTC); statuses are the integer values of the C++ enums.
constexpr const char *Version2 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value);
INSERT INTO meta VALUES('last_run', 0);
INSERT INTO meta VALUES('text_indexed_upto', 0);
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path TEXT,                 -- where it was last seen; NULL once replaced by other content
    head_hash INTEGER NOT NULL, head_len INTEGER NOT NULL,   -- identity of the content, not the name
    tail_hash INTEGER NOT NULL DEFAULT 0,                    -- of the bytes before parsed_offset
    size INTEGER NOT NULL, mtime INTEGER NOT NULL, compressed INTEGER NOT NULL,
    parsed_offset INTEGER NOT NULL DEFAULT 0,
    format TEXT, year INTEGER, last_month INTEGER,
    first_time INTEGER, last_time INTEGER,
    lines INTEGER NOT NULL DEFAULT 0, unknown_lines INTEGER NOT NULL DEFAULT 0,
    skipped_lines INTEGER NOT NULL DEFAULT 0, truncated_lines INTEGER NOT NULL DEFAULT 0,
    import_run INTEGER           -- set while an import of this file is under way
);
CREATE INDEX files_path ON files(path);
CREATE INDEX files_head ON files(head_hash);
CREATE TABLE hosts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE messages(
    id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL, queue_id TEXT, message_id TEXT, message_id_hash INTEGER,
    sender TEXT COLLATE NOCASE, -- '' for the null sender, NULL when never seen
    size INTEGER, nrcpt INTEGER, client_host TEXT, client_ip TEXT,
    first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, utc_offset INTEGER NOT NULL,
    state INTEGER NOT NULL, open INTEGER NOT NULL, origin INTEGER NOT NULL,
    parent_qid TEXT, parent_id INTEGER,
    file_id INTEGER NOT NULL, run INTEGER NOT NULL,
    rcpt_count INTEGER NOT NULL, first_rcpt TEXT, last_code INTEGER, attempts INTEGER NOT NULL,
    lines BLOB                 -- (file id, offset) of each raw line, varint coded
);
CREATE TABLE deliveries(
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    recipient TEXT COLLATE NOCASE, orig_recipient TEXT COLLATE NOCASE, status INTEGER NOT NULL, dsn TEXT, reply_code INTEGER,
    -- For "*@domain" filters: the addresses lower-cased and reversed, so a suffix is a prefix
    -- and an index range; and the reply's class (2, 4, 5) from its code or enhanced code.
    recipient_rev TEXT, orig_rev TEXT, code_class INTEGER,
    reply_text TEXT, relay TEXT, attempts INTEGER NOT NULL,
    first_attempt INTEGER, last_attempt INTEGER  -- layout 14: first_attempt NULL when it is last_attempt
);
CREATE TABLE attempts(
    message_id INTEGER NOT NULL, delivery_idx INTEGER NOT NULL, time INTEGER NOT NULL,
    status INTEGER NOT NULL, reply_code INTEGER, dsn TEXT, relay TEXT, reply_text TEXT,
    delay REAL, counted INTEGER NOT NULL
);
CREATE TABLE incidents(
    id INTEGER PRIMARY KEY, time INTEGER NOT NULL, host_id INTEGER NOT NULL, kind INTEGER NOT NULL,
    client_host TEXT, client_ip TEXT, detail TEXT, file_id INTEGER NOT NULL, offset INTEGER NOT NULL,
    run INTEGER NOT NULL
);
-- Free text over addresses, ids, relays and reply texts. Contentless (the messages table holds the
-- data) and without positions (detail=none): a third of the size, and queries are sets of words
-- that must all appear; "alice@example.com" is the words alice, example and com.
CREATE VIRTUAL TABLE message_text USING fts5(body, content='', contentless_delete=1, detail=none);
-- Indexes every query needs even during the first load (correlation, open messages).
-- idx and status: a message's deliveries in order, and a status filter of the delivery grain tested
-- (and counted) in the index, without an index of its own.
CREATE INDEX deliveries_message ON deliveries(message_id, idx, status);
CREATE INDEX attempts_message ON attempts(message_id);
CREATE INDEX messages_open ON messages(open) WHERE open = 1;
-- Time order from the first row on, so the window pages through a first import while it runs.
-- Messages are written about in time order: these indexes grow at their end and cost little.
-- file_id: the window's scope, checked in the index. state: a status filter walks this index in
-- time order and counts in it, without an index of its own; after id, which SQLite appends anyway,
-- so that the index stays in the listing's order (first_seen, file_id, id). rcpt_count: the
-- delivery grain counts rows matching a time range here.
CREATE INDEX messages_first_seen ON messages(first_seen, file_id, id, state, rcpt_count);
CREATE INDEX messages_parent ON messages(parent_id) WHERE parent_id IS NOT NULL;
)sql";

// Layout 3: the other files a message has lines in, besides the one it started in (file_id). Few
// rows: only messages that were in the queue when their log was rotated. A query scoped to some
// files shows every message with a line in them.
constexpr const char *MessageFilesColumns = "message_files(file_id INTEGER NOT NULL, message_id INTEGER NOT NULL, "
                                             "run INTEGER NOT NULL, PRIMARY KEY(file_id, message_id)) WITHOUT ROWID";

// Fills message_files from the line references of the messages a layout 2 cache holds.
void fillMessageFiles(sql::Database &db)
{
    sql::Statement messages(db, "SELECT id, file_id, run, lines FROM messages");
    sql::Statement insert(db, "INSERT OR IGNORE INTO message_files(file_id, message_id, run) VALUES(?,?,?)");
    while (messages.step()) {
        const auto first = static_cast<std::uint32_t>(messages.int64(1));
        for (std::uint32_t file : otherFiles(linecodec::decode(messages.blob(3)), first)) {
            insert.bind(1, static_cast<std::int64_t>(file)).bind(2, messages.int64(0)).bind(3, messages.int64(2));
            insert.run();
        }
    }
}

// Layout 5: relays and enhanced status codes are kept once each, in dictionaries, and the rows
// hold their ids: at 1 GB of log 256 relays stand for 0.97 M relay strings (figures in
// docs/store.md). Each value is held once; the writer assigns the ids from the values it loads
// (Dictionary), so no index of the values is kept (every new value would update it at a random
// place). Layout 5 had clients (host and IP) in a dictionary too; layout 6 puts them back in the
// messages: 454 k distinct clients for 749 k messages made a dictionary nearly as large as the
// strings, and its in-memory map cost the import time and memory.
constexpr const char *Dictionaries = R"sql(
CREATE TABLE relays(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE dsns(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
)sql";

// From layout 4: the strings of the rows move into the dictionaries, the rows get their ids. In
// place, in the migration's transaction, under the import lock: nothing is lost and the logs need
// not be there (its time on the 1 GB log's cache is in docs/store.md). The code index holds the
// enhanced code and is made again over its id.
constexpr const char *ToDictionaries = R"sql(
INSERT INTO relays(name) SELECT relay FROM deliveries WHERE relay IS NOT NULL
    UNION SELECT relay FROM attempts WHERE relay IS NOT NULL;
INSERT INTO dsns(name) SELECT dsn FROM deliveries WHERE dsn IS NOT NULL
    UNION SELECT dsn FROM attempts WHERE dsn IS NOT NULL;
CREATE INDEX relays_migrating ON relays(name);
CREATE INDEX dsns_migrating ON dsns(name);
DROP INDEX IF EXISTS deliveries_code_class;
ALTER TABLE deliveries ADD COLUMN relay_id INTEGER;
ALTER TABLE deliveries ADD COLUMN dsn_id INTEGER;
UPDATE deliveries SET relay_id = (SELECT id FROM relays WHERE name = relay), dsn_id = (SELECT id FROM dsns WHERE name = dsn)
    WHERE relay IS NOT NULL OR dsn IS NOT NULL;
ALTER TABLE deliveries DROP COLUMN relay;
ALTER TABLE deliveries DROP COLUMN dsn;
ALTER TABLE attempts ADD COLUMN relay_id INTEGER;
ALTER TABLE attempts ADD COLUMN dsn_id INTEGER;
UPDATE attempts SET relay_id = (SELECT id FROM relays WHERE name = relay), dsn_id = (SELECT id FROM dsns WHERE name = dsn)
    WHERE relay IS NOT NULL OR dsn IS NOT NULL;
ALTER TABLE attempts DROP COLUMN relay;
ALTER TABLE attempts DROP COLUMN dsn;
DROP INDEX relays_migrating;
DROP INDEX dsns_migrating;
)sql";

// From layout 5: the clients back in the messages' rows.
constexpr const char *ClientsInRows = R"sql(
ALTER TABLE messages ADD COLUMN client_host TEXT;
ALTER TABLE messages ADD COLUMN client_ip TEXT;
UPDATE messages SET client_host = (SELECT nullif(c.host, '') FROM clients c WHERE c.id = messages.client_id),
    client_ip = (SELECT nullif(c.ip, '') FROM clients c WHERE c.id = messages.client_id) WHERE client_id IS NOT NULL;
ALTER TABLE messages DROP COLUMN client_id;
DROP TABLE clients;
)sql";

// Layout 5 read as it is: the clients' columns over its dictionary (and layout 7's columns).
constexpr const char *ClientsOverDictionary = R"sql(
CREATE TEMP VIEW messages AS SELECT m.*, (SELECT nullif(c.host, '') FROM main.clients c WHERE c.id = m.client_id) AS client_host,
    (SELECT nullif(c.ip, '') FROM main.clients c WHERE c.id = m.client_id) AS client_ip%7 FROM main.messages m;
)sql";

// A cache of layout 2 to 4 read as it is (read-only, not migrated): the names this layout reads, over
// the strings the rows hold. The rows' own strings stand for their ids, in dictionaries that read
// nothing to answer a lookup (identitydictionary.h), and temporary views (found before the tables
// of the same name) add the id columns (deliveriesAsOf() those of deliveries).
constexpr const char *DictionariesOverStrings = R"sql(
CREATE VIRTUAL TABLE temp.relays USING mailtrail_identity(relay);
CREATE VIRTUAL TABLE temp.dsns USING mailtrail_identity(dsn);
CREATE TEMP VIEW attempts AS SELECT rowid AS rowid, *, relay AS relay_id, dsn AS dsn_id%7a FROM main.attempts;
)sql";

// Layout 7: what production logs say beyond the delivery itself, and the hops of one message.
// - chain_id: the first hop's message id, on every hop of a chain (the first one's own id): a
//   message re-injected by a content filter, or relayed to a host of the same log set, is one
//   message travelling through several queue ids. prev_hop: the hop before this one. hops: the
//   number of hops, and chain_state the fate of the last one, on the first hop only (the window
//   and the CLI list a chain as that row). NULL for a message that is no hop of a chain.
// - tls_in_id, deliveries.tls_id, attempts.tls_id: the TLS of the incoming connection and of each
//   try ("Trusted TLSv1.3 with cipher ..."), from a dictionary: a server uses a handful of them.
//   tls_out_id: of its latest final delivery over TLS, for the listings, which would otherwise
//   look through the deliveries of every row.
// - sasl_method, sasl_user: of an authenticated submission (NULL otherwise: few rows have them).
// - verdicts_id: what companion programs concluded ("DKIM pass, SPF softfail, spam"), from a
//   dictionary too (the same few combinations repeat), and in the free-text index.
// - deliveries.next_hop: 1 when the recipient was handed to the next hop of its chain: not its
//   final delivery, which the next hop's row has.
// Rows imported before have NULLs there, until their log is imported again.
constexpr const char *Version7 = R"sql(
CREATE TABLE tls(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE verdicts(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
ALTER TABLE messages ADD COLUMN chain_id INTEGER;
ALTER TABLE messages ADD COLUMN prev_hop INTEGER;
ALTER TABLE messages ADD COLUMN hops INTEGER;
ALTER TABLE messages ADD COLUMN chain_state INTEGER;
ALTER TABLE messages ADD COLUMN tls_in_id INTEGER;
ALTER TABLE messages ADD COLUMN tls_out_id INTEGER;
ALTER TABLE messages ADD COLUMN sasl_method TEXT;
ALTER TABLE messages ADD COLUMN sasl_user TEXT COLLATE NOCASE;
ALTER TABLE messages ADD COLUMN verdicts_id INTEGER;
ALTER TABLE deliveries ADD COLUMN tls_id INTEGER;
ALTER TABLE deliveries ADD COLUMN next_hop INTEGER;
ALTER TABLE attempts ADD COLUMN tls_id INTEGER;
CREATE INDEX messages_chain ON messages(chain_id) WHERE chain_id IS NOT NULL;
CREATE INDEX deliveries_next_hop ON deliveries(message_id) WHERE next_hop IS NOT NULL;
)sql";

// A cache of layout 2 to 6 read as it is: layout 7's columns, NULL, and its dictionaries, empty.
constexpr const char *Version7MessageColumns = ", NULL AS chain_id, NULL AS prev_hop, NULL AS hops, NULL AS chain_state, "
                                               "NULL AS tls_in_id, NULL AS tls_out_id, NULL AS sasl_method, NULL AS sasl_user, NULL AS verdicts_id";
constexpr const char *Version7DeliveryColumns = ", NULL AS tls_id, NULL AS next_hop";
constexpr const char *Version7AttemptColumns = ", NULL AS tls_id";
constexpr const char *Version7Dictionaries = R"sql(
CREATE TEMP TABLE tls(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TEMP TABLE verdicts(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
)sql";

// Layout 8: whether a delivery's reply is local(8) forwarding the message on (1, 0; NULL without a
// reply text), so that the statistics need not read the reply texts of sent deliveries, which are
// most of the texts (searchkeys::forwardedFlag). From layout 6 or 7, filled from the texts; the
// update rewrites every delivery row (its time on the 1 GB log's cache is in docs/store.md).
constexpr const char *ForwardedFlag = R"sql(
ALTER TABLE deliveries ADD COLUMN forwarded INTEGER;
UPDATE deliveries SET forwarded = reply_text LIKE 'forwarded as %' WHERE reply_text IS NOT NULL;
)sql";

// Layout 9: what a chain's row shows beside its state (chain_state): the reply code and the number
// of tries of its last hop, on the first hop only, as chain_state is (chainSummarySql). The row
// listed for a chain showed the first hop's: the 250 of the hand-over to the content filter, and
// its one try, beside the state of the message's final delivery.
constexpr const char *Version9 = R"sql(
ALTER TABLE messages ADD COLUMN chain_code INTEGER;
ALTER TABLE messages ADD COLUMN chain_attempts INTEGER;
)sql";
// A cache of layout 2 to 6 read as it is: no chains, so nothing of theirs either.
constexpr const char *Version9MessageColumns = ", NULL AS chain_code, NULL AS chain_attempts";

// Layout 10: a delivery's attempt rows as the status chart counts them (charttries.h), in its own
// row, so that a filter's chart is one pass over its deliveries (in deliveries_chart, or
// deliveries_code_class for a code filter) without the attempts table. Filled from the attempt
// rows, one grouped pass over them; the two indexes that carry the column are made again.
constexpr const char *FillTries = R"sql(
UPDATE deliveries SET tries = t.blob
FROM (SELECT message_id, delivery_idx, mailtrail_encode_tries(time, status, reply_code, dsn_id, counted) AS blob
      FROM attempts GROUP BY message_id, delivery_idx) t
WHERE deliveries.message_id = t.message_id AND deliveries.idx = t.delivery_idx;
)sql";

// Layout 12: what the rows repeated, no longer stored (figures in docs/store.md).
// - messages.first_rcpt: the recipient of the message's listed delivery, read from there
//   (firstRecipientOf()).
// - deliveries.recipient_rev, orig_rev: the addresses lower-cased and reversed, for the "*@domain"
//   filters; their indexes are over mailtrail_reversed() of the addresses instead, a function every
//   connection this build opens has (sql::Database::open), with the same keys. The indexes go
//   first (a column an index names cannot be dropped) and are made again over the function when
//   the filter indexes were there.
constexpr const char *Version12 = R"sql(
DROP INDEX IF EXISTS deliveries_recipient_rev;
DROP INDEX IF EXISTS deliveries_orig_rev;
)sql";
constexpr std::pair<const char *, const char *> Version12Columns[] = {
    {"messages", "first_rcpt"}, {"deliveries", "recipient_rev"}, {"deliveries", "orig_rev"}};

bool hasColumn(sql::Database &db, const char *table, const char *column)
{
    sql::Statement st(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    st.bind(1, std::string_view(table)).bind(2, std::string_view(column));
    return st.step();
}

// Layout 8's flag over an older layout's texts, read as it is; layout 7's columns, NULL, before it;
// and layout 5's dictionary ids over the strings of layouts 2 to 4 (see DictionariesOverStrings).
std::string deliveriesAsOf(int version)
{
    return std::string("CREATE TEMP VIEW deliveries AS SELECT *, ") +
        (version < 5 ? "relay AS relay_id, dsn AS dsn_id, " : "") +
        "CASE WHEN reply_text IS NOT NULL THEN reply_text LIKE 'forwarded as %' END AS forwarded" +
        (version < 7 ? Version7DeliveryColumns : "") + " FROM main.deliveries";
}

// An index built after the rows: its name, and what follows ON in its CREATE INDEX.
struct IndexDef {
    const char *name;
    const char *on;
};

// What the filters need (sender, recipient, reply code; time and status are in the base layout):
// built by the import itself, right after the first bulk load. The sender index also orders rows
// by sender: its key ends in the listing's tie-breaker (id).
// The code index answers every form of a code filter from the index alone: the class leads it, the
// message follows (a class lists its messages in order, without a temporary B-tree to make them
// distinct, and a message's test is one lookup of (class, message)), and the reply code and
// enhanced code are carried, so "55x" and "5.7.1" read no row (figures in docs/store.md).
// A cache of an earlier build has deliveries_code in their place; the next import adds this one.
constexpr IndexDef FilterIndexes[] = {
    {"messages_sender", "messages(sender, id, rcpt_count)"},  // rcpt_count: see messages_first_seen
    // Layout 12: over the reversed addresses computed, not stored (Version12); the same keys.
    {"deliveries_recipient_rev", "deliveries(mailtrail_reversed(recipient), message_id)"},
    {"deliveries_orig_rev",
     "deliveries(mailtrail_reversed(orig_recipient), message_id) WHERE mailtrail_reversed(orig_recipient) IS NOT NULL"},
    // Layout 10: and what the chart reads of a delivery (deliveries_chart's columns), so that a code
    // filter's chart reads no delivery row either (figures in docs/store.md).
    {"deliveries_code_class",
     "deliveries(code_class, message_id, idx, reply_code, dsn_id, status, attempts, last_attempt, next_hop, tries)"},
};

// What looking a message up by queue id or Message-ID needs (the CLI's timeline), and what only
// ordering by other columns needs. Each CREATE INDEX reads the whole table again (about half a
// second per million rows), so the import leaves them to whoever needs them first: the window
// right after an import, in the background; the CLI on its first lookup.
constexpr IndexDef LookupIndexes[] = {
    {"messages_queue_id", "messages(queue_id)"},
    {"messages_message_id", "messages(message_id_hash)"},
};
// Keys in the listing's order: the column, then id (which SQLite appends to a messages index), or
// message and index for deliveries.
constexpr IndexDef OrderIndexes[] = {
    {"messages_state", "messages(state)"},
    // A chain's row shows its last hop's code and tries (layout 9): ordered by those, as listed
    // over chains. Listed as hops, a chain's first hop keeps that place (one index, not two).
    {"messages_code", "messages(coalesce(chain_code, last_code))"},
    {"messages_size", "messages(size)"},
    {"messages_attempts", "messages(coalesce(chain_attempts, attempts))"},
    {"messages_host", "messages(host_id)"},
    {"deliveries_status", "deliveries(status, message_id, idx)"},
    {"deliveries_code", "deliveries(code_class, reply_code, message_id, idx)"},
    {"deliveries_recipient", "deliveries(recipient, message_id, idx)"},
    // Not an order: what the chart counts of a delivery, beside its message. A filtered chart
    // reads its deliveries here, not their rows (a sixth of the bytes); without it, from the rows
    // as before. Built with this set, after the import and off its path (its size and time at
    // 1 GB are in docs/store.md). It came last: a cache of an earlier build lacked it, so the
    // window built it (hasDeferredIndexes() asks for the last index of the set).
    // Layout 10: with the earlier tries (`tries`), the chart reads nothing else of a delivery.
    {"deliveries_chart", "deliveries(message_id, idx, status, attempts, last_attempt, next_hop, reply_code, dsn_id, tries)"},
    // A chain's row shows its last hop's state (chain_state, on its first hop): ordered by that
    // over chains, as messages_code is by the chain's code. Last, as deliveries_chart was: a
    // cache of an earlier build lacks it, and the window builds it.
    {"messages_chain_state", "messages(coalesce(chain_state, state))"},
};

bool indexExists(sql::Database &db, const char *name)
{
    sql::Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
    st.bind(1, std::string_view(name));
    return st.step();
}

// A set is built in one transaction, so its last index stands for all of it.
bool hasAll(sql::Database &db, std::span<const IndexDef> set)
{
    return indexExists(db, set.back().name);
}

// How SQLite sorts the keys of an index it builds. With temporary storage in memory (the
// connection's setting, for the queries' temporary tables) its sorter puts every key of the table
// in one list and sorts that: a list far larger than the CPU's caches, and `PRAGMA threads` does
// nothing. With temporary files allowed it sorts runs of `cache_size` bytes and merges them, the
// runs sorted by a second thread while the first reads the table: the filter indexes of a 1 GB log
// (0.97 M deliveries) built in 0.41 of the time (runs of 4 MiB; 0.53 with no second thread).
// The runs rarely reach the disk (sql::SortRunsScope). Set before the index set's transaction
// begins.
class IndexSorter
{
public:
    explicit IndexSorter(sql::Database &db)
        : m_db(db)
    {
        db.exec("PRAGMA threads = 1");
    }
    ~IndexSorter()
    {
        try {
            m_db.exec("PRAGMA threads = 0");
        } catch (const sql::Error &) {
            // A setting of speed only: the connection works either way.
        }
    }
    IndexSorter(const IndexSorter &) = delete;
    IndexSorter &operator=(const IndexSorter &) = delete;

private:
    sql::Database &m_db;
    sql::SortRunsScope m_toFiles{m_db};
    sql::PageCacheScope m_runs{m_db, 4096};  // the runs' size (above)
};

void createAll(sql::Database &db, std::span<const IndexDef> set)
{
    for (const IndexDef &index : set)
        db.exec((std::string("CREATE INDEX IF NOT EXISTS ") + index.name + " ON " + index.on).c_str());
    // Statistics for each, sampled (milliseconds), in the same transaction: without them the
    // planner guesses ten rows per key of a new index and takes an order index for a filter's,
    // e.g. (class, reply code) for "5.7.1", which must then read each delivery for its code.
    if (sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").step()) {
        db.exec("PRAGMA analysis_limit = 400");
        for (const IndexDef &index : set)
            db.exec((std::string("ANALYZE ") + index.name).c_str());
    }
}

void dropAll(sql::Database &db, std::span<const IndexDef> set)
{
    for (const IndexDef &index : set)
        db.exec((std::string("DROP INDEX IF EXISTS ") + index.name).c_str());
}

// What free text is searched in: of the message, of its deliveries, of its attempts. '%' stands
// for the table's alias.
constexpr const char *MessageTextColumns[] = {"%.queue_id", "mailtrail_message_id(%.message_id, %.sender)", "%.sender",
                                              "mailtrail_text(%.client_host)", "mailtrail_ip(%.client_ip)",
                                              "(SELECT name FROM verdicts WHERE id = %.verdicts_id)"};
constexpr const char *DeliveryTextColumns[] = {"%.recipient", "%.orig_recipient",
                                               "(SELECT name FROM relays WHERE id = %.relay_id)", "mailtrail_reply(%.reply_text, %.recipient)"};
constexpr const char *AttemptTextColumns[] = {"mailtrail_reply(%.reply_text)"};

// A read-as-is script with layout 7's columns in place of its markers (%7 messages, %7d
// deliveries, %7a attempts).
std::string withVersion7Columns(std::string script)
{
    const std::pair<const char *, const char *> markers[] = {
        {"%7d", Version7DeliveryColumns}, {"%7a", Version7AttemptColumns}, {"%7", "%M7%M9"}, {"%M7", Version7MessageColumns},
        {"%M9", Version9MessageColumns}};
    for (const auto &[marker, columns] : markers) {
        for (std::size_t at = script.find(marker); at != std::string::npos; at = script.find(marker, at))
            script.replace(at, std::string_view(marker).size(), columns);
    }
    return script;
}

std::string aliased(std::string_view expression, std::string_view alias)
{
    std::string out;
    for (char ch : expression)
        out += ch == '%' ? std::string(alias) : std::string(1, ch);
    return out;
}

std::string joined(std::span<const char *const> columns, const char *alias, const char *separator)
{
    std::string out;
    for (const char *column : columns)
        out += (out.empty() ? "" : separator) + aliased(column, alias);
    return out;
}

std::string anyContains(std::span<const char *const> columns, const char *alias)
{
    std::string out;
    for (const char *column : columns)
        out += (out.empty() ? "" : " OR ") + std::string("instr(lower(") + aliased(column, alias) + "), ?) > 0";
    return out;
}
} // namespace

std::string dsnOf(std::string_view alias)
{
    return aliased("(SELECT name FROM dsns WHERE id = %.dsn_id)", alias);
}

std::string messageIdOf(std::string_view alias)
{
    return aliased(std::string(sql::MessageIdFunction) + "(%.message_id, %.sender)", alias);
}

std::string clientHostOf(std::string_view alias)
{
    return aliased(std::string(sql::TextFunction) + "(%.client_host)", alias);
}

std::string clientIpOf(std::string_view alias)
{
    return aliased(std::string(sql::IpFunction) + "(%.client_ip)", alias);
}

std::string firstRecipientOf(std::string_view alias)
{
    // As the writer listed it until layout 11: the first recipient not refused at RCPT, else the
    // first. Its index is found in the message's keys of deliveries_message (message_id, idx,
    // status), then its one row is read: nothing is sorted (an ORDER BY here would be a temporary
    // B-tree per listed row, which a page's plan must not have).
    const std::string rejected = std::to_string(static_cast<int>(DeliveryStatus::Rejected));
    return aliased("(SELECT f.recipient FROM deliveries f WHERE f.message_id = %.id AND f.idx = coalesce((SELECT min(g.idx) "
                   "FROM deliveries g WHERE g.message_id = %.id AND g.status <> " + rejected + "), (SELECT min(g.idx) FROM "
                   "deliveries g WHERE g.message_id = %.id)))",
                   alias);
}

const std::string &indexTextSql(sql::Database &db)
{
    textwords::addFunctions(db);
    static const std::string sql =
        "INSERT INTO message_text(rowid, body) SELECT m.id, mailtrail_text_body(concat_ws(' ', " +
        joined(MessageTextColumns, "m", ", ") + ", (SELECT group_concat(concat_ws(' ', " +
        joined(DeliveryTextColumns, "d", ", ") + "), ' ') FROM deliveries d WHERE d.message_id = m.id), (SELECT group_concat(" +
        joined(AttemptTextColumns, "a", ", ") + ", ' ') FROM attempts a WHERE a.message_id = m.id))) "
        "FROM messages m WHERE m.id BETWEEN ?1 AND ?2";
    return sql;
}

void indexText(sql::Database &db, std::int64_t first, std::int64_t last, bool fromScratch)
{
    // The function first: SQLite refuses to register one again while a statement or blob handle
    // is open, and FTS5 keeps a handle on its data open after a command ('delete-all', a setting)
    // until the transaction ends.
    const std::string &sql = indexTextSql(db);
    if (fromScratch)
        db.exec("INSERT INTO message_text(message_text) VALUES('delete-all')");
    // What a gigabyte of log (0.75 M messages, 0.32 GB of text) needs to be indexed in one
    // statement: FTS5's pending words flushed at 4 MiB rather than its 1 MiB (fewer segments to
    // merge), and a page cache of 64 MiB, or every message's rows, looked up between FTS5's
    // writes, are read again from the file (65 GB read, 34.5 s at 1 GB with the 2 MiB of a
    // connection opened for the build; 15.2-15.7 s with both; docs/store.md, session 30). The
    // hash size is FTS5's setting, kept in the index's configuration: the writer's later
    // re-indexing of amended messages may hold as much before its commit.
    constexpr std::int64_t PendingBytes = 4 << 20;
    bool pendingSet = false;
    {
        sql::Statement pending(db, "SELECT v FROM message_text_config WHERE k = 'hashsize'");
        pendingSet = pending.step() && pending.int64(0) == PendingBytes;
    }
    if (!pendingSet) {
        const std::string set = "INSERT INTO message_text(message_text, rank) VALUES('hashsize', " +
            std::to_string(PendingBytes) + ")";
        db.exec(set.c_str());
    }
    const sql::PageCacheScope cache(db, 65536, true);
    sql::Statement(db, sql).bind(1, first).bind(2, last).run();
}

const std::string &containsTextSql()
{
    // Column by column, stopping at the first that has it: no text of the whole message is built.
    static const std::string sql =
        "(" + anyContains(MessageTextColumns, "m") + " OR EXISTS(SELECT 1 FROM deliveries t WHERE t.message_id = m.id AND (" +
        anyContains(DeliveryTextColumns, "t") + ")) OR EXISTS(SELECT 1 FROM attempts t WHERE t.message_id = m.id AND (" +
        anyContains(AttemptTextColumns, "t") + ")))";
    return sql;
}

int containsTextParameters()
{
    return static_cast<int>(std::size(MessageTextColumns) + std::size(DeliveryTextColumns) + std::size(AttemptTextColumns));
}

namespace {

int userVersion(sql::Database &db)
{
    sql::Statement st(db, "PRAGMA user_version");
    return st.step() ? st.integer(0) : 0;
}

} // namespace

void prepare(sql::Database &db)
{
    const int version = userVersion(db);
    if (version > CurrentVersion)
        throw sql::Error("the cache was written by a newer Mailtrail (layout " + std::to_string(version) +
                             "); choose another cache file with --cache",
                         SQLITE_MISMATCH);
    if (version == CurrentVersion)
        return;
    if (version == 1)
        throw sql::Error("the cache was written by a development build of Mailtrail, whose layout this one does not "
                         "read; move it away or choose another file with --cache",
                         SQLITE_MISMATCH);
    sql::Transaction tx(db);
    // Another process may have created or migrated it since the version was read.
    if (userVersion(db) != version)
        return;
    // Index sets an earlier step dropped, made again at the end, over every column of this layout.
    bool filterIndexesWanted = false, orderIndexesWanted = false;
    if (version == 0)
        db.exec(Version2);
    // Layout 10: the column (which a cache a test turned back into an older layout may still have).
    if (!hasColumn(db, "deliveries", "tries"))
        db.exec("ALTER TABLE deliveries ADD COLUMN tries BLOB");
    if (version < 3) {
        db.exec((std::string("CREATE TABLE ") + MessageFilesColumns).c_str());
        if (version == 2)
            fillMessageFiles(db);
    }
    // Layout 4: the lines of other programs, counted per log (fileprograms.h). Nothing to fill:
    // logs imported before count them as not understood until read again.
    if (version < 4)
        db.exec((std::string("CREATE TABLE IF NOT EXISTS ") + fileprograms::Columns).c_str());
    if (version < 5) {
        const bool hadCodeIndex = indexExists(db, "deliveries_code_class");
        db.exec(Dictionaries);
        db.exec(ToDictionaries);
        // The filter indexes are built as a set (hasIndexes() asks for its last one), once the
        // columns of the later layouts they carry are there (below).
        filterIndexesWanted = hadCodeIndex;
    }
    if (version == 5)
        db.exec(ClientsInRows);
    if (version < 7)
        db.exec(Version7);
    if (version < 8)
        db.exec(ForwardedFlag);
    if (version < 9) {
        // The order indexes by code and tries are over the chains' values now: those two are made
        // again when the set was there (hasDeferredIndexes() asks for its last one only).
        orderIndexesWanted = hasAll(db, OrderIndexes);
        db.exec("DROP INDEX IF EXISTS messages_code; DROP INDEX IF EXISTS messages_attempts");
        db.exec(Version9);
        db.exec(("UPDATE messages SET " + chainsummary::assignments("messages.id", "messages") + " WHERE chain_id = id").c_str());
    }
    if (version < 10) {
        filterIndexesWanted = filterIndexesWanted || indexExists(db, "deliveries_code_class");
        orderIndexesWanted = orderIndexesWanted || indexExists(db, "deliveries_chart");
        db.exec("DROP INDEX IF EXISTS deliveries_code_class; DROP INDEX IF EXISTS deliveries_chart");
        addChartFunctions(db);
        db.exec(FillTries);
        // What the imports kept of a layout-9 cache counts the same in layout 10, which only
        // copies the attempt rows: still kept (else the whole chart and the statistics would be
        // counted from the rows until the next summary).
        if (version == 9 && sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step())
            db.exec("UPDATE stats_snapshot SET layout = 10 WHERE layout = 9");
    }
    if (version < 12) {
        filterIndexesWanted = filterIndexesWanted || indexExists(db, "deliveries_recipient_rev");
        db.exec(Version12);
        // Each rewrites every row of its table (its time on the 1 GB log's cache is in docs/store.md).
        for (const auto &[table, column] : Version12Columns) {
            if (hasColumn(db, table, column))
                db.exec((std::string("ALTER TABLE ") + table + " DROP COLUMN " + column).c_str());
        }
    }
    if (filterIndexesWanted)
        createAll(db, FilterIndexes);
    if (orderIndexesWanted)
        createAll(db, OrderIndexes);
    if (version < 11 && sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step()) {
        // Layout 11 stores what 10 did; what changed is the status chart's count of a delivery
        // whose last line tried nothing ("delivery temporarily suspended" after a deferral): its
        // earlier real try alone, as the summary counts it. What the imports kept of the
        // statistics counts the same and is still kept; their chart is dropped, to be counted
        // from the rows by the next chart of the whole cache, and kept again then.
        if (hasColumn(db, "stats_snapshot", "chart"))
            db.exec("UPDATE stats_snapshot SET chart = NULL");
        db.exec("UPDATE stats_snapshot SET layout = 11 WHERE layout = 10");
    }
    // What the imports kept counts the same in layout 12, which stores less of the same rows.
    if (version < 12 && sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step())
        db.exec("UPDATE stats_snapshot SET layout = 12 WHERE layout = 11");
    // Layout 13 stores a reply text as a BLOB where replycodec shortens it; mailtrail_reply() reads
    // both, so the texts an older layout stored stay as they are (docs/store.md, "Layout 13"). The
    // step is the version itself: an older Mailtrail refuses the cache instead of showing blobs.
    if (version < 13 && sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step())
        db.exec("UPDATE stats_snapshot SET layout = 13 WHERE layout = 12");
    // Layout 14 writes a message's lines with their file id once, a key of 23 bits for its
    // Message-ID, its Message-ID, client name and address encoded, a delivery's reply with its
    // recipient by reference and no first try's time where it is the last's; it reads the rows an
    // older layout wrote as they are (linecodec, Cache::findMessages, replycodec, ipcodec, the
    // readers' coalesce). Again the version is the step: an older Mailtrail refuses the cache
    // instead of misreading the new rows.
    if (version < 14 && sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step())
        db.exec("UPDATE stats_snapshot SET layout = 14 WHERE layout = 13");
    // Later layouts add their steps here: if (version < 15) db.exec(Version15Steps); ...
    db.exec(("PRAGMA user_version = " + std::to_string(CurrentVersion)).c_str());
    tx.commit();
}

bool readAsIs(sql::Database &db)
{
    const int version = userVersion(db);
    if (version >= 2 && version < CurrentVersion) {
        // Without layout 3's record of messages spanning files, a query of some files shows the
        // messages that started in them.
        if (version == 2)
            db.exec((std::string("CREATE TEMP TABLE ") + MessageFilesColumns).c_str());
        // Without layout 4's, no lines of other programs are counted.
        if (version < 4)
            db.exec((std::string("CREATE TEMP TABLE ") + fileprograms::Columns).c_str());
        if (version < 5) {
            identitydictionary::addTo(db);
            db.exec(withVersion7Columns(DictionariesOverStrings).c_str());
        } else if (version == 5) {
            db.exec(withVersion7Columns(ClientsOverDictionary).c_str());
        }
        // Without layout 7's columns: NULL, over views of the tables (or over the views above).
        if (version < 7) {
            if (version != 5)
                db.exec((std::string("CREATE TEMP VIEW messages AS SELECT *") + Version7MessageColumns + Version9MessageColumns +
                         " FROM main.messages").c_str());
            if (version >= 5)
                db.exec((std::string("CREATE TEMP VIEW attempts AS SELECT rowid AS rowid, *") + Version7AttemptColumns +
                         " FROM main.attempts").c_str());
            db.exec(Version7Dictionaries);
        } else if (version < 9) {
            // Layout 9's columns computed from the hops, as the writer computes them.
            db.exec(("CREATE TEMP VIEW messages AS SELECT m.*, " + chainsummary::finalColumns("m", "main.messages") +
                     " FROM main.messages m").c_str());
        }
        if (version < 8)
            db.exec(deliveriesAsOf(version).c_str());
        return true;
    }
    return version == CurrentVersion;
}

void forgetReadAsIs(sql::Database &db)
{
    db.exec("DROP VIEW IF EXISTS temp.messages; DROP VIEW IF EXISTS temp.deliveries; DROP VIEW IF EXISTS temp.attempts;"
            "DROP TABLE IF EXISTS temp.relays; DROP TABLE IF EXISTS temp.dsns; DROP TABLE IF EXISTS temp.message_files;"
            "DROP TABLE IF EXISTS temp.file_programs;"
            "DROP TABLE IF EXISTS temp.tls; DROP TABLE IF EXISTS temp.verdicts");
}

namespace {
// The filter indexes a kind of condition reads.
std::span<const IndexDef> filterIndexesOf(FilterIndex which)
{
    static_assert(std::string_view(FilterIndexes[0].name) == "messages_sender" &&
                  std::string_view(FilterIndexes[1].name) == "deliveries_recipient_rev" &&
                  std::string_view(FilterIndexes[2].name) == "deliveries_orig_rev" &&
                  std::string_view(FilterIndexes[3].name) == "deliveries_code_class" && std::size(FilterIndexes) == 4);
    const std::span<const IndexDef> all(FilterIndexes);
    switch (which) {
    case FilterIndex::Sender: return all.subspan(0, 1);
    case FilterIndex::Recipients: return all.subspan(1, 2);
    case FilterIndex::Codes: return all.subspan(3, 1);
    }
    return {};
}

bool hasEach(sql::Database &db, std::span<const IndexDef> set)
{
    return std::all_of(set.begin(), set.end(), [&db](const IndexDef &index) { return indexExists(db, index.name); });
}
} // namespace

void createIndexes(sql::Database &db)
{
    IndexSorter sorter(db);
    sql::Transaction tx(db);
    createAll(db, FilterIndexes);
    tx.commit();
}

bool hasIndexes(sql::Database &db)
{
    return hasEach(db, FilterIndexes);
}

void createFilterIndex(sql::Database &db, FilterIndex which)
{
    IndexSorter sorter(db);
    sql::Transaction tx(db);
    createAll(db, filterIndexesOf(which));
    tx.commit();
}

bool hasFilterIndex(sql::Database &db, FilterIndex which)
{
    return hasEach(db, filterIndexesOf(which));
}

void createLookupIndexes(sql::Database &db)
{
    IndexSorter sorter(db);
    sql::Transaction tx(db);
    createAll(db, LookupIndexes);
    tx.commit();
}

bool hasLookupIndexes(sql::Database &db)
{
    return hasAll(db, LookupIndexes);
}

void createDeferredIndexes(sql::Database &db)
{
    IndexSorter sorter(db);
    if (!hasIndexes(db)) {
        // The filters' first, committed on their own: the window's filters read them while the
        // others are built (seconds at a gigabyte), before its index in memory is read.
        sql::Transaction tx(db);
        createAll(db, FilterIndexes);
        tx.commit();
    }
    sql::Transaction tx(db);
    createAll(db, LookupIndexes);
    createAll(db, OrderIndexes);
    tx.commit();
}

bool hasDeferredIndexes(sql::Database &db)
{
    return hasIndexes(db) && hasAll(db, LookupIndexes) && hasAll(db, OrderIndexes);
}

void dropDeferredIndexes(sql::Database &db)
{
    dropAll(db, LookupIndexes);
    dropAll(db, OrderIndexes);
}

} // namespace mailtrail::schema
