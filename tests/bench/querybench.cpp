// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-querybench --cache FILE [--runs N] [--deliveries] [--plans] [--match TEXT] [--text]
//
// Times what the window does on a cache: apply a filter (counts and the first screen of rows
// through MessageTableModel, or DeliveryTableModel with --deliveries, scoped to every file like an
// opened log set), then jump to rows spread over the whole result as a scrollbar drag would.
// Prints the time of the filter's first application (what the cache gathers once per filter
// included), then the median of N runs per step, and the status chart's time for the same filter
// (the aggregation in SQL and the bucketing, as the window's chart model does them off its thread).
// --plans: SQLite's query plan of each filter's count, first page and chart, under its figures.
// --match: only the filters whose name contains TEXT ("tried").
// --chart-only: the chart's time alone (no table), with its cells and tries counted, so that two
// builds' charts can be checked equal.
// --memory: with the index of addresses, statuses, codes and tries in memory that the window
// reads after an import (MemoryIndex): its read is timed, and a filter it answers says so ("mem").
// --sort-recipient: with --deliveries, the table sorted by recipient (its header clicked), not by
// time.
// --text: a free text's matches (Cache::prepareTextFilter) gathered and timed before the first
// application, which then times the rest.
#include "cache/chartplan.h"
#include "cache/sqlite.h"
#include "chartmodel.h"
#include "deliverytablemodel.h"
#include "messagetablemodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

double medianMs(int runs, const std::function<void()> &step)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        step();
        times.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// The first screen of a filtered view: 40 rows, every column, as a view paints them.
void paintScreen(const CacheTableModel &model, int top)
{
    for (int row = top; row < std::min(top + 40, model.rowCount()); ++row) {
        for (int c = 0; c < model.columnCount(); ++c)
            (void)model.index(row, c).data();
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype cacheAt = args.indexOf(u"--cache"_s);
    if (cacheAt < 0 || cacheAt + 1 >= args.size()) {
        std::fprintf(stderr, "usage: mailtrail-querybench --cache FILE [--runs N] [--deliveries] [--plans] [--match TEXT] [--chart-only] [--chains] [--memory] [--sort-recipient] [--text] [--scope-first]\n");
        return 2;
    }
    const qsizetype runsAt = args.indexOf(u"--runs"_s);
    const int runs = runsAt > 0 && runsAt + 1 < args.size() ? args.at(runsAt + 1).toInt() : 5;
    auto cache = std::make_shared<Cache>();
    if (!cache->open(args.at(cacheAt + 1).toStdString())) {
        std::fprintf(stderr, "querybench: %s\n", cache->error().c_str());
        return 3;
    }
    // Every index the window has once its import job is done (no-ops when they exist).
    if (!cache->ensureDeferredIndexes() || !cache->ensureTextIndex()) {
        std::fprintf(stderr, "querybench: %s\n", cache->error().c_str());
        return 3;
    }
    std::vector<std::int64_t> allFiles;
    for (const FileRow &f : cache->files())
        allFiles.push_back(f.id);
    if (allFiles.empty()) {
        std::fprintf(stderr, "querybench: the cache holds no log\n");
        return 3;
    }
    const bool memory = args.contains(u"--memory"_s);
    if (memory) {
        QElapsedTimer read;
        read.start();
        if (!cache->buildMemoryIndex()) {
            std::fprintf(stderr, "querybench: no index in memory: %s\n", cache->error().c_str());
            return 3;
        }
        QTextStream(stdout) << "index in memory read in " << read.elapsed() / 1000.0 << " s\n";
    } else {
        cache->setMemoryIndexUsed(false);
    }

    struct Case {
        const char *name;
        std::function<void(Filter &)> set;
    };
    const std::vector<Case> cases{
        {"no filter", [](Filter &) {}},
        {"sender substring 'example.com'", [](Filter &f) { f.sender = "example.com"; }},
        {"sender prefix 'petra*'", [](Filter &f) { f.sender = "petra*"; }},
        {"sender domain '*@gmail.com'", [](Filter &f) { f.sender = "*@gmail.com"; }},
        {"recipient '*@gmail.com'", [](Filter &f) { f.recipient = "*@gmail.com"; }},
        {"recipient substring 'example.org'", [](Filter &f) { f.recipient = "example.org"; }},
        // The window bench's recipient filter: a domain the generator writes, a tenth of the mail.
        {"recipient substring 'example.net'", [](Filter &f) { f.recipient = "example.net"; }},
        {"recipient glob 'a*@*.net'", [](Filter &f) { f.recipient = "a*@*.net"; }},
        {"status bounced", [](Filter &f) { f.statuses = {"bounced"}; }},
        {"status deferred,expired", [](Filter &f) { f.statuses = {"deferred", "expired"}; }},
        {"code 5xx", [](Filter &f) { f.code = "5xx"; }},
        {"code 55x", [](Filter &f) { f.code = "55x"; }},
        {"code 4.2.2", [](Filter &f) { f.code = "4.2.2"; }},
        {"code 5.7.1", [](Filter &f) { f.code = "5.7.1"; }},
        {"code 5.1", [](Filter &f) { f.code = "5.1"; }},
        {"text 'spamhaus'", [](Filter &f) { f.text = "spamhaus"; }},
        {"text 'gmail com' (two words)", [](Filter &f) { f.text = "gmail com"; }},
        {"text 'gmail.com' (checked whole)", [](Filter &f) { f.text = "gmail.com"; }},
        {"last hour", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             f.sinceMs = cache->timeRange(scope).second - 3600 * 1000;
         }},
        {"bounced + '*@gmail.com'", [](Filter &f) {
             f.statuses = {"bounced"};
             f.recipient = "*@gmail.com";
         }},
        {"5xx + sender 'example.com'", [](Filter &f) {
             f.code = "5xx";
             f.sender = "example.com";
         }},
        {"deferred + text 'spamhaus'", [](Filter &f) {
             f.statuses = {"deferred"};
             f.text = "spamhaus";
         }},
        {"4xx + first day", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             f.code = "4xx";
             f.untilMs = cache->timeRange(scope).first + 24 * 3600 * 1000;
         }},
        // The tries a chart segment counts (Filter::tried*): the minute, hour or whole log of a click.
        {"tried deferred (any time)", [](Filter &f) { f.triedAs = "deferred"; }},
        {"tried in the last 5 minutes", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             f.triedSinceMs = cache->timeRange(scope).second - 5 * 60000;
         }},
        {"tried 450, 5 minutes mid-log", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             const auto [first, last] = cache->timeRange(scope);
             f.triedSinceMs = first + (last - first) / 2;
             f.triedUntilMs = f.triedSinceMs + 5 * 60000;
             f.triedAs = "450";
         }},
        {"tried 450, 5 minutes at the start", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             f.triedSinceMs = cache->timeRange(scope).first;
             f.triedUntilMs = f.triedSinceMs + 5 * 60000;
             f.triedAs = "450";
         }},
        {"destination 'gmail-smtp-in.l.google.com'", [](Filter &f) { f.destination = "gmail-smtp-in.l.google.com"; }},
        {"reject reason 'RBL'", [](Filter &f) { f.rejectReason = "RBL"; }},
        // The filter bar's other fields and the Summary's links that SQLite alone answers.
        {"TLS yes", [](Filter &f) { f.tls = "yes"; }},
        {"TLS no", [](Filter &f) { f.tls = "no"; }},
        {"SASL user 'a*'", [](Filter &f) { f.saslUser = "a*"; }},
        {"received yes", [](Filter &f) { f.received = "yes"; }},
        {"format 'postfix'", [](Filter &f) { f.format = "postfix"; }},
        // The window's scope when the cache holds other logs than those on show (the first log
        // alone: in a cache of one log, no condition), and the summary's host of the first log.
        {"scope: the first log", [&allFiles](Filter &f) { f.fileIds.assign(1, allFiles.front()); }},
        {"host of the first log", [&cache, &allFiles](Filter &f) {
             const std::vector<std::string> hosts = cache->hostNames({allFiles.front()});
             f.host = hosts.empty() ? std::string() : hosts.front();
         }},
        {"tried deferred, a minute mid-log", [&cache, &allFiles](Filter &f) {
             Filter scope;
             scope.fileIds = allFiles;
             const auto [first, last] = cache->timeRange(scope);
             f.triedSinceMs = (first + (last - first) / 2) / 60000 * 60000;
             f.triedUntilMs = f.triedSinceMs + 60000;
             f.triedAs = "deferred";
         }},
    };
    QTextStream out(stdout);
    const bool deliveries = args.contains(u"--deliveries"_s);
    const bool plans = args.contains(u"--plans"_s);
    const bool chartOnly = args.contains(u"--chart-only"_s);
    const Grain grain = deliveries ? Grain::Deliveries : Grain::Messages;
    Filter everything;
    everything.fileIds = allFiles;
    const std::int64_t total = cache->count(grain, everything);
    out << "cache: " << args.at(cacheAt + 1) << ", " << (deliveries ? "deliveries" : "messages") << ", median of "
        << runs << " runs, milliseconds\n";
    out << u"%1 %2 %3 %4 %5 %6 %7 %8\n"_s.arg(u"filter"_s, -34).arg(u"rows"_s, 9).arg(u"first apply"_s, 12)
               .arg(u"apply+screen"_s, 13).arg(u"jump (10 pos)"_s, 14).arg(u"end"_s, 8).arg(u"scroll/page"_s, 12)
               .arg(u"chart"_s, 8);
    const bool chains = args.contains(u"--chains"_s);
    const bool gatherApart = args.contains(u"--text"_s);
    // The window's scope when the cache holds more logs than it shows: the first log alone.
    const bool scopeFirst = args.contains(u"--scope-first"_s);
    const qsizetype matchAt = args.indexOf(u"--match"_s);
    const QString match = matchAt > 0 && matchAt + 1 < args.size() ? args.at(matchAt + 1) : QString();
    for (const Case &c : cases) {
        if (!QString::fromLatin1(c.name).contains(match))
            continue;
        Filter filter;
        filter.fileIds = scopeFirst ? std::vector<std::int64_t>{allFiles.front()} : allFiles;
        c.set(filter);
        // The window's table joins the hops of a message (content filters, relays) into one row
        // unless the user asks for hops apart: its queries are the ones with chains set.
        filter.chains = chains;
        if (chartOnly) {
            std::int64_t cells = 0, tries = 0;
            const double chart = medianMs(runs, [&] {
                const ChartData data = cache->chartData(filter, ChartGroup::Outcome);
                cells = static_cast<std::int64_t>(data.cells.size());
                tries = 0;
                for (const ChartCell &cell : data.cells)
                    tries += cell.count;
                (void)ChartModel::build(data, ChartGroup::Outcome, filter.sinceMs, filter.untilMs);
            });
            out << u"%1 chart %2 ms, %3 cells, %4 tries\n"_s.arg(QString::fromLatin1(c.name), -34).arg(chart, 8, 'f', 1)
                       .arg(cells).arg(tries);
            out.flush();
            continue;
        }
        // --text: a text's matches gathered first and timed apart (what the first application
        // then leaves is the count and first screen).
        double gathered = -1;
        if (gatherApart && !filter.text.empty()) {
            QElapsedTimer t;
            t.start();
            (void)cache->answersFromMemory(filter);
            gathered = static_cast<double>(t.nsecsElapsed()) / 1e6;
        }
        std::unique_ptr<CacheTableModel> owner;
        if (deliveries)
            owner = std::make_unique<DeliveryTableModel>(cache);
        else
            owner = std::make_unique<MessageTableModel>(cache);
        CacheTableModel &model = *owner;
        if (args.contains(u"--sort-recipient"_s)) {
            if (!deliveries || !model.canSortBy(DeliveryTableModel::RecipientColumn)) {
                std::fprintf(stderr, "querybench: --sort-recipient needs --deliveries and the order indexes\n");
                return 2;
            }
            model.sort(DeliveryTableModel::RecipientColumn, Qt::AscendingOrder);
        }
        // The filter's first application, as when the user sets it: what the cache gathers once
        // per filter and keeps (the text's matches, the chains' sets) is gathered here.
        const double first = medianMs(1, [&] {
            model.setFilter(filter);
            paintScreen(model, 0);
        });
        const double apply = medianMs(runs, [&] {
            model.setFilter(filter);
            paintScreen(model, 0);
        });
        const int rows = model.rowCount();
        // Scrollbar jumps: ten positions over the result, each a fresh page.
        const double jump = medianMs(runs, [&] {
            model.setFilter(filter);
            for (int i = 1; i <= 10; ++i)
                paintScreen(model, static_cast<int>(static_cast<qint64>(rows) * i / 11));
        }) - apply;
        const double end = medianMs(runs, [&] {
            model.setFilter(filter);
            paintScreen(model, std::max(0, rows - 40));
        }) - apply;
        // Scrolling down page by page from three quarters of the way: each new page follows one
        // the model holds, as when the user drags or pages through the result.
        const double scroll = medianMs(runs, [&] {
            model.setFilter(filter);
            for (int top = rows * 3 / 4, i = 0; i < 20 && top < rows; ++i, top += 256)
                paintScreen(model, top);
        }) - apply;
        bool kept = false;
        const double chart = medianMs(runs, [&] {
            const ChartData data = cache->chartData(filter, ChartGroup::Outcome);
            kept = data.fromKept;
            (void)ChartModel::build(data, ChartGroup::Outcome, filter.sinceMs, filter.untilMs);
        });
        // "kept": the chart came from the numbers the imports keep, not from every try's row.
        out << u"%1 %2 %3 %4 %5 %6 %7 %8%9\n"_s.arg(QString::fromLatin1(c.name), -34).arg(rows, 9).arg(first, 12, 'f', 1)
                   .arg(apply, 13, 'f', 1)
                   .arg(jump / 10, 14, 'f', 1).arg(end, 8, 'f', 1).arg(scroll / 20, 12, 'f', 1).arg(chart, 8, 'f', 1)
                   .arg((kept ? u" kept"_s : QString()) + (memory && cache->answersFromMemory(filter) ? u" mem"_s : QString()));
        if (gathered >= 0)
            out << u"    the text's matches gathered first in %1 ms\n"_s.arg(gathered, 0, 'f', 1);
        if (plans) {
            // As the table model decides for its first page (pagedtablemodel.h): walk the time
            // order when a page is found within 200,000 rows of it.
            const bool dense = 256 * total / std::max<std::int64_t>(1, rows) < 200000;
            const auto indented = [](const std::string &plan) -> QString {
                const QString lines = QString::fromStdString(plan).trimmed().replace(u'\n', u"\n      "_s);
                return u"      "_s + lines + u'\n';
            };
            out << u"    count:\n"_s << indented(cache->countPlan(grain, filter)) << u"    first page ("_s
                << (dense ? u"walking time order"_s : u"gathering matches"_s) << u"):\n"_s
                << indented(cache->pagePlan(grain, filter, {}, dense));
            // The chart's, on a connection of its own; every file is in scope, which the cache
            // leaves out of its queries as here.
            try {
                sql::Database db;
                db.open(args.at(cacheAt + 1).toStdString(), true);
                Filter unscoped = filter;
                unscoped.fileIds.clear();
                out << u"    chart:\n"_s << indented(chartPlan(db, unscoped, ChartGroup::Outcome));
            } catch (const sql::Error &e) {
                out << u"    chart: "_s << QString::fromUtf8(e.what()) << u'\n';
            }
        }
        out.flush();
    }
    return 0;
}
