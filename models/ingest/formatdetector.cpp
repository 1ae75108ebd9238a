// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/formatdetector.h"

#include "ingest/postfixparser.h"
#include "ingest/syslogline.h"

namespace mailtrail {
namespace {
constexpr std::size_t HeadLimit = 64 * 1024;
constexpr int MaxLines = 1000;
} // namespace

LogFormat detectFormat(std::string_view head)
{
    const bool cut = head.size() > HeadLimit;
    head = head.substr(0, HeadLimit);
    int syslogLines = 0;
    int postfixLines = 0;
    for (int n = 0; !head.empty() && n < MaxLines; ++n) {
        const std::size_t newline = head.find('\n');
        if (newline == std::string_view::npos && cut)
            break;  // a partial line proves nothing
        std::string_view line = head.substr(0, newline);
        head.remove_prefix(newline == std::string_view::npos ? head.size() : newline + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        SyslogLine parsed;
        if (!parseSyslogLine(line, parsed))
            continue;
        ++syslogLines;
        if (PostfixParser::isPostfixProgram(parsed.program))
            ++postfixLines;
    }
    return postfixLines > 0 && postfixLines * 10 >= syslogLines ? LogFormat::Postfix : LogFormat::Unknown;
}

const char *formatName(LogFormat format)
{
    switch (format) {
    case LogFormat::Postfix:
        return "postfix";
    case LogFormat::Unknown:
        break;
    }
    return "unknown";
}

} // namespace mailtrail
