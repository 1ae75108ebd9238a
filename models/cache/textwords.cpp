// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/textwords.h"

#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace mailtrail::textwords {

namespace {

// ASCII's, whatever the process's locale (textwords.h).
constexpr char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool isAscii(std::string_view word)
{
    return std::none_of(word.begin(), word.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
}

bool isNumber(std::string_view word)
{
    return std::all_of(word.begin(), word.end(), [](char ch) { return isDigit(static_cast<unsigned char>(ch)); });
}

// A word that repeats from message to message: a name or a short number, not an id.
bool repeats(std::string_view word)
{
    return word.size() <= 3 ||
        std::none_of(word.begin(), word.end(), [](char ch) { return isDigit(static_cast<unsigned char>(ch)); });
}

bool joins(std::string_view left, char separator, std::string_view right)
{
    return (separator == '.' || separator == '-') && isAscii(left) && isAscii(right) && repeats(left) &&
        repeats(right) && !(isNumber(left) && isNumber(right));
}

void appendJoined(std::string &out, std::string_view left, char separator, std::string_view right)
{
    // U+E000 + the separator's byte (below 0x40), in UTF-8: EE 80, then 0x80 + the byte.
    for (char ch : left)
        out.push_back(lower(ch));
    out += "\xEE\x80";
    out.push_back(static_cast<char>(0x80 | static_cast<unsigned char>(separator)));
    for (char ch : right)
        out.push_back(lower(ch));
}

// What indexedText() returns, in `out`, and what it is made in: the SQL function keeps one set
// per thread for the 0.75 M messages of a gigabyte's index, rather than a string and a vector a
// message.
struct Buffers {
    std::string out;
    std::string joinedWords;                                  // one after the other
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // each one's (offset, size) there
    std::vector<std::string_view> words;                      // the spans, sorted
};

void writeIndexedText(std::string_view text, Buffers &b)
{
    b.joinedWords.clear();
    b.spans.clear();
    std::size_t i = 0;
    std::string_view previous;  // the word before, when only one byte of no word parts them
    char separator = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!isWordByte(c)) {
            // Two bytes apart, or a space: the next word joins none before it.
            separator = separator == 0 && !previous.empty() && !isSpace(c) ? text[i] : '\1';
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && isWordByte(static_cast<unsigned char>(text[i])))
            ++i;
        const std::string_view word = text.substr(start, i - start);
        if (separator != '\1' && separator != 0 && joins(previous, separator, word)) {
            const std::size_t at = b.joinedWords.size();
            appendJoined(b.joinedWords, previous, separator, word);
            b.spans.emplace_back(static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(b.joinedWords.size() - at));
        }
        previous = word;
        separator = 0;
    }
    b.out.assign(text);
    if (b.spans.empty())
        return;
    b.words.clear();
    for (const auto &[at, size] : b.spans)
        b.words.emplace_back(b.joinedWords.data() + at, size);
    // Byte order, as std::string's: the index's text is the same whichever way it was made.
    std::sort(b.words.begin(), b.words.end());
    b.words.erase(std::unique(b.words.begin(), b.words.end()), b.words.end());
    for (std::string_view word : b.words) {
        b.out += ' ';
        b.out += word;
    }
}

void textBody(sqlite3_context *context, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    thread_local Buffers b;
    const auto *bytes = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    writeIndexedText(std::string_view(bytes, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))), b);
    sqlite3_result_text64(context, b.out.data(), b.out.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

} // namespace

std::string indexedText(std::string_view text)
{
    Buffers b;
    writeIndexedText(text, b);
    return std::move(b.out);
}

std::string joinedWord(std::string_view term)
{
    std::size_t split = 0;
    while (split < term.size() && isWordByte(static_cast<unsigned char>(term[split])))
        ++split;
    if (split == 0 || split + 1 >= term.size())
        return {};
    const std::string_view left = term.substr(0, split), right = term.substr(split + 1);
    if (!std::all_of(right.begin(), right.end(), [](char ch) { return isWordByte(static_cast<unsigned char>(ch)); }) ||
        !joins(left, term[split], right))
        return {};
    std::string out;
    appendJoined(out, left, term[split], right);
    return out;
}

void addFunctions(sql::Database &db)
{
    if (sqlite3_create_function_v2(db.handle(), "mailtrail_text_body", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   nullptr, textBody, nullptr, nullptr, nullptr) != SQLITE_OK)
        db.fail("mailtrail_text_body");
}

} // namespace mailtrail::textwords
