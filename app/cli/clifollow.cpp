// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clifollow.h"

#include "changeprinter.h"
#include "clioptions.h"
#include "cliquery.h"
#include "clitable.h"
#include "follower.h"
#include "insights/insightengine.h"
#include "insightservers.h"
#include "insightsettings.h"
#include "ingest/followstate.h"
#include "ingest/ingestor.h"
#include "rowformat.h"
#include "timeformat.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QSocketNotifier>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <vector>
#include <unistd.h>
#include <optional>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

// A signal handler may only write to a pipe; the event loop reads it (the self-pipe trick).
int s_signalPipe[2] = {-1, -1};
// Also read by the import itself: a stop while it waits for another import's lock ends the wait,
// and a stop during a long first read ends it after a committed part.
volatile std::sig_atomic_t s_stopRequested = 0;

void onSignal(int)
{
    s_stopRequested = 1;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(s_signalPipe[1], &byte, 1);
}

bool catchStopSignals()
{
    if (::pipe2(s_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &sa, nullptr) == 0 && ::sigaction(SIGTERM, &sa, nullptr) == 0;
}

// Prints the insights fired since the last call: JSON objects of "type": "alert" in jsonl, a line
// beginning with "alert:" otherwise.
void printAlerts(InsightEngine &engine, const QString &format)
{
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return;
    for (const Insight &i : engine.take()) {
        // An alert is printed when it fires; the window's row grows with the attack instead.
        if (i.update)
            continue;
        const QString time = isoTime(i.timeMs, 0);
        const QString kind = QString::fromLatin1(insightKindName(i.kind));
        const QString severity = i.severity == InsightSeverity::Critical ? u"critical"_s : u"warning"_s;
        if (format == u"jsonl"_s) {
            QJsonObject o{{u"type"_s, u"alert"_s}, {u"time"_s, time}, {u"kind"_s, kind}, {u"severity"_s, severity},
                          {u"subject"_s, qs(i.subject)}, {u"detail"_s, qs(i.detail)},
                          {u"messages"_s, static_cast<qint64>(i.messageIds.size())}};
            if (!i.server.empty())
                o[u"server"_s] = qs(i.server);
            out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        } else {
            out.write(u"alert: %1 %2 %3%4: %5\n"_s.arg(time, severity, kind, i.subject.empty() ? QString() : u' ' + qs(i.subject),
                                                      visible(qs(i.detail)))
                          .toUtf8());
        }
    }
    out.flush();
}

// The rules of --alerts: after each import, the same replay of the cache as the window's Insights
// (Cache::replayForInsights: every try in log time, whatever import it came with), going on from
// where the one before ended. Both fire alike by construction, and the servers of a mixed folder
// are kept apart as the window keeps them.
struct Alerts {
    InsightEngine engine;
    InsightCursor cursor;
    // Every file the follow has read: a rotated log keeps its id under its new name (mail.log.1),
    // and the lines the daemon writes to it until it reopens its log are read under that id.
    std::vector<std::int64_t> fileIds;
};

// One import of the follow; failures said on stderr. Returns the exit status it calls for.
int importBatch(Cache &cache, const ImportOptions &options, const QStringList &files, const QStringList &followed,
                FollowState &carry, ChangePrinter &printer, std::optional<Alerts> &alerts, const QString &format)
{
    std::vector<std::string> paths;
    for (const QString &f : files)
        paths.push_back(f.toStdString());
    const ImportSummary summary = Ingestor::import(
        cache, paths, options, [&printer](const MessageRecord &m) { printer.observe(m); }, {}, carry);
    if (!summary.ok() || summary.undone) {
        printer.discard();
        complain(u"mailtrail-cli: "_s + QString::fromStdString(summary.ok() ? summary.warning : summary.error));
        return summary.ok() ? InputError : CacheError;
    }
    if (!summary.warning.empty())
        complain(u"mailtrail-cli: warning: "_s + QString::fromStdString(summary.warning));
    int rc = Ok;
    for (const FileImport &f : summary.files) {
        if (f.action == FileImport::Action::Failed) {
            complain(u"mailtrail-cli: %1: %2"_s.arg(QString::fromStdString(f.path), QString::fromStdString(f.error)));
            rc = InputError;
        }
    }
    if (!printer.flush(summary)) {
        complain(u"mailtrail-cli: "_s + QString::fromStdString(cache.error()));
        return CacheError;
    }
    if (alerts) {
        std::vector<std::string> all;
        for (const QString &f : followed)
            all.push_back(f.toStdString());
        std::vector<std::int64_t> read = cache.fileIdsFor(all);
        for (const FileImport &f : summary.files) {
            if (f.fileId != 0 && f.action != FileImport::Action::Failed)
                read.push_back(f.fileId);  // a rotated log's old content, under its new name
        }
        for (std::int64_t id : read) {
            if (std::find(alerts->fileIds.begin(), alerts->fileIds.end(), id) == alerts->fileIds.end())
                alerts->fileIds.push_back(id);
        }
        const std::vector<std::int64_t> &ids = alerts->fileIds;
        // None of them imported yet: an empty list would be every log of the cache.
        if (!ids.empty()) {
            alerts->engine.setServerOf(insightServers(cache.files(), ids));
            if (!cache.replayForInsights(
                    ids, alerts->cursor, {},
                    [&alerts](const MessageRecord &m) {
                        alerts->engine.message(m);
                        return true;
                    },
                    [&alerts](const IncidentRecord &i) {
                        alerts->engine.incident(i);
                        return true;
                    })) {
                complain(u"mailtrail-cli: "_s + QString::fromStdString(cache.error()));
                return CacheError;
            }
            printAlerts(alerts->engine, format);
        }
    }
    return rc;
}

} // namespace

int runFollow(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Import the logs, then follow them as they grow and rotate (rename, copytruncate, compression, "
        u"delete and recreate) until SIGINT or SIGTERM, printing each delivery when its status changes. "
        u"What it prints is in the cache: 'deliveries --cache F' shows the same afterwards."_s);
    addCommonOptions(parser);
    addFilterOptions(parser);
    parser.addOption({u"format"_s, u"Output format: table (default), csv or jsonl (one JSON object a line)."_s, u"FORMAT"_s,
                      u"table"_s});
    parser.addOption({u"raw"_s, u"With --format csv, write every value as the log has it."_s});
    parser.addOption({u"alerts"_s, u"Also print insights as they fire (bounce or deferral waves, a destination deferring, "
                                   u"SASL or reject bursts from one IP, a growing queue, silence, blocklist replies): "
                                   u"objects of \"type\": \"alert\" in jsonl, lines starting with 'alert:' otherwise. "
                                   u"The logs' history counts too."_s});
    parser.addOption({u"alert-config"_s, u"Thresholds of --alerts from the [insights] group of this INI file (keys: "
                                         u"failureWindowMinutes, failureMinimum, failureShare, deferringMinutes, "
                                         u"burstWindowMinutes, authFailureBurst, rejectBurst, queueWindowMinutes, "
                                         u"queueMinimum, silenceHours, silenceAfterDeliveries). Without it, the thresholds set in the "
                                         u"window's Settings > Insights."_s,
                      u"FILE"_s});
    parser.addPositionalArgument(u"LOG"_s, u"Log files to follow (they may not exist yet)."_s, u"LOG..."_s);
    if (int rc = parseArgs(parser, u"follow"_s, args); rc >= 0)
        return rc;
    const QString format = outputFormat(parser, u"follow"_s, {u"table"_s, u"csv"_s, u"jsonl"_s});
    if (format.isEmpty())
        return UsageError;
    Filter filter;
    if (!buildFilter(parser, u"follow"_s, filter))
        return UsageError;
    QStringList logs;
    for (const QString &log : parser.positionalArguments())
        logs.append(QFileInfo(log).absoluteFilePath());
    if (logs.isEmpty()) {
        complain(u"mailtrail-cli follow: no log file given"_s);
        return UsageError;
    }
    if (!catchStopSignals()) {
        complain(u"mailtrail-cli follow: cannot catch SIGINT and SIGTERM"_s);
        return CacheError;
    }
    std::optional<Alerts> alerts;
    if (parser.isSet(u"alerts"_s) || parser.isSet(u"alert-config"_s)) {
        InsightThresholds thresholds;
        if (parser.isSet(u"alert-config"_s)) {
            const QString file = parser.value(u"alert-config"_s);
            QSettings settings(file, QSettings::IniFormat);
            if (!QFileInfo(file).isReadable() || settings.status() != QSettings::NoError) {
                complain(u"mailtrail-cli follow: cannot read the alert configuration %1"_s.arg(file));
                return UsageError;
            }
            thresholds = loadInsightThresholds(settings);
        } else {
            // The thresholds the window's Settings > Insights dialog stored.
            QSettings settings(QString::fromLatin1(SettingsOrganization), QString::fromLatin1(SettingsApplication));
            thresholds = loadInsightThresholds(settings);
        }
        alerts.emplace(Alerts{InsightEngine(thresholds), {}, {}});
    }
    Cache cache;
    if (!openCache(cache, parser, u"follow"_s, CacheNeed::MayCreate))
        return CacheError;
    ImportOptions options;
    if (parser.isSet(u"year"_s)) {
        bool ok = false;
        options.year = parser.value(u"year"_s).toInt(&ok);
        if (!ok || options.year < 1970 || options.year > 9999) {
            complain(u"mailtrail-cli: --year wants a year such as 2026, not '%1'"_s.arg(parser.value(u"year"_s)));
            return UsageError;
        }
    }
    options.format = parser.value(u"log-format"_s).toStdString();
    options.isCancelled = [] { return s_stopRequested != 0; };
    options.waiting = [&cache](long pid) {
        complain(u"mailtrail-cli: waiting for another import into %1%2 to finish..."_s.arg(
            QString::fromStdString(cache.path()), pid > 0 ? u" (pid %1)"_s.arg(pid) : QString()));
    };

    // Times without an offset are in the clock of the logs as the cache holds them when the follow
    // starts (of all its logs when it holds none of these yet).
    {
        std::vector<std::string> paths;
        for (const QString &log : logs)
            paths.push_back(log.toStdString());
        filter.fileIds = cache.fileIdsFor(paths);
        resolveLogClockTimes(parser, u"follow"_s, cache, filter);
        filter.fileIds.clear();
    }
    // Watching starts before the first import, so that nothing written meanwhile is missed.
    Follower follower(logs);
    FollowState carry;
    ChangePrinter printer(cache, filter, format, parser.isSet(u"raw"_s));
    int rc = importBatch(cache, options, logs, logs, carry, printer, alerts, format);
    if (rc == CacheError)
        return rc;
    printer.setPrinting(true);
    complain(u"mailtrail-cli: following %1 (stop with Ctrl+C)"_s.arg(parser.positionalArguments().join(u", "_s)));
    QObject::connect(&follower, &Follower::changed, [&](const QStringList &files) {
        if (importBatch(cache, options, files, logs, carry, printer, alerts, format) == CacheError)
            rc = CacheError;
    });
    QEventLoop loop;
    QSocketNotifier stop(s_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&stop, &QSocketNotifier::activated, &loop, &QEventLoop::quit);
    loop.exec();
    // What was written up to the signal is imported too; every import committed its own rows.
    follower.checkNow();
    return rc == CacheError ? rc : Ok;
}

} // namespace mailtrail::cli
