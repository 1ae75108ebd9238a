// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The statistics the imports keep (StatsSnapshot): used for the whole cache only while they
// describe it; an import undone, a follow's batches, a cache changed behind them: the numbers are
// those of the rows.
#include "cache/statsqueries.h"
#include "cache/statssnapshot.h"
#include "cache/statstally.h"
#include "ingest/followstate.h"
#include "testlogs.h"

#include <zlib.h>

#include <QTest>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {

// Every number of a Stats, one per line: what two summaries are compared by.
QString dump(const Stats &s)
{
    QString out;
    auto line = [&out](const QString &text) { out += text + u'\n'; };
    line(u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(s.messagesAll).arg(s.received).arg(s.recipients).arg(s.sent).arg(s.deferred)
             .arg(s.bounced).arg(s.expired).arg(s.rejected).arg(s.queuedRecipients));
    line(u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(s.deferredMessages).arg(s.deferrals).arg(s.stillQueued).arg(s.bytesReceived)
             .arg(s.deliveredTries).arg(s.bytesDelivered).arg(s.senders).arg(s.senderDomains).arg(s.recipientsDelivered));
    line(u"%1 %2 %3 %4 %5 %6"_s.arg(s.recipientDomains).arg(s.authFailures).arg(s.peakHour).arg(s.delayMedianSec)
             .arg(s.delayP95Sec).arg(s.delaySamples));
    line(u"fates %1 %2 %3 %4, sent without a line %5"_s.arg(s.held).arg(s.discarded).arg(s.abandoned).arg(s.deleted)
             .arg(s.sentWithoutLine));
    for (const StatsHour &h : s.byHour)
        line(u"hour %1 %2 %3 %4 %5"_s.arg(h.received).arg(h.delivered).arg(h.deferred).arg(h.bounced).arg(h.rejected));
    for (const StatsDay &d : s.byDay)
        line(u"day %1 %2 %3 %4 %5 %6 %7"_s.arg(QString::fromStdString(d.day)).arg(d.startMs).arg(d.utcOffsetSec)
                 .arg(d.counts.received).arg(d.counts.delivered).arg(d.counts.deferred).arg(d.counts.bounced));
    for (const auto *list : {&s.topSenders, &s.topSenderDomains, &s.topRecipientDomains, &s.topRelays,
                             &s.problemRecipientDomains, &s.problemRelays}) {
        for (const StatsCount &c : *list)
            line(u"count %1 %2 %3 %4"_s.arg(QString::fromStdString(c.key)).arg(c.count).arg(c.problems).arg(c.bytes));
    }
    for (const StatsReason &r : s.reasons)
        line(u"reason %1 %2 %3 %4 %5 %6 %7 %8"_s.arg(QString::fromStdString(r.status), QString::fromStdString(r.host))
                 .arg(r.replyCode).arg(QString::fromStdString(r.dsn), QString::fromStdString(r.text)).arg(r.count)
                 .arg(r.firstMs).arg(r.lastMs));
    for (const auto *list : {&s.rejectsByReason, &s.rejectsByClient, &s.relayDenials, &s.rblHits, &s.connectivity}) {
        for (const StatsSource &c : *list)
            line(u"source %1 %2 %3 %4 %5"_s.arg(QString::fromStdString(c.key), QString::fromStdString(c.detail)).arg(c.count)
                     .arg(c.firstMs).arg(c.lastMs));
    }
    return out;
}

} // namespace

class TestStatsSnapshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void encodedTallyReadsBack();
    void staleIsNotUsed();
    void undoneImport();
    void cancelledImport();
    void reread();
    void killedImport();
    void followBatches();
    void manyImportsKeepTheFirstPart();
    void chainOpenAcrossImports();
    void partsAreStoredCompressed();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Cache> m_cache;
    std::string path() const { return m_dir->filePath(u"c.sqlite"_s).toStdString(); }
    // The whole cache's summary, and what it was counted from.
    QString compute(StatsQueries::Source expected, bool fromRows = false);
};

void TestStatsSnapshot::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_cache = std::make_unique<Cache>();
    QVERIFY(m_cache->open(path()));
}

void TestStatsSnapshot::cleanup()
{
    m_cache.reset();
}

QString TestStatsSnapshot::compute(StatsQueries::Source expected, bool fromRows)
{
    StatsQueries queries(*m_cache);
    queries.setFromRows(fromRows);
    Stats s;
    if (!queries.compute(Filter{}, s))
        qWarning("%s", queries.error().c_str());
    if (queries.source() != expected)
        qWarning("counted from %s", queries.source() == StatsQueries::Source::Rows ? "the rows" : "the kept numbers");
    return queries.source() == expected ? dump(s) : u"counted from the other source"_s;
}

// Every group survives the way through bytes: a tally of rows, written and read back, finishes to
// the same numbers.
void TestStatsSnapshot::encodedTallyReadsBack()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("amavis-and-milters.log") + flow("expired.log") +
                                                                        flow("noqueue-reject.log") + flow("sasl-failures.log"))})
                .ok());
    sql::Database db;
    db.open(path());
    StatsTally counted(10), read(10);
    countStatsRows(db, Filter{}, counted, nullptr);
    QVERIFY(StatsSnapshot::decode(StatsSnapshot::encode(counted), read));
    Stats a, b;
    counted.finish(a);
    read.finish(b);
    QVERIFY(a.messagesAll > 0 && a.rejected > 0 && !a.reasons.empty());
    QCOMPARE(dump(b), dump(a));
    // Cut short, it is refused rather than read as fewer numbers.
    const std::string bytes = StatsSnapshot::encode(counted);
    StatsTally cut(10);
    QVERIFY(!StatsSnapshot::decode(std::string_view(bytes).substr(0, bytes.size() / 2), cut));
}

void TestStatsSnapshot::staleIsNotUsed()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("deferred-then-sent.log") + flow("expired.log") +
                                                                        flow("bounce-with-notification.log"))})
                .ok());
    const QString whole = compute(StatsQueries::Source::Snapshot);
    QCOMPARE(whole, compute(StatsQueries::Source::Rows, true));
    const auto messages = [](const QString &dump) { return dump.section(u' ', 0, 0).toLongLong(); };
    QVERIFY(messages(whole) > 3);

    // Numbers that still name the cache's state are read as they are: kept ones of nothing at all
    // leave only the open messages.
    sql::Database db;
    db.open(path());
    sql::Statement(db, "UPDATE stats_snapshot SET counter = ?").bindBlob(1, StatsSnapshot::encode(StatsTally(0))).run();
    const QString none = compute(StatsQueries::Source::Snapshot);
    QVERIFY2(messages(none) < messages(whole), qPrintable(none.left(40)));

    // Another import run (one that was undone, say): the kept numbers no longer describe the cache,
    // and the rows are counted, and kept again.
    db.exec("UPDATE meta SET value = value + 1 WHERE key = 'last_run'");
    QCOMPARE(compute(StatsQueries::Source::Rows), whole);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), whole);

    // Kept by a build that counted differently (format 1 counted only final deferrals in the
    // reasons, format 2 keyed reasons by texts with digits masked and transports as destinations,
    // format 3 kept no held, discarded, abandoned or deleted messages nor RBL rejects by list):
    // not read, the rows are counted and kept again in today's format.
    for (const char *older : {"X'01'", "X'02'", "X'03'"}) {
        db.exec((std::string("UPDATE stats_snapshot SET counter = ") + older + " || substr(counter, 2)").c_str());
        QCOMPARE(compute(StatsQueries::Source::Rows), whole);
        QCOMPARE(compute(StatsQueries::Source::Snapshot), whole);
    }

    // A row deleted behind its back.
    db.exec("DELETE FROM deliveries WHERE message_id = (SELECT max(id) FROM messages); "
            "DELETE FROM messages WHERE id = (SELECT max(id) FROM messages)");
    const QString fewer = compute(StatsQueries::Source::Rows);
    QVERIFY(fewer != whole);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), fewer);

    // Without the table (a cache of a build before), the rows.
    db.exec("DROP TABLE stats_snapshot");
    QCOMPARE(compute(StatsQueries::Source::Rows), fewer);
}

// An import undone (a reread cancelled) leaves the cache as it was, and its run taken.
void TestStatsSnapshot::undoneImport()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("deferred-then-sent.log") + flow("expired.log"))}).ok());
    const QString before = compute(StatsQueries::Source::Snapshot);
    // A log of a year before: every log is read again, in time order; cancelled, nothing is kept.
    const std::string older = write(*m_dir, u"mail.log.1"_s, repeatedFlow("deferred-then-sent.log", 4000, {{"4F2A81C0123", 0x10000000000LL}}));
    utimbuf lastYear{FlowMtime - 365 * 86400, FlowMtime - 365 * 86400};
    ::utime(older.c_str(), &lastYear);
    ImportOptions cancel;
    cancel.isCancelled = [] { return true; };
    const ImportSummary undone = Ingestor::import(*m_cache, {older}, cancel);
    QVERIFY(undone.undone);
    QCOMPARE(compute(StatsQueries::Source::Rows), before);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), before);
}

// Cancelled in its log (not a reread), an import keeps what it read: its numbers too.
void TestStatsSnapshot::cancelledImport()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"a.log"_s, flow("expired.log"))}).ok());
    const std::string big = write(*m_dir, u"mail.log"_s, repeatedFlow("deferred-then-sent.log", 4000, {{"4F2A81C0123", 0x10000000000LL}}));
    ImportOptions cancel;
    cancel.isCancelled = [] { return true; };
    const ImportSummary cancelled = Ingestor::import(*m_cache, {big}, cancel);
    QVERIFY(cancelled.cancelled && !cancelled.undone && cancelled.messages > 0);
    const QString partial = compute(StatsQueries::Source::Snapshot);
    QCOMPARE(partial, compute(StatsQueries::Source::Rows, true));
    QVERIFY(Ingestor::import(*m_cache, {big}).ok());
    const QString whole = compute(StatsQueries::Source::Snapshot);
    QVERIFY(whole != partial);
    QCOMPARE(whole, compute(StatsQueries::Source::Rows, true));
}

// An older log read after a newer one: every log is read again, and the numbers start anew.
void TestStatsSnapshot::reread()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("deferred-then-sent.log") + flow("expired.log"))}).ok());
    const QString newer = compute(StatsQueries::Source::Snapshot);
    const std::string older = write(*m_dir, u"mail.log.1"_s, flow("deferred-then-sent.log") + flow("amavis-and-milters.log"));
    utimbuf lastYear{FlowMtime - 365 * 86400, FlowMtime - 365 * 86400};
    ::utime(older.c_str(), &lastYear);
    const ImportSummary both = Ingestor::import(*m_cache, {older});
    QVERIFY(both.ok() && !both.undone);
    QVERIFY(std::any_of(both.files.begin(), both.files.end(), [](const FileImport &f) { return f.action == FileImport::Action::Reread; }));
    const QString whole = compute(StatsQueries::Source::Snapshot);
    QVERIFY(whole != newer);
    QCOMPARE(whole, compute(StatsQueries::Source::Rows, true));
}

// A killed import: its rows are deleted when the cache is opened next, its run stays taken.
void TestStatsSnapshot::killedImport()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("expired.log") + flow("deferred-then-sent.log"))}).ok());
    const QString before = compute(StatsQueries::Source::Snapshot);
    m_cache.reset();
    {
        sql::Database db;
        db.open(path());
        db.exec("UPDATE meta SET value = value + 1 WHERE key = 'last_run';"
                "INSERT INTO files(path, head_hash, head_len, size, mtime, compressed, import_run) "
                "VALUES('/var/log/half.log', 1, 1, 10, 0, 0, (SELECT value FROM meta WHERE key = 'last_run'));"
                "INSERT INTO messages(host_id, queue_id, first_seen, last_seen, utc_offset, state, open, origin, "
                "file_id, run, rcpt_count, attempts) VALUES(1, 'HALF1', 0, 0, 0, 1, 0, 1, last_insert_rowid(), "
                "(SELECT value FROM meta WHERE key = 'last_run'), 0, 0);");
    }
    m_cache = std::make_unique<Cache>();
    QVERIFY(m_cache->open(path()));
    QCOMPARE(compute(StatsQueries::Source::Rows), before);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), before);
}

// A follow writes what is still open at the end of each batch, and rewrites it in the next.
void TestStatsSnapshot::followBatches()
{
    const QByteArray all = flow("amavis-and-milters.log") + flow("deferred-then-sent.log") + flow("amavis-hops-late-lmtp.log") +
        flow("partial-reject-and-forward.log");
    FollowState carry;
    std::string log;
    qsizetype at = 0;
    int batches = 0;
    while (at < all.size()) {
        qsizetype end = at;
        // A line a batch: many more batches than parts are kept before they are merged (16); not
        // every batch closes a message and adds one.
        for (int i = 0; i < 1 && end >= 0 && end < all.size(); ++i)
            end = all.indexOf('\n', end) + 1;
        if (end <= 0)
            end = all.size();
        log = write(*m_dir, u"mail.log"_s, all.mid(at, end - at), at > 0);
        QVERIFY(Ingestor::import(*m_cache, {log}, {}, {}, {}, carry).ok());
        at = end;
        ++batches;
    }
    QVERIFY(batches > 3 * 16);
    const QString rows = compute(StatsQueries::Source::Rows, true);
    StatsQueries queries(*m_cache);
    Stats s;
    QVERIFY(queries.compute(Filter{}, s));
    QCOMPARE(dump(s), rows);
    // Whatever the batches left, the summary after keeps them.
    QCOMPARE(compute(StatsQueries::Source::Snapshot), rows);
}

// A follow (or many small imports) after a big first import: the parts after the first are merged
// among themselves, and the first, which holds most of the groups, is not read and written again.
void TestStatsSnapshot::manyImportsKeepTheFirstPart()
{
    QVERIFY(Ingestor::import(*m_cache, {MAILTRAIL_TEST_DATA "/../../resources/sample/mail.log"}).ok());
    sql::Database db;
    db.open(path());
    auto firstPart = [&db] {
        sql::Statement st(db, "SELECT counter FROM stats_snapshot ORDER BY part LIMIT 1");
        return st.step() ? std::string(st.blob(0)) : std::string();
    };
    const std::string first = firstPart();
    QVERIFY(!first.empty());
    // A year after the sample: each log continues the cache (an older one would be read again
    // with the rest, in time order, and start the parts anew).
    ImportOptions nextYear;
    nextYear.year = 2027;
    for (int i = 0; i < 16; ++i) {
        const std::string log = write(*m_dir, u"small%1.log"_s.arg(i), flow("deferred-then-sent.log"), false);
        QVERIFY(Ingestor::import(*m_cache, {log}, nextYear).ok());
    }
    int parts = 0;
    StatsTally all(0);
    QVERIFY(StatsSnapshot::load(db, StatsSnapshot::current(db), all, &parts));
    QCOMPARE(parts, 2);
    QVERIFY(firstPart() == first);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), compute(StatsQueries::Source::Rows, true));
}

// A content filter's later hop still open when an import ends (deferred, or the log rotated between
// the hand-over and the delivery) is written by the next import: that import still keeps its
// numbers (the hop counted from its rows, its delay from its chain's arrival), or every summary
// after it would read the rows.
void TestStatsSnapshot::chainOpenAcrossImports()
{
    const QByteArray all = flow("amavis-and-milters.log");
    // After the first hop is removed and before the later hop 7B2C3D4E5F delivers (line 17).
    qsizetype split = 0;
    for (int line = 0; line < 16; ++line)
        split = all.indexOf('\n', split) + 1;
    QVERIFY(all.mid(split).startsWith("Nov 24 10:00:05 mx1 postfix/smtp[5105]: 7B2C3D4E5F: to=<dave"));
    // Rotated between the two: the second import finds the hop open in the cache.
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log.1"_s, all.left(split))}).ok());
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, all.mid(split))}).ok());
    const QString kept = compute(StatsQueries::Source::Snapshot);
    QCOMPARE(kept, compute(StatsQueries::Source::Rows, true));
}

// A part is stored compressed by zstd; one written raw or deflated by zlib, as earlier builds did,
// is read all the same; one damaged inside its compressed bytes is not read as other numbers.
void TestStatsSnapshot::partsAreStoredCompressed()
{
    QVERIFY(Ingestor::import(*m_cache, {write(*m_dir, u"mail.log"_s, flow("amavis-and-milters.log") + flow("expired.log") +
                                                                        flow("noqueue-reject.log") + flow("sasl-failures.log"))})
                .ok());
    const QString whole = compute(StatsQueries::Source::Snapshot);
    QCOMPARE(whole, compute(StatsQueries::Source::Rows, true));
    sql::Database db;
    db.open(path());
    std::string stored;
    {
        sql::Statement st(db, "SELECT counter FROM stats_snapshot ORDER BY part LIMIT 1");
        QVERIFY(st.step());
        stored = std::string(st.blob(0));
    }
    QVERIFY(!stored.empty());
    QCOMPARE(static_cast<unsigned char>(stored.front()), 0xfeu);
    StatsTally read(10);
    QVERIFY(StatsSnapshot::decode(stored, read));
    const auto replace = [&db](const std::string &counter) {
        sql::Statement set(db, "UPDATE stats_snapshot SET counter = ? WHERE part = (SELECT min(part) FROM stats_snapshot)");
        set.bindBlob(1, counter).run();
    };
    // A stored part with a byte of its compressed data damaged: the statistics come from the rows.
    const auto refusedDamaged = [&](const std::string &part) {
        std::string damaged = part;
        damaged[damaged.size() - 6] = static_cast<char>(damaged[damaged.size() - 6] ^ 0x5a);
        replace(damaged);
        QCOMPARE(compute(StatsQueries::Source::Rows), whole);
        StatsTally none(10);
        QVERIFY(!StatsSnapshot::decode(damaged, none));
    };
    const std::string raw = StatsSnapshot::encode(read);
    replace(raw);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), whole);
    // Deflated, as builds before session 27 stored it: 0xff, the raw size as a varint, zlib's stream.
    std::string deflated(1, '\xff');
    for (std::size_t v = raw.size();; v >>= 7) {
        deflated.push_back(static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
        if (v < 0x80)
            break;
    }
    {
        uLongf length = compressBound(static_cast<uLong>(raw.size()));
        std::string stream(length, '\0');
        QCOMPARE(compress2(reinterpret_cast<Bytef *>(stream.data()), &length, reinterpret_cast<const Bytef *>(raw.data()),
                           static_cast<uLong>(raw.size()), Z_BEST_SPEED),
                 Z_OK);
        deflated += stream.substr(0, length);
    }
    replace(deflated);
    QCOMPARE(compute(StatsQueries::Source::Snapshot), whole);
    refusedDamaged(deflated);
    if (QTest::currentTestFailed())
        return;
    // One that claims a size far beyond its bytes (a damaged header) is refused, not allocated.
    {
        std::size_t body = 1;
        while (body < stored.size() && (static_cast<unsigned char>(stored[body]) & 0x80))
            ++body;
        std::string huge = std::string(1, stored.front()) + "\x80\x80\x80\x80\x80\x80\x80\x80\x01" + stored.substr(body + 1);
        StatsTally none(10);
        QVERIFY(!StatsSnapshot::decode(huge, none));
    }
    refusedDamaged(stored);
    if (QTest::currentTestFailed())
        return;
    StatsTally none(10);
    // Cut short, or with bytes after its frame: refused too.
    QVERIFY(!StatsSnapshot::decode(stored.substr(0, stored.size() - 1), none));
    QVERIFY(!StatsSnapshot::decode(stored + '\0', none));
}

QTEST_GUILESS_MAIN(TestStatsSnapshot)
#include "tst_statssnapshot.moc"
