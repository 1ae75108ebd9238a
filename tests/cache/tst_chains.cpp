// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Layout 7: one message however many hops (a content filter's re-injection, a relay between two
// hosts of the log set), with its TLS, SASL user and verdicts, as the cache stores and lists it.
// The expected values are read off the flows by hand.
#include "testlogs.h"

#include <algorithm>
#include <map>

using namespace mailtrail;
using namespace testlogs;

namespace {

Filter overChains()
{
    Filter f;
    f.chains = true;
    return f;
}

std::optional<MessageRow> byQueueId(Cache &cache, const Filter &filter, const std::string &queueId)
{
    for (const MessageRow &m : cache.messages(filter, {}, 0, 100)) {
        if (m.queueId == queueId)
            return m;
    }
    return std::nullopt;
}

} // namespace

class TestChains : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void chainIsListedOnceWithTheLastHopsFate();
    void everyHopIsInTheFirstHopsDetail();
    void deliveriesOfAChainAreTheFinalOnes();
    void tlsSaslAndVerdictsAreStored();
    void chainSpanningTwoImportsIsJoined();
    void chainRowShowsTheLastHopsCodeAndTries();
    void chainRowIsItsLastHopsOnRealLogs_data();
    void chainRowIsItsLastHopsOnRealLogs();
    void chainsSortByTheCodeAndTriesShown_data();
    void chainsSortByTheCodeAndTriesShown();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Cache> m_cache;
    void importFlows();
};

void TestChains::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_cache = std::make_unique<Cache>();
    QVERIFY2(m_cache->open(m_dir->filePath(QStringLiteral("c.sqlite")).toStdString()), m_cache->error().c_str());
}

void TestChains::importFlows()
{
    // amavis-and-milters: 6A1B2C3D4E (submission) -> amavis -> 7B2C3D4E5F (dave sent, erin
    // bounced), and 8C3D4E5F6A rejected by a milter. relay-between-hosts: 1E2D3C4B5A on edge1 ->
    // 5E6F7A8B9C on hub1 -> sent.
    const ImportSummary s = Ingestor::import(*m_cache, {write(*m_dir, QStringLiteral("filter.log"), flow("amavis-and-milters.log")),
                                                       write(*m_dir, QStringLiteral("relay.log"), flow("relay-between-hosts.log"))});
    QVERIFY2(s.ok(), s.error.c_str());
}

void TestChains::chainIsListedOnceWithTheLastHopsFate()
{
    importFlows();
    QCOMPARE(m_cache->count(Grain::Messages, {}), 5);
    QCOMPARE(m_cache->count(Grain::Messages, overChains()), 3);
    std::vector<std::string> listed;
    for (const MessageRow &m : m_cache->messages(overChains(), {}, 0, 100))
        listed.push_back(m.queueId);
    QCOMPARE(listed, (std::vector<std::string>{"6A1B2C3D4E", "8C3D4E5F6A", "1E2D3C4B5A"}));

    const std::optional<MessageRow> filtered = byQueueId(*m_cache, overChains(), "6A1B2C3D4E");
    QVERIFY(filtered);
    QCOMPARE(filtered->hops, 2);
    QCOMPARE(filtered->state, MessageState::Sent);          // its own: handed to the filter
    QCOMPARE(filtered->finalState, MessageState::Bounced);  // the chain's: erin bounced on the second hop
    QCOMPARE(filtered->clientHost, std::string("client.example.com"));  // the first hop's client
    const std::optional<MessageRow> relayed = byQueueId(*m_cache, overChains(), "1E2D3C4B5A");
    QVERIFY(relayed);
    QCOMPARE(relayed->hops, 2);
    QCOMPARE(relayed->finalState, MessageState::Sent);
    QCOMPARE(relayed->host, std::string("edge1"));

    // Listed as hops, each has its own state, and the first hop is the one it was.
    const std::optional<MessageRow> asHop = byQueueId(*m_cache, {}, "6A1B2C3D4E");
    QVERIFY(asHop);
    QCOMPARE(asHop->finalState, MessageState::Sent);
    const std::optional<MessageRow> second = byQueueId(*m_cache, {}, "7B2C3D4E5F");
    QVERIFY(second);
    QCOMPARE(second->chainId, filtered->id);
    QCOMPARE(second->prevHop, filtered->id);
    QCOMPARE(second->finalState, MessageState::Bounced);
}

void TestChains::everyHopIsInTheFirstHopsDetail()
{
    importFlows();
    const std::optional<MessageRow> first = byQueueId(*m_cache, overChains(), "1E2D3C4B5A");
    QVERIFY(first);
    const std::optional<MessageDetail> d = m_cache->detail(first->id);
    QVERIFY2(d, m_cache->error().c_str());
    QCOMPARE(d->laterHops.size(), std::size_t(1));
    const MessageDetail &hub = d->laterHops.front();
    QCOMPARE(hub.message.queueId, std::string("5E6F7A8B9C"));
    QCOMPARE(hub.message.host, std::string("hub1"));
    QCOMPARE(hub.deliveries.size(), std::size_t(1));
    QCOMPARE(hub.deliveries.front().status, DeliveryStatus::Sent);
    QVERIFY(!hub.deliveries.front().toNextHop);
    QVERIFY(d->deliveries.front().toNextHop);  // edge1's "sent" was the hand-over to hub1
    QVERIFY(!hub.lines.empty());
    // A later hop's own detail has no hops of its own.
    const std::optional<MessageDetail> alone = m_cache->detail(hub.message.id);
    QVERIFY(alone && alone->laterHops.empty());
}

void TestChains::deliveriesOfAChainAreTheFinalOnes()
{
    importFlows();
    // Every recipient of a chain once, with its final status: dave and erin on the filter's hop,
    // grace and heidi rejected, buyer on hub1. As hops, the three hand-overs too.
    std::vector<std::string> rows;
    for (const DeliveryRow &d : m_cache->deliveries(overChains(), {}, 0, 100)) {
        QVERIFY(!d.toNextHop);
        rows.push_back(d.queueId + ' ' + d.recipient + ' ' + statusName(d.status));
    }
    QCOMPARE(rows, (std::vector<std::string>{"7B2C3D4E5F dave@example.net sent", "7B2C3D4E5F erin@example.org bounced",
                                             "8C3D4E5F6A grace@example.com rejected", "8C3D4E5F6A heidi@example.com rejected",
                                             "5E6F7A8B9C buyer@example.org sent"}));
    QCOMPARE(m_cache->count(Grain::Deliveries, overChains()), 5);
    QCOMPARE(m_cache->count(Grain::Deliveries, {}), 8);
}

void TestChains::tlsSaslAndVerdictsAreStored()
{
    importFlows();
    const std::optional<MessageRow> m = byQueueId(*m_cache, overChains(), "6A1B2C3D4E");
    QVERIFY(m);
    QCOMPARE(m->saslUser, std::string("carol@example.com"));
    QCOMPARE(m->saslMethod, std::string("PLAIN"));
    QVERIFY2(m->tlsIn.starts_with("Trusted TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"), m->tlsIn.c_str());
    // The chain left over TLS to dave's server (erin's try logged none).
    QVERIFY2(m->tlsOut.starts_with("Verified TLSv1.3"), m->tlsOut.c_str());
    QVERIFY2(m->verdicts.find("clean") != std::string::npos, m->verdicts.c_str());
    const std::optional<MessageDetail> d = m_cache->detail(m->id);
    QVERIFY(d && d->laterHops.size() == 1);
    const std::vector<DeliveryRow> &final = d->laterHops.front().deliveries;
    QCOMPARE(final.size(), std::size_t(2));
    QVERIFY2(final[0].tls.starts_with("Verified TLSv1.3"), final[0].tls.c_str());
    QVERIFY(final[1].tls.empty());
    // The hand-over to amavis logged no TLS.
    QVERIFY(d->deliveries.front().tls.empty());
    // TLS descriptions are held once each.
    sql::Database db;
    db.open(m_dir->filePath(QStringLiteral("c.sqlite")).toStdString(), true);
    sql::Statement st(db, "SELECT count(*), count(DISTINCT name) FROM tls");
    QVERIFY(st.step());
    QCOMPARE(st.int64(0), st.int64(1));
    QVERIFY(st.int64(0) >= 3);
}

void TestChains::chainSpanningTwoImportsIsJoined()
{
    // The first log ends after the first hop was removed, with the second hop still in the queue;
    // the next log has the second hop's deliveries. Read in two imports, the chain is one message
    // whose fate is the one the second log gave.
    const auto [older, newer] = splitFlow("amavis-and-milters.log", 15);
    const std::string log = write(*m_dir, QStringLiteral("mail.log"), older);
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    std::optional<MessageRow> m = byQueueId(*m_cache, overChains(), "6A1B2C3D4E");
    QVERIFY(m);
    QCOMPARE(m->hops, 2);
    QCOMPARE(m->finalState, MessageState::Queued);
    write(*m_dir, QStringLiteral("mail.log"), newer, true);
    QVERIFY(Ingestor::import(*m_cache, {log}).ok());
    m = byQueueId(*m_cache, overChains(), "6A1B2C3D4E");
    QVERIFY(m);
    QCOMPARE(m->hops, 2);
    QCOMPARE(m->finalState, MessageState::Bounced);
    QCOMPARE(m_cache->count(Grain::Messages, overChains()), 2);
}

void TestChains::chainRowShowsTheLastHopsCodeAndTries()
{
    // postfix-3.10.13-filter.log (Postfix 3.10 through a content filter): 3656CE643A6 hands its
    // three recipients to the filter (250, one try each); the re-injected 75963E643B1 delivers bob
    // locally (no reply code) and friend (250), and defers late@slow.test five times with
    // "Connection refused" (dsn 4.4.1, no reply code): 1 + 1 + 5 tries.
    const std::string log = MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log";
    ImportOptions options;
    options.year = 2026;
    QVERIFY(Ingestor::import(*m_cache, {log}, options).ok());
    const std::optional<MessageRow> chain = byQueueId(*m_cache, overChains(), "3656CE643A6");
    QVERIFY(chain);
    QCOMPARE(chain->finalState, MessageState::Deferred);
    QCOMPARE(chain->lastCode, 0);  // not the 250 of the hand-over
    QCOMPARE(chain->lastDsn, std::string("4.4.1"));  // late@slow.test's, as the deliveries view shows it
    QCOMPARE(chain->attempts, 7);
    const std::optional<MessageRow> hop = byQueueId(*m_cache, {}, "3656CE643A6");
    QVERIFY(hop);
    QCOMPARE(hop->lastCode, 250);
    QCOMPARE(hop->attempts, 3);

    // amavis-and-milters.log: the chain bounced at its second hop (erin's 550).
    importFlows();
    const std::optional<MessageRow> bounced = byQueueId(*m_cache, overChains(), "6A1B2C3D4E");
    QVERIFY(bounced);
    QCOMPARE(bounced->finalState, MessageState::Bounced);
    QCOMPARE(bounced->lastCode, 550);
    QCOMPARE(byQueueId(*m_cache, {}, "6A1B2C3D4E")->lastCode, 250);
}

void TestChains::chainRowIsItsLastHopsOnRealLogs_data()
{
    addRealLogRows();
}

void TestChains::chainRowIsItsLastHopsOnRealLogs()
{
    // Listed over chains, a chain's row has the state, reply code and tries its last hop has as a
    // hop of its own; every other row is the same in both listings.
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    const std::vector<MessageRow> hops = cache.messages({}, {}, 0, 100000);
    std::map<std::int64_t, const MessageRow *> lastHop;  // chain id -> its last hop
    for (const MessageRow &m : hops) {
        const bool followed = std::any_of(hops.begin(), hops.end(), [&](const MessageRow &n) { return n.prevHop == m.id; });
        if (m.chainId != 0 && m.chainId != m.id && !followed) {
            QVERIFY2(!lastHop.count(m.chainId), "a chain split over re-injections: not in these logs");
            lastHop[m.chainId] = &m;
        }
    }
    int chains = 0;
    for (const MessageRow &m : cache.messages(overChains(), {}, 0, 100000)) {
        const auto last = lastHop.find(m.id);
        const MessageRow &shown = last == lastHop.end() ? *std::find_if(hops.begin(), hops.end(), [&](const MessageRow &h) {
            return h.id == m.id;
        }) : *last->second;
        chains += last != lastHop.end();
        QCOMPARE(m.finalState, shown.state);
        QCOMPARE(m.lastCode, shown.lastCode);
        QCOMPARE(m.attempts, shown.attempts);
    }
    QCOMPARE(chains, int(lastHop.size()));
}

void TestChains::chainsSortByTheCodeAndTriesShown_data()
{
    addRealLogRows();
}

void TestChains::chainsSortByTheCodeAndTriesShown()
{
    // Sorted by code or tries, the rows over chains come in the order of what they show (that the
    // order is an index walk: tst_filters everySortableOrderIsAnIndexWalk).
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    QVERIFY(cache.ensureDeferredIndexes());
    for (const SortKey key : {SortKey::Code, SortKey::Attempts}) {
        for (const bool descending : {false, true}) {
            std::vector<int> shown;
            for (const MessageRow &m : cache.messages(overChains(), {key, descending}, 0, 100000))
                shown.push_back(key == SortKey::Code ? m.lastCode : m.attempts);
            QVERIFY(!shown.empty());
            if (descending)
                std::reverse(shown.begin(), shown.end());
            QVERIFY2(std::is_sorted(shown.begin(), shown.end()), qPrintable(log));
        }
    }
}

QTEST_GUILESS_MAIN(TestChains)
#include "tst_chains.moc"
