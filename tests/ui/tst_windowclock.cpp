// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// One clock in the whole window: a log written at +01:00, viewed where the clock says +05:30
// (ctest runs this suite with TZ=Asia/Kolkata), shows every time as its table does: the chart's
// hour and day buckets start at the log's hours and midnights, the axis and the hover say the
// table's times, the filter bar's range and notes are typed and said in them, and so are the
// insights. Each is compared with the table's time text of the same message.
#include "cachetablemodel.h"
#include "cellformat.h"
#include "chartmodel.h"
#include "chartview.h"
#include "filterbar.h"
#include "insightmodel.h"
#include "insightsettings.h"
#include "insightspane.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "session.h"

#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
constexpr int LogOffset = 3600;  // the log's +01:00
constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 Day = 24 * Hour;
} // namespace

class TestWindowClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void viewerZoneIsAnother();
    void hourBucketStartsAtTheLogsHour();
    void dayBucketStartsAtTheLogsMidnight();
    void axisSaysTheTablesTimes();
    void hoverSaysTheTablesTimes();
    void segmentNoteSaysTheTablesTimes();
    void rangeEditsShowTheTablesTimes();
    void insightTimeIsTheTablesClock();

private:
    // The first message of the table now: its time as the table shows it, and the moment.
    QString firstTableTime() const;
    qint64 firstTableMoment() const;
    // Waits for the table's count and its first rows.
    void settleTable();
    // The bar holding `ms`.
    int bucketOf(qint64 ms) const;
    void applyRange(qint64 since, qint64 until);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowClock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
    InsightThresholds low;  // as tst_insightspane: the sample's reject bursts are insights
    low.rejectBurst = 1;
    QSettings settings;
    settings.clear();
    saveInsightThresholds(settings, low);
    m_dir = std::make_unique<QTemporaryDir>();
    // The sample log with RFC 3339 times at +01:00 ("Nov 21 20:00:02" is 2026-11-21T20:00:02+01:00):
    // a log of another zone than the viewer's, whatever TZ the import runs in.
    QFile sample(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    QFile log(m_dir->filePath(u"mail.log"_s));
    QVERIFY(log.open(QIODevice::WriteOnly));
    while (!sample.atEnd()) {
        const QByteArray line = sample.readLine();
        QVERIFY(line.startsWith("Nov 21 "));
        log.write("2026-11-21T" + line.mid(7, 8) + "+01:00" + line.mid(15));
    }
    log.close();
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
    m_window->resize(1400, 900);
    m_window->show();
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs({log.fileName()});
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE(m_window->session()->clock().offsetAt(firstTableMoment()), LogOffset);
}

void TestWindowClock::cleanupTestCase()
{
    m_window.reset();
}

void TestWindowClock::init()
{
    m_window->session()->setFilter(Filter{});
    m_window->session()->chart()->waitForIdle();
    settleTable();
}

void TestWindowClock::settleTable()
{
    const MessageTableModel *table = m_window->session()->messages();
    QTRY_VERIFY(!table->isCounting());
    QTRY_VERIFY(table->rowCount() > 0 && !table->index(0, MessageTableModel::TimeColumn).data().toString().isEmpty());
    QTRY_VERIFY(!table->isFetchingRows());
}

QString TestWindowClock::firstTableTime() const
{
    const MessageTableModel *table = m_window->session()->messages();
    return table->index(0, MessageTableModel::TimeColumn).data().toString();
}

qint64 TestWindowClock::firstTableMoment() const
{
    const MessageTableModel *table = m_window->session()->messages();
    const QString iso = table->index(0, MessageTableModel::TimeColumn).data(CacheTableModel::ExportRole).toString();
    return QDateTime::fromString(iso, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

int TestWindowClock::bucketOf(qint64 ms) const
{
    const ChartModel *chart = m_window->session()->chart();
    for (int b = 0; b < chart->rowCount(); ++b)
        if (chart->headerData(b, Qt::Vertical, ChartModel::BucketStartRole).toLongLong() <= ms &&
            ms < chart->headerData(b, Qt::Vertical, ChartModel::BucketEndRole).toLongLong())
            return b;
    return -1;
}

void TestWindowClock::applyRange(qint64 since, qint64 until)
{
    Filter f;
    f.sinceMs = since;
    f.untilMs = until;
    m_window->session()->setFilter(f);
    m_window->session()->chart()->waitForIdle();
    settleTable();
}

void TestWindowClock::viewerZoneIsAnother()
{
    // Else this suite proves nothing: the viewer's clock must not read as the log's.
    QVERIFY(QDateTime::fromMSecsSinceEpoch(firstTableMoment()).offsetFromUtc() != LogOffset);
    QVERIFY(QDateTime::fromMSecsSinceEpoch(firstTableMoment()).offsetFromUtc() % 3600 != 0);
}

void TestWindowClock::hourBucketStartsAtTheLogsHour()
{
    // A day's range: hour bars. The bar of the first message starts at its hour as the table says it.
    const qint64 first = firstTableMoment();
    applyRange(first - 20 * Hour, first + 4 * Hour);
    QCOMPARE(m_window->session()->chart()->table().bucketMs, Hour);
    const QString time = firstTableTime();  // "2026-11-21 20:00:02"
    const int bucket = bucketOf(first);
    QVERIFY(bucket >= 0);
    const qint64 start = m_window->session()->chart()->headerData(bucket, Qt::Vertical, ChartModel::BucketStartRole).toLongLong();
    QCOMPARE(cellformat::time(start, LogOffset), time.left(13) + u":00:00"_s);
    QCOMPARE(m_window->session()->chart()->headerData(bucket, Qt::Vertical).toString(), time.left(13) + u":00"_s);
}

void TestWindowClock::dayBucketStartsAtTheLogsMidnight()
{
    const qint64 first = firstTableMoment();
    applyRange(first - 60 * Day, first + 60 * Day);
    QCOMPARE(m_window->session()->chart()->table().bucketMs, Day);
    const int bucket = bucketOf(first);
    QVERIFY(bucket >= 0);
    const ChartModel *chart = m_window->session()->chart();
    const qint64 start = chart->headerData(bucket, Qt::Vertical, ChartModel::BucketStartRole).toLongLong();
    const qint64 end = chart->headerData(bucket, Qt::Vertical, ChartModel::BucketEndRole).toLongLong();
    QCOMPARE(cellformat::time(start, LogOffset), firstTableTime().left(10) + u" 00:00:00"_s);
    QCOMPARE(end - start, Day);
    // Every try of the sample (one evening of the log) is in that one bar.
    qint64 elsewhere = 0;
    for (int b = 0; b < chart->rowCount(); ++b)
        for (int c = 0; c < chart->columnCount(); ++c)
            if (b != bucket)
                elsewhere += chart->data(chart->index(b, c)).toLongLong();
    QCOMPARE(elsewhere, 0);
}

void TestWindowClock::axisSaysTheTablesTimes()
{
    // The sample's three hours, as the table has them (20:00 to 23:00): the axis labels its
    // hours, each at the bar whose start the table would show as that hour.
    auto *axis = qobject_cast<QCategoryAxis *>(m_window->chart()->chartView()->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    const QString hour = firstTableTime().mid(11, 2);  // "20"
    const QString next = u"%1:00"_s.arg(hour.toInt() + 1, 2, 10, QChar(u'0'));
    QStringList labels;
    for (const QString &label : axis->categoriesLabels())
        labels << QString(label).remove(QChar(0x200B));
    QVERIFY2(labels.contains(next), qPrintable(labels.join(u", "_s)));
    const ChartModel::Table &table = m_window->session()->chart()->table();
    const QString label = axis->categoriesLabels().at(labels.indexOf(next));
    const double at = axis->endValue(label);
    const int bar = qRound(at + 0.5);
    QVERIFY(bar >= 0 && bar < table.starts.size());
    QCOMPARE(cellformat::time(table.starts[bar], LogOffset).mid(11, 5), next);
}

void TestWindowClock::hoverSaysTheTablesTimes()
{
    const qint64 first = firstTableMoment();
    const int bucket = bucketOf(first);
    QVERIFY(bucket >= 0);
    QCOMPARE(m_window->session()->chart()->table().bucketMs, 5 * 60 * 1000);
    const QString time = firstTableTime();  // "2026-11-21 20:00:02": the bar of 20:00 to 20:05
    const int minute = time.mid(14, 2).toInt() / 5 * 5;
    const QString from = time.left(14) + u"%1"_s.arg(minute, 2, 10, QChar(u'0'));
    const QString to = u"%1:%2"_s.arg(time.mid(11, 2)).arg(minute + 5, 2, 10, QChar(u'0'));
    const QString hover = m_window->chart()->hoverText(bucket);
    QVERIFY2(hover.startsWith(u"<b>%1 – %2</b>"_s.arg(from, to)), qPrintable(hover));
}

void TestWindowClock::segmentNoteSaysTheTablesTimes()
{
    const int bucket = bucketOf(firstTableMoment());
    QVERIFY(bucket >= 0);
    m_window->chart()->clickSegment(bucket, -1);
    const QString time = firstTableTime();
    const int minute = time.mid(14, 2).toInt() / 5 * 5;
    const QString from = time.left(14) + u"%1"_s.arg(minute, 2, 10, QChar(u'0'));
    const QString note = m_window->filterBar()->narrowedText();
    QVERIFY2(note.contains(u"between %1 and "_s.arg(from)), qPrintable(note));
}

void TestWindowClock::rangeEditsShowTheTablesTimes()
{
    // A range set elsewhere (the chart) shows in the edits as the table shows its times, and reads
    // back as the same moments.
    const qint64 first = firstTableMoment();
    applyRange(first, first + Hour);
    const auto edits = m_window->filterBar()->findChildren<QDateTimeEdit *>();
    QCOMPARE(edits.size(), 2);
    QCOMPARE(edits[0]->text(), firstTableTime().left(16));
    QCOMPARE(edits[1]->text(), cellformat::time(first + Hour, LogOffset).left(16));
    const Filter read = m_window->filterBar()->filter();
    QVERIFY2(qAbs(read.sinceMs - first) < 60000, qPrintable(QString::number(read.sinceMs - first)));
    QVERIFY2(qAbs(read.untilMs - first - Hour) < 60000, qPrintable(QString::number(read.untilMs - first - Hour)));
}

void TestWindowClock::insightTimeIsTheTablesClock()
{
    InsightsPane *pane = m_window->insightsPane();
    QTRY_VERIFY(pane->view()->model()->rowCount() > 0);
    const InsightModel *insights = m_window->session()->insights();
    QTreeView *view = pane->view();
    auto *sorted = qobject_cast<QSortFilterProxyModel *>(view->model());
    QVERIFY(sorted);
    int row = -1;  // an insight about messages, in the view's order
    for (int r = 0; r < sorted->rowCount() && row < 0; ++r)
        if (sorted->index(r, 0).data(InsightModel::MessageCountRole).toInt() > 0)
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(sorted->index(row, 0).data(InsightModel::TimeMsRole).toLongLong(),
             insights->index(sorted->mapToSource(sorted->index(row, 0)).row(), 0).data(InsightModel::TimeMsRole).toLongLong());
    const QString shown = pane->timeText(row);
    // The model's own text says it too (a copy, a screen reader), not the viewer's +05:30.
    QCOMPARE(sorted->index(row, InsightModel::Time).data().toString(), shown);
    // Its messages, in the table: the insight fired at one of their times, so its time is among
    // theirs as the table says them (the viewer's clock is hours away).
    pane->activate(sorted->mapToSource(sorted->index(row, 0)).row());
    settleTable();
    const MessageTableModel *table = m_window->session()->messages();
    QVERIFY(table->rowCount() > 0);
    QString earliest = table->index(0, MessageTableModel::TimeColumn).data().toString(), latest = earliest;
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString t = table->index(r, MessageTableModel::TimeColumn).data().toString();
        earliest = std::min(earliest, t);
        latest = std::max(latest, t);
    }
    QVERIFY2(shown >= earliest && shown <= latest, qPrintable(u"%1 not in %2 – %3"_s.arg(shown, earliest, latest)));
}

QTEST_MAIN(TestWindowClock)
#include "tst_windowclock.moc"
