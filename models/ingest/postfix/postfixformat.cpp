// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/postfix/postfixformat.h"

namespace mailtrail {

int PostfixFormat::detect(std::span<const std::string_view> lines) const
{
    int syslogLines = 0;
    int postfixLines = 0;
    Record record;
    for (std::string_view line : lines) {
        if (!readSyslogRecord(line, record))
            continue;
        ++syslogLines;
        if (PostfixParser::isPostfixProgram(record.program))
            ++postfixLines;
    }
    // mail.log also carries dovecot, opendkim or amavis lines: one line in ten is enough.
    return postfixLines == 0 ? 0 : postfixLines * 100 / syslogLines;
}

} // namespace mailtrail
