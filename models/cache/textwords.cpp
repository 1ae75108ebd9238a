// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/textwords.h"

#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace mailtrail::textwords {

namespace {

// As FTS5's unicode61 tokenizer splits ASCII text (QueryBuilder's isWordByte); a byte of a
// multi-byte character counts as a word's, and a word holding one is never joined.
bool isWordByte(unsigned char c)
{
    return std::isalnum(c) || c >= 0x80;
}

bool isAscii(std::string_view word)
{
    return std::none_of(word.begin(), word.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
}

bool isNumber(std::string_view word)
{
    return std::all_of(word.begin(), word.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

// A word that repeats from message to message: a name or a short number, not an id.
bool repeats(std::string_view word)
{
    return word.size() <= 3 || std::none_of(word.begin(), word.end(), [](char ch) {
               return std::isdigit(static_cast<unsigned char>(ch));
           });
}

bool joins(std::string_view left, char separator, std::string_view right)
{
    return (separator == '.' || separator == '-') && isAscii(left) && isAscii(right) && repeats(left) &&
        repeats(right) && !(isNumber(left) && isNumber(right));
}

std::string joined(std::string_view left, char separator, std::string_view right)
{
    // U+E000 + the separator's byte (below 0x40), in UTF-8: EE 80, then 0x80 + the byte.
    std::string out;
    out.reserve(left.size() + 3 + right.size());
    for (char ch : left)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    out += "\xEE\x80";
    out.push_back(static_cast<char>(0x80 | static_cast<unsigned char>(separator)));
    for (char ch : right)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    return out;
}

void textBody(sqlite3_context *context, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto *bytes = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const std::string text = indexedText(std::string_view(bytes, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
    sqlite3_result_text64(context, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

} // namespace

std::string indexedText(std::string_view text)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    std::string_view previous;  // the word before, when only one byte of no word parts them
    char separator = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!isWordByte(c)) {
            // Two bytes apart, or a space: the next word joins none before it.
            separator = separator == 0 && !previous.empty() && !std::isspace(c) ? text[i] : '\1';
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && isWordByte(static_cast<unsigned char>(text[i])))
            ++i;
        const std::string_view word = text.substr(start, i - start);
        if (separator != '\1' && separator != 0 && joins(previous, separator, word))
            words.push_back(joined(previous, separator, word));
        previous = word;
        separator = 0;
    }
    std::string out(text);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    for (const std::string &word : words)
        out += ' ' + word;
    return out;
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
    return joined(left, term[split], right);
}

void addFunctions(sql::Database &db)
{
    if (sqlite3_create_function_v2(db.handle(), "mailtrail_text_body", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   nullptr, textBody, nullptr, nullptr, nullptr) != SQLITE_OK)
        db.fail("mailtrail_text_body");
}

} // namespace mailtrail::textwords
