// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/importstate.h"

#include "cache/linecodec.h"
#include "cache/sqlite.h"

namespace mailtrail::importstate {

std::vector<MessageRecord> loadOpenMessages(sql::Database &db)
{
    std::vector<MessageRecord> open;
    sql::Statement msgs(db, "SELECT m.id, h.name, coalesce(m.queue_id, ''), coalesce(mailtrail_message_id(m.message_id, "
                              "m.sender), ''), m.sender, coalesce(m.size, -1), coalesce(m.nrcpt, -1), "
                              "coalesce(mailtrail_text(m.client_host), ''), coalesce(mailtrail_ip(m.client_ip), ''), "
                              "m.first_seen, m.last_seen, m.utc_offset, m.state, m.origin, "
                              "coalesce(m.parent_qid, ''), m.file_id, m.lines, coalesce(m.parent_id, 0), coalesce(m.prev_hop, 0), "
                              "coalesce((SELECT name FROM tls WHERE id = m.tls_in_id), ''), coalesce(m.sasl_method, ''), "
                              "coalesce(m.sasl_user, ''), coalesce((SELECT name FROM verdicts WHERE id = m.verdicts_id), '') "
                              "FROM messages m JOIN hosts h ON h.id = m.host_id WHERE m.open = 1");
    sql::Statement dels(db, "SELECT d.recipient, d.orig_recipient, d.status, (SELECT name FROM dsns WHERE id = d.dsn_id), "
                              "coalesce(d.reply_code, 0), mailtrail_reply(d.reply_text, d.recipient), (SELECT name FROM relays WHERE id = d.relay_id), "
                              "d.attempts, coalesce(d.first_attempt, d.last_attempt), d.last_attempt, coalesce((SELECT name FROM tls WHERE id = d.tls_id), ''), "
                              "coalesce(d.next_hop, 0) FROM deliveries d WHERE d.message_id = ? "
                              "ORDER BY d.idx");
    sql::Statement stored(db, "SELECT DISTINCT delivery_idx FROM attempts WHERE message_id = ?");
    while (msgs.step()) {
        MessageRecord &m = open.emplace_back();
        m.dbId = msgs.int64(0);
        m.inCache = true;
        m.host = msgs.text(1);
        m.queueId = msgs.text(2);
        m.messageId = msgs.text(3);
        m.hasSender = !msgs.isNull(4);
        m.sender = msgs.text(4);
        m.size = msgs.int64(5);
        m.nrcpt = msgs.integer(6);
        m.clientHost = msgs.text(7);
        m.clientIp = msgs.text(8);
        m.firstSeenMs = msgs.int64(9);
        m.lastSeenMs = msgs.int64(10);
        m.utcOffsetSec = msgs.integer(11);
        m.state = static_cast<MessageState>(msgs.integer(12));
        // Not a column of its own: a message still on hold is open with the Held state, and the
        // correlator recomputes the state from this flag when it saves the message again.
        m.held = m.state == MessageState::Held;
        m.origin = static_cast<MessageOrigin>(msgs.integer(13));
        m.parentQueueId = msgs.text(14);
        m.fileId = static_cast<std::uint32_t>(msgs.int64(15));
        m.lines = linecodec::decode(msgs.blob(16));
        m.parentDbId = msgs.int64(17);
        m.prevHopDbId = msgs.int64(18);
        m.tlsIn = msgs.text(19);
        m.saslMethod = msgs.text(20);
        m.saslUsername = msgs.text(21);
        m.verdicts = msgs.text(22);
        dels.bind(1, m.dbId);
        while (dels.step()) {
            DeliveryRecord &d = m.deliveries.emplace_back();
            d.recipient = dels.text(0);
            d.origRecipient = dels.text(1);
            d.status = static_cast<DeliveryStatus>(dels.integer(2));
            d.dsn = dels.text(3);
            d.replyCode = dels.integer(4);
            d.replyText = dels.text(5);
            d.relay = dels.text(6);
            d.attempts = dels.integer(7);
            d.firstAttemptMs = dels.int64(8);
            d.lastAttemptMs = dels.int64(9);
            d.tls = dels.text(10);
            d.toNextHop = dels.integer(11) != 0;
        }
        dels.reset();
        stored.bind(1, m.dbId);
        while (stored.step()) {
            const auto idx = static_cast<std::size_t>(stored.int64(0));
            if (idx < m.deliveries.size())
                m.deliveries[idx].attemptsStored = true;
        }
        stored.reset();
        // A recipient tried once has no attempt row (the delivery row is that try); once it is
        // tried again, both tries must be written, so the first comes back as a new one.
        for (DeliveryRecord &d : m.deliveries) {
            if (d.attemptsStored || d.lastAttemptMs == 0)
                continue;
            d.newAttempts.push_back(d.lastTry());
        }
    }
    return open;
}

bool hasInterrupted(sql::Database &db)
{
    sql::Statement st(db, "SELECT 1 FROM files WHERE import_run IS NOT NULL LIMIT 1");
    return st.step();
}

void recoverInterrupted(sql::Database &db)
{
    // The runs are read inside the transaction that undoes them: read before it, they could be
    // those of an import that began in between.
    sql::Transaction tx(db);
    std::vector<std::int64_t> runs;
    {
        sql::Statement st(db, "SELECT DISTINCT import_run FROM files WHERE import_run IS NOT NULL");
        while (st.step())
            runs.push_back(st.int64(0));
    }
    if (runs.empty())
        return;
    for (std::int64_t run : runs) {
        sql::Statement ids(db, "SELECT id FROM messages WHERE run = ?");
        sql::Statement delText(db, "DELETE FROM message_text WHERE rowid = ?");
        ids.bind(1, run);
        while (ids.step()) {
            delText.bind(1, ids.int64(0));
            delText.run();
        }
        sql::Statement(db, "DELETE FROM attempts WHERE message_id IN (SELECT id FROM messages WHERE run = ?)").bind(1, run).run();
        sql::Statement(db, "DELETE FROM deliveries WHERE message_id IN (SELECT id FROM messages WHERE run = ?)").bind(1, run).run();
        sql::Statement(db, "DELETE FROM messages WHERE run = ?").bind(1, run).run();
        sql::Statement(db, "DELETE FROM message_files WHERE run = ?").bind(1, run).run();
        sql::Statement(db, "DELETE FROM incidents WHERE run = ?").bind(1, run).run();
        // Files first seen in that run had nothing committed for good: forget them entirely.
        sql::Statement(db, "DELETE FROM files WHERE import_run = ? AND parsed_offset = 0").bind(1, run).run();
        sql::Statement(db, "UPDATE files SET import_run = NULL WHERE import_run = ?").bind(1, run).run();
    }
    tx.commit();
}

} // namespace mailtrail::importstate
