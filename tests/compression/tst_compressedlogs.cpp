// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Logs compressed by gzip, bzip2, xz and zstd (as logrotate's compresscmd may) read line for line
// like the plain log, whole, concatenated, cut short, from an offset and by the line fetcher.
// The fixtures were made by the real tools from tests/data/postfix/flows (see tests/data/README.md).
#include "ingest/decompressor.h"
#include "ingest/linefetcher.h"
#include "ingest/logreader.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <fcntl.h>
#include <bzlib.h>
#include <utime.h>
#include <zlib.h>
#include <zstd.h>
#include <unistd.h>
#include <QTemporaryDir>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

struct Line {
    std::string text;
    std::uint64_t offset;
    bool operator==(const Line &) const = default;
};

const QString Plain = QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/bounce-with-notification.log");

QString fixture(const QString &extension)
{
    return QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.") + extension;
}

std::vector<Line> readAll(const QString &path, bool *compressed = nullptr, bool *endedEarly = nullptr,
                          std::string *error = nullptr, std::uint64_t start = 0)
{
    LogReader reader;
    std::vector<Line> lines;
    if (!reader.open(path.toStdString(), start)) {
        if (error)
            *error = reader.error();
        return lines;
    }
    std::string_view line;
    std::uint64_t offset = 0;
    while (reader.nextLine(line, offset))
        lines.push_back({std::string(line), offset});
    if (compressed)
        *compressed = reader.isCompressed();
    if (endedEarly)
        *endedEarly = reader.endedEarly();
    if (error)
        *error = reader.error();
    return lines;
}

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// gzip's layout with the header fields the gzip tool writes: MTIME (0 for gzip -n) and the name.
QByteArray gzipped(QByteArray text, qint64 mtime, const char *name = nullptr)
{
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    gz_header header{};
    header.time = static_cast<uLong>(mtime);
    header.os = 3;
    QByteArray nameBytes(name ? name : "");
    header.name = name ? reinterpret_cast<Bytef *>(nameBytes.data()) : Z_NULL;
    deflateSetHeader(&z, &header);
    QByteArray bytes(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(text.size())) + 64 + nameBytes.size()),
                     '\0');
    z.next_in = reinterpret_cast<Bytef *>(text.data());
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef *>(bytes.data());
    z.avail_out = static_cast<uInt>(bytes.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate did not finish");
    bytes.truncate(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    return bytes;
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(f.fileName()));
    return f.fileName();
}

} // namespace

class TestCompressedLogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formats_data();
    void readsLikeThePlainLog_data() { formats_data(); }
    void readsLikeThePlainLog();
    void concatenatedMembersReadAsOne_data() { formats_data(); }
    void concatenatedMembersReadAsOne();
    void cutShortKeepsWhatDecoded_data() { formats_data(); }
    void cutShortKeepsWhatDecoded();
    void opensAtAnOffset_data() { formats_data(); }
    void opensAtAnOffset();
    void fetcherFindsLinesByOffset_data() { formats_data(); }
    void fetcherFindsLinesByOffset();
    void corruptDataIsAnErrorNotACrash_data() { formats_data(); }
    void corruptDataIsAnErrorNotACrash();
    void unsupportedCompressionIsNamed();
    void statedLength_data();
    void statedLength();
    void olderBzip2CopyLeavesTheLiveLogAlone();
    void yearBoundByTheFileTime_data();
    void yearBoundByTheFileTime();
    void statedMtime_data();
    void statedMtime();
    void yearFromTheGzipHeader_data();
    void yearFromTheGzipHeader();
    void zstdLengthWalksEveryBlock_data();
    void zstdLengthWalksEveryBlock();
};

void TestCompressedLogs::formats_data()
{
    QTest::addColumn<QString>("extension");
    QTest::newRow("gzip") << u"gz"_s;
    QTest::newRow("bzip2") << u"bz2"_s;
    QTest::newRow("xz") << u"xz"_s;
    QTest::newRow("zstd") << u"zst"_s;
}

void TestCompressedLogs::readsLikeThePlainLog()
{
    QFETCH(QString, extension);
    bool compressed = false;
    bool endedEarly = true;
    std::string error;
    const std::vector<Line> lines = readAll(fixture(extension), &compressed, &endedEarly, &error);
    QVERIFY(compressed);
    QVERIFY(!endedEarly);
    QCOMPARE(error, std::string());
    const std::vector<Line> plain = readAll(Plain);
    QCOMPARE(plain.size(), std::size_t(12));
    QVERIFY(lines == plain);
}

void TestCompressedLogs::concatenatedMembersReadAsOne()
{
    QFETCH(QString, extension);
    QTemporaryDir dir;
    const QByteArray one = bytesOf(fixture(extension));
    const QString twice = write(dir, u"twice."_s + extension, one + one);
    bool endedEarly = true;
    std::string error;
    const std::vector<Line> lines = readAll(twice, nullptr, &endedEarly, &error);
    QCOMPARE(error, std::string());
    QVERIFY(!endedEarly);
    const std::vector<Line> plain = readAll(Plain);
    QCOMPARE(lines.size(), 2 * plain.size());
    const std::uint64_t length = bytesOf(Plain).size();
    for (std::size_t i = 0; i < plain.size(); ++i) {
        QCOMPARE(lines[i], plain[i]);
        QCOMPARE(lines[plain.size() + i].text, plain[i].text);
        QCOMPARE(lines[plain.size() + i].offset, plain[i].offset + length);
    }
}

void TestCompressedLogs::cutShortKeepsWhatDecoded()
{
    QFETCH(QString, extension);
    QTemporaryDir dir;
    const QByteArray whole = bytesOf(fixture(extension));
    const std::vector<Line> plain = readAll(Plain);
    for (const qsizetype cut : {qsizetype(1), qsizetype(9), whole.size() / 2}) {
        const QString path = write(dir, u"cut%1."_s.arg(cut) + extension, whole.left(whole.size() - cut));
        bool endedEarly = false;
        std::string error;
        const std::vector<Line> lines = readAll(path, nullptr, &endedEarly, &error);
        QVERIFY2(endedEarly, qPrintable(u"cut by %1"_s.arg(cut)));
        QCOMPARE(error, std::string());
        QVERIFY(lines.size() <= plain.size());
        // Every whole line before the cut is the log's; only the last may be a part of one.
        for (std::size_t i = 0; i + 1 < lines.size(); ++i)
            QCOMPARE(lines[i], plain[i]);
    }
}

void TestCompressedLogs::opensAtAnOffset()
{
    QFETCH(QString, extension);
    const std::vector<Line> plain = readAll(Plain);
    const Line &fifth = plain.at(4);
    const std::vector<Line> lines = readAll(fixture(extension), nullptr, nullptr, nullptr, fifth.offset);
    QCOMPARE(lines.size(), plain.size() - 4);
    QCOMPARE(lines.front(), fifth);
    QCOMPARE(lines.back(), plain.back());
}

void TestCompressedLogs::fetcherFindsLinesByOffset()
{
    QFETCH(QString, extension);
    const std::vector<Line> plain = readAll(Plain);
    const std::string path = fixture(extension).toStdString();
    // Out of order and with one offset inside a line, which is no line's start.
    const std::vector<LineLocation> where{{path, plain[7].offset}, {path, plain[1].offset},
                                          {path, plain[1].offset + 3}, {path, plain.back().offset}};
    const std::vector<FetchedLine> got = fetchLines(where);
    QCOMPARE(got.size(), where.size());
    QVERIFY(got[0].ok);
    QCOMPARE(got[0].text, plain[7].text);
    QVERIFY(got[1].ok);
    QCOMPARE(got[1].text, plain[1].text);
    QVERIFY(!got[2].ok);
    QVERIFY(got[3].ok);
    QCOMPARE(got[3].text, plain.back().text);
}

void TestCompressedLogs::corruptDataIsAnErrorNotACrash()
{
    QFETCH(QString, extension);
    QTemporaryDir dir;
    QByteArray bytes = bytesOf(fixture(extension));
    // Past each format's header: the compressed data itself is damaged.
    for (qsizetype i = 24; i < bytes.size() - 24; i += 7)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    std::string error;
    bool endedEarly = false;
    const std::vector<Line> lines = readAll(write(dir, u"bad."_s + extension, bytes), nullptr, &endedEarly, &error);
    // What decoded before the damage was found may be handed out; the damage must be reported.
    QVERIFY2(!error.empty() || endedEarly, "damaged data read as if whole");
    QVERIFY(lines.size() <= readAll(Plain).size());
}

void TestCompressedLogs::unsupportedCompressionIsNamed()
{
    LogReader reader;
    QVERIFY(!reader.open(fixture(u"lz4"_s).toStdString()));
    QVERIFY2(reader.error().find("compressed with lz4") != std::string::npos, reader.error().c_str());
}

void TestCompressedLogs::statedLength_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("copies");
    QTest::addColumn<qint64>("length");
    // What the importer compares with what it read before, to tell an unchanged file without
    // decompressing it; 0 is "unknown".
    QTest::newRow("gzip") << u"gz"_s << 1 << qint64(1628);
    QTest::newRow("gzip, two members: the last one's") << u"gz"_s << 2 << qint64(1628);
    QTest::newRow("bzip2 states none") << u"bz2"_s << 1 << qint64(0);
    QTest::newRow("xz") << u"xz"_s << 1 << qint64(1628);
    QTest::newRow("xz, two streams: unknown") << u"xz"_s << 2 << qint64(0);
    QTest::newRow("zstd") << u"zst"_s << 1 << qint64(1628);
    QTest::newRow("zstd, two frames") << u"zst"_s << 2 << qint64(3256);
    QTest::newRow("zstd cut short: unknown") << u"zst"_s << -1 << qint64(0);
    QTest::newRow("xz cut short: unknown") << u"xz"_s << -1 << qint64(0);
    // Frames are walked by reading their headers (a mapping would raise SIGBUS on a file cut short
    // while mapped): a skippable frame holds nothing, other bytes after the log are no frame.
    QTest::newRow("zstd, then a skippable frame") << u"zst"_s << -2 << qint64(1628);
    QTest::newRow("zstd with junk after it: unknown") << u"zst"_s << -3 << qint64(0);
    QTest::newRow("zstd header only: unknown") << u"zst"_s << -4 << qint64(0);
}

void TestCompressedLogs::statedLength()
{
    QFETCH(QString, extension);
    QFETCH(int, copies);
    QFETCH(qint64, length);
    QTemporaryDir dir;
    const QByteArray one = bytesOf(fixture(extension));
    QByteArray bytes;
    switch (copies) {
    case -1: bytes = one.left(one.size() - 5); break;
    case -2: bytes = one + QByteArray::fromHex("502a4d1804000000") + "skip"; break;
    case -3: bytes = one + "junk after the frame"; break;
    case -4: bytes = one.left(12); break;
    default: bytes = one.repeated(copies);
    }
    const QString path = write(dir, u"f."_s + extension, bytes);
    QCOMPARE(bytesOf(Plain).size(), 1628);
    const int fd = ::open(path.toLocal8Bit().constData(), O_RDONLY);
    QVERIFY(fd >= 0);
    const Sniffed sniffed = sniffCompression(fd);
    const std::uint64_t stated = mailtrail::statedLength(fd, sniffed.kind);
    ::close(fd);
    QCOMPARE(qint64(stated), length);
}

void TestCompressedLogs::olderBzip2CopyLeavesTheLiveLogAlone()
{
    // `bzip2 -k mail.log` made earlier, while mail.log has grown since. bzip2 states no length, and
    // the copy starts as the live log does, so it looks like the live log rotated. Read to its end,
    // it stops short of where the live log was read to: an older snapshot, which must not take
    // over the live log's record (the next import of the live log would read it all again).
    QTemporaryDir dir;
    auto flows = [](const QStringList &names) {
        QByteArray text;
        for (const QString &name : names)
            text += bytesOf(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + name + u".log"_s);
        return text;
    };
    // Longer than the 4 KiB by whose hash a file is known.
    QByteArray older = flows({u"deferred-then-sent"_s, u"bounce-with-notification"_s, u"noqueue-reject"_s,
                              u"queue-id-reuse"_s, u"still-deferred"_s});
    QVERIFY(older.size() > 4096);
    const QString live = write(dir, u"mail.log"_s, older + flows({u"partial-reject-and-forward"_s}));
    QByteArray packed(older.size() + 1024, Qt::Uninitialized);
    auto packedSize = static_cast<unsigned>(packed.size());
    QCOMPARE(BZ2_bzBuffToBuffCompress(packed.data(), &packedSize, older.data(), static_cast<unsigned>(older.size()), 9, 0, 0),
             BZ_OK);
    const QString snapshot = write(dir, u"mail.log.bz2"_s, packed.left(packedSize));
    const QString cache = dir.filePath(u"c.sqlite"_s);
    auto cli = [](const QStringList &args) {
        QProcess p;
        p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"), args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning("%s", p.readAllStandardError().constData());
        return p.readAllStandardOutput();
    };
    const QStringList year{u"--year"_s, u"2026"_s, u"--cache"_s, cache};
    cli(QStringList{u"import"_s} + year + QStringList{live});
    const QByteArray all = cli({u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s});
    QVERIFY(all.count('\n') > 10);
    const QByteArray copy = cli(QStringList{u"import"_s} + year + QStringList{snapshot});
    QVERIFY2(copy.contains("unchanged, nothing to do"), copy.constData());
    const QByteArray again = cli(QStringList{u"import"_s} + year + QStringList{live});
    QVERIFY2(again.contains("unchanged, nothing to do"), again.constData());
    QCOMPARE(cli({u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"csv"_s}), all);
}

void TestCompressedLogs::yearBoundByTheFileTime_data()
{
    QTest::addColumn<QString>("extension");
    QTest::newRow("plain") << QString();
    QTest::newRow("gzip") << u"gz"_s;
    QTest::newRow("bzip2") << u"bz2"_s;
    QTest::newRow("zstd") << u"zst"_s;
}

void TestCompressedLogs::yearBoundByTheFileTime()
{
    // A rotated log across New Year, compressed after it (the file written on 2 January): its
    // year-less lines take the year from the file's time as a plain log's do, December's the old
    // year and January's the new one; none after the file's time, none a year back.
    QFETCH(QString, extension);
    QByteArray text = bytesOf(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/deferred-then-sent.log"));
    text.replace("Nov 20 10:00:", "Dec 31 23:59:").replace("Nov 20 10:", "Jan  1 00:");
    QByteArray bytes;
    if (extension.isEmpty()) {
        bytes = text;
    } else if (extension == u"gz"_s) {
        z_stream z{};
        QVERIFY(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        bytes.resize(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(text.size())) + 32));
        z.next_in = reinterpret_cast<Bytef *>(text.data());
        z.avail_in = static_cast<uInt>(text.size());
        z.next_out = reinterpret_cast<Bytef *>(bytes.data());
        z.avail_out = static_cast<uInt>(bytes.size());
        QCOMPARE(deflate(&z, Z_FINISH), Z_STREAM_END);
        bytes.truncate(static_cast<qsizetype>(z.total_out));
        deflateEnd(&z);
    } else if (extension == u"bz2"_s) {
        bytes.resize(text.size() + 1024);
        auto size = static_cast<unsigned>(bytes.size());
        QCOMPARE(BZ2_bzBuffToBuffCompress(bytes.data(), &size, text.data(), static_cast<unsigned>(text.size()), 9, 0, 0), BZ_OK);
        bytes.truncate(size);
    } else {
        bytes.resize(static_cast<qsizetype>(ZSTD_compressBound(static_cast<std::size_t>(text.size()))));
        const std::size_t size = ZSTD_compress(bytes.data(), static_cast<std::size_t>(bytes.size()), text.constData(),
                                               static_cast<std::size_t>(text.size()), 3);
        QVERIFY(!ZSTD_isError(size));
        bytes.truncate(static_cast<qsizetype>(size));
    }
    QTemporaryDir dir;
    const QString log = write(dir, extension.isEmpty() ? u"mail.log.1"_s : u"mail.log.1."_s + extension, bytes);
    utimbuf times{1798848000, 1798848000};  // 2027-01-02T00:00:00Z; the tests run with TZ=UTC
    ::utime(log.toLocal8Bit().constData(), &times);
    QProcess p;
    p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"),
            {u"messages"_s, u"--cache"_s, dir.filePath(u"c.sqlite"_s), u"--format"_s, u"csv"_s, log});
    QVERIFY(p.waitForFinished(60000));
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY2(out.contains("\n2026-12-31T23:59:01+00:00,2027-01-01T00:10:04+00:00,mx1,4F2A81C0123,"), out.constData());
}

void TestCompressedLogs::statedMtime_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("mtime");
    const QByteArray text = bytesOf(Plain);
    QTest::newRow("gzip -n: unset") << bytesOf(fixture(u"gz"_s)) << qint64(0);
    QTest::newRow("gzip with a time") << gzipped(text, 1798848000) << qint64(1798848000);
    // The name field comes after MTIME but must be read past before the data: zlib does.
    QTest::newRow("gzip with a time and a name") << gzipped(text, 1798848000, "mail.log.1") << qint64(1798848000);
    QTest::newRow("gzip, two members: the first one's")
        << gzipped(text, 1798848000) + gzipped(text, 1830384000) << qint64(1798848000);
    QTest::newRow("gzip header cut short") << gzipped(text, 1798848000).left(6) << qint64(0);
    QTest::newRow("bzip2 has no such field") << bytesOf(fixture(u"bz2"_s)) << qint64(0);
    QTest::newRow("zstd has no such field") << bytesOf(fixture(u"zst"_s)) << qint64(0);
    QTest::newRow("plain") << text << qint64(0);
}

void TestCompressedLogs::statedMtime()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, mtime);
    QTemporaryDir dir;
    const QString path = write(dir, u"f"_s, bytes);
    QCOMPARE(qint64(mailtrail::statedMtime(path.toStdString())), mtime);
}

void TestCompressedLogs::yearFromTheGzipHeader_data()
{
    QTest::addColumn<qint64>("headerMtime");
    QTest::addColumn<qint64>("fileMtime");
    QTest::addColumn<QByteArray>("firstAndLast");
    // A log from Dec 31 23:59 to Jan 1 00:10, gzipped by logrotate on 2 January 2027 (its header
    // says so); the tests run with TZ=UTC.
    const qint64 rotated = 1798848000;    // 2027-01-02T00:00:00Z
    const qint64 copiedLater = 1828656000; // 2027-12-14T00:00:00Z: cp without -p, months after
    const QByteArray thatNewYear = "\n2026-12-31T23:59:01+00:00,2027-01-01T00:10:04+00:00,mx1,4F2A81C0123,";
    QTest::newRow("copied later: the header's time, not the copy's") << rotated << copiedLater << thatNewYear;
    QTest::newRow("gzip -n: the file's time") << qint64(0) << rotated << thatNewYear;
    QTest::newRow("header a year after the file's time: the header's")
        << qint64(1830384000) << rotated  // 2028-01-02T00:00:00Z
        << QByteArray("\n2027-12-31T23:59:01+00:00,2028-01-01T00:10:04+00:00,mx1,4F2A81C0123,");
}

void TestCompressedLogs::yearFromTheGzipHeader()
{
    // Year-less lines take their year from when the log was last written: for a .gz that is the
    // MTIME gzip copied from the rotated log, the .gz file's own time may be that of a copy.
    QFETCH(qint64, headerMtime);
    QFETCH(qint64, fileMtime);
    QFETCH(QByteArray, firstAndLast);
    QByteArray text = bytesOf(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/deferred-then-sent.log"));
    text.replace("Nov 20 10:00:", "Dec 31 23:59:").replace("Nov 20 10:", "Jan  1 00:");
    QTemporaryDir dir;
    const QString log = write(dir, u"mail.log.1.gz"_s, gzipped(text, headerMtime, "mail.log.1"));
    utimbuf times{static_cast<time_t>(fileMtime), static_cast<time_t>(fileMtime)};
    QCOMPARE(::utime(log.toLocal8Bit().constData(), &times), 0);
    QProcess p;
    p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"),
            {u"messages"_s, u"--cache"_s, dir.filePath(u"c.sqlite"_s), u"--format"_s, u"csv"_s, log});
    QVERIFY(p.waitForFinished(60000));
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY2(out.contains(firstAndLast), out.constData());
}

void TestCompressedLogs::zstdLengthWalksEveryBlock_data()
{
    // Frames of many blocks, of each kind, as zstd writes them for large logs.
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("checksum");
    QByteArray random(300000, Qt::Uninitialized);
    QRandomGenerator generator(7);
    for (char &c : random)
        c = static_cast<char>(generator.bounded(256));
    QTest::newRow("RLE blocks") << QByteArray(700000, 'a') << false;
    QTest::newRow("raw blocks, with checksum") << random << true;
    QTest::newRow("compressed blocks") << bytesOf(Plain).repeated(400) << false;
    QTest::newRow("compressed blocks, with checksum") << bytesOf(Plain).repeated(400) << true;
}

void TestCompressedLogs::zstdLengthWalksEveryBlock()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, checksum);
    QByteArray packed(static_cast<qsizetype>(ZSTD_compressBound(static_cast<std::size_t>(content.size()))), Qt::Uninitialized);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
    const std::size_t size = ZSTD_compress2(cctx, packed.data(), static_cast<std::size_t>(packed.size()), content.constData(),
                                            static_cast<std::size_t>(content.size()));
    ZSTD_freeCCtx(cctx);
    QVERIFY(!ZSTD_isError(size));
    packed.truncate(static_cast<qsizetype>(size));
    QTemporaryDir dir;
    const QString path = write(dir, u"big.zst"_s, packed + packed);
    const int fd = ::open(path.toLocal8Bit().constData(), O_RDONLY);
    QVERIFY(fd >= 0);
    const std::uint64_t stated = mailtrail::statedLength(fd, Compression::Zstd);
    ::close(fd);
    QCOMPARE(qint64(stated), 2 * content.size());
}

QTEST_GUILESS_MAIN(TestCompressedLogs)
#include "tst_compressedlogs.moc"
