// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "statstotals.h"

#include "cellformat.h"
#include "logwords.h"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace mailtrail {

QString StatsTotal::text() const
{
    return bytes ? cellformat::size(value) : QLocale().toString(value);
}

namespace {
// The label beside a number: "1 message discarded", "2 messages discarded".
QString named(std::int64_t n, const QString &one, const QString &many)
{
    return n == 1 ? one : many;
}
} // namespace

std::vector<StatsTotal> StatsTotals::of(const Stats &s, qsizetype logs)
{
    // Recipients are the rows of the Deliveries table, one per recipient of a message; a final
    // status counts those rows. "Delivered" counts status=sent lines as pflogsumm does, and a row
    // delivered to twice has two. Deferred tries and the messages that had one are every try the
    // log records; "still deferred" are the rows waiting when it ends.
    std::vector<StatsTotal> t;
    // The table's count beside the Summary's: a row of Messages is not always a message received
    // here (one queued before the log began and retried in it, one refused before the queue, a
    // notice the server wrote); the difference is named, or "290 messages" and "247 received"
    // stand side by side unexplained.
    t.push_back({"messages", named(s.messagesAll, tr("message (row of Messages)"), tr("messages (rows of Messages)")), s.messagesAll});
    t.push_back({"received", named(s.received, tr("message received"), tr("messages received")), s.received});
    if (s.messagesAll > s.received)
        t.push_back({"notReceived",
                     named(s.messagesAll - s.received,
                           tr("row not received in %1 (queued before %2, refused, or a notice)").arg(LogWords::these(logs), LogWords::them(logs)),
                           tr("rows not received in %1 (queued before %2, refused, or notices)").arg(LogWords::these(logs), LogWords::them(logs))),
                     s.messagesAll - s.received});
    t.push_back({"recipients", named(s.recipients, tr("recipient (row of Deliveries)"), tr("recipients (rows of Deliveries)")), s.recipients});
    t.push_back({"sent", named(s.sent, tr("recipient sent"), tr("recipients sent")), s.sent});
    t.push_back({"delivered", named(s.deliveredTries, tr("delivery (status=sent line, content-filter hand-overs aside)"),
                                      tr("deliveries (status=sent lines, content-filter hand-overs aside)")), s.deliveredTries});
    // Where the two differ for want of a line (an address Exim delivered once for two recipients),
    // the difference is named rather than left to puzzle over.
    if (s.sentWithoutLine > 0)
        t.push_back({"sentWithoutLine", named(s.sentWithoutLine, tr("recipient sent without a line of its own"), tr("recipients sent without a line of their own")), s.sentWithoutLine});
    t.push_back({"deferred", named(s.deferred, tr("recipient still deferred"), tr("recipients still deferred")), s.deferred});
    t.push_back({"bounced", named(s.bounced, tr("recipient bounced"), tr("recipients bounced")), s.bounced});
    t.push_back({"expired", named(s.expired, tr("recipient expired"), tr("recipients expired")), s.expired});
    t.push_back({"rejected", named(s.rejected, tr("recipient rejected"), tr("recipients rejected")), s.rejected});
    t.push_back({"deferrals", named(s.deferrals, tr("deferred try"), tr("deferred tries")), s.deferrals});
    t.push_back({"deferredMessages", named(s.deferredMessages, tr("message deferred at least once"), tr("messages deferred at least once")), s.deferredMessages});
    t.push_back({"queued", named(s.stillQueued, tr("message still in the queue"), tr("messages still in the queue")), s.stillQueued});
    // The fates most logs never see: named where they happened.
    if (s.held > 0)
        t.push_back({"held", named(s.held, tr("message on hold"), tr("messages on hold")), s.held});
    if (s.discarded > 0)
        t.push_back({"discarded", named(s.discarded, tr("message discarded"), tr("messages discarded")), s.discarded});
    if (s.abandoned > 0)
        t.push_back({"abandoned", named(s.abandoned, tr("message abandoned by its client"), tr("messages abandoned by their client")), s.abandoned});
    if (s.deleted > 0)
        t.push_back({"deleted", named(s.deleted, tr("message deleted from the queue"), tr("messages deleted from the queue")), s.deleted});
    t.push_back({"bytesReceived", tr("received (bytes)"), s.bytesReceived, true});
    t.push_back({"bytesDelivered", tr("delivered (bytes)"), s.bytesDelivered, true});
    t.push_back({"senders", named(s.senders, tr("distinct sender"), tr("distinct senders")), s.senders});
    t.push_back({"senderDomains", named(s.senderDomains, tr("sender domain"), tr("sender domains")), s.senderDomains});
    t.push_back({"recipientsDelivered", named(s.recipientsDelivered, tr("distinct address delivered to"), tr("distinct addresses delivered to")), s.recipientsDelivered});
    t.push_back({"recipientDomains", named(s.recipientDomains, tr("recipient domain delivered to"), tr("recipient domains delivered to")), s.recipientDomains});
    return t;
}

std::pair<int, int> StatsTotals::hourSpan(const Stats &s)
{
    int first = 0, last = 23;
    if (s.byDay.size() != 1 || s.byHour.size() != 24)
        return {first, last};
    const auto busy = [&s](int h) {
        const StatsHour &r = s.byHour[static_cast<std::size_t>(h)];
        return r.received + r.delivered + r.deferred + r.bounced + r.rejected > 0;
    };
    while (first < last && !busy(first))
        ++first;
    while (last > first && !busy(last))
        --last;
    return {first, last};
}

QString StatsTotals::destinationName(const QString &host)
{
    return host == u"none" ? tr("no relay (not sent)") : host;
}

QString StatsTotals::destinationTip(const QString &host)
{
    // An unknown local user, a domain without MX, a message expired before any connection.
    return host == u"none" ? tr("relay=none in the log: no server was tried for these recipients (an unknown local user, "
                                "a domain without a mail server, a message that expired before any connection)")
                           : QString();
}

QString StatsTotals::problemKinds(const StatsHour &h)
{
    QStringList kinds;
    const auto add = [&kinds](std::int64_t n, const char *one, const char *many) {
        if (n > 0)
            kinds << QLocale().toString(qlonglong(n)) + u' ' + QString::fromLatin1(n == 1 ? one : many);
    };
    add(h.deferred, "deferred try", "deferred tries");
    add(h.bounced, "bounce", "bounces");
    add(h.rejected, "reject", "rejects");
    return kinds.join(QLatin1String(", "));
}

bool StatsTotals::delaysToTheSecond(const Stats &s)
{
    const auto whole = [](double v) { return v < 0 || v == std::floor(v); };
    return s.delaySamples > 0 && whole(s.delayMedianSec) && whole(s.delayP95Sec);
}

QString StatsTotals::delay(const Stats &s, double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    if (seconds == 0 && delaysToTheSecond(s))
        return QStringLiteral("< 1 s");
    // To the millisecond, without the zeros after the last digit that counts ("0.39 s"), in the
    // locale's digits as every count beside it ("0,39 s" under de_DE, not "0.39" next to "1.222").
    const QLocale locale;
    QString n = locale.toString(seconds, 'f', 3);
    const QString point = locale.decimalPoint();
    if (n.contains(point)) {
        while (n.endsWith(u'0'))
            n.chop(1);
        if (n.endsWith(point))
            n.chop(point.size());
    }
    return n + QStringLiteral(" s");
}

} // namespace mailtrail
