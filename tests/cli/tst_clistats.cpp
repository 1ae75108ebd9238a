// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli stats: exact numbers on known logs, and agreement with pflogsumm where both count
// the same thing.
#include "clirun.h"

#include <QFileInfo>
#include <QMap>
#include <QJsonArray>
#include <QSet>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {

// A value of the JSON report by path: "by_status/sent", "by_hour/10/received", "top_senders/0/sender".
// by_hour holds the hours a summary of one day spans, each with its "hour": "by_hour/10" is the
// hour 10, not the eleventh element (undefined when the span leaves it out).
QJsonValue at(const QJsonObject &root, const QString &path)
{
    QJsonValue v = root;
    QString previous;
    for (const QString &part : path.split(u'/')) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        if (isIndex && previous == u"by_hour"_s) {
            QJsonValue hour;
            for (const QJsonValue &h : v.toArray()) {
                if (h.toObject().value(u"hour"_s).toInt(-1) == index)
                    hour = h;
            }
            v = hour;
        } else {
            v = isIndex ? v.toArray().at(index) : v.toObject().value(part);
        }
        previous = part;
    }
    return v;
}

QString sampleLog()
{
    return QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log");
}

// Where a log of the test data is: a flow's name, or "sample".
QString logPath(const QTemporaryDir &dir, const QString &name)
{
    if (name.startsWith(u"exim-corpus-"_s)) {
        // Real Exim lines (tests/data/exim/corpus, see tests/data/README.md).
        const QString file = name.mid(12) + u".log"_s;
        const QString to = dir.filePath(file);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/") + file, to);
        return to;
    }
    if (name.startsWith(u"exim-"_s)) {
        const QString to = dir.filePath(name + u".log"_s);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/") + name + u".log"_s, to);
        return to;
    }
    if (name.startsWith(u"postfix-"_s)) {
        // Logs of a real Postfix from tests/data/postfix/golden, of December 2026.
        const QString to = dir.filePath(name + u".log"_s);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/") + name + u".log"_s, to);
        utimbuf times{1796428800, 1796428800};  // 2026-12-05
        ::utime(to.toLocal8Bit().constData(), &times);
        return to;
    }
    if (name.startsWith(u"sendmail-corpus-"_s)) {
        // Real Sendmail lines (tests/data/sendmail/corpus, see tests/data/README.md).
        const QString file = name.mid(16) + u".log"_s;
        const QString to = dir.filePath(file);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/corpus/") + file, to);
        utimbuf times{1796428800, 1796428800};
        ::utime(to.toLocal8Bit().constData(), &times);
        return to;
    }
    if (name.startsWith(u"sendmail-"_s)) {
        const QString to = dir.filePath(name + u".log"_s);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/golden/") + name + u".log"_s, to);
        utimbuf times{1796428800, 1796428800};  // 2026-12-05, as the Postfix ones
        ::utime(to.toLocal8Bit().constData(), &times);
        return to;
    }
    if (name == u"fail2ban-postfix"_s) {
        // A real Postfix's rejects (fail2ban's test log, see tests/data/README.md).
        const QString to = dir.filePath(u"postfix.log"_s);
        QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/fail2ban/postfix.log"), to);
        utimbuf times{1795348800, 1795348800};
        ::utime(to.toLocal8Bit().constData(), &times);
        return to;
    }
    if (name == u"sample"_s) {
        // With the flows' modification time, so that the year is fixed.
        const QString to = dir.filePath(u"mail.log"_s);
        QFile::copy(sampleLog(), to);
        utimbuf times{1795348800, 1795348800};
        ::utime(to.toLocal8Bit().constData(), &times);
        return to;
    }
    return copyFlow(dir, name + u".log"_s);
}

// pflogsumm's way of printing a count: in k past 512 k, in m past 512 m, rounded down.
QString pflogsummUnits(qint64 n)
{
    if (n > 536870912)
        return QString::number(n / 1048576) + u'm';
    if (n > 524288)
        return QString::number(n / 1024) + u'k';
    return QString::number(n);
}

} // namespace

class TestCliStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void numbers_data();
    void numbers();
    void everyKeyByHand_data();
    void everyKeyByHand();
    void chainCountsOnce_data();
    void chainCountsOnce();
    void chainDelayFromArrival();
    void filtersNarrowTheNumbers();
    void textReport();
    void usageErrors();
    void hugeLimitIsAll_data();
    void hugeLimitIsAll();
    void agreesWithPflogsumm_data();
    void agreesWithPflogsumm();
    void deferredReasonsAreTheDeferrals_data();
    void deferredReasonsAreTheDeferrals();
    void lookupFailureNamesTheDomain();
    void localCallerIsNoSaslClient();
    void localCallersOnlyAreSaidSo();
    void eximDestinationsAreHosts_data();
    void eximDestinationsAreHosts();
    void eximFailuresWithoutHost();
    void eximRemovedByAnAdministrator();
    void rejectReasonFindsItsRows_data();
    void rejectReasonFindsItsRows();
    void relayDenialsInEveryFormat_data();
    void relayDenialsInEveryFormat();
    void timesInTheLogsClock();
    void rblExampleIsOfTheCommonestList();
    void problemsStartedAndSubSecondDelays_data();
    void problemsStartedAndSubSecondDelays();
    void textNamesItsLogsAsOneOrSeveral();
    void everyCountGroupedAsTheLocale_data();
    void everyCountGroupedAsTheLocale();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"c.sqlite"_s); }
    QJsonObject stats(const QStringList &args);
};

void TestCliStats::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

QJsonObject TestCliStats::stats(const QStringList &args)
{
    const Run r = cli(QStringList{u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s} + args);
    if (r.exitCode != 0)
        qWarning("%s", r.err.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", r.out.left(300).constData());
    return doc.object();
}

void TestCliStats::numbers_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QVariant>("expected");
    auto row = [](const char *log, const char *path, const QVariant &v) {
        QTest::addRow("%s %s", log, path) << QString::fromLatin1(log) << QString::fromLatin1(path) << v;
    };
    // One message, deferred once, then a skipped try ("temporarily suspended": no try, so no
    // deferral), then sent 603 s after it arrived.
    row("deferred-then-sent", "messages", 1);
    row("deferred-then-sent", "recipients", 1);
    row("deferred-then-sent", "by_status/sent", 1);
    row("deferred-then-sent", "by_status/deferred", 0);
    row("deferred-then-sent", "deferrals", 1);
    row("deferred-then-sent", "deferred_messages", 1);
    row("deferred-then-sent", "bytes_received", 4211);
    row("deferred-then-sent", "bytes_delivered", 4211);
    row("deferred-then-sent", "by_hour/10/received", 1);
    row("deferred-then-sent", "by_hour/10/deferred", 1);
    // by_hour/9: before the log's one hour, left out of the report (tst_clitrials).
    row("deferred-then-sent", "busiest_hour", 10);
    row("deferred-then-sent", "top_senders/0/sender", u"alice@example.com"_s);
    row("deferred-then-sent", "top_senders/0/messages", 1);
    row("deferred-then-sent", "delay/median_seconds", 603.0);
    row("deferred-then-sent", "top_relays/0/host", u"mx.remote.example.net"_s);
    // Its greylisted try is a reason though the recipient was delivered: every deferred try counts
    // there, at its own time, and problems started then.
    row("deferred-then-sent", "reasons/0/status", u"deferred"_s);
    row("deferred-then-sent", "reasons/0/code", 450);
    row("deferred-then-sent", "reasons/0/host", u"mx.remote.example.net"_s);
    row("deferred-then-sent", "reasons/0/count", 1);
    row("deferred-then-sent", "reasons/0/first_seen", u"2026-11-20T10:00:03+00:00"_s);
    // Two messages received (the forward made here is not), one recipient refused at RCPT, one
    // message refused by a milter; the forwarded recipient counts as sent.
    row("partial-reject-and-forward", "messages", 2);
    row("partial-reject-and-forward", "messages_all", 3);
    row("partial-reject-and-forward", "recipients", 4);
    row("partial-reject-and-forward", "by_status/sent", 2);
    row("partial-reject-and-forward", "by_status/rejected", 2);
    row("partial-reject-and-forward", "bytes_received", 3300);
    row("partial-reject-and-forward", "rejects_by_reason/0/count", 1);
    row("partial-reject-and-forward", "rejects_by_reason/0/reason", u"content"_s);
    row("partial-reject-and-forward", "rejects_by_reason/1/reason", u"unknown user"_s);
    row("partial-reject-and-forward", "rejects_by_client/0/client_ip", u"192.0.2.50"_s);
    // Tried twice, then expired five days later: two deferrals, one expired recipient.
    row("expired", "messages", 1);
    row("expired", "by_status/expired", 1);
    row("expired", "deferrals", 2);
    row("expired", "deferred_messages", 1);
    row("expired", "connectivity/0/destination", u"mx.down.example.net"_s);
    row("expired", "connectivity/0/problem", u"connection timed out"_s);
    // The destination failed from the first try (09:00:31) to the last (10:00:31): two tries.
    row("expired", "connectivity/0/count", 2);
    row("expired", "connectivity/0/first_seen", u"2026-11-15T09:00:31+00:00"_s);
    row("expired", "connectivity/0/last_seen", u"2026-11-15T10:00:31+00:00"_s);
    // The two deferred tries, then the recipient that expired.
    row("expired", "reasons/0/status", u"deferred"_s);
    row("expired", "reasons/0/host", u"mx.down.example.net"_s);
    row("expired", "reasons/0/count", 2);
    row("expired", "reasons/0/first_seen", u"2026-11-15T09:00:31+00:00"_s);
    // Shown with what differs between tries masked, one full text kept.
    row("expired", "reasons/0/text", u"connect to mx.down.example.net[<ip>]:<port>: Connection timed out"_s);
    row("expired", "reasons/0/example", u"connect to mx.down.example.net[203.0.113.66]:25: Connection timed out"_s);
    row("expired", "reasons/1/status", u"expired"_s);
    row("expired", "reasons/1/host", u"mx.down.example.net"_s);
    row("expired", "reasons/1/count", 1);
    row("expired", "by_day/0/day", u"2026-11-15"_s);
    row("noqueue-reject", "messages", 0);
    row("noqueue-reject", "by_status/rejected", 1);
    row("noqueue-reject", "rbl_hits/0/client_ip", u"198.51.100.7"_s);
    row("noqueue-reject", "rbl_hits/0/list", u"zen.spamhaus.org"_s);
    // SASL failures (fail2ban's test log): two from one client, one naming the login it tried.
    row("sasl-failures", "auth_failures", 4);
    row("sasl-failures", "auth_failure_clients", 3);
    row("sasl-failures", "auth_failures_by_client/0/client_ip", u"82.221.106.233"_s);
    row("sasl-failures", "auth_failures_by_client/0/count", 2);
    row("sasl-failures", "auth_failures_by_client/0/first_seen", u"2026-09-06T00:44:56+00:00"_s);
    row("sasl-failures", "auth_failures_by_client/0/last_seen", u"2026-09-06T00:44:57+00:00"_s);
    row("sasl-failures", "auth_failures_by_user/0/username", u"admin"_s);
    row("sasl-failures", "auth_failures_by_user/0/client_ip", u"192.0.2.152"_s);
    row("sasl-failures", "messages_all", 0);
    // Two of them ended at AUTH LOGIN's password prompt (UGFzc3dvcmQ6), in either case of "login".
    row("sasl-failures", "auth_failures_at_password_prompt", 2);
    row("still-deferred", "still_queued", 1);
    row("still-deferred", "by_status/deferred", 1);
    // Sendmail's "QID: QID2: DSN: ..." of a message whose own lines came before the log: a row of
    // Messages with no recipient, which the table shows queued (24 of them): still in the queue,
    // as the Summary's link lists them.
    row("sendmail-corpus-psm-sendmail-custom-dsn", "still_queued", 24);
    row("sendmail-corpus-psm-sendmail-custom-dsn", "messages_all", 31);
    // And u31FFPtp032300, whose "done" line came with deferred2@ still deferred: shown deferred.
    row("sendmail-corpus-fluent-sendmail", "still_queued", 2);
    // The bundled sample: a stray SASL failure (218.0.186.50) and the password-guessing run of
    // 158.24.101.0/24 from 21:30 to 21:50, 243 failures (grep -c "authentication failed": 244),
    // .243 the most with 64; sales@example.com tried 9 times, from all four; and totals checked
    // against pflogsumm below.
    row("sample", "auth_failures", 244);
    row("sample", "auth_failure_clients", 5);
    row("sample", "auth_failures_by_client/0/client_ip", u"158.24.101.243"_s);
    row("sample", "auth_failures_by_client/0/count", 64);
    row("sample", "auth_failures_by_client/0/first_seen", u"2026-11-21T21:31:17+00:00"_s);
    row("sample", "auth_failures_by_client/0/last_seen", u"2026-11-21T21:49:49+00:00"_s);
    row("sample", "auth_failures_by_user/0/username", u"sales@example.com"_s);
    row("sample", "auth_failures_by_user/0/count", 9);
    row("sample", "auth_failures_by_user/0/client_ip", u"4 clients"_s);
    row("sample", "messages", 247);
    // 21E4A12926B delivers to nancy.lopez@example.com twice: one recipient row, two sent lines.
    row("sample", "by_status/sent", 328);
    row("sample", "delivered", 329);
    // pflogsumm's per-hour traffic of the sample (its 21:00 hour has the recipient delivered twice).
    row("sample", "by_hour/20/received", 104);
    row("sample", "by_hour/21/delivered", 96);
    row("sample", "by_hour/22/deferred", 19);  // 28 status=deferred lines, 9 of them suspended
    row("sample", "by_hour/20/rejected", 4);
    row("sample", "by_status/bounced", 7);
    row("sample", "by_status/rejected", 7);
    // 85 status=deferred lines, 38 of them "delivery temporarily suspended" (see agreesWithPflogsumm).
    row("sample", "deferrals", 47);
    row("sample", "deferred_messages", 35);
    // Exim's test suite writes "S=sss" for every size: its messages were queued all the same (their
    // "<=" line), and their senders count (session 19's trial: "0 distinct senders"). Nine senders
    // arrive there; the null sender's are Exim's own bounces, not received.
    row("exim-corpus-exim-testsuite", "senders", 8);
    row("exim-corpus-exim-testsuite", "sender_domains", 8);
    row("exim-corpus-exim-testsuite", "top_senders/0/sender", u"CALLER@myhost.test.ex"_s);
    row("exim-corpus-exim-testsuite", "top_senders/0/messages", 21);
    row("exim-corpus-exim-testsuite", "bytes_received", 0);
}

void TestCliStats::numbers()
{
    QFETCH(QString, log);
    QFETCH(QString, path);
    QFETCH(QVariant, expected);
    const QJsonObject root = stats({logPath(*m_dir, log)});
    QVERIFY(!root.isEmpty());
    const QJsonValue v = at(root, path);
    QVERIFY2(!v.isUndefined(), qPrintable(u"no "_s + path));
    if (expected.typeId() == QMetaType::QString)
        QCOMPARE(v.toString(), expected.toString());
    else if (expected.typeId() == QMetaType::Double)
        QCOMPARE(v.toDouble(), expected.toDouble());
    else if (expected.typeId() == QMetaType::Bool)
        QCOMPARE(v.isBool() && v.toBool(), expected.toBool());
    else
        QCOMPARE(v.toInteger(-1), expected.toLongLong());
}

void TestCliStats::everyKeyByHand_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QVariant>("expected");
    auto row = [](const char *log, const char *path, const QVariant &v) {
        QTest::addRow("%s %s", log, path) << QString::fromLatin1(log) << QString::fromLatin1(path) << v;
    };
    // Exim 4.98.2's own mainlog (tests/data/exim/golden), counted line by line:
    // received (<= from a client or a local user, not Exim's own bounces R=...): 1xZDjI, 1xZDjJ-5oY,
    // 1xZDjL, 1xZDjO, 1xZDjP, 1xZDjc and 1xZDje (<> from a client): 7, of 401+432+409+405+313+426+384
    // = 2770 bytes.
    const char *exim = "exim-4.98.2-mainlog";
    row(exim, "messages", 7);
    row(exim, "bytes_received", 2770);
    // Recipient rows: 10 sent (info@ twice, by two aliases; bob@, an envelope recipient of the
    // same message delivered by info@'s line to bob; friend@; flaky@ after a retry; the bounce's
    // alice@; fast@; root's bob@; friend@ again; the expiry notice's bob@), nobody@ bounced twice,
    // x@slow.test expired, 4 rejects (ghost@, victim@, the refused connection, the message too
    // big): 17.
    row(exim, "recipients", 17);
    row(exim, "by_status/sent", 10);
    row(exim, "by_status/deferred", 0);
    row(exim, "by_status/bounced", 2);
    row(exim, "by_status/expired", 1);
    row(exim, "by_status/rejected", 4);
    // Deferred tries: flaky@'s 451 (its "retry time not reached" tried nothing) and x@slow.test's
    // three refused connections (its "retry timeout exceeded" tried nothing either): 4, of 2 messages.
    row(exim, "deferrals", 4);
    row(exim, "deferred_messages", 2);
    // Every => is a delivered try, local ones (no reply text) too, and the envelope's bob@ has
    // none of its own: 9, of 2×401 + 2×432 + 1845 +
    // 409 + 313 + 426 + 1607 = 6266 bytes.
    row(exim, "delivered", 9);
    row(exim, "bytes_delivered", 6266);
    // The difference from the 10 recipients sent, named: bob@, which has no line of its own.
    row(exim, "sent_without_line", 1);
    // The reasons' destinations: x@slow.test's refused connections name only their transport
    // (T=remote_smtp, no H=) and the host on the line before each ("H=127.0.0.9 [127.0.0.9]
    // Connection refused"): that host, and its expiry the host of its tries; nobody@'s bounces and
    // flaky@'s 451 were H=127.0.0.1 [127.0.0.1]: that host, not the transport.
    row(exim, "reasons/0/status", u"deferred"_s);
    row(exim, "reasons/0/host", u"127.0.0.9"_s);
    row(exim, "reasons/0/count", 3);
    row(exim, "reasons/1/status", u"bounced"_s);
    row(exim, "reasons/1/host", u"127.0.0.1"_s);
    row(exim, "reasons/1/text", u"550 5.1.1 No such user"_s);
    row(exim, "reasons/1/count", 2);
    row(exim, "reasons/2/host", u"127.0.0.1"_s);
    row(exim, "reasons/2/code", 451);
    row(exim, "reasons/3/status", u"expired"_s);
    row(exim, "reasons/3/host", u"127.0.0.9"_s);
    // One "authenticator failed", from 127.0.0.3.
    row(exim, "auth_failures", 1);
    row(exim, "auth_failures_by_client/0/client_ip", u"127.0.0.3"_s);
    // alice@ sent 3 of them (401 + 432 + 426 bytes), bob@ 2.
    row(exim, "top_senders/0/sender", u"alice@lab.test"_s);
    row(exim, "top_senders/0/messages", 3);
    row(exim, "top_senders/0/bytes", 1259);
    row(exim, "top_senders/1/sender", u"bob@lab.test"_s);
    row(exim, "top_senders/1/messages", 2);
    // All of it between 20:48 and 20:51 UTC.
    row(exim, "by_hour/20/received", 7);
    row(exim, "by_hour/20/delivered", 9);
    row(exim, "by_hour/20/deferred", 4);
    row(exim, "by_hour/20/bounced", 2);
    row(exim, "by_hour/20/rejected", 4);
    // by_hour/21: after the log's one hour, left out (by_hour holds the hours a day spans).
    row(exim, "busiest_hour", 20);
    // No client misbehaved: no warnings, lost connections or screening.
    row(exim, "client_warnings", 0);
    row(exim, "lost_connections", 0);
    row(exim, "screened", 0);
    // The Postfix flow with amavis: "too many errors after AUTH" is a client warning.
    row("amavis-and-milters", "client_warnings", 1);
    row("amavis-and-milters", "lost_connections", 0);
    row("amavis-and-milters", "client_incidents/0/client_ip", u"203.0.113.77"_s);
    row("amavis-and-milters", "client_incidents/0/kind", u"client warning"_s);
    row("amavis-and-milters", "client_incidents/0/count", 1);
    // The sample: a "lost connection after AUTH" ends each session of the SASL run (122: 32 of
    // them 158.24.101.243's) and the stray failure's (218.0.186.50); one postscreen verdict.
    row("sample", "lost_connections", 123);
    row("sample", "screened", 1);
    row("sample", "screened_clients", 1);
    // Its RBL rejects: 3 by zen.spamhaus.org, 1 by b.barracudacentral.org (rblExample).
    row("sample", "rejects_by_reason/0/reason", u"RBL"_s);
    row("sample", "rejects_by_reason/0/count", 4);
    row("sample", "client_incidents/0/kind", u"lost connection"_s);
    row("sample", "client_incidents/0/client_ip", u"158.24.101.243"_s);
    row("sample", "client_incidents/0/count", 32);
}

void TestCliStats::everyKeyByHand()
{
    numbers();
}

void TestCliStats::chainCountsOnce_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QVariant>("expected");
    auto row = [](const char *path, const QVariant &v) {
        QTest::addRow("%s", path) << u"postfix-3.10.13-filter"_s << QString::fromLatin1(path) << v;
    };
    // Postfix 3.10.13 with a content filter on 127.0.0.1:10025 (tests/data/postfix/golden),
    // counted line by line. Four messages went through the filter, each a chain of two hops:
    // 3656CE643A6 -> 75963E643B1 (3 recipients), 3124AE643B3 -> 34D0FE643B4,
    // 9626FE643BA (pickup) -> 9AC77E643B9 and B14ADE643BF (held, released) -> 65E19E643C0.
    // Received (a queue id and smtpd's client= or pickup's uid=) once, at the first hop:
    // 3656CE643A6, 3124AE643B3, 0A80FE643B5 (the client quit before DATA), DC853E643B5 (held,
    // then deleted), BBEABE643B6 (discarded), A9798E643B7, 74AE6E643B8 (then refused: queue
    // file too big), 9626FE643BA, F21BFE643BC (pickup) and B14ADE643BF: 10, not 14 with the
    // second hops.
    row("messages", 10);
    // The rows `messages` lists: those 10, the NOQUEUE reject and the notification 08405E643BE;
    // not the 4 second hops.
    row("messages_all", 12);
    // Bytes of the first hops the queue manager took: 395 + 385 + 392 (A9798E643B7) + 260 + 263
    // (F21BFE643BC) + 389 = 2084; the second hops' 540 + 551 + 426 + 555 are the same messages.
    row("bytes_received", 2084);
    // friend@remote.test sent 5 of them (3124AE643B3, DC853E643B5, BBEABE643B6, A9798E643B7,
    // B14ADE643BF), of 385 + 392 + 389 bytes the queue manager took.
    row("top_senders/0/sender", u"friend@remote.test"_s);
    row("top_senders/0/messages", 5);
    row("top_senders/0/bytes", 1166);
    // Recipients as `deliveries` lists them (the golden .deliveries.csv): the second hops' bob@,
    // friend@, late@ and alice@ three times, boss@ (redirected), ghost@ (rejected), bob@
    // (discarded), alice@ (the probe, deliverable), root@ (the notification): 11; the 6 hand-overs
    // to the filter ("250 2.0.0 Ok: queued as ...") are not deliveries.
    row("recipients", 11);
    row("by_status/sent", 7);
    row("by_status/deferred", 1);
    row("by_status/rejected", 1);
    // status=sent lines that delivered: the 13 less the 6 hand-overs, of 540 (bob@) + 540
    // (friend@) + 551 + 392 + 426 + 1842 (the notification) + 555 = 4846 bytes.
    row("delivered", 7);
    row("bytes_delivered", 4846);
    // Delivered to bob@lab.test, friend@remote.test, alice@lab.test, boss@lab.test and
    // root@lab.test, in lab.test and remote.test: late@slow.test was only handed to the filter.
    row("distinct_addresses_delivered", 5);
    row("recipient_domains_delivered", 2);
    // late@slow.test deferred five times (00:26:20, :25, :30, :35, :43), at the second hop.
    row("deferrals", 5);
    row("deferred_messages", 1);
    row("still_queued", 1);
    // Destinations: local 6 (bob@, alice@ three times, boss@, root@), 127.0.0.1 2 (friend@ on
    // port 2526, late@'s refused connection); the filter on port 10025 is no destination.
    row("top_relays/0/host", u"local"_s);
    row("top_relays/0/recipients", 6);
    row("top_relays/1/host", u"127.0.0.1"_s);
    row("top_relays/1/recipients", 2);
    row("by_hour/0/received", 10);
    row("by_hour/0/delivered", 7);
    // The fates that are neither: 0A80FE643B5 abandoned (its client quit after DATA began),
    // BBEABE643B6 discarded, DC853E643B5 held, then deleted; B14ADE643BF was held and released
    // (sent): none on hold when the log ends.
    row("held", 0);
    row("discarded", 1);
    row("abandoned", 1);
    row("deleted", 1);
    // postscreen judged one client, on one connection, twice: PREGREET, then HANGUP.
    row("screened", 2);
    row("screened_clients", 1);
}

void TestCliStats::chainCountsOnce()
{
    numbers();
}

// A chain's delay runs from its arrival (the first hop's first line) to its final delivery, not
// from the content filter's re-injection (session 17's trial: a content-filter log's median and
// 95th percentile were its last hops' alone). The sent recipients of postfix-3.10.13-filter, by
// hand, in whole seconds (a syslog file): bob@ and friend@ of 3656CE643A6 (arrived 00:26:20,
// delivered by 75963E643B1 at 00:26:20): 0 and 0; alice@ of 3124AE643B3 (:21, by 34D0FE643B4 at
// :21): 0; boss@ of A9798E643B7 (:24, :24): 0; alice@ of 9626FE643BA (:26, by 9AC77E643B9 at :26):
// 0; root@ of the notification 08405E643BE (:29, :29): 0; alice@ of B14ADE643BF (arrived :32,
// held, released at :35 and delivered by 65E19E643C0 at :35): 3 s, where its last hop alone
// says 0. Nearest rank of 7: the median is the 4th (0), the 95th percentile the 7th (3 s).
// The same from the numbers the import kept, from the rows, and under a filter.
void TestCliStats::chainDelayFromArrival()
{
    const QString log = logPath(*m_dir, u"postfix-3.10.13-filter"_s);
    QCOMPARE(cli({u"import"_s, u"--cache"_s, cache(), log}).exitCode, 0);
    const QList<QStringList> ways{{}, {u"--from-rows"_s}, {u"--host"_s, u"mx"_s}};
    for (const QStringList &way : ways) {
        const QJsonObject json = stats(way);
        QVERIFY2(!json.isEmpty(), qPrintable(way.join(u' ')));
        QCOMPARE(at(json, u"delay/samples"_s).toInteger(), qint64(7));
        QCOMPARE(at(json, u"delay/median_seconds"_s).toDouble(), 0.0);
        QCOMPARE(at(json, u"delay/p95_seconds"_s).toDouble(), 3.0);
    }
    const Run text = cli({u"stats"_s, u"--cache"_s, cache()});
    QVERIFY2(text.out.contains("Delivery delay: median < 1 s, 95th percentile 3 s (7 deliveries"), text.out.constData());
}

void TestCliStats::filtersNarrowTheNumbers()
{
    const QString log = logPath(*m_dir, u"sample"_s);
    const QJsonObject all = stats({log});
    const QJsonObject bounced = stats({u"--status"_s, u"bounced"_s, log});
    QCOMPARE(at(bounced, u"by_status/bounced"_s).toInteger(), at(all, u"by_status/bounced"_s).toInteger());
    QCOMPARE(at(bounced, u"by_status/sent"_s).toInteger(), 0);
    // A time range: the hour 21:00-22:00 of the log's clock (UTC here) holds only its own arrivals.
    const QJsonObject hour = stats({u"--since"_s, u"2026-11-21T21:00:00Z"_s, u"--until"_s, u"2026-11-21T22:00:00Z"_s, log});
    QCOMPARE(at(hour, u"messages"_s).toInteger(), at(all, u"by_hour/21/received"_s).toInteger());
    QCOMPARE(at(hour, u"by_hour/20/received"_s).toInteger(), 0);
    const QJsonObject sender = stats({u"--sender"_s, u"hansl@example.com"_s, log});
    QVERIFY(at(sender, u"messages_all"_s).toInteger() > 0);
    QVERIFY(at(sender, u"messages_all"_s).toInteger() < at(all, u"messages_all"_s).toInteger());
    // The lines of no message (SASL failures, clients without a message) are kept to a range of
    // tries as to a range of arrival: the Summary's "peaked between" link is a range of tries, and
    // its Security part showed the whole log's failures beside totals it narrowed (trial22).
    const QJsonObject arrived = stats({u"--since"_s, u"2026-11-21T21:30:00Z"_s, u"--until"_s, u"2026-11-21T21:35:00Z"_s, log});
    const QJsonObject tried =
        stats({u"--tried-since"_s, u"2026-11-21T21:30:00Z"_s, u"--tried-until"_s, u"2026-11-21T21:35:00Z"_s, log});
    QVERIFY(at(arrived, u"auth_failures"_s).toInteger() < at(all, u"auth_failures"_s).toInteger());
    QCOMPARE(at(tried, u"auth_failures"_s).toInteger(), at(arrived, u"auth_failures"_s).toInteger());
}

void TestCliStats::textReport()
{
    const Run r = cli({u"stats"_s, u"--cache"_s, cache(), logPath(*m_dir, u"sample"_s)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Grand Totals"), r.out.left(200).constData());
    QVERIFY(QRegularExpression(u"\\n +247  messages received\\n"_s).match(QString::fromUtf8(r.out)).hasMatch());
    // The table lists 290 rows: 247 received, 43 that were not (retries of mail queued before the
    // log, NOQUEUE refusals, notices): the report says both, and the difference.
    QVERIFY2(QRegularExpression(u"\\n +290  messages \\(rows of Messages\\)\\n"_s).match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
    QVERIFY(QRegularExpression(u"\\n +43  rows not received in this log"_s).match(QString::fromUtf8(r.out)).hasMatch());
    const Run rows = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s});
    QCOMPARE(rows.exitCode, 0);
    QCOMPARE(rows.out.count('\n') - 1, 290);  // the header line
    QVERIFY(r.out.contains("    2000-2100         104"));
    QVERIFY2(r.out.contains("Busiest hour (traffic): 20:00-21:00, 104 messages received\n"), r.out.constData());
    QVERIFY(r.out.contains("SASL authentication failures by client"));
    // The stray failure at 21:43:22 ended at the password prompt.
    QVERIFY2(r.out.contains("       1  of them at the password prompt (UGFzc3dvcmQ6: a wrong password)\n"), r.out.constData());
    // One of a thing is said in the singular, as the window says it.
    // From where, as the Summary says it.
    QVERIFY2(r.out.contains("     244  SASL authentication failures from 5 clients\n"), r.out.constData());
    QVERIFY2(r.out.contains("       1  client warning (non-SMTP commands, errors, TLS)\n"), r.out.constData());
    QVERIFY2(r.out.contains("       1  client screened (postscreen, DNSBL)\n"), r.out.constData());
    QVERIFY2(r.out.contains("       1  screening verdict (postscreen, DNSBL lines)\n"), r.out.constData());
    QVERIFY2(r.out.contains("     123  lost connections\n"), r.out.constData());
    // By problems: so many of so many recipients, not a size beside the problems (trial22).
    QVERIFY2(QRegularExpression(u"Recipient domains by problems\n-+\n +8 of \\d+ +example\\.com\n"_s)
                 .match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
}

void TestCliStats::usageErrors()
{
    QCOMPARE(cli({u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s}).exitCode, 2);
    QCOMPARE(cli({u"stats"_s, u"--cache"_s, cache(), u"--limit"_s, u"0"_s}).exitCode, 2);
    // No cache yet and nothing to import.
    QCOMPARE(cli({u"stats"_s, u"--cache"_s, cache()}).exitCode, 3);
}

void TestCliStats::hugeLimitIsAll_data()
{
    QTest::addColumn<QString>("limit");
    QTest::newRow("int max") << u"2147483647"_s;
    QTest::newRow("past int") << u"2147483648"_s;
    QTest::newRow("half int max") << u"1073741824"_s;
    QTest::newRow("64-bit max") << u"9223372036854775807"_s;
}

void TestCliStats::hugeLimitIsAll()
{
    // Lists are read with room to spare (twice the limit): a limit near the top of an int used
    // to overflow into a negative LIMIT, which SQLite reads as none, or fail as not a number.
    QFETCH(QString, limit);
    const QString log = logPath(*m_dir, u"sample"_s);
    const QJsonObject all = stats({u"--limit"_s, u"100000"_s, log});
    const QJsonObject huge = stats({u"--limit"_s, limit, log});
    QVERIFY(all.value(u"top_senders"_s).toArray().size() > 10);
    QCOMPARE(huge.value(u"top_senders"_s).toArray(), all.value(u"top_senders"_s).toArray());
    QCOMPARE(huge.value(u"top_recipient_domains"_s).toArray(), all.value(u"top_recipient_domains"_s).toArray());
}

void TestCliStats::agreesWithPflogsumm_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QStringList>("notCompared");
    for (const char *log : {"sample", "deferred-then-sent", "partial-reject-and-forward", "expired", "noqueue-reject",
                            "bounce-with-notification", "still-deferred"})
        QTest::newRow(log) << QString::fromLatin1(log) << QStringList();
    // pflogsumm knows a message by its queue id alone: the second message under a reused id gets
    // the size of the first for its deliveries, and none for what it received.
    QTest::newRow("queue-id-reuse") << u"queue-id-reuse"_s << QStringList{u"bytes received"_s, u"bytes delivered"_s};
    // A real Postfix with amavis as content filter: pflogsumm counts every re-injection as received
    // again and every hand-over to the filter as a delivery (the README's "content filters"), so
    // received is compared with the later hops added back. Two of its messages never reached the
    // queue manager (a client gone after DATA, one refused as too big): both count them received,
    // at smtpd's client= line, and neither counts their bytes or sender.
    QTest::newRow("postfix-3.10.13-filter") << u"postfix-3.10.13-filter"_s
                                            << QStringList{u"delivered"_s, u"bytes received"_s, u"bytes delivered"_s,
                                                           u"recipients"_s, u"recipient hosts/domains"_s};
}

// The numbers both define the same way, as pflogsumm's "Grand Totals" name them. Not compared:
// "forwarded" (in Mailtrail's by_status.sent), "held", "discarded" and "reject warnings", which
// Mailtrail does not count, and "sending hosts/domains" (see the README's stats section).
void TestCliStats::agreesWithPflogsumm()
{
    const QString pflogsumm = u"/usr/sbin/pflogsumm"_s;
    if (!QFileInfo::exists(pflogsumm))
        QSKIP("pflogsumm is not installed");
    QFETCH(QString, log);
    QFETCH(QStringList, notCompared);
    const QString path = logPath(*m_dir, log);
    QProcess p;
    p.start(pflogsumm, {path});
    QVERIFY(p.waitForFinished(60000));
    const QString report = QString::fromUtf8(p.readAllStandardOutput());
    QMap<QString, QString> theirs;
    static const QRegularExpression line(u"^ +(\\d+[km]?) +([a-z/ ]+?)(?: \\(\\d+%\\))?$"_s, QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(report.section(u"Per-Hour"_s, 0, 0)); it.hasNext();) {
        const auto m = it.next();
        theirs[m.captured(2).trimmed()] = m.captured(1);
    }
    static const QRegularExpression deferrals(u"deferred +\\((\\d+) +deferrals\\)"_s);
    const auto d = deferrals.match(report);
    QVERIFY2(theirs.contains(u"received"_s), qPrintable(report.left(400)));

    const QJsonObject ours = stats({path});
    auto n = [&](const char *key) { return at(ours, QString::fromLatin1(key)).toInteger(); };
    // The hops after the first of each chain: the messages listed hop by hop less those listed as chains.
    auto rows = [&](const QStringList &extra) {
        return cli(QStringList{u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s} + extra).out.count('\n');
    };
    const qint64 laterHops = rows({u"--hops"_s}) - rows({});
    QVERIFY(laterHops >= 0);
    const QList<std::pair<QString, QString>> compared{
        {u"received"_s, pflogsummUnits(n("messages") + laterHops)},
        {u"delivered"_s, pflogsummUnits(n("delivered"))},
        {u"bounced"_s, pflogsummUnits(n("by_status/bounced"))},
        {u"rejected"_s, pflogsummUnits(n("by_status/rejected"))},
        {u"bytes received"_s, pflogsummUnits(n("bytes_received"))},
        {u"bytes delivered"_s, pflogsummUnits(n("bytes_delivered"))},
        {u"senders"_s, pflogsummUnits(n("senders"))},
        {u"recipients"_s, pflogsummUnits(n("distinct_addresses_delivered"))},
        {u"recipient hosts/domains"_s, pflogsummUnits(n("recipient_domains_delivered"))},
    };
    for (const auto &[name, value] : compared) {
        if (notCompared.contains(name))
            continue;
        QVERIFY2(theirs.value(name) == value,
                 qPrintable(u"%1: pflogsumm %2, Mailtrail %3"_s.arg(name, theirs.value(name), value)));
    }
    // "deferred (N deferrals)": pflogsumm counts every status=deferred line; Mailtrail every
    // deferred try, and a "delivery temporarily suspended" tried nothing. So: theirs less those
    // lines, and less the messages whose every deferred line is one.
    qint64 suspended = 0;
    QMap<QString, bool> triedAndDeferred;  // by queue id: whether one of its deferred lines was a try
    QFile logFile(path);
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    static const QRegularExpression deferredTry(u": ([0-9A-F]+): to=.*status=deferred \\((delivery temporarily suspended)?"_s);
    for (const QByteArray &bytes : logFile.readAll().split('\n')) {
        const auto m = deferredTry.match(QString::fromUtf8(bytes));
        if (!m.hasMatch())
            continue;
        const bool isSuspended = m.capturedLength(2) > 0;
        suspended += isSuspended ? 1 : 0;
        triedAndDeferred[m.captured(1)] = triedAndDeferred.value(m.captured(1)) || !isSuspended;
    }
    const qint64 onlySuspended = std::count(triedAndDeferred.cbegin(), triedAndDeferred.cend(), false);
    const QString deferredLine = report.section(u"Grand Totals"_s, 1).section(u"deferred"_s, 0, 0).section(u'\n', -1).trimmed();
    QCOMPARE(deferredLine.toLongLong() - onlySuspended, n("deferred_messages"));
    QCOMPARE((d.hasMatch() ? d.captured(1).toLongLong() : 0) - suspended, n("deferrals"));
}

void TestCliStats::deferredReasonsAreTheDeferrals_data()
{
    QTest::addColumn<QString>("log");
    for (const char *log : {"sample", "deferred-then-sent", "expired", "still-deferred", "exim-4.98.2-mainlog", "postfix-3.10.13-filter"})
        QTest::newRow(log) << QString::fromLatin1(log);
}

// The deferral reasons count every deferred try, as `deferrals` does, whatever became of the
// recipient after (delivered, bounced, expired, still waiting); bounces and expiries count
// recipients.
void TestCliStats::deferredReasonsAreTheDeferrals()
{
    QFETCH(QString, log);
    const QJsonObject root = stats({u"--limit"_s, u"100000"_s, logPath(*m_dir, log)});
    qint64 deferred = 0, bounced = 0, expired = 0;
    for (const QJsonValue &r : root.value(u"reasons"_s).toArray()) {
        const QString status = r[u"status"_s].toString();
        (status == u"deferred"_s ? deferred : status == u"bounced"_s ? bounced : expired) += r[u"count"_s].toInteger();
    }
    QVERIFY(root.value(u"deferrals"_s).toInteger() > 0);
    QCOMPARE(deferred, root.value(u"deferrals"_s).toInteger());
    QCOMPARE(bounced, at(root, u"by_status/bounced"_s).toInteger());
    QCOMPARE(expired, at(root, u"by_status/expired"_s).toInteger());
}

void TestCliStats::rejectReasonFindsItsRows_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<int>("kinds");  // at least this many kinds of reject in the log
    QTest::newRow("sample") << u"sample"_s << 4;
    QTest::newRow("postfix") << u"fail2ban-postfix"_s << 1;
    QTest::newRow("exim") << u"exim-4.98.2-mainlog"_s << 3;
    QTest::newRow("sendmail") << u"sendmail-8.17.1.9-syslog"_s << 2;
}

// Each reject reason the statistics count, asked for with --reject-reason (the Summary's link),
// finds exactly the recipients it counts, and only messages that have them: in Exim's and
// Sendmail's words too (the link once searched Postfix's words, and found nothing, or every
// reject, elsewhere).
void TestCliStats::rejectReasonFindsItsRows()
{
    QFETCH(QString, log);
    QFETCH(int, kinds);
    const QString path = logPath(*m_dir, log);
    const QJsonArray reasons = stats({u"--limit"_s, u"100000"_s, path}).value(u"rejects_by_reason"_s).toArray();
    QVERIFY2(reasons.size() >= kinds, qPrintable(QString::number(reasons.size())));
    qint64 total = 0;
    for (const QJsonValue &r : reasons) {
        const QString kind = r[u"reason"_s].toString();
        const auto rows = [&](const QString &grain) {
            const Run run = cli({grain, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--reject-reason"_s, kind, path});
            return QJsonDocument::fromJson(run.out).array();
        };
        const QJsonArray deliveries = rows(u"deliveries"_s);
        QCOMPARE(deliveries.size(), r[u"count"_s].toInteger());
        QSet<QString> ids;
        for (const QJsonValue &d : deliveries) {
            QCOMPARE(d[u"status"_s].toString(), u"rejected"_s);
            ids.insert(d[u"queue_id"_s].toString() + u' ' + d[u"first_seen"_s].toString());
        }
        // A message is one of theirs; refusals without a queue id in one second share a key.
        const QJsonArray messages = rows(u"messages"_s);
        QVERIFY(messages.size() >= ids.size() && messages.size() <= deliveries.size());
        for (const QJsonValue &m : messages)
            QVERIFY(ids.contains(m[u"queue_id"_s].toString() + u' ' + m[u"first_seen"_s].toString()));
        total += deliveries.size();
    }
    QCOMPARE(total, at(stats({path}), u"by_status/rejected"_s).toInteger());
}

void TestCliStats::relayDenialsInEveryFormat_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<qint64>("denials");  // counted by hand in the log
    QTest::newRow("postfix") << u"fail2ban-postfix"_s << qint64(1);      // "Relay access denied"
    QTest::newRow("exim") << u"exim-4.98.2-mainlog"_s << qint64(1);       // "relay not permitted"
    QTest::newRow("sendmail") << u"sendmail-8.17.1.9-syslog"_s << qint64(1);  // "Relaying denied"
}

// Security's relay denials are the rejects whose reason is "relay denied", in each MTA's words;
// they once knew only Postfix's, and Security said "no relay denials" above a Rejects list of one.
void TestCliStats::relayDenialsInEveryFormat()
{
    QFETCH(QString, log);
    QFETCH(qint64, denials);
    const QJsonObject root = stats({u"--limit"_s, u"100000"_s, logPath(*m_dir, log)});
    qint64 listed = 0, asReason = 0;
    for (const QJsonValue &d : root.value(u"relay_denials"_s).toArray())
        listed += d[u"count"_s].toInteger();
    for (const QJsonValue &r : root.value(u"rejects_by_reason"_s).toArray())
        asReason += r[u"reason"_s].toString() == u"relay denied"_s ? r[u"count"_s].toInteger() : 0;
    QCOMPARE(asReason, denials);
    QCOMPARE(listed, denials);
}

void TestCliStats::lookupFailureNamesTheDomain()
{
    // A real bounce after a failed DNS lookup (Parse::Syslog::Mail's t/cpan-rt-28807.log, see
    // tests/data/README.md): relay=none, no host was reached. The destination is the recipients'
    // domain, as the deferral and bounce reasons name it: the name looked up, which it was until
    // session 22, is no host --destination finds (the trial's link opened no rows).
    const QString log = writeFile(*m_dir, u"mail.log"_s,
                                  "Aug 13 00:52:53 DalekGate postfix/smtp[21945]: 84179E35: to=<secdalek@gmail.coml>, relay=none, "
                                  "delay=0, status=bounced (Host or domain name not found. Name service error for name=gmail.coml "
                                  "type=A: Host not found)\n");
    utimbuf times{1795348800, 1795348800};
    ::utime(log.toLocal8Bit().constData(), &times);
    const QJsonObject root = stats({log});
    QCOMPARE(at(root, u"by_status/bounced"_s).toInteger(), 1);
    QCOMPARE(at(root, u"connectivity/0/destination"_s).toString(), u"@gmail.coml"_s);
    QCOMPARE(at(root, u"connectivity/0/problem"_s).toString(), u"host not found"_s);
    QCOMPARE(at(root, u"connectivity/0/count"_s).toInteger(), 1);
    const Run named = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--destination"_s,
                           at(root, u"connectivity/0/destination"_s).toString(), u"--tried-as"_s, u"failed"_s, log});
    QCOMPARE(named.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(named.out).array().size(), 1);
    // Among the destinations, relay=none is named as the Summary names it (session 18's trial:
    // the window said "no relay (not sent)", the text "none"); the JSON keeps the log's word,
    // which --destination takes.
    QCOMPARE(at(root, u"problem_relays/0/host"_s).toString(), u"none"_s);
    const Run text = cli({u"stats"_s, u"--cache"_s, cache(), log});
    QVERIFY2(text.out.contains("  no relay (not sent)\n"), text.out.constData());
    QVERIFY2(!text.out.contains("  none\n"), text.out.constData());
    // The same line without the name: the recipient's domain.
    const QString unnamed = writeFile(*m_dir, u"other.log"_s,
                                      "Aug 13 00:52:53 DalekGate postfix/smtp[21945]: 84179E35: to=<secdalek@gmail.coml>, relay=none, "
                                      "delay=0, status=bounced (Host or domain name not found. Host not found)\n");
    ::utime(unnamed.toLocal8Bit().constData(), &times);
    const QJsonObject other = stats({unnamed});
    // Marked as the recipients' domain, not a host: --destination takes it as the Summary's link
    // does, and finds the try (as a host, "gmail.coml" found none).
    QCOMPARE(at(other, u"connectivity/0/destination"_s).toString(), u"@gmail.coml"_s);
    const Run rows = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--destination"_s,
                          u"@gmail.coml"_s, u"--tried-as"_s, u"failed"_s, unnamed});
    QCOMPARE(QJsonDocument::fromJson(rows.out).array().size(), 1);
}

// A local caller's SMTP session (Exim's -bs) that failed to authenticate is a failure of no client
// on the network: the clients counted are those listed (session 19's trial: "from 3 clients" above
// four rows on Exim's test suite, one of them "U=CALLER" without an address).
void TestCliStats::localCallerIsNoSaslClient()
{
    // Lines of Exim's test suite (test/log/3403 line 1, 3400 lines 18 and 22; tests/data/README.md).
    const QString log = writeFile(*m_dir, u"mainlog"_s,
                                  "1999-03-02 09:44:33 plain1 authenticator failed for U=CALLER: 535 Incorrect authentication "
                                  "data (set_id=userx\\n)\n"
                                  "1999-03-02 09:44:33 plain authenticator failed for H=(test.host) [10.0.0.1] U=CALLER: 535 "
                                  "Incorrect authentication data\n"
                                  "1999-03-02 09:44:33 login authenticator failed for H=(test.host) [10.0.0.1] U=CALLER: 501 "
                                  "Authentication cancelled\n");
    const QJsonObject root = stats({log});
    QCOMPARE(root.value(u"auth_failures"_s).toInteger(), 3);
    QCOMPARE(root.value(u"auth_failure_clients"_s).toInteger(), 1);
    const QJsonArray clients = root.value(u"auth_failures_by_client"_s).toArray();
    QCOMPARE(clients.size(), 1);
    QCOMPARE(at(root, u"auth_failures_by_client/0/client_ip"_s).toString(), u"10.0.0.1"_s);
    QCOMPARE(at(root, u"auth_failures_by_client/0/count"_s).toInteger(), 2);
    QCOMPARE(root.value(u"auth_failures_of_local_callers"_s).toInteger(), 1);
    // The text says where they came from as the Summary does.
    const Run text = cli({u"stats"_s, u"--cache"_s, cache(), log});
    QVERIFY2(text.out.contains("       3  SASL authentication failures from 1 client and a local caller\n"), text.out.constData());
}

// Every SASL failure of the log a local caller's: the text says so, not "from 0 clients" (the
// Summary's words before). The line of Exim's test 3403 (line 1), and the same a second later:
// the local caller failing twice.
void TestCliStats::localCallersOnlyAreSaidSo()
{
    const QByteArray failure = " plain1 authenticator failed for U=CALLER: 535 Incorrect authentication data (set_id=userx\\n)\n";
    const QString log = writeFile(*m_dir, u"mainlog"_s, "1999-03-02 09:44:33" + failure + "1999-03-02 09:44:34" + failure);
    const QJsonObject root = stats({log});
    QCOMPARE(root.value(u"auth_failures"_s).toInteger(), 2);
    QCOMPARE(root.value(u"auth_failure_clients"_s).toInteger(), 0);
    QCOMPARE(root.value(u"auth_failures_of_local_callers"_s).toInteger(), 2);
    const Run text = cli({u"stats"_s, u"--cache"_s, cache(), log});
    QVERIFY2(text.out.contains("       2  SASL authentication failures from local callers\n"), text.out.constData());
    QVERIFY2(!text.out.contains("0 clients"), text.out.constData());
}

void TestCliStats::eximDestinationsAreHosts_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("host");     // the host the deferrals failed to reach
    QTest::addColumn<QString>("problem");  // its connection problem, if one
    // The real Exim on loopback: "ID H=127.0.0.9 [127.0.0.9] Connection refused", then "== x@slow.test
    // R=to_slow T=remote_smtp defer (111): Connection refused", three times, then the expiry.
    QTest::newRow("exim 4.98.2") << u"exim-4.98.2-mainlog"_s << u"127.0.0.9"_s << u"connection refused"_s;
    QTest::newRow("exim 4.96") << u"exim-4.96-mainlog"_s << u"127.0.0.9"_s << u"connection refused"_s;
    QTest::newRow("exim 4.98.2 syslog") << u"exim-4.98.2-syslog"_s << u"127.0.0.9"_s << u"connection refused"_s;
    // Exim's test 0461: "ID H=V4NET.0.0.2 [V4NET.0.0.2] Network Error", then "== userx@test.ex R=r1
    // T=t1 defer (dd): Network Error".
    QTest::newRow("exim test suite 0461") << u"exim-corpus-exim-testsuite-expiry"_s << u"v4net.0.0.2"_s << QString();
}

// A deferral whose line names only its transport ("T=remote_smtp defer (111): Connection
// refused") went to the host the line before it names: that host is its destination, among the
// destinations, the reasons and the connection problems alike (session 19's trial: "remote_smtp"
// was a destination and a connection problem's, while its reasons named the recipient's domain),
// and --destination finds the recipients each destination counts.
void TestCliStats::eximDestinationsAreHosts()
{
    QFETCH(QString, log);
    QFETCH(QString, host);
    QFETCH(QString, problem);
    const QString path = logPath(*m_dir, log);
    const QJsonObject root = stats({u"--limit"_s, u"100000"_s, path});
    QVERIFY(root.value(u"deferrals"_s).toInteger() > 0);
    for (const QJsonValue &r : root.value(u"reasons"_s).toArray()) {
        if (r[u"status"_s].toString() == u"deferred"_s && r[u"code"_s].toInt() == 0)
            QCOMPARE(r[u"host"_s].toString(), host);
    }
    if (!problem.isEmpty()) {
        QCOMPARE(at(root, u"connectivity/0/destination"_s).toString(), host);
        QCOMPARE(at(root, u"connectivity/0/problem"_s).toString(), problem);
    }
    bool listed = false;
    for (const QJsonValue &d : root.value(u"top_relays"_s).toArray()) {
        const QString name = d[u"host"_s].toString();
        QVERIFY2(name != u"remote_smtp"_s, qPrintable(name));
        listed = listed || name == host;
        const Run rows = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, u"--destination"_s, name, path});
        QCOMPARE(QJsonDocument::fromJson(rows.out).array().size(), d[u"recipients"_s].toInteger());
    }
    QVERIFY2(listed, qPrintable(host));
}

// Exim's test 5820 (tests/data/exim/corpus/exim-testsuite-dane.log): four recipients bounced
// with no host logged at all ("** t9@dane.no.1.test.ex R=client T=send_to_server : DANE error:
// tlsa lookup FAIL"). No server was tried: their destination is none, as Postfix's relay=none,
// in the destinations (the text's "no relay (not sent)", the Summary's), and where their
// connection problem was going, their recipients' domain; never the transport "send_to_server",
// which the destinations, the connection problems and --destination named before. Each
// destination stats lists, and each connection problem of a recipients' domain, --destination
// finds.
void TestCliStats::eximFailuresWithoutHost()
{
    const QString path = logPath(*m_dir, u"exim-corpus-exim-testsuite-dane"_s);
    const QJsonObject root = stats({u"--limit"_s, u"100000"_s, path});
    QCOMPARE(at(root, u"by_status/bounced"_s).toInteger(), 4);
    const auto count = [&](const QStringList &filter) {
        const Run rows = cli(QStringList{u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s} + filter + QStringList{path});
        return qint64(QJsonDocument::fromJson(rows.out).array().size());
    };
    qint64 none = -1;
    for (const QJsonValue &d : root.value(u"top_relays"_s).toArray()) {
        const QString name = d[u"host"_s].toString();
        QVERIFY2(name != u"send_to_server"_s, qPrintable(name));
        if (name == u"none"_s)
            none = d[u"problems"_s].toInteger();
        QCOMPARE(count({u"--destination"_s, name, u"--status"_s, u"sent,deferred,bounced,expired"_s}),
                 d[u"recipients"_s].toInteger());
    }
    QCOMPARE(none, 4);
    // t9, t12 and t16's "tlsa lookup FAIL" are TLS failures (t18's "lookup not DNSSEC" is none),
    // each of its recipient's domain, which --destination takes as the Summary's link does; the
    // others named the host they failed at.
    QStringList destinations;
    for (const QJsonValue &c : root.value(u"connectivity"_s).toArray()) {
        const QString destination = c[u"destination"_s].toString();
        destinations << destination;
        if (destination.startsWith(u'@'))
            QCOMPARE(count({u"--destination"_s, destination, u"--tried-as"_s, u"failed"_s}), c[u"count"_s].toInteger());
    }
    destinations.sort();
    QCOMPARE(destinations, (QStringList{u"@dane.no.1.test.ex"_s, u"@dane.no.3.test.ex"_s, u"@danebroken4.test.ex"_s,
                                        u"danebroken1.test.ex"_s, u"danebroken2.test.ex"_s, u"danebroken7.example.com"_s,
                                        u"danelazy2.test.ex"_s}));
    for (const QJsonValue &r : root.value(u"reasons"_s).toArray()) {
        if (r[u"status"_s].toString() == u"bounced"_s)
            QVERIFY(r[u"host_is_recipient_domain"_s].toBool());
    }
    const Run text = cli({u"stats"_s, u"--cache"_s, cache(), path});
    QVERIFY2(!text.out.contains("send_to_server"), text.out.constData());
    QVERIFY2(text.out.contains("       4   0 bytes  no relay (not sent)\n"), text.out.constData());
    QVERIFY2(text.out.contains("     1  bounced  dane.no.1.test.ex (recipients' domain)  DANE error: tlsa lookup FAIL\n"),
             text.out.constData());
    QVERIFY2(text.out.contains("     1  @dane.no.1.test.ex  TLS failure  ("), text.out.constData());
}

// Exim's test 5820 again: 10HmbH and 10HmbK, deferred, then "removed by CALLER" (exim -Mrm) and
// "Completed". Deleted by an administrator, as postsuper -d's are, not still in the queue (they
// were, with t19's 10HmbY, which nothing took out: 3 before, 1 now).
void TestCliStats::eximRemovedByAnAdministrator()
{
    const QString path = logPath(*m_dir, u"exim-corpus-exim-testsuite-dane"_s);
    const QJsonObject root = stats({path});
    QCOMPARE(root.value(u"deleted"_s).toInteger(), 2);
    QCOMPARE(root.value(u"still_queued"_s).toInteger(), 1);
    const Run rows = cli({u"messages"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s, u"--status"_s, u"deleted"_s});
    QVERIFY2(rows.out.contains(",10HmbH-000000005vi-0000,") && rows.out.contains(",10HmbK-000000005vi-0000,"), rows.out.constData());
}

void TestCliStats::timesInTheLogsClock()
{
    // The sample read at UTC+1: the SASL failures (lines of no message) and the reasons show in
    // the log's clock, with its offset, as `deliveries` shows its times.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TZ"_s, u"CET-1"_s);  // UTC+1 all year, without tzdata
    p.setProcessEnvironment(env);
    const QString log = logPath(*m_dir, u"sample"_s);
    const Run json = cli({u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s, log}, &p);
    QCOMPARE(json.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(at(root, u"auth_failures_by_client/0/first_seen"_s).toString(), u"2026-11-21T21:31:17+01:00"_s);
    QCOMPARE(at(root, u"auth_failures_by_client/0/last_seen"_s).toString(), u"2026-11-21T21:49:49+01:00"_s);
    const Run deliveries = cli({u"deliveries"_s, u"--cache"_s, cache(), u"--format"_s, u"csv"_s}, &p);
    QVERIFY2(deliveries.out.contains("+01:00,"), deliveries.out.left(300).constData());
    const Run text = cli({u"stats"_s, u"--cache"_s, cache()}, &p);
    QVERIFY2(text.out.contains("(2026-11-21T21:31:17+01:00 to 2026-11-21T21:49:49+01:00)"), text.out.constData());
    QVERIFY(!text.out.contains("+00:00"));
}

void TestCliStats::rblExampleIsOfTheCommonestList()
{
    // The sample's RBL rejects: 3 by zen.spamhaus.org, 1 by b.barracudacentral.org. The example
    // shown for the reason is one of the list that refused most, not the greatest text of all
    // (barracuda's "Client host [82.255.166.136]" sorts after spamhaus' "[5.113...", "[170...").
    const QJsonObject root = stats({logPath(*m_dir, u"sample"_s)});
    const QJsonObject rbl = at(root, u"rejects_by_reason/0"_s).toObject();
    QCOMPARE(rbl.value(u"reason"_s).toString(), u"RBL"_s);
    QVERIFY2(rbl.value(u"example"_s).toString().contains(u"blocked using zen.spamhaus.org"_s),
             qPrintable(rbl.value(u"example"_s).toString()));
    // Each client's list stays its own.
    const QJsonArray hits = root.value(u"rbl_hits"_s).toArray();
    QStringList lists;
    for (const QJsonValue &h : hits)
        lists << h.toObject().value(u"list"_s).toString();
    QVERIFY2(lists.contains(u"b.barracudacentral.org"_s), qPrintable(lists.join(u", "_s)));
}

namespace {

// awk's answer on `log` (the test's own reading of the lines, not Mailtrail's).
QString awk(const QString &program, const QString &log)
{
    QProcess p;
    p.start(u"awk"_s, {program, log});
    if (!p.waitForFinished(60000))
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace

void TestCliStats::problemsStartedAndSubSecondDelays_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("startWords");
    QTest::addColumn<QString>("median");
    QTest::addColumn<QString>("p95");
    QTest::addColumn<double>("resolution");
    // Syslog's times are to the second: half the sample's deliveries leave within the second of
    // their arrival (its delay= median is 0.39 s, awk below), which reads "< 1 s", not "0 s".
    // It begins with a problem (a reject 19 s in).
    QTest::newRow("sample") << u"sample"_s << u"Problems since the log begins: the first failure at"_s << u"< 1 s"_s
                            << u"365 s"_s << 1.0;
    // RFC 3339 times to the microsecond: 17:00:00.123456 to 17:00:01.000000, to the millisecond.
    // Its bounce comes a second in: from the start too.
    QTest::newRow("rfc3339") << u"rfc3339"_s << u"Problems since the log begins: the first failure at"_s << u"0.877 s"_s << u"0.877 s"_s << 0.001;
}

// The text report names the logs it covers as the Summary does: "this log" for one, "these
// logs" for several (the sample cut in two).
void TestCliStats::textNamesItsLogsAsOneOrSeveral()
{
    QFile sample(QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QByteArray all = sample.readAll();
    const qsizetype cut = all.indexOf('\n', all.size() / 2) + 1;
    QTemporaryDir dir;
    const QString first = dir.filePath(u"mail.log.1"_s), second = dir.filePath(u"mail.log"_s);
    for (const auto &[path, part] : {std::pair{first, all.left(cut)}, std::pair{second, all.mid(cut)}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(part);
    }
    const QString cachePath = dir.filePath(u"c.sqlite"_s);
    const Run one = cli({u"stats"_s, u"--cache"_s, cachePath, first});
    QCOMPARE(one.exitCode, 0);
    QVERIFY2(QString::fromUtf8(one.out).contains(u"in this log"_s), one.out.left(1500).constData());
    const Run two = cli({u"stats"_s, u"--cache"_s, cachePath, first, second});
    QCOMPARE(two.exitCode, 0);
    const QString text = QString::fromUtf8(two.out);
    QVERIFY2(text.contains(u"in these logs"_s), qPrintable(text.left(1500)));
    QVERIFY2(!text.contains(u"this log"_s), qPrintable(text.left(1500)));
}

void TestCliStats::problemsStartedAndSubSecondDelays()
{
    QFETCH(QString, log);
    QFETCH(QString, startWords);
    QFETCH(QString, median);
    QFETCH(QString, p95);
    QFETCH(double, resolution);
    QString path;
    if (log == u"rfc3339"_s) {
        path = m_dir->filePath(u"rfc3339.log"_s);
        QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/golden/rfc3339-multihost.log"), path));
    } else {
        path = logPath(*m_dir, log);
    }
    const Run r = cli({u"stats"_s, u"--cache"_s, cache(), path});
    QCOMPARE(r.exitCode, 0);
    const QString text = QString::fromUtf8(r.out);
    // The first deferred try, bounce, reject or SASL failure, as awk finds it in the lines (the
    // sample's syslog time "Nov 21 20:00:21"; the RFC 3339 one's to the millisecond).
    const QString first = awk(u"/status=(deferred|bounced)|reject:|authentication failed/ { print $1, $2, $3; exit }"_s, path);
    QVERIFY(!first.isEmpty());
    QString expected;
    if (log == u"sample"_s) {
        expected = u"2026-11-21T"_s + first.section(u' ', 2, 2) + u"+00:00"_s;
    } else {
        // "2026-11-20T17:00:01.100000+01:00" to the millisecond, as `deliveries` prints it.
        expected = first.section(u' ', 0, 0).left(23) + first.section(u' ', 0, 0).right(6);
    }
    QVERIFY2(text.contains(u"%1 %2\n"_s.arg(startWords, expected)), qPrintable(text.left(1500)));
    QVERIFY2(text.contains(u"Delivery delay: median %1, 95th percentile %2"_s.arg(median, p95)), qPrintable(text.left(1500)));
    const QJsonObject json = stats({path});
    QCOMPARE(at(json, u"first_problem"_s).toString(), expected);
    QCOMPARE(at(json, u"delay/resolution_seconds"_s).toDouble(), resolution);
    if (log == u"sample"_s) {
        // delay= of the status=sent lines, sorted: the median (nearest rank) is under a second,
        // and the 95th percentile is the one the lines' times give.
        const QString delays =
            awk(u"/status=sent/ { if (match($0, /delay=[0-9.]+/)) print substr($0, RSTART + 6, RLENGTH - 6) }"_s, path);
        QList<double> d;
        for (const QString &v : delays.split(u'\n'))
            d << v.toDouble();
        std::sort(d.begin(), d.end());
        QVERIFY(d.size() > 100);
        QVERIFY(d[(d.size() + 1) / 2 - 1] < 1.0);
        QCOMPARE(at(json, u"delay/median_seconds"_s).toDouble(), 0.0);
        QCOMPARE(at(json, u"delay/p95_seconds"_s).toDouble(), d[qsizetype(std::ceil(d.size() * 0.95)) - 1]);
    } else {
        // The delivery's time less the arrival's, from awk: edge1's client= and status=sent lines,
        // each to the millisecond (as the cache keeps times).
        const QString ms = awk(u"$2 == \"edge1\" && /client=|status=sent/ { split($1, t, /[:+]/); s[n++] = t[3] } "
                               "END { printf \"%.3f\", (int(s[1] * 1000) - int(s[0] * 1000)) / 1000 }"_s,
                               path);
        QCOMPARE(at(json, u"delay/median_seconds"_s).toDouble(), ms.toDouble());
    }
}

namespace {

// RFC 3339 lines of one hour of 2026-11-22: 1,001 messages of a@example.org sent, one message
// deferred 1,001 times, 1,001 relay-access rejects of one client. Queue ids and addresses are
// numbered in hex from A000: no "1001" in the log itself.
QByteArray thousandsLog()
{
    QByteArray out;
    const auto time = [](int i) { return "2026-11-22T10:" + QByteArray::number(i / 60).rightJustified(2, '0') + ':' +
                                         QByteArray::number(i % 60).rightJustified(2, '0') + ".000000+00:00 mx postfix/"; };
    for (int i = 0; i < 1001; ++i) {
        const QByteArray id = 'A' + QByteArray::number(0xA000 + i, 16).toUpper();
        const QByteArray head = time(i);
        out += head + "smtpd[123]: " + id + ": client=a.example[192.0.2.1]\n" + head + "qmgr[12]: " + id +
               ": from=<a@example.org>, size=100, nrcpt=1 (queue active)\n" + head + "smtp[13]: " + id + ": to=<r" +
               id.toLower() + "@lab.test>, relay=mx.lab.test[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent "
               "(250 ok)\n" + head + "qmgr[12]: " + id + ": removed\n";
    }
    out += time(0) + "smtpd[123]: BB000: client=b.example[192.0.2.2]\n" + time(0) +
           "qmgr[12]: BB000: from=<b@example.org>, size=100, nrcpt=1 (queue active)\n";
    for (int i = 0; i < 1001; ++i)
        out += time(i) + "smtp[14]: BB000: to=<slow@far.example>, relay=mx.far.example[192.0.2.8]:25, delay=5, "
               "delays=0/0/0/5, dsn=4.2.0, status=deferred (host mx.far.example[192.0.2.8] said: 450 4.2.0 try later "
               "(in reply to RCPT TO command))\n";
    for (int i = 0; i < 1001; ++i) {
        const QByteArray who = 'u' + QByteArray::number(0xA000 + i, 16);
        out += time(i) + "smtpd[123]: NOQUEUE: reject: RCPT from c.example[192.0.2.3]: 554 5.7.1 <" + who +
               "@lab.test>: Relay access denied; from=<a@example.org> to=<" + who + "@lab.test> proto=ESMTP helo=<a>\n";
    }
    return out;
}

} // namespace

void TestCliStats::everyCountGroupedAsTheLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("separator");
    QTest::newRow("en_US") << u"en_US.UTF-8"_s << u","_s;
    QTest::newRow("de_DE") << u"de_DE.UTF-8"_s << u"."_s;
}

// The text report writes every count as the locale groups digits, not only the totals (session
// 18's trial: "1001" in the lists under "1,001" in the totals); JSON keeps plain numbers. Qt reads
// the locale from LC_ALL with its own data, whether or not the C library has that locale.
void TestCliStats::everyCountGroupedAsTheLocale()
{
    QFETCH(QString, locale);
    QFETCH(QString, separator);
    // 1,001 and 1,002 (the busiest hour's messages: one more sender).
    const QString grouped = u"1"_s + separator + u"00"_s;
    const QString log = writeFile(*m_dir, u"mail.log"_s, thousandsLog());
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LC_ALL"_s, locale);
    p.setProcessEnvironment(env);
    const Run text = cli({u"stats"_s, u"--cache"_s, cache(), log}, &p);
    QCOMPARE(text.exitCode, 0);
    const QString out = QString::fromUtf8(text.out);
    QVERIFY2(!out.contains(u"1001"_s) && !out.contains(u"1002"_s), qPrintable(out));
    // Each part of the report that has the count: the line that names it holds it grouped.
    const QStringList lines = out.split(u'\n');
    for (const QString &part : {u"    1000-1100 "_s, u"  a@example.org"_s, u"  deferred mx.far.example"_s,
                                u"  relay denied  "_s, u"  192.0.2.3  c.example"_s, u"Busiest hour"_s,
                                u"Delivery delay"_s, u"  mx.lab.test"_s}) {
        const auto line = std::find_if(lines.begin(), lines.end(), [&part](const QString &l) { return l.contains(part); });
        QVERIFY2(line != lines.end(), qPrintable(part + u"\n"_s + out));
        QVERIFY2(line->contains(grouped), qPrintable(*line));
    }
    const Run json = cli({u"stats"_s, u"--cache"_s, cache(), u"--format"_s, u"json"_s}, &p);
    QVERIFY2(!json.out.contains("1,001") && !json.out.contains("1.001"), json.out.constData());
    const QJsonObject root = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(at(root, u"by_hour/10/delivered"_s).toInteger(), 1001);
    QCOMPARE(at(root, u"reasons/0/count"_s).toInteger(), 1001);
}

QTEST_GUILESS_MAIN(TestCliStats)

#include "tst_clistats.moc"
