// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailtrail {

class Decompressor;

// Streams one log file, plain or compressed (gzip, bzip2, xz, zstd), as lines with their byte offsets in the uncompressed text.
// Reads in large blocks and never holds the whole file; a line longer than the cap is cut and its
// remainder skipped (counted in truncatedLines()) so one bad line cannot exhaust memory.
class LogReader
{
public:
    static constexpr std::size_t BlockSize = 1 << 20;
    static constexpr std::size_t MaxLineLength = 1 << 20;

    LogReader();
    ~LogReader();
    LogReader(const LogReader &) = delete;
    LogReader &operator=(const LogReader &) = delete;

    // Opens path and positions at the uncompressed byte offset `start` (compressed files are
    // decompressed up to it and that is dropped). Returns false with error() set when the file
    // cannot be read, or is compressed in a way Mailtrail does not read (lz4, lzip, …).
    bool open(const std::string &path, std::uint64_t start = 0);
    bool isCompressed() const;

    // Next complete line without its newline (a trailing "\r" is dropped too). The view stays valid
    // until the next call. Returns false at end of input or on a read error (see error()).
    // An unterminated last line is returned only when the file ends there.
    bool nextLine(std::string_view &line, std::uint64_t &offset);

    // Leave an unterminated last line unread, position() at its start: for a log that is still
    // being written, where the tail is half a line. Off by default (a file may just lack its
    // final newline).
    void setHoldUnterminatedTail(bool hold) { m_holdTail = hold; }

    // Offset just past the last line returned: where an incremental import resumes.
    std::uint64_t position() const { return m_lineEnd; }
    // Bytes consumed from the file on disk (compressed bytes for a compressed file): for progress.
    std::uint64_t rawBytesRead() const { return m_rawRead; }
    std::uint64_t truncatedLines() const { return m_truncated; }
    const std::string &error() const { return m_error; }

    // True when the input ended inside a compressed member (truncated download, file still being
    // written).
    bool endedEarly() const { return m_endedEarly; }

    // Reads up to `max` bytes of the start of a file's uncompressed text (for format detection and
    // content identity). Empty on error.
    static std::string readHead(const std::string &path, std::size_t max);

private:
    bool fill();
    std::size_t readRaw(char *dst, std::size_t max);

    int m_fd = -1;
    std::unique_ptr<Decompressor> m_decoder;
    std::unique_ptr<char[]> m_buf;
    std::size_t m_bufSize = 0;
    std::size_t m_begin = 0;  // first unconsumed byte in m_buf
    std::size_t m_end = 0;    // one past the last valid byte
    std::uint64_t m_bufOffset = 0;  // file offset of m_buf[0]
    std::uint64_t m_lineEnd = 0;
    std::uint64_t m_rawRead = 0;
    std::uint64_t m_truncated = 0;
    bool m_eof = false;
    bool m_endedEarly = false;
    bool m_skipping = false;  // inside the tail of an over-long line
    bool m_holdTail = false;
    std::string m_error;
};

} // namespace mailtrail
