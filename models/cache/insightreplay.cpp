// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Cache::replayForInsights: the messages and incidents of opened history handed to the insight
// rules in log time, as an import would have handed them over.
#include "cache/cache.h"
#include "cache/sqlite.h"
#include "correlation/correlator.h"

#include <sqlite3.h>

#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailtrail {

namespace {

std::string inList(const std::vector<std::int64_t> &ids)
{
    std::string in;
    for (std::int64_t id : ids)
        in += (in.empty() ? "" : ",") + std::to_string(id);
    return in;
}

// A dictionary's names by id (relays, dsns: a few hundred), read once rather than looked up again
// for every delivery and try.
std::vector<std::string> namesById(sql::Database &db, const char *table)
{
    std::vector<std::string> names;
    sql::Statement st(db, std::string("SELECT id, name FROM ") + table);
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        if (id < 0)
            continue;
        if (static_cast<std::size_t>(id) >= names.size())
            names.resize(static_cast<std::size_t>(id) + 1);
        names[static_cast<std::size_t>(id)] = st.text(1);
    }
    return names;
}

const std::string &nameOf(const std::vector<std::string> &names, std::int64_t id)
{
    static const std::string none;
    return id > 0 && static_cast<std::size_t>(id) < names.size() ? names[static_cast<std::size_t>(id)] : none;
}

// A recipient index past this is a damaged row: no snapshot allocates for it.
constexpr std::size_t MaxRecipients = std::size_t{1} << 20;

} // namespace

bool Cache::replayForInsights(const std::vector<std::int64_t> &fileIds, InsightCursor &cursor,
                              const std::function<bool()> &cancelled,
                              const std::function<bool(const MessageRecord &)> &message,
                              const std::function<bool(const IncidentRecord &)> &incident)
{
    m_error.clear();
    followLayout();
    // First with the sorts' runs in temporary files; when those cannot be written (a full or
    // unwritable temporary directory: SQLite's, /var/tmp by default) before anything was handed
    // over, in memory as before.
    bool begun = false;
    int failure = 0;
    if (replayOnce(fileIds, cursor, cancelled, message, incident, true, begun, failure))
        return true;
    if (begun || (failure != SQLITE_FULL && failure != SQLITE_CANTOPEN && failure != SQLITE_IOERR))
        return false;
    m_error.clear();
    return replayOnce(fileIds, cursor, cancelled, message, incident, false, begun, failure);
}

bool Cache::replayOnce(const std::vector<std::int64_t> &fileIds, InsightCursor &cursor, const std::function<bool()> &cancelled,
                       const std::function<bool(const MessageRecord &)> &message,
                       const std::function<bool(const IncidentRecord &)> &incident, bool inRuns, bool &begun, int &failure)
{
    try {
        std::string messageScope = " WHERE m.last_seen >= " + std::to_string(cursor.lastSeenMs);
        std::string incidentScope = " WHERE i.id > " + std::to_string(cursor.lastIncidentId);
        if (!fileIds.empty()) {
            const std::string in = inList(fileIds);
            messageScope += " AND (m.file_id IN (" + in + ") OR m.id IN (SELECT message_id FROM message_files WHERE file_id IN (" +
                            in + ")))";
            incidentScope += " AND i.file_id IN (" + in + ")";
        }
        // The two streams below are sorted by time in SQLite: every message of the cache, and the
        // tries of recipients tried more than once. In memory, those sorts held 78 MB at 1 GB
        // while the window read its index in memory; in runs, the connection's page cache (4 MiB
        // on a reader; docs/store.md, "The window's memory").
        std::optional<sql::SortRunsScope> sortInRuns;
        if (inRuns)
            sortInRuns.emplace(*m_db);
        // Only what the rules read: addresses, client, state, and each delivery's tries. A message
        // whole at its last line (those still open when the import ended, after all), as an
        // import hands them to the rules.
        sql::Statement msgs(*m_db, "SELECT m.id, m.last_seen, m.first_seen, coalesce(mailtrail_ip(m.client_ip), ''), m.state, m.file_id, "
                                   "m.open, m.host_id FROM messages m" + messageScope + " ORDER BY m.open, m.last_seen, m.id");
        sql::Statement dels(*m_db, "SELECT d.recipient, d.status, coalesce(d.dsn_id, 0), "
                                   "coalesce(d.reply_code, 0), coalesce(mailtrail_reply(d.reply_text, d.recipient), ''), "
                                   "coalesce(d.relay_id, 0), d.attempts, "
                                   "coalesce(d.first_attempt, d.last_attempt), d.last_attempt FROM deliveries d WHERE d.message_id = ? ORDER BY d.idx");
        sql::Statement tries(*m_db, "SELECT a.delivery_idx, a.time, a.status, coalesce(a.reply_code, 0), "
                                    "coalesce(a.dsn_id, 0), coalesce(a.relay_id, 0), "
                                    "coalesce(mailtrail_reply(a.reply_text), ''), a.counted FROM attempts a "
                                    "WHERE a.message_id = ? ORDER BY a.delivery_idx, a.time");
        // Before that, each counted try of a recipient tried more than once, in log time: the rules
        // see a destination defer when it did, whatever the log holds after (a message that ended
        // hours later, or not in this log). A recipient tried once is its delivery row: of an
        // ended message, it comes with the message, which ends with its try; of one still open
        // (handed over after all), it comes here, at its time: its counted attempt row when it has
        // one (tries that tried nothing since, "delivery temporarily suspended", moved the
        // delivery row's last try past it), else its delivery row. By its count of tries, not by
        // its attempt rows: a message still open at the end of an import and continued by the next
        // has a row for the one try of each recipient (ImportStore::openMessages gives it back as
        // a new try), which the log imported at once has not; taken as a try of its own, it came
        // at its time where the whole log's came with its message, and the insights of a log
        // imported in appends (a follow's batches) drifted from those of the whole log.
        const std::string tryColumns = "m.last_seen, m.first_seen, coalesce(mailtrail_ip(m.client_ip), ''), m.file_id, m.host_id, d.recipient";
        sql::Statement timed(*m_db, "SELECT a.message_id, a.delivery_idx, a.time, a.status, coalesce(a.reply_code, 0), "
                                    "coalesce(a.dsn_id, 0), coalesce(a.relay_id, 0), coalesce(mailtrail_reply(a.reply_text), ''), " +
                                        tryColumns + ", a.rowid AS seq "
                                    "FROM attempts a JOIN messages m ON m.id = a.message_id "
                                    "JOIN deliveries d ON d.message_id = a.message_id AND d.idx = a.delivery_idx" +
                                        messageScope + " AND a.counted AND (d.attempts > 1 OR m.open) "
                                    "UNION ALL SELECT d.message_id, d.idx, d.last_attempt, d.status, coalesce(d.reply_code, 0), "
                                    "coalesce(d.dsn_id, 0), coalesce(d.relay_id, 0), coalesce(mailtrail_reply(d.reply_text, d.recipient), ''), " +
                                        tryColumns + ", 0 FROM messages m JOIN deliveries d ON d.message_id = m.id" +
                                        messageScope + " AND m.open AND d.attempts = 1 AND d.last_attempt > 0 "
                                    "AND NOT EXISTS (SELECT 1 FROM attempts x WHERE x.message_id = d.message_id AND x.delivery_idx = d.idx "
                                    "AND x.counted) "
                                    "ORDER BY 3, 1, 2, 15");
        sql::Statement incs(*m_db, "SELECT i.time, i.kind, coalesce(i.client_host, ''), coalesce(i.client_ip, ''), "
                                   "coalesce(i.detail, ''), i.id, i.file_id, i.host_id FROM incidents i" + incidentScope +
                                   " ORDER BY i.time, i.id");
        bool haveMessage = msgs.step();
        bool haveTry = timed.step();
        bool haveIncident = incs.step();
        // Read after the first step, in the same read transaction: every id the rows hold is there.
        const std::vector<std::string> dsns = namesById(*m_db, "dsns");
        const std::vector<std::string> relays = namesById(*m_db, "relays");
        // The server of each line, as the import hands it over: the rules keep servers apart.
        const std::vector<std::string> hosts = namesById(*m_db, "hosts");
        // Handed over whole by an earlier replay (the same second as where it ended).
        const auto handedBefore = [&cursor](std::int64_t id, std::int64_t lastSeenMs) {
            return lastSeenMs == cursor.lastSeenMs && cursor.atLastSeen.count(id) > 0;
        };
        // Of each message not handed over whole yet: its recipients as their tries so far left them.
        std::unordered_map<std::int64_t, std::vector<DeliveryRecord>> sofar;
        MessageRecord m;
        IncidentRecord i;
        while (haveMessage || haveIncident || haveTry) {
            begun = true;
            if (cancelled && cancelled())
                return true;
            // Open messages come after everything else: their tries are in the timed stream.
            const bool messageOpen = haveMessage && msgs.int64(6) != 0;
            const std::int64_t messageAt = !haveMessage ? std::numeric_limits<std::int64_t>::max()
                                           : messageOpen ? std::numeric_limits<std::int64_t>::max() - 1
                                                         : msgs.int64(1);
            const std::int64_t tryAt = haveTry ? timed.int64(2) : std::numeric_limits<std::int64_t>::max();
            if (haveIncident && incs.int64(0) < std::min(messageAt, tryAt)) {
                i.timeMs = incs.int64(0);
                i.kind = static_cast<IncidentKind>(incs.integer(1));
                i.clientHost = incs.text(2);
                i.clientIp = incs.text(3);
                i.detail = incs.text(4);
                cursor.lastIncidentId = incs.int64(5);
                i.line.fileId = static_cast<std::uint32_t>(incs.int64(6));
                i.host = nameOf(hosts, incs.int64(7));
                if (!incident(i))
                    return true;
                haveIncident = incs.step();
                continue;
            }
            if (haveTry && (!haveMessage || tryAt <= messageAt)) {
                const std::int64_t id = timed.int64(0);
                const auto idx = static_cast<std::size_t>(timed.int64(1));
                // A try after its message's last line (a cache written by hand) comes with the message.
                if (handedBefore(id, timed.int64(8)) || timed.int64(2) > timed.int64(8) || idx >= MaxRecipients) {
                    haveTry = timed.step();
                    continue;
                }
                std::vector<DeliveryRecord> &recipients = sofar[id];
                if (recipients.size() <= idx)
                    recipients.resize(idx + 1);
                DeliveryRecord &d = recipients[idx];
                d.recipient = timed.text(13);
                d.status = static_cast<DeliveryStatus>(timed.integer(3));
                d.replyCode = timed.integer(4);
                d.dsn = nameOf(dsns, timed.int64(5));
                d.relay = nameOf(relays, timed.int64(6));
                d.replyText = timed.text(7);
                ++d.attempts;
                d.lastAttemptMs = timed.int64(2);
                if (d.firstAttemptMs == 0)
                    d.firstAttemptMs = d.lastAttemptMs;
                m = MessageRecord{};
                m.dbId = id;
                m.inCache = true;
                m.lastSeenMs = timed.int64(2);  // as it stood then: open, its last line this try
                m.firstSeenMs = timed.int64(9);
                m.clientIp = timed.text(10);
                m.fileId = static_cast<std::uint32_t>(timed.int64(11));
                m.host = nameOf(hosts, timed.int64(12));
                m.deliveries = recipients;
                m.deliveries[idx].newAttempts.push_back(d.lastTry());  // counted: attempts > 0
                if (!message(m))
                    return true;
                haveTry = timed.step();
                continue;
            }
            m = MessageRecord{};
            m.dbId = msgs.int64(0);
            m.inCache = true;
            m.lastSeenMs = msgs.int64(1);
            m.firstSeenMs = msgs.int64(2);
            m.clientIp = msgs.text(3);
            m.state = static_cast<MessageState>(msgs.integer(4));
            m.fileId = static_cast<std::uint32_t>(msgs.int64(5));  // a gap between two logs is no silence
            m.removed = !messageOpen;  // ended: the rules forget it, as after an import
            m.host = nameOf(hosts, msgs.int64(7));
            sofar.erase(m.dbId);
            haveMessage = msgs.step();
            if (handedBefore(m.dbId, m.lastSeenMs))
                continue;
            if (m.lastSeenMs > cursor.lastSeenMs) {
                cursor.lastSeenMs = m.lastSeenMs;
                cursor.atLastSeen.clear();
            }
            cursor.atLastSeen.insert(m.dbId);
            dels.bind(1, m.dbId);
            while (dels.step()) {
                DeliveryRecord &d = m.deliveries.emplace_back();
                d.recipient = dels.text(0);
                d.status = static_cast<DeliveryStatus>(dels.integer(1));
                d.dsn = nameOf(dsns, dels.int64(2));
                d.replyCode = dels.integer(3);
                d.replyText = dels.text(4);
                d.relay = nameOf(relays, dels.int64(5));
                d.attempts = dels.integer(6);
                d.firstAttemptMs = dels.int64(7);
                d.lastAttemptMs = dels.int64(8);
                // Still open, deferred by tries that tried nothing ("delivery temporarily
                // suspended", Exim's "retry time not reached"): no try yet, so nothing for the rules
                // to count. Handed over as it stood at a pass's end, it was a deferral at the last
                // skipped one, and a follow, whose every batch ends such a pass, found destinations
                // deferring that one replay of the whole cache did not (session 22's trial).
                if (messageOpen && d.attempts == 0 && d.status == DeliveryStatus::Deferred)
                    d.status = DeliveryStatus::None;
            }
            dels.reset();
            // Every try of a recipient tried more than once; one tried once is its delivery row,
            // whatever attempt rows an import that continued it left (see `timed`).
            tries.bind(1, m.dbId);
            while (tries.step()) {
                const auto idx = static_cast<std::size_t>(tries.int64(0));
                if (idx >= m.deliveries.size() || m.deliveries[idx].attempts <= 1)
                    continue;
                AttemptRecord &a = m.deliveries[idx].newAttempts.emplace_back();
                a.timeMs = tries.int64(1);
                a.status = static_cast<DeliveryStatus>(tries.integer(2));
                a.replyCode = tries.integer(3);
                a.dsn = nameOf(dsns, tries.int64(4));
                a.relay = nameOf(relays, tries.int64(5));
                a.replyText = tries.text(6);
                a.counted = tries.integer(7) != 0;
            }
            tries.reset();
            if (!message(m))
                return true;
        }
        return true;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        failure = e.code() & 0xff;
        return false;
    }
}

} // namespace mailtrail
