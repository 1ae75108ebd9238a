// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clistats.h"

#include "cache/statsqueries.h"
#include "chartmodel.h"
#include "clioptions.h"
#include "cliquery.h"
#include "lineclock.h"
#include "logclockreader.h"
#include "problempeak.h"
#include "statstotals.h"
#include "timeformat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>
#include <QTextStream>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

// More lines than any list of a real log holds (distinct senders, domains, reasons).
constexpr qlonglong MaxTopLimit = 100'000'000;

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// A sender as the lists name it: the null sender (bounces, notifications) as "<>", as --sender
// takes it and as pflogsumm's "from=<>" shows it, not as a blank.
QString senderName(const std::string &s)
{
    return s.empty() ? u"<>"_s : str(s);
}

// A destination as the Summary names it (relay=none: "no relay (not sent)"). The JSON keeps the
// host as the log wrote it, which --destination takes.
QString destinationName(const std::string &s)
{
    return StatsTotals::destinationName(str(s));
}

QJsonArray countsJson(const std::vector<StatsCount> &rows, const QString &keyName, const QString &countName,
                      QString (*name)(const std::string &) = str)
{
    QJsonArray out;
    for (const StatsCount &c : rows)
        out.append(QJsonObject{{keyName, name(c.key)}, {countName, qint64(c.count)}, {u"problems"_s, qint64(c.problems)},
                               {u"bytes"_s, qint64(c.bytes)}});
    return out;
}

QString hourRange(int hour)
{
    return u"%1:00-%2:00"_s.arg(hour, 2, 10, QLatin1Char('0')).arg(hour + 1, 2, 10, QLatin1Char('0'));
}

QJsonArray sourcesJson(LineClock &clock, LineClock::Line line, const std::vector<StatsSource> &rows, const QString &keyName,
                       const QString &detailName)
{
    QJsonArray out;
    for (const StatsSource &c : rows)
        out.append(QJsonObject{{keyName, str(c.key)}, {detailName, str(c.detail)}, {u"count"_s, qint64(c.count)},
                               {u"first_seen"_s, clock.when(c.firstMs, line)}, {u"last_seen"_s, clock.when(c.lastMs, line)}});
    return out;
}

QJsonObject hourJson(const StatsHour &h)
{
    return {{u"received"_s, qint64(h.received)}, {u"delivered"_s, qint64(h.delivered)}, {u"deferred"_s, qint64(h.deferred)},
            {u"bounced"_s, qint64(h.bounced)}, {u"rejected"_s, qint64(h.rejected)}};
}

// When the problems began, in the clock of the log that failed, as `deliveries` prints that try
// and as the peak's hour and the per-hour table count it (each log's own clock). The day's clock
// (utcOffsetAt) may be a third log's where the logs were written at several offsets (session 17's
// trial: "the first failure at 16:50+09:00" of a reject at 08:50+01:00, under a note naming
// -05:00). The try is found as the Summary's link finds it (--tried-as failed at that moment), an
// authentication failure (no try) among the incidents: the rule of every time of the lists.
QString firstProblem(LineClock &clock, const Stats &s)
{
    if (s.firstProblemMs <= 0)
        return {};
    return clock.whenProblem(s.firstProblemMs);
}

QJsonObject toJson(const Stats &s, LineClock &clock, const std::optional<ProblemPeak> &problemPeak, const QString &firstProblem)
{
    QJsonObject o;
    o[u"messages"_s] = qint64(s.received);
    o[u"messages_all"_s] = qint64(s.messagesAll);
    o[u"recipients"_s] = qint64(s.recipients);
    o[u"by_status"_s] = QJsonObject{{u"sent"_s, qint64(s.sent)},         {u"deferred"_s, qint64(s.deferred)},
                                    {u"bounced"_s, qint64(s.bounced)},   {u"expired"_s, qint64(s.expired)},
                                    {u"rejected"_s, qint64(s.rejected)}, {u"queued"_s, qint64(s.queuedRecipients)}};
    o[u"delivered"_s] = qint64(s.deliveredTries);
    o[u"deferrals"_s] = qint64(s.deferrals);
    o[u"deferred_messages"_s] = qint64(s.deferredMessages);
    o[u"still_queued"_s] = qint64(s.stillQueued);
    o[u"held"_s] = qint64(s.held);
    o[u"discarded"_s] = qint64(s.discarded);
    o[u"abandoned"_s] = qint64(s.abandoned);
    o[u"deleted"_s] = qint64(s.deleted);
    o[u"sent_without_line"_s] = qint64(s.sentWithoutLine);
    o[u"bytes_received"_s] = qint64(s.bytesReceived);
    o[u"bytes_delivered"_s] = qint64(s.bytesDelivered);
    o[u"senders"_s] = qint64(s.senders);
    o[u"sender_domains"_s] = qint64(s.senderDomains);
    // Named as the text's labels name them: distinct addresses, and the domains of those, not rows.
    o[u"distinct_addresses_delivered"_s] = qint64(s.recipientsDelivered);
    o[u"recipient_domains_delivered"_s] = qint64(s.recipientDomains);
    o[u"auth_failures"_s] = qint64(s.authFailures);
    o[u"auth_failure_clients"_s] = qint64(s.authFailureClients);
    o[u"auth_failures_of_local_callers"_s] = qint64(s.authFailuresLocal);
    o[u"auth_failures_at_password_prompt"_s] = qint64(s.authFailuresAtPassword);
    // The hours the text report shows: of one day, those it spans; over several, all 24.
    QJsonArray hours;
    const auto [firstHour, lastHour] = StatsTotals::hourSpan(s);
    for (int h = firstHour; h <= lastHour && h < static_cast<int>(s.byHour.size()); ++h) {
        QJsonObject row = hourJson(s.byHour[static_cast<std::size_t>(h)]);
        row[u"hour"_s] = h;
        hours.append(row);
    }
    o[u"by_hour"_s] = hours;
    // Logs of several offsets: each hour adds up that hour of each log's own clock, those offsets.
    if (clock.mixed()) {
        QJsonArray offsets;
        for (const int offset : clock.offsets())
            offsets.append(offsetText(offset));
        o[u"by_hour_utc_offsets"_s] = offsets;
    }
    // Traffic (messages received), not problems: those peak in problem_peak.
    o[u"busiest_hour"_s] = s.peakHour;
    QJsonArray days;
    for (const StatsDay &d : s.byDay) {
        QJsonObject row = hourJson(d.counts);
        row[u"day"_s] = str(d.day);
        days.append(row);
    }
    o[u"by_day"_s] = days;
    o[u"top_senders"_s] = countsJson(s.topSenders, u"sender"_s, u"messages"_s, senderName);
    o[u"top_sender_domains"_s] = countsJson(s.topSenderDomains, u"domain"_s, u"messages"_s);
    o[u"top_recipient_domains"_s] = countsJson(s.topRecipientDomains, u"domain"_s, u"recipients"_s);
    o[u"problem_recipient_domains"_s] = countsJson(s.problemRecipientDomains, u"domain"_s, u"recipients"_s);
    o[u"top_relays"_s] = countsJson(s.topRelays, u"host"_s, u"recipients"_s);
    o[u"problem_relays"_s] = countsJson(s.problemRelays, u"host"_s, u"recipients"_s);
    QJsonArray reasons;
    for (const StatsReason &r : s.reasons) {
        QJsonObject reason{{u"status"_s, str(r.status)}, {u"host"_s, str(r.host)}, {u"code"_s, r.replyCode},
                           {u"dsn"_s, str(r.dsn)}, {u"text"_s, str(r.text)}, {u"example"_s, str(r.example)},
                           {u"count"_s, qint64(r.count)}, {u"first_seen"_s, clock.when(r.firstMs, LineClock::Line::Try)},
                           {u"last_seen"_s, clock.when(r.lastMs, LineClock::Line::Try)}};
        if (r.hostIsRecipientDomain)
            reason[u"host_is_recipient_domain"_s] = true;
        reasons.append(reason);
    }
    o[u"reasons"_s] = reasons;
    // Each time in the clock of the log its line came from (LineClock): a reject, a reason, a
    // connection problem are tries; SASL failures and client incidents lines of no message.
    constexpr LineClock::Line tries = LineClock::Line::Try, incidents = LineClock::Line::Incident;
    o[u"rejects_by_reason"_s] = sourcesJson(clock, tries, s.rejectsByReason, u"reason"_s, u"example"_s);
    o[u"rejects_by_client"_s] = sourcesJson(clock, tries, s.rejectsByClient, u"client_ip"_s, u"client_host"_s);
    o[u"auth_failures_by_client"_s] = sourcesJson(clock, incidents, s.authFailuresByClient, u"client_ip"_s, u"client_host"_s);
    o[u"auth_failures_by_user"_s] = sourcesJson(clock, incidents, s.authFailuresByUser, u"username"_s, u"client_ip"_s);
    o[u"relay_denials"_s] = sourcesJson(clock, tries, s.relayDenials, u"client_ip"_s, u"client_host"_s);
    o[u"rbl_hits"_s] = sourcesJson(clock, tries, s.rblHits, u"client_ip"_s, u"list"_s);
    o[u"connectivity"_s] = sourcesJson(clock, tries, s.connectivity, u"destination"_s, u"problem"_s);
    o[u"client_warnings"_s] = qint64(s.clientWarnings);
    o[u"lost_connections"_s] = qint64(s.lostConnections);
    o[u"screened"_s] = qint64(s.screened);
    o[u"screened_clients"_s] = qint64(s.screenedClients);
    o[u"client_incidents"_s] = sourcesJson(clock, incidents, s.clientIncidents, u"client_ip"_s, u"kind"_s);
    // resolution_seconds: what the log's times measure to (1: a median of 0 is "within the second").
    o[u"delay"_s] = QJsonObject{{u"median_seconds"_s, s.delayMedianSec}, {u"p95_seconds"_s, s.delayP95Sec},
                                {u"samples"_s, qint64(s.delaySamples)},
                                {u"resolution_seconds"_s, StatsTotals::delaysToTheSecond(s) ? 1.0 : 0.001}};
    // When the problems began, as the Summary names it: the first deferred try, bounce, reject or
    // authentication failure (null: none).
    o[u"first_problem"_s] = firstProblem.isEmpty() ? QJsonValue() : QJsonValue(firstProblem);
    // And when they peaked: {"day", "hour" (null: the whole day), "problems"}, null when none;
    // in a log shorter than the chart's hour bars, "start" and "end" of the chart's bar (null
    // otherwise).
    // Where the logs were written at several offsets, "utc_offset" is the clock of its day and hour.
    if (const std::optional<ProblemPeak> &peak = problemPeak) {
        QJsonObject p{{u"day"_s, peak->day},
                      {u"hour"_s, peak->hour >= 0 ? QJsonValue(peak->hour) : QJsonValue()},
                      {u"start"_s, peak->startMs ? QJsonValue(isoTime(peak->startMs, peak->utcOffsetSec)) : QJsonValue()},
                      {u"end"_s, peak->endMs ? QJsonValue(isoTime(peak->endMs, peak->utcOffsetSec)) : QJsonValue()},
                      {u"problems"_s, qint64(peak->problems)},
                      {u"deferred"_s, qint64(peak->counts.deferred)},
                      {u"bounced"_s, qint64(peak->counts.bounced)},
                      {u"rejected"_s, qint64(peak->counts.rejected)}};
        if (clock.mixed())
            p[u"utc_offset"_s] = offsetText(peak->utcOffsetSec);
        o[u"problem_peak"_s] = p;
    } else {
        o[u"problem_peak"_s] = QJsonValue();
    }
    return o;
}

// A count as the locale writes it ("1,234" in en_US, "1.234" in de_DE), as the totals are
// (StatsTotal::text): every number of the text report, not only its first block. JSON keeps
// plain numbers.
QString count(std::int64_t n)
{
    return QLocale().toString(qlonglong(n));
}

// Bytes with their unit, as the Summary writes them (StatsTotal::text).
QString bytes(std::int64_t n)
{
    return StatsTotal{"", {}, n, true}.text();
}

// `logs`: how many logs the report covers, which its words name as one or several.
void printText(QTextStream &out, const Stats &s, LineClock &clock, const std::optional<ProblemPeak> &problemPeak,
               const QString &firstProblem, qsizetype logs)
{
    // Logs of several offsets: the one rule the report's times follow, said before any of them.
    if (clock.mixed()) {
        QStringList offsets;
        for (const int o : clock.offsets())
            offsets << offsetText(o);
        out << u"The logs were written at more than one UTC offset (%1): every time below is in the clock of the log "
               u"its line came from, and the hours are each log's own.\n\n"_s.arg(offsets.join(u", "_s));
    }
    auto line = [&](std::int64_t n, const QString &what) { out << u"%1  %2\n"_s.arg(count(n), 8).arg(what); };
    // English has two forms, written out (no translation loads plural rules): "1 client", "2 clients".
    auto counted = [&](std::int64_t n, const QString &one, const QString &many) { line(n, n == 1 ? one : many); };
    // The totals as the Summary names them (StatsTotals), bytes with their unit.
    out << "Grand Totals\n------------\n\n";
    for (const StatsTotal &t : StatsTotals::of(s, logs))
        out << u"%1  %2\n"_s.arg(t.text(), 8).arg(t.label);
    out << "\n";
    // Where they came from, as the Summary says it: the clients on the network, and the local
    // callers, which have no address; never "from 0 clients".
    const QString clients = s.authFailureClients == 1 ? u"1 client"_s : u"%1 clients"_s.arg(count(s.authFailureClients));
    const QString local = s.authFailuresLocal == 1 ? u"a local caller"_s : u"local callers"_s;
    counted(s.authFailures, u"SASL authentication failure"_s,
            s.authFailures == 0            ? u"SASL authentication failures"_s
            : s.authFailuresLocal == 0     ? u"SASL authentication failures from %1"_s.arg(clients)
            : s.authFailureClients == 0    ? u"SASL authentication failures from %1"_s.arg(local)
                                           : u"SASL authentication failures from %1 and %2"_s.arg(clients, local));
    if (s.authFailuresAtPassword > 0)
        line(s.authFailuresAtPassword, u"of them at the password prompt (UGFzc3dvcmQ6: a wrong password)"_s);
    counted(s.clientWarnings, u"client warning (non-SMTP commands, errors, TLS)"_s,
            u"client warnings (non-SMTP commands, errors, TLS)"_s);
    counted(s.lostConnections, u"lost connection"_s, u"lost connections"_s);
    counted(s.screenedClients, u"client screened (postscreen, DNSBL)"_s, u"clients screened (postscreen, DNSBL)"_s);
    counted(s.screened, u"screening verdict (postscreen, DNSBL lines)"_s, u"screening verdicts (postscreen, DNSBL lines)"_s);
    if (s.firstProblemMs > 0) {
        // As the Summary says it: a log that begins with a problem does not name its own first
        // minute as the start of the trouble.
        const bool fromTheStart = s.firstSeenMs > 0 && s.firstProblemMs - s.firstSeenMs < 60'000;
        out << (fromTheStart ? (logs > 1 ? u"\nProblems since the logs begin: the first failure at %1\n"_s
                                         : u"\nProblems since the log begins: the first failure at %1\n"_s)
                             : u"\nProblems started at %1\n"_s)
                   .arg(firstProblem);
        if (const std::optional<ProblemPeak> &peak = problemPeak) {
            // Problems, not traffic (the busiest hour below is the traffic's): named by the kinds
            // there were, so that a day of rejects alone does not read as deferrals and bounces.
            // A bar shorter than an hour, in the clock of the log that failed in it (as the first
            // failure's), not the day's: the hours beside it are each log's own.
            // Where the logs were written at several offsets, its clock is said: it counts the
            // failures of every log within that span, whatever hour each log's own clock said.
            const std::int32_t barOffset = peak->utcOffsetSec;
            QString period = peak->startMs ? u"between %1-%2 on %3"_s.arg(isoTime(peak->startMs, barOffset).mid(11, 5),
                                                                          isoTime(peak->endMs, barOffset).mid(11, 5), peak->day)
                : peak->hour >= 0        ? u"between %1 on %2"_s.arg(hourRange(peak->hour), peak->day)
                                         : u"on "_s + peak->day;
            if (clock.mixed())
                period += u" (%1)"_s.arg(offsetText(peak->utcOffsetSec));
            out << u"Problems peaked %1: %2\n"_s.arg(period, StatsTotals::problemKinds(peak->counts));
        }
    }
    if (s.delaySamples > 0) {
        out << u"\nDelivery delay: median %1, 95th percentile %2 (%3 deliveries%4)\n"_s.arg(StatsTotals::delay(s, s.delayMedianSec),
                                                                                      StatsTotals::delay(s, s.delayP95Sec))
                   .arg(count(s.delaySamples))
                   .arg(StatsTotals::delaysToTheSecond(s) ? u", the log's times to the second"_s : QString());
    }

    out << "\nPer-Hour Traffic Summary\n------------------------\n"
        << "    time          received  delivered   deferred    bounced     rejected\n"
        << "    --------------------------------------------------------------------\n";
    const auto [firstHour, lastHour] = StatsTotals::hourSpan(s);
    for (int h = firstHour; h <= lastHour; ++h) {
        const StatsHour &r = s.byHour[static_cast<std::size_t>(h)];
        out << u"    %1%2-%3%4 %5 %6 %7 %8 %9\n"_s.arg(h, 2, 10, QLatin1Char('0'))
                   .arg(u"00"_s)
                   .arg(h + 1, 2, 10, QLatin1Char('0'))
                   .arg(u"00"_s)
                   .arg(count(r.received), 11)
                   .arg(count(r.delivered), 10)
                   .arg(count(r.deferred), 10)
                   .arg(count(r.bounced), 10)
                   .arg(count(r.rejected), 10);
    }
    if (s.peakHour >= 0) {
        const std::int64_t received = s.byHour[static_cast<std::size_t>(s.peakHour)].received;
        out << u"Busiest hour (traffic): "_s << hourRange(s.peakHour)
            << u", %1 %2 received\n"_s.arg(count(received)).arg(received == 1 ? u"message"_s : u"messages"_s);
    }

    auto counts = [&](const QString &title, const std::vector<StatsCount> &rows, bool byProblems,
                      QString (*name)(const std::string &) = str) {
        if (rows.empty())
            return;
        out << "\n" << title << "\n" << QString(title.size(), u'-') << "\n";
        // By problems: how many of how many recipients (a size beside a problem count read as the
        // size of the problems).
        for (const StatsCount &c : rows) {
            if (byProblems)
                out << u"%1 of %2  %3\n"_s.arg(count(c.problems), 8).arg(count(c.count), -9).arg(name(c.key));
            else
                out << u"%1 %2  %3\n"_s.arg(count(c.count), 8).arg(bytes(c.bytes), 9).arg(name(c.key));
        }
    };
    counts(u"Senders by message count"_s, s.topSenders, false, senderName);
    counts(u"Sending domains by message count"_s, s.topSenderDomains, false);
    counts(u"Recipient domains by deliveries"_s, s.topRecipientDomains, false);
    counts(u"Recipient domains by problems"_s, s.problemRecipientDomains, true);
    counts(u"Destinations by deliveries"_s, s.topRelays, false, destinationName);
    counts(u"Destinations by problems"_s, s.problemRelays, true, destinationName);

    if (!s.reasons.empty()) {
        out << "\nDeferral and bounce reasons\n---------------------------\n";
        for (const StatsReason &r : s.reasons) {
            // A try that reached no server ("connect to ...: Connection timed out") has no reply code.
            const QString code = r.replyCode > 0 ? QString::number(r.replyCode) + u": "_s : QString();
            // Tries that named no host (an Exim failure that logged none, a local mailer): where
            // they were going, as the Summary says it.
            const QString host = r.hostIsRecipientDomain ? u"%1 (recipients' domain)"_s.arg(str(r.host)) : str(r.host);
            out << u"%1  %2 %3  %4%5\n"_s.arg(count(r.count), 6).arg(str(r.status), -8).arg(host, code, str(r.text));
        }
    }
    auto sources = [&](const QString &title, const std::vector<StatsSource> &rows, LineClock::Line kind) {
        if (rows.empty())
            return;
        out << "\n" << title << "\n" << QString(title.size(), u'-') << "\n";
        for (const StatsSource &c : rows)
            out << u"%1  %2  %3  (%4 to %5)\n"_s.arg(count(c.count), 6)
                       .arg(str(c.key))
                       .arg(str(c.detail))
                       .arg(clock.when(c.firstMs, kind), clock.when(c.lastMs, kind));
    };
    constexpr LineClock::Line tries = LineClock::Line::Try, incidents = LineClock::Line::Incident;
    sources(u"Rejects by reason"_s, s.rejectsByReason, tries);
    sources(u"Rejects by client"_s, s.rejectsByClient, tries);
    sources(u"SASL authentication failures by client"_s, s.authFailuresByClient, incidents);
    sources(u"SASL authentication failures by username"_s, s.authFailuresByUser, incidents);
    sources(u"Relay access denied by client"_s, s.relayDenials, tries);
    sources(u"RBL hits by client"_s, s.rblHits, tries);
    sources(u"Connection and DNS problems by destination"_s, s.connectivity, tries);
    sources(u"Client warnings, lost connections and screening by client"_s, s.clientIncidents, incidents);
}

} // namespace

int runStats(const QStringList &args)
{
    const QString command = u"stats"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Summarize the messages matching the filters: totals by status, traffic per hour "
                                     "and day, top senders and domains, deferral and bounce reasons, rejects, SASL "
                                     "authentication failures, connection problems and delays. A message that went through a content "
                                     "filter (or a relay of the same logs) counts once: received at its first hop, "
                                     "delivered at its last."_s);
    addCommonOptions(parser);
    addFilterOptions(parser);
    parser.addOption({u"format"_s, u"Output format: text (default), a report as pflogsumm prints one, or json (its keys: "
                                   "see the README). The hourly traffic (the text's per-hour rows, JSON's by_hour, "
                                   "each entry with its hour) holds the hours a summary of one day spans, and all 24 over "
                                   "several days, each adding up that hour of every day."_s,
                      u"FORMAT"_s, u"text"_s});
    parser.addOption({u"limit"_s, u"Print at most N lines of each top list (default: 10)."_s, u"N"_s});
    parser.addOption({u"from-rows"_s, u"Count every number from the rows of the cache, even without a filter, instead of "
                                      "from the numbers the imports kept (slower; to check those)."_s});
    parser.addOption({u"verbose"_s, u"Also print, on standard error, what the numbers were counted from."_s});
    parser.addPositionalArgument(u"LOG"_s, u"Import these logs first and summarize only their messages."_s, u"[LOG...]"_s);
    if (int rc = parseArgs(parser, command, args); rc >= 0)
        return rc;
    const QString format = outputFormat(parser, command, {u"text"_s, u"json"_s});
    if (format.isEmpty())
        return UsageError;
    Filter filter;
    if (!buildFilter(parser, command, filter))
        return UsageError;
    int top = 10;
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        const qlonglong asked = parser.value(u"limit"_s).toLongLong(&ok);
        if (!ok || asked < 1) {
            complain(u"mailtrail-cli stats: --limit wants the number of lines of each list, 1 or more"_s);
            return UsageError;
        }
        // Lists are read with room to spare (twice the limit, in SQL): a huge number means "all",
        // and must not overflow on the way.
        top = static_cast<int>(std::min<qlonglong>(asked, MaxTopLimit));
    }
    const QStringList logs = parser.positionalArguments();
    Cache cache;
    if (!openCache(cache, parser, command, logs.isEmpty() ? CacheNeed::MustExist : CacheNeed::MayCreate))
        return CacheError;
    int rc = Ok;
    if (!logs.isEmpty()) {
        rc = importLogs(cache, parser, logs, true);
        if (rc == CacheError || rc == UsageError)
            return rc;
        std::vector<std::string> paths;
        for (const QString &l : logs)
            paths.push_back(l.toStdString());
        filter.fileIds = cache.fileIdsFor(paths);
        if (filter.fileIds.empty()) {
            complain(u"mailtrail-cli stats: none of the given logs is in the cache, so there is nothing to summarize"_s);
            return rc == Ok ? InputError : rc;
        }
    }
    resolveLogClockTimes(parser, command, cache, filter);
    if (!filter.text.empty() && cache.canBuildIndexes())
        cache.ensureTextIndex();
    StatsQueries queries(cache);
    queries.setTopLimit(top);
    queries.setFromRows(parser.isSet(u"from-rows"_s));
    Stats stats;
    if (!queries.compute(filter, stats)) {
        complain(u"mailtrail-cli: "_s + str(queries.error()));
        return CacheError;
    }
    // When the problems peaked, by the rule the Summary follows (ProblemPeak).
    const std::optional<ProblemPeak> peak = ProblemPeak::of(cache, filter, stats);
    // Every time of the report in the clock of the log its line came from (LineClock).
    LineClock clock(cache, filter, stats);
    const QString problemStart = firstProblem(clock, stats);
    // Zeros with no word would contradict the chart, which counts every try: as messages and
    // deliveries do, say when --tried-as would count what --code found none of.
    if (stats.recipients == 0)
        hintTriedAs(cache, Grain::Deliveries, filter, command);
    if (parser.isSet(u"verbose"_s)) {
        QTextStream(stderr) << (queries.source() == StatsQueries::Source::Snapshot
                                    ? u"counted from the numbers kept by the imports (%1 parts) and the open messages' rows\n"_s.arg(
                                          queries.snapshotParts())
                                    : u"counted from the rows\n"_s);
    }
    // The lines of other programs (dovecot, amavis) each log in scope held, all of them: what
    // import prints only the first few of.
    std::map<std::string, std::uint64_t> others;
    qsizetype logCount = 0;
    for (const FileRow &f : cache.files()) {
        if (filter.fileIds.empty() || std::find(filter.fileIds.begin(), filter.fileIds.end(), f.id) != filter.fileIds.end()) {
            ++logCount;
            for (const ProgramLines &p : f.otherPrograms)
                others[p.program] += p.lines;
        }
    }
    std::vector<std::pair<std::string, std::uint64_t>> programs(others.begin(), others.end());
    std::stable_sort(programs.begin(), programs.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QTextStream out(stdout);
    if (format == u"json"_s) {
        QJsonObject o = toJson(stats, clock, peak, problemStart);
        if (!programs.empty()) {
            QJsonArray list;
            for (const auto &[program, lines] : programs)
                list.append(QJsonObject{{u"program"_s, str(program)}, {u"lines"_s, qint64(lines)}});
            o[u"other_programs"_s] = list;
        }
        out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        printText(out, stats, clock, peak, problemStart, logCount);
        if (!programs.empty()) {
            out << "\nLines of other programs\n-----------------------\n";
            for (const auto &[program, lines] : programs)
                out << u"%1  %2\n"_s.arg(count(static_cast<std::int64_t>(lines)), 8).arg(str(program));
        }
    }
    return rc;
}

} // namespace mailtrail::cli
