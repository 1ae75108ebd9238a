// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelineevents.h"

#include "ingest/linefetcher.h"
#include "timelinelayout.h"
#include "ingest/formatregistry.h"
#include "ingest/timestampresolver.h"
#include "ingest/triedhost.h"

#include <QDateTime>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString peer(const Event &e)
{
    return e.clientHost.empty() && e.clientIp.empty() ? QString() : q(e.clientHost) + u'[' + q(e.clientIp) + u']';
}

QString reply(const Event &e)
{
    QString s;
    if (!e.dsn.empty())
        s += q(e.dsn) + u' ';
    if (!e.replyText.empty())
        s += u'(' + q(e.replyText) + u')';
    return s.trimmed();
}

QString seconds(double s)
{
    if (s >= 60)
        return formatDuration(static_cast<qint64>(s * 1000));
    return QString::number(s, 'g', 3) + u" s"_s;
}

} // namespace

QString describeDelay(double delaySec, QStringView delays, bool detailed)
{
    if (delaySec < 0)
        return {};
    QString text = seconds(delaySec);
    const QList<QStringView> parts = delays.split(u'/');
    if (!detailed || parts.size() != 4)
        return text;
    static const char *const where[] = {"before the queue manager", "in it", "connecting", "transmitting"};
    QStringList spent;
    for (qsizetype i = 0; i < 4; ++i)
        spent << seconds(parts.at(i).toDouble()) + u' ' + QLatin1StringView(where[i]);
    return text + u": "_s + spent.join(u", "_s);
}

const char *kindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Unknown: return "other";
    case EventKind::Connect: return "connect";
    case EventKind::Disconnect: return "disconnect";
    case EventKind::LostConnection: return "lost-connection";
    case EventKind::AuthFailure: return "auth-failure";
    case EventKind::Client: return "client";
    case EventKind::Pickup: return "pickup";
    case EventKind::MessageId: return "message-id";
    case EventKind::Reject: return "reject";
    case EventKind::Queued: return "queued";
    case EventKind::Delivery: return "delivery";
    case EventKind::Expired: return "expired";
    case EventKind::Notification: return "bounce-notice";
    case EventKind::Removed: return "removed";
    case EventKind::Info: return "info";
    case EventKind::Tls: return "tls";
    case EventKind::Screen: return "screen";
    case EventKind::ClientWarning: return "client-warning";
    case EventKind::Notice: return "notice";
    case EventKind::Hold: return "hold";
    case EventKind::Release: return "release";
    case EventKind::Discard: return "discard";
    case EventKind::Redirect: return "redirect";
    case EventKind::Deleted: return "deleted";
    case EventKind::Verdict: return "verdict";
    }
    return "other";
}

QString timelineKindName(const TimelineEvent &event)
{
    if (event.retry > 0)
        return u"retry"_s;
    return event.requeued ? u"requeued"_s : QString::fromLatin1(kindName(event.kind));
}

QString describeEvent(const Event &e)
{
    switch (e.kind) {
    case EventKind::Connect: return u"connect from "_s + peer(e);
    case EventKind::Disconnect: return u"disconnect from "_s + peer(e);
    case EventKind::Client: {
        QString s = u"received from "_s + peer(e);
        if (!e.saslUsername.empty())
            s += u", authenticated as "_s + q(e.saslUsername) + u" ("_s + q(e.saslMethod) + u')';
        if (!e.origQueueId.empty())
            s += u", re-injected from "_s + q(e.origQueueId);
        return s;
    }
    case EventKind::Pickup: return u"picked up from local sender <"_s + q(e.sender) + u'>';
    case EventKind::MessageId: return u"message-id=<"_s + q(e.messageId) + u'>';
    case EventKind::Queued:
        return u"queued from <%1>, %2 bytes, %3 %4"_s.arg(q(e.sender)).arg(e.size).arg(e.nrcpt).arg(e.nrcpt == 1 ? u"recipient"_s : u"recipients"_s);
    case EventKind::Delivery: {
        QString s = u"to=<"_s + q(e.recipient) + u'>';
        if (!e.origRecipient.empty())
            s += u" (orig_to=<"_s + q(e.origRecipient) + u">)"_s;
        if (!e.expandedTo.empty() && e.expandedTo != e.recipient)  // "to=<alice> (orig_to=<info@…>)" says it
            s += u" expanded to "_s + q(e.expandedTo);
        s += u' ' + QString::fromLatin1(statusName(e.status));
        // A failed try whose line names only its transport (Exim's "T=remote_smtp"), no host
        // before it either (hopEvents gives it the host one named): it reached none. Not "via
        // remote_smtp", read as a host; a try that tried nothing says so below.
        if (TriedHost::namesTransportOnly(e)) {
            if (!e.skippedTry)
                s += u", no host reached"_s;
        } else if (!e.relay.empty()) {
            s += u" via "_s + q(e.relay);
        }
        if (e.delaySec >= 0)
            s += u" after "_s + describeDelay(e.delaySec);
        if (e.skippedTry)
            s += u" [not tried]"_s;
        return s + u' ' + reply(e);
    }
    case EventKind::Reject:
        return u"rejected"_s + (e.recipient.empty() ? QString() : u" to=<"_s + q(e.recipient) + u'>') + u": "_s +
            q(e.replyText);
    case EventKind::Expired: return u"expired, returned to sender"_s;
    case EventKind::Notification:
        // A delay or success notice is no bounce: say which notice Postfix wrote.
        return (e.detail.empty() ? u"bounce notification"_s : q(e.detail)) + u" queued as "_s + q(e.relatedQueueId);
    case EventKind::Removed: return u"removed from the queue"_s;
    case EventKind::AuthFailure: return u"authentication failed from "_s + peer(e);
    case EventKind::Tls:
        return q(e.detail) + u" TLS "_s + (e.relay.empty() ? u"from "_s + peer(e) : u"to "_s + q(e.relay)) + u": "_s +
            q(e.tls);
    case EventKind::Hold: return u"placed on hold: "_s + q(e.detail);
    case EventKind::Release: return q(e.detail);
    case EventKind::Discard: return u"discarded: "_s + q(e.detail);
    case EventKind::Redirect: return u"redirected: "_s + q(e.detail);
    case EventKind::Deleted: return u"deleted from the queue by an administrator (postsuper)"_s;
    case EventKind::Verdict: {
        // "opendkim: DKIM fail: bad signature data": who judged, what it concluded, its words.
        QString s = q(e.program.substr(0, e.program.find('/'))) + u": "_s;
        if (!e.verdict.empty())
            s += q(e.verdict) + u": "_s;
        return s + q(e.detail);
    }
    default: return q(e.detail.empty() ? std::string_view() : e.detail);
    }
}

namespace {
// The format that reads a line: the lines of one message may come from files of different formats.
const LogFormat *readLine(std::string_view text, Record &record, Event &ev)
{
    for (const LogFormat *format : FormatRegistry::all()) {
        if (format->readRecord(text, record) && format->parse(record, ev))
            return format;
    }
    return nullptr;
}
} // namespace

QString hopTitle(const MessageRow &hop, int index, int count)
{
    return u"hop %1 of %2: %3 on %4"_s.arg(index + 1).arg(count).arg(q(hop.queueId), q(hop.host));
}

namespace {
QList<TimelineEvent> hopEvents(const MessageDetail &detail, int hop)
{
    std::vector<LineLocation> where;
    where.reserve(detail.lines.size());
    for (const RawLineRef &ref : detail.lines)
        where.push_back(LineLocation{ref.path, ref.offset});
    const std::vector<FetchedLine> lines = fetchLines(where);

    QList<TimelineEvent> events;
    // The first queue manager line queues the message; a later one, after a deferral, is a retry,
    // and one without (after a release from hold, a requeue) brings it back. A first one that is
    // the hop's first line is a retry too: the message was queued before the log began (no
    // smtpd, pickup or cleanup line of its own), and its retries are counted from there, in this log.
    bool queued = false, deferred = false, beforeLog = false;
    int retries = 0;
    QString releasedBy;  // "released from hold", "requeued": the line that put it back, since the last queueing
    TriedHost triedHost;
    TimestampResolver resolver;
    // Year-less lines get the year the cache placed the message in.
    resolver.setStartYear(QDateTime::fromMSecsSinceEpoch(detail.message.firstSeenMs + detail.message.utcOffsetSec * 1000LL,
                                                         QTimeZone::UTC)
                              .date()
                              .year());
    for (const FetchedLine &line : lines) {
        TimelineEvent te;
        te.available = line.ok;
        te.rawLine = QString::fromUtf8(line.text.data(), static_cast<qsizetype>(line.text.size()));
        Record sl;
        Event ev;
        const LogFormat *format = line.ok ? readLine(line.text, sl, ev) : nullptr;
        if (format && resolver.resolve(sl, ev)) {
            // A failed try that names only its transport went to the host a line before it
            // named, as the correlator stores it (the event noted as it was read, as there).
            const std::string_view host = triedHost.of(ev);
            triedHost.note(ev);
            if (!host.empty()) {
                ev.relay = host;
                ev.relayIsTransport = false;
            }
            te.timeMs = ev.timeMs;
            te.utcOffsetSec = ev.utcOffsetSec;
            te.kind = ev.kind;
            te.program = q(ev.program);
            te.delaySec = ev.delaySec;
            te.delays = q(ev.delays);
            te.expandedTo = q(ev.expandedTo);
            std::string own;
            te.description = format->describe(ev, own) ? QString::fromStdString(own) : describeEvent(ev);
            if (te.description.isEmpty())
                te.description = q(sl.body);
            if (ev.kind == EventKind::Delivery && ev.status == DeliveryStatus::Deferred)
                deferred = true;
            if (ev.kind == EventKind::Release)
                releasedBy = te.description;
            if (ev.kind == EventKind::Queued) {
                const QString envelope = u"from <%1>, %2 bytes, %3 %4"_s.arg(q(ev.sender))
                                             .arg(ev.size)
                                             .arg(ev.nrcpt)
                                             .arg(ev.nrcpt == 1 ? u"recipient"_s : u"recipients"_s);
                // Of unknown origin too: a forward or a notification this log saw made (its
                // parent's line said so) was queued here, whether or not its cleanup line is.
                const bool firstLine = !queued && hop == 0 && events.isEmpty() &&
                                       detail.message.origin == MessageOrigin::Unknown && detail.message.parentId == 0;
                if (firstLine) {
                    beforeLog = true;
                    te.retry = ++retries;
                    te.description = u"back in the active queue (retry 1 in this log; queued before it began): "_s + envelope;
                } else if (queued && deferred) {
                    te.retry = ++retries;
                    te.description = (beforeLog ? u"back in the active queue (retry %1 in this log): "_s
                                                : u"back in the active queue (retry %1): "_s)
                                         .arg(retries) +
                                     envelope;
                } else if (queued) {
                    te.requeued = true;
                    te.description = (releasedBy.isEmpty() ? u"back in the active queue, without a deferral before: "_s
                                                           : u"back in the active queue (%1): "_s.arg(releasedBy)) +
                                     envelope;
                }
                // Else the first queueing, also of one cleanup held before the queue manager had
                // it: its release (B14ADE643BF of the golden filter log) queues it for the first time.
                queued = true;
                deferred = false;
                releasedBy.clear();
            }
        } else {
            te.description = line.ok ? te.rawLine : u"(line no longer readable: the log file moved or changed)"_s;
        }
        te.hop = hop;
        events.push_back(std::move(te));
    }
    return events;
}
} // namespace

QList<TimelineEvent> timelineEvents(const MessageDetail &detail, bool laterHops)
{
    QList<TimelineEvent> events = hopEvents(detail, 0);
    if (!laterHops)
        return events;
    const int count = static_cast<int>(detail.laterHops.size()) + 1;
    for (int i = 1; i < count; ++i) {
        const MessageDetail &hop = detail.laterHops[static_cast<std::size_t>(i - 1)];
        TimelineEvent start;
        start.timeMs = hop.message.firstSeenMs;
        start.utcOffsetSec = hop.message.utcOffsetSec;
        start.description = hopTitle(hop.message, i, count);
        start.available = true;
        start.hop = i;
        start.hopStart = true;
        events.push_back(std::move(start));
        events += hopEvents(hop, i);
    }
    return events;
}

} // namespace mailtrail
