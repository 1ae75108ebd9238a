// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli follow as a user runs it: started on a log, the log grows (and rotates), each
// delivery is printed as its status changes, SIGTERM or SIGINT ends it with status 0, and what it
// printed is what 'deliveries' shows of the cache afterwards.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QString Cli = QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli");

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append) || f.write(bytes) != bytes.size())
        qFatal("cannot append to %s", qPrintable(path));
}

QString key(const QJsonObject &o)
{
    return o[u"host"_s].toString() + u' ' + o[u"queue_id"_s].toString() + u' ' + o[u"first_seen"_s].toString() + u' ' +
           o[u"recipient"_s].toString();
}

QString state(const QJsonObject &o)
{
    return o[u"status"_s].toString() + u' ' + o[u"dsn"_s].toString() + u' ' +
           QString::number(o[u"reply_code"_s].toInt()) + u' ' + QString::number(o[u"attempts"_s].toInt()) + u' ' +
           o[u"relay"_s].toString() + u' ' + o[u"reason"_s].toString();
}

} // namespace

class TestCliFollow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void printsWhatTheCacheHas_data();
    void printsWhatTheCacheHas();
    void alertsComeWithTheDeliveries_data();
    void alertsComeWithTheDeliveries();
    void stopEndsAWaitForTheLock();
    void printedRowIsCommitted();
    void openMessageEndsWithAllItsRecipients();
};

void TestCliFollow::printsWhatTheCacheHas_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<bool>("rotate");
    QTest::newRow("SIGTERM") << int(SIGTERM) << false;
    QTest::newRow("SIGINT") << int(SIGINT) << false;
    QTest::newRow("renamed between the writes") << int(SIGTERM) << true;
}

void TestCliFollow::printsWhatTheCacheHas()
{
    QFETCH(int, signal);
    QFETCH(bool, rotate);
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    const QString cache = dir.filePath(u"c.sqlite"_s);
    const QByteArray text = readData(u"postfix/golden/psm-postfix-plain.log"_s);
    const qsizetype cut = text.indexOf('\n', text.size() / 2) + 1;
    const QByteArray firstLine = text.left(text.indexOf('\n') + 1);
    // The first line is there before: follow imports it, then prints only what changes after.
    append(log, firstLine);

    QProcess follow;
    follow.start(Cli, {u"follow"_s, u"--cache"_s, cache, u"--year"_s, u"2005"_s, u"--format"_s, u"jsonl"_s, log});
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);

    append(log, text.mid(firstLine.size(), cut - firstLine.size()));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > 3, 10000);
    if (rotate)
        QVERIFY(QFile::rename(log, log + u".1"_s));
    append(log, text.mid(cut));
    const qsizetype before = out.count('\n');
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > before + 3, 10000);
    QTest::qWait(300);  // let it settle: anything still to come is imported before it stops

    ::kill(static_cast<pid_t>(follow.processId()), signal);
    QVERIFY(follow.waitForFinished(20000));
    out += follow.readAllStandardOutput();
    err += follow.readAllStandardError();
    QCOMPARE(follow.exitStatus(), QProcess::NormalExit);
    QVERIFY2(follow.exitCode() == 0, err.constData());

    // The last state printed of each delivery is its state in the cache, and every delivery
    // the cache has was printed.
    QMap<QString, QString> printed;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        for (const char *field : {"time", "host", "queue_id", "message_id", "sender", "recipient", "status",
                                  "reply_code", "dsn", "attempts", "relay", "reason"})
            QVERIFY2(o.contains(QLatin1StringView(field)), field);
        printed.insert(key(o), state(o));
    }
    QProcess query;
    query.start(Cli, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"json"_s});
    QVERIFY(query.waitForFinished(20000));
    QCOMPARE(query.exitCode(), 0);
    QMap<QString, QString> cached;
    for (const QJsonValue &v : QJsonDocument::fromJson(query.readAllStandardOutput()).array()) {
        if (v[u"status"_s].toString() != u"queued"_s)
            cached.insert(key(v.toObject()), state(v.toObject()));
    }
    QVERIFY(cached.size() > 10);
    QCOMPARE(printed, cached);
}

void TestCliFollow::alertsComeWithTheDeliveries_data()
{
    QTest::addColumn<bool>("fromWindowSettings");
    QTest::newRow("--alert-config FILE") << false;
    // The thresholds the window's settings dialog stored (QSettings under $XDG_CONFIG_HOME).
    QTest::newRow("the window's settings") << true;
}

void TestCliFollow::alertsComeWithTheDeliveries()
{
    QFETCH(bool, fromWindowSettings);
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mainlog"_s);
    const QString configHome = dir.filePath(u"config"_s);
    const QString config = fromWindowSettings ? configHome + u"/Mailtrail/mailtrail.conf"_s : dir.filePath(u"alerts.ini"_s);
    QVERIFY(QDir().mkpath(QFileInfo(config).absolutePath()));
    append(config, "[insights]\nrejectBurst=1\nfailureMinimum=3\nfailureShare=0.2\n");
    const QByteArray text = readData(u"exim/golden/exim-4.98.2-mainlog.log"_s);
    append(log, text.left(text.indexOf('\n') + 1));
    QProcess follow;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, configHome);
    follow.setProcessEnvironment(env);
    QStringList args{u"follow"_s, u"--cache"_s, dir.filePath(u"c.sqlite"_s), u"--format"_s, u"jsonl"_s, u"--alerts"_s};
    if (!fromWindowSettings)
        args << u"--alert-config"_s << config;
    follow.start(Cli, args << log);
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);
    append(log, text.mid(text.indexOf('\n') + 1));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).contains("failure-share"), 10000);
    follow.terminate();
    QVERIFY(follow.waitForFinished(20000));
    QCOMPARE(follow.exitCode(), 0);
    QStringList alerts;
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o[u"type"_s].toString() == u"alert"_s)
            alerts << o[u"kind"_s].toString() + u' ' + o[u"subject"_s].toString();
    }
    alerts.sort();
    // The lab's scenario refuses three local clients and bounces and defers a share of its mail.
    const QStringList expected{u"failure-share "_s, u"reject-burst 127.0.0.1"_s, u"reject-burst 127.0.0.2"_s,
                               u"reject-burst 127.0.0.3"_s};
    QCOMPARE(alerts, expected);
}

void TestCliFollow::stopEndsAWaitForTheLock()
{
    // Another import (here: this test) holds the cache's import lock: follow waits, and says so;
    // Ctrl+C or SIGTERM must end that wait, not only a kill -9.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    const QString cache = dir.filePath(u"c.sqlite"_s);
    const QByteArray text = readData(u"postfix/golden/psm-postfix-plain.log"_s);
    append(log, text.left(text.indexOf('\n') + 1));
    QCOMPARE(QProcess::execute(Cli, {u"import"_s, u"--cache"_s, cache, u"--year"_s, u"2005"_s, log}), 0);
    const int lock = ::open(QFile::encodeName(cache + u"-lock"_s).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    QVERIFY(lock >= 0);
    QCOMPARE(::flock(lock, LOCK_EX | LOCK_NB), 0);
    append(log, text.mid(text.indexOf('\n') + 1));

    QProcess follow;
    follow.start(Cli, {u"follow"_s, u"--cache"_s, cache, u"--year"_s, u"2005"_s, log});
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("waiting for another import"), 20000);
    ::kill(static_cast<pid_t>(follow.processId()), SIGTERM);
    const bool ended = follow.waitForFinished(10000);
    ::close(lock);
    if (!ended) {
        follow.kill();
        follow.waitForFinished();
    }
    QVERIFY2(ended, err.constData());
    QCOMPARE(follow.exitStatus(), QProcess::NormalExit);
    QCOMPARE(follow.exitCode(), 0);
}

void TestCliFollow::printedRowIsCommitted()
{
    // Killed (kill -9: no chance to commit anything more) right after it printed its first rows:
    // every row it printed is in the cache as printed.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    const QString cache = dir.filePath(u"c.sqlite"_s);
    const QByteArray text = readData(u"postfix/golden/psm-postfix-plain.log"_s);
    const QByteArray firstLine = text.left(text.indexOf('\n') + 1);
    append(log, firstLine);
    QProcess follow;
    follow.start(Cli, {u"follow"_s, u"--cache"_s, cache, u"--year"_s, u"2005"_s, u"--format"_s, u"jsonl"_s, log});
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);
    // One write: one batch, and nothing after it that could commit later states.
    append(log, text.mid(firstLine.size()));
    QVERIFY(follow.waitForReadyRead(10000));
    ::kill(static_cast<pid_t>(follow.processId()), SIGKILL);
    QVERIFY(follow.waitForFinished(10000));
    QCOMPARE(follow.exitStatus(), QProcess::CrashExit);
    QMap<QString, QString> printed;
    for (const QByteArray &line : follow.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (!o.isEmpty())
            printed.insert(key(o), state(o));
    }
    QVERIFY(!printed.isEmpty());
    QProcess query;
    query.start(Cli, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"json"_s});
    QVERIFY(query.waitForFinished(20000));
    QCOMPARE(query.exitCode(), 0);
    QMap<QString, QString> cached;
    for (const QJsonValue &v : QJsonDocument::fromJson(query.readAllStandardOutput()).array())
        cached.insert(key(v.toObject()), state(v.toObject()));
    for (auto it = printed.cbegin(); it != printed.cend(); ++it)
        QCOMPARE(cached.value(it.key(), u"not in the cache"_s), it.value());
}

void TestCliFollow::openMessageEndsWithAllItsRecipients()
{
    // The lab's Exim log up to the last try of a message that is still in the queue (one
    // recipient delivered, one bounced, one deferred) is in the cache before the follow starts.
    // The rest of the log brings its last delivery and "Completed": every recipient of it is
    // printed, with the status the cache then has, not only the recipient the new line names.
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mainlog"_s);
    const QString cache = dir.filePath(u"c.sqlite"_s);
    const QByteArray text = readData(u"exim/golden/exim-4.98.2-mainlog.log"_s);
    const QByteArray queueId = "1xZDjJ-000000005oY-1pzX";
    const qsizetype cut = text.indexOf(QByteArray(queueId + " => flaky@remote.test"));
    QVERIFY(cut > 0);
    const qsizetype lineStart = text.lastIndexOf('\n', cut) + 1;
    append(log, text.left(lineStart));
    QCOMPARE(QProcess::execute(Cli, {u"import"_s, u"--cache"_s, cache, log}), 0);

    QProcess follow;
    follow.start(Cli, {u"follow"_s, u"--cache"_s, cache, u"--format"_s, u"jsonl"_s, log});
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);
    append(log, text.mid(lineStart));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).contains("flaky@remote.test"), 10000);
    QTest::qWait(300);
    follow.terminate();
    QVERIFY(follow.waitForFinished(20000));
    QCOMPARE(follow.exitCode(), 0);
    out += follow.readAllStandardOutput();
    QMap<QString, QString> printed;  // recipient -> last state printed
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o[u"queue_id"_s].toString() == QLatin1StringView(queueId))
            printed.insert(o[u"recipient"_s].toString(), state(o));
    }
    QProcess query;
    query.start(Cli, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"json"_s});
    QVERIFY(query.waitForFinished(20000));
    QCOMPARE(query.exitCode(), 0);
    QMap<QString, QString> cached;
    for (const QJsonValue &v : QJsonDocument::fromJson(query.readAllStandardOutput()).array()) {
        if (v[u"queue_id"_s].toString() == QLatin1StringView(queueId))
            cached.insert(v[u"recipient"_s].toString(), state(v.toObject()));
    }
    QCOMPARE(cached.keys(), (QStringList{u"flaky@remote.test"_s, u"friend@remote.test"_s, u"nobody@remote.test"_s}));
    QVERIFY2(cached.value(u"flaky@remote.test"_s).startsWith(u"sent "_s), qPrintable(cached.value(u"flaky@remote.test"_s)));
    QCOMPARE(printed, cached);
}

QTEST_GUILESS_MAIN(TestCliFollow)
#include "tst_clifollow.moc"
