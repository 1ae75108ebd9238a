// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The destination filter (Filter::destination) against the summary: each destination row and each
// deferral or bounce reason selects as many deliveries as the summary counts for it.
#include "cache/statsqueries.h"
#include "ingest/ingestor.h"
#include "testlogs.h"

#include <map>
#include <set>
#include <tuple>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestDestinationFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsSelectWhatTheyCount_data();
    void rowsSelectWhatTheyCount();
    void connectionFailuresNameTheirHost();
};

void TestDestinationFilter::rowsSelectWhatTheyCount_data()
{
    addRealLogRows();
}

void TestDestinationFilter::rowsSelectWhatTheyCount()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    StatsQueries queries(cache);
    queries.setTopLimit(1000);  // every row, not the top ten
    Stats stats;
    QVERIFY2(queries.compute({}, stats), queries.error().c_str());
    const auto count = [&](const std::string &host, std::vector<std::string> statuses, const std::string &code = {}) {
        Filter filter;
        filter.destination = host;
        filter.statuses = std::move(statuses);
        filter.code = code;
        return cache.count(Grain::Deliveries, filter);
    };
    // A message has a delivery to the destination: as many messages as those deliveries have. (A
    // status filter of the message grain is of the message's state, not of that delivery's.)
    const auto messagesMatch = [&](const std::string &host) {
        Filter filter;
        filter.destination = host;
        std::set<std::int64_t> messages;
        for (const DeliveryRow &d : cache.deliveries(filter, {}, 0, 1000000))
            messages.insert(d.messageDbId);
        return !messages.empty() && cache.count(Grain::Messages, filter) == std::int64_t(messages.size());
    };
    // A destination's deliveries: sent, deferred, bounced or expired (a rejection reached no relay).
    for (const StatsCount &relay : stats.topRelays) {
        QCOMPARE(count(relay.key, {"sent", "deferred", "bounced", "expired"}), relay.count);
        QVERIFY2(messagesMatch(relay.key), relay.key.c_str());
    }
    for (const StatsCount &relay : stats.problemRelays)
        QCOMPARE(count(relay.key, {"deferred", "bounced", "expired"}), relay.problems);
    // A reason is (status, host, reply code, enhanced code, reply text): the link sets the first
    // three, so it lists the deliveries of every reason that shares them (their sum). A reason
    // with no reply code (a connection that failed) or no host is linked by status and host alone,
    // or cannot be told apart by the filter: those are left out here.
    // A deferral reason counts tries, and links to the rows with such a try at its host: as many
    // as its recipients, at most one per try.
    // A reason whose tries name no remote host (Exim's transport, a local mailer) goes by its
    // recipients' domain, as the Summary's link does (SummaryLink::applied, "@domain").
    std::map<std::tuple<std::string, std::string, int>, std::int64_t> byLink;
    for (const StatsReason &r : stats.reasons) {
        if (r.hostIsRecipientDomain) {
            Filter filter;
            filter.recipient = "*@" + r.host;
            QVERIFY2(cache.count(Grain::Deliveries, filter) > 0, r.host.c_str());
            continue;
        }
        if (r.status == "deferred" && !r.host.empty() && r.replyCode != 0) {
            Filter filter;
            filter.destination = r.host;
            filter.triedAs = std::to_string(r.replyCode);
            const std::int64_t rows = cache.count(Grain::Deliveries, filter);
            QVERIFY2(rows > 0, r.host.c_str());
        } else if (!r.host.empty() && r.replyCode != 0) {
            byLink[{r.status, r.host, r.replyCode}] += r.count;
        }
    }
    for (const auto &[key, counted] : byLink) {
        const auto &[status, host, code] = key;
        QCOMPARE(count(host, {status}, std::to_string(code)), counted);
    }
    qDebug("%zu destinations, %zu reason links", stats.topRelays.size(), byLink.size());
}

void TestDestinationFilter::connectionFailuresNameTheirHost()
{
    // expired: eve@ never reached mx.down.example.net ("relay=none ... connect to
    // mx.down.example.net[203.0.113.66]:25: Connection timed out"); deferred-then-sent: bob@
    // delivered at mx.remote.example.net[198.51.100.20]:25.
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"c.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(cache, {write(dir, u"a.log"_s, flow("expired.log")),
                                     write(dir, u"b.log"_s, flow("deferred-then-sent.log"))})
                .ok());
    Filter filter;
    for (const auto &[host, recipient] : {std::pair{"MX.down.example.net", "eve@down.example.net"},
                                          std::pair{"mx.remote.example.net", "bob@remote.example.net"}}) {
        filter.destination = host;
        const std::vector<DeliveryRow> rows = cache.deliveries(filter, {}, 0, 10);
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows.front().recipient, std::string(recipient));
    }
    // The whole host, not a part of it.
    filter.destination = "example.net";
    QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(0));
    filter.destination = "none";
    QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(0));
}

QTEST_GUILESS_MAIN(TestDestinationFilter)
#include "tst_destinationfilter.moc"
