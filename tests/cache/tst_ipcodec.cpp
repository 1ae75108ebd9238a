// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A client's address as layout 14 stores it (ipcodec): its bytes where its text is the one
// spelling they read back as, else the text; and mailtrail_ip(), which reads both.
#include "cache/ipcodec.h"
#include "cache/sqlite.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mailtrail;

class TestIpCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encoding_data();
    void encoding();
    void sqlFunctionReadsBoth();
};

void TestIpCodec::encoding_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("bytes");  // 0: stored as the text
    QTest::newRow("IPv4") << QByteArray("203.0.113.7") << 4;
    QTest::newRow("IPv4 zeros and 255") << QByteArray("0.0.0.255") << 4;
    QTest::newRow("IPv6 compressed") << QByteArray("2a00:1450:4025:c03::1b") << 16;
    QTest::newRow("IPv6 loopback") << QByteArray("::1") << 16;
    QTest::newRow("IPv6 all zeros") << QByteArray("::") << 16;
    QTest::newRow("IPv6 zeros at the end") << QByteArray("2001:db8::") << 16;
    QTest::newRow("IPv6 the first of two equal runs") << QByteArray("2001:db8::1:0:0:1") << 16;
    QTest::newRow("IPv6 a single zero group") << QByteArray("2001:db8:0:1:1:1:1:1") << 16;
    QTest::newRow("IPv6 full") << QByteArray("fe80:1:22:333:4444:a:bb:ccc") << 16;
    // The C libraries write these their own ways (glibc "::ffff:192.0.2.1", musl otherwise): kept.
    QTest::newRow("IPv4-mapped IPv6") << QByteArray("::ffff:192.0.2.1") << 0;
    QTest::newRow("IPv4-compatible IPv6") << QByteArray("::1.2.3.4") << 0;
    QTest::newRow("a single zero group compressed") << QByteArray("2001:db8::1:1:1:1:1") << 0;
    QTest::newRow("the later of two equal runs compressed") << QByteArray("2001:db8:0:0:1::1") << 0;
    // Spellings that would not read back as logged: kept as text.
    QTest::newRow("leading zero") << QByteArray("10.0.05.1") << 0;
    QTest::newRow("upper-case IPv6") << QByteArray("2A00:1450::1B") << 0;
    QTest::newRow("IPv6 not compressed") << QByteArray("2001:db8:0:0:0:0:0:1") << 0;
    QTest::newRow("Postfix's IPv6: prefix") << QByteArray("IPv6:2001:db8::1") << 0;
    QTest::newRow("a part above 255") << QByteArray("10.0.256.1") << 0;
    QTest::newRow("three parts") << QByteArray("10.0.1") << 0;
    QTest::newRow("five parts") << QByteArray("10.0.1.2.3") << 0;
    QTest::newRow("a trailing dot") << QByteArray("10.0.1.2.") << 0;
    QTest::newRow("four digits") << QByteArray("10.0.1.1234") << 0;
    QTest::newRow("a sign") << QByteArray("10.0.1.+2") << 0;
    QTest::newRow("unknown") << QByteArray("unknown") << 0;
    QTest::newRow("empty") << QByteArray("") << 0;
    QTest::newRow("a colon alone") << QByteArray(":") << 0;
    QTest::newRow("too long for IPv6") << QByteArray(100, ':') << 0;
    QTest::newRow("a NUL inside") << QByteArray("10.0.0.1\0x", 10) << 0;
}

void TestIpCodec::encoding()
{
    QFETCH(QByteArray, text);
    QFETCH(int, bytes);
    const std::string_view t(text.constData(), static_cast<std::size_t>(text.size()));
    std::string out;
    QCOMPARE(ipcodec::encode(t, out), bytes != 0);
    if (bytes == 0)
        return;
    QCOMPARE(static_cast<int>(out.size()), bytes);
    QCOMPARE(ipcodec::decode(out), std::optional<std::string>(std::string(t)));
}

void TestIpCodec::sqlFunctionReadsBoth()
{
    QTemporaryDir dir;
    sql::Database db;
    db.open(dir.filePath(QStringLiteral("f.db")).toStdString());
    std::string v4, v6;
    QVERIFY(ipcodec::encode("198.51.100.20", v4));
    QVERIFY(ipcodec::encode("2001:db8::7", v6));
    sql::Statement st(db, "SELECT mailtrail_ip(?1), mailtrail_ip(?2), mailtrail_ip('unknown'), mailtrail_ip(NULL) IS NULL");
    st.bindBlob(1, v4).bindBlob(2, v6);
    QVERIFY(st.step());
    QCOMPARE(std::string(st.text(0)), std::string("198.51.100.20"));
    QCOMPARE(std::string(st.text(1)), std::string("2001:db8::7"));
    QCOMPARE(std::string(st.text(2)), std::string("unknown"));
    QCOMPARE(st.integer(3), 1);
    // A blob of another length is damaged: an error, never bytes shown as an address.
    sql::Statement damaged(db, "SELECT mailtrail_ip(x'0102')");
    QVERIFY_THROWS_EXCEPTION(sql::Error, damaged.step());
}

QTEST_GUILESS_MAIN(TestIpCodec)
#include "tst_ipcodec.moc"
