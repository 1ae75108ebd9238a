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

} // namespace mailtrail
