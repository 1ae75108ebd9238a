// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// What the fuzz targets check of one line a format has read: shared by the line targets
// (formatline.cpp) and the whole-file target (logfile.cpp).
#pragma once

#include "ingest/event.h"
#include "ingest/formatregistry.h"
#include "ingest/logformat.h"

#include <cstdlib>
#include <string_view>

namespace mailtrail::fuzz {

// A view that points outside the line it was read from would dangle as soon as the reader moves on.
inline void requireInside(std::string_view field, std::string_view line)
{
    if (!field.empty() && (field.data() < line.data() || field.data() + field.size() > line.data() + line.size()))
        __builtin_trap();
}

// A program or service name may also be a constant of the format's own (Exim's main log names no
// program: its records say "exim"), which lives as long as the program.
inline void requireInsideOrOwnName(std::string_view field, std::string_view line, const LogFormat &format)
{
    if (field != format.name())
        requireInside(field, line);
}

inline void requireInside(const Record &record, std::string_view line, const LogFormat &format)
{
    requireInside(record.host, line);
    requireInsideOrOwnName(record.program, line, format);
    requireInside(record.body, line);
}

inline void requireInside(const Event &event, std::string_view line, const LogFormat &format)
{
    requireInsideOrOwnName(event.program, line, format);
    requireInsideOrOwnName(event.service, line, format);
    for (std::string_view field :
         {event.host, event.queueId, event.sender, event.recipient, event.origRecipient, event.relay, event.dsn,
          event.replyText, event.clientHost, event.clientIp, event.messageId, event.relatedQueueId, event.detail,
          event.delays, event.moreRecipients})
        requireInside(field, line);
}

// The registered format called name; a target built for a format the registry does not know is
// a broken build, not an input to skip.
inline const LogFormat &registeredFormat(std::string_view name)
{
    const LogFormat *format = FormatRegistry::find(name);
    if (!format)
        std::abort();
    return *format;
}

} // namespace mailtrail::fuzz
