// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/exim/eximparser.h"

#include "ingest/syslogline.h"
#include "ingest/textscan.h"


namespace mailtrail {
namespace {

using namespace textscan;

bool readDigits(Text s, std::size_t pos, std::size_t count, int &value)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    value = v;
    return true;
}

} // namespace

bool parseEximLogLine(Text line, SyslogLine &out)
{
    // "2026-12-03 20:31:07": fixed width, then an optional fraction and zone.
    SyslogLine parsed;
    if (line.size() < 20 || line[4] != '-' || line[7] != '-' || line[10] != ' ' || line[13] != ':' || line[16] != ':')
        return false;
    if (!readDigits(line, 0, 4, parsed.year) || !readDigits(line, 5, 2, parsed.month) ||
        !readDigits(line, 8, 2, parsed.day) || !readDigits(line, 11, 2, parsed.hour) ||
        !readDigits(line, 14, 2, parsed.minute) || !readDigits(line, 17, 2, parsed.second))
        return false;
    if (parsed.month < 1 || parsed.month > 12 || parsed.day < 1 || parsed.day > 31 || parsed.hour > 23 ||
        parsed.minute > 59 || parsed.second > 60)
        return false;
    std::size_t pos = 19;
    if (pos < line.size() && line[pos] == '.') {
        int digits = 0, ms = 0;
        for (++pos; pos < line.size() && isDigit(line[pos]); ++pos, ++digits) {
            if (digits < 3)
                ms = ms * 10 + (line[pos] - '0');
        }
        for (; digits < 3; ++digits)
            ms *= 10;
        parsed.millisecond = ms;
    }
    // log_timezone: " +0100" / " -0500".
    int zh = 0, zm = 0;
    if (pos + 6 <= line.size() && line[pos] == ' ' && (line[pos + 1] == '+' || line[pos + 1] == '-') &&
        readDigits(line, pos + 2, 2, zh) && readDigits(line, pos + 4, 2, zm)) {
        parsed.hasUtcOffset = true;
        parsed.utcOffsetSec = (line[pos + 1] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
        pos += 6;
    }
    if (pos < line.size() && line[pos] != ' ')
        return false;
    Text body = line.substr(std::min(pos + 1, line.size()));
    if (body.size() > 2 && body[0] == '[') {
        const std::size_t close = body.find("] ");
        if (close != npos && close > 1 && close < 12) {
            parsed.pid = wholeNumber<std::int64_t>(body.substr(1, close - 1), -1);
            body.remove_prefix(close + 2);
        }
    }
    if (body.ends_with('\r'))
        body.remove_suffix(1);
    parsed.program = "exim";
    parsed.body = body;
    out = parsed;
    return true;
}

} // namespace mailtrail
