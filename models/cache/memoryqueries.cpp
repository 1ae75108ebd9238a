// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The read side of Cache that the index of addresses in memory answers (MemoryIndex).
#include "cache/cache.h"

#include "cache/memoryindex.h"
#include "cache/sqlite.h"

namespace mailtrail {

// The rows of one filter in one index: the table's count, pages and the chart ask for the same
// filter one after the other.
struct Cache::KeptSelection {
    std::shared_ptr<const MemoryIndex> index;
    Filter filter;  // as the index answers it: through Cache::simplified
    // Of a text, when its matches were gathered: the text index may change with the rows the
    // same (a build it completes), and the matches with it.
    Moment textAt;
    MemoryIndex::Selection rows;
};

bool Cache::buildMemoryIndex(const std::atomic<bool> *cancelled)
{
    m_error.clear();
    try {
        followLayout();
        std::shared_ptr<const MemoryIndex> index = MemoryIndex::load(*m_db, cancelled);
        if (!index)
            return false;
        if (m_memoryIndexKey.empty())
            m_memoryIndexKey = canonicalPath(m_path);
        MemoryIndex::publish(m_memoryIndexKey, std::move(index));
        return true;
    } catch (const sql::Error &e) {
        m_error = sql::describe(e, m_path);
        return false;
    } catch (const std::bad_alloc &) {
        // The queries go on without it, from SQLite.
        m_error = "not enough memory for the index of addresses";
        return false;
    }
}

void Cache::dropMemoryIndex()
{
    dropMemoryIndex(m_path);
    m_memoryIndexCheck = {};
    m_memorySelections = {};
}

void Cache::dropMemoryIndex(const std::string &path)
{
    MemoryIndex::publish(canonicalPath(path), nullptr);
}

std::shared_ptr<const MemoryIndex> Cache::memoryIndexFor(const Filter &filter, bool chart)
{
    if (!m_memoryIndexUsed || !(chart ? MemoryIndex::chartServes(filter) : MemoryIndex::serves(filter)))
        return nullptr;
    // A text's matches are given to it by this connection, which has them in order or not.
    if (!filter.text.empty() && !(m_textMatch.idsRead && m_textMatch.text == filter.text))
        return nullptr;
    if (m_memoryIndexKey.empty())
        m_memoryIndexKey = canonicalPath(m_path);
    std::shared_ptr<const MemoryIndex> index = MemoryIndex::published(m_memoryIndexKey);
    // A selection of an index replaced or dropped would keep its memory.
    for (std::shared_ptr<KeptSelection> &kept : m_memorySelections) {
        if (kept && kept->index != index)
            kept.reset();
    }
    if (!index)
        return nullptr;
    try {
        // The stamp is read again only when the cache changed as this connection sees it.
        const Moment now = moment();
        if (m_memoryIndexCheck.index != index || !(m_memoryIndexCheck.at == now))
            m_memoryIndexCheck = {index, now, MemoryIndex::currentStamp(*m_db) == index->stamp()};
    } catch (const sql::Error &) {
        return nullptr;  // the query in SQL that follows says what is wrong
    }
    return m_memoryIndexCheck.current ? index : nullptr;
}

const MemorySelection &Cache::memorySelection(const std::shared_ptr<const MemoryIndex> &index, const Filter &filter)
{
    const Moment textAt = filter.text.empty() ? Moment{} : m_textMatch.at;
    const auto same = [&](const std::shared_ptr<KeptSelection> &kept) {
        return kept && kept->index == index && kept->filter == filter && kept->textAt == textAt;
    };
    if (same(m_memorySelections[1])) {
        std::swap(m_memorySelections[0], m_memorySelections[1]);
    } else if (!same(m_memorySelections[0])) {
        auto s = std::make_shared<KeptSelection>();
        s->index = index;
        s->filter = filter;
        s->textAt = textAt;
        s->rows = index->select(filter, filter.text.empty() ? nullptr : &m_textMatch.ids);
        m_memorySelections[1] = std::move(m_memorySelections[0]);
        m_memorySelections[0] = std::move(s);
    }
    return m_memorySelections[0]->rows;
}

bool Cache::answersFromMemory(const Filter &filter)
{
    prepareTextFilter(filter);
    return memoryIndexFor(simplified(filter, true)) != nullptr;
}

bool Cache::chartsFromMemory(const Filter &filter)
{
    prepareTextFilter(filter);
    return memoryIndexFor(simplified(filter, true), true) != nullptr;
}

} // namespace mailtrail
