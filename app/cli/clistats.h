// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace mailtrail::cli {

// mailtrail-cli stats: the summary of the filtered messages, as JSON or as a pflogsumm-like report.
int runStats(const QStringList &args);

} // namespace mailtrail::cli
