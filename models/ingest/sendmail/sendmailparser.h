// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <string_view>

namespace mailtrail {

struct SyslogLine;

// Classifies the syslog lines of Sendmail (sendmail, sm-mta, sm-msp-queue and the daemon's
// process titles such as sm-acceptingconnections) into Events, with the kinds the correlator knows:
//   QID: from=...             Client (relay= names a peer) or Pickup, with size, nrcpts, msgid;
//                             starts the message
//   QID: to=<a>,<b>, ...      Delivery of a, and of b... (Event::moreRecipients)
//   QID: QID2: DSN: ...       Notification: QID2 reports on QID ("return to sender", "sender
//                             notify", "postmaster notify" alike); status Expired when QID is
//                             returned for its age ("Cannot send message for 5 days")
//   QID: ruleset=check_rcpt, reject=...   Reject of a recipient of QID's envelope, as is
//   QID: <a>... User unknown  (a RCPT refused in the SMTP dialogue); without QID not queued
//   ruleset=check_* (others)  Reject without queue id: a connection or sender refused
//   AUTH failure, possible SMTP attack, lost input channel, timeout waiting for input,
//   did not issue MAIL/EXPN/VRFY/ETRN
//                             AuthFailure without queue id: incidents of a session, no message
// A line of "from=" with nrcpts=0 (every RCPT refused) is a Reject that ends QID's message with
// its sender: nothing was queued. Other lines naming a queue id are Info; daemon housekeeping is
// Info without one.
class SendmailParser
{
public:
    // False, leaving ev untouched, when the program is not Sendmail. Otherwise resets every field
    // of ev except timeMs, utcOffsetSec, offset and length.
    bool parse(const SyslogLine &line, Event &ev) const;

    // "sendmail", "sm-mta", "sm-msp-queue", "sm-acceptingconnections"...
    static bool isSendmailProgram(std::string_view program);
    // Sendmail 8.12+ queue ids: 14 base-60 characters.
    static bool isQueueId(std::string_view token);
};

} // namespace mailtrail
