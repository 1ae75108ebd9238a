// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// The flow amavis-and-milters.log (tests/data/postfix/flows) with a deferred try at each hop of
// its chain: the content filter down a moment before the hand-over, then the destination
// greylisting after it, in Postfix's words. Empty if `log` is not that flow. Shared by the suites
// that compare kept numbers with the rows' (stats and chart).
inline QByteArray withDeferredTryAtEachHop(QByteArray log)
{
    const QByteArray firstHopSent = "Nov 24 10:00:03 mx1 postfix/smtp[5103]: 6A1B2C3D4E: to=<dave@example.net>";
    const QByteArray laterHopSent = "Nov 24 10:00:05 mx1 postfix/smtp[5105]: 7B2C3D4E5F: to=<dave@example.net>";
    if (!log.contains(firstHopSent) || !log.contains(laterHopSent))
        return {};
    const QByteArray firstHopDeferred = "Nov 24 10:00:02 mx1 postfix/smtp[5103]: 6A1B2C3D4E: to=<dave@example.net>, relay=none, "
                                        "delay=0.3, delays=0.2/0/0.1/0, dsn=4.4.1, status=deferred (connect to "
                                        "127.0.0.1[127.0.0.1]:10024: Connection refused)\n";
    const QByteArray laterHopDeferred = "Nov 24 10:00:04 mx1 postfix/smtp[5105]: 7B2C3D4E5F: to=<dave@example.net>, "
                                        "relay=mx.example.net[198.51.100.25]:25, delay=1, delays=0.1/0/0.9/0, dsn=4.2.0, "
                                        "status=deferred (host mx.example.net[198.51.100.25] said: 450 4.2.0 Greylisted, try "
                                        "again later (in reply to RCPT TO command))\n";
    log.replace(firstHopSent, QByteArray(firstHopDeferred).append(firstHopSent));
    log.replace(laterHopSent, QByteArray(laterHopDeferred).append(laterHopSent));
    return log;
}
