// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insights/insightengine.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>
#include <utility>

namespace mailtrail {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Words of remote replies that say the sending IP is listed: the blocklists' own names, the
// codes Microsoft and Gmail give for it, and the generic wording.
bool saysListed(std::string_view replyText)
{
    static constexpr std::array<std::string_view, 16> Words{
        "spamhaus", "barracuda", "spamcop", "sorbs", "abusix", "blocklist", "blacklist", "block list", "black list",
        "rbl", "dnsbl", "s3150", "s3140", "5.7.606", "listed at", "listed in"};
    const std::string text = lower(replyText);
    if (std::any_of(Words.begin(), Words.end(), [&text](std::string_view w) { return text.find(w) != std::string::npos; }))
        return true;
    // Gmail: "421-4.7.0 ... this message has been blocked", "... IP address ... has been blocked"
    return text.find("blocked") != std::string::npos && text.find(" ip") != std::string::npos;
}

std::string domainOf(const std::string &address)
{
    const std::size_t at = address.rfind('@');
    return at == std::string::npos ? std::string() : lower(std::string_view(address).substr(at + 1));
}

std::string percent(std::size_t part, std::size_t whole)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
    return buf;
}

// "1 message", "3 messages".
std::string count(std::size_t n, const char *one, const char *many)
{
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

std::string minutes(std::int64_t ms)
{
    return std::to_string(ms / 60000) + " min";
}

// A destination not tried for this long is no longer known to defer: its next deferral starts a
// new run. Postfix retries a deferred message at least every 4,000 s (maximal_backoff_time), Exim
// every few hours after its first day.
std::int64_t deferringGapMs(const InsightThresholds &t)
{
    return std::max<std::int64_t>(t.deferringMs, 2 * 60 * 60 * 1000);
}

} // namespace

const char *insightKindName(InsightKind kind)
{
    switch (kind) {
    case InsightKind::FailureShare: return "failure-share";
    case InsightKind::DestinationDeferring: return "destination-deferring";
    case InsightKind::AuthFailureBurst: return "auth-failure-burst";
    case InsightKind::RejectBurst: return "reject-burst";
    case InsightKind::QueueGrowing: return "queue-growing";
    case InsightKind::NoDeliveries: return "no-deliveries";
    case InsightKind::Blocklisted: return "blocklisted";
    }
    return "unknown";
}

InsightEngine::InsightEngine(InsightThresholds thresholds)
    : m_t(thresholds)
{
}

std::vector<Insight> InsightEngine::take()
{
    return std::exchange(m_fired, {});
}

std::size_t InsightEngine::tracked() const
{
    return m_seen.size() + m_deferring.size() + m_authFailures.size() + m_rejects.size() + m_active.size();
}

void InsightEngine::forgetQuiet(std::int64_t nowMs)
{
    m_newestMs = std::max(m_newestMs, nowMs);
    if (m_newestMs < m_nextForgetMs)
        return;
    constexpr std::int64_t MinuteMs = 60 * 1000;
    m_nextForgetMs = m_newestMs + MinuteMs;
    auto forget = [this](auto &map, InsightKind kind, auto quiet) {
        for (auto it = map.begin(); it != map.end();) {
            if (quiet(it->second)) {
                m_active.erase(std::make_pair(kind, it->first));
                it = map.erase(it);
            } else {
                ++it;
            }
        }
    };
    const std::int64_t burstFrom = m_newestMs - m_t.burstWindowMs;
    m_authFailures.forgetBefore(burstFrom, [this](const std::string &subject) {
        m_active.erase(std::make_pair(InsightKind::AuthFailureBurst, subject));
    });
    m_rejects.forgetBefore(burstFrom, [this](const std::string &subject) {
        m_active.erase(std::make_pair(InsightKind::RejectBurst, subject));
    });
    const std::int64_t deferFrom = m_newestMs - deferringGapMs(m_t);
    forget(m_deferring, InsightKind::DestinationDeferring, [deferFrom](const Deferring &d) { return d.lastMs < deferFrom; });
}

void InsightEngine::set(bool on, InsightKind kind, InsightSeverity severity, std::int64_t timeMs,
                        const std::string &subject, const std::function<Described()> &describe)
{
    const auto key = std::make_pair(kind, subject);
    if (!on) {
        m_active.erase(key);
        return;
    }
    if (!m_active.insert(key).second)
        return;
    Described d = describe ? describe() : Described{};
    m_fired.push_back(Insight{kind, severity, timeMs, subject, std::move(d.detail), std::move(d.messageIds)});
}

void InsightEngine::message(const MessageRecord &m)
{
    if (m.state == MessageState::Rejected && m.deliveries.empty()) {
        rejected(m);
        return;
    }
    auto known = m_seen.find(m.dbId);
    std::vector<Seen> now;
    now.reserve(m.deliveries.size());
    bool anyRejected = false;
    for (std::size_t i = 0; i < m.deliveries.size(); ++i) {
        const DeliveryRecord &d = m.deliveries[i];
        now.push_back({d.status, d.attempts});
        if (known != m_seen.end() && i < known->second.size() && known->second[i] == now.back())
            continue;
        if (d.status == DeliveryStatus::Rejected)
            anyRejected = true;
        else if (d.status != DeliveryStatus::None)
            tries(m, d, known != m_seen.end() && i < known->second.size() ? known->second[i].attempts : 0);
    }
    if (anyRejected && known == m_seen.end())
        rejected(m);
    if (m.isOpen())
        m_seen[m.dbId] = std::move(now);
    else if (known != m_seen.end())
        m_seen.erase(known);
}

void InsightEngine::tries(const MessageRecord &m, const DeliveryRecord &d, int alreadySeen)
{
    // The tries not written yet are the newest; a single try lives in the delivery's own fields.
    std::vector<AttemptRecord> counted;
    for (const AttemptRecord &a : d.newAttempts) {
        if (a.counted)
            counted.push_back(a);
    }
    const int fresh = d.attempts - alreadySeen;
    if (fresh <= 0 || counted.empty()) {
        AttemptRecord last = d.lastTry();
        if (last.timeMs == 0)
            last.timeMs = m.lastSeenMs;
        attempt(m, d.recipient, last);  // a new status without a new try (expired), or one try
        return;
    }
    const std::size_t skip = counted.size() > static_cast<std::size_t>(fresh) ? counted.size() - static_cast<std::size_t>(fresh) : 0;
    for (std::size_t i = skip; i < counted.size(); ++i)
        attempt(m, d.recipient, counted[i]);
}

void InsightEngine::attempt(const MessageRecord &m, const std::string &recipient, const AttemptRecord &d)
{
    const std::int64_t t = d.timeMs ? d.timeMs : m.lastSeenMs;
    checkSilence(t, m.fileId);
    const bool sent = d.status == DeliveryStatus::Sent;
    const bool deferred = d.status == DeliveryStatus::Deferred;
    const bool failed = deferred || d.status == DeliveryStatus::Bounced || d.status == DeliveryStatus::Expired;

    forgetQuiet(t);
    // The share of failures in the sliding window.
    m_outcomes.add({t, failed, m.dbId}, m_t.failureWindowMs);
    const std::int64_t newest = m_outcomes.newestMs();
    const std::size_t failures = m_outcomes.failed();
    const bool high = m_outcomes.size() >= static_cast<std::size_t>(m_t.failureMinimum) &&
                      static_cast<double>(failures) >= m_t.failureShare * static_cast<double>(m_outcomes.size());
    // Cleared only well below the threshold: a share near it would fire again and again.
    const bool low = static_cast<double>(failures) < 0.5 * m_t.failureShare * static_cast<double>(m_outcomes.size());
    if (high || low)
        set(high, InsightKind::FailureShare, InsightSeverity::Warning, newest, {}, [&] {
            return Described{std::to_string(failures) + " of " + count(m_outcomes.size(), "recipient", "recipients") +
                                 " (" + percent(failures, m_outcomes.size()) + ") bounced or deferred in " +
                                 minutes(m_t.failureWindowMs),
                             m_outcomes.messageIds(true, Insight::MaxMessages)};
        });

    // A destination that keeps deferring.
    const std::string domain = domainOf(recipient);
    if (!domain.empty()) {
        if (deferred) {
            auto [it, first] = m_deferring.try_emplace(domain);
            Deferring &dd = it->second;
            if (first || t - dd.lastMs > deferringGapMs(m_t)) {
                // A new run of deferrals: the last one ended (a delivery, or a long silence).
                set(false, InsightKind::DestinationDeferring, InsightSeverity::Warning, t, domain);
                dd = Deferring{t, t, {}};
            }
            dd.sinceMs = std::min(dd.sinceMs, t);  // a deferral read late
            dd.lastMs = std::max(dd.lastMs, t);
            if (dd.messageIds.size() < Insight::MaxMessages &&
                std::find(dd.messageIds.begin(), dd.messageIds.end(), m.dbId) == dd.messageIds.end())
                dd.messageIds.push_back(m.dbId);
            if (dd.lastMs - dd.sinceMs > m_t.deferringMs)
                set(true, InsightKind::DestinationDeferring, InsightSeverity::Warning, dd.lastMs, domain, [&] {
                    return Described{"deferring for " + minutes(dd.lastMs - dd.sinceMs) + " (" +
                                         count(dd.messageIds.size(), "message", "messages") + "); last reply: " + d.replyText,
                                     dd.messageIds};
                });
        } else if (sent) {
            // A delivery after its deferrals began ends the run; one read late, from before, does not.
            auto it = m_deferring.find(domain);
            if (it == m_deferring.end() || t >= it->second.sinceMs) {
                if (it != m_deferring.end())
                    m_deferring.erase(it);
                set(false, InsightKind::DestinationDeferring, InsightSeverity::Warning, t, domain);
            }
        }
    }

    // The queue growing: more deferred than delivered over the window.
    if (deferred || sent) {
        (deferred ? m_deferred : m_sent).add({t, deferred, m.dbId}, m_t.queueWindowMs);
        // Both windows end at the newest line of either.
        const std::int64_t latest = std::max({t, m_deferred.newestMs(), m_sent.newestMs()});
        m_deferred.expireBefore(latest - m_t.queueWindowMs);
        m_sent.expireBefore(latest - m_t.queueWindowMs);
        const bool growing = m_deferred.size() >= static_cast<std::size_t>(m_t.queueMinimum) && m_deferred.size() > m_sent.size();
        set(growing, InsightKind::QueueGrowing, InsightSeverity::Warning, latest, {}, [&] {
            return Described{count(m_deferred.size(), "recipient", "recipients") + " deferred, " +
                                 std::to_string(m_sent.size()) + " delivered in " + minutes(m_t.queueWindowMs),
                             m_deferred.messageIds(false, Insight::MaxMessages)};
        });
    }
    if (sent) {
        if (t >= m_lastSentMs)
            m_lastSentFileId = m.fileId;
        m_lastSentMs = std::max(m_lastSentMs, t);
        m_recentSent.add({t, false, 0}, m_t.silenceMs);
        set(false, InsightKind::NoDeliveries, InsightSeverity::Warning, t, {});
    }

    // A remote server says this one is listed.
    if (d.status != DeliveryStatus::Sent && saysListed(d.replyText)) {
        const std::string subject = d.relay.empty() ? domain : d.relay;
        set(true, InsightKind::Blocklisted, InsightSeverity::Critical, t, subject, [&] {
            return Described{std::to_string(d.replyCode) + " " + d.dsn + ": " + d.replyText, {m.dbId}};
        });
    }
}

void InsightEngine::checkSilence(std::int64_t nowMs, std::uint32_t fileId)
{
    // Nothing at all between the last delivery and this line, which another log holds: a gap
    // between two logs (another server's, or another week's), not a server that stopped
    // delivering while it logged on. The count of deliveries starts again in this log.
    if (m_lastSentMs != 0 && fileId != m_lastSentFileId && nowMs - m_newestMs > m_t.silenceMs) {
        m_lastSentMs = 0;
        m_recentSent = TimeWindow();
        return;
    }
    if (m_lastSentMs != 0 && nowMs - m_lastSentMs > m_t.silenceMs &&
        m_recentSent.size() >= static_cast<std::size_t>(m_t.silenceAfterDeliveries))
        set(true, InsightKind::NoDeliveries, InsightSeverity::Warning, nowMs, {}, [&] {
            return Described{"no delivery for " + minutes(nowMs - m_lastSentMs) + ", after " +
                                 std::to_string(m_recentSent.size()) + " in the " + minutes(m_t.silenceMs) + " before",
                             {}};
        });
}

void InsightEngine::rejected(const MessageRecord &m)
{
    if (!m.clientIp.empty())
        refused(m.clientIp, {m.lastSeenMs, true, m.dbId});
}

void InsightEngine::refused(const std::string &ip, TimeWindow::Entry e)
{
    countBurst(m_rejects, ip, e, m_t.rejectBurst, InsightKind::RejectBurst, InsightSeverity::Warning,
               [this](const TimeWindow &window, const std::string &subject) {
                   const std::size_t drops = window.size() - window.failed();
                   std::string detail = count(window.failed(), "message", "messages") + " refused";
                   if (drops)
                       detail += (window.failed() ? " and " : "") + count(drops, "connection", "connections") +
                           " dropped by postscreen";
                   return Described{detail + " from " + subject + " in " + minutes(m_t.burstWindowMs),
                                    window.messageIds(true, Insight::MaxMessages)};
               });
}

void InsightEngine::countBurst(ClientBursts &bursts, const std::string &ip, TimeWindow::Entry e, int threshold,
                               InsightKind kind, InsightSeverity severity,
                               const std::function<Described(const TimeWindow &, const std::string &)> &describe)
{
    forgetQuiet(e.timeMs);
    const ClientBursts::Counted counted = bursts.add(ip, e, m_t.burstWindowMs);
    const auto least = static_cast<std::size_t>(threshold);
    const auto check = [&](const TimeWindow &window, const std::string &subject, bool on) {
        set(on, kind, severity, window.newestMs(), subject, [&] { return describe(window, subject); });
    };
    check(counted.address, ip, counted.address.size() >= least);
    if (counted.networkWindow)
        check(*counted.networkWindow, counted.network, counted.networkRun(least));
}

void InsightEngine::incident(const IncidentRecord &incident)
{
    if (incident.clientIp.empty())
        return;
    // A client postscreen turned away (pregreet, DNSBL rank, hangup, pipelining…) is part of a
    // spam run as a refused message is. dnsblog's "addr … listed by" repeats postscreen's rank.
    if (incident.kind == IncidentKind::Screened) {
        if (!incident.detail.starts_with("addr "))
            refused(incident.clientIp, {incident.timeMs, false, 0});
        return;
    }
    // Only a failed password is a guess at one: a client that drops its connection or that
    // postscreen turned away is not a brute force, and must not raise a critical notification.
    if (incident.kind != IncidentKind::AuthFailure)
        return;
    countBurst(m_authFailures, incident.clientIp, {incident.timeMs, true, 0}, m_t.authFailureBurst,
               InsightKind::AuthFailureBurst, InsightSeverity::Critical,
               [this](const TimeWindow &window, const std::string &subject) {
                   return Described{count(window.size(), "SASL authentication failure", "SASL authentication failures") +
                                        " from " + subject + " in " + minutes(m_t.burstWindowMs),
                                    {}};
               });
}

} // namespace mailtrail
