// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/sendmail/sendmailformat.h"

namespace mailtrail {

int SendmailFormat::detect(std::span<const std::string_view> lines) const
{
    int syslogLines = 0;
    int sendmailLines = 0;
    Record record;
    for (const std::string_view line : lines) {
        if (!readSyslogRecord(line, record))
            continue;
        ++syslogLines;
        sendmailLines += SendmailParser::isSendmailProgram(record.program) ? 1 : 0;
    }
    return sendmailLines == 0 ? 0 : sendmailLines * 100 / syslogLines;
}

} // namespace mailtrail
