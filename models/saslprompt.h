// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace mailtrail {

// AUTH LOGIN sends the server's prompts base64-encoded, and Postfix ends a failed login's line
// with the last one ("SASL LOGIN authentication failed: UGFzc3dvcmQ6"): the prompt the client
// failed at, which admins read as where the guess went wrong.
inline constexpr char PasswordPrompt[] = "UGFzc3dvcmQ6";  // base64 of "Password:"
inline constexpr char UsernamePrompt[] = "VXNlcm5hbWU6";  // base64 of "Username:"

// That reading of a SASL failure's detail, in words; empty when it ends with no prompt.
QString explainSaslFailure(const QString &detail);

} // namespace mailtrail
