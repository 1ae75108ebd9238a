// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "saslprompt.h"

#include <QCoreApplication>

namespace mailtrail {

QString explainSaslFailure(const QString &detail)
{
    const QString last = detail.section(QLatin1Char(' '), -1).trimmed();
    if (last == QLatin1String(PasswordPrompt))
        return QCoreApplication::translate("SaslPrompt", "the client failed at the password prompt (%1 is base64 for "
                                                         "\"Password:\", the server's AUTH LOGIN prompt): the password "
                                                         "given for the login was wrong")
            .arg(QLatin1String(PasswordPrompt));
    if (last == QLatin1String(UsernamePrompt))
        return QCoreApplication::translate("SaslPrompt", "the client failed at the username prompt (%1 is base64 for "
                                                         "\"Username:\", the server's first AUTH LOGIN prompt): it sent "
                                                         "no usable login")
            .arg(QLatin1String(UsernamePrompt));
    return {};
}

} // namespace mailtrail
