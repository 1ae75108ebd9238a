// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The scanning steps the three line parsers share: the two readings of a number must stay apart
// (Postfix's delay=, size= and nrcpt= take the number a value starts with; Exim's S= and pids,
// Sendmail's size= and delay= parts only a value that is wholly a number).
#include "ingest/textscan.h"

#include <QTest>

using namespace mailtrail::textscan;

class TestTextScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbers_data();
    void numbers();
    void unbracket_data();
    void unbracket();
    void consumeTakesOnlyAPrefix();
    void findOfAnswersAsTheStandardDoes_data();
    void findOfAnswersAsTheStandardDoes();
};

void TestTextScan::numbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("leading");
    QTest::addColumn<qint64>("whole");
    QTest::newRow("a number") << QByteArray("4211") << qint64(4211) << qint64(4211);
    QTest::newRow("a number, then more") << QByteArray("12s") << qint64(12) << qint64(-1);
    QTest::newRow("a number, then a comma") << QByteArray("5,") << qint64(5) << qint64(-1);
    QTest::newRow("no number") << QByteArray("x12") << qint64(-1) << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1) << qint64(-1);
    QTest::newRow("a space first") << QByteArray(" 7") << qint64(-1) << qint64(-1);
    QTest::newRow("negative") << QByteArray("-3") << qint64(-3) << qint64(-3);
    QTest::newRow("too large") << QByteArray("99999999999999999999") << qint64(-1) << qint64(-1);
}

void TestTextScan::numbers()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, leading);
    QFETCH(qint64, whole);
    const Text t(text.constData(), static_cast<std::size_t>(text.size()));
    QCOMPARE(qint64(leadingNumber<std::int64_t>(t, -1)), leading);
    QCOMPARE(qint64(wholeNumber<std::int64_t>(t, -1)), whole);
}

void TestTextScan::unbracket_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("bracketed") << QByteArray("<a@b.test>") << QByteArray("a@b.test");
    QTest::newRow("null sender") << QByteArray("<>") << QByteArray("");
    QTest::newRow("bare") << QByteArray("a@b.test") << QByteArray("a@b.test");
    QTest::newRow("opened only") << QByteArray("<a@b.test") << QByteArray("<a@b.test");
    QTest::newRow("one bracket") << QByteArray("<") << QByteArray("<");
}

void TestTextScan::unbracket()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    const Text got = mailtrail::textscan::unbracket(Text(text.constData(), static_cast<std::size_t>(text.size())));
    QCOMPARE(QByteArray(got.data(), static_cast<qsizetype>(got.size())), expected);
}

void TestTextScan::consumeTakesOnlyAPrefix()
{
    Text s = "to=<a@b>, delay=1";
    QVERIFY(!consume(s, "from="));
    QVERIFY(s == "to=<a@b>, delay=1");
    QVERIFY(consume(s, "to="));
    QVERIFY(s == "<a@b>, delay=1");
}

void TestTextScan::findOfAnswersAsTheStandardDoes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("set");
    QTest::addColumn<int>("from");
    QTest::addColumn<qint64>("of");     // findOf, as find_first_of answers
    QTest::addColumn<qint64>("notOf");  // findNotOf, as find_first_not_of answers
    const qint64 none = -1;
    QTest::newRow("program, then pid") << QByteArray("postfix/smtpd[123]: x") << QByteArray("[: ") << 0 << qint64(13) << qint64(0);
    QTest::newRow("program, then colon") << QByteArray("kernel: x") << QByteArray("[: ") << 0 << qint64(6) << qint64(0);
    QTest::newRow("from a position") << QByteArray("a b c") << QByteArray(" ") << 2 << qint64(3) << qint64(2);
    QTest::newRow("separators first") << QByteArray(", ,key=v") << QByteArray(" ,") << 0 << qint64(0) << qint64(3);
    QTest::newRow("separators only") << QByteArray(" , ") << QByteArray(" ,") << 0 << qint64(0) << none;
    QTest::newRow("no stop") << QByteArray("4BDC5C0A2F") << QByteArray(" ,;)") << 0 << none << qint64(0);
    QTest::newRow("digits and a dot") << QByteArray("0.41") << QByteArray("0123456789.") << 0 << qint64(0) << none;
    QTest::newRow("a letter among digits") << QByteArray("0.4s1") << QByteArray("0123456789.") << 0 << qint64(0) << qint64(3);
    QTest::newRow("empty text") << QByteArray() << QByteArray(" ") << 0 << none << none;
    QTest::newRow("empty set") << QByteArray("abc") << QByteArray() << 0 << none << qint64(0);
    QTest::newRow("from the end") << QByteArray("abc") << QByteArray("c") << 3 << none << none;
    QTest::newRow("from past the end") << QByteArray("abc") << QByteArray("c") << 9 << none << none;
    QTest::newRow("a NUL in the text") << QByteArray("a\0b:", 4) << QByteArray(":") << 0 << qint64(3) << qint64(0);
}

void TestTextScan::findOfAnswersAsTheStandardDoes()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, set);
    QFETCH(int, from);
    QFETCH(qint64, of);
    QFETCH(qint64, notOf);
    const Text t(text.constData(), static_cast<std::size_t>(text.size()));
    const Text s(set.constData(), static_cast<std::size_t>(set.size()));
    const auto pos = static_cast<std::size_t>(from);
    const auto asNumber = [](std::size_t p) { return p == npos ? qint64(-1) : qint64(p); };
    QCOMPARE(asNumber(findOf(t, s, pos)), of);
    QCOMPARE(asNumber(findNotOf(t, s, pos)), notOf);
    // The standard's answers, which these stand in for on the hot path.
    QCOMPARE(asNumber(t.find_first_of(s, pos)), of);
    QCOMPARE(asNumber(t.find_first_not_of(s, pos)), notOf);
}

QTEST_GUILESS_MAIN(TestTextScan)
#include "tst_textscan.moc"
