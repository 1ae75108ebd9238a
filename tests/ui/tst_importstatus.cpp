// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The words of an import in the status bar, from what the import reports: no window needed.
#include "importstatus.h"

#include "elidedlabel.h"

#include <QLocale>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(mailtrail::ImportSummary)

namespace {
FileImport file(const char *path, FileImport::Action action, std::uint64_t lines)
{
    FileImport f;
    f.path = path;
    f.action = action;
    f.lines = lines;
    return f;
}

ImportSummary read(std::vector<FileImport> files, double seconds = 0.42)
{
    ImportSummary s;
    for (const FileImport &f : files)
        s.lines += f.lines;
    s.files = std::move(files);
    s.seconds = seconds;
    return s;
}
}

class TestImportStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void summary_data();
    void summary();
    void heldFollowsTheGrain_data();
    void heldFollowsTheGrain();
    void progress_data();
    void progress();
    void problemsLeadANarrowStatusLine();
};

void TestImportStatus::initTestCase()
{
    // "%L1" and the counts are said in the user's locale: one fixed here, whatever the machine's.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestImportStatus::summary_data()
{
    QTest::addColumn<ImportSummary>("summary");
    QTest::addColumn<QStringList>("folders");
    QTest::addColumn<bool>("byFollow");
    QTest::addColumn<bool>("quiet");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("held");
    QTest::addColumn<QStringList>("details");

    const auto New = FileImport::Action::New;
    QTest::newRow("lines, as the table counts")
        << read({file("/var/log/mail.log", New, 12345)}) << QStringList() << false << false
        << u"Imported 12,345 lines in 0.4 s. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    QTest::newRow("one line") << read({file("/var/log/mail.log", New, 1)}, 0.06) << QStringList() << false << false
                              << u"Imported 1 line in 0.1 s. The logs open hold 1,200 messages."_s
                              << u"The logs open hold 1,200 messages."_s << QStringList();

    // A Postfix log as a real server writes it: amavis, dovecot and opendkim share mail.log.
    ImportSummary shared = read({file("/var/log/mail.log", New, 5000)});
    shared.files[0].unknownLines = 3;
    shared.files[0].otherPrograms = {{"dovecot", 900}, {"amavis", 40}, {"opendkim", 40}, {"postgrey", 2}};
    QTest::newRow("other programs, most first, three named")
        << shared << QStringList() << false << false
        << u"Imported 5,000 lines in 0.4 s. 3 of them not understood. 982 from other programs (dovecot 900, "
           u"amavis 40, opendkim 40, …). The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    ImportSummary twoFiles = read({file("/var/log/mail.log", New, 10), file("/var/log/mail.log.1", New, 10)});
    twoFiles.files[0].otherPrograms = {{"dovecot", 4}};
    twoFiles.files[1].otherPrograms = {{"dovecot", 3}};
    QTest::newRow("other programs summed over the files")
        << twoFiles << QStringList() << false << false
        << u"Imported 20 lines in 0.4 s. 7 from other programs (dovecot 7). The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();

    ImportSummary cancelled = read({file("/var/log/mail.log", New, 4242)});
    cancelled.cancelled = true;
    QTest::newRow("cancelled") << cancelled << QStringList() << false << false
                               << u"Import cancelled: 4,242 lines read; what was read is kept."_s << QString()
                               << QStringList();
    cancelled.undone = true;
    QTest::newRow("cancelled, undone")
        << cancelled << QStringList() << false << false
        << u"Import cancelled while every log was read again in time order: the cache is as it was."_s << QString()
        << QStringList();

    QTest::newRow("already imported")
        << read({file("/var/log/mail.log", FileImport::Action::Unchanged, 0),
                 file("/var/log/mail.1", FileImport::Action::Renamed, 0)})
        << QStringList() << false << false << u"Already imported and unchanged: shown from the cache."_s << QString()
        << QStringList();

    QTest::newRow("empty file and folder of no logs")
        << read({file("/tmp/logs/mail.log", FileImport::Action::Empty, 0)}) << QStringList{u"/tmp/logs"_s, u"/tmp/none"_s}
        << false << false << u"The folder none holds no log files. mail.log is empty. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    // A folder given with a trailing slash: its logs are found in it, and it is named.
    QTest::newRow("folders given with a slash")
        << read({file("/tmp/logs/mail.log", New, 3)}) << QStringList{u"/tmp/logs/"_s, u"/tmp/none/"_s} << false << false
        << u"Imported 3 lines in 0.4 s. The folder none holds no log files. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    QTest::newRow("lines, and an empty file")
        << read({file("/var/log/mail.log", New, 3), file("/var/log/mail.err", FileImport::Action::Empty, 0)})
        << QStringList() << false << false
        << u"Imported 3 lines in 0.4 s. mail.err is empty. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();

    ImportSummary failed = read({file("/var/log/mail.log", New, 3), file("/var/log/binary.log", FileImport::Action::Failed, 0),
                                 file("/var/log/mail.log.2.gz", FileImport::Action::New, 7)});
    failed.files[1].error = "not a mail log";
    failed.files[2].endedEarly = true;
    QTest::newRow("not read and partly read")
        << failed << QStringList() << false << false
        << u"Not read: binary.log: not a mail log. Partly read: mail.log.2.gz: the compressed file is cut short; "
           u"everything before the cut was imported. Imported 10 lines in 0.4 s. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s
        << QStringList{u"Not read:"_s, u"binary.log: not a mail log"_s, u"Partly read:"_s,
                       u"mail.log.2.gz: the compressed file is cut short; everything before the cut was imported"_s};
    ImportSummary cacheFailed = read({file("/var/log/mail.log", New, 0)});
    cacheFailed.error = "database or disk is full";
    QTest::newRow("the cache failed")
        << cacheFailed << QStringList() << false << false
        << u"Not read: database or disk is full. Imported 0 lines in 0.4 s. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList{u"Not read:"_s, u"database or disk is full"_s};
    ImportSummary warned = read({file("/var/log/mail.log", New, 2)});
    warned.warning = "The sort indexes could not be built: disk full.";
    QTest::newRow("a warning is the last word")
        << warned << QStringList() << false << false
        << u"Imported 2 lines in 0.4 s. The logs open hold 1,200 messages. The sort indexes could not be built: disk full."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();

    // trial20: mail.log.1 dropped beside its .gz was read once, and the window said nothing of
    // the other; the CLI said "same content as mail.log.1.gz, skipped".
    ImportSummary twin = read({file("/var/log/mail.log.1.gz", New, 10), file("/var/log/mail.log.1", FileImport::Action::Unchanged, 0)});
    twin.files[1].sameAs = "/var/log/mail.log.1.gz";
    QTest::newRow("a copy skipped")
        << twin << QStringList() << false << false
        << u"Imported 10 lines in 0.4 s. Skipped mail.log.1: the same content as mail.log.1.gz. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    // A copy of the same name in another folder: told apart by its path.
    ImportSummary elsewhere = read({file("/var/log/mail.log", New, 10), file("/tmp/copy/mail.log", FileImport::Action::Unchanged, 0)});
    elsewhere.files[1].sameAs = "/var/log/mail.log";
    QTest::newRow("a copy of the same name")
        << elsewhere << QStringList() << false << false
        << u"Imported 10 lines in 0.4 s. Skipped /tmp/copy/mail.log: the same content as /var/log/mail.log. "
           u"The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    // A folder of rotations beside their compressed twins: three named, the rest counted.
    std::vector<FileImport> twins;
    for (int i = 1; i <= 5; ++i) {
        const std::string gz = "/var/log/mail.log." + std::to_string(i) + ".gz";
        twins.push_back(file("", New, 2));
        twins.back().path = gz;
        twins.push_back(file("", FileImport::Action::Unchanged, 0));
        twins.back().path = gz.substr(0, gz.size() - 3);
        twins.back().sameAs = gz;
    }
    QTest::newRow("copies skipped, a few named")
        << read(twins) << QStringList() << false << false
        << u"Imported 10 lines in 0.4 s. Skipped 5 files with the same content as another one given: mail.log.1 (same as "
           u"mail.log.1.gz), mail.log.2 (same as mail.log.2.gz), mail.log.3 (same as mail.log.3.gz), and 2 more. "
           u"The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList();
    // Both already imported: the copy is still named, not only "unchanged".
    ImportSummary again = read({file("/var/log/mail.log.1.gz", FileImport::Action::Unchanged, 0),
                                file("/var/log/mail.log.1", FileImport::Action::Unchanged, 0)});
    again.files[1].sameAs = "/var/log/mail.log.1.gz";
    QTest::newRow("a copy skipped, nothing new")
        << again << QStringList() << false << false
        << u"Already imported and unchanged: shown from the cache. Skipped mail.log.1: the same content as mail.log.1.gz."_s
        << QString() << QStringList();

    // A follow's wake-up with nothing new (the log touched, half a line written) says nothing...
    QTest::newRow("follow, nothing new")
        << read({file("/var/log/mail.log", FileImport::Action::Unchanged, 0)}) << QStringList() << true << true << QString()
        << QString() << QStringList();
    // ...but what it could not read, it says; and a user's reopen of the same log is answered.
    ImportSummary vanished = read({file("/var/log/mail.log", FileImport::Action::Failed, 0)});
    vanished.files[0].error = "No such file or directory";
    QTest::newRow("follow, log gone")
        << vanished << QStringList() << true << false
        << u"Not read: mail.log: No such file or directory. Imported 0 lines in 0.4 s. The logs open hold 1,200 messages."_s
        << u"The logs open hold 1,200 messages."_s << QStringList{u"Not read:"_s, u"mail.log: No such file or directory"_s};
    QTest::newRow("user, nothing new")
        << read({file("/var/log/mail.log", FileImport::Action::Unchanged, 0)}) << QStringList() << false << false
        << u"Already imported and unchanged: shown from the cache."_s << QString() << QStringList();
}

void TestImportStatus::summary()
{
    QFETCH(ImportSummary, summary);
    QFETCH(QStringList, folders);
    QFETCH(bool, byFollow);
    const ImportStatus::Summary words = ImportStatus::summarize(summary, folders, byFollow, 1200, Grain::Messages, 2);
    QTEST(words.quiet, "quiet");
    if (words.quiet)
        return;
    QTEST(words.shown(), "shown");
    QTEST(words.held, "held");
    QTEST(words.details(), "details");
    // The window replaces the held sentence when the table's count comes in: it must be in there.
    if (!words.held.isEmpty())
        QVERIFY(words.message.contains(words.held));
}

void TestImportStatus::heldFollowsTheGrain_data()
{
    QTest::addColumn<qint64>("total");
    QTest::addColumn<bool>("deliveries");
    QTest::addColumn<qsizetype>("logs");
    QTest::addColumn<QString>("held");
    QTest::newRow("one message") << qint64(1) << false << qsizetype(2) << u"The logs open hold 1 message."_s;
    QTest::newRow("no message") << qint64(0) << false << qsizetype(2) << u"The logs open hold 0 messages."_s;
    QTest::newRow("one delivery") << qint64(1) << true << qsizetype(2) << u"The logs open hold 1 delivery."_s;
    QTest::newRow("deliveries") << qint64(1234567) << true << qsizetype(824) << u"The logs open hold 1,234,567 deliveries."_s;
    // One log on show: "The logs open" with one log (trial20, as LogWords).
    QTest::newRow("one log") << qint64(290) << false << qsizetype(1) << u"The log open holds 290 messages."_s;
    QTest::newRow("one log, one delivery") << qint64(1) << true << qsizetype(1) << u"The log open holds 1 delivery."_s;
}

void TestImportStatus::heldFollowsTheGrain()
{
    QFETCH(qint64, total);
    QFETCH(bool, deliveries);
    QFETCH(qsizetype, logs);
    QTEST(ImportStatus::held(total, deliveries ? Grain::Deliveries : Grain::Messages, logs), "held");
}

void TestImportStatus::progress_data()
{
    QTest::addColumn<qint64>("done");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<double>("mbps");
    QTest::addColumn<qint64>("messages");
    QTest::addColumn<QString>("words");
    QTest::newRow("start") << qint64(0) << qint64(999999) << 0.0 << qint64(0) << u"Importing: 0 of 0 MB, 0 MB/s, 0 messages"_s;
    QTest::newRow("half") << qint64(512000000) << qint64(1024000000) << 96.6 << qint64(1234567)
                          << u"Importing: 512 of 1,024 MB, 97 MB/s, 1,234,567 messages"_s;
    // "1061 of 1073 MB" had no separator where every other number of the window has one.
    QTest::newRow("gigabyte") << qint64(1061000000) << qint64(1073000000) << 1250.0 << qint64(864487)
                              << u"Importing: 1,061 of 1,073 MB, 1,250 MB/s, 864,487 messages"_s;
}

void TestImportStatus::progress()
{
    QFETCH(qint64, done);
    QFETCH(qint64, total);
    QFETCH(double, mbps);
    QFETCH(qint64, messages);
    QTEST(ImportStatus::progress(done, total, mbps, messages), "words");
}

// A status bar of a 1000-pixel window cuts the line with "…": what went wrong with a log is
// what the user must read there, not the count of lines before it.
void TestImportStatus::problemsLeadANarrowStatusLine()
{
    ImportSummary cut = read({file("/var/log/mail.log", FileImport::Action::New, 120000), file("/var/log/mail.log.2.gz", FileImport::Action::New, 9000)});
    cut.files[1].endedEarly = true;
    const ImportStatus::Summary words = ImportStatus::summarize(cut, {}, false, 86000, Grain::Messages, 2);
    ElidedLabel label;
    label.setText(words.shown());
    label.resize(label.fontMetrics().horizontalAdvance(u"Partly read: mail.log.2.gz: the compressed"_s), 30);
    QVERIFY2(label.isElided(), qPrintable(label.shownText()));
    QVERIFY2(label.shownText().startsWith(u"Partly read: mail.log.2.gz"_s), qPrintable(label.shownText()));
    QVERIFY2(label.fullToolTip().contains(u"Imported 129,000 lines"_s), qPrintable(label.fullToolTip()));
}

QTEST_MAIN(TestImportStatus)
#include "tst_importstatus.moc"
