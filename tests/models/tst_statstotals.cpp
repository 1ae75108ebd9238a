// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The labels beside the Summary's and `stats`' totals read with their number: "1 message
// discarded", not "1 messages discarded".
#include "statstotals.h"

#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestStatsTotals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labelsAgreeWithTheirNumber_data();
    void labelsAgreeWithTheirNumber();
    void labelsFollowTheLogsOnShow_data();
    void labelsFollowTheLogsOnShow();
    void delayInTheLocale_data();
    void delayInTheLocale();
};

void TestStatsTotals::labelsAgreeWithTheirNumber_data()
{
    QTest::addColumn<qint64>("n");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("label");
    QTest::newRow("one discarded") << qint64(1) << u"discarded"_s << u"message discarded"_s;
    QTest::newRow("two discarded") << qint64(2) << u"discarded"_s << u"messages discarded"_s;
    QTest::newRow("one sent without a line") << qint64(1) << u"sentWithoutLine"_s << u"recipient sent without a line of its own"_s;
    QTest::newRow("one received") << qint64(1) << u"received"_s << u"message received"_s;
    QTest::newRow("one deferred try") << qint64(1) << u"deferrals"_s << u"deferred try"_s;
    QTest::newRow("no deferred try") << qint64(0) << u"deferrals"_s << u"deferred tries"_s;
    QTest::newRow("one sender") << qint64(1) << u"senders"_s << u"distinct sender"_s;
}

void TestStatsTotals::labelsAgreeWithTheirNumber()
{
    QFETCH(qint64, n);
    QFETCH(QString, id);
    QFETCH(QString, label);
    Stats s;
    s.messagesAll = s.received = s.sentWithoutLine = s.discarded = s.deferrals = s.senders = n;
    for (const StatsTotal &t : StatsTotals::of(s)) {
        if (QString::fromLatin1(t.id) == id) {
            QCOMPARE(t.label, label);
            return;
        }
    }
    QFAIL(qPrintable(u"no total %1"_s.arg(id)));
}

void TestStatsTotals::labelsFollowTheLogsOnShow_data()
{
    QTest::addColumn<qsizetype>("logs");
    QTest::addColumn<qint64>("notReceived");
    QTest::addColumn<QString>("label");
    // trial20: 824 logs open, and the Summary said "rows not received in this log".
    QTest::newRow("one log") << qsizetype(1) << qint64(43) << u"rows not received in this log (queued before it, refused, or notices)"_s;
    QTest::newRow("a log and its rotation")
        << qsizetype(2) << qint64(43) << u"rows not received in these logs (queued before them, refused, or notices)"_s;
    QTest::newRow("824 logs, one row")
        << qsizetype(824) << qint64(1) << u"row not received in these logs (queued before them, refused, or a notice)"_s;
    QTest::newRow("unknown, as several")
        << qsizetype(0) << qint64(2) << u"rows not received in these logs (queued before them, refused, or notices)"_s;
}

void TestStatsTotals::labelsFollowTheLogsOnShow()
{
    QFETCH(qsizetype, logs);
    QFETCH(qint64, notReceived);
    QFETCH(QString, label);
    Stats s;
    s.messagesAll = 100;
    s.received = s.messagesAll - notReceived;
    for (const StatsTotal &t : StatsTotals::of(s, logs)) {
        if (QString::fromLatin1(t.id) == u"notReceived"_s) {
            QCOMPARE(t.label, label);
            QCOMPARE(t.value, notReceived);
            return;
        }
    }
    QFAIL("no total of the rows not received");
}

void TestStatsTotals::delayInTheLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("shown");
    QTest::newRow("C, to the millisecond") << u"C"_s << 0.284 << u"0.284 s"_s;
    QTest::newRow("C, trailing zero dropped") << u"C"_s << 0.39 << u"0.39 s"_s;
    QTest::newRow("C, whole") << u"C"_s << 2.0 << u"2 s"_s;
    // trial19: under de_DE the counts read "1.222" and the delays "0.284 s".
    QTest::newRow("de_DE") << u"de_DE"_s << 0.284 << u"0,284 s"_s;
    QTest::newRow("de_DE, grouped") << u"de_DE"_s << 1234.5 << u"1.234,5 s"_s;
    QTest::newRow("en_US, whole") << u"en_US"_s << 365.0 << u"365 s"_s;
}

void TestStatsTotals::delayInTheLocale()
{
    QFETCH(QString, locale);
    QFETCH(double, seconds);
    QFETCH(QString, shown);
    const QLocale before;
    QLocale::setDefault(QLocale(locale));
    Stats s;
    s.delayMedianSec = 0.001;  // times to the millisecond
    const QString got = StatsTotals::delay(s, seconds);
    QLocale::setDefault(before);
    QCOMPARE(got, shown);
}

QTEST_GUILESS_MAIN(TestStatsTotals)
#include "tst_statstotals.moc"
