// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/searchkeys.h"

namespace mailtrail::searchkeys {

std::string reversedAddress(std::string_view address)
{
    std::string out(address.rbegin(), address.rend());
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

int replyClass(int replyCode, std::string_view dsn)
{
    if (replyCode >= 200 && replyCode < 600)
        return replyCode / 100;
    if (!dsn.empty() && dsn.front() >= '2' && dsn.front() <= '5')
        return dsn.front() - '0';
    return 0;
}

int forwardedFlag(std::string_view replyText)
{
    if (replyText.empty())
        return -1;
    constexpr std::string_view Prefix = "forwarded as ";
    if (replyText.size() < Prefix.size())
        return 0;
    for (std::size_t i = 0; i < Prefix.size(); ++i) {
        char c = replyText[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != Prefix[i])
            return 0;
    }
    return 1;
}

std::int64_t fnv1a(std::string_view data)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(h);
}

std::int64_t messageIdKey(std::string_view messageId)
{
    // Bytes taken little-endian whatever the host, so that a cache reads alike everywhere.
    const auto word = [&](std::size_t at, std::size_t n) {
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < n; ++i)
            w |= static_cast<std::uint64_t>(static_cast<unsigned char>(messageId[at + i])) << (8 * i);
        return w;
    };
    constexpr std::uint64_t Multiplier = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = 0x243F6A8885A308D3ULL ^ messageId.size();
    std::size_t at = 0;
    for (; at + 8 <= messageId.size(); at += 8) {
        h = (h ^ word(at, 8)) * Multiplier;
        h ^= h >> 29;
    }
    if (at < messageId.size()) {
        h = (h ^ word(at, messageId.size() - at)) * Multiplier;
        h ^= h >> 29;
    }
    h *= Multiplier;
    return static_cast<std::int64_t>((h >> 40) & 0x7FFFFF);
}

} // namespace mailtrail::searchkeys
