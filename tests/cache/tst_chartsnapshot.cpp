// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The unfiltered status chart from the numbers the imports keep (StatsSnapshot's parts): the same
// cells, in every stacking and in the views of chains and of every hop, as counted from the rows,
// on every real log, on logs imported in two parts (messages continued, chains whose hops are in
// different imports, late verdicts), and on a chain deferred at each hop; the rows again whenever
// the kept numbers do not describe the cache.
#include "cache/charttally.h"
#include "cache/statssnapshot.h"
#include "deferredhops.h"
#include "testlogs.h"

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

QStringList listed(const ChartData &data)
{
    QStringList out;
    for (const ChartCell &c : data.cells)
        out << u"%1 %2=%3"_s.arg(c.minute).arg(QString::fromStdString(c.key)).arg(c.count);
    return out;
}

QString golden(const QString &name)
{
    return QStringLiteral(MAILTRAIL_TEST_DATA "/") + name.section(u'/', 0, 0) + u"/golden/"_s + name.section(u'/', 1) +
        u".log"_s;
}

constexpr ChartGroup Groups[] = {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode};

} // namespace

class TestChartSnapshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void sameAsRows_data();
    void sameAsRows();
    void twoParts_data();
    void twoParts();
    void chainDeferredAtEachHop_data();
    void chainDeferredAtEachHop();
    void keptNumbersAreRead();
    void rowsWithoutTheChartsTries();
    void rowsAfterARowDeleted();
    void filterCountsRows();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Cache> m_cache;
    bool open();
    void tamper(const char *sql);
    bool import(const QString &path);
    // Every stacking, in both views, from the kept numbers and from the rows: the same cells.
    void compareWithRows(bool expectKept = true);
};

void TestChartSnapshot::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_cache = std::make_unique<Cache>();
}

// A change of the file behind the cache's back, through a connection of its own.
void TestChartSnapshot::tamper(const char *sql)
{
    sql::Database db;
    db.open(m_dir->filePath(u"c.sqlite"_s).toStdString());
    db.exec(sql);
}

bool TestChartSnapshot::open()
{
    return m_cache->open(m_dir->filePath(u"c.sqlite"_s).toStdString());
}

bool TestChartSnapshot::import(const QString &path)
{
    ImportOptions options;
    options.year = 2026;
    return Ingestor::import(*m_cache, {path.toStdString()}, options).ok();
}

void TestChartSnapshot::compareWithRows(bool expectKept)
{
    int cells = 0;
    for (ChartGroup group : Groups) {
        for (bool chains : {true, false}) {
            Filter all;
            all.chains = chains;
            const ChartData kept = m_cache->chartData(all, group);
            QVERIFY2(kept.ok(), kept.error.c_str());
            QCOMPARE(kept.fromKept, expectKept);
            const ChartData rows = m_cache->chartData(all, group, true);
            QVERIFY2(rows.ok(), rows.error.c_str());
            QVERIFY(!rows.fromKept);
            QCOMPARE(listed(kept), listed(rows));
            cells += static_cast<int>(rows.cells.size());
        }
    }
    QVERIFY(cells > 0);
}

void TestChartSnapshot::sameAsRows_data()
{
    addRealLogRows();
}

void TestChartSnapshot::sameAsRows()
{
    QFETCH(QString, log);
    QVERIFY(importOne(*m_cache, *m_dir, log));
    compareWithRows();
}

void TestChartSnapshot::twoParts_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<double>("cut");  // where the first part ends, as a share of the lines
    const QString sample = QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log");
    QTest::newRow("sample, half") << sample << 0.5;
    QTest::newRow("sample, a third") << sample << 0.33;
    // A content filter: hops of one chain in both parts.
    QTest::newRow("content filter, half") << golden(u"postfix/postfix-3.10.13-filter"_s) << 0.5;
    QTest::newRow("content filter, a quarter") << golden(u"postfix/postfix-3.10.13-filter"_s) << 0.25;
    // dovecot's and opendkim's lines after Postfix's: late verdicts amend stored rows.
    QTest::newRow("companions, half") << golden(u"postfix/postfix-3.10.13-companions"_s) << 0.5;
    QTest::newRow("exim, half") << golden(u"exim/exim-4.98.2-mainlog"_s) << 0.5;
}

// The log grows between two imports: the messages open at the end of the first are continued by
// the second, which appends a part.
void TestChartSnapshot::twoParts()
{
    QFETCH(QString, log);
    QFETCH(double, cut);
    const QByteArray all = readAll(log);
    const int lines = static_cast<int>(all.count('\n'));
    qsizetype at = 0;
    for (int i = 0; i < static_cast<int>(lines * cut); ++i)
        at = all.indexOf('\n', at) + 1;
    QVERIFY(at > 0 && at < all.size());
    const std::string path = write(*m_dir, u"mail.log"_s, all.left(at));
    QVERIFY(open());
    QVERIFY(import(QString::fromStdString(path)));
    write(*m_dir, u"mail.log"_s, all.mid(at), true);
    QVERIFY(import(QString::fromStdString(path)));
    compareWithRows();
}

void TestChartSnapshot::chainDeferredAtEachHop_data()
{
    QTest::addColumn<bool>("twoImports");
    QTest::newRow("one import") << false;
    QTest::newRow("a hop in each") << true;
}

// A message deferred before its hand-over to the content filter and again after it: the first
// hop's deferral is a try of the hand-over, which only the view of every hop counts.
void TestChartSnapshot::chainDeferredAtEachHop()
{
    QFETCH(bool, twoImports);
    const QByteArray log = withDeferredTryAtEachHop(flow("amavis-and-milters.log"));
    QVERIFY(!log.isEmpty());
    const qsizetype cut = twoImports ? log.indexOf("Nov 24 10:00:04") : log.size();
    const std::string path = write(*m_dir, u"mail.log"_s, log.left(cut));
    QVERIFY(open());
    QVERIFY(import(QString::fromStdString(path)));
    if (twoImports) {
        write(*m_dir, u"mail.log"_s, log.mid(cut), true);
        QVERIFY(import(QString::fromStdString(path)));
    }
    compareWithRows();
    Filter hops;
    hops.chains = false;
    Filter chains;
    chains.chains = true;
    const auto deferred = [](const ChartData &data) {
        std::int64_t n = 0;
        for (const ChartCell &c : data.cells)
            n += c.key == "deferred" ? c.count : 0;
        return n;
    };
    QCOMPARE(deferred(m_cache->chartData(hops, ChartGroup::Outcome)), 2);
    QCOMPARE(deferred(m_cache->chartData(chains, ChartGroup::Outcome)), 1);
}

// The chart reads the kept numbers: emptied behind its back, only the open messages' tries are left.
void TestChartSnapshot::keptNumbersAreRead()
{
    QVERIFY(importOne(*m_cache, *m_dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")));
    const ChartData before = m_cache->chartData({}, ChartGroup::Outcome);
    QVERIFY(before.fromKept && !before.cells.empty());
    {
        sql::Database db;
        db.open(m_dir->filePath(u"c.sqlite"_s).toStdString());
        sql::Statement empty(db, "UPDATE stats_snapshot SET chart = ?");
        empty.bindBlob(1, StatsSnapshot::encodeChart(ChartKept{}));
        empty.run();
    }
    const ChartData emptied = m_cache->chartData({}, ChartGroup::Outcome);
    QVERIFY(emptied.fromKept);
    std::int64_t tries = 0, openTries = 0;
    for (const ChartCell &c : before.cells)
        tries += c.count;
    for (const ChartCell &c : emptied.cells)
        openTries += c.count;
    QVERIFY2(openTries < tries, qPrintable(u"%1 of %2"_s.arg(openTries).arg(tries)));
}

// Parts without the chart's tries (written by a summary that counted the rows, or by an older
// build, whose table has no column for them) leave the chart to the rows, which give the same
// answer and are then kept beside the parts: the next chart reads them.
void TestChartSnapshot::rowsWithoutTheChartsTries()
{
    QVERIFY(importOne(*m_cache, *m_dir, golden(u"postfix/postfix-3.10.13-companions"_s)));
    compareWithRows(true);
    for (const char *older : {"UPDATE stats_snapshot SET chart = NULL", "ALTER TABLE stats_snapshot DROP COLUMN chart"}) {
        tamper(older);
        const ChartData rows = m_cache->chartData({}, ChartGroup::EnhancedCode);
        QVERIFY(rows.ok() && !rows.fromKept);
        QCOMPARE(listed(rows), listed(m_cache->chartData({}, ChartGroup::EnhancedCode, true)));
        compareWithRows(true);
    }
    // An import that adds a part to those: the parts all hold the chart's tries.
    tamper("UPDATE stats_snapshot SET chart = NULL");
    QVERIFY(import(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")));
    QVERIFY(!m_cache->chartData({}, ChartGroup::Outcome).fromKept);
    compareWithRows(true);
}

// A row deleted behind the kept numbers: they describe another cache, and the rows are counted.
void TestChartSnapshot::rowsAfterARowDeleted()
{
    QVERIFY(importOne(*m_cache, *m_dir, golden(u"postfix/postfix-3.10.13-filter"_s)));
    compareWithRows(true);
    tamper("DELETE FROM messages WHERE id = (SELECT max(id) FROM messages)");
    compareWithRows(false);
}

// A filter, even one that keeps every row, counts the rows.
void TestChartSnapshot::filterCountsRows()
{
    QVERIFY(importOne(*m_cache, *m_dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")));
    Filter wide;
    wide.sinceMs = 0;
    const ChartData filtered = m_cache->chartData(wide, ChartGroup::ReplyCode);
    QVERIFY(!filtered.fromKept);
    const ChartData whole = m_cache->chartData({}, ChartGroup::ReplyCode);
    QVERIFY(whole.fromKept);
    QCOMPARE(listed(filtered), listed(whole));
}

QTEST_GUILESS_MAIN(TestChartSnapshot)
#include "tst_chartsnapshot.moc"
