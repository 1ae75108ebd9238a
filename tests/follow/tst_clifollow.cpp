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
    void openMessagePrintsWhatChanged();
    void readAgainPrintsEachChangeOnce_data();
    void readAgainPrintsEachChangeOnce();
    void columnsAreThoseOfDeliveries();
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
    QTest::addColumn<bool>("rotate");
    QTest::newRow("--alert-config FILE") << false << false;
    // The thresholds the window's settings dialog stored (QSettings under $XDG_CONFIG_HOME).
    QTest::newRow("the window's settings") << true << false;
    // Rotated (rename and create) before the daemon reopens its log: the rest goes to the old file,
    // now mainlog.1. Its lines are read under the old file's id, which the path no longer names.
    QTest::newRow("the rest written to the rotated file") << false << true;
}

void TestCliFollow::alertsComeWithTheDeliveries()
{
    QFETCH(bool, fromWindowSettings);
    QFETCH(bool, rotate);
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mainlog"_s);
    const QString configHome = dir.filePath(u"config"_s);
    const QString config = fromWindowSettings ? configHome + u"/Mailtrail/mailtrail.conf"_s : dir.filePath(u"alerts.ini"_s);
    QVERIFY(QDir().mkpath(QFileInfo(config).absolutePath()));
    append(config, "[insights]\nrejectBurst=1\nfailureMinimum=3\nfailureShare=0.2\n");
    const QByteArray text = readData(u"exim/golden/exim-4.98.2-mainlog.log"_s);
    // Rotated, the log must have been read as Exim's before (its first lines are the daemon's).
    qsizetype head = 0;
    for (int line = 0; line < (rotate ? 4 : 1); ++line)
        head = text.indexOf('\n', head) + 1;
    append(log, text.left(head));
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
    if (rotate) {
        QVERIFY(QFile::rename(log, log + u".1"_s));
        append(log + u".1"_s, text.mid(head));
        append(log, {});
    } else {
        append(log, text.mid(head));
    }
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

void TestCliFollow::openMessagePrintsWhatChanged()
{
    // The lab's Exim log up to the last try of a message that is still in the queue (one
    // recipient delivered, one bounced, one deferred) is in the cache before the follow starts.
    // The rest of the log brings its last delivery and "Completed": the recipient whose status
    // that changed is printed as the cache then has it; the two whose status it did not change
    // are not (they were in the cache, as they are, before the follow began).
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
    QCOMPARE(printed.keys(), QStringList{u"flaky@remote.test"_s});
    QCOMPARE(printed.value(u"flaky@remote.test"_s), cached.value(u"flaky@remote.test"_s));
}

void TestCliFollow::readAgainPrintsEachChangeOnce_data()
{
    QTest::addColumn<QString>("how");
    // logrotate-less housekeeping: the log cut to its last lines, through a copy renamed over it.
    QTest::newRow("replaced by a copy without its first lines") << u"replaced"_s;
    // The same in place (truncate, then write): the same file, other first bytes.
    QTest::newRow("truncated and rewritten without its first lines") << u"rewritten"_s;
    // The log's older part appears under a second followed name: every log is read again in time
    // order, and each message is written again under a new row id.
    QTest::newRow("an older log comes in: every log read again") << u"older"_s;
}

void TestCliFollow::readAgainPrintsEachChangeOnce()
{
    // A log read again from its start brings deliveries follow printed already: each is printed
    // again only when its status, reply or tries changed, never twice in the same state.
    QFETCH(QString, how);
    QTemporaryDir dir;
    const QString log = dir.filePath(u"mail.log"_s);
    const QString older = dir.filePath(u"older.log"_s);
    const QString cache = dir.filePath(u"c.sqlite"_s);
    const QList<QByteArray> lines = readData(u"postfix/golden/psm-postfix-plain.log"_s).split('\n');
    const auto part = [&lines](qsizetype from, qsizetype to) {
        QByteArray out;
        for (qsizetype i = from; i < std::min(to, lines.size()); ++i) {
            if (!lines[i].isEmpty())
                out += lines[i] + '\n';
        }
        return out;
    };
    const qsizetype start = how == u"older"_s ? 60 : 0;  // the older log holds lines 0-59
    const qsizetype middle = 120;
    append(log, part(start, start + 1));
    QStringList args{u"follow"_s, u"--cache"_s, cache, u"--year"_s, u"2005"_s, u"--format"_s, u"jsonl"_s, log};
    if (how == u"older"_s)
        args << older;  // not there yet
    QProcess follow;
    follow.start(Cli, args);
    QVERIFY(follow.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);
    append(log, part(start + 1, middle));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > 5, 10000);
    QTest::qWait(300);
    out += follow.readAllStandardOutput();
    const qsizetype printedBefore = out.count('\n');

    if (how == u"replaced"_s) {
        const QString copy = dir.filePath(u"mail.log.new"_s);
        append(copy, part(10, lines.size()));
        QVERIFY(::rename(QFile::encodeName(copy).constData(), QFile::encodeName(log).constData()) == 0);
    } else if (how == u"rewritten"_s) {
        QFile f(log);
        QVERIFY(f.open(QIODevice::ReadWrite) && f.resize(0) && f.seek(0));
        const QByteArray text = part(10, lines.size());
        QCOMPARE(f.write(text), text.size());
    } else {
        append(older, part(0, 60));
        QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > printedBefore, 10000);
        QTest::qWait(300);
        append(log, part(middle, lines.size()));
    }
    QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > printedBefore + 3, 10000);
    QTest::qWait(500);
    follow.terminate();
    QVERIFY(follow.waitForFinished(20000));
    QCOMPARE(follow.exitCode(), 0);
    out += follow.readAllStandardOutput();

    QMap<QString, QStringList> printed;  // delivery -> the states printed, in order
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (!o.isEmpty())
            printed[key(o)] << state(o);
    }
    for (auto it = printed.cbegin(); it != printed.cend(); ++it) {
        for (qsizetype i = 1; i < it.value().size(); ++i)
            QVERIFY2(it.value()[i] != it.value()[i - 1], qPrintable(u"printed twice: "_s + it.key() + u" "_s + it.value()[i]));
    }
    // Whatever the cache has was printed as it has it. (A replaced log's old content is kept: its
    // messages are in the cache twice, and one still open then is there in its old state too.)
    QProcess query;
    query.start(Cli, {u"deliveries"_s, u"--cache"_s, cache, u"--format"_s, u"json"_s});
    QVERIFY(query.waitForFinished(20000));
    QCOMPARE(query.exitCode(), 0);
    int cached = 0;
    for (const QJsonValue &v : QJsonDocument::fromJson(query.readAllStandardOutput()).array()) {
        if (v[u"status"_s].toString() == u"queued"_s)
            continue;
        ++cached;
        const QString k = key(v.toObject());
        QVERIFY2(printed.value(k).contains(state(v.toObject())),
                 qPrintable(u"not printed: "_s + k + u" "_s + state(v.toObject())));
    }
    QVERIFY(cached > 20);
}

void TestCliFollow::columnsAreThoseOfDeliveries()
{
    // follow's csv is `time` and then the columns of deliveries' csv in their order, format last;
    // each jsonl object has the keys of deliveries' json objects and `time`.
    QTemporaryDir dir;
    const QByteArray text = readData(u"postfix/golden/psm-postfix-plain.log"_s);
    const QByteArray firstLine = text.left(text.indexOf('\n') + 1);
    const auto followed = [&](const QString &format, QByteArray &out) {
        const QString log = dir.filePath(format + u".log"_s);
        append(log, firstLine);
        QProcess follow;
        follow.start(Cli, {u"follow"_s, u"--cache"_s, dir.filePath(format + u".sqlite"_s), u"--year"_s, u"2005"_s,
                           u"--format"_s, format, log});
        QVERIFY(follow.waitForStarted());
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += follow.readAllStandardError()).contains("following"), 20000);
        append(log, text.mid(firstLine.size()));
        QTRY_VERIFY_WITH_TIMEOUT((out += follow.readAllStandardOutput()).count('\n') > 10, 10000);
        QTest::qWait(300);
        follow.terminate();
        QVERIFY(follow.waitForFinished(20000));
        out += follow.readAllStandardOutput();
    };
    const auto deliveries = [&](const QString &format, QByteArray &out) {
        QProcess query;
        query.start(Cli, {u"deliveries"_s, u"--cache"_s, dir.filePath(format + u".sqlite"_s), u"--format"_s,
                          format == u"csv"_s ? format : u"json"_s, u"--status"_s, u"sent,deferred,bounced,expired,rejected"_s});
        QVERIFY(query.waitForFinished(20000));
        QCOMPARE(query.exitCode(), 0);
        out = query.readAllStandardOutput();
    };

    QByteArray csv;
    QByteArray cachedCsv;
    followed(u"csv"_s, csv);
    deliveries(u"csv"_s, cachedCsv);
    if (QTest::currentTestFailed())
        return;
    const QList<QByteArray> rows = cachedCsv.split('\n');
    QList<QByteArray> printed = csv.split('\n');
    QVERIFY(rows.size() > 10 && printed.size() > 10);
    QVERIFY2(rows.first().endsWith(",format,message_queue_id\r"), rows.first().constData());
    QCOMPARE(printed.first(), "time," + rows.first());
    for (QByteArray &line : printed)
        line = line.mid(line.indexOf(',') + 1);  // the time of the change has no comma
    for (qsizetype i = 1; i < rows.size(); ++i) {
        if (!rows[i].isEmpty())
            QVERIFY2(printed.contains(rows[i]), rows[i].constData());
    }

    QByteArray jsonl;
    QByteArray cachedJson;
    followed(u"jsonl"_s, jsonl);
    deliveries(u"jsonl"_s, cachedJson);
    if (QTest::currentTestFailed())
        return;
    const QJsonArray objects = QJsonDocument::fromJson(cachedJson).array();
    QVERIFY(!objects.isEmpty());
    QStringList keys = objects.first().toObject().keys();
    QVERIFY(keys.contains(u"format"_s));
    keys << u"time"_s;
    keys.sort();
    int lines = 0;
    for (const QByteArray &line : jsonl.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.keys(), keys);
        QCOMPARE(o[u"format"_s].toString(), u"postfix"_s);
        ++lines;
    }
    QVERIFY(lines > 10);
}

QTEST_GUILESS_MAIN(TestCliFollow)
#include "tst_clifollow.moc"
