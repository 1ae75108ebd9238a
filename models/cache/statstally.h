// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/stats.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mailtrail {

// One message of the filter, as the statistics read it.
struct StatsMessageRow {
    std::int64_t firstSeenMs = 0;
    std::int32_t utcOffsetSec = 0;
    bool received = false;  // entered the queue here: smtpd's client= or pickup's uid=, with a queue id
    std::optional<std::string_view> sender;
    std::optional<std::int64_t> size;
    int state = 0;          // MessageState
    bool laterHop = false;  // a hop after the first of a chain: the same message again
};

// One try of a recipient tried more than once (a row of attempts).
struct StatsTry {
    std::int64_t timeMs = 0;
    int status = 0;
    bool counted = false;             // a real try, not a skipped one ("temporarily suspended")
    std::optional<int> forwarded;     // its reply is local(8) forwarding it on; unknown without a text
    // Of a deferred try, its reply: each deferred try counts in the reasons (read of those only).
    int replyCode = 0;
    std::string_view dsn;
    std::optional<std::string_view> relay;
    std::optional<std::string_view> replyText;
};

// One recipient of the filter, with what the statistics read of its message.
struct StatsDeliveryRow {
    std::int64_t messageKey = 0;      // the chain's first hop, or the message itself
    int status = 0;                   // DeliveryStatus
    std::optional<int> forwarded;
    std::optional<std::string_view> recipient;
    int replyCode = 0;
    std::string_view dsn;             // "" when none
    std::optional<std::string_view> replyText;  // read only where a count needs it (not of most sent ones)
    std::optional<std::string_view> relay;
    std::optional<std::int64_t> lastAttemptMs;
    int attempts = 0;
    // When the recipient arrived: its message's first line, or of a later hop of a chain (a
    // content filter's re-injection) its first hop's, so that a delay runs from arrival at the
    // server to the final delivery, not from the filter's hand-over.
    std::int64_t arrivalMs = 0;
    std::int64_t lastSeenMs = 0;
    std::int32_t utcOffsetSec = 0;
    std::optional<std::int64_t> size;
    std::optional<std::string_view> clientIp;
    std::string_view clientHost;
    bool handOver = false;            // handed to the next hop of its chain: not a delivery
};

// Every number of Stats that comes from messages and deliveries, counted in one pass over each:
// the rows are fed in, the groups (per hour and day, sender, domain, destination, reason,
// reject, client) are kept in hash maps, and finish() turns them into the lists. Every group is
// kept whole (the top lists are cut in finish()), so two tallies of disjoint sets of messages
// merge into the tally of both: what the imports keep (StatsSnapshot) and the rows read now.
class StatsTally
{
public:
    explicit StatsTally(int top)
        : m_top(top) {}

    void addMessage(const StatsMessageRow &row);
    // `tries`: the attempt rows of the recipient, null when it has none (tried once or never).
    void addDelivery(const StatsDeliveryRow &row, const std::vector<StatsTry> *tries);
    // Adds the messages `other` counted, none of which this one counted: counts add, first and
    // last times take the earlier and the later, a greatest text the greater.
    void merge(const StatsTally &other);
    // A chain's hops linked after they were counted: each (hop, first hop) pair moves the hop's
    // key (StatsDeliveryRow::messageKey) to its chain's, as the rows' coalesce(chain_id, id) has it.
    void rekeyMessages(const std::vector<std::pair<std::int64_t, std::int64_t>> &links);
    bool empty() const;
    void finish(Stats &s);

private:
    friend class StatsSnapshot;  // writes and reads the groups as they are

    // Looked up by a view of the row's text, copied only for a new key.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    template<typename T>
    using ByText = std::unordered_map<std::string, T, Hash, std::equal_to<>>;

    // The distinct texts of a group that grows with the log (a sender, a delivered recipient),
    // each with its value, in the order they came. The texts lie one after the other in blocks,
    // an entry each says where its text is, and an open-addressing table of (hash, entry) slots
    // finds them: a key costs its bytes, an entry and about 12 bytes of table, where a hash node
    // with a std::string cost 100-120 bytes besides its value, and every text over 15 bytes a
    // heap block of its own (issue 13: the import's peak memory).
    template<typename T>
    class TextMap
    {
    public:
        struct Entry {
            std::string_view key;
            [[no_unique_address]] T value;
        };
        TextMap() = default;
        TextMap(TextMap &&) noexcept = default;
        TextMap &operator=(TextMap &&) noexcept = default;

        T &operator[](std::string_view key);  // added with T{} if new
        const T *find(std::string_view key) const;
        std::size_t size() const { return m_entries.size(); }
        bool empty() const { return m_entries.empty(); }
        void reserve(std::size_t count);
        auto begin() const { return m_entries.begin(); }
        auto end() const { return m_entries.end(); }

    private:
        static std::size_t hashOf(std::string_view key) { return std::hash<std::string_view>{}(key); }
        // The slot that holds `key`, or the free one where it would go.
        std::size_t slotOf(std::string_view key, std::size_t hash) const;
        std::string_view store(std::string_view key);
        void rehash(std::size_t slots);

        static constexpr std::size_t BlockBytes = 64 * 1024;
        std::vector<std::unique_ptr<char[]>> m_blocks;
        std::size_t m_blockUsed = BlockBytes;
        std::deque<Entry> m_entries;
        // Each slot: the hash's high 32 bits, then the entry's index + 1 (0: a free slot).
        std::vector<std::uint64_t> m_slots;
    };

    struct Nothing {};
    // Distinct texts: the recipients delivered to.
    class TextSet
    {
    public:
        // Each text, as a std::string (a copy, made only while the set is stored).
        class Iterator
        {
        public:
            using Base = TextMap<Nothing>::Entry;
            explicit Iterator(std::deque<Base>::const_iterator it)
                : m_it(it) {}
            std::string operator*() const { return std::string(m_it->key); }
            Iterator &operator++()
            {
                ++m_it;
                return *this;
            }
            bool operator==(const Iterator &other) const { return m_it == other.m_it; }

        private:
            std::deque<Base>::const_iterator m_it;
        };
        bool contains(std::string_view key) const { return m_texts.find(key) != nullptr; }
        void insert(std::string_view key) { m_texts[key]; }
        void emplace(std::string_view key) { m_texts[key]; }
        std::size_t size() const { return m_texts.size(); }
        bool empty() const { return m_texts.empty(); }
        void reserve(std::size_t count) { m_texts.reserve(count); }
        Iterator begin() const { return Iterator(m_texts.begin()); }
        Iterator end() const { return Iterator(m_texts.end()); }
        const TextMap<Nothing> &texts() const { return m_texts; }

    private:
        TextMap<Nothing> m_texts;
    };

    struct Group {
        std::int64_t count = 0, problems = 0, bytes = 0, counted = 0;
    };
    struct Span {
        std::int64_t count = 0, firstMs = 0, lastMs = 0;
        std::string detail;  // the greatest of the details, as SQL's max()
        void add(std::int64_t timeMs, std::string_view text);
        void merge(const Span &other);
    };
    struct HourCell {  // of one hour of one day in the log's clock
        std::int64_t count = 0, bounced = 0, rejected = 0, deferred = 0, delivered = 0, bytes = 0;
        std::int64_t minMs = 0;
        std::int32_t maxOffset = 0;
        bool any = false;
        void merge(const HourCell &other);
    };
    using HourKey = std::pair<std::int64_t, int>;  // day since 1970, hour of the day
    // Deferral, bounce or expiry reasons: status, remote host (unset: none), reply code, enhanced
    // code, the text's key.
    using ReasonKey = std::tuple<int, std::optional<std::string>, int, std::string, std::string>;

    // A failed try's reply, as the reasons and connectivity group it.
    struct Reply {
        std::optional<std::string_view> relay, text;
        int code = 0;
        std::string_view dsn;
    };
    void addTry(const StatsDeliveryRow &row, std::optional<std::int64_t> timeMs, int status, int forwarded);
    // A deferred try (its reason and any connection failure) at `timeMs`.
    void addDeferral(const StatsDeliveryRow &row, std::int64_t timeMs, const Reply &reply);
    void addReason(int status, std::int64_t timeMs, const StatsDeliveryRow &row, const Reply &reply);
    static HourKey hourOf(std::int64_t ms, std::int32_t offsetSec);
    static void touch(HourCell &cell, std::int64_t ms, std::int32_t offsetSec);
    static void count(TextMap<Group> &groups, std::string_view key, const Group &add);
    std::int64_t topOf(const TextMap<Group> &groups, std::vector<StatsCount> *byCount,
                       std::vector<StatsCount> *byProblems) const;
    void hoursAndDays(Stats &s) const;
    void sourceList(const ByText<Span> &groups, std::vector<StatsSource> &out, bool limited) const;

    int m_top;
    Stats m_totals;  // the plain counts, copied into the result
    TextSet m_recipientsDelivered;
    std::unordered_set<std::int64_t> m_deferredMessages;
    std::map<HourKey, HourCell> m_received, m_deliveries, m_tries;
    TextMap<Group> m_senders, m_senderDomains, m_recipientDomains, m_relays;
    std::map<ReasonKey, Span> m_reasons;
    ByText<Span> m_rejectReasons, m_rejectClients, m_relayDenials, m_rblHits;
    ByText<Span> m_rblLists;  // the RBL rejects by the list that named them: the reason's example is the commonest's
    std::map<std::pair<std::string, std::string>, Span> m_connectivity;  // destination, kind of failure
    std::map<std::int64_t, std::int64_t> m_delays;  // milliseconds, recipients
};

} // namespace mailtrail
