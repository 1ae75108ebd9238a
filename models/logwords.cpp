// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logwords.h"

namespace mailtrail {

QString LogWords::these(qsizetype logs)
{
    return logs == 1 ? tr("this log") : tr("these logs");
}

QString LogWords::them(qsizetype logs)
{
    return logs == 1 ? tr("it") : tr("them");
}

} // namespace mailtrail
