// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The chart model: buckets that follow the range, the top codes, the table read off the GUI
// thread from a real cache, and the filters a click or a legend entry makes.
#include "cache/charttries.h"
#include "ingest/ingestor.h"
#include "../cache/testlogs.h"
#include "chartmodel.h"
#include "timeticks.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>

#include <algorithm>
#include <limits>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(mailtrail::ChartGroup)

namespace {
constexpr qint64 Minute = 60000;
constexpr qint64 Day = 24 * 60 * Minute;
constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();
qint64 utc(int month, int day, int hour, int minute)
{
    return QDateTime(QDate(2026, month, day), QTime(hour, minute), QTimeZone::UTC).toMSecsSinceEpoch();
}
} // namespace

class TestChartModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void bucketFollowsTheRange_data();
    void bucketFollowsTheRange();
    void buildsBucketsAndColumns_data();
    void buildsBucketsAndColumns();
    void otherNamesItsCodes();
    void barPositions_data();
    void barPositions();
    void reachesDataAcrossYears_data();
    void reachesDataAcrossYears();
    void logAcrossNewYear();
    void readsTheCacheOffTheGuiThread();
    void rangeIsOfTheTries_data();
    void rangeIsOfTheTries();
    void clickAndLegendMakeFilters();

private:
    QTemporaryDir m_dir;
    QString m_path;
};

void TestChartModel::initTestCase()
{
    m_path = m_dir.filePath(u"c.sqlite"_s);
    Cache cache;
    QVERIFY(cache.open(m_path.toStdString()));
    std::vector<std::string> files;
    for (const char *name : {"deferred-then-sent.log", "noqueue-reject.log", "expired.log", "partial-reject-and-forward.log"})
        files.push_back(write(m_dir, QLatin1String(name), flow(name)));
    QVERIFY(Ingestor::import(cache, files).ok());
}

void TestChartModel::bucketFollowsTheRange_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<qint64>("bucket");
    QTest::newRow("an hour: minutes") << 60 * Minute << Minute;
    QTest::newRow("150 minutes: still minutes") << 150 * Minute << Minute;
    QTest::newRow("151 minutes: five") << 151 * Minute << 5 * Minute;
    QTest::newRow("12 hours: five minutes") << 720 * Minute << 5 * Minute;
    QTest::newRow("13 hours: hours") << 780 * Minute << 60 * Minute;
    QTest::newRow("6 days: hours") << 144 * 60 * Minute << 60 * Minute;
    QTest::newRow("7 days: days") << 168 * 60 * Minute << 24 * 60 * Minute;
    QTest::newRow("150 days: still days") << 150 * Day << Day;
    QTest::newRow("151 days: weeks") << 151 * Day << 7 * Day;
    QTest::newRow("2 years: weeks") << 730 * Day << 7 * Day;
    QTest::newRow("3 years: months") << 3 * 365 * Day << 30 * Day;
    QTest::newRow("20 years: years") << 20 * 365 * Day << 365 * Day;
}

void TestChartModel::bucketFollowsTheRange()
{
    QFETCH(qint64, span);
    QTEST(ChartModel::bucketFor(span), "bucket");
}

void TestChartModel::buildsBucketsAndColumns_data()
{
    QTest::addColumn<QList<ChartCell>>("cells");
    QTest::addColumn<ChartGroup>("group");
    QTest::addColumn<qint64>("lo");
    QTest::addColumn<qint64>("hi");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("nonZero");  // "bucket:key=count"
    const qint64 m0 = utc(11, 20, 10, 3) / Minute;
    QTest::newRow("outcomes, the data's own range in minutes")
        << QList<ChartCell>{{m0, "deferred", 2}, {m0 + 7, "delivered", 3}, {m0 + 7, "rejected", 1}} << ChartGroup::Outcome
        << NoLow << NoHigh << 8 << QStringList{u"delivered"_s, u"deferred"_s, u"bounced"_s, u"rejected"_s}
        << QStringList{u"0:deferred=2"_s, u"7:delivered=3"_s, u"7:rejected=1"_s};
    // Two days: hour buckets from the hour of the first try; the range crosses midnight.
    QTest::newRow("hours across midnight")
        << QList<ChartCell>{{utc(11, 20, 23, 59) / Minute, "450", 1}, {utc(11, 21, 0, 0) / Minute, "250", 4},
                            {utc(11, 21, 0, 59) / Minute, "250", 1}}
        << ChartGroup::ReplyCode << utc(11, 20, 22, 30) << utc(11, 22, 22, 30) << 49 << QStringList{u"250"_s, u"450"_s}
        << QStringList{u"1:450=1"_s, u"2:250=5"_s};
    // Nine codes: the six with most tries, in code order, and the rest as "other".
    QList<ChartCell> many;
    for (int i = 0; i < 9; ++i)
        many.append({m0, std::to_string(550 + i), 10 + i});
    QTest::newRow("top codes and other")
        << many << ChartGroup::ReplyCode << NoLow << NoHigh << 1
        << QStringList{u"553"_s, u"554"_s, u"555"_s, u"556"_s, u"557"_s, u"558"_s, ChartModel::OtherKey}
        << QStringList{u"0:553=13"_s, u"0:554=14"_s, u"0:555=15"_s, u"0:556=16"_s, u"0:557=17"_s, u"0:558=18"_s,
                       u"0:other=33"_s};
    // An open end shown as the year 9999 and read back: the data's own extent, not 2.9 million days.
    QTest::newRow("an end in the year 9999 keeps to the data")
        << QList<ChartCell>{{m0, "deferred", 2}, {m0 + 7, "delivered", 3}, {m0 + 7, "rejected", 1}} << ChartGroup::Outcome
        << m0 * Minute << QDateTime(QDate(9999, 12, 31), QTime(23, 59), QTimeZone::UTC).toMSecsSinceEpoch() << 8
        << QStringList{u"delivered"_s, u"deferred"_s, u"bounced"_s, u"rejected"_s}
        << QStringList{u"0:deferred=2"_s, u"7:delivered=3"_s, u"7:rejected=1"_s};
    // Cells outside the range asked for are left out.
    QTest::newRow("outside the range")
        << QList<ChartCell>{{m0, "2.0.0", 1}, {m0 + 100, "2.0.0", 1}} << ChartGroup::EnhancedCode << m0 * Minute
        << (m0 + 10) * Minute << 10 << QStringList{u"2.0.0"_s} << QStringList{u"0:2.0.0=1"_s};
    // A range from a time within a minute ("last hour" from the newest line's 21:55:15): the tries
    // of that minute after it are in range, counted in its first bar (they were dropped).
    QTest::newRow("a range that starts within a minute")
        << QList<ChartCell>{{m0, "deferred", 1}, {m0 + 3, "delivered", 2}} << ChartGroup::Outcome << m0 * Minute + 15000
        << (m0 + 10) * Minute << 10 << QStringList{u"delivered"_s, u"deferred"_s, u"bounced"_s, u"rejected"_s}
        << QStringList{u"0:deferred=1"_s, u"3:delivered=2"_s};
}

void TestChartModel::buildsBucketsAndColumns()
{
    QFETCH(QList<ChartCell>, cells);
    QFETCH(ChartGroup, group);
    QFETCH(qint64, lo);
    QFETCH(qint64, hi);
    ChartData data;
    data.cells.assign(cells.begin(), cells.end());
    const ChartModel::Table t = ChartModel::build(data, group, lo, hi);
    QTEST(int(t.starts.size()), "buckets");
    QTEST(t.keys, "keys");
    QStringList nonZero;
    for (qsizetype b = 0; b < t.counts.size(); ++b)
        for (qsizetype k = 0; k < t.keys.size(); ++k)
            if (t.counts[b][k] != 0)
                nonZero << u"%1:%2=%3"_s.arg(b).arg(t.keys[k]).arg(t.counts[b][k]);
    QTEST(nonZero, "nonZero");
    // Buckets are contiguous: each ends where the next starts.
    for (qsizetype b = 1; b < t.starts.size(); ++b)
        QCOMPARE(t.starts[b] - t.starts[b - 1], t.bucketMs);
}

void TestChartModel::otherNamesItsCodes()
{
    // "Other" in the hover said a count and no code (trial22): each bar keeps which codes it
    // holds, the most tries first, and the range keeps them all for its legend entry.
    const qint64 m0 = utc(11, 20, 10, 3) / Minute;
    QList<ChartCell> cells;
    for (int i = 0; i < 9; ++i)
        cells.append({m0, std::to_string(550 + i), 10 + i});
    cells.append({m0 + 1, "550", 2});
    std::sort(cells.begin(), cells.end(), [](const ChartCell &a, const ChartCell &b) { return a.minute < b.minute; });
    ChartData data;
    data.cells.assign(cells.begin(), cells.end());
    const ChartModel::Table t = ChartModel::build(data, ChartGroup::ReplyCode, NoLow, NoHigh);
    QCOMPARE(t.keys.last(), ChartModel::OtherKey);
    QCOMPARE(t.others.size(), t.starts.size());
    using Counts = QList<QPair<QString, qint64>>;
    QCOMPARE(t.others[0], (Counts{{u"552"_s, 12}, {u"551"_s, 11}, {u"550"_s, 10}}));
    QCOMPARE(t.others[1], (Counts{{u"550"_s, 2}}));
    QCOMPARE(t.othersInRange, (Counts{{u"550"_s, 12}, {u"552"_s, 12}, {u"551"_s, 11}}));
    // No "other", nothing kept.
    data.cells.resize(3);
    const ChartModel::Table few = ChartModel::build(data, ChartGroup::ReplyCode, NoLow, NoHigh);
    QVERIFY(few.others.isEmpty() && few.othersInRange.isEmpty());
}

void TestChartModel::barPositions_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<double>("position");
    // Bars of the calendar months January to March 2026 (31, 28 and 31 days).
    auto day = [](int month, int d, int hour = 0) {
        return QDateTime(QDate(2026, month, d), QTime(hour, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    };
    QTest::newRow("the first bar's start") << day(1, 1) << -0.5;
    QTest::newRow("before the bars") << day(1, 1) - Day << -0.5;
    QTest::newRow("February's start") << day(2, 1) << 0.5;
    QTest::newRow("the middle of February (14 of 28 days)") << day(2, 15) << 1.0;
    QTest::newRow("the middle of January (15.5 of 31 days)") << day(1, 16, 12) << 0.0;
    QTest::newRow("the end") << day(4, 1) << 2.5;
    QTest::newRow("after the end") << day(4, 2) << 2.5;
}

void TestChartModel::barPositions()
{
    // The time axis's labels stand where their time is among the bars, months of unequal length.
    QFETCH(qint64, ms);
    ChartModel::Table t;
    t.bucketMs = 30 * Day;
    for (int month : {1, 2, 3})
        t.starts << QDateTime(QDate(2026, month, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    t.end = QDateTime(QDate(2026, 4, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    QTEST(ChartModel::barPosition(t, ms), "position");
}

void TestChartModel::reachesDataAcrossYears_data()
{
    QTest::addColumn<qint64>("lo");
    QTest::addColumn<qint64>("hi");
    QTest::addColumn<qint64>("bucket");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QStringList>("starts");  // of the buckets with tries, "yyyy-MM-dd"
    QTest::newRow("the data's own 36 months: months")
        << NoLow << NoHigh << 30 * Day << 36 << QStringList{u"2024-01-01"_s, u"2025-07-01"_s, u"2026-12-01"_s};
    QTest::newRow("2024 to 2026 asked for: months")
        << QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch()
        << QDateTime(QDate(2027, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch() << 30 * Day << 36
        << QStringList{u"2024-01-01"_s, u"2025-07-01"_s, u"2026-12-01"_s};
    // Two years: weeks from the Monday of the first (Jan 1, 2024 is one); the third try is after.
    QTest::newRow("2024 and 2025 asked for: weeks, the third outside")
        << QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch()
        << QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch() << 7 * Day << 105
        << QStringList{u"2024-01-08"_s, u"2025-07-14"_s};
    // Forty years asked for, three of data: the data's own span, not 37 empty years around it.
    QTest::newRow("forty years asked for: the data's months")
        << QDateTime(QDate(1990, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch()
        << QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch() << 30 * Day << 36
        << QStringList{u"2024-01-01"_s, u"2025-07-01"_s, u"2026-12-01"_s};
}

void TestChartModel::reachesDataAcrossYears()
{
    // Tries in January 2024, July 2025 and December 2026: the chart reached only 1000 days, and
    // had day bars at best; every try must be in a bar, each bar a calendar week, month or year.
    QFETCH(qint64, lo);
    QFETCH(qint64, hi);
    auto minute = [](int y, int m, int d) {
        return QDateTime(QDate(y, m, d), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch() / Minute;
    };
    ChartData data;
    data.cells = {{minute(2024, 1, 10), "delivered", 5}, {minute(2025, 7, 15), "deferred", 2}, {minute(2026, 12, 30), "rejected", 1}};
    const ChartModel::Table t = ChartModel::build(data, ChartGroup::Outcome, lo, hi);
    QTEST(t.bucketMs, "bucket");
    QTEST(int(t.starts.size()), "buckets");
    QStringList withTries;
    qint64 total = 0;
    for (qsizetype b = 0; b < t.starts.size(); ++b) {
        qint64 n = 0;
        for (qint64 c : t.counts[b])
            n += c;
        total += n;
        if (n > 0)
            withTries << QDateTime::fromMSecsSinceEpoch(t.starts[b]).toString(u"yyyy-MM-dd"_s);
    }
    QTEST(withTries, "starts");
    // Buckets are contiguous and of the calendar: each starts at midnight where the last ended.
    for (qsizetype b = 1; b < t.starts.size(); ++b)
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(t.starts[b]).time(), QTime(0, 0));
    QVERIFY(t.end > t.starts.last());
    QCOMPARE(total, qint64(withTries.size() == 3 ? 8 : 7));
}

void TestChartModel::logAcrossNewYear()
{
    // A syslog log from Dec 31 to Jan 1 (the year comes from its modification time, Nov 2026,
    // and goes back one at the turn): a try on each side of midnight, in hour bars dated both years.
    QTemporaryDir dir;
    const QByteArray log =
        "Dec 31 23:50:01 mx1 postfix/smtpd[2101]: 4F2A81C0123: client=mail.example.com[192.0.2.10]\n"
        "Dec 31 23:50:01 mx1 postfix/qmgr[880]: 4F2A81C0123: from=<alice@example.com>, size=4211, nrcpt=1 (queue active)\n"
        "Dec 31 23:50:03 mx1 postfix/smtp[2120]: 4F2A81C0123: to=<bob@remote.example.net>, relay=mx.remote.example.net[198.51.100.20]:25, "
        "delay=2.1, delays=0.1/0/0.9/1.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F1E2D3C4B)\n"
        "Dec 31 23:50:03 mx1 postfix/qmgr[880]: 4F2A81C0123: removed\n"
        "Jan  1 00:20:01 mx1 postfix/smtpd[2101]: 5A3B92D0234: client=mail.example.com[192.0.2.10]\n"
        "Jan  1 00:20:01 mx1 postfix/qmgr[880]: 5A3B92D0234: from=<alice@example.com>, size=4211, nrcpt=1 (queue active)\n"
        "Jan  1 00:20:03 mx1 postfix/smtp[2120]: 5A3B92D0234: to=<carol@remote.example.net>, relay=mx.remote.example.net[198.51.100.20]:25, "
        "delay=2.1, delays=0.1/0/0.9/1.1, dsn=4.2.0, status=deferred (host mx.remote.example.net[198.51.100.20] said: 450 4.2.0 Try later)\n";
    const QString path = dir.filePath(u"c.sqlite"_s);
    {
        Cache cache;
        QVERIFY(cache.open(path.toStdString()));
        QVERIFY(Ingestor::import(cache, {write(dir, u"newyear.log"_s, log)}).ok());
    }
    ChartModel model(path);
    QSignalSpy updated(&model, &ChartModel::updated);
    model.request({});
    QVERIFY(updated.wait(10000));
    QVERIFY(model.error().isEmpty());
    const ChartModel::Table &t = model.table();
    QCOMPARE(t.bucketMs, Minute);  // 23:50 to 00:21: 31 minutes
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(t.starts.first()).toString(u"yyyy-MM-dd HH:mm"_s), u"2025-12-31 23:50"_s);
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(t.end).toString(u"yyyy-MM-dd HH:mm"_s), u"2026-01-01 00:21"_s);
    const int delivered = int(t.keys.indexOf(u"delivered"_s));
    const int deferred = int(t.keys.indexOf(u"deferred"_s));
    QCOMPARE(t.counts.first()[delivered], qint64(1));
    QCOMPARE(t.counts.last()[deferred], qint64(1));
    // The axis names the new year at its midnight.
    QStringList labels;
    for (const TimeTick &tick : timeTicks(t.starts.first(), t.end, 5, model.clock()))
        labels << tick.label;
    QCOMPARE(labels, (QStringList{u"23:50"_s, u"1 Jan 2026"_s, u"00:10"_s, u"00:20"_s}));
}

void TestChartModel::readsTheCacheOffTheGuiThread()
{
    ChartModel model(m_path);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy busy(&model, &ChartModel::busyChanged);
    model.request({});
    QCOMPARE(busy.size(), 1);  // said at once, before the answer
    QVERIFY(model.isBusy());
    QSignalSpy updated(&model, &ChartModel::updated);
    QVERIFY(updated.wait(10000));
    QVERIFY(!model.isBusy());
    QVERIFY(model.error().isEmpty());
    // Nov 15 09:00 to Nov 20 16:01: more than 5 days, so hour buckets.
    QCOMPARE(model.table().bucketMs, 60 * Minute);
    QList<qint64> totals(model.columnCount(), 0);
    for (int r = 0; r < model.rowCount(); ++r)
        for (int c = 0; c < model.columnCount(); ++c)
            totals[c] += model.data(model.index(r, c)).toLongLong();
    // delivered: bob, sales@ (local), the forward; deferred: greylisting, both timeouts of the
    // recipient that then expired (the giving up tried nothing); bounced: none; rejected:
    // NOQUEUE, ghost@, the milter reject.
    QCOMPARE(totals, (QList<qint64>{3, 3, 0, 3}));

    // A newer request supersedes one still running: only the last answer shows.
    model.setGroup(ChartGroup::EnhancedCode);
    Filter bob;
    bob.recipient = "bob@";
    model.request(bob);
    QVERIFY(updated.wait(10000));
    QTRY_VERIFY(!model.isBusy());
    QCOMPARE(model.table().keys, (QStringList{u"2.0.0"_s, u"4.2.0"_s}));
}

void TestChartModel::rangeIsOfTheTries_data()
{
    QTest::addColumn<QString>("sender");
    QTest::addColumn<qint64>("since");
    QTest::addColumn<qint64>("until");
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("count");
    // The invoice came in on Nov 15 at 09:00, was deferred at 09:00:31 and again at 10:00:31,
    // then expired on Nov 20; bob's message came in on Nov 20 at 10:00:01 and was sent at 10:10:04.
    // A range shows the tries made in it, whenever their message arrived.
    QTest::newRow("arrival minute: the first try") << u"billing@example.com"_s << utc(11, 15, 9, 0) << utc(11, 15, 9, 1)
                                                   << u"deferred"_s << qint64(1);
    QTest::newRow("the last try's minute") << u"billing@example.com"_s << utc(11, 15, 10, 0) << utc(11, 15, 10, 1)
                                           << u"deferred"_s << qint64(1);
    QTest::newRow("the expiry tried nothing") << u"billing@example.com"_s << utc(11, 15, 9, 0) << NoHigh
                                              << u"bounced"_s << qint64(0);
    QTest::newRow("sent ten minutes later") << u"alice@example.com"_s << utc(11, 20, 10, 10) << NoHigh << u"delivered"_s
                                            << qint64(1);
    QTest::newRow("sent, not its greylisting") << u"alice@example.com"_s << utc(11, 20, 10, 10) << NoHigh
                                               << u"deferred"_s << qint64(0);
}

void TestChartModel::rangeIsOfTheTries()
{
    QFETCH(QString, sender);
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    QFETCH(QString, key);
    ChartModel model(m_path);
    Filter filter;
    filter.sender = sender.toStdString();
    filter.sinceMs = since;
    filter.untilMs = until;
    QSignalSpy updated(&model, &ChartModel::updated);
    model.request(filter);
    QVERIFY(updated.wait(10000));
    QVERIFY(model.error().isEmpty());
    qint64 total = 0;
    const int column = static_cast<int>(model.table().keys.indexOf(key));
    for (int r = 0; column >= 0 && r < model.rowCount(); ++r)
        total += model.data(model.index(r, column)).toLongLong();
    QTEST(total, "count");
}

void TestChartModel::clickAndLegendMakeFilters()
{
    ChartModel model(m_path);
    QSignalSpy updated(&model, &ChartModel::updated);
    Filter day;  // Nov 20 only: five-minute buckets from 10:00 to 16:05
    day.sinceMs = utc(11, 20, 10, 0);
    day.untilMs = utc(11, 20, 16, 5);
    day.sender = "partner";
    model.request(day);
    QVERIFY(updated.wait(10000));
    QCOMPARE(model.table().bucketMs, 5 * Minute);
    const int bucket = int((utc(11, 20, 16, 0) - day.sinceMs) / (5 * Minute));
    const int bounced = int(model.table().keys.indexOf(u"bounced"_s));
    const int rejected = int(model.table().keys.indexOf(u"rejected"_s));

    // A segment: the rows with a try of its outcome in its bucket (the arrival range gives way:
    // a try in the bucket may be of a message that arrived long before), the rest of the filter kept.
    const Filter clicked = model.filterFor(day, bucket, bounced);
    QCOMPARE(clicked.triedSinceMs, utc(11, 20, 16, 0));
    QCOMPARE(clicked.triedUntilMs, utc(11, 20, 16, 5));
    QCOMPARE(clicked.triedAs, std::string("bounced"));
    QCOMPARE(clicked.sinceMs, std::numeric_limits<std::int64_t>::min());
    QCOMPARE(clicked.untilMs, std::numeric_limits<std::int64_t>::max());
    QVERIFY(clicked.statuses.empty());
    QCOMPARE(clicked.sender, std::string("partner"));

    // A legend entry switches its outcome on, then off again.
    const Filter on = model.toggled(day, rejected);
    QCOMPARE(on.statuses, (std::vector<std::string>{"rejected"}));
    QVERIFY(model.isSelected(on, rejected));
    QVERIFY(!model.isSelected(on, bounced));
    QVERIFY(model.toggled(on, rejected).statuses.empty());
    // Deferred picked in the status box (not Expired, which the legend's Deferred also stands
    // for): a click on the legend's Deferred switches it off, and adds nothing (it added
    // Expired); the other states picked stay.
    const int deferred = int(model.table().keys.indexOf(u"deferred"_s));
    QVERIFY(deferred >= 0);
    Filter picked = day;
    picked.statuses.clear();
    picked.statuses.push_back("bounced");
    picked.statuses.push_back("deferred");
    QVERIFY(model.isSelected(picked, deferred));
    QCOMPARE(model.toggled(picked, deferred).statuses, std::vector<std::string>{"bounced"});
    QCOMPARE(model.toggled(model.toggled(day, deferred), deferred).statuses, std::vector<std::string>{});

    // By code: a segment or legend entry narrows to the mail with such a try, not to a final code
    // (a legend click on 451 filtered on the final code, listed nothing, and took the legend with
    // the chart); "other" does not narrow, "no reply" does.
    model.setGroup(ChartGroup::ReplyCode);
    QVERIFY(updated.wait(10000));
    const int code550 = int(model.table().keys.indexOf(u"550"_s));
    QVERIFY(code550 >= 0);
    QCOMPARE(model.filterFor(day, bucket, code550).triedAs, std::string("550"));
    QVERIFY(model.filterFor(day, bucket, code550).code.empty());
    const Filter code = model.toggled(day, code550);
    QCOMPARE(code.triedAs, std::string("550"));
    QVERIFY(code.code.empty());
    QCOMPARE(code.triedSinceMs, day.triedSinceMs);  // whenever the try was
    QVERIFY(model.isSelected(code, code550));
    QVERIFY(model.toggled(code, code550).triedAs.empty());

    // A delivery without a reply code (sales@'s local forward) is "Delivered, no code", apart from
    // the tries not delivered without one (grace@'s milter refusal); each legend entry narrows to
    // its tries.
    Filter everyone = day;
    everyone.sender.clear();
    model.request(everyone);
    QVERIFY(updated.wait(10000));
    const int noReply = int(model.table().keys.indexOf(QString()));
    QVERIFY(noReply >= 0);
    QCOMPARE(model.headerData(noReply, Qt::Horizontal).toString(), u"Not delivered, no code"_s);
    QCOMPARE(model.toggled(everyone, noReply).triedAs, std::string("no-reply"));
    QVERIFY(!model.isSelected(everyone, noReply));
    QCOMPARE(ChartModel::DeliveredNoReplyKey, QString::fromLatin1(charttries::DeliveredNoReplyName));
    const int delivered = int(model.table().keys.indexOf(ChartModel::DeliveredNoReplyKey));
    QVERIFY(delivered >= 0);
    QCOMPARE(model.headerData(delivered, Qt::Horizontal).toString(), u"Delivered, no code"_s);
    QCOMPARE(model.toggled(everyone, delivered).triedAs, std::string("delivered-no-reply"));
}

QTEST_GUILESS_MAIN(TestChartModel)
#include "tst_chartmodel.moc"
