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

QTEST_GUILESS_MAIN(TestStatsTotals)
#include "tst_statstotals.moc"
