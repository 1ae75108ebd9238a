// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The body of a line-parser fuzz target: the input is one log line, split by the syslog parser and
// handed to one format's parser. A format's target is this header and one MAILTRAIL_LINE_FUZZER
// line naming its parser class (see postfixline.cpp).
#pragma once

#include "parsing/event.h"
#include "parsing/syslogline.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mailtrail::fuzz {

template<typename Parser>
int parseOneLine(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    SyslogLine line;
    if (!parseSyslogLine(text, line))
        return 0;
    const Parser parser;
    Event event;
    if (parser.parse(line, event)) {
        // Every view the parser hands out must point into the line it was given: one that does
        // not would dangle as soon as the reader moves on.
        for (std::string_view field :
             {event.host, event.program, event.service, event.queueId, event.sender, event.recipient,
              event.origRecipient, event.relay, event.dsn, event.replyText, event.clientHost, event.clientIp,
              event.messageId, event.relatedQueueId, event.detail, event.delays}) {
            if (!field.empty() && (field.data() < text.data() || field.data() + field.size() > text.data() + text.size()))
                __builtin_trap();
        }
    }
    return 0;
}

} // namespace mailtrail::fuzz

#define MAILTRAIL_LINE_FUZZER(ParserClass)                                                                 \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)                       \
    {                                                                                                      \
        return mailtrail::fuzz::parseOneLine<ParserClass>(data, size);                                      \
    }
