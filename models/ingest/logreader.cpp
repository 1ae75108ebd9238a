// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/logreader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace mailtrail {

namespace {
constexpr std::size_t RawChunk = 256 * 1024;

bool hasGzipMagic(int fd)
{
    unsigned char magic[2] = {0, 0};
    const ssize_t n = ::pread(fd, magic, 2, 0);
    return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}
} // namespace

struct LogReader::Gz {
    z_stream stream{};
    std::vector<unsigned char> in = std::vector<unsigned char>(RawChunk);
    bool finished = false;  // saw Z_STREAM_END with no further member
    Gz() { inflateInit2(&stream, 16 + MAX_WBITS); }
    ~Gz() { inflateEnd(&stream); }
};

LogReader::LogReader() = default;

LogReader::~LogReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool LogReader::isCompressed() const
{
    return m_gz != nullptr;
}

bool LogReader::open(const std::string &path, std::uint64_t start)
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        m_error = std::strerror(errno);
        return false;
    }
    m_buf.resize(BlockSize + MaxLineLength);
    if (hasGzipMagic(m_fd)) {
        m_gz = std::make_unique<Gz>();
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
        const std::size_t got = readRaw(m_buf.data(), want);
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
    if (!m_gz) {
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
    Gz &gz = *m_gz;
    z_stream &s = gz.stream;
    s.next_out = reinterpret_cast<Bytef *>(dst);
    s.avail_out = static_cast<uInt>(max);
    while (s.avail_out > 0 && !gz.finished) {
        if (s.avail_in == 0) {
            const ssize_t n = ::read(m_fd, gz.in.data(), gz.in.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                m_error = std::strerror(errno);
                break;
            }
            if (n == 0) {
                // Input ran out before the gzip trailer: keep what inflated, report it.
                m_endedEarly = true;
                gz.finished = true;
                break;
            }
            m_rawRead += static_cast<std::uint64_t>(n);
            s.next_in = gz.in.data();
            s.avail_in = static_cast<uInt>(n);
        }
        const int rc = inflate(&s, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            // logrotate and `cat a.gz b.gz` make multi-member files: continue with the next member.
            if (s.avail_in == 0) {
                unsigned char probe;
                const ssize_t n = ::read(m_fd, &probe, 1);
                if (n <= 0) {
                    gz.finished = true;
                    break;
                }
                m_rawRead += 1;
                gz.in[0] = probe;
                s.next_in = gz.in.data();
                s.avail_in = 1;
            }
            inflateReset(&s);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            m_error = std::string("corrupt gzip data: ") + (s.msg ? s.msg : "inflate failed");
            gz.finished = true;
            break;
        }
    }
    return max - s.avail_out;
}

bool LogReader::fill()
{
    if (m_eof)
        return false;
    // Keep the unfinished line, move it to the front, append the next block after it.
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_bufOffset += m_begin;
        m_end -= m_begin;
        m_begin = 0;
    }
    const std::size_t room = m_buf.size() - m_end;
    const std::size_t got = readRaw(m_buf.data() + m_end, std::min(room, BlockSize));
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
        const char *base = m_buf.data();
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
            line = std::string_view(m_buf.data() + start, len);
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
