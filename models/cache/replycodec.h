// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

// The compact form of a reply text in the cache (layout 13): deliveries.reply_text and
// attempts.reply_text hold either the text (TEXT) or this encoding of it (BLOB), whichever is
// shorter; the SQL function mailtrail_reply() turns either back into the text (docs/store.md,
// "Layout 13"). The format is frozen with the caches that hold it: its fragments may only be
// added at the end of the table, never changed or moved.
namespace mailtrail::replycodec {

// The encoding of `text` when it is shorter than the text, nothing otherwise. Any bytes (invalid
// UTF-8, NUL) round-trip.
std::optional<std::string> encode(std::string_view text);
// The same into `out` (its memory reused: the writer encodes every reply it stores); false, and
// `out` not to be used, when the encoding is not shorter.
bool encode(std::string_view text, std::string &out);

// The text `encoded` stands for; nothing when it is not an encoding (cut short, a code unknown).
std::optional<std::string> decode(std::string_view encoded);

} // namespace mailtrail::replycodec
