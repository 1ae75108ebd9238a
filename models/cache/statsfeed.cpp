// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statsfeed.h"

#include "cache/charttries.h"
#include "cache/filter.h"
#include "cache/searchkeys.h"
#include "cache/statsqueries.h"
#include "correlation/records.h"

#include <algorithm>

namespace mailtrail {

namespace {

std::optional<std::string_view> stored(std::string_view text)
{
    // The writer stores an empty text as NULL.
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
}

template<typename Record>
std::optional<int> forwardedOf(const Record &record)
{
    const int flag = searchkeys::forwardedFlagOf(record);
    return flag >= 0 ? std::optional<int>(flag) : std::nullopt;
}

// What StatsQueries reads of a message's row, from the record the row is written from: the same
// values, column by column (see CacheWriter::insertMessage and StatsQueries' SELECTs).
void count(StatsTally &tally, const MessageRecord &m)
{
    StatsMessageRow row;
    row.firstSeenMs = m.firstSeenMs;
    row.utcOffsetSec = m.utcOffsetSec;
    row.received = (m.origin == MessageOrigin::Smtp || m.origin == MessageOrigin::Local) && !m.queueId.empty();
    if (m.hasSender)
        row.sender = m.sender;
    if (m.size >= 0)
        row.size = m.size;
    row.state = static_cast<int>(m.state);
    row.laterHop = m.prevHopDbId != 0;  // linked to its first hop by linkChains (StatsFeed::linked)
    tally.addMessage(row);

    std::vector<StatsTry> tries;
    for (const DeliveryRecord &d : m.deliveries) {
        const int status = static_cast<int>(d.status);
        StatsDeliveryRow r;
        r.messageKey = m.dbId;
        r.status = status;
        r.forwarded = forwardedOf(d);
        r.recipient = stored(d.recipient);
        r.replyCode = d.replyCode;
        if (status >= 2 && status <= 4)
            r.dsn = d.dsn;
        r.relay = stored(d.relay);
        // Read where StatsQueries reads it: of a problem, or of a sent one without a relay.
        if ((status >= 2 && status <= 5) || (status == 1 && (!r.relay || *r.relay == "none")))
            r.replyText = stored(d.replyText);
        r.lastAttemptMs = d.lastAttemptMs;
        r.attempts = d.attempts;
        // A later hop's recipients arrived with its chain (StatsDeliveryRow::arrivalMs).
        r.arrivalMs = m.prevHopDbId != 0 ? m.chainArrivalMs : m.firstSeenMs;
        r.lastSeenMs = m.lastSeenMs;
        r.utcOffsetSec = m.utcOffsetSec;
        if (m.size >= 0)
            r.size = m.size;
        r.clientIp = stored(m.clientIp);
        if (status == 5)
            r.clientHost = m.clientHost;
        r.handOver = d.toNextHop;
        // A new row's attempt rows are its new attempts.
        tries.clear();
        for (const AttemptRecord &a : d.newAttempts)
            tries.push_back(StatsTry{a.timeMs, static_cast<int>(a.status), a.counted, forwardedOf(a), a.replyCode,
                                     a.dsn, stored(a.relay), stored(a.replyText)});
        tally.addDelivery(r, d.newAttempts.empty() ? nullptr : &tries);
    }
}

// The status chart's tries of a message, as countChartRows reads them from its rows (see
// CacheWriter::writeChildren for the columns): every delivery's last try, unless it handed the
// recipient to the next hop of a chain or tried nothing, and the counted attempts before it.
void countChart(ChartKept &chart, const MessageRecord &m)
{
    const auto add = [](ChartTally &tally, std::int64_t timeMs, int status, int replyCode, const std::string &dsn) {
        const std::int64_t minute = timeMs / 60000;
        tally.add(ChartGroup::Outcome, minute, chartOutcome(status));
        tally.add(ChartGroup::ReplyCode, minute, charttries::replyKeyName(charttries::replyKey(status, replyCode)));
        tally.add(ChartGroup::EnhancedCode, minute, dsn);
    };
    for (const DeliveryRecord &d : m.deliveries) {
        const int status = static_cast<int>(d.status);
        // An expired recipient with attempt rows: those alone (its last line may be the giving up).
        const bool expiredWithRows = status == 4 && !d.newAttempts.empty();
        // A last line that tried nothing ("delivery temporarily suspended" after a deferral): its
        // try is the counted attempt before it (charttries::lastTryCounted, lastTryCountedSql).
        const bool lastCounted = d.newAttempts.empty() ||
            std::any_of(d.newAttempts.begin(), d.newAttempts.end(),
                        [&d](const AttemptRecord &a) { return a.counted && a.timeMs >= d.lastAttemptMs; });
        if (status >= 1 && status <= 5 && !d.toNextHop && d.attempts > 0 && !expiredWithRows && lastCounted)
            add(chart.final, d.lastAttemptMs, status, d.replyCode, d.dsn);
        // A new row's attempt rows are its new attempts.
        for (const AttemptRecord &a : d.newAttempts) {
            if (a.counted && (a.timeMs < d.lastAttemptMs || status == 4))
                add(d.toNextHop ? chart.handOvers : chart.final, a.timeMs, static_cast<int>(a.status), a.replyCode, a.dsn);
        }
    }
}

} // namespace

StatsFeed::StatsFeed(sql::Database &db, std::int64_t run, bool replaceAll)
    : m_db(db)
    , m_wasOpen(db, "SELECT open FROM messages WHERE id = ?")
{
    if (replaceAll) {
        StatsSnapshot::clear(db);
        m_counting = true;
    } else {
        // The run's number was taken when it started (ImportStore::startRun): the parts describe
        // the cache as the run before left it.
        StatsSnapshot::State before = StatsSnapshot::current(db);
        before.lastRun = run - 1;
        m_counting = StatsSnapshot::describes(db, before);
    }
}

void StatsFeed::written(const MessageRecord &m)
{
    if (m_counting && !m.isOpen()) {
        if (m.prevHopDbId != 0 && m.chainArrivalMs == 0) {
            // A later hop whose chain's arrival the correlator did not have: counted from the rows.
            m_counting = false;
            return;
        }
        count(m_tally, m);
        countChart(m_chart, m);
    }
}

void StatsFeed::rewriting(const MessageRecord &m, bool amend)
{
    if (!m_counting)
        return;
    m_wasOpen.bind(1, m.dbId);
    const bool found = m_wasOpen.step();
    const bool wasOpen = found && m_wasOpen.int64(0) != 0;
    m_wasOpen.reset();
    if (found && wasOpen) {
        // Never counted: counted now if it ends here, from its rows once they are all written
        // (attempt rows of earlier imports, its chain).
        if (!m.isOpen())
            m_recount.push_back(m.dbId);
    } else if (!found || !amend) {
        m_counting = false;  // counted already, with numbers that may change: count the rows again
    }
}

void StatsFeed::linked(const std::vector<std::pair<std::int64_t, std::int64_t>> &links)
{
    if (!m_counting)
        return;
    // A hop whose hop before is not in the cache is a first hop after all, not the later hop
    // written() counted.
    if (std::any_of(links.begin(), links.end(), [](const auto &l) { return l.first == l.second; })) {
        m_counting = false;
        return;
    }
    m_tally.rekeyMessages(links);
}

void StatsFeed::store()
{
    if (!m_counting) {
        StatsSnapshot::clear(m_db);
        return;
    }
    std::sort(m_recount.begin(), m_recount.end());
    m_recount.erase(std::unique(m_recount.begin(), m_recount.end()), m_recount.end());
    constexpr std::size_t Chunk = 500;
    for (std::size_t i = 0; i < m_recount.size(); i += Chunk) {
        Filter some;
        some.messageIds.assign(m_recount.begin() + static_cast<std::ptrdiff_t>(i),
                               m_recount.begin() + static_cast<std::ptrdiff_t>(std::min(m_recount.size(), i + Chunk)));
        countStatsRows(m_db, some, m_tally, nullptr);
        countChartRows(m_db, some, m_chart, m_chart);  // none open
    }
    const StatsSnapshot::State state = StatsSnapshot::current(m_db);
    // The chart's tries go once encoded (a few MB); the tally is written a piece at a time.
    const std::string chart = StatsSnapshot::encodeChart(m_chart);
    m_chart = ChartKept{};
    StatsSnapshot::appendTally(m_db, state, m_tally, &chart);
    m_tally = StatsTally(0);
    StatsSnapshot::compact(m_db, state, 0);
}

} // namespace mailtrail
