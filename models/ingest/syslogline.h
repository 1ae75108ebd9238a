// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mailtrail {

// The parts of one syslog line, split but not interpreted. Views point into the parsed line.
struct SyslogLine {
    // timestamp as written
    int year = 0;          // 0 when the line has no year (classic syslog "Nov 22 08:50:30")
    int month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0;
    bool hasUtcOffset = false; int utcOffsetSec = 0;  // RFC 3339 "Z" / "+01:00"
    std::string_view host, program, body;  // program e.g. "postfix/submission/smtpd"; body = text after "]: " or ": "
    std::int64_t pid = -1;
};

// Parses "Nov 22 08:50:30 host prog[123]: body" (day may be space-padded "Nov  2"), optional fractional
// seconds, and RFC 3339 "2026-11-22T08:50:30.123456+01:00 host prog[123]: body" (also "Z", no fraction;
// without a zone the time is local, as for classic lines, but carries its year).
// Returns false for anything else (never crashes on junk, embedded NULs, invalid UTF-8, 1 MB lines).
// A trailing '\r' is dropped from the body.
bool parseSyslogLine(std::string_view line, SyslogLine &out);

// Scanning helpers for the bodies of mail-server syslog lines, shared by the format parsers
// (Postfix now; Sendmail writes the same "key=value, " fields and "host[ip]" peers).

// "host[ip]", "host[ip]:port" or "[ip]:port" at the start of s; whole covers all of it.
struct PeerAddress {
    std::string_view host, ip, whole;
};
bool readPeerAddress(std::string_view s, PeerAddress &peer);

// SMTP reply code (200-599) at the start of t, followed by end, ' ' or '-'; else 0.
int leadingReplyCode(std::string_view t);

// Length of an RFC 3463 enhanced status code ("5.1.1", "4.7.25") at the start of t, else 0.
std::size_t enhancedStatusLength(std::string_view t);

struct KeyValue {
    std::string_view key, value;  // value without its angle brackets
};

// Reads "key=value" fields separated by ", " or " ". A value in <...> ends at a '>' followed by a
// separator, so quoted addresses may hold spaces; a bare value ends at ' ', ',' or ": ". A value
// cut off by the end of a truncated line runs to that end.
class KeyValueScanner
{
public:
    explicit KeyValueScanner(std::string_view s)
        : m_s(s)
    {
    }
    // False at the first text that is not "key=" (then rest() starts there, separators included).
    bool next(KeyValue &field);
    std::string_view rest() const { return m_s; }

private:
    std::size_t valueEnd(std::size_t i, bool bracketed) const;
    std::string_view m_s;
};

} // namespace mailtrail
