// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Exim's usual log set, mainlog and rejectlog, imported as a user opens it: every rejection and
// AUTH failure once, the rejectlog's header lines part of their rejection, never lines not
// understood. The logs are those the real Exim wrote (tests/data/exim/produce.sh).
#include "cache/cache.h"
#include "cache/statsqueries.h"
#include "ingest/ingestor.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <optional>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

std::string golden(const QString &version, const char *log)
{
    return QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-%1-%2.log").arg(version, QLatin1StringView(log)).toStdString();
}

struct Imported {
    std::vector<DeliveryRow> deliveries;
    std::vector<IncidentLine> incidents;
    std::uint64_t unknownLines = 0;
    Stats stats;
    std::vector<AttemptRow> flakyTries;  // the tries of flaky@remote.test, deferred then sent
    std::vector<MessageRow> held;        // messages whose state is "held"
};

// Each element of `runs` is one import, into the same cache, in turn; `removed` is deleted after
// the first (a log rotated away since).
Imported importRuns(const std::vector<std::vector<std::string>> &runs, const QString &removed = {})
{
    QTemporaryDir dir;
    Cache cache;
    if (!cache.open(dir.filePath(u"c.sqlite"_s).toStdString()))
        qFatal("cannot open a cache: %s", cache.error().c_str());
    ImportOptions options;
    options.year = 2026;
    Imported out;
    for (const std::vector<std::string> &paths : runs) {
        const ImportSummary summary = Ingestor::import(cache, paths, options);
        // An older log read again with them is named too.
        if (!summary.ok() || summary.files.size() < paths.size())
            qFatal("import failed: %s", summary.error.c_str());
        for (const FileImport &f : summary.files)
            out.unknownLines += f.unknownLines;
        if (!removed.isEmpty() && &paths == &runs.front())
            QFile::remove(removed);
    }
    out.deliveries = cache.deliveries(Filter{}, Sort{}, 0, 1000);
    StatsQueries stats(cache);
    if (!stats.incidents(Filter{}, IncidentQuery{}, 1000, out.incidents) || !stats.compute(Filter{}, out.stats))
        qFatal("stats: %s", stats.error().c_str());
    for (const DeliveryRow &d : out.deliveries) {
        if (d.recipient != "flaky@remote.test")
            continue;
        if (const std::optional<MessageDetail> detail = cache.detail(d.messageDbId)) {
            for (const AttemptRow &a : detail->attempts) {
                if (a.deliveryIndex == d.index)
                    out.flakyTries.push_back(a);
            }
        }
    }
    Filter held;
    held.statuses.push_back("held");
    out.held = cache.messages(held, Sort{}, 0, 100);
    return out;
}

Imported importSet(const std::vector<std::string> &paths)
{
    return importRuns({paths});
}

int rejected(const Imported &set)
{
    return static_cast<int>(std::count_if(set.deliveries.begin(), set.deliveries.end(),
                                          [](const DeliveryRow &d) { return d.status == DeliveryStatus::Rejected; }));
}

const DeliveryRow *tooBig(const Imported &set)
{
    for (const DeliveryRow &d : set.deliveries) {
        if (d.reason.starts_with("message too big"))
            return &d;
    }
    return nullptr;
}

} // namespace

class TestEximLogSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mainlogAndRejectlogTogether_data();
    void mainlogAndRejectlogTogether();
    void mainlogAndRejectlogInTwoImports_data();
    void mainlogAndRejectlogInTwoImports();
    void rejectlogAlone_data();
    void rejectlogAlone();
    void deliveriesOfTheMainlog_data();
    void deliveriesOfTheMainlog();
    void frozenIsHeld();
    void everyEnvelopeRecipientHasARow_data();
    void everyEnvelopeRecipientHasARow();
};

void TestEximLogSet::mainlogAndRejectlogTogether_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("tooBigId");
    QTest::newRow("4.96") << u"4.96"_s << u"1xZDWz-0001sb-1I"_s;
    QTest::newRow("4.98.2") << u"4.98.2"_s << u"1xZDjY-000000005vM-04IA"_s;
}

void TestEximLogSet::mainlogAndRejectlogTogether()
{
    QFETCH(QString, version);
    QFETCH(QString, tooBigId);
    const Imported mainlog = importSet({golden(version, "mainlog")});
    const Imported both = importSet({golden(version, "mainlog"), golden(version, "rejectlog")});
    // The run refused four times (unknown user, relaying, the connection, a message too big) and
    // failed one AUTH: the rejectlog repeats all five.
    QCOMPARE(rejected(mainlog), 4);
    QCOMPARE(rejected(both), 4);
    QCOMPARE(both.deliveries.size(), mainlog.deliveries.size());
    QCOMPARE(mainlog.incidents.size(), 1u);
    QCOMPARE(both.incidents.size(), 1u);
    // The rejectlog's headers of the message too big are read as part of it...
    QCOMPARE(both.unknownLines, mainlog.unknownLines);
    // ... and name its recipient, which the mainlog does not.
    const DeliveryRow *big = tooBig(both);
    QVERIFY(big);
    QCOMPARE(QString::fromStdString(big->queueId), tooBigId);
    QCOMPARE(big->recipient, std::string("bob@lab.test"));
    QCOMPARE(big->sender, std::string("alice@lab.test"));
    QCOMPARE(big->status, DeliveryStatus::Rejected);
}

void TestEximLogSet::mainlogAndRejectlogInTwoImports_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("rejectlogFirst");
    QTest::addColumn<bool>("firstGone");
    for (const QString &version : {u"4.96"_s, u"4.98.2"_s}) {
        // The rejectlog begins before the mainlog ends: the mainlog is read again with it.
        QTest::addRow("%s, mainlog then rejectlog", qPrintable(version)) << version << false << false;
        // ... unless it can no longer be read (rotated away): its rows stay as they are.
        QTest::addRow("%s, mainlog gone, then rejectlog", qPrintable(version)) << version << false << true;
        QTest::addRow("%s, rejectlog then mainlog", qPrintable(version)) << version << true << false;
    }
}

void TestEximLogSet::mainlogAndRejectlogInTwoImports()
{
    // Opened one after the other, as a user adds the second file later: the cache has the
    // refusals of the first, and the second's copies of them are not counted again.
    QFETCH(QString, version);
    QFETCH(bool, rejectlogFirst);
    QFETCH(bool, firstGone);
    QTemporaryDir dir;
    const QString mainlogCopy = dir.filePath(u"mainlog"_s), rejectlogCopy = dir.filePath(u"rejectlog"_s);
    QVERIFY(QFile::copy(QString::fromStdString(golden(version, "mainlog")), mainlogCopy));
    QVERIFY(QFile::copy(QString::fromStdString(golden(version, "rejectlog")), rejectlogCopy));
    const std::string mainlogPath = mainlogCopy.toStdString(), rejectlogPath = rejectlogCopy.toStdString();
    const Imported mainlog = importSet({mainlogPath});
    const Imported twice = rejectlogFirst ? importRuns({{rejectlogPath}, {mainlogPath}})
                                          : importRuns({{mainlogPath}, {rejectlogPath}}, firstGone ? mainlogCopy : QString());
    QCOMPARE(rejected(twice), 4);
    QCOMPARE(twice.deliveries.size(), mainlog.deliveries.size());
    QCOMPARE(twice.incidents.size(), 1u);
    QCOMPARE(twice.stats.rejected, mainlog.stats.rejected);
    QCOMPARE(twice.unknownLines, mainlog.unknownLines);
    // The message too big has the recipient the rejectlog's headers name, unless the mainlog's
    // row of it was made alone and the rejectlog's copy, read later, was left out.
    const DeliveryRow *big = tooBig(twice);
    QVERIFY(big);
    QCOMPARE(big->recipient, std::string(firstGone ? "" : "bob@lab.test"));
}

void TestEximLogSet::rejectlogAlone_data()
{
    mainlogAndRejectlogTogether_data();
}

void TestEximLogSet::rejectlogAlone()
{
    QFETCH(QString, version);
    QFETCH(QString, tooBigId);
    const Imported rejectlog = importSet({golden(version, "rejectlog")});
    QCOMPARE(rejected(rejectlog), 4);
    QCOMPARE(rejectlog.incidents.size(), 1u);
    // "Envelope-from:", "Envelope-to:", the flagged headers: all of them part of the rejection.
    QCOMPARE(rejectlog.unknownLines, 0u);
    const DeliveryRow *big = tooBig(rejectlog);
    QVERIFY(big);
    QCOMPARE(QString::fromStdString(big->queueId), tooBigId);
    QCOMPARE(big->recipient, std::string("bob@lab.test"));
    QCOMPARE(big->sender, std::string("alice@lab.test"));
}

void TestEximLogSet::deliveriesOfTheMainlog_data()
{
    mainlogAndRejectlogTogether_data();
}

void TestEximLogSet::deliveriesOfTheMainlog()
{
    QFETCH(QString, version);
    const Imported mainlog = importSet({golden(version, "mainlog")});
    int local = 0;
    for (const DeliveryRow &d : mainlog.deliveries) {
        // A recipient is the envelope's, with its domain, or the address an alias of it reached
        // ("=> alice <info@lab.test>": alice, as Exim names a local delivery's) with the envelope's
        // beside it, as Postfix's orig_to=.
        if (d.origRecipient.empty())
            QVERIFY2(d.recipient.empty() || d.recipient.find('@') != std::string::npos, d.recipient.c_str());
        else
            QCOMPARE(d.origRecipient, std::string("info@lab.test"));
        // Delivered to a mailbox by a local transport: sent, as a remote delivery is.
        if (d.relay == "local_delivery") {
            ++local;
            QCOMPARE(d.status, DeliveryStatus::Sent);
        }
    }
    // info@lab.test to alice and bob, bob's mail from root, the bounces to alice and bob; with
    // +received_recipients (4.98.2's run) also bob@lab.test, which Exim delivered with info's bob.
    const bool envelopeLogged = version != u"4.96"_s;
    QCOMPARE(local, envelopeLogged ? 6 : 5);
    QCOMPARE(mainlog.stats.sent, envelopeLogged ? 10 : 9);
    for (const StatsCount &domain : mainlog.stats.topRecipientDomains)
        QVERIFY2(domain.key.empty() || domain.key.find('.') != std::string::npos, domain.key.c_str());
    // flaky@remote.test: deferred, "retry time not reached" (not tried), then sent: two tries.
    const auto flaky = std::find_if(mainlog.deliveries.begin(), mainlog.deliveries.end(),
                                    [](const DeliveryRow &d) { return d.recipient == "flaky@remote.test"; });
    QVERIFY(flaky != mainlog.deliveries.end());
    QCOMPARE(flaky->attempts, 2);
    QCOMPARE(mainlog.flakyTries.size(), 3u);
    QCOMPARE(mainlog.flakyTries.at(1).status, DeliveryStatus::Deferred);
    QCOMPARE(mainlog.flakyTries.at(1).replyText, std::string("retry time not reached"));
    QVERIFY(!mainlog.flakyTries.at(1).counted);
    QVERIFY(mainlog.flakyTries.at(0).counted);
    QVERIFY(mainlog.flakyTries.at(2).counted);
}

// A message Exim froze stays "held" until it is thawed or removed. The run's frozen message was
// removed by hand: its lines up to the freeze are a log that ends while it is frozen.
void TestEximLogSet::frozenIsHeld()
{
    QFile full(QString::fromStdString(golden(u"4.98.2"_s, "mainlog")));
    QVERIFY(full.open(QIODevice::ReadOnly));
    QByteArray head;
    while (!full.atEnd()) {
        const QByteArray line = full.readLine();
        head += line;
        if (line.contains(" Frozen (delivery error message)"))
            break;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(u"mainlog"_s);
    QFile cut(path);
    QVERIFY(cut.open(QIODevice::WriteOnly) && cut.write(head) == head.size());
    cut.close();
    const Imported frozen = importSet({path.toStdString()});
    QCOMPARE(frozen.held.size(), 1u);
    QCOMPARE(frozen.held.front().queueId, std::string("1xZDje-000000005yR-1Ngy"));
    // Thawed, then removed: no longer held.
    QCOMPARE(importSet({golden(u"4.98.2"_s, "mainlog")}).held.size(), 0u);
}

void TestEximLogSet::everyEnvelopeRecipientHasARow_data()
{
    QTest::addColumn<QString>("log");
    QTest::newRow("mainlog") << u"mainlog"_s;
    QTest::newRow("syslog") << u"syslog"_s;
}

// "<= alice@lab.test ... for bob@lab.test info@lab.test": info@lab.test is an alias of alice and
// bob, so Exim delivers to bob once, "=> bob <info@lab.test>", and writes no line for the envelope
// recipient bob@lab.test. It is a recipient all the same, delivered by that line.
void TestEximLogSet::everyEnvelopeRecipientHasARow()
{
    QFETCH(QString, log);
    const Imported set = importSet({golden(u"4.98.2"_s, log.toLatin1().constData())});
    std::vector<DeliveryRow> rows;
    for (const DeliveryRow &d : set.deliveries) {
        if (d.queueId == "1xZDjI-000000005nk-0wGM")
            rows.push_back(d);
    }
    std::sort(rows.begin(), rows.end(), [](const DeliveryRow &a, const DeliveryRow &b) { return a.recipient < b.recipient; });
    QCOMPARE(rows.size(), 3u);
    // The alias's two deliveries name where they went and the envelope recipient they were of,
    // as Postfix's orig_to=; bob@lab.test was reached as itself.
    QCOMPARE(rows[0].recipient, std::string("alice"));
    QCOMPARE(rows[0].origRecipient, std::string("info@lab.test"));
    QCOMPARE(rows[1].recipient, std::string("bob"));
    QCOMPARE(rows[1].origRecipient, std::string("info@lab.test"));
    QCOMPARE(rows[2].recipient, std::string("bob@lab.test"));
    QCOMPARE(rows[2].origRecipient, std::string());
    for (const DeliveryRow &d : rows) {
        QCOMPARE(d.status, DeliveryStatus::Sent);
        QCOMPARE(d.relay, std::string("local_delivery"));
    }
    // One try made both deliveries, and its line is info@'s: it is counted there, once.
    QCOMPARE(rows[0].attempts, 1);
    QCOMPARE(rows[1].attempts, 1);
    QCOMPARE(rows[2].attempts, 0);
    // Delivered when info's bob was, not when the message arrived.
    QCOMPARE(rows[2].lastSeenMs, rows[1].lastSeenMs);
    if (log == u"mainlog"_s)  // in milliseconds; syslog's seconds are the arrival's
        QVERIFY(rows[2].lastSeenMs > rows[2].firstSeenMs);
    // The other messages of the run: a recipient named by the arrival and by its own lines has
    // one row, not two.
    std::vector<std::string> keys;
    for (const DeliveryRow &d : set.deliveries)
        keys.push_back(d.queueId + ' ' + d.recipient);
    std::sort(keys.begin(), keys.end());
    // Nor has the alias two rows of one name (both were "info@lab.test").
    QCOMPARE(std::adjacent_find(keys.begin(), keys.end()) - keys.begin(), static_cast<std::ptrdiff_t>(keys.size()));
}

QTEST_GUILESS_MAIN(TestEximLogSet)
#include "tst_eximlogset.moc"
