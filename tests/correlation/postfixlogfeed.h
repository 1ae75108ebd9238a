// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A Postfix log read line by line into a correlator, as the import reads it, for the tests of
// correlation: what a sink receives from a real log.
#pragma once

#include "correlation/correlator.h"
#include "ingest/logreader.h"
#include "ingest/postfix/postfixformat.h"
#include "ingest/syslogline.h"
#include "ingest/timestampresolver.h"

#include <QString>

#include <cstdint>
#include <string_view>

namespace mailtrail {

// Every line of `path` (its year-less times in 2026) through the Postfix format and into `sink`;
// the correlator finishes at the end.
inline void correlatePostfixLog(const QString &path, MessageSink &sink)
{
    Correlator correlator(sink);
    LogReader reader;
    if (!reader.open(path.toStdString()))
        qFatal("cannot open %s", qPrintable(path));
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    // The format, not its parser alone: it reads companion programs' verdicts too.
    PostfixFormat format;
    std::string_view text;
    std::uint64_t offset = 0;
    while (reader.nextLine(text, offset)) {
        SyslogLine line;
        Event event;
        if (parseSyslogLine(text, line) && format.parse(line, event) && resolver.resolve(line, event)) {
            event.offset = offset;
            correlator.process(event, 1);
        }
    }
    correlator.finish();
}

} // namespace mailtrail
