// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The insight rules on lines that do not come in time order, on destinations that recover, and on
// a follow long enough that the clients it saw once must be forgotten.
#include "insights/insightengine.h"

#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

constexpr std::int64_t Minute = 60 * 1000;

// (minute, what) in the order the lines are read.
using Tries = QList<QPair<int, char>>;

// A message with one recipient tried once at `minute`.
MessageRecord tried(std::int64_t id, std::int64_t minute, const char *recipient, DeliveryStatus status)
{
    MessageRecord m;
    m.dbId = id;
    m.queueId = "Q" + std::to_string(id);
    m.firstSeenMs = m.lastSeenMs = minute * Minute;
    m.removed = status != DeliveryStatus::Deferred;
    DeliveryRecord &d = m.deliveries.emplace_back();
    d.recipient = recipient;
    d.status = status;
    d.attempts = 1;
    d.firstAttemptMs = d.lastAttemptMs = m.lastSeenMs;
    d.replyCode = status == DeliveryStatus::Sent ? 250 : 451;
    m.updateState();
    return m;
}

QStringList fired(InsightEngine &engine)
{
    QStringList out;
    for (const Insight &i : engine.take())
        out << u"%1 %2 @%3"_s.arg(QLatin1StringView(insightKindName(i.kind)), QString::fromStdString(i.subject))
                   .arg(i.timeMs / Minute);
    return out;
}

} // namespace

class TestInsightEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outOfOrder_data();
    void outOfOrder();
    void deferringRunsEnd_data();
    void deferringRunsEnd();
    void quietClientsAreForgotten();
    void onlyAuthFailuresAreABruteForce_data();
    void onlyAuthFailuresAreABruteForce();
    void postscreenDropsAreASpamRun_data();
    void postscreenDropsAreASpamRun();
    void networkRuns_data();
    void networkRuns();
    void timeWindowTakesLateEntries();
    void blocklistReplies_data();
    void blocklistReplies();
    void queueGrowing();
    void silenceAfterTraffic_data();
    void silenceAfterTraffic();
    void silenceIsSaidInDays();
    void countsAreWrittenAsTheWindowWritesThem_data();
    void countsAreWrittenAsTheWindowWritesThem();
    void attackGrowsItsInsight();
    void manyLoginsAreCounted();
    void serversAreKeptApart();
};

void TestInsightEngine::outOfOrder_data()
{
    // (minute, status) in the order the lines are read; F for a bounce, S for a delivery.
    QTest::addColumn<Tries>("tries");
    QTest::addColumn<QStringList>("expected");
    // Two bounces within the 15 minutes, and a third an hour before, read last (a rotated log's
    // late lines): three bounces, but never three within one window.
    QTest::newRow("an old bounce read late") << Tries{{60, 'F'}, {61, 'F'}, {0, 'F'}} << QStringList{};
    // The same three within the window, in any order: the window is full either way.
    QTest::newRow("three within the window, shuffled")
        << Tries{{61, 'F'}, {60, 'F'}, {62, 'F'}} << QStringList{u"failure-share  @62"_s};
    // Deliveries read late keep the share low.
    QTest::newRow("deliveries read late")
        << Tries{{60, 'S'}, {61, 'S'}, {62, 'S'}, {63, 'F'}, {59, 'S'}, {58, 'S'}, {64, 'F'}}
        << QStringList{};
}

void TestInsightEngine::outOfOrder()
{
    QFETCH(Tries, tries);
    QFETCH(QStringList, expected);
    InsightThresholds t;
    t.failureMinimum = 3;
    t.failureShare = 0.5;
    t.queueMinimum = 1000;
    InsightEngine engine(t);
    std::int64_t id = 0;
    for (const auto &[minute, what] : tries)
        engine.message(tried(++id, minute, "r@dest.test", what == 'S' ? DeliveryStatus::Sent : DeliveryStatus::Bounced));
    QCOMPARE(fired(engine), expected);
}

void TestInsightEngine::deferringRunsEnd_data()
{
    // (minute, status) to dest.test: D deferred, S sent. Threshold: 60 minutes of deferring.
    QTest::addColumn<Tries>("tries");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("deferring for 70 min") << Tries{{0, 'D'}, {30, 'D'}, {70, 'D'}}
                                          << QStringList{u"destination-deferring dest.test @70"_s};
    // It delivered at 20: the deferrals after it are a run of 50 minutes, not 70.
    QTest::newRow("a delivery in between") << Tries{{0, 'D'}, {20, 'S'}, {30, 'D'}, {70, 'D'}}
                                           << QStringList{};
    // A delivery read late, from before the deferrals, does not end them.
    QTest::newRow("an older delivery read late")
        << Tries{{10, 'D'}, {40, 'D'}, {5, 'S'}, {80, 'D'}} << QStringList{u"destination-deferring dest.test @80"_s};
    // Deferred once in the morning, once again a day later: two runs, each short.
    QTest::newRow("a day apart") << Tries{{0, 'D'}, {1440, 'D'}, {1450, 'D'}} << QStringList{};
    // It fired, recovered, and defers again for long: a second insight.
    QTest::newRow("fires again after recovering")
        << Tries{{0, 'D'}, {61, 'D'}, {62, 'S'}, {100, 'D'}, {170, 'D'}}
        << QStringList{u"destination-deferring dest.test @61"_s, u"destination-deferring dest.test @170"_s};
}

void TestInsightEngine::deferringRunsEnd()
{
    QFETCH(Tries, tries);
    QFETCH(QStringList, expected);
    InsightThresholds t;
    t.deferringMs = 60 * Minute;
    t.failureMinimum = 1000;
    t.queueMinimum = 1000;
    InsightEngine engine(t);
    std::int64_t id = 0;
    for (const auto &[minute, what] : tries)
        engine.message(tried(++id, minute, "r@dest.test", what == 'S' ? DeliveryStatus::Sent : DeliveryStatus::Deferred));
    QCOMPARE(fired(engine), expected);
}

void TestInsightEngine::quietClientsAreForgotten()
{
    // A week of follow: a SASL failure and a refused message from a new client every 10 seconds.
    InsightThresholds t;
    InsightEngine engine(t);
    constexpr int Clients = 7 * 24 * 360;
    for (int i = 0; i < Clients; ++i) {
        const std::string ip = "198.51." + std::to_string(i / 256 % 256) + '.' + std::to_string(i % 256) + '-' + std::to_string(i);
        IncidentRecord failure;
        failure.timeMs = static_cast<std::int64_t>(i) * 10000;
        failure.clientIp = ip;
        engine.incident(failure);
        MessageRecord refused;
        refused.dbId = i + 1;
        refused.state = MessageState::Rejected;
        refused.clientIp = ip;
        refused.firstSeenMs = refused.lastSeenMs = failure.timeMs;
        engine.message(refused);
    }
    QVERIFY(engine.take().empty());
    // Only the clients of the last burst window (10 minutes: 60 of them, twice) and a minute more.
    QVERIFY2(engine.tracked() <= 2 * 72, qPrintable(QString::number(engine.tracked())));

    // A client forgotten after its burst fires again on its next one.
    InsightThresholds low;
    low.authFailureBurst = 2;
    InsightEngine again(low);
    IncidentRecord f;
    f.clientIp = "203.0.113.7";
    for (std::int64_t minute : {0, 1, 60, 61}) {
        f.timeMs = minute * Minute;
        again.incident(f);
    }
    QCOMPARE(fired(again), (QStringList{u"auth-failure-burst 203.0.113.7 @1"_s, u"auth-failure-burst 203.0.113.7 @61"_s}));
}

void TestInsightEngine::onlyAuthFailuresAreABruteForce_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("fires");
    QTest::newRow("SASL authentication failed") << int(IncidentKind::AuthFailure) << true;
    QTest::newRow("client warning") << int(IncidentKind::ClientWarning) << false;
    QTest::newRow("lost connection") << int(IncidentKind::LostConnection) << false;
    QTest::newRow("postscreen or DNSBL") << int(IncidentKind::Screened) << false;
}

void TestInsightEngine::onlyAuthFailuresAreABruteForce()
{
    QFETCH(int, kind);
    QFETCH(bool, fires);
    InsightEngine engine{InsightThresholds{}};
    IncidentRecord incident;
    incident.kind = static_cast<IncidentKind>(kind);
    incident.clientIp = "198.51.100.9";
    for (int i = 0; i < 50; ++i) {  // far above the default burst, within one window
        incident.timeMs = i * 1000;
        engine.incident(incident);
    }
    const QStringList all = fired(engine);
    QCOMPARE(all.filter(u"auth-failure-burst"_s).size(), fires ? 1 : 0);
}

void TestInsightEngine::postscreenDropsAreASpamRun_data()
{
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("fires");
    // postscreen's own lines (Postfix 3.x wording, tests/data/postfix/produce/).
    QTest::newRow("pregreet") << u"PREGREET 11 after 0.1 from [198.51.100.9]:41234: EHLO spam.example\\r\\n"_s << true;
    QTest::newRow("dnsbl rank") << u"DNSBL rank 5 for [198.51.100.9]:41234"_s << true;
    QTest::newRow("hangup") << u"HANGUP after 0.4 from [198.51.100.9]:41234 in tests after SMTP handshake"_s << true;
    // dnsblog repeats what postscreen's rank says: not a drop of its own.
    QTest::newRow("dnsblog listing") << u"addr 198.51.100.9 listed by domain zen.spamhaus.org as 127.0.0.2"_s << false;
}

void TestInsightEngine::postscreenDropsAreASpamRun()
{
    QFETCH(QString, detail);
    QFETCH(bool, fires);
    InsightEngine engine{InsightThresholds{}};
    IncidentRecord drop;
    drop.kind = IncidentKind::Screened;
    drop.clientIp = "198.51.100.9";
    drop.detail = detail.toStdString();
    for (int i = 0; i < 19; ++i) {  // one below the default threshold of 20
        drop.timeMs = i * 1000;
        engine.incident(drop);
    }
    QCOMPARE(fired(engine).size(), 0);
    // A refused message of the same client joins the drops.
    MessageRecord refused = tried(7, 1, "victim@example.com", DeliveryStatus::Rejected);
    refused.clientIp = drop.clientIp;
    engine.message(refused);
    QCOMPARE(fired(engine), fires ? QStringList{u"reject-burst 198.51.100.9 @1"_s} : QStringList{});
}

void TestInsightEngine::networkRuns_data()
{
    QTest::addColumn<QStringList>("addresses");
    QTest::addColumn<int>("each");
    QTest::addColumn<QStringList>("expected");
    // Five addresses of one /24, six failures each: none reaches 10 alone, the network has 30.
    QTest::newRow("one IPv4 network") << QStringList{u"203.0.113.5"_s, u"203.0.113.17"_s, u"203.0.113.33"_s,
                                                     u"203.0.113.70"_s, u"203.0.113.201"_s}
                                      << 6 << QStringList{u"auth-failure-burst 203.0.113.0/24"_s};
    QTest::newRow("one IPv6 /64") << QStringList{u"2001:db8:1:2::5"_s, u"2001:db8:1:2:aaaa::6"_s} << 6
                                  << QStringList{u"auth-failure-burst 2001:db8:1:2::/64"_s};
    // One address over the threshold: the address, and not its network a second time.
    QTest::newRow("one address") << QStringList{u"203.0.113.5"_s} << 12 << QStringList{u"auth-failure-burst 203.0.113.5"_s};
    // A network's run, then one of its addresses alone goes on past the threshold (the rounds of
    // 203.0.113.5 after the others stopped): still the one attack of that network, one line.
    QTest::newRow("network, then one address alone")
        << QStringList{u"203.0.113.5"_s, u"203.0.113.17"_s, u"203.0.113.33"_s, u"203.0.113.70"_s, u"203.0.113.201"_s,
                       u"203.0.113.5"_s, u"203.0.113.5"_s}
        << 6 << QStringList{u"auth-failure-burst 203.0.113.0/24"_s};
    // Addresses of different networks stay apart.
    QTest::newRow("different networks") << QStringList{u"203.0.113.5"_s, u"198.51.100.5"_s, u"192.0.2.5"_s} << 6
                                        << QStringList{};
}

void TestInsightEngine::networkRuns()
{
    QFETCH(QStringList, addresses);
    QFETCH(int, each);
    QFETCH(QStringList, expected);
    InsightEngine engine{InsightThresholds{}};
    IncidentRecord failure;
    failure.kind = IncidentKind::AuthFailure;
    int second = 0;
    for (int i = 0; i < each; ++i) {
        for (const QString &address : addresses) {
            failure.clientIp = address.toStdString();
            failure.timeMs = ++second * 1000;
            engine.incident(failure);
        }
    }
    QStringList subjects;
    for (const QString &insight : fired(engine))
        subjects << insight.section(u' ', 0, 1);
    QCOMPARE(subjects, expected);
}

void TestInsightEngine::timeWindowTakesLateEntries()
{
    // Entries in the order a replay hands them over: a message at its last line, its tries before.
    TimeWindow w;
    const std::int64_t span = 10 * Minute;
    w.add({20 * Minute, false, 1}, span);
    w.add({12 * Minute, true, 2}, span);   // late, still inside (10..20)
    w.add({5 * Minute, true, 3}, span);    // late, outside: gone at once
    w.add({15 * Minute, true, 2}, span);
    QCOMPARE(w.size(), std::size_t(3));
    QCOMPARE(w.failed(), std::size_t(2));
    QCOMPARE(w.newestMs(), 20 * Minute);
    QCOMPARE(w.messageIds(false, 10), (std::vector<std::int64_t>{2, 1}));
    QCOMPARE(w.messageIds(true, 10), (std::vector<std::int64_t>{2}));
    QCOMPARE(w.messageIds(false, 1), (std::vector<std::int64_t>{2}));
    w.add({24 * Minute, false, 4}, span);  // 14..24: the try at 12 leaves
    QCOMPARE(w.size(), std::size_t(3));
    QCOMPARE(w.failed(), std::size_t(1));
    w.expireBefore(21 * Minute);
    QCOMPARE(w.size(), std::size_t(1));
    QCOMPARE(w.failed(), std::size_t(0));
    QCOMPARE(w.newestMs(), 24 * Minute);
    w.expireBefore(25 * Minute);
    QVERIFY(w.empty());
    QCOMPARE(w.newestMs(), 24 * Minute);
}

void TestInsightEngine::blocklistReplies_data()
{
    // Reply texts in the wording the providers document for a sending IP on a blocklist, and
    // replies that only refuse or delay a message.
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<bool>("listed");
    QTest::newRow("Spamhaus") << 554 << u"554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org"_s << true;
    QTest::newRow("Microsoft S3150")
        << 550 << u"550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."_s
        << true;
    QTest::newRow("Microsoft 5.7.606") << 550 << u"550 5.7.606 Access denied, banned sending IP [198.51.100.7]."_s << true;
    QTest::newRow("Gmail, IP blocked")
        << 550 << u"550-5.7.1 [198.51.100.7] The IP you're using to send mail is not authorized to send email directly to our servers; blocked"_s
        << true;
    QTest::newRow("greylisting") << 450 << u"450 4.2.0 <r@dest.test>: Recipient address rejected: Greylisted"_s << false;
    QTest::newRow("no such user") << 550 << u"550 5.1.1 <r@dest.test>: Recipient address rejected: User unknown"_s << false;
}

void TestInsightEngine::blocklistReplies()
{
    QFETCH(int, code);
    QFETCH(QString, reply);
    QFETCH(bool, listed);
    InsightThresholds t;
    t.failureMinimum = 1000;
    t.queueMinimum = 1000;
    InsightEngine engine(t);
    MessageRecord m = tried(1, 10, "r@dest.test", code >= 500 ? DeliveryStatus::Bounced : DeliveryStatus::Deferred);
    m.deliveries[0].replyCode = code;
    m.deliveries[0].replyText = reply.toStdString();
    m.deliveries[0].relay = "mx.dest.test[203.0.113.5]:25";
    engine.message(m);
    QCOMPARE(fired(engine), listed ? QStringList{u"blocklisted mx.dest.test[203.0.113.5]:25 @10"_s} : QStringList{});
}

void TestInsightEngine::queueGrowing()
{
    // Half an hour of deferrals outnumbering deliveries: the queue grows; once deliveries outnumber
    // them again it is over, and it fires again only when it grows again.
    InsightThresholds t;
    t.queueMinimum = 5;
    t.failureMinimum = 1000;
    t.deferringMs = 24 * 60 * Minute;
    InsightEngine engine(t);
    std::int64_t id = 0;
    for (int minute = 0; minute < 6; ++minute)
        engine.message(tried(++id, minute, "r@slow.test", DeliveryStatus::Deferred));
    engine.message(tried(++id, 6, "r@fast.test", DeliveryStatus::Sent));
    QCOMPARE(fired(engine), QStringList{u"queue-growing  @4"_s});  // the fifth deferral
    for (int minute = 7; minute < 14; ++minute)
        engine.message(tried(++id, minute, "r@fast.test", DeliveryStatus::Sent));
    QCOMPARE(fired(engine), QStringList{});
    for (int minute = 40; minute < 46; ++minute)
        engine.message(tried(++id, minute, "r@slow.test", DeliveryStatus::Deferred));
    QCOMPARE(fired(engine), QStringList{u"queue-growing  @44"_s});
}

void TestInsightEngine::silenceAfterTraffic_data()
{
    // Deliveries every 5 minutes for the first `busyMinutes`, then the next try at `nextMinute`.
    QTest::addColumn<int>("busyMinutes");
    QTest::addColumn<int>("nextMinute");
    QTest::addColumn<std::uint32_t>("nextLog");  // the log of that try (the deliveries are in log 1)
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("busy, then 5 hours without a delivery") << 120 << 115 + 300 << 1u << QStringList{u"no-deliveries  @415"_s};
    QTest::newRow("busy, then 3 hours") << 120 << 115 + 180 << 1u << QStringList{};
    // Five deliveries in the morning: a quiet server, whose silence is no news.
    QTest::newRow("quiet server, 5 hours") << 25 << 20 + 300 << 1u << QStringList{};
    // Two logs opened together (another server's, another week's): the gap between them is none
    // of the server's silence.
    QTest::newRow("busy, then another log 12 days later") << 120 << 115 + 12 * 24 * 60 << 2u << QStringList{};
}

void TestInsightEngine::silenceAfterTraffic()
{
    QFETCH(int, busyMinutes);
    QFETCH(int, nextMinute);
    QFETCH(std::uint32_t, nextLog);
    InsightThresholds t;
    t.failureMinimum = 1000;
    t.queueMinimum = 1000;
    t.deferringMs = 24 * 60 * Minute;
    InsightEngine engine(t);  // silence: 4 hours, after at least 20 deliveries
    std::int64_t id = 0;
    for (int minute = 0; minute < busyMinutes; minute += 5) {
        MessageRecord m = tried(++id, minute, "r@dest.test", DeliveryStatus::Sent);
        m.fileId = 1;
        engine.message(m);
    }
    MessageRecord next = tried(++id, nextMinute, "r@slow.test", DeliveryStatus::Deferred);
    next.fileId = nextLog;
    engine.message(next);
    QTEST(fired(engine), "expected");
}

// A silence of days is said in days: "no delivery for 9684546 min" was unreadable.
void TestInsightEngine::silenceIsSaidInDays()
{
    InsightThresholds t;
    t.failureMinimum = 1000;
    t.queueMinimum = 1000;
    t.deferringMs = 1000 * 24 * 60 * Minute;
    InsightEngine engine(t);
    std::int64_t id = 0;
    for (int minute = 0; minute < 120; minute += 5)
        engine.message(tried(++id, minute, "r@dest.test", DeliveryStatus::Sent));
    engine.message(tried(++id, 115 + 3 * 24 * 60 + 30, "r@slow.test", DeliveryStatus::Deferred));
    const std::vector<Insight> insights = engine.take();
    QCOMPARE(insights.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(insights[0].detail), u"no delivery for 3 days, after 24 in the 4 h before"_s);
}

void TestInsightEngine::countsAreWrittenAsTheWindowWritesThem_data()
{
    QTest::addColumn<bool>("localeSet");
    QTest::addColumn<QString>("expected");
    // trial21: "after 164037" in the window, where every other count reads "164,037".
    QTest::newRow("window's locale") << true << u"no delivery for 3 days, after 1,200 in the 4 h before"_s;
    QTest::newRow("digits alone (the CLI)") << false << u"no delivery for 3 days, after 1200 in the 4 h before"_s;
}

void TestInsightEngine::countsAreWrittenAsTheWindowWritesThem()
{
    QFETCH(bool, localeSet);
    InsightThresholds t;
    t.failureMinimum = 100000;
    t.queueMinimum = 100000;
    t.deferringMs = 1000 * 24 * 60 * Minute;
    InsightEngine engine(t);
    if (localeSet)
        engine.setNumberFormat([](std::int64_t n) { return QLocale(QLocale::English).toString(qlonglong(n)).toStdString(); });
    std::int64_t id = 0;
    for (int minute = 0; minute < 120; ++minute)
        for (int i = 0; i < 10; ++i)
            engine.message(tried(++id, minute, "r@dest.test", DeliveryStatus::Sent));
    engine.message(tried(++id, 119 + 3 * 24 * 60 + 30, "r@slow.test", DeliveryStatus::Deferred));
    const std::vector<Insight> insights = engine.take();
    QCOMPARE(insights.size(), std::size_t(1));
    QTEST(QString::fromStdString(insights[0].detail), "expected");
}

void TestInsightEngine::attackGrowsItsInsight()
{
    // 25 failures 2 s apart, three logins tried: the insight fires at the tenth and says the
    // attack, not the threshold; as the attack goes on, the same insight (its time, kind and
    // subject) comes again with its numbers so far, in one update for what came since.
    InsightEngine engine{InsightThresholds{}};
    IncidentRecord f;
    f.kind = IncidentKind::AuthFailure;
    f.clientIp = "203.0.113.7";
    const char *const users[] = {"admin", "info", "test"};
    for (int i = 0; i < 25; ++i) {
        f.timeMs = 1000 * Minute + i * 2000;
        f.detail = std::string("SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=") + users[i % 3];
        engine.incident(f);
        if (i == 9) {
            const std::vector<Insight> fired = engine.take();
            QCOMPARE(fired.size(), std::size_t(1));
            QVERIFY(!fired[0].update);
            QCOMPARE(fired[0].timeMs, 1000 * Minute + 18000);
            QCOMPARE(QString::fromStdString(fired[0].detail),
                     u"10 SASL authentication failures from 203.0.113.7 over 18 s; usernames tried: admin, info and test"_s);
        }
    }
    const std::vector<Insight> grown = engine.take();
    QCOMPARE(grown.size(), std::size_t(1));
    QVERIFY(grown[0].update);
    QCOMPARE(grown[0].timeMs, 1000 * Minute + 18000);
    QCOMPARE(grown[0].subject, std::string("203.0.113.7"));
    QCOMPARE(QString::fromStdString(grown[0].detail),
             u"25 SASL authentication failures from 203.0.113.7 over 48 s; usernames tried: admin, info and test"_s);
    QVERIFY(engine.take().empty());
}

void TestInsightEngine::manyLoginsAreCounted()
{
    // A dictionary attack: 12 logins, each once. The first eight are named, the rest counted.
    InsightEngine engine{InsightThresholds{}};
    IncidentRecord f;
    f.kind = IncidentKind::AuthFailure;
    f.clientIp = "203.0.113.7";
    for (int i = 0; i < 12; ++i) {
        f.timeMs = i * 1000;
        f.detail = "SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=user" + std::to_string(i);
        engine.incident(f);
    }
    const std::vector<Insight> fired = engine.take();
    QCOMPARE(fired.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(fired[0].detail),
             u"12 SASL authentication failures from 203.0.113.7 over 11 s; usernames tried: user0, user1, user10, user11, "
             "user2, user3, user4, user5 and 4 more"_s);
}

void TestInsightEngine::serversAreKeptApart()
{
    // Two logs of servers that both call themselves "mx": one delivers everything, the other
    // bounces everything. Together they are at 50 % failures; apart, only the second is.
    auto run = [](bool apart) {
        InsightEngine engine{InsightThresholds{}};
        if (apart)
            engine.setServerOf([](std::uint32_t fileId, const std::string &host) {
                return host + (fileId == 1 ? " (a.log)" : " (b.log)");
            });
        for (int i = 0; i < 40; ++i) {
            const bool second = i % 2 == 1;
            MessageRecord m = tried(i + 1, 10 + i / 4, "x@example.org", second ? DeliveryStatus::Bounced : DeliveryStatus::Sent);
            m.host = "mx";
            m.fileId = second ? 2 : 1;
            engine.message(m);
        }
        QStringList out;
        for (const Insight &i : engine.take())
            out << QString::fromLatin1(insightKindName(i.kind)) + u' ' + QString::fromStdString(i.server);
        return out;
    };
    QCOMPARE(run(false), QStringList{u"failure-share "_s});
    QCOMPARE(run(true), QStringList{u"failure-share mx (b.log)"_s});
}

QTEST_GUILESS_MAIN(TestInsightEngine)
#include "tst_insightengine.moc"
