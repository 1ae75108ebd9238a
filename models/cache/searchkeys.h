// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Derived columns the cache stores so that common filters are index ranges: written by the
// CacheWriter, searched by the QueryBuilder, so both must compute them alike.
namespace mailtrail::searchkeys {

// "Bob@Example.COM" -> "moc.elpmaxe@bob": "*@example.com" becomes a prefix, an index range.
std::string reversedAddress(std::string_view address);
// 2, 4 or 5 from a reply code, or from an enhanced status code when no code was logged; else 0.
int replyClass(int replyCode, std::string_view dsn);
// Whether a reply text is local(8) forwarding the message on ("forwarded as NEWQID", the case of
// SQL's LIKE ignored): 1 or 0, and -1 (stored as NULL) for no text. The statistics count such a
// delivery as passed on, not delivered; a flag, so that they need not read the text.
int forwardedFlag(std::string_view replyText);
// A delivery's or attempt's record's flag: as its reading thread keyed it (`forwarded`, -2 where
// it did not), else from its text.
template<typename Record>
int forwardedFlagOf(const Record &record)
{
    return record.forwarded >= -1 ? record.forwarded : forwardedFlag(record.replyText);
}

// 64-bit FNV-1a, as SQLite stores integers: for the Message-ID index (integers build in a
// fraction of the time of the ids themselves) and for recognising a file by its content.
std::int64_t fnv1a(std::string_view data);
// The Message-ID's key in messages.message_id_hash from layout 14 on: 23 bits, which SQLite
// stores in 3 bytes where the FNV-1a of earlier layouts took 8 (3.7 MB of a 1 GB log's cache), and
// read 8 bytes at a time. The lookup asks for either (Cache::findMessages). Frozen with the caches.
std::int64_t messageIdKey(std::string_view messageId);

} // namespace mailtrail::searchkeys
