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
#include <unordered_map>

namespace mailtrail {

// Evaluates the insight rules on the correlation output as it arrives (no SQL): fed each message
// an import writes (Ingestor's observer) and each incident, in log time. A message still open
// comes again with each import: only what changed since (a new try, another status) counts.
// An insight fires once when its condition becomes true, and again only after it was false.
class InsightEngine
{
public:
    explicit InsightEngine(InsightThresholds thresholds = {});

    void message(const MessageRecord &m);
    void incident(const IncidentRecord &incident);
    // The insights fired since the last call, in the order they fired.
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

    // Each try of a delivery counts once, whichever import it came with.
    void tries(const MessageRecord &m, const DeliveryRecord &d, int alreadySeen);
    void attempt(const MessageRecord &m, const std::string &recipient, const AttemptRecord &a);
    void rejected(const MessageRecord &m);
    void checkSilence(std::int64_t nowMs, std::uint32_t fileId);
    // Its words and the messages it is about: made only when it fires, not for each line that
    // keeps it true.
    struct Described {
        std::string detail;
        std::vector<std::int64_t> messageIds;
    };
    // Fires (kind, subject) unless it is active already; `on` false clears it.
    void set(bool on, InsightKind kind, InsightSeverity severity, std::int64_t timeMs, const std::string &subject,
             const std::function<Described()> &describe = {});
    void refused(const std::string &ip, TimeWindow::Entry e);
    // Counts `e` of `ip` in `bursts` and fires `kind` for the address, and for its network when
    // several of its addresses make the run (ClientBursts::Counted::networkRun).
    void countBurst(ClientBursts &bursts, const std::string &ip, TimeWindow::Entry e, int threshold, InsightKind kind,
                    InsightSeverity severity,
                    const std::function<Described(const TimeWindow &, const std::string &)> &describe);
    // Forgets the client IPs and domains nothing was heard of for a window's length (their
    // insights are over), at most once a minute of log time.
    void forgetQuiet(std::int64_t nowMs);

    InsightThresholds m_t;
    std::unordered_map<std::int64_t, std::vector<Seen>> m_seen;  // open messages only
    TimeWindow m_outcomes;  // delivered or failed, within failureWindowMs
    TimeWindow m_deferred, m_sent;  // within queueWindowMs
    struct Deferring {
        std::int64_t sinceMs = 0;
        std::int64_t lastMs = 0;  // its latest deferral
        std::vector<std::int64_t> messageIds;
    };
    std::map<std::string, Deferring> m_deferring;  // recipient domain -> deferring since
    // Per client address and network. Refusals hold refused messages (failed) and postscreen's
    // drops (not failed, no message).
    ClientBursts m_authFailures, m_rejects;
    std::int64_t m_lastSentMs = 0;
    std::uint32_t m_lastSentFileId = 0;  // the log of that delivery
    TimeWindow m_recentSent;           // within silenceMs before m_lastSentMs
    std::int64_t m_newestMs = 0;       // the latest log time seen
    std::int64_t m_nextForgetMs = 0;
    std::set<std::pair<InsightKind, std::string>> m_active;
    std::vector<Insight> m_fired;
};

} // namespace mailtrail
