// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "csvwriter.h"

#include <QBuffer>
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

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
