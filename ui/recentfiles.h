// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace mailtrail {

// The logs opened last, newest first, kept in the application's settings.
namespace recentfiles {
QStringList list();
void add(const QStringList &paths);
} // namespace recentfiles

} // namespace mailtrail
