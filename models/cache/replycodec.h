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
// UTF-8, NUL) round-trip. From layout 14 a text may be encoded with a `reference`, a value of its
// row that it often holds: a delivery's reply its recipient (Dovecot's LMTP "250 2.0.0
// <bob@example.com> ... Saved", a refusal's "<bob@...>: Recipient address rejected"). Two bytes
// stand for it where the text holds it (three bytes or more), and decode() must be given it again.
std::optional<std::string> encode(std::string_view text, std::string_view reference = {});
// The same into `out` (its memory reused: the writer encodes every reply it stores); false, and
// `out` not to be used, when the encoding is not shorter.
bool encode(std::string_view text, std::string &out, std::string_view reference = {});

// From layout 14 a message's Message-ID is encoded too (messages.message_id), with this part of its
// sender for reference: the domain, after the last '@' (most ids end in the sender's domain or a
// host of it: "...@mx1.example.com" from "alice@example.com"); empty for none.
std::string_view senderReference(std::string_view sender);

// The text `encoded` stands for; nothing when it is not an encoding (cut short, a code unknown),
// or when it holds the reference and none is given.
std::optional<std::string> decode(std::string_view encoded, std::optional<std::string_view> reference = std::nullopt);

} // namespace mailtrail::replycodec
