// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/logformat.h"
#include "ingest/sendmail/sendmailparser.h"

namespace mailtrail {

// Sendmail in syslog. A message lives from its from= line; Sendmail logs no line when it is done
// with one: a message ends when each of its nrcpts recipients has a final status (sent, bounced),
// and one still waiting for a retry is closed a day after its last line: longer than the queue
// runs that retry a deferred recipient (Debian: every hour at most).
class SendmailFormat final : public LogFormat
{
public:
    std::string_view name() const override { return "sendmail"; }
    std::string_view title() const override { return "Sendmail"; }
    // The share of syslog lines, in percent, that come from Sendmail programs.
    int detect(std::span<const std::string_view> lines) const override;
    bool readRecord(std::string_view line, Record &record) const override { return readSyslogRecord(line, record); }
    bool ownsProgram(std::string_view program) const override { return SendmailParser::isSendmailProgram(program); }
    bool parse(const Record &record, Event &ev) const override { return m_parser.parse(record, ev); }
    bool describe(const Event &ev, std::string &text) const override;
    LifetimeRules lifetime() const override { return {24 * 3600 * 1000, true}; }
    std::span<const FormatSample> samples() const override;

private:
    SendmailParser m_parser;
};

} // namespace mailtrail
