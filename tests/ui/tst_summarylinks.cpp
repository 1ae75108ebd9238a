// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Summary's links to tries and days, on real logs: "problems started" and "peaked" open the
// failed tries of their time (as the status chart's segments do), not the messages that arrived
// then; the per-day chart shows a gap of months as a gap; the totals name the fates that are
// neither a delivery nor a refusal.
#include "ingest/ingestor.h"
#include "summaryview.h"

#include "../cache/testlogs.h"
#include "cache/cache.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>

#include <limits>
#include <utime.h>

using namespace Qt::StringLiterals;
using namespace mailtrail;
using namespace testlogs;

namespace {

constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();

// The filter a link asks for, without a mouse.
Filter asked(SummaryView &view, const QString &link)
{
    QSignalSpy spy(&view, &SummaryView::narrowRequested);
    view.activate(link);
    return spy.size() == 1 ? spy.at(0).at(0).value<Filter>() : Filter{};
}

QString textOf(const QLabel *label)
{
    return label ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : QString();
}

// "(12 deferred tries, bounces and rejects)" -> 12; -1 without such a label.
qint64 peakCount(const SummaryView &view)
{
    for (const QLabel *l : view.findChildren<QLabel *>()) {
        if (l->text().endsWith(u" deferred tries, bounces and rejects)"_s) || l->text() == u"(1 deferred try, bounce or reject)"_s)
            return l->text().mid(1).section(u' ', 0, 0).remove(u',').toLongLong();
    }
    return -1;
}

} // namespace

class TestSummaryLinks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void problemsOpenTheFailedTries_data();
    void problemsOpenTheFailedTries();
    void monthsApartShowTheGap();
    void fatesThatAreNeitherAreTotals();

private:
    QTemporaryDir m_dir;
};

void TestSummaryLinks::initTestCase()
{
    qRegisterMetaType<Filter>();
    qRegisterMetaType<SummaryLink>();
}

void TestSummaryLinks::problemsOpenTheFailedTries_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<bool>("exact");
    // The bundled sample, one day: it peaked in an hour (22:00, 23 problems). Its first problem
    // is a reject. The tries filter, as the chart, also counts a recipient whose last line in the
    // hour was "delivery temporarily suspended" (tried nothing; the Summary does not count it):
    // 28 rows there.
    QTest::newRow("sample") << QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log") << false;
    // Timed out at 09:00:31 and 10:00:31, then expired days later: one failed try an hour.
    QTest::newRow("expired") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/expired.log") << true;
}

void TestSummaryLinks::problemsOpenTheFailedTries()
{
    QFETCH(QString, log);
    QFETCH(bool, exact);
    QTemporaryDir dir;
    const QString copy = dir.filePath(u"mail.log"_s);
    QVERIFY(QFile::copy(log, copy));
    utimbuf times{1795348800, 1795348800};  // 2026-11-22: the year of their lines
    ::utime(copy.toLocal8Bit().constData(), &times);
    const QString path = dir.filePath(u"c.sqlite"_s);
    {
        Cache cache;
        QVERIFY(cache.open(path.toStdString()));
        QVERIFY(Ingestor::import(cache, {copy.toStdString()}).ok());
    }
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    const Stats &s = model.stats();
    QVERIFY(s.firstProblemMs > 0);
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));

    // From the first failure on: the failed tries since then, whenever their messages arrived.
    const Filter start = asked(view, u"problems:start"_s);
    QCOMPARE(start.triedAs, std::string("failed"));
    QCOMPARE(start.triedSinceMs, s.firstProblemMs);
    QCOMPARE(start.triedUntilMs, NoHigh);
    QCOMPARE(start.sinceMs, NoLow);  // not an arrival range
    QCOMPARE(start.untilMs, NoHigh);
    QVERIFY(cache.count(Grain::Deliveries, start) > 0);

    // The peak (a log of one day: an hour): the tries that failed in it. Where each recipient
    // failed once in it, the table's rows are the number the Summary shows.
    const Filter peak = asked(view, u"problems:peak"_s);
    QCOMPARE(peak.triedAs, std::string("failed"));
    QCOMPARE(peak.triedUntilMs - peak.triedSinceMs, qint64(3'600'000));
    QCOMPARE(peak.sinceMs, NoLow);
    const qint64 shown = peakCount(view);
    QVERIFY(shown > 0);
    if (exact)
        QCOMPARE(cache.count(Grain::Deliveries, peak), shown);
    else
        QVERIFY(cache.count(Grain::Deliveries, peak) >= shown);
}

void TestSummaryLinks::monthsApartShowTheGap()
{
    // A real flow on 20 July and again (another queue id) on 20 November: four months apart,
    // which SummaryModel leaves unfilled. The chart shows a bar naming the gap between them, and
    // a click on the November bar still shows November's day.
    QTemporaryDir dir;
    QByteArray earlier = flow("deferred-then-sent.log");
    earlier.replace("Nov 20 ", "Jul 20 ");
    earlier.replace("4F2A81C0123", "4F2A81C0456");
    const QString log = QString::fromStdString(write(dir, u"months.log"_s, earlier + flow("deferred-then-sent.log")));
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    SummaryModel model(dir.filePath(u"c.sqlite"_s));
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QCOMPARE(model.stats().byDay.size(), 2u);
    QVERIFY(view.dayChart());
    const auto axes = view.dayChart()->chart()->axes(Qt::Horizontal);
    QCOMPARE(axes.size(), 1);
    auto *x = qobject_cast<QBarCategoryAxis *>(axes.front());
    QVERIFY(x);
    QCOMPARE(x->categories(), (QStringList{u"07-20"_s, u"⋯ 122 days ⋯"_s, u"11-20"_s}));
    const Filter november = asked(view, u"day:2"_s);
    QCOMPARE(november.sinceMs, SummaryModel::dayStartMs(model.stats().byDay.back()));
    QCOMPARE(november.untilMs - november.sinceMs, qint64(86'400'000));
    // The gap is no day: a click on it asks for nothing.
    QSignalSpy spy(&view, &SummaryView::narrowRequested);
    view.activate(u"day:1"_s);
    QCOMPARE(spy.size(), 0);
}

void TestSummaryLinks::fatesThatAreNeitherAreTotals()
{
    // The content-filter log of a real Postfix (tests/data/postfix/golden): 0A80FE643B5 abandoned
    // by its client, BBEABE643B6 discarded, DC853E643B5 held and then deleted.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"filter.log"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), log));
    utimbuf times{1796428800, 1796428800};  // 2026-12-05
    ::utime(log.toLocal8Bit().constData(), &times);
    const QString path = dir.filePath(u"c.sqlite"_s);
    {
        Cache cache;
        QVERIFY(cache.open(path.toStdString()));
        QVERIFY(Ingestor::import(cache, {log.toStdString()}).ok());
    }
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    for (const char *fate : {"abandoned", "discarded", "deleted"}) {
        const QString name = u"total:"_s + QLatin1StringView(fate);
        QCOMPARE(textOf(view.linkLabel(name)), u"1"_s);
        // Each opens its message.
        const Filter f = asked(view, name);
        QCOMPARE(f.statuses, std::vector<std::string>{fate});
        QCOMPARE(cache.count(Grain::Messages, f), 1);
    }
    // None was on hold when the log ended (B14ADE643BF was released): no line for it.
    QVERIFY(!view.linkLabel(u"total:held"_s));
    // postscreen judged one client, twice (PREGREET, then HANGUP).
    auto *clients = view.findChild<QLabel *>(u"clients:counts"_s);
    QVERIFY(clients);
    QVERIFY2(clients->text().contains(u"clients screened (postscreen, DNSBL) 1 (2 verdicts)"_s), qPrintable(clients->text()));
}

QTEST_MAIN(TestSummaryLinks)
#include "tst_summarylinks.moc"
