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
// Both together, the enhanced code first when it is more specific: for tooltips and the detail pane.
QString explainCodes(int code, const QString &dsn);

} // namespace mailtrail
