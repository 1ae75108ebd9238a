// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// QueryBuilder's conditions that let the chart and the summary link to exactly the rows they count:
// delivery tries (Filter::triedSinceMs, triedUntilMs, triedAs), the rows a segment of the status
// chart counts (chartqueries.cpp); and the destination (Filter::destination), as the summary
// names it (statsreplies.cpp, remoteHost).
#include "cache/querybuilder.h"

#include "cache/charttally.h"
#include "cache/charttries.h"
#include "cache/statsreplies.h"

#include <algorithm>
#include <limits>

namespace mailtrail {

namespace {

// The chart's outcomes, and "failed": any of them but delivered (the Summary's problems: a
// deferred try, an expired recipient's, a bounce, a reject).
constexpr const char *Outcomes[] = {"delivered", "deferred", "bounced", "rejected", "failed"};

bool allDigits(std::string_view s)
{
    return !s.empty() && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

} // namespace

TryGroup TryGroup::parse(std::string_view triedAs)
{
    if (triedAs.empty())
        return {};
    if (std::find(std::begin(Outcomes), std::end(Outcomes), triedAs) != std::end(Outcomes))
        return {Outcome, std::string(triedAs)};
    if (triedAs == "no-reply")
        return {ReplyCode, {}};
    if (triedAs == charttries::DeliveredNoReplyName)
        return {ReplyCode, std::string(triedAs)};
    if (triedAs == "no-dsn")
        return {EnhancedCode, {}};
    if (allDigits(triedAs))
        return {ReplyCode, std::string(triedAs)};
    // Only complete enhanced codes: a segment of the chart is one of them.
    if (isCodeFilter(triedAs) && std::count(triedAs.begin(), triedAs.end(), '.') == 2)
        return {EnhancedCode, std::string(triedAs)};
    return {Invalid, {}};
}

std::vector<TryGroup> TryGroup::parseAll(std::string_view triedAs)
{
    if (triedAs.find(',') == std::string_view::npos)
        return {parse(triedAs)};
    std::vector<TryGroup> all;
    for (std::size_t at = 0; at <= triedAs.size();) {
        const std::size_t comma = std::min(triedAs.find(',', at), triedAs.size());
        TryGroup one = parse(triedAs.substr(at, comma - at));
        // An empty piece would be any try, which a list of codes never means.
        if (comma == at || one.kind == Invalid || one.kind == Any || (!all.empty() && one.kind != all.front().kind))
            return {TryGroup{Invalid, {}}};
        all.push_back(std::move(one));
        at = comma + 1;
    }
    return all;
}

std::string triedAsFor(ChartGroup group, const std::string &key)
{
    switch (group) {
    case ChartGroup::Outcome: return key;
    case ChartGroup::ReplyCode: return key.empty() ? "no-reply" : key;
    case ChartGroup::EnhancedCode: return key.empty() ? "no-dsn" : key;
    }
    return key;
}

void QueryBuilder::addTries(const Filter &filter)
{
    const std::vector<TryGroup> groups = TryGroup::parseAll(filter.triedAs);
    if (groups.front().kind == TryGroup::Invalid) {
        add("0");  // matches nothing, as an unknown status does
        return;
    }
    const TryGroup &first = groups.front();
    constexpr auto Min = std::numeric_limits<std::int64_t>::min();
    constexpr auto Max = std::numeric_limits<std::int64_t>::max();
    // The group of a try, as chartqueries.cpp's groupKey names it, over the alias `t`
    // (deliveries x for a last try, attempts a for an earlier one); its parameter is pushed as
    // the text is built, so parameters follow the order of their '?'.
    const auto oneCondition = [&](const TryGroup &group, const std::string &t) -> std::string {
        switch (group.kind) {
        case TryGroup::Outcome:
            if (group.key == "delivered")
                return " AND " + t + "status = 1";
            // An expired recipient's try was a deferral (chartOutcome).
            if (group.key == "deferred")
                return " AND " + t + "status IN (2, 4)";
            if (group.key == "rejected")
                return " AND " + t + "status = 5";
            if (group.key == "failed")
                return " AND " + t + "status <> 1";
            return " AND " + t + "status NOT IN (1, 2, 4, 5)";  // the chart's ELSE: bounced
        case TryGroup::ReplyCode:
            // As the chart keys them (charttries::replyKey): without a code, delivered or not.
            if (group.key.empty())
                return " AND " + t + "reply_code IS NULL AND " + t + "status <> 1";
            if (group.key == charttries::DeliveredNoReplyName)
                return " AND " + t + "reply_code IS NULL AND " + t + "status = 1";
            m_params.emplace_back(std::int64_t(std::stoll(group.key)));
            return " AND " + t + "reply_code = ?";
        case TryGroup::EnhancedCode:
            if (group.key.empty())
                return " AND " + t + "dsn_id IS NULL";
            m_params.emplace_back(group.key);
            return " AND " + t + "dsn_id = (SELECT id FROM dsns WHERE name = ?)";
        case TryGroup::Any:
        case TryGroup::Invalid: break;
        }
        return {};
    };
    // A list (the codes of a chart's "Other"): a try of any of them.
    const auto groupCondition = [&](const std::string &t) -> std::string {
        if (groups.size() == 1)
            return oneCondition(first, t);
        std::string any;
        for (const TryGroup &g : groups)
            any += (any.empty() ? "(" : " OR (") + oneCondition(g, t).substr(5) + ")";  // without its " AND "
        return " AND (" + any + ")";
    };
    // A try falls between its message's first and last line: the messages that can have one in
    // the range arrived before its end (a range of the time index) and were last seen after its
    // start. Then the try's own time is tested.
    const auto timeCondition = [&](const std::string &time) {
        std::string out;
        if (filter.triedUntilMs != Max) {
            out += " AND y.first_seen < ?";
            m_params.emplace_back(filter.triedUntilMs);
        }
        if (filter.triedSinceMs != Min) {
            out += " AND y.last_seen >= ? AND " + time + " >= ?";
            m_params.emplace_back(filter.triedSinceMs);
            m_params.emplace_back(filter.triedSinceMs);
        }
        if (filter.triedUntilMs != Max) {
            out += " AND " + time + " < ?";
            m_params.emplace_back(filter.triedUntilMs);
        }
        return out;
    };
    // As the chart counts (chartqueries.cpp): every delivery's last try (a recipient tried once
    // has it in its row only), unless it handed the recipient to the next hop of a chain or it
    // expired with attempt rows; and each counted attempt before it, or every counted one of an
    // expired recipient ("delivery temporarily suspended" tried nothing and is not counted, nor
    // is a recipient with only such lines: attempts 0, nor a row's last try that was one: its
    // real try is the attempt row before, lastTryCountedSql).
    const char *lastTime = "coalesce(x.last_attempt, y.last_seen)";
    // '+' keeps the planner off the status index for 1-5, which nearly every delivery has: it
    // would read them all. It is left to choose between the time index (a range ending early)
    // and the status index for an outcome's status with the attempts read whole (the attempts
    // are of deliveries tried more than once: a range in the middle of a big log reads fewer
    // rows that way than the messages before it).
    const std::string join = " JOIN ";
    std::string tries;
    if (m_grain == Grain::Messages && filter.triedSinceMs == Min && filter.triedUntilMs == Max &&
        groups.size() == 1 && first.kind == TryGroup::Outcome && first.key == "deferred") {
        // The messages with a deferral at any time (the Summary's "deferred tries"): an attempt
        // row that is also its delivery's last try lists its message once all the same, an
        // expired recipient's row with attempt rows has a counted deferral among them, and a
        // hand-over to a chain's next hop is never a deferral. So the attempts
        // are read alone, without a lookup of their delivery and message each (at 1 GB: 60 ms
        // against 330).
        tries = "SELECT x.message_id AS message_id FROM deliveries x WHERE +x.status BETWEEN 1 AND 5 AND "
                "x.next_hop IS NULL AND x.attempts > 0";
        tries += groupCondition("x.");
        tries += " UNION ALL SELECT a.message_id FROM attempts a WHERE a.counted = 1";
        tries += groupCondition("a.");
    } else {
        std::string lastTries = "SELECT x.id AS id, x.message_id AS message_id FROM messages y" + join + "deliveries x ON "
                                "x.message_id = y.id WHERE +x.status BETWEEN 1 AND 5 AND x.next_hop IS NULL AND x.attempts > 0 "
                                "AND (x.status <> 4 OR NOT EXISTS (SELECT 1 FROM attempts z WHERE z.message_id = x.message_id "
                                "AND z.delivery_idx = x.idx)) AND " + lastTryCountedSql("x.", "z", false);
        lastTries += timeCondition(lastTime);
        lastTries += groupCondition("x.");
        std::string earlierTries = "SELECT x.id, x.message_id FROM messages y" + join + "deliveries x ON x.message_id = y.id" +
                                   join + "attempts a ON a.message_id = x.message_id AND a.delivery_idx = x.idx WHERE "
                                   "a.counted = 1 AND (a.time < " +
                                   std::string(lastTime) + " OR x.status = 4)";
        earlierTries += timeCondition("a.time");
        earlierTries += groupCondition("a.");
        tries = lastTries + " UNION ALL " + earlierTries;
    }
    if (m_grain == Grain::Deliveries)
        add("d.id IN (SELECT id FROM (" + tries + "))", false);
    else
        addAnyHop("m.id IN (SELECT message_id FROM (" + tries + "))");
}

void QueryBuilder::addDestination(const std::string &host)
{
    // As statsreplies' remoteHost: the relay's host (hostPart), lower-cased; for a
    // try that reached no server (no relay, or "none") the host of the reply's first "connect to
    // HOST[...]", or "" when it names none; a relay of "none" without one is "none". A hand-over
    // to the next hop of a chain is no destination (the summary leaves it out). The relays are a
    // dictionary: the ids of the relays of the host are found first.
    // hostPart is statsreplies' hostName: the name before "[address]" without trailing spaces and dots
    // (Exim's "host [ip]", Sendmail's "host. [ip]"), the address when no name comes before it.
    const auto hostPart = [](const std::string &s) {
        const std::string name = "rtrim(substr(" + s + ", 1, instr(" + s + ", '[') - 1), ' .')";
        return "lower(CASE WHEN instr(" + s + ", '[') = 0 THEN rtrim(" + s + ", ' .') WHEN " + name + " <> '' THEN " + name +
            " ELSE substr(" + s + ", instr(" + s + ", '[') + 1, instr(substr(" + s + ", instr(" + s + ", '[')), ']') - 2) END)";
    };
    const std::string rest = "substr(mailtrail_reply(%reply_text, %recipient), instr(mailtrail_reply(%reply_text, %recipient), 'connect to ') + 11)";
    const std::string noRelay = "(%relay_id IS NULL OR %relay_id IN (SELECT id FROM relays WHERE name = 'none'))";
    // A relay's host is the relay's (its reply is not read: a relay other than "none" is no
    // missing server).
    const std::string cond = "%next_hop IS NULL AND (%relay_id IN (SELECT id FROM relays WHERE name <> 'none' AND " +
        hostPart("name") + " = lower(?)) OR (" +
        noRelay + " AND CASE WHEN instr(mailtrail_reply(%reply_text, %recipient), 'connect to ') > 0 THEN CASE WHEN instr(" + rest +
        ", '[') > 0 THEN " + hostPart(rest) + " ELSE '' END WHEN %relay_id IS NOT NULL THEN 'none' END = lower(?)))";
    m_params.emplace_back(host);
    m_params.emplace_back(host);
    if (m_grain == Grain::Deliveries)
        add(qualify(cond, "d."), false);
    else
        addMessageSet("SELECT c.message_id FROM deliveries c WHERE " + qualify(cond, "c."), qualify(cond, "x."));
}

void QueryBuilder::addRejectReason(const std::string &kind)
{
    // The rejects (few: read by the status index) whose reply the statistics put under `kind`.
    const std::string cond = "%status = 5 AND " + statsreplies::rejectCategorySql("mailtrail_reply(%reply_text, %recipient)") + " = ?";
    m_params.emplace_back(kind);
    if (m_grain == Grain::Deliveries)
        add(qualify(cond, "d."), false);
    else
        addMessageSet("SELECT c.message_id FROM deliveries c WHERE " + qualify(cond, "c."), qualify(cond, "x."));
}

} // namespace mailtrail
