// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/correlator.h"
#include "ingest/exim/eximformat.h"
#include "ingest/logreader.h"
#include "ingest/timestampresolver.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

// Exim wrote the same run to its mainlog and, through syslog, to a mail log
// (tests/data/exim/produce.sh): whichever is read, the messages must be the same.
namespace {

struct Collector : MessageSink {
    std::vector<MessageRecord> messages;
    std::vector<IncidentRecord> incidents;
    void storeMessage(MessageRecord &&m) override { messages.push_back(std::move(m)); }
    void storeIncident(IncidentRecord &&i) override { incidents.push_back(std::move(i)); }
};

QString dataDir() { return QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/"); }

// One line per recipient: what the log decided for it, without where the line was.
QStringList deliveries(const QString &name, int &incidents)
{
    Collector sink;
    Correlator correlator(sink);
    const EximFormat format;
    correlator.setIdleTimeout(format.lifetime().idleTimeoutMs);
    LogReader reader;
    if (!reader.open(QString(dataDir() + name).toStdString()))
        qFatal("cannot open %s", qPrintable(name));
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    std::string_view text;
    std::uint64_t offset = 0;
    std::string previous;
    while (reader.nextLine(text, offset)) {
        // As the Ingestor does: syslog's second copy of a line is skipped.
        const bool copy = format.repeats(text, previous);
        previous.assign(copy ? std::string_view() : text);
        if (copy)
            continue;
        Record record;
        Event event;
        if (format.readRecord(text, record) && format.parse(record, event) && resolver.resolve(record, event)) {
            event.offset = offset;
            correlator.process(event, 1);
        }
    }
    correlator.finish();
    QStringList rows;
    for (const MessageRecord &m : sink.messages) {
        for (const DeliveryRecord &d : m.deliveries) {
            rows << u"%1 <%2> %3 %4 status=%5 code=%6 attempts=%7 size=%8 parent=%9"_s
                        .arg(QString::fromStdString(m.queueId), QString::fromStdString(m.sender),
                             QString::fromStdString(d.recipient), QString::fromStdString(d.origRecipient))
                        .arg(static_cast<int>(d.status))
                        .arg(d.replyCode)
                        .arg(d.attempts)
                        .arg(m.size)
                        .arg(QString::fromStdString(m.parentQueueId));
        }
    }
    rows.sort();
    incidents = static_cast<int>(sink.incidents.size());
    return rows;
}

} // namespace

class TestEximFlows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mainlogAndSyslogAgree_data();
    void mainlogAndSyslogAgree();
};

void TestEximFlows::mainlogAndSyslogAgree_data()
{
    QTest::addColumn<QString>("version");
    for (const QString &log : QDir(dataDir()).entryList({u"*-mainlog.log"_s}, QDir::Files))
        QTest::newRow(qPrintable(log)) << log.chopped(12);
}

void TestEximFlows::mainlogAndSyslogAgree()
{
    QFETCH(QString, version);
    if (!QFile::exists(dataDir() + version + u"-syslog.log"_s))
        QSKIP("no syslog copy of this run");
    int mainIncidents = 0, syslogIncidents = 0;
    const QStringList fromMainlog = deliveries(version + u"-mainlog.log"_s, mainIncidents);
    const QStringList fromSyslog = deliveries(version + u"-syslog.log"_s, syslogIncidents);
    QVERIFY(fromMainlog.size() > 10);
    // Through syslog Exim writes each rejection twice in a row (once for the mainlog, once for
    // the rejectlog: syslog_duplication): one rejection, not two.
    QCOMPARE(fromSyslog, fromMainlog);
    QCOMPARE(syslogIncidents, mainIncidents);
}

QTEST_GUILESS_MAIN(TestEximFlows)
#include "tst_eximflows.moc"
