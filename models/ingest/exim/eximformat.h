// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/exim/eximparser.h"
#include "ingest/logformat.h"

namespace mailtrail {

// Exim's mainlog and rejectlog, in its own files ("2026-12-03 20:31:07 [pid] ID ...") or through
// syslog ("exim[pid]: ID ..."). A message lives from its "<=" line to "Completed"; Exim always
// logs that end, so no idle timeout. The header lines a rejectlog writes after a rejection have no
// time of their own: they continue the rejection's record.
class EximFormat final : public LogFormat
{
public:
    std::string_view name() const override { return "exim"; }
    std::string_view title() const override { return "Exim"; }
    // The share of lines, in percent, that Exim wrote: in its own layout, lines that name a
    // message, a peer (H=), a queue run or an authenticator; in syslog, lines of exim programs.
    int detect(std::span<const std::string_view> lines) const override;
    bool readRecord(std::string_view line, Record &record) const override
    {
        return parseEximLogLine(line, record) || readSyslogRecord(line, record);
    }
    bool ownsProgram(std::string_view program) const override { return EximParser::isEximProgram(program); }
    bool parse(const Record &record, Event &ev) const override { return m_parser.parse(record, ev); }
    bool readContinuation(std::string_view line, Event &ev) const override
    {
        return m_parser.parseContinuation(line, ev);
    }
    std::span<const FormatSample> samples() const override;
    // An administrator's deletion in Exim's words ("removed by root": exim -Mrm), not postsuper's.
    bool describe(const Event &ev, std::string &text) const override;
    // Through syslog (syslog_duplication, Exim's default), a rejection or an authentication
    // failure is logged for the mainlog and again, at once, for the rejectlog: the same line
    // twice, or (when the rejectlog adds the message's headers) the copy numbered "[1\N] ".
    bool mayRepeatLines() const override { return true; }
    bool repeats(std::string_view line, std::string_view previous) const override;

private:
    EximParser m_parser;
};

} // namespace mailtrail
