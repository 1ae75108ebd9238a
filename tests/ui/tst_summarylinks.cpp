// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Summary's links to tries and days, on real logs: "problems started" and "peaked" open the
// failed tries of their time (as the status chart's segments do), not the messages that arrived
// then; the per-day chart shows a gap of months as a gap; the totals name the fates that are
// neither a delivery nor a refusal.
#include "ingest/ingestor.h"
#include "statuscolors.h"
#include "summaryview.h"
#include "testpalette.h"

#include "../cache/testlogs.h"
#include "../cli/offsetlogs.h"
#include "cache/cache.h"
#include "cache/statsqueries.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSet>
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

// "(12 deferred tries, 4 bounces)" -> 16; -1 without such a label.
qint64 peakCount(const SummaryView &view)
{
    const auto *label = view.findChild<QLabel *>(u"problems:kinds"_s);
    if (!label)
        return -1;
    qint64 sum = 0;
    for (const QString &kind : label->text().mid(1).chopped(1).split(u", "_s))
        sum += kind.section(u' ', 0, 0).remove(u',').toLongLong();
    return sum;
}

} // namespace

class TestSummaryLinks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void problemsOpenTheFailedTries_data();
    void problemsOpenTheFailedTries();
    void mixedOffsetsOpenWhatTheyCount();
    void monthsApartShowTheGap();
    void fatesThatAreNeitherAreTotals();
    void connectivityOpensItsRecipients_data();
    void connectivityOpensItsRecipients();
    void numbersOpenTheirRows_data();
    void numbersOpenTheirRows();
    void clientLinksNeverOpenAnEmptyTable();
    void receivedListsNoOtherRows();
    void fitsTheWidth_data();
    void fitsTheWidth();
    void chartsTakeTheStatusColours_data();
    void chartsTakeTheStatusColours();

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
    QTest::addColumn<qint64>("span");  // of the peak, as mailtrail-cli stats names it
    // The bundled sample, one day of 5-minute bars: it peaked in the chart's bar 21:30-21:35 (6
    // deferred tries, 1 reject). Its first problem is a reject. The tries filter, as the chart,
    // also counts a recipient whose last line there was "delivery temporarily suspended" (tried
    // nothing; the Summary does not count it).
    QTest::newRow("sample") << QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log") << false << qint64(300'000);
    // Timed out at 09:00:31 and 10:00:31, then expired days later: one failed try an hour, in a
    // chart of minute bars (mailtrail-cli stats: "between 09:00-09:01 on 2026-11-15").
    QTest::newRow("expired") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/expired.log") << true << qint64(60'000);
}

void TestSummaryLinks::problemsOpenTheFailedTries()
{
    QFETCH(QString, log);
    QFETCH(bool, exact);
    QFETCH(qint64, span);
    QTemporaryDir dir;
    const QString copy = dir.filePath(u"mail.log"_s);
    QVERIFY(QFile::copy(log, copy));
    utimbuf times{1795348800, 1795348800};  // 2026-11-22: the year of their lines
    ::utime(copy.toLocal8Bit().constData(), &times);
    const QString path = testlogs::importedCache(dir, {copy.toStdString()});
    QVERIFY(!path.isEmpty());
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

    // The peak (a log of one day: an hour, or the chart's shorter bar): the tries that failed in it. Where each recipient
    // failed once in it, the table's rows are the number the Summary shows.
    const Filter peak = asked(view, u"problems:peak"_s);
    QCOMPARE(peak.triedAs, std::string("failed"));
    QCOMPARE(peak.triedUntilMs - peak.triedSinceMs, span);
    QCOMPARE(peak.sinceMs, NoLow);
    const qint64 shown = peakCount(view);
    QVERIFY(shown > 0);
    if (exact)
        QCOMPARE(cache.count(Grain::Deliveries, peak), shown);
    else
        QVERIFY(cache.count(Grain::Deliveries, peak) >= shown);
}

// Logs written at +01:00, +09:00 and -05:00 (tst_clitrials' firstFailureInItsLogsClock): the
// first failure is said in the clock of the log that failed, as mailtrail-cli stats says it
// (session 18's trial: the Summary said it in another log's), and the peak's hour, counted in
// each log's own clock, opens the tries it counts (it opened 08:00-09:00 at -05:00: 0 rows).
void TestSummaryLinks::mixedOffsetsOpenWhatTheyCount()
{
    QTemporaryDir dir;
    const offsetlogs::ThreeClocks logs;
    const std::string east = write(dir, u"east.log"_s, logs.east);
    const std::string far = write(dir, u"far.log"_s, logs.far);
    const std::string west = write(dir, u"west.log"_s, logs.west);
    const QString path = testlogs::importedCache(dir, {east, far, west});
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(model.stats().firstProblemMs > 0);
    // Each log's message is read as one: their queue ids are Postfix's.
    QCOMPARE(model.stats().received, std::int64_t(3));
    // 07:50:30 UTC, written 08:50:30 in east.log: said so, with its offset, the day's clock
    // being another log's.
    const QString start = textOf(view.linkLabel(u"problems:start"_s));
    QVERIFY2(start == u"2026-11-22 08:50:30 +01:00"_s || start == u"2026-11-22 08:50:30"_s, qPrintable(start));
    QCOMPARE(model.firstProblemOffset(), 3600);
    const Filter peak = asked(view, u"problems:peak"_s);
    QCOMPARE(peak.triedAs, std::string("failed"));
    const qint64 shown = peakCount(view);
    QCOMPARE(shown, qint64(1));
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    QCOMPARE(cache.count(Grain::Deliveries, peak), shown);
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
    const QString path = testlogs::importedCache(dir, {log.toStdString()});
    QVERIFY(!path.isEmpty());
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
    // "clients screened (postscreen, DNSBL) 1" read as several: each count says its noun in its form.
    QVERIFY2(clients->text().contains(u"1 client screened by postscreen or a DNSBL (2 verdicts)"_s), qPrintable(clients->text()));
    QVERIFY2(!clients->text().contains(QRegularExpression(u"(^|\\D)1 [a-z ]*(warnings|connections|clients)"_s)), qPrintable(clients->text()));
}

namespace {

// A copy of `log` with a modification time in the year of its lines, imported into a cache of
// its own in `dir`; the cache's path.
QString imported(const QTemporaryDir &dir, const QString &log, time_t mtime)
{
    const QString copy = dir.filePath(QFileInfo(log).fileName());
    if (!QFile::copy(log, copy))
        return {};
    utimbuf times{mtime, mtime};
    ::utime(copy.toLocal8Bit().constData(), &times);
    const QString path = dir.filePath(u"c.sqlite"_s);
    Cache cache;
    if (!cache.open(path.toStdString()) || !Ingestor::import(cache, {copy.toStdString()}).ok() || !cache.ensureTextIndex())
        return {};
    return path;
}

// The link's number ("1,234" -> 1234).
qint64 numberOf(const SummaryView &view, const QString &link)
{
    return textOf(view.linkLabel(link)).remove(u',').toLongLong();
}

// The link asked for without a mouse, with what it asks for.
SummaryLink linkOf(SummaryView &view, const QString &name)
{
    QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
    QSignalSpy incidents(&view, &SummaryView::incidentsRequested);
    view.activate(name);
    if (narrowed.size() == 1)
        return narrowed.at(0).at(1).value<SummaryLink>();
    if (incidents.size() == 1)
        return incidents.at(0).at(1).value<SummaryLink>();
    return {};
}

// The names of the view's links that start with `prefix` ("conn:").
QStringList linksStarting(const SummaryView &view, const QString &prefix)
{
    QStringList out;
    for (const QLabel *l : view.findChildren<QLabel *>()) {
        if (l->objectName().startsWith(prefix) && view.linkLabel(l->objectName()) == l)
            out << l->objectName();
    }
    out.sort();
    return out;
}

} // namespace

void TestSummaryLinks::connectivityOpensItsRecipients_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<qint64>("mtime");
    // The sample: six destinations timed out, 27 tries.
    QTest::newRow("sample") << QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log") << qint64(1795348800);
    // Golden logs: one recipient timed out twice, then expired (two tries, one row); a real
    // Postfix's failure to reach its content filter; a delay notification's deferrals.
    QTest::newRow("expired") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/expired.log") << qint64(1795348800);
    QTest::newRow("postfix-3.10.13-filter")
        << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log") << qint64(1796428800);
    QTest::newRow("delay-notification") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/delay-notification.log")
                                        << qint64(1795348800);
}

void TestSummaryLinks::connectivityOpensItsRecipients()
{
    // A connection or DNS problem counts failed tries at a destination; its link lists the
    // recipients of those tries in the Deliveries table, each once: as many rows as the lines of
    // the log name recipients that failed so there (awk-like, below), and no more than the tries.
    // A free-text search for the host listed the messages that merely name it too.
    QFETCH(QString, log);
    QFETCH(qint64, mtime);
    QTemporaryDir dir;
    const QString path = imported(dir, log, static_cast<time_t>(mtime));
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    const QStringList links = linksStarting(view, u"conn:"_s);
    QCOMPARE(links.size(), qsizetype(model.stats().connectivity.size()));
    QVERIFY(!links.isEmpty());
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString lines = QString::fromUtf8(file.readAll());
    static const QRegularExpression failed(u"\\]: ([0-9A-F]+): to=<([^>]*)>.*status=(?:deferred|bounced) \\((.*)\\)$"_s,
                                           QRegularExpression::MultilineOption);
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    for (qsizetype i = 0; i < links.size(); ++i) {
        const StatsSource &row = model.stats().connectivity[static_cast<std::size_t>(i)];
        const QString name = u"conn:"_s + QString::number(i);
        const SummaryLink link = linkOf(view, name);
        QCOMPARE(link.kind, SummaryLink::Kind::Connectivity);
        QCOMPARE(link.grain, std::optional<Grain>(Grain::Deliveries));
        const Filter f = link.applied(Filter{});
        // The recipients the lines name with a failed try of this kind at this destination.
        const QString host = QString::fromStdString(row.key);
        const QString words = SummaryLink::connectivityWords(QString::fromStdString(row.detail));
        QSet<QString> recipients;
        for (auto it = failed.globalMatch(lines); it.hasNext();) {
            const auto m = it.next();
            const QString reply = m.captured(3);
            if (reply.startsWith(u"delivery temporarily suspended"_s))
                continue;  // tried nothing
            if (reply.contains(u"connect to "_s + host + u'[', Qt::CaseInsensitive) && reply.contains(words))
                recipients.insert(m.captured(1) + u' ' + m.captured(2));
        }
        const qint64 rows = cache.count(Grain::Deliveries, f);
        QVERIFY2(rows == recipients.size(), qPrintable(u"%1 (%2): %3 rows, %4 recipients in the lines"_s.arg(
                                                          name, host).arg(rows).arg(recipients.size())));
        QVERIFY(rows > 0);
        QVERIFY(rows <= numberOf(view, name));
        // Where each recipient failed so once, the rows are the number.
        if (row.count == qint64(recipients.size()))
            QCOMPARE(rows, numberOf(view, name));
    }
}

void TestSummaryLinks::numbersOpenTheirRows_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<int>("grain");
    // Recipients are rows of Deliveries: "20 recipients still deferred" lists 20 rows there.
    QTest::newRow("recipients") << u"total:recipients"_s << int(Grain::Deliveries);
    QTest::newRow("sent") << u"total:sent"_s << int(Grain::Deliveries);
    QTest::newRow("still deferred") << u"total:deferred"_s << int(Grain::Deliveries);
    QTest::newRow("bounced") << u"total:bounced"_s << int(Grain::Deliveries);
    QTest::newRow("expired") << u"total:expired"_s << int(Grain::Deliveries);
    QTest::newRow("rejected") << u"total:rejected"_s << int(Grain::Deliveries);
    QTest::newRow("reject reason") << u"reject:0"_s << int(Grain::Deliveries);
    QTest::newRow("rejects of a client") << u"rejectclient:0"_s << int(Grain::Deliveries);
    QTest::newRow("bounce reason") << u"reason:3"_s << int(Grain::Deliveries);
    // Messages are rows of Messages.
    QTest::newRow("messages") << u"total:messages"_s << int(Grain::Messages);
    QTest::newRow("deferred once") << u"total:deferredMessages"_s << int(Grain::Messages);
    QTest::newRow("still queued") << u"total:queued"_s << int(Grain::Messages);
    QTest::newRow("received") << u"total:received"_s << int(Grain::Messages);
    QTest::newRow("not received") << u"total:notReceived"_s << int(Grain::Messages);
    QTest::newRow("top sender") << u"sender:0"_s << int(Grain::Messages);
}

void TestSummaryLinks::numbersOpenTheirRows()
{
    QFETCH(QString, link);
    QFETCH(int, grain);
    QTemporaryDir dir;
    const QString path = imported(dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), 1795348800);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY2(view.linkLabel(link), qPrintable(link));
    const SummaryLink target = linkOf(view, link);
    QCOMPARE(target.grain, std::optional<Grain>(static_cast<Grain>(grain)));
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    QCOMPARE(cache.count(static_cast<Grain>(grain), target.applied(Filter{})), numberOf(view, link));
}

void TestSummaryLinks::receivedListsNoOtherRows()
{
    // The sample's 290 rows of Messages hold 247 messages received in the log (and 43 refused
    // before a queue, queued before the log or notices). "247 messages received" opened all 290,
    // then was no link at all: each of the two numbers opens its own rows, in either listing.
    QTemporaryDir dir;
    const QString path = imported(dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), 1795348800);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    for (const auto &[link, expected] : {std::pair{u"total:received"_s, 247}, std::pair{u"total:notReceived"_s, 43}}) {
        QVERIFY2(view.linkLabel(link), qPrintable(link));
        QCOMPARE(numberOf(view, link), qint64(expected));
        QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
        view.activate(link);
        QCOMPARE(narrowed.size(), 1);
        const SummaryLink target = narrowed.at(0).at(1).value<SummaryLink>();
        QCOMPARE(target.grain, std::optional<Grain>(Grain::Messages));
        for (const bool chains : {false, true}) {
            Filter base;
            base.chains = chains;
            QCOMPARE(cache.count(Grain::Messages, target.applied(base)), qint64(expected));
        }
    }
    // The rows of Messages, the link beside them, still opens every row.
    QCOMPARE(cache.count(Grain::Messages, linkOf(view, u"total:messages"_s).applied(Filter{})), numberOf(view, u"total:messages"_s));
}

void TestSummaryLinks::clientLinksNeverOpenAnEmptyTable()
{
    // The sample's RBL hits, relay denials and rejects by client count rejected recipients: their
    // links list those rows (by the clients' messages; a reject's text seldom names its client).
    // The SASL attackers sent no message: their IPs open their lines, not an empty table.
    QTemporaryDir dir;
    const QString path = imported(dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), 1795348800);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    int rejects = 0, clients = 0;
    for (const QString &prefix : {u"rejectclient:"_s, u"relay:"_s, u"rbl:"_s}) {
        for (const QString &name : linksStarting(view, prefix)) {
            const SummaryLink link = linkOf(view, name);
            QCOMPARE(link.grain, std::optional<Grain>(Grain::Deliveries));
            QVERIFY2(cache.count(Grain::Deliveries, link.applied(Filter{})) == numberOf(view, name), qPrintable(name));
            ++rejects;
        }
    }
    QVERIFY(rejects >= 6);
    StatsQueries queries(cache);
    for (const QString &prefix : {u"auth:messages:"_s, u"client:messages:"_s}) {
        for (const QString &name : linksStarting(view, prefix)) {
            QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
            QSignalSpy asked(&view, &SummaryView::incidentsRequested);
            view.activate(name);
            QCOMPARE(narrowed.size(), 0);
            QCOMPARE(asked.size(), 1);
            const SummaryLink link = asked.at(0).at(1).value<SummaryLink>();
            const QString ip = textOf(view.linkLabel(name));
            QCOMPARE(QString::fromStdString(link.incidents.clientIp), ip);
            QVERIFY(link.incidents.kinds.empty());  // every kind of line
            std::vector<IncidentLine> lines;
            QVERIFY(queries.incidents(Filter{}, link.incidents, 100'000, lines));
            QVERIFY2(!lines.empty(), qPrintable(name));
            for (const IncidentLine &l : lines)
                QCOMPARE(QString::fromStdString(l.clientIp), ip);
            ++clients;
        }
    }
    QVERIFY(clients >= 5);
}

void TestSummaryLinks::fitsTheWidth_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QSize>("size");
    QTest::newRow("light 1000x650") << false << QSize(1000, 650);
    QTest::newRow("dark 1000x650") << true << QSize(1000, 650);
    // The window's own margins and frame at 1000x650 leave the Summary less.
    QTest::newRow("light 960x600") << false << QSize(960, 600);
}

void TestSummaryLinks::fitsTheWidth()
{
    // The sample's Summary at 1000x650 scrolled sideways (the security lists side by side, the
    // four top lists, the totals in three columns): it fits the width, every number whole.
    QFETCH(bool, dark);
    QFETCH(QSize, size);
    QTemporaryDir dir;
    const QString path = imported(dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), 1795348800);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setPalette(breezePalette(dark));
    view.resize(size);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QCoreApplication::processEvents();
    QTRY_COMPARE(view.horizontalScrollBar()->maximum(), 0);
    QVERIFY(view.widget()->width() <= view.viewport()->width());
    for (QLabel *l : view.widget()->findChildren<QLabel *>()) {
        if (!view.linkLabel(l->objectName()) || !l->isVisible())
            continue;
        const int needed = l->fontMetrics().horizontalAdvance(textOf(l));
        QVERIFY2(needed <= l->contentsRect().width(),
                 qPrintable(u"%1: %2 px for %3"_s.arg(l->objectName()).arg(l->contentsRect().width()).arg(needed)));
    }
}

void TestSummaryLinks::chartsTakeTheStatusColours_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestSummaryLinks::chartsTakeTheStatusColours()
{
    // The traffic charts' problems in the colours the table and the status chart give their
    // statuses (statuscolors.h), on either palette; received, no status, in the selection colour.
    QFETCH(bool, dark);
    QTemporaryDir dir;
    const QString path = imported(dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), 1795348800);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    const QPalette palette = breezePalette(dark);
    view.setPalette(palette);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(view.hourChart());
    const auto series = view.hourChart()->chart()->series();
    QCOMPARE(series.size(), 1);
    auto *bars = qobject_cast<QBarSeries *>(series.front());
    QVERIFY(bars);
    const QList<QColor> expected{palette.color(QPalette::Highlight), statusColor(2, palette), statusColor(3, palette),
                                 statusColor(5, palette)};
    QCOMPARE(bars->count(), expected.size());
    const QColor base = view.hourChart()->chart()->backgroundBrush().color();
    for (int i = 0; i < bars->count(); ++i) {
        QCOMPARE(bars->barSets().at(i)->color(), expected.at(i));
        // Readable: well apart from the chart's background.
        QVERIFY2(std::abs(expected.at(i).lightness() - base.lightness()) >= 50, qPrintable(bars->barSets().at(i)->label()));
    }
    QCOMPARE(bars->barSets().at(1)->label(), u"deferred tries"_s);
}

QTEST_MAIN(TestSummaryLinks)
#include "tst_summarylinks.moc"
