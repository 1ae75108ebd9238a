// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "../cache/testlogs.h"
#include "cache/cache.h"
#include "timelineevents.h"
#include "timelinemodel.h"

#include <QFile>

#include <QTemporaryDir>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;
using namespace testlogs;

// How the timeline names each queue manager line of Postfix: the first queueing, a retry after a
// deferral, and a message put back in the active queue without one.
class TestTimelineEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queueLinesReadWhatTheyAre_data();
    void queueLinesReadWhatTheyAre();
    void chainHopsAreStages_data();
    void chainHopsAreStages();
    void sentWithoutALineIsNoSuspension();
};

namespace {

// 3A1B2C3D4E was queued before the log begins: its first line is the queue manager's, a retry.
// 5B6C7D8E9F was queued, put on hold by an administrator and released (postsuper -h, -H).
// 7D8E9F0A1B was queued, deferred and retried: the lines tst_tablemodels checks on a real log.
constexpr char Log[] =
    "Nov 22 10:00:00 mx postfix/qmgr[880]: 3A1B2C3D4E: from=<alice@example.com>, size=1200, nrcpt=1 (queue active)\n"
    "Nov 22 10:00:01 mx postfix/smtp[2120]: 3A1B2C3D4E: to=<bob@remote.example.net>, relay=mx.remote.example.net[203.0.113.5]:25, "
    "delay=3601, delays=3600/0.01/0.5/0.5, dsn=4.2.0, status=deferred (host mx.remote.example.net[203.0.113.5] said: 450 "
    "4.2.0 <bob@remote.example.net>: Recipient address rejected: Greylisted (in reply to RCPT TO command))\n"
    "Nov 22 10:10:01 mx postfix/qmgr[880]: 3A1B2C3D4E: from=<alice@example.com>, size=1200, nrcpt=1 (queue active)\n"
    "Nov 22 10:10:02 mx postfix/smtp[2188]: 3A1B2C3D4E: to=<bob@remote.example.net>, relay=mx.remote.example.net[203.0.113.5]:25, "
    "delay=4202, delays=4200/0.01/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E7D6C5B)\n"
    "Nov 22 10:10:02 mx postfix/qmgr[880]: 3A1B2C3D4E: removed\n"
    "Nov 22 11:00:00 mx postfix/smtpd[3101]: connect from mail.example.com[192.0.2.10]\n"
    "Nov 22 11:00:00 mx postfix/smtpd[3101]: 5B6C7D8E9F: client=mail.example.com[192.0.2.10]\n"
    "Nov 22 11:00:00 mx postfix/cleanup[3110]: 5B6C7D8E9F: message-id=<r1@example.com>\n"
    "Nov 22 11:00:00 mx postfix/qmgr[880]: 5B6C7D8E9F: from=<carol@example.com>, size=900, nrcpt=1 (queue active)\n"
    "Nov 22 11:00:01 mx postfix/smtpd[3101]: disconnect from mail.example.com[192.0.2.10] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n"
    "Nov 22 11:00:01 mx postfix/postsuper[3200]: 5B6C7D8E9F: placed on hold\n"
    "Nov 22 11:05:00 mx postfix/postsuper[3300]: 5B6C7D8E9F: released from hold\n"
    "Nov 22 11:05:01 mx postfix/qmgr[880]: 5B6C7D8E9F: from=<carol@example.com>, size=900, nrcpt=1 (queue active)\n"
    "Nov 22 11:05:02 mx postfix/local[3310]: 5B6C7D8E9F: to=<dave@lab.test>, relay=local, delay=302, "
    "delays=301/0.01/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)\n"
    "Nov 22 11:05:02 mx postfix/qmgr[880]: 5B6C7D8E9F: removed\n"
    "Nov 22 12:00:00 mx postfix/pickup[4100]: 7D8E9F0A1B: uid=1000 from=<erin>\n"
    "Nov 22 12:00:00 mx postfix/cleanup[4110]: 7D8E9F0A1B: message-id=<r2@lab.test>\n"
    "Nov 22 12:00:00 mx postfix/qmgr[880]: 7D8E9F0A1B: from=<erin@lab.test>, size=700, nrcpt=1 (queue active)\n"
    "Nov 22 12:00:01 mx postfix/smtp[4120]: 7D8E9F0A1B: to=<frank@remote.example.net>, relay=mx.remote.example.net[203.0.113.5]:25, "
    "delay=1, delays=0.01/0.01/0.5/0.5, dsn=4.2.0, status=deferred (host mx.remote.example.net[203.0.113.5] said: 450 "
    "4.2.0 <frank@remote.example.net>: Recipient address rejected: Greylisted (in reply to RCPT TO command))\n"
    "Nov 22 12:10:01 mx postfix/qmgr[880]: 7D8E9F0A1B: from=<erin@lab.test>, size=700, nrcpt=1 (queue active)\n"
    "Nov 22 12:10:02 mx postfix/smtp[4188]: 7D8E9F0A1B: to=<frank@remote.example.net>, relay=mx.remote.example.net[203.0.113.5]:25, "
    "delay=602, delays=600/0.01/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 8E7D6C5B4A)\n"
    "Nov 22 12:10:02 mx postfix/qmgr[880]: 7D8E9F0A1B: removed\n";

} // namespace

void TestTimelineEvents::queueLinesReadWhatTheyAre_data()
{
    QTest::addColumn<QString>("queueId");
    QTest::addColumn<QStringList>("queueLines");  // kind: description, of each queue manager line
    QTest::newRow("queued before the log: its first line is a retry")
        << u"3A1B2C3D4E"_s
        << QStringList{u"retry: back in the active queue (retry 1 in this log; queued before it began): from <alice@example.com>, 1200 bytes, 1 recipient"_s,
                       u"retry: back in the active queue (retry 2 in this log): from <alice@example.com>, 1200 bytes, 1 recipient"_s};
    QTest::newRow("released from hold: back, not queued anew")
        << u"5B6C7D8E9F"_s
        << QStringList{u"queued: queued from <carol@example.com>, 900 bytes, 1 recipient"_s,
                       u"requeued: back in the active queue (released from hold): from <carol@example.com>, 900 bytes, 1 recipient"_s};
    QTest::newRow("queued, deferred, retried")
        << u"7D8E9F0A1B"_s
        << QStringList{u"queued: queued from <erin@lab.test>, 700 bytes, 1 recipient"_s,
                       u"retry: back in the active queue (retry 1): from <erin@lab.test>, 700 bytes, 1 recipient"_s};
}

void TestTimelineEvents::queueLinesReadWhatTheyAre()
{
    QFETCH(QString, queueId);
    QFETCH(QStringList, queueLines);
    QTemporaryDir dir;
    Cache cache;
    const std::string log = write(dir, u"mail.log"_s, QByteArray(Log));
    QVERIFY(importOne(cache, dir, QString::fromStdString(log)));
    const auto ids = cache.findMessages(queueId.toStdString(), {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = cache.detail(ids.front());
    QVERIFY(detail);
    QStringList found;
    for (const TimelineEvent &e : timelineEvents(*detail)) {
        if (e.kind == EventKind::Queued)
            found << timelineKindName(e) + u": "_s + e.description;
    }
    QCOMPARE(found, queueLines);
}

void TestTimelineEvents::chainHopsAreStages_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("queueId");  // the chain's first hop
    QTest::newRow("filter, same second") << u"postfix-3.10.13-filter"_s << u"3656CE643A6"_s;
    QTest::newRow("filter, 3 s later") << u"postfix-3.10.13-filter"_s << u"B14ADE643BF"_s;
    QTest::newRow("companions, 4 s later") << u"postfix-3.10.13-companions"_s << u"2C91FE643B2"_s;
}

// Each hop of a chain reads as a stage of its own (session 17's trial: the second hop's lanes
// started at the first hop's arrival, and the Message lane ran both hops' events together): a
// later hop's lanes start at its arrival, and the Message lane has a span per hop, the first
// hop's ending by the hand-over, before the second begins.
void TestTimelineEvents::chainHopsAreStages()
{
    QFETCH(QString, log);
    QFETCH(QString, queueId);
    QFile golden(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/") + log + u".log"_s);
    QVERIFY(golden.open(QIODevice::ReadOnly));
    QTemporaryDir dir;
    Cache cache;
    const std::string path = write(dir, u"mail.log"_s, golden.readAll());
    QVERIFY(importOne(cache, dir, QString::fromStdString(path)));
    const auto ids = cache.findMessages(queueId.toStdString(), {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = cache.detail(ids.front());
    QVERIFY(detail);
    QCOMPARE(detail->laterHops.size(), std::size_t(1));
    const qint64 firstArrival = detail->message.firstSeenMs;
    const qint64 secondArrival = detail->laterHops.front().message.firstSeenMs;
    TimelineModel model;
    model.setMessage(*detail, timelineEvents(*detail));
    QCOMPARE(model.hopCount(), 2);
    const TimelineModel::HopSpan first = model.hopSpan(0), second = model.hopSpan(1);
    QVERIFY(first.startMs <= firstArrival);  // its connection may come first
    QCOMPARE(second.startMs, secondArrival);
    QVERIFY(first.endMs <= second.startMs);
    QVERIFY(second.endMs >= second.startMs);
    // The lanes: the first hop's recipients, then the second's, each named after its hop.
    const QString secondId = QString::fromStdString(detail->laterHops.front().message.queueId);
    int secondLanes = 0;
    for (int lane = 0; lane < model.laneCount(); ++lane) {
        const bool ofSecond = model.laneName(lane).endsWith(secondId);
        QCOMPARE(model.laneHop(lane), ofSecond ? 1 : 0);
        secondLanes += ofSecond;
    }
    QCOMPARE(secondLanes, int(detail->laterHops.front().deliveries.size()));
    // No event of the second hop before its arrival: the stage starts where its lanes do.
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (model.laneHop(index.data(TimelineModel::LaneRole).toInt()) == 1)
            QVERIFY(index.data(TimelineModel::TimeMsRole).toLongLong() >= secondArrival);
    }
}

void TestTimelineEvents::sentWithoutALineIsNoSuspension()
{
    // Exim 4.98.2 (tests/data/exim/golden): bob@lab.test and info@lab.test, an alias of alice and
    // bob, were both recipients; Exim delivered bob once, as "=> bob <info@lab.test>", and bob@lab.test
    // has no line of its own. Its row is sent; the pane said "suspended (not tried)".
    QFile golden(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"));
    QVERIFY(golden.open(QIODevice::ReadOnly));
    QTemporaryDir dir;
    Cache cache;
    const std::string path = write(dir, u"mainlog"_s, golden.readAll());
    QVERIFY(importOne(cache, dir, QString::fromStdString(path)));
    const auto ids = cache.findMessages("1xZDjI-000000005nk-0wGM", {});
    QCOMPARE(ids.size(), std::size_t(1));
    const auto detail = cache.detail(ids.front());
    QVERIFY(detail);
    TimelineModel model;
    model.setMessage(*detail, timelineEvents(*detail));
    QStringList events;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, TimelineModel::RecipientColumn).data().toString().startsWith(u"bob@lab.test"_s))
            events << model.index(row, TimelineModel::EventColumn).data().toString() + u" · "_s +
                    model.index(row, TimelineModel::StatusColumn).data().toString();
    }
    QCOMPARE(events, QStringList{u"sent, no line of its own · sent"_s});
}

QTEST_GUILESS_MAIN(TestTimelineEvents)
#include "tst_timelineevents.moc"
