// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <string_view>

namespace mailtrail {

struct SyslogLine;

// Reads the lines of the programs a Postfix server runs beside it (milters, content filters,
// policy services, the local delivery agent) that judge or deliver a message: opendkim, opendmarc,
// amavis, spamd, policyd-spf, postgrey, dovecot's lmtp and lda. Each becomes an EventKind::Verdict
// with its words in detail and, when it says one, a verdict (Event::verdict), plus what names the
// message: a Postfix queue id, else its Message-ID (spamd, dovecot), else the client's address
// (policy services ask before the message has a queue id). Lines that name none of these are
// not read (false): they stay lines of other programs.
class CompanionParser
{
public:
    // False, leaving ev untouched, when the line is not a companion's verdict on a message.
    // Otherwise resets ev as PostfixParser::parse does and fills it.
    bool parse(const SyslogLine &line, Event &ev) const;

    // A program that works beside Postfix and may log its queue ids: a milter, a content filter,
    // a policy service, a delivery agent (by the first element of its name).
    static bool isCompanionProgram(std::string_view program);
};

} // namespace mailtrail
