// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cellformat.h"

#include "cache/rows.h"
#include "rowformat.h"
#include "timeformat.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace mailtrail::cellformat {

QString time(std::int64_t epochMs, std::int32_t utcOffsetSec)
{
    // The ISO form without the zone: the zone is the log's and the same for every row of a file.
    return tableTime(epochMs, utcOffsetSec);
}

QString sender(const std::string &s, bool hasSender)
{
    if (!hasSender)
        return {};
    return s.empty() ? u"<>"_s : qs(s);
}

QString state(MessageState s)
{
    switch (s) {
    case MessageState::Queued: return QCoreApplication::translate("cellformat", "Queued");
    case MessageState::Sent: return QCoreApplication::translate("cellformat", "Sent");
    case MessageState::Deferred: return QCoreApplication::translate("cellformat", "Deferred");
    case MessageState::Bounced: return QCoreApplication::translate("cellformat", "Bounced");
    case MessageState::Expired: return QCoreApplication::translate("cellformat", "Expired");
    case MessageState::Rejected: return QCoreApplication::translate("cellformat", "Rejected");
    case MessageState::Abandoned: return QCoreApplication::translate("cellformat", "Abandoned");
    case MessageState::Held: return QCoreApplication::translate("cellformat", "Held");
    case MessageState::Discarded: return QCoreApplication::translate("cellformat", "Discarded");
    case MessageState::Deleted: return QCoreApplication::translate("cellformat", "Deleted");
    case MessageState::Deliverable: return QCoreApplication::translate("cellformat", "Deliverable");
    case MessageState::Undeliverable: return QCoreApplication::translate("cellformat", "Undeliverable");
    }
    return {};
}

QString status(DeliveryStatus s)
{
    // Same words, same numbers (see rows.cpp).
    return state(static_cast<MessageState>(s));
}

QString size(std::int64_t bytes)
{
    if (bytes < 0)
        return {};
    // SI units: 3300 bytes read "3.3 kB", as a mail administrator compares with size= in the log.
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString client(const std::string &host, const std::string &ip)
{
    if (host.empty() && ip.empty())
        return {};
    if (host.empty() || host == "unknown")
        return qs(ip);
    return qs(host) + u" ["_s + qs(ip) + u']';
}

QString tlsProtocol(const std::string &tls)
{
    // Postfix writes "<trust> <protocol> with cipher <cipher> ...": the protocol is the second word.
    const QStringList words = QString::fromStdString(tls).split(u' ', Qt::SkipEmptyParts);
    if (words.size() >= 2)
        return words.at(1);
    return words.isEmpty() ? QString() : words.at(0);
}

QString tls(const std::string &in, const std::string &out)
{
    QStringList parts;
    if (!in.empty())
        parts << QCoreApplication::translate("cellformat", "in %1").arg(tlsProtocol(in));
    if (!out.empty())
        parts << QCoreApplication::translate("cellformat", "out %1").arg(tlsProtocol(out));
    return parts.isEmpty() ? QCoreApplication::translate("cellformat", "none") : parts.join(u" · "_s);
}

} // namespace mailtrail::cellformat
