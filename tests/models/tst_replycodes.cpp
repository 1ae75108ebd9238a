// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replycodes.h"

#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestReplyCodes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void explain_data();
    void explain();
    void givingUpIsNotRetriedAutomatically();
    void ourRefusalIsNotARemoteServers();
};

void TestReplyCodes::explain_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("dsn");
    QTest::addColumn<QString>("mustContain");
    // The examples the issue names, in RFC 5321 / RFC 3463 words.
    QTest::newRow("550 5.1.1 mailbox does not exist") << 550 << u"5.1.1"_s << u"The mailbox does not exist"_s;
    QTest::newRow("450 4.2.2 mailbox full, retry") << 450 << u"4.2.2"_s << u"Temporary: The mailbox is full"_s;
    QTest::newRow("421 service unavailable") << 421 << QString() << u"Service not available"_s;
    QTest::newRow("554 5.7.1 blocklist") << 554 << u"5.7.1"_s << u"What to do: Check blocklists"_s;
    QTest::newRow("unknown 5xx falls back to class") << 599 << QString() << u"Permanent failure"_s;
    QTest::newRow("unknown 4xx") << 477 << QString() << u"Temporary failure"_s;
    QTest::newRow("dsn only") << 0 << u"4.4.1"_s << u"No answer from the host"_s;
    QTest::newRow("success") << 250 << u"2.0.0"_s << u"accepted"_s;
}

void TestReplyCodes::explain()
{
    QFETCH(int, code);
    QFETCH(QString, dsn);
    QFETCH(QString, mustContain);
    const QString text = explainCodes(code, dsn);
    QVERIFY2(text.contains(mustContain), qPrintable(text));
}

void TestReplyCodes::givingUpIsNotRetriedAutomatically()
{
    // The last try of an expired message timed out (4.4.1): the code still says what happened,
    // but the advice must not promise another try.
    const QString pending = explainCodes(0, u"4.4.1"_s);
    QVERIFY2(pending.contains(u"retried automatically"_s), qPrintable(pending));
    const QString gaveUp = explainCodes(0, u"4.4.1"_s, Outcome::GaveUp);
    QVERIFY2(gaveUp.contains(u"No answer from the host"_s), qPrintable(gaveUp));
    QVERIFY2(!gaveUp.contains(u"retried automatically"_s), qPrintable(gaveUp));
    QVERIFY2(gaveUp.contains(u"returned it to the sender"_s), qPrintable(gaveUp));
}

void TestReplyCodes::ourRefusalIsNotARemoteServers()
{
    // Sendmail's "ruleset=check_relay, ..., reject=421 4.3.2 Connection rate limit exceeded.":
    // our server refused a client. The advice of a remote server's 421 (the message stays queued,
    // check the receiving server's limits) points the wrong way.
    const QString remote = explainCodes(421, u"4.3.2"_s);
    QVERIFY2(remote.contains(u"receiving server"_s) || remote.contains(u"retried"_s), qPrintable(remote));
    const QString ours = explainCodes(421, u"4.3.2"_s, Outcome::Refused);
    QVERIFY2(ours.contains(u"Service not available"_s), qPrintable(ours));
    QVERIFY2(ours.contains(u"Our server refused"_s), qPrintable(ours));
    QVERIFY2(!ours.contains(u"receiving server"_s) && !ours.contains(u"stays queued"_s), qPrintable(ours));
    const QString permanent = explainCodes(550, u"5.7.1"_s, Outcome::Refused);
    QVERIFY2(permanent.contains(u"Our server refused it by its own policy"_s), qPrintable(permanent));
    QVERIFY2(!permanent.contains(u"sending IP"_s), qPrintable(permanent));
}

QTEST_GUILESS_MAIN(TestReplyCodes)
#include "tst_replycodes.moc"
