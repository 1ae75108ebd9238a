// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/charttally.h"
#include "cache/filter.h"
#include "cache/stringarena.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
}

// The rows a filter selects in a MemoryIndex: its messages, and the deliveries it lists and charts
// (of a recipient filter, those to a matching address; of a sender filter, all of its messages').
struct MemorySelection {
    std::vector<std::uint64_t> messages;    // bit per message position
    // Bit per delivery position; empty: every delivery of a marked message (a sender hop by hop).
    std::vector<std::uint64_t> deliveries;
    std::int64_t messageCount = 0;
    std::int64_t deliveryCount = 0;
    // The chart of rows chosen by a try in a range (a segment clicked) counts their tries in it.
    std::int64_t triesSinceMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t triesUntilMs = std::numeric_limits<std::int64_t>::max();
};

// The addresses of a cache held in memory, so that a sender or recipient filter is answered in
// milliseconds at a gigabyte of log: SQLite tests each of 0.75 M senders (or 0.97 M recipients)
// with LIKE and then joins every match to count, page and chart it (0.2–1 s); here each distinct
// address is searched once, the messages that hold a match are marked in a bitmap, and the
// count, the keys of a page in time order and the chart's tries come from the bitmap
// (docs/store.md, "An index of the addresses in memory").
//
// Built from one read of the cache, it describes the cache as of that read (its Stamp); a Cache
// uses it only while the file is in that state, and asks SQLite otherwise. It answers the filter
// bar's conditions, the chart's segments, the Summary's destinations and reject reasons, and the
// window's scope, host and format (serves()), and the chart of most of them (chartServes()); a
// list of messages is SQLite's.
class MemoryIndex
{
public:
    // What the cache's content is, as the index read it: every import run takes a number
    // (meta.last_run) and marks its files until it ends, so equal stamps with no run under way
    // mean the same rows.
    struct Stamp {
        std::int64_t layout = 0;
        std::int64_t lastRun = -1;
        std::int64_t maxId = 0;
        bool idle = false;  // no import under way
        bool operator==(const Stamp &) const = default;
    };
    static Stamp currentStamp(sql::Database &db);

    // Reads the index from `db` in one read transaction. Null when an import is under way (the
    // rows are not final), or when `cancelled` turned true. Throws sql::Error.
    static std::shared_ptr<const MemoryIndex> load(sql::Database &db, const std::atomic<bool> *cancelled = nullptr);

    // The index every Cache of this process on `path` (canonical) may use; null drops it.
    static void publish(const std::string &path, std::shared_ptr<const MemoryIndex> index);
    static std::shared_ptr<const MemoryIndex> published(const std::string &path);

    // Whether this index answers `filter` (through Cache::simplified): any of a sender, a
    // recipient, statuses, a code, a destination, a reject's kind, TLS or not, received here or
    // not, a SASL user, a time of arrival, the tries of a chart's segment (Filter::triedAs,
    // triedSinceMs, triedUntilMs), the logs in scope (Filter::fileIds), a host and a format, and no
    // other condition; hop by hop or over chains
    // (Filter::chains). Hop by hop, a free text too, whose matches the cache gathered
    // (Filter::textIdsReady), given to select().
    static bool serves(const Filter &filter);

    using Selection = MemorySelection;
    // `textMatches`: the ids of the messages that match the filter's text, ascending (none: the
    // filter has no text).
    Selection select(const Filter &filter, const std::vector<std::int64_t> *textMatches = nullptr) const;

    std::int64_t count(const Selection &s, Grain grain) const
    {
        return grain == Grain::Messages ? s.messageCount : s.deliveryCount;
    }
    // The ids of the messages of a page in time order (the order of Cache::messages with
    // SortKey::Time): `offset` rows skipped, or those up to and including `after`.
    std::vector<std::int64_t> page(const Selection &s, bool descending, std::int64_t offset, std::int64_t limit,
                                   const PageAnchor *after = nullptr) const;
    // The key of the last row of every page of `pageSize` rows, in time order.
    std::vector<PageAnchor> pageAnchors(const Selection &s, bool descending, std::int64_t pageSize) const;
    // Where the message is among the selected in time order; -1 when it is not selected.
    std::int64_t position(const Selection &s, bool descending, std::int64_t messageId) const;
    // The chart's tries of the selected deliveries by minute and `group`, as the cache's SQL
    // counts and names them (charttries::visitCounted, chartqueries.cpp).
    void chart(const Selection &s, ChartGroup group, ChartTally &into) const;
    // Whether chart(filter) answers `filter` (through Cache::simplified): what serves() takes
    // without a time of arrival (the chart's range is of tries: chart(selection) counts the
    // table's rows), or hop by hop any of sender, recipient, statuses, code, time range, scope,
    // host and format.
    static bool chartServes(const Filter &filter);
    // Whether the chart of `filter` is the chart of the table's selection (chart(Selection)).
    static bool chartsSelection(const Filter &filter);
    void chart(const Filter &filter, ChartGroup group, ChartTally &into) const;

    const Stamp &stamp() const { return m_stamp; }
    std::size_t messageCount() const { return m_ids.size(); }
    std::size_t deliveryCount() const { return m_deliveryMessage.size(); }
    // What it holds in memory.
    std::size_t bytes() const;

private:
    static constexpr std::uint32_t None = UINT32_MAX;
    // A try the chart counts: its keys of the three stackings (0: no reply code, no enhanced code).
    struct Try {
        Try(int status_, int replyCode_, std::int64_t dsnId_)
            : dsnId(static_cast<std::uint32_t>(dsnId_))
            , replyCode(static_cast<std::uint16_t>(replyCode_))
            , status(static_cast<std::uint8_t>(status_))
        {
        }
        std::uint32_t dsnId;
        std::uint16_t replyCode;
        std::uint8_t status;
    };
    static constexpr std::int64_t Unknown = std::numeric_limits<std::int64_t>::min();  // a try's time
    // What Filter::code asks of a delivery.
    struct CodeTest {
        bool nothing = false;  // not a code: matches nothing
        int codeClass = -1;
        bool byDsn = false, byReply = false;
        std::vector<std::uint32_t> dsnIds;  // sorted
        std::int64_t low = 0, high = 0;
        bool matches(std::uint8_t deliveryClass, const Try &keys) const;
    };
    CodeTest codeTest(const std::string &code) const;
    Selection selectAddresses(const Filter &filter) const;
    // Names every delivery of the marked messages when `s` names none (a sender hop by hop).
    void nameDeliveries(Selection &s) const;
    // The row a hop is listed as over chains: its chain's first hop (None: that hop has no row),
    // itself when it is of no chain.
    std::uint32_t listedHead(std::uint32_t message) const;
    // Filter::statuses as a set of values (empty: no condition); an unknown name matches nothing.
    static std::vector<bool> statusSet(const std::vector<std::string> &names);
    // Keeps `s` to the rows with a try of the filter's segment (memoryindextries.cpp), as
    // QueryBuilder::addTries asks SQLite.
    void keepToTries(const Filter &filter, Selection &s) const;
    // Keeps `s` to the rows of the filter's statuses, code and time of arrival
    // (memoryindexrows.cpp), as QueryBuilder asks SQLite.
    void keepToRows(const Filter &filter, Selection &s) const;
    // Keeps `s` to the messages among `ids` (ascending) and their deliveries, hop by hop.
    void keepToMessages(const std::vector<std::int64_t> &ids, Selection &s) const;
    struct Range {
        std::int64_t since = std::numeric_limits<std::int64_t>::min();
        std::int64_t until = std::numeric_limits<std::int64_t>::max();
    };
    // The tries of these deliveries in the range, by minute and key of `group`.
    void countTries(const std::vector<std::uint64_t> &deliveries, Range range, ChartGroup group, ChartTally &into) const;
    // A message's place in the time order: (first_seen, file_id, id).
    using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
    Key keyOf(std::uint32_t message) const;
    std::string keyName(ChartGroup group, std::uint32_t id) const;
    // The selected messages in time order (or back), from the order's position `from` (counted
    // in the direction of the walk), until `visit(position in id order)` returns false.
    template<typename Visit>
    void walk(const Selection &s, bool descending, std::size_t from, Visit &&visit) const;
    // The first position of the walk past the row `after`.
    std::size_t positionAfter(const PageAnchor &after, bool descending) const;

    Stamp m_stamp;
    // Per message, by its position in id order.
    std::vector<std::int64_t> m_ids;
    std::vector<std::int64_t> m_firstSeen;
    std::vector<std::int64_t> m_fileId;
    std::vector<std::uint32_t> m_sender;         // in m_senders, or None (no sender)
    std::vector<std::uint8_t> m_state;           // MessageState
    std::vector<std::uint8_t> m_chainState;      // of a chain's first hop: the chain's (its last hop's)
    // Of a hop of a chain, its chain's first hop (None: no chain, or a first hop no row has).
    std::vector<std::uint32_t> m_chainHead;
    std::vector<bool> m_laterHop;  // a hop after the first of its chain; empty when none is
    bool m_chained = false;        // some message is a hop of a chain
    std::vector<std::uint32_t> m_deliveryStart;  // its deliveries: [start[i], start[i + 1])
    std::vector<std::uint32_t> m_timeOrder;      // positions in (first_seen, file_id, id) order
    // Per delivery, by message then idx.
    std::vector<std::uint32_t> m_deliveryMessage;
    std::vector<bool> m_handOver;  // handed to the next hop of its chain (next_hop)
    std::vector<std::uint32_t> m_tryStart;  // its chart tries: [start[d], start[d + 1])
    // Per delivery, its own keys (its status, reply code, enhanced code) and code class (255:
    // none), for the chart's conditions.
    std::vector<Try> m_deliveryKeys;
    std::vector<std::uint8_t> m_codeClass;
    // Per delivery, its destination in m_destinations (None: none, or a hand-over to the next hop).
    std::vector<std::uint32_t> m_destination;
    std::vector<std::string> m_destinations;
    // Per delivery, a reject's kind in m_rejectKinds (NoKind: not a reject).
    static constexpr std::uint8_t NoKind = 255;
    std::vector<std::uint8_t> m_rejectKind;
    std::vector<std::string> m_rejectKinds;
    // Per message, what Filter::tls and Filter::received ask of it; per delivery, what
    // Filter::tls does (QueryBuilder::addTls, addReceived).
    enum MessageFlag : std::uint8_t { TlsIn = 1, ClearIn = 2, ReceivedHere = 4 };
    enum DeliveryFlag : std::uint8_t { TlsOut = 1, ClearOut = 2 };
    std::vector<std::uint8_t> m_messageFlags;
    std::vector<std::uint8_t> m_deliveryTls;
    // Per message, its authenticated user (Filter::saslUser) in m_saslUsers, or None.
    std::vector<std::uint32_t> m_saslUser;
    StringArena m_saslUsers;
    // What the window's scope, Filter::host and Filter::format ask of a message
    // (QueryBuilder::scopeCondition): its host (hosts.id), the files after its first one that hold
    // lines of it (message_files: few, those in a queue when their log rotated), each file's format.
    std::vector<std::uint32_t> m_hostId;
    std::unordered_map<std::string, std::uint32_t> m_hostIds;  // hosts.name -> id
    std::vector<std::pair<std::uint32_t, std::int64_t>> m_laterFiles;  // (message position, file id)
    std::vector<std::pair<std::int64_t, std::string>> m_fileFormats;  // (file id, format)
    // Per message, whether it is of the filter's scope, host and format (empty: no such condition).
    std::vector<bool> messagesOf(const Filter &filter) const;
    // The id of Filter::destination (lower-cased as SQL's lower()); None: no delivery's.
    std::uint32_t destinationOf(const std::string &host) const;
    std::vector<std::int64_t> m_lastSeen;  // per message
    // The chart's tries: time (Unknown: none) and keys.
    std::vector<std::int64_t> m_tryTime;
    std::vector<Try> m_tries;
    std::unordered_map<std::int64_t, std::string> m_dsnNames;
    StringArena m_senders, m_recipients;
    // Recipient string -> deliveries to it (as recipient or original recipient), compressed rows.
    std::vector<std::uint32_t> m_postingStart, m_postings;
};

} // namespace mailtrail
