// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// `mailtrail-cli follow --alerts` and the window's Insights (a replay of the cache) run the same
// rules over the same log: they must fire the same insights, at the same log times.
#include "cache/cache.h"
#include "insightmodel.h"
#include "insightreplay.h"
#include "insightsettings.h"
#include "timeformat.h"

#include <QDateTime>
#include <QDebug>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <utime.h>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

// Low enough that the small real logs fire every kind they can.
constexpr const char *LowThresholds = "[insights]\nfailureMinimum=3\nfailureShare=0.2\ndeferringMinutes=0\nqueueMinimum=1\n"
                                      "rejectBurst=1\nauthFailureBurst=3\nsilenceHours=1\nsilenceAfterDeliveries=3\n";

QString line(const QString &kind, const QString &subject, qint64 timeMs)
{
    return kind + u' ' + subject + u" at "_s + isoTime(timeMs, 0);
}

// An alerts config of the defaults, or of LowThresholds.
QString writeConfig(const QTemporaryDir &dir, bool low)
{
    const QString config = dir.filePath(u"alerts.ini"_s);
    QFile ini(config);
    if (!ini.open(QIODevice::WriteOnly))
        return {};
    ini.write(low ? LowThresholds : "[insights]\n");
    return config;
}

// Runs `mailtrail-cli follow --alerts` on the logs until its first import is done (it says
// "following"), stops it, and gives the alerts it printed.
bool followAlerts(const QString &cache, const QString &config, const QStringList &logs, QList<QJsonObject> *alerts)
{
    QProcess follow;
    follow.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"),
                 QStringList{u"follow"_s, u"--cache"_s, cache, u"--format"_s, u"jsonl"_s, u"--alerts"_s, u"--alert-config"_s, config}
                     + logs);
    if (!follow.waitForStarted())
        return false;
    QByteArray err;
    if (!QTest::qWaitFor([&] { return (err += follow.readAllStandardError()).contains("following"); }, 60000)) {
        qWarning().noquote() << "mailtrail-cli follow never said \"following\":" << err;
        return false;
    }
    follow.terminate();
    if (!follow.waitForFinished(30000) || follow.exitCode() != 0)
        return false;
    for (const QByteArray &bytes : follow.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(bytes).object();
        if (o[u"type"_s].toString() == u"alert"_s)
            alerts->append(o);
    }
    return true;
}

} // namespace

class TestAlertsAgree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followAndReplayFireTheSame_data();
    void followAndReplayFireTheSame();
    void followKeepsTwoServersApart();
};

void TestAlertsAgree::followAndReplayFireTheSame_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<bool>("low");
    const char *const logs[] = {"resources/sample/mail.log",
                                "tests/data/postfix/golden/postfix-3.10.13-filter.log",
                                "tests/data/postfix/golden/postfix-3.10.13-companions.log",
                                "tests/data/postfix/golden/deferred-then-sent.log",
                                "tests/data/postfix/golden/expired.log",
                                "tests/data/postfix/golden/noqueue-reject.log",
                                "tests/data/postfix/golden/bounce-with-notification.log",
                                "tests/data/postfix/flows/sasl-failures.log",
                                "tests/data/exim/golden/exim-4.98.2-mainlog.log",
                                "tests/data/exim/golden/exim-4.96-mainlog.log",
                                "tests/data/sendmail/golden/sendmail-8.17.1.9-syslog.log"};
    for (const char *log : logs) {
        const QString name = QString::fromLatin1(log).section(u'/', -1);
        QTest::addRow("%s, defaults", qPrintable(name)) << QString::fromLatin1(log) << false;
        QTest::addRow("%s, low thresholds", qPrintable(name)) << QString::fromLatin1(log) << true;
    }
}

void TestAlertsAgree::followAndReplayFireTheSame()
{
    QFETCH(QString, log);
    QFETCH(bool, low);
    QTemporaryDir dir;
    const QString copy = dir.filePath(u"mail.log"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_SOURCE_DIR "/") + log, copy));
    utimbuf times{1796428800, 1796428800};  // 2026-12-05: the year of every log here
    ::utime(copy.toLocal8Bit().constData(), &times);
    const QString config = writeConfig(dir, low);
    QVERIFY(!config.isEmpty());
    const QString cache = dir.filePath(u"c.sqlite"_s);

    // The follow: its first import reads the whole log, and prints what fired.
    QList<QJsonObject> alerts;
    QVERIFY(followAlerts(cache, config, {copy}, &alerts));
    QStringList followed;
    for (const QJsonObject &o : std::as_const(alerts))
        followed << line(o[u"kind"_s].toString(), o[u"subject"_s].toString(),
                         QDateTime::fromString(o[u"time"_s].toString(), Qt::ISODate).toMSecsSinceEpoch());

    // The window's: a replay of what that follow wrote.
    Cache opened;
    QVERIFY(opened.open(cache.toStdString(), Cache::Mode::ReadOnly));
    QSettings settings(config, QSettings::IniFormat);
    InsightModel model;
    InsightReplay replay(cache, &model);
    replay.restart(opened.fileIdsFor({copy.toStdString()}), loadInsightThresholds(settings));
    QTRY_VERIFY_WITH_TIMEOUT(!replay.isBusy(), 60000);
    QStringList replayed;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Insight &i = model.insight(row);
        replayed << line(QString::fromLatin1(insightKindName(i.kind)), QString::fromStdString(i.subject), i.timeMs);
    }
    followed.sort();
    replayed.sort();
    if (replayed != followed)
        qWarning().noquote() << "follow --alerts:\n" << followed.join(u"\n"_s) << "\nreplay:\n" << replayed.join(u"\n"_s);
    // A Sendmail message (no "removed") is kept open by the import a few seconds after its last
    // recipient is done, and reaches the follow's rules after later messages: the follow hands
    // them over by their last line, as the replay does, or the share of failures fired 8 s apart.
    QCOMPARE(replayed, followed);
    if (low && log.contains(u"sample"_s))
        QVERIFY(followed.size() > 3);  // the comparison is of something
}

void TestAlertsAgree::followKeepsTwoServersApart()
{
    // Two servers' logs followed together (a folder of mx1's and mx2's logs, both "mx1" in their
    // lines): each alert names its server, as the window's Insights do. The follow's rules were
    // fed the import's messages with no server, and merged the two servers' numbers.
    QTemporaryDir dir;
    QStringList logs;
    for (const QString &server : {u"mx-a"_s, u"mx-b"_s}) {
        QVERIFY(QDir(dir.path()).mkpath(server));
        const QString copy = dir.filePath(server + u"/mail.log"_s);
        QFile sample(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"));
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QByteArray text = sample.readAll();
        if (!logs.isEmpty())
            text = text.mid(text.indexOf('\n') + 1);  // not the same file twice, which is read once
        QFile out(copy);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        utimbuf times{1796428800, 1796428800};
        ::utime(copy.toLocal8Bit().constData(), &times);
        logs << copy;
    }
    const QString config = writeConfig(dir, true);
    QVERIFY(!config.isEmpty());
    QList<QJsonObject> alerts;
    QVERIFY(followAlerts(dir.filePath(u"c.sqlite"_s), config, logs, &alerts));
    QMap<QString, int> perServer;
    for (const QJsonObject &o : std::as_const(alerts))
        ++perServer[o[u"server"_s].toString()];
    QVERIFY2(!perServer.contains(QString()), qPrintable(QStringList(perServer.keys()).join(u", "_s)));
    QCOMPARE(perServer.size(), 2);
}

QTEST_GUILESS_MAIN(TestAlertsAgree)
#include "tst_alertsagree.moc"
