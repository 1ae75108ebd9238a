// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace mailtrail {

namespace sql {
class Database;
}

// Layout 10: what the status chart counts of a delivery's attempt rows, kept in the delivery row
// itself (`deliveries.tries`) and carried in the chart's index, so that a filter's chart is one
// pass over its deliveries: no attempt row, nor its delivery and message, looked up per try
// (half of a wide filter's chart at 1 GB in session 12; figures in docs/store.md).
struct ChartTry {
    std::int64_t timeMs = 0;
    int status = 0;          // DeliveryStatus
    int replyCode = 0;       // 0: none (NULL in the attempt row)
    std::int64_t dsnId = 0;  // the enhanced code's id in dsns; 0: none
    bool counted = true;     // false for a try that tried nothing ("delivery temporarily suspended")
};

namespace charttries {

// The blob of a delivery's attempt rows (any order): how many there are, then the counted ones in
// time order, as varints (the times as signed distances from the previous one). Empty when there
// is none: the column is then NULL.
std::string encode(std::vector<ChartTry> tries);
// The counted tries of a blob (`rows`: how many attempt rows it stood for); false for a blob that
// is not one (a damaged row: counted as none).
bool decode(std::string_view blob, std::vector<ChartTry> &counted, std::int64_t &rows);
// Whether a delivery's last try (its row's, at `lastMs`) was a real one, given the counted tries of
// its attempt rows (which then hold it too): false when its last line tried nothing ("delivery
// temporarily suspended" after a deferral), which the row's time and status are of all the same.
bool lastTryCounted(const std::vector<ChartTry> &counted, std::int64_t lastMs);

// The reply-code stacking's key of a try: its reply code; without one, a delivered try
// (DeliveredNoReply, named "delivered-no-reply": Postfix's local, pipe and virtual deliveries, and
// every delivery of Sendmail and of Exim, which log no code for a success) apart from any other
// (0, named ""): a timeout, a refused connection, a refusal or a local failure logged without a
// code. Apart, so that deliveries do not hide the night's timeouts in one bar. Reply codes are 200
// to 599: 1 is no code's.
inline constexpr int DeliveredNoReply = 1;
inline constexpr const char *DeliveredNoReplyName = "delivered-no-reply";
inline int replyKey(int status, int replyCode)
{
    return replyCode != 0 ? replyCode : status == 1 ? DeliveredNoReply : 0;
}
// The same over a row's columns (`p`: the alias), NULL for no reply.
inline std::string replyKeySql(const std::string &p)
{
    return "coalesce(" + p + "reply_code, CASE " + p + "status WHEN 1 THEN " + std::to_string(DeliveredNoReply) + " END)";
}
// The name of replyKey's value, as the chart's tallies name it.
inline std::string replyKeyName(std::int64_t key)
{
    return key == 0 ? std::string() : key == DeliveredNoReply ? std::string(DeliveredNoReplyName) : std::to_string(key);
}

// The minute of a time: integer division truncates toward zero, as SQLite's does (times are
// after 1970, so it floors).
inline std::int64_t minuteOf(std::int64_t timeMs)
{
    return timeMs / 60000;
}

// A delivery row as the chart counts its tries (mailtrail_chart_tries' arguments).
struct DeliveryTries {
    int status = 0;            // DeliveryStatus of its last line
    std::int64_t attempts = 0;
    bool final = true;         // no hand-over to a chain's next hop
    bool lastKnown = true;     // the time of its last try is known
    std::int64_t lastMs = 0;
    bool hasRows = false;      // it has attempt rows (a blob that is not empty)
    bool decoded = false;      // and the blob could be read: `counted` holds their counted tries
};

// The tries the chart counts of one delivery, kept to [since, until): `last(minute)` for the row's
// own last try when it was a real one, `earlier(minute, try)` for each counted try before it.
// An expired recipient with attempt rows counts those alone (its last line may be the giving up,
// which tried nothing); a row whose last line tried nothing ("delivery temporarily suspended": no
// counted attempt row at or after it) counts its earlier tries alone, as the summary does
// (lastTryCounted). One rule for the chart's SQL function and the index in memory.
template<typename Last, typename Earlier>
void visitCounted(const DeliveryTries &d, const std::vector<ChartTry> &counted, std::int64_t since, std::int64_t until,
                  Last &&last, Earlier &&earlier)
{
    const bool unbounded = since == std::numeric_limits<std::int64_t>::min() && until == std::numeric_limits<std::int64_t>::max();
    const auto inRange = [&](std::int64_t t) { return t >= since && t < until; };
    if (d.status >= 1 && d.status <= 5 && d.final && d.attempts > 0 && (d.status != 4 || !d.hasRows) &&
        (!d.decoded || !d.lastKnown || lastTryCounted(counted, d.lastMs))) {
        // A try without a time (its message gone) counts at minute 0 when no range is asked, as
        // the rows' NULL minute did.
        if (d.lastKnown ? inRange(d.lastMs) : unbounded)
            last(d.lastKnown ? minuteOf(d.lastMs) : 0);
    }
    for (const ChartTry &t : counted) {
        // The tries before the last (which the delivery row is), or every one of an expired
        // recipient.
        if (!((d.lastKnown && t.timeMs < d.lastMs) || d.status == 4) || !inRange(t.timeMs))
            continue;
        earlier(minuteOf(t.timeMs), t);
    }
}

} // namespace charttries

// The chart's functions on this connection (once; refused while one of its statements runs):
//   mailtrail_chart_tally(minute, key): counts tries by minute and by the key's value (integer,
//     text or NULL), as an aggregate; its value is the tally (encoded: decodeTally).
//   mailtrail_chart_tries(group, since, until, status, attempts, final, last_time, key, tries): the
//     same count from one delivery row per call: its last try (status, attempts, whether it is no
//     hand-over to a next hop, the try's time, its key of `group`) and its earlier tries (the
//     blob), each kept to [since, until) (NULL: unbounded).
//   mailtrail_encode_tries(time, status, reply_code, dsn_id, counted): the blob of a delivery's
//     attempt rows, as an aggregate (the migration to layout 10).
// Each aggregate keeps its state in SQLite's aggregate context and hands the tally back as its
// value: two connections, or two statements of one, count apart.
void addChartFunctions(sql::Database &db);

// A tally as mailtrail_chart_tally and mailtrail_chart_tries return it: one cell per minute and
// key value, the key an integer, a text, or NULL.
struct TallyCell {
    std::int64_t minute = 0;
    enum class Type : std::uint8_t { Null, Integer, Text } type = Type::Null;
    std::int64_t number = 0;
    std::string text;
    std::int64_t count = 0;
};
// False for a value that is not such a tally.
bool decodeTally(std::string_view blob, std::vector<TallyCell> &cells);

} // namespace mailtrail
