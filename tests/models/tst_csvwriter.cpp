// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "csvwriter.h"
#include "tableexporter.h"

#include <QBuffer>
#include <QStandardItemModel>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestCsvWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escape_data();
    void escape();
    void rowsEndWithCrLf();
    void copiedRowsAreFormulaSafe_data();
    void copiedRowsAreFormulaSafe();
};

void TestCsvWriter::escape_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("formulaSafe");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"alice@example.com"_s << false << u"alice@example.com"_s;
    QTest::newRow("comma") << u"a, b"_s << false << u"\"a, b\""_s;
    QTest::newRow("quote") << u"say \"hi\""_s << false << u"\"say \"\"hi\"\"\""_s;
    QTest::newRow("newline") << u"line1\nline2"_s << false << u"\"line1\nline2\""_s;
    QTest::newRow("carriage return") << u"a\rb"_s << false << u"\"a\rb\""_s;
    QTest::newRow("empty") << QString() << false << QString();
    QTest::newRow("unicode") << u"jérôme@exämple.de"_s << false << u"jérôme@exämple.de"_s;
    QTest::newRow("formula kept raw for scripts") << u"=HYPERLINK(\"x\")"_s << false << u"\"=HYPERLINK(\"\"x\"\")\""_s;
    QTest::newRow("formula made text") << u"=1+1"_s << true << u"'=1+1"_s;
    QTest::newRow("plus") << u"+33 1 23"_s << true << u"'+33 1 23"_s;
    QTest::newRow("minus") << u"-5"_s << true << u"'-5"_s;
    QTest::newRow("at") << u"@SUM(A1)"_s << true << u"'@SUM(A1)"_s;
    QTest::newRow("formula with comma") << u"=A1,B1"_s << true << u"\"'=A1,B1\""_s;
    QTest::newRow("address is fine") << u"bob@example.com"_s << true << u"bob@example.com"_s;
    QTest::newRow("tab") << u"\tx"_s << true << u"'\tx"_s;
    QTest::newRow("leading carriage return") << u"\rx"_s << true << u"\"'\rx\""_s;
    QTest::newRow("equals inside is fine") << u"a=1+1"_s << true << u"a=1+1"_s;
}

void TestCsvWriter::escape()
{
    QFETCH(QString, field);
    QFETCH(bool, formulaSafe);
    QTEST(CsvWriter::escape(field, formulaSafe), "expected");
}

void TestCsvWriter::rowsEndWithCrLf()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    CsvWriter csv(&buffer);
    QVERIFY(csv.writeRow({u"a"_s, u"b,c"_s, QString()}));
    QVERIFY(csv.writeRow({u"ü"_s}));
    QCOMPARE(buffer.data(), QByteArray("a,\"b,c\",\r\n\xc3\xbc\r\n"));
}

void TestCsvWriter::copiedRowsAreFormulaSafe_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("pasted");
    QTest::newRow("HYPERLINK") << u"=HYPERLINK(\"http://evil.example/\")"_s << u"'=HYPERLINK(\"http://evil.example/\")"_s;
    QTest::newRow("sum") << u"=1+1@example.com"_s << u"'=1+1@example.com"_s;
    QTest::newRow("plus") << u"+cmd@example.com"_s << u"'+cmd@example.com"_s;
    QTest::newRow("at") << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
    // A tab inside a cell would start a new one; it becomes a space, and then the cell is text.
    QTest::newRow("leading tab") << u"\t=1"_s << u" =1"_s;
    QTest::newRow("address") << u"bob@example.com"_s << u"bob@example.com"_s;
}

void TestCsvWriter::copiedRowsAreFormulaSafe()
{
    QFETCH(QString, cell);
    QFETCH(QString, pasted);
    QStandardItemModel model(2, 2);
    model.setItem(1, 0, new QStandardItem(u"first"_s));
    model.setItem(1, 1, new QStandardItem(cell));
    QCOMPARE(TableExporter::toTsv(model, {1}, {0, 1}), u"first\t"_s + pasted + u'\n');
}

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
