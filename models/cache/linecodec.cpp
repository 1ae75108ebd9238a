// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/linecodec.h"

namespace mailtrail::linecodec {

namespace {

constexpr char FileOnceMarker = 0;

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

std::size_t varintSize(std::uint64_t v)
{
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
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

std::uint64_t zigzag(std::uint64_t from, std::uint64_t to)
{
    const auto delta = static_cast<std::int64_t>(to - from);
    return (static_cast<std::uint64_t>(delta) << 1) ^ static_cast<std::uint64_t>(delta >> 63);
}

std::vector<LineRef> decodeEachLine(std::string_view blob)
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

} // namespace

std::string encode(const std::vector<LineRef> &lines)
{
    std::string out(1, FileOnceMarker);
    out.reserve(lines.size() * 3 + 8);
    std::size_t eachFileSize = 0;
    std::uint32_t file = 0;
    std::uint64_t previous = 0;
    for (const LineRef &line : lines) {
        eachFileSize += varintSize(line.fileId) + varintSize(zigzag(previous, line.offset));
        // `file` is 0 before the first line: a line of a file with id 0 (none in a cache) is
        // written whole, each.
        // (A distance of 2^63 or more would not fit its shift: written whole, as a change.)
        if (line.fileId == file && file != 0 && line.offset > previous &&
            line.offset - previous < (std::uint64_t(1) << 62)) {
            putVarint(out, (line.offset - previous) << 1);
        } else {
            putVarint(out, 1);
            putVarint(out, line.fileId);
            putVarint(out, line.offset);
            file = line.fileId;
        }
        previous = line.offset;
    }
    // The first form cannot start with a file id 0 either: it would read as the second form.
    if (eachFileSize < out.size() && (lines.empty() || lines.front().fileId != 0))
        return encodeEachLine(lines);
    return out;
}

std::string encodeEachLine(const std::vector<LineRef> &lines)
{
    std::string out;
    out.reserve(lines.size() * 4);
    std::uint64_t previous = 0;
    for (const LineRef &line : lines) {
        putVarint(out, line.fileId);
        putVarint(out, zigzag(previous, line.offset));
        previous = line.offset;
    }
    return out;
}

std::vector<LineRef> decode(std::string_view blob)
{
    if (blob.empty() || blob.front() != FileOnceMarker)
        return decodeEachLine(blob);
    blob.remove_prefix(1);
    std::vector<LineRef> lines;
    std::uint64_t file = 0, offset = 0, v = 0;
    while (!blob.empty() && getVarint(blob, v)) {
        if (v & 1) {
            if (!getVarint(blob, file) || !getVarint(blob, offset))
                break;
        } else {
            offset += v >> 1;
        }
        lines.push_back(LineRef{static_cast<std::uint32_t>(file), offset});
    }
    return lines;
}

} // namespace mailtrail::linecodec
