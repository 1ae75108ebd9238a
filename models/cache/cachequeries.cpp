// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The read side of Cache: filtered counts and pages of rows, one message in detail.
#include "cache/cache.h"

#include "cache/importlock.h"
#include "cache/linecodec.h"
#include "cache/memoryindex.h"
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

namespace mailtrail {

namespace {

#define OWN_DSN                                                                                                        \
    "coalesce((SELECT s.name FROM deliveries d JOIN dsns s ON s.id = d.dsn_id WHERE d.message_id = m.id AND d.status = "   \
    "m.state ORDER BY d.idx LIMIT 1), '')"
constexpr const char *MessageColumnsHead =
    "m.id, h.name, coalesce(m.queue_id, ''), coalesce(mailtrail_message_id(m.message_id, m.sender), ''), m.sender, "
    "coalesce(m.size, -1), coalesce(m.nrcpt, -1), coalesce(mailtrail_text(m.client_host), ''), "
    "coalesce(mailtrail_ip(m.client_ip), ''), m.first_seen, m.last_seen, "
    "m.utc_offset, m.state, m.origin, m.open, m.rcpt_count, ";
// After the first recipient (schema::firstRecipientOf). A chain's row: the code and tries of its
// last hop, beside its state (chainsummary.h).
constexpr const char *MessageColumnsTail =
    "coalesce(m.chain_code, m.last_code, 0), "
    "coalesce(m.chain_attempts, m.attempts), coalesce(m.parent_id, 0), coalesce(m.parent_qid, ''), m.file_id, coalesce(m.chain_id, 0), "
    "coalesce(m.prev_hop, 0), coalesce(m.hops, 1), coalesce(m.chain_state, m.state), "
    "coalesce((SELECT name FROM tls WHERE id = m.tls_in_id), ''), coalesce(m.sasl_method, ''), coalesce(m.sasl_user, ''), "
    "coalesce((SELECT name FROM verdicts WHERE id = m.verdicts_id), ''), "
    // Of a chain, a later hop's (of several, the one the dictionary got last: no ORDER BY, a page's
    // plan sorts nothing).
    "coalesce((SELECT name FROM tls WHERE id = CASE WHEN m.hops > 1 THEN (SELECT max(h.tls_out_id) FROM messages h "
    "WHERE h.chain_id = m.id AND h.id <> m.id) ELSE m.tls_out_id END), '')"
    // A hop's own code and tries, when it is listed as a hop.
    ", coalesce(m.last_code, 0), m.attempts, "
    // Without a reply code, the enhanced code beside the status: of the first recipient in that
    // status that has one, among a chain's final deliveries (not the hand-overs; hop by hop), or
    // the hop's own. Read for the listed rows only, in the order of the indexes that find them
    // (messages_chain, deliveries_message): nothing sorted.
    "CASE WHEN coalesce(m.chain_code, m.last_code, 0) <> 0 THEN '' WHEN m.chain_id = m.id THEN coalesce((SELECT s.name "
    "FROM messages k JOIN deliveries d ON d.message_id = k.id JOIN dsns s ON s.id = d.dsn_id WHERE k.chain_id = m.id "
    "AND k.id <> m.id AND d.next_hop IS NULL AND d.status = m.chain_state ORDER BY k.id, d.idx LIMIT 1), '') "
    "ELSE " OWN_DSN " END, "
    "CASE WHEN coalesce(m.last_code, 0) <> 0 THEN '' ELSE " OWN_DSN " END";
constexpr int MessageColumnCount = 35;
#undef OWN_DSN

// Layout 12 keeps no first recipient in the messages: read for the listed rows only.
const char *messageColumns()
{
    static const std::string columns =
        MessageColumnsHead + ("coalesce(" + schema::firstRecipientOf("m") + ", ''), ") + MessageColumnsTail;
    return columns.c_str();
}

MessageRow readMessage(const sql::Statement &st)
{
    MessageRow r;
    r.id = st.int64(0);
    r.host = st.text(1);
    r.queueId = st.text(2);
    r.messageId = st.text(3);
    r.hasSender = !st.isNull(4);
    r.sender = st.text(4);
    r.size = st.int64(5);
    r.nrcpt = st.integer(6);
    r.clientHost = st.text(7);
    r.clientIp = st.text(8);
    r.firstSeenMs = st.int64(9);
    r.lastSeenMs = st.int64(10);
    r.utcOffsetSec = st.integer(11);
    r.state = static_cast<MessageState>(st.integer(12));
    r.origin = static_cast<MessageOrigin>(st.integer(13));
    r.open = st.integer(14) != 0;
    r.recipientCount = st.integer(15);
    r.firstRecipient = st.text(16);
    // A refusal that named no recipient (a client refused at connect, Sendmail's nrcpts=0 with no
    // refusal of its own) keeps a row for its reply, counted in rcpt_count as the Deliveries table
    // counts rows; it is no recipient: "0 recipients", not "1" (session 16's trial).
    if (r.state == MessageState::Rejected && r.firstRecipient.empty())
        r.recipientCount = 0;
    r.lastCode = st.integer(17);
    r.lastDsn = st.text(33);
    r.attempts = st.integer(18);
    r.parentId = st.int64(19);
    r.parentQueueId = st.text(20);
    r.fileId = st.int64(21);
    r.chainId = st.int64(22);
    r.prevHop = st.int64(23);
    r.hops = st.integer(24);
    r.finalState = static_cast<MessageState>(st.integer(25));
    r.tlsIn = st.text(26);
    r.saslMethod = st.text(27);
    r.saslUser = st.text(28);
    r.verdicts = st.text(29);
    r.tlsOut = st.text(30);
    return r;
}

// A row listed as a hop of its own: its own state, code and tries, not its chain's.
MessageRow readHop(const sql::Statement &st)
{
    MessageRow r = readMessage(st);
    r.finalState = r.state;
    r.lastCode = st.integer(31);
    r.attempts = st.integer(32);
    r.lastDsn = st.text(34);
    return r;
}

// A delivery's time is its message's arrival: of a chain (a content filter's re-injection), its
// first hop's, as `messages` lists it, not its own hop's (session 17's trial).
#define ChainArrival                                                                                 \
    "CASE WHEN m.chain_id IS NULL OR m.chain_id = m.id THEN m.first_seen ELSE coalesce((SELECT "     \
    "f.first_seen FROM messages f WHERE f.id = m.chain_id), m.first_seen) END"
constexpr const char *DeliveryColumns =
    "d.message_id, d.idx, " ChainArrival ", coalesce(d.last_attempt, m.last_seen), m.utc_offset, h.name, "
    "coalesce(m.queue_id, ''), coalesce(mailtrail_message_id(m.message_id, m.sender), ''), coalesce(m.sender, ''), "
    "coalesce(d.recipient, ''), "
    "coalesce(d.orig_recipient, ''), d.status, coalesce((SELECT name FROM dsns WHERE id = d.dsn_id), ''), "
    "coalesce(d.reply_code, 0), d.attempts, coalesce((SELECT name FROM relays WHERE id = d.relay_id), ''), "
    "coalesce(mailtrail_reply(d.reply_text, d.recipient), ''), m.file_id, coalesce((SELECT name FROM tls WHERE id = d.tls_id), ''), "
    "coalesce(d.next_hop, 0), "
    "CASE WHEN m.chain_id IS NULL OR m.chain_id = m.id THEN coalesce(m.queue_id, '') "
    "ELSE coalesce((SELECT f.queue_id FROM messages f WHERE f.id = m.chain_id), '') END, m.first_seen";
#undef ChainArrival

DeliveryRow readDelivery(const sql::Statement &st)
{
    DeliveryRow r;
    r.messageDbId = st.int64(0);
    r.index = st.integer(1);
    r.firstSeenMs = st.int64(2);
    r.lastSeenMs = st.int64(3);
    r.utcOffsetSec = st.integer(4);
    r.host = st.text(5);
    r.queueId = st.text(6);
    r.messageId = st.text(7);
    r.sender = st.text(8);
    r.recipient = st.text(9);
    r.origRecipient = st.text(10);
    r.status = static_cast<DeliveryStatus>(st.integer(11));
    r.dsn = st.text(12);
    r.replyCode = st.integer(13);
    r.attempts = st.integer(14);
    r.relay = st.text(15);
    r.reason = st.text(16);
    r.fileId = st.int64(17);
    r.tls = st.text(18);
    r.toNextHop = st.integer(19) != 0;
    r.messageQueueId = st.text(20);
    r.hopSeenMs = st.int64(21);
    return r;
}

// A delivery listed with every hop of its chain (--hops): its time is its own hop's arrival.
DeliveryRow readDeliveryHop(const sql::Statement &st)
{
    DeliveryRow r = readDelivery(st);
    r.firstSeenMs = r.hopSeenMs;
    return r;
}

// The rows of a grain, without the hosts. `walkTime`: many rows match a time-ordered delivery
// listing, so the messages' time index leads and each message's deliveries are tested in turn,
// stopping after a page; otherwise the planner may gather every match from a deliveries index and
// sort them.
const char *rowsFrom(Grain grain, bool walkTime)
{
    if (grain == Grain::Messages)
        return " FROM messages m";
    return walkTime ? " FROM messages m CROSS JOIN deliveries d ON d.message_id = m.id"
                    : " FROM deliveries d JOIN messages m ON m.id = d.message_id";
}

// CROSS JOIN keeps the few hosts the inner loop: left to itself the planner scans the one host
// and walks its messages through the host index, sorting the whole result for each page.
std::string fromClause(Grain grain, bool walkTime = false)
{
    return rowsFrom(grain, walkTime) + std::string(" CROSS JOIN hosts h ON h.id = m.host_id");
}

} // namespace

std::int64_t Cache::count(Grain grain, const Filter &requested)
{
    prepareTextFilter(requested);
    const Filter filter = simplified(requested, true);
    if (const auto index = memoryIndexFor(filter))
        return index->count(memorySelection(index, filter), grain);
    try {
        QueryBuilder q(grain, filter);
        sql::Statement st(*m_db, q.countSql());
        q.bind(st);
        return st.step() ? st.int64(0) : 0;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return 0;
    }
}

namespace {

// A page of rows in order; `anchored`: after the row bound last (time order only).
std::string pageSql(Grain grain, const QueryBuilder &q, const char *columns, Sort sort, bool dense, bool anchored)
{
    std::string where = q.where();
    if (anchored) {
        // Row values in the time index's own order: a seek, then the next rows.
        const char *cmp = sort.descending ? " < " : " > ";
        where += (where.empty() ? " WHERE " : " AND ") +
            (grain == Grain::Deliveries ? "(m.first_seen, m.file_id, m.id, d.idx)" + std::string(cmp) + "(?, ?, ?, ?)"
                                        : "(m.first_seen, m.file_id, m.id)" + std::string(cmp) + "(?, ?, ?)");
    }
    return std::string("SELECT ") + columns + fromClause(grain, dense && sort.key == SortKey::Time) + where +
        q.orderBy(sort) + " LIMIT ? OFFSET ?";
}

template<typename Row, typename Read>
bool visitRows(sql::Database &db, std::string &error, const std::string &path, Grain grain, const char *columns, const Filter &filter, Sort sort,
               std::int64_t offset, std::int64_t limit, Read read, const std::function<bool(const Row &)> &visit,
               bool dense = false, const PageAnchor *after = nullptr)
{
    try {
        // Callers pass the filter through Cache::simplified() first.
        QueryBuilder q(grain, filter, dense);
        const bool anchored = after && sort.key == SortKey::Time;
        sql::Statement st(db, pageSql(grain, q, columns, sort, dense, anchored));
        int next = q.bind(st);
        if (anchored) {
            st.bind(next, after->firstSeenMs).bind(next + 1, after->fileId).bind(next + 2, after->messageId);
            next += 3;
            if (grain == Grain::Deliveries)
                st.bind(next++, after->deliveryIndex);
        }
        st.bind(next, limit).bind(next + 1, anchored ? std::int64_t(0) : offset);
        while (st.step()) {
            if (!visit(read(st)))
                break;
        }
        st.reset();
        return true;
    } catch (const sql::Error &e) {
        error = sql::describe(e, path);
        return false;
    }
}

} // namespace

std::vector<PageAnchor> Cache::pageAnchors(Grain grain, const Filter &requested, Sort sort, std::int64_t pageSize,
                                           bool dense)
{
    std::vector<PageAnchor> anchors;
    if (sort.key != SortKey::Time || pageSize <= 0)
        return anchors;
    prepareTextFilter(requested);
    const Filter filter = simplified(requested, grain == Grain::Messages);
    if (const auto index = grain == Grain::Messages ? memoryIndexFor(filter) : nullptr)
        return index->pageAnchors(memorySelection(index, filter), sort.descending, pageSize);
    try {
        QueryBuilder q(grain, filter, dense);
        const bool perDelivery = grain == Grain::Deliveries;
        sql::Statement st(*m_db, std::string("SELECT m.first_seen, m.file_id, m.id") + (perDelivery ? ", d.idx" : "") +
                                     rowsFrom(grain, dense) + q.where() + q.orderBy(sort));
        q.bind(st);
        std::int64_t row = 0;
        while (st.step()) {
            if (++row % pageSize == 0)
                anchors.push_back(PageAnchor{st.int64(0), st.int64(1), st.int64(2), perDelivery ? st.integer(3) : -1});
        }
        st.reset();
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        anchors.clear();
    }
    return anchors;
}

std::int64_t Cache::rowPosition(Grain grain, const Filter &requested, Sort sort, std::int64_t messageId, int deliveryIndex)
{
    prepareTextFilter(requested);
    const bool fromMemory = grain == Grain::Messages && sort.key == SortKey::Time;
    const Filter filter = simplified(requested, fromMemory);
    if (const auto index = fromMemory ? memoryIndexFor(filter) : nullptr)
        return index->position(memorySelection(index, filter), sort.descending, messageId);
    try {
        // The order's own walk, as the pages take it (its index, no sort), up to the row.
        QueryBuilder q(grain, filter);
        const bool perDelivery = grain == Grain::Deliveries;
        sql::Statement st(*m_db, std::string("SELECT m.id") + (perDelivery ? ", d.idx" : "") + rowsFrom(grain, false) +
                                     q.where() + q.orderBy(sort));
        q.bind(st);
        for (std::int64_t row = 0; st.step(); ++row) {
            if (st.int64(0) == messageId && (!perDelivery || deliveryIndex < 0 || st.integer(1) == deliveryIndex)) {
                st.reset();
                return row;
            }
        }
        st.reset();
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return -1;
}

std::vector<MessageRow> Cache::messages(const Filter &filter, Sort sort, std::int64_t offset, std::int64_t limit,
                                       bool dense, const PageAnchor *after)
{
    prepareTextFilter(filter);
    std::vector<MessageRow> rows;
    Filter listed = simplified(filter, sort.key == SortKey::Time);
    if (const auto index = sort.key == SortKey::Time ? memoryIndexFor(listed) : nullptr) {
        // The page's keys from memory, its rows by id from SQLite, in the same order.
        Filter byId;
        byId.messageIds = index->page(memorySelection(index, listed), sort.descending, offset, limit, after);
        if (byId.messageIds.empty())
            return rows;
        listed = byId;
        offset = 0;
        limit = static_cast<std::int64_t>(byId.messageIds.size());
        dense = false;
        after = nullptr;
    }
    visitRows<MessageRow>(*m_db, m_error, m_path, Grain::Messages, messageColumns(), listed, sort, offset, limit,
                          filter.chains ? readMessage : readHop,
                          [&rows](const MessageRow &r) {
                              rows.push_back(r);
                              return true;
                          },
                          dense, after);
    return rows;
}

std::vector<DeliveryRow> Cache::deliveries(const Filter &filter, Sort sort, std::int64_t offset, std::int64_t limit,
                                           bool dense, const PageAnchor *after)
{
    prepareTextFilter(filter);
    std::vector<DeliveryRow> rows;
    visitRows<DeliveryRow>(*m_db, m_error, m_path, Grain::Deliveries, DeliveryColumns, simplified(filter), sort, offset, limit,
                           filter.chains ? readDelivery : readDeliveryHop,
                           [&rows](const DeliveryRow &r) {
                               rows.push_back(r);
                               return true;
                           },
                           dense, after);
    return rows;
}

bool Cache::visitMessages(const Filter &filter, Sort sort, std::int64_t limit,
                          const std::function<bool(const MessageRow &)> &visit)
{
    prepareTextFilter(filter);
    return visitRows<MessageRow>(*m_db, m_error, m_path, Grain::Messages, messageColumns(), simplified(filter), sort, 0, limit,
                                 filter.chains ? readMessage : readHop, visit);
}

bool Cache::visitDeliveries(const Filter &filter, Sort sort, std::int64_t limit,
                            const std::function<bool(const DeliveryRow &)> &visit)
{
    prepareTextFilter(filter);
    return visitRows<DeliveryRow>(*m_db, m_error, m_path, Grain::Deliveries, DeliveryColumns, simplified(filter), sort, 0,
                                  limit, filter.chains ? readDelivery : readDeliveryHop, visit);
}

std::vector<std::string> Cache::hostNames()
{
    followLayout();
    std::vector<std::string> names;
    try {
        sql::Statement st(*m_db, "SELECT name FROM hosts WHERE name <> '' ORDER BY name");
        while (st.step())
            names.emplace_back(st.text(0));
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return names;
}

std::vector<std::string> Cache::hostNames(const std::vector<std::int64_t> &fileIds)
{
    if (fileIds.empty())
        return hostNames();
    std::string ids;
    for (const std::int64_t id : fileIds)
        ids += (ids.empty() ? "" : ",") + std::to_string(id);
    std::vector<std::string> names;
    try {
        // A host's messages in these files: found at once through messages_host for a host they
        // hold; a host they do not hold has its messages walked, off the GUI thread.
        sql::Statement st(*m_db, "SELECT h.name FROM hosts h WHERE h.name <> '' AND EXISTS (SELECT 1 FROM messages m "
                                 "WHERE m.host_id = h.id AND m.file_id IN (" + ids + ")) ORDER BY h.name");
        while (st.step())
            names.emplace_back(st.text(0));
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return names;
}

std::pair<std::int64_t, std::int64_t> Cache::timeRange(const Filter &filter)
{
    try {
        QueryBuilder q(Grain::Messages, filter);
        sql::Statement st(*m_db, "SELECT coalesce(min(m.first_seen), 0), coalesce(max(m.first_seen), 0) FROM messages m" +
                                     q.where());
        q.bind(st);
        if (st.step())
            return {st.int64(0), st.int64(1)};
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return {0, 0};
}

std::string Cache::pagePlan(Grain grain, const Filter &filter, Sort sort, bool dense)
{
    std::string plan;
    try {
        QueryBuilder q(grain, simplified(filter), dense);
        sql::Statement st(*m_db, "EXPLAIN QUERY PLAN " +
                                     pageSql(grain, q, grain == Grain::Deliveries ? DeliveryColumns : messageColumns(), sort,
                                             dense, false));
        const int next = q.bind(st);
        st.bind(next, std::int64_t(256)).bind(next + 1, std::int64_t(0));
        while (st.step())
            plan += std::string(st.text(3)) + '\n';
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return plan;
}

std::string Cache::countPlan(Grain grain, const Filter &filter)
{
    std::string plan;
    try {
        prepareTextFilter(filter);
        QueryBuilder q(grain, simplified(filter));
        sql::Statement st(*m_db, "EXPLAIN QUERY PLAN " + q.countSql());
        q.bind(st);
        while (st.step())
            plan += std::string(st.text(3)) + '\n';
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return plan;
}

std::vector<std::int64_t> Cache::findMessages(const std::string &id, const std::vector<std::int64_t> &fileIds)
{
    std::vector<std::int64_t> ids;
    std::string bare = id;
    if (bare.size() > 2 && bare.front() == '<' && bare.back() == '>')
        bare = bare.substr(1, bare.size() - 2);
    if (m_buildIndexesOnDemand && canBuildIndexes()) {
        // Once per cache; without them the lookup reads every message. Not worth waiting for
        // another process's import: then this lookup reads every message instead. A full disk or
        // a busy cache likewise.
        bool missing = false;
        try {
            missing = !schema::hasLookupIndexes(*m_db);
        } catch (const sql::Error &) {
        }
        if (missing)
            writeUnderLock(false, [](sql::Database &db) { schema::createLookupIndexes(db); });
    }
    // An empty answer must say whether it is "none" or "failed".
    m_error.clear();
    followLayout();
    try {
        std::string sqlText =
            "SELECT m.id FROM messages m WHERE (m.queue_id = ?1 OR (m.message_id_hash IN (?2, ?3) AND " +
            schema::messageIdOf("m") + " = ?1))";
        if (!fileIds.empty())
            sqlText += " AND " + QueryBuilder::scopeCondition(fileIds);
        sqlText += " ORDER BY m.first_seen DESC, m.id DESC";
        sql::Statement st(*m_db, sqlText);
        // The key of layout 14's rows, and the hash of the rows an earlier layout wrote.
        st.bind(1, bare).bind(2, searchkeys::messageIdKey(bare)).bind(3, searchkeys::fnv1a(bare));
        while (st.step())
            ids.push_back(st.int64(0));
        // "cabd81164cf" typed or pasted for Postfix's CABD81164CF: its short ids are upper-case
        // hex. Only when nothing matched as typed (long ids, Exim's and Sendmail's mix the cases).
        std::string upper = bare;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
        if (ids.empty() && upper != bare) {
            st.reset();
            st.bind(1, upper).bind(2, searchkeys::messageIdKey(upper)).bind(3, searchkeys::fnv1a(upper));
            while (st.step())
                ids.push_back(st.int64(0));
        }
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
    }
    return ids;
}

std::optional<MessageDetail> Cache::detail(std::int64_t messageId)
{
    followLayout();
    m_error.clear();
    try {
        MessageDetail d;
        sql::Statement msg(*m_db, std::string("SELECT ") + messageColumns() + ", m.lines" + fromClause(Grain::Messages) +
                                      " WHERE m.id = ?");
        msg.bind(1, messageId);
        if (!msg.step())
            return std::nullopt;
        d.message = readMessage(msg);
        const std::vector<LineRef> refs = linecodec::decode(msg.blob(MessageColumnCount));

        sql::Statement dels(*m_db, std::string("SELECT ") + DeliveryColumns + fromClause(Grain::Deliveries) +
                                       " WHERE d.message_id = ? ORDER BY d.idx");
        dels.bind(1, messageId);
        while (dels.step())
            d.deliveries.push_back(readDelivery(dels));

        sql::Statement att(*m_db, "SELECT a.delivery_idx, a.time, a.status, coalesce(a.reply_code, 0), "
                                  "coalesce((SELECT name FROM dsns WHERE id = a.dsn_id), ''), "
                                  "coalesce((SELECT name FROM relays WHERE id = a.relay_id), ''), "
                                  "coalesce(mailtrail_reply(a.reply_text), ''), coalesce(a.delay, -1), a.counted, "
                                  "coalesce((SELECT name FROM tls WHERE id = a.tls_id), '') "
                                  "FROM attempts a WHERE a.message_id = ? ORDER BY a.time, a.rowid");
        att.bind(1, messageId);
        while (att.step()) {
            AttemptRow a;
            a.deliveryIndex = att.integer(0);
            a.timeMs = att.int64(1);
            a.status = static_cast<DeliveryStatus>(att.integer(2));
            a.replyCode = att.integer(3);
            a.dsn = att.text(4);
            a.relay = att.text(5);
            a.replyText = att.text(6);
            a.delaySec = att.real(7);
            a.counted = att.integer(8) != 0;
            a.tls = att.text(9);
            d.attempts.push_back(std::move(a));
        }
        // Recipients tried once keep that try in their delivery row only (see CacheWriter).
        std::vector<bool> hasRows(d.deliveries.size(), false);
        for (const AttemptRow &a : d.attempts) {
            if (a.deliveryIndex >= 0 && static_cast<std::size_t>(a.deliveryIndex) < hasRows.size())
                hasRows[static_cast<std::size_t>(a.deliveryIndex)] = true;
        }
        for (const DeliveryRow &del : d.deliveries) {
            if (hasRows[static_cast<std::size_t>(del.index)] || (del.status == DeliveryStatus::None && del.attempts == 0))
                continue;
            AttemptRow a;
            a.deliveryIndex = del.index;
            a.timeMs = del.lastSeenMs;
            a.status = del.status;
            a.replyCode = del.replyCode;
            a.dsn = del.dsn;
            a.relay = del.relay;
            a.replyText = del.reason;
            a.counted = del.attempts > 0;
            a.tls = del.tls;
            d.attempts.push_back(std::move(a));
        }
        std::stable_sort(d.attempts.begin(), d.attempts.end(),
                         [](const AttemptRow &x, const AttemptRow &y) { return x.timeMs < y.timeMs; });

        std::unordered_map<std::uint32_t, std::pair<std::string, bool>> files;
        sql::Statement file(*m_db, "SELECT coalesce(path, ''), compressed FROM files WHERE id = ?");
        for (const LineRef &ref : refs) {
            auto it = files.find(ref.fileId);
            if (it == files.end()) {
                file.bind(1, static_cast<std::int64_t>(ref.fileId));
                std::pair<std::string, bool> info;
                if (file.step())
                    info = {std::string(file.text(0)), file.integer(1) != 0};
                file.reset();
                it = files.emplace(ref.fileId, std::move(info)).first;
            }
            d.lines.push_back(RawLineRef{it->second.first, it->second.second, ref.offset});
        }

        sql::Statement kids(*m_db, std::string("SELECT ") + messageColumns() + fromClause(Grain::Messages) +
                                       " WHERE m.parent_id = ? ORDER BY m.first_seen");
        kids.bind(1, messageId);
        while (kids.step())
            d.children.push_back(readMessage(kids));
        kids.reset();
        if (d.message.chainId == messageId) {
            // Later hops were seen after the first, and got their ids in that order.
            std::vector<std::int64_t> hops;
            {
                sql::Statement later(*m_db, "SELECT id FROM messages WHERE chain_id = ? AND id <> chain_id ORDER BY id");
                later.bind(1, messageId);
                while (later.step())
                    hops.push_back(later.int64(0));
            }
            for (std::int64_t hop : hops) {
                std::optional<MessageDetail> hopDetail = detail(hop);
                if (!hopDetail)
                    return std::nullopt;
                d.laterHops.push_back(std::move(*hopDetail));
            }
        }
        return d;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return std::nullopt;
    }
}

} // namespace mailtrail
