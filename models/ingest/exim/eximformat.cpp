// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/exim/eximformat.h"

namespace mailtrail {

int EximFormat::detect(std::span<const std::string_view> lines) const
{
    int timed = 0;
    int exim = 0;
    Record record;
    for (const std::string_view line : lines) {
        if (parseEximLogLine(line, record)) {
            ++timed;
            // Any program may write "date time text": Exim's own lines name a message, a peer, a
            // queue run or an authenticator often enough.
            const std::string_view body = record.body;
            if (EximParser::isMessageId(body.substr(0, body.find(' '))) || body.starts_with("H=") ||
                body.starts_with("Start queue run") || body.starts_with("exim ") ||
                body.find(" authenticator failed for ") != std::string_view::npos)
                ++exim;
        } else if (readSyslogRecord(line, record)) {
            ++timed;
            exim += EximParser::isEximProgram(record.program) ? 1 : 0;
        }
    }
    return exim == 0 ? 0 : exim * 100 / timed;
}

} // namespace mailtrail
