// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statsqueries.h"

#include "cache/cache.h"
#include "cache/querybuilder.h"
#include "cache/schema.h"
#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>

namespace mailtrail {

namespace {

// The integer values of the enums as the cache stores them (see records.h and event.h).
// A message entered the queue here: smtpd's client= or pickup's uid= was seen (as pflogsumm's
// "received"); NOQUEUE rejects have no queue id, notifications and forwards another origin.
constexpr const char *Received = "(m.origin IN (1, 2) AND m.queue_id IS NOT NULL)";
// The queue manager took it (its from=, size= line): where the sender of a received message counts.
constexpr const char *Queued = "(m.sender IS NOT NULL AND m.size IS NOT NULL)";
// Sent to its recipient, not forwarded on by local(8) as a message of its own.
constexpr const char *Delivered = "(d.status = 1 AND coalesce(d.forwarded, 0) = 0)";
// Seconds in the log's own clock, for hours of the day and days.
constexpr const char *ArrivalLocal = "(m.first_seen / 1000 + m.utc_offset)";
constexpr const char *DeliveryTime = "coalesce(d.last_attempt, m.last_seen)";

// The domain of an address, NULL for a local name without '@' ("root", "alice" of Sendmail's
// local mailer): a user, not a domain (pflogsumm counts it as one of its "hosts/domains").
std::string domainOf(const std::string &address)
{
    return "CASE WHEN instr(" + address + ", '@') > 0 THEN lower(substr(" + address + ", instr(" + address +
        ", '@') + 1)) END";
}

// The remote host of a delivery: the relay's name without [ip]:port; for "relay=none" the host a
// connection failure names ("connect to mx.example.org[192.0.2.1]:25: Connection refused").
std::string remoteHost(const char *relay, const char *text)
{
    const std::string rest = std::string("substr(") + text + ", instr(" + text + ", 'connect to ') + 11)";
    return std::string("CASE WHEN (") + relay + " IS NULL OR " + relay + " = 'none') AND instr(" + text +
        ", 'connect to ') > 0 THEN lower(substr(" + rest + ", 1, instr(" + rest + ", '[') - 1)) WHEN instr(" + relay +
        ", '[') > 0 THEN lower(substr(" + relay + ", 1, instr(" + relay + ", '[') - 1)) ELSE lower(" + relay + ") END";
}

// What kind of refusal a reject's reply text is. The texts are Postfix's own (smtpd_*_restrictions).
// Postfix's wording first, then Exim's and Sendmail's for the same reasons (LIKE ignores ASCII case).
constexpr const char *RejectCategory =
    "CASE WHEN d.reply_text LIKE '%blocked using%' OR d.reply_text LIKE '%is listed in%' THEN 'RBL' "
    "WHEN d.reply_text LIKE '%Relay access denied%' OR d.reply_text LIKE '%relay not permitted%' "
    "OR d.reply_text LIKE '%Relaying denied%' THEN 'relay denied' "
    "WHEN d.reply_text LIKE '%User unknown%' OR d.reply_text LIKE '%Recipient address rejected%' "
    "OR d.reply_text LIKE '%Unrouteable address%' OR d.reply_text LIKE '%Unknown user%' THEN 'unknown user' "
    "WHEN d.reply_text LIKE '%Helo command rejected%' OR d.reply_text LIKE '%rejected EHLO%' "
    "OR d.reply_text LIKE '%rejected HELO%' THEN 'HELO' "
    "WHEN d.reply_text LIKE '%Sender address rejected%' OR d.reply_text LIKE '%Sender verify failed%' THEN 'sender domain' "
    "WHEN d.reply_text LIKE '%Client host rejected%' THEN 'client host' "
    "WHEN d.reply_text LIKE '%message too big%' OR d.reply_text LIKE '%message size exceeds%' THEN 'message size' "
    "WHEN d.reply_text LIKE '%Spam%' OR d.reply_text LIKE '%virus%' OR d.reply_text LIKE '%header%' "
    "OR d.reply_text LIKE '%body%' THEN 'content' "
    "ELSE 'other' END";

// Connection and DNS failures in a delivery's reply; NULL for any other reply.
constexpr const char *ConnectivityCategory =
    "CASE WHEN d.reply_text LIKE '%Connection refused%' THEN 'connection refused' "
    "WHEN d.reply_text LIKE '%timed out%' THEN 'connection timed out' "
    "WHEN d.reply_text LIKE '%Host not found%' OR d.reply_text LIKE '%Name service error%' "
    "OR d.reply_text LIKE '%Host or domain name not found%' THEN 'host not found' "
    "WHEN d.reply_text LIKE '%No route to host%' OR d.reply_text LIKE '%Network is unreachable%' THEN 'no route to host' "
    "WHEN d.reply_text LIKE '%TLS%' OR d.reply_text LIKE '%SSL%' OR d.reply_text LIKE '%certificate%' THEN 'TLS failure' "
    "END";

std::string andWhere(const std::string &where, const std::string &condition)
{
    return where + (where.empty() ? " WHERE " : " AND ") + condition;
}

constexpr const char *DeliveriesFrom = " FROM deliveries d JOIN messages m ON m.id = d.message_id";
// With the delivery's relay (r.name) from its dictionary; joined once, as the groups below name
// it several times per row.
constexpr const char *DeliveriesNamedFrom = " FROM deliveries d JOIN messages m ON m.id = d.message_id "
                                            "LEFT JOIN relays r ON r.id = d.relay_id";
constexpr const char *ClientIp = "m.client_ip";
constexpr const char *ClientHost = "m.client_host";

// A reply text with what differs between like failures taken out, so that they group: every
// address becomes <address>, every word of 8 or more characters with letters and digits (a queue
// id, a tracking id, a hash) becomes <id>, every run of digits #. "550 5.1.1 <bob@x>: ... id
// d2e1a72f..." and "550 5.1.1 <eve@x>: ... id 9f00c1b3..." are one reason.
std::string reasonKey(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    const auto separator = [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || std::strchr("<>[](),;:='\"", c) != nullptr;
    };
    while (i < text.size()) {
        if (separator(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !separator(text[end]))
            ++end;
        const std::string_view word = text.substr(i, end - i);
        const bool digits = std::any_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        const bool letters = std::any_of(word.begin(), word.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
        if (word.find('@') != std::string_view::npos) {
            out += "<address>";
        } else if (word.size() >= 8 && digits && letters) {
            out += "<id>";
        } else {
            for (std::size_t k = 0; k < word.size(); ++k) {
                if (!std::isdigit(static_cast<unsigned char>(word[k])))
                    out += word[k];
                else if (k == 0 || !std::isdigit(static_cast<unsigned char>(word[k - 1])))
                    out += '#';
            }
        }
        i = end;
    }
    return out;
}

void reasonKeyFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const std::string key = reasonKey(text ? std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[0])))
                                           : std::string_view());
    sqlite3_result_text(context, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

class Run
{
public:
    Run(sql::Database &db, const Filter &filter, int top)
        : m_db(db)
        , m_filter(filter)
        , m_messages(Grain::Messages, filter)
        , m_deliveries(Grain::Deliveries, filter)
        , m_top(top)
    {
    }

    void all(Stats &s)
    {
        totals(s);
        deliveryTotals(s);
        deferrals(s);
        perHourAndDay(s);
        lists(s);
        reasons(s);
        rejects(s);
        security(s);
        clientIncidents(s);
        connectivity(s);
        delays(s);
    }

private:
    sql::Database &m_db;
    const Filter &m_filter;
    QueryBuilder m_messages;
    QueryBuilder m_deliveries;
    int m_top;

    // Runs SELECT ... over the filtered messages (or deliveries), the filter's parameters bound.
    void each(const QueryBuilder &q, const std::string &sql, const std::function<void(sql::Statement &)> &row)
    {
        sql::Statement st(m_db, sql);
        q.bind(st);
        while (st.step())
            row(st);
    }
    std::string messagesWhere(const std::string &cond = {}) const
    {
        return " FROM messages m" + (cond.empty() ? m_messages.where() : andWhere(m_messages.where(), cond));
    }
    std::string deliveriesWhere(const std::string &cond = {}) const
    {
        return DeliveriesFrom + (cond.empty() ? m_deliveries.where() : andWhere(m_deliveries.where(), cond));
    }
    // The same, with the relay's name (r.name).
    std::string namedDeliveriesWhere(const std::string &cond) const
    {
        return DeliveriesNamedFrom + andWhere(m_deliveries.where(), cond);
    }
    std::string limit() const { return " LIMIT " + std::to_string(m_top); }

    // Each query below is one pass over the filtered rows; a pass over a million deliveries costs
    // about as much as the whole of a small query, so numbers that can share a pass do: totals come
    // from the per-day-and-hour groups, distinct counts from the groups of the top lists.

    void totals(Stats &s)
    {
        each(m_messages,
             // Still queued: open and not done with. Sendmail logs no "removed": a message
             // delivered to every recipient stayed open and counted as queued.
             std::string("SELECT count(*), coalesce(sum(m.open AND m.state IN (0, 2)), 0)") + messagesWhere(),
             [&](sql::Statement &st) {
                 s.messagesAll = st.int64(0);
                 s.stillQueued = st.int64(1);
             });
    }

    void deliveryTotals(Stats &s)
    {
        each(m_deliveries,
             std::string("SELECT count(*), coalesce(sum(d.status = 1), 0), coalesce(sum(d.status = 2), 0), "
                         "coalesce(sum(d.status = 3), 0), coalesce(sum(d.status = 4), 0), coalesce(sum(d.status = 5), 0), "
                         "coalesce(sum(d.status = 0), 0), count(DISTINCT CASE WHEN ") +
                 Delivered + " THEN d.recipient END)" + deliveriesWhere(),
             [&](sql::Statement &st) {
                 s.recipients = st.int64(0);
                 s.sent = st.int64(1);
                 s.deferred = st.int64(2);
                 s.bounced = st.int64(3);
                 s.expired = st.int64(4);
                 s.rejected = st.int64(5);
                 s.queuedRecipients = st.int64(6);
                 s.recipientsDelivered = st.int64(7);
             });
    }

    // Every try the log records: the counted attempt rows of recipients tried more than once,
    // and the one try of the others, kept in the delivery row itself (an expired one was deferred
    // then). An attempt that tried nothing (Exim's "retry time not reached", Postfix's "delivery
    // temporarily suspended") is no try, as the delivery's attempt count has it: a recipient whose
    // only line is one has none. Rows (mid, t,
    // off, st, fwd, size): message, time of the try, the log's offset from UTC, its status,
    // whether it was local(8) forwarding the message on (0, not NULL, for a try without a reply
    // text: an Exim local delivery is a delivery), the message's size.
    std::string tries() const
    {
        return "SELECT dd.mid AS mid, coalesce(a.time, dd.t) AS t, dd.off AS off, CASE WHEN a.message_id IS NOT NULL "
               "THEN a.status WHEN dd.st = 4 THEN 2 ELSE dd.st END AS st, coalesce(a.reply_text LIKE "
               "'forwarded as %', dd.fwd, 0) AS fwd, dd.size AS size FROM (SELECT d.message_id AS mid, d.idx AS idx, d.status AS st, "
               "d.last_attempt AS t, d.forwarded AS fwd, d.attempts AS n, m.utc_offset AS off, m.size AS size" +
            deliveriesWhere() + ") dd LEFT JOIN attempts a ON a.message_id = dd.mid AND a.delivery_idx = dd.idx "
                                "WHERE (a.message_id IS NULL AND dd.n > 0) OR a.counted = 1";
    }

    void deferrals(Stats &s)
    {
        each(m_deliveries, "SELECT count(DISTINCT mid) FROM (" + tries() + ") WHERE st = 2",
             [&](sql::Statement &st) { s.deferredMessages = st.int64(0); });
    }

    // Day (in the log's clock) and hour of the day of a time in ms and an offset in seconds.
    static std::string dayAndHour(const std::string &ms, const std::string &offset)
    {
        const std::string local = "(" + ms + " / 1000 + " + offset + ")";
        return "date(" + local + ", 'unixepoch'), (" + local + " % 86400) / 3600";
    }

    void perHourAndDay(Stats &s)
    {
        std::map<std::string, StatsDay> days;
        auto cell = [&](sql::Statement &st) -> std::pair<StatsDay &, StatsHour &> {
            StatsDay &d = days[std::string(st.text(0))];
            return {d, at(s, st.integer(1))};
        };
        each(m_messages,
             "SELECT " + dayAndHour("m.first_seen", "m.utc_offset") + ", count(*), min(m.first_seen), max(m.utc_offset), " +
                 "coalesce(sum(CASE WHEN " + Queued + " THEN m.size END), 0)" + messagesWhere(Received) + " GROUP BY 1, 2",
             [&](sql::Statement &st) {
                 auto [d, h] = cell(st);
                 d.counts.received += st.int64(2);
                 h.received += st.int64(2);
                 if (d.startMs == 0 || st.int64(3) < d.startMs)
                     d.startMs = st.int64(3);
                 d.utcOffsetSec = st.integer(4);
                 s.received += st.int64(2);
                 s.bytesReceived += st.int64(5);
             });
        each(m_deliveries,
             "SELECT " + dayAndHour(DeliveryTime, "m.utc_offset") +
                 ", 0, sum(d.status = 3), sum(d.status = 5), min(" + DeliveryTime + "), max(m.utc_offset)" +
                 deliveriesWhere() + " GROUP BY 1, 2",
             [&](sql::Statement &st) {
                 auto [d, h] = cell(st);
                 d.counts.bounced += st.int64(3);
                 d.counts.rejected += st.int64(4);
                 h.bounced += st.int64(3);
                 h.rejected += st.int64(4);
                 if (d.startMs == 0 || st.int64(5) < d.startMs)
                     d.startMs = st.int64(5);
                 if (d.counts.received == 0)
                     d.utcOffsetSec = st.integer(6);
             });
        each(m_deliveries,
             "SELECT " + dayAndHour("t", "off") +
                 ", coalesce(sum(st = 2), 0), coalesce(sum(st = 1 AND NOT fwd), 0), "
                 "coalesce(sum(CASE WHEN st = 1 AND NOT fwd THEN size END), 0) FROM (" + tries() + ") WHERE t IS NOT NULL GROUP BY 1, 2",
             [&](sql::Statement &st) {
                 auto [d, h] = cell(st);
                 d.counts.deferred += st.int64(2);
                 h.deferred += st.int64(2);
                 // Delivered per line, as the total: a recipient delivered to twice counts twice.
                 d.counts.delivered += st.int64(3);
                 h.delivered += st.int64(3);
                 s.deferrals += st.int64(2);
                 s.deliveredTries += st.int64(3);
                 s.bytesDelivered += st.int64(4);
             });
        std::int64_t best = 0;
        for (int h = 0; h < 24; ++h) {
            if (s.byHour[static_cast<std::size_t>(h)].received > best) {
                best = s.byHour[static_cast<std::size_t>(h)].received;
                s.peakHour = h;
            }
        }
        for (auto &[name, d] : days) {
            d.day = name;
            s.byDay.push_back(d);
        }
    }

    static StatsHour &at(Stats &s, int hour)
    {
        return s.byHour[static_cast<std::size_t>(std::clamp(hour, 0, 23))];
    }

    // The first `top` of the groups by `by`, ties in the order of their keys.
    static void keepTop(std::vector<StatsCount> &list, StatsCount row, std::int64_t StatsCount::*by, std::size_t top)
    {
        if (row.*by == 0)
            return;
        auto before = [by](const StatsCount &a, const StatsCount &b) { return a.*by != b.*by ? a.*by > b.*by : a.key < b.key; };
        if (list.size() == top && !before(row, list.back()))
            return;
        list.insert(std::upper_bound(list.begin(), list.end(), row, before), std::move(row));
        if (list.size() > top)
            list.pop_back();
    }

    // Streams every group of `sql` (key, count, problems, bytes, counted): keeps the top ones by
    // volume and by problems, and counts the groups with `counted` > 0.
    std::int64_t groups(const QueryBuilder &q, const std::string &sql, std::vector<StatsCount> *byCount,
                        std::vector<StatsCount> *byProblems)
    {
        std::int64_t counted = 0;
        const auto top = static_cast<std::size_t>(m_top);
        each(q, sql, [&](sql::Statement &st) {
            StatsCount row{std::string(st.text(0)), st.int64(1), st.int64(2), st.int64(3)};
            if (st.int64(4) > 0)
                ++counted;
            if (byProblems)
                keepTop(*byProblems, row, &StatsCount::problems, top);
            if (byCount)
                keepTop(*byCount, std::move(row), &StatsCount::count, top);
        });
        return counted;
    }

    void lists(Stats &s)
    {
        const std::string problemMsg = "coalesce(sum(m.state IN (2, 3, 4, 5)), 0)";
        const std::string senders = std::string(Received) + " AND m.sender IS NOT NULL";
        // Grouped as they are written (the column ignores case): pflogsumm keeps a sender's case too.
        s.senders = groups(m_messages,
                           "SELECT m.sender, count(*), " + problemMsg + ", coalesce(sum(m.size), 0), sum(" + Queued + ")" +
                               messagesWhere(senders) + " GROUP BY m.sender COLLATE BINARY",
                           &s.topSenders, nullptr);
        s.senderDomains = groups(m_messages,
                                 "SELECT " + domainOf("m.sender") + ", count(*), " + problemMsg +
                                     ", coalesce(sum(m.size), 0), sum(" + Queued + ")" +
                                     messagesWhere(senders + " AND instr(m.sender, '@') > 0") + " GROUP BY 1",
                                 &s.topSenderDomains, nullptr);
        const std::string problem = "coalesce(sum(d.status IN (2, 3, 4, 5)), 0)";
        const std::string bytes = "coalesce(sum(CASE WHEN d.status = 1 THEN m.size END), 0)";
        s.recipientDomains =
            groups(m_deliveries,
                   "SELECT " + domainOf("d.recipient") + ", count(*), " + problem + ", " + bytes + ", sum(" + Delivered + ")" +
                       deliveriesWhere("instr(d.recipient, '@') > 0") + " GROUP BY 1",
                   &s.topRecipientDomains, &s.problemRecipientDomains);
        const std::string host = remoteHost("r.name", "d.reply_text");
        groups(m_deliveries,
               "SELECT " + host + " AS host, count(*), " + problem + ", " + bytes + ", 0" +
                   namedDeliveriesWhere("d.status IN (1, 2, 3, 4)") + " GROUP BY 1 HAVING host <> ''",
               &s.topRelays, &s.problemRelays);
    }

    void reasons(Stats &s)
    {
        const std::string host = remoteHost("r.name", "d.reply_text");
        // A try skipped while the destination is known to be down repeats the reason of the last
        // real one after "delivery temporarily suspended: ": the same reason.
        const std::string text = "CASE WHEN d.reply_text LIKE 'delivery temporarily suspended: %' THEN "
                                 "substr(d.reply_text, 33) ELSE coalesce(d.reply_text, '') END";
        // Grouped by the text without its addresses, ids and numbers; one full text shown.
        sqlite3_create_function_v2(m_db.handle(), "mailtrail_reason_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                   reasonKeyFunction, nullptr, nullptr, nullptr);
        each(m_deliveries,
             "SELECT d.status, " + host + ", coalesce(d.reply_code, 0), coalesce(" + schema::dsnOf("d") + ", ''), max(" + text +
                 "), count(*), min(" + DeliveryTime + "), max(" + DeliveryTime + ")" + namedDeliveriesWhere("d.status IN (2, 3, 4)") +
                 " GROUP BY 1, 2, 3, 4, mailtrail_reason_key(" + text + ") ORDER BY 6 DESC, 2, 5 LIMIT " + std::to_string(m_top * 2),
             [&](sql::Statement &st) {
                 const int status = st.integer(0);
                 s.reasons.push_back(StatsReason{status == 2 ? "deferred" : status == 3 ? "bounced" : "expired",
                                                 std::string(st.text(1)), st.integer(2), std::string(st.text(3)),
                                                 std::string(st.text(4)), st.int64(5), st.int64(6), st.int64(7)});
             });
    }

    void sources(const QueryBuilder &q, const std::string &sql, std::vector<StatsSource> &out)
    {
        each(q, sql, [&](sql::Statement &st) {
            out.push_back(StatsSource{std::string(st.text(0)), std::string(st.text(1)), st.int64(2), st.int64(3), st.int64(4), 0});
        });
    }

    void rejects(Stats &s)
    {
        const std::string span = ", count(*), min(" + std::string(DeliveryTime) + "), max(" + DeliveryTime + ")";
        sources(m_deliveries,
                std::string("SELECT ") + RejectCategory + ", max(coalesce(d.reply_text, ''))" + span +
                    deliveriesWhere("d.status = 5") + " GROUP BY 1 ORDER BY 3 DESC, 1",
                s.rejectsByReason);
        sources(m_deliveries,
                "SELECT " + std::string(ClientIp) + ", max(coalesce(" + ClientHost + ", ''))" + span +
                    namedDeliveriesWhere("d.status = 5 AND " + std::string(ClientIp) + " IS NOT NULL") +
                    " GROUP BY 1 ORDER BY 3 DESC, 1" + limit(),
                s.rejectsByClient);
        sources(m_deliveries,
                "SELECT " + std::string(ClientIp) + ", max(coalesce(" + ClientHost + ", ''))" + span +
                    namedDeliveriesWhere("d.status = 5 AND " + std::string(ClientIp) +
                                         " IS NOT NULL AND d.reply_text LIKE '%Relay access denied%'") +
                    " GROUP BY 1 ORDER BY 3 DESC, 1" + limit(),
                s.relayDenials);
        const std::string list = "substr(d.reply_text, instr(d.reply_text, 'blocked using ') + 14)";
        sources(m_deliveries,
                "SELECT " + std::string(ClientIp) + ", max(substr(" + list + ", 1, instr(" + list + " || ';', ';') - 1))" + span +
                    namedDeliveriesWhere("d.status = 5 AND " + std::string(ClientIp) +
                                         " IS NOT NULL AND d.reply_text LIKE '%blocked using%'") +
                    " GROUP BY 1 ORDER BY 3 DESC, 1" + limit(),
                s.rblHits);
    }

    // Incidents belong to no message: of the filter, only the time range, the host (?1) and the
    // files apply to them.
    std::string incidentWhere(const std::string &kinds) const
    {
        std::string where = " WHERE i.kind IN (" + kinds + ")";
        if (m_filter.sinceMs != std::numeric_limits<std::int64_t>::min())
            where += " AND i.time >= " + std::to_string(m_filter.sinceMs);
        if (m_filter.untilMs != std::numeric_limits<std::int64_t>::max())
            where += " AND i.time < " + std::to_string(m_filter.untilMs);
        if (!m_filter.fileIds.empty()) {
            std::string in;
            for (std::int64_t id : m_filter.fileIds)
                in += (in.empty() ? "" : ",") + std::to_string(id);
            where += " AND i.file_id IN (" + in + ")";
        }
        if (!m_filter.host.empty())
            where += " AND i.host_id = (SELECT id FROM hosts WHERE name = ?1)";
        return where;
    }

    // Each row of an incident query whose WHERE is incidentWhere()'s (its host is ?1).
    void incidentRows(const std::string &sql, const std::function<void(sql::Statement &)> &row)
    {
        sql::Statement st(m_db, sql);
        if (!m_filter.host.empty())
            st.bind(1, std::string_view(m_filter.host));
        while (st.step())
            row(st);
    }

    // The login a SASL failure names ("sasl_username=NAME"), "" when none.
    static std::string incidentUser()
    {
        const std::string user = "substr(i.detail, instr(i.detail, 'sasl_username=') + 14)";
        return "CASE WHEN instr(i.detail, 'sasl_username=') > 0 THEN rtrim(substr(" + user + ", 1, instr(" + user +
            " || ',', ',') - 1)) ELSE '' END";
    }

    void clientIncidents(Stats &s)
    {
        const std::string where = incidentWhere("2, 3, 4");
        incidentRows("SELECT i.kind, count(*) FROM incidents i" + where + " GROUP BY 1", [&](sql::Statement &st) {
            const std::int64_t n = st.int64(1);
            switch (st.integer(0)) {
            case 2: s.clientWarnings = n; break;
            case 3: s.lostConnections = n; break;
            default: s.screened = n; break;
            }
        });
        incidentRows("SELECT coalesce(i.client_ip, ''), i.kind, count(*), min(i.time), max(i.time) FROM incidents i" + where +
                " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2" + limit(),
            [&](sql::Statement &st) {
                s.clientIncidents.push_back(StatsSource{std::string(st.text(0)), incidentKindName(st.integer(1)), st.int64(2),
                                                        st.int64(3), st.int64(4), st.integer(1)});
            });
    }

public:
    void incidents(const IncidentQuery &query, std::int64_t limit, std::int64_t skip, std::vector<IncidentLine> &out)
    {
        std::string kinds;
        for (int k : query.kinds)
            kinds += (kinds.empty() ? "" : ", ") + std::to_string(k);
        std::string where = incidentWhere(kinds.empty() ? "1, 2, 3, 4" : kinds);
        // After the host's ?1: the client and the login, when asked for.
        int next = 2;
        const int ip = query.clientIp.empty() ? 0 : next++;
        const int user = query.user.empty() ? 0 : next++;
        if (ip)
            where += " AND i.client_ip = ?" + std::to_string(ip);
        if (user)
            where += " AND " + incidentUser() + " = ?" + std::to_string(user);
        // The incidents table keeps no offset from UTC: the log's is its last message's before
        // the line (else its first after), found walking the time index from the line's time.
        const std::string offsetOf = "coalesce((SELECT m.utc_offset FROM messages m WHERE m.first_seen <= i.time AND "
                                     "m.file_id = i.file_id ORDER BY m.first_seen DESC LIMIT 1), (SELECT m.utc_offset FROM "
                                     "messages m WHERE m.first_seen > i.time AND m.file_id = i.file_id ORDER BY m.first_seen "
                                     "LIMIT 1), 0)";
        sql::Statement st(m_db, "SELECT i.time, i.kind, coalesce(h.name, ''), coalesce(i.client_host, ''), coalesce(i.client_ip, ''), " +
                                    incidentUser() + ", coalesce(i.detail, ''), i.file_id, i.offset, " + offsetOf +
                                    " FROM incidents i LEFT JOIN hosts h ON h.id = i.host_id" + where +
                                    " ORDER BY i.time, i.id LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(skip));
        if (!m_filter.host.empty())
            st.bind(1, std::string_view(m_filter.host));
        if (ip)
            st.bind(ip, std::string_view(query.clientIp));
        if (user)
            st.bind(user, std::string_view(query.user));
        while (st.step()) {
            out.push_back(IncidentLine{st.int64(0), st.integer(1), std::string(st.text(2)), std::string(st.text(3)),
                                       std::string(st.text(4)), std::string(st.text(5)), std::string(st.text(6)), st.int64(7),
                                       st.int64(8), st.integer(9)});
        }
    }

private:
    // Authentication failures belong to no message: of the filter, only the time range, the host
    // and the files apply to them.
    void security(Stats &s)
    {
        const std::string where = incidentWhere("1");
        incidentRows("SELECT count(*), count(DISTINCT i.client_ip) FROM incidents i" + where, [&](sql::Statement &st) {
            s.authFailures = st.int64(0);
            s.authFailureClients = st.int64(1);
        });
        auto source = [](std::vector<StatsSource> &out) {
            return [&out](sql::Statement &st) {
                out.push_back(StatsSource{std::string(st.text(0)), std::string(st.text(1)), st.int64(2), st.int64(3), st.int64(4), 1});
            };
        };
        incidentRows("SELECT coalesce(i.client_ip, ''), max(coalesce(i.client_host, '')), count(*), min(i.time), max(i.time) "
            "FROM incidents i" + where + " GROUP BY 1 ORDER BY 3 DESC, 1" + limit(),
            source(s.authFailuresByClient));
        // Postfix names the login tried only with smtpd_sasl_... logging "sasl_username=NAME".
        // A login tried from several clients names how many, not one of them picked by max().
        incidentRows("SELECT " + incidentUser() + ", "
            "CASE WHEN count(DISTINCT i.client_ip) > 1 THEN count(DISTINCT i.client_ip) || ' clients' "
            "ELSE coalesce(max(i.client_ip), '') END, "
            "count(*), min(i.time), max(i.time) FROM incidents i" + where +
                " AND instr(i.detail, 'sasl_username=') > 0 GROUP BY 1 ORDER BY 3 DESC, 1" + limit(),
            source(s.authFailuresByUser));
    }

    void connectivity(Stats &s)
    {
        const std::string host = remoteHost("r.name", "d.reply_text");
        const std::string dest = "coalesce(nullif(" + host + ", ''), " + domainOf("d.recipient") + ", '')";
        sources(m_deliveries,
                "SELECT " + dest + ", " + ConnectivityCategory + ", count(*), min(" + DeliveryTime + "), max(" + DeliveryTime +
                    ")" + namedDeliveriesWhere("d.status IN (2, 3, 4) AND (" + std::string(ConnectivityCategory) + ") IS NOT NULL") +
                    " GROUP BY 1, 2 ORDER BY 3 DESC, 1" + limit(),
                s.connectivity);
    }

    void delays(Stats &s)
    {
        // One pass: how many recipients took each delay (whole milliseconds, few distinct values),
        // in order; the percentiles are read off the running count.
        std::vector<std::pair<std::int64_t, std::int64_t>> histogram;
        each(m_deliveries,
             "SELECT d.last_attempt - m.first_seen, count(*)" + deliveriesWhere("d.status = 1 AND d.last_attempt IS NOT NULL") +
                 " GROUP BY 1 ORDER BY 1",
             [&](sql::Statement &st) {
                 histogram.emplace_back(st.int64(0), st.int64(1));
                 s.delaySamples += st.int64(1);
             });
        // Nearest rank: the smallest delay with at least p of the samples at or below it.
        auto rank = [&](double p) {
            const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(p * static_cast<double>(s.delaySamples))));
            std::int64_t seen = 0;
            for (const auto &[ms, n] : histogram) {
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
};

} // namespace

bool StatsQueries::incidents(const Filter &requested, const IncidentQuery &query, std::int64_t limit,
                            std::vector<IncidentLine> &out, std::int64_t skip)
{
    out.clear();
    m_error.clear();
    const Filter filter = m_cache.simplified(requested);
    try {
        Run(*m_cache.m_db, filter, m_top).incidents(query, limit, skip, out);
        return true;
    } catch (const sql::Error &e) {
        m_error = e.what();
        return false;
    }
}

const char *incidentKindName(int kind)
{
    switch (kind) {
    case 1: return "SASL failure";
    case 2: return "client warning";
    case 3: return "lost connection";
    case 4: return "screened";
    }
    return "incident";
}

bool StatsQueries::compute(const Filter &requested, Stats &out)
{
    out = Stats{};
    m_error.clear();
    m_cache.prepareTextFilter(requested);
    const Filter filter = m_cache.simplified(requested);
    try {
        Run(*m_cache.m_db, filter, m_top).all(out);
        return true;
    } catch (const sql::Error &e) {
        m_error = e.what();
        return false;
    }
}

} // namespace mailtrail
