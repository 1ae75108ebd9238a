// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Sendmail's lines joined into messages: when a message ends (Sendmail logs no line for it),
// where a refused recipient goes, and how a bounce names its parent. The lines are those the real
// Sendmail wrote in tests/data/sendmail/golden/sendmail-8.17.1.9-syslog.log (see produce.sh).
#include "correlation/correlator.h"
#include "ingest/sendmail/sendmailformat.h"
#include "ingest/timestampresolver.h"

#include <QTest>

#include <map>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

struct Collector : MessageSink {
    std::vector<MessageRecord> messages;
    void storeMessage(MessageRecord &&m) override { messages.push_back(std::move(m)); }
    void storeIncident(IncidentRecord &&) override {}
};

// The messages the lines make, by queue id ("" for one refused without one), as the Ingestor
// correlates a Sendmail log; `openAtEnd` gets those still in the queue when the lines end.
std::map<std::string, MessageRecord> correlate(const QList<QByteArray> &lines, std::size_t *openAtEnd = nullptr)
{
    Collector sink;
    Correlator correlator(sink);
    const SendmailFormat format;
    correlator.setIdleTimeout(format.lifetime().idleTimeoutMs);
    correlator.setEndsWhenRecipientsDone(format.lifetime().endsWhenRecipientsDone);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    std::uint64_t offset = 0;
    for (const QByteArray &line : lines) {
        Record record;
        Event event;
        const std::string_view text(line.constData(), static_cast<std::size_t>(line.size()));
        if (format.readRecord(text, record) && format.parse(record, event) && resolver.resolve(record, event)) {
            event.offset = offset;
            correlator.process(event, 1);
        }
        offset += static_cast<std::uint64_t>(line.size()) + 1;
    }
    if (openAtEnd)
        *openAtEnd = correlator.openCount();
    correlator.finish();
    std::map<std::string, MessageRecord> byId;
    for (MessageRecord &m : sink.messages) {
        if (byId.contains(m.queueId))
            qFatal("two messages under queue id '%s'", m.queueId.c_str());
        byId.emplace(m.queueId, std::move(m));
    }
    return byId;
}

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

// The delivery of a recipient; one of no recipient (status None) when the message has none.
const DeliveryRecord *deliveryTo(const MessageRecord &m, std::string_view recipient)
{
    static const DeliveryRecord none;
    for (const DeliveryRecord &d : m.deliveries) {
        if (d.recipient == recipient)
            return &d;
    }
    return &none;
}

// A local submission to two users, both delivered.
const QList<QByteArray> TwoSent{
    "Dec  4 10:28:35 mx sendmail[8938]: 6B4ASZgF008938: from=root, size=24, class=0, nrcpts=2, msgid=<202612041028.6B4ASZgF008938@mx.lab.test>, relay=root@localhost",
    "Dec  4 10:28:36 mx sendmail[8938]: 6B4ASZgF008938: to=alice, ctladdr=root (0/0), delay=00:00:01, xdelay=00:00:01, mailer=local, pri=60024, dsn=2.0.0, stat=Sent",
    "Dec  4 10:28:36 mx sendmail[8938]: 6B4ASZgF008938: to=bob, ctladdr=root (0/0), delay=00:00:01, xdelay=00:00:00, mailer=local, pri=60024, dsn=2.0.0, stat=Sent",
};
// A remote host that refuses: deferred, and deferred again by a queue run.
const QList<QByteArray> Deferred{
    "Dec  4 10:28:37 mx sendmail[8942]: 6B4ASaBY008942: from=<bob@lab.test>, size=216, class=0, nrcpts=1, msgid=<20261204102836.008941@mx>, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]",
    "Dec  4 10:28:37 mx sendmail[8944]: 6B4ASaBY008942: to=<x@slow.test>, ctladdr=<bob@lab.test> (1001/1001), delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30216, relay=[127.0.0.9] [127.0.0.9], dsn=4.4.1, stat=Deferred: Connection refused by [127.0.0.9]",
    "Dec  4 10:28:47 mx sendmail[8976]: 6B4ASaBY008942: to=<x@slow.test>, ctladdr=<bob@lab.test> (1001/1001), delay=00:00:10, xdelay=00:00:00, mailer=esmtp, pri=120216, relay=[127.0.0.9] [127.0.0.9], dsn=4.4.1, stat=Deferred: Connection refused by [127.0.0.9]",
};
// One recipient refused at RCPT (logged before the from= line), the other delivered.
const QList<QByteArray> RefusedThenSent{
    "Dec  4 10:28:35 mx sendmail[8930]: 6B4ASZS2008930: <ghost@lab.test>... User unknown",
    "Dec  4 10:28:35 mx sendmail[8930]: 6B4ASZS2008930: from=<alice@lab.test>, size=228, class=0, nrcpts=1, msgid=<20261204102835.008928@mx>, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]",
    "Dec  4 10:28:35 mx sendmail[8935]: 6B4ASZS2008930: to=<bob@lab.test>, ctladdr=<alice@lab.test> (1000/1000), delay=00:00:00, xdelay=00:00:00, mailer=local, pri=30394, dsn=2.0.0, stat=Sent",
};
// Every recipient refused, by the local check and by the relaying rules: nothing queued.
const QList<QByteArray> AllRefused{
    "Dec  4 10:28:40 mx sendmail[8958]: 6B4ASeFq008958: <ghost@lab.test>... User unknown",
    "Dec  4 10:28:40 mx sendmail[8958]: 6B4ASeFq008958: <phantom@lab.test>... User unknown",
    "Dec  4 10:28:40 mx sendmail[8958]: 6B4ASeFq008958: from=<bob@lab.test>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]",
    "Dec  4 10:28:41 mx sendmail[8960]: 6B4ASfPk008960: ruleset=check_rcpt, arg1=<victim@elsewhere.test>, relay=[127.0.0.3], reject=550 5.7.1 <victim@elsewhere.test>... Relaying denied. IP name lookup failed [127.0.0.3]",
    "Dec  4 10:28:41 mx sendmail[8960]: 6B4ASfPk008960: from=<spammer@else.test>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=[127.0.0.3]",
};
// A local user who does not exist: the message bounces, its DSN goes back to alice.
const QList<QByteArray> Bounced{
    "Dec  4 10:28:39 mx sendmail[8955]: 6B4ASdKO008955: ghost@lab.test... User unknown",
    "Dec  4 10:28:39 mx sendmail[8955]: 6B4ASdKO008955: to=ghost@lab.test, delay=00:00:00, mailer=local, pri=0, dsn=5.1.1, reply=550 5.1.1 User unknown, stat=User unknown",
    "Dec  4 10:28:39 mx sendmail[8955]: 6B4ASdKO008955: from=alice@lab.test, size=29, class=0, nrcpts=1, msgid=<202612041028.6B4ASdKO008955@mx.lab.test>, relay=root@localhost",
    "Dec  4 10:28:39 mx sendmail[8955]: 6B4ASdKO008955: 6B4ASdKP008955: DSN: User unknown",
    "Dec  4 10:28:39 mx sendmail[8955]: 6B4ASdKP008955: to=alice@lab.test, delay=00:00:00, xdelay=00:00:00, mailer=local, pri=31053, dsn=2.0.0, stat=Sent",
};
// Deferred, then returned by a queue run for its age.
const QList<QByteArray> Expired{
    "Dec  4 10:28:37 mx sendmail[8946]: 6B4ASb4R008946: from=<bob@lab.test>, size=216, class=0, nrcpts=1, msgid=<20261204102837.008945@mx>, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]",
    "Dec  4 10:28:37 mx sendmail[8948]: 6B4ASb4R008946: to=<late@slow.test>, ctladdr=<bob@lab.test> (1001/1001), delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30216, relay=[127.0.0.9] [127.0.0.9], dsn=4.4.1, stat=Deferred: Connection refused by [127.0.0.9]",
    "Dec  4 10:28:47 mx sendmail[8981]: 6B4ASb4R008946: to=<late@slow.test>, ctladdr=<bob@lab.test> (1001/1001), delay=00:00:10, xdelay=00:00:00, mailer=esmtp, pri=120216, relay=[127.0.0.9] [127.0.0.9], dsn=4.4.1, stat=Deferred: Connection refused by [127.0.0.9]",
    "Dec  4 10:28:47 mx sendmail[8981]: 6B4ASb4R008946: 6B4ASlFL008981: DSN: Cannot send message for 1 second",
    "Dec  4 10:28:48 mx sendmail[8981]: 6B4ASlFL008981: to=<bob@lab.test>, delay=00:00:01, xdelay=00:00:01, mailer=local, pri=31426, dsn=2.0.0, stat=Sent",
};

// Queued without a try (-odq), delivered by a queue run.
const QList<QByteArray> QueuedFirst{
    "Dec  4 10:28:38 mx sendmail[8953]: 6B4AScXO008953: from=alice@lab.test, size=25, class=0, nrcpts=1, msgid=<202612041028.6B4AScXO008953@mx.lab.test>, relay=root@localhost",
    "Dec  4 10:28:38 mx sendmail[8953]: 6B4AScXO008953: to=carol, delay=00:00:00, mailer=local, pri=30025, stat=queued",
    "Dec  4 10:28:47 mx sendmail[8977]: 6B4AScXO008953: to=carol, ctladdr=alice@lab.test (1000/1000), delay=00:00:09, xdelay=00:00:00, mailer=local, pri=120025, dsn=2.0.0, stat=Sent",
};

// The local submission program (MSP) hands the message to the MTA on localhost, which names the
// id it queued it under: two queue ids, one message (tests/data/sendmail/golden/psm-sendmail-plain.log).
const QList<QByteArray> SubmittedThenRelayed{
    "Jan  6 02:37:32 Jupiter sendmail[809]: j061bW9V000809: from=maddingue, size=2039, class=0, nrcpts=1, msgid=<200501060137.j061bW9V000809@jupiter.maddingue.net>, relay=maddingue@localhost",
    "Jan  6 02:37:33 Jupiter sendmail[812]: j061bXn5000812: from=<maddingue@jupiter.maddingue.net>, size=2262, class=0, nrcpts=1, msgid=<200501060137.j061bW9V000809@jupiter.maddingue.net>, proto=ESMTP, daemon=MTA, relay=localhost [127.0.0.1]",
    "Jan  6 02:37:33 Jupiter sendmail[809]: j061bW9V000809: to=cpan-testers@perl.org, ctladdr=maddingue (501/20), delay=00:00:01, xdelay=00:00:00, mailer=relay, pri=30151, relay=localhost [127.0.0.1], dsn=2.0.0, stat=Sent (j061bXn5000812 Message accepted for delivery)",
    "Jan  6 02:37:43 Jupiter sendmail[814]: j061bXn5000812: to=<cpan-testers@perl.org>, delay=00:00:10, xdelay=00:00:10, mailer=esmtp, pri=30373, relay=mx.develooper.com. [63.251.223.176], dsn=2.0.0, stat=Sent (Queued! <200501060137.j061bW9V000809@jupiter.maddingue.net>)",
};

} // namespace

class TestSendmailFlows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliveredMessageEnds();
    void waitingRecipientKeepsItOpen();
    void refusedRecipientJoinsItsMessage();
    void everyRecipientRefused();
    void refusalWithoutQueueIdStaysUnqueued();
    void probesAndEarlyTalkAreNoMessage();
    void bounceIsLinkedToItsParent();
    void returnedForItsAgeExpires();
    void queuedIsNoTry();
    void submissionAndRelayAreOneChain();
};

// Sendmail logs no "removed": a message whose every recipient has its final status is done,
// not "still in the queue" when the log ends.
void TestSendmailFlows::deliveredMessageEnds()
{
    std::size_t open = 0;
    const auto messages = correlate(TwoSent, &open);
    const MessageRecord &m = messages.at("6B4ASZgF008938");
    QCOMPARE(m.deliveries.size(), std::size_t(2));
    QVERIFY(m.removed);
    QVERIFY(!m.isOpen());
    QCOMPARE(m.state, MessageState::Sent);
    QCOMPARE(open, std::size_t(0));
}

void TestSendmailFlows::waitingRecipientKeepsItOpen()
{
    std::size_t open = 0;
    // nrcpts=2 and one to= line so far: the other recipient is still to come.
    auto messages = correlate(TwoSent.mid(0, 2), &open);
    QVERIFY(!messages.at("6B4ASZgF008938").removed);
    QCOMPARE(open, std::size_t(1));
    messages = correlate(Deferred, &open);
    const MessageRecord &m = messages.at("6B4ASaBY008942");
    QVERIFY(!m.removed);
    QCOMPARE(m.state, MessageState::Deferred);
    QCOMPARE(m.deliveries.at(0).attempts, 2);
    QCOMPARE(open, std::size_t(1));
}

// A RCPT refused before Sendmail logs from= is a row of that envelope's message, with its sender.
void TestSendmailFlows::refusedRecipientJoinsItsMessage()
{
    const auto messages = correlate(RefusedThenSent);
    QCOMPARE(messages.size(), std::size_t(1));
    const MessageRecord &m = messages.at("6B4ASZS2008930");
    QCOMPARE(text(m.sender), u"alice@lab.test"_s);
    QCOMPARE(text(m.clientIp), u"127.0.0.1"_s);
    QCOMPARE(m.deliveries.size(), std::size_t(2));
    QCOMPARE(deliveryTo(m, "ghost@lab.test")->status, DeliveryStatus::Rejected);
    QCOMPARE(text(deliveryTo(m, "ghost@lab.test")->replyText), u"User unknown"_s);
    QCOMPARE(deliveryTo(m, "bob@lab.test")->status, DeliveryStatus::Sent);
    // The refused recipient is not one nrcpts counts: the delivered one ends the message.
    QCOMPARE(m.state, MessageState::Sent);
    QVERIFY(m.removed);
}

void TestSendmailFlows::everyRecipientRefused()
{
    std::size_t open = 0;
    const auto messages = correlate(AllRefused, &open);
    QCOMPARE(messages.size(), std::size_t(2));
    const MessageRecord &local = messages.at("6B4ASeFq008958");
    QCOMPARE(text(local.sender), u"bob@lab.test"_s);
    QCOMPARE(local.state, MessageState::Rejected);
    QCOMPARE(local.deliveries.size(), std::size_t(2));
    QCOMPARE(deliveryTo(local, "phantom@lab.test")->status, DeliveryStatus::Rejected);
    const MessageRecord &relay = messages.at("6B4ASfPk008960");
    QCOMPARE(text(relay.sender), u"spammer@else.test"_s);
    QCOMPARE(text(relay.clientIp), u"127.0.0.3"_s);
    QCOMPARE(relay.state, MessageState::Rejected);
    QCOMPARE(deliveryTo(relay, "victim@elsewhere.test")->replyCode, 550);
    QCOMPARE(open, std::size_t(0));
}

void TestSendmailFlows::refusalWithoutQueueIdStaysUnqueued()
{
    // fail2ban's sendmail-reject sample (tests/data/sendmail/corpus): a connection refused.
    const auto messages = correlate({
        "Feb 19 18:01:50 batman sm-mta[78152]: ruleset=check_relay, arg1=[196.213.73.146], arg2=196.213.73.146, relay=[196.213.73.146], reject=421 4.3.2 Connection rate limit exceeded.",
    });
    QCOMPARE(messages.size(), std::size_t(1));
    const MessageRecord &m = messages.at("");
    QCOMPARE(m.state, MessageState::Rejected);
    QCOMPARE(text(m.clientIp), u"196.213.73.146"_s);
}

// fail2ban's sendmail-reject sample: an EXPN and a VRFY probe, and a client talking before the
// greeting, each under its session's queue id. No message was ever offered: none is made (they
// stood as "queued" with no sender and no recipient, and counted as still in the queue).
void TestSendmailFlows::probesAndEarlyTalkAreNoMessage()
{
    std::size_t openAtEnd = 0;
    const auto messages = correlate({
        "Feb 13 01:16:50 batman sm-mta[25815]: s1D0GoSs025815: [217.193.142.180]: expn info [rejected]",
        "Feb 13 01:16:50 batman sm-mta[25815]: s1D0GoSs025815: [217.193.142.180]: vrfy info [rejected]",
        "Feb 27 10:53:07 strange sm-mta[18001]: u9A0GtpL018001: rejecting commands from example.com [1.2.3.4] due to pre-greeting traffic after 6 seconds",
        "Feb 22 14:02:44 batman sm-mta[4030]: s1MD2hsd004030: rrcs-24-73-201-194.se.biz.rr.com [24.73.201.194]: VRFY root [rejected]",
        "May 20 04:04:04 mailhost sendmail[4249]: j4K944gN004249: somehost.example.edu [129.107.xxx.yyy]: ETRN netscaler.testing.smtp",
    }, &openAtEnd);
    QCOMPARE(messages.size(), std::size_t(0));
    QCOMPARE(openAtEnd, std::size_t(0));
}

// The DSN is a message of its own that names its parent; the parent's recipient bounced.
void TestSendmailFlows::bounceIsLinkedToItsParent()
{
    const auto messages = correlate(Bounced);
    QCOMPARE(messages.size(), std::size_t(2));
    const MessageRecord &parent = messages.at("6B4ASdKO008955");
    const MessageRecord &dsn = messages.at("6B4ASdKP008955");
    QCOMPARE(text(parent.sender), u"alice@lab.test"_s);
    QCOMPARE(parent.state, MessageState::Bounced);
    QCOMPARE(parent.deliveries.size(), std::size_t(1));
    QCOMPARE(parent.deliveries.at(0).status, DeliveryStatus::Bounced);
    QCOMPARE(parent.deliveries.at(0).replyCode, 550);
    QCOMPARE(text(parent.deliveries.at(0).dsn), u"5.1.1"_s);
    QVERIFY(parent.removed);
    QCOMPARE(dsn.origin, MessageOrigin::Notification);
    QCOMPARE(text(dsn.parentQueueId), u"6B4ASdKO008955"_s);
    QCOMPARE(dsn.parentDbId, parent.dbId);
    QCOMPARE(dsn.state, MessageState::Sent);
    QVERIFY(dsn.removed);
}

// "Cannot send message for 1 second" (Timeout.queuereturn) ends the waiting recipient: expired.
void TestSendmailFlows::returnedForItsAgeExpires()
{
    std::size_t open = 0;
    const auto messages = correlate(Expired, &open);
    const MessageRecord &m = messages.at("6B4ASb4R008946");
    QCOMPARE(m.deliveries.at(0).status, DeliveryStatus::Expired);
    QCOMPARE(m.deliveries.at(0).attempts, 2);
    QCOMPARE(m.state, MessageState::Expired);
    QVERIFY(m.removed);
    QCOMPARE(text(messages.at("6B4ASlFL008981").parentQueueId), u"6B4ASb4R008946"_s);
    QCOMPARE(open, std::size_t(0));
}

// "stat=queued" (queue-only mode, or a load too high to deliver) is no try and no failure: the
// message waits for a queue run, which delivers it.
void TestSendmailFlows::queuedIsNoTry()
{
    std::size_t open = 0;
    auto messages = correlate(QueuedFirst.mid(0, 2), &open);
    const DeliveryRecord &waiting = messages.at("6B4AScXO008953").deliveries.at(0);
    QCOMPARE(waiting.status, DeliveryStatus::Deferred);
    QCOMPARE(waiting.attempts, 0);
    QCOMPARE(open, std::size_t(1));
    messages = correlate(QueuedFirst, &open);
    const MessageRecord &m = messages.at("6B4AScXO008953");
    QCOMPARE(m.state, MessageState::Sent);
    QCOMPARE(m.deliveries.at(0).attempts, 1);
    QVERIFY(m.removed);
}

// The MSP's "Sent (j061bXn5000812 Message accepted for delivery)" names the MTA's queue id: the
// two are hops of one message, as Postfix's "queued as" makes them, and the message is listed
// once. Each submission was two messages ("116 messages received" for 58 in the Summary).
void TestSendmailFlows::submissionAndRelayAreOneChain()
{
    const auto messages = correlate(SubmittedThenRelayed);
    QCOMPARE(messages.size(), std::size_t(2));
    const MessageRecord &submitted = messages.at("j061bW9V000809");
    const MessageRecord &relayed = messages.at("j061bXn5000812");
    QCOMPARE(text(submitted.nextHopQueueId), u"j061bXn5000812"_s);
    QCOMPARE(submitted.nextHopDbId, relayed.dbId);
    QCOMPARE(text(relayed.prevHopQueueId), u"j061bW9V000809"_s);
    QCOMPARE(relayed.deliveries.at(0).status, DeliveryStatus::Sent);
}

QTEST_GUILESS_MAIN(TestSendmailFlows)
#include "tst_sendmailflows.moc"
