// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/linecodec.h"

namespace mailtrail::linecodec {

namespace {

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

bool getVarint(std::string_view &in, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

} // namespace

std::string encode(const std::vector<LineRef> &lines)
{
    std::string out;
    out.reserve(lines.size() * 4);
    std::uint64_t previous = 0;
    for (const LineRef &line : lines) {
        putVarint(out, line.fileId);
        const auto delta = static_cast<std::int64_t>(line.offset - previous);
        putVarint(out, (static_cast<std::uint64_t>(delta) << 1) ^ static_cast<std::uint64_t>(delta >> 63));
        previous = line.offset;
    }
    return out;
}

std::vector<LineRef> decode(std::string_view blob)
{
    std::vector<LineRef> lines;
    std::uint64_t previous = 0;
    std::uint64_t file = 0;
    std::uint64_t zz = 0;
    while (!blob.empty() && getVarint(blob, file) && getVarint(blob, zz)) {
        const auto delta = static_cast<std::int64_t>(zz >> 1) ^ -static_cast<std::int64_t>(zz & 1);
        previous += static_cast<std::uint64_t>(delta);
        lines.push_back(LineRef{static_cast<std::uint32_t>(file), previous});
    }
    return lines;
}

} // namespace mailtrail::linecodec
