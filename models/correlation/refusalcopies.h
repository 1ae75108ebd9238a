// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"
#include "ingest/event.h"

#include <cstdint>
#include <unordered_map>

namespace mailtrail {

// Refusals a server writes to two of its logs: Exim logs each rejection and AUTH failure to its
// mainlog and again to its rejectlog, syslog setups copy warnings to mail.warn. Read together, the
// second file's copy is the same refusal, not another one. A copy has the same host, time, process,
// client, recipient and text, and comes from another file (two alike lines in one file are two).
class RefusalCopies
{
public:
    struct Seen {
        std::uint32_t fileId = 0;
        // The message the refusal made and ended on its own (Exim's rejection at DATA); 0 for any
        // other: a NOQUEUE reject, an incident, a refusal within a message of more lines.
        std::int64_t dbId = 0;
        LineRef line;
    };

    // Whether event is a refusal whose copies are looked for.
    static bool isRefusal(const Event &event);

    // The first sighting of event when event is a copy of it from another file (copy set), or the
    // record of event now remembered, whose dbId the caller fills in; null when event was seen in
    // the same file already, or when the bound that keeps memory bounded whatever the log is reached.
    Seen *note(const Event &event, std::uint32_t fileId, bool &copy);
    void clear() { m_seen.clear(); }

    // A refusal an earlier import stored from the file `fileId`: of `kind` (Reject, or the kind of
    // an incident's line), at timeMs, from clientIp, to recipient ("" for any). Its copy read now
    // from another file is not counted again. Kept until clearStored(), within the same bound.
    void addStored(EventKind kind, std::int64_t timeMs, std::string_view host, std::string_view clientIp,
                   std::string_view recipient, std::uint32_t fileId);
    void clearStored() { m_stored.clear(); }
    void takeStored(RefusalCopies &&from) { m_stored = std::move(from.m_stored); }
    // Whether event, read from fileId, is a copy of a refusal an earlier import stored from another file.
    bool storedEarlier(const Event &event, std::uint32_t fileId) const;
    bool hasStored() const { return !m_stored.empty(); }

private:
    // About 64 bytes each: 32 MiB at most. A log with more refusals than this between a mainlog
    // and its rejectlog counts the later ones twice.
    static constexpr std::size_t MaxRemembered = std::size_t(1) << 19;
    std::unordered_map<std::uint64_t, Seen> m_seen;
    // What the cache keeps of a refusal (no process, no text): key -> the file it was read from.
    std::unordered_map<std::uint64_t, std::uint32_t> m_stored;
};

} // namespace mailtrail
