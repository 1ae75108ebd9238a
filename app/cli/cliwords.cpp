// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cliwords.h"

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

QString counted(qint64 n, QStringView one, QStringView many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many).toString();
}

QString clauses(const QStringList &parts)
{
    QStringList said;
    for (const QString &part : parts) {
        if (!part.isEmpty())
            said << part;
    }
    return said.join(u", "_s);
}

} // namespace mailtrail::cli
