// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/fileprobe.h"

#include "cache/searchkeys.h"
#include "ingest/decompressor.h"
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

} // namespace mailtrail::fileprobe
