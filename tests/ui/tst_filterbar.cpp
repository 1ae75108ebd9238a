// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The filter bar shows a filter set elsewhere (the chart, the summary, Back) and reads back the
// same filter: an open end of a time range stays open.
#include "filterbar.h"

#include <QDateTime>
#include <QDateTimeEdit>
#include <QLineEdit>
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
    void narrowBarKeepsItsFieldsReadable();
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

void TestFilterBar::narrowBarKeepsItsFieldsReadable()
{
    // The bar beside the view tabs of a window 1100 pixels wide, a from-to range chosen.
    FilterBar bar;
    bar.resize(800, bar.sizeHint().height());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    Filter f;
    f.sinceMs = QDateTime(QDate(2026, 11, 21), QTime(20, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    f.untilMs = QDateTime(QDate(2026, 11, 21), QTime(23, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    bar.setFilter(f);
    bar.resize(800, bar.sizeHint().height());
    QTRY_VERIFY(bar.findChildren<QDateTimeEdit *>().at(0)->isVisible());
    const QList<QDateTimeEdit *> edits = bar.findChildren<QDateTimeEdit *>();
    const QList<QLineEdit *> fields = bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly);
    QVERIFY(fields.size() >= 4);
    int fieldsBottom = 0;
    for (QLineEdit *field : fields) {
        if (field->placeholderText().startsWith(QLatin1String("Search")))
            continue;  // the free-text field takes what is left
        // Its placeholder ("Recipient", "Code") is read whole.
        QVERIFY2(field->width() >= field->fontMetrics().horizontalAdvance(field->placeholderText()),
                 qPrintable(field->placeholderText()));
        fieldsBottom = std::max(fieldsBottom, field->geometry().bottom());
    }
    for (QDateTimeEdit *edit : edits) {
        QVERIFY(edit->width() >= edit->sizeHint().width());
        QVERIFY(edit->mapTo(&bar, QPoint(0, 0)).y() > fieldsBottom);
    }
}

QTEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"
