// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The filter bar shows a filter set elsewhere (the chart, the summary, Back) and reads back the
// same filter: an open end of a time range stays open.
#include "filterbar.h"

#include <QDateTime>
#include <QTest>

#include <limits>

using namespace mailtrail;

namespace {
constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();
} // namespace

class TestFilterBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openEndsReadBackOpen_data();
    void openEndsReadBackOpen();
};

void TestFilterBar::openEndsReadBackOpen_data()
{
    QTest::addColumn<qint64>("since");
    QTest::addColumn<qint64>("until");
    const qint64 noon = QDateTime(QDate(2026, 11, 22), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    // "Problems started at" in the summary: a start and no end.
    QTest::newRow("from a time on") << noon << NoHigh;
    QTest::newRow("up to a time") << NoLow << noon;
    QTest::newRow("closed range") << noon << noon + 3600000;
}

void TestFilterBar::openEndsReadBackOpen()
{
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    FilterBar bar;
    bar.setLatestTime(QDateTime(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch());
    Filter f;
    f.sinceMs = since;
    f.untilMs = until;
    bar.setFilter(f);
    QCOMPARE(bar.filter().sinceMs, since);
    QCOMPARE(bar.filter().untilMs, until);
}

QTEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"
