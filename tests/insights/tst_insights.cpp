// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Real logs replayed through the import into the insight rules: which insights fire, about what
// and when (log time); and none on healthy traffic with the default thresholds.
#include "cache/cache.h"
#include "ingest/ingestor.h"
#include "insights/insightengine.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

Q_DECLARE_METATYPE(mailtrail::InsightThresholds)

namespace {

// The insights of `log` imported in `parts`, as a follow does.
std::vector<Insight> insightsOf(const QString &log, int year, const InsightThresholds &thresholds, int parts = 1)
{
    QTemporaryDir dir;
    Cache cache;
    if (!cache.open(dir.filePath(u"c.sqlite"_s).toStdString()))
        qFatal("cannot open the cache");
    InsightEngine engine(thresholds);
    ImportOptions options;
    options.year = year;
    // The log written in `parts`, imported after each, as a follow does: the messages still
    // open at the end of one import come again with the next.
    QFile source(QStringLiteral(MAILTRAIL_TEST_DATA "/") + log);
    if (!source.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(log));
    const QList<QByteArray> lines = source.readAll().split('\n');
    const QString copy = dir.filePath(u"mail.log"_s);
    for (int part = 0; part < parts; ++part) {
        QFile out(copy);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Append))
            qFatal("cannot write %s", qPrintable(copy));
        const qsizetype from = lines.size() * part / parts, to = lines.size() * (part + 1) / parts;
        for (qsizetype i = from; i < to; ++i) {
            if (!lines[i].isEmpty())
                out.write(lines[i] + '\n');
        }
        out.close();
        const ImportSummary s = Ingestor::import(
            cache, {copy.toStdString()}, options, [&engine](const MessageRecord &m) { engine.message(m); },
            [&engine](const IncidentRecord &i) { engine.incident(i); });
        if (!s.ok() || s.files.empty() || !s.files.front().error.empty())
            qFatal("import of %s failed", qPrintable(log));
    }
    return engine.take();
}

// Each insight as "kind subject @time", time in seconds of the log's own clock.
QStringList replay(const QString &log, int year, const InsightThresholds &thresholds, int parts = 1)
{
    QStringList fired;
    for (const Insight &i : insightsOf(log, year, thresholds, parts))
        fired << u"%1 %2 @%3"_s.arg(QLatin1StringView(insightKindName(i.kind)), QString::fromStdString(i.subject))
                     .arg(QDateTime::fromMSecsSinceEpoch(i.timeMs, QTimeZone::UTC).toString(Qt::ISODate));
    return fired;
}

} // namespace

class TestInsights : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noneOnHealthyTraffic_data();
    void noneOnHealthyTraffic();
    void firesOnReplay_data();
    void firesOnReplay();
    void importsInPartsFireTheSame_data();
    void importsInPartsFireTheSame();
    void saslInsightSaysTheAttack();
};

void TestInsights::noneOnHealthyTraffic_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<int>("year");
    QTest::newRow("psm postfix") << u"postfix/golden/psm-postfix-plain.log"_s << 2005;
    // The lab's real Postfix (postfix/produce.sh, produce-companions.sh): a content filter,
    // milters, a destination that refuses connections, a few rejects.
    QTest::newRow("postfix 3.10.13 lab, content filter") << u"postfix/golden/postfix-3.10.13-filter.log"_s << 2026;
    QTest::newRow("postfix 3.10.13 lab, companions") << u"postfix/golden/postfix-3.10.13-companions.log"_s << 2026;
    QTest::newRow("exim 4.98.2 lab mainlog") << u"exim/golden/exim-4.98.2-mainlog.log"_s << 0;
    QTest::newRow("exim 4.96 lab syslog") << u"exim/golden/exim-4.96-syslog.log"_s << 0;
    QTest::newRow("sendmail 8.17.1.9 lab syslog") << u"sendmail/golden/sendmail-8.17.1.9-syslog.log"_s << 2026;
}

void TestInsights::noneOnHealthyTraffic()
{
    QFETCH(QString, log);
    QFETCH(int, year);
    const QStringList fired = replay(log, year, InsightThresholds{});
    QVERIFY2(fired.isEmpty(), qPrintable(fired.join(u"; "_s)));
}

void TestInsights::firesOnReplay_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<int>("year");
    QTest::addColumn<InsightThresholds>("thresholds");
    QTest::addColumn<QStringList>("expected");
    InsightThresholds burst;
    burst.authFailureBurst = 2;
    // Two addresses of 192.0.2.0/24 fail in the same second, once each: a run of their network.
    QTest::newRow("SASL failures from one IP") << u"postfix/flows/sasl-failures.log"_s << 2026 << burst
                                               << QStringList{u"auth-failure-burst 82.221.106.233 @2026-09-06T00:44:57Z"_s,
                                                              u"auth-failure-burst 192.0.2.0/24 @2026-11-04T09:11:01Z"_s};
    InsightThresholds low;
    low.failureMinimum = 3;
    low.failureShare = 0.2;
    low.deferringMs = 0;
    low.queueMinimum = 1;
    low.rejectBurst = 1;
    // The lab's Exim scenario refuses mail from three local clients and defers and bounces some.
    // A message reaches the rules when it ends, so tries come out of time order: the share fires at
    // the newest try of the window it was counted over.
    QTest::newRow("exim lab mainlog, low thresholds")
        << u"exim/golden/exim-4.98.2-mainlog.log"_s << 0 << low
        << QStringList{u"reject-burst 127.0.0.1 @2026-12-03T20:48:45Z"_s, u"reject-burst 127.0.0.3 @2026-12-03T20:48:47Z"_s,
                       u"reject-burst 127.0.0.2 @2026-12-03T20:48:49Z"_s, u"failure-share  @2026-12-03T20:48:58Z"_s,
                       u"destination-deferring slow.test @2026-12-03T20:49:18Z"_s};
    QTest::newRow("exim lab syslog, low thresholds")
        << u"exim/golden/exim-4.96-syslog.log"_s << 0 << low
        << QStringList{u"reject-burst 127.0.0.1 @2026-12-03T20:35:48Z"_s, u"reject-burst 127.0.0.3 @2026-12-03T20:35:50Z"_s,
                       u"reject-burst 127.0.0.2 @2026-12-03T20:35:51Z"_s, u"failure-share  @2026-12-03T20:35:58Z"_s,
                       u"destination-deferring slow.test @2026-12-03T20:36:17Z"_s};
}

void TestInsights::firesOnReplay()
{
    QFETCH(QString, log);
    QFETCH(int, year);
    QFETCH(InsightThresholds, thresholds);
    QFETCH(QStringList, expected);
    const QStringList fired = replay(log, year, thresholds);
    QVERIFY2(fired == expected, qPrintable(fired.join(u"; "_s)));
}

void TestInsights::importsInPartsFireTheSame_data()
{
    firesOnReplay_data();
}

void TestInsights::importsInPartsFireTheSame()
{
    QFETCH(QString, log);
    QFETCH(int, year);
    QFETCH(InsightThresholds, thresholds);
    QFETCH(QStringList, expected);
    // Which insights fire, and about what; the moment the share of failures crosses its threshold
    // depends on the order the messages are handed over in, which the imports change.
    auto withoutTime = [](QStringList list) {
        for (QString &s : list)
            s = s.section(u" @"_s, 0, 0);
        list.sort();
        return list;
    };
    expected = withoutTime(expected);
    for (int parts : {2, 3, 7}) {
        const QStringList fired = withoutTime(replay(log, year, thresholds, parts));
        QVERIFY2(fired == expected, qPrintable(u"%1 parts: "_s.arg(parts) + fired.join(u"; "_s)));
    }
}

void TestInsights::saslInsightSaysTheAttack()
{
    // How many failures, from which client or which /24 (and its addresses), over which span and
    // with which usernames: not the threshold they crossed ("2 ... in 10 min").
    InsightThresholds burst;
    burst.authFailureBurst = 2;
    QStringList details;
    for (const Insight &i : insightsOf(u"postfix/flows/sasl-failures.log"_s, 2026, burst))
        details << QString::fromStdString(i.detail);
    QCOMPARE(details, (QStringList{u"2 SASL authentication failures from 82.221.106.233 over 1 s; the log names no username"_s,
                                   u"2 SASL authentication failures from 2 addresses of 192.0.2.0/24 (192.0.2.150 and "
                                   "192.0.2.152) over 0 s; username tried: admin"_s}));
}

QTEST_GUILESS_MAIN(TestInsights)
#include "tst_insights.moc"
