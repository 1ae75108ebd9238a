// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Small reads the importer makes to tell what a file is before reading it whole.
namespace mailtrail::fileprobe {

// A file's content identity is a hash of its first bytes (see Ingestor::inspect).
constexpr std::size_t IdentityBytes = 4096;

// Hash of the bytes just before `offset` in a plain file: proves that what was imported up to
// there is still what the file holds (a file rewritten with the same first lines is new content).
// 0 for offset 0.
std::int64_t tailHash(const std::string &path, std::uint64_t offset);

// A compressed file's uncompressed length as it states it (see statedLength(): modulo 2^32 for
// gzip); 0, read as "unknown", when it does not (bzip2) or cannot be read.
std::uint64_t uncompressedLength(const std::string &path);

// Up to `max` bytes of the lines after a first line too long for the format probe (junk at
// the start of a file).
std::string sampleAfterFirstLine(const std::string &path, std::size_t max);

// Why a file no format was detected in is not read, in words for the import's "Not read: FILE:
// ...": a compressed file whose data ends before its end (cut short in a copy, damaged) is
// said to be one, not "not a mail log"; a mail log of a format Mailtrail does not read (qmail,
// Exchange, see FormatRegistry::unsupported) is named; anything else is "not a mail log".
// `head` is the start of its text as detection read it. Reads at most `max` more bytes of text.
std::string whyNotRead(const std::string &path, std::string_view head, bool compressed, std::size_t max);

} // namespace mailtrail::fileprobe
