// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeformat.h"

#include <QDateTime>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace mailtrail {

QString isoTime(std::int64_t epochMs, std::int32_t utcOffsetSec)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::fromSecondsAheadOfUtc(utcOffsetSec));
    QString s = t.toString(t.time().msec() ? u"yyyy-MM-ddTHH:mm:ss.zzz"_s : u"yyyy-MM-ddTHH:mm:ss"_s);
    const int abs = utcOffsetSec < 0 ? -utcOffsetSec : utcOffsetSec;
    s += (utcOffsetSec < 0 ? u'-' : u'+');
    s += u"%1:%2"_s.arg(abs / 3600, 2, 10, QChar(u'0')).arg((abs % 3600) / 60, 2, 10, QChar(u'0'));
    return s;
}

std::optional<std::int64_t> parseUserTime(const QString &input)
{
    const QString text = input.trimmed();
    if (text.startsWith(u'@')) {
        bool ok = false;
        const qint64 secs = text.mid(1).toLongLong(&ok);
        return ok ? std::optional<std::int64_t>(secs * 1000) : std::nullopt;
    }
    QString iso = text;
    if (iso.size() > 10 && iso.at(10) == u' ')
        iso[10] = u'T';
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(iso, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        t = d.startOfDay();
    }
    return t.toMSecsSinceEpoch();
}

} // namespace mailtrail
