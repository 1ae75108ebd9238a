// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/logreader.h"

#include "ingest/decompressor.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace mailtrail {

LogReader::LogReader() = default;

LogReader::~LogReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool LogReader::isCompressed() const
{
    return m_decoder != nullptr;
}

bool LogReader::open(const std::string &path, std::uint64_t start)
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        m_error = std::strerror(errno);
        return false;
    }
    // Not zero-filled: an open (the line fetcher makes one per file) would clear 2 MiB for nothing.
    m_bufSize = BlockSize + MaxLineLength;
    m_buf = std::make_unique_for_overwrite<char[]>(m_bufSize);
    const Sniffed compression = sniffCompression(m_fd);
    if (compression.kind == Compression::Unsupported) {
        m_error = std::string("compressed with ") + compression.name +
                  ", which Mailtrail does not read (it reads gzip, bzip2, xz and zstd): decompress it first";
        return false;
    }
    if (compression.kind != Compression::None) {
        m_decoder = Decompressor::create(compression.kind);
    } else if (start > 0) {
        if (::lseek(m_fd, static_cast<off_t>(start), SEEK_SET) < 0) {
            m_error = std::strerror(errno);
            return false;
        }
        m_rawRead = start;
        m_bufOffset = m_lineEnd = start;
        return true;
    }
    // Compressed input cannot seek: inflate and drop everything before `start`.
    while (m_bufOffset + m_end < start) {
        m_begin = m_end = 0;
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(BlockSize, start - m_bufOffset));
        const std::size_t got = readRaw(m_buf.get(), want);
        if (got == 0)
            break;
        m_bufOffset += got;
    }
    if (!m_error.empty())
        return false;
    m_lineEnd = m_bufOffset;
    return true;
}

std::size_t LogReader::readRaw(char *dst, std::size_t max)
{
    if (m_decoder) {
        const std::size_t got = m_decoder->read(m_fd, dst, max);
        m_rawRead = m_decoder->rawBytesRead();
        m_endedEarly = m_decoder->endedEarly();
        if (!m_decoder->error().empty())
            m_error = m_decoder->error();
        return got;
    }
    for (;;) {
        const ssize_t n = ::read(m_fd, dst, max);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_error = std::strerror(errno);
            return 0;
        }
        m_rawRead += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
    }
}

bool LogReader::fill()
{
    if (m_eof)
        return false;
    // Keep the unfinished line, move it to the front, append the next block after it.
    if (m_begin > 0) {
        std::memmove(m_buf.get(), m_buf.get() + m_begin, m_end - m_begin);
        m_bufOffset += m_begin;
        m_end -= m_begin;
        m_begin = 0;
    }
    const std::size_t room = m_bufSize - m_end;
    const std::size_t got = readRaw(m_buf.get() + m_end, std::min(room, BlockSize));
    if (got == 0) {
        m_eof = true;
        return false;
    }
    m_end += got;
    return true;
}

bool LogReader::nextLine(std::string_view &line, std::uint64_t &offset)
{
    for (;;) {
        const char *base = m_buf.get();
        const auto *nl = static_cast<const char *>(std::memchr(base + m_begin, '\n', m_end - m_begin));
        if (nl) {
            const std::size_t start = m_begin;
            const std::size_t stop = static_cast<std::size_t>(nl - base);
            m_begin = stop + 1;
            m_lineEnd = m_bufOffset + m_begin;
            if (m_skipping) {
                m_skipping = false;
                continue;
            }
            std::size_t len = stop - start;
            if (len > 0 && base[start + len - 1] == '\r')
                --len;
            line = std::string_view(base + start, len);
            offset = m_bufOffset + start;
            return true;
        }
        const std::size_t pending = m_end - m_begin;
        // Over-long only past the cap: a line of exactly MaxLineLength whose newline is in the
        // next block is whole (the buffer has a block of room beyond the cap).
        if (pending > MaxLineLength) {
            // Over-long line: hand out its first MaxLineLength bytes, drop the rest up to '\n'.
            const std::size_t start = m_begin;
            m_begin += pending;
            m_lineEnd = m_bufOffset + m_begin;
            if (m_skipping)
                continue;
            m_skipping = true;
            ++m_truncated;
            line = std::string_view(base + start, MaxLineLength);
            offset = m_bufOffset + start;
            return true;
        }
        if (!fill()) {
            if (m_begin == m_end || !m_error.empty())
                return false;
            // A tail without its newline may be a line still being written: when asked, leave it
            // (and the resume position) for the next read of the grown file.
            if (m_holdTail && !m_skipping)
                return false;
            // The file ends without a newline: the tail is a line of its own.
            const std::size_t start = m_begin;
            const std::size_t len = m_end - m_begin;
            m_begin = m_end;
            m_lineEnd = m_bufOffset + m_end;
            if (m_skipping) {
                m_skipping = false;
                return false;
            }
            line = std::string_view(m_buf.get() + start, len);
            offset = m_bufOffset + start;
            return true;
        }
    }
}

std::string LogReader::readHead(const std::string &path, std::size_t max)
{
    LogReader reader;
    if (!reader.open(path))
        return {};
    std::string head(max, '\0');
    const std::size_t got = reader.readRaw(head.data(), max);
    head.resize(got);
    return head;
}

} // namespace mailtrail
