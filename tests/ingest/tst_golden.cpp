// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Golden files, as KSyntaxHighlighting keeps them: every tests/data/<format>/golden/NAME.log is
// imported by the built mailtrail-cli, and its deliveries and timelines must read as the
// references beside it (tests/data/update-golden.sh writes those; a change shows in the diff).
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestGolden : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void references_data();
    void references();

private:
    QTemporaryDir m_out;
};

void TestGolden::initTestCase()
{
    QVERIFY(m_out.isValid());
    QProcess run;
    run.start(u"sh"_s, {QStringLiteral(MAILTRAIL_TEST_DATA "/update-golden.sh"),
                        QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"), m_out.path()});
    QVERIFY(run.waitForFinished(300000));
    QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0, run.readAllStandardError().constData());
}

void TestGolden::references_data()
{
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("written");
    const QDir data(QStringLiteral(MAILTRAIL_TEST_DATA));
    int logs = 0;
    for (const QString &format : data.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir golden(data.filePath(format + u"/golden"_s));
        for (const QString &log : golden.entryList({u"*.log"_s}, QDir::Files)) {
            ++logs;
            const QString name = log.chopped(4);
            for (const QString &suffix : {u".deliveries.csv"_s, u".timelines.txt"_s}) {
                QTest::newRow(qPrintable(format + u'/' + name + suffix))
                    << golden.filePath(name + suffix) << m_out.filePath(format + u'/' + name + suffix);
            }
        }
    }
    QVERIFY(logs > 0);
}

void TestGolden::references()
{
    QFETCH(QString, reference);
    QFETCH(QString, written);
    QFile expected(reference);
    QFile actual(written);
    QVERIFY2(expected.open(QIODevice::ReadOnly), qPrintable(u"no reference "_s + reference + u": run update-golden.sh"_s));
    QVERIFY(actual.open(QIODevice::ReadOnly));
    const QByteArray want = expected.readAll();
    const QByteArray got = actual.readAll();
    if (want != got) {
        QProcess diff;
        diff.start(u"diff"_s, {u"-u"_s, reference, written});
        diff.waitForFinished();
        QFAIL(diff.readAllStandardOutput().constData());
    }
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
