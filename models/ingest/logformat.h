// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"
#include "ingest/syslogline.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mailtrail {

// One record of a log, its envelope split and its body not yet read. Syslog formats fill it with
// readSyslogRecord() (both timestamp styles). A format with a line layout of its own (Exim's
// main log: "2026-11-22 08:50:30 1rABCD-000123-AB <= ...") fills the time fields and the body,
// and host and program when its lines carry them (empty otherwise: messages are then keyed by
// queue id alone). Views point into the line read.
using Record = SyslogLine;

// The rules of a message's lifetime in a format. A message is keyed by (host, queue id); the
// format marks on its events what starts and what ends a lifetime (Event::facts).
struct LifetimeRules {
    // A format that logs no line at the end of a message (or a log cut short) closes a message
    // this long after its last line. 0: only an EndsMessage line, or the end of the import, does.
    std::int64_t idleTimeoutMs = 0;
    // A format that logs no end line but a final status per recipient (Sendmail): a message is
    // ended once each recipient it was accepted for has one (none deferred). Still open to the
    // lines that follow at once (the notification a bounce caused).
    bool endsWhenRecipientsDone = false;
};

// A line of a format as its program logs it, and what it must parse to: each format keeps a few
// (lnav's "sample" lists), tst_formatsamples checks them for every registered format. Quote real
// lines, and name their source in tests/data/README.md.
struct FormatSample {
    std::string_view line;
    EventKind kind = EventKind::Unknown;
    std::uint8_t facts = 0;          // fact:: bits
    std::string_view queueId = {};
    std::string_view recipient = {};
};

// A log format: Postfix, Exim, Sendmail... Stateless and shared by every thread: the methods
// are const and keep nothing between calls.
//
// How a format plugs in:
//  1. models/ingest/<name>/<name>format.h/.cpp: a class derived from LogFormat (plus its parser
//     files, if it has several), added to the sources of mailtrail_ingest in
//     models/ingest/CMakeLists.txt.
//  2. One line in FormatRegistry's list (models/ingest/formatregistry.cpp).
//  3. Tests: tests/ingest/tst_<name>parser.cpp with real lines (_data rows), samples() (checked
//     for every format by tst_formatsamples: each parses to its expected event), golden files
//     tests/data/<name>/golden/*.log with the expected deliveries CSV and timelines beside them
//     (tests/data/update-golden.sh writes them; review the diff).
// Parsing follows the rules of the hot path: std::string_view scanning, no regex, no allocation.
class LogFormat
{
public:
    virtual ~LogFormat() = default;

    // Lower-case, stable: stored in the cache, shown in the format column, named by --log-format.
    virtual std::string_view name() const = 0;
    // For people: "Postfix".
    virtual std::string_view title() const = 0;

    // How much the first lines of a file (complete lines, a trailing '\r' dropped) look like this
    // format: 0 not at all, 100 certainly. From content only, never from the file name. The
    // registry picks the highest score of at least FormatRegistry::MinScore.
    virtual int detect(std::span<const std::string_view> lines) const = 0;

    // Splits one line into its record. False when the line is not in this format's layout (it
    // is then counted as not understood).
    virtual bool readRecord(std::string_view line, Record &record) const = 0;

    // Whether a program name is one of the format's own ("postfix/smtpd"): its records that
    // parse() does not interpret count as lines not understood; those of other programs (dovecot,
    // opendkim) are counted per program instead.
    virtual bool ownsProgram(std::string_view program) const = 0;

    // Reads a record into an event. False, ev untouched, when the record is not of one of the
    // format's programs. Otherwise resets every field of ev except timeMs, utcOffsetSec, offset
    // and length, fills what the record says (kind Unknown or Info for what it does not
    // interpret, the text in detail) and returns true. Views in ev point into the record's line.
    virtual bool parse(const Record &record, Event &ev) const = 0;

    // A description for the timeline when the generic one by kind says too little; false to use
    // the generic one.
    virtual bool describe(const Event &ev, std::string &text) const
    {
        (void)ev;
        (void)text;
        return false;
    }

    // A line that is no record of its own but continues the record before it in the same file
    // (the headers Exim's rejectlog writes after a rejection). Fills ev as parse() does, its
    // facts holding fact::ContinuesPrevious, and returns true; false for any other line. Its
    // time is the previous record's.
    virtual bool readContinuation(std::string_view line, Event &ev) const
    {
        (void)line;
        (void)ev;
        return false;
    }

    virtual LifetimeRules lifetime() const { return {}; }
    // Whether the program writes some lines twice in a row, one a copy of the other (Exim through
    // syslog: a rejection for its mainlog, then for its rejectlog). Only then are lines checked
    // with repeats(), which costs keeping each previous line.
    virtual bool mayRepeatLines() const { return false; }
    // Whether `line` only copies `previous`, the line just before it in the same file: it is then
    // counted as read and otherwise skipped.
    virtual bool repeats(std::string_view line, std::string_view previous) const
    {
        (void)line;
        (void)previous;
        return false;
    }

    // Real lines and what each parses to (see FormatSample).
    virtual std::span<const FormatSample> samples() const { return {}; }
};

// readRecord() of the syslog formats: parseSyslogLine().
inline bool readSyslogRecord(std::string_view line, Record &record)
{
    return parseSyslogLine(line, record);
}

} // namespace mailtrail
