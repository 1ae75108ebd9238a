// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/ipcodec.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

namespace mailtrail::ipcodec {

namespace {

// The 4 bytes of a dotted quad written the one way decode() writes it back.
bool parseIpv4(std::string_view text, std::array<unsigned char, 4> &bytes)
{
    std::size_t at = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (at >= text.size() || text[at] != '.')
                return false;
            ++at;
        }
        const std::size_t start = at;
        unsigned value = 0;
        while (at < text.size() && at - start < 3 && text[at] >= '0' && text[at] <= '9')
            value = value * 10 + static_cast<unsigned>(text[at++] - '0');
        const std::size_t digits = at - start;
        if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            return false;
        bytes[static_cast<std::size_t>(part)] = static_cast<unsigned char>(value);
    }
    return at == text.size();
}

// An IPv6 address as RFC 5952 writes it: groups in lower-case hex without leading zeros, the
// longest run of two zero groups or more (the first of equal ones) as "::". Written here, not by
// inet_ntop(): C libraries differ on the forms with a dotted quad (glibc's "::1.2.3.4", musl's
// "::102:304"), and a cache must read alike everywhere.
std::string formatIpv6(const unsigned char *bytes)
{
    std::array<unsigned, 8> groups{};
    for (std::size_t i = 0; i < 8; ++i)
        groups[i] = static_cast<unsigned>(bytes[2 * i]) << 8 | bytes[2 * i + 1];
    std::size_t bestAt = 8, bestLength = 0;
    for (std::size_t i = 0; i < 8;) {
        std::size_t n = 0;
        while (i + n < 8 && groups[i + n] == 0)
            ++n;
        if (n >= 2 && n > bestLength) {
            bestAt = i;
            bestLength = n;
        }
        i += n > 0 ? n : 1;
    }
    static constexpr char Hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == bestAt) {
            out += "::";
            i += bestLength - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned digit = (groups[i] >> shift) & 0xf;
            if (digit != 0 || started || shift == 0) {
                out += Hex[digit];
                started = true;
            }
        }
    }
    return out;
}

} // namespace

bool encode(std::string_view text, std::string &out)
{
    std::array<unsigned char, 4> v4{};
    if (parseIpv4(text, v4)) {
        out.assign(reinterpret_cast<const char *>(v4.data()), v4.size());
        return true;
    }
    // An IPv6 address, when its text is the one formatIpv6() writes back: anything else (upper
    // case, zeros written out, a dotted quad at the end) is kept as logged.
    if (text.size() < 2 || text.size() >= INET6_ADDRSTRLEN || text.find(':') == std::string_view::npos ||
        text.find('.') != std::string_view::npos)
        return false;
    char z[INET6_ADDRSTRLEN];
    std::memcpy(z, text.data(), text.size());
    z[text.size()] = '\0';
    unsigned char v6[16];
    if (::inet_pton(AF_INET6, z, v6) != 1 || formatIpv6(v6) != text)
        return false;
    out.assign(reinterpret_cast<const char *>(v6), sizeof v6);
    return true;
}

std::optional<std::string> decode(std::string_view bytes)
{
    if (bytes.size() == 4) {
        std::string out;
        for (std::size_t i = 0; i < 4; ++i) {
            if (i > 0)
                out += '.';
            out += std::to_string(static_cast<unsigned char>(bytes[i]));
        }
        return out;
    }
    if (bytes.size() == 16)
        return formatIpv6(reinterpret_cast<const unsigned char *>(bytes.data()));
    return std::nullopt;
}

} // namespace mailtrail::ipcodec
