// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/cachewriter.h"

#include "cache/chainsummary.h"
#include "cache/charttries.h"
#include "cache/ipcodec.h"
#include "cache/linecodec.h"
#include "cache/replycodec.h"
#include "cache/schema.h"
#include "cache/searchkeys.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <utility>
#include <vector>
#include <pthread.h>

namespace mailtrail {

namespace {
// A batch's records pass through three threads (reading, writing, counting): in batches of 512
// messages (some 2 MB of records) more of them are still in the processor's caches when the next
// thread reads them than in batches of 2048. At 1 GB: 4 % less CPU, 1 % less time, 20 MiB less
// memory at the peak (docs/store.md, session 29); the writer's work left when the reading ends is
// a batch or three, not the 0.2-0.3 s it was.
constexpr std::size_t BatchSize = 512;
// Bounds memory when the writer is slower than the reader (a slow disk; on two cores the three
// threads share them, and the queue fills whenever the writer falls behind): 8 batches of 2048
// took a 1 GB import to its 200 MiB goal once the reader got faster (jemalloc, session 24); 3 kept
// it near 180 MiB, 3 of 512 near 162 MiB, and still give the writer its next batch at once.
constexpr std::size_t MaxQueuedBatches = 3;
// Counting takes a fraction of writing: a written batch rarely waits, and the records it keeps
// from the correlator's pool count against the import's peak memory.
constexpr std::size_t MaxCountingBatches = 2;
constexpr std::int64_t CommitIntervalMs = 1000;
// The window shows rows only once they are committed: the first commit comes sooner, so that a
// dropped log shows its first messages well within a second (issue 13's goal).
constexpr std::int64_t FirstCommitMs = 200;

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The TLS of the latest final delivery over TLS; empty when none went over TLS.
const std::string &tlsOut(const MessageRecord &m)
{
    static const std::string none;
    const DeliveryRecord *latest = nullptr;
    for (const DeliveryRecord &d : m.deliveries) {
        if (!d.tls.empty() && !d.toNextHop && (!latest || d.lastAttemptMs >= latest->lastAttemptMs))
            latest = &d;
    }
    return latest ? latest->tls : none;
}

// The key of messages.message_id_hash; 0 for no Message-ID (stored as NULL).
std::int64_t messageIdKeyOf(const MessageRecord &m)
{
    return m.messageId.empty() ? 0 : searchkeys::messageIdKey(m.messageId);
}
} // namespace

double threadCpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

CacheWriter::CacheWriter(sql::Database &db, std::int64_t importRun, std::function<void()> committed, bool replaceAll)
    : m_db(db)
    , m_run(importRun)
    , m_committed(std::move(committed))
    , m_insertMessage(db, "INSERT INTO messages(host_id, queue_id, message_id, sender, size, nrcpt, client_host, "
                          "client_ip, first_seen, last_seen, utc_offset, state, open, origin, parent_qid, file_id, "
                          "run, rcpt_count, last_code, attempts, lines, id, parent_id, message_id_hash, prev_hop, "
                          "tls_in_id, sasl_method, sasl_user, verdicts_id, tls_out_id) "
                          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    , m_updateMessage(db, "UPDATE messages SET message_id=?3, sender=?4, size=?5, nrcpt=?6, client_host=?7, "
                          "client_ip=?8, first_seen=?9, last_seen=?10, state=?12, open=?13, origin=?14, "
                          "parent_qid=?15, rcpt_count=?18, last_code=?19, attempts=?20, lines=?21, "
                          "parent_id=?23, message_id_hash=?24, prev_hop=?25, tls_in_id=?26, sasl_method=?27, sasl_user=?28, "
                          "verdicts_id=?29, tls_out_id=?30 WHERE id=?22")
    , m_insertDelivery(db, "INSERT INTO deliveries(message_id, idx, recipient, orig_recipient, status, dsn_id, "
                           "reply_code, reply_text, relay_id, attempts, first_attempt, last_attempt, code_class, tls_id, "
                           "next_hop, forwarded, tries) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    , m_deleteDeliveries(db, "DELETE FROM deliveries WHERE message_id=?")
    , m_insertAttempt(db, "INSERT INTO attempts(message_id, delivery_idx, time, status, reply_code, dsn_id, relay_id, "
                          "reply_text, delay, counted, tls_id) VALUES(?,?,?,?,?,?,?,?,?,?,?)")
    , m_storedTries(db, "SELECT time, status, coalesce(reply_code, 0), coalesce(dsn_id, 0), counted FROM attempts "
                        "WHERE message_id = ? AND delivery_idx = ?")
    , m_indexText(db, schema::indexTextSql(db))
    , m_deleteText(db, "DELETE FROM message_text WHERE rowid=?")
    , m_insertIncident(db, "INSERT INTO incidents(time, host_id, kind, client_host, client_ip, detail, file_id, "
                           "offset, run) VALUES(?,?,?,?,?,?,?,?,?)")
    , m_insertHost(db, "INSERT INTO hosts(name) VALUES(?)")
    , m_insertMessageFile(db, "INSERT OR IGNORE INTO message_files(file_id, message_id, run) VALUES(?,?,?)")
    , m_relays(db, "relays", "name")
    , m_dsns(db, "dsns", "name")
    , m_tls(db, "tls", "name")
    , m_verdicts(db, "verdicts", "name")
{
    {
        // Finished before the transaction: an index cannot be dropped while a statement reads.
        sql::Statement upto(db, "SELECT value FROM meta WHERE key = 'text_indexed_upto'");
        m_textIndexedUpto = upto.step() ? upto.int64(0) : 0;
        sql::Statement hosts(db, "SELECT id, name FROM hosts");
        while (hosts.step())
            m_hosts.emplace(std::string(hosts.text(1)), hosts.int64(0));
    }
    m_db.exec("BEGIN IMMEDIATE");
    if (replaceAll) {
        // Every row comes again: the order and lookup indexes are cheaper built afterwards
        // (Ingestor::isLarge), and dropped here, a cancel brings them back.
        schema::dropDeferredIndexes(m_db);
        m_db.exec("DELETE FROM attempts; DELETE FROM deliveries; DELETE FROM messages; DELETE FROM incidents;"
                  "DELETE FROM message_files; INSERT INTO message_text(message_text) VALUES('delete-all');");
        for (Dictionary *dictionary : {&m_relays, &m_dsns, &m_tls, &m_verdicts})
            dictionary->clear();
        m_periodicCommits = false;
    }
    m_stats = std::make_unique<StatsFeed>(m_db, m_run, replaceAll);
    m_lastCommitMs = nowMs();
    m_thread = std::thread([this] { run(); });
    m_countingThread = std::thread([this] { count(); });
}

CacheWriter::~CacheWriter()
{
    stopThreads();
}

void CacheWriter::stopThreads()
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_wake.notify_all();
    // The writer ends first: it tells the counting thread there is no more to come.
    if (m_thread.joinable())
        m_thread.join();
    if (m_countingThread.joinable())
        m_countingThread.join();
}

void CacheWriter::storeMessage(MessageRecord &&message)
{
    m_current.messages.push_back(std::move(message));
    if (m_current.messages.size() >= BatchSize)
        push(false);
}

void CacheWriter::amendMessage(MessageRecord &&message)
{
    m_current.amends.push_back(std::move(message));
    if (m_current.amends.size() >= BatchSize)
        push(false);
}

void CacheWriter::storeIncident(IncidentRecord &&incident)
{
    m_current.incidents.push_back(std::move(incident));
    if (m_current.incidents.size() >= BatchSize)
        push(false);
}

void CacheWriter::push(bool force)
{
    if (!force && m_current.messages.empty() && m_current.incidents.empty() && m_current.amends.empty())
        return;
    prepare(m_current);
    std::vector<Batch> spent;
    std::unique_lock lock(m_mutex);
    m_space.wait(lock, [this] { return m_queue.size() < MaxQueuedBatches || m_failed; });
    m_queue.push_back(std::move(m_current));
    spent.swap(m_spent);
    lock.unlock();
    m_wake.notify_one();
    // Written batches wait for the correlator to take their records again (reclaim()); past one,
    // the oldest are freed here, on this thread, outside the lock: records kept cost memory.
    for (Batch &b : spent)
        m_returned.push_back(std::move(b));
    while (m_returned.size() > 1)
        m_returned.pop_front();
    // The next batch takes the vectors of a spent one, so that filling it allocates nothing: a
    // vector grown record by record to BatchSize reallocates a dozen times.
    m_current = Batch{};
    if (!m_emptied.empty()) {
        m_current = std::move(m_emptied.back());
        m_emptied.pop_back();
    } else {
        m_current.messages.reserve(BatchSize);
    }
}

void CacheWriter::reclaim(RecordPool &pool)
{
    for (Batch &b : m_returned) {
        for (MessageRecord &m : b.messages)
            pool.give(std::move(m));
        for (MessageRecord &m : b.amends)
            pool.give(std::move(m));
        b.clear();
        if (m_emptied.size() < 2)
            m_emptied.push_back(std::move(b));
    }
    m_returned.clear();
}

template<typename Take>
void CacheWriter::encodeCells(const MessageRecord &m, std::string &scratch, Take take)
{
    // Layout 14: the Message-ID with its sender's domain for reference (replycodec), the
    // client's name (replycodec) and address (ipcodec); empty where the text is stored.
    const std::string_view sender = m.hasSender ? std::string_view(m.sender) : std::string_view();
    take(replycodec::encode(m.messageId, scratch, replycodec::senderReference(sender)) ? std::string_view(scratch)
                                                                                        : std::string_view());
    take(replycodec::encode(m.clientHost, scratch) ? std::string_view(scratch) : std::string_view());
    take(ipcodec::encode(m.clientIp, scratch) ? std::string_view(scratch) : std::string_view());
}

void CacheWriter::prepare(Batch &batch)
{
    batch.encoded.clear();
    batch.encodedEnds.clear();
    batch.keys.clear();
    batch.ids.clear();
    batch.newValues.clear();
    std::string reply;
    const auto end = [&batch] { batch.encodedEnds.push_back(static_cast<std::uint32_t>(batch.encoded.size())); };
    const auto addReply = [&](std::string_view text, std::string_view recipient) {
        if (replycodec::encode(text, reply, recipient))
            batch.encoded += reply;
        end();
    };
    // A try's (an attempt's or a delivery's) forwarding flag and dictionary ids, as writeChildren
    // takes them.
    const auto keyTry = [&](auto &record) {
        record.forwarded = static_cast<std::int8_t>(searchkeys::forwardedFlag(record.replyText));
        batch.ids.insert(batch.ids.end(), {m_dsns.assign(record.dsn), m_relays.assign(record.relay), m_tls.assign(record.tls)});
    };
    for (MessageRecord &m : batch.messages) {
        if (m.inCache)
            continue;  // written by updateMessage, which encodes its own
        batch.encoded += linecodec::encode(m.lines);
        end();
        batch.keys.push_back({messageIdKeyOf(m),
                              std::any_of(m.lines.begin(), m.lines.end(), [&m](const LineRef &l) { return l.fileId != m.fileId; })});
        batch.ids.insert(batch.ids.end(), {m_tls.assign(m.tlsIn), m_verdicts.assign(m.verdicts), m_tls.assign(tlsOut(m))});
        encodeCells(m, reply, [&](std::string_view cell) {
            batch.encoded += cell;
            end();
        });
        // The texts are at hand here, not in the writing and counting threads: their flags too.
        for (DeliveryRecord &d : m.deliveries) {
            for (AttemptRecord &a : d.newAttempts) {
                addReply(a.replyText, {});
                keyTry(a);
            }
            addReply(d.replyText, d.recipient);
            keyTry(d);
        }
    }
    for (Dictionary *dictionary : {&m_relays, &m_dsns, &m_tls, &m_verdicts})
        dictionary->takeNew(batch.newValues);
}

std::string_view CacheWriter::Prepared::take()
{
    const std::size_t from = next == 0 ? 0 : batch.encodedEnds[next - 1];
    const std::size_t to = batch.encodedEnds.at(next++);
    return std::string_view(batch.encoded).substr(from, to - from);
}

void CacheWriter::Batch::clear()
{
    messages.clear();
    incidents.clear();
    amends.clear();
}

void CacheWriter::run()
{
#if defined(__GLIBC__)
    ::pthread_setname_np(::pthread_self(), "mailtrail-write");  // for top and profilers
#endif
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return !m_queue.empty() || m_closing; });
        if (m_queue.empty()) {
            m_cpuSeconds = threadCpuSeconds();
            m_writerDone = true;
            lock.unlock();
            m_countWake.notify_all();
            return;
        }
        Batch batch = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        m_space.notify_one();
        if (m_failed)
            continue;  // keep draining so the producer never blocks on a dead writer
        try {
            writeBatch(batch);
            maybeCommit();
        } catch (...) {
            fail(std::current_exception());
            continue;
        }
        lock.lock();
        // Counted after it is written: a batch that could not be written is not counted either.
        m_countSpace.wait(lock, [this] { return m_counting.size() < MaxCountingBatches || m_failed; });
        m_counting.push_back(std::move(batch));
        lock.unlock();
        m_countWake.notify_one();
    }
}

void CacheWriter::count()
{
#if defined(__GLIBC__)
    ::pthread_setname_np(::pthread_self(), "mailtrail-count");
#endif
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_countWake.wait(lock, [this] { return !m_counting.empty() || m_writerDone; });
        if (m_counting.empty()) {
            m_countingCpuSeconds = threadCpuSeconds();
            return;
        }
        Batch batch = std::move(m_counting.front());
        m_counting.pop_front();
        lock.unlock();
        m_countSpace.notify_one();
        if (!m_failed) {
            try {
                // The rows it inserted: writeBatch() moved those it defers (inCache) out of the
                // batch, and writeDeferred() counts them when it writes them.
                for (const MessageRecord &m : batch.messages) {
                    if (!m.inCache)
                        m_stats->written(m);
                }
            } catch (...) {
                fail(std::current_exception());
            }
        }
        lock.lock();
        m_spent.push_back(std::move(batch));
    }
}

void CacheWriter::fail(std::exception_ptr error)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_error)
            m_error = std::move(error);
        m_failed = true;
    }
    m_space.notify_all();
    m_countSpace.notify_all();
}

void CacheWriter::close()
{
    push(true);
    stopThreads();
    if (m_error)
        std::rethrow_exception(m_error);
}

void CacheWriter::maybeCommit()
{
    const std::int64_t now = nowMs();
    if (!m_periodicCommits || now - m_lastCommitMs < (m_committedOnce ? CommitIntervalMs : FirstCommitMs))
        return;
    m_db.exec("COMMIT");
    m_db.exec("BEGIN IMMEDIATE");
    m_lastCommitMs = now;
    m_committedOnce = true;
    if (m_committed)
        m_committed();
}

void CacheWriter::writeBatch(Batch &batch)
{
    for (const auto &[dictionary, value] : batch.newValues)
        dictionary->insert(value);
    Prepared prepared{batch};
    for (MessageRecord &m : batch.messages) {
        if (m.inCache) {
            m_deferred.push_back(std::move(m));
            m_deferredAmends.push_back(false);
        } else {
            insertMessage(m, prepared);
        }
    }
    for (MessageRecord &m : batch.amends) {
        m_deferred.push_back(std::move(m));
        m_deferredAmends.push_back(true);
    }
    for (const IncidentRecord &i : batch.incidents) {
        m_insertIncident.bind(1, i.timeMs).bind(2, hostId(i.host)).bind(3, static_cast<int>(i.kind)).bindOptional(4, i.clientHost)
            .bindOptional(5, i.clientIp).bindOptional(6, i.detail).bind(7, static_cast<std::int64_t>(i.line.fileId))
            .bind(8, static_cast<std::int64_t>(i.line.offset)).bind(9, m_run);
        m_insertIncident.run();
    }
}

std::int64_t CacheWriter::hostId(const std::string &name)
{
    if (auto it = m_hosts.find(name); it != m_hosts.end())
        return it->second;
    m_insertHost.bind(1, name);
    m_insertHost.run();
    const std::int64_t id = m_db.lastInsertId();
    m_hosts.emplace(name, id);
    return id;
}

namespace {
// A cell's encoding when it has one (CacheWriter::encodeCells), else its text.
void bindCell(sql::Statement &st, int i, std::string_view encoded, const std::string &text)
{
    if (!encoded.empty())
        st.bindStaticBlob(i, encoded);
    else
        st.bindStaticOptional(i, text);
}

void bindMessage(sql::Statement &st, const MessageRecord &m, std::int64_t host, std::int64_t run, std::string_view lines,
                 const std::array<std::string_view, 3> &cells, std::int64_t messageIdKey, std::int64_t tlsIn,
                 std::int64_t verdicts, std::int64_t tlsOut)
{
    // Every parameter is bound for every row (runKeepingBindings), and every string outlives the
    // statement's run: bound without copies.
    st.bind(1, host).bindStaticOptional(2, m.queueId);
    bindCell(st, 3, cells[0], m.messageId);
    bindCell(st, 7, cells[1], m.clientHost);
    bindCell(st, 8, cells[2], m.clientIp);
    if (m.hasSender)
        st.bindStatic(4, m.sender);
    else
        st.bindNull(4);
    const int lastCode = m.lastReplyCode();
    // Layout 12: no first recipient; the listing reads it from the deliveries (schema::firstRecipientOf).
    st.bindIf(5, m.size >= 0, m.size).bindIf(6, m.nrcpt >= 0, m.nrcpt).bind(9, m.firstSeenMs).bind(10, m.lastSeenMs)
        .bind(11, m.utcOffsetSec).bind(12, static_cast<int>(m.state)).bind(13, m.isOpen() ? 1 : 0).bind(14, static_cast<int>(m.origin))
        .bindStaticOptional(15, m.parentQueueId).bind(16, static_cast<std::int64_t>(m.fileId)).bind(17, run)
        .bind(18, static_cast<int>(m.deliveries.size()))
        .bindIf(19, lastCode != 0, lastCode).bind(20, m.attemptCount()).bindStaticBlob(21, lines).bind(22, m.dbId)
        .bindIf(23, m.parentDbId != 0, m.parentDbId)
        .bindIf(24, !m.messageId.empty(), messageIdKey)
        .bindIf(25, m.prevHopDbId != 0, m.prevHopDbId).bindIf(26, tlsIn != 0, tlsIn).bindStaticOptional(27, m.saslMethod)
        .bindStaticOptional(28, m.saslUsername).bindIf(29, verdicts != 0, verdicts).bindIf(30, tlsOut != 0, tlsOut);
}
} // namespace

void CacheWriter::insertMessage(MessageRecord &m, Prepared &prepared)
{
    const std::string_view lines = prepared.take();
    std::array<std::string_view, 3> cells;
    for (std::string_view &cell : cells)
        cell = prepared.take();
    const Batch::Keys &keys = prepared.takeKeys();
    const std::int64_t tlsIn = prepared.takeId(), verdicts = prepared.takeId(), tlsOutId = prepared.takeId();
    bindMessage(m_insertMessage, m, hostId(m.host), m_run, lines, cells, keys.messageIdKey, tlsIn, verdicts, tlsOutId);
    m_insertMessage.runKeepingBindings();
    writeChildren(m, &prepared);
    if (keys.otherFiles)
        writeOtherFiles(m);
    // Counted by the counting thread once its batch is written (count()).
    // Not in the text index yet: Cache::ensureTextIndex() indexes new rows in one pass later.
    m_written.fetch_add(1, std::memory_order_relaxed);
}

void CacheWriter::updateMessage(MessageRecord &m, bool amend)
{
    m_stats->rewriting(m, amend);
    const std::string lines = linecodec::encode(m.lines);
    std::array<std::string, 3> encoded;
    std::string scratch;
    std::size_t next = 0;
    encodeCells(m, scratch, [&](std::string_view cell) { encoded[next++] = cell; });
    bindMessage(m_updateMessage, m, hostId(m.host), m_run, lines, {encoded[0], encoded[1], encoded[2]},
                messageIdKeyOf(m), m_tls.id(m.tlsIn), m_verdicts.id(m.verdicts),
                m_tls.id(tlsOut(m)));
    m_updateMessage.run();
    if (m.prevHopDbId != 0)
        m_updatedHops.push_back(m.dbId);  // continued from an earlier import: its chain's fate may change
    m_deleteDeliveries.bind(1, m.dbId);
    m_deleteDeliveries.run();
    writeChildren(m, nullptr);
    writeOtherFiles(m);
    if (m.dbId <= m_textIndexedUpto) {
        // Already in the text index: index it again with its new recipients and replies.
        m_deleteText.bind(1, m.dbId);
        m_deleteText.run();
        m_indexText.bind(1, m.dbId).bind(2, m.dbId);
        m_indexText.run();
    }
    m_written.fetch_add(1, std::memory_order_relaxed);
}

void CacheWriter::writeChildren(const MessageRecord &m, Prepared *prepared)
{
    int idx = 0;
    std::vector<ChartTry> tries;
    // A reply text as layout 13 stores it: its encoding when that is shorter (a BLOB, which
    // mailtrail_reply() decodes), else the text; NULL for none. Bound without a copy: the encoding
    // stays unchanged until the statement has run.
    std::string reply;
    // A delivery's with its recipient, which its row holds too (replycodec::encode).
    const auto bindReply = [&](sql::Statement &st, int i, std::string_view text, std::string_view recipient) {
        std::string_view encoded;
        if (prepared)
            encoded = prepared->take();
        else if (replycodec::encode(text, reply, recipient))
            encoded = reply;
        if (!encoded.empty())
            st.bindStaticBlob(i, encoded);
        else
            st.bindStaticOptional(i, text);
    };
    // A try's dictionary ids (dsn, relay, TLS): as prepare() gave them (in the order of a braced
    // list's elements), else given here.
    const auto idsOf = [&](const auto &record) -> std::array<std::int64_t, 3> {
        if (prepared)
            return {prepared->takeId(), prepared->takeId(), prepared->takeId()};
        return {m_dsns.id(record.dsn), m_relays.id(record.relay), m_tls.id(record.tls)};
    };
    for (const DeliveryRecord &d : m.deliveries) {
        // Most recipients are tried once: that try is the delivery row itself, and the cache
        // rebuilds it from there (Cache::detail). Attempt rows are kept for recipients tried more.
        // Written before the delivery, whose row keeps what the chart counts of them (layout 10).
        tries.clear();
        for (const AttemptRecord &a : d.newAttempts) {
            const auto [tryDsn, tryRelay, tryTls] = idsOf(a);
            m_insertAttempt.bind(1, m.dbId).bind(2, idx).bind(3, a.timeMs).bind(4, static_cast<int>(a.status))
                .bindIf(5, a.replyCode != 0, a.replyCode).bindIf(6, tryDsn != 0, tryDsn).bindIf(7, tryRelay != 0, tryRelay)
                .bindIf(9, a.delaySec >= 0, a.delaySec).bind(10, a.counted ? 1 : 0).bindIf(11, tryTls != 0, tryTls);
            bindReply(m_insertAttempt, 8, a.replyText, {});
            m_insertAttempt.runKeepingBindings();
            tries.push_back({a.timeMs, static_cast<int>(a.status), a.replyCode, tryDsn, a.counted});
        }
        if (d.attemptsStored) {
            // Continued from an earlier write: its older rows are in the cache, and read back
            // with the new ones (few recipients: those tried again after a commit).
            tries.clear();
            m_storedTries.bind(1, m.dbId).bind(2, idx);
            while (m_storedTries.step())
                tries.push_back({m_storedTries.int64(0), m_storedTries.integer(1), m_storedTries.integer(2),
                                 m_storedTries.int64(3), m_storedTries.integer(4) != 0});
            m_storedTries.reset();
        }
        const std::string triesBlob = charttries::encode(tries);
        const int cls = searchkeys::replyClass(d.replyCode, d.dsn);
        const auto [dsn, relay, tls] = idsOf(d);
        const int forwarded = searchkeys::forwardedFlagOf(d);
        m_insertDelivery.bind(1, m.dbId).bind(2, idx).bindStaticOptional(3, d.recipient)
            .bindStaticOptional(4, d.origRecipient).bind(5, static_cast<int>(d.status)).bindIf(6, dsn != 0, dsn)
            .bindIf(7, d.replyCode != 0, d.replyCode).bindIf(9, relay != 0, relay)
            .bind(10, d.attempts).bind(12, d.lastAttemptMs).bindIf(13, cls != 0, cls)
            .bindIf(14, tls != 0, tls).bindIf(15, d.toNextHop, 1).bindIf(16, forwarded >= 0, forwarded);
        // Layout 14: no first try's time where it is the last's (908 k of 973 k deliveries at 1 GB;
        // the readers take coalesce(first_attempt, last_attempt)).
        m_insertDelivery.bindIf(11, d.firstAttemptMs != d.lastAttemptMs, d.firstAttemptMs);
        bindReply(m_insertDelivery, 8, d.replyText, d.recipient);
        if (triesBlob.empty())
            m_insertDelivery.bindNull(17);
        else
            m_insertDelivery.bindStaticBlob(17, triesBlob);
        m_insertDelivery.runKeepingBindings();
        ++idx;
    }
}

void CacheWriter::writeOtherFiles(const MessageRecord &m)
{
    for (std::uint32_t file : otherFiles(m.lines, m.fileId)) {
        m_insertMessageFile.bind(1, static_cast<std::int64_t>(file)).bind(2, m.dbId).bind(3, m_run);
        m_insertMessageFile.run();
    }
}

void CacheWriter::writeDeferred()
{
    for (std::size_t i = 0; i < m_deferred.size(); ++i)
        updateMessage(m_deferred[i], m_deferredAmends[i]);
    m_deferred.clear();
    m_deferredAmends.clear();
    linkChains();
    m_stats->store();
}

void CacheWriter::linkChains()
{
    // The hops of a chain are written as each one ends, in any order, and a first hop may have
    // been written by an earlier import: the chain is resolved here, once every row is in, by
    // walking from each new hop back to the first. Chains are short: a bound on the walk keeps a
    // damaged link (a cycle) from looping.
    constexpr int MaxHops = 64;
    sql::Statement newHops(m_db, "SELECT id FROM messages WHERE run = ? AND prev_hop IS NOT NULL");
    sql::Statement prev(m_db, "SELECT prev_hop FROM messages WHERE id = ?");
    sql::Statement setChain(m_db, "UPDATE messages SET chain_id = ?2 WHERE id = ?1 AND chain_id IS NOT ?2");
    std::vector<std::pair<std::int64_t, std::int64_t>> links;  // hop, first hop
    newHops.bind(1, m_run);
    while (newHops.step())
        links.emplace_back(newHops.int64(0), 0);
    for (std::int64_t hop : m_updatedHops)
        links.emplace_back(hop, 0);
    m_updatedHops.clear();
    std::vector<std::int64_t> firsts;
    for (auto &[hop, first] : links) {
        std::int64_t at = hop;
        for (int i = 0; i < MaxHops; ++i) {
            prev.bind(1, at);
            const bool found = prev.step();
            const bool more = found && !prev.isNull(0);
            const std::int64_t before = more ? prev.int64(0) : 0;
            prev.reset();
            if (!more || before == hop)
                break;
            at = before;
        }
        first = at;
        firsts.push_back(at);
    }
    m_stats->linked(links);
    for (const auto &[hop, first] : links) {
        setChain.bind(1, hop).bind(2, first);
        setChain.run();
        setChain.bind(1, first).bind(2, first);
        setChain.run();
    }
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    // On the first hop: how many hops, and the state, code and tries of the last (chainsummary.h).
    sql::Statement summarize(m_db, "UPDATE messages SET " + chainsummary::assignments("?1", "messages") + " WHERE id = ?1");
    for (std::int64_t first : firsts) {
        summarize.bind(1, first);
        summarize.run();
    }
}

} // namespace mailtrail
