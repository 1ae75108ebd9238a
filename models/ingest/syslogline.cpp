// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/syslogline.h"

#include "ingest/textscan.h"

#include <algorithm>
#include <charconv>

namespace mailtrail {
namespace {

constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isKeyChar(char c) { return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_' || c == '-'; }

// Reads exactly `count` digits at `pos`; the caller checks ranges.
bool readFixed(std::string_view s, std::size_t pos, std::size_t count, int &value)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (!isDigit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    value = v;
    return true;
}

// English abbreviations only: syslog writes them whatever the locale of the reader is. Told
// apart by their first letter, not by up to twelve comparisons on every line.
int monthFromAbbrev(std::string_view s)
{
    if (s.size() < 3)
        return 0;
    const auto is = [s](std::string_view name) { return s.substr(0, 3) == name; };
    switch (s[0]) {
    case 'J':
        return is("Jan") ? 1 : is("Jun") ? 6 : is("Jul") ? 7 : 0;
    case 'F':
        return is("Feb") ? 2 : 0;
    case 'M':
        return is("Mar") ? 3 : is("May") ? 5 : 0;
    case 'A':
        return is("Apr") ? 4 : is("Aug") ? 8 : 0;
    case 'S':
        return is("Sep") ? 9 : 0;
    case 'O':
        return is("Oct") ? 10 : 0;
    case 'N':
        return is("Nov") ? 11 : 0;
    case 'D':
        return is("Dec") ? 12 : 0;
    default:
        return 0;
    }
}

// "HH:MM:SS" at pos, then an optional fraction of any length (milliseconds kept). Advances pos.
bool readClock(std::string_view s, std::size_t &pos, SyslogLine &out)
{
    if (!readFixed(s, pos, 2, out.hour) || pos + 8 > s.size() || s[pos + 2] != ':'
        || !readFixed(s, pos + 3, 2, out.minute) || s[pos + 5] != ':' || !readFixed(s, pos + 6, 2, out.second)) {
        return false;
    }
    pos += 8;
    if (out.hour > 23 || out.minute > 59 || out.second > 60)
        return false;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int ms = 0;
        int digits = 0;
        for (; pos < s.size() && isDigit(s[pos]); ++pos, ++digits) {
            if (digits < 3)
                ms = ms * 10 + (s[pos] - '0');
        }
        if (digits == 0)
            return false;
        for (; digits < 3; ++digits)
            ms *= 10;
        out.millisecond = ms;
    }
    return true;
}

bool validDate(const SyslogLine &out)
{
    return out.month >= 1 && out.month <= 12 && out.day >= 1 && out.day <= 31;
}

// "Nov 22 08:50:30", "Nov  2 08:50:30", "Nov 2 08:50:30".
bool readClassicTimestamp(std::string_view s, std::size_t &pos, SyslogLine &out)
{
    if (s.size() < 15 || s[3] != ' ')
        return false;
    out.month = monthFromAbbrev(s);
    pos = 4;
    if (s[pos] == ' ')
        ++pos;
    if (!isDigit(s[pos]))
        return false;
    out.day = s[pos++] - '0';
    if (isDigit(s[pos]))
        out.day = out.day * 10 + (s[pos++] - '0');
    if (s[pos++] != ' ')
        return false;
    return readClock(s, pos, out) && validDate(out);
}

// "Z", "+01:00", "-0330", or nothing (then the time is local).
bool readZone(std::string_view s, std::size_t &pos, SyslogLine &out)
{
    if (pos >= s.size() || s[pos] == ' ')
        return true;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
        out.hasUtcOffset = true;
        return true;
    }
    if (s[pos] != '+' && s[pos] != '-')
        return false;
    const int sign = s[pos] == '-' ? -1 : 1;
    int hours = 0;
    int minutes = 0;
    if (!readFixed(s, pos + 1, 2, hours))
        return false;
    pos += 3;
    if (pos < s.size() && s[pos] == ':')
        ++pos;
    if (!readFixed(s, pos, 2, minutes) || hours > 23 || minutes > 59)
        return false;
    pos += 2;
    out.hasUtcOffset = true;
    out.utcOffsetSec = sign * (hours * 3600 + minutes * 60);
    return true;
}

// "2026-11-22T08:50:30.123456+01:00".
bool readRfc3339Timestamp(std::string_view s, std::size_t &pos, SyslogLine &out)
{
    if (!readFixed(s, 0, 4, out.year) || s.size() < 20 || s[4] != '-' || !readFixed(s, 5, 2, out.month)
        || s[7] != '-' || !readFixed(s, 8, 2, out.day) || (s[10] != 'T' && s[10] != 't')) {
        return false;
    }
    pos = 11;
    return validDate(out) && out.year > 0 && readClock(s, pos, out) && readZone(s, pos, out);
}

// "host prog[123]: body" or "host prog: body".
bool readHostAndTag(std::string_view s, std::size_t pos, SyslogLine &out)
{
    while (pos < s.size() && s[pos] == ' ')
        ++pos;
    const std::size_t hostEnd = s.find(' ', pos);
    if (hostEnd == std::string_view::npos || hostEnd == pos)
        return false;
    out.host = s.substr(pos, hostEnd - pos);
    pos = hostEnd + 1;
    const std::size_t progEnd = textscan::findOf(s, "[: ", pos);
    if (progEnd == std::string_view::npos || progEnd == pos || s[progEnd] == ' ')
        return false;
    out.program = s.substr(pos, progEnd - pos);
    pos = progEnd;
    if (s[pos] == '[') {
        const std::size_t close = s.find(']', pos);
        if (close == std::string_view::npos)
            return false;
        const char *first = s.data() + pos + 1;
        const char *last = s.data() + close;
        if (first == last || !isDigit(*first))
            return false;
        const auto [ptr, ec] = std::from_chars(first, last, out.pid);
        if (ec != std::errc() || ptr != last)
            return false;
        pos = close + 1;
    }
    if (pos >= s.size() || s[pos] != ':')
        return false;
    ++pos;
    if (pos < s.size() && s[pos] == ' ')
        ++pos;
    out.body = s.substr(pos);
    if (!out.body.empty() && out.body.back() == '\r')
        out.body.remove_suffix(1);
    return true;
}

} // namespace

bool parseSyslogLine(std::string_view line, SyslogLine &out)
{
    out = SyslogLine{};
    if (line.empty())
        return false;
    std::size_t pos = 0;
    const bool timeOk = isDigit(line[0]) ? readRfc3339Timestamp(line, pos, out) : readClassicTimestamp(line, pos, out);
    if (!timeOk || pos >= line.size() || line[pos] != ' ' || !readHostAndTag(line, pos, out)) {
        out = SyslogLine{};
        return false;
    }
    return true;
}

bool readPeerAddress(std::string_view s, PeerAddress &peer)
{
    // Bounded scans keep a hostile line full of '[' linear.
    std::size_t open = 0;
    while (open < s.size() && open < 256 && s[open] != '[' && s[open] != ' ')
        ++open;
    if (open >= s.size() || s[open] != '[')
        return false;
    const std::string_view window = s.substr(open, 64);
    const std::size_t close = window.find(']');
    if (close == std::string_view::npos && window.size() == 64)
        return false;
    const std::size_t ipEnd = close == std::string_view::npos ? s.size() : open + close;
    std::size_t end = std::min(ipEnd + 1, s.size());
    if (end + 1 < s.size() && s[end] == ':' && isDigit(s[end + 1])) {
        for (++end; end < s.size() && isDigit(s[end]);)
            ++end;
    }
    peer = {s.substr(0, open), s.substr(open + 1, ipEnd - open - 1), s.substr(0, end)};
    return true;
}

int leadingReplyCode(std::string_view t)
{
    if (t.size() < 3 || t[0] < '2' || t[0] > '5' || !isDigit(t[1]) || !isDigit(t[2])
        || (t.size() > 3 && t[3] != ' ' && t[3] != '-'))
        return 0;
    return (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
}

std::size_t enhancedStatusLength(std::string_view t)
{
    if (t.size() < 5 || (t[0] != '2' && t[0] != '4' && t[0] != '5') || t[1] != '.')
        return 0;
    std::size_t i = 2;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < t.size() && i - start < 3 && isDigit(t[i]))
            ++i;
        return i > start;
    };
    if (!digits() || i >= t.size() || t[i++] != '.' || !digits() || (i < t.size() && t[i] != ' '))
        return 0;
    return i;
}

bool KeyValueScanner::next(KeyValue &field)
{
    std::size_t i = textscan::findNotOf(m_s, " ,");
    const std::size_t keyStart = i;
    while (i < m_s.size() && isKeyChar(m_s[i]))
        ++i;
    if (i == keyStart || i >= m_s.size() || m_s[i] != '=')
        return false;
    field.key = m_s.substr(keyStart, i - keyStart);
    const bool bracketed = ++i < m_s.size() && m_s[i] == '<';
    const std::size_t start = bracketed ? i + 1 : i;
    const std::size_t end = valueEnd(start, bracketed);
    field.value = m_s.substr(start, end - start);
    m_s.remove_prefix(bracketed ? std::min(end + 1, m_s.size()) : end);
    return true;
}

std::size_t KeyValueScanner::valueEnd(std::size_t i, bool bracketed) const
{
    const auto endsValue = [this](std::size_t pos, bool colonAlone) {
        const char c = m_s[pos];
        const bool last = pos + 1 == m_s.size();
        return c == ' ' || c == ',' || (c == ':' && (colonAlone || last || m_s[pos + 1] == ' '));
    };
    if (bracketed) {
        for (std::size_t pos = m_s.find('>', i); pos != std::string_view::npos; pos = m_s.find('>', pos + 1)) {
            if (pos + 1 == m_s.size() || endsValue(pos + 1, true))
                return pos;
        }
        return m_s.size();
    }
    while (i < m_s.size() && !endsValue(i, false))
        ++i;
    return i;
}

} // namespace mailtrail
