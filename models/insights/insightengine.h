// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/correlator.h"
#include "insights/clientbursts.h"
#include "insights/insight.h"
#include "insights/timewindow.h"

#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace mailtrail {

// Evaluates the insight rules on the correlation output as it arrives (no SQL): fed each message
// an import writes (Ingestor's observer) and each incident, in log time. A message still open
// comes again with each import: only what changed since (a new try, another status) counts.
// An insight fires once when its condition becomes true, and again only after it was false; a
// SASL attack that goes on after it fired updates it (Insight::update) with its numbers so far.
class InsightEngine
{
public:
    // The server a line of log file `fileId`, logged by `host`, belongs to; "" for one server.
    using ServerOf = std::function<std::string(std::uint32_t fileId, const std::string &host)>;

    explicit InsightEngine(InsightThresholds thresholds = {});

    // Keeps the rules apart per server: the logs of a mixed folder are of several servers that
    // may all call themselves "mx", and the share of failures, the queue, the silence, a
    // destination deferring or a client's burst of one of them is not the other's.
    void setServerOf(ServerOf serverOf) { m_serverOf = std::move(serverOf); }
    // How a count is written in an insight's words: the window's is its locale's ("after
    // 164,037"); digits alone unless set (the CLI's, read by scripts too).
    using NumberFormat = std::function<std::string(std::int64_t)>;
    void setNumberFormat(NumberFormat format) { m_number = std::move(format); }
    void message(const MessageRecord &m);
    void incident(const IncidentRecord &incident);
    // The insights fired since the last call, in the order they fired, and the latest update of
    // each insight that grew since.
    std::vector<Insight> take();
    // How many windows and subjects (client IPs, domains, open messages) it keeps: on a follow of
    // weeks, only those of the last window's worth of log time.
    std::size_t tracked() const;

private:
    struct Seen {
        DeliveryStatus status;
        int attempts;
        bool operator==(const Seen &) const = default;
    };
    struct Deferring {
        std::int64_t sinceMs = 0;
        std::int64_t lastMs = 0;  // its latest deferral
        std::vector<std::int64_t> messageIds;
    };
    // A run of SASL failures of one address or network: from its first failure on, as long as
    // no burst window passes without one. What its insight says: how many, over what span, from
    // how many addresses, with which usernames.
    struct AuthRun {
        // Kept to count them (a run of a whole network, a dictionary of logins), at most this
        // many: memory stays bounded whatever the attack; past it the words say "at least".
        static constexpr std::size_t MaxKept = 1000;
        std::int64_t count = 0, firstMs = 0, lastMs = 0;
        std::set<std::string> addresses;
        std::set<std::string> users;
        void add(std::int64_t timeMs, const std::string &ip, const std::string &user);
    };
    // The rules' state of one server.
    struct Server {
        std::string name;
        TimeWindow outcomes;  // delivered or failed, within failureWindowMs
        TimeWindow deferred, sent;  // within queueWindowMs
        std::map<std::string, Deferring> deferring;  // recipient domain -> deferring since
        // Per client address and network. Refusals hold refused messages (failed) and postscreen's
        // drops (not failed, no message).
        ClientBursts authFailures, rejects;
        std::map<std::string, AuthRun> authRuns;  // by address and by network
        std::int64_t lastSentMs = 0;
        std::uint32_t lastSentFileId = 0;  // the log of that delivery
        TimeWindow recentSent;             // within silenceMs before lastSentMs
    };
    using Key = std::tuple<InsightKind, std::string, std::string>;  // kind, server, subject

    Server &serverOf(std::uint32_t fileId, const std::string &host);
    // Each try of a delivery counts once, whichever import it came with.
    void tries(Server &sv, const MessageRecord &m, const DeliveryRecord &d, int alreadySeen);
    void attempt(Server &sv, const MessageRecord &m, const std::string &recipient, const AttemptRecord &a);
    void rejected(Server &sv, const MessageRecord &m);
    void checkSilence(Server &sv, std::int64_t nowMs, std::uint32_t fileId);
    // Its words and the messages it is about: made only when it fires, not for each line that
    // keeps it true.
    struct Described {
        std::string detail;
        std::vector<std::int64_t> messageIds;
        std::int64_t firstMs = 0, lastMs = 0;  // Insight::firstMs, lastMs
    };
    // Fires (kind, server, subject) unless it is active already; `on` false clears it.
    void set(bool on, InsightKind kind, InsightSeverity severity, std::int64_t timeMs, const Server &sv,
             const std::string &subject, const std::function<Described()> &describe = {});
    // An active insight's numbers grew: its update replaces the one not taken yet.
    void refresh(InsightKind kind, InsightSeverity severity, const Server &sv, const std::string &subject, Described d);
    void refused(Server &sv, const std::string &ip, TimeWindow::Entry e);
    // Counts `e` of `ip` in `bursts` and fires `kind` for the address, and for its network when
    // several of its addresses make the run (ClientBursts::Counted::networkRun).
    void countBurst(Server &sv, ClientBursts &bursts, const std::string &ip, TimeWindow::Entry e, int threshold,
                    InsightKind kind, InsightSeverity severity,
                    const std::function<Described(const TimeWindow &, const std::string &)> &describe);
    std::string describeAuthRun(const AuthRun &run, const std::string &subject, bool network) const;
    // Forgets the client IPs and domains nothing was heard of for a window's length (their
    // insights are over), at most once a minute of log time.
    void forgetQuiet(std::int64_t nowMs);

    InsightThresholds m_t;
    ServerOf m_serverOf;
    NumberFormat m_number = [](std::int64_t n) { return std::to_string(n); };
    std::map<std::string, Server> m_servers;
    std::unordered_map<std::int64_t, std::vector<Seen>> m_seen;  // open messages only
    std::int64_t m_newestMs = 0;       // the latest log time seen
    std::int64_t m_nextForgetMs = 0;
    std::map<Key, std::int64_t> m_active;  // the time each fired
    std::vector<Insight> m_fired;
    std::map<Key, std::size_t> m_updates;  // of m_fired, the update of each key not taken yet
};

} // namespace mailtrail
