// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/formatregistry.h"

#include "ingest/exim/eximformat.h"
#include "ingest/postfix/postfixformat.h"
#include "ingest/sendmail/sendmailformat.h"

#include <algorithm>
#include <array>
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
    const bool cut = head.size() > HeadBytes;
    head = head.substr(0, HeadBytes);
    std::vector<std::string_view> lines;
    while (!head.empty() && lines.size() < MaxLines) {
        const std::size_t newline = head.find('\n');
        if (newline == std::string_view::npos && cut)
            break;  // a partial line proves nothing
        std::string_view line = head.substr(0, newline);
        head.remove_prefix(newline == std::string_view::npos ? head.size() : newline + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
    }
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
