// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statstally.h"

#include "cache/naturalorder.h"
#include "cache/statsreplies.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mailtrail {

using namespace statsreplies;

namespace {

// YYYY-MM-DD of a day counted from 1970-01-01 (proleptic Gregorian, as SQLite's date()).
std::string dayName(std::int64_t day)
{
    const std::int64_t z = day + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char out[64];
    std::snprintf(out, sizeof out, "%04lld-%02d-%02d", static_cast<long long>(y), static_cast<int>(m), static_cast<int>(d));
    return out;
}

// The first `top` of the groups by `by`, ties in the order of their keys.
void keepTop(std::vector<StatsCount> &list, const StatsCount &row, std::int64_t StatsCount::*by, std::size_t top)
{
    if (row.*by == 0)
        return;
    auto before = [by](const StatsCount &a, const StatsCount &b) { return a.*by != b.*by ? a.*by > b.*by : naturalLess(a.key, b.key); };
    if (list.size() == top && !before(row, list.back()))
        return;
    list.insert(std::upper_bound(list.begin(), list.end(), row, before), row);
    if (list.size() > top)
        list.pop_back();
}

StatsHour &at(Stats &s, int hour)
{
    return s.byHour[static_cast<std::size_t>(std::clamp(hour, 0, 23))];
}

} // namespace

template<typename T>
std::size_t StatsTally::TextMap<T>::slotOf(std::string_view key, std::size_t hash) const
{
    const std::size_t mask = m_slots.size() - 1;
    const std::uint64_t tag = static_cast<std::uint64_t>(hash >> 32) << 32;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint64_t slot = m_slots[i];
        if (slot == 0)
            return i;
        if ((slot & 0xffffffff00000000ULL) == tag && m_entries[(slot & 0xffffffffULL) - 1].key == key)
            return i;
    }
}

template<typename T>
std::string_view StatsTally::TextMap<T>::store(std::string_view key)
{
    if (key.empty())
        return {};
    // A text longer than a quarter of a block gets one of its own, before the one being filled.
    if (key.size() > BlockBytes / 4) {
        auto own = std::make_unique_for_overwrite<char[]>(key.size());
        std::copy(key.begin(), key.end(), own.get());
        const std::string_view stored(own.get(), key.size());
        m_blocks.insert(m_blocks.end() - (m_blocks.empty() ? 0 : 1), std::move(own));
        return stored;
    }
    if (m_blockUsed + key.size() > BlockBytes) {
        m_blocks.push_back(std::make_unique_for_overwrite<char[]>(BlockBytes));
        m_blockUsed = 0;
    }
    char *at = m_blocks.back().get() + m_blockUsed;
    std::copy(key.begin(), key.end(), at);
    m_blockUsed += key.size();
    return {at, key.size()};
}

template<typename T>
void StatsTally::TextMap<T>::rehash(std::size_t slots)
{
    m_slots.assign(slots, 0);
    std::uint64_t index = 0;
    for (const Entry &e : m_entries) {
        const std::size_t hash = hashOf(e.key);
        m_slots[slotOf(e.key, hash)] = (static_cast<std::uint64_t>(hash >> 32) << 32) | ++index;
    }
}

template<typename T>
void StatsTally::TextMap<T>::reserve(std::size_t count)
{
    std::size_t slots = 16;
    while (slots * 3 < count * 4 + 4)
        slots *= 2;
    if (slots > m_slots.size())
        rehash(slots);
}

template<typename T>
T &StatsTally::TextMap<T>::operator[](std::string_view key)
{
    // At most three quarters full: the probes stay short.
    if ((m_entries.size() + 1) * 4 > m_slots.size() * 3)
        rehash(std::max<std::size_t>(16, m_slots.size() * 2));
    const std::size_t hash = hashOf(key);
    const std::size_t i = slotOf(key, hash);
    if (m_slots[i] != 0)
        return m_entries[(m_slots[i] & 0xffffffffULL) - 1].value;
    m_entries.push_back(Entry{store(key), T{}});
    m_slots[i] = (static_cast<std::uint64_t>(hash >> 32) << 32) | m_entries.size();
    return m_entries.back().value;
}

template<typename T>
const T *StatsTally::TextMap<T>::find(std::string_view key) const
{
    if (m_slots.empty())
        return nullptr;
    const std::size_t i = slotOf(key, hashOf(key));
    return m_slots[i] != 0 ? &m_entries[(m_slots[i] & 0xffffffffULL) - 1].value : nullptr;
}

template class StatsTally::TextMap<StatsTally::Group>;
template class StatsTally::TextMap<StatsTally::Nothing>;

void StatsTally::Span::add(std::int64_t timeMs, std::string_view text)
{
    if (count == 0 || timeMs < firstMs)
        firstMs = timeMs;
    if (count == 0 || timeMs > lastMs)
        lastMs = timeMs;
    if (count == 0 || text > detail)
        detail = text;
    ++count;
}

void StatsTally::Span::merge(const Span &other)
{
    if (other.count == 0)
        return;
    if (count == 0 || other.firstMs < firstMs)
        firstMs = other.firstMs;
    if (count == 0 || other.lastMs > lastMs)
        lastMs = other.lastMs;
    if (count == 0 || other.detail > detail)
        detail = other.detail;
    count += other.count;
}

void StatsTally::HourCell::merge(const HourCell &other)
{
    count += other.count;
    bounced += other.bounced;
    rejected += other.rejected;
    deferred += other.deferred;
    delivered += other.delivered;
    bytes += other.bytes;
    // A cell a try only marked (any, no time) keeps its zeros, as touch() never saw it.
    if (other.any && (!any || other.minMs < minMs))
        minMs = other.minMs;
    if (other.any && (!any || other.maxOffset > maxOffset))
        maxOffset = other.maxOffset;
    any = any || other.any;
}

StatsTally::HourKey StatsTally::hourOf(std::int64_t ms, std::int32_t offsetSec)
{
    // As SQL computed it: integer division truncating, the hour of a time before 1970 clamped.
    const std::int64_t local = ms / 1000 + offsetSec;
    const std::int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    return {day, static_cast<int>((local % 86400) / 3600)};
}

void StatsTally::touch(HourCell &cell, std::int64_t ms, std::int32_t offsetSec)
{
    if (!cell.any || ms < cell.minMs)
        cell.minMs = ms;
    if (!cell.any || offsetSec > cell.maxOffset)
        cell.maxOffset = offsetSec;
    cell.any = true;
}

void StatsTally::count(TextMap<Group> &groups, std::string_view key, const Group &add)
{
    Group &g = groups[key];
    g.count += add.count;
    g.problems += add.problems;
    g.bytes += add.bytes;
    g.counted += add.counted;
}

void StatsTally::addMessage(const StatsMessageRow &row)
{
    // Still queued: what the table shows as queued or deferred, so that the Summary's number and
    // the rows its link lists are one set (QueryBuilder's status filter). Not "open": Sendmail logs
    // no "removed", and a message delivered to every recipient stays open, shown sent. A later hop
    // in the queue is the chain's message still there (its first hop is gone). A message whose
    // recipients the log does not name (Exim's "<=" without "for", a notice known from a line
    // about it) is counted too: the table calls it queued, and nothing in the log took it out.
    if (row.state == 0 || row.state == 2)
        ++m_totals.stillQueued;
    // The fates that are neither a delivery nor a refusal, of whichever hop met them (a chain's
    // first hop handed the message on: it is the later one that a content filter discarded).
    switch (row.state) {
    case 6: ++m_totals.abandoned; break;
    case 7: ++m_totals.held; break;
    case 8: ++m_totals.discarded; break;
    case 9: ++m_totals.deleted; break;
    default: break;
    }
    if (row.laterHop)
        return;
    ++m_totals.messagesAll;
    if (!row.received)
        return;
    // The queue took it: where the sender of a received message counts, as pflogsumm counts the
    // queue manager's from=. Postfix's line gives the size; Exim's "<=" queues the message, whatever
    // its S= says (the test suite writes "S=sss"). Without a size, a message the queue took is one
    // that went on to a delivery, or waits: not one its client abandoned, or refused, held or
    // discarded whole before the queue manager saw it.
    const bool queued = row.sender && (row.size || row.state <= 4);
    HourCell &cell = m_received[hourOf(row.firstSeenMs, row.utcOffsetSec)];
    touch(cell, row.firstSeenMs, row.utcOffsetSec);
    ++cell.count;
    if (queued)
        cell.bytes += row.size.value_or(0);
    if (!row.sender)
        return;
    const Group add{1, row.state >= 2 && row.state <= 5 ? 1 : 0, row.size.value_or(0), queued ? 1 : 0};
    // Grouped as they are written: pflogsumm keeps a sender's case too.
    count(m_senders, *row.sender, add);
    if (const auto domain = domainOf(row.sender))
        count(m_senderDomains, *domain, add);
}

void StatsTally::addTry(const StatsDeliveryRow &row, std::optional<std::int64_t> timeMs, int status, int forwarded)
{
    // A hand-over's sent try gave the message to the next hop, which delivers it: no delivery.
    if (row.handOver && status == 1)
        return;
    if (status == 2)
        m_deferredMessages.insert(row.messageKey);
    if (!timeMs)
        return;
    HourCell &cell = m_tries[hourOf(*timeMs, row.utcOffsetSec)];
    cell.any = true;
    if (status == 2)
        ++cell.deferred;
    // Delivered per line: a recipient delivered to twice counts twice; local(8) forwarding it
    // on is no delivery.
    if (status == 1 && !forwarded) {
        ++cell.delivered;
        cell.bytes += row.size.value_or(0);
    }
}

void StatsTally::addReason(int status, std::int64_t timeMs, const StatsDeliveryRow &row, const Reply &reply)
{
    // A try skipped while the destination is known to be down repeats the reason of the last
    // real one after "delivery temporarily suspended: ": the same reason.
    constexpr std::string_view suspended = "delivery temporarily suspended: ";
    std::string_view text = reply.text.value_or(std::string_view());
    if (startsWith(text, suspended))
        text.remove_prefix(suspended.size());
    const std::optional<std::string> host = remoteHost(reply.relay, reply.text);
    // An expiry tried nothing: the connection failures were its deferred tries, counted each.
    if (const char *kind = connectivityCategory(reply.text); kind && status != 4)
        m_connectivity[{failureDestination(host, reply.text, row.recipient), kind}].add(timeMs, {});
    m_reasons[ReasonKey{status, reasonDestination(host, row.recipient), reply.code, std::string(reply.dsn),
                        statsreplies::reasonKey(text)}]
        .add(timeMs, text);
}

void StatsTally::addDelivery(const StatsDeliveryRow &row, const std::vector<StatsTry> *tries)
{
    // Every try the log records: the counted attempt rows of recipients tried more than once,
    // and the one try of the others, kept in the delivery row itself (an expired one was deferred
    // then). An attempt that tried nothing (Exim's "retry time not reached", Postfix's "delivery
    // temporarily suspended") is no try, as the delivery's attempt count has it: a recipient whose
    // only line is one has none. A try without a reply text is not forwarding (an Exim local
    // delivery is a delivery).
    // Each deferred try counts in the reasons at its own time, as in the deferrals: a greylisted
    // try later delivered too, and a destination that failed from 10:00 to 14:00 started at 10:00.
    const int rowForwarded = row.forwarded.value_or(0);
    if (tries) {
        for (const StatsTry &t : *tries) {
            if (!t.counted)
                continue;
            addTry(row, t.timeMs, t.status, t.forwarded.value_or(rowForwarded));
            if (t.status == 2)
                addReason(2, t.timeMs, row, Reply{t.relay, t.replyText, t.replyCode, t.dsn});
        }
    } else if (row.attempts > 0) {
        const int status = row.status == 4 ? 2 : row.status;
        addTry(row, row.lastAttemptMs, status, rowForwarded);
        if (status == 2)
            addReason(2, row.lastAttemptMs.value_or(row.lastSeenMs), row, Reply{row.relay, row.replyText, row.replyCode, row.dsn});
    }
    if (row.handOver)
        return;

    const int status = row.status;
    const bool problem = status >= 2 && status <= 5;
    // Sent to its recipient, not forwarded on by local(8) as a message of its own.
    const bool delivered = status == 1 && rowForwarded == 0;
    ++m_totals.recipients;
    switch (status) {
    case 0: ++m_totals.queuedRecipients; break;
    case 1:
        ++m_totals.sent;
        if (row.attempts == 0)
            ++m_totals.sentWithoutLine;
        break;
    case 2: ++m_totals.deferred; break;
    case 3: ++m_totals.bounced; break;
    case 4: ++m_totals.expired; break;
    case 5: ++m_totals.rejected; break;
    default: break;
    }
    if (delivered && row.recipient)
        m_recipientsDelivered.insert(*row.recipient);

    const std::int64_t when = row.lastAttemptMs.value_or(row.lastSeenMs);
    HourCell &cell = m_deliveries[hourOf(when, row.utcOffsetSec)];
    touch(cell, when, row.utcOffsetSec);
    cell.bounced += status == 3 ? 1 : 0;
    cell.rejected += status == 5 ? 1 : 0;

    const std::int64_t bytes = status == 1 ? row.size.value_or(0) : 0;
    if (const auto domain = domainOf(row.recipient))
        count(m_recipientDomains, *domain, Group{1, problem ? 1 : 0, bytes, delivered ? 1 : 0});
    const std::optional<std::string> host = status >= 1 && status <= 4 ? remoteHost(row.relay, row.replyText) : std::nullopt;
    if (host && !host->empty())
        count(m_relays, *host, Group{1, problem ? 1 : 0, bytes, 0});

    // Bounces and expiries per recipient, at its end; its deferred tries counted above.
    if (status == 3 || status == 4)
        addReason(status, when, row, Reply{row.relay, row.replyText, row.replyCode, row.dsn});
    if (status == 5) {
        const std::string_view text = row.replyText.value_or(std::string_view());
        const std::string_view category = rejectCategory(row.replyText);
        m_rejectReasons[std::string(category)].add(when, text);
        if (row.clientIp) {
            const std::string ip(*row.clientIp);
            m_rejectClients[ip].add(when, row.clientHost);
            // In each MTA's words, as the reasons name them (Exim: "relay not permitted").
            if (category == "relay denied")
                m_relayDenials[ip].add(when, row.clientHost);
            if (contains(text, "blocked using"))
                m_rblHits[ip].add(when, rblList(text));
        }
        if (category == "RBL")
            m_rblLists[std::string(contains(text, "blocked using") ? rblList(text) : std::string_view())].add(when, text);
    }
    if (status == 1 && row.lastAttemptMs)
        ++m_delays[*row.lastAttemptMs - row.arrivalMs];
}

std::int64_t StatsTally::topOf(const TextMap<Group> &groups, std::vector<StatsCount> *byCount,
                               std::vector<StatsCount> *byProblems) const
{
    std::int64_t counted = 0;
    const auto top = static_cast<std::size_t>(m_top);
    for (const auto &[key, g] : groups) {
        const StatsCount row{std::string(key), g.count, g.problems, g.bytes};
        if (g.counted > 0)
            ++counted;
        if (byProblems)
            keepTop(*byProblems, row, &StatsCount::problems, top);
        if (byCount)
            keepTop(*byCount, row, &StatsCount::count, top);
    }
    return counted;
}

void StatsTally::sourceList(const ByText<Span> &groups, std::vector<StatsSource> &out,
                            bool limited) const
{
    for (const auto &[key, span] : groups)
        out.push_back(StatsSource{key, span.detail, span.count, span.firstMs, span.lastMs, 0});
    // Most first, then by key in natural order (IP addresses by number), so that the ties kept at
    // the cut are the first of them in the order the list is shown.
    std::sort(out.begin(), out.end(), [](const StatsSource &a, const StatsSource &b) {
        return a.count != b.count ? a.count > b.count : naturalLess(a.key, b.key);
    });
    if (limited && out.size() > static_cast<std::size_t>(m_top))
        out.resize(static_cast<std::size_t>(m_top));
}

void StatsTally::hoursAndDays(Stats &s) const
{
    std::map<std::int64_t, StatsDay> days;
    // Arrivals at the hour they arrived, in the log's own clock; the day's offset from UTC is its
    // latest hour's.
    for (const auto &[key, cell] : m_received) {
        StatsDay &d = days[key.first];
        StatsHour &h = at(s, key.second);
        d.counts.received += cell.count;
        h.received += cell.count;
        if (d.startMs == 0 || cell.minMs < d.startMs)
            d.startMs = cell.minMs;
        d.utcOffsetSec = cell.maxOffset;
        s.received += cell.count;
        s.bytesReceived += cell.bytes;
    }
    // Bounces and rejects at the hour of the recipient's last try.
    for (const auto &[key, cell] : m_deliveries) {
        StatsDay &d = days[key.first];
        StatsHour &h = at(s, key.second);
        d.counts.bounced += cell.bounced;
        d.counts.rejected += cell.rejected;
        h.bounced += cell.bounced;
        h.rejected += cell.rejected;
        if (d.startMs == 0 || cell.minMs < d.startMs)
            d.startMs = cell.minMs;
        if (d.counts.received == 0)
            d.utcOffsetSec = cell.maxOffset;
    }
    // Deliveries and deferrals at the hour of each try.
    for (const auto &[key, cell] : m_tries) {
        StatsDay &d = days[key.first];
        StatsHour &h = at(s, key.second);
        d.counts.deferred += cell.deferred;
        h.deferred += cell.deferred;
        d.counts.delivered += cell.delivered;
        h.delivered += cell.delivered;
        s.deferrals += cell.deferred;
        s.deliveredTries += cell.delivered;
        s.bytesDelivered += cell.bytes;
    }
    std::int64_t best = 0;
    for (int h = 0; h < 24; ++h) {
        if (s.byHour[static_cast<std::size_t>(h)].received > best) {
            best = s.byHour[static_cast<std::size_t>(h)].received;
            s.peakHour = h;
        }
    }
    for (auto &[day, d] : days) {
        d.day = dayName(day);
        s.byDay.push_back(d);
    }
}

void StatsTally::finish(Stats &s)
{
    s.messagesAll = m_totals.messagesAll;
    s.stillQueued = m_totals.stillQueued;
    s.held = m_totals.held;
    s.discarded = m_totals.discarded;
    s.abandoned = m_totals.abandoned;
    s.deleted = m_totals.deleted;
    s.sentWithoutLine = m_totals.sentWithoutLine;
    s.recipients = m_totals.recipients;
    s.sent = m_totals.sent;
    s.deferred = m_totals.deferred;
    s.bounced = m_totals.bounced;
    s.expired = m_totals.expired;
    s.rejected = m_totals.rejected;
    s.queuedRecipients = m_totals.queuedRecipients;
    s.recipientsDelivered = static_cast<std::int64_t>(m_recipientsDelivered.size());
    s.deferredMessages = static_cast<std::int64_t>(m_deferredMessages.size());
    hoursAndDays(s);

    s.senders = topOf(m_senders, &s.topSenders, nullptr);
    s.senderDomains = topOf(m_senderDomains, &s.topSenderDomains, nullptr);
    s.recipientDomains = topOf(m_recipientDomains, &s.topRecipientDomains, &s.problemRecipientDomains);
    topOf(m_relays, &s.topRelays, &s.problemRelays);

    // The first problem of every group, listed or not.
    const auto earliest = [](std::int64_t &into, std::int64_t ms) {
        if (ms > 0 && (into == 0 || ms < into))
            into = ms;
    };
    for (const auto &[key, span] : m_reasons)
        earliest(s.firstProblemMs, span.count ? span.firstMs : 0);
    for (const auto &[key, span] : m_rejectReasons)
        earliest(s.firstProblemMs, span.count ? span.firstMs : 0);
    for (const StatsDay &d : s.byDay)
        earliest(s.firstSeenMs, d.startMs);

    // The most frequent first, then by host (none first) and text; twice the list's length.
    std::vector<std::pair<const ReasonKey *, const Span *>> reasons;
    for (const auto &[key, span] : m_reasons)
        reasons.emplace_back(&key, &span);
    std::stable_sort(reasons.begin(), reasons.end(), [](const auto &a, const auto &b) {
        if (a.second->count != b.second->count)
            return a.second->count > b.second->count;
        if (std::get<1>(*a.first) != std::get<1>(*b.first))
            return std::get<1>(*a.first) < std::get<1>(*b.first);
        return a.second->detail < b.second->detail;
    });
    if (reasons.size() > 2 * static_cast<std::size_t>(m_top))
        reasons.resize(2 * static_cast<std::size_t>(m_top));
    for (const auto &[key, span] : reasons) {
        const int status = std::get<0>(*key);
        std::string host = std::get<1>(*key).value_or(std::string());
        const bool domain = host.starts_with('@');  // reasonDestination's recipient domain
        if (domain)
            host.erase(0, 1);
        s.reasons.push_back(StatsReason{status == 2 ? "deferred" : status == 3 ? "bounced" : "expired", std::move(host), domain,
                                        std::get<2>(*key), std::get<3>(*key), std::get<4>(*key), span->detail, span->count,
                                        span->firstMs, span->lastMs});
    }

    sourceList(m_rejectReasons, s.rejectsByReason, false);
    // The RBL reason's example is one of the list that refused most (the greatest text of all
    // could be that of a list named once).
    const Span *commonest = nullptr;
    for (const auto &[list, span] : m_rblLists) {
        if (!commonest || span.count > commonest->count || (span.count == commonest->count && span.detail < commonest->detail))
            commonest = &span;
    }
    for (StatsSource &r : s.rejectsByReason) {
        if (commonest && r.key == "RBL")
            r.detail = commonest->detail;
    }
    sourceList(m_rejectClients, s.rejectsByClient, true);
    sourceList(m_relayDenials, s.relayDenials, true);
    sourceList(m_rblHits, s.rblHits, true);

    for (const auto &[key, span] : m_connectivity)
        s.connectivity.push_back(StatsSource{key.first, key.second, span.count, span.firstMs, span.lastMs, 0});
    std::stable_sort(s.connectivity.begin(), s.connectivity.end(),
                     [](const StatsSource &a, const StatsSource &b) { return a.count != b.count ? a.count > b.count : a.key < b.key; });
    if (s.connectivity.size() > static_cast<std::size_t>(m_top))
        s.connectivity.resize(static_cast<std::size_t>(m_top));

    // Nearest rank: the smallest delay with at least p of the samples at or below it.
    for (const auto &[ms, n] : m_delays)
        s.delaySamples += n;
    auto rank = [&](double p) {
        const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(p * static_cast<double>(s.delaySamples))));
        std::int64_t seen = 0;
        for (const auto &[ms, n] : m_delays) {
            seen += n;
            if (seen >= k)
                return static_cast<double>(ms) / 1000.0;
        }
        return -1.0;
    };
    if (s.delaySamples > 0) {
        s.delayMedianSec = rank(0.5);
        s.delayP95Sec = rank(0.95);
    }
}

void StatsTally::merge(const StatsTally &other)
{
    m_totals.messagesAll += other.m_totals.messagesAll;
    m_totals.stillQueued += other.m_totals.stillQueued;
    m_totals.held += other.m_totals.held;
    m_totals.discarded += other.m_totals.discarded;
    m_totals.abandoned += other.m_totals.abandoned;
    m_totals.deleted += other.m_totals.deleted;
    m_totals.sentWithoutLine += other.m_totals.sentWithoutLine;
    m_totals.recipients += other.m_totals.recipients;
    m_totals.queuedRecipients += other.m_totals.queuedRecipients;
    m_totals.sent += other.m_totals.sent;
    m_totals.deferred += other.m_totals.deferred;
    m_totals.bounced += other.m_totals.bounced;
    m_totals.expired += other.m_totals.expired;
    m_totals.rejected += other.m_totals.rejected;
    // Distinct over both: a recipient delivered to in each counts once, as a chain deferred in each.
    for (const auto &r : other.m_recipientsDelivered.texts())
        m_recipientsDelivered.insert(r.key);
    m_deferredMessages.insert(other.m_deferredMessages.begin(), other.m_deferredMessages.end());
    for (auto [to, from] : {std::pair{&m_received, &other.m_received}, std::pair{&m_deliveries, &other.m_deliveries},
                            std::pair{&m_tries, &other.m_tries}}) {
        for (const auto &[key, cell] : *from)
            (*to)[key].merge(cell);
    }
    for (auto [to, from] : {std::pair{&m_senders, &other.m_senders}, std::pair{&m_senderDomains, &other.m_senderDomains},
                            std::pair{&m_recipientDomains, &other.m_recipientDomains}, std::pair{&m_relays, &other.m_relays}}) {
        for (const auto &[key, g] : *from)
            count(*to, key, g);
    }
    for (const auto &[key, span] : other.m_reasons)
        m_reasons[key].merge(span);
    for (auto [to, from] : {std::pair{&m_rejectReasons, &other.m_rejectReasons}, std::pair{&m_rejectClients, &other.m_rejectClients},
                            std::pair{&m_relayDenials, &other.m_relayDenials}, std::pair{&m_rblHits, &other.m_rblHits},
                            std::pair{&m_rblLists, &other.m_rblLists}}) {
        for (const auto &[key, span] : *from) {
            auto it = to->find(key);
            if (it == to->end())
                it = to->emplace(key, Span{}).first;
            it->second.merge(span);
        }
    }
    for (const auto &[key, span] : other.m_connectivity)
        m_connectivity[key].merge(span);
    for (const auto &[ms, n] : other.m_delays)
        m_delays[ms] += n;
}

void StatsTally::rekeyMessages(const std::vector<std::pair<std::int64_t, std::int64_t>> &links)
{
    for (const auto &[hop, first] : links) {
        if (hop != first && m_deferredMessages.erase(hop) > 0)
            m_deferredMessages.insert(first);
    }
}

bool StatsTally::empty() const
{
    return m_totals.messagesAll == 0 && m_totals.stillQueued == 0 && m_totals.recipients == 0 && m_tries.empty() &&
        m_deferredMessages.empty();
}

} // namespace mailtrail
