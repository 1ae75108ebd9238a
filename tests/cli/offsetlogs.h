// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// Postfix lines of 2026-11-22 with RFC 3339 times, each `time` with its UTC offset
// ("08:50:30.000000+01:00"), on server `host`: the logs of servers in three time zones that the
// CLI's and the Summary's tests of mixed offsets write.
namespace offsetlogs {

// A relay-access reject of <who@lab.test>.
inline QByteArray relayDenied(const QByteArray &time, const QByteArray &host, const QByteArray &who)
{
    return "2026-11-22T" + time + " " + host + " postfix/smtpd[123]: NOQUEUE: reject: RCPT from a.example[192.0.2.1]: 554 "
           "5.7.1 <" + who + "@lab.test>: Relay access denied; from=<a@example.org> to=<" + who +
           "@lab.test> proto=ESMTP helo=<a>\n";
}

// Message `id` received from a.example and sent to <to@lab.test>.
inline QByteArray sent(const QByteArray &time, const QByteArray &host, const QByteArray &id, const QByteArray &to)
{
    const QByteArray head = "2026-11-22T" + time + " " + host + " postfix/";
    return head + "smtpd[123]: " + id + ": client=a.example[192.0.2.1]\n" + head + "qmgr[12]: " + id +
           ": from=<a@example.org>, size=100, nrcpt=1 (queue active)\n" + head + "smtp[13]: " + id + ": to=<" + to +
           "@lab.test>, relay=mx.lab.test[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n" +
           head + "qmgr[12]: " + id + ": removed\n";
}

// Message `id` received from a.example and bounced by mx.lab.test (550 5.1.1) for <to@lab.test>.
inline QByteArray bounced(const QByteArray &time, const QByteArray &host, const QByteArray &id, const QByteArray &to)
{
    const QByteArray head = "2026-11-22T" + time + " " + host + " postfix/";
    return head + "smtpd[123]: " + id + ": client=a.example[192.0.2.1]\n" + head + "qmgr[12]: " + id +
           ": from=<a@example.org>, size=100, nrcpt=1 (queue active)\n" + head + "smtp[13]: " + id + ": to=<" + to +
           "@lab.test>, relay=mx.lab.test[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host "
           "mx.lab.test[192.0.2.9] said: 550 5.1.1 <" + to + "@lab.test>: User unknown (in reply to RCPT TO command))\n" +
           head + "qmgr[12]: " + id + ": removed\n";
}

// Three logs: east.log at +01:00 fails first (a reject at 08:50:30, 07:50:30 UTC), far.log at
// +09:00 only sends, late in its own day, and west.log at -05:00 fails last. Each sends one message,
// of a queue id of Postfix's short form (upper-case hex, as Postfix writes them), so that the
// parser reads it as a message: ThreeClocks::ids.
struct ThreeClocks {
    static constexpr const char *ids[] = {"8A3F2C1D01", "8A3F2C1D02", "8A3F2C1D03"};  // east, west, far
    QByteArray east = relayDenied("08:50:30.000000+01:00", "mx1", "early") + sent("08:55:00.000000+01:00", "mx1", ids[0], "one");
    QByteArray far = sent("10:00:00.000000+09:00", "mx3", ids[2], "three");
    QByteArray west = sent("09:00:00.000000-05:00", "mx2", ids[1], "two") + relayDenied("09:10:00.000000-05:00", "mx2", "late");
};

} // namespace offsetlogs
