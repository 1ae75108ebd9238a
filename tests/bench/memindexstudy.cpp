// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-memindexstudy --cache FILE [--runs N]
//
// A study for the 100 ms goal of address filters at a gigabyte (docs/store.md, "An index of the
// addresses in memory"): SQLite finds "example.com" anywhere in 0.75 M senders by testing each one,
// then joins every match to count and chart it. Here the distinct addresses are held once in
// memory, each message and recipient row by an integer; a substring is searched in the distinct
// addresses only, and the messages that hold a match are marked in a bitmap, which then counts,
// finds the first screen in time order, and buckets the tries per minute for the chart.
//
// Side by side in one process, on the same cache: the cache's own count and chart of each filter
// (what the window asks), and the bitmap's. The counts must be equal, or the study says so. The
// in-memory chart buckets the same tries by minute and outcome (a try's last line and each counted
// attempt row), a close stand-in for the chart's work, not its exact rules: its total is printed
// beside the cache's. Also printed: how long the load took and the memory it holds.
#include "cache/cache.h"
#include "cache/filter.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace mailtrail;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double medianMs(int runs, const std::function<void()> &step)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto t = Clock::now();
        step();
        times.push_back(msSince(t));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
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

// Distinct strings, lower-cased, end to end with a '\n' after each: one memmem-style search over
// the whole arena finds every entry that holds a substring, without a call per entry.
class Dictionary
{
public:
    std::uint32_t idOf(std::string_view text)
    {
        std::string lower(text);
        for (char &c : lower)
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        auto [it, added] = m_ids.try_emplace(lower, static_cast<std::uint32_t>(m_starts.size()));
        if (added) {
            m_starts.push_back(static_cast<std::uint32_t>(m_arena.size()));
            m_arena += lower;
            m_arena += '\n';
        }
        return it->second;
    }
    void freeze() { std::unordered_map<std::string, std::uint32_t>().swap(m_ids); }
    std::size_t size() const { return m_starts.size(); }
    std::size_t bytes() const { return m_arena.capacity() + m_starts.capacity() * sizeof(std::uint32_t); }

    // Every entry that contains `needle` (lower-case ASCII); `suffix`: that ends with it.
    std::vector<bool> matching(std::string_view needle, bool suffix) const
    {
        std::vector<bool> hit(m_starts.size());
        const std::boyer_moore_horspool_searcher searcher(needle.begin(), needle.end());
        auto from = m_arena.begin();
        while (true) {
            const auto found = std::search(from, m_arena.end(), searcher);
            if (found == m_arena.end())
                break;
            const auto at = static_cast<std::uint32_t>(found - m_arena.begin());
            // The entry holding it: the last start at or before it.
            const auto entry = static_cast<std::size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), at) -
                                                        m_starts.begin() - 1);
            const std::size_t end = m_arena.find('\n', at);
            if (!suffix || end == at + needle.size())
                hit[entry] = true;
            from = m_arena.begin() + static_cast<std::ptrdiff_t>(end + 1);  // one hit per entry is enough
        }
        return hit;
    }

private:
    std::unordered_map<std::string, std::uint32_t> m_ids;
    std::string m_arena;
    std::vector<std::uint32_t> m_starts;
};

constexpr std::uint32_t None = UINT32_MAX;

struct Index {
    // Per message, by its position in id order.
    std::vector<std::int64_t> ids;
    std::vector<std::uint32_t> sender;         // in senders, or None
    std::vector<std::uint32_t> byFirstSeen;    // positions in the table's time order
    Dictionary senders, recipients;
    // Recipient id -> the positions of the messages that have it (recipient or original
    // recipient), compressed row storage.
    std::vector<std::uint32_t> postingStart, postings;
    // The tries: position of the message, its recipient, minute, outcome (0 delivered, 1
    // deferred, 2 failed).
    std::vector<std::uint32_t> tryMessage, tryRecipient, tryMinute;
    std::vector<std::uint8_t> tryOutcome;
    std::int64_t firstMinute = 0;

    std::size_t bytes() const
    {
        return ids.capacity() * 8 + sender.capacity() * 4 + byFirstSeen.capacity() * 4 + senders.bytes() +
               recipients.bytes() + postingStart.capacity() * 4 + postings.capacity() * 4 +
               tryMessage.capacity() * 4 + tryRecipient.capacity() * 4 + tryMinute.capacity() * 4 +
               tryOutcome.capacity();
    }
};

bool each(sqlite3 *db, const char *sql, const std::function<void(sqlite3_stmt *)> &row)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "memindexstudy: %s\n", sqlite3_errmsg(db));
        return false;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        row(st);
    sqlite3_finalize(st);
    return true;
}

std::string_view text(sqlite3_stmt *st, int col)
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, col))) : std::string_view();
}

int outcomeOf(int status)
{
    // DeliveryStatus: 1 sent, 3 deferred, 4.. bounced, expired, discarded, rejected.
    return status == 1 ? 0 : status == 3 ? 1 : 2;
}

bool load(sqlite3 *db, Index &x)
{
    std::unordered_map<std::int64_t, std::uint32_t> position;
    std::vector<std::int64_t> firstSeen;
    bool ok = each(db, "SELECT id, sender, first_seen FROM messages ORDER BY id", [&](sqlite3_stmt *st) {
        const auto at = static_cast<std::uint32_t>(x.ids.size());
        x.ids.push_back(sqlite3_column_int64(st, 0));
        position.emplace(x.ids.back(), at);
        x.sender.push_back(sqlite3_column_type(st, 1) == SQLITE_NULL ? None : x.senders.idOf(text(st, 1)));
        firstSeen.push_back(sqlite3_column_int64(st, 2));
    });
    x.byFirstSeen.resize(x.ids.size());
    for (std::uint32_t i = 0; i < x.byFirstSeen.size(); ++i)
        x.byFirstSeen[i] = i;
    std::stable_sort(x.byFirstSeen.begin(), x.byFirstSeen.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return firstSeen[a] < firstSeen[b]; });
    x.firstMinute = firstSeen.empty() ? 0 : firstSeen[x.byFirstSeen.front()] / 60000;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (recipient, message position)
    // A recipient tried more than once has every try in attempts (the last among them); one tried
    // once has its try in its row.
    std::unordered_map<std::uint64_t, std::uint32_t> recipientOf;  // (message, idx) -> recipient id
    auto addTry = [&x](std::uint32_t at, std::uint32_t recipient, std::int64_t ms, int status) {
        x.tryMessage.push_back(at);
        x.tryRecipient.push_back(recipient);
        x.tryMinute.push_back(static_cast<std::uint32_t>(ms / 60000 - x.firstMinute));
        x.tryOutcome.push_back(static_cast<std::uint8_t>(outcomeOf(status)));
    };
    // A hand-over to a chain's next hop (a content filter) is no try of the chart's.
    ok = ok && each(db, "SELECT message_id, idx, recipient, orig_recipient, status, coalesce(last_attempt, 0), attempts, "
                        "next_hop IS NOT NULL FROM deliveries", [&](sqlite3_stmt *st) {
                        const std::int64_t id = sqlite3_column_int64(st, 0);
                        const std::uint32_t at = position.at(id);
                        std::uint32_t recipient = None;
                        for (int col : {2, 3}) {
                            if (sqlite3_column_type(st, col) != SQLITE_NULL) {
                                const std::uint32_t r = x.recipients.idOf(text(st, col));
                                pairs.emplace_back(r, at);
                                recipient = recipient == None ? r : recipient;
                            }
                        }
                        const std::int64_t t = sqlite3_column_int64(st, 5);
                        if (sqlite3_column_int(st, 7) != 0)
                            return;
                        if (sqlite3_column_int(st, 6) > 1)
                            recipientOf.emplace((static_cast<std::uint64_t>(id) << 16) ^ static_cast<std::uint64_t>(sqlite3_column_int(st, 1)), recipient);
                        else if (t > 0)
                            addTry(at, recipient, t, sqlite3_column_int(st, 4));
                    });
    ok = ok && each(db, "SELECT message_id, delivery_idx, time, status FROM attempts WHERE counted", [&](sqlite3_stmt *st) {
             const std::int64_t id = sqlite3_column_int64(st, 0);
             const auto r = recipientOf.find((static_cast<std::uint64_t>(id) << 16) ^ static_cast<std::uint64_t>(sqlite3_column_int(st, 1)));
             if (r != recipientOf.end())  // not a hand-over's
                 addTry(position.at(id), r->second, sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3));
         });
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    x.postingStart.assign(x.recipients.size() + 1, 0);
    for (const auto &[r, m] : pairs)
        ++x.postingStart[r + 1];
    for (std::size_t i = 1; i < x.postingStart.size(); ++i)
        x.postingStart[i] += x.postingStart[i - 1];
    x.postings.reserve(pairs.size());
    for (const auto &[r, m] : pairs)
        x.postings.push_back(m);
    x.senders.freeze();
    x.recipients.freeze();
    return ok;
}

struct Answer {
    std::int64_t count = 0;
    std::vector<std::int64_t> firstScreen;  // 40 ids in time order
    std::int64_t tries = 0;
};

// The bitmap's answer: count, the first screen in time order, the chart's buckets (of the
// matching recipients' tries only when `recipients` is given, as the window's chart counts them).
Answer answer(const Index &x, const std::vector<bool> &marked, const std::vector<bool> *recipients,
              std::vector<std::int64_t> &buckets)
{
    Answer a;
    for (std::size_t i = 0; i < marked.size(); ++i)
        a.count += marked[i];
    for (std::uint32_t p : x.byFirstSeen) {
        if (marked[p]) {
            a.firstScreen.push_back(x.ids[p]);
            if (a.firstScreen.size() == 40)
                break;
        }
    }
    std::fill(buckets.begin(), buckets.end(), 0);
    for (std::size_t i = 0; i < x.tryMessage.size(); ++i) {
        const std::uint32_t r = x.tryRecipient[i];
        if (recipients ? r != None && (*recipients)[r] : marked[x.tryMessage[i]]) {
            const std::size_t b = std::min<std::size_t>(x.tryMinute[i], buckets.size() / 3 - 1);
            ++buckets[b * 3 + x.tryOutcome[i]];
            ++a.tries;
        }
    }
    return a;
}

std::vector<bool> bySender(const Index &x, std::string_view needle, bool suffix)
{
    const std::vector<bool> hit = x.senders.matching(needle, suffix);
    std::vector<bool> marked(x.ids.size());
    for (std::size_t i = 0; i < x.sender.size(); ++i)
        marked[i] = x.sender[i] != None && hit[x.sender[i]];
    return marked;
}

std::vector<bool> byRecipient(const Index &x, const std::vector<bool> &hit)
{
    std::vector<bool> marked(x.ids.size());
    for (std::size_t r = 0; r < hit.size(); ++r) {
        if (hit[r]) {
            for (std::uint32_t i = x.postingStart[r]; i < x.postingStart[r + 1]; ++i)
                marked[x.postings[i]] = true;
        }
    }
    return marked;
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
        std::fprintf(stderr, "usage: mailtrail-memindexstudy --cache FILE [--runs N]\n");
        return 2;
    }
    Cache cache;
    if (!cache.open(path) || !cache.ensureDeferredIndexes()) {
        std::fprintf(stderr, "memindexstudy: %s\n", cache.error().c_str());
        return 3;
    }
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "memindexstudy: cannot open %s\n", path.c_str());
        return 3;
    }
    const long rssBefore = rssKiB();
    const auto loadStart = Clock::now();
    Index x;
    if (!load(db, x))
        return 3;
    const double loadMs = msSince(loadStart);
    std::printf("load: %.0f ms; %zu messages, %zu distinct senders, %zu distinct recipients, %zu postings, %zu tries;"
                " held %.1f MiB (RSS +%.1f MiB)\n",
                loadMs, x.ids.size(), x.senders.size(), x.recipients.size(), x.postings.size(), x.tryMessage.size(),
                static_cast<double>(x.bytes()) / 1048576.0, static_cast<double>(rssKiB() - rssBefore) / 1024.0);
    std::vector<std::int64_t> buckets(3 * 60 * 24 * 40);  // 40 days of minutes

    struct Case {
        const char *name;
        std::function<void(Filter &)> set;
        std::function<std::vector<bool>()> mark;
        std::string recipient;  // a recipient filter's needle; "*@..." a suffix
    };
    const std::vector<Case> cases = {
        {"sender substring example.com", [](Filter &f) { f.sender = "example.com"; },
         [&x] { return bySender(x, "example.com", false); }, {}},
        {"sender domain *@gmail.com", [](Filter &f) { f.sender = "*@gmail.com"; },
         [&x] { return bySender(x, "@gmail.com", true); }, {}},
        {"recipient substring example.net", [](Filter &f) { f.recipient = "example.net"; },
         {}, "example.net"},
        {"recipient substring example.org", [](Filter &f) { f.recipient = "example.org"; },
         {}, "example.org"},
        {"recipient domain *@gmail.com", [](Filter &f) { f.recipient = "*@gmail.com"; },
         {}, "*@gmail.com"},
    };
    std::printf("\n| filter | rows (cache / memory) | cache: count | cache: chart | memory: count + screen + chart | chart tries (cache / memory) |\n|---|---|---|---|---|---|\n");
    for (const Case &c : cases) {
        Filter f;
        c.set(f);
        std::int64_t rows = 0;
        const double countMs = medianMs(runs, [&] { rows = cache.count(Grain::Messages, f); });
        std::int64_t cacheTries = 0;
        const double chartMs = medianMs(runs, [&] {
            const ChartData data = cache.chartData(f, ChartGroup::Outcome);
            cacheTries = 0;
            for (const auto &cell : data.cells)
                cacheTries += cell.count;
        });
        Answer a;
        const double memMs = medianMs(runs, [&] {
            if (c.recipient.empty()) {
                a = answer(x, c.mark(), nullptr, buckets);
                return;
            }
            const bool suffix = c.recipient.front() == '*';
            const std::vector<bool> hit =
                x.recipients.matching(std::string_view(c.recipient).substr(suffix ? 1 : 0), suffix);
            a = answer(x, byRecipient(x, hit), &hit, buckets);
        });
        std::printf("| %s | %lld / %lld%s | %.1f | %.1f | %.1f | %lld / %lld |\n", c.name, static_cast<long long>(rows),
                    static_cast<long long>(a.count), rows == a.count ? "" : " (differ)", countMs, chartMs, memMs,
                    static_cast<long long>(cacheTries), static_cast<long long>(a.tries));
    }
    sqlite3_close(db);
    return 0;
}
