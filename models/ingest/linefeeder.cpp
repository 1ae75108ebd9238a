// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/linefeeder.h"

#include "correlation/correlator.h"
#include "ingest/timestampresolver.h"

#include <algorithm>

namespace mailtrail {

LineFeeder::LineFeeder(const LogFormat &format, TimestampResolver &resolver, Correlator &correlator,
                       std::uint32_t fileId, bool yearKnown, StartYear startYear)
    : m_format(format)
    , m_resolver(resolver)
    , m_correlator(correlator)
    , m_fileId(fileId)
    , m_yearKnown(yearKnown)
    , m_startYear(std::move(startYear))
    , m_mayRepeat(format.mayRepeatLines())
{
}

void LineFeeder::continueFrom(std::string lastLine)
{
    m_previous = std::move(lastLine);
    m_continuable = true;
}

void LineFeeder::feed(std::string_view text, std::uint64_t offset)
{
    if (m_mayRepeat) {
        // A copy is skipped once; a third alike line is an event again.
        const bool copy = m_format.repeats(text, m_previous);
        m_previous.assign(copy ? std::string_view() : text);
        if (copy)
            return;
    }
    if (!m_format.readRecord(text, m_line)) {
        // A line continuing the record before it (a rejectlog's headers) takes its time.
        if (m_continuable && m_format.readContinuation(text, m_event)) {
            m_event.offset = offset;
            m_event.length = static_cast<std::uint32_t>(text.size());
            m_correlator.process(m_event, m_fileId);
            return;
        }
        ++m_unknown;
        return;
    }
    m_continuable = false;
    // dovecot, amavis or opendkim in a Postfix mail.log: not the format's to understand, so
    // counted by program rather than as lines the parser failed on; the format still reads
    // those that judge one of its messages (a DKIM or spam verdict). A record with no program
    // (a format's own layout) is the format's.
    const bool own = m_line.program.empty() || m_format.ownsProgram(m_line.program);
    if (!own)
        fileprograms::count(m_otherPrograms, m_line.program);
    if (!m_format.parse(m_line, m_event)) {
        m_unknown += own ? 1 : 0;
        return;
    }
    if (!m_yearKnown && m_line.year == 0) {
        m_resolver.setStartYear(m_startYear(m_line.month));
        m_yearKnown = true;
    }
    if (!m_resolver.resolve(m_line, m_event)) {
        m_unknown += own ? 1 : 0;
        return;
    }
    m_event.offset = offset;
    m_event.length = static_cast<std::uint32_t>(text.size());
    m_continuable = true;
    if (m_event.kind == EventKind::Unknown && own)
        ++m_unknown;
    if (m_firstTime == 0)
        m_firstTime = m_event.timeMs;
    m_lastTime = std::max(m_lastTime, m_event.timeMs);
    m_correlator.process(m_event, m_fileId);
}

} // namespace mailtrail
