// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <string_view>

namespace mailtrail {

struct SyslogLine;

// Classifies the syslog lines of Postfix programs into Events. Stateless: one line in, one event
// out; joining lines into messages is the correlator's job.
//
// Lines whose queue id is followed by a known record (to=, from=, uid=, client=, message-id=,
// removed, reject:, ... notification:) are read the same way whatever the daemon, because custom
// master.cf services log under their own names. Connection-level lines are read per daemon
// (smtpd, postscreen, smtp/lmtp, dnsblog). Anything else of a Postfix program is kept as Unknown
// (Info when it names a queue id) with the text in detail.
class PostfixParser
{
public:
    // False, leaving ev untouched, when the program is not Postfix. Otherwise resets every field
    // of ev except timeMs, utcOffsetSec, offset and length, fills what the line says and returns
    // true. The views in ev point into line.
    bool parse(const SyslogLine &line, Event &ev) const;

    // "postfix", "postfix/smtpd", "postfix-out/smtp" (a second instance): the first path element
    // starts with "postfix" and a daemon follows it, or it is "postfix" alone.
    static bool isPostfixProgram(std::string_view program);
    // The body starts with a Postfix queue id and ": " (a milter's or content filter's line about a
    // queued message: "opendkim[812]: 4BDC5C0A2F: DKIM-Signature field added").
    static bool startsWithQueueId(std::string_view body);
    // A short (upper-case hex) or long (enable_long_queue_ids) Postfix queue id.
    static bool isQueueId(std::string_view token);
};

} // namespace mailtrail
