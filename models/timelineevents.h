// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "ingest/event.h"

#include <QString>
#include <QList>

namespace mailtrail {

// One line of a message's story, re-read from its log file and described in words.
struct TimelineEvent {
    std::int64_t timeMs = 0;
    std::int32_t utcOffsetSec = 0;
    EventKind kind = EventKind::Unknown;
    QString program;
    QString description;  // "to=<bob@example.org> deferred 450 4.2.0 via mx.example.org: ..."
    QString rawLine;      // the line as logged; empty when the file is gone
    double delaySec = -1; // a delivery's delay=, -1 when not logged
    QString delays;       // and its delays= parts, "a/b/c/d"
    // Of a delivery through an alias or redirect: where it went ("alice" of Exim's
    // "=> alice <info@lab.test>"); the cache keeps only the address it was sent to.
    QString expandedTo;
    bool available = false;
    int hop = 0;              // of a chain: 0 for the first hop's lines, 1 for the next...
    // Of a queue manager line after the first of its hop and after a deferral: the retry it
    // starts (1 for the first). Postfix's qmgr logs "from=<...>, size=..., nrcpt=N (queue active)"
    // again each time a deferred message comes back to the active queue: not a new queueing.
    int retry = 0;
    // Of a queue manager line that brought the message back to the active queue without a
    // deferral before it: an administrator released it from hold or requeued it (postsuper -H,
    // postsuper -r). Named "requeued", not "queued": it was in the queue all along.
    bool requeued = false;
    bool hopStart = false;    // not a line: where a later hop of the chain begins (description)
};

// The events of a message in log order, from the raw lines its detail points at. For the first hop
// of a chain, with `laterHops`, each later hop follows, in hop order, after an event (hopStart)
// that names it: "hop 2 of 2: 75963E643B1 on mx".
QList<TimelineEvent> timelineEvents(const MessageDetail &detail, bool laterHops = true);
// "hop 2 of 3: 75963E643B1 on mx", for the hop `index` (0: the first) of a chain of `count`.
QString hopTitle(const MessageRow &hop, int index, int count);
QString describeEvent(const Event &event);
// "603 s" for delay=603; with delays=602/0.01/0.4/0.6 also where the time went: "10 min 3 s: 10 min 2 s
// before the queue manager, 0.01 s in it, 0.4 s connecting, 0.6 s transmitting". Empty when unknown.
QString describeDelay(double delaySec, QStringView delays = {}, bool detailed = false);
const char *kindName(EventKind kind);
// The kind as the timeline names it: "retry" for a deferred message back in the active queue
// (and for the first queue manager line of one queued before the log began), "requeued" for one
// released from hold or requeued, else kindName().
QString timelineKindName(const TimelineEvent &event);

} // namespace mailtrail
