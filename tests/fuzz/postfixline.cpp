// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the Postfix line parser with single lines.
#include "linefuzzer.h"
#include "parsing/postfixparser.h"

MAILTRAIL_LINE_FUZZER(mailtrail::PostfixParser)
