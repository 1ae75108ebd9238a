// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A record the pool hands out must be as blank as a new one, whatever the spent one held: a field
// left over would join a stranger's message.
#include "correlation/correlator.h"
#include "correlation/recordpool.h"
#include "postfixlogfeed.h"

#include <QDir>
#include <QTest>

#include <sstream>

using namespace mailtrail;

namespace {

std::string longText(const char *what)
{
    return std::string(what) + " that is longer than a short string's inline room";
}

MessageRecord spentMessage()
{
    MessageRecord m;
    m.dbId = 7;
    m.inCache = true;
    m.host = longText("host");
    m.queueId = "4F2A3B1C0D";
    m.messageId = longText("<id@example.org>");
    m.sender = longText("sender");
    m.hasSender = true;
    m.size = 1200;
    m.nrcpt = 2;
    m.clientHost = longText("client");
    m.firstSeenMs = 1;
    m.lastSeenMs = 2;
    m.state = MessageState::Bounced;
    m.removed = true;
    m.tlsIn = longText("TLSv1.3");
    m.verdicts = longText("DKIM pass");
    m.changed = true;
    m.lines.push_back(LineRef{1, 42});
    DeliveryRecord &d = m.deliveries.emplace_back();
    d.recipient = longText("rcpt");
    d.relay = longText("relay");
    d.replyText = longText("250 ok");
    d.status = DeliveryStatus::Sent;
    d.attempts = 3;
    d.newAttempts.emplace_back();
    m.deliveries.emplace_back().recipient = longText("second");
    return m;
}

// Every field of a message, to compare two correlations of one log.
std::string render(const MessageRecord &m)
{
    std::ostringstream out;
    out << m.dbId << '|' << m.inCache << '|' << m.host << '|' << m.queueId << '|' << m.messageId << '|' << m.sender << '|'
        << m.hasSender << '|' << m.size << '|' << m.nrcpt << '|' << m.clientHost << '|' << m.clientIp << '|' << m.firstSeenMs
        << '|' << m.lastSeenMs << '|' << m.utcOffsetSec << '|' << int(m.state) << '|' << int(m.origin) << '|' << m.removed
        << '|' << m.parentQueueId << '|' << m.parentDbId << '|' << m.fileId << '|' << m.idleTimeoutMs << '|'
        << m.prevHopHost << '|' << m.prevHopQueueId << '|' << m.prevHopDbId << '|' << m.nextHopHost << '|'
        << m.nextHopQueueId << '|' << m.nextHopDbId << '|' << m.saslMethod << '|' << m.saslUsername << '|' << m.tlsIn
        << '|' << m.enteredQueue << '|' << m.awaitsContent << '|' << m.held << '|' << m.changed << '|' << m.verdicts;
    for (const LineRef &l : m.lines)
        out << " line " << l.fileId << ':' << l.offset;
    for (const DeliveryRecord &d : m.deliveries) {
        out << "\n  " << d.recipient << '|' << d.origRecipient << '|' << d.expandedTo << '|' << int(d.status) << '|' << d.dsn
            << '|' << d.replyCode << '|' << d.replyText << '|' << d.relay << '|' << d.attempts << '|' << d.firstAttemptMs
            << '|' << d.lastAttemptMs << '|' << d.lastDelaySec << '|' << d.tls << '|' << d.toNextHop << '|'
            << d.attemptsStored;
        for (const AttemptRecord &a : d.newAttempts)
            out << "\n    " << a.timeMs << '|' << int(a.status) << '|' << a.replyCode << '|' << a.dsn << '|' << a.relay
                << '|' << a.replyText << '|' << a.delaySec << '|' << a.counted << '|' << a.tls;
    }
    return out.str();
}

// Keeps what it is handed as text; with `recycle`, gives every record back to the correlator's
// pool as soon as it asks, so that each new message is made of a spent one.
struct RenderingSink : MessageSink {
    explicit RenderingSink(bool recycling)
        : recycle(recycling)
    {
    }
    bool recycle;
    std::vector<std::string> stored;
    std::vector<MessageRecord> spent;
    std::size_t given = 0;
    void storeMessage(MessageRecord &&m) override
    {
        stored.push_back(render(m));
        spent.push_back(std::move(m));
    }
    void storeIncident(IncidentRecord &&) override {}
    void amendMessage(MessageRecord &&m) override
    {
        stored.push_back("amended " + render(m));
        spent.push_back(std::move(m));
    }
    void reclaim(RecordPool &pool) override
    {
        if (!recycle)
            return;
        for (MessageRecord &m : spent)
            pool.give(std::move(m));
        given += spent.size();
        spent.clear();
    }
};

std::vector<std::string> correlate(const QString &path, bool recycle, std::size_t *given = nullptr)
{
    RenderingSink sink(recycle);
    correlatePostfixLog(path, sink);
    if (given)
        *given = sink.given;
    return sink.stored;
}

} // namespace

class TestRecordPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyPoolGivesNewRecords()
    {
        RecordPool pool;
        QCOMPARE(pool.message().queueId, std::string());
        QCOMPARE(pool.delivery().attempts, 0);
    }

    void givenRecordComesBackBlank()
    {
        RecordPool pool;
        MessageRecord spent = spentMessage();
        const char *senderBuffer = spent.sender.data();
        const char *recipientBuffer = spent.deliveries[0].recipient.data();
        pool.give(std::move(spent));
        QCOMPARE(pool.messages(), std::size_t(1));
        QCOMPARE(pool.deliveries(), std::size_t(2));

        const MessageRecord m = pool.message();
        const MessageRecord fresh;
        QCOMPARE(m.dbId, fresh.dbId);
        QCOMPARE(m.inCache, false);
        QVERIFY(m.host.empty() && m.queueId.empty() && m.messageId.empty() && m.sender.empty());
        QVERIFY(m.clientHost.empty() && m.tlsIn.empty() && m.verdicts.empty());
        QCOMPARE(m.hasSender, false);
        QCOMPARE(m.size, fresh.size);
        QCOMPARE(m.nrcpt, fresh.nrcpt);
        QCOMPARE(m.firstSeenMs, 0);
        QCOMPARE(int(m.state), int(fresh.state));
        QCOMPARE(m.removed, false);
        QCOMPARE(m.changed, false);
        QVERIFY(m.lines.empty());
        QVERIFY(m.deliveries.empty());
        // ...and keeps the spent one's buffers: filling it allocates nothing.
        QCOMPARE(static_cast<const void *>(m.sender.data()), static_cast<const void *>(senderBuffer));
        QVERIFY(m.sender.capacity() >= longText("sender").size());
        QVERIFY(m.lines.capacity() >= 1);
        QVERIFY(m.deliveries.capacity() >= 2);
        QCOMPARE(pool.messages(), std::size_t(0));

        // Deliveries come back last given first, each blank.
        const DeliveryRecord second = pool.delivery();
        const DeliveryRecord first = pool.delivery();
        QVERIFY(second.recipient.empty() && first.recipient.empty() && first.relay.empty() && first.replyText.empty());
        QCOMPARE(int(first.status), int(DeliveryStatus::None));
        QCOMPARE(first.attempts, 0);
        QVERIFY(first.newAttempts.empty());
        QCOMPARE(static_cast<const void *>(first.recipient.data()), static_cast<const void *>(recipientBuffer));
        QCOMPARE(pool.deliveries(), std::size_t(0));
        QCOMPARE(pool.delivery().recipient.capacity(), std::string().capacity());
    }

    void recycledRecordsCorrelateAlike_data()
    {
        QTest::addColumn<QString>("path");
        for (const char *folder : {"/postfix/golden", "/postfix/flows"}) {
            const QDir dir(QStringLiteral(MAILTRAIL_TEST_DATA) + QLatin1StringView(folder));
            for (const QString &name : dir.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name))
                QTest::newRow(qPrintable(QLatin1StringView(folder + 1) + u'/' + name)) << dir.filePath(name);
        }
    }

    void recycledRecordsCorrelateAlike()
    {
        // Every message of the real and written logs made of a spent record is the message a new
        // record makes: nothing of the spent one is left in it.
        QFETCH(QString, path);
        const std::vector<std::string> fresh = correlate(path, false);
        std::size_t given = 0;
        const std::vector<std::string> recycled = correlate(path, true, &given);
        QCOMPARE(recycled.size(), fresh.size());
        if (fresh.size() > 2)
            QVERIFY(given > 0);  // new messages were made of spent ones
        for (std::size_t i = 0; i < fresh.size(); ++i)
            QCOMPARE(recycled[i], fresh[i]);
    }

    void poolIsBounded()
    {
        // It keeps what the correlator starts while the writer has the rest, not every record.
        RecordPool pool;
        for (int i = 0; i < 1000; ++i)
            pool.give(spentMessage());
        QCOMPARE(pool.messages(), std::size_t(256));
        QCOMPARE(pool.deliveries(), std::size_t(512));
    }
};

QTEST_GUILESS_MAIN(TestRecordPool)
#include "tst_recordpool.moc"
