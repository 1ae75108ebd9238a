// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The note under the filter bar: what a click on the chart or the Summary narrowed to, in words.
#include "narrowednote.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestNarrowedNote : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saidInPlainWords_data();
    void saidInPlainWords();
    void receivedSaid();
};

namespace {
qint64 utc(int day, int hour, int minute)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, minute), QTimeZone::UTC).toMSecsSinceEpoch();
}
constexpr qint64 Open = -1;  // the end is left open
}

void TestNarrowedNote::saidInPlainWords_data()
{
    QTest::addColumn<QString>("triedAs");
    QTest::addColumn<QString>("destination");
    QTest::addColumn<qint64>("since");
    QTest::addColumn<qint64>("until");
    QTest::addColumn<int>("offsetSeconds");  // the logs' clock
    QTest::addColumn<QString>("rejectReason");
    QTest::addColumn<QString>("said");
    const qint64 bar = utc(21, 19, 0);  // a chart's bar of five minutes
    QTest::newRow("nothing narrowed") << QString() << QString() << Open << Open << 0 << QString() << QString();
    // A deferral reason of the Summary: its host and its reply, or its host when it had none.
    QTest::newRow("reason with a reply") << u"421"_s << u"mx.example.org"_s << Open << Open << 0 << QString()
                                         << u"Only mail with a try answered 421 at mx.example.org."_s;
    QTest::newRow("reason without one") << u"deferred"_s << u"mx.example.org"_s << Open << Open << 0 << QString()
                                        << u"Only mail with a deferred try at mx.example.org."_s;
    QTest::newRow("a try that got none") << u"no-reply"_s << u"mx.example.org"_s << Open << Open << 0 << QString()
                                         << u"Only mail with a try that got no reply at mx.example.org."_s;
    QTest::newRow("delivered, no code") << u"delivered-no-reply"_s << QString() << Open << Open << 0 << QString()
                                        << u"Only mail with a delivery without a reply code."_s;
    QTest::newRow("a destination") << QString() << u"mx.example.org"_s << Open << Open << 0 << QString()
                                   << u"Only mail with a delivery try at mx.example.org."_s;
    QTest::newRow("delivered") << u"delivered"_s << QString() << Open << Open << 0 << QString()
                               << u"Only mail with a try that delivered it."_s;
    QTest::newRow("no enhanced code") << u"no-dsn"_s << QString() << Open << Open << 0 << QString()
                                      << u"Only mail with a try without an enhanced status code."_s;
    // The Summary's "no relay (not sent)" and a connection problem that named no host (trial22).
    QTest::newRow("no relay") << QString() << u"none"_s << Open << Open << 0 << QString()
                              << u"Only mail with a delivery try that reached no relay."_s;
    QTest::newRow("named no host") << u"deferred"_s << u"@example.invalid"_s << Open << Open << 0 << QString()
                                   << u"Only mail with a deferred try that named no host, to example.invalid."_s;
    // The codes of the chart's "Other".
    QTest::newRow("other's reply codes") << u"421,504,no-reply"_s << QString() << Open << Open << 0 << QString()
                                         << u"Only mail with a try answered 421, 504 or none."_s;
    QTest::newRow("other's enhanced codes") << u"5.2.1,5.7.0"_s << QString() << Open << Open << 0 << QString()
                                            << u"Only mail with a try with status 5.2.1 or 5.7.0."_s;
    QTest::newRow("a kind unknown") << u"sideways"_s << QString() << Open << Open << 0 << QString()
                                    << u"Only mail with a try of kind \"sideways\"."_s;
    // A chart segment: its bar and outcome, in the log's clock (the log at +01:00: 19:00 UTC is 20:00).
    QTest::newRow("chart segment") << u"bounced"_s << QString() << bar << bar + 5 * 60000 << 3600 << QString()
                                   << u"Only mail with a try that bounced, between 2026-11-21 20:00 and 20:05."_s;
    // The Summary's "problems peaked" link: any failed try of the hour.
    QTest::newRow("problems peaked") << u"failed"_s << QString() << bar << bar + 3600000 << 3600 << QString()
                                     << u"Only mail with a failed try, between 2026-11-21 20:00 and 21:00."_s;
    QTest::newRow("chart segment, log in UTC") << u"bounced"_s << QString() << bar << bar + 5 * 60000 << 0 << QString()
                                               << u"Only mail with a try that bounced, between 2026-11-21 19:00 and 19:05."_s;
    QTest::newRow("enhanced code") << u"5.7.1"_s << QString() << bar << bar + 5 * 60000 << 3600 << QString()
                                   << u"Only mail with a try with status 5.7.1, between 2026-11-21 20:00 and 20:05."_s;
    // A bar that ends on the next day of the log's clock says that day.
    QTest::newRow("over midnight") << u"deferred"_s << QString() << utc(21, 22, 0) << utc(21, 23, 30) << 3600 << QString()
                                   << u"Only mail with a deferred try, between 2026-11-21 23:00 and 2026-11-22 00:30."_s;
    QTest::newRow("from on") << QString() << QString() << utc(21, 8, 0) << Open << -5 * 3600 << QString()
                             << u"Only mail with a delivery try, from 2026-11-21 03:00 on."_s;
    QTest::newRow("before") << QString() << QString() << Open << utc(21, 8, 0) << 0 << QString()
                            << u"Only mail with a delivery try, before 2026-11-21 08:00."_s;
    // A reject reason of the Summary, alone and with a chart's bar.
    QTest::newRow("reject reason") << QString() << QString() << Open << Open << 0 << u"relay denied"_s
                                   << u"Only rejects for relay denied."_s;
    QTest::newRow("reject reason in a bar") << u"rejected"_s << QString() << bar << bar + 5 * 60000 << 3600 << u"relay denied"_s
                                            << u"Only mail with a rejected try, between 2026-11-21 20:00 and 20:05. "
                                               u"Only rejects for relay denied."_s;
}

void TestNarrowedNote::saidInPlainWords()
{
    QFETCH(QString, triedAs);
    QFETCH(QString, destination);
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    QFETCH(int, offsetSeconds);
    QFETCH(QString, rejectReason);
    Filter f;
    f.triedAs = triedAs.toStdString();
    f.destination = destination.toStdString();
    f.rejectReason = rejectReason.toStdString();
    if (since != Open)
        f.triedSinceMs = since;
    if (until != Open)
        f.triedUntilMs = until;
    QTEST(NarrowedNote::describe(f, LogClock(offsetSeconds)), "said");
}

// The Summary's "messages received" and "rows not received" narrow by no field: the note says so,
// before what else is narrowed.
void TestNarrowedNote::receivedSaid()
{
    Filter f;
    f.received = "yes";
    QCOMPARE(NarrowedNote::describe(f, LogClock(0)), u"Only messages received in these logs."_s);
    f.received = "no";
    f.rejectReason = "RBL";
    QCOMPARE(NarrowedNote::describe(f, LogClock(0)),
             u"Only rows not received in these logs (queued before them, refused, or notices). Only rejects for RBL."_s);
    // One log on show: "this log" (LogWords), as the Summary's total says it.
    QCOMPARE(NarrowedNote::describe(f, LogClock(0), {}, 1),
             u"Only rows not received in this log (queued before it, refused, or notices). Only rejects for RBL."_s);
    QCOMPARE(NarrowedNote::describe(f, LogClock(0), {}, 3),
             u"Only rows not received in these logs (queued before them, refused, or notices). Only rejects for RBL."_s);
}

QTEST_GUILESS_MAIN(TestNarrowedNote)
#include "tst_narrowednote.moc"
