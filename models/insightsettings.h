// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "insights/insight.h"

class QSettings;

namespace mailtrail {

// The insight thresholds from the [insights] group of `settings` (the window's settings, or the
// file of mailtrail-cli --alert-config); a key that is missing keeps its default. Keys:
// failureWindowMinutes, failureMinimum, failureShare (0..1), deferringMinutes, burstWindowMinutes,
// authFailureBurst, rejectBurst, queueWindowMinutes, queueMinimum, silenceHours,
// silenceAfterDeliveries.
InsightThresholds loadInsightThresholds(QSettings &settings);
// Writes every threshold into the [insights] group, in the keys and units loadInsightThresholds()
// reads.
void saveInsightThresholds(QSettings &settings, const InsightThresholds &thresholds);

// The organisation and application the window's QSettings are stored under: mailtrail-cli reads
// the thresholds the window's settings dialog set from there when no --alert-config is given.
inline constexpr char SettingsOrganization[] = "Mailtrail";
inline constexpr char SettingsApplication[] = "mailtrail";

} // namespace mailtrail
