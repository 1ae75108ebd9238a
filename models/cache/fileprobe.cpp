// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/fileprobe.h"

#include "cache/searchkeys.h"
#include "ingest/decompressor.h"
#include "ingest/formatregistry.h"
#include "ingest/logreader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailtrail::fileprobe {

std::int64_t tailHash(const std::string &path, std::uint64_t offset)
{
    if (offset == 0)
        return 0;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const std::uint64_t start = offset > IdentityBytes ? offset - IdentityBytes : 0;
    std::string buf(static_cast<std::size_t>(offset - start), '\0');
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(start));
    ::close(fd);
    if (n != static_cast<ssize_t>(buf.size()))
        return 1;  // cannot match a real hash of a shorter read
    return searchkeys::fnv1a(buf);
}

std::uint64_t uncompressedLength(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const std::uint64_t length = statedLength(fd, sniffCompression(fd).kind);
    ::close(fd);
    return length;
}

std::string sampleAfterFirstLine(const std::string &path, std::size_t max)
{
    LogReader reader;
    std::string sample;
    std::string_view line;
    std::uint64_t offset = 0;
    if (!reader.open(path) || !reader.nextLine(line, offset))
        return sample;
    while (sample.size() < max && reader.nextLine(line, offset)) {
        sample.append(line);
        sample.push_back('\n');
    }
    return sample;
}

namespace {

// Whether reading the text of a compressed file stops short: it ends inside its compressed data
// or the data cannot be decoded. Only within the first `max` bytes: a long file that reads well
// that far is what it is (the import says it ended early if it does).
bool cutShort(const std::string &path, std::size_t max)
{
    LogReader reader;
    if (!reader.open(path))
        return true;
    std::string_view line;
    std::uint64_t offset = 0;
    std::size_t read = 0;
    while (read < max && reader.nextLine(line, offset))
        read += line.size() + 1;
    if (read >= max)
        return false;
    return reader.endedEarly() || !reader.error().empty();
}

} // namespace

std::string whyNotRead(const std::string &path, std::string_view head, bool compressed, std::size_t max)
{
    const std::string supported = " (supported: " + FormatRegistry::titles() + ")";
    if (compressed && cutShort(path, max))
        return "a truncated or corrupt compressed file: its compressed data stops short";
    if (const std::string format = FormatRegistry::unsupported(head); !format.empty())
        return format + ": not read yet" + supported;
    if (compressed && head.empty())
        return "the compressed file holds no readable data";
    return "not a mail log Mailtrail can read" + supported;
}

} // namespace mailtrail::fileprobe
