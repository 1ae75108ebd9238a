// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeformat.h"

#include <QDateTime>
#include <QRegularExpression>
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

QString tableTime(std::int64_t epochMs, std::int32_t utcOffsetSec)
{
    return isoTime(epochMs, utcOffsetSec).left(19).replace(u'T', u' ');
}

std::optional<std::int64_t> parseUserTime(const QString &input)
{
    const QString text = input.trimmed();
    if (text.startsWith(u'@')) {
        bool ok = false;
        const qint64 secs = text.mid(1).toLongLong(&ok);
        // Years 0 to 9999, as the other forms: far beyond, the milliseconds would overflow.
        if (!ok || secs < -62167219200LL || secs > 253402300799LL)
            return std::nullopt;
        return secs * 1000;
    }
    // Qt's ISO reading is lenient where a typo should be refused: QDate stops after the day and
    // ignores the rest ("…T25:05:00", "… CET" became that day's midnight), and an offset may have
    // one digit ("+1"). The form is checked here; Qt then checks the values.
    static const QRegularExpression form(
        uR"(^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$)"_s);
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    if (!m.hasCaptured(2)) {
        const QDate d = QDate::fromString(m.captured(1), Qt::ISODate);
        return d.isValid() ? std::optional<std::int64_t>(d.startOfDay().toMSecsSinceEpoch()) : std::nullopt;
    }
    QString iso = text;
    iso[10] = u'T';
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toMSecsSinceEpoch();
}

QString userTimeForms()
{
    return u"2026-11-22 (midnight), 2026-11-22T08:00, 2026-11-22T08:00:30 or 2026-11-22 08:00:30.250 "
           u"(in the logs' own clock, as the table shows times), any of these followed by Z or +01:00 or -0500, "
           u"or @1795348800 (seconds since 1970)"_s;
}

} // namespace mailtrail
