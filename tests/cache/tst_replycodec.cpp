// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Layout 13: reply texts stored as replycodec's encoding where it is shorter, read back through
// mailtrail_reply(). Every text must come back byte for byte: the real replies of every log in
// tests/data, and texts made to trouble the codec.
#include "testlogs.h"

#include "cache/ipcodec.h"
#include "cache/replycodec.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"

#include <QDirIterator>
#include <QFile>

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

// What realRepliesRoundTrip finds the encodings of the logs in tests/data to be (their hash):
// without the recipients, as layout 13 wrote them all (sessions 24-27); as stored, with them.
constexpr std::uint64_t PinnedEncodingsWithoutRecipients = 0x77c485775942c8feULL;
constexpr std::uint64_t PinnedEncodings = 0xac4e7ba79a127a2bULL;

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

// A real log imported alone, as the CLI imports it: its cache open to read, and the log's text.
struct ImportedLog {
    QTemporaryDir dir;
    sql::Database db;
    QByteArray text;
};

bool importAlone(const QString &log, ImportedLog &out)
{
    const std::string path = out.dir.filePath(QStringLiteral("cache.db")).toStdString();
    {
        Cache cache;
        if (!cache.open(path))
            return false;
        Ingestor::import(cache, {log.toStdString()});
    }
    QFile file(log);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    out.text = file.readAll();
    out.db.open(path, true);
    return true;
}

} // namespace

class TestReplyCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void recipientStandsInTheText_data();
    void recipientStandsInTheText();
    void realRepliesRoundTrip();
    void realMessageCellsRoundTrip();
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

void TestReplyCodec::recipientStandsInTheText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("recipient");
    QTest::addColumn<int>("references");  // how many times two bytes stand for the recipient
    const auto row = [](const char *name, const std::string &text, const std::string &recipient, int references) {
        QTest::newRow(name) << QByteArray(text.data(), static_cast<qsizetype>(text.size()))
                            << QByteArray(recipient.data(), static_cast<qsizetype>(recipient.size())) << references;
    };
    row("dovecot saved", "250 2.0.0 <nancy@example.com> ucGIXzQDlZ5BGBBIKqSB3E Saved", "nancy@example.com", 1);
    row("a refusal", "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table",
        "bob@example.org", 1);
    row("twice", "452 4.2.2 <al@x.io>: Mailbox full (al@x.io)", "al@x.io", 2);
    row("at the start and the end", "bob@example.org said no to bob@example.org", "bob@example.org", 2);
    row("inside a longer word", "250 ok xbob@example.orgy", "bob@example.org", 1);
    row("after a fragment's start", "250 2.0.0 Ok: queued as bob@example.org", "bob@example.org", 1);
    row("not there", "250 2.0.0 Ok: queued as 32A5857F59", "bob@example.org", 0);
    row("another case is not it", "550 5.1.1 <BOB@example.org>: User unknown", "bob@example.org", 0);
    row("too short to stand for", "250 ok ab ab ab ab ab ab", "ab", 0);
    row("no recipient", "250 2.0.0 <nancy@example.com> Saved", "", 0);
    // A Message-ID with its sender's domain (layout 14: replycodec::senderReference).
    row("a Message-ID in a host of the sender's domain", "20261120003754.12C3AA4DEC@mx1.northwind-design.co.uk",
        std::string(replycodec::senderReference("orders@northwind-design.co.uk")), 1);
    row("a Message-ID of another domain", "CAz=mmpUUQ4jc2S8pD2D9KIMWzij15tpoMMxsSDBNV9LDeXqFt@mail.gmail.com",
        std::string(replycodec::senderReference("info@vertex-legal.ch")), 0);
    row("the null sender's", "20261120001524.36B8515545F@mx1.example.com", std::string(replycodec::senderReference("")), 0);
    row("the recipient's bytes look like codes", std::string("250 ok <\x00\x05\x01>", 12) + " x",
        std::string("<\x00\x05\x01>", 5), 1);
}

void TestReplyCodec::recipientStandsInTheText()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, recipient);
    QFETCH(int, references);
    const std::string_view t(text.constData(), static_cast<std::size_t>(text.size()));
    const std::string_view r(recipient.constData(), static_cast<std::size_t>(recipient.size()));
    const std::optional<std::string> alone = replycodec::encode(t);
    const std::optional<std::string> with = replycodec::encode(t, r);
    if (references == 0) {
        // Written as without a recipient, and read without one.
        QCOMPARE(with, alone);
        if (with)
            QCOMPARE(replycodec::decode(*with), std::optional<std::string>(std::string(t)));
        return;
    }
    QVERIFY(with);
    QCOMPARE(replycodec::decode(*with, r), std::optional<std::string>(std::string(t)));
    // Each reference saves the recipient's bytes but two.
    QVERIFY2(!alone || with->size() < alone->size(), "not shorter with the recipient");
    QVERIFY(with->find(std::string("\x00\x05", 2)) != std::string::npos);
    // Without its recipient the text cannot be read: an error, not a text with a hole.
    QVERIFY(!replycodec::decode(*with));
    // Another recipient reads another text: the row's own must be given.
    QVERIFY(replycodec::decode(*with, std::string_view("zz@zz.zz")) != std::optional<std::string>(std::string(t)));
}

void TestReplyCodec::realRepliesRoundTrip()
{
    // Each log alone, as the CLI imports it; each reply stored is checked against its encoding
    // and its decoding.
    const QStringList logs = realLogs();
    QVERIFY(logs.size() >= 40);
    std::size_t texts = 0, encoded = 0, bytesBefore = 0, bytesAfter = 0;
    std::uint64_t encodings = 0;  // of every encoding, in the order read
    std::size_t encodedAlone = 0, withRecipient = 0;
    std::uint64_t encodingsAlone = 0;  // of every encoding without the recipient
    for (const QString &log : logs) {
        ImportedLog imported;
        QVERIFY2(importAlone(log, imported), qPrintable(log));
        sql::Database &db = imported.db;
        const QByteArray &logText = imported.text;
        // A delivery's reply with its recipient (layout 14), an attempt's without.
        sql::Statement st(db, "SELECT reply_text, typeof(reply_text), mailtrail_reply(reply_text, recipient), recipient "
                              "FROM deliveries WHERE reply_text IS NOT NULL UNION ALL SELECT reply_text, "
                              "typeof(reply_text), mailtrail_reply(reply_text), NULL FROM attempts WHERE reply_text IS NOT NULL");
        while (st.step()) {
            const bool blob = st.text(1) == "blob";
            const std::string stored(blob ? st.blob(0) : st.text(0));
            const std::string text(st.text(2));
            const std::string recipient(st.isNull(3) ? std::string_view() : st.text(3));
            ++texts;
            bytesBefore += text.size();
            bytesAfter += stored.size();
            const std::optional<std::string> again = replycodec::encode(text, recipient);
            // Stored encoded exactly when the encoding is shorter, and as this build encodes it.
            QVERIFY2(again.has_value() == blob, text.c_str());
            if (blob) {
                ++encoded;
                encodings ^= static_cast<std::uint64_t>(searchkeys::fnv1a(stored)) * (2 * encoded + 1);
                QCOMPARE(*again, stored);
                QCOMPARE(replycodec::decode(stored, recipient), std::optional<std::string>(text));
                if (stored.find(std::string("\x00\x05", 2)) != std::string::npos) {
                    ++withRecipient;
                    // Read back as the log says it, recipient and all.
                    QVERIFY2(logText.contains(QByteArray::fromStdString(text)), text.c_str());
                }
            } else {
                QCOMPARE(stored, text);
            }
            // Without a recipient, the encoder writes what layout 13's did.
            if (const std::optional<std::string> alone = replycodec::encode(text)) {
                ++encodedAlone;
                encodingsAlone ^= static_cast<std::uint64_t>(searchkeys::fnv1a(*alone)) * (2 * encodedAlone + 1);
                QCOMPARE(replycodec::decode(*alone), std::optional<std::string>(text));
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
    qInfo("encodings %016llx, without the recipients %016llx; %zu stand for their recipient",
          static_cast<unsigned long long>(encodings), static_cast<unsigned long long>(encodingsAlone), withRecipient);
    QCOMPARE(encodingsAlone, PinnedEncodingsWithoutRecipients);
    QCOMPARE(encodings, PinnedEncodings);
    QVERIFY(withRecipient > 0);
}

void TestReplyCodec::realMessageCellsRoundTrip()
{
    // Layout 14: a message's Message-ID (with its sender's domain), client name and address, as
    // each real log's cache stores them and reads them back.
    std::size_t ids = 0, hosts = 0, addresses = 0, rows = 0;
    for (const QString &log : realLogs()) {
        ImportedLog imported;
        QVERIFY2(importAlone(log, imported), qPrintable(log));
        sql::Database &db = imported.db;
        const QByteArray &logText = imported.text;
        sql::Statement st(db, "SELECT message_id, mailtrail_message_id(message_id, sender), typeof(message_id), client_host, "
                              "mailtrail_text(client_host), typeof(client_host), client_ip, mailtrail_ip(client_ip), "
                              "typeof(client_ip), sender FROM messages");
        while (st.step()) {
            ++rows;
            std::string scratch;
            const auto check = [&](int column, std::string_view reference, bool ip, std::size_t &encoded) {
                if (st.isNull(column)) {
                    QVERIFY(st.isNull(column + 1));
                    return;
                }
                const std::string text(st.text(column + 1));
                // What the cache reads back is what the log says: each of these is a part of a line.
                QVERIFY2(logText.contains(QByteArray::fromStdString(text)), (text + " is not in " + log.toStdString()).c_str());
                const bool blob = st.text(column + 2) == "blob";
                const bool shorter = ip ? ipcodec::encode(text, scratch) : replycodec::encode(text, scratch, reference);
                // Stored encoded exactly when this build encodes it, as it encodes it.
                QCOMPARE(blob, shorter);
                if (blob) {
                    ++encoded;
                    QCOMPARE(std::string(st.blob(column)), scratch);
                } else {
                    QCOMPARE(std::string(st.text(column)), text);
                }
            };
            const std::string sender(st.isNull(9) ? std::string_view() : st.text(9));
            check(0, replycodec::senderReference(sender), false, ids);
            check(3, {}, false, hosts);
            check(6, {}, true, addresses);
        }
    }
    qInfo("%zu messages: %zu Message-IDs, %zu client names, %zu addresses encoded", rows, ids, hosts, addresses);
    QVERIFY(ids > rows / 4 && hosts > 0 && addresses > rows / 4);
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

    // A delivery's reply with its recipient: read with it, the recipient NULL or left out is an error.
    const std::string saved = "250 2.0.0 <nancy@example.com> ucGIXzQDlZ5BGBBIKqSB3E Saved";
    const std::string savedBlob = *replycodec::encode(saved, "nancy@example.com");
    sql::Statement withRecipient(db, "SELECT mailtrail_reply(?1, 'nancy@example.com'), mailtrail_reply(?2, NULL), "
                                     "mailtrail_reply(?2, 'x@y.z')");
    withRecipient.bindBlob(1, savedBlob).bindBlob(2, blob);
    QVERIFY(withRecipient.step());
    QCOMPARE(std::string(withRecipient.text(0)), saved);
    QCOMPARE(std::string(withRecipient.text(1)), text);  // no recipient in it: read without one
    QCOMPARE(std::string(withRecipient.text(2)), text);
    for (const char *sqlText : {"SELECT mailtrail_reply(?)", "SELECT mailtrail_reply(?, NULL)"}) {
        sql::Statement without(db, sqlText);
        without.bindBlob(1, savedBlob);
        QVERIFY_THROWS_EXCEPTION(sql::Error, without.step());
    }
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
