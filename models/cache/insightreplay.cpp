// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Cache::replayForInsights: the messages and incidents of opened history handed to the insight
// rules in log time, as an import would have handed them over.
#include "cache/cache.h"
#include "cache/sqlite.h"
#include "correlation/correlator.h"

#include <string>
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

} // namespace

bool Cache::replayForInsights(const std::vector<std::int64_t> &fileIds, std::int64_t fromLastSeenMs,
                              std::int64_t &lastIncidentId, const std::function<bool()> &cancelled,
                              const std::function<bool(const MessageRecord &)> &message,
                              const std::function<bool(const IncidentRecord &)> &incident)
{
    m_error.clear();
    followLayout();
    try {
        std::string messageScope = " WHERE m.last_seen >= " + std::to_string(fromLastSeenMs);
        std::string incidentScope = " WHERE i.id > " + std::to_string(lastIncidentId);
        if (!fileIds.empty()) {
            const std::string in = inList(fileIds);
            messageScope += " AND (m.file_id IN (" + in + ") OR m.id IN (SELECT message_id FROM message_files WHERE file_id IN (" +
                            in + ")))";
            incidentScope += " AND i.file_id IN (" + in + ")";
        }
        // Only what the rules read: addresses, client, state, and each delivery's tries. In the
        // order an import hands them to the rules (`follow --alerts`), so that both fire alike: a
        // message when it ends (its last line), those still open when the import ends, after all.
        sql::Statement msgs(*m_db, "SELECT m.id, m.last_seen, m.first_seen, coalesce(m.client_ip, ''), m.state, m.file_id, "
                                   "m.open, m.host_id FROM messages m" + messageScope + " ORDER BY m.open, m.last_seen, m.id");
        sql::Statement dels(*m_db, "SELECT d.recipient, d.status, coalesce(d.dsn_id, 0), "
                                   "coalesce(d.reply_code, 0), coalesce(d.reply_text, ''), "
                                   "coalesce(d.relay_id, 0), d.attempts, "
                                   "d.first_attempt, d.last_attempt FROM deliveries d WHERE d.message_id = ? ORDER BY d.idx");
        sql::Statement tries(*m_db, "SELECT a.delivery_idx, a.time, a.status, coalesce(a.reply_code, 0), "
                                    "coalesce(a.dsn_id, 0), coalesce(a.relay_id, 0), "
                                    "coalesce(a.reply_text, ''), a.counted FROM attempts a "
                                    "WHERE a.message_id = ? ORDER BY a.delivery_idx, a.time");
        sql::Statement incs(*m_db, "SELECT i.time, i.kind, coalesce(i.client_host, ''), coalesce(i.client_ip, ''), "
                                   "coalesce(i.detail, ''), i.id, i.file_id, i.host_id FROM incidents i" + incidentScope +
                                   " ORDER BY i.time, i.id");
        bool haveMessage = msgs.step();
        bool haveIncident = incs.step();
        // Read after the first step, in the same read transaction: every id the rows hold is there.
        const std::vector<std::string> dsns = namesById(*m_db, "dsns");
        const std::vector<std::string> relays = namesById(*m_db, "relays");
        // The server of each line, as the import hands it over: the rules keep servers apart.
        const std::vector<std::string> hosts = namesById(*m_db, "hosts");
        MessageRecord m;
        IncidentRecord i;
        while (haveMessage || haveIncident) {
            if (cancelled && cancelled())
                return true;
            if (haveIncident && (!haveMessage || incs.int64(0) < msgs.int64(1))) {
                i.timeMs = incs.int64(0);
                i.kind = static_cast<IncidentKind>(incs.integer(1));
                i.clientHost = incs.text(2);
                i.clientIp = incs.text(3);
                i.detail = incs.text(4);
                lastIncidentId = incs.int64(5);
                i.line.fileId = static_cast<std::uint32_t>(incs.int64(6));
                i.host = nameOf(hosts, incs.int64(7));
                if (!incident(i))
                    return true;
                haveIncident = incs.step();
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
            m.removed = msgs.int64(6) == 0;  // ended: the rules forget it, as after an import
            m.host = nameOf(hosts, msgs.int64(7));
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
            }
            dels.reset();
            // Every try of a recipient tried more than once; one tried once is its delivery row.
            tries.bind(1, m.dbId);
            while (tries.step()) {
                const auto idx = static_cast<std::size_t>(tries.int64(0));
                if (idx >= m.deliveries.size())
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
            haveMessage = msgs.step();
        }
        return true;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return false;
    }
}

} // namespace mailtrail
