// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <unordered_map>
#include <vector>

namespace mailtrail {

// The rows of a table model, fetched from the cache a page at a time as the view asks for them
// and forgotten least-recently-used first: memory stays flat however many rows the filter has.
template<typename Row>
class PageCache
{
public:
    static constexpr std::int64_t PageSize = 256;
    static constexpr std::size_t MaxPages = 64;
    // `previous`: the last row of the page before, when it is held (lets the fetch seek to it).
    using Fetch = std::function<std::vector<Row>(std::int64_t offset, std::int64_t limit, const Row *previous)>;

    explicit PageCache(Fetch fetch)
        : m_fetch(std::move(fetch))
    {
    }

    // The row, or nullptr when the cache returned fewer rows than the count promised (the data
    // changed under us; the model recounts on the next refresh).
    const Row *row(std::int64_t index)
    {
        const std::int64_t page = index / PageSize;
        auto it = m_pages.find(page);
        if (it == m_pages.end()) {
            if (m_pages.size() >= MaxPages) {
                m_pages.erase(m_lru.back());
                m_lru.pop_back();
            }
            const Row *previous = nullptr;
            if (auto before = m_pages.find(page - 1); before != m_pages.end() && !before->second.rows.empty())
                previous = &before->second.rows.back();
            std::vector<Row> rows = m_fetch(page * PageSize, PageSize, previous);
            m_lru.push_front(page);
            it = m_pages.emplace(page, Entry{std::move(rows), m_lru.begin()}).first;
        } else if (it->second.lru != m_lru.begin()) {
            m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        }
        const std::vector<Row> &rows = it->second.rows;
        const auto local = static_cast<std::size_t>(index - page * PageSize);
        return local < rows.size() ? &rows[local] : nullptr;
    }

    // Whether the page of this row is in memory (row() answers it without a fetch).
    bool holds(std::int64_t index) const { return m_pages.count(index / PageSize) > 0; }
    // The last row of the page before this row's, when that page is held (a fetch can seek past it).
    const Row *lastBefore(std::int64_t index) const
    {
        auto before = m_pages.find(index / PageSize - 1);
        return before != m_pages.end() && !before->second.rows.empty() ? &before->second.rows.back() : nullptr;
    }

    // Keeps rows read elsewhere (another thread's connection) as this page, as if fetched.
    void put(std::int64_t page, std::vector<Row> rows)
    {
        if (auto it = m_pages.find(page); it != m_pages.end()) {
            m_lru.erase(it->second.lru);
            m_pages.erase(it);
        } else if (m_pages.size() >= MaxPages) {
            m_pages.erase(m_lru.back());
            m_lru.pop_back();
        }
        m_lru.push_front(page);
        m_pages.emplace(page, Entry{std::move(rows), m_lru.begin()});
    }

    void clear()
    {
        m_pages.clear();
        m_lru.clear();
    }

    std::size_t pagesHeld() const { return m_pages.size(); }

private:
    struct Entry {
        std::vector<Row> rows;
        std::list<std::int64_t>::iterator lru;
    };
    Fetch m_fetch;
    std::unordered_map<std::int64_t, Entry> m_pages;
    std::list<std::int64_t> m_lru;
};

} // namespace mailtrail
