// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/event.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <string_view>

// Event fields by name, so that tests can state expectations as "field=value" strings.
namespace mailtrail::test {

inline QString text(std::string_view v)
{
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

inline QString kindName(EventKind kind)
{
    static const std::array<const char *, 25> names = {"Unknown", "Connect", "Disconnect", "LostConnection",
        "AuthFailure", "Client", "Pickup", "MessageId", "Reject", "Queued", "Delivery", "Expired", "Notification",
        "Removed", "Info", "Tls", "Screen", "ClientWarning", "Notice", "Hold", "Release", "Discard", "Redirect",
        "Deleted", "Verdict"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? QString::fromLatin1(names[i]) : QStringLiteral("?");
}

inline QString statusName(DeliveryStatus status)
{
    static const std::array<const char *, 12> names = {"None", "Sent", "Deferred", "Bounced", "Expired", "Rejected",
        "Abandoned", "Held", "Discarded", "Deleted", "Deliverable", "Undeliverable"};
    const auto i = static_cast<std::size_t>(status);
    return i < names.size() ? QString::fromLatin1(names[i]) : QStringLiteral("?");
}

inline QString factNames(std::uint8_t facts)
{
    QStringList names;
    if (facts & fact::OpensSession)
        names << QStringLiteral("OpensSession");
    if (facts & fact::StartsMessage)
        names << QStringLiteral("StartsMessage");
    if (facts & fact::EndsMessage)
        names << QStringLiteral("EndsMessage");
    if (facts & fact::ContinuesPrevious)
        names << QStringLiteral("ContinuesPrevious");
    return names.isEmpty() ? QStringLiteral("none") : names.join(u'|');
}

inline QString stageName(VerdictStage stage)
{
    static const std::array<const char *, 4> names = {"Unknown", "Receipt", "Filter", "Delivery"};
    const auto i = static_cast<std::size_t>(stage);
    return i < names.size() ? QString::fromLatin1(names[i]) : QStringLiteral("?");
}

// Nothing for a name that is not a field.
inline std::optional<QString> eventField(const Event &ev, QStringView name)
{
    const auto flag = [](bool b) { return b ? QStringLiteral("true") : QStringLiteral("false"); };
    const std::array<std::pair<const char *, QString>, 37> fields = {{
        {"kind", kindName(ev.kind)}, {"queueId", text(ev.queueId)}, {"sender", text(ev.sender)},
        {"hasSender", flag(ev.hasSender)}, {"recipient", text(ev.recipient)}, {"origRecipient", text(ev.origRecipient)},
        {"relay", text(ev.relay)}, {"dsn", text(ev.dsn)}, {"replyText", text(ev.replyText)},
        {"clientHost", text(ev.clientHost)}, {"clientIp", text(ev.clientIp)}, {"messageId", text(ev.messageId)},
        {"relatedQueueId", text(ev.relatedQueueId)}, {"detail", text(ev.detail)}, {"status", statusName(ev.status)},
        {"replyCode", QString::number(ev.replyCode)}, {"size", QString::number(ev.size)},
        {"nrcpt", QString::number(ev.nrcpt)}, {"delaySec", QString::number(ev.delaySec)},
        {"delays", text(ev.delays)},
        {"skippedTry", flag(ev.skippedTry)}, {"host", text(ev.host)}, {"program", text(ev.program)},
        {"service", text(ev.service)}, {"pid", QString::number(ev.pid)}, {"facts", factNames(ev.facts)},
        {"moreRecipients", text(ev.moreRecipients)}, {"tls", text(ev.tls)}, {"saslMethod", text(ev.saslMethod)},
        {"saslUsername", text(ev.saslUsername)}, {"origQueueId", text(ev.origQueueId)},
        {"hopQueueId", text(ev.hopQueueId)}, {"verdict", text(ev.verdict)}, {"expandedTo", text(ev.expandedTo)},
        {"verdictStage", stageName(ev.verdictStage)}, {"relayIsTransport", flag(ev.relayIsTransport)},
        {"envelopeRecipients", text(ev.envelopeRecipients)},
    }};
    for (const auto &[key, value] : fields) {
        if (name == QLatin1StringView(key))
            return value;
    }
    return {};
}

// Expectations are "field=value" (equal), "field^value" (starts with), "field~value" (contains) or
// "field$value" (ends with). Returns one line per expectation that does not hold.
inline QStringList mismatches(const Event &ev, const QStringList &expectations)
{
    QStringList failed;
    for (const QString &e : expectations) {
        const qsizetype op = e.indexOf(QRegularExpression(QStringLiteral("[=^~$]")));
        const QString name = e.left(op);
        const QString want = e.mid(op + 1);
        const std::optional<QString> field = eventField(ev, name);
        if (!field) {
            failed << QStringLiteral("bad expectation \"%1\"").arg(e);
            continue;
        }
        const QString &got = *field;
        bool ok = false;
        switch (op < 0 ? u'?' : e.at(op).unicode()) {
        case u'=':
            ok = got == want;
            break;
        case u'^':
            ok = got.startsWith(want);
            break;
        case u'~':
            ok = got.contains(want);
            break;
        case u'$':
            ok = got.endsWith(want);
            break;
        default:
            break;
        }
        if (!ok)
            failed << QStringLiteral("%1: expected %2 \"%3\", got \"%4\"").arg(name, e.mid(op, 1), want, got);
    }
    return failed;
}

} // namespace mailtrail::test
