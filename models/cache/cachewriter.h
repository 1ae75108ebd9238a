// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/dictionary.h"
#include "cache/sqlite.h"
#include "cache/statsfeed.h"
#include "correlation/correlator.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace mailtrail {

// CPU time of the calling thread, in seconds.
double threadCpuSeconds();

// Writes what the correlator finishes into SQLite on a thread of its own, so parsing and writing
// overlap on the two cores, and counts it for the summary (StatsFeed) on a third: the writer was
// the import's bottleneck, and the counting a fifth of its time (docs/store.md, session 23). New rows are committed in large transactions as they come (other
// connections see them appear); rows that already existed are rewritten only by
// writeDeferred(), inside the importer's final transaction, so an interrupted import can be undone
// by deleting its run's new rows.
class CacheWriter final : public MessageSink
{
public:
    // `replaceAll`: the import reads every log again, in time order; the rows the cache holds are
    // deleted first, in the same transaction, which is then committed only once, at the end, so
    // the cache has either the old rows or the new ones, never a part of each.
    CacheWriter(sql::Database &db, std::int64_t run, std::function<void()> committed, bool replaceAll = false);
    ~CacheWriter() override;

    void storeMessage(MessageRecord &&message) override;
    void storeIncident(IncidentRecord &&incident) override;
    void amendMessage(MessageRecord &&message) override;
    // The records of written batches, for the correlator to fill again.
    void reclaim(RecordPool &pool) override;

    // Drains the queue and stops the thread; the open transaction is left for the caller to extend
    // and commit. Rethrows a failure of the writer thread.
    void close();
    // Rows that existed before this import (continued open messages), then the chains of hops
    // (see linkChains()); call after close().
    void writeDeferred();

    std::uint64_t messagesWritten() const { return m_written.load(std::memory_order_relaxed); }
    bool failed() const { return m_failed.load(); }
    // CPU time the writer thread used; valid after close().
    double cpuSeconds() const { return m_cpuSeconds; }
    // CPU time the counting thread used; valid after close().
    double countingCpuSeconds() const { return m_countingCpuSeconds; }

private:
    struct Batch {
        std::vector<MessageRecord> messages;
        std::vector<IncidentRecord> incidents;
        std::vector<MessageRecord> amends;  // rows written again for a late line (MessageSink::amendMessage)
        // What the writer binds of the new rows, encoded by the reading thread when it hands the
        // batch over (prepare()), where the records' texts were just written: read there, they
        // cost less CPU than on the writer's thread, which would read them from memory a batch
        // later (docs/store.md, sessions 24 and 29). For each message not in the cache, in order:
        // its lines, its cells (encodeCells), then for each delivery its new attempts' replies and
        // its own reply (empty: stored as the text). Each entry ends at its offset in encodedEnds.
        std::string encoded;
        std::vector<std::uint32_t> encodedEnds;
        // And for each such message, in order, what the writer derives from fields it binds
        // encoded: the thread that encodes them reads those fields, the writer does not.
        struct Keys {
            std::int64_t messageIdKey = 0;  // searchkeys::messageIdKey, 0 for no Message-ID
            bool otherFiles = false;        // lines in a file besides its first (writeOtherFiles)
        };
        std::vector<Keys> keys;
        // The dictionaries' ids of each such message's texts, in order: its TLS in, verdicts and
        // TLS out, then for each delivery those of its new attempts and its own (dsn, relay,
        // TLS each); and the values new to a dictionary, inserted before the rows that use them.
        std::vector<std::int64_t> ids;
        Dictionary::NewValues newValues;
        // Frees the records and keeps the vectors' capacity for the next batch.
        void clear();
    };

    void push(bool force);
    void prepare(Batch &batch);
    // The encodings of the three cells of a message's row layout 14 encodes, each handed to
    // `take` in the order of messages' columns (empty where the text is stored); `scratch`
    // holds each until the next.
    template<typename Take>
    static void encodeCells(const MessageRecord &m, std::string &scratch, Take take);
    // Reads a prepared batch's entries in the order prepare() wrote them.
    struct Prepared {
        const Batch &batch;
        std::size_t next = 0, nextKeys = 0, nextId = 0;
        std::string_view take();
        const Batch::Keys &takeKeys() { return batch.keys.at(nextKeys++); }
        std::int64_t takeId() { return batch.ids.at(nextId++); }
    };
    void run();
    // The counting thread: each written batch's new rows into the StatsFeed, then to m_spent.
    void count();
    // Lets the writer drain its queue, then ends it and the counting thread.
    void stopThreads();
    // Keeps the first failure of either thread for close(), and wakes whoever waits on them.
    void fail(std::exception_ptr error);
    void writeBatch(Batch &batch);
    void insertMessage(MessageRecord &m, Prepared &prepared);
    void updateMessage(MessageRecord &m, bool amend);
    // `prepared`: the message's entries there (an inserted row), else encoded here.
    void writeChildren(const MessageRecord &m, Prepared *prepared);
    void writeOtherFiles(const MessageRecord &m);
    // Gives every hop written by this import its chain (the first hop's id), and the first hop
    // the chain's number of hops and final state.
    void linkChains();
    std::int64_t hostId(const std::string &name);
    void maybeCommit();

    sql::Database &m_db;
    std::int64_t m_run;
    std::function<void()> m_committed;
    sql::Statement m_insertMessage, m_updateMessage, m_insertDelivery, m_deleteDeliveries, m_insertAttempt, m_storedTries,
        m_indexText, m_deleteText, m_insertIncident, m_insertHost, m_insertMessageFile;
    std::int64_t m_textIndexedUpto = 0;
    std::unordered_map<std::string, std::int64_t> m_hosts;
    Dictionary m_relays, m_dsns, m_tls, m_verdicts;
    std::vector<MessageRecord> m_deferred;
    std::vector<bool> m_deferredAmends;  // of each of m_deferred
    std::unique_ptr<StatsFeed> m_stats;
    std::vector<std::int64_t> m_updatedHops;  // hops of older imports written again by this one

    Batch m_current;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_space;
    std::deque<Batch> m_queue;
    // Written batches for the counting thread. Their records are read there, never changed; the
    // writer has moved the rows it defers (inCache) out of them, and those are not counted.
    std::deque<Batch> m_counting;
    std::condition_variable m_countWake, m_countSpace;
    bool m_writerDone = false;
    // Written batches go back to the thread that made them: their records are filled again by
    // the correlator (reclaim()), their vectors by the next batches. Freeing them all at once,
    // cold, after the writer had them, took half the reading thread's time (docs/import.md).
    std::vector<Batch> m_spent;
    std::deque<Batch> m_returned;        // of the reading thread: written, records not reclaimed yet
    std::vector<Batch> m_emptied;        // of the reading thread: reclaimed, vectors for m_current
    bool m_closing = false;
    std::atomic<bool> m_failed{false};
    std::exception_ptr m_error;
    std::atomic<std::uint64_t> m_written{0};
    std::int64_t m_lastCommitMs = 0;
    bool m_periodicCommits = true;
    bool m_committedOnce = false;
    double m_cpuSeconds = 0;
    double m_countingCpuSeconds = 0;
    std::thread m_thread;
    std::thread m_countingThread;
};

} // namespace mailtrail
