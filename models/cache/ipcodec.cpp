// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/ipcodec.h"

#include <arpa/inet.h>

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

} // namespace

bool encode(std::string_view text, std::string &out)
{
    std::array<unsigned char, 4> v4{};
    if (parseIpv4(text, v4)) {
        out.assign(reinterpret_cast<const char *>(v4.data()), v4.size());
        return true;
    }
    // An IPv6 address, when its text is the one inet_ntop() writes (lower case, the longest run
    // of zeros as "::"): anything else would not read back as logged.
    if (text.size() < 2 || text.size() >= INET6_ADDRSTRLEN || text.find(':') == std::string_view::npos)
        return false;
    char z[INET6_ADDRSTRLEN];
    std::memcpy(z, text.data(), text.size());
    z[text.size()] = '\0';
    unsigned char v6[16];
    char again[INET6_ADDRSTRLEN];
    if (::inet_pton(AF_INET6, z, v6) != 1 || !::inet_ntop(AF_INET6, v6, again, sizeof again) || text != again)
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
    if (bytes.size() == 16) {
        char text[INET6_ADDRSTRLEN];
        if (!::inet_ntop(AF_INET6, bytes.data(), text, sizeof text))
            return std::nullopt;
        return std::string(text);
    }
    return std::nullopt;
}

} // namespace mailtrail::ipcodec
