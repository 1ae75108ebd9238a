// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/fileprograms.h"
#include "ingest/event.h"
#include "ingest/logformat.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mailtrail {

class Correlator;
class TimestampResolver;

// The lines of one file, one at a time, through its format into the correlator: a copy skipped,
// the record read and parsed, its time resolved, the event handed on; what was not understood
// and the other programs' lines counted. What the importer does per line, apart from the reading
// (LogReader) and the import's own bookkeeping (progress, cancel), so that a benchmark can run
// the same work without a cache.
class LineFeeder
{
public:
    // Asked once, at the first year-less line when the resolver has no year yet, for the year
    // that line was written in (its month given).
    using StartYear = std::function<int(int firstLineMonth)>;

    // `yearKnown`: the resolver continues a file whose year it was given (restoreState()).
    LineFeeder(const LogFormat &format, TimestampResolver &resolver, Correlator &correlator, std::uint32_t fileId,
               bool yearKnown, StartYear startYear);

    // A follow's batch that begins where the previous one ended: `lastLine` is the line it ended
    // on (a copy of it may begin this batch), and a continuation may follow at once.
    void continueFrom(std::string lastLine);

    void feed(std::string_view text, std::uint64_t offset);

    std::uint64_t unknownLines() const { return m_unknown; }
    // The times of the first event fed (or `first` as set) and of the latest one.
    void setTimes(std::int64_t first, std::int64_t last)
    {
        m_firstTime = first;
        m_lastTime = last;
    }
    std::int64_t firstTime() const { return m_firstTime; }
    std::int64_t lastTime() const { return m_lastTime; }
    ProgramCounts &otherPrograms() { return m_otherPrograms; }
    // The line a copy of which the next one may be (see LogFormat::repeats()).
    std::string &lastLine() { return m_previous; }

private:
    const LogFormat &m_format;
    TimestampResolver &m_resolver;
    Correlator &m_correlator;
    const std::uint32_t m_fileId;
    bool m_yearKnown;
    StartYear m_startYear;
    const bool m_mayRepeat;
    Record m_line;
    Event m_event;  // reused: the parser resets it for each line it takes
    std::string m_previous;
    // The previous line was a record read into an event: a continuation may follow.
    bool m_continuable = false;
    std::uint64_t m_unknown = 0;
    std::int64_t m_firstTime = 0;
    std::int64_t m_lastTime = 0;
    ProgramCounts m_otherPrograms;
};

} // namespace mailtrail
