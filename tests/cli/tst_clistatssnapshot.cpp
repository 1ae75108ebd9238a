// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli stats over the whole cache, from the numbers the imports kept: the same JSON, byte
// for byte, as counted from the rows (--from-rows), on every golden log, and on logs imported in
// two parts (messages continued, chains whose hops are in different imports, late verdicts).
#include "clirun.h"
#include "../cache/deferredhops.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {

constexpr time_t December2026 = 1796428800;  // 2026-12-05: the golden logs' year
constexpr time_t November2026 = 1795348800;  // 2026-11-22: the sample's and the flows' year

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

void setMtime(const QString &path, time_t when)
{
    utimbuf times{when, when};
    ::utime(path.toLocal8Bit().constData(), &times);
}

// A golden log ("postfix/expired") or the sample, and the time that gives it its year.
std::pair<QString, time_t> source(const QString &name)
{
    if (name == u"sample"_s)
        return {QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), November2026};
    return {QStringLiteral(MAILTRAIL_TEST_DATA "/") + name.section(u'/', 0, 0) + u"/golden/"_s + name.section(u'/', 1) +
                u".log"_s,
            December2026};
}

} // namespace

class TestCliStatsSnapshot : public QObject
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
    void filterCountsRows();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
    void import(const QString &log);
    // The JSON of stats and what it said it counted from.
    std::pair<QByteArray, QByteArray> stats(const QStringList &args);
    void compareWithRows(const QString &parts);
};

void TestCliStatsSnapshot::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCliStatsSnapshot::import(const QString &log)
{
    const Run r = cli({u"import"_s, u"--cache"_s, cache(), log});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

std::pair<QByteArray, QByteArray> TestCliStatsSnapshot::stats(const QStringList &args)
{
    const Run r = cli(QStringList{u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--verbose"_s} + args);
    if (r.exitCode != 0)
        qWarning("%s", r.err.constData());
    return {r.out, r.err.trimmed()};
}

// The kept numbers were used (`parts` of them), and give what the rows give: with every group
// listed, and with the default lists.
void TestCliStatsSnapshot::compareWithRows(const QString &parts)
{
    for (const QStringList &limit : {QStringList(), QStringList{u"--limit"_s, u"1000000"_s}}) {
        const auto [kept, keptSource] = stats(limit);
        QCOMPARE(QString::fromUtf8(keptSource),
                 u"counted from the numbers kept by the imports (%1 parts) and the open messages' rows"_s.arg(parts));
        const auto [rows, rowsSource] = stats(limit + QStringList{u"--from-rows"_s});
        QCOMPARE(rowsSource, QByteArray("counted from the rows"));
        QVERIFY(kept.size() > 100);
        QCOMPARE(kept, rows);
    }
}

void TestCliStatsSnapshot::sameAsRows_data()
{
    QTest::addColumn<QString>("log");
    QTest::newRow("sample") << u"sample"_s;
    for (const QString &format : {u"postfix"_s, u"exim"_s, u"sendmail"_s}) {
        const QDir golden(QStringLiteral(MAILTRAIL_TEST_DATA "/") + format + u"/golden"_s);
        for (const QString &file : golden.entryList({u"*.log"_s}, QDir::Files, QDir::Name)) {
            const QString name = format + u'/' + file.chopped(4);
            QTest::newRow(qPrintable(name)) << name;
        }
    }
}

void TestCliStatsSnapshot::sameAsRows()
{
    QFETCH(QString, log);
    const auto [from, mtime] = source(log);
    const QString path = writeFile(*m_dir, u"mail.log"_s, readAll(from));
    setMtime(path, mtime);
    import(path);
    compareWithRows(u"1"_s);
}

void TestCliStatsSnapshot::twoParts_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<double>("cut");  // where the first part ends, as a share of the lines
    QTest::newRow("sample, half") << u"sample"_s << 0.5;
    QTest::newRow("sample, a third") << u"sample"_s << 0.33;
    // A content filter: hops of one chain in both parts.
    QTest::newRow("content filter, half") << u"postfix/postfix-3.10.13-filter"_s << 0.5;
    QTest::newRow("content filter, a quarter") << u"postfix/postfix-3.10.13-filter"_s << 0.25;
    // dovecot's and opendkim's lines after Postfix's: late verdicts amend stored rows.
    QTest::newRow("companions, half") << u"postfix/postfix-3.10.13-companions"_s << 0.5;
    QTest::newRow("exim, half") << u"exim/exim-4.98.2-mainlog"_s << 0.5;
}

// The log grows between two imports: the messages open at the end of the first are continued by
// the second, which appends a part.
void TestCliStatsSnapshot::twoParts()
{
    QFETCH(QString, log);
    QFETCH(double, cut);
    const auto [from, mtime] = source(log);
    const QByteArray all = readAll(from);
    const int lines = static_cast<int>(all.count('\n'));
    qsizetype at = 0;
    for (int i = 0; i < static_cast<int>(lines * cut); ++i)
        at = all.indexOf('\n', at) + 1;
    QVERIFY(at > 0 && at < all.size());
    const QString path = writeFile(*m_dir, u"mail.log"_s, all.left(at));
    setMtime(path, mtime);
    import(path);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        QCOMPARE(f.write(all.mid(at)), all.size() - at);
    }
    setMtime(path, mtime);
    import(path);
    compareWithRows(u"2"_s);
}

void TestCliStatsSnapshot::chainDeferredAtEachHop_data()
{
    QTest::addColumn<bool>("twoImports");
    QTest::newRow("one import") << false;
    QTest::newRow("a hop in each") << true;
}

// A message deferred before its hand-over to the content filter and again after it is one message
// with a deferred try: the later hop's try is counted under its first hop once the chain is linked.
void TestCliStatsSnapshot::chainDeferredAtEachHop()
{
    QFETCH(bool, twoImports);
    const QByteArray log = withDeferredTryAtEachHop(readAll(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/amavis-and-milters.log")));
    QVERIFY(!log.isEmpty());
    const qsizetype cut = twoImports ? log.indexOf("Nov 24 10:00:04") : log.size();
    const QString path = writeFile(*m_dir, u"mail.log"_s, log.left(cut));
    setMtime(path, November2026);
    import(path);
    if (twoImports) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(log.mid(cut));
        f.close();
        setMtime(path, November2026);
        import(path);
    }
    compareWithRows(twoImports ? u"2"_s : u"1"_s);
    const auto [json, from] = stats({});
    QVERIFY(json.contains("\"deferred_messages\": 1,"));
    QVERIFY(json.contains("\"deferrals\": 2,"));
}

// A filter, even one that keeps every row, counts the rows.
void TestCliStatsSnapshot::filterCountsRows()
{
    const auto [from, mtime] = source(u"sample"_s);
    const QString path = writeFile(*m_dir, u"mail.log"_s, readAll(from));
    setMtime(path, mtime);
    import(path);
    const auto [filtered, filteredSource] = stats({u"--since"_s, u"1970-01-02T00:00Z"_s});
    QCOMPARE(filteredSource, QByteArray("counted from the rows"));
    const auto [whole, wholeSource] = stats({});
    QVERIFY(wholeSource.startsWith("counted from the numbers kept"));
    QCOMPARE(filtered, whole);
}

QTEST_GUILESS_MAIN(TestCliStatsSnapshot)
#include "tst_clistatssnapshot.moc"
