// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Message flows written like real Postfix logs (tests/data/postfix/flows), joined into messages:
// the expected values below were worked out by reading the logs, not taken from the code.
#include "correlation/correlator.h"
#include "ingest/logreader.h"
#include "ingest/postfix/postfixformat.h"
#include "ingest/syslogline.h"
#include "ingest/timestampresolver.h"
#include "postfixlogfeed.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

struct Collector : MessageSink {
    std::vector<MessageRecord> messages;
    std::vector<IncidentRecord> incidents;
    int amended = 0;
    void storeMessage(MessageRecord &&m) override { messages.push_back(std::move(m)); }
    void storeIncident(IncidentRecord &&i) override { incidents.push_back(std::move(i)); }
    // The row stored before, written again: as a cache updates it.
    void amendMessage(MessageRecord &&m) override
    {
        ++amended;
        for (MessageRecord &stored : messages) {
            if (stored.dbId == m.dbId) {
                stored = std::move(m);
                return;
            }
        }
        qFatal("amended a message never stored");
    }
};

Collector correlatePath(const QString &path);

Collector correlate(const QString &name)
{
    return correlatePath(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + name);
}

// The log tests/data/postfix/produce.sh made with a real Postfix 3.10 and a content filter.
Collector correlateProduced()
{
    return correlatePath(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"));
}

// The log tests/data/postfix/produce-companions.sh made with Postfix 3.10, milters, policy
// services, amavis and dovecot-lda.
Collector correlateCompanions()
{
    return correlatePath(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-companions.log"));
}

Collector correlatePath(const QString &path)
{
    Collector sink;
    correlatePostfixLog(path, sink);
    return sink;
}

const MessageRecord *find(const Collector &c, const char *host, const char *queueId, int occurrence = 0)
{
    for (const MessageRecord &m : c.messages) {
        if (m.host == host && m.queueId == queueId && occurrence-- == 0)
            return &m;
    }
    return nullptr;
}

} // namespace

class TestCorrelator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messages_data();
    void messages();
    void codeIsOfTheStatus();
    void messageCounts_data();
    void messageCounts();
    void attemptsKeepEveryTry();
    void noQueueRejectIsAMessage();
    void restoredMessageContinues();
    void openMessagesInOrder_data();
    void openMessagesInOrder();
    void severalRecipientsInOneRecord();
    void factsNotProgramNamesEndAMessage();
    void idleTimeoutClosesAMessage_data();
    void idleTimeoutClosesAMessage();
    void producedStates_data();
    void producedStates();
    void contentFilterHopsFormAChain_data();
    void contentFilterHopsFormAChain();
    void tlsAndSaslOnTheMessage();
    void repeatedMilterRejectIsOneMessage();
    void clientIncidents_data();
    void clientIncidents();
    void incidentFamilies_data();
    void incidentFamilies();
    void companionVerdicts_data();
    void companionVerdicts();
    void companionLinesStartNoMessage();
    void verdictsJoinTheRightMessage_data();
    void verdictsJoinTheRightMessage();
    void lateLineAmendsTheStoredMessage();
};

void TestCorrelator::producedStates_data()
{
    QTest::addColumn<QString>("queueId");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("open");
    QTest::addColumn<int>("recipients");
    using enum MessageState;
    // Read off tests/data/postfix/golden/postfix-3.10.13-filter.log.
    QTest::newRow("quit after RCPT, cleanup's removed (canceled) after the disconnect") << "0A80FE643B5"
                                                                                        << int(Abandoned) << false << 0;
    QTest::newRow("queue file size limit") << "74AE6E643B8" << int(Rejected) << false << 0;
    QTest::newRow("discard header check") << "BBEABE643B6" << int(Discarded) << false << 1;
    QTest::newRow("held, then deleted by postsuper") << "DC853E643B5" << int(Deleted) << false << 0;
    QTest::newRow("held, released, passed the filter") << "B14ADE643BF" << int(Sent) << false << 1;
    QTest::newRow("address verification probe") << "F21BFE643BC" << int(Deliverable) << false << 1;
    QTest::newRow("redirected by a header check") << "A9798E643B7" << int(Sent) << false << 1;
    QTest::newRow("second hop still deferring one recipient") << "75963E643B1" << int(Deferred) << true << 3;
}

void TestCorrelator::producedStates()
{
    QFETCH(QString, queueId);
    QFETCH(int, state);
    QFETCH(bool, open);
    QFETCH(int, recipients);
    const Collector c = correlateProduced();
    const QByteArray id = queueId.toLatin1();
    const MessageRecord *m = find(c, "mx", id.constData());
    QVERIFY(m);
    QVERIFY2(!find(c, "mx", id.constData(), 1), "a line after its end opened the message again");
    QCOMPARE(int(m->state), state);
    QCOMPARE(m->isOpen(), open);
    QCOMPARE(int(m->deliveries.size()), recipients);
    if (state == int(MessageState::Deleted))  // from the hold line, the only one with the envelope
        QCOMPARE(m->sender, std::string("friend@remote.test"));
}

void TestCorrelator::contentFilterHopsFormAChain_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("host2");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QString>("clientIp");
    // Linked by the filter's "queued as" and the re-injection's orig_queue_id (XFORWARD).
    QTest::newRow("Postfix 3.10, three recipients") << "" << "mx" << "3656CE643A6" << "mx" << "75963E643B1" << "127.0.0.1";
    QTest::newRow("released from hold") << "" << "mx" << "B14ADE643BF" << "mx" << "65E19E643C0" << "127.0.0.1";
    // No orig_queue_id: the "queued as" alone links them.
    QTest::newRow("local submission") << "" << "mx" << "9626FE643BA" << "mx" << "9AC77E643B9" << "";
    // amavis answers for the Postfix behind it: "250 2.0.0 from MTA(...): 250 2.0.0 Ok: queued as X".
    QTest::newRow("amavis on 10024") << "amavis-and-milters.log" << "mx1" << "6A1B2C3D4E" << "mx1"
                                     << "7B2C3D4E5F" << "192.0.2.50";
    // Two hosts of one log set: the edge's "queued as" names the hub's queue id.
    QTest::newRow("edge to hub") << "relay-between-hosts.log" << "edge1" << "1E2D3C4B5A" << "hub1" << "5E6F7A8B9C"
                                 << "192.0.2.31";
}

void TestCorrelator::contentFilterHopsFormAChain()
{
    QFETCH(QString, file);
    QFETCH(QString, host);
    QFETCH(QString, first);
    QFETCH(QString, host2);
    QFETCH(QString, second);
    QFETCH(QString, clientIp);
    const Collector c = file.isEmpty() ? correlateProduced() : correlate(file);
    const QByteArray h = host.toLatin1(), h2 = host2.toLatin1(), a = first.toLatin1(), b = second.toLatin1();
    const MessageRecord *hop1 = find(c, h.constData(), a.constData());
    const MessageRecord *hop2 = find(c, h2.constData(), b.constData());
    QVERIFY(hop1 && hop2);
    QCOMPARE(QString::fromStdString(hop1->nextHopQueueId), second);
    QCOMPARE(hop1->nextHopDbId, hop2->dbId);
    QCOMPARE(QString::fromStdString(hop1->nextHopHost), host2);
    QCOMPARE(QString::fromStdString(hop2->prevHopHost), host);
    QCOMPARE(QString::fromStdString(hop2->prevHopQueueId), first);
    QCOMPARE(hop2->prevHopDbId, hop1->dbId);
    QVERIFY(hop1->prevHopQueueId.empty());
    QVERIFY(hop2->nextHopQueueId.empty());
    QCOMPARE(QString::fromStdString(hop1->clientIp), clientIp);
    // Every recipient of the first hop went to the filter: none of those "sent" is final.
    QVERIFY(!hop1->deliveries.empty());
    for (const DeliveryRecord &d : hop1->deliveries)
        QVERIFY2(d.toNextHop, d.recipient.c_str());
    for (const DeliveryRecord &d : hop2->deliveries)
        QVERIFY2(!d.toNextHop, d.recipient.c_str());
    QCOMPARE(hop2->deliveries.size(), hop1->deliveries.size());
}

void TestCorrelator::tlsAndSaslOnTheMessage()
{
    const Collector produced = correlateProduced();
    const MessageRecord *hop1 = find(produced, "mx", "3656CE643A6");
    const MessageRecord *hop2 = find(produced, "mx", "75963E643B1");
    QVERIFY(hop1 && hop2);
    // swaks --tls to smtpd behind postscreen; the filter's smtp client to the re-injection smtpd.
    QVERIFY2(hop1->tlsIn.starts_with("Anonymous TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"), hop1->tlsIn.c_str());
    QVERIFY2(hop2->tlsIn.starts_with("Anonymous TLSv1.3"), hop2->tlsIn.c_str());
    for (const DeliveryRecord &d : hop1->deliveries)
        QVERIFY2(d.tls.starts_with("Untrusted TLSv1.3 with cipher"), d.recipient.c_str());
    // smtp-sink and the refused port: no TLS line for those connections.
    for (const DeliveryRecord &d : hop2->deliveries)
        QVERIFY2(d.tls.empty(), d.recipient.c_str());
    const MessageRecord *plain = find(produced, "mx", "3124AE643B3");
    QVERIFY(plain);
    QVERIFY(plain->tlsIn.empty());

    const Collector amavis = correlate(QStringLiteral("amavis-and-milters.log"));
    const MessageRecord *submitted = find(amavis, "mx1", "6A1B2C3D4E");
    const MessageRecord *relayed = find(amavis, "mx1", "7B2C3D4E5F");
    QVERIFY(submitted && relayed);
    QCOMPARE(submitted->saslUsername, std::string("carol@example.com"));
    QCOMPARE(submitted->saslMethod, std::string("PLAIN"));
    QVERIFY(relayed->saslUsername.empty());
    QCOMPARE(submitted->tlsIn, std::string("Trusted TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"));
    QCOMPARE(relayed->deliveries.size(), std::size_t(2));
    // The Verified line was smtp[5105]'s, which delivered to dave; smtp[5106] logged none.
    for (const DeliveryRecord &d : relayed->deliveries) {
        if (d.recipient == "dave@example.net")
            QCOMPARE(d.tls, std::string("Verified TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"));
        else
            QVERIFY2(d.tls.empty(), d.recipient.c_str());
    }
    QCOMPARE(int(relayed->state), int(MessageState::Bounced));

    // Both ends of one TLS connection, on two hosts of one log set.
    const Collector hosts = correlate(QStringLiteral("relay-between-hosts.log"));
    const MessageRecord *edge = find(hosts, "edge1", "1E2D3C4B5A");
    const MessageRecord *hub = find(hosts, "hub1", "5E6F7A8B9C");
    QVERIFY(edge && hub);
    QVERIFY(edge->tlsIn.empty());
    QCOMPARE(hub->tlsIn, std::string("Anonymous TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"));
    QCOMPARE(edge->deliveries.size(), std::size_t(1));
    QCOMPARE(edge->deliveries.front().tls, std::string("Untrusted TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"));
    QVERIFY(hub->deliveries.front().tls.empty());
}

void TestCorrelator::repeatedMilterRejectIsOneMessage()
{
    const Collector c = correlate(QStringLiteral("amavis-and-milters.log"));
    const MessageRecord *m = find(c, "mx1", "8C3D4E5F6A");
    QVERIFY(m);
    QVERIFY2(!find(c, "mx1", "8C3D4E5F6A", 1), "the second milter-reject opened a message of its own");
    QCOMPARE(int(m->state), int(MessageState::Rejected));
    QCOMPARE(m->deliveries.size(), std::size_t(2));
    for (const DeliveryRecord &d : m->deliveries) {
        QCOMPARE(int(d.status), int(DeliveryStatus::Rejected));
        QCOMPARE(d.dsn, std::string("5.7.1"));  // no 3-digit code in a milter's reject: the class is the dsn's
    }
}

void TestCorrelator::clientIncidents_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");  // "kind ip detail-start", in log order
    QTest::newRow("produced: postscreen and a web client") << ""
        << QStringList{u"4 127.0.0.1 PREGREET 17 after 0 from [127.0.0.1]"_s,
                       u"4 127.0.0.1 HANGUP after 3 from [127.0.0.1]"_s,
                       u"2 127.0.0.1 warning: non-SMTP command from unknown[127.0.0.1]: GET / HTTP/1.0"_s};
    QTest::newRow("SASL guessing") << "amavis-and-milters.log"
        << QStringList{u"1 203.0.113.77 SASL LOGIN authentication failed"_s,
                       u"2 203.0.113.77 too many errors after AUTH"_s};
}

void TestCorrelator::clientIncidents()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    const Collector c = file.isEmpty() ? correlateProduced() : correlate(file);
    QStringList got;
    for (const IncidentRecord &i : c.incidents)
        got << QString::number(int(i.kind)) + u' ' + QString::fromStdString(i.clientIp) + u' ' + QString::fromStdString(i.detail);
    QCOMPARE(got.size(), expected.size());
    for (qsizetype n = 0; n < got.size(); ++n)
        QVERIFY2(got.at(n).startsWith(expected.at(n)), qPrintable(got.at(n) + u" does not start with "_s + expected.at(n)));
}

void TestCorrelator::messages_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("queueId");
    QTest::addColumn<int>("occurrence");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("recipients");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<int>("lastCode");
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("parent");
    QTest::addColumn<int>("origin");
    QTest::addColumn<bool>("removed");
    QTest::addColumn<int>("lines");

    const int sent = int(MessageState::Sent), deferred = int(MessageState::Deferred),
              bounced = int(MessageState::Bounced), expired = int(MessageState::Expired),
              rejected = int(MessageState::Rejected), queued = int(MessageState::Queued);
    const int smtp = int(MessageOrigin::Smtp), local = int(MessageOrigin::Local),
              notif = int(MessageOrigin::Notification), fwd = int(MessageOrigin::Forward);
    // The suspended try is kept but not counted: 2 real attempts. The connect line is joined: 8 lines.
    QTest::newRow("greylisted then sent") << "deferred-then-sent.log" << "mx1" << "4F2A81C0123" << 0 << sent << 1 << 2
                                          << 250 << "alice@example.com" << "" << smtp << true << 8;
    QTest::newRow("one of two bounced") << "bounce-with-notification.log" << "mx1" << "7A1B2C3D4E" << 0 << bounced << 2
                                        << 2 << 550 << "news@example.com" << "" << smtp << true << 8;
    QTest::newRow("bounce notification") << "bounce-with-notification.log" << "mx1" << "0C9D8E7F6A" << 0 << sent << 1
                                         << 1 << 250 << "" << "7A1B2C3D4E" << notif << true << 4;
    QTest::newRow("reused id, first life") << "queue-id-reuse.log" << "mx1" << "3B4C5D6E7F" << 0 << sent << 1 << 1 << 0
                                           << "root@mx1.example.com" << "" << local << true << 5;
    QTest::newRow("reused id, second life") << "queue-id-reuse.log" << "mx1" << "3B4C5D6E7F" << 1 << sent << 1 << 1 << 0
                                            << "root@mx1.example.com" << "" << local << true << 5;
    QTest::newRow("expired") << "expired.log" << "mx1" << "5E6F7A8B9C" << 0 << expired << 1 << 2 << 0
                             << "billing@example.com" << "" << smtp << true << 8;
    QTest::newRow("expiry notice") << "expired.log" << "mx1" << "6A7B8C9D0E" << 0 << queued << 0 << 0 << 0 << ""
                                   << "5E6F7A8B9C" << notif << false << 1;
    // A delay notification tells the sender of a message still waiting: the message stays deferred
    // (in the queue), the notification is a message of its own, linked to it.
    QTest::newRow("delayed, notified") << "delay-notification.log" << "mx1" << "264FE1A18" << 0 << deferred << 1 << 2 << 0
                                       << "carol@example.com" << "" << smtp << false << 7;
    QTest::newRow("delay notification") << "delay-notification.log" << "mx1" << "0A87A1A08" << 0 << sent << 1 << 1
                                        << 250 << "" << "264FE1A18" << notif << true << 4;
    QTest::newRow("still deferred") << "still-deferred.log" << "mx1" << "8C9D0E1F2A" << 0 << deferred << 1 << 1 << 452
                                    << "reports@example.com" << "" << smtp << false << 4;
    // Queued with one recipient refused at RCPT: the message is what became of the accepted one,
    // and so is its code: the local forward had no reply, and the refusal's 550 beside "sent"
    // would contradict the status.
    QTest::newRow("one rcpt refused, one forwarded") << "partial-reject-and-forward.log" << "mx1" << "9D0E1F2A3B" << 0
                                                     << sent << 2 << 2 << 0 << "partner@partner.example" << ""
                                                     << smtp << true << 7;
    QTest::newRow("forwarded copy") << "partial-reject-and-forward.log" << "mx1" << "1E2F3A4B5C" << 0 << sent << 1 << 1
                                    << 250 << "partner@partner.example" << "9D0E1F2A3B" << fwd << true << 3;
    QTest::newRow("milter reject") << "partial-reject-and-forward.log" << "mx1" << "2F3A4B5C6D" << 0 << rejected << 1
                                   << 1 << 0 << "offer@spammy.example" << "" << smtp << false << 2;
    QTest::newRow("same id, host edge1") << "rfc3339-multihost.log" << "edge1" << "A1B2C3D4E5" << 0 << sent << 1 << 1
                                         << 250 << "one@example.com" << "" << smtp << true << 5;
    QTest::newRow("same id, host edge2") << "rfc3339-multihost.log" << "edge2" << "A1B2C3D4E5" << 0 << bounced << 1 << 1
                                         << 550 << "two@example.com" << "" << smtp << true << 5;
}

// A real Postfix's second hop: one recipient delivered (250), one still deferred by a connection
// refused (no reply). The message is deferred, and the delivery's 250 beside "deferred" would say
// the opposite: it shows no code.
void TestCorrelator::codeIsOfTheStatus()
{
    const Collector c = correlateProduced();
    const MessageRecord *m = find(c, "mx", "75963E643B1");
    QVERIFY(m);
    QCOMPARE(m->state, MessageState::Deferred);
    QCOMPARE(m->lastReplyCode(), 0);
    // Its first hop handed every recipient over: sent, with the filter's 250.
    const MessageRecord *first = find(c, "mx", "3656CE643A6");
    QVERIFY(first);
    QCOMPARE(first->state, MessageState::Sent);
    QCOMPARE(first->lastReplyCode(), 250);
}

void TestCorrelator::messages()
{
    QFETCH(QString, file);
    QFETCH(QString, host);
    QFETCH(QString, queueId);
    QFETCH(int, occurrence);
    const Collector c = correlate(file);
    const MessageRecord *m = find(c, qPrintable(host), qPrintable(queueId), occurrence);
    QVERIFY2(m, "message not found");
    QTEST(int(m->state), "state");
    QTEST(int(m->deliveries.size()), "recipients");
    QTEST(m->attemptCount(), "attempts");
    QTEST(m->lastReplyCode(), "lastCode");
    QTEST(QString::fromStdString(m->sender), "sender");
    QTEST(QString::fromStdString(m->parentQueueId), "parent");
    QTEST(int(m->origin), "origin");
    QTEST(m->removed, "removed");
    QTEST(int(m->lines.size()), "lines");
}

void TestCorrelator::messageCounts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("incidents");
    QTest::newRow("deferred-then-sent") << "deferred-then-sent.log" << 1 << 0;
    QTest::newRow("bounce") << "bounce-with-notification.log" << 2 << 0;
    QTest::newRow("noqueue") << "noqueue-reject.log" << 1 << 1;
    QTest::newRow("reuse") << "queue-id-reuse.log" << 2 << 0;
    QTest::newRow("expired") << "expired.log" << 2 << 0;
    QTest::newRow("delay notification") << "delay-notification.log" << 2 << 0;
    QTest::newRow("multihost") << "rfc3339-multihost.log" << 2 << 0;
    QTest::newRow("partial/forward/milter") << "partial-reject-and-forward.log" << 3 << 0;
}

void TestCorrelator::messageCounts()
{
    QFETCH(QString, file);
    const Collector c = correlate(file);
    QTEST(int(c.messages.size()), "count");
    QTEST(int(c.incidents.size()), "incidents");
}

void TestCorrelator::attemptsKeepEveryTry()
{
    const Collector c = correlate(QStringLiteral("deferred-then-sent.log"));
    const MessageRecord *m = find(c, "mx1", "4F2A81C0123");
    QVERIFY(m);
    const DeliveryRecord &d = m->deliveries.at(0);
    QCOMPARE(d.recipient, std::string("bob@remote.example.net"));
    QCOMPARE(d.newAttempts.size(), std::size_t(3));
    QCOMPARE(int(d.newAttempts[0].status), int(DeliveryStatus::Deferred));
    QCOMPARE(d.newAttempts[0].replyCode, 450);
    QCOMPARE(d.newAttempts[1].counted, false);
    QCOMPARE(d.newAttempts[2].replyCode, 250);
    QCOMPARE(d.dsn, std::string("2.0.0"));
    QCOMPARE(d.attempts, 2);
    // 10:00:03 -> 10:10:04 (UTC; the test runs with TZ=UTC)
    QCOMPARE(d.lastAttemptMs - d.firstAttemptMs, 601000);
}

void TestCorrelator::noQueueRejectIsAMessage()
{
    const Collector c = correlate(QStringLiteral("noqueue-reject.log"));
    QCOMPARE(c.messages.size(), std::size_t(1));
    const MessageRecord &m = c.messages.front();
    QVERIFY(m.queueId.empty());
    QCOMPARE(int(m.state), int(MessageState::Rejected));
    QCOMPARE(m.clientIp, std::string("198.51.100.7"));
    QCOMPARE(m.sender, std::string("promo@spam.example"));
    QCOMPARE(m.deliveries.at(0).recipient, std::string("dave@example.com"));
    QCOMPARE(m.deliveries.at(0).replyCode, 554);
    QCOMPARE(m.deliveries.at(0).dsn, std::string("5.7.1"));
    QCOMPARE(c.incidents.at(0).clientIp, std::string("203.0.113.99"));
}

void TestCorrelator::restoredMessageContinues()
{
    // A message left open by an earlier import gets its removal from the next one.
    Collector first = correlate(QStringLiteral("still-deferred.log"));
    QCOMPARE(first.messages.size(), std::size_t(1));
    MessageRecord open = first.messages.front();
    open.dbId = 42;
    open.inCache = true;
    open.deliveries[0].newAttempts.clear();
    open.deliveries[0].attemptsStored = true;  // as if the cache held its attempt rows

    Collector sink;
    Correlator correlator(sink);
    std::vector<MessageRecord> restored{open};
    correlator.restore(std::move(restored));
    const std::string line = "Nov 20 15:30:01 mx1 postfix/smtp[7125]: 8C9D0E1F2A: to=<frank@full.example.org>, "
                             "relay=mx.full.example.org[203.0.113.77]:25, delay=1801, delays=1800/0/0.4/0.5, "
                             "dsn=2.0.0, status=sent (250 2.0.0 Ok)";
    const std::string removed = "Nov 20 15:30:01 mx1 postfix/qmgr[880]: 8C9D0E1F2A: removed";
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    PostfixParser parser;
    for (const std::string *text : {&line, &removed}) {
        SyslogLine sl;
        Event ev;
        QVERIFY(parseSyslogLine(*text, sl) && parser.parse(sl, ev) && resolver.resolve(sl, ev));
        correlator.process(ev, 2);
    }
    QCOMPARE(sink.messages.size(), std::size_t(1));
    const MessageRecord &m = sink.messages.front();
    QCOMPARE(m.dbId, 42);
    QVERIFY(m.inCache);
    QCOMPARE(int(m.state), int(MessageState::Sent));
    QVERIFY(m.removed);
    QCOMPARE(m.deliveries.size(), std::size_t(1));
    QCOMPARE(m.deliveries[0].attempts, 2);
    QCOMPARE(m.deliveries[0].newAttempts.size(), std::size_t(1));  // only the new try is written again
    QCOMPARE(m.lines.size(), std::size_t(6));
}

void TestCorrelator::openMessagesInOrder_data()
{
    QTest::addColumn<bool>("checkpoint");
    QTest::newRow("finish") << false;
    QTest::newRow("checkpoint") << true;
}

void TestCorrelator::openMessagesInOrder()
{
    // Messages still in the queue at the end come out by their first line, then by queue id, not in
    // the order of a hash table: 60 messages, three to a second, queue ids in no order.
    QFETCH(bool, checkpoint);
    Collector sink;
    Correlator correlator(sink);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    PostfixParser parser;
    std::vector<std::pair<int, std::string>> expected;  // (second, queue id)
    for (int i = 0; i < 60; ++i) {
        char queueId[24];
        std::snprintf(queueId, sizeof queueId, "%010llX", (static_cast<unsigned long long>(i) * 2654435761ULL) % (1ULL << 40));
        const int second = (59 - i) / 3;
        char line[256];
        std::snprintf(line, sizeof line,
                      "Nov 20 10:00:%02d mx1 postfix/qmgr[880]: %s: from=<a%d@example.org>, size=1200, nrcpt=1 (queue active)",
                      second, queueId, i);
        SyslogLine sl;
        Event ev;
        QVERIFY(parseSyslogLine(line, sl) && parser.parse(sl, ev) && resolver.resolve(sl, ev));
        correlator.process(ev, 1);
        expected.emplace_back(second, queueId);
    }
    std::sort(expected.begin(), expected.end());
    if (checkpoint)
        correlator.checkpoint();
    else
        correlator.finish();
    QCOMPARE(sink.messages.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(sink.messages[i].queueId, expected[i].second);
        QCOMPARE(sink.messages[i].firstSeenMs % 60000, expected[i].first * 1000LL);
    }
}

namespace {
// An event as a format without Postfix's program names would hand it over.
Event makeEvent(EventKind kind, std::int64_t timeMs, std::uint8_t facts = 0)
{
    Event ev;
    ev.kind = kind;
    ev.timeMs = timeMs;
    ev.host = "mx9";
    ev.program = "othermta";
    ev.service = "othermta";
    ev.queueId = "Q1";
    ev.facts = facts;
    return ev;
}
} // namespace

void TestCorrelator::severalRecipientsInOneRecord()
{
    // Sendmail writes "to=a,b,c": one try of each recipient.
    Collector sink;
    Correlator correlator(sink);
    correlator.process(makeEvent(EventKind::Client, 1000, fact::StartsMessage), 1);
    Event tried = makeEvent(EventKind::Delivery, 2000);
    tried.recipient = "a@example.org";
    tried.moreRecipients = "<b@example.org>, c@example.org,";
    tried.status = DeliveryStatus::Deferred;
    tried.replyCode = 451;
    correlator.process(tried, 1);
    Event sent = makeEvent(EventKind::Delivery, 3000);
    sent.recipient = "b@example.org";
    sent.moreRecipients = "c@example.org";
    sent.status = DeliveryStatus::Sent;
    correlator.process(sent, 1);
    correlator.process(makeEvent(EventKind::Removed, 4000, fact::EndsMessage), 1);
    QCOMPARE(sink.messages.size(), std::size_t(1));
    const MessageRecord &m = sink.messages.front();
    QCOMPARE(m.deliveries.size(), std::size_t(3));
    const char *recipients[] = {"a@example.org", "b@example.org", "c@example.org"};
    const DeliveryStatus statuses[] = {DeliveryStatus::Deferred, DeliveryStatus::Sent, DeliveryStatus::Sent};
    const int attempts[] = {1, 2, 2};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(m.deliveries[i].recipient, std::string(recipients[i]));
        QCOMPARE(int(m.deliveries[i].status), int(statuses[i]));
        QCOMPARE(m.deliveries[i].attempts, attempts[i]);
    }
}

void TestCorrelator::factsNotProgramNamesEndAMessage()
{
    // A reject that ends the message rejects all of it, whatever program logged it; without the
    // fact, the reject refuses its recipient and the message goes on.
    Collector sink;
    Correlator correlator(sink);
    correlator.process(makeEvent(EventKind::Client, 1000, fact::StartsMessage), 1);
    Event one = makeEvent(EventKind::Reject, 2000);
    one.recipient = "x@example.org";
    correlator.process(one, 1);
    QCOMPARE(sink.messages.size(), std::size_t(0));
    Event all = makeEvent(EventKind::Reject, 3000, fact::EndsMessage);
    all.recipient = "y@example.org";
    correlator.process(all, 1);
    // Kept a few seconds for further lines of the same refusal (a milter logs one per recipient).
    QCOMPARE(sink.messages.size(), std::size_t(0));
    Event later = makeEvent(EventKind::Client, 30000, fact::StartsMessage);
    later.queueId = "Q2";
    correlator.process(later, 1);
    QCOMPARE(sink.messages.size(), std::size_t(1));
    QCOMPARE(int(sink.messages.front().state), int(MessageState::Rejected));
    QCOMPARE(sink.messages.front().deliveries.size(), std::size_t(2));
    QCOMPARE(correlator.openCount(), std::size_t(1));
}

void TestCorrelator::idleTimeoutClosesAMessage_data()
{
    QTest::addColumn<qint64>("timeoutMs");
    QTest::addColumn<qint64>("nextLineMs");
    QTest::addColumn<bool>("closedBefore");
    QTest::newRow("no timeout: open until finish") << qint64(0) << qint64(86400000) << false;
    QTest::newRow("next line within the timeout") << qint64(3600000) << qint64(1000 + 3600000) << false;
    QTest::newRow("next line after the timeout") << qint64(3600000) << qint64(1000 + 3600000 + 120000) << true;
}

void TestCorrelator::idleTimeoutClosesAMessage()
{
    QFETCH(qint64, timeoutMs);
    QFETCH(qint64, nextLineMs);
    QFETCH(bool, closedBefore);
    Collector sink;
    Correlator correlator(sink);
    correlator.setIdleTimeout(timeoutMs);
    Event sent = makeEvent(EventKind::Delivery, 1000);
    sent.recipient = "a@example.org";
    sent.status = DeliveryStatus::Sent;
    correlator.process(makeEvent(EventKind::Client, 500, fact::StartsMessage), 1);
    correlator.process(sent, 1);
    Event other = makeEvent(EventKind::Client, nextLineMs, fact::StartsMessage);
    other.queueId = "Q2";
    correlator.process(other, 1);
    QCOMPARE(sink.messages.size(), std::size_t(closedBefore ? 1 : 0));
    if (closedBefore) {
        QCOMPARE(sink.messages.front().queueId, std::string("Q1"));
        QCOMPARE(int(sink.messages.front().state), int(MessageState::Sent));
        QVERIFY(!sink.messages.front().isOpen());  // not continued by the next import
    }
    correlator.finish();
    QCOMPARE(sink.messages.size(), std::size_t(2));
}

// Each family of client lines issue 11 names, one real line each: the incident it makes (kind and
// client address), or none. Lines from golden/postfix-3.10.13-filter.log ("produced"), fail2ban
// and postfix-grok-patterns (tests/data/README.md; grok's lines get a syslog prefix).
void TestCorrelator::incidentFamilies_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("incident");  // "kind ip", empty for none
    const QByteArray grok = "Nov 22 08:50:30 mx1 postfix/";
    // A client postscreen lets through goes on to smtpd, whose lines tell its story; a DISCONNECT
    // only closes the connection postscreen's verdicts were about.
    QTest::newRow("produced PASS NEW") << QByteArray("Dec  4 00:26:19 mx postfix/postscreen[1526]: PASS NEW [127.0.0.1]:37764")
                                       << QString();
    QTest::newRow("grok PASS OLD") << grok + "postscreen[123]: PASS OLD [2604:8d00:0:1::3]:52237" << QString();
    QTest::newRow("produced DISCONNECT") << QByteArray("Dec  4 00:26:15 mx postfix/postscreen[1526]: DISCONNECT [127.0.0.1]:37758")
                                         << QString();
    QTest::newRow("grok DNSBL rank") << grok + "postscreen[123]: DNSBL rank 3 for [111.73.45.149]:1038" << u"4 111.73.45.149"_s;
    QTest::newRow("fail2ban PREGREET")
        << QByteArray("Dec 23 19:39:13 xxx postfix/postscreen[21057]: PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n")
        << u"4 192.0.2.2"_s;
    QTest::newRow("fail2ban HANGUP")
        << QByteArray("Dec 24 00:54:36 xxx postfix/postscreen[22515]: HANGUP after 16 from [192.0.2.3]:48119 in tests after SMTP handshake")
        << u"4 192.0.2.3"_s;
    QTest::newRow("grok COMMAND PIPELINING") << grok + "postscreen[123]: COMMAND PIPELINING from [88.208.233.4]:42606 after .: \\n"
                                             << u"4 88.208.233.4"_s;
    QTest::newRow("grok dnsblog") << grok + "dnsblog[123]: addr 61.238.241.86 listed by domain psbl.surriel.com as 127.0.0.2"
                                  << u"4 61.238.241.86"_s;
    QTest::newRow("produced non-SMTP command")
        << QByteArray("Dec  4 00:26:27 mx postfix/smtpd[1659]: warning: non-SMTP command from unknown[127.0.0.1]: GET / HTTP/1.0")
        << u"2 127.0.0.1"_s;
    QTest::newRow("grok hostname does not resolve")
        << grok + "smtpd[123]: warning: hostname exemple.com does not resolve to address 185.14.29.32" << u"2 185.14.29.32"_s;
    QTest::newRow("fail2ban SASL authentication failed")
        << QByteArray("Mar 10 13:33:30 gandalf postfix/smtpd[3937]: warning: HOSTNAME[1.1.1.1]: SASL LOGIN authentication failed: "
                      "authentication failure")
        << u"1 1.1.1.1"_s;
    QTest::newRow("grok lost connection after DATA")
        << grok + "smtpd[123]: lost connection after DATA (7774180 bytes) from unknown[72.13.58.7]" << u"3 72.13.58.7"_s;
    QTest::newRow("fail2ban too many errors")
        << QByteArray("Jun  3 06:25:43 srv postfix/smtpd[29306]: too many errors after RCPT from example.com[192.0.2.11]")
        << u"2 192.0.2.11"_s;
}

void TestCorrelator::incidentFamilies()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, incident);
    Collector sink;
    Correlator correlator(sink);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    PostfixFormat parser;
    SyslogLine sl;
    Event ev;
    QVERIFY(parseSyslogLine(std::string_view(line.constData(), std::size_t(line.size())), sl) && parser.parse(sl, ev) &&
            resolver.resolve(sl, ev));
    correlator.process(ev, 1);
    correlator.finish();
    QVERIFY(sink.messages.empty());
    QCOMPARE(sink.incidents.size(), std::size_t(incident.isEmpty() ? 0 : 1));
    if (!incident.isEmpty()) {
        const IncidentRecord &i = sink.incidents.front();
        QCOMPARE(QString::number(int(i.kind)) + u' ' + QString::fromStdString(i.clientIp), incident);
    }
}

void TestCorrelator::companionVerdicts_data()
{
    QTest::addColumn<QString>("queueId");     // empty: the NOQUEUE reject
    QTest::addColumn<QString>("verdicts");
    QTest::addColumn<int>("companionLines");  // lines of other programs in the message's story
    // Read off tests/data/postfix/golden/postfix-3.10.13-companions.log.
    QTest::newRow("greylisted: the policy services' lines join the reject") << "" << "SPF none, greylisted" << 2;
    // SPF and postgrey (before client=), four opendkim "why" lines, its result and its SSL line,
    // opendmarc, spamd's result (by Message-ID, before qmgr's line), amavis (by Queue-ID).
    QTest::newRow("signed, let through on retry") << "2C91FE643B2"
                                                  << "SPF none, greylist pass, DKIM pass, DMARC none, clean" << 11;
    QTest::newRow("its second hop: dovecot-lda by Message-ID") << "762DFE6454F" << "saved to mailbox" << 1;
    // The same Message-ID again, five seconds after the first copy was delivered to alice: bob's
    // mailbox names this one.
    QTest::newRow("tampered copy's second hop: dovecot-lda for bob") << "70350E64560" << "saved to mailbox" << 1;
    // The same, and opendkim's "bad signature data".
    QTest::newRow("bad signature") << "63637E64551" << "SPF none, greylist pass, DKIM fail, DMARC none, clean" << 12;
    QTest::newRow("GTUBE") << "81E9FE64561" << "SPF none, greylist pass, DKIM none, DMARC none, spam" << 10;
    QTest::newRow("our user, outbound: spamd and amavis only") << "DA250E64550" << "clean" << 2;
    QTest::newRow("outbound second hop") << "C4D1DE64552" << "" << 0;
    // amavis names no Queue-ID for it: joined by Message-ID, to the hop whose line comes next.
    QTest::newRow("local submission") << "24131E64564" << "clean" << 1;
    QTest::newRow("local submission, delivered") << "8C829E64565" << "saved to mailbox" << 1;
}

namespace {
// The lines of m's story that are not Postfix's own, read again from the log; -1 when the story
// is out of log order.
int companionLinesOf(const QString &path, const MessageRecord &m)
{
    const QByteArray log = [&] {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    int others = 0;
    std::uint64_t previous = 0;
    for (const LineRef &line : m.lines) {
        const qsizetype end = log.indexOf('\n', qsizetype(line.offset));
        const QByteArray text = log.mid(qsizetype(line.offset), end - qsizetype(line.offset));
        others += text.contains(" postfix/") ? 0 : 1;
        if (line.offset < previous) {
            qWarning("out of order: %s", text.constData());
            return -1;
        }
        previous = line.offset;
    }
    return others;
}
} // namespace

void TestCorrelator::companionVerdicts()
{
    QFETCH(QString, queueId);
    QFETCH(QString, verdicts);
    QFETCH(int, companionLines);
    const Collector c = correlateCompanions();
    const MessageRecord *m = find(c, "mx", queueId.toLatin1().constData());
    QVERIFY(m);
    QCOMPARE(QString::fromStdString(m->verdicts), verdicts);
    QCOMPARE(companionLinesOf(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-companions.log"), *m),
             companionLines);
}

void TestCorrelator::companionLinesStartNoMessage()
{
    const Collector c = correlateCompanions();
    // One NOQUEUE reject and five messages of two hops each: no message of a companion's line.
    QCOMPARE(c.messages.size(), std::size_t(11));
    // The same verdicts with no Postfix line for them (a mail.warn read alone): nothing.
    const QString path = QDir::temp().filePath(u"mailtrail-companions-only.log"_s);
    QFile all(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-companions.log"));
    QFile only(path);
    QVERIFY(all.open(QIODevice::ReadOnly) && only.open(QIODevice::WriteOnly));
    for (const QByteArray &line : all.readAll().split('\n')) {
        if (!line.isEmpty() && !line.contains(" postfix/"))
            only.write(line + '\n');
    }
    only.close();
    QVERIFY(correlatePath(path).messages.empty());
    QFile::remove(path);
}

void TestCorrelator::verdictsJoinTheRightMessage_data()
{
    QTest::addColumn<QString>("flow");
    QTest::addColumn<QString>("queueId");    // empty: the NOQUEUE reject of `recipient`
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("verdicts");
    QTest::addColumn<int>("companionLines");
    // Two sessions of one relay at RCPT at once: each RCPT takes its own policy lines, in the
    // order they were asked; the first session's next message, once the first was queued, is not
    // the first message.
    const QString two = u"policy-two-sessions-one-client.log"_s;
    QTest::newRow("two sessions of a client: the accepted message") << two << "2C91FE643B2" << "" << "SPF pass, greylist pass" << 2;
    QTest::newRow("two sessions of a client: the other's refused RCPT")
        << two << "" << "bob@lab.test" << "SPF softfail, greylisted" << 2;
    QTest::newRow("the session's next message after the first was queued")
        << two << "" << "carol@lab.test" << "SPF none, greylisted" << 2;
    // amavis without Queue-ID, its line before the re-injected hop's next ones: the hop it scanned
    // (before its queued_as), whichever line of the chain comes next. dovecot's lmtp line after the
    // second hop's "removed" still joins it; the same line half a minute later does not.
    const QString hops = u"amavis-hops-late-lmtp.log"_s;
    QTest::newRow("amavis by Message-ID: the hop it scanned") << hops << "24131E64564" << "" << "clean" << 1;
    QTest::newRow("dovecot lmtp after the removed") << hops << "8C829E64565" << "" << "saved to mailbox" << 1;
}

void TestCorrelator::verdictsJoinTheRightMessage()
{
    QFETCH(QString, flow);
    QFETCH(QString, queueId);
    QFETCH(QString, recipient);
    QFETCH(QString, verdicts);
    QFETCH(int, companionLines);
    const Collector c = correlate(flow);
    const MessageRecord *m = nullptr;
    for (const MessageRecord &candidate : c.messages) {
        const bool named = queueId.isEmpty()
            ? candidate.queueId.empty() && !candidate.deliveries.empty() &&
                candidate.deliveries.front().recipient == recipient.toStdString()
            : candidate.queueId == queueId.toStdString();
        if (named) {
            QVERIFY2(!m, "the message is stored twice");
            m = &candidate;
        }
    }
    QVERIFY(m);
    QCOMPARE(QString::fromStdString(m->verdicts), verdicts);
    QCOMPARE(companionLinesOf(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + flow, *m), companionLines);
}

void TestCorrelator::lateLineAmendsTheStoredMessage()
{
    Collector sink;
    Correlator correlator(sink);
    LogReader reader;
    QVERIFY(reader.open(MAILTRAIL_TEST_DATA "/postfix/flows/amavis-hops-late-lmtp.log"));
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    PostfixFormat parser;
    std::string_view text;
    std::uint64_t offset = 0;
    std::size_t storedAtRemoved = 0;
    while (reader.nextLine(text, offset)) {
        SyslogLine line;
        Event event;
        if (parseSyslogLine(text, line) && parser.parse(line, event) && resolver.resolve(line, event)) {
            event.offset = offset;
            correlator.process(event, 1);
            // Stored by its "removed" line itself, not a moment later.
            if (event.kind == EventKind::Removed && event.queueId == "8C829E64565")
                storedAtRemoved = sink.messages.size();
        }
    }
    QCOMPARE(storedAtRemoved, std::size_t(2));
    // dovecot's first line (04:07:51, after the removed) joined the stored row; its second, half
    // a minute later, is another delivery of that Message-ID the log does not show, and joins
    // nothing. The only message still open is the next one.
    QCOMPARE(sink.amended, 1);
    QCOMPARE(correlator.openCount(), std::size_t(1));
    QCOMPARE(sink.messages.size(), std::size_t(2));
    const MessageRecord *second = find(sink, "mx", "8C829E64565");
    QVERIFY(second);
    QVERIFY(second->inCache);  // written again over its row
    QVERIFY(second->removed);
    QCOMPARE(int(second->state), int(MessageState::Sent));
    QCOMPARE(second->prevHopQueueId, std::string("24131E64564"));
    QCOMPARE(second->verdicts, std::string("saved to mailbox"));
    QCOMPARE(second->deliveries.size(), std::size_t(1));
    QVERIFY(second->deliveries.front().newAttempts.empty());  // its one try is in the row already
    correlator.finish();
    QCOMPARE(sink.messages.size(), std::size_t(3));
    QVERIFY(!find(sink, "mx", "8C829E64565", 1));
}

QTEST_GUILESS_MAIN(TestCorrelator)
#include "tst_correlator.moc"
