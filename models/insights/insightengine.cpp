// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insights/insightengine.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <set>
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
std::string count(const InsightEngine::NumberFormat &number, std::size_t n, const char *one, const char *many)
{
    return number(static_cast<std::int64_t>(n)) + ' ' + (n == 1 ? one : many);
}

// A window or a silence in whole minutes, hours past two hours, days past two days: "no delivery
// for 9684546 min" between two logs years apart reads as "for 6725 days".
std::string minutes(const InsightEngine::NumberFormat &number, std::int64_t ms)
{
    const std::int64_t min = ms / 60000;
    if (min < 120)
        return number(min) + " min";
    if (min < 48 * 60)
        return number(min / 60) + " h";
    return number(min / (24 * 60)) + " days";
}

// A span of log time to the second: "0 s", "42 s", "4 min 12 s", "2 h 5 min".
std::string span(const InsightEngine::NumberFormat &number, std::int64_t ms)
{
    const std::int64_t sec = std::max<std::int64_t>(0, ms) / 1000;
    if (sec < 60)
        return std::to_string(sec) + " s";
    if (sec < 3600)
        return std::to_string(sec / 60) + " min" + (sec % 60 ? " " + std::to_string(sec % 60) + " s" : std::string());
    return number(sec / 3600) + " h" + (sec % 3600 / 60 ? " " + std::to_string(sec % 3600 / 60) + " min" : std::string());
}

// The login a SASL failure names ("... sasl_username=admin"), "" when the log names none.
std::string userOf(const std::string &detail)
{
    constexpr std::string_view key = "sasl_username=";
    const std::size_t at = detail.find(key);
    if (at == std::string::npos)
        return {};
    const std::size_t from = at + key.size();
    return detail.substr(from, detail.find_first_of(" ,", from) - from);
}

// "a, b and c"; past the first few, "a, b, c and 12 more" ("at least 12 more" when `capped`:
// not all of them were kept).
std::string listed(const InsightEngine::NumberFormat &number, const std::set<std::string> &names, bool capped)
{
    constexpr std::size_t Named = 8;
    std::string out;
    std::size_t i = 0;
    for (const std::string &n : names) {
        if (i == Named)
            break;
        if (i > 0)
            out += (i + 1 == names.size()) ? " and " : ", ";
        out += n;
        ++i;
    }
    if (names.size() > Named)
        out += std::string(" and ") + (capped ? "at least " : "") + number(static_cast<std::int64_t>(names.size() - Named)) + " more";
    return out;
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
    m_updates.clear();
    return std::exchange(m_fired, {});
}

std::size_t InsightEngine::tracked() const
{
    std::size_t n = m_seen.size() + m_active.size();
    // authRuns has the subjects of authFailures, and is forgotten with them.
    for (const auto &[name, sv] : m_servers)
        n += sv.deferring.size() + sv.authFailures.size() + sv.rejects.size();
    return n;
}

InsightEngine::Server &InsightEngine::serverOf(std::uint32_t fileId, const std::string &host)
{
    std::string name = m_serverOf ? m_serverOf(fileId, host) : std::string();
    auto it = m_servers.find(name);
    if (it == m_servers.end()) {
        it = m_servers.emplace(name, Server{}).first;
        it->second.name = std::move(name);
    }
    return it->second;
}

void InsightEngine::forgetQuiet(std::int64_t nowMs)
{
    m_newestMs = std::max(m_newestMs, nowMs);
    if (m_newestMs < m_nextForgetMs)
        return;
    constexpr std::int64_t MinuteMs = 60 * 1000;
    m_nextForgetMs = m_newestMs + MinuteMs;
    const std::int64_t burstFrom = m_newestMs - m_t.burstWindowMs;
    const std::int64_t deferFrom = m_newestMs - deferringGapMs(m_t);
    for (auto &[name, sv] : m_servers) {
        sv.authFailures.forgetBefore(burstFrom, [&](const std::string &subject) {
            m_active.erase(Key{InsightKind::AuthFailureBurst, name, subject});
        });
        std::erase_if(sv.authRuns, [burstFrom](const auto &run) { return run.second.lastMs < burstFrom; });
        sv.rejects.forgetBefore(burstFrom, [&](const std::string &subject) {
            m_active.erase(Key{InsightKind::RejectBurst, name, subject});
        });
        std::erase_if(sv.deferring, [&](const auto &d) {
            if (d.second.lastMs >= deferFrom)
                return false;
            m_active.erase(Key{InsightKind::DestinationDeferring, name, d.first});
            return true;
        });
    }
}

void InsightEngine::set(bool on, InsightKind kind, InsightSeverity severity, std::int64_t timeMs, const Server &sv,
                        const std::string &subject, const std::function<Described()> &describe)
{
    const Key key{kind, sv.name, subject};
    if (!on) {
        m_active.erase(key);
        return;
    }
    if (!m_active.emplace(key, timeMs).second)
        return;
    Described d = describe ? describe() : Described{};
    m_fired.push_back(Insight{kind, severity, timeMs, subject, std::move(d.detail), std::move(d.messageIds), sv.name,
                              d.firstMs, d.lastMs, false});
}

void InsightEngine::refresh(InsightKind kind, InsightSeverity severity, const Server &sv, const std::string &subject,
                            Described d)
{
    const Key key{kind, sv.name, subject};
    const auto active = m_active.find(key);
    if (active == m_active.end())
        return;
    Insight grown{kind, severity, active->second, subject, std::move(d.detail), std::move(d.messageIds), sv.name,
                  d.firstMs, d.lastMs, true};
    // Fired and not taken yet: it is itself what grew.
    for (auto it = m_fired.rbegin(); it != m_fired.rend(); ++it) {
        if (!it->update && it->kind == kind && it->server == sv.name && it->subject == subject && it->timeMs == active->second) {
            it->detail = std::move(grown.detail);
            it->firstMs = grown.firstMs;
            it->lastMs = grown.lastMs;
            return;
        }
    }
    if (const auto pending = m_updates.find(key); pending != m_updates.end()) {
        m_fired[pending->second] = std::move(grown);
        return;
    }
    m_updates.emplace(key, m_fired.size());
    m_fired.push_back(std::move(grown));
}

void InsightEngine::message(const MessageRecord &m)
{
    Server &sv = serverOf(m.fileId, m.host);
    if (m.state == MessageState::Rejected && m.deliveries.empty()) {
        rejected(sv, m);
        return;
    }
    auto known = m_seen.find(m.dbId);
    std::vector<Seen> now;
    now.reserve(m.deliveries.size());
    bool anyRejected = false;
    bool rejectedBefore = false;
    for (std::size_t i = 0; i < m.deliveries.size(); ++i) {
        const DeliveryRecord &d = m.deliveries[i];
        now.push_back({d.status, d.attempts});
        if (known != m_seen.end() && i < known->second.size()) {
            const Seen &before = known->second[i];
            rejectedBefore = rejectedBefore || before.status == DeliveryStatus::Rejected;
            // Handed over as it stood at an earlier try (a replay in log time goes over the tries
            // of a message a pass before already saw), or not named by a try's snapshot: nothing new.
            if (d.attempts < before.attempts || (d.status == DeliveryStatus::None && before.status != DeliveryStatus::None)) {
                now.back() = before;
                continue;
            }
            if (before == now.back())
                continue;
        }
        if (d.status == DeliveryStatus::Rejected)
            anyRejected = true;
        else if (d.status != DeliveryStatus::None)
            tries(sv, m, d, known != m_seen.end() && i < known->second.size() ? known->second[i].attempts : 0);
    }
    // Refused once per message, though it may come again (open, then at its end).
    if (anyRejected && !rejectedBefore)
        rejected(sv, m);
    // A try's snapshot names the recipients tried so far only: the others stay as they were seen.
    if (known != m_seen.end())
        for (std::size_t i = now.size(); i < known->second.size(); ++i)
            now.push_back(known->second[i]);
    if (m.isOpen())
        m_seen[m.dbId] = std::move(now);
    else if (known != m_seen.end())
        m_seen.erase(known);
}

void InsightEngine::tries(Server &sv, const MessageRecord &m, const DeliveryRecord &d, int alreadySeen)
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
        attempt(sv, m, d.recipient, last);  // a new status without a new try (expired), or one try
        return;
    }
    const std::size_t skip = counted.size() > static_cast<std::size_t>(fresh) ? counted.size() - static_cast<std::size_t>(fresh) : 0;
    for (std::size_t i = skip; i < counted.size(); ++i)
        attempt(sv, m, d.recipient, counted[i]);
}

void InsightEngine::attempt(Server &sv, const MessageRecord &m, const std::string &recipient, const AttemptRecord &d)
{
    const std::int64_t t = d.timeMs ? d.timeMs : m.lastSeenMs;
    checkSilence(sv, t, m.fileId);
    const bool sent = d.status == DeliveryStatus::Sent;
    const bool deferred = d.status == DeliveryStatus::Deferred;
    const bool failed = deferred || d.status == DeliveryStatus::Bounced || d.status == DeliveryStatus::Expired;

    forgetQuiet(t);
    // The share of failures in the sliding window.
    sv.outcomes.add({t, failed, m.dbId}, m_t.failureWindowMs);
    const std::int64_t newest = sv.outcomes.newestMs();
    const std::size_t failures = sv.outcomes.failed();
    const bool high = sv.outcomes.size() >= static_cast<std::size_t>(m_t.failureMinimum) &&
                      static_cast<double>(failures) >= m_t.failureShare * static_cast<double>(sv.outcomes.size());
    // Cleared only well below the threshold: a share near it would fire again and again.
    const bool low = static_cast<double>(failures) < 0.5 * m_t.failureShare * static_cast<double>(sv.outcomes.size());
    if (high || low)
        set(high, InsightKind::FailureShare, InsightSeverity::Warning, newest, sv, {}, [&] {
            return Described{m_number(static_cast<std::int64_t>(failures)) + " of " + count(m_number, sv.outcomes.size(), "recipient", "recipients") +
                                 " (" + percent(failures, sv.outcomes.size()) + ") bounced or deferred in " +
                                 minutes(m_number, m_t.failureWindowMs),
                             sv.outcomes.messageIds(true, Insight::MaxMessages)};
        });

    // A destination that keeps deferring.
    const std::string domain = domainOf(recipient);
    if (!domain.empty()) {
        if (deferred) {
            auto [it, first] = sv.deferring.try_emplace(domain);
            Deferring &dd = it->second;
            if (first || t - dd.lastMs > deferringGapMs(m_t)) {
                // A new run of deferrals: the last one ended (a delivery, or a long silence).
                set(false, InsightKind::DestinationDeferring, InsightSeverity::Warning, t, sv, domain);
                dd = Deferring{t, t, {}};
            }
            dd.sinceMs = std::min(dd.sinceMs, t);  // a deferral read late
            dd.lastMs = std::max(dd.lastMs, t);
            if (dd.messageIds.size() < Insight::MaxMessages &&
                std::find(dd.messageIds.begin(), dd.messageIds.end(), m.dbId) == dd.messageIds.end())
                dd.messageIds.push_back(m.dbId);
            if (dd.lastMs - dd.sinceMs > m_t.deferringMs)
                set(true, InsightKind::DestinationDeferring, InsightSeverity::Warning, dd.lastMs, sv, domain, [&] {
                    return Described{"deferring for " + minutes(m_number, dd.lastMs - dd.sinceMs) + " (" +
                                         count(m_number, dd.messageIds.size(), "message", "messages") + "); last reply: " + d.replyText,
                                     dd.messageIds};
                });
        } else if (sent) {
            // A delivery after its deferrals began ends the run; one read late, from before, does not.
            auto it = sv.deferring.find(domain);
            if (it == sv.deferring.end() || t >= it->second.sinceMs) {
                if (it != sv.deferring.end())
                    sv.deferring.erase(it);
                set(false, InsightKind::DestinationDeferring, InsightSeverity::Warning, t, sv, domain);
            }
        }
    }

    // The queue growing: more deferred than delivered over the window.
    if (deferred || sent) {
        (deferred ? sv.deferred : sv.sent).add({t, deferred, m.dbId}, m_t.queueWindowMs);
        // Both windows end at the newest line of either.
        const std::int64_t latest = std::max({t, sv.deferred.newestMs(), sv.sent.newestMs()});
        sv.deferred.expireBefore(latest - m_t.queueWindowMs);
        sv.sent.expireBefore(latest - m_t.queueWindowMs);
        const bool growing = sv.deferred.size() >= static_cast<std::size_t>(m_t.queueMinimum) && sv.deferred.size() > sv.sent.size();
        set(growing, InsightKind::QueueGrowing, InsightSeverity::Warning, latest, sv, {}, [&] {
            return Described{count(m_number, sv.deferred.size(), "recipient", "recipients") + " deferred, " +
                                 m_number(static_cast<std::int64_t>(sv.sent.size())) + " delivered in " + minutes(m_number, m_t.queueWindowMs),
                             sv.deferred.messageIds(false, Insight::MaxMessages)};
        });
    }
    if (sent) {
        if (t >= sv.lastSentMs)
            sv.lastSentFileId = m.fileId;
        sv.lastSentMs = std::max(sv.lastSentMs, t);
        sv.recentSent.add({t, false, 0}, m_t.silenceMs);
        set(false, InsightKind::NoDeliveries, InsightSeverity::Warning, t, sv, {});
    }

    // A remote server says this one is listed.
    if (d.status != DeliveryStatus::Sent && saysListed(d.replyText)) {
        const std::string subject = d.relay.empty() ? domain : d.relay;
        set(true, InsightKind::Blocklisted, InsightSeverity::Critical, t, sv, subject, [&] {
            return Described{std::to_string(d.replyCode) + " " + d.dsn + ": " + d.replyText, {m.dbId}};
        });
    }
}

void InsightEngine::checkSilence(Server &sv, std::int64_t nowMs, std::uint32_t fileId)
{
    // Nothing at all between the last delivery and this line, which another log holds: a gap
    // between two logs (another server's, or another week's), not a server that stopped
    // delivering while it logged on. The count of deliveries starts again in this log.
    if (sv.lastSentMs != 0 && fileId != sv.lastSentFileId && nowMs - m_newestMs > m_t.silenceMs) {
        sv.lastSentMs = 0;
        sv.recentSent = TimeWindow();
        return;
    }
    if (sv.lastSentMs != 0 && nowMs - sv.lastSentMs > m_t.silenceMs &&
        sv.recentSent.size() >= static_cast<std::size_t>(m_t.silenceAfterDeliveries))
        set(true, InsightKind::NoDeliveries, InsightSeverity::Warning, nowMs, sv, {}, [&] {
            return Described{"no delivery for " + minutes(m_number, nowMs - sv.lastSentMs) + ", after " +
                                 m_number(static_cast<std::int64_t>(sv.recentSent.size())) + " in the " + minutes(m_number, m_t.silenceMs) + " before",
                             {}};
        });
}

void InsightEngine::rejected(Server &sv, const MessageRecord &m)
{
    if (!m.clientIp.empty())
        refused(sv, m.clientIp, {m.lastSeenMs, true, m.dbId});
}

void InsightEngine::refused(Server &sv, const std::string &ip, TimeWindow::Entry e)
{
    countBurst(sv, sv.rejects, ip, e, m_t.rejectBurst, InsightKind::RejectBurst, InsightSeverity::Warning,
               [this](const TimeWindow &window, const std::string &subject) {
                   const std::size_t drops = window.size() - window.failed();
                   std::string detail = count(m_number, window.failed(), "message", "messages") + " refused";
                   if (drops)
                       detail += (window.failed() ? " and " : "") + count(m_number, drops, "connection", "connections") +
                           " dropped by postscreen";
                   return Described{detail + " from " + subject + " in " + minutes(m_number, m_t.burstWindowMs),
                                    window.messageIds(true, Insight::MaxMessages)};
               });
}

void InsightEngine::countBurst(Server &sv, ClientBursts &bursts, const std::string &ip, TimeWindow::Entry e, int threshold,
                               InsightKind kind, InsightSeverity severity,
                               const std::function<Described(const TimeWindow &, const std::string &)> &describe)
{
    forgetQuiet(e.timeMs);
    const ClientBursts::Counted counted = bursts.add(ip, e, m_t.burstWindowMs);
    const auto least = static_cast<std::size_t>(threshold);
    const auto check = [&](const TimeWindow &window, const std::string &subject, bool on) {
        set(on, kind, severity, window.newestMs(), sv, subject, [&] { return describe(window, subject); });
    };
    bool addressOn = counted.address.size() >= least;
    bool networkOn = counted.networkRun(least);
    // One attack, one line: a network's run already named goes on when one of its addresses
    // reaches the threshold alone (it names that address among its own), rather than ending
    // and firing again as the address.
    if (counted.networkWindow && counted.networkWindow->size() >= least &&
        m_active.contains(Key{kind, sv.name, counted.network})) {
        networkOn = true;
        addressOn = false;
    }
    check(counted.address, ip, addressOn);
    if (counted.networkWindow)
        check(*counted.networkWindow, counted.network, networkOn);
}

void InsightEngine::AuthRun::add(std::int64_t timeMs, const std::string &ip, const std::string &user)
{
    if (count == 0 || timeMs < firstMs)
        firstMs = timeMs;
    lastMs = std::max(lastMs, timeMs);
    ++count;
    if (addresses.size() < MaxKept)
        addresses.insert(ip);
    if (!user.empty() && users.size() < MaxKept)
        users.insert(user);
}

std::string InsightEngine::describeAuthRun(const AuthRun &run, const std::string &subject, bool network) const
{
    // The attack as it is: how many failures, from where, over what span, trying which logins
    // (not the threshold it crossed).
    std::string from = subject;
    const bool manyAddresses = run.addresses.size() >= AuthRun::MaxKept;
    if (network)
        from = std::string(manyAddresses ? "at least " : "") + m_number(static_cast<std::int64_t>(run.addresses.size())) + " addresses of " +
            subject + " (" + listed(m_number, run.addresses, manyAddresses) + ")";
    std::string detail = count(m_number, static_cast<std::size_t>(run.count), "SASL authentication failure", "SASL authentication failures") +
        " from " + from + " over " + span(m_number, run.lastMs - run.firstMs);
    if (run.users.empty())
        detail += "; the log names no username";
    else
        detail += (run.users.size() == 1 ? "; username tried: " : "; usernames tried: ") +
            listed(m_number, run.users, run.users.size() >= AuthRun::MaxKept);
    return detail;
}

void InsightEngine::incident(const IncidentRecord &incident)
{
    if (incident.clientIp.empty())
        return;
    Server &sv = serverOf(incident.line.fileId, incident.host);
    // A client postscreen turned away (pregreet, DNSBL rank, hangup, pipelining…) is part of a
    // spam run as a refused message is. dnsblog's "addr … listed by" repeats postscreen's rank.
    if (incident.kind == IncidentKind::Screened) {
        if (!incident.detail.starts_with("addr "))
            refused(sv, incident.clientIp, {incident.timeMs, false, 0});
        return;
    }
    // Only a failed password is a guess at one: a client that drops its connection or that
    // postscreen turned away is not a brute force, and must not raise a critical notification.
    if (incident.kind != IncidentKind::AuthFailure)
        return;
    const std::string &ip = incident.clientIp;
    const std::string network = networkOf(ip);
    const std::string user = userOf(incident.detail);
    // The runs of the address and its network, counted before the rules look at them; a quiet
    // burst window ends a run, and the next failure begins another.
    for (const std::string *subject : {&ip, &network}) {
        if (subject->empty())
            continue;
        AuthRun &run = sv.authRuns[*subject];
        if (run.count > 0 && incident.timeMs - run.lastMs > m_t.burstWindowMs)
            run = AuthRun{};
        run.add(incident.timeMs, ip, user);
    }
    countBurst(sv, sv.authFailures, ip, {incident.timeMs, true, 0}, m_t.authFailureBurst, InsightKind::AuthFailureBurst,
               InsightSeverity::Critical, [this, &sv, &network](const TimeWindow &, const std::string &subject) {
                   const AuthRun &run = sv.authRuns[subject];
                   return Described{describeAuthRun(run, subject, subject == network), {}, run.firstMs, run.lastMs};
               });
    // An attack that goes on after its insight fired: the insight says how far it went.
    for (const std::string *subject : {&ip, &network}) {
        if (!subject->empty() && m_active.contains(Key{InsightKind::AuthFailureBurst, sv.name, *subject}))
            refresh(InsightKind::AuthFailureBurst, InsightSeverity::Critical, sv, *subject,
                    Described{describeAuthRun(sv.authRuns[*subject], *subject, subject == &network), {},
                              sv.authRuns[*subject].firstMs, sv.authRuns[*subject].lastMs});
    }
}

} // namespace mailtrail
