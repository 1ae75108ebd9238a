// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <string_view>

namespace mailtrail {

struct SyslogLine;

// Exim's mainlog and rejectlog lines, as Exim writes them to its own files
// ("2026-12-03 20:31:07[.123][ +0100] [1234] 1xV3Nh-0002YX-30 <= ...") or through syslog
// ("Dec  3 20:31:07 mx exim[1234]: 1xV3Nh-0002YX-30 <= ...").
//
// Splits a line of Exim's own log files into the same parts as a syslog line: the time (with its
// year, local unless log_timezone wrote a zone), the pid of "[1234]" when log_selector has +pid,
// and the body. Program is "exim", host is empty. False for anything else: the header lines a
// rejectlog writes after a rejection, a syslog line.
bool parseEximLogLine(std::string_view line, SyslogLine &out);

// Classifies Exim log lines into Events, one line in, one event out, like PostfixParser. The
// events use the kinds the correlator knows:
//   <=  arrival            (starts the message) Client (with H=) or Pickup (local), carrying sender, size, id= and,
//                          for a bounce (R=), the parent's id in relatedQueueId
//   => -> >> *>            Delivery, Sent; "=> alice <info@lab.test>" is the delivery to alice
//                          (recipient, and expandedTo: the address an alias reached) of the
//                          envelope recipient info@lab.test (origRecipient), as Postfix's orig_to=;
//                          a file or pipe ("=> /dev/null <faq@x>") is the envelope recipient's,
//                          with the file or pipe in expandedTo
//   ==                     Delivery, Deferred ("retry time not reached": a skipped try)
//   **                     Delivery, Bounced, or Expired when the retry time ran out
//   Completed              Removed, ends the message
//   Frozen, Message is frozen / unfrozen
//                          Hold / Release
//   removed by USER        Deleted (exim -Mrm; Completed follows)
//   rejected RCPT/MAIL/connection
//                          Reject without queue id: refused before the message was queued
//   ID rejected after DATA, ID rejected from <a> ...: message too big
//                          Reject of the message named, ending it
//   authenticator failed   AuthFailure
//   no MAIL, SMTP command timeout, synchronization error, unexpected disconnection, syntax error
//                          ClientWarning, with the client's address
// A delivery line without H= has its transport (T=) as relay, and says so (relayIsTransport); a
// line of a message that names a host alone ("ID H=mx [ip] Connection refused", a try that
// reached no server or failed there) is Info with that host as relay.
// "ID DKIM: d=... [verification succeeded]" (before the "<="): Info with its verdict ("DKIM
// pass", "DKIM fail", "DKIM permerror"), as opendkim's lines give one.
// Any other line that names a message is Info; housekeeping (queue runs, daemon start) is Info
// without a queue id; what is left is Unknown.
class EximParser
{
public:
    // False, leaving ev untouched, when the line is not Exim's: a syslog line of another program.
    // Otherwise resets every field of ev except timeMs, utcOffsetSec, offset and length.
    bool parse(const SyslogLine &line, Event &ev) const;
    // The lines of Exim's own files that have no time: the headers a rejectlog writes after a
    // rejection ("Envelope-from: <a@b>", "Envelope-to: <c@d>", "P Received: ...", folded lines)
    // and the second line of a warning (" Suggested action: ..."). An Info event continuing the
    // record before it (fact::ContinuesPrevious), with the sender, recipients and message-id the
    // headers name; false for any other line. Resets ev as parse() does.
    bool parseContinuation(std::string_view line, Event &ev) const;

    // "exim", "exim4", "exim-4.98"... as syslog names it (syslog_processname), and the program
    // parseEximLogLine() gives.
    static bool isEximProgram(std::string_view program);
    // "1xV3Nh-0002YX-30" (before 4.97) or "10HmaX-000000005vi-0000" (4.97 and later).
    static bool isMessageId(std::string_view token);
};

} // namespace mailtrail
