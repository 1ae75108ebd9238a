// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Following a log while it is written and rotated: the cache must end up as a one-shot import of
// the same lines in one file would make it, nothing lost and nothing twice, whatever the
// rotation (rename and create, late lines in the renamed file, copytruncate, compression of the
// renamed file, delete and recreate) and wherever a write stops (half a line).
#include "cache/cache.h"
#include "ingest/ingestor.h"
#include "ingest/logfollower.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

enum class Rotation { None, HalfLine, Rename, RenameLateLines, Copytruncate, CopytruncateRegrown, RenameCompress, DeleteRecreate };

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

// `text` cut at line ends into parts of about these shares.
QList<QByteArray> split(const QByteArray &text, const QList<double> &shares)
{
    QList<QByteArray> parts;
    qsizetype start = 0;
    double sum = 0;
    for (double share : shares) {
        sum += share;
        qsizetype end = static_cast<qsizetype>(static_cast<double>(text.size()) * sum);
        end = end >= text.size() ? text.size() : text.indexOf('\n', end) + 1;
        parts.append(text.mid(start, end - start));
        start = end;
    }
    parts.append(text.mid(start));
    return parts;
}

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append) || f.write(bytes) != bytes.size())
        qFatal("cannot append to %s", qPrintable(path));
}

// Every delivery of the cache with what identifies it and what became of it, sorted.
QStringList deliveries(Cache &cache)
{
    QStringList rows;
    cache.visitDeliveries(Filter{}, Sort{}, -1, [&rows](const DeliveryRow &d) {
        rows.append(QString::fromStdString(d.host + ' ' + d.queueId + ' ' + d.messageId + ' ' + d.sender + ' ' +
                                           d.recipient + ' ' + statusName(d.status) + ' ' + d.dsn + ' ' +
                                           std::to_string(d.replyCode) + ' ' + std::to_string(d.attempts) + ' ' +
                                           std::to_string(d.firstSeenMs) + ' ' + std::to_string(d.lastSeenMs)));
        return true;
    });
    rows.sort();
    return rows;
}

} // namespace

class TestLogFollower : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followedCacheEqualsOneShot_data();
    void followedCacheEqualsOneShot();
    void holdOutlastsItsBatch();
    void idleFollowerReportsNothing();
};

void TestLogFollower::followedCacheEqualsOneShot_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<int>("year");
    QTest::addColumn<Rotation>("rotation");
    QTest::addColumn<QList<double>>("shares");  // of the lines before, between and after the rotation

    const QString psm = u"postfix/golden/psm-postfix-plain.log"_s;
    const QString exim = u"exim/golden/exim-4.96-mainlog.log"_s;
    const QList<double> thirds{0.35, 0.35};
    QTest::newRow("psm appended") << psm << 2005 << Rotation::None << thirds;
    QTest::newRow("psm half a line waits") << psm << 2005 << Rotation::HalfLine << thirds;
    QTest::newRow("psm rename and create") << psm << 2005 << Rotation::Rename << thirds;
    QTest::newRow("psm lines after the rename") << psm << 2005 << Rotation::RenameLateLines << thirds;
    QTest::newRow("psm copytruncate") << psm << 2005 << Rotation::Copytruncate << thirds;
    QTest::newRow("psm copytruncate, regrown past") << psm << 2005 << Rotation::CopytruncateRegrown << QList<double>{0.1, 0.1};
    QTest::newRow("psm rename, then gzip") << psm << 2005 << Rotation::RenameCompress << thirds;
    QTest::newRow("psm delete and recreate") << psm << 2005 << Rotation::DeleteRecreate << thirds;
    QTest::newRow("exim rename and create") << exim << 0 << Rotation::Rename << thirds;
    QTest::newRow("exim copytruncate") << exim << 0 << Rotation::Copytruncate << thirds;
}

void TestLogFollower::followedCacheEqualsOneShot()
{
    QFETCH(QString, log);
    QFETCH(int, year);
    QFETCH(Rotation, rotation);
    QFETCH(QList<double>, shares);
    const QByteArray text = readData(log);
    const QList<QByteArray> parts = split(text, shares);  // before, between, after
    QCOMPARE(parts.size(), 3);

    QTemporaryDir dir;
    const QString live = dir.filePath(u"mail.log"_s);
    const QString rotated = dir.filePath(u"mail.log.1"_s);
    ImportOptions options;
    options.year = year;
    Cache followed;
    QVERIFY(followed.open(dir.filePath(u"followed.sqlite"_s).toStdString()));
    auto importChanges = [&](LogFollower &follower) {
        std::vector<std::string> files = follower.changes();
        QVERIFY(!files.empty());
        const ImportSummary s = Ingestor::import(followed, files, options);
        QVERIFY2(s.ok() && !s.undone && s.warning.empty(), (s.error + s.warning).c_str());
        for (const FileImport &f : s.files)
            QVERIFY2(f.error.empty(), (f.path + ": " + f.error).c_str());
    };

    append(live, parts[0]);
    LogFollower follower({live.toStdString()});
    QVERIFY(Ingestor::import(followed, {live.toStdString()}, options).ok());
    QVERIFY(follower.changes().empty());
    append(live, parts[1]);

    const QByteArray &after = parts[2];
    const qsizetype half = after.indexOf('\n') / 2;
    switch (rotation) {
    case Rotation::None:
        importChanges(follower);
        append(live, after);
        break;
    case Rotation::HalfLine:
        append(live, after.left(half));
        importChanges(follower);
        append(live, after.mid(half));
        break;
    case Rotation::Rename:
        QVERIFY(QFile::rename(live, rotated));
        append(live, after);
        break;
    case Rotation::RenameLateLines:
        // The daemon writes to the renamed file until it is told to reopen its log.
        QVERIFY(QFile::rename(live, rotated));
        append(rotated, after.left(after.indexOf('\n') + 1));
        importChanges(follower);
        append(live, after.mid(after.indexOf('\n') + 1));
        break;
    case Rotation::Copytruncate:
    case Rotation::CopytruncateRegrown:
        QVERIFY(QFile::copy(live, rotated));
        QVERIFY(QFile::resize(live, 0));
        append(live, after);
        break;
    case Rotation::RenameCompress:
        QVERIFY(QFile::rename(live, rotated));
        append(live, after);
        QCOMPARE(QProcess::execute(u"gzip"_s, {rotated}), 0);
        QVERIFY(!QFile::exists(rotated));
        break;
    case Rotation::DeleteRecreate:
        importChanges(follower);
        QVERIFY(QFile::remove(live));
        append(live, after);
        break;
    }
    importChanges(follower);
    QVERIFY(follower.changes().empty());

    // The same lines in one file, imported once.
    const QString whole = dir.filePath(u"whole.log"_s);
    append(whole, text);
    Cache oneShot;
    QVERIFY(oneShot.open(dir.filePath(u"oneshot.sqlite"_s).toStdString()));
    QVERIFY(Ingestor::import(oneShot, {whole.toStdString()}, options).ok());

    const QStringList expected = deliveries(oneShot);
    QVERIFY(expected.size() > 10);
    QCOMPARE(deliveries(followed), expected);
    QCOMPARE(followed.count(Grain::Messages, Filter{}), oneShot.count(Grain::Messages, Filter{}));
}

void TestLogFollower::holdOutlastsItsBatch()
{
    // A message still on hold when a batch ends is saved again by every later batch: it must come
    // back held, not queued (lines from tests/data/postfix/golden/postfix-3.10.13-filter.log).
    const QByteArray held =
        "Dec  4 00:26:22 mx postfix/smtpd[1647]: connect from unknown[127.0.0.1]\n"
        "Dec  4 00:26:22 mx postfix/smtpd[1647]: DC853E643B5: client=unknown[127.0.0.1]\n"
        "Dec  4 00:26:22 mx postfix/cleanup[1655]: DC853E643B5: hold: header Subject: review me from "
        "unknown[127.0.0.1]; from=<friend@remote.test> to=<bob@lab.test> proto=ESMTP helo=<mx>: held for review\n"
        "Dec  4 00:26:22 mx postfix/cleanup[1655]: DC853E643B5: message-id=<20261204002622.001678@mx>\n"
        "Dec  4 00:26:22 mx postfix/smtpd[1647]: disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 "
        "quit=1 commands=5\n";
    const QByteArray later = "Dec  4 00:26:23 mx postfix/smtpd[1647]: connect from unknown[127.0.0.1]\n"
                             "Dec  4 00:26:24 mx postfix/smtpd[1647]: disconnect from unknown[127.0.0.1] quit=1 commands=1\n";
    QTemporaryDir dir;
    const QString live = dir.filePath(u"mail.log"_s);
    ImportOptions options;
    options.year = 2026;
    Cache cache;
    QVERIFY(cache.open(dir.filePath(u"held.sqlite"_s).toStdString()));
    Filter onHold;
    onHold.statuses = {"held"};
    append(live, held);
    QVERIFY(Ingestor::import(cache, {live.toStdString()}, options).ok());
    QCOMPARE(cache.count(Grain::Messages, onHold), std::int64_t(1));
    for (int batch = 0; batch < 2; ++batch) {
        append(live, later);
        QVERIFY(Ingestor::import(cache, {live.toStdString()}, options).ok());
        QCOMPARE(cache.count(Grain::Messages, onHold), std::int64_t(1));
    }
}

void TestLogFollower::idleFollowerReportsNothing()
{
    QTemporaryDir dir;
    const QString live = dir.filePath(u"mail.log"_s);
    const QString later = dir.filePath(u"later.log"_s);
    append(live, readData(u"postfix/golden/still-deferred.log"_s));
    LogFollower follower({live.toStdString(), later.toStdString()});
    QVERIFY(follower.changes().empty());
    QVERIFY(follower.changes().empty());
    // A followed log that did not exist yet is imported whole once it appears.
    append(later, "x\n");
    QCOMPARE(follower.changes(), std::vector<std::string>{later.toStdString()});
    QVERIFY(follower.changes().empty());
    const std::vector<std::string> watched = follower.watchPaths();
    QCOMPARE(watched.size(), 3u);  // both files and their folder
}

QTEST_GUILESS_MAIN(TestLogFollower)
#include "tst_logfollower.moc"
