// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Layout 13: reply texts stored as replycodec's encoding where it is shorter, read back through
// mailtrail_reply(). Every text must come back byte for byte: the real replies of every log in
// tests/data, and texts made to trouble the codec.
#include "testlogs.h"

#include "cache/replycodec.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"

#include <QDirIterator>

#include <random>

using namespace mailtrail;

namespace {

std::string bytes(std::initializer_list<int> values)
{
    std::string out;
    for (int v : values)
        out += static_cast<char>(v);
    return out;
}

std::string randomBytes(std::size_t n, unsigned seed, std::string_view alphabet = {})
{
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (char &c : out)
        c = alphabet.empty() ? static_cast<char>(rng() & 0xff) : alphabet[rng() % alphabet.size()];
    return out;
}

// What realRepliesRoundTrip finds the encodings of the logs in tests/data to be (their hash).
constexpr std::uint64_t PinnedEncodings = 0x77c485775942c8feULL;

// Every log the suites read, but the ones no parser takes.
QStringList realLogs()
{
    QStringList logs;
    QDirIterator it(QStringLiteral(MAILTRAIL_TEST_DATA), {QStringLiteral("*.log")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!path.contains(QLatin1String("/unsupported/")))
            logs << path;
    }
    logs.sort();
    return logs;
}

} // namespace

class TestReplyCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void realRepliesRoundTrip();
    void sqlFunctionReadsTextAndBlobs();
    void damagedEncodingIsAnError_data();
    void damagedEncodingIsAnError();
};

void TestReplyCodec::roundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("shorter");
    const auto row = [](const char *name, const std::string &text, bool shorter) {
        QTest::newRow(name) << QByteArray(text.data(), static_cast<qsizetype>(text.size())) << shorter;
    };
    row("empty", "", false);
    row("two bytes", "ab", false);
    row("postfix queued as", "250 2.0.0 Ok: queued as 32A5857F59", true);
    row("dovecot saved", "250 2.0.0 <nancy@example.com> ucGIXzQDlZ5BGBBIKqSB3E Saved", true);
    row("gmail", "250 2.0.0 OK  1700000000 x12si1234567qka.1 - gsmtp", true);
    row("local", "delivered to mailbox", true);
    row("no fragment, no run", "xyz xyz", false);
    row("digits at the run's limits", std::string(255, '7') + ' ' + std::string(256, '1') + ' ' + std::string(511, '0'), true);
    row("hex of both cases", "DEADBEEF00 deadbeef00 DeadBeef00", true);
    row("a word run cut by a fragment", "aaaaaaaaaaaaaaaaaaaaaaaaaa250 2.0.0 Ok: queued as aaaaaaaaaaaaaa", true);
    row("invalid UTF-8", bytes({0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 'o', 'k', 0x80}), false);
    row("NUL bytes", std::string("250 2.0.0 Ok\0queued as\0\0ABCDEF012345", 36), true);
    // What the encoding's own bytes are, as text: codes, escapes, fragment bytes, cut runs.
    row("looks like the encoding", bytes({0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x80, 0xff, 0x01, 0xff, 0x04, 0x10}), false);
    row("an encoding as text", *replycodec::encode("250 2.0.0 Ok: queued as 32A5857F59"), false);
    row("every byte", [] { std::string s; for (int i = 0; i < 256; ++i) s += static_cast<char>(i); return s; }(), false);
    row("1 MB of random bytes", randomBytes(1 << 20, 1), false);
    row("1 MB of ids", randomBytes(1 << 20, 2, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-."), true);
    std::string replies;
    while (replies.size() < (1 << 20))
        replies += "250 2.0.0 Ok: queued as 4F2A81C0123 delivered to maildir ";
    row("1 MB of replies", replies, true);
}

void TestReplyCodec::roundTrip()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, shorter);
    const std::string_view t(text.constData(), static_cast<std::size_t>(text.size()));
    const std::optional<std::string> encoded = replycodec::encode(t);
    QCOMPARE(encoded.has_value(), shorter);
    if (!encoded)
        return;
    QVERIFY(encoded->size() < t.size());
    const std::optional<std::string> decoded = replycodec::decode(*encoded);
    QVERIFY(decoded);
    QVERIFY2(*decoded == t, decoded->substr(0, 200).c_str());
}

void TestReplyCodec::realRepliesRoundTrip()
{
    // Each log alone, as the CLI imports it; each reply stored is checked against its encoding
    // and its decoding.
    const QStringList logs = realLogs();
    QVERIFY(logs.size() >= 40);
    std::size_t texts = 0, encoded = 0, bytesBefore = 0, bytesAfter = 0;
    std::uint64_t encodings = 0;  // of every encoding, in the order read
    for (const QString &log : logs) {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("cache.db")).toStdString();
        {
            Cache cache;
            QVERIFY2(cache.open(path), cache.error().c_str());
            Ingestor::import(cache, {log.toStdString()});
        }
        sql::Database db;
        db.open(path, true);
        sql::Statement st(db, "SELECT reply_text, typeof(reply_text), mailtrail_reply(reply_text) FROM deliveries "
                              "WHERE reply_text IS NOT NULL UNION ALL SELECT reply_text, typeof(reply_text), "
                              "mailtrail_reply(reply_text) FROM attempts WHERE reply_text IS NOT NULL");
        while (st.step()) {
            const bool blob = st.text(1) == "blob";
            const std::string stored(blob ? st.blob(0) : st.text(0));
            const std::string text(st.text(2));
            ++texts;
            bytesBefore += text.size();
            bytesAfter += stored.size();
            const std::optional<std::string> again = replycodec::encode(text);
            // Stored encoded exactly when the encoding is shorter, and as this build encodes it.
            QVERIFY2(again.has_value() == blob, text.c_str());
            if (blob) {
                ++encoded;
                encodings ^= static_cast<std::uint64_t>(searchkeys::fnv1a(stored)) * (2 * encoded + 1);
                QCOMPARE(*again, stored);
                QCOMPARE(replycodec::decode(stored), std::optional<std::string>(text));
            } else {
                QCOMPARE(stored, text);
            }
        }
    }
    qInfo("%zu reply texts of %lld logs, %zu encoded: %zu bytes stored for %zu", texts, static_cast<long long>(logs.size()),
          encoded, bytesAfter, bytesBefore);
    QVERIFY(texts > 500);
    QVERIFY(encoded > texts / 2);
    // The bytes the encoder writes, pinned: a cache's replies are decoded by any later build, and
    // an encoder made faster must write what it wrote (session 27's was checked against this,
    // the encodings of session 26's build). When the format itself changes, this changes with it.
    qInfo("encodings %016llx", static_cast<unsigned long long>(encodings));
    QCOMPARE(encodings, PinnedEncodings);
}

void TestReplyCodec::sqlFunctionReadsTextAndBlobs()
{
    QTemporaryDir dir;
    sql::Database db;
    db.open(dir.filePath(QStringLiteral("f.db")).toStdString());
    const std::string text = "250 2.0.0 Ok: queued as 32A5857F59";
    const std::string blob = *replycodec::encode(text);
    sql::Statement st(db, "SELECT mailtrail_reply(?1), typeof(mailtrail_reply(?1)), mailtrail_reply(?2), "
                          "mailtrail_reply(NULL) IS NULL, mailtrail_reply(?2) LIKE '%queued as 32a5%', "
                          "instr(mailtrail_reply(?2), 'queued')");
    st.bindBlob(1, blob).bind(2, std::string_view(text));
    QVERIFY(st.step());
    QCOMPARE(std::string(st.text(0)), text);
    QCOMPARE(std::string(st.text(1)), std::string("text"));
    QCOMPARE(std::string(st.text(2)), text);
    QCOMPARE(st.integer(3), 1);
    QCOMPARE(st.integer(4), 1);
    QCOMPARE(st.integer(5), 15);
}

void TestReplyCodec::damagedEncodingIsAnError_data()
{
    QTest::addColumn<QByteArray>("blob");
    QTest::newRow("escape at the end") << QByteArray("ab\x00", 3);
    QTest::newRow("run without its length") << QByteArray("ab\x01", 3);
    QTest::newRow("run cut short") << QByteArray("\x02\x10\xab", 3);
    QTest::newRow("a digit beyond 9") << QByteArray("\x01\x02\xfa", 3);
    QTest::newRow("a fragment not in the table") << QByteArray("\xff", 1);
}

void TestReplyCodec::damagedEncodingIsAnError()
{
    QFETCH(QByteArray, blob);
    const std::string_view b(blob.constData(), static_cast<std::size_t>(blob.size()));
    QVERIFY(!replycodec::decode(b));
    QTemporaryDir dir;
    sql::Database db;
    db.open(dir.filePath(QStringLiteral("f.db")).toStdString());
    sql::Statement st(db, "SELECT mailtrail_reply(?)");
    st.bindBlob(1, b);
    QVERIFY_THROWS_EXCEPTION(sql::Error, st.step());
}

QTEST_GUILESS_MAIN(TestReplyCodec)
#include "tst_replycodec.moc"
