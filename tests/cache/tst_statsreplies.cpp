// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// What the statistics read in replies and relays: the reply a deferral or bounce reason shows
// (what differs between tries masked), and the destination it names.
#include "cache/statsreplies.h"

#include <QTest>

using namespace mailtrail;

class TestStatsReplies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reasonKeyMasksWhatDiffers_data();
    void reasonKeyMasksWhatDiffers();
    void triesOfOneHostAreOneReason();
    void reasonsNameTheirDestination_data();
    void reasonsNameTheirDestination();
    void failuresNameTheirDestination_data();
    void failuresNameTheirDestination();
};

void TestStatsReplies::reasonKeyMasksWhatDiffers_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("shown");
    // Replies from the postfix-grok-patterns corpus (tests/data/postfix/grok, smtp_0005, _0025 and
    // the gmail bounce of smtp_0015) and the Exim and Sendmail goldens.
    QTest::newRow("IPv4 and port") << "connect to intern.nl[194.109.6.98]:25: Connection timed out"
                                   << "connect to intern.nl[<ip>]:<port>: Connection timed out";
    QTest::newRow("IPv6 and port") << "connect to aspmx.l.google.com[2a00:1450:400b:c02::1a]:25: Network is unreachable"
                                   << "connect to aspmx.l.google.com[<ip>]:<port>: Network is unreachable";
    QTest::newRow("address and greylisting")
        << "host mail2.example.com[1.74.253.23] said: 450 4.7.1 <user@example.com>: Recipient address rejected: Greylisted for 5 minutes (in reply to RCPT TO command)"
        << "host mail2.example.com[<ip>] said: 450 4.7.1 <address>: Recipient address rejected: Greylisted for 5 minutes (in reply to RCPT TO command)";
    QTest::newRow("gmail's tracking id")
        << "550-5.7.1 [2607:4100:3:25:100::2      12] Our system has detected that this 550-5.7.1 message is likely "
           "unsolicited mail. qc12si8475009pab.211 - gsmtp"
        << "550-5.7.1 [<ip>      12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. <id> - gsmtp";
    QTest::newRow("queue id") << "250 2.0.0 Ok: queued as 4E74613FE76" << "250 2.0.0 Ok: queued as <id>";
    QTest::newRow("Exim id") << "retry timeout exceeded for 1xZDjO-000000005rI-1ryo" << "retry timeout exceeded for <id>";
    QTest::newRow("Sendmail") << "Connection refused by [127.0.0.9]" << "Connection refused by [<ip>]";
    QTest::newRow("a size") << "552 5.3.4 Message size 10485760 exceeds fixed limit"
                            << "552 5.3.4 Message size <n> exceeds fixed limit";
    QTest::newRow("a time") << "451 4.7.1 try again after 10:28:37" << "451 4.7.1 try again after <time>";
}

void TestStatsReplies::reasonKeyMasksWhatDiffers()
{
    QFETCH(QString, reply);
    QFETCH(QString, shown);
    QCOMPARE(QString::fromStdString(statsreplies::reasonKey(reply.toStdString())), shown);
}

void TestStatsReplies::triesOfOneHostAreOneReason()
{
    // A host with two addresses (the trial's mx1.example.net[203.0.113.5] and .6): one reason.
    QCOMPARE(statsreplies::reasonKey("connect to mx1.example.net[203.0.113.5]:25: Connection timed out"),
             statsreplies::reasonKey("connect to mx1.example.net[203.0.113.6]:25: Connection timed out"));
    // Another host, or another failure, is another reason.
    QVERIFY(statsreplies::reasonKey("connect to mx1.example.net[203.0.113.5]:25: Connection timed out") !=
            statsreplies::reasonKey("connect to mx2.example.net[203.0.113.5]:25: Connection timed out"));
    QVERIFY(statsreplies::reasonKey("connect to mx1.example.net[203.0.113.5]:25: Connection timed out") !=
            statsreplies::reasonKey("connect to mx1.example.net[203.0.113.5]:25: Connection refused"));
}

void TestStatsReplies::reasonsNameTheirDestination_data()
{
    QTest::addColumn<QString>("relay");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("destination");
    // Postfix: the relay's host; "relay=none": the host the connection failure names.
    QTest::newRow("postfix") << "mx.remote.example.net[198.51.100.20]:25" << "" << "bob@remote.example.net"
                             << "mx.remote.example.net";
    QTest::newRow("postfix, none") << "none" << "connect to mx.down.example.net[203.0.113.66]:25: Connection timed out"
                                   << "eve@down.example.net" << "mx.down.example.net";
    // Exim's H= (tests/data/exim/golden/exim-4.98.2-mainlog.log): "host [ip]".
    QTest::newRow("exim H=") << "127.0.0.1 [127.0.0.1]" << "550 5.1.1 No such user" << "nobody@remote.test" << "127.0.0.1";
    // Exim's expiry names its transport, no host: the recipient's domain.
    QTest::newRow("exim transport") << "remote_smtp" << "retry timeout exceeded" << "x@slow.test" << "@slow.test";
    // An Exim try that named no host (Exim's test 5820: "** t9@dane.no.1.test.ex R=client
    // T=send_to_server : DANE error: tlsa lookup FAIL"): stored as relay "none".
    QTest::newRow("exim, no host") << "none" << "DANE error: tlsa lookup FAIL" << "t9@dane.no.1.test.ex"
                                   << "@dane.no.1.test.ex";
    // A failed lookup (Parse::Syslog::Mail's t/cpan-rt-28807.log, tests/data/README.md): the
    // recipients' domain, which --destination finds, not the name looked up, which it did not.
    QTest::newRow("postfix, lookup failed") << "none"
                                            << "Host or domain name not found. Name service error for name=gmail.coml "
                                               "type=A: Host not found"
                                            << "secdalek@gmail.coml" << "@gmail.coml";
    // Sendmail's relay= of a host known by address (tests/data/sendmail/golden/sendmail-8.17.1.9-syslog.log).
    QTest::newRow("sendmail address") << "[127.0.0.9]" << "Connection refused by [127.0.0.9]" << "x@slow.test" << "127.0.0.9";
    QTest::newRow("sendmail name") << "mx.example.org. [192.0.2.25]" << "" << "a@example.org" << "mx.example.org";
    QTest::newRow("sendmail local") << "local" << "User unknown" << "ghost@lab.test" << "@lab.test";
}

void TestStatsReplies::reasonsNameTheirDestination()
{
    QFETCH(QString, relay);
    QFETCH(QString, text);
    QFETCH(QString, recipient);
    QFETCH(QString, destination);
    const std::string r = relay.toStdString(), t = text.toStdString(), to = recipient.toStdString();
    const auto host = statsreplies::remoteHost(std::string_view(r), std::string_view(t));
    QCOMPARE(QString::fromStdString(statsreplies::reasonDestination(host, std::string_view(to))), destination);
}

void TestStatsReplies::failuresNameTheirDestination_data()
{
    QTest::addColumn<QString>("relay");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("destination");
    QTest::newRow("postfix, none") << "none" << "connect to mx.down.example.net[203.0.113.66]:25: Connection timed out"
                                   << "eve@down.example.net" << "mx.down.example.net";
    // Exim's "ID H=127.0.0.9 [127.0.0.9] Connection refused" before the try: its host.
    QTest::newRow("exim, host before") << "127.0.0.9 [127.0.0.9]" << "Connection refused" << "x@slow.test" << "127.0.0.9";
    // No host logged (Exim's test 5820): not a host, "none", but where the mail was going, as a
    // reason names it, "@" and the recipient's domain (it was "send_to_server", the transport).
    QTest::newRow("exim, no host") << "none" << "DANE error: tlsa lookup FAIL" << "t9@dane.no.1.test.ex"
                                   << "@dane.no.1.test.ex";
    // A failed lookup (Parse::Syslog::Mail's t/cpan-rt-28807.log, tests/data/README.md): the
    // recipients' domain, which --destination finds, not the name looked up, which it did not.
    QTest::newRow("postfix, lookup failed") << "none"
                                            << "Host or domain name not found. Name service error for name=gmail.coml "
                                               "type=A: Host not found"
                                            << "secdalek@gmail.coml" << "@gmail.coml";
}

// Where a connection or DNS failure was going (the Summary's "Connection and DNS problems").
void TestStatsReplies::failuresNameTheirDestination()
{
    QFETCH(QString, relay);
    QFETCH(QString, text);
    QFETCH(QString, recipient);
    QFETCH(QString, destination);
    const std::string r = relay.toStdString(), t = text.toStdString(), to = recipient.toStdString();
    const auto host = statsreplies::remoteHost(std::string_view(r), std::string_view(t));
    QCOMPARE(QString::fromStdString(statsreplies::failureDestination(host, std::string_view(t), std::string_view(to))),
             destination);
}

QTEST_GUILESS_MAIN(TestStatsReplies)
#include "tst_statsreplies.moc"
