// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace mailtrail {

namespace sql {
class Database;
}

// The words the free-text index holds beside those of the texts themselves: two words joined by
// one dot or hyphen ("gmail.com", "smtp-in"), as one word. The index keeps no positions, so a
// term typed with dots would otherwise be checked whole in every message that has its words
// (194,294 of them for "gmail.com" at 1 GB: 1.9 s); the joined word finds the messages that hold
// it without a check. Only words that repeat are joined (no digit, or at most three characters;
// not two numbers), so that the ids of each message, which every message has others of, do not
// add a word each (docs/store.md, "The text index (session 23)").
//
// A joined word is the two words, lower case, with the separator as a character of Unicode's
// private use area (U+E000 + the byte): a letter to the index's tokenizer (unicode61 keeps
// category Co), so "gmail.com" is one word that no text of a log writes.
namespace textwords {

// Byte classes of ASCII, as FTS5's unicode61 tokenizer sees them whatever the process's locale.
// Not <cctype>: its answers follow the locale (a Turkish one lowers 'I' to a dotless i, a Latin-1
// one calls 0xA0 a space), and each is a call per byte of 0.3 GB of text at 1 GB of log.
constexpr bool isDigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

// Whether a byte belongs to a word as FTS5's unicode61 tokenizer splits ASCII text: letters and
// digits do, and so do the bytes of multi-byte characters (a word holding one is never joined).
constexpr bool isWordByte(unsigned char c)
{
    return c >= 0x80 || isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

constexpr bool isSpace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// `text` and, after it, its joined words; what the index is given for a message.
std::string indexedText(std::string_view text);

// The joined word the index holds for a lower-case compound term (QueryBuilder::compoundTerms)
// that is two words joined as above, or empty when it holds none for it.
std::string joinedWord(std::string_view term);

// Registers mailtrail_text_body(text) on `db`, indexedText() for schema::indexTextSql(). Throws
// sql::Error.
void addFunctions(sql::Database &db);

} // namespace textwords
} // namespace mailtrail
