// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/formatregistry.h"

#include "ingest/exim/eximformat.h"
#include "ingest/postfix/postfixformat.h"
#include "ingest/sendmail/sendmailformat.h"
#include "ingest/syslogline.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <vector>

namespace mailtrail {

namespace {
constexpr int MaxLines = 1000;

const PostfixFormat postfix;
const EximFormat exim;
const SendmailFormat sendmail;

// One line per format. Order breaks ties of detection.
const std::array<const LogFormat *, 3> formats = {
    &postfix,
    &exim,
    &sendmail,
};

bool equalNoCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// The complete lines of a head (a line cut off by the end of a longer head proves nothing).
std::vector<std::string_view> headLines(std::string_view head)
{
    const bool cut = head.size() > FormatRegistry::HeadBytes;
    head = head.substr(0, FormatRegistry::HeadBytes);
    std::vector<std::string_view> lines;
    while (!head.empty() && lines.size() < MaxLines) {
        const std::size_t newline = head.find('\n');
        if (newline == std::string_view::npos && cut)
            break;
        std::string_view line = head.substr(0, newline);
        head.remove_prefix(newline == std::string_view::npos ? head.size() : newline + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
    }
    return lines;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool startsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes)
{
    return std::any_of(prefixes.begin(), prefixes.end(), [s](std::string_view p) { return s.starts_with(p); });
}

// A line of qmail: qmail-send's "new msg 1234", "starting delivery 5: msg 1234 to remote a@b",
// as multilog writes them ("@4000000063a1b2c3... body"), or any line syslog has of its programs
// ("... qmail: 1157520813.485077 qmail-smtpd: ...", "... rblsmtpd: ...").
bool isQmailLine(std::string_view line)
{
    std::string_view body;
    if (line.size() > 26 && line[0] == '@' && line[25] == ' ' &&
        std::all_of(line.begin() + 1, line.begin() + 25, [](char c) { return isDigit(c) || (c >= 'a' && c <= 'f'); })) {
        body = line.substr(26);  // multilog's TAI64N label
    } else if (SyslogLine s; parseSyslogLine(line, s)) {
        // splogger's "qmail", or a program of the qmail suite under its own name.
        return s.program == "qmail" || s.program.starts_with("qmail-") || s.program == "rblsmtpd";
    } else {
        return false;
    }
    return startsWithAny(body, {"new msg ", "info msg ", "starting delivery ", "delivery ", "end msg ", "bounce msg ",
                                "status: local ", "triple bounce", "qmail-smtpd: ", "rblsmtpd: "});
}

// A row of Exchange's message tracking log: "2024-01-25T15:16:09.843Z,client-ip,...", 27 to 30
// comma-separated fields, one of them the event id.
bool isExchangeTrackingLine(std::string_view line)
{
    const std::size_t comma = line.find(',');
    if (comma < 20 || comma > 30 || line[4] != '-' || line[10] != 'T' || line[comma - 1] != 'Z' || !isDigit(line[0]))
        return false;
    if (std::count(line.begin(), line.end(), ',') < 20)
        return false;
    static constexpr std::string_view events[] = {",RECEIVE,", ",SEND,", ",DELIVER,", ",DSN,", ",FAIL,", ",DEFER,",
                                                  ",EXPAND,", ",REDIRECT,", ",RESOLVE,", ",SUBMIT,", ",TRANSFER,",
                                                  ",HAREDIRECT,", ",HAREDIRECTFAIL,", ",HARECEIVE,", ",AGENTINFO,",
                                                  ",NOTIFYMAPI,", ",SENDEXTERNAL,", ",DROP,", ",POISONMESSAGE,",
                                                  ",DUPLICATEDELIVER,", ",DUPLICATEEXPAND,", ",BADMAIL,"};
    return std::any_of(std::begin(events), std::end(events), [line](std::string_view e) { return line.find(e) != std::string_view::npos; });
}
} // namespace

std::span<const LogFormat *const> FormatRegistry::all()
{
    return formats;
}

const LogFormat *FormatRegistry::find(std::string_view name)
{
    for (const LogFormat *f : formats) {
        if (equalNoCase(f->name(), name))
            return f;
    }
    return nullptr;
}

const LogFormat *FormatRegistry::detect(std::string_view head)
{
    const std::vector<std::string_view> lines = headLines(head);
    const LogFormat *best = nullptr;
    int bestScore = MinScore - 1;
    for (const LogFormat *f : formats) {
        const int score = f->detect(lines);
        if (score > bestScore) {
            best = f;
            bestScore = score;
        }
    }
    return best;
}

std::string FormatRegistry::unsupported(std::string_view head)
{
    // Most of the lines, as detect() asks of a format: a mail.log that holds a few qmail lines
    // among other programs' is not a qmail log.
    int lines = 0, qmail = 0, exchange = 0;
    for (std::string_view line : headLines(head)) {
        // The header Exchange writes at the top of each file (stripped by some collectors).
        if (line.starts_with("#Software: Microsoft Exchange") || line.starts_with("#Log-type: Message Tracking Log"))
            return "an Exchange message-tracking log";
        if (line.empty() || line.starts_with('#'))
            continue;
        ++lines;
        if (isQmailLine(line))
            ++qmail;
        else if (isExchangeTrackingLine(line))
            ++exchange;
    }
    if (lines == 0)
        return {};
    if (qmail * 2 >= lines && qmail > 0)
        return "a qmail log";
    if (exchange * 2 >= lines && exchange > 0)
        return "an Exchange message-tracking log";
    return {};
}

std::string FormatRegistry::titles()
{
    std::string text;
    for (const LogFormat *f : formats) {
        if (!text.empty())
            text += ", ";
        text += f->title();
    }
    return text;
}

} // namespace mailtrail
