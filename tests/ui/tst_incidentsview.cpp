// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The list of incidents behind a Summary number: a page at a time, saying when more follow, with
// times in the log's own clock as the table shows messages.
#include "../cache/testlogs.h"
#include "incidentsview.h"
#include "incidenttablemodel.h"
#include "ingest/ingestor.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {
// The sample's SASL failure (resources/sample/mail.log), in RFC 3339 time two hours east of UTC,
// once a second from 21:43:00, after a message of the same log (its clock is the log's).
QByteArray attack(int failures)
{
    QByteArray log = "2026-11-21T21:40:00.000000+02:00 mx1 postfix/smtpd[9101]: A1B2C3D4E5: client=mail.example.com[192.0.2.10]\n"
                     "2026-11-21T21:40:00.300000+02:00 mx1 postfix/qmgr[880]: A1B2C3D4E5: from=<alice@example.com>, size=300, nrcpt=1 (queue active)\n";
    for (int i = 0; i < failures; ++i) {
        const QTime t = QTime(21, 43, 0).addSecs(i);
        log += "2026-11-21T" + t.toString(u"HH:mm:ss"_s).toLatin1() +
               ".000000+02:00 mx1 postfix/submission/smtpd[55447]: warning: unknown[218.0.186.50]: SASL LOGIN "
               "authentication failed: UGFzc3dvcmQ6\n";
    }
    return log;
}
} // namespace

class TestIncidentsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void moreThanAPageIsSaidAndShownOnRequest();
    void onePageSaysItIsAll();
    void rowsAreALineAndSort();
    void lineFollowsTheSelectionThroughSorting_data();
    void lineFollowsTheSelectionThroughSorting();
    void selectedRowStaysInSightThroughSorting();

private:
    QString cacheWith(QTemporaryDir &dir, int failures);
};

QString TestIncidentsView::cacheWith(QTemporaryDir &dir, int failures)
{
    const QString path = dir.filePath(u"c.sqlite"_s);
    Cache cache;
    if (!cache.open(path.toStdString()) || !Ingestor::import(cache, {write(dir, u"mail.log"_s, attack(failures))}).ok())
        return {};
    return path;
}

void TestIncidentsView::moreThanAPageIsSaidAndShownOnRequest()
{
    QTemporaryDir dir;
    const int failures = IncidentTableModel::PageSize + 3;
    const QString cache = cacheWith(dir, failures);
    QVERIFY(!cache.isEmpty());
    IncidentTableModel model(cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    IncidentsView view(&model, u"SASL failures from 218.0.186.50"_s);
    QSignalSpy loaded(&model, &IncidentTableModel::loaded);
    model.request(Filter{}, IncidentQuery{{1}, {}, {}, {}});
    QVERIFY(loaded.wait(30000));
    // One page, and the words say it is not all of them.
    QCOMPARE(model.rowCount(), IncidentTableModel::PageSize);
    QVERIFY(model.hasMore());
    const QString title = view.findChild<QLabel *>()->text();
    QVERIFY2(title.contains(u"the first 5,000"_s) && title.contains(u"more follow"_s), qPrintable(title));
    QVERIFY(view.showMoreButton()->isEnabled());
    // The time as the log wrote it (+02:00), not in UTC: 21:43:00 is 19:43:00 UTC.
    QCOMPARE(model.index(0, IncidentTableModel::TimeColumn).data().toString(), u"2026-11-21 21:43:00"_s);
    // Show More reads the rest after them.
    view.showMoreButton()->click();
    QVERIFY(loaded.wait(30000));
    QCOMPARE(model.rowCount(), failures);
    QVERIFY(!model.hasMore());
    QVERIFY(!view.showMoreButton()->isEnabled());
    QCOMPARE(model.index(failures - 1, IncidentTableModel::TimeColumn).data().toString(),
             QTime(21, 43, 0).addSecs(failures - 1).toString(u"'2026-11-21 'HH:mm:ss"_s));
    QVERIFY2(view.findChild<QLabel *>()->text().contains(u"5,003 lines"_s), qPrintable(view.findChild<QLabel *>()->text()));
}

void TestIncidentsView::onePageSaysItIsAll()
{
    QTemporaryDir dir;
    const QString cache = cacheWith(dir, 3);
    QVERIFY(!cache.isEmpty());
    IncidentTableModel model(cache);
    IncidentsView view(&model, u"SASL failures"_s);
    QSignalSpy loaded(&model, &IncidentTableModel::loaded);
    model.request(Filter{}, IncidentQuery{{1}, {}, {}, {}});
    QVERIFY(loaded.wait(30000));
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.hasMore());
    // "UGFzc3dvcmQ6" is the prompt the client failed at, said as admins read it.
    const QString detail = model.index(0, IncidentTableModel::DetailColumn).data().toString();
    QVERIFY2(detail.startsWith(u"SASL LOGIN authentication failed: UGFzc3dvcmQ6 — the client failed at the password prompt"_s),
             qPrintable(detail));
    QVERIFY2(detail.contains(u"base64 for \"Password:\""_s), qPrintable(detail));
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(!view.showMoreButton()->isEnabled());
    QCOMPARE(view.findChild<QLabel *>()->text(), u"SASL failures: 3 lines"_s);
}

void TestIncidentsView::rowsAreALineAndSort()
{
    // The rows were twice the height of their line, and no header sorted the list.
    QTemporaryDir dir;
    const QString cache = cacheWith(dir, 3);
    QVERIFY(!cache.isEmpty());
    IncidentTableModel model(cache);
    IncidentsView view(&model, u"SASL failures"_s);
    QSignalSpy loaded(&model, &IncidentTableModel::loaded);
    model.request(Filter{}, IncidentQuery{{1}, {}, {}, {}});
    QVERIFY(loaded.wait(30000));
    QTableView *table = view.table();
    QCOMPARE(table->model()->rowCount(), 3);
    QVERIFY2(table->rowHeight(0) <= table->fontMetrics().height() + 8,
             qPrintable(u"%1 px for a line of %2"_s.arg(table->rowHeight(0)).arg(table->fontMetrics().height())));
    QVERIFY(table->isSortingEnabled());
    // In the log's order at first; the newest first once sorted so.
    QCOMPARE(table->model()->index(0, IncidentTableModel::TimeColumn).data().toString(), u"2026-11-21 21:43:00"_s);
    table->sortByColumn(IncidentTableModel::TimeColumn, Qt::DescendingOrder);
    QCOMPARE(table->model()->index(0, IncidentTableModel::TimeColumn).data().toString(), u"2026-11-21 21:43:02"_s);
    // The line shown below is the selected row's, through the sorting.
    table->selectRow(0);
    QVERIFY(table->model()->index(0, 0).data(IncidentTableModel::LogLineRole).toString().contains(u"21:43:02"_s));
}

void TestIncidentsView::lineFollowsTheSelectionThroughSorting_data()
{
    QTest::addColumn<int>("selected");
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    // -1: the first row as the dialog selects it when its lines come, no click.
    QTest::addRow("first row, as opened, time down") << -1 << int(IncidentTableModel::TimeColumn) << true;
    QTest::addRow("first row, as opened, username") << -1 << int(IncidentTableModel::UserColumn) << false;
    for (int row = 0; row < 3; ++row) {
        QTest::addRow("row %d, time down", row) << row << int(IncidentTableModel::TimeColumn) << true;
        QTest::addRow("row %d, time up", row) << row << int(IncidentTableModel::TimeColumn) << false;
        QTest::addRow("row %d, username", row) << row << int(IncidentTableModel::UserColumn) << true;
    }
}

void TestIncidentsView::lineFollowsTheSelectionThroughSorting()
{
    // After a click on a header the pane below showed the line of a row no longer selected:
    // it shows the selected row's line, or none.
    QFETCH(int, selected);
    QFETCH(int, column);
    QFETCH(bool, descending);
    QTemporaryDir dir;
    const QString cache = cacheWith(dir, 3);
    QVERIFY(!cache.isEmpty());
    IncidentTableModel model(cache);
    IncidentsView view(&model, u"SASL failures"_s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&model, &IncidentTableModel::loaded);
    model.request(Filter{}, IncidentQuery{{1}, {}, {}, {}});
    QVERIFY(loaded.wait(30000));
    QTableView *table = view.table();
    QCOMPARE(table->model()->rowCount(), 3);
    // As a click does: the row selected, the cell current.
    if (selected >= 0)
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(selected, 1)).center());
    const auto shown = [&] {
        const QModelIndexList rows = table->selectionModel()->selectedRows();
        const QString expected = rows.size() == 1 ? rows.first().data(IncidentTableModel::LogLineRole).toString() : QString();
        return std::pair(view.logLine()->toPlainText(), expected);
    };
    QCOMPARE(shown().first, shown().second);
    QVERIFY(!shown().first.isEmpty());
    // A click on the header, as a user sorts (twice: the other way).
    QHeaderView *header = table->horizontalHeader();
    const QPoint section(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, section);
    QCOMPARE(shown().first, shown().second);
    if (descending) {
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, section);
        QCOMPARE(shown().first, shown().second);
    }
    table->sortByColumn(IncidentTableModel::TimeColumn, Qt::AscendingOrder);
    QCOMPARE(shown().first, shown().second);
}

void TestIncidentsView::selectedRowStaysInSightThroughSorting()
{
    // Sorted the other way, the selected line went to the far end of the list, out of sight,
    // while the pane below went on showing it: the row it shows is scrolled to.
    QTemporaryDir dir;
    const QString cache = cacheWith(dir, 80);
    QVERIFY(!cache.isEmpty());
    IncidentTableModel model(cache);
    IncidentsView view(&model, u"SASL failures"_s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&model, &IncidentTableModel::loaded);
    model.request(Filter{}, IncidentQuery{{1}, {}, {}, {}});
    QVERIFY(loaded.wait(30000));
    QTableView *table = view.table();
    QCOMPARE(table->model()->rowCount(), 80);
    QTest::qWait(50);
    const auto selectedInSight = [table] {
        const QModelIndexList rows = table->selectionModel()->selectedRows();
        return rows.size() == 1 && table->viewport()->rect().contains(table->visualRect(rows.first()));
    };
    QVERIFY(selectedInSight());
    for (const Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
        table->sortByColumn(IncidentTableModel::TimeColumn, order);
        QTest::qWait(50);
        QVERIFY2(selectedInSight(), order == Qt::DescendingOrder ? "descending" : "ascending");
        const QModelIndexList rows = table->selectionModel()->selectedRows();
        QCOMPARE(view.logLine()->toPlainText(), rows.first().data(IncidentTableModel::LogLineRole).toString());
    }
}

QTEST_MAIN(TestIncidentsView)
#include "tst_incidentsview.moc"
