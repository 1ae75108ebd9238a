// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <string>
#include <string_view>
#include <vector>

namespace mailtrail::linecodec {

// A message's raw-line references (messages.lines), in one of two forms; decode() reads both.
// - Layout 2 on: for each line its file id, then the offset's signed distance from the line
//   before (zigzag), as varints.
// - Layout 14 on: a first byte 0 (no file has id 0), then one varint a line: the distance from
//   the line before shifted left one bit when it is a later line of the same file; else 1,
//   followed by the line's file id and offset whole. A message's lines are one file's, in order,
//   but for the one a rotation parts: the file id once instead of once a line (1 GB of log:
//   messages.lines 20.8 → 17.5 MB).
// encode() writes the shorter (the first form for a message of one or two lines).
std::string encode(const std::vector<LineRef> &lines);
// The first form alone, as layouts 2 to 13 wrote it (the tests make such caches with it).
std::string encodeEachLine(const std::vector<LineRef> &lines);
// Stops at the first damaged entry: the lines before it.
std::vector<LineRef> decode(std::string_view blob);

} // namespace mailtrail::linecodec
