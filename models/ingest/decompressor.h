// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mailtrail {

// What a file's first bytes say it is. logrotate's compresscmd can be gzip, bzip2, xz or zstd;
// the others are recognised only to name them in a refusal.
enum class Compression { None, Gzip, Bzip2, Xz, Zstd, Unsupported };

struct Sniffed {
    Compression kind = Compression::None;
    const char *name = "";  // "bzip2", "lz4", …: for messages
};

// Reads the magic bytes at the start of fd (with pread: the file position is not moved).
Sniffed sniffCompression(int fd);

// The uncompressed length a compressed file states without being decompressed: gzip's trailer
// (modulo 2^32, of the last member only), the content sizes of every zstd frame, the index of a
// single-stream xz file. 0 when it does not say (bzip2 never does) or cannot be read.
std::uint64_t statedLength(int fd, Compression kind);

// The modification time of the file a compressed file was made from, as it records it, in
// seconds since the epoch: gzip's MTIME of the first member (gzip and logrotate's gzip copy the
// log's own mtime there; `gzip -n` leaves it 0). 0 when it does not say: unset, unreadable, or a
// format without such a field (bzip2, xz, zstd).
std::int64_t statedMtime(int fd, Compression kind);
// The same for the file at `path`, whatever its compression.
std::int64_t statedMtime(const std::string &path);

// Streams one compressed file's uncompressed bytes from a file descriptor. Concatenated members,
// streams or frames (`cat a.gz b.gz`, pbzip2, pixz, zstd -T) read as one text. Input that ends
// inside a member is not an error: what decoded is kept and endedEarly() says so.
class Decompressor
{
public:
    static std::unique_ptr<Decompressor> create(Compression kind);
    virtual ~Decompressor();

    // Up to `max` uncompressed bytes into dst; fewer only at the end of the input or on an error.
    std::size_t read(int fd, char *dst, std::size_t max);

    std::uint64_t rawBytesRead() const { return m_rawRead; }
    bool endedEarly() const { return m_endedEarly; }
    const std::string &error() const { return m_error; }

protected:
    enum class Step { More, StreamEnd, Error };
    Decompressor();
    // Decodes from in into out; `used` and `made` say how much of each was consumed and filled.
    // `last` is true when no input follows what is given. Error sets m_error.
    virtual Step decode(const unsigned char *in, std::size_t inSize, char *out, std::size_t outSize, bool last,
                        std::size_t &used, std::size_t &made) = 0;
    // Ready for the next member after a StreamEnd; false (with m_error) when it cannot be.
    virtual bool restart() = 0;
    std::string m_error;

private:
    bool refill(int fd);

    std::unique_ptr<unsigned char[]> m_in;
    std::size_t m_inPos = 0;
    std::size_t m_inEnd = 0;
    std::uint64_t m_rawRead = 0;
    bool m_inputDone = false;
    bool m_betweenMembers = false;
    bool m_finished = false;
    bool m_endedEarly = false;
};

} // namespace mailtrail
