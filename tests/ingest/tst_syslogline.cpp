// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/syslogline.h"

#include <QTest>

#include <string>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
QByteArray bytes(std::string_view v)
{
    return QByteArray(v.data(), static_cast<qsizetype>(v.size()));
}

bool inside(std::string_view part, const QByteArray &whole)
{
    return part.empty() || (part.data() >= whole.constData() && part.data() + part.size() <= whole.constData() + whole.size());
}
} // namespace

class TestSyslogLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void keyValues_data();
    void keyValues();
    void peerAddresses_data();
    void peerAddresses();
    void replyCodes();
    void everyMonth();
};

void TestSyslogLine::parses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QList<int>>("time");  // year month day hour minute second millisecond
    QTest::addColumn<bool>("hasOffset");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("program");
    QTest::addColumn<qint64>("pid");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("classic") << QByteArray("Nov 22 08:50:30 mx1 postfix/smtpd[123]: connect from a.example[192.0.2.1]")
                             << QList<int>{0, 11, 22, 8, 50, 30, 0} << false << 0 << QByteArray("mx1")
                             << QByteArray("postfix/smtpd") << qint64(123) << QByteArray("connect from a.example[192.0.2.1]");
    QTest::newRow("space-padded day") << QByteArray("Nov  2 23:05:09 mx1 postfix/qmgr[9]: 7EE668039: removed")
                                      << QList<int>{0, 11, 2, 23, 5, 9, 0} << false << 0 << QByteArray("mx1")
                                      << QByteArray("postfix/qmgr") << qint64(9) << QByteArray("7EE668039: removed");
    QTest::newRow("unpadded day") << QByteArray("Mar 7 02:09:33 server postfix/smtpd[27246]: text")
                                  << QList<int>{0, 3, 7, 2, 9, 33, 0} << false << 0 << QByteArray("server")
                                  << QByteArray("postfix/smtpd") << qint64(27246) << QByteArray("text");
    QTest::newRow("zero-padded day") << QByteArray("Jan 05 00:00:00 h p[1]: b") << QList<int>{0, 1, 5, 0, 0, 0, 0}
                                     << false << 0 << QByteArray("h") << QByteArray("p") << qint64(1) << QByteArray("b");
    QTest::newRow("microseconds") << QByteArray("Dec 31 23:59:59.987654 h p[1]: b") << QList<int>{0, 12, 31, 23, 59, 59, 987}
                                  << false << 0 << QByteArray("h") << QByteArray("p") << qint64(1) << QByteArray("b");
    QTest::newRow("one fraction digit") << QByteArray("Dec 31 23:59:59.5 h p[1]: b") << QList<int>{0, 12, 31, 23, 59, 59, 500}
                                        << false << 0 << QByteArray("h") << QByteArray("p") << qint64(1) << QByteArray("b");
    QTest::newRow("no pid") << QByteArray("Feb 29 12:00:00 h kernel: [1.5] usb") << QList<int>{0, 2, 29, 12, 0, 0, 0}
                            << false << 0 << QByteArray("h") << QByteArray("kernel") << qint64(-1) << QByteArray("[1.5] usb");
    QTest::newRow("no space after colon") << QByteArray("Nov 22 08:50:30 h p[7]:body") << QList<int>{0, 11, 22, 8, 50, 30, 0}
                                          << false << 0 << QByteArray("h") << QByteArray("p") << qint64(7) << QByteArray("body");
    QTest::newRow("empty body") << QByteArray("Nov 22 08:50:30 h p[7]: ") << QList<int>{0, 11, 22, 8, 50, 30, 0} << false << 0
                                << QByteArray("h") << QByteArray("p") << qint64(7) << QByteArray();
    QTest::newRow("carriage return dropped") << QByteArray("Nov 22 08:50:30 h p[7]: text\r") << QList<int>{0, 11, 22, 8, 50, 30, 0}
                                             << false << 0 << QByteArray("h") << QByteArray("p") << qint64(7) << QByteArray("text");
    QTest::newRow("submission service") << QByteArray("Sep  6 00:44:56 trianon postfix/submission/smtpd[11538]: x")
                                        << QList<int>{0, 9, 6, 0, 44, 56, 0} << false << 0 << QByteArray("trianon")
                                        << QByteArray("postfix/submission/smtpd") << qint64(11538) << QByteArray("x");
    QTest::newRow("large pid") << QByteArray("Nov 22 08:50:30 h p[4194304]: b") << QList<int>{0, 11, 22, 8, 50, 30, 0} << false
                               << 0 << QByteArray("h") << QByteArray("p") << qint64(4194304) << QByteArray("b");
    QTest::newRow("rfc3339 Z") << QByteArray("2026-11-22T08:50:30Z mx1 postfix/smtp[5]: b") << QList<int>{2026, 11, 22, 8, 50, 30, 0}
                               << true << 0 << QByteArray("mx1") << QByteArray("postfix/smtp") << qint64(5) << QByteArray("b");
    QTest::newRow("rfc3339 +01:00 micro") << QByteArray("2026-11-22T08:50:30.123456+01:00 mx1 postfix/smtp[5]: b")
                                          << QList<int>{2026, 11, 22, 8, 50, 30, 123} << true << 3600 << QByteArray("mx1")
                                          << QByteArray("postfix/smtp") << qint64(5) << QByteArray("b");
    QTest::newRow("rfc3339 -05:30") << QByteArray("2024-02-29T23:00:00.1-05:30 h p: b") << QList<int>{2024, 2, 29, 23, 0, 0, 100}
                                    << true << -(5 * 3600 + 30 * 60) << QByteArray("h") << QByteArray("p") << qint64(-1)
                                    << QByteArray("b");
    QTest::newRow("rfc3339 +0200 no colon") << QByteArray("2024-07-01T10:00:00+0200 h p[2]: b")
                                            << QList<int>{2024, 7, 1, 10, 0, 0, 0} << true << 7200 << QByteArray("h")
                                            << QByteArray("p") << qint64(2) << QByteArray("b");
    QTest::newRow("rfc3339 without zone") << QByteArray("2024-07-01T10:00:00 h p[2]: b") << QList<int>{2024, 7, 1, 10, 0, 0, 0}
                                          << false << 0 << QByteArray("h") << QByteArray("p") << qint64(2) << QByteArray("b");
}

void TestSyslogLine::parses()
{
    QFETCH(QByteArray, line);
    QFETCH(QList<int>, time);
    QFETCH(bool, hasOffset);
    QFETCH(int, offset);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, program);
    QFETCH(qint64, pid);
    QFETCH(QByteArray, body);

    SyslogLine out;
    QVERIFY(parseSyslogLine(std::string_view(line.constData(), size_t(line.size())), out));
    const QList<int> got{out.year, out.month, out.day, out.hour, out.minute, out.second, out.millisecond};
    QCOMPARE(got, time);
    QCOMPARE(out.hasUtcOffset, hasOffset);
    QCOMPARE(out.utcOffsetSec, offset);
    QCOMPARE(bytes(out.host), host);
    QCOMPARE(bytes(out.program), program);
    QCOMPARE(qint64(out.pid), pid);
    QCOMPARE(bytes(out.body), body);
    QVERIFY(inside(out.host, line) && inside(out.program, line) && inside(out.body, line));
}

void TestSyslogLine::rejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("month only") << QByteArray("Nov");
    QTest::newRow("unknown month") << QByteArray("Foo 22 08:50:30 h p[1]: b");
    QTest::newRow("lower-case month") << QByteArray("nov 22 08:50:30 h p[1]: b");
    QTest::newRow("day 32") << QByteArray("Nov 32 08:50:30 h p[1]: b");
    QTest::newRow("day 0") << QByteArray("Nov  0 08:50:30 h p[1]: b");
    QTest::newRow("hour 24") << QByteArray("Nov 22 24:00:00 h p[1]: b");
    QTest::newRow("minute 60") << QByteArray("Nov 22 08:60:00 h p[1]: b");
    QTest::newRow("no seconds") << QByteArray("Nov 22 08:50 h p[1]: b");
    QTest::newRow("timestamp only") << QByteArray("Nov 22 08:50:30");
    QTest::newRow("no host") << QByteArray("Nov 22 08:50:30 ");
    QTest::newRow("host only") << QByteArray("Nov 22 08:50:30 host");
    QTest::newRow("no tag colon") << QByteArray("Nov 22 08:50:30 host last message repeated 3 times");
    QTest::newRow("program without colon") << QByteArray("Nov 22 08:50:30 host prog");
    QTest::newRow("pid with letters") << QByteArray("Nov 22 08:50:30 host prog[12a]: b");
    QTest::newRow("empty pid") << QByteArray("Nov 22 08:50:30 host prog[]: b");
    QTest::newRow("negative pid") << QByteArray("Nov 22 08:50:30 host prog[-1]: b");
    QTest::newRow("unclosed pid") << QByteArray("Nov 22 08:50:30 host prog[123: b");
    QTest::newRow("pid overflow") << QByteArray("Nov 22 08:50:30 host prog[99999999999999999999]: b");
    QTest::newRow("empty fraction") << QByteArray("Nov 22 08:50:30. h p[1]: b");
    QTest::newRow("rfc3339 month 13") << QByteArray("2026-13-01T00:00:00Z h p[1]: b");
    QTest::newRow("rfc3339 space for T") << QByteArray("2026-11-22 08:50:30 h p[1]: b");
    QTest::newRow("rfc3339 short offset") << QByteArray("2026-11-22T08:50:30+1:00 h p[1]: b");
    QTest::newRow("rfc3339 junk zone") << QByteArray("2026-11-22T08:50:30Q h p[1]: b");
    QTest::newRow("rfc3339 truncated") << QByteArray("2026-11-22T08:5");
    QTest::newRow("binary") << QByteArray(QByteArray("\0\xff\xfe", 3) + " Nov 22 08:50:30 h p[1]: b");
    QTest::newRow("nul in timestamp") << QByteArray(QByteArray("Nov 22 08:") + '\0' + "0:30 h p[1]: b");
}

void TestSyslogLine::rejects()
{
    QFETCH(QByteArray, line);
    SyslogLine out;
    out.year = 1999;
    out.pid = 42;
    QVERIFY(!parseSyslogLine(std::string_view(line.constData(), size_t(line.size())), out));
    QCOMPARE(out.year, 0);  // a failed parse leaves nothing half-filled behind
    QCOMPARE(qint64(out.pid), qint64(-1));
    QVERIFY(out.body.empty() && out.host.empty());
}

void TestSyslogLine::keyValues_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("fields");  // "key=value" as read
    QTest::addColumn<QByteArray>("rest");

    QTest::newRow("delivery") << QByteArray("to=<a@example.org>, relay=mx[192.0.2.1]:25, delay=1.2, dsn=2.0.0, status=sent (250 ok)")
                              << QStringList{u"to=a@example.org"_s, u"relay=mx[192.0.2.1]:25"_s, u"delay=1.2"_s,
                                             u"dsn=2.0.0"_s, u"status=sent"_s}
                              << QByteArray(" (250 ok)");
    QTest::newRow("envelope, trailing text")
        << QByteArray("from=<> to=<b@example.org> proto=ESMTP helo=<h>: 5.7.1 no")
        << QStringList{u"from="_s, u"to=b@example.org"_s, u"proto=ESMTP"_s, u"helo=h"_s} << QByteArray(": 5.7.1 no");
    QTest::newRow("address with space and comma")
        << QByteArray("to=<\"Doe, J x\"@example.org>, orig_to=<o>")
        << QStringList{u"to=\"Doe, J x\"@example.org"_s, u"orig_to=o"_s} << QByteArray();
    QTest::newRow("truncated address") << QByteArray("to=<abc") << QStringList{u"to=abc"_s} << QByteArray();
    QTest::newRow("truncated after =") << QByteArray("to=") << QStringList{u"to="_s} << QByteArray();
    QTest::newRow("not a key") << QByteArray("(queue active)") << QStringList{} << QByteArray("(queue active)");
    QTest::newRow("only separators") << QByteArray(" , ,") << QStringList{} << QByteArray(" , ,");
}

void TestSyslogLine::keyValues()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, fields);
    QFETCH(QByteArray, rest);
    KeyValueScanner scanner(std::string_view(text.constData(), size_t(text.size())));
    QStringList got;
    for (KeyValue kv; scanner.next(kv);)
        got << QString::fromUtf8(QByteArray(bytes(kv.key) + '=' + bytes(kv.value)));
    QCOMPARE(got, fields);
    QCOMPARE(bytes(scanner.rest()), rest);
}

void TestSyslogLine::peerAddresses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<QByteArray>("whole");

    QTest::newRow("host and ip") << QByteArray("mx.example.org[192.0.2.1]: rest") << true << QByteArray("mx.example.org")
                                 << QByteArray("192.0.2.1") << QByteArray("mx.example.org[192.0.2.1]");
    QTest::newRow("ipv6 and port") << QByteArray("mx[2001:db8::1]:25: refused") << true << QByteArray("mx")
                                   << QByteArray("2001:db8::1") << QByteArray("mx[2001:db8::1]:25");
    QTest::newRow("postscreen") << QByteArray("[192.0.2.9]:4242 to") << true << QByteArray() << QByteArray("192.0.2.9")
                                << QByteArray("[192.0.2.9]:4242");
    QTest::newRow("relay service") << QByteArray("sub[private/dovecot-lmtp], delay") << true << QByteArray("sub")
                                   << QByteArray("private/dovecot-lmtp") << QByteArray("sub[private/dovecot-lmtp]");
    QTest::newRow("colon without port") << QByteArray("h[192.0.2.1]: x") << true << QByteArray("h") << QByteArray("192.0.2.1")
                                        << QByteArray("h[192.0.2.1]");
    QTest::newRow("truncated ip") << QByteArray("h[192.0") << true << QByteArray("h") << QByteArray("192.0")
                                  << QByteArray("h[192.0");
    QTest::newRow("space before bracket") << QByteArray("host [192.0.2.1]") << false << QByteArray() << QByteArray()
                                          << QByteArray();
    QTest::newRow("no bracket") << QByteArray("hostname") << false << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("unclosed long") << QByteArray("h[" + QByteArray(100, '1') + " x") << false << QByteArray() << QByteArray()
                                   << QByteArray();
}

void TestSyslogLine::peerAddresses()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, ip);
    QFETCH(QByteArray, whole);
    PeerAddress peer;
    QCOMPARE(readPeerAddress(std::string_view(text.constData(), size_t(text.size())), peer), ok);
    if (!ok)
        return;
    QCOMPARE(bytes(peer.host), host);
    QCOMPARE(bytes(peer.ip), ip);
    QCOMPARE(bytes(peer.whole), whole);
}

void TestSyslogLine::replyCodes()
{
    QCOMPARE(leadingReplyCode("250 2.0.0 Ok"), 250);
    QCOMPARE(leadingReplyCode("421-4.7.0 [1.2.3.4] try later"), 421);
    QCOMPARE(leadingReplyCode("550"), 550);
    QCOMPARE(leadingReplyCode("5501 x"), 0);
    QCOMPARE(leadingReplyCode("650 x"), 0);
    QCOMPARE(leadingReplyCode("199 x"), 0);
    QCOMPARE(leadingReplyCode("55"), 0);
    QCOMPARE(enhancedStatusLength("5.1.1 User unknown"), size_t(5));
    QCOMPARE(enhancedStatusLength("4.7.25"), size_t(6));
    QCOMPARE(enhancedStatusLength("5.12.345 x"), size_t(8));
    QCOMPARE(enhancedStatusLength("3.1.1 x"), size_t(0));
    QCOMPARE(enhancedStatusLength("5.1.1234 x"), size_t(0));
    QCOMPARE(enhancedStatusLength("5.1 x"), size_t(0));
    QCOMPARE(enhancedStatusLength("5.1.1: x"), size_t(0));
}

void TestSyslogLine::everyMonth()
{
    const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int month = 1; month <= 12; ++month) {
        const std::string line = std::string(names[month - 1]) + " 22 08:50:30 h p[1]: b";
        SyslogLine out;
        QVERIFY2(parseSyslogLine(line, out), line.c_str());
        QCOMPARE(out.month, month);
    }
    // A first letter of a month with the rest of another, or of none.
    for (const char *wrong : {"Jar", "Jub", "Ma ", "Mab", "Ap1", "Auh", "Sop", "Ocr", "Nox", "Dez", "Fev", "Xan"}) {
        const std::string line = std::string(wrong) + " 22 08:50:30 h p[1]: b";
        SyslogLine out;
        QVERIFY2(!parseSyslogLine(line, out), line.c_str());
    }
}

QTEST_GUILESS_MAIN(TestSyslogLine)
#include "tst_syslogline.moc"
