// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowformat.h"

#include "cellformat.h"
#include "timeformat.h"

using namespace Qt::StringLiterals;

namespace mailtrail {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

const char *originName(MessageOrigin origin)
{
    switch (origin) {
    case MessageOrigin::Smtp: return "smtp";
    case MessageOrigin::Local: return "local";
    case MessageOrigin::Notification: return "notification";
    case MessageOrigin::Forward: return "forward";
    case MessageOrigin::Unknown: break;
    }
    return "";
}

namespace {
QString number(std::int64_t v, bool emptyWhenZeroOrLess = true)
{
    return emptyWhenZeroOrLess && v <= 0 ? QString() : QString::number(v);
}


// The null sender as the window's Deliveries table shows it, "<>". A delivery row does not carry
// whether its message named a sender (a Messages row does: cellformat::sender); the one refusal
// that names none is that of a client refused before MAIL FROM, a rejected row of no recipient.
QString deliverySender(const DeliveryRow &r)
{
    if (r.sender.empty() && r.recipient.empty() && r.status == DeliveryStatus::Rejected)
        return {};
    return r.sender.empty() ? u"<>"_s : qs(r.sender);
}
} // namespace

QStringList deliveryHeader()
{
    return {u"first_seen"_s, u"last_seen"_s, u"host"_s, u"queue_id"_s, u"message_id"_s, u"sender"_s,
            u"recipient"_s, u"orig_recipient"_s, u"status"_s, u"dsn"_s, u"reply_code"_s, u"attempts"_s,
            u"relay"_s, u"reason"_s};
}

QStringList deliveryFields(const DeliveryRow &r)
{
    return {isoTime(r.firstSeenMs, r.utcOffsetSec), isoTime(r.lastSeenMs, r.utcOffsetSec), qs(r.host),
            qs(r.queueId), qs(r.messageId), deliverySender(r), qs(r.recipient), qs(r.origRecipient),
            QString::fromLatin1(statusName(r.status)), qs(r.dsn), number(r.replyCode),
            QString::number(r.attempts), qs(r.relay), qs(r.reason)};
}

QStringList deliveryLaterHeader()
{
    return {u"message_queue_id"_s};
}

QStringList deliveryLaterFields(const DeliveryRow &r)
{
    return {qs(r.messageQueueId)};
}

QStringList messageHeader()
{
    return {u"first_seen"_s, u"last_seen"_s, u"host"_s, u"queue_id"_s, u"message_id"_s, u"sender"_s,
            u"recipients"_s, u"first_recipient"_s, u"status"_s, u"last_code"_s, u"attempts"_s, u"size"_s,
            u"client"_s, u"client_ip"_s, u"origin"_s, u"parent_queue_id"_s, u"hops"_s};
}

QStringList messageFields(const MessageRow &r)
{
    return {isoTime(r.firstSeenMs, r.utcOffsetSec), isoTime(r.lastSeenMs, r.utcOffsetSec), qs(r.host),
            qs(r.queueId), qs(r.messageId), cellformat::sender(r.sender, r.hasSender), QString::number(r.recipientCount),
            qs(r.firstRecipient), QString::fromLatin1(stateName(r.finalState)), number(r.lastCode),
            QString::number(r.attempts), r.size >= 0 ? QString::number(r.size) : QString(), qs(r.clientHost),
            qs(r.clientIp), QString::fromLatin1(originName(r.origin)), qs(r.parentQueueId), QString::number(r.hops)};
}

namespace {
QJsonObject toJson(const QStringList &header, const QStringList &fields, const QStringList &numeric)
{
    QJsonObject o;
    for (qsizetype i = 0; i < header.size(); ++i) {
        const QString &value = fields.at(i);
        if (numeric.contains(header.at(i)))
            o.insert(header.at(i), value.isEmpty() ? QJsonValue() : QJsonValue(value.toLongLong()));
        else
            o.insert(header.at(i), value);
    }
    return o;
}
} // namespace

QJsonObject deliveryJson(const DeliveryRow &row)
{
    static const QStringList numeric{u"reply_code"_s, u"attempts"_s};
    return toJson(deliveryHeader() << deliveryLaterHeader(), deliveryFields(row) << deliveryLaterFields(row), numeric);
}

QJsonObject messageJson(const MessageRow &row)
{
    static const QStringList numeric{u"recipients"_s, u"last_code"_s, u"attempts"_s, u"size"_s, u"hops"_s};
    return toJson(messageHeader(), messageFields(row), numeric);
}

} // namespace mailtrail
