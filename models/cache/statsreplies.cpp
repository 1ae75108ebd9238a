// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statsreplies.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>

namespace mailtrail::statsreplies {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// SQLite's lower(): ASCII letters only, as the SQL these counts replace grouped them.
std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = asciiLower(c);
    return out;
}

// SQL's `text LIKE '%needle%'`: ASCII letters in either case.
bool contains(std::string_view text, std::string_view needle)
{
    if (needle.size() > text.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && asciiLower(text[i + k]) == asciiLower(needle[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

} // namespace

bool contains(const std::optional<std::string_view> &text, std::string_view needle)
{
    return text && contains(*text, needle);
}

// SQL's `text LIKE 'prefix%'`.
bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && contains(text.substr(0, prefix.size()), prefix);
}

// The domain of an address, none for a local name without '@' ("root", "alice" of Sendmail's
// local mailer): a user, not a domain (pflogsumm counts it as one of its "hosts/domains").
std::optional<std::string> domainOf(const std::optional<std::string_view> &address)
{
    if (!address)
        return std::nullopt;
    const std::size_t at = address->find('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    return lower(address->substr(at + 1));
}

// The remote host of a delivery: the relay's name without [ip]:port; for "relay=none" the host a
// connection failure names ("connect to mx.example.org[192.0.2.1]:25: Connection refused").
std::optional<std::string> remoteHost(const std::optional<std::string_view> &relay, const std::optional<std::string_view> &text)
{
    constexpr std::string_view connectTo = "connect to ";
    if ((!relay || *relay == "none") && text) {
        if (const std::size_t at = text->find(connectTo); at != std::string_view::npos) {
            const std::string_view rest = text->substr(at + connectTo.size());
            const std::size_t bracket = rest.find('[');
            return bracket == std::string_view::npos ? std::string() : lower(rest.substr(0, bracket));
        }
    }
    if (!relay)
        return std::nullopt;
    return lower(relay->substr(0, relay->find('[')));
}

std::string failureDestination(const std::optional<std::string> &host, const std::optional<std::string_view> &text,
                               const std::optional<std::string_view> &recipient)
{
    if (host && !host->empty() && *host != "none")
        return *host;
    constexpr std::string_view name = "name=";
    if (text) {
        if (const std::size_t at = text->find(name); at != std::string_view::npos) {
            const std::string_view rest = text->substr(at + name.size());
            const std::string looked = lower(rest.substr(0, std::min(rest.find(' '), rest.find(';'))));
            if (!looked.empty())
                return looked;
        }
    }
    return domainOf(recipient).value_or(std::string());
}

// What kind of refusal a reject's reply text is. The texts are Postfix's own (smtpd_*_restrictions),
// then Exim's and Sendmail's for the same reasons.
const char *rejectCategory(const std::optional<std::string_view> &text)
{
    auto any = [&](std::initializer_list<std::string_view> needles) {
        return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) { return contains(text, n); });
    };
    if (any({"blocked using", "is listed in"}))
        return "RBL";
    if (any({"Relay access denied", "relay not permitted", "Relaying denied"}))
        return "relay denied";
    if (any({"User unknown", "Recipient address rejected", "Unrouteable address", "Unknown user"}))
        return "unknown user";
    if (any({"Helo command rejected", "rejected EHLO", "rejected HELO"}))
        return "HELO";
    if (any({"Sender address rejected", "Sender verify failed"}))
        return "sender domain";
    if (any({"Client host rejected"}))
        return "client host";
    if (any({"message too big", "message size exceeds"}))
        return "message size";
    if (any({"Spam", "virus", "header", "body"}))
        return "content";
    return "other";
}

// Connection and DNS failures in a delivery's reply; null for any other reply.
const char *connectivityCategory(const std::optional<std::string_view> &text)
{
    auto any = [&](std::initializer_list<std::string_view> needles) {
        return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) { return contains(text, n); });
    };
    if (any({"Connection refused"}))
        return "connection refused";
    if (any({"timed out"}))
        return "connection timed out";
    if (any({"Host not found", "Name service error", "Host or domain name not found"}))
        return "host not found";
    if (any({"No route to host", "Network is unreachable"}))
        return "no route to host";
    if (any({"TLS", "SSL", "certificate"}))
        return "TLS failure";
    return nullptr;
}

// The list an RBL reject names: what follows "blocked using " up to ';'.
std::string_view rblList(std::string_view text)
{
    constexpr std::string_view blockedUsing = "blocked using ";
    const std::size_t at = text.find(blockedUsing);
    // As the SQL before (instr() 0 + 14): without the exact words, from the 14th character.
    const std::size_t from = at == std::string_view::npos ? std::min<std::size_t>(13, text.size()) : at + blockedUsing.size();
    const std::string_view list = text.substr(from);
    return list.substr(0, list.find(';'));
}

std::string reasonKey(std::string_view text)
{
    // Every address becomes <address>, every word of 8 or more characters with letters and digits
    // (a queue id, a tracking id, a hash) <id>, every run of digits #: "550 5.1.1 <bob@x>: ... id
    // d2e1a72f..." and "550 5.1.1 <eve@x>: ... id 9f00c1b3..." are one reason.
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    const auto separator = [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || std::strchr("<>[](),;:='\"", c) != nullptr;
    };
    while (i < text.size()) {
        if (separator(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !separator(text[end]))
            ++end;
        const std::string_view word = text.substr(i, end - i);
        const bool digits = std::any_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        const bool letters = std::any_of(word.begin(), word.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
        if (word.find('@') != std::string_view::npos) {
            out += "<address>";
        } else if (word.size() >= 8 && digits && letters) {
            out += "<id>";
        } else {
            for (std::size_t k = 0; k < word.size(); ++k) {
                if (!std::isdigit(static_cast<unsigned char>(word[k])))
                    out += word[k];
                else if (k == 0 || !std::isdigit(static_cast<unsigned char>(word[k - 1])))
                    out += '#';
            }
        }
        i = end;
    }
    return out;
}

} // namespace mailtrail::statsreplies
