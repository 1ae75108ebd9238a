// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/correlator.h"
#include "ingest/exim/eximparser.h"
#include "ingest/logreader.h"
#include "ingest/syslogline.h"
#include "ingest/timestampresolver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTest>
#include <QTimeZone>

#include <array>

using namespace mailtrail;
using namespace Qt::StringLiterals;

// The logs the real Exim wrote (tests/data/exim/produce.sh), read line by line and joined into
// messages, against the deliveries and timelines a reviewer read and kept beside them
// (<log>.deliveries.csv, <log>.timeline.txt). tests/data/exim/update-references.sh writes them
// again; the diff is the review.
namespace {

struct Collector : MessageSink {
    std::vector<MessageRecord> messages;
    std::vector<IncidentRecord> incidents;
    void storeMessage(MessageRecord &&m) override { messages.push_back(std::move(m)); }
    void storeIncident(IncidentRecord &&i) override { incidents.push_back(std::move(i)); }
};

QString dataDir() { return QStringLiteral(MAILTRAIL_TEST_DATA "/exim/"); }

struct Result {
    Collector sink;
    std::uint64_t lines = 0, notUnderstood = 0;
};

Result correlate(const QString &name)
{
    Result r;
    Correlator correlator(r.sink);
    LogReader reader;
    if (!reader.open(QString(dataDir() + name).toStdString()))
        qFatal("cannot open %s", qPrintable(name));
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    EximParser parser;
    std::string_view text;
    std::uint64_t offset = 0;
    while (reader.nextLine(text, offset)) {
        ++r.lines;
        SyslogLine line;
        Event event;
        if ((parseEximLogLine(text, line) || parseSyslogLine(text, line)) && parser.parse(line, event) &&
            resolver.resolve(line, event)) {
            event.offset = offset;
            r.notUnderstood += event.kind == EventKind::Unknown ? 1 : 0;
            correlator.process(event, 1);
        } else {
            ++r.notUnderstood;
        }
    }
    correlator.finish();
    std::stable_sort(r.sink.messages.begin(), r.sink.messages.end(),
                     [](const MessageRecord &a, const MessageRecord &b) { return a.firstSeenMs < b.firstSeenMs; });
    return r;
}

QString q(const std::string &s) { return QString::fromStdString(s); }

QString stateName(MessageState s)
{
    static const std::array<const char *, 6> names = {"queued", "sent", "deferred", "bounced", "expired", "rejected"};
    return QString::fromLatin1(names.at(static_cast<std::size_t>(s)));
}

QString statusName(DeliveryStatus s)
{
    static const std::array<const char *, 6> names = {"", "sent", "deferred", "bounced", "expired", "rejected"};
    return QString::fromLatin1(names.at(static_cast<std::size_t>(s)));
}

QString originName(MessageOrigin o)
{
    static const std::array<const char *, 5> names = {"", "smtp", "local", "notification", "forward"};
    return QString::fromLatin1(names.at(static_cast<std::size_t>(o)));
}

QString csvCell(QString s)
{
    if (s.contains(u',') || s.contains(u'"'))
        s = u'"' + s.replace(u'"', u"\"\""_s) + u'"';
    return s;
}

QString time(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::UTC).toString(u"yyyy-MM-ddTHH:mm:ss"_s);
}

// One row per recipient, the columns of `mailtrail-cli deliveries` that a log decides.
QString deliveriesCsv(const Result &r)
{
    QString out = u"queue_id,sender,recipient,orig_recipient,status,dsn,reply_code,attempts,relay,reply_text\n"_s;
    for (const MessageRecord &m : r.sink.messages) {
        for (const DeliveryRecord &d : m.deliveries) {
            const QStringList cells = {q(m.queueId), m.hasSender ? u'<' + q(m.sender) + u'>' : QString(),
                                       q(d.recipient), q(d.origRecipient), statusName(d.status), q(d.dsn),
                                       d.replyCode ? QString::number(d.replyCode) : QString(),
                                       QString::number(d.attempts), q(d.relay), q(d.replyText)};
            QStringList quoted;
            for (const QString &c : cells)
                quoted << csvCell(c);
            out += quoted.join(u',') + u'\n';
        }
    }
    return out;
}

// Per message: what it is, then every try of every recipient in time order.
QString timelines(const Result &r)
{
    QString out;
    for (const MessageRecord &m : r.sink.messages) {
        out += u"%1 %2 %3 from=<%4> size=%5 id=<%6>"_s.arg(q(m.queueId.empty() ? std::string("(not queued)") : m.queueId),
                                                           stateName(m.state), originName(m.origin), q(m.sender))
                   .arg(m.size)
                   .arg(q(m.messageId));
        if (!m.parentQueueId.empty())
            out += u" parent=%1%2"_s.arg(q(m.parentQueueId), m.parentDbId ? u""_s : u" (not seen)"_s);
        out += u" lines=%1 %2 .. %3\n"_s.arg(m.lines.size()).arg(time(m.firstSeenMs), time(m.lastSeenMs));
        for (const DeliveryRecord &d : m.deliveries) {
            std::vector<AttemptRecord> tries = d.newAttempts;
            if (tries.empty())
                tries.push_back(d.lastTry());
            for (const AttemptRecord &a : tries) {
                out += u"  %1 %2 %3%4 %5 %6\n"_s.arg(time(a.timeMs), q(d.recipient), statusName(a.status),
                                                     a.counted ? u""_s : u" (not tried)"_s,
                                                     a.replyCode ? QString::number(a.replyCode) : u"-"_s, q(a.replyText));
            }
        }
    }
    for (const IncidentRecord &i : r.sink.incidents)
        out += u"incident %1 [%2] %3\n"_s.arg(time(i.timeMs), q(i.clientIp), q(i.detail));
    out += u"lines %1, not understood %2\n"_s.arg(r.lines).arg(r.notUnderstood);
    return out;
}

QStringList logs()
{
    return QDir(dataDir()).entryList({u"*.log"_s}, QDir::Files, QDir::Name);
}

void compareWithReference(const QString &got, const QString &path)
{
    if (qEnvironmentVariableIsSet("MAILTRAIL_UPDATE_REFERENCES")) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(got.toUtf8());
        return;
    }
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path + u": no reference; run update-references.sh"_s));
    const QStringList want = QString::fromUtf8(f.readAll()).split(u'\n');
    const QStringList have = got.split(u'\n');
    for (qsizetype i = 0; i < std::max(want.size(), have.size()); ++i) {
        const QString w = want.value(i), h = have.value(i);
        QVERIFY2(w == h, qPrintable(u"%1:%2\n  want: %3\n  got:  %4"_s.arg(path).arg(i + 1).arg(w, h)));
    }
}

} // namespace

class TestEximFlows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void references_data();
    void references();
    void mainlogAndSyslogAgree_data();
    void mainlogAndSyslogAgree();
};

void TestEximFlows::references_data()
{
    QTest::addColumn<QString>("log");
    for (const QString &log : logs())
        QTest::newRow(qPrintable(log)) << log;
    QVERIFY(!logs().isEmpty());
}

void TestEximFlows::references()
{
    QFETCH(QString, log);
    const Result r = correlate(log);
    const QString base = dataDir() + log.chopped(4);
    compareWithReference(deliveriesCsv(r), base + u".deliveries.csv"_s);
    compareWithReference(timelines(r), base + u".timeline.txt"_s);
}

void TestEximFlows::mainlogAndSyslogAgree_data()
{
    QTest::addColumn<QString>("version");
    for (const QString &log : logs()) {
        if (log.endsWith(u"-mainlog.log"_s))
            QTest::newRow(qPrintable(log)) << log.chopped(12);
    }
}

// Exim wrote the same events to its mainlog and to syslog: the deliveries must not depend on
// which one is read.
void TestEximFlows::mainlogAndSyslogAgree()
{
    QFETCH(QString, version);
    if (!QFile::exists(dataDir() + version + u"-syslog.log"_s))
        QSKIP("no syslog copy of this run");
    QCOMPARE(deliveriesCsv(correlate(version + u"-syslog.log"_s)), deliveriesCsv(correlate(version + u"-mainlog.log"_s)));
}

QTEST_GUILESS_MAIN(TestEximFlows)
#include "tst_eximflows.moc"
