// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <string>
#include <string_view>
#include <vector>

namespace mailtrail::linecodec {

// A message's raw-line references as varints: file id, then the offset's signed distance from the
// previous line. Lines of a message sit close together, so most take three or four bytes.
std::string encode(const std::vector<LineRef> &lines);
std::vector<LineRef> decode(std::string_view blob);

} // namespace mailtrail::linecodec
