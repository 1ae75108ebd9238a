// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A message's raw-line references as the cache stores them (messages.lines): both forms read back
// as written, the shorter one chosen, the form of layouts 2 to 13 still read, and a damaged blob
// read up to its damage.
#include "cache/linecodec.h"

#include <QTest>

#include <string>
#include <vector>

using namespace mailtrail;

namespace {

using Lines = std::vector<LineRef>;

std::string print(const Lines &lines)
{
    std::string out;
    for (const LineRef &l : lines)
        out += std::to_string(l.fileId) + ':' + std::to_string(l.offset) + ' ';
    return out;
}

} // namespace

Q_DECLARE_METATYPE(Lines)

class TestLineCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void earlierLayoutsRead();
    void damagedBlobReadsUpToTheDamage();
};

void TestLineCodec::roundTrip_data()
{
    QTest::addColumn<Lines>("lines");
    QTest::addColumn<bool>("fileOnce");  // written in layout 14's form
    QTest::addColumn<int>("size");       // the blob's bytes
    // A Postfix message of eight lines in a 1 GB log: the other messages' lines between its own.
    const Lines postfix{{7, 812'345'678}, {7, 812'345'900}, {7, 812'346'120}, {7, 812'350'000},
                        {7, 812'351'234}, {7, 812'360'000}, {7, 812'360'400}, {7, 812'420'000}};
    // Each line: file id (1) + distance (2 or 3 bytes; the first 5) before; the distance alone now.
    QTest::newRow("a message of eight lines") << postfix << true << 1 + 1 + 1 + 5 + 2 + 2 + 2 + 2 + 3 + 2 + 3;
    QTest::newRow("none") << Lines{} << false << 0;
    QTest::newRow("one line: as before") << Lines{{3, 1000}} << false << 1 + 2;
    QTest::newRow("two lines: as before") << Lines{{3, 1000}, {3, 1100}} << false << 1 + 2 + 1 + 2;
    // A message in the queue when its log rotated: its later lines in the next file, from its start.
    QTest::newRow("across a rotation") << Lines{{3, 5000}, {3, 5100}, {3, 5200}, {4, 10}, {4, 90}, {4, 200}} << true
                                       << 1 + (1 + 1 + 2) + 2 + 2 + (1 + 1 + 1) + 2 + 2;
    // Not in the order of the file (a copy's line made again, a line read late): written whole.
    QTest::newRow("a line before the one before") << Lines{{3, 900}, {3, 950}, {3, 400}, {3, 1200}, {3, 1300}} << true
                                                   << 1 + (1 + 1 + 2) + 1 + (1 + 1 + 2) + 2 + 2;
    QTest::newRow("the same line twice")
        << Lines{{3, 900}, {3, 900}, {3, 950}, {3, 990}, {3, 1020}, {3, 1060}, {3, 1100}} << true
        << 1 + (1 + 1 + 2) + (1 + 1 + 2) + 1 + 1 + 1 + 1 + 1;
    QTest::newRow("the same line twice, few lines: as before") << Lines{{3, 900}, {3, 900}, {3, 950}, {3, 990}} << false
                                                               << (1 + 2) + (1 + 1) + (1 + 1) + (1 + 1);
    // (No file of a cache has id 0: its lines are written whole, each.)
    QTest::newRow("file id 0: never the first form") << Lines{{0, 10}, {0, 20}} << true << 1 + (1 + 1 + 1) + (1 + 1 + 1);
    // A distance too large for its shift (none in a log): that line written whole.
    constexpr std::uint64_t Far = std::uint64_t(1) << 63;
    QTest::newRow("a distance of 2^63")
        << Lines{{5, 10}, {5, 20}, {5, 30}, {5, 40}, {5, Far + 50}, {5, Far + 60}, {5, Far + 70}} << true
        << 1 + (1 + 1 + 1) + 1 + 1 + 1 + (1 + 1 + 10) + 1 + 1;
    // The first form's distances wrap around: -2, then 1.
    QTest::newRow("largest values") << Lines{{0xffffffffu, ~std::uint64_t(0) - 1}, {0xffffffffu, ~std::uint64_t(0)}}
                                    << false << (5 + 1) + (5 + 1);
}

void TestLineCodec::roundTrip()
{
    QFETCH(Lines, lines);
    QFETCH(bool, fileOnce);
    QFETCH(int, size);
    const std::string blob = linecodec::encode(lines);
    QCOMPARE(print(linecodec::decode(blob)), print(lines));
    QCOMPARE(!blob.empty() && blob.front() == '\0', fileOnce);
    QCOMPARE(static_cast<int>(blob.size()), size);
    // Never longer than the form of earlier layouts, but by its first byte.
    if (!lines.empty() && lines.front().fileId != 0)
        QVERIFY(blob.size() <= linecodec::encodeEachLine(lines).size());
}

void TestLineCodec::earlierLayoutsRead()
{
    // Bytes a layout-13 build wrote (varints: file id, zigzag distance), and what they mean.
    const std::string written("\x01\xf4\x68\x01\x80\x2d\x01\x8e\x08", 9);
    QCOMPARE(print(linecodec::decode(written)), print(Lines{{1, 6714}, {1, 9594}, {1, 10113}}));
    const Lines lines{{2, 100}, {2, 50}, {5, 7}};
    QCOMPARE(print(linecodec::decode(linecodec::encodeEachLine(lines))), print(lines));
}

void TestLineCodec::damagedBlobReadsUpToTheDamage()
{
    const Lines lines{{3, 5000}, {3, 5100}, {3, 5200}, {4, 10}, {4, 90}};
    const std::string blob = linecodec::encode(lines);
    for (std::size_t cut = 0; cut < blob.size(); ++cut) {
        const Lines read = linecodec::decode(std::string_view(blob).substr(0, cut));
        QVERIFY(read.size() <= lines.size());
        QCOMPARE(print(read), print(Lines(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(read.size()))));
    }
    // A varint that never ends.
    QCOMPARE(linecodec::decode(std::string("\x00\x81\x81\x81", 4)).size(), std::size_t(0));
    QCOMPARE(linecodec::decode(std::string(20, '\xff')).size(), std::size_t(0));
}

QTEST_APPLESS_MAIN(TestLineCodec)
#include "tst_linecodec.moc"
