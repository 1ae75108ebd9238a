// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

// A client's IP address as messages.client_ip holds it from layout 14: its 4 bytes (IPv4) or 16
// (IPv6) as a BLOB, where the text is the address's one spelling (a dotted quad without leading
// zeros; IPv6 as RFC 5952 writes it, without a dotted quad), so that it reads back byte for byte
// on any system; any other text (a name, "unknown", an odd spelling) is stored as it is. The SQL function mailtrail_ip() reads both
// (docs/store.md, "Layout 14").
namespace mailtrail::ipcodec {

// The address's bytes into `out`; false, and `out` not to be used, when the text is stored as is.
bool encode(std::string_view text, std::string &out);
// The text of 4 or 16 bytes; nothing for another length.
std::optional<std::string> decode(std::string_view bytes);

} // namespace mailtrail::ipcodec
