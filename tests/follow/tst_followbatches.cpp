// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A follow imports a log in batches, as the daemon writes it. Split anywhere (between client= and
// cleanup, between status=sent and removed, between a reject and the syslog copy of it, between a
// connect and its TLS line), the batches must join the lines exactly as one import of the whole
// file does: every golden log of tests/data, written to a growing file a few lines at a time and
// imported after each write, must give its golden deliveries and timelines.
#include "cache/cache.h"
#include "ingest/followstate.h"
#include "ingest/ingestor.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestFollowBatches : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();
    void onlyChangedMessagesAreWritten();

private:
    static QByteArray run(const QStringList &args);
};

QByteArray TestFollowBatches::run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qWarning() << args << p.readAllStandardError();
    return p.readAllStandardOutput();
}

void TestFollowBatches::golden_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<int>("linesPerBatch");
    const QDir data(QStringLiteral(MAILTRAIL_TEST_DATA));
    for (const QString &format : {u"postfix"_s, u"exim"_s, u"sendmail"_s}) {
        const QDir golden(data.filePath(format + u"/golden"_s));
        for (const QString &log : golden.entryList({u"*.log"_s}, QDir::Files)) {
            // One line a batch splits at every point there is; three lines a batch splits inside
            // bursts of one process too, with other lines before and after in the same batch.
            for (int lines : {1, 3})
                QTest::addRow("%s/%s by %d", qPrintable(format), qPrintable(log), lines) << golden.filePath(log) << lines;
        }
    }
}

void TestFollowBatches::golden()
{
    QFETCH(QString, log);
    QFETCH(int, linesPerBatch);
    QFile source(log);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = source.readAll().split('\n');

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Named as the golden log: the timelines name the file their lines are in.
    const QString growing = dir.filePath(QFileInfo(log).fileName());
    const QString cachePath = dir.filePath(u"cache.sqlite"_s);
    Cache cache;
    QVERIFY(cache.open(cachePath.toStdString()));
    ImportOptions options;
    options.year = 2026;  // as update-golden.sh imports them
    FollowState carry;
    QFile out(growing);
    QVERIFY(out.open(QIODevice::WriteOnly));
    int batches = 0;
    for (qsizetype i = 0; i < lines.size(); i += linesPerBatch) {
        QByteArray chunk;
        for (qsizetype j = i; j < std::min(lines.size(), i + linesPerBatch); ++j) {
            if (!lines[j].isEmpty() || j + 1 < lines.size())
                chunk += lines[j] + '\n';
        }
        if (chunk.isEmpty())
            continue;
        QCOMPARE(out.write(chunk), chunk.size());
        QVERIFY(out.flush());
        const ImportSummary summary = Ingestor::import(cache, {growing.toStdString()}, options, {}, {}, carry);
        QVERIFY2(summary.ok(), summary.error.c_str());
        QVERIFY(!summary.undone);
        // Each batch continued the one before, rather than restoring from the cache (once there
        // are lines enough to tell the format).
        QVERIFY(carry.isCarrying() || summary.files.empty() || !summary.files.front().error.empty());
        ++batches;
    }
    QVERIFY(batches > 1);

    QFile wantDeliveries(log.chopped(4) + u".deliveries.csv"_s);
    QVERIFY(wantDeliveries.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(run({u"deliveries"_s, u"--cache"_s, cachePath, u"--format"_s, u"csv"_s})),
             QString::fromUtf8(wantDeliveries.readAll()));

    // As update-golden.sh writes them: the timeline of every queued message, in the order of the
    // messages table.
    QByteArray timelines;
    QStringList seen;
    const QList<QByteArray> rows = run({u"messages"_s, u"--cache"_s, cachePath, u"--format"_s, u"csv"_s}).split('\n');
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> fields = rows[i].split(',');
        if (fields.size() < 4 || fields[3].isEmpty() || seen.contains(QString::fromUtf8(fields[3])))
            continue;
        seen.append(QString::fromUtf8(fields[3]));
        timelines += run({u"timeline"_s, u"--cache"_s, cachePath, seen.last()}) + '\n';
    }
    QFile wantTimelines(log.chopped(4) + u".timelines.txt"_s);
    QVERIFY(wantTimelines.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(timelines), QString::fromUtf8(wantTimelines.readAll()));
}

void TestFollowBatches::onlyChangedMessagesAreWritten()
{
    // Two messages deferred (open), then a line about one of them: the batch writes that one only.
    const QByteArray head =
        "Nov 22 08:00:01 mx postfix/qmgr[10]: 4A1B2C3D4E: from=<a@lab.test>, size=100, nrcpt=1 (queue active)\n"
        "Nov 22 08:00:01 mx postfix/qmgr[10]: 5A1B2C3D4E: from=<b@lab.test>, size=100, nrcpt=1 (queue active)\n"
        "Nov 22 08:00:02 mx postfix/smtp[11]: 4A1B2C3D4E: to=<x@remote.test>, relay=none, delay=1, delays=0/0/1/0, "
        "dsn=4.4.1, status=deferred (connect to remote.test[192.0.2.1]:25: Connection timed out)\n"
        "Nov 22 08:00:02 mx postfix/smtp[11]: 5A1B2C3D4E: to=<y@remote.test>, relay=none, delay=1, delays=0/0/1/0, "
        "dsn=4.4.1, status=deferred (connect to remote.test[192.0.2.1]:25: Connection timed out)\n";
    const QByteArray more =
        "Nov 22 08:10:02 mx postfix/smtp[12]: 4A1B2C3D4E: to=<x@remote.test>, relay=remote.test[192.0.2.1]:25, "
        "delay=601, delays=600/0/1/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";
    for (const bool carried : {false, true}) {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(u"mail.log"_s).toStdString();
        QFile out(dir.filePath(u"mail.log"_s));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(head);
        out.flush();
        Cache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s).toStdString()));
        ImportOptions options;
        options.year = 2026;
        FollowState carry;
        std::vector<std::string> written;
        auto observe = [&written](const MessageRecord &m) { written.push_back(m.queueId); };
        auto import = [&] {
            return carried ? Ingestor::import(cache, {path}, options, observe, {}, carry)
                           : Ingestor::import(cache, {path}, options, observe, {});
        };
        QVERIFY(import().ok());
        QCOMPARE(written.size(), 2u);
        written.clear();
        out.write(more);
        out.flush();
        // Followed or not, the untouched open message is not written again.
        QVERIFY(import().ok());
        QCOMPARE(written, std::vector<std::string>{"4A1B2C3D4E"});
        QCOMPARE(carry.isCarrying(), carried);
    }
}

QTEST_GUILESS_MAIN(TestFollowBatches)
#include "tst_followbatches.moc"
