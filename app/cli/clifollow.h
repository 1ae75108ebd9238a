// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace mailtrail::cli {

// mailtrail-cli follow: imports the logs, then follows them (appends and rotations) until SIGINT
// or SIGTERM, printing each delivery whose status changes, once its row is committed.
int runFollow(const QStringList &args);

} // namespace mailtrail::cli
