// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli's human table, read by people: whole headers and times, columns apart, and log data
// that cannot drive the terminal.
#include "clirun.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {
// A bounce whose sender and reply hold terminal escapes: a colour, a window title with its BEL,
// a C1 CSI (U+009B) and DEL.
const QByteArray EscapesLog =
    "Nov 20 10:00:01 mx1 postfix/smtpd[100]: 1A2B3C4D5E: client=mail.example.com[192.0.2.10]\n"
    "Nov 20 10:00:01 mx1 postfix/cleanup[101]: 1A2B3C4D5E: message-id=<esc@example.com>\n"
    "Nov 20 10:00:01 mx1 postfix/qmgr[102]: 1A2B3C4D5E: from=<al\x1b]0;owned\x07ice@example.com>, size=100, "
    "nrcpt=1 (queue active)\n"
    "Nov 20 10:00:02 mx1 postfix/smtp[103]: 1A2B3C4D5E: to=<bob@example.net>, relay=mx.example.net[198.51.100.1]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=5.0.0, status=bounced (host mx.example.net[198.51.100.1] said: 550 Go "
    "\x1b[31maway\x1b[0m \xc2\x9b\x7f (in reply to RCPT TO command))\n"
    "Nov 20 10:00:02 mx1 postfix/qmgr[102]: 1A2B3C4D5E: removed\n";
} // namespace

class TestCliTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void headersAreWhole_data();
    void headersAreWhole();
    void timesAndColumnsAreWhole_data();
    void timesAndColumnsAreWhole();
    void controlCharactersAreShown_data();
    void controlCharactersAreShown();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
};

void TestCliTable::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCliTable::headersAreWhole_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("header");
    QTest::newRow("messages") << u"messages"_s
                              << QStringList{u"first_seen"_s, u"queue_id"_s, u"format"_s, u"sender"_s, u"recipients"_s,
                                             u"first_recipient"_s, u"status"_s, u"last_code"_s, u"attempts"_s,
                                             u"size"_s, u"hops"_s, u"client"_s};
    QTest::newRow("deliveries") << u"deliveries"_s
                                << QStringList{u"first_seen"_s, u"queue_id"_s, u"format"_s, u"sender"_s, u"recipient"_s,
                                               u"status"_s, u"dsn"_s, u"reply_code"_s, u"attempts"_s, u"relay"_s,
                                               u"reason"_s};
}

void TestCliTable::headersAreWhole()
{
    QFETCH(QString, command);
    QFETCH(QStringList, header);
    const Run r = cli({command, u"--cache"_s, cache(), copyFlow(*m_dir, u"deferred-then-sent.log"_s)});
    QCOMPARE(r.exitCode, 0);
    const QString first = QString::fromUtf8(r.out.left(r.out.indexOf('\n')));
    QCOMPARE(first.split(QRegularExpression(u" {2,}"_s)), header);
}

void TestCliTable::timesAndColumnsAreWhole_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArrayList>("expected");
    // Times with milliseconds and an offset are the widest; a program name can be wider than its column.
    QTest::newRow("messages") << QStringList{u"messages"_s}
                              << QByteArrayList{"\n2026-11-20T17:00:00.123+01:00  A1B2C3D4E5  ",
                                                "\n2026-11-20T17:00:00.200+01:00  A1B2C3D4E5  "};
    QTest::newRow("deliveries") << QStringList{u"deliveries"_s}
                                << QByteArrayList{"\n2026-11-20T17:00:00.123+01:00  A1B2C3D4E5  ",
                                                  "  bounced    5.7.1   550         1  ",
                                                  // a relay gives up its address first: the port stays whole
                                                  "  mx.example.net[…]:25      host mx.example"};
    QTest::newRow("timeline") << QStringList{u"timeline"_s, u"A1B2C3D4E5"_s}
                              << QByteArrayList{"\n2026-11-20T17:00:01.100+01:00  postfix-out/smtp  delivery  ",
                                                "\n2026-11-20T17:00:01+01:00      postfix/submission/smtp  delivery  ",
                                                "\n2026-11-20T17:00:00.310+01:00  postfix/cleanup   message-id  "};
}

void TestCliTable::timesAndColumnsAreWhole()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArrayList, expected);
    const Run r = cli(args << u"--cache"_s << cache() << copyFlow(*m_dir, u"rfc3339-multihost.log"_s));
    QCOMPARE(r.exitCode, 0);
    for (const QByteArray &e : expected)
        QVERIFY2(r.out.contains(e), qPrintable(QString::fromUtf8(e) + u"\nnot in\n"_s + QString::fromUtf8(r.out)));
    QVERIFY2(!r.out.contains("…+") && !r.out.contains(":0…"), r.out.constData());
}

void TestCliTable::controlCharactersAreShown_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<QByteArrayList>("absent");
    const QByteArrayList controls{"\x1b", "\x07", "\x7f", "\xc2\x9b"};
    const QByteArray sender = "al\\x1b]0;owned\\x07ice@";  // the column is cut further on
    const QByteArray reason = "Go \\x1b[31maway\\x1b[0m \\x9b\\x7f (in reply";
    QTest::newRow("messages") << QStringList{u"messages"_s} << QByteArrayList{sender} << controls;
    QTest::newRow("deliveries") << QStringList{u"deliveries"_s} << QByteArrayList{sender, reason} << controls;
    QTest::newRow("timeline") << QStringList{u"timeline"_s, u"1A2B3C4D5E"_s}
                              << QByteArrayList{"from <al\\x1b]0;owned\\x07ice@example.com>", reason} << controls;
    // CSV passes data through as it is; JSON escapes what it must (C0), and only that.
    QTest::newRow("csv") << QStringList{u"deliveries"_s, u"--format"_s, u"csv"_s}
                         << QByteArrayList{"al\x1b]0;owned\x07ice@example.com", "Go \x1b[31maway\x1b[0m \xc2\x9b\x7f"}
                         << QByteArrayList{};
    QTest::newRow("json") << QStringList{u"deliveries"_s, u"--format"_s, u"json"_s}
                          << QByteArrayList{"al\\u001b]0;owned\\u0007ice@example.com", "Go \\u001b[31maway\\u001b[0m"}
                          << QByteArrayList{"\x1b", "\x07"};
}

void TestCliTable::controlCharactersAreShown()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArrayList, expected);
    QFETCH(QByteArrayList, absent);
    const QString log = writeFile(*m_dir, u"escapes.log"_s, EscapesLog);
    const Run r = cli(args << u"--cache"_s << cache() << u"--year"_s << u"2026"_s << log);
    QCOMPARE(r.exitCode, 0);
    for (const QByteArray &e : expected)
        QVERIFY2(r.out.contains(e), r.out.constData());
    for (const QByteArray &c : absent)
        QVERIFY2(!r.out.contains(c), r.out.constData());
}

QTEST_GUILESS_MAIN(TestCliTable)
#include "tst_clitable.moc"
