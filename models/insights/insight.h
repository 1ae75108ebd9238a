// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// What the rules of InsightEngine watch for.
enum class InsightKind : std::uint8_t {
    FailureShare,          // bounced or deferred recipients above a share of a sliding window
    DestinationDeferring,  // a recipient domain deferring for longer than a threshold
    AuthFailureBurst,      // SASL failures from one client IP or network
    RejectBurst,           // refused messages (RCPT rejects, NOQUEUE) and postscreen drops from one client IP or network
    QueueGrowing,          // more recipients deferred than delivered over a window
    NoDeliveries,          // no outgoing delivery for a long time
    Blocklisted,           // a remote reply says this server's IP is on a blocklist
};

enum class InsightSeverity : std::uint8_t { Warning, Critical };

// One insight: when it fired (log time), about what, the numbers behind it, and the messages it
// is about (for the table to filter on; at most MaxMessages).
struct Insight {
    static constexpr std::size_t MaxMessages = 1000;
    InsightKind kind = InsightKind::FailureShare;
    InsightSeverity severity = InsightSeverity::Warning;
    std::int64_t timeMs = 0;
    std::string subject;  // the domain, the client IP, the relay; empty for the whole server
    std::string detail;   // the numbers, in words
    std::vector<std::int64_t> messageIds;
    // The server it is about, where the logs are of several (InsightEngine::setServerOf): insights
    // of two servers that call themselves alike are two. Empty: the logs are of one server.
    std::string server;
    // The span of what it counted, where the rule keeps one (a SASL run: its first and latest
    // failure, grown with its updates); 0 otherwise. The lines behind it are those of this span.
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
    // Not a new insight: the one fired before at `timeMs` of this kind, server and subject, with
    // its numbers grown since (a SASL attack that went on). Its detail replaces the earlier one.
    bool update = false;
};

const char *insightKindName(InsightKind kind);

// The thresholds of the rules. The defaults suit a small to medium server; the window's settings
// dialog and the CLI's --alert-config set them.
struct InsightThresholds {
    std::int64_t failureWindowMs = 15 * 60 * 1000;
    int failureMinimum = 20;        // recipients in the window before the share means anything
    double failureShare = 0.3;
    std::int64_t deferringMs = 60 * 60 * 1000;
    std::int64_t burstWindowMs = 10 * 60 * 1000;
    int authFailureBurst = 10;
    int rejectBurst = 20;
    std::int64_t queueWindowMs = 30 * 60 * 1000;
    int queueMinimum = 20;          // deferred recipients in the window before it counts as growing
    std::int64_t silenceMs = 4 * 60 * 60 * 1000;
    // Silence counts only after this many deliveries in the silenceMs before it: a server that
    // sends a few messages a day is quiet for hours as a matter of course.
    int silenceAfterDeliveries = 20;
};

} // namespace mailtrail
