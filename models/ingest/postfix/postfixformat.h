// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/logformat.h"
#include "ingest/postfix/companionparser.h"
#include "ingest/postfix/postfixparser.h"

namespace mailtrail {

// Postfix in syslog (classic or RFC 3339 timestamps). A message lives from client= or uid= to
// removed (or a reject of all of it by cleanup); Postfix always logs that end, so no idle timeout.
class PostfixFormat final : public LogFormat
{
public:
    std::string_view name() const override { return "postfix"; }
    std::string_view title() const override { return "Postfix"; }
    // The share of syslog lines, in percent, that come from Postfix programs, or from the
    // companion programs a mail server runs beside it (opendkim, opendmarc, amavis...) and name
    // a Postfix queue id: mail.warn may hold nothing else.
    int detect(std::span<const std::string_view> lines) const override;
    bool readRecord(std::string_view line, Record &record) const override { return readSyslogRecord(line, record); }
    bool ownsProgram(std::string_view program) const override { return PostfixParser::isPostfixProgram(program); }
    // Postfix's own lines, and the verdicts of its companions on the messages it handles (whose
    // other lines stay lines of other programs).
    bool parse(const Record &record, Event &ev) const override
    {
        return m_parser.parse(record, ev) || m_companions.parse(record, ev);
    }
    std::span<const FormatSample> samples() const override;

private:
    PostfixParser m_parser;
    CompanionParser m_companions;
};

} // namespace mailtrail
