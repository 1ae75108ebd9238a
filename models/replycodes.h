// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace mailtrail {

// What SMTP reply codes (RFC 5321) and enhanced status codes (RFC 3463) mean, in words for the
// person reading the log, with a one-line "what to do" for the common ones.
struct CodeExplanation {
    QString meaning;  // "The mailbox does not exist."
    QString advice;   // "Check the address for typos; remove it from lists if it keeps bouncing."
    bool isEmpty() const { return meaning.isEmpty(); }
};

CodeExplanation explainReplyCode(int code);
CodeExplanation explainEnhancedCode(const QString &dsn);
// How a recipient's story ended, when that changes what the last reply's advice says.
// Refused: our server refused it (a client, a message or a recipient rejected here), so the
// reply is ours and advice about a remote server's limits would point the wrong way.
enum class Outcome { Pending, GaveUp, Refused };
// Both together, the enhanced code first when it is more specific: for tooltips and the detail pane.
// After GaveUp (status=expired), a temporary code's "retried automatically" no longer holds.
QString explainCodes(int code, const QString &dsn, Outcome outcome = Outcome::Pending);

} // namespace mailtrail
