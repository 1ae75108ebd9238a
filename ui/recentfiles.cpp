// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentfiles.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace mailtrail::recentfiles {

namespace {
constexpr qsizetype MaxRecent = 10;
const QString Key = u"recentFiles"_s;
} // namespace

QStringList list()
{
    return QSettings().value(Key).toStringList();
}

void add(const QStringList &paths)
{
    QStringList recent = list();
    for (const QString &p : paths) {
        recent.removeAll(p);
        recent.prepend(p);
    }
    QSettings().setValue(Key, recent.mid(0, MaxRecent));
}

} // namespace mailtrail::recentfiles
