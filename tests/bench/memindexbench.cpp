// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-memindexbench --cache FILE [--runs N]
//
// The index of addresses in memory (MemoryIndex, docs/store.md) against SQLite, side by side in one
// process on the same cache: how long the index takes to read and what it holds, then for each
// address filter of the window the three questions a filter change asks (the count, the first
// screen of 40 rows in time order, the chart by outcome), answered by a connection that uses the
// index and by one that does not. Each run asks another filter in between, so that the index's
// selection is made anew (each connection of the window makes it once per filter). The answers
// must be equal: the bench says "differ" when they are not. Then the chart alone of the filters
// whose table SQLite answers (a status, a code, a time range), from both.
#include "cache/cache.h"
#include "cache/filter.h"
#include "cache/memoryindex.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

using namespace mailtrail;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

long rssKiB()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * 4;
}

struct Answer {
    std::int64_t count = 0;
    std::vector<std::int64_t> firstScreen;
    std::vector<std::string> chart;
    bool operator==(const Answer &) const = default;
};

// The median time of `runs` answers, and the last answer.
double timed(Cache &cache, const Filter &f, int runs, Answer &a)
{
    std::vector<double> times;
    Filter other;
    other.sender = "\x01";  // matches nothing: only makes the next selection anew
    for (int i = 0; i < runs; ++i) {
        cache.count(Grain::Messages, other);
        const auto t = Clock::now();
        a.count = cache.count(Grain::Messages, f);
        a.firstScreen.clear();
        for (const MessageRow &r : cache.messages(f, Sort{SortKey::Time, false}, 0, 40))
            a.firstScreen.push_back(r.id);
        a.chart.clear();
        for (const ChartCell &c : cache.chartData(f, ChartGroup::Outcome).cells)
            a.chart.push_back(std::to_string(c.minute) + c.key + std::to_string(c.count));
        times.push_back(msSince(t));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    std::string path;
    int runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--cache") == 0)
            path = argv[i + 1];
        else if (std::strcmp(argv[i], "--runs") == 0)
            runs = std::max(1, std::atoi(argv[i + 1]));
    }
    if (path.empty()) {
        std::fprintf(stderr, "usage: mailtrail-memindexbench --cache FILE [--runs N]\n");
        return 2;
    }
    Cache memory, sqlite;
    if (!memory.open(path) || !sqlite.open(path) || !memory.ensureDeferredIndexes()) {
        std::fprintf(stderr, "memindexbench: %s\n", memory.error().empty() ? sqlite.error().c_str() : memory.error().c_str());
        return 3;
    }
    sqlite.setMemoryIndexUsed(false);
    const long rssBefore = rssKiB();
    const auto loadStart = Clock::now();
    if (!memory.buildMemoryIndex()) {
        std::fprintf(stderr, "memindexbench: no index: %s\n",
                     memory.error().empty() ? "an import is under way, or the cache holds chains" : memory.error().c_str());
        return 3;
    }
    const double loadMs = msSince(loadStart);
    const auto index = MemoryIndex::published(canonicalPath(path));
    std::printf("read: %.0f ms; %zu messages, %zu deliveries; held %.1f MiB (RSS +%.1f MiB)\n", loadMs,
                index->messageCount(), index->deliveryCount(), static_cast<double>(index->bytes()) / 1048576.0,
                static_cast<double>(rssKiB() - rssBefore) / 1024.0);

    struct Case {
        const char *name;
        std::function<void(Filter &)> set;
    };
    const std::vector<Case> cases = {
        {"sender substring example.com", [](Filter &f) { f.sender = "example.com"; }},
        {"sender domain *@gmail.com", [](Filter &f) { f.sender = "*@gmail.com"; }},
        {"recipient substring example.net", [](Filter &f) { f.recipient = "example.net"; }},
        {"recipient substring example.org", [](Filter &f) { f.recipient = "example.org"; }},
        {"recipient domain *@gmail.com", [](Filter &f) { f.recipient = "*@gmail.com"; }},
        {"sender and recipient", [](Filter &f) { f.sender = "example.com"; f.recipient = "*@gmail.com"; }},
    };
    std::printf("\n| filter | rows | SQLite: count + screen + chart, ms | memory, ms | ratio |\n|---|---|---|---|---|\n");
    for (const Case &c : cases) {
        Filter f;
        c.set(f);
        Answer fromSql, fromMemory;
        const double sqlMs = timed(sqlite, f, runs, fromSql);
        const double memMs = timed(memory, f, runs, fromMemory);
        std::printf("| %s | %lld%s | %.1f | %.1f | %.3f |\n", c.name, static_cast<long long>(fromSql.count),
                    fromSql == fromMemory ? "" : " (differ)", sqlMs, memMs, memMs / sqlMs);
    }

    // The chart of the filters whose table SQLite answers from its indexes (9–30 ms): the chart
    // alone, as the window's chart asks it.
    std::int64_t newest = 0;
    for (const MessageRow &r : sqlite.messages(Filter{}, Sort{SortKey::Time, true}, 0, 1))
        newest = r.firstSeenMs;
    std::int64_t oldest = newest;
    for (const MessageRow &r : sqlite.messages(Filter{}, Sort{SortKey::Time, false}, 0, 1))
        oldest = r.firstSeenMs;
    const std::int64_t tenth = (newest - oldest) / 10;
    const std::vector<Case> charts = {
        {"status bounced", [](Filter &f) { f.statuses = {"bounced"}; }},
        {"code 5xx", [](Filter &f) { f.code = "5xx"; }},
        {"code 5.7.1", [](Filter &f) { f.code = "5.7.1"; }},
        {"the last tenth", [newest, tenth](Filter &f) { f.sinceMs = newest - tenth; }},
        {"deferred, sender example.com", [](Filter &f) { f.statuses = {"deferred"}; f.sender = "example.com"; }},
    };
    std::printf("\n| chart of | tries | SQLite, ms | memory, ms | ratio |\n|---|---|---|---|---|\n");
    for (const Case &c : charts) {
        Filter f;
        c.set(f);
        std::vector<std::string> fromSql, fromMemory;
        std::int64_t tries = 0;
        const auto chartMs = [&](Cache &cache, std::vector<std::string> &cells) {
            std::vector<double> times;
            for (int i = 0; i < runs; ++i) {
                const auto t = Clock::now();
                const ChartData data = cache.chartData(f, ChartGroup::Outcome);
                times.push_back(msSince(t));
                cells.clear();
                tries = 0;
                for (const ChartCell &cell : data.cells) {
                    cells.push_back(std::to_string(cell.minute) + cell.key + std::to_string(cell.count));
                    tries += cell.count;
                }
            }
            std::sort(times.begin(), times.end());
            return times[times.size() / 2];
        };
        const double sqlMs = chartMs(sqlite, fromSql);
        const double memMs = chartMs(memory, fromMemory);
        std::printf("| %s | %lld%s | %.1f | %.1f | %.3f |\n", c.name, static_cast<long long>(tries),
                    fromSql == fromMemory ? "" : " (differ)", sqlMs, memMs, memMs / sqlMs);
    }
    memory.dropMemoryIndex();
    return 0;
}
