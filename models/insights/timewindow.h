// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace mailtrail {

// What happened (a try, a refused message, a failed login) within a span of log time back from
// the newest entry, for the insight rules to count.
//
// Entries come far out of time order: a message reaches the rules at its last line, after tries
// made minutes or hours before; syslog lines are a few seconds apart in either direction; a
// rotated log's last lines are read late. A list kept in time order would be searched and shifted
// for each late entry, and a busy server has a hundred thousand tries in a window: the entries
// are a min-heap on time instead, so that adding one costs a logarithm however late it is, and
// the oldest leave first. The failed ones are counted as they come and go.
class TimeWindow
{
public:
    struct Entry {
        std::int64_t timeMs = 0;
        bool failed = false;
        std::int64_t messageId = 0;  // 0: none (a failed login)
    };

    // Adds `e`, then drops what is older than `spanMs` before the newest entry.
    void add(Entry e, std::int64_t spanMs)
    {
        m_heap.push_back(e);
        std::push_heap(m_heap.begin(), m_heap.end(), Later{});
        m_failed += e.failed ? 1 : 0;
        m_newestMs = std::max(m_newestMs, e.timeMs);
        expireBefore(m_newestMs - spanMs);
    }

    // Drops the entries older than `fromMs`.
    void expireBefore(std::int64_t fromMs)
    {
        while (!m_heap.empty() && m_heap.front().timeMs < fromMs) {
            m_failed -= m_heap.front().failed ? 1 : 0;
            std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
            m_heap.pop_back();
        }
    }

    bool empty() const { return m_heap.empty(); }
    std::size_t size() const { return m_heap.size(); }
    std::size_t failed() const { return m_failed; }
    // The latest time ever added (kept when the entries expire); 0 before the first.
    std::int64_t newestMs() const { return m_newestMs == Never ? 0 : m_newestMs; }

    // The messages of the entries (the failed ones only, when asked), in time order, each once,
    // at most `max`: what the insight is about. Made when an insight fires, not for each entry.
    std::vector<std::int64_t> messageIds(bool failedOnly, std::size_t max) const
    {
        std::vector<Entry> inOrder;
        inOrder.reserve(m_heap.size());
        for (const Entry &e : m_heap) {
            if (e.messageId && (!failedOnly || e.failed))
                inOrder.push_back(e);
        }
        std::sort(inOrder.begin(), inOrder.end(),
                  [](const Entry &a, const Entry &b) { return a.timeMs < b.timeMs; });
        std::vector<std::int64_t> ids;
        std::vector<std::int64_t> seen;
        for (const Entry &e : inOrder) {
            if (ids.size() >= max)
                break;
            const auto at = std::lower_bound(seen.begin(), seen.end(), e.messageId);
            if (at != seen.end() && *at == e.messageId)
                continue;
            seen.insert(at, e.messageId);
            ids.push_back(e.messageId);
        }
        return ids;
    }

private:
    static constexpr std::int64_t Never = std::numeric_limits<std::int64_t>::min();
    // std::push_heap keeps the greatest first: "greater" is the earlier time.
    struct Later {
        bool operator()(const Entry &a, const Entry &b) const { return a.timeMs > b.timeMs; }
    };

    std::vector<Entry> m_heap;
    std::size_t m_failed = 0;
    std::int64_t m_newestMs = Never;
};

} // namespace mailtrail
