// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The export of a grain (TableExporter::grainRows) writes the file `mailtrail-cli messages|deliveries
// --format csv` prints for the same filter: same columns, same cells. The window's export of the
// Messages grain wrote "a@x (+2)" for the recipients and put the dsn in the code's column.
#include "clirun.h"
#include "tableexporter.h"

#include "cache/filter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;
using namespace mailtrail;

class TestCliExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exportIsTheCliCsv_data();
    void exportIsTheCliCsv();
};

void TestCliExport::exportIsTheCliCsv_data()
{
    QTest::addColumn<int>("grain");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("statuses");
    QTest::addColumn<QString>("sender");
    QTest::newRow("messages") << int(Grain::Messages) << QStringList() << QStringList() << QString();
    QTest::newRow("messages, sent or bounced") << int(Grain::Messages) << QStringList{u"--status"_s, u"sent,bounced"_s}
                                               << QStringList{u"sent"_s, u"bounced"_s} << QString();
    QTest::newRow("messages of alice") << int(Grain::Messages) << QStringList{u"--sender"_s, u"alice"_s} << QStringList()
                                       << u"alice"_s;
    QTest::newRow("deliveries") << int(Grain::Deliveries) << QStringList() << QStringList() << QString();
}

void TestCliExport::exportIsTheCliCsv()
{
    QFETCH(int, grain);
    QFETCH(QStringList, options);
    QFETCH(QStringList, statuses);
    QFETCH(QString, sender);
    QTemporaryDir dir;
    const QString cache = dir.filePath(u"c.sqlite"_s);
    // Several recipients of one message (the sendmail sample), a bounce and its notification.
    const QString sendmail = dir.filePath(u"maillog"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/golden/sendmail-8.17.1.9-syslog.log"), sendmail));
    const QString postfix = copyFlow(dir, u"bounce-with-notification.log"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache, u"--year"_s, u"2026"_s, sendmail, postfix}).exitCode, 0);

    const Run csv = cli(QStringList{grain == int(Grain::Messages) ? u"messages"_s : u"deliveries"_s, u"--cache"_s, cache,
                                    u"--format"_s, u"csv"_s} + options);
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.count('\n') > 2);

    Filter filter;
    filter.chains = true;  // as the CLI lists them without --hops
    for (const QString &s : statuses)
        filter.statuses.push_back(s.toStdString());
    filter.sender = sender.toStdString();
    const QString path = dir.filePath(u"export.csv"_s);
    const TableExporter::Result result = TableExporter::exportRows(
        cache.toStdString(), TableExporter::grainRows(static_cast<Grain>(grain), filter, Sort{}),
        TableExporter::grainHeader(static_cast<Grain>(grain)), path);
    QVERIFY2(result.ok, qPrintable(result.error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), csv.out);
}

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cliexport.moc"
