// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/postfix/postfixformat.h"

#include <algorithm>
#include <array>

namespace mailtrail {

bool PostfixFormat::isCompanionProgram(std::string_view program)
{
    static constexpr std::array<std::string_view, 12> companions = {
        "opendkim", "opendmarc", "openarc", "dkimpy-milter", "amavis", "amavisd", "clamav-milter",
        "spamass-milter", "milter-greylist", "policyd-spf", "postgrey", "rspamd",
    };
    const std::string_view first = program.substr(0, program.find('/'));
    return std::find(companions.begin(), companions.end(), first) != companions.end();
}

int PostfixFormat::detect(std::span<const std::string_view> lines) const
{
    int syslogLines = 0;
    int postfixLines = 0;
    Record record;
    for (std::string_view line : lines) {
        if (!readSyslogRecord(line, record))
            continue;
        ++syslogLines;
        // mail.err and mail.warn may hold only a milter's complaints about queued messages.
        if (PostfixParser::isPostfixProgram(record.program) ||
            (isCompanionProgram(record.program) && PostfixParser::startsWithQueueId(record.body)))
            ++postfixLines;
    }
    // mail.log also carries dovecot, opendkim or amavis lines: one line in ten is enough.
    return postfixLines == 0 ? 0 : postfixLines * 100 / syslogLines;
}

} // namespace mailtrail
