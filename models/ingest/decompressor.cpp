// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/decompressor.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailtrail {

namespace {
constexpr std::size_t RawChunk = 256 * 1024;
// xz states the dictionary it needs in its header; a log compressed with -9 needs 64 MiB. More is
// a damaged or hostile header, refused instead of allocated.
constexpr std::uint64_t XzMemoryLimit = 256ULL << 20;

// The libraries count in unsigned int: hand them at most that much at a time.
unsigned int clampUInt(std::size_t n)
{
    return static_cast<unsigned int>(std::min<std::size_t>(n, UINT_MAX));
}

class GzipDecompressor final : public Decompressor
{
public:
    GzipDecompressor() { m_ok = inflateInit2(&m_s, 16 + MAX_WBITS) == Z_OK; }
    ~GzipDecompressor() override { inflateEnd(&m_s); }

protected:
    Step decode(const unsigned char *in, std::size_t inSize, char *out, std::size_t outSize, bool, std::size_t &used,
                std::size_t &made) override
    {
        if (!m_ok) {
            m_error = "cannot start inflating";
            return Step::Error;
        }
        m_s.next_in = const_cast<Bytef *>(in);
        m_s.avail_in = clampUInt(inSize);
        m_s.next_out = reinterpret_cast<Bytef *>(out);
        m_s.avail_out = clampUInt(outSize);
        const unsigned int inBefore = m_s.avail_in, outBefore = m_s.avail_out;
        const int rc = inflate(&m_s, Z_NO_FLUSH);
        used = inBefore - m_s.avail_in;
        made = outBefore - m_s.avail_out;
        if (rc == Z_STREAM_END)
            return Step::StreamEnd;
        if (rc == Z_OK || rc == Z_BUF_ERROR)
            return Step::More;
        m_error = std::string("corrupt gzip data: ") + (m_s.msg ? m_s.msg : "inflate failed");
        return Step::Error;
    }
    bool restart() override { return inflateReset(&m_s) == Z_OK; }

private:
    z_stream m_s{};
    bool m_ok = false;
};

class Bzip2Decompressor final : public Decompressor
{
public:
    Bzip2Decompressor() { m_ok = BZ2_bzDecompressInit(&m_s, 0, 0) == BZ_OK; }
    ~Bzip2Decompressor() override
    {
        if (m_ok)
            BZ2_bzDecompressEnd(&m_s);
    }

protected:
    Step decode(const unsigned char *in, std::size_t inSize, char *out, std::size_t outSize, bool, std::size_t &used,
                std::size_t &made) override
    {
        if (!m_ok) {
            m_error = "cannot start bzip2 decompression";
            return Step::Error;
        }
        m_s.next_in = const_cast<char *>(reinterpret_cast<const char *>(in));
        m_s.avail_in = clampUInt(inSize);
        m_s.next_out = out;
        m_s.avail_out = clampUInt(outSize);
        const unsigned int inBefore = m_s.avail_in, outBefore = m_s.avail_out;
        const int rc = BZ2_bzDecompress(&m_s);
        used = inBefore - m_s.avail_in;
        made = outBefore - m_s.avail_out;
        if (rc == BZ_STREAM_END)
            return Step::StreamEnd;
        if (rc == BZ_OK)
            return Step::More;
        m_error = rc == BZ_MEM_ERROR ? "out of memory decompressing bzip2 data" : "corrupt bzip2 data";
        return Step::Error;
    }
    bool restart() override
    {
        // libbz2 has no reset: a new stream starts with a new decoder.
        BZ2_bzDecompressEnd(&m_s);
        m_s = bz_stream{};
        m_ok = BZ2_bzDecompressInit(&m_s, 0, 0) == BZ_OK;
        return m_ok;
    }

private:
    bz_stream m_s{};
    bool m_ok = false;
};

class XzDecompressor final : public Decompressor
{
public:
    // LZMA_CONCATENATED reads every stream and the padding between them, and ends only at LZMA_FINISH.
    XzDecompressor() { m_ok = lzma_stream_decoder(&m_s, XzMemoryLimit, LZMA_CONCATENATED) == LZMA_OK; }
    ~XzDecompressor() override { lzma_end(&m_s); }

protected:
    Step decode(const unsigned char *in, std::size_t inSize, char *out, std::size_t outSize, bool last,
                std::size_t &used, std::size_t &made) override
    {
        if (!m_ok) {
            m_error = "cannot start xz decompression";
            return Step::Error;
        }
        m_s.next_in = in;
        m_s.avail_in = inSize;
        m_s.next_out = reinterpret_cast<std::uint8_t *>(out);
        m_s.avail_out = outSize;
        const lzma_ret rc = lzma_code(&m_s, last ? LZMA_FINISH : LZMA_RUN);
        used = inSize - m_s.avail_in;
        made = outSize - m_s.avail_out;
        switch (rc) {
        case LZMA_STREAM_END:
            return Step::StreamEnd;
        case LZMA_OK:
        case LZMA_BUF_ERROR:  // no progress possible: the caller sees nothing used or made
            return Step::More;
        case LZMA_MEMLIMIT_ERROR:
            m_error = "the xz data asks for more than 256 MiB of memory to decompress";
            return Step::Error;
        default:
            m_error = "corrupt xz data";
            return Step::Error;
        }
    }
    // Only the end of all input ends an LZMA_CONCATENATED stream: there is nothing to restart.
    bool restart() override { return true; }

private:
    lzma_stream m_s = LZMA_STREAM_INIT;
    bool m_ok = false;
};

class ZstdDecompressor final : public Decompressor
{
public:
    ZstdDecompressor() : m_ctx(ZSTD_createDCtx()) {}
    ~ZstdDecompressor() override { ZSTD_freeDCtx(m_ctx); }

protected:
    Step decode(const unsigned char *in, std::size_t inSize, char *out, std::size_t outSize, bool, std::size_t &used,
                std::size_t &made) override
    {
        if (!m_ctx) {
            m_error = "cannot start zstd decompression";
            return Step::Error;
        }
        ZSTD_inBuffer input{in, inSize, 0};
        ZSTD_outBuffer output{out, outSize, 0};
        const std::size_t rc = ZSTD_decompressStream(m_ctx, &output, &input);
        used = input.pos;
        made = output.pos;
        if (ZSTD_isError(rc)) {
            m_error = std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc);
            return Step::Error;
        }
        // 0: a frame ended and everything it holds was handed out.
        return rc == 0 ? Step::StreamEnd : Step::More;
    }
    bool restart() override { return !ZSTD_isError(ZSTD_DCtx_reset(m_ctx, ZSTD_reset_session_only)); }

private:
    ZSTD_DCtx *m_ctx;
};

bool startsWith(const unsigned char *bytes, std::size_t size, std::initializer_list<unsigned char> magic)
{
    return size >= magic.size() && std::equal(magic.begin(), magic.end(), bytes);
}
} // namespace

Sniffed sniffCompression(int fd)
{
    unsigned char b[6] = {};
    const ssize_t got = ::pread(fd, b, sizeof b, 0);
    const std::size_t n = got > 0 ? static_cast<std::size_t>(got) : 0;
    if (startsWith(b, n, {0x1f, 0x8b}))
        return {Compression::Gzip, "gzip"};
    if (startsWith(b, n, {'B', 'Z', 'h'}) && n >= 4 && b[3] >= '1' && b[3] <= '9')
        return {Compression::Bzip2, "bzip2"};
    if (startsWith(b, n, {0xfd, '7', 'z', 'X', 'Z', 0x00}))
        return {Compression::Xz, "xz"};
    if (startsWith(b, n, {0x28, 0xb5, 0x2f, 0xfd}))
        return {Compression::Zstd, "zstd"};
    if (startsWith(b, n, {0x04, 0x22, 0x4d, 0x18}))
        return {Compression::Unsupported, "lz4"};
    if (startsWith(b, n, {'L', 'Z', 'I', 'P'}))
        return {Compression::Unsupported, "lzip"};
    if (startsWith(b, n, {0x1f, 0x9d}))
        return {Compression::Unsupported, "compress (.Z)"};
    if (startsWith(b, n, {0x89, 'L', 'Z', 'O'}))
        return {Compression::Unsupported, "lzop"};
    return {};
}

namespace {

std::uint64_t gzipLength(int fd, off_t size)
{
    unsigned char b[4] = {0, 0, 0, 0};
    if (size < 4 || ::pread(fd, b, 4, size - 4) != 4)
        return 0;
    return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint64_t>(b[3]) << 24);
}

// Frame by frame: each header states its content size, and its blocks' headers lead to the next
// frame, so only the headers are read from disk. Read, not mapped: a file cut short while mapped
// would kill the process (SIGBUS) where a read only comes up short.
std::uint64_t zstdLength(int fd, off_t size)
{
    std::uint64_t total = 0;
    unsigned char header[18];  // the longest frame header
    for (off_t pos = 0; pos < size;) {
        const ssize_t got = ::pread(fd, header, sizeof header, pos);
        if (got < 8)
            return 0;
        const auto have = static_cast<std::size_t>(got);
        const std::uint32_t magic = header[0] | (header[1] << 8) | (header[2] << 16) |
            (static_cast<std::uint32_t>(header[3]) << 24);
        if ((magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START) {
            // Skippable frame: its length follows the magic number, and it holds no content.
            pos += 8 + static_cast<off_t>(header[4] | (header[5] << 8) | (header[6] << 16) |
                                          (static_cast<std::uint32_t>(header[7]) << 24));
            continue;
        }
        const unsigned long long content = ZSTD_getFrameContentSize(header, have);
        if (content == ZSTD_CONTENTSIZE_UNKNOWN || content == ZSTD_CONTENTSIZE_ERROR)
            return 0;
        // The frame header descriptor (RFC 8878, 3.1.1.1.1) says which fields follow it.
        const unsigned descriptor = header[4];
        const bool singleSegment = (descriptor & 0x20) != 0;
        const bool checksum = (descriptor & 0x04) != 0;
        static constexpr unsigned DictIdSize[] = {0, 1, 2, 4};
        static constexpr unsigned ContentSizeSize[] = {0, 2, 4, 8};
        const unsigned contentSizeField = (descriptor >> 6) == 0 && singleSegment ? 1 : ContentSizeSize[descriptor >> 6];
        const std::size_t headerSize = 5 + (singleSegment ? 0 : 1) + DictIdSize[descriptor & 3] + contentSizeField;
        pos += static_cast<off_t>(headerSize);
        for (bool last = false; !last;) {
            unsigned char block[3];
            if (::pread(fd, block, sizeof block, pos) != static_cast<ssize_t>(sizeof block))
                return 0;
            const std::uint32_t word = block[0] | (block[1] << 8) | (static_cast<std::uint32_t>(block[2]) << 16);
            last = (word & 1) != 0;
            const std::uint32_t type = (word >> 1) & 3;
            if (type == 3)  // reserved: not a zstd frame
                return 0;
            // An RLE block stores one byte, whatever its regenerated size.
            pos += 3 + static_cast<off_t>(type == 1 ? 1 : word >> 3);
        }
        pos += checksum ? 4 : 0;
        if (pos > size)
            return 0;
        total += content;
    }
    return total;
}

// The stream footer says where the index is; the index holds the uncompressed size. A file of
// several streams (or with padding) has indexes that do not add up to its size: unknown.
std::uint64_t xzLength(int fd, off_t size)
{
    unsigned char footer[LZMA_STREAM_HEADER_SIZE];
    if (size < 2 * LZMA_STREAM_HEADER_SIZE ||
        ::pread(fd, footer, sizeof footer, size - LZMA_STREAM_HEADER_SIZE) != LZMA_STREAM_HEADER_SIZE)
        return 0;
    lzma_stream_flags flags{};
    if (lzma_stream_footer_decode(&flags, footer) != LZMA_OK ||
        flags.backward_size > static_cast<lzma_vli>(size - 2 * LZMA_STREAM_HEADER_SIZE) ||
        flags.backward_size > (64ULL << 20))
        return 0;
    std::vector<std::uint8_t> index(static_cast<std::size_t>(flags.backward_size));
    const off_t at = size - LZMA_STREAM_HEADER_SIZE - static_cast<off_t>(index.size());
    if (::pread(fd, index.data(), index.size(), at) != static_cast<ssize_t>(index.size()))
        return 0;
    lzma_index *decoded = nullptr;
    std::uint64_t memlimit = XzMemoryLimit;
    std::size_t pos = 0;
    if (lzma_index_buffer_decode(&decoded, &memlimit, nullptr, index.data(), &pos, index.size()) != LZMA_OK)
        return 0;
    const bool whole = lzma_index_file_size(decoded) == static_cast<lzma_vli>(size);
    const std::uint64_t length = whole ? lzma_index_uncompressed_size(decoded) : 0;
    lzma_index_end(decoded, nullptr);
    return length;
}

// zlib reads the header (and its optional name, comment and extra fields, of any length) and
// stops before the first block when asked for Z_BLOCK.
std::int64_t gzipMtime(int fd)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return 0;
    gz_header header{};
    inflateGetHeader(&z, &header);
    unsigned char in[4096];
    unsigned char out[256];
    off_t at = 0;
    // The header's optional fields are at most a few KiB in practice; 64 KiB bounds a damaged one.
    while (header.done == 0 && at < 65536) {
        const ssize_t got = ::pread(fd, in, sizeof in, at);
        if (got <= 0)
            break;
        at += got;
        z.next_in = in;
        z.avail_in = static_cast<unsigned int>(got);
        int rc = Z_OK;
        while (header.done == 0 && z.avail_in > 0 && rc == Z_OK) {
            z.next_out = out;
            z.avail_out = sizeof out;
            rc = inflate(&z, Z_BLOCK);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            break;
    }
    const std::int64_t time = header.done == 1 ? static_cast<std::int64_t>(header.time) : 0;
    inflateEnd(&z);
    return time;
}

} // namespace

std::int64_t statedMtime(int fd, Compression kind)
{
    return kind == Compression::Gzip ? gzipMtime(fd) : 0;
}

std::int64_t statedMtime(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const std::int64_t time = statedMtime(fd, sniffCompression(fd).kind);
    ::close(fd);
    return time;
}

std::uint64_t statedLength(int fd, Compression kind)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0)
        return 0;
    switch (kind) {
    case Compression::Gzip:
        return gzipLength(fd, st.st_size);
    case Compression::Zstd:
        return zstdLength(fd, st.st_size);
    case Compression::Xz:
        return xzLength(fd, st.st_size);
    case Compression::Bzip2:
    case Compression::None:
    case Compression::Unsupported:
        break;
    }
    return 0;
}

std::unique_ptr<Decompressor> Decompressor::create(Compression kind)
{
    switch (kind) {
    case Compression::Gzip:
        return std::make_unique<GzipDecompressor>();
    case Compression::Bzip2:
        return std::make_unique<Bzip2Decompressor>();
    case Compression::Xz:
        return std::make_unique<XzDecompressor>();
    case Compression::Zstd:
        return std::make_unique<ZstdDecompressor>();
    case Compression::None:
    case Compression::Unsupported:
        break;
    }
    return nullptr;
}

Decompressor::Decompressor() : m_in(std::make_unique_for_overwrite<unsigned char[]>(RawChunk)) {}

Decompressor::~Decompressor() = default;

bool Decompressor::refill(int fd)
{
    for (;;) {
        const ssize_t n = ::read(fd, m_in.get(), RawChunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_error = std::strerror(errno);
            return false;
        }
        if (n == 0)
            m_inputDone = true;
        m_rawRead += static_cast<std::uint64_t>(n);
        m_inPos = 0;
        m_inEnd = static_cast<std::size_t>(n);
        return true;
    }
}

std::size_t Decompressor::read(int fd, char *dst, std::size_t max)
{
    std::size_t produced = 0;
    while (produced < max && !m_finished) {
        if (m_inPos == m_inEnd && !m_inputDone && !refill(fd)) {
            m_finished = true;
            break;
        }
        const bool noInput = m_inPos == m_inEnd && m_inputDone;
        if (m_betweenMembers) {
            // logrotate and `cat a.gz b.gz` make multi-member files: go on with the next one.
            if (noInput) {
                m_finished = true;
                break;
            }
            if (!restart()) {
                m_finished = true;
                break;
            }
            m_betweenMembers = false;
        }
        std::size_t used = 0;
        std::size_t made = 0;
        const Step step = decode(m_in.get() + m_inPos, m_inEnd - m_inPos, dst + produced, max - produced, noInput,
                                 used, made);
        m_inPos += used;
        produced += made;
        if (step == Step::Error) {
            m_finished = true;
        } else if (step == Step::StreamEnd) {
            m_betweenMembers = true;
        } else if (used == 0 && made == 0) {
            if (noInput) {
                // Input ran out inside a member (truncated copy, file still being written): keep
                // what decoded, report it.
                m_endedEarly = true;
            } else {
                // With input and room for output a decoder always moves; one that does not would
                // spin here for ever.
                m_error = "compressed data that cannot be decoded";
            }
            m_finished = true;
        }
    }
    return produced;
}

} // namespace mailtrail
