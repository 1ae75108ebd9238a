// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <string_view>

namespace mailtrail {

// Adds a verdict ("DKIM pass") to the message's list (MessageRecord::verdicts), once: from a
// companion program's line, or from a line of the MTA's own that judges the message (Exim's
// "ID DKIM: d=... [verification succeeded]"). Nothing for an empty verdict.
void addVerdict(MessageRecord &m, std::string_view verdict);

} // namespace mailtrail
