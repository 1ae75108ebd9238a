// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "parsing/event.h"

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
    bool available = false;
};

// The events of a message in log order, from the raw lines its detail points at.
QList<TimelineEvent> timelineEvents(const MessageDetail &detail);
QString describeEvent(const Event &event);
const char *kindName(EventKind kind);

} // namespace mailtrail
