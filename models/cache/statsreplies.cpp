// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statsreplies.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace mailtrail::statsreplies {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// SQL's `text LIKE '%needle%'`: ASCII letters in either case.
bool contains(std::string_view text, std::string_view needle)
{
    if (needle.empty())
        return true;
    if (needle.size() > text.size())
        return false;
    // Most positions differ in their first byte: those are passed over with two compares (the
    // reasons and categories ask some ten needles of each deferred try's reply).
    const char lower = asciiLower(needle[0]);
    const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 'a' + 'A') : lower;
    const std::size_t last = text.size() - needle.size();
    for (std::size_t i = 0; i <= last; ++i) {
        if (text[i] != lower && text[i] != upper)
            continue;
        std::size_t k = 1;
        while (k < needle.size() && asciiLower(text[i + k]) == asciiLower(needle[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

} // namespace

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = asciiLower(c);
    return out;
}

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

// A host as a relay or a reply names it, lower-cased: "mx.example.org[192.0.2.1]:25" (Postfix),
// "mx.example.org [192.0.2.1]" (Exim's H=), "mx.example.org. [192.0.2.1]" (Sendmail's relay=) are
// "mx.example.org"; without a name before the address ("[192.0.2.9]", Sendmail's relay= of a host
// it knows by address only) the address.
std::string hostName(std::string_view named)
{
    const std::size_t bracket = named.find('[');
    std::string_view name = named.substr(0, bracket);
    while (!name.empty() && (name.back() == ' ' || name.back() == '.'))
        name.remove_suffix(1);
    if (name.empty() && bracket != std::string_view::npos) {
        const std::string_view address = named.substr(bracket + 1);
        return lower(address.substr(0, address.find(']')));
    }
    return lower(name);
}

// The remote host of a delivery: the relay's host; for "relay=none" the host a connection
// failure names ("connect to mx.example.org[192.0.2.1]:25: Connection refused").
std::optional<std::string> remoteHost(const std::optional<std::string_view> &relay, const std::optional<std::string_view> &text)
{
    constexpr std::string_view connectTo = "connect to ";
    if ((!relay || *relay == "none") && text) {
        if (const std::size_t at = text->find(connectTo); at != std::string_view::npos) {
            const std::string_view rest = text->substr(at + connectTo.size());
            return rest.find('[') == std::string_view::npos ? std::string() : hostName(rest);
        }
    }
    if (!relay)
        return std::nullopt;
    return hostName(*relay);
}

std::string reasonDestination(const std::optional<std::string> &host, const std::optional<std::string_view> &recipient)
{
    // A host has a dot or is an address; "local", "virtual", "none" (Postfix) and "remote_smtp",
    // "local_delivery" (Exim's transports, of a try that reached no host or a local one) are not.
    if (host && (host->find('.') != std::string::npos || host->find(':') != std::string::npos || *host == "localhost"))
        return *host;
    if (const auto domain = domainOf(recipient))
        return '@' + *domain;
    return host.value_or(std::string());
}

std::string failureDestination(const std::optional<std::string> &host, const std::optional<std::string_view> &text,
                               const std::optional<std::string_view> &recipient)
{
    if (host && !host->empty() && *host != "none")
        return *host;
    // "@example.org", as a reason names it (reasonDestination): where the mail was going, not a
    // host tried, which the Summary's link and --destination read as its recipients. Also for a
    // failed lookup ("Name service error for name=example.invalid type=MX"): the name looked up
    // is no relay a try went to, and as a host --destination found none (session 22's trial).
    if (const auto domain = domainOf(recipient))
        return '@' + *domain;
    // No recipient to go by: the name looked up, at least.
    constexpr std::string_view name = "name=";
    if (text) {
        if (const std::size_t at = text->find(name); at != std::string_view::npos) {
            const std::string_view rest = text->substr(at + name.size());
            return lower(rest.substr(0, std::min(rest.find(' '), rest.find(';'))));
        }
    }
    return {};
}

namespace {

struct RejectKind {
    const char *name;
    std::vector<std::string_view> words;  // any of them tells the kind (ASCII case aside)
};

// The kinds of refusal, the first that matches winning. The texts are Postfix's own
// (smtpd_*_restrictions), then Exim's and Sendmail's for the same reasons.
const std::vector<RejectKind> &rejectKinds()
{
    static const std::vector<RejectKind> kinds{
        {"RBL", {"blocked using", "is listed in"}},
        {"relay denied", {"Relay access denied", "relay not permitted", "Relaying denied"}},
        {"unknown user", {"User unknown", "Recipient address rejected", "Unrouteable address", "Unknown user"}},
        {"HELO", {"Helo command rejected", "rejected EHLO", "rejected HELO"}},
        {"sender domain", {"Sender address rejected", "Sender verify failed"}},
        {"client host", {"Client host rejected"}},
        {"message size", {"message too big", "message size exceeds"}},
        {"content", {"Spam", "virus", "header", "body"}},
    };
    return kinds;
}

} // namespace

const char *rejectCategory(const std::optional<std::string_view> &text)
{
    for (const RejectKind &kind : rejectKinds()) {
        if (std::any_of(kind.words.begin(), kind.words.end(), [&](std::string_view w) { return contains(text, w); }))
            return kind.name;
    }
    return "other";
}

std::string rejectCategorySql(const std::string &text)
{
    // contains() is LIKE's comparison: ASCII letters in either case, as lower() lowers them. A
    // missing text matches no word (instr of NULL is NULL): "other", as above.
    std::string sql = "CASE";
    for (const RejectKind &kind : rejectKinds()) {
        sql += " WHEN ";
        for (std::size_t i = 0; i < kind.words.size(); ++i) {
            std::string word(kind.words[i]);
            std::transform(word.begin(), word.end(), word.begin(), [](char c) { return asciiLower(c); });
            sql += (i ? " OR instr(lower(" : "instr(lower(") + text + "), '" + word + "') > 0";
        }
        sql += " THEN '" + std::string(kind.name) + "'";
    }
    return sql + " ELSE 'other' END";
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

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of the IPv4 address at the start of `s` ("203.0.113.5"), 0 if none.
std::size_t ipv4At(std::string_view s)
{
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= s.size() || s[i] != '.')
                return 0;
            ++i;
        }
        const std::size_t from = i;
        while (i < s.size() && isDigit(s[i]) && i - from < 4)
            ++i;
        if (i == from || i - from > 3)
            return 0;
    }
    // Not the start of something longer ("1.2.3.4.5", "1.2.3.45678").
    if (i < s.size() && (isDigit(s[i]) || (s[i] == '.' && i + 1 < s.size() && isDigit(s[i + 1]))))
        return 0;
    return i;
}

// The length of the IPv6 address at the start of `s` ("2001:db8::1", "IPv6:2001:db8::1"), 0 if
// none: hex digits and colons, with "::" or at least three colons (a time has two).
std::size_t ipv6At(std::string_view s)
{
    std::size_t i = s.starts_with("IPv6:") ? 5 : 0;
    const std::size_t from = i;
    int colons = 0;
    bool doubled = false;
    while (i < s.size() && (isHex(s[i]) || s[i] == ':' || (s[i] == '.' && colons > 0))) {
        if (s[i] == ':') {
            ++colons;
            doubled = doubled || (i > from && s[i - 1] == ':');
        }
        ++i;
    }
    // A trailing ':' is the text's ("...]:25: Connection"), not the address's, unless "::".
    while (i > from && s[i - 1] == ':' && !(i >= from + 2 && s[i - 2] == ':')) {
        --i;
        --colons;
    }
    if (i < s.size() && (isLetter(s[i]) || s[i] == '_' || s[i] == '-'))
        return 0;
    return (colons >= 3 || (doubled && colons >= 2)) ? i : 0;
}

// Ends a word of a reply: spaces and the punctuation around addresses, hosts and codes.
bool separator(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) || std::strchr("<>[](),;:='\"", c) != nullptr;
}

// A host name: labels with a dot, the last one letters only ("mx1.example.net", not a tracking
// id "a1b2c3.12" nor a code "5.1.1").
bool looksLikeHost(std::string_view word)
{
    const std::size_t dot = word.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return false;
    const std::string_view last = word.substr(dot + 1);
    return last.size() >= 2 && std::all_of(last.begin(), last.end(), isLetter);
}

} // namespace

std::string reasonKey(std::string_view text)
{
    // What differs between like failures, so that they group and the text shown names none of
    // them: "connect to mx1.example.net[203.0.113.5]:25: Connection timed out" and the same with
    // .6 are one reason, "connect to mx1.example.net[<ip>]:<port>: Connection timed out". Taken
    // out: addresses (<address>), IP addresses (<ip>), the port after one, words of 8 or more
    // characters with letters and digits that are no host name (a queue id, a tracking id, a
    // hash: <id>), times of the day (<time>) and numbers of 4 or more digits (<n>: a size, a
    // count). Reply codes, enhanced codes and host names stay: they tell reasons apart.
    std::string out;
    out.reserve(text.size());
    // Inside "<...>" the placeholder's own brackets are the text's.
    const auto put = [&out](std::string_view placeholder) {
        if (!out.empty() && out.back() == '<' && placeholder.front() == '<')
            out.append(placeholder.substr(1, placeholder.size() - 2));
        else
            out.append(placeholder);
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const std::string_view rest = text.substr(i);
        const bool wordStart = i == 0 || separator(text[i - 1]);
        if (wordStart) {
            if (const std::size_t n = ipv6At(rest)) {
                put("<ip>");
                i += n;
                continue;
            }
            if (const std::size_t n = ipv4At(rest)) {
                put("<ip>");
                i += n;
                continue;
            }
        }
        // The port after an address: "]:25" or "<ip>:25".
        if (text[i] == ':' && i + 1 < text.size() && isDigit(text[i + 1]) &&
            (out.ends_with("]") || out.ends_with("<ip>"))) {
            std::size_t end = i + 1;
            while (end < text.size() && isDigit(text[end]))
                ++end;
            out += ':';
            put("<port>");
            i = end;
            continue;
        }
        if (separator(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !separator(text[end]))
            ++end;
        // A time of the day: "10:28:37" (':' ends a word).
        if (end - i == 2 && isDigit(text[i]) && isDigit(text[i + 1]) && text.substr(end).size() >= 6 && text[end] == ':' &&
            isDigit(text[end + 1]) && isDigit(text[end + 2]) && text[end + 3] == ':' && isDigit(text[end + 4]) && isDigit(text[end + 5])) {
            put("<time>");
            i = end + 6;
            continue;
        }
        const std::string_view word = text.substr(i, end - i);
        const bool digits = std::any_of(word.begin(), word.end(), isDigit);
        const bool letters = std::any_of(word.begin(), word.end(), isLetter);
        if (word.find('@') != std::string_view::npos) {
            put("<address>");
        } else if (word.size() >= 8 && digits && letters && !looksLikeHost(word)) {
            put("<id>");
        } else {
            for (std::size_t k = 0; k < word.size();) {
                if (!isDigit(word[k])) {
                    out += word[k++];
                    continue;
                }
                std::size_t run = k;
                while (run < word.size() && isDigit(word[run]))
                    ++run;
                if (run - k >= 4)
                    put("<n>");
                else
                    out.append(word.substr(k, run - k));
                k = run;
            }
        }
        i = end;
    }
    return out;
}

} // namespace mailtrail::statsreplies
