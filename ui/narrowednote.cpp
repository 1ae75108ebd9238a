// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "narrowednote.h"

#include "logwords.h"

#include "chartmodel.h"

using namespace Qt::StringLiterals;

namespace mailtrail {

QString NarrowedNote::tries(const std::string &triedAs)
{
    const std::vector<TryGroup> groups = TryGroup::parseAll(triedAs);
    if (groups.size() > 1) {
        // The codes of the chart's "Other": "a try answered 504, 421 or none".
        QStringList names;
        for (const TryGroup &g : groups) {
            const QString key = QString::fromStdString(g.key);
            names << (key.isEmpty() ? tr("none")
                      : g.kind == TryGroup::ReplyCode && key == ChartModel::DeliveredNoReplyKey ? tr("none (delivered)")
                                                                                              : key);
        }
        const QString list = tr("%1 or %2").arg(names.mid(0, names.size() - 1).join(u", "_s), names.constLast());
        return groups.front().kind == TryGroup::ReplyCode ? tr("a try answered %1").arg(list)
               : groups.front().kind == TryGroup::EnhancedCode ? tr("a try with status %1").arg(list)
                                                              : tr("a try %1").arg(list);
    }
    const TryGroup group = groups.front();
    const QString key = QString::fromStdString(group.key);
    switch (group.kind) {
    case TryGroup::Outcome:
        return key == u"delivered"_s ? tr("a try that delivered it")
               : key == u"deferred"_s ? tr("a deferred try")
               : key == u"bounced"_s  ? tr("a try that bounced")
               : key == u"failed"_s   ? tr("a failed try")
                                      : tr("a rejected try");
    case TryGroup::ReplyCode:
        return key.isEmpty()                    ? tr("a try that got no reply")
               : key == ChartModel::DeliveredNoReplyKey ? tr("a delivery without a reply code")
                                                : tr("a try answered %1").arg(key);
    case TryGroup::EnhancedCode:
        // Not "answered": Postfix gives a try no server answered its status too (4.4.1, a timeout).
        return key.isEmpty() ? tr("a try without an enhanced status code") : tr("a try with status %1").arg(key);
    case TryGroup::Invalid: return tr("a try of kind \"%1\"").arg(QString::fromStdString(triedAs));
    case TryGroup::Any: break;
    }
    return tr("a delivery try");
}

QString NarrowedNote::describe(const Filter &filter, const LogClock &clock, const QString &insight, qsizetype logs)
{
    const Filter &n = filter;
    const Filter open;  // the tried range of no narrowing: open at both ends
    const bool since = n.triedSinceMs != open.triedSinceMs, until = n.triedUntilMs != open.triedUntilMs;
    // A reject reason of the Summary: "Only rejects for relay denied."
    QString rejects =
        n.rejectReason.empty() ? QString() : tr("Only rejects for %1.").arg(QString::fromStdString(n.rejectReason));
    // The Summary's "messages received" and "rows not received in this log".
    const QString received = n.received == "yes" ? tr("Only messages received in %1.").arg(LogWords::these(logs))
                             : n.received == "no" ? tr("Only rows not received in %1 (queued before %2, refused, or notices).")
                                                        .arg(LogWords::these(logs), LogWords::them(logs))
                             : n.received.empty() ? QString()
                                                  : tr("Only rows received \u201c%1\u201d.").arg(QString::fromStdString(n.received));
    if (!received.isEmpty())
        rejects = rejects.isEmpty() ? received : received + u' ' + rejects;
    // An insight opened: exactly the messages it counted, which no field shows.
    if (!n.messageIds.empty()) {
        // Which insight: "the insight" alone left the user to remember which row they opened.
        const QString messages =
            insight.isEmpty() ? (n.messageIds.size() == 1 ? tr("Only the message the insight counted.")
                                                          : tr("Only the %L1 messages the insight counted.").arg(n.messageIds.size()))
            : n.messageIds.size() == 1 ? tr("Only the message of the insight \u201c%1\u201d.").arg(insight)
                                       : tr("Only the %L1 messages of the insight \u201c%2\u201d.").arg(n.messageIds.size()).arg(insight);
        rejects = rejects.isEmpty() ? messages : messages + u' ' + rejects;
    }
    if (!since && !until && n.triedAs.empty() && n.destination.empty())
        return rejects;
    QString what = tries(n.triedAs);
    // As the Summary names destinations: "none" is tries that reached no relay, "@domain" those
    // that named no host, by their recipients' domain.
    if (n.destination == "none")
        what = tr("%1 that reached no relay").arg(what);
    else if (n.destination.starts_with('@'))
        what = tr("%1 that named no host, to %2").arg(what, QString::fromStdString(n.destination.substr(1)));
    else if (!n.destination.empty())
        what = tr("%1 at %2").arg(what, QString::fromStdString(n.destination));
    const auto day = [&clock](qint64 ms) { return clock.format(ms, u"yyyy-MM-dd"_s); };
    const auto when = [&clock](qint64 ms) { return clock.format(ms, u"yyyy-MM-dd HH:mm"_s); };
    if (since && until) {
        // The day once when both ends are on it (a chart's bar of five minutes).
        const QString to = day(n.triedSinceMs) == day(n.triedUntilMs) ? clock.format(n.triedUntilMs, u"HH:mm"_s)
                                                                       : when(n.triedUntilMs);
        what = tr("%1, between %2 and %3").arg(what, when(n.triedSinceMs), to);
    } else if (since) {
        what = tr("%1, from %2 on").arg(what, when(n.triedSinceMs));
    } else if (until) {
        what = tr("%1, before %2").arg(what, when(n.triedUntilMs));
    }
    const QString said = tr("Only mail with %1.").arg(what);
    return rejects.isEmpty() ? said : said + u' ' + rejects;
}

} // namespace mailtrail
