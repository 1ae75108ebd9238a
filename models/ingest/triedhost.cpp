// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/triedhost.h"

namespace mailtrail {

namespace {
// One delivery run of Exim writes the host's line and the try's within the same second or so; a
// host of an earlier run (a queue run later) is not this try's.
constexpr std::int64_t SameRunMs = 5 * 60'000;
} // namespace

void TriedHost::note(const Event &ev)
{
    if (ev.relay.empty())
        return;
    const bool hostLine = ev.kind == EventKind::Info;
    const bool failedTry = ev.kind == EventKind::Delivery && ev.status != DeliveryStatus::Sent && !ev.skippedTry &&
                           !ev.relayIsTransport;
    if (!hostLine && !failedTry)
        return;
    m_host.assign(ev.relay);
    m_timeMs = ev.timeMs;
}

std::string_view TriedHost::of(const Event &ev) const
{
    if (!namesTransportOnly(ev) || ev.skippedTry || m_host.empty() || ev.timeMs - m_timeMs > SameRunMs)
        return {};
    return m_host;
}

} // namespace mailtrail
