// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/memoryindex.h"

#include "cache/addresspattern.h"
#include "cache/bitwords.h"
#include "cache/charttries.h"
#include "cache/querybuilder.h"
#include "cache/rows.h"
#include "cache/schema.h"
#include "cache/sqlite.h"
#include "cache/statsreplies.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <tuple>

namespace mailtrail {

using namespace bitwords;

namespace {

std::int64_t one(sql::Database &db, const char *query)
{
    sql::Statement st(db, query);
    return st.step() && !st.isNull(0) ? st.int64(0) : 0;
}

std::mutex registryMutex;
std::map<std::string, std::shared_ptr<const MemoryIndex>> &registry()
{
    static std::map<std::string, std::shared_ptr<const MemoryIndex>> indexes;
    return indexes;
}

} // namespace

MemoryIndex::Stamp MemoryIndex::currentStamp(sql::Database &db)
{
    Stamp s;
    s.layout = one(db, "PRAGMA user_version");
    s.lastRun = one(db, "SELECT value FROM meta WHERE key = 'last_run'");
    s.maxId = one(db, "SELECT max(id) FROM messages");
    s.idle = one(db, "SELECT EXISTS(SELECT 1 FROM files WHERE import_run IS NOT NULL)") == 0;
    return s;
}

std::shared_ptr<const MemoryIndex> MemoryIndex::load(sql::Database &db, const std::atomic<bool> *cancelled)
{
    const auto stop = [cancelled] { return cancelled && cancelled->load(); };
    auto x = std::make_shared<MemoryIndex>();
    // The read passes over every row once: through the connection's page cache of 64 MB it costs
    // three times the CPU of a small one (a page copied and a new page of memory touched for each
    // row's page), and it would push out the pages the window's queries keep using.
    const sql::PageCacheScope smallCache(db, 2048);
    sql::Transaction read(db, sql::Transaction::Read);
    x->m_stamp = currentStamp(db);
    // The rows of an import under way are not final; an older layout read as it is lacks columns
    // read here (the tries of its deliveries, its chains), and its chart follows older rules.
    if (!x->m_stamp.idle || x->m_stamp.layout != schema::CurrentVersion || stop())
        return nullptr;

    // Every row's vector sized once, from the rows' counts (an index's pages each: milliseconds):
    // grown by doubling, each held its old and new copies at once, and at 1 GB the read took 190 MB
    // at its peak for an index of 116 (docs/store.md, "The window's memory"). Past 16 M rows the
    // vectors grow as before.
    static constexpr std::int64_t MaxReserved = std::int64_t{1} << 24;
    const auto reserved = [](std::int64_t rows) {
        return static_cast<std::size_t>(std::clamp<std::int64_t>(rows, 0, MaxReserved));
    };
    const std::size_t messageRows = reserved(one(db, "SELECT count(*) FROM messages"));
    const std::size_t deliveryRows = reserved(one(db, "SELECT count(*) FROM deliveries"));
    std::vector<std::int64_t> lastSeen, chainIds;
    for (auto *v : {&x->m_ids, &x->m_firstSeen, &x->m_fileId, &lastSeen, &chainIds})
        v->reserve(messageRows);
    for (auto *v : {&x->m_sender, &x->m_saslUser, &x->m_hostId})
        v->reserve(messageRows);
    x->m_state.reserve(messageRows);
    x->m_chainState.reserve(messageRows);
    x->m_messageFlags.reserve(messageRows);
    {
        // The time order's columns as the table sorts them; a NULL sorts first there.
        constexpr std::int64_t Lowest = std::numeric_limits<std::int64_t>::min();
        sql::Statement st(db, "SELECT id, first_seen, file_id, sender, last_seen, chain_id, state, "
                              "coalesce(chain_state, state), tls_in_id IS NOT NULL, " +
                                  QueryBuilder::clearInCondition("messages") + ", " +
                                  QueryBuilder::receivedCondition("messages") + ", sasl_user, host_id FROM messages ORDER BY id");
        while (st.step()) {
            if ((x->m_ids.size() & 0xffff) == 0 && stop())
                return nullptr;
            x->m_ids.push_back(st.int64(0));
            x->m_firstSeen.push_back(st.isNull(1) ? Lowest : st.int64(1));
            x->m_fileId.push_back(st.isNull(2) ? Lowest : st.int64(2));
            x->m_sender.push_back(st.isNull(3) ? None : x->m_senders.add(st.text(3)));
            lastSeen.push_back(st.isNull(4) ? Lowest : st.int64(4));
            chainIds.push_back(st.isNull(5) ? 0 : st.int64(5));
            x->m_state.push_back(static_cast<std::uint8_t>(st.integer(6)));
            x->m_chainState.push_back(static_cast<std::uint8_t>(st.integer(7)));
            x->m_messageFlags.push_back(static_cast<std::uint8_t>((st.integer(8) != 0 ? TlsIn : 0) |
                                                                  (st.integer(9) != 0 ? ClearIn : 0) |
                                                                  (st.integer(10) != 0 ? ReceivedHere : 0)));
            x->m_saslUser.push_back(st.isNull(11) ? None : x->m_saslUsers.add(st.text(11)));
            // hosts.id counts from 1 as hosts are met: an id beyond 32 bits is a damaged row,
            // which SQLite answers for.
            const std::int64_t host = st.int64(12);
            if (host < 0 || host >= std::int64_t(None))
                return nullptr;
            x->m_hostId.push_back(static_cast<std::uint32_t>(host));
        }
    }
    {
        sql::Statement st(db, "SELECT id, name FROM hosts");
        while (st.step()) {
            if (const std::int64_t id = st.int64(0); id >= 0 && id < std::int64_t(None))
                x->m_hostIds.emplace(std::string(st.text(1)), static_cast<std::uint32_t>(id));
        }
    }
    {
        sql::Statement st(db, "SELECT id, format FROM files WHERE format IS NOT NULL");
        while (st.step())
            x->m_fileFormats.emplace_back(st.int64(0), std::string(st.text(1)));
    }
    x->m_senders.freeze();
    x->m_saslUsers.freeze();
    const auto positionOf = [&x](std::int64_t id) -> std::uint32_t {
        const auto it = std::lower_bound(x->m_ids.begin(), x->m_ids.end(), id);
        return it != x->m_ids.end() && *it == id ? static_cast<std::uint32_t>(it - x->m_ids.begin()) : None;
    };
    // A hop of a chain: the position of the chain's first hop (its own for the first); an id no row
    // has stands for no message (None), as SQL's lookup of it finds none.
    x->m_chainHead.assign(x->m_ids.size(), None);
    x->m_chained = false;
    for (std::size_t m = 0; m < chainIds.size(); ++m) {
        if (chainIds[m] != 0) {
            x->m_chainHead[m] = positionOf(chainIds[m]);
            x->m_laterHop.resize(x->m_ids.size());
            x->m_laterHop[m] = chainIds[m] != x->m_ids[m];
            x->m_chained = true;
        }
    }
    std::vector<std::int64_t>().swap(chainIds);
    {
        sql::Statement st(db, "SELECT message_id, file_id FROM message_files");
        while (st.step()) {
            if (const std::uint32_t m = positionOf(st.int64(0)); m != None)
                x->m_laterFiles.emplace_back(m, st.int64(1));
        }
    }

    // The deliveries as they come (rowid order), then put in message and idx order.
    // The widest fields first: 40 bytes a delivery, not 48 (at 1 GB, 47 MB of the read's peak).
    struct Delivery {
        std::uint32_t message, recipient, orig;
        std::int32_t idx;
        std::uint32_t firstTry, tries;
        std::uint32_t destination;
        Try own{0, 0, 0};
        bool final;
        std::uint8_t codeClass;
        std::uint8_t rejectKind;
        std::uint8_t tls;
    };
    static_assert(sizeof(Delivery) <= 40);
    std::vector<Delivery> deliveries;
    std::vector<std::int64_t> times;  // of the tries; Unknown: a last try without a time
    std::vector<Try> tries;
    deliveries.reserve(deliveryRows);
    times.reserve(deliveryRows + deliveryRows / 8);  // most recipients are tried once
    tries.reserve(deliveryRows + deliveryRows / 8);
    // The destinations (Filter::destination) as statsreplies' remoteHost names them: of a relay,
    // its host, found once per relay; of a try that reached no server ("none", or no relay), the
    // host its reply's "connect to HOST[...]" names, the only reply texts read here.
    std::unordered_map<std::string, std::uint32_t> destinationIds;
    const auto destinationId = [&](const std::optional<std::string> &host) {
        if (!host)
            return None;
        const auto [it, added] = destinationIds.emplace(*host, static_cast<std::uint32_t>(x->m_destinations.size()));
        if (added)
            x->m_destinations.push_back(*host);
        return it->second;
    };
    std::unordered_map<std::int64_t, std::uint32_t> relayDestination;  // "none" has None
    {
        sql::Statement st(db, "SELECT id, name FROM relays");
        while (st.step()) {
            const std::string_view name = st.text(1);
            const std::uint32_t host = name == "none" ? None : destinationId(statsreplies::remoteHost(name, std::nullopt));
            relayDestination.emplace(st.int64(0), host);
        }
    }
    {
        sql::Statement st(db, "SELECT message_id, idx, recipient, orig_recipient, status, attempts, next_hop IS NULL, "
                              "last_attempt, tries, reply_code, dsn_id, code_class, relay_id, "
                              "CASE WHEN relay_id IS NULL OR relay_id IN (SELECT id FROM relays WHERE name = 'none') "
                              "THEN mailtrail_reply(reply_text, recipient) END, "
                              "CASE WHEN status = 5 THEN mailtrail_reply(reply_text, recipient) END, tls_id IS NOT NULL, " +
                                  QueryBuilder::clearOutCondition("") + " FROM deliveries");
        std::vector<ChartTry> counted;
        std::uint32_t hint = None;
        while (st.step()) {
            if ((deliveries.size() & 0xffff) == 0 && stop())
                return nullptr;
            // A message's deliveries are written together: mostly its id is the last one's or the next.
            const std::int64_t messageId = st.int64(0);
            if (hint >= x->m_ids.size() || x->m_ids[hint] != messageId)
                hint = hint + 1 < x->m_ids.size() && x->m_ids[hint + 1] == messageId ? hint + 1 : positionOf(messageId);
            const std::uint32_t message = hint;
            if (message == None)
                continue;  // its message row is gone: the queries' join lists it nowhere
            Delivery &d = deliveries.emplace_back();
            d.message = message;
            d.idx = st.integer(1);
            d.recipient = st.isNull(2) ? None : x->m_recipients.add(st.text(2));
            d.orig = st.isNull(3) ? None : x->m_recipients.add(st.text(3));
            if (d.orig == d.recipient)
                d.orig = None;
            d.firstTry = static_cast<std::uint32_t>(tries.size());
            d.final = st.int64(6) != 0;
            // Its own keys, for the chart's conditions on deliveries (0 and 255: NULL).
            d.own = Try(st.integer(4), st.isNull(9) ? 0 : st.integer(9), st.isNull(10) ? 0 : st.int64(10));
            d.codeClass = st.isNull(11) ? 255 : static_cast<std::uint8_t>(st.integer(11));
            d.destination = None;
            if (d.final) {
                const auto relay = st.isNull(12) ? relayDestination.end() : relayDestination.find(st.int64(12));
                const bool noServer = st.isNull(12) || (relay != relayDestination.end() && relay->second == None);
                if (noServer)
                    d.destination = destinationId(statsreplies::remoteHost(
                        st.isNull(12) ? std::nullopt : std::optional<std::string_view>("none"),
                        st.isNull(13) ? std::nullopt : std::optional<std::string_view>(st.text(13))));
                else if (relay != relayDestination.end())
                    d.destination = relay->second;  // a relay id no row names has none, as in SQL
            }
            // A reject's kind (Filter::rejectReason), as the statistics name it.
            d.rejectKind = NoKind;
            if (st.integer(4) == 5) {
                const std::string_view kind = statsreplies::rejectCategory(
                    st.isNull(14) ? std::nullopt : std::optional<std::string_view>(st.text(14)));
                auto known = std::find(x->m_rejectKinds.begin(), x->m_rejectKinds.end(), kind);
                if (known == x->m_rejectKinds.end())
                    known = x->m_rejectKinds.insert(known, std::string(kind));
                d.rejectKind = static_cast<std::uint8_t>(known - x->m_rejectKinds.begin());
            }
            d.tls = static_cast<std::uint8_t>((st.integer(15) != 0 ? TlsOut : 0) | (st.integer(16) != 0 ? ClearOut : 0));
            // The chart's tries of the row, as mailtrail_chart_tries counts them
            // (chartqueries.cpp, deliveryTriesSql: its conditions, unbounded).
            charttries::DeliveryTries row;
            row.status = st.integer(4);
            row.attempts = st.int64(5);
            row.final = st.int64(6) != 0;
            row.lastKnown = !st.isNull(7) || lastSeen[message] != std::numeric_limits<std::int64_t>::min();
            row.lastMs = !st.isNull(7) ? st.int64(7) : lastSeen[message];
            row.hasRows = !st.isNull(8) && !st.blob(8).empty();
            counted.clear();
            if (row.hasRows) {
                std::int64_t rows = 0;
                row.decoded = charttries::decode(st.blob(8), counted, rows);
                if (!row.decoded)
                    counted.clear();
            }
            const bool charted = row.status >= 0 && row.attempts >= 0 &&
                ((row.status >= 1 && row.status <= 5 && row.final && row.attempts > 0) || !st.isNull(8));
            if (charted) {
                const Try last(row.status, st.isNull(9) ? 0 : st.integer(9), st.isNull(10) ? 0 : st.int64(10));
                charttries::visitCounted(
                    row, counted, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                    [&](std::int64_t) {
                        times.push_back(row.lastKnown ? row.lastMs : Unknown);
                        tries.push_back(last);
                    },
                    [&](std::int64_t, const ChartTry &t) {
                        times.push_back(t.timeMs);
                        tries.emplace_back(t.status, t.replyCode, t.dsnId);
                    });
            }
            d.tries = static_cast<std::uint32_t>(tries.size()) - d.firstTry;
        }
    }
    x->m_recipients.freeze();
    std::vector<std::uint32_t> order(deliveries.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::tie(deliveries[a].message, deliveries[a].idx) < std::tie(deliveries[b].message, deliveries[b].idx);
    });
    x->m_deliveryStart.assign(x->m_ids.size() + 1, 0);
    x->m_deliveryMessage.reserve(deliveries.size());
    x->m_tryStart.reserve(deliveries.size() + 1);
    x->m_tryTime.reserve(times.size());
    x->m_deliveryKeys.reserve(deliveries.size());
    x->m_codeClass.reserve(deliveries.size());
    x->m_destination.reserve(deliveries.size());
    x->m_rejectKind.reserve(deliveries.size());
    x->m_deliveryTls.reserve(deliveries.size());
    x->m_tries.reserve(tries.size());
    std::vector<std::uint32_t> postingCount(x->m_recipients.size() + 1, 0);
    for (std::uint32_t i : order) {
        const Delivery &d = deliveries[i];
        ++x->m_deliveryStart[d.message + 1];
        x->m_deliveryMessage.push_back(d.message);
        x->m_handOver.push_back(!d.final);
        x->m_deliveryKeys.push_back(d.own);
        x->m_codeClass.push_back(d.codeClass);
        x->m_destination.push_back(d.destination);
        x->m_rejectKind.push_back(d.rejectKind);
        x->m_deliveryTls.push_back(d.tls);
        x->m_tryStart.push_back(static_cast<std::uint32_t>(x->m_tryTime.size()));
        x->m_tryTime.insert(x->m_tryTime.end(), times.begin() + d.firstTry, times.begin() + d.firstTry + d.tries);
        x->m_tries.insert(x->m_tries.end(), tries.begin() + d.firstTry, tries.begin() + d.firstTry + d.tries);
        for (std::uint32_t r : {d.recipient, d.orig}) {
            if (r != None)
                ++postingCount[r + 1];
        }
    }
    x->m_tryStart.push_back(static_cast<std::uint32_t>(x->m_tryTime.size()));
    x->m_lastSeen = std::move(lastSeen);
    std::partial_sum(x->m_deliveryStart.begin(), x->m_deliveryStart.end(), x->m_deliveryStart.begin());
    std::partial_sum(postingCount.begin(), postingCount.end(), postingCount.begin());
    x->m_postingStart = postingCount;
    x->m_postings.resize(postingCount.back());
    for (std::uint32_t at = 0; at < order.size(); ++at) {
        const Delivery &d = deliveries[order[at]];
        for (std::uint32_t r : {d.recipient, d.orig}) {
            if (r != None)
                x->m_postings[postingCount[r]++] = at;
        }
    }
    if (stop())
        return nullptr;
    x->m_timeOrder.resize(x->m_ids.size());
    std::iota(x->m_timeOrder.begin(), x->m_timeOrder.end(), 0u);
    std::sort(x->m_timeOrder.begin(), x->m_timeOrder.end(), [&x](std::uint32_t a, std::uint32_t b) {
        return x->keyOf(a) < x->keyOf(b);
    });
    {
        sql::Statement st(db, "SELECT id, name FROM dsns");
        while (st.step())
            x->m_dsnNames.emplace(st.int64(0), std::string(st.text(1)));
    }
    read.commit();
    return x;
}

void MemoryIndex::publish(const std::string &path, std::shared_ptr<const MemoryIndex> index)
{
    const std::lock_guard lock(registryMutex);
    if (index)
        registry()[path] = std::move(index);
    else
        registry().erase(path);
}

std::shared_ptr<const MemoryIndex> MemoryIndex::published(const std::string &path)
{
    const std::lock_guard lock(registryMutex);
    const auto it = registry().find(path);
    return it == registry().end() ? nullptr : it->second;
}

namespace {
bool asksTries(const Filter &filter)
{
    return filter.triedSinceMs != std::numeric_limits<std::int64_t>::min() ||
        filter.triedUntilMs != std::numeric_limits<std::int64_t>::max() || !filter.triedAs.empty();
}

bool asksTime(const Filter &filter)
{
    return filter.sinceMs != std::numeric_limits<std::int64_t>::min() ||
        filter.untilMs != std::numeric_limits<std::int64_t>::max();
}

// `filter` without the conditions that both serves() and chartServes() take: the addresses, the
// statuses, the code, the logs in scope, the host, the format and the time of arrival.
Filter withoutChartedConditions(Filter filter)
{
    filter.sender.clear();
    filter.recipient.clear();
    filter.statuses.clear();
    filter.code.clear();
    filter.fileIds.clear();
    filter.host.clear();
    filter.format.clear();
    filter.sinceMs = std::numeric_limits<std::int64_t>::min();
    filter.untilMs = std::numeric_limits<std::int64_t>::max();
    return filter;
}

bool asksRows(const Filter &filter)
{
    return !filter.statuses.empty() || !filter.code.empty() || !filter.destination.empty() ||
        !filter.rejectReason.empty() || !filter.tls.empty() || !filter.received.empty() || !filter.saslUser.empty() ||
        !filter.fileIds.empty() || !filter.host.empty() || !filter.format.empty() || asksTime(filter);
}
} // namespace

bool MemoryIndex::serves(const Filter &filter)
{
    const bool sender = AddressPattern::of(filter.sender).any();
    const bool recipient = AddressPattern::of(filter.recipient).any();
    Filter rest = withoutChartedConditions(filter);
    rest.triedSinceMs = std::numeric_limits<std::int64_t>::min();
    rest.triedUntilMs = std::numeric_limits<std::int64_t>::max();
    rest.triedAs.clear();
    rest.destination.clear();
    rest.rejectReason.clear();
    rest.tls.clear();
    rest.received.clear();
    rest.saslUser.clear();
    // The text's matches are a set of messages, as SQLite's (QueryBuilder: any hop over chains).
    const bool text = !filter.text.empty() && filter.textIdsReady && !filter.chains;
    if (text) {
        rest.text.clear();
        rest.textMatchReady = false;
        rest.textIdsReady = false;
    }
    return (sender || recipient || asksTries(filter) || asksRows(filter) || text) && rest.isEmpty();
}

MemoryIndex::Selection MemoryIndex::select(const Filter &filter, const std::vector<std::int64_t> *textMatches) const
{
    Selection s = selectAddresses(filter);
    if (asksTries(filter))
        keepToTries(filter, s);
    if (asksRows(filter))
        keepToRows(filter, s);
    if (!filter.text.empty())
        keepToMessages(textMatches ? *textMatches : std::vector<std::int64_t>{}, s);
    return s;
}

void MemoryIndex::keepToMessages(const std::vector<std::int64_t> &ids, Selection &s) const
{
    std::vector<std::uint64_t> kept(s.messages.size(), 0);
    auto at = m_ids.begin();
    for (std::int64_t id : ids) {
        at = std::lower_bound(at, m_ids.end(), id);
        if (at == m_ids.end())
            break;
        if (*at == id)
            setBit(kept, static_cast<std::uint32_t>(at - m_ids.begin()));
    }
    for (std::size_t w = 0; w < s.messages.size(); ++w)
        s.messages[w] &= kept[w];
    s.messageCount = popcount(s.messages);
    if (s.deliveries.empty()) {
        // Every delivery of a kept message.
        s.deliveryCount = 0;
        for (std::size_t w = 0; w < s.messages.size(); ++w) {
            for (std::uint64_t word = s.messages[w]; word; word &= word - 1) {
                const auto m = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
                s.deliveryCount += m_deliveryStart[m + 1] - m_deliveryStart[m];
            }
        }
        return;
    }
    for (std::size_t w = 0; w < s.deliveries.size(); ++w) {
        for (std::uint64_t word = s.deliveries[w]; word; word &= word - 1) {
            const auto d = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            if (!bit(kept, m_deliveryMessage[d]))
                s.deliveries[w] &= ~(std::uint64_t(1) << (d & 63));
        }
    }
    s.deliveryCount = popcount(s.deliveries);
}

MemoryIndex::Selection MemoryIndex::selectAddresses(const Filter &filter) const
{
    Selection s;
    s.messages.assign((m_ids.size() + 63) / 64, 0);
    const AddressPattern sender = AddressPattern::of(filter.sender);
    const AddressPattern recipient = AddressPattern::of(filter.recipient);
    const bool bySender = sender.any();
    // Over chains (QueryBuilder): a chain is listed as its first hop, whose own sender must match
    // and any of whose hops may have a matching recipient; of the deliveries only the final ones
    // are listed, each by its own hop's sender and its own recipient.
    const bool chains = filter.chains && m_chained;
    // The senders that match ("<>": the null sender, an empty one, not a missing one).
    std::vector<bool> senders;
    if (bySender)
        senders = m_senders.matching(sender);
    const auto senderMatches = [&](std::uint32_t message) {
        return !bySender || (m_sender[message] != None && senders[m_sender[message]]);
    };
    const auto listed = [&](std::uint32_t message) { return !chains || m_laterHop.empty() || !m_laterHop[message]; };
    const auto listedDelivery = [&](std::uint32_t d) { return !chains || !m_handOver[d]; };
    if (recipient.kind == AddressPattern::Kind::Null)
        return s;  // no recipient is empty
    if (!recipient.any()) {
        if (chains)
            s.deliveries.assign((m_deliveryMessage.size() + 63) / 64, 0);
        for (std::uint32_t m = 0; m < m_ids.size(); ++m) {
            if (!senderMatches(m))
                continue;
            if (listed(m))
                setBit(s.messages, m);
            for (std::uint32_t d = m_deliveryStart[m]; d < m_deliveryStart[m + 1]; ++d) {
                if (listedDelivery(d)) {
                    ++s.deliveryCount;
                    if (chains)
                        setBit(s.deliveries, d);
                }
            }
        }
        s.messageCount = popcount(s.messages);
        return s;
    }
    s.deliveries.assign((m_deliveryMessage.size() + 63) / 64, 0);
    const std::vector<bool> recipients = m_recipients.matching(recipient);
    for (std::uint32_t r = 0; r < recipients.size(); ++r) {
        if (!recipients[r])
            continue;
        for (std::uint32_t p = m_postingStart[r]; p < m_postingStart[r + 1]; ++p) {
            const std::uint32_t d = m_postings[p];
            const std::uint32_t message = m_deliveryMessage[d];
            if (senderMatches(message) && listedDelivery(d))
                setBit(s.deliveries, d);
            if (!chains) {
                if (senderMatches(message))
                    setBit(s.messages, message);
                continue;
            }
            // The chain the delivery's hop belongs to, listed by its first hop.
            const std::uint32_t head = listedHead(message);
            if (head != None && listed(head) && senderMatches(head))
                setBit(s.messages, head);
        }
    }
    s.messageCount = popcount(s.messages);
    s.deliveryCount = popcount(s.deliveries);
    return s;
}

MemoryIndex::Key MemoryIndex::keyOf(std::uint32_t message) const
{
    return Key{m_firstSeen[message], m_fileId[message], m_ids[message]};
}

template<typename Visit>
void MemoryIndex::walk(const Selection &s, bool descending, std::size_t from, Visit &&visit) const
{
    const std::size_t n = m_timeOrder.size();
    for (std::size_t k = from; k < n; ++k) {
        const std::uint32_t message = m_timeOrder[descending ? n - 1 - k : k];
        if (bit(s.messages, message) && !visit(message))
            return;
    }
}

std::size_t MemoryIndex::positionAfter(const PageAnchor &after, bool descending) const
{
    const Key anchor{after.firstSeenMs, after.fileId, after.messageId};
    const auto less = [this](std::uint32_t message, const Key &key) { return keyOf(message) < key; };
    if (!descending) {
        // The first row with a greater key.
        const auto it = std::upper_bound(m_timeOrder.begin(), m_timeOrder.end(), anchor,
                                         [this](const Key &key, std::uint32_t message) { return key < keyOf(message); });
        return static_cast<std::size_t>(it - m_timeOrder.begin());
    }
    // Backwards, the first row with a smaller key: the one before the first not smaller.
    const auto it = std::lower_bound(m_timeOrder.begin(), m_timeOrder.end(), anchor, less);
    return m_timeOrder.size() - static_cast<std::size_t>(it - m_timeOrder.begin());
}

std::vector<std::int64_t> MemoryIndex::page(const Selection &s, bool descending, std::int64_t offset, std::int64_t limit,
                                            const PageAnchor *after) const
{
    std::vector<std::int64_t> ids;
    if (limit <= 0)
        return ids;
    std::int64_t skip = after ? 0 : std::max<std::int64_t>(offset, 0);
    walk(s, descending, after ? positionAfter(*after, descending) : 0, [&](std::uint32_t message) {
        if (skip > 0) {
            --skip;
            return true;
        }
        ids.push_back(m_ids[message]);
        return static_cast<std::int64_t>(ids.size()) < limit;
    });
    return ids;
}

std::vector<PageAnchor> MemoryIndex::pageAnchors(const Selection &s, bool descending, std::int64_t pageSize) const
{
    std::vector<PageAnchor> anchors;
    if (pageSize <= 0)
        return anchors;
    std::int64_t row = 0;
    walk(s, descending, 0, [&](std::uint32_t message) {
        if (++row % pageSize == 0)
            anchors.push_back(PageAnchor{m_firstSeen[message], m_fileId[message], m_ids[message], -1});
        return true;
    });
    return anchors;
}

std::int64_t MemoryIndex::position(const Selection &s, bool descending, std::int64_t messageId) const
{
    std::int64_t row = 0, found = -1;
    walk(s, descending, 0, [&](std::uint32_t message) {
        if (m_ids[message] == messageId) {
            found = row;
            return false;
        }
        ++row;
        return true;
    });
    return found;
}

void MemoryIndex::chart(const Selection &s, ChartGroup group, ChartTally &into) const
{
    if (!s.deliveries.empty()) {
        countTries(s.deliveries, {s.triesSinceMs, s.triesUntilMs}, group, into);
        return;
    }
    // Every delivery of a marked message.
    Selection named = s;
    nameDeliveries(named);
    countTries(named.deliveries, {}, group, into);
}

void MemoryIndex::nameDeliveries(Selection &s) const
{
    if (!s.deliveries.empty())
        return;
    s.deliveries.assign((m_deliveryMessage.size() + 63) / 64, 0);
    for (std::size_t w = 0; w < s.messages.size(); ++w) {
        for (std::uint64_t word = s.messages[w]; word; word &= word - 1) {
            const auto m = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            for (std::uint32_t d = m_deliveryStart[m]; d < m_deliveryStart[m + 1]; ++d)
                setBit(s.deliveries, d);
        }
    }
}

std::uint32_t MemoryIndex::listedHead(std::uint32_t m) const
{
    if (m_chainHead[m] != None)
        return m_chainHead[m];
    return !m_laterHop.empty() && m_laterHop[m] ? None : m;
}

std::vector<bool> MemoryIndex::statusSet(const std::vector<std::string> &names)
{
    // An unknown status name matches nothing (QueryBuilder: -1).
    std::vector<bool> statuses;
    if (names.empty())
        return statuses;
    statuses.assign(256, false);
    for (const std::string &name : names) {
        int value = 0;
        if (parseStateName(name, value) && value >= 0 && value < 256)
            statuses[static_cast<std::size_t>(value)] = true;
    }
    return statuses;
}

bool MemoryIndex::chartServes(const Filter &filter)
{
    // Over chains, a delivery's time is its chain's arrival: SQL's.
    return chartsSelection(filter) || (!filter.isEmpty() && withoutChartedConditions(filter).isEmpty() && !filter.chains);
}

bool MemoryIndex::chartsSelection(const Filter &filter)
{
    // The chart's time range is one of tries (chartqueries.cpp), the table's one of arrival.
    return serves(filter) && !asksTime(filter);
}

void MemoryIndex::chart(const Filter &filter, ChartGroup group, ChartTally &into) const
{
    if (chartsSelection(filter)) {
        chart(select(filter), group, into);
        return;
    }
    // As the chart's SQL asks for the deliveries (chartqueries.cpp, deliveryTriesSql, with
    // QueryBuilder's delivery grain): of the messages that arrived before the range ends and were
    // last seen in it, those of the filter's addresses, statuses and code; their tries are kept to
    // the range.
    const bool byAddress = AddressPattern::of(filter.sender).any() || AddressPattern::of(filter.recipient).any();
    Selection addresses;
    if (byAddress) {
        Filter only;
        only.sender = filter.sender;
        only.recipient = filter.recipient;
        addresses = select(only);
    }
    const std::vector<bool> statuses = statusSet(filter.statuses);
    const CodeTest code = codeTest(filter.code);
    constexpr std::int64_t Lowest = std::numeric_limits<std::int64_t>::min();
    const std::int64_t since = filter.sinceMs, until = filter.untilMs;
    const std::vector<bool> ofMessage = messagesOf(filter);  // the scope, host and format
    std::vector<std::uint64_t> deliveries((m_deliveryMessage.size() + 63) / 64, 0);
    for (std::uint32_t d = 0; d < m_deliveryMessage.size(); ++d) {
        const std::uint32_t m = m_deliveryMessage[d];
        if (byAddress && (addresses.deliveries.empty() ? !bit(addresses.messages, m) : !bit(addresses.deliveries, d)))
            continue;
        if (!ofMessage.empty() && !ofMessage[m])
            continue;
        if (!statuses.empty() && !statuses[m_deliveryKeys[d].status])
            continue;
        if (!filter.code.empty() && !code.matches(m_codeClass[d], m_deliveryKeys[d]))
            continue;
        if (until != std::numeric_limits<std::int64_t>::max() && !(m_firstSeen[m] != Lowest && m_firstSeen[m] < until))
            continue;
        if (since != Lowest && !(m_lastSeen[m] != Lowest && m_lastSeen[m] >= since))
            continue;
        setBit(deliveries, d);
    }
    countTries(deliveries, {since, until}, group, into);
}

MemoryIndex::CodeTest MemoryIndex::codeTest(const std::string &code) const
{
    // QueryBuilder::addCode: the class, then the enhanced code (whole, or a prefix of it) or the
    // reply codes of the digits given. A code that is none of its forms matches nothing.
    CodeTest t;
    if (code.empty())
        return t;
    if (!isCodeFilter(code)) {
        t.nothing = true;
        return t;
    }
    t.codeClass = code.front() - '0';
    if (code.find('.') != std::string::npos) {
        t.byDsn = true;
        const bool complete = std::count(code.begin(), code.end(), '.') == 2;
        for (const auto &[id, name] : m_dsnNames) {
            if (complete ? name == code : name.starts_with(code + "."))
                t.dsnIds.push_back(static_cast<std::uint32_t>(id));
        }
        std::sort(t.dsnIds.begin(), t.dsnIds.end());
    } else if (const auto range = QueryBuilder::replyCodeRange(code)) {
        t.byReply = true;
        t.low = range->first;
        t.high = range->second;
    }
    return t;
}

bool MemoryIndex::CodeTest::matches(std::uint8_t deliveryClass, const Try &keys) const
{
    if (nothing || deliveryClass == 255 || deliveryClass != codeClass)
        return false;
    if (byDsn)
        return keys.dsnId != 0 && std::binary_search(dsnIds.begin(), dsnIds.end(), keys.dsnId);
    if (byReply)
        return keys.replyCode != 0 && keys.replyCode >= low && keys.replyCode <= high;
    return true;
}

void MemoryIndex::countTries(const std::vector<std::uint64_t> &deliveries, Range range, ChartGroup group,
                             ChartTally &into) const
{
    // By minute and key (a status, a reply code, an enhanced code's id), named once per key.
    std::unordered_map<std::uint64_t, std::int64_t> counts;
    const bool unbounded = range.since == std::numeric_limits<std::int64_t>::min() &&
        range.until == std::numeric_limits<std::int64_t>::max();
    const auto keyOfTry = [group](const Try &t) -> std::uint32_t {
        switch (group) {
        case ChartGroup::Outcome: return t.status;
        case ChartGroup::ReplyCode: return static_cast<std::uint32_t>(charttries::replyKey(t.status, t.replyCode));
        case ChartGroup::EnhancedCode: return t.dsnId;
        }
        return 0;
    };
    for (std::size_t w = 0; w < deliveries.size(); ++w) {
        for (std::uint64_t word = deliveries[w]; word; word &= word - 1) {
            const auto d = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            for (std::uint32_t t = m_tryStart[d]; t < m_tryStart[d + 1]; ++t) {
                const std::int64_t time = m_tryTime[t];
                // A try without a time counts at minute 0 when no range is asked (charttries).
                if (time == Unknown ? !unbounded : time < range.since || time >= range.until)
                    continue;
                const std::int64_t minute = time == Unknown ? 0 : charttries::minuteOf(time);
                const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(minute)) << 32) |
                    keyOfTry(m_tries[t]);
                ++counts[key];
            }
        }
    }
    std::unordered_map<std::uint32_t, std::string> names;
    for (const auto &[key, count] : counts) {
        const auto id = static_cast<std::uint32_t>(key);
        auto [it, added] = names.try_emplace(id);
        if (added)
            it->second = keyName(group, id);
        into.add(group, static_cast<std::int32_t>(static_cast<std::uint32_t>(key >> 32)), it->second, count);
    }
}

std::string MemoryIndex::keyName(ChartGroup group, std::uint32_t id) const
{
    // As the chart's SQL names them (chartqueries.cpp, keyName): no reply code or enhanced code
    // is "".
    switch (group) {
    case ChartGroup::Outcome: return chartOutcome(static_cast<int>(id));
    case ChartGroup::ReplyCode: return charttries::replyKeyName(id);
    case ChartGroup::EnhancedCode: {
        const auto it = m_dsnNames.find(static_cast<std::int64_t>(id));
        return it == m_dsnNames.end() ? std::string() : it->second;
    }
    }
    return {};
}

std::size_t MemoryIndex::bytes() const
{
    return m_ids.capacity() * 8 + m_firstSeen.capacity() * 8 + m_fileId.capacity() * 8 + m_sender.capacity() * 4 +
        m_chainHead.capacity() * 4 + m_laterHop.capacity() / 8 + m_handOver.capacity() / 8 +
        m_deliveryStart.capacity() * 4 + m_timeOrder.capacity() * 4 + m_deliveryMessage.capacity() * 4 +
        m_tryStart.capacity() * 4 + m_tryTime.capacity() * 8 + m_tries.capacity() * sizeof(Try) + m_senders.bytes() +
        m_lastSeen.capacity() * 8 + m_deliveryKeys.capacity() * sizeof(Try) + m_codeClass.capacity() +
        m_destination.capacity() * 4 + m_destinations.capacity() * sizeof(std::string) + m_rejectKind.capacity() +
        m_messageFlags.capacity() + m_deliveryTls.capacity() + m_saslUser.capacity() * 4 + m_saslUsers.bytes() +
        m_state.capacity() + m_chainState.capacity() + m_hostId.capacity() * 4 +
        m_laterFiles.capacity() * sizeof(m_laterFiles[0]) + m_hostIds.size() * (sizeof(std::string) + 16) +
        m_fileFormats.capacity() * sizeof(m_fileFormats[0]) +
        m_recipients.bytes() + m_postingStart.capacity() * 4 + m_postings.capacity() * 4;
}

} // namespace mailtrail
