// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace mailtrail::cli {

// "1 message", "2 messages": `one` or `many` after the number.
QString counted(qint64 n, QStringView one, QStringView many);
// The parts that say something, joined by ", ": a part left empty (a log without host names, a
// message without Message-ID) leaves no ", ," or "on ," behind.
QString clauses(const QStringList &parts);

} // namespace mailtrail::cli
