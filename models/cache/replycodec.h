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
// UTF-8, NUL) round-trip. From layout 14 a delivery's reply is encoded with its `recipient`: where
// the text holds it (Dovecot's LMTP "250 2.0.0 <bob@example.com> ... Saved", a refusal's "<bob@...>:
// Recipient address rejected"), two bytes stand for it, and decode() must be given it again.
std::optional<std::string> encode(std::string_view text, std::string_view recipient = {});
// The same into `out` (its memory reused: the writer encodes every reply it stores); false, and
// `out` not to be used, when the encoding is not shorter.
bool encode(std::string_view text, std::string &out, std::string_view recipient = {});

// The text `encoded` stands for; nothing when it is not an encoding (cut short, a code unknown),
// or when it holds the recipient and none is given.
std::optional<std::string> decode(std::string_view encoded, std::optional<std::string_view> recipient = std::nullopt);

} // namespace mailtrail::replycodec
