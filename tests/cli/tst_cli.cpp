// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli as scripts use it: exit codes, exact CSV, JSON, timeline, errors.
#include "clirun.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void helpAndVersion();
    void commandHelpNamesTheCommand_data();
    void commandHelpNamesTheCommand();
    void usageErrors_data();
    void usageErrors();
    void codeForms_data();
    void codeForms();
    void statusLists_data();
    void statusLists();
    void everyStatusIsNamed();
    void unknownFormatNamesAreUsageErrors_data();
    void unknownFormatNamesAreUsageErrors();
    void formatNamesIgnoreCase_data();
    void formatNamesIgnoreCase();
    void deliveriesCsvIsExact();
    void chainDeliveriesNameTheirMessage();
    void sendmailNoticeIsFromTheNullSender();
    void csvQuotesFieldsWithCommas();
    void csvIsFormulaSafe_data();
    void csvIsFormulaSafe();
    void messagesJson();
    void formatColumnInEveryForm_data();
    void formatColumnInEveryForm();
    void sentencesLeaveNoGaps();
    void importAndStatsAgreeOnQueued();
    void statsTextNamesOnlyRealReplyCodes();
    void logsArgumentsLimitTheQuery();
    void identicalFilesOnAFirstImport();
    void timeline();
    void eximTimelineNamesTheHostTried_data();
    void eximTimelineNamesTheHostTried();
    void eximDkimVerdicts();
    void textSearch();
    void unknownFileIsReported();
    void compressedLogsAreRead_data();
    void compressedLogsAreRead();
    void unsupportedCompressionIsNamed();
    void corruptCacheExitsWithCacheError();
    void helpNamesTheFormatsAccepted_data();
    void helpNamesTheFormatsAccepted();
    void helpNamesWhatIsRead_data();
    void helpNamesWhatIsRead();
    void flagsLeaveStderrEmpty_data();
    void flagsLeaveStderrEmpty();
    void triedOptions_data();
    void triedOptions();
    void triedOptionUsageErrors_data();
    void triedOptionUsageErrors();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCli::helpAndVersion()
{
    const Run help = cli({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const char *word : {"import", "messages", "deliveries", "timeline", "--sender", "--status", "--text"})
        QVERIFY2(help.out.contains(word), word);
    QCOMPARE(cli({u"--version"_s}).out.trimmed(), QByteArray("mailtrail-cli " MAILTRAIL_VERSION));
    const Run sub = cli({u"deliveries"_s, u"--help"_s});
    QCOMPARE(sub.exitCode, 0);
    QVERIFY(sub.out.contains("--recipient"));
}

void TestCli::commandHelpNamesTheCommand_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("usage");
    QTest::newRow("import") << u"import"_s << QByteArray("Usage: mailtrail-cli import [options] LOG...\n");
    QTest::newRow("messages") << u"messages"_s << QByteArray("Usage: mailtrail-cli messages [options] [LOG...]\n");
    QTest::newRow("deliveries") << u"deliveries"_s << QByteArray("Usage: mailtrail-cli deliveries [options] [LOG...]\n");
    QTest::newRow("timeline") << u"timeline"_s << QByteArray("Usage: mailtrail-cli timeline [options] ID [LOG...]\n");
}

void TestCli::commandHelpNamesTheCommand()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, usage);
    // Started by its full path, as the tests do, the program's name must not show either.
    const Run r = cli({command, u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.left(r.out.indexOf('\n') + 1), usage);
}

void TestCli::helpNamesTheFormatsAccepted_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("accepted");
    QTest::addColumn<QStringList>("refused");
    QTest::addColumn<QByteArray>("limitHelp");  // empty: the command has no --limit
    QTest::newRow("messages") << u"messages"_s << QStringList{u"table"_s, u"csv"_s, u"json"_s} << QStringList{u"jsonl"_s, u"text"_s}
                              << QByteArray("default: all");
    QTest::newRow("stats") << u"stats"_s << QStringList{u"text"_s, u"json"_s} << QStringList{u"csv"_s, u"table"_s}
                           << QByteArray("default: 10");
    QTest::newRow("follow") << u"follow"_s << QStringList{u"table"_s, u"csv"_s, u"jsonl"_s} << QStringList{u"json"_s, u"text"_s}
                            << QByteArray();
}

// A command's --help names the formats that command takes and no other, and --limit only where it
// is read (stats once offered csv and "all rows" by default, which it refused and did not do).
void TestCli::helpNamesTheFormatsAccepted()
{
    QFETCH(QString, command);
    QFETCH(QStringList, accepted);
    QFETCH(QStringList, refused);
    QFETCH(QByteArray, limitHelp);
    const Run help = cli({command, u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    const qsizetype at = help.out.indexOf("--format");
    QVERIFY(at >= 0);
    const QByteArray formatHelp = help.out.mid(at, help.out.indexOf("\n  -", at + 1) - at).simplified();
    // The help's words, without punctuation: "table (default), csv or json." names table, csv, json.
    QList<QByteArray> words = QByteArray(formatHelp).replace(',', ' ').replace('.', ' ').split(' ');
    for (const QString &name : accepted)
        QVERIFY2(words.contains(name.toUtf8()), formatHelp.constData());
    for (const QString &name : refused) {
        QVERIFY2(!words.contains(name.toUtf8()), formatHelp.constData());
        // Refused as a usage error, before the missing log is looked for (that would be 1).
        QCOMPARE(cli({command, u"--format"_s, name, u"--cache"_s, m_dir->filePath(u"formats.sqlite"_s),
                      m_dir->filePath(u"missing.log"_s)}).exitCode, 2);
    }
    // An accepted one goes on to the log (follow waits for a missing log to appear: not run here).
    if (command != u"follow"_s)
        QCOMPARE(cli({command, u"--format"_s, accepted.constLast(), u"--cache"_s, m_dir->filePath(u"formats.sqlite"_s),
                      m_dir->filePath(u"missing.log"_s)}).exitCode, 1);
    if (limitHelp.isEmpty()) {
        QVERIFY(!help.out.contains("--limit"));
    } else {
        const qsizetype limit = help.out.indexOf("--limit");
        QVERIFY(limit >= 0);
        QVERIFY2(help.out.mid(limit, help.out.indexOf("\n  -", limit + 1) - limit).contains(limitHelp), help.out.constData());
    }
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("no command") << QStringList{} << QByteArray("Usage");
    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s} << QByteArray("unknown command");
    QTest::newRow("unknown option") << QStringList{u"messages"_s, u"--colour"_s} << QByteArray("Unknown option 'colour'");
    QTest::newRow("bad status") << QStringList{u"messages"_s, u"--status"_s, u"lost"_s} << QByteArray("unknown status 'lost'");
    QTest::newRow("bad time") << QStringList{u"messages"_s, u"--since"_s, u"yesterday-ish"_s} << QByteArray("--since");
    const QByteArray codeForms = "--code takes a reply code (550), a class (5xx, 5) or an enhanced status code "
                                 "(5.1.1, 4.7), not ";
    QTest::newRow("code not a code") << QStringList{u"messages"_s, u"--code"_s, u"abc"_s} << codeForms + "'abc'";
    QTest::newRow("two codes") << QStringList{u"deliveries"_s, u"--code"_s, u"5.7.1,5.1.1"_s}
                               << codeForms + "'5.7.1,5.1.1'";
    QTest::newRow("code of no class") << QStringList{u"deliveries"_s, u"--code"_s, u"650"_s} << codeForms + "'650'";
    QTest::newRow("code too long") << QStringList{u"deliveries"_s, u"--code"_s, u"5501"_s} << codeForms + "'5501'";
    QTest::newRow("since twice") << QStringList{u"messages"_s, u"--since"_s, u"2026-11-20"_s, u"--since"_s,
                                                u"2026-11-21"_s}
                                 << QByteArray("mailtrail-cli messages: --since was given twice; give it once");
    QTest::newRow("sender three times") << QStringList{u"deliveries"_s, u"--sender"_s, u"a"_s, u"--sender=b"_s,
                                                       u"--sender"_s, u"c"_s}
                                        << QByteArray("--sender was given 3 times");
    QTest::newRow("code twice") << QStringList{u"deliveries"_s, u"--code"_s, u"550"_s, u"--code"_s, u"554"_s}
                                << QByteArray("--code was given twice");
    QTest::newRow("format twice") << QStringList{u"messages"_s, u"--format"_s, u"csv"_s, u"--format"_s, u"json"_s}
                                  << QByteArray("--format was given twice");
    QTest::newRow("cache twice") << QStringList{u"timeline"_s, u"--cache"_s, u"x.sqlite"_s, u"ID"_s}
                                 << QByteArray("mailtrail-cli timeline: --cache was given twice");
    QTest::newRow("year twice") << QStringList{u"import"_s, u"--year"_s, u"2025"_s, u"--year"_s, u"2026"_s, u"x.log"_s}
                                << QByteArray("mailtrail-cli import: --year was given twice");
    QTest::newRow("bad format") << QStringList{u"deliveries"_s, u"--format"_s, u"xml"_s} << QByteArray("unknown format");
    QTest::newRow("bad tls") << QStringList{u"messages"_s, u"--tls"_s, u"maybe"_s} << QByteArray("--tls takes yes or no, not 'maybe'");
    QTest::newRow("timeline csv") << QStringList{u"timeline"_s, u"--format"_s, u"csv"_s, u"ID"_s}
                                  << QByteArray("mailtrail-cli timeline: unknown format 'csv' (use table or json)");
    QTest::newRow("import without logs") << QStringList{u"import"_s} << QByteArray("no log file");
    QTest::newRow("bad year") << QStringList{u"import"_s, u"--year"_s, u"soon"_s, u"x.log"_s} << QByteArray("--year");
    // A format that does not exist would filter out every row: an empty answer that looks real.
    QTest::newRow("unknown source format")
        << QStringList{u"messages"_s, u"--source-format"_s, u"bogus"_s}
        << QByteArray("mailtrail-cli messages: --source-format: no log format is called 'bogus' (use postfix, exim, "
                      "sendmail)");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const Run r = cli(args + QStringList{u"--cache"_s, cache()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), r.err.constData());
}

void TestCli::codeForms_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("rows");
    QTest::newRow("reply code") << u"550"_s << 1;
    QTest::newRow("class with wildcards") << u"5xx"_s << 2;
    QTest::newRow("class") << u"5"_s << 2;
    QTest::newRow("enhanced code") << u"5.1.1"_s << 1;
    QTest::newRow("enhanced class and subject") << u"5.7"_s << 1;
    QTest::newRow("empty: no filter") << QString() << 4;
}

void TestCli::codeForms()
{
    QFETCH(QString, code);
    QFETCH(int, rows);
    const Run r = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--code"_s, code,
                       copyFlow(*m_dir, u"bounce-with-notification.log"_s), copyFlow(*m_dir, u"noqueue-reject.log"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1 + rows);
}

void TestCli::statusLists_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("rows");
    QTest::newRow("one") << QStringList{u"--status"_s, u"sent"_s} << 2;
    QTest::newRow("list") << QStringList{u"--status"_s, u"sent,bounced"_s} << 3;
    QTest::newRow("repeated") << QStringList{u"--status"_s, u"sent"_s, u"--status"_s, u"bounced"_s} << 3;
    QTest::newRow("list and repeat") << QStringList{u"--status"_s, u"sent,bounced"_s, u"--status=rejected"_s} << 4;
}

void TestCli::statusLists()
{
    QFETCH(QStringList, options);
    QFETCH(int, rows);
    const Run r = cli(QStringList{u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s} + options
                      + QStringList{copyFlow(*m_dir, u"bounce-with-notification.log"_s),
                                    copyFlow(*m_dir, u"noqueue-reject.log"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1 + rows);
}

void TestCli::everyStatusIsNamed()
{
    // The statuses a row can have, as the CSV writes them: --status takes each, and its help and
    // its error name each.
    const QList<QByteArray> statuses{"queued", "sent", "deferred", "bounced", "expired", "rejected", "abandoned",
                                     "held", "discarded", "deleted", "deliverable", "undeliverable"};
    const Run help = cli({u"deliveries"_s, u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    const qsizetype at = help.out.indexOf("--status");
    QVERIFY(at >= 0);
    // The help may wrap the list where Qt likes: read it without white space.
    QByteArray statusHelp = help.out.mid(at, help.out.indexOf("--code", at) - at).simplified().replace(' ', "");
    const qsizetype list = statusHelp.indexOf("LIST:");
    QVERIFY(list >= 0);
    statusHelp = statusHelp.mid(list + 5, statusHelp.indexOf('.', list) - list - 5);
    QCOMPARE(statusHelp.split(','), statuses);
    const Run wrong = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--status"_s, u"frozen"_s});
    QCOMPARE(wrong.exitCode, 2);
    const QByteArray start = "mailtrail-cli deliveries: unknown status 'frozen' (use ";
    QVERIFY2(wrong.err.startsWith(start) && wrong.err.endsWith(")\n"), wrong.err.constData());
    QCOMPARE(wrong.err.mid(start.size()).chopped(2).split(',').size(), statuses.size());
    QCOMPARE(wrong.err.mid(start.size()).chopped(2).replace(' ', "").split(','), statuses);
    const QString log = copyFlow(*m_dir, u"bounce-with-notification.log"_s);
    for (const QByteArray &status : statuses) {
        const Run r = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--status"_s, QString::fromLatin1(status), log});
        QVERIFY2(r.exitCode == 0, QByteArray(status + ": " + r.err).constData());
    }
}

void TestCli::unknownFormatNamesAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    const QByteArray known = " (use postfix, exim, sendmail)\n";
    QTest::newRow("import --log-format")
        << QStringList{u"import"_s, u"--log-format"_s, u"bogus"_s}
        << "mailtrail-cli import: --log-format: no log format is called 'bogus'" + known;
    QTest::newRow("deliveries --log-format")
        << QStringList{u"deliveries"_s, u"--log-format"_s, u"bogus"_s}
        << "mailtrail-cli deliveries: --log-format: no log format is called 'bogus'" + known;
    QTest::newRow("follow --log-format")
        << QStringList{u"follow"_s, u"--log-format"_s, u"bogus"_s}
        << "mailtrail-cli follow: --log-format: no log format is called 'bogus'" + known;
    QTest::newRow("deliveries --source-format")
        << QStringList{u"deliveries"_s, u"--source-format"_s, u"bogus"_s}
        << "mailtrail-cli deliveries: --source-format: no log format is called 'bogus'" + known;
}

void TestCli::unknownFormatNamesAreUsageErrors()
{
    // Both options name a format; a name no format has is the same mistake, answered alike: a usage
    // error said before any log is read.
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const QString log = copyFlow(*m_dir, u"bounce-with-notification.log"_s);
    const Run r = cli(args + QStringList{u"--cache"_s, cache(), log});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, message);
    QCOMPARE(r.out, QByteArray());
    // A known name in any case is taken.
    QStringList known = args;
    known[known.indexOf(u"bogus"_s)] = u"POSTFIX"_s;
    if (known.first() != u"follow"_s)
        QVERIFY2(cli(known + QStringList{u"--cache"_s, cache(), log}).exitCode == 0, qPrintable(known.join(u' ')));
}

void TestCli::formatNamesIgnoreCase_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("start");
    QTest::newRow("CSV") << QStringList{u"deliveries"_s, u"--format"_s, u"CSV"_s} << QByteArray("first_seen,last_seen,");
    QTest::newRow("Json") << QStringList{u"messages"_s, u"--format=Json"_s} << QByteArray("[\n{\"");
    QTest::newRow("TABLE") << QStringList{u"messages"_s, u"--format"_s, u"TABLE"_s} << QByteArray("first_seen  ");
    QTest::newRow("timeline JSON") << QStringList{u"timeline"_s, u"--format"_s, u"JSON"_s, u"4F2A81C0123"_s}
                                   << QByteArray("[\n    {\n");
}

void TestCli::formatNamesIgnoreCase()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, start);
    const Run r = cli(args << u"--cache"_s << cache() << copyFlow(*m_dir, u"deferred-then-sent.log"_s));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith(start), r.out.constData());
}

// A content filter's re-injection is delivered under a queue id of its own (75963E643B1), where
// `messages` lists the chain by its first (3656CE643A6): message_queue_id joins the two, and is
// the queue id itself for mail that passed no filter (session 17's trial).
void TestCli::chainDeliveriesNameTheirMessage()
{
    const QString log = m_dir->filePath(u"filter.log"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/postfix-3.10.13-filter.log"), log));
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s, log}).exitCode, 0);
    const Run messages = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s});
    QSet<QString> listed;
    for (const QJsonValue &m : QJsonDocument::fromJson(messages.out).array())
        listed.insert(m.toObject().value(u"queue_id"_s).toString());
    QVERIFY(listed.contains(u"3656CE643A6"_s) && !listed.contains(u"75963E643B1"_s));
    const Run deliveries = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s});
    QCOMPARE(deliveries.exitCode, 0);
    QMap<QString, QString> chainOf;
    for (const QJsonValue &v : QJsonDocument::fromJson(deliveries.out).array()) {
        const QJsonObject d = v.toObject();
        const QString own = d.value(u"queue_id"_s).toString(), first = d.value(u"message_queue_id"_s).toString();
        if (own.isEmpty())
            continue;  // the NOQUEUE reject: no queue id, nor a message of one
        QVERIFY2(listed.contains(first), qPrintable(own + u" -> "_s + first));
        chainOf.insert(own, first);
    }
    QCOMPARE(chainOf.value(u"75963E643B1"_s), u"3656CE643A6"_s);
    QCOMPARE(chainOf.value(u"65E19E643C0"_s), u"B14ADE643BF"_s);
    QVERIFY(!chainOf.contains(u"3656CE643A6"_s));  // its hand-overs to the filter are no deliveries
    QCOMPARE(chainOf.value(u"A9798E643B7"_s), u"A9798E643B7"_s);  // no filter
    // The CSV: the same, the last column.
    const Run csv = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--recipient"_s, u"boss@*"_s});
    QVERIFY2(csv.out.contains(",postfix,A9798E643B7\r\n"), csv.out.constData());
}

// A Sendmail bounce notice ("QID: QID2: DSN: ...", no from= line of its own) is from the null
// sender: `messages` says "<>" in every form, as its timeline does (session 17's trial: blank).
void TestCli::sendmailNoticeIsFromTheNullSender()
{
    const QString log = m_dir->filePath(u"sendmail.log"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/golden/sendmail-8.17.1.9-syslog.log"), log));
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s, log}).exitCode, 0);
    const Run json = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s});
    int notices = 0;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.out).array()) {
        const QJsonObject m = v.toObject();
        if (m.value(u"origin"_s).toString() != u"notification"_s)
            continue;
        ++notices;
        QCOMPARE(m.value(u"sender"_s).toString(), u"<>"_s);
    }
    QCOMPARE(notices, 2);  // 6B4ASdKP008955 and 6B4ASlFL008981
    const Run csv = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s});
    const QList<QByteArray> lines = csv.out.split('\n');
    const auto notice = std::find_if(lines.begin(), lines.end(), [](const QByteArray &l) { return l.contains(",6B4ASdKP008955,"); });
    QVERIFY2(notice != lines.end() && notice->contains(",<>,"), csv.out.constData());
    const Run table = cli({u"messages"_s, u"--cache"_s, cache()});
    QVERIFY2(QString::fromUtf8(table.out).contains(QRegularExpression(u"6B4ASdKP008955 +sendmail +<> "_s)), table.out.constData());
}

void TestCli::deliveriesCsvIsExact()
{
    const QString log = copyFlow(*m_dir, u"bounce-with-notification.log"_s);
    const Run r = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--status"_s, u"bounced"_s, log});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    // format comes after the columns of earlier versions, and message_queue_id (session 17) after it.
    QCOMPARE(lines.at(0), QByteArray("first_seen,last_seen,host,queue_id,message_id,sender,recipient,orig_recipient,"
                                     "status,dsn,reply_code,attempts,relay,reason,format,message_queue_id\r"));
    QCOMPARE(lines.at(1), QByteArray("2026-11-20T11:00:00+00:00,2026-11-20T11:00:02+00:00,mx1,7A1B2C3D4E,"
                                     "news-2026-11@example.com,news@example.com,nobody@example.org,,bounced,5.1.1,550,1,"
                                     "mx1.example.org[203.0.113.5]:25,host mx1.example.org[203.0.113.5] said: 550 5.1.1 "
                                     "<nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox "
                                     "table (in reply to RCPT TO command),postfix,7A1B2C3D4E\r"));
    QCOMPARE(lines.size(), 3);  // header, one row, and the empty tail after the last CRLF
    // The null sender of the bounce notification is "<>", as the window, stats and --sender write
    // it (session 16: an empty field here, "<>" there, read as two different senders).
    const Run all = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--sender"_s, u""_s, log});
    QVERIFY2(all.out.contains(",0C9D8E7F6A,20261120110002.0C9D8E7F6A@mx1.example.com,<>,news@example.com,,sent,"),
             all.out.constData());
}

void TestCli::csvQuotesFieldsWithCommas()
{
    const QString log = copyFlow(*m_dir, u"noqueue-reject.log"_s);
    const Run r = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, log});
    QCOMPARE(r.exitCode, 0);
    // NOQUEUE: no queue id; the reason holds ';' and is not quoted, a comma would be.
    QVERIFY2(r.out.contains(",mx1,,,promo@spam.example,dave@example.com,,rejected,5.7.1,554,1,,"), r.out.constData());
    const QString comma = m_dir->filePath(u"comma.log"_s);
    QFile f(comma);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Nov 20 12:00:01 mx1 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: 550 5.7.1 "
            "Go away, \"spammer\"; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<x>\n");
    f.close();
    const Run q = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--year"_s, u"2026"_s, comma});
    QVERIFY2(q.out.contains(",\"550 5.7.1 Go away, \"\"spammer\"\"\",postfix,\r\n"), q.out.constData());
}

void TestCli::csvIsFormulaSafe_data()
{
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QByteArray>("safe");  // the field as the CSV must hold it
    QTest::addColumn<QByteArray>("raw");   // with --raw
    QTest::newRow("HYPERLINK") << QByteArray(R"(=HYPERLINK("http://evil.example/","x")@example.com)")
                               << QByteArray(R"(,"'=HYPERLINK(""http://evil.example/"",""x"")@example.com",)")
                               << QByteArray(R"(,"=HYPERLINK(""http://evil.example/"",""x"")@example.com",)");
    QTest::newRow("sum") << QByteArray("=1+1@example.com") << QByteArray(",'=1+1@example.com,")
                         << QByteArray(",=1+1@example.com,");
    QTest::newRow("plus") << QByteArray("+cmd@example.com") << QByteArray(",'+cmd@example.com,")
                          << QByteArray(",+cmd@example.com,");
    QTest::newRow("minus") << QByteArray("-2+3@example.com") << QByteArray(",'-2+3@example.com,")
                           << QByteArray(",-2+3@example.com,");
    QTest::newRow("at") << QByteArray("@SUM(A1)@example.com") << QByteArray(",'@SUM(A1)@example.com,")
                        << QByteArray(",@SUM(A1)@example.com,");
    QTest::newRow("plain address") << QByteArray("alice@example.com") << QByteArray(",alice@example.com,")
                                   << QByteArray(",alice@example.com,");
}

void TestCli::csvIsFormulaSafe()
{
    QFETCH(QByteArray, sender);
    QFETCH(QByteArray, safe);
    QFETCH(QByteArray, raw);
    const QString log = writeFile(*m_dir, u"formula.log"_s,
                                  "Nov 20 12:00:01 mx1 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: "
                                  "554 5.7.1 Relay access denied; from=<" + sender +
                                      "> to=<c@d.example> proto=ESMTP helo=<x>\n");
    const QStringList query{u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--year"_s, u"2026"_s, log};
    const Run r = cli(query);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(safe), r.out.constData());
    const Run unsafe = cli(query + QStringList{u"--raw"_s});
    QCOMPARE(unsafe.exitCode, 0);
    QVERIFY2(unsafe.out.contains(raw), unsafe.out.constData());
    if (safe != raw)
        QVERIFY2(!unsafe.out.contains(safe), unsafe.out.constData());
    const Run help = cli({u"deliveries"_s, u"--help"_s});
    QVERIFY(help.out.contains("--raw"));
}

void TestCli::messagesJson()
{
    const QString log = copyFlow(*m_dir, u"partial-reject-and-forward.log"_s);
    const Run r = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, log});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonArray rows = QJsonDocument::fromJson(r.out, &error).array();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(rows.size(), 3);
    const QJsonObject forwarded = rows.at(1).toObject();
    QCOMPARE(forwarded.value(u"queue_id"_s).toString(), u"1E2F3A4B5C"_s);
    QCOMPARE(forwarded.value(u"origin"_s).toString(), u"forward"_s);
    QCOMPARE(forwarded.value(u"parent_queue_id"_s).toString(), u"9D0E1F2A3B"_s);
    QCOMPARE(forwarded.value(u"size"_s).toInt(), 3450);
}

namespace {
// A Postfix flow and the Exim main log: one dataset of two formats, one of them without host names.
QStringList mixedLogs(const QTemporaryDir &dir)
{
    const QString exim = dir.filePath(u"mainlog"_s);
    QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.96-mainlog.log"), exim);
    return {copyFlow(dir, u"bounce-with-notification.log"_s), exim};
}
} // namespace

void TestCli::formatColumnInEveryForm_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("csvHeader");
    QTest::newRow("messages") << u"messages"_s
                              << QByteArray("first_seen,last_seen,host,queue_id,message_id,sender,recipients,"
                                            "first_recipient,status,last_code,attempts,size,client,client_ip,origin,"
                                            "parent_queue_id,hops,format\r\n");
    QTest::newRow("deliveries") << u"deliveries"_s
                                << QByteArray("first_seen,last_seen,host,queue_id,message_id,sender,recipient,"
                                              "orig_recipient,status,dsn,reply_code,attempts,relay,reason,format,"
                                              "message_queue_id\r\n");
}

// Each row says the format of its log, in CSV (the same header whatever the mix), JSON and the table.
void TestCli::formatColumnInEveryForm()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, csvHeader);
    QCOMPARE(cli(QStringList{u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s} + mixedLogs(*m_dir)).exitCode, 0);
    const Run csv = cli({command, u"--cache"_s, cache(), u"--format"_s, u"csv"_s});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY2(csv.out.startsWith(csvHeader), csv.out.constData());
    const QList<QByteArray> rows = csv.out.trimmed().split('\n').mid(1);
    QVERIFY(rows.size() > 2);
    QSet<QByteArray> formats;
    // Counted from the end: a reply before it may hold a quoted comma.
    const QList<QByteArray> names = csvHeader.trimmed().split(',');
    const qsizetype fromEnd = names.size() - names.indexOf("format");
    for (const QByteArray &row : rows) {
        const QList<QByteArray> cells = row.trimmed().split(',');
        formats.insert(cells.at(cells.size() - fromEnd));
    }
    QCOMPARE(formats, (QSet<QByteArray>{"postfix", "exim"}));
    const Run json = cli({command, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--source-format"_s, u"EXIM"_s});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray objects = QJsonDocument::fromJson(json.out).array();
    QVERIFY(!objects.isEmpty());
    for (const QJsonValue &o : objects)
        QCOMPARE(o.toObject().value(u"format"_s).toString(), u"exim"_s);
    const Run table = cli({command, u"--cache"_s, cache(), u"--source-format"_s, u"postfix"_s});
    QCOMPARE(table.exitCode, 0);
    const QStringList header = QString::fromUtf8(table.out.left(table.out.indexOf('\n'))).split(QRegularExpression(u" {2,}"_s));
    QCOMPARE(header.mid(0, 3), (QStringList{u"first_seen"_s, u"queue_id"_s, u"format"_s}));
    QVERIFY2(QString::fromUtf8(table.out).contains(QRegularExpression(u"  7A1B2C3D4E +postfix  "_s)), table.out.constData());
    QVERIFY2(!table.out.contains(" exim "), table.out.constData());
}

// Numbers agree with their nouns, and what a log does not say leaves no empty slot in a sentence.
void TestCli::sentencesLeaveNoGaps()
{
    const QString one = writeFile(*m_dir, u"one.log"_s,
        "Nov 20 11:00:00 mx1 postfix/pickup[3100]: 5B6C7D8E9F: uid=0 from=<root>\n");
    const Run import = cli({u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s, one});
    QCOMPARE(import.exitCode, 0);
    QVERIFY2(import.out.contains(": imported, 1 line (postfix)\n"), import.out.constData());
    // A pickup line alone: pickup took the message into the queue, its recipients not named yet.
    // The table shows it queued, and the import and stats' still_queued count it.
    QVERIFY2(import.out.contains("\n1 line, 1 message written, 1 still in the queue at the end, in "),
             import.out.constData());
    // The Exim main log names no host: its messages are on no host, not "on ,".
    const Run timeline = cli({u"timeline"_s, u"--cache"_s, cache(), u"1xZDWo-0001nf-2y"_s, mixedLogs(*m_dir).constLast()});
    QCOMPARE(timeline.exitCode, 0);
    QVERIFY2(timeline.out.startsWith("Message 1xZDWo-0001nf-2y, Message-ID <"), timeline.out.constData());
    QVERIFY2(!timeline.out.contains(" on ,") && !timeline.out.contains(", ,"), timeline.out.constData());
}

// Sendmail logs no line when it is done with a message: the import must not call every delivered
// message "still in the queue" while stats counts only the one that waits for a retry.
void TestCli::importAndStatsAgreeOnQueued()
{
    const QString log = m_dir->filePath(u"sendmail.log"_s);
    QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/golden/sendmail-8.17.1.9-syslog.log"), log);
    const Run import = cli({u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s, log});
    QCOMPARE(import.exitCode, 0);
    QVERIFY2(import.out.contains(" messages written, 1 still in the queue at the end, in "), import.out.constData());
    const Run stats = cli({u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s});
    QCOMPARE(stats.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(stats.out).object();
    QCOMPARE(o.value(u"still_queued"_s).toInteger(), 1);
    // Sendmail's local mailer names users without a domain ("to=alice", "from=root"): users, not
    // domains.
    auto domains = [&o](const QString &list) {
        QStringList names;
        for (const QJsonValue &v : o.value(list).toArray())
            names << v.toObject().value(u"domain"_s).toString();
        names.sort();
        return names;
    };
    QCOMPARE(domains(u"top_recipient_domains"_s), (QStringList{u"elsewhere.test"_s, u"lab.test"_s, u"slow.test"_s}));
    QCOMPARE(domains(u"top_sender_domains"_s), QStringList{u"lab.test"_s});
    // Of recipients delivered to (as pflogsumm counts them): lab.test alone, not alice, bob, carol.
    QCOMPARE(o.value(u"recipient_domains_delivered"_s).toInteger(), 1);
}

// A try that reached no server has no reply code: the text report says nothing of one, rather than
// "0: connect to ...".
void TestCli::statsTextNamesOnlyRealReplyCodes()
{
    const Run stats = cli({u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"text"_s, copyFlow(*m_dir, u"expired.log"_s),
                           copyFlow(*m_dir, u"still-deferred.log"_s)});
    QCOMPARE(stats.exitCode, 0);
    QVERIFY2(stats.out.contains("     1  expired  mx.down.example.net  connect to mx.down.example.net[<ip>]:<port>: "
                                "Connection timed out\n"),
             stats.out.constData());
    QVERIFY2(stats.out.contains("     1  deferred mx.full.example.org  452: host mx.full.example.org[<ip>] said: "),
             stats.out.constData());
}

void TestCli::logsArgumentsLimitTheQuery()
{
    const QString a = copyFlow(*m_dir, u"expired.log"_s);
    const QString b = copyFlow(*m_dir, u"still-deferred.log"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), a}).exitCode, 0);
    const Run onlyB = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, b});
    QCOMPARE(onlyB.exitCode, 0);
    QCOMPARE(onlyB.out.count('\n'), 2);
    const Run all = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s});
    QCOMPARE(all.out.count('\n'), 4);
    const Run again = cli({u"import"_s, u"--cache"_s, cache(), a, b});
    QVERIFY2(again.out.contains("unchanged"), again.out.constData());
}

// Two names for one content given to a new cache (session 18's trial: the second said "unchanged,
// nothing to do" on its first import): what happened is said, with the name that was read.
void TestCli::identicalFilesOnAFirstImport()
{
    const QString a = copyFlow(*m_dir, u"expired.log"_s);
    const QString b = m_dir->filePath(u"copy.log"_s);
    QVERIFY(QFile::copy(a, b));
    const Run first = cli({u"import"_s, u"--cache"_s, cache(), a, b});
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.out.contains(QByteArray(b.toUtf8() + ": same content as " + a.toUtf8() + ", skipped\n")), first.out.constData());
    QVERIFY2(!first.out.contains("unchanged"), first.out.constData());
    QVERIFY2(first.out.contains(QByteArray(a.toUtf8() + ": imported")), first.out.constData());
    // Given again: the copy is the content of a known file under another name, as before.
    const Run again = cli({u"import"_s, u"--cache"_s, cache(), a, b});
    QVERIFY2(again.out.contains(QByteArray(a.toUtf8() + ": unchanged, nothing to do\n")), again.out.constData());
    QVERIFY2(again.out.contains(QByteArray(b.toUtf8() + ": already imported under another name")), again.out.constData());
}

void TestCli::timeline()
{
    const QString log = copyFlow(*m_dir, u"deferred-then-sent.log"_s);
    const Run r = cli({u"timeline"_s, u"--cache"_s, cache(), u"4F2A81C0123"_s, log});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Message 4F2A81C0123 on mx1"));
    QVERIFY(r.out.contains("connect from mail.example.com[192.0.2.10]"));
    QVERIFY(r.out.contains("[not tried]"));
    QVERIFY(r.out.contains("removed from the queue"));
    QVERIFY(r.out.contains("<bob@remote.example.net> sent, 2 attempts, 250 2.0.0"));
    const Run json = cli({u"timeline"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s,
                          u"<20261120100001.AB12@example.com>"_s});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray events = QJsonDocument::fromJson(json.out).array().at(0).toObject().value(u"events"_s).toArray();
    QCOMPARE(events.size(), 8);
    QCOMPARE(events.at(5).toObject().value(u"kind"_s).toString(), u"delivery"_s);
    QCOMPARE(events.at(4).toObject().value(u"delay"_s).toDouble(), 2.1);
    QCOMPARE(events.at(4).toObject().value(u"delays"_s).toString(), u"0.1/0/0.9/1.1"_s);
    QVERIFY(r.out.contains("sent via mx.remote.example.net[198.51.100.20]:25 after 10 min 3 s 2.0.0"));
    const Run missing = cli({u"timeline"_s, u"--cache"_s, cache(), u"NOSUCHID"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("NOSUCHID"));
}

void TestCli::eximTimelineNamesTheHostTried_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QByteArray>("said");
    QTest::addColumn<QByteArray>("unsaid");
    // The real Exim on loopback (tests/data/exim/golden): "ID H=127.0.0.9 [127.0.0.9] Connection
    // refused", then "ID == x@slow.test R=to_slow T=remote_smtp defer (111): Connection refused".
    QTest::newRow("host on the line before") << u"golden/exim-4.96-mainlog.log"_s << u"1xZDWt-0001qH-13"_s
                                             << QByteArray("to=<x@slow.test> deferred via 127.0.0.9 [127.0.0.9] (Connection refused)")
                                             << QByteArray("via remote_smtp");
    // Exim's test 5820: two hosts tried, the try's line after them names the transport only.
    QTest::newRow("the last host tried") << u"corpus/exim-testsuite-dane.log"_s << u"10HmbH-000000005vi-0000"_s
                                         << QByteArray("to=<t8@mxdanelazy.test.ex> deferred via danelazy2.test.ex [127.0.0.1] "
                                                       "(DANE error: tlsa lookup DEFER)")
                                         << QByteArray("via send_to_server");
    // No host logged at all: none was reached.
    QTest::newRow("no host") << u"corpus/exim-testsuite-dane.log"_s << u"10HmbI-000000005vi-0000"_s
                             << QByteArray("to=<t9@dane.no.1.test.ex> bounced, no host reached (DANE error: tlsa lookup FAIL)")
                             << QByteArray("via send_to_server");
}

// The timeline of an Exim try whose line names only its transport (T=remote_smtp) names the host
// tried, as the line before it named it, or says that no host was reached; never "via" the
// transport, as if it were a host.
void TestCli::eximTimelineNamesTheHostTried()
{
    QFETCH(QString, log);
    QFETCH(QString, id);
    QFETCH(QByteArray, said);
    QFETCH(QByteArray, unsaid);
    const QString path = m_dir->filePath(QFileInfo(log).fileName());
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/") + log, path));
    const Run r = cli({u"timeline"_s, u"--cache"_s, cache(), id, path});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(said), r.out.constData());
    QVERIFY2(!r.out.contains(unsaid), r.out.constData());
}

// Exim's own DKIM results (test 4501: "ID DKIM: d=test.ex ... [verification succeeded]", and
// "[verification failed - body hash mismatch ...]", each before its "<="): verdicts of their
// messages, as opendkim's lines give, which the free text finds ("dkim fail", as README says).
void TestCli::eximDkimVerdicts()
{
    const QString path = m_dir->filePath(u"mainlog"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/exim-testsuite-dkim.log"), path));
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), u"--text-index"_s, path}).exitCode, 0);
    const Run failed = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--text"_s, u"dkim fail"_s});
    QCOMPARE(failed.out.count('\n'), 2);
    QVERIFY2(failed.out.contains(",10HmaY-000000005vi-0000,"), failed.out.constData());
    const Run passed = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--text"_s, u"dkim pass"_s});
    QCOMPARE(passed.out.count('\n'), 2);
    QVERIFY2(passed.out.contains(",10HmaX-000000005vi-0000,"), passed.out.constData());
}

void TestCli::textSearch()
{
    const QString a = copyFlow(*m_dir, u"noqueue-reject.log"_s);
    const QString b = copyFlow(*m_dir, u"deferred-then-sent.log"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), u"--text-index"_s, a}).exitCode, 0);
    const Run first = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--text"_s, u"spamhaus"_s});
    QCOMPARE(first.out.count('\n'), 2);
    // Imported without the index: the query brings it up to date first.
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), b}).exitCode, 0);
    const Run second = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--text"_s, u"greylisted"_s});
    QCOMPARE(second.out.count('\n'), 2);
    QVERIFY(second.out.contains("4F2A81C0123"));
}

void TestCli::unknownFileIsReported()
{
    const QString junk = m_dir->filePath(u"notes.txt"_s);
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("shopping list\nmilk\neggs\n");
    f.close();
    const QString good = copyFlow(*m_dir, u"expired.log"_s);
    const Run r = cli({u"import"_s, u"--cache"_s, cache(), junk, good});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("notes.txt: not a mail log"), r.err.constData());
    QVERIFY(r.out.contains("expired.log: imported"));
}

void TestCli::compressedLogsAreRead_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<QByteArray>("again");  // what a second import of the unchanged file says
    QTest::newRow("gzip") << u"gz"_s << QByteArray(": unchanged, nothing to do\n");
    // bzip2 states no length: the same size and modification time as when it was read say unchanged.
    QTest::newRow("bzip2") << u"bz2"_s << QByteArray(": unchanged, nothing to do\n");
    QTest::newRow("xz") << u"xz"_s << QByteArray(": unchanged, nothing to do\n");
    QTest::newRow("zstd") << u"zst"_s << QByteArray(": unchanged, nothing to do\n");
}

void TestCli::compressedLogsAreRead()
{
    QFETCH(QString, extension);
    QFETCH(QByteArray, again);
    const QString plain = copyFlow(*m_dir, u"bounce-with-notification.log"_s);
    const QString packed = m_dir->filePath(u"mail.log.2."_s + extension);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.") + extension,
                        packed));
    const QStringList query{u"deliveries"_s, u"--format"_s, u"csv"_s, u"--year"_s, u"2026"_s};
    const Run fromPlain = cli(query + QStringList{u"--cache"_s, m_dir->filePath(u"plain.sqlite"_s), plain});
    const Run fromPacked = cli(query + QStringList{u"--cache"_s, cache(), packed});
    QCOMPARE(fromPacked.exitCode, 0);
    QVERIFY2(fromPacked.err.isEmpty(), fromPacked.err.constData());
    QCOMPARE(fromPacked.out.count('\n'), 4);  // the header and three deliveries
    QCOMPARE(fromPacked.out, fromPlain.out);
    // The log and its compressed copy named in one import (what `bzip2 -k` leaves) are one content.
    const Run fromBoth = cli(query + QStringList{u"--cache"_s, m_dir->filePath(u"both.sqlite"_s), plain, packed});
    QCOMPARE(fromBoth.exitCode, 0);
    QCOMPARE(fromBoth.out, fromPlain.out);
    const Run timeline = cli({u"timeline"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"7A1B2C3D4E"_s});
    QCOMPARE(timeline.exitCode, 0);
    // The raw lines come back from the compressed file by their offsets.
    QVERIFY2(timeline.out.contains("\"line\": \"Nov 20 11:00:00 mx1 postfix/smtpd[3101]: 7A1B2C3D4E: client="),
             timeline.out.constData());
    const Run reimport = cli({u"import"_s, u"--cache"_s, cache(), u"--year"_s, u"2026"_s, packed});
    QCOMPARE(reimport.exitCode, 0);
    QVERIFY2(reimport.out.contains(QByteArray(packed.toUtf8() + again)), reimport.out.constData());
    QVERIFY2(reimport.out.contains("\n0 lines, 0 messages written"), reimport.out.constData());
}

void TestCli::unsupportedCompressionIsNamed()
{
    const QString packed = m_dir->filePath(u"mail.log.2.lz4"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.lz4"), packed));
    const Run r = cli({u"import"_s, u"--cache"_s, cache(), packed});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(": compressed with lz4, which Mailtrail does not read (it reads gzip, bzip2, xz and zstd)"),
             r.err.constData());
}

void TestCli::corruptCacheExitsWithCacheError()
{
    QFile f(cache());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(8192, 'x'));
    f.close();
    const Run r = cli({u"messages"_s, u"--cache"_s, cache()});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("is not a Mailtrail cache or is damaged"), r.err.constData());
}

void TestCli::helpNamesWhatIsRead_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("mailtrail-cli --help") << u"mailtrail-cli"_s << QStringList{u"--help"_s};
    QTest::newRow("mailtrail-cli import --help") << u"mailtrail-cli"_s << QStringList{u"import"_s, u"--help"_s};
    QTest::newRow("mailtrail --help") << u"mailtrail"_s << QStringList{u"--help"_s};
}

void TestCli::helpNamesWhatIsRead()
{
    // Every format and compression the import reads, and nothing said to be the only one.
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    QProcess p;
    p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/") + program, args);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray help = p.readAllStandardOutput();
    const QList<QByteArray> formats{"Postfix", "Exim", "Sendmail"};
    const QList<QByteArray> compressions{".gz", ".bz2", ".xz", ".zst"};
    const QList<QByteArray> tools{"gzip", "bzip2", "xz", "zstd"};
    for (const QByteArray &word : formats) {
        if (args.size() == 1)  // the command's own help names them under --log-format
            QVERIFY2(help.contains(word), word.constData());
    }
    for (qsizetype i = 0; i < compressions.size(); ++i)
        QVERIFY2(help.contains(compressions[i]) || help.contains(tools[i]), compressions[i].constData());
    QVERIFY2(!help.contains("plain or .gz)"), help.constData());
}

void TestCli::flagsLeaveStderrEmpty_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("import --verbose") << QStringList{u"import"_s, u"--verbose"_s};
    QTest::newRow("import --text-index") << QStringList{u"import"_s, u"--text-index"_s};
    QTest::newRow("import, both") << QStringList{u"import"_s, u"--text-index"_s, u"--verbose"_s};
    QTest::newRow("deliveries --raw") << QStringList{u"deliveries"_s, u"--raw"_s, u"--format"_s, u"csv"_s};
}

void TestCli::flagsLeaveStderrEmpty()
{
    // Options without a value were counted with QCommandLineParser::values(), which complains on
    // stderr ("option not expecting values") for them.
    QFETCH(QStringList, args);
    const Run r = cli(args + QStringList{u"--cache"_s, cache(), clitest::copyFlow(*m_dir, u"deferred-then-sent.log"_s)});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QByteArray());
    QVERIFY(!r.out.isEmpty());
}

void TestCli::triedOptions_data()
{
    // deferred-then-sent: bob@ greylisted (450 4.2.0) on 11-20 at 10:00:03, a suspended try at
    // 10:05:03 that tried nothing (4.4.1, not counted), sent at 10:10:04. expired: eve@ timed out
    // twice (no reply, 4.4.1) on 11-15 at 09:00:31 and 10:00:31, both deferrals, then expired
    // (the giving up tried nothing). noqueue-reject: refused before queueing (554 5.7.1) on 11-20
    // at 12:00.
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("rows");
    const QStringList deferred{u"--tried-as"_s, u"deferred"_s};
    QTest::newRow("deferred tries") << u"deliveries"_s << deferred << 2;
    QTest::newRow("deferred tries, messages") << u"messages"_s << deferred << 2;
    // No final status is deferred: --status finds none of them.
    QTest::newRow("deferred status") << u"deliveries"_s << QStringList{u"--status"_s, u"deferred"_s} << 0;
    QTest::newRow("deferred since the 20th")
        << u"deliveries"_s << deferred + QStringList{u"--tried-since"_s, u"2026-11-20T00:00Z"_s} << 1;
    QTest::newRow("deferred before the 20th")
        << u"deliveries"_s << deferred + QStringList{u"--tried-until"_s, u"2026-11-20T00:00Z"_s} << 1;
    QTest::newRow("reply code") << u"deliveries"_s << QStringList{u"--tried-as"_s, u"450"_s} << 1;
    QTest::newRow("no reply") << u"deliveries"_s << QStringList{u"--tried-as"_s, u"no-reply"_s} << 1;
    QTest::newRow("enhanced code, suspension not counted")
        << u"deliveries"_s << QStringList{u"--tried-as"_s, u"4.4.1"_s, u"--tried-since"_s, u"2026-11-20T00:00Z"_s} << 0;
    QTest::newRow("enhanced code") << u"deliveries"_s << QStringList{u"--tried-as"_s, u"4.4.1"_s} << 1;
    QTest::newRow("an expiry is no bounced try") << u"deliveries"_s << QStringList{u"--tried-as"_s, u"bounced"_s} << 0;
    QTest::newRow("any try in a range")
        << u"deliveries"_s << QStringList{u"--tried-since"_s, u"2026-11-20T10:05Z"_s, u"--tried-until"_s, u"2026-11-20T10:11Z"_s}
        << 1;
    QTest::newRow("only the suspension in the range")
        << u"deliveries"_s << QStringList{u"--tried-since"_s, u"2026-11-20T10:05Z"_s, u"--tried-until"_s, u"2026-11-20T10:06Z"_s}
        << 0;
    QTest::newRow("upper case") << u"deliveries"_s << QStringList{u"--tried-as"_s, u"Rejected"_s} << 1;
    // eve@'s tries reached no server; the host is the one her "connect to" failures name.
    QTest::newRow("destination of failed connections")
        << u"deliveries"_s << QStringList{u"--destination"_s, u"mx.down.example.net"_s} << 1;
    QTest::newRow("destination of a relay")
        << u"messages"_s << QStringList{u"--destination"_s, u"MX.remote.example.net"_s} << 1;
    QTest::newRow("destination and a try of it")
        << u"deliveries"_s << QStringList{u"--destination"_s, u"mx.remote.example.net"_s, u"--tried-as"_s, u"4.4.1"_s} << 0;
}

void TestCli::triedOptions()
{
    QFETCH(QString, command);
    QFETCH(QStringList, options);
    QFETCH(int, rows);
    const Run r = cli(QStringList{command, u"--cache"_s, cache(), u"--format"_s, u"csv"_s} + options +
                      QStringList{copyFlow(*m_dir, u"deferred-then-sent.log"_s), copyFlow(*m_dir, u"expired.log"_s),
                                  copyFlow(*m_dir, u"noqueue-reject.log"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1 + rows);
}

void TestCli::triedOptionUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    const QByteArray forms = "--tried-as takes delivered, deferred, bounced, rejected, a reply code (450), an enhanced "
                             "status code (4.2.0), delivered-no-reply, no-reply or no-dsn, or several codes of one "
                             "kind (504,421), not ";
    QTest::newRow("a class") << QStringList{u"deliveries"_s, u"--tried-as"_s, u"4xx"_s} << forms + "'4xx'";
    QTest::newRow("a status") << QStringList{u"messages"_s, u"--tried-as"_s, u"sent"_s} << forms + "'sent'";
    QTest::newRow("stats") << QStringList{u"stats"_s, u"--tried-as"_s, u"5.7"_s} << forms + "'5.7'";
    QTest::newRow("a list of two kinds") << QStringList{u"messages"_s, u"--tried-as"_s, u"450,deferred"_s}
                                         << forms + "'450,deferred'";
    QTest::newRow("bad time") << QStringList{u"messages"_s, u"--tried-since"_s, u"soon"_s}
                              << QByteArray("--tried-since: cannot read 'soon' as a time");
    QTest::newRow("twice") << QStringList{u"deliveries"_s, u"--tried-as"_s, u"450"_s, u"--tried-as"_s, u"550"_s}
                           << QByteArray("--tried-as was given twice");
}

void TestCli::triedOptionUsageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const Run r = cli(args + QStringList{u"--cache"_s, cache()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
