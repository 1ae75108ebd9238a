// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli and the cache it is given: logs that never reach it, a cache that is missing, is a
// folder or cannot be written. Each case must say what is wrong, never answer with nothing.
#include "clirun.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

class TestCliCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void logsNotInTheCacheAreReported_data();
    void logsNotInTheCacheAreReported();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
};

void TestCliCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCliCache::logsNotInTheCacheAreReported_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("log");
    QTest::addColumn<QByteArray>("reason");
    for (const QString &command : {u"messages"_s, u"deliveries"_s, u"timeline"_s}) {
        QTest::addRow("%s, missing file", qPrintable(command))
            << command << u"missing.log"_s << QByteArray("those that could not be imported are named above");
        QTest::addRow("%s, not a log", qPrintable(command))
            << command << u"notes.txt"_s << QByteArray("those that could not be imported are named above");
        QTest::addRow("%s, empty file", qPrintable(command))
            << command << u"empty.log"_s << QByteArray("they are empty");
    }
}

void TestCliCache::logsNotInTheCacheAreReported()
{
    QFETCH(QString, command);
    QFETCH(QString, log);
    QFETCH(QByteArray, reason);
    writeFile(*m_dir, u"notes.txt"_s, "shopping list\nmilk\neggs\n");
    writeFile(*m_dir, u"empty.log"_s, {});
    QStringList args{command, u"--cache"_s, cache()};
    if (command == u"timeline"_s)
        args << u"4F2A81C0123"_s;
    const Run r = cli(args << m_dir->filePath(log));
    QCOMPARE(r.exitCode, 1);
    const QByteArray said = "mailtrail-cli " + command.toUtf8() + ": none of the given logs is in the cache";
    QVERIFY2(r.err.contains(said), r.err.constData());
    QVERIFY2(r.err.contains(reason), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliCache)
#include "tst_clicache.moc"
