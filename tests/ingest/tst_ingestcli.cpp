// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The ingest options of mailtrail-cli: a chosen log format instead of detection, and the host
// filter, run through the built binary.
#include "../cli/clirun.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

class TestIngestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void hostFilter_data();
    void hostFilter();
    void logFormatOverridesDetection_data();
    void logFormatOverridesDetection();
    void otherProgramsAreNamed_data();
    void otherProgramsAreNamed();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestIngestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestIngestCli::hostFilter_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("messageId");  // of the one message the host has
    QTest::newRow("edge1") << u"edge1"_s << u"one@example.com"_s;
    QTest::newRow("edge2") << u"edge2"_s << u"two@example.com"_s;
    QTest::newRow("no such host") << u"edge3"_s << QString();
}

void TestIngestCli::hostFilter()
{
    QFETCH(QString, host);
    QFETCH(QString, messageId);
    // Two servers logging the same queue id into one file.
    const QString log = copyFlow(*m_dir, u"rfc3339-multihost.log"_s);
    const QString cache = m_dir->filePath(u"c.sqlite"_s);
    const Run run = cli({u"messages"_s, u"--cache"_s, cache, u"--host"_s, host, u"--format"_s, u"csv"_s, log});
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> rows = run.out.trimmed().split('\n').mid(1);
    QCOMPARE(rows.size(), messageId.isEmpty() ? 0 : 1);
    if (!messageId.isEmpty()) {
        QVERIFY2(rows.front().contains(QByteArray(',' + host.toUtf8() + ',')), rows.front().constData());
        QVERIFY2(rows.front().contains(messageId.toUtf8()), rows.front().constData());
    }
}

void TestIngestCli::logFormatOverridesDetection_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("detected: too few postfix lines") << QString() << 1 << QByteArray("not a mail log");
    QTest::newRow("named postfix") << u"postfix"_s << 0 << QByteArray("imported");
    QTest::newRow("named in capitals") << u"Postfix"_s << 0 << QByteArray("imported");
    // A usage error (2), said before any log is read, as an unknown --source-format is.
    QTest::newRow("unknown name") << u"qmail"_s << 2 << QByteArray("no log format is called 'qmail'");
}

void TestIngestCli::logFormatOverridesDetection()
{
    QFETCH(QString, format);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, says);
    // One Postfix message among many dovecot lines: too little Postfix to be detected as such.
    QByteArray data;
    for (int i = 0; i < 40; ++i)
        data += "Nov 20 10:00:00 mx1 dovecot: imap-login: Login: user=<a@example.org>, method=PLAIN\n";
    data += "Nov 20 10:00:01 mx1 postfix/pickup[5100]: 3B4C5D6E7F: uid=0 from=<root>\n"
            "Nov 20 10:00:02 mx1 postfix/qmgr[880]: 3B4C5D6E7F: removed\n";
    const QString log = writeFile(*m_dir, u"mixed.log"_s, data);
    QStringList args{u"import"_s, u"--cache"_s, m_dir->filePath(u"c.sqlite"_s)};
    if (!format.isEmpty())
        args << u"--log-format"_s << format;
    const Run run = cli(args << log);
    QCOMPARE(run.exitCode, exitCode);
    const QByteArray said = run.out + run.err;
    QVERIFY2(said.contains(says), said.constData());
}

void TestIngestCli::otherProgramsAreNamed_data()
{
    QTest::addColumn<QByteArray>("extra");  // appended after the real lines
    QTest::addColumn<bool>("verbose");
    QTest::addColumn<QByteArray>("says");
    // amavis-and-milters.log has 1 amavis line; fail2ban-dovecot.log 10 of dovecot, 1 of auth and
    // 5 that are no syslog line (counted in tests/cache/tst_fileprograms.cpp).
    QTest::newRow("three programs") << QByteArray() << false
                                    << QByteArray(", 5 not understood, 12 from other programs (dovecot 10, amavis 1, auth 1)\n");
    const QByteArray more = "Nov 20 10:00:00 mx1 opendkim[301]: 3B4C5D6E7F: DKIM-Signature field added\n"
                            "Nov 20 10:00:00 mx1 opendmarc[302]: 3B4C5D6E7F: example.org pass\n";
    QTest::newRow("more than three, first three") << more << false
                                                  << QByteArray("14 from other programs (dovecot 10, amavis 1, auth 1, 2 more)\n");
    QTest::newRow("more than three, verbose") << more << true
                                              << QByteArray("14 from other programs (dovecot 10, amavis 1, auth 1, opendkim 1, "
                                                            "opendmarc 1)\n");
}

void TestIngestCli::otherProgramsAreNamed()
{
    QFETCH(QByteArray, extra);
    QFETCH(bool, verbose);
    QFETCH(QByteArray, says);
    QByteArray data;
    for (const char *name : {"/postfix/flows/amavis-and-milters.log", "/programs/fail2ban-dovecot.log"}) {
        QFile f(QLatin1String(MAILTRAIL_TEST_DATA) + QLatin1String(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        data += f.readAll();
    }
    const QString log = writeFile(*m_dir, u"mail.log"_s, data + extra);
    QStringList args{u"import"_s, u"--cache"_s, m_dir->filePath(u"c.sqlite"_s)};
    if (verbose)
        args << u"--verbose"_s;
    const Run run = cli(args << log);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(says), run.out.constData());
    // stats lists them all, from the cache.
    const Run stats = cli({u"stats"_s, u"--cache"_s, m_dir->filePath(u"c.sqlite"_s)});
    QCOMPARE(stats.exitCode, 0);
    QVERIFY2(stats.out.contains("Lines of other programs\n-----------------------\n      10  dovecot\n"), stats.out.constData());
    QCOMPARE(stats.out.contains("opendmarc"), !extra.isEmpty());
}

QTEST_GUILESS_MAIN(TestIngestCli)
#include "tst_ingestcli.moc"
