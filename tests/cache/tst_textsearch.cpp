// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The free-text filter: the words the index holds joined (textwords) and the answers found through
// them, which must be those of checking every candidate whole.
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/textwords.h"
#include "testlogs.h"

#include <sqlite3.h>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

namespace {

// Each message a case of "gmail.com": whole, inside longer words, its words apart, upper case.
constexpr const char *Log =
    "Nov 20 10:00:01 mx1 postfix/cleanup[2110]: 1A2B3C4D5E: message-id=<20261120100001.AB12@example.com>\n"
    "Nov 20 10:00:01 mx1 postfix/qmgr[880]: 1A2B3C4D5E: from=<alice@example.com>, size=4211, nrcpt=1 (queue active)\n"
    "Nov 20 10:00:02 mx1 postfix/smtp[2120]: 1A2B3C4D5E: to=<carol@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK 1795132801 a1b2c3si4 - gsmtp)\n"
    "Nov 20 10:00:02 mx1 postfix/qmgr[880]: 1A2B3C4D5E: removed\n"
    // Inside a longer word: "mygmail.com", with the words gmail (the message id) and com.
    "Nov 20 10:01:01 mx1 postfix/cleanup[2110]: 2A2B3C4D5E: message-id=<20261120100101.CD34@gmail.example.org>\n"
    "Nov 20 10:01:01 mx1 postfix/qmgr[880]: 2A2B3C4D5E: from=<dave@example.org>, size=4211, nrcpt=1 (queue active)\n"
    "Nov 20 10:01:02 mx1 postfix/smtp[2120]: 2A2B3C4D5E: to=<erin@mygmail.com>, relay=mx.mygmail.com[192.0.2.5]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok: queued as 9F1E2D3C4B)\n"
    "Nov 20 10:01:02 mx1 postfix/qmgr[880]: 2A2B3C4D5E: removed\n"
    // Its end inside a longer word: "gmail.community", and com in the relay.
    "Nov 20 10:02:01 mx1 postfix/cleanup[2110]: 3A2B3C4D5E: message-id=<20261120100201.EF56@example.net>\n"
    "Nov 20 10:02:01 mx1 postfix/qmgr[880]: 3A2B3C4D5E: from=<frank@example.net>, size=4211, nrcpt=1 (queue active)\n"
    "Nov 20 10:02:02 mx1 postfix/smtp[2120]: 3A2B3C4D5E: to=<grace@gmail.community.example>, relay=mx.example.com[192.0.2.6]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok)\n"
    "Nov 20 10:02:02 mx1 postfix/qmgr[880]: 3A2B3C4D5E: removed\n"
    // Both words, never joined by a dot.
    "Nov 20 10:03:01 mx1 postfix/cleanup[2110]: 4A2B3C4D5E: message-id=<20261120100301.GH78@example.net>\n"
    "Nov 20 10:03:01 mx1 postfix/qmgr[880]: 4A2B3C4D5E: from=<gmail@example.com>, size=4211, nrcpt=1 (queue active)\n"
    "Nov 20 10:03:02 mx1 postfix/smtp[2120]: 4A2B3C4D5E: to=<henry@example.net>, relay=mx.example.net[192.0.2.7]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok)\n"
    "Nov 20 10:03:02 mx1 postfix/qmgr[880]: 4A2B3C4D5E: removed\n"
    // Upper case.
    "Nov 20 10:04:01 mx1 postfix/cleanup[2110]: 5A2B3C4D5E: message-id=<20261120100401.IJ90@example.net>\n"
    "Nov 20 10:04:01 mx1 postfix/qmgr[880]: 5A2B3C4D5E: from=<IVAN@GMAIL.COM>, size=4211, nrcpt=1 (queue active)\n"
    "Nov 20 10:04:02 mx1 postfix/smtp[2120]: 5A2B3C4D5E: to=<judy@example.net>, relay=mx.example.net[192.0.2.7]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok)\n"
    "Nov 20 10:04:02 mx1 postfix/qmgr[880]: 5A2B3C4D5E: removed\n";

// The index's text with its joined words shown with their separator, after a '|'.
QString shown(const std::string &indexed, std::size_t textSize)
{
    QString out = QString::fromStdString(indexed.substr(0, textSize));
    std::string words = indexed.substr(textSize);
    for (const char *separator : {".", "-"}) {
        const std::string mark = std::string("\xEE\x80") + static_cast<char>(0x80 | separator[0]);
        for (std::size_t at = words.find(mark); at != std::string::npos; at = words.find(mark, at))
            words.replace(at, mark.size(), separator);
    }
    return words.empty() ? out : out + u" |"_s + QString::fromStdString(words);
}

// What the filter found before the joined words: every message with the words, each term of
// several words checked whole in each.
std::int64_t checkingEveryCandidate(sql::Database &db, const std::string &text)
{
    std::string sql = "SELECT count(*) FROM messages m WHERE m.id IN (SELECT rowid FROM message_text WHERE message_text MATCH ?)";
    const std::vector<std::string> terms = QueryBuilder::compoundTerms(text);
    for (std::size_t i = 0; i < terms.size(); ++i)
        sql += " AND " + schema::containsTextSql();
    sql::Statement count(db, sql);
    int at = 1;
    count.bind(at++, QueryBuilder::matchExpression(text));
    for (const std::string &term : terms) {
        for (int i = 0; i < schema::containsTextParameters(); ++i)
            count.bind(at++, term);
    }
    count.step();
    return count.int64(0);
}

bool indexHolds(sql::Database &db, const std::string &word)
{
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.text_words USING fts5vocab(main, message_text, row)");
    return sql::Statement(db, "SELECT 1 FROM temp.text_words WHERE term = ?").bind(1, word).step();
}

void unchanged(sqlite3_context *context, int, sqlite3_value **argv)
{
    sqlite3_result_value(context, argv[0]);
}

} // namespace

class TestTextSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void buildSettings();
    void earlierIndexRebuiltAfterAnImport();
    void indexedText_data();
    void indexedText();
    void joinedWord_data();
    void joinedWord();
    void answersAsCheckingEveryCandidate_data();
    void answersAsCheckingEveryCandidate();
    void indexOfAnEarlierBuildIsRebuiltOnce();
    void matchesFromMemoryFollowTheTextIndex();

private:
    std::string cachePath() const { return m_dir.filePath(u"c.sqlite"_s).toStdString(); }
    QTemporaryDir m_dir;
};

void TestTextSearch::initTestCase()
{
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    const ImportSummary s = Ingestor::import(cache, {write(m_dir, u"gmail.log"_s, Log)});
    QVERIFY2(s.ok(), s.error.c_str());
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
}

// The text index is built with FTS5's pending words flushed at 4 MiB, kept in its configuration,
// and a page cache of at least 64 MiB, the connection's own given back after.
void TestTextSearch::buildSettings()
{
    sql::Database db;
    db.open(cachePath());
    {
        sql::Statement hash(db, "SELECT v FROM message_text_config WHERE k = 'hashsize'");
        QVERIFY(hash.step());
        QCOMPARE(hash.int64(0), std::int64_t(4) << 20);
    }
    std::vector<std::string> run;  // the statements of the build
    sqlite3_trace_v2(
        db.handle(), SQLITE_TRACE_STMT,
        [](unsigned, void *into, void *, void *sql) {
            static_cast<std::vector<std::string> *>(into)->emplace_back(static_cast<const char *>(sql));
            return 0;
        },
        &run);
    for (const std::int64_t size : {std::int64_t(-2000), std::int64_t(-131072)}) {
        db.exec(("PRAGMA cache_size = " + std::to_string(size)).c_str());
        run.clear();
        db.exec("BEGIN");
        schema::indexText(db, 1, 0);
        db.exec("COMMIT");
        const bool raised = std::find(run.begin(), run.end(), "PRAGMA cache_size = -65536") != run.end();
        QCOMPARE(raised, size == -2000);
        sql::Statement after(db, "PRAGMA cache_size");
        QVERIFY(after.step());
        QCOMPARE(after.int64(0), size);
    }
    sqlite3_trace_v2(db.handle(), 0, nullptr, nullptr);
}

// An index of an earlier build is made again from the start on the connection that has just
// imported, which registered the index's function already: SQLite refuses to register it again
// while FTS5 holds a handle open after emptying the index (the window's import job, `import
// --text-index`).
void TestTextSearch::earlierIndexRebuiltAfterAnImport()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(u"c.sqlite"_s).toStdString();
    Cache cache;
    QVERIFY(cache.open(path));
    QVERIFY(Ingestor::import(cache, {write(dir, u"a.log"_s, Log)}).ok());
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    {
        sql::Database db;
        db.open(path);
        db.exec("DELETE FROM meta WHERE key = 'text_joined_upto'");
    }
    QByteArray later = Log;
    later.replace("Nov 20", "Nov 21").replace("A2B3C4D5E", "A2B3C4D5F");
    QVERIFY(Ingestor::import(cache, {write(dir, u"b.log"_s, later)}).ok());
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    Filter filter;
    filter.text = "gmail.com";
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(8));
}

void TestTextSearch::indexedText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("indexed");
    QTest::newRow("address") << u"alice@gmail.com"_s << u"alice@gmail.com | gmail.com"_s;
    QTest::newRow("relay, sorted, once") << u"mx1.example.com[192.0.2.1]:25 mx1.example.com"_s
                                         << u"mx1.example.com[192.0.2.1]:25 mx1.example.com | example.com mx1.example"_s;
    QTest::newRow("lower case") << u"Smtp-In.L.Google"_s << u"Smtp-In.L.Google | in.l l.google smtp-in"_s;
    QTest::newRow("short numbers with a name") << u"host-142-222"_s << u"host-142-222 | host-142"_s;
    QTest::newRow("two numbers: not joined") << u"198.51.100.7 2.0.0"_s << u"198.51.100.7 2.0.0"_s;
    QTest::newRow("ids: not joined") << u"4F2A81C0123.example 20261120.AB12@x"_s << u"4F2A81C0123.example 20261120.AB12@x"_s;
    QTest::newRow("other separators") << u"a@b c:d e/f g_h i..j k .l m. n"_s << u"a@b c:d e/f g_h i..j k .l m. n"_s;
    QTest::newRow("not ASCII") << u"müller.com café-bar"_s << u"müller.com café-bar"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestTextSearch::indexedText()
{
    QFETCH(QString, text);
    const std::string utf8 = text.toStdString();
    QFETCH(QString, indexed);
    QCOMPARE(shown(textwords::indexedText(utf8), utf8.size()), indexed);
}

void TestTextSearch::joinedWord_data()
{
    QTest::addColumn<QString>("term");
    QTest::addColumn<QString>("joined");  // with its separator, empty for none
    QTest::newRow("domain") << u"gmail.com"_s << u"gmail.com"_s;
    QTest::newRow("hyphen") << u"smtp-in"_s << u"smtp-in"_s;
    QTest::newRow("name and short number") << u"mx1.example"_s << u"mx1.example"_s;
    QTest::newRow("three words") << u"mx1.example.com"_s << QString();
    QTest::newRow("at sign") << u"bob@example"_s << QString();
    QTest::newRow("two separators") << u"gmail..com"_s << QString();
    QTest::newRow("two numbers") << u"209.85"_s << QString();
    QTest::newRow("an id") << u"4f2a81c0123.example"_s << QString();
}

void TestTextSearch::joinedWord()
{
    QFETCH(QString, term);
    const std::string word = textwords::joinedWord(term.toStdString());
    QTEST(word.empty() ? QString() : shown(word, 0).mid(2), "joined");
    // What the index holds for a text of that term alone.
    if (!word.empty())
        QVERIFY(textwords::indexedText(term.toStdString()).ends_with(' ' + word));
}

void TestTextSearch::answersAsCheckingEveryCandidate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("messages");
    // Whole (carol@gmail.com, IVAN@GMAIL.COM) and inside longer words (erin@mygmail.com,
    // grace@gmail.community.example); not gmail@example.com.
    QTest::newRow("joined") << u"gmail.com"_s << 4;
    QTest::newRow("joined, upper case, in brackets") << u"<GMAIL.COM>"_s << 4;
    QTest::newRow("words apart") << u"gmail com"_s << 5;
    QTest::newRow("longer word whole") << u"mygmail.com"_s << 1;
    QTest::newRow("two joined") << u"gmail.com l.google"_s << 1;
    QTest::newRow("joined and inside a longer word") << u"gmail.com example.org"_s << 1;
    QTest::newRow("joined and checked") << u"gmail.com mx.example.com"_s << 1;
    QTest::newRow("joined and a word") << u"gmail.com gsmtp"_s << 1;
    // The first set is asked without the joined terms' own words (QueryBuilder::textMatches).
    QTest::newRow("joined twice and its word") << u"gmail.com GMAIL.com gmail"_s << 4;
    QTest::newRow("joined in punctuation and a word") << u"(gmail.com), gsmtp"_s << 1;
    QTest::newRow("joined and a word no message has") << u"gmail.com nosuchword"_s << 0;
    QTest::newRow("checked") << u"carol@gmail.com"_s << 1;
    QTest::newRow("a part of a word") << u"ail.com"_s << 0;
    QTest::newRow("hyphen") << u"smtp-in"_s << 1;
}

void TestTextSearch::answersAsCheckingEveryCandidate()
{
    QFETCH(QString, text);
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    Filter filter;
    filter.text = text.toStdString();
    sql::Database db;
    db.open(cachePath(), true);
    QFETCH(int, messages);
    QCOMPARE(checkingEveryCandidate(db, filter.text), std::int64_t(messages));
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(messages));
}

void TestTextSearch::indexOfAnEarlierBuildIsRebuiltOnce()
{
    const std::string joined = textwords::joinedWord("gmail.com");
    {
        // The index as an earlier build made it: the texts alone, and no record of joined words.
        sql::Database db;
        db.open(cachePath());
        QVERIFY(indexHolds(db, joined));
        const std::string index = schema::indexTextSql(db);
        QCOMPARE(sqlite3_create_function_v2(db.handle(), "mailtrail_text_body", 1, SQLITE_UTF8, nullptr, unchanged, nullptr,
                                            nullptr, nullptr),
                 SQLITE_OK);
        db.exec("INSERT INTO message_text(message_text) VALUES('delete-all'); DELETE FROM meta WHERE key = 'text_joined_upto'");
        sql::Statement(db, index).bind(1, 1).bind(2, 1000).run();
        QVERIFY(!indexHolds(db, joined));
    }
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(cache.textIndexComplete());  // every message is in it: the answers are whole
    Filter filter;
    filter.text = "gmail.com";
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(4));
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    sql::Database db;
    db.open(cachePath());
    QVERIFY(indexHolds(db, joined));
    sql::Statement upto(db, "SELECT (SELECT value FROM meta WHERE key = 'text_joined_upto'), "
                            "(SELECT value FROM meta WHERE key = 'text_indexed_upto'), (SELECT max(id) FROM messages)");
    QVERIFY(upto.step());
    QCOMPARE(upto.int64(0), upto.int64(2));
    QCOMPARE(upto.int64(1), upto.int64(2));
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(4));
    // Once: a word no message has, put in the index now, is still there after the next call.
    db.exec("INSERT INTO message_text(rowid, body) VALUES(1000000, 'marker')");
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    QVERIFY(indexHolds(db, "marker"));
    db.exec("DELETE FROM message_text WHERE rowid = 1000000");
}

void TestTextSearch::matchesFromMemoryFollowTheTextIndex()
{
    // The index in memory serves while the rows are as it read them; the text index may change
    // meanwhile (a build it completes after an indexing cut short), and a text's matches with it.
    Cache cache;
    QVERIFY(cache.open(cachePath()));
    cache.setBuildIndexesOnDemand(false);
    QVERIFY2(cache.buildMemoryIndex(), cache.error().c_str());
    {
        sql::Database db;
        db.open(cachePath());
        db.exec("INSERT INTO message_text(message_text) VALUES('delete-all'); "
                "UPDATE meta SET value = 0 WHERE key = 'text_indexed_upto'");
    }
    Filter filter;
    filter.text = "gmail.com";
    QVERIFY(cache.answersFromMemory(filter));
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(0));
    QVERIFY2(cache.ensureTextIndex(), cache.error().c_str());
    QVERIFY(cache.answersFromMemory(filter));
    QCOMPARE(cache.count(Grain::Messages, filter), std::int64_t(4));
    QCOMPARE(cache.count(Grain::Deliveries, filter), std::int64_t(4));
    cache.dropMemoryIndex();
}

QTEST_GUILESS_MAIN(TestTextSearch)
#include "tst_textsearch.moc"
