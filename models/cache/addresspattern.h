// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace mailtrail {

// What a sender or recipient filter asks for, read once for the SQL and the index in memory
// alike so that the two cannot disagree:
// - nothing ("", spaces): no condition;
// - "<>": the null sender (a recipient is never empty: it matches nothing);
// - "<alice@example.com>", an address as the log writes it: that address, whole (ASCII letters in
//   any case), not the addresses that contain it (nancy.alice@example.com);
// - a glob of '*' and '?' over the whole address, brackets or not ("*@example.com");
// - else a substring ("example.com").
struct AddressPattern {
    enum class Kind { None, Null, Exact, Glob, Substring };
    Kind kind = Kind::None;
    std::string text;  // the address, glob or substring, without brackets or spaces around it

    static AddressPattern of(std::string_view filterText);
    bool any() const { return kind != Kind::None; }
};

} // namespace mailtrail
