// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightsettings.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
constexpr std::int64_t Minute = 60 * 1000;
}

InsightThresholds loadInsightThresholds(QSettings &settings)
{
    InsightThresholds t;
    settings.beginGroup(u"insights"_s);
    auto minutes = [&settings](const QString &key, std::int64_t &ms, std::int64_t unit = Minute) {
        ms = settings.value(key, static_cast<qlonglong>(ms / unit)).toLongLong() * unit;
    };
    auto count = [&settings](const QString &key, int &n) { n = settings.value(key, n).toInt(); };
    minutes(u"failureWindowMinutes"_s, t.failureWindowMs);
    count(u"failureMinimum"_s, t.failureMinimum);
    t.failureShare = settings.value(u"failureShare"_s, t.failureShare).toDouble();
    minutes(u"deferringMinutes"_s, t.deferringMs);
    minutes(u"burstWindowMinutes"_s, t.burstWindowMs);
    count(u"authFailureBurst"_s, t.authFailureBurst);
    count(u"rejectBurst"_s, t.rejectBurst);
    minutes(u"queueWindowMinutes"_s, t.queueWindowMs);
    count(u"queueMinimum"_s, t.queueMinimum);
    minutes(u"silenceHours"_s, t.silenceMs, 60 * Minute);
    count(u"silenceAfterDeliveries"_s, t.silenceAfterDeliveries);
    settings.endGroup();
    return t;
}

void saveInsightThresholds(QSettings &settings, const InsightThresholds &t)
{
    settings.beginGroup(u"insights"_s);
    auto minutes = [&settings](const QString &key, std::int64_t ms, std::int64_t unit = Minute) {
        settings.setValue(key, static_cast<qlonglong>(ms / unit));
    };
    minutes(u"failureWindowMinutes"_s, t.failureWindowMs);
    settings.setValue(u"failureMinimum"_s, t.failureMinimum);
    settings.setValue(u"failureShare"_s, t.failureShare);
    minutes(u"deferringMinutes"_s, t.deferringMs);
    minutes(u"burstWindowMinutes"_s, t.burstWindowMs);
    settings.setValue(u"authFailureBurst"_s, t.authFailureBurst);
    settings.setValue(u"rejectBurst"_s, t.rejectBurst);
    minutes(u"queueWindowMinutes"_s, t.queueWindowMs);
    settings.setValue(u"queueMinimum"_s, t.queueMinimum);
    minutes(u"silenceHours"_s, t.silenceMs, 60 * Minute);
    settings.setValue(u"silenceAfterDeliveries"_s, t.silenceAfterDeliveries);
    settings.endGroup();
}

} // namespace mailtrail
