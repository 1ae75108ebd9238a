// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace mailtrail {

// The host a failed delivery try went to when its line names only its transport. Exim logs the
// host it could not reach, or that failed it, on a line of its own just before the try's ("ID
// H=127.0.0.9 [127.0.0.9] Connection refused", then "ID == x@slow.test R=to_slow T=remote_smtp
// defer (111): Connection refused"), and recipients tried in one connection fail alike, the host
// named on the first of their lines only. One per message, fed its events in log order: by the
// correlator for the relay it stores, by the timeline for its words, so that both name one host.
class TriedHost
{
public:
    // What Event::relay holds for a failed try that names no host, and none was named before it
    // (Exim's "** t9@dane.no.1.test.ex R=client T=send_to_server : DANE error: tlsa lookup FAIL"):
    // no server was tried, as Postfix's relay=none says. Never the transport, which is no host.
    static constexpr std::string_view None = "none";

    // Remembers the host a line names as failed: an Info line's ("ID H=mx [ip] Connection
    // refused"), or a failed try's that names its host.
    void note(const Event &ev);
    // For a failed try that names only its transport (Event::relayIsTransport): the host noted
    // within minutes before it; empty when none is (then no host was reached), and for a try
    // that tried nothing ("retry time not reached") or any other event.
    std::string_view of(const Event &ev) const;
    // Whether ev is a failed try whose line names no host, only its transport.
    static bool namesTransportOnly(const Event &ev)
    {
        return ev.kind == EventKind::Delivery && ev.relayIsTransport && ev.status != DeliveryStatus::Sent;
    }

private:
    std::string m_host;
    std::int64_t m_timeMs = 0;
};

} // namespace mailtrail
