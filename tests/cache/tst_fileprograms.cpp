// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Lines of programs other than the format's own (dovecot in a Postfix mail.log) are counted by
// program, not as lines not understood, and the cache keeps the counts per log.
#include "testlogs.h"

#include <QDir>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {

QByteArray data(const QString &relative)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(relative));
    return f.readAll();
}

// Real dovecot lines (fail2ban's test log, see tests/data/README.md). Counted with
//   grep -cE '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ ]+ dovecot(\[[0-9]+\])?: '  -> 10
//   grep -cE '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ ]+ auth: '                   -> 1
//   grep -cvE '^[A-Z][a-z]{2} [ 0-9][0-9] '   (tai64n stamps, an ISO date: no syslog line) -> 5
const QString Dovecot = QStringLiteral("programs/fail2ban-dovecot.log");
constexpr std::uint64_t DovecotLines = 10;
constexpr std::uint64_t AuthLines = 1;
constexpr std::uint64_t NotSyslogLines = 5;

std::uint64_t linesOf(const ProgramCounts &counts, const std::string &program)
{
    for (const ProgramLines &p : counts) {
        if (p.program == program)
            return p.lines;
    }
    return 0;
}

} // namespace

class TestFilePrograms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void otherProgramsAreNotUnknown_data();
    void otherProgramsAreNotUnknown();
    void ownProgramsOfEachFormat_data();
    void ownProgramsOfEachFormat();
    void countsAreKeptAndAdded();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Cache> m_cache;
    void reopen();
    FileImport importOne(const QString &name, const QByteArray &content, const std::string &format);
};

void TestFilePrograms::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    reopen();
}

void TestFilePrograms::reopen()
{
    m_cache = std::make_unique<Cache>();
    QVERIFY2(m_cache->open(m_dir->filePath(QStringLiteral("cache/c.sqlite")).toStdString()), m_cache->error().c_str());
}

FileImport TestFilePrograms::importOne(const QString &name, const QByteArray &content, const std::string &format)
{
    ImportOptions options;
    options.format = format;
    const ImportSummary s = Ingestor::import(*m_cache, {write(*m_dir, name, content)}, options);
    if (!s.ok() || s.files.size() != 1)
        qFatal("import of %s failed: %s", qPrintable(name), s.error.c_str());
    return s.files.front();
}

void TestFilePrograms::otherProgramsAreNotUnknown_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("format");
    // A real log of each format, its lines of its own programs only, with the dovecot lines after.
    QTest::newRow("postfix") << u"postfix/golden/postfix-3.10.13-filter.log"_s << u"postfix"_s;
    QTest::newRow("exim through syslog") << u"exim/golden/exim-4.98.2-syslog.log"_s << u"exim"_s;
    QTest::newRow("sendmail") << u"sendmail/golden/sendmail-8.17.1.9-syslog.log"_s << u"sendmail"_s;
}

void TestFilePrograms::otherProgramsAreNotUnknown()
{
    QFETCH(QString, log);
    QFETCH(QString, format);
    const FileImport alone = importOne(u"alone.log"_s, data(log), format.toStdString());
    QVERIFY(alone.otherPrograms.empty());
    init();  // a cache of its own: the mixed log begins with the same content, and would continue it
    const FileImport mixed = importOne(u"mixed.log"_s, data(log) + data(Dovecot), format.toStdString());
    QCOMPARE(mixed.lines, alone.lines + DovecotLines + AuthLines + NotSyslogLines);
    // Only the lines that are no syslog line at all are added to those not understood.
    QCOMPARE(mixed.unknownLines, alone.unknownLines + NotSyslogLines);
    QCOMPARE(mixed.otherPrograms.size(), 2u);
    QCOMPARE(mixed.otherPrograms.at(0).program, std::string("dovecot"));  // most lines first
    QCOMPARE(mixed.otherPrograms.at(0).lines, DovecotLines);
    QCOMPARE(linesOf(mixed.otherPrograms, "auth"), AuthLines);
}

void TestFilePrograms::ownProgramsOfEachFormat_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("otherProgram");  // empty: every line is of the format's programs
    QTest::addColumn<int>("otherLines");
    // amavis re-injects into Postfix: its line is another program's.
    //   awk '{print $5}' amavis-and-milters.log | grep -c '^amavis'  -> 1
    QTest::newRow("postfix with amavis") << u"postfix/flows/amavis-and-milters.log"_s << u"postfix"_s << u"amavis"_s << 1;
    // postfix/submission/smtpd: Postfix's own, under the name of a master.cf service.
    QTest::newRow("postfix instances") << u"postfix/flows/sasl-failures.log"_s << u"postfix"_s << QString() << 0;
    // Exim's own main log has no programs: none of its lines is another program's.
    QTest::newRow("exim mainlog") << u"exim/golden/exim-4.98.2-mainlog.log"_s << u"exim"_s << QString() << 0;
    // sm-mta, sendmail and sm-acceptingconnections: all Sendmail's.
    QTest::newRow("sendmail sm-mta") << u"sendmail/corpus/fail2ban-sendmail-reject.log"_s << u"sendmail"_s << QString() << 0;
}

void TestFilePrograms::ownProgramsOfEachFormat()
{
    QFETCH(QString, log);
    QFETCH(QString, format);
    QFETCH(QString, otherProgram);
    QFETCH(int, otherLines);
    const FileImport f = importOne(u"mail.log"_s, data(log), format.toStdString());
    if (otherProgram.isEmpty()) {
        QVERIFY(f.otherPrograms.empty());
        return;
    }
    QCOMPARE(f.otherPrograms.size(), 1u);
    QCOMPARE(f.otherPrograms.front().program, otherProgram.toStdString());
    QCOMPARE(f.otherPrograms.front().lines, std::uint64_t(otherLines));
}

void TestFilePrograms::countsAreKeptAndAdded()
{
    const QByteArray postfix = data(u"postfix/golden/postfix-3.10.13-filter.log"_s);
    const std::string path = write(*m_dir, u"mail.log"_s, postfix + data(Dovecot));
    QVERIFY(Ingestor::import(*m_cache, {path}).ok());
    // Opened again, the cache still knows them.
    reopen();
    std::vector<FileRow> files = m_cache->files();
    QCOMPARE(files.size(), 1u);
    QCOMPARE(linesOf(files.front().otherPrograms, "dovecot"), DovecotLines);
    QCOMPARE(linesOf(files.front().otherPrograms, "auth"), AuthLines);

    // The log grows: the new lines add to the counts.
    write(*m_dir, u"mail.log"_s, data(Dovecot), true);
    const ImportSummary again = Ingestor::import(*m_cache, {path});
    QVERIFY(again.ok());
    QCOMPARE(int(again.files.front().action), int(FileImport::Action::Appended));
    QCOMPARE(linesOf(again.files.front().otherPrograms, "dovecot"), DovecotLines);  // of this import
    files = m_cache->files();
    QCOMPARE(linesOf(files.front().otherPrograms, "dovecot"), 2 * DovecotLines);
    QCOMPARE(linesOf(files.front().otherPrograms, "auth"), 2 * AuthLines);
}

QTEST_GUILESS_MAIN(TestFilePrograms)
#include "tst_fileprograms.moc"
