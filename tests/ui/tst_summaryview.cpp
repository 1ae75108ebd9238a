// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Summary view on the bundled sample: the numbers it shows, and the filter each click asks for.
#include "ingest/ingestor.h"
#include "incidenttablemodel.h"
#include "summaryview.h"
#include "testpalette.h"
#include "../cache/testlogs.h"

#include "cache/cache.h"
#include "correlation/correlator.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QTimeZone>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMap>
#include <QSet>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>

#include <utime.h>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

// A cache in `dir` with one log of tests/data imported (`log` relative to it); its path, or empty
// if the import failed.
QString cacheOf(const QTemporaryDir &dir, const QString &log)
{
    const QString file = QStringLiteral(MAILTRAIL_TEST_DATA "/") + log;
    return testlogs::importedCache(dir, {file.toStdString()});
}

} // namespace

class TestSummaryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void numbersShown_data();
    void numbersShown();
    void clickNarrows_data();
    void clickNarrows();
    void incidentCountsShowTheirLines_data();
    void incidentCountsShowTheirLines();
    void filterNarrowsTheNumbers();
    void newerRequestSupersedes();
    void emptyAndBrokenCaches();
    void screenshots_data();
    void screenshots();
    void firstScreenAnswersWithoutScrolling();
    void bounceReasonsGroupWithoutTheirIds();
    void eximRejectsHaveTheirReasons();
    void stillQueuedIsWhatIsNotDone_data();
    void stillQueuedIsWhatIsNotDone();
    void passwordPromptExplained();
    void unlistedReasonsAreCounted();
    void quietSecuritySaysSo();
    void saslFailuresSayWhereFrom_data();
    void saslFailuresSayWhereFrom();
    void columnsSayWhatTheyCount_data();
    void columnsSayWhatTheyCount();
    void problemsStartAtTheFirstFailedTry_data();
    void problemsStartAtTheFirstFailedTry();
    void sampleBeginsWithAProblem();
    void logOfSaslFailuresAloneSaysSo();
    void oneIsSingular();
    void saysWhatItCountsOnceAndWhatItIgnores();
    void problemPeakNamesTheKindsThereAre();
    void problemPeakIsTheCliPeriod_data();
    void problemPeakIsTheCliPeriod();
    void problemKindsAreGroupedAsTheLocale();
    void countColumnsAreAsWideAsTheirNumbers_data();
    void countColumnsAreAsWideAsTheirNumbers();
    void narrowTotalsStayInTheirColumns();
    void reasonsShowTheirDestinationAndWholeText_data();
    void reasonsShowTheirDestinationAndWholeText();
    void longBounceTextIsWhole();
    void totalsAreNamedAsTheTextReport();
    void narrowTotalsPairLikeThings();
    void totalsLinesHoldLikeThings_data();
    void totalsLinesHoldLikeThings();
    void hourChartFitsALogOfHours();
    void noRelayIsNoHostName();

private:
    QTemporaryDir m_dir;
    QString m_cache;
};

namespace {

// Clicks the link's text (the labels are right-aligned), as a user would: false when the link is
// not there or asks for nothing.
bool click(SummaryView &view, const QString &link, Filter &asked)
{
    QLabel *label = view.linkLabel(link);
    if (!label) {
        qWarning("no link %s", qPrintable(link));
        return false;
    }
    view.ensureWidgetVisible(label);
    QSignalSpy spy(&view, &SummaryView::narrowRequested);
    const int width = label->fontMetrics().horizontalAdvance(QTextDocumentFragment::fromHtml(label->text()).toPlainText());
    const QPoint at(label->contentsRect().right() - width / 2, label->contentsRect().center().y());
    QTest::mouseClick(label, Qt::LeftButton, {}, at);
    if (spy.size() != 1)
        return false;
    asked = spy.at(0).at(0).value<Filter>();
    return true;
}

} // namespace

void TestSummaryView::initTestCase()
{
    qRegisterMetaType<Filter>();
    qRegisterMetaType<SummaryLink>();
    // The sample with a modification time in its month, so that its lines get the year 2026.
    const QString log = m_dir.filePath(u"mail.log"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), log));
    utimbuf times{1795348800, 1795348800};
    ::utime(log.toLocal8Bit().constData(), &times);
    m_cache = m_dir.filePath(u"c.sqlite"_s);
    Cache cache;
    QVERIFY(cache.open(m_cache.toStdString()));
    QVERIFY(Ingestor::import(cache, {log.toStdString()}).ok());
    QVERIFY(cache.ensureTextIndex());  // as the window's import job does: text links search it
}

void TestSummaryView::numbersShown_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("text");
    // The same numbers as mailtrail-cli stats and pflogsumm give for the sample (tst_clistats).
    QTest::newRow("received") << u"total:received"_s << u"247"_s;
    QTest::newRow("sent") << u"total:sent"_s << u"328"_s;  // recipient rows: one is delivered to twice
    QTest::newRow("delivered") << u"total:delivered"_s << u"329"_s;  // as mailtrail-cli stats' text says
    QTest::newRow("bounced") << u"total:bounced"_s << u"7"_s;
    QTest::newRow("rejected") << u"total:rejected"_s << u"7"_s;
    // 85 status=deferred lines, 38 of them "delivery temporarily suspended", which tried nothing.
    QTest::newRow("deferrals") << u"total:deferrals"_s << u"47"_s;
    // The stray failure and the run of 158.24.101.0/24, of which .243 failed the most.
    QTest::newRow("SASL failures") << u"auth:total"_s << u"244"_s;
    QTest::newRow("SASL client") << u"auth:0"_s << u"64"_s;
    QTest::newRow("peak hour") << u"peak"_s << u"20:00–21:00"_s;
}

void TestSummaryView::numbersShown()
{
    QFETCH(QString, link);
    QFETCH(QString, text);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QLabel *label = view.linkLabel(link);
    QVERIFY2(label, qPrintable(link));
    QCOMPARE(QTextDocumentFragment::fromHtml(label->text()).toPlainText(), text);
}

void TestSummaryView::clickNarrows_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("statuses");
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("timeRange");
    QTest::newRow("bounced") << u"total:bounced"_s << u"bounced"_s << QString() << QString() << QString() << false;
    QTest::newRow("still queued") << u"total:queued"_s << u"queued,deferred"_s << QString() << QString() << QString() << false;
    // The failed tries of that hour, not an arrival range (tst_summarylinks).
    QTest::newRow("problems peaked") << u"problems:peak"_s << QString() << QString() << QString() << QString() << false;
    QTest::newRow("top sender") << u"sender:0"_s << QString() << u"<root@mx1.example.com>"_s << QString() << QString() << false;
    QTest::newRow("top recipient domain") << u"rcptdomain:0"_s << QString() << QString() << u"*@example.com"_s << QString() << false;
    // The client's messages with a rejected recipient, by their ids (tst_summarylinks).
    QTest::newRow("RBL hit client") << u"rbl:0"_s << u"rejected"_s << QString() << QString() << QString() << false;
    QTest::newRow("peak hour") << u"peak"_s << QString() << QString() << QString() << QString() << true;
    // The top reason is of deferred tries, most of them of recipients delivered or still waiting
    // since: the rows with such a try, whatever their status now.
    QTest::newRow("deferral reason") << u"reason:0"_s << QString() << QString() << QString() << QString() << false;
}

void TestSummaryView::clickNarrows()
{
    QFETCH(QString, link);
    QFETCH(QString, statuses);
    QFETCH(QString, sender);
    QFETCH(QString, recipient);
    QFETCH(QString, text);
    QFETCH(bool, timeRange);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    Filter f;
    QVERIFY(click(view, link, f));
    QStringList got;
    for (const std::string &s : f.statuses)
        got << QString::fromStdString(s);
    QCOMPARE(got.join(u','), statuses);
    QCOMPARE(QString::fromStdString(f.sender), sender);
    QCOMPARE(QString::fromStdString(f.recipient), recipient);
    QCOMPARE(QString::fromStdString(f.text), text);
    QCOMPARE(f.sinceMs != Filter{}.sinceMs && f.untilMs != Filter{}.untilMs, timeRange);
    if (timeRange)
        QVERIFY(f.sinceMs < f.untilMs);
    // The filter the click asks for finds rows: the link leads to what it counted.
    Cache cache;
    QVERIFY(cache.open(m_cache.toStdString(), Cache::Mode::ReadOnly));
    QVERIFY2(cache.count(Grain::Messages, f) > 0 || link.startsWith(u"auth:"_s), qPrintable(link));
}

void TestSummaryView::incidentCountsShowTheirLines_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("words");
    // A SASL failure, and postscreen's judgements of clients: lines of no message.
    QTest::newRow("SASL client") << u"auth:0"_s << 1 << u"158.24.101.243"_s << u"authentication failed"_s;
    // The total: every failure line of every client (the attack), not the messages of its time.
    QTest::newRow("SASL total") << u"auth:total"_s << 1 << QString() << u"authentication failed"_s;
    QTest::newRow("client of most incidents") << u"client:0"_s << 3 << QString() << u"lost connection"_s;
}

void TestSummaryView::incidentCountsShowTheirLines()
{
    QFETCH(QString, link);
    QFETCH(int, kind);
    QFETCH(QString, ip);
    QFETCH(QString, words);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(model.stats().lostConnections > 0);
    QVERIFY2(view.linkLabel(link), qPrintable(link));
    QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
    QSignalSpy asked(&view, &SummaryView::incidentsRequested);
    view.activate(link);
    QCOMPARE(narrowed.size(), 0);
    QCOMPARE(asked.size(), 1);
    const SummaryLink target = asked.at(0).at(1).value<SummaryLink>();
    QCOMPARE(target.incidents.kinds, std::vector<int>{kind});
    if (!ip.isEmpty())
        QCOMPARE(QString::fromStdString(target.incidents.clientIp), ip);
    // The lines it counts, each with its line of the log.
    IncidentTableModel lines(m_cache);
    QSignalSpy loaded(&lines, &IncidentTableModel::loaded);
    lines.request(asked.at(0).at(0).value<Filter>(), target.incidents);
    QVERIFY(loaded.wait(10000));
    const int count = QTextDocumentFragment::fromHtml(view.linkLabel(link)->text()).toPlainText().remove(u',').toInt();
    QCOMPARE(lines.rowCount(), count);
    for (int r = 0; r < lines.rowCount(); ++r) {
        if (link != u"auth:total"_s)  // the total is of every client
            QCOMPARE(lines.index(r, IncidentTableModel::IpColumn).data().toString(), QString::fromStdString(target.incidents.clientIp));
        const QString line = lines.index(r, 0).data(IncidentTableModel::LogLineRole).toString();
        QVERIFY2(line.contains(words) && line.contains(lines.index(r, IncidentTableModel::IpColumn).data().toString()), qPrintable(line));
    }
}

void TestSummaryView::filterNarrowsTheNumbers()
{
    SummaryModel model(m_cache);
    SummaryView view(&model);
    Filter f;
    f.statuses = {"bounced"};
    view.setFilter(f);
    model.waitForIdle();
    QCOMPARE(model.stats().bounced, 7);
    QCOMPARE(model.stats().sent, 0);
    QCOMPARE(QTextDocumentFragment::fromHtml(view.linkLabel(u"total:sent"_s)->text()).toPlainText(), u"0"_s);
}

void TestSummaryView::newerRequestSupersedes()
{
    SummaryModel model(m_cache);
    QSignalSpy updated(&model, &SummaryModel::updated);
    Filter bounced;
    bounced.statuses.push_back("bounced");
    model.request(bounced);
    model.request(Filter{});  // stops the first, whose answer is never shown
    model.waitForIdle();
    QTRY_COMPARE(updated.size(), 1);
    QVERIFY(model.error().isEmpty());
    QCOMPARE(model.stats().sent, 328);
    QVERIFY(!model.isBusy());
}

void TestSummaryView::emptyAndBrokenCaches()
{
    QTemporaryDir dir;
    {
        Cache empty;
        QVERIFY(empty.open(dir.filePath(u"empty.sqlite"_s).toStdString()));
    }
    SummaryModel model(dir.filePath(u"empty.sqlite"_s));
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(model.error().isEmpty());
    QVERIFY(!view.linkLabel(u"total:received"_s));
    QVERIFY(view.findChild<QLabel *>() != nullptr);

    QFile junk(dir.filePath(u"junk.sqlite"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(8192, 'x'));
    junk.close();
    SummaryModel broken(junk.fileName());
    QSignalSpy failed(&broken, &SummaryModel::failed);
    SummaryView brokenView(&broken);
    brokenView.setFilter(Filter{});
    broken.waitForIdle();
    QCOMPARE(failed.size(), 1);
    QVERIFY(!broken.error().isEmpty());
}

void TestSummaryView::screenshots_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestSummaryView::screenshots()
{
    QFETCH(bool, dark);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setPalette(breezePalette(dark));
    view.resize(1100, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(view.hourChart());
    QDir().mkpath(u"/tmp/mailtrail-shots"_s);
    const QString tag = dark ? u"dark"_s : u"light"_s;
    QVERIFY(view.grab().save(u"/tmp/mailtrail-shots/summary-%1.png"_s.arg(tag)));
    // The whole panel, below the fold too.
    view.widget()->resize(view.widget()->sizeHint().expandedTo(QSize(1100, 0)));
    QVERIFY(view.widget()->grab().save(u"/tmp/mailtrail-shots/summary-full-%1.png"_s.arg(tag)));
}

void TestSummaryView::firstScreenAnswersWithoutScrolling()
{
    // "Opens the lab log and sees, without typing, when problems started, the top reasons and the
    // SASL attack": at the window's 900 pixels, not below two charts of traffic.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(1400, 700);  // the Summary's part of a 1400x900 window
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    const auto inView = [&view](const QString &link) {
        QLabel *label = view.linkLabel(link);
        if (!label)
            return false;
        const QPoint top = label->mapTo(view.viewport(), QPoint(0, 0));
        return top.y() >= 0 && top.y() + label->height() <= view.viewport()->height();
    };
    QVERIFY(inView(u"problems:start"_s));
    QVERIFY(inView(u"auth:total"_s));
    QVERIFY(inView(u"reason:0"_s));  // the most frequent deferral or bounce reason
    // The charts come after what they would push away.
    QVERIFY(view.hourChart());
    QVERIFY(view.hourChart()->mapTo(view.widget(), QPoint(0, 0)).y() >
            view.linkLabel(u"reason:0"_s)->mapTo(view.widget(), QPoint(0, 0)).y());
}

void TestSummaryView::bounceReasonsGroupWithoutTheirIds()
{
    // Three bounces from the same host for the same reason; each reply names its recipient and
    // carries a tracking id of its own. They are one reason, counted 3, with a full text kept.
    QTemporaryDir dir;
    QByteArray log;
    const char *const tries[][3] = {{"A1B2C3D4E1", "amy", "a1b2c3d4e5f6071.12"}, {"A1B2C3D4E2", "ben", "f9e8d7c6b5a4032.77"},
                                    {"A1B2C3D4E3", "cat", "0a1b2c3d4e5f601.31"}};
    for (const auto &t : tries) {
        const QByteArray id(t[0]), who(t[1]), track(t[2]);
        log += "Nov 21 10:00:00 mx1 postfix/qmgr[880]: " + id + ": from=<news@example.com>, size=1000, nrcpt=1 (queue active)\n";
        log += "Nov 21 10:00:01 mx1 postfix/smtp[900]: " + id + ": to=<" + who +
               "@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, "
               "status=bounced (host gmail-smtp-in.l.google.com[142.250.1.26] said: 550-5.1.1 The email account that you "
               "tried to reach does not exist. <" + who + "@gmail.com> " + track + " - gsmtp (in reply to RCPT TO command))\n";
        log += "Nov 21 10:00:01 mx1 postfix/qmgr[880]: " + id + ": removed\n";
    }
    const QString file = dir.filePath(u"bounces.log"_s);
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(log);
    out.close();
    const QString path = testlogs::importedCache(dir, {file.toStdString()});
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    model.request(Filter{});
    model.waitForIdle();
    QVERIFY(model.error().isEmpty());
    const std::vector<StatsReason> &reasons = model.stats().reasons;
    QCOMPARE(reasons.size(), std::size_t(1));
    QCOMPARE(reasons[0].status, std::string("bounced"));
    QCOMPARE(reasons[0].count, 3);
    // Shown without what differs (the recipient, the tracking id), with one full text kept.
    QVERIFY2(QString::fromStdString(reasons[0].text).contains(u"<address> <id> - gsmtp"_s), reasons[0].text.c_str());
    QVERIFY(QString::fromStdString(reasons[0].example).contains(u"@gmail.com> "_s));
}

void TestSummaryView::eximRejectsHaveTheirReasons()
{
    // Exim words its rejects its own way: every one of them landed in "other".
    QTemporaryDir dir;
    const QString path = cacheOf(dir, u"exim/golden/exim-4.96-mainlog.log"_s);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    model.request(Filter{});
    model.waitForIdle();
    QVERIFY(model.error().isEmpty());
    QStringList reasons;
    for (const StatsSource &r : model.stats().rejectsByReason)
        reasons << QString::fromStdString(r.key);
    reasons.sort();
    // Unrouteable address, relay not permitted, a message too big; the connect ACL's own words
    // ("554 no service for 127.0.0.2") name no reason.
    QCOMPARE(reasons, (QStringList{u"message size"_s, u"other"_s, u"relay denied"_s, u"unknown user"_s}));

    // A click on each reason's count finds the recipients it counts: Exim's words are not
    // Postfix's (the link searched "relay access denied", found nothing, and "other" all four).
    SummaryView view(&model);
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    Cache cache;
    QVERIFY(cache.open(path.toStdString(), Cache::Mode::ReadOnly));
    const std::vector<StatsSource> byReason = model.stats().rejectsByReason;
    for (std::size_t i = 0; i < byReason.size(); ++i) {
        Filter f;
        QVERIFY(click(view, u"reject:"_s + QString::number(i), f));
        QCOMPARE(cache.count(Grain::Deliveries, f), byReason[i].count);
    }
}

void TestSummaryView::stillQueuedIsWhatIsNotDone_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<qint64>("queued");
    // Sendmail logs no "removed": every message delivered to all its recipients stayed open.
    QTest::newRow("Sendmail, all sent") << u"sendmail/golden/psm-sendmail-plain.log"_s << qint64(0);
    QTest::newRow("Sendmail, one deferred") << u"sendmail/golden/sendmail-8.17.1.9-syslog.log"_s << qint64(1);
}

void TestSummaryView::stillQueuedIsWhatIsNotDone()
{
    QFETCH(QString, log);
    QTemporaryDir dir;
    const QString path = cacheOf(dir, log);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    model.request(Filter{});
    model.waitForIdle();
    QVERIFY(model.error().isEmpty());
    QVERIFY(model.stats().messagesAll > 0);
    QTEST(qint64(model.stats().stillQueued), "queued");
}

void TestSummaryView::passwordPromptExplained()
{
    // The sample's stray failure (218.0.186.50, 21:43:22) ends with "UGFzc3dvcmQ6": said in words.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    auto *label = view.findChild<QLabel *>(u"auth:prompt"_s);
    QVERIFY(label);
    QVERIFY2(label->text().startsWith(u"1 of them: the client failed at the password prompt (UGFzc3dvcmQ6 is base64 for "
                                      "\"Password:\""_s),
             qPrintable(label->text()));
}

// The sample's 47 deferred tries: the top 20 reasons hold 40 of them; the other 7 (the greylisted
// tries among them), and 2 of its 12 bounced or expired recipients, are said to exist. A filter
// whose reasons all fit says nothing more.
void TestSummaryView::unlistedReasonsAreCounted()
{
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    auto *more = view.findChild<QLabel *>(u"reasons:more"_s);
    QVERIFY(more);
    QVERIFY2(more->text().startsWith(u"Not listed: 7 deferred tries and 2 bounced or expired recipients"_s),
             qPrintable(more->text()));
    Filter bounced;
    bounced.statuses.push_back("bounced");
    view.setFilter(bounced);
    model.waitForIdle();
    QVERIFY(!view.findChild<QLabel *>(u"reasons:more"_s));
}

// A log with clients without a message (listed in their own section) but no SASL failure, relay
// denial or RBL hit: Security says there were none rather than stand empty; the sample has them.
void TestSummaryView::quietSecuritySaysSo()
{
    QTemporaryDir dir;
    const QString path = cacheOf(dir, u"postfix/golden/postfix-3.10.13-filter.log"_s);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(!model.stats().clientIncidents.empty());
    QVERIFY(model.stats().authFailuresByClient.empty());
    auto *none = view.findChild<QLabel *>(u"security:none"_s);
    QVERIFY(none);
    QCOMPARE(none->text(), u"No authentication failures, relay denials or RBL hits."_s);

    SummaryModel sample(m_cache);
    SummaryView busy(&sample);
    busy.setFilter(Filter{});
    sample.waitForIdle();
    QVERIFY(!busy.findChild<QLabel *>(u"security:none"_s));
}

void TestSummaryView::saslFailuresSayWhereFrom_data()
{
    // Lines of Exim's test suite (test/log/3403 line 1, a local caller's failure; 3400 lines 18
    // and 22, a client's; tests/data/README.md), the local caller's twice, the second a second later.
    const QByteArray local = " plain1 authenticator failed for U=CALLER: 535 Incorrect authentication data (set_id=userx\\n)\n";
    const QByteArray client = "1999-03-02 09:44:33 plain authenticator failed for H=(test.host) [10.0.0.1] U=CALLER: 535 "
                              "Incorrect authentication data\n"
                              "1999-03-02 09:44:33 login authenticator failed for H=(test.host) [10.0.0.1] U=CALLER: 501 "
                              "Authentication cancelled\n";
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<QString>("words");
    // Not "from 0 clients", as it said.
    QTest::newRow("local callers only") << QByteArray("1999-03-02 09:44:33" + local + "1999-03-02 09:44:34" + local)
                                        << u"SASL authentication failures from local callers"_s;
    QTest::newRow("a client and a local caller") << QByteArray("1999-03-02 09:44:33" + local + client)
                                                 << u"SASL authentication failures from 1 client and a local caller"_s;
    QTest::newRow("a client") << client << u"SASL authentication failures from 1 client"_s;
}

// The total of SASL failures says where they came from as `mailtrail-cli stats` does: clients on
// the network, local callers (no address), or both. Failures of local callers alone are failures
// (the Security section said "No authentication failures" of them, or "from 0 clients" beside
// client incidents).
void TestSummaryView::saslFailuresSayWhereFrom()
{
    QFETCH(QByteArray, log);
    QFETCH(QString, words);
    QTemporaryDir dir;
    const QString path = testlogs::importedCache(dir, {testlogs::write(dir, u"mainlog"_s, log)});
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    // Not "No authentication failures" either, which it said of local callers' alone.
    QVERIFY(!view.findChild<QLabel *>(u"security:none"_s));
    auto *label = view.findChild<QLabel *>(u"auth:words"_s);
    QVERIFY(label);
    QCOMPARE(label->text(), words);
}

void TestSummaryView::columnsSayWhatTheyCount_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("text");
    // Each list of the sample's summary names its columns: which number is messages, recipients, tries.
    QTest::newRow("reasons: count") << u"header:reasons:0"_s << u"tries or recipients"_s;
    QTest::newRow("reasons: host") << u"header:reasons:2"_s << u"destination"_s;
    QTest::newRow("reasons: text") << u"header:reasons:3"_s << u"reply"_s;
    QTest::newRow("connectivity: count") << u"header:connectivity:0"_s << u"failed tries"_s;
    QTest::newRow("connectivity: kind") << u"header:connectivity:2"_s << u"problem"_s;
    QTest::newRow("rejects: count") << u"header:rejects:0"_s << u"recipients"_s;
    QTest::newRow("rejects: example") << u"header:rejects:2"_s << u"example"_s;
    QTest::newRow("rejects by client: host") << u"header:rejectclients:2"_s << u"client host"_s;
    QTest::newRow("SASL by client: host") << u"header:SASL authentication failures by client:2"_s << u"client host"_s;
    QTest::newRow("SASL by user: count") << u"header:SASL authentication failures by username:0"_s << u"failures"_s;
    // Its one client's IP or how many ("4 clients"): not "client IP" over "4 clients".
    QTest::newRow("SASL by user: clients") << u"header:SASL authentication failures by username:2"_s << u"from"_s;
    QTest::newRow("senders") << u"header:sender:"_s << u"messages"_s;
    QTest::newRow("recipient domains") << u"header:rcptdomain:"_s << u"recipients"_s;
    QTest::newRow("destinations") << u"header:relay-host:"_s << u"recipients tried"_s;
    QTest::newRow("destinations by problems") << u"header:problemrelay:"_s << u"recipients not delivered"_s;
}

void TestSummaryView::columnsSayWhatTheyCount()
{
    QFETCH(QString, header);
    QFETCH(QString, text);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    auto *label = view.findChild<QLabel *>(header);
    QVERIFY2(label, qPrintable(header));
    QCOMPARE(label->text(), text);
}

void TestSummaryView::problemsStartAtTheFirstFailedTry_data()
{
    QTest::addColumn<QStringList>("logs");
    QTest::addColumn<QString>("started");
    QTest::addColumn<QString>("words");
    const QString since = u"Problems since the log begins: the first failure at"_s;
    const QString started = u"Problems started at"_s;
    // Timed out at 09:00:31 and 10:00:31, expired days later: the trouble began at the first try,
    // 31 s after the log's first line: the log begins with it.
    QTest::newRow("expired") << QStringList{u"expired.log"_s} << u"2026-11-15 09:00:31"_s << since;
    // Greylisted at 10:00:03, delivered at 10:10:04: a problem, though it ended well.
    QTest::newRow("greylisted, then sent") << QStringList{u"deferred-then-sent.log"_s} << u"2026-11-20 10:00:03"_s << since;
    // Two messages delivered from 13:00:00, then at 15:00:01 a deferral: problems started then,
    // to the second.
    QTest::newRow("later") << QStringList{u"queue-id-reuse.log"_s, u"still-deferred.log"_s} << u"2026-11-20 15:00:01"_s
                           << started;
    // trial20: "since the log begins" with 5 or 824 logs open named one of them.
    QTest::newRow("two logs, from their start") << QStringList{u"expired.log"_s, u"deferred-then-sent.log"_s}
                                                << u"2026-11-15 09:00:31"_s
                                                << u"Problems since the logs begin: the first failure at"_s;
}

void TestSummaryView::problemsStartAtTheFirstFailedTry()
{
    QFETCH(QStringList, logs);
    QFETCH(QString, started);
    QFETCH(QString, words);
    QTemporaryDir dir;
    std::vector<std::string> files;
    for (const QString &log : logs) {
        const QString file = dir.filePath(log);
        QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + log, file));
        utimbuf times{1795348800, 1795348800};  // 2026-11-22: the flows' year
        ::utime(file.toLocal8Bit().constData(), &times);
        files.push_back(file.toStdString());
    }
    const QString path = testlogs::importedCache(dir, files);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QLabel *label = view.linkLabel(u"problems:start"_s);
    QVERIFY(label);
    QCOMPARE(QTextDocumentFragment::fromHtml(label->text()).toPlainText(), started);
    auto *text = view.findChild<QLabel *>(u"problems:words"_s);
    QVERIFY(text);
    QCOMPARE(text->text(), words);
    // The filter names no log: every log of the cache is counted.
    QCOMPARE(model.logs(), logs.size());
}

void TestSummaryView::sampleBeginsWithAProblem()
{
    // The sample's first line is at 20:00:02, its first reject at 20:00:21.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QLabel *label = view.linkLabel(u"problems:start"_s);
    QVERIFY(label);
    QCOMPARE(QTextDocumentFragment::fromHtml(label->text()).toPlainText(), u"2026-11-21 20:00:21"_s);
    auto *words = view.findChild<QLabel *>(u"problems:words"_s);
    QVERIFY(words);
    QCOMPARE(words->text(), u"Problems since the log begins: the first failure at"_s);
}

// fail2ban's Sendmail AUTH log holds SASL failures and no message: "the first failure at" led to
// a table of no row (trial22). The line says what the log holds, and its link lists it.
void TestSummaryView::logOfSaslFailuresAloneSaysSo()
{
    QTemporaryDir dir;
    const QString path = cacheOf(dir, u"sendmail/corpus/fail2ban-sendmail-auth.log"_s);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    const Stats &s = model.stats();
    QCOMPARE(s.messagesAll, 0);
    QVERIFY(s.authFailures > 1);
    auto *words = view.findChild<QLabel *>(u"problems:words"_s);
    QVERIFY(words);
    QVERIFY2(!words->text().contains(u"first failure"_s), qPrintable(words->text()));
    QVERIFY2(words->text().startsWith(u"No delivery failed; %1 SASL authentication failures"_s.arg(s.authFailures)),
             qPrintable(words->text()));
    QVERIFY(!view.linkLabel(u"problems:peak"_s));
    QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
    QSignalSpy asked(&view, &SummaryView::incidentsRequested);
    view.activate(u"problems:start"_s);
    QCOMPARE(narrowed.size(), 0);
    QCOMPARE(asked.size(), 1);
    const SummaryLink target = asked.at(0).at(1).value<SummaryLink>();
    QCOMPARE(target.incidents.kinds, std::vector<int>{static_cast<int>(IncidentKind::AuthFailure)});
    // Every failure the line counts, the first of them at the time it names.
    IncidentTableModel lines(path);
    QSignalSpy loaded(&lines, &IncidentTableModel::loaded);
    lines.request(asked.at(0).at(0).value<Filter>(), target.incidents);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(lines.rowCount(), s.authFailures);
}

// "1 problems", "(1 deferred tries)": no sentence of the Summary counts one
// in the plural, on any of the flow logs (several hold a single problem).
void TestSummaryView::oneIsSingular()
{
    const QRegularExpression plural(uR"((^|[^\d,.])1 (problems|messages|deferred tries|recipients|bounces|rejects)\b)"_s);
    const QRegularExpression one(uR"((^|[(, ])1 (deferred try|bounce|reject)\b)"_s);
    int singulars = 0;
    const QDir flows(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows"));
    for (const QString &name : flows.entryList({u"*.log"_s}, QDir::Files)) {
        QTemporaryDir dir;
        const QString path = cacheOf(dir, u"postfix/flows/"_s + name);
        QVERIFY(!path.isEmpty());
        SummaryModel model(path);
        SummaryView view(&model);
        view.setFilter(Filter{});
        model.waitForIdle();
        for (const QLabel *label : view.findChildren<QLabel *>()) {
            const QString text = QTextDocumentFragment::fromHtml(label->text()).toPlainText();
            QVERIFY2(!plural.match(text).hasMatch(), qPrintable(name + u": "_s + text));
            singulars += text.contains(u"1 problem"_s) || one.match(text).hasMatch();
        }
    }
    QVERIFY(singulars > 0);  // the flows hold a peak of one problem: the check above was exercised
}

void TestSummaryView::saysWhatItCountsOnceAndWhatItIgnores()
{
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(view.linkLabel(u"total:messages"_s));
    // Nothing set: no note.
    QVERIFY(!view.findChild<QLabel *>(u"totals:hops"_s));
    QVERIFY(!view.findChild<QLabel *>(u"security:ignores"_s));
    // Hops listed apart: the table counts hops, the totals chains; the Summary says so.
    view.setHopsApart(true);
    const auto *hops = view.findChild<QLabel *>(u"totals:hops"_s);
    QVERIFY(hops);
    QVERIFY2(hops->text().contains(u"counts once"_s), qPrintable(hops->text()));
    view.setHopsApart(false);
    QVERIFY(!view.findChild<QLabel *>(u"totals:hops"_s));
    // A sender and a search filter narrow the totals, not the SASL failures (lines of no message).
    Filter f;
    f.sender = "example";
    f.text = "mail";
    view.setFilter(f);
    model.waitForIdle();
    QTRY_VERIFY(view.findChild<QLabel *>(u"security:ignores"_s));
    const QString said = view.findChild<QLabel *>(u"security:ignores"_s)->text();
    QVERIFY2(said.contains(u"not the sender and search filter"_s), qPrintable(said));
    QCOMPARE(view.linkLabel(u"auth:total"_s) ? QTextDocumentFragment::fromHtml(view.linkLabel(u"auth:total"_s)->text()).toPlainText()
                                             : QString(),
             u"244"_s);
}

void TestSummaryView::problemPeakNamesTheKindsThereAre()
{
    // "(23 deferred tries, bounces and rejects)" named kinds there were none of; the kinds there
    // are, as mailtrail-cli stats says them: the sample peaked in the chart's bar 21:30-21:35
    // ("Problems peaked between 21:30-21:35 on 2026-11-21: 6 deferred tries, 1 reject"), no bounce.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    const auto *kinds = view.findChild<QLabel *>(u"problems:kinds"_s);
    QVERIFY(kinds);
    QCOMPARE(kinds->text(), u"(6 deferred tries, 1 reject)"_s);
}

void TestSummaryView::problemPeakIsTheCliPeriod_data()
{
    QTest::addColumn<QString>("log");    // "" the sample
    QTest::addColumn<QString>("period");  // as the link says it
    QTest::addColumn<qint64>("span");     // of the failed tries the link shows, in ms
    QTest::addColumn<QString>("kinds");
    // mailtrail-cli stats: "Problems peaked between 21:30-21:35 on 2026-11-21: 6 deferred tries, 1 reject": the chart's
    // 5-minute bar; the window named the hour 22:00-23:00 (23).
    QTest::newRow("sample") << QString() << u"21:30–21:35"_s << qint64(300'000) << u"(6 deferred tries, 1 reject)"_s;
    // A log of minutes: the chart's minute bar, not the whole log.
    QTest::newRow("minutes") << u"exim/golden/exim-4.96-mainlog.log"_s << u"20:35–20:36"_s << qint64(60'000) << u"(2 deferred tries, 2 bounces, 4 rejects)"_s;
}

void TestSummaryView::problemPeakIsTheCliPeriod()
{
    QFETCH(QString, log);
    QFETCH(QString, period);
    QFETCH(qint64, span);
    QFETCH(QString, kinds);
    QTemporaryDir dir;
    const QString path = log.isEmpty() ? m_cache : cacheOf(dir, log);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QLabel *label = view.linkLabel(u"problems:peak"_s);
    QVERIFY(label);
    QCOMPARE(QTextDocumentFragment::fromHtml(label->text()).toPlainText(), period);
    const auto *said = view.findChild<QLabel *>(u"problems:kinds"_s);
    QVERIFY(said);
    QCOMPARE(said->text(), kinds);
    QSignalSpy spy(&view, &SummaryView::narrowRequested);
    view.activate(u"problems:peak"_s);
    QCOMPARE(spy.size(), 1);
    const Filter asked = spy.at(0).at(0).value<Filter>();
    QCOMPARE(asked.triedUntilMs - asked.triedSinceMs, span);
    QVERIFY(model.problemPeak());
    QCOMPARE(asked.triedSinceMs, model.problemPeak()->startMs);
}

void TestSummaryView::problemKindsAreGroupedAsTheLocale()
{
    // "(3617 deferred tries)": every number of the window in the locale's grouping.
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    StatsHour h;
    h.deferred = 3617;
    h.bounced = 1;
    h.rejected = 12000;
    const QString said = SummaryView::problemKinds(h);
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const QString german = SummaryView::problemKinds(h);
    QLocale::setDefault(before);
    QCOMPARE(said, u"3,617 deferred tries, 1 bounce, 12,000 rejects"_s);
    // The traffic charts' count axes too.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(view.hourChart());
    QVERIFY(view.hourChart()->chart()->localizeNumbers());
    QCOMPARE(german, u"3.617 deferred tries, 1 bounce, 12.000 rejects"_s);
}

void TestSummaryView::countColumnsAreAsWideAsTheirNumbers_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("count");  // the first count under it
    QTest::addColumn<bool>("spansNames");  // a top list's: over the counts and their names
    QTest::addColumn<int>("width");
    QTest::newRow("destinations") << u"header:relay-host:"_s << u"relay-host:0"_s << true << 1400;
    QTest::newRow("destinations by problems") << u"header:problemrelay:"_s << u"problemrelay:0"_s << true << 1400;
    // Narrow, two lists to a line: the second line's.
    QTest::newRow("recipient domains, narrow") << u"header:rcptdomain:"_s << u"rcptdomain:0"_s << true << 1100;
    QTest::newRow("reasons") << u"header:reasons:0"_s << u"reason:0"_s << false << 1400;
    QTest::newRow("RBL hits") << u"header:RBL hits, by client:0"_s << u"rbl:0"_s << false << 1400;
}

void TestSummaryView::countColumnsAreAsWideAsTheirNumbers()
{
    // "recipients refused" over "2" and "1" set the counts far from their clients; cut to its
    // longest word, it read "recipients…", and "tries or recipients" "tries or re…" (trial20).
    // A header is whole, and its counts stand right beside what they count.
    QFETCH(QString, header);
    QFETCH(QString, count);
    QFETCH(bool, spansNames);
    QFETCH(int, width);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(width, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QCoreApplication::processEvents();
    const auto *label = view.findChild<QLabel *>(header);
    QVERIFY2(label, qPrintable(header));
    const QFontMetrics fm = label->fontMetrics();
    QVERIFY2(label->contentsRect().width() >= fm.horizontalAdvance(label->text()),
             qPrintable(u"%1: %2 px"_s.arg(label->text()).arg(label->width())));
    QLabel *number = view.linkLabel(count);
    QVERIFY2(number, qPrintable(count));
    const QString digits = QTextDocumentFragment::fromHtml(number->text()).toPlainText();
    QVERIFY(number->alignment() & Qt::AlignRight);
    if (spansNames) {
        // Over the counts and the names, from the counts' left; the counts right beside their
        // names.
        QCOMPARE(label->x(), number->x());
        auto *name = view.findChild<QLabel *>(count.section(u':', 0, 0) + u":name:"_s + count.section(u':', 1));
        QVERIFY2(name, qPrintable(count));
        QVERIFY2(label->geometry().right() > number->geometry().right(), "the header spans the names");
        QVERIFY2(name->x() - number->geometry().right() <= 16,
                 qPrintable(u"count ends at %1, its name starts at %2"_s.arg(number->geometry().right()).arg(name->x())));
        // And under its header's words, not far right of them (the width left over, shared
        // among the lists' columns, set "172" 200 pixels right of "recipients").
        const int digitsLeft = number->geometry().right() - number->fontMetrics().horizontalAdvance(digits);
        QVERIFY2(digitsLeft <= label->x() + fm.horizontalAdvance(label->text()),
                 qPrintable(u"count starts at %1, its header ends at %2"_s.arg(digitsLeft).arg(label->x() + fm.horizontalAdvance(label->text()))));
    } else {
        // Over its column, whose counts end where it ends, at the next column.
        QVERIFY2(std::abs(number->geometry().right() - label->geometry().right()) <= 2,
                 qPrintable(u"count ends at %1, header at %2"_s.arg(number->geometry().right()).arg(label->geometry().right())));
    }
    QVERIFY(number->fontMetrics().horizontalAdvance(digits) <= number->contentsRect().width());
}

void TestSummaryView::narrowTotalsStayInTheirColumns()
{
    // A window of 1000 x 650: "rows not received in this log (queued before it, refused, or
    // notices)" ran across the second column of totals. Each total's number and words keep to
    // their columns: what starts left of another ends before it.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(985, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QCoreApplication::processEvents();
    QWidget *content = view.widget();
    QVERIFY(content);
    QList<QLabel *> totals;
    for (QLabel *l : content->findChildren<QLabel *>()) {
        if (l->objectName().startsWith(u"total:"_s) || l->objectName().startsWith(u"totallabel:"_s))
            totals << l;
    }
    QVERIFY(totals.size() > 10);
    // Narrow (the lists one under the other), three to a line where three fit: they fell to two
    // (session 18's trial: a content filter's log at 1400x900), and the page did not scroll
    // sideways for them.
    QList<int> lefts;
    for (QLabel *l : std::as_const(totals))
        if (!lefts.contains(l->x()))
            lefts << l->x();
    QCOMPARE(lefts.size(), 6);
    QVERIFY(content->width() <= view.viewport()->width());
    std::sort(lefts.begin(), lefts.end());
    for (QLabel *a : std::as_const(totals)) {
        for (QLabel *b : std::as_const(totals)) {
            // On its line; and the first column's words, on any line, before the second column
            // ("rows not received in this log..." ran across it). The last of a line further
            // right takes the rest of its line, as wide.
            const bool sameLine = a->geometry().intersects(QRect(0, b->y(), content->width(), b->height()));
            if (a->x() < b->x() && (sameLine || a->x() == lefts.value(1)))
                QVERIFY2(a->geometry().right() < b->x(), qPrintable(a->objectName() + u" runs into "_s + b->objectName()));
        }
        // Its text whole: as tall as its wrapped lines.
        if (a->wordWrap())
            QVERIFY2(a->height() >= a->heightForWidth(a->width()), qPrintable(a->objectName()));
    }
}

void TestSummaryView::reasonsShowTheirDestinationAndWholeText_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("destination");
    QTest::addColumn<QString>("text");
    // Exim: the bounce's H= host, not the transport; the expiry names no host, its tries the
    // host the line before each names ("H=127.0.0.9 [127.0.0.9] Connection refused"): that host.
    QTest::newRow("exim bounce") << u"exim/golden/exim-4.98.2-mainlog.log"_s << u"bounced"_s << u"127.0.0.1"_s
                                 << u"550 5.1.1 No such user"_s;
    QTest::newRow("exim expiry") << u"exim/golden/exim-4.98.2-mainlog.log"_s << u"expired"_s
                                 << u"127.0.0.9"_s << u"retry timeout exceeded"_s;
    // Sendmail: relay=[127.0.0.9], a host known by its address.
    QTest::newRow("sendmail deferral") << u"sendmail/golden/sendmail-8.17.1.9-syslog.log"_s << u"deferred"_s
                                       << u"127.0.0.9"_s << u"Connection refused by [<ip>]"_s;
}

void TestSummaryView::reasonsShowTheirDestinationAndWholeText()
{
    QFETCH(QString, log);
    QFETCH(QString, status);
    QFETCH(QString, destination);
    QFETCH(QString, text);
    QTemporaryDir dir;
    const QString path = cacheOf(dir, log);
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    const std::vector<StatsReason> &reasons = model.stats().reasons;
    const auto it = std::find_if(reasons.begin(), reasons.end(), [&](const StatsReason &r) {
        return QString::fromStdString(r.status) == status && QString::fromStdString(r.text) == text;
    });
    QVERIFY2(it != reasons.end(), qPrintable(status + u' ' + text));
    const int row = int(it - reasons.begin());
    // The row's destination cell, beside its status.
    QStringList cells;
    for (QLabel *l : view.findChildren<QLabel *>())
        cells << l->text();
    QVERIFY2(cells.contains(destination), qPrintable(cells.join(u" | "_s)));
    QLabel *shown = view.findChild<QLabel *>(u"reasontext:"_s + QString::number(row));
    QVERIFY(shown);
    QCOMPARE(shown->text(), text);
    QVERIFY(shown->toolTip().contains(QString::fromStdString(it->example)));
    // The link narrows the table to the reason's destination.
    QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
    view.activate(u"reason:"_s + QString::number(row));
    QCOMPARE(narrowed.size(), 1);
    const Filter f = narrowed.at(0).at(0).value<Filter>();
    if (it->hostIsRecipientDomain)
        QCOMPARE(QString::fromStdString(f.recipient), u"*@"_s + QString::fromStdString(it->host));
    else
        QCOMPARE(QString::fromStdString(f.destination), QString::fromStdString(it->host));
}

void TestSummaryView::longBounceTextIsWhole()
{
    // The sample's gmail bounce runs over five lines of the window: all of it shows, wrapped, not
    // its first line only.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(1400, 900);
    view.setFilter(Filter{});
    model.waitForIdle();
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QLabel *gmail = nullptr;
    for (QLabel *l : view.findChildren<QLabel *>()) {
        if (l->objectName().startsWith(u"reasontext:"_s) && l->text().contains(u"NoSuchUser"_s))
            gmail = l;
    }
    QVERIFY(gmail);
    QVERIFY(gmail->text().endsWith(u"<id> - gsmtp (in reply to RCPT TO command)"_s));
    QVERIFY(gmail->wordWrap());
    // Tall enough for every line the text wraps to at its width.
    QVERIFY2(gmail->height() >= gmail->heightForWidth(gmail->width()),
             qPrintable(u"%1 < %2"_s.arg(gmail->height()).arg(gmail->heightForWidth(gmail->width()))));
    QVERIFY(gmail->height() > 2 * gmail->fontMetrics().height());
}

void TestSummaryView::totalsAreNamedAsTheTextReport()
{
    // mailtrail-cli stats --format text and the Summary give each number one name: the same
    // label beside the same number in both (the trial read "recipients 268" in one and "367" in
    // the other, "deferred 35" and "20").
    QProcess cli;
    cli.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"),
              {u"stats"_s, u"--cache"_s, m_cache, u"--format"_s, u"text"_s});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QString report = QString::fromUtf8(cli.readAllStandardOutput());
    const QString totals = report.section(u"Grand Totals"_s, 1).section(u"\n\n"_s, 1, 1);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    int compared = 0;
    QStringList seen;
    static const QRegularExpression line(u"^ *(.+?)  (\\S.*)$"_s);
    for (const QString &row : totals.split(u'\n', Qt::SkipEmptyParts)) {
        const auto m = line.match(row);
        QVERIFY2(m.hasMatch(), qPrintable(row));
        const QString value = m.captured(1).trimmed(), label = m.captured(2);
        QVERIFY2(!seen.contains(label), qPrintable(u"two numbers named "_s + label));
        seen << label;
        QLabel *named = nullptr;
        for (QLabel *l : view.findChildren<QLabel *>()) {
            if (l->objectName().startsWith(u"totallabel:"_s) && l->text() == label)
                named = l;
        }
        QVERIFY2(named, qPrintable(u"the Summary has no total named "_s + label));
        const QString id = named->objectName().section(u':', 1);
        // Every total is a link (the messages received in the log and the rows not too, since
        // Filter::received selects them).
        QLabel *number = view.linkLabel(u"total:"_s + id);
        QVERIFY2(number, qPrintable(id));
        QVERIFY2(number->text().contains(u"<a "_s), qPrintable(id));
        QCOMPARE(QTextDocumentFragment::fromHtml(number->text()).toPlainText(), value);
        ++compared;
    }
    QVERIFY(compared >= 15);
    // The numbers that differ in meaning say so; bytes have their unit.
    QVERIFY2(report.contains(QRegularExpression(u"\\n +367  recipients \\(rows of Deliveries\\)\\n"_s)), qPrintable(totals));
    QVERIFY2(report.contains(QRegularExpression(u"\\n +\\d+  distinct addresses delivered to\\n"_s)), qPrintable(totals));
    QVERIFY2(report.contains(QRegularExpression(u"\\n *[\\d.]+ [kM]B  received \\(bytes\\)\\n"_s)), qPrintable(totals));
}

void TestSummaryView::narrowTotalsPairLikeThings()
{
    // At 1000x650 the totals go two to a line: "290 messages" stood beside "43 rows not
    // received", the next line paired those with "recipients". A line pairs like things.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(700, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QTest::qWait(50);
    const auto y = [&view](const QString &id) {
        auto *label = view.findChild<QLabel *>(u"totallabel:"_s + id);
        return label ? label->mapTo(&view, QPoint(0, 0)).y() : -1;
    };
    QVERIFY(y(u"notReceived"_s) >= 0);
    QVERIFY2(y(u"messages"_s) != y(u"notReceived"_s), "narrow: two to a line");
    QCOMPARE(y(u"messages"_s), y(u"received"_s));
    QVERIFY(y(u"notReceived"_s) != y(u"recipients"_s));
    QCOMPARE(y(u"recipients"_s), y(u"sent"_s));
    QVERIFY(y(u"rejected"_s) != y(u"deferrals"_s));
}

void TestSummaryView::totalsLinesHoldLikeThings_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("narrow") << 700;
    QTest::addRow("narrow, three to a line") << 985;  // the Summary's part of a 1000x650 window
    QTest::addRow("wide") << 1300;
}

void TestSummaryView::totalsLinesHoldLikeThings()
{
    // Wide, three to a line, "recipients rejected" stood beside "deferred tries" and "messages
    // still in the queue" beside "received (bytes)": every line holds totals of one group only
    // (narrow, the senders' and the addresses' distinct counts have a line each).
    QFETCH(int, width);
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(width, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QTest::qWait(50);
    const QList<QStringList> groups{
        {u"messages"_s, u"received"_s, u"notReceived"_s},
        {u"recipients"_s, u"sent"_s, u"delivered"_s, u"sentWithoutLine"_s},
        {u"deferred"_s, u"bounced"_s, u"expired"_s, u"rejected"_s},
        {u"deferrals"_s, u"deferredMessages"_s},
        {u"queued"_s, u"held"_s, u"discarded"_s, u"abandoned"_s, u"deleted"_s},
        {u"bytesReceived"_s, u"bytesDelivered"_s},
        {u"senders"_s, u"senderDomains"_s, u"recipientsDelivered"_s, u"recipientDomains"_s},  // distinct addresses
    };
    QMap<int, QSet<int>> groupsOnLine;  // y -> the groups of its totals
    QMap<int, QStringList> idsOnLine;
    int seen = 0;
    for (int g = 0; g < groups.size(); ++g) {
        for (const QString &id : groups[g]) {
            auto *label = view.findChild<QLabel *>(u"totallabel:"_s + id);
            if (!label)
                continue;
            ++seen;
            const int y = label->mapTo(&view, QPoint(0, 0)).y();
            groupsOnLine[y].insert(g);
            idsOnLine[y] << id;
        }
    }
    QVERIFY(seen >= 15);
    QVERIFY2(idsOnLine.size() < seen, "several totals to a line");
    for (auto it = groupsOnLine.cbegin(); it != groupsOnLine.cend(); ++it)
        QVERIFY2(it.value().size() == 1, qPrintable(idsOnLine.value(it.key()).join(u", "_s)));
    // A group longer than a line is shared out evenly: three to a line, "7 recipients rejected"
    // and "78 recipient domains delivered to" stood alone under the three others of their group
    // (trial20).
    QMap<int, QList<qsizetype>> linesOfGroup;  // group -> how many of its totals each of its lines holds
    QMap<int, QStringList> saidOfGroup;
    for (auto it = groupsOnLine.cbegin(); it != groupsOnLine.cend(); ++it) {
        const int g = *it.value().cbegin();
        linesOfGroup[g] << idsOnLine.value(it.key()).size();
        saidOfGroup[g] << idsOnLine.value(it.key()).join(u", "_s);
    }
    for (auto it = linesOfGroup.cbegin(); it != linesOfGroup.cend(); ++it) {
        const auto [fewest, most] = std::minmax_element(it.value().cbegin(), it.value().cend());
        QVERIFY2(*most - *fewest <= 1, qPrintable(saidOfGroup.value(it.key()).join(u" / "_s)));
    }
    // And at 1000x650 each total's words on one line ("recipient domains delivered to" wrapped
    // under its number; narrower, a long one alone on its line wraps in its column).
    for (const QStringList &group : width == 985 ? groups : QList<QStringList>()) {
        for (const QString &id : group) {
            if (auto *label = view.findChild<QLabel *>(u"totallabel:"_s + id))
                QVERIFY2(label->height() < 2 * label->fontMetrics().lineSpacing(), qPrintable(id));
        }
    }
}

void TestSummaryView::hourChartFitsALogOfHours()
{
    // The sample spans 20:00 to 23:00 of one day: its hours, not 24 slots of which 21 are empty.
    SummaryModel model(m_cache);
    SummaryView view(&model);
    view.resize(1100, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFilter(Filter{});
    model.waitForIdle();
    QVERIFY(view.hourChart());
    const auto axes = view.hourChart()->chart()->axes(Qt::Horizontal);
    QCOMPARE(axes.size(), 1);
    auto *x = qobject_cast<QBarCategoryAxis *>(axes.constFirst());
    QVERIFY(x);
    QVERIFY2(x->count() <= 4, qPrintable(x->categories().join(u' ')));
    QCOMPARE(x->categories().constFirst(), u"20:00–21:00"_s);
    QCOMPARE(view.hourRange().first, 20);
    // The first bar's link is its hour's range: 20:00 to 21:00.
    QSignalSpy narrowed(&view, &SummaryView::narrowRequested);
    view.activate(u"hour:0"_s);  // a click on the first bar
    QCOMPARE(narrowed.size(), 1);
    const Filter f = narrowed.at(0).at(0).value<Filter>();
    QCOMPARE(f.untilMs - f.sinceMs, 3'600'000);
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(f.sinceMs, QTimeZone::fromSecondsAheadOfUtc(model.stats().byDay.front().utcOffsetSec)).time(),
             QTime(20, 0));
}

void TestSummaryView::noRelayIsNoHostName()
{
    // Postfix writes relay=none where no server was tried (a domain that does not resolve):
    // "none" stood among the destinations by problems as if it were a host (session 18's trial).
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (const char *id : {"5755494C62", "60DCEEE5FA"}) {
            const QByteArray head = QByteArray("Nov 20 00:00:01 mx1 postfix/");
            f.write(head + "smtpd[1]: " + id + ": client=a.example[192.0.2.1]\n");
            f.write(head + "qmgr[2]: " + id + ": from=<a@example.org>, size=100, nrcpt=1 (queue active)\n");
            f.write(head + "smtp[3]: " + id + ": to=<team@zenith-foods.com>, relay=none, delay=0.02, delays=0.02/0/0/0, "
                    "dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=zenith-foods.com "
                    "type=AAAA: Host not found)\n");
            f.write(head + "qmgr[2]: " + id + ": removed\n");
        }
    }
    const QString path = testlogs::importedCache(dir, {log.toStdString()});
    QVERIFY(!path.isEmpty());
    SummaryModel model(path);
    SummaryView view(&model);
    view.setFilter(Filter{});
    model.waitForIdle();
    int named = 0;
    for (const auto *label : view.findChildren<const QLabel *>()) {
        if (!label->objectName().startsWith(u"problemrelay:name:"_s) && !label->objectName().startsWith(u"relay-host:name:"_s))
            continue;
        QVERIFY2(label->text() != u"none"_s, qPrintable(label->objectName()));
        if (label->text() == u"no relay (not sent)"_s) {
            ++named;
            QVERIFY(label->toolTip().contains(u"relay=none"_s));
        }
    }
    QVERIFY(named > 0);
}

QTEST_MAIN(TestSummaryView)
#include "tst_summaryview.moc"
