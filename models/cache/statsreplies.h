// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

// What the statistics read in addresses, relays and reply texts. Letters are compared and lowered
// as SQLite's LIKE and lower() do (ASCII only): the groups are those the SQL before made.
namespace mailtrail::statsreplies {

// SQLite's lower(): ASCII letters only, as the SQL these counts replace grouped them.
std::string lower(std::string_view s);
// SQL's `text LIKE '%needle%'`: ASCII letters in either case; false without a text.
bool contains(const std::optional<std::string_view> &text, std::string_view needle);
// SQL's `text LIKE 'prefix%'`.
bool startsWith(std::string_view text, std::string_view prefix);
// The domain of an address, lower-cased; none for a local name without '@'.
std::optional<std::string> domainOf(const std::optional<std::string_view> &address);
// The remote host of a delivery, lower-cased: the relay's name without its address and port
// (the address when it names no host); none without a relay.
std::optional<std::string> remoteHost(const std::optional<std::string_view> &relay, const std::optional<std::string_view> &text);
// Where a deferral or bounce reason was going: the remote host, else (a transport or a local
// mailer, "remote_smtp", "local", "none") "@" and the recipient's domain.
std::string reasonDestination(const std::optional<std::string> &host, const std::optional<std::string_view> &recipient);
// Where a connection or DNS failure was going: the remote host it names; without one
// ("relay=none", an Exim try that named no host), the name a failed lookup names ("... for
// name=example.net type=MX: Host not found"), else "@" and the recipient's domain.
std::string failureDestination(const std::optional<std::string> &host, const std::optional<std::string_view> &text,
                               const std::optional<std::string_view> &recipient);
// A reject's kind: "RBL", "relay denied", "unknown user", "HELO", ..., "other".
const char *rejectCategory(const std::optional<std::string_view> &text);
// The same, as SQL over the reply-text expression `text`: a table's link to a reject reason
// (Filter::rejectReason) finds exactly the rows the statistics counted under it.
std::string rejectCategorySql(const std::string &text);
// A connection or DNS failure's kind; null for any other reply.
const char *connectivityCategory(const std::optional<std::string_view> &text);
// The list an RBL reject names.
std::string_view rblList(std::string_view text);
// A reply text with what differs between like failures (addresses, IP addresses and ports,
// queue and tracking ids, times, sizes) put as <address>, <ip>, <port>, <id>, <time>, <n>: the
// reasons group by it and show it.
std::string reasonKey(std::string_view text);

} // namespace mailtrail::statsreplies
