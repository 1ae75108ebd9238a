// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/replycodec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mailtrail::replycodec {

namespace {

// The fragments a byte 0x80 + i stands for: the common parts of the replies of real servers
// (Postfix, Exim, Sendmail, qmail, Dovecot's LMTP, Gmail, Outlook, Yahoo, GMX) and of Postfix's
// and Exim's own texts, written from their documentation and the logs in tests/data. Frozen:
// only ever append (at most 128).
constexpr std::array<std::string_view, 128> Fragments = {
    "250 2.0.0 Ok: queued as ", "250 2.0.0 OK  ", " - gsmtp", "250 2.0.0 <", " Saved", "delivered to mailbox",
    "delivered to maildir", "delivered to command: ", "delivered via ", " service", "250 2.6.0 <", "> [InternalId=",
    ", Hostname=", ".prod.outlook.com] ", " bytes in ", " KB/sec Queued mail for delivery", "250 OK id=",
    "250 Requested mail action okay, completed: id=", "250 ok ", " qp ", "Queued! ", "250 2.0.0 ", "250 2.1.5 ",
    "Message accepted for delivery", "250 OK", "250 Ok", "250 ok", "forwarded as ", "host ", " said: ",
    " (in reply to RCPT TO command)", " (in reply to end of DATA command)", " (in reply to MAIL FROM command)",
    " (in reply to DATA command)", "connect to ", ": Connection timed out", ": Connection refused", "Connection refused",
    "Connection timed out", "delivery temporarily suspended: ", "lost connection with ",
    " while receiving the initial server greeting", " while sending RCPT TO", "conversation with ", " timed out",
    "Host or domain name not found. Name service error for name=", " type=MX: Host not found, try again",
    " type=A: Host not found", "Recipient address rejected: ", "User unknown in local recipient table",
    "User unknown in virtual mailbox table", "User unknown", "Relay access denied", "Sender address rejected: ",
    "Client host rejected: ", "Helo command rejected: ", "Service unavailable; Client host ", " blocked using ",
    "Please try again later", "Greylisted", "Mailbox full", "mailbox unavailable", "does not exist", "550 5.1.1 ", "550-5.1.1 ", "550 5.7.1 ", "550-5.7.1 ", "451 4.7.1 ", "421 4.7.0 ", "421-4.7.0 ",
    "452 4.2.2 ", "554 5.7.1 ", "450 4.2.0 ", "The email account that you tried to reach ", "Please try",
    " double-checking the recipient's email address for typos or", " unnecessary spaces. For more information, go to",
    " https://support.google.com/mail/", "?p=NoSuchUser ", "answer/", "TLS is required, but was not offered by host ",
    "Unrouteable address", "retry timeout exceeded", "retry time not reached for any host", "all hosts for ",
    " have been failing for a long time", "SMTP error from remote mail server after ", "RCPT TO:<", "MAIL FROM:<",
    "Administrative prohibition", "No such user", "relay not permitted", "temporarily deferred due to unexpected volume or user complaints", "https://postmaster.yahooinc.com/error-codes",
    "Deferred: ", "Connection refused by ", "Connection timed out with ", "Sent (", "Service unavailable",
    "Message size exceeds fixed maximum message size", "mail for ", " loops back to myself", "Spamhaus", "spamhaus.org", "mail.protection.outlook.com", ".google.com",
    "gmail-smtp-in.l", "yahoodns.net", "Ok: queued as ", "queued as ", " id=", "@", "]:25", "Hostname=", ".outlook.com",
    "delivered", "Recipient", "rejected", "address", "message", "mail", "250 ", "550 ", "451 ", "421 ", "(in reply to ",
};

// The bytes below these: 0x00 a literal byte, then runs of one class of characters packed.
enum Code : unsigned char { Escape = 0, Decimal = 1, UpperHex = 2, LowerHex = 3, Word = 4, FirstLiteral = 5 };
// After Escape, a byte the encoder never escapes (a literal one: from FirstLiteral to 0x7f) stands
// for a value of the row instead (layout 14); layout 13 never wrote one, so its texts read alike.
constexpr unsigned char Reference = FirstLiteral;

constexpr std::string_view WordAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.";

// Index of a character in a class, -1 when not in it. Function objects, so that the templates
// below inline them (through a function's pointer each byte cost a call).
struct DecimalValue {
    int operator()(unsigned char c) const { return c >= '0' && c <= '9' ? c - '0' : -1; }
};
struct UpperHexValue {
    int operator()(unsigned char c) const { return c >= 'A' && c <= 'F' ? c - 'A' + 10 : DecimalValue()(c); }
};
struct LowerHexValue {
    int operator()(unsigned char c) const { return c >= 'a' && c <= 'f' ? c - 'a' + 10 : DecimalValue()(c); }
};
// Its place in WordAlphabet.
struct WordValue {
    static constexpr std::array<signed char, 256> Values = [] {
        std::array<signed char, 256> values{};
        values.fill(-1);
        for (std::size_t i = 0; i < WordAlphabet.size(); ++i)
            values[static_cast<unsigned char>(WordAlphabet[i])] = static_cast<signed char>(i);
        return values;
    }();
    int operator()(unsigned char c) const { return Values[c]; }
};
constexpr DecimalValue decimalValue;
constexpr UpperHexValue upperHexValue;
constexpr LowerHexValue lowerHexValue;
constexpr WordValue wordValue;

struct FragmentIndex
{
    // The fragments of two bytes or more that start with each byte, longest first, each with its
    // second byte; which two first bytes start one of them, and which byte is a fragment alone:
    // most positions of a text start no fragment, and are told so by one bit. (The encoder asks
    // at every byte of a word: at 1 GB of log, 1.1 M texts, this was a sixth of the reading
    // thread's work when each candidate was compared whole.)
    struct Candidate {
        unsigned char second;
        unsigned char id;
    };
    std::array<std::vector<Candidate>, 256> byFirst;
    std::array<std::uint64_t, (1 << 16) / 64> pairs{};
    std::array<int, 256> single;
    FragmentIndex()
    {
        single.fill(-1);
        for (std::size_t i = 0; i < Fragments.size() && !Fragments[i].empty(); ++i) {
            const std::string_view f = Fragments[i];
            const auto first = static_cast<unsigned char>(f[0]);
            if (f.size() == 1) {
                single[first] = static_cast<int>(i);
                continue;
            }
            const unsigned key = static_cast<unsigned>(first) << 8 | static_cast<unsigned char>(f[1]);
            pairs[key >> 6] |= std::uint64_t(1) << (key & 63);
            byFirst[first].push_back({static_cast<unsigned char>(f[1]), static_cast<unsigned char>(i)});
        }
        for (auto &list : byFirst)
            std::stable_sort(list.begin(), list.end(), [](Candidate a, Candidate b) {
                return Fragments[a.id].size() > Fragments[b.id].size();
            });
    }
    bool startsPair(unsigned key) const { return (pairs[key >> 6] >> (key & 63)) & 1; }
};

const FragmentIndex &fragmentIndex()
{
    static const FragmentIndex index;
    return index;
}

// The longest fragment at the start of `rest` (not empty), -1 when none.
int fragmentAt(const FragmentIndex &index, std::string_view rest)
{
    const auto first = static_cast<unsigned char>(rest[0]);
    if (rest.size() >= 2) {
        const auto second = static_cast<unsigned char>(rest[1]);
        if (index.startsPair(static_cast<unsigned>(first) << 8 | second)) {
            for (const FragmentIndex::Candidate c : index.byFirst[first]) {
                const std::string_view f = Fragments[c.id];
                if (c.second == second && rest.size() >= f.size() &&
                    std::memcmp(rest.data() + 2, f.data() + 2, f.size() - 2) == 0)
                    return c.id;
            }
        }
    }
    return index.single[first];
}

constexpr std::size_t MaxRun = 255;

// How many characters of a class run from `at`, up to MaxRun; a word run stops before a fragment
// of three bytes or more, which is cheaper as one byte.
template<typename Value>
std::size_t runLength(const FragmentIndex &index, std::string_view text, std::size_t at, Value value, bool stopAtFragment)
{
    std::size_t n = 0;
    while (at + n < text.size() && n < MaxRun && value(static_cast<unsigned char>(text[at + n])) >= 0) {
        if (stopAtFragment && n > 0) {
            const int f = fragmentAt(index, text.substr(at + n));
            if (f >= 0 && Fragments[static_cast<std::size_t>(f)].size() >= 3)
                break;
        }
        ++n;
    }
    return n;
}

std::size_t packedSize(Code code, std::size_t n)
{
    return 2 + (code == Word ? (n * 6 + 7) / 8 : (n + 1) / 2);
}

template<typename Value>
void packBits(std::string &out, std::string_view run, Value value, int bits)
{
    std::uint32_t acc = 0;
    int held = 0;
    for (const char c : run) {
        acc = (acc << bits) | static_cast<std::uint32_t>(value(static_cast<unsigned char>(c)));
        held += bits;
        while (held >= 8) {
            held -= 8;
            out += static_cast<char>((acc >> held) & 0xff);
        }
    }
    if (held > 0)
        out += static_cast<char>((acc << (8 - held)) & 0xff);
}

bool unpackBits(std::string &out, std::string_view &in, std::size_t n, int bits, std::string_view alphabet)
{
    const std::size_t bytes = (n * static_cast<std::size_t>(bits) + 7) / 8;
    if (in.size() < bytes)
        return false;
    std::uint32_t acc = 0;
    int held = 0;
    std::size_t used = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (held < bits) {
            acc = (acc << 8) | static_cast<unsigned char>(in[used++]);
            held += 8;
        }
        held -= bits;
        const std::size_t v = (acc >> held) & ((1u << bits) - 1);
        if (v >= alphabet.size())
            return false;
        out += alphabet[v];
    }
    in.remove_prefix(bytes);
    return true;
}

} // namespace

bool encode(std::string_view text, std::string &out, std::string_view reference)
{
    out.clear();
    if (text.size() < 3)
        return false;
    const FragmentIndex &index = fragmentIndex();
    // Shorter than three bytes, the reference is not worth its two.
    std::size_t nextReference = reference.size() >= 3 ? text.find(reference) : std::string_view::npos;
    std::size_t at = 0;
    // Inside a word whose start packed no run, the runs that start later in it are not tried:
    // they are shorter than its start's and rarely save, and trying each would cost n² in a
    // long word.
    bool inUnpackedWord = false;
    while (at < text.size()) {
        // Nothing runs into the reference: fragments and runs end before it.
        const std::string_view upto = text.substr(0, nextReference);
        if (at == nextReference) {
            out += static_cast<char>(Escape);
            out += static_cast<char>(Reference);
            at += reference.size();
            nextReference = text.find(reference, at);
            inUnpackedWord = false;
            continue;
        }
        if (const int f = fragmentAt(index, upto.substr(at)); f >= 0) {
            out += static_cast<char>(0x80 + f);
            at += Fragments[static_cast<std::size_t>(f)].size();
            inUnpackedWord = false;
            continue;
        }
        if (inUnpackedWord && wordValue(static_cast<unsigned char>(text[at])) >= 0) {
            out += text[at++];
            continue;
        }
        // The run class that saves most here, if any saves.
        Code best = Escape;
        std::size_t bestLength = 0;
        std::ptrdiff_t bestSaving = 0;
        const auto consider = [&](Code code, std::size_t n) {
            const auto saving = static_cast<std::ptrdiff_t>(n) - static_cast<std::ptrdiff_t>(packedSize(code, n));
            if (saving > bestSaving) {
                best = code;
                bestLength = n;
                bestSaving = saving;
            }
        };
        if (wordValue(static_cast<unsigned char>(text[at])) < 0) {
            inUnpackedWord = false;
        } else {
            consider(Decimal, runLength(index, upto, at, decimalValue, false));
            consider(UpperHex, runLength(index, upto, at, upperHexValue, false));
            consider(LowerHex, runLength(index, upto, at, lowerHexValue, false));
            consider(Word, runLength(index, upto, at, wordValue, true));
            inUnpackedWord = best == Escape;
        }
        if (best != Escape) {
            out += static_cast<char>(best);
            out += static_cast<char>(bestLength);
            const std::string_view run = text.substr(at, bestLength);
            if (best == Word)
                packBits(out, run, wordValue, 6);
            else if (best == Decimal)
                packBits(out, run, decimalValue, 4);
            else if (best == UpperHex)
                packBits(out, run, upperHexValue, 4);
            else
                packBits(out, run, lowerHexValue, 4);
            at += bestLength;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[at++]);
        if (c < FirstLiteral || c >= 0x80)
            out += static_cast<char>(Escape);
        out += static_cast<char>(c);
    }
    return out.size() < text.size();
}

std::optional<std::string> encode(std::string_view text, std::string_view reference)
{
    std::string out;
    if (!encode(text, out, reference))
        return std::nullopt;
    return out;
}

std::string_view senderReference(std::string_view sender)
{
    const std::size_t at = sender.rfind('@');
    return at == std::string_view::npos ? std::string_view() : sender.substr(at + 1);
}

std::optional<std::string> decode(std::string_view in, std::optional<std::string_view> reference)
{
    static constexpr std::string_view UpperDigits = "0123456789ABCDEF";
    static constexpr std::string_view LowerDigits = "0123456789abcdef";
    std::string out;
    out.reserve(in.size() * 2);
    while (!in.empty()) {
        const auto c = static_cast<unsigned char>(in[0]);
        in.remove_prefix(1);
        if (c >= 0x80) {
            const std::string_view fragment = Fragments[c - 0x80];
            if (fragment.empty())
                return std::nullopt;
            out += fragment;
        } else if (c >= FirstLiteral) {
            out += static_cast<char>(c);
        } else if (in.empty()) {
            return std::nullopt;
        } else if (c == Escape) {
            if (static_cast<unsigned char>(in[0]) == Reference) {
                if (!reference)
                    return std::nullopt;
                out += *reference;
            } else {
                out += in[0];
            }
            in.remove_prefix(1);
        } else {
            const auto n = static_cast<unsigned char>(in[0]);
            in.remove_prefix(1);
            const bool unpacked = c == Word ? unpackBits(out, in, n, 6, WordAlphabet)
                                            : unpackBits(out, in, n, 4, c == LowerHex ? LowerDigits
                                                                         : c == UpperHex ? UpperDigits
                                                                                         : UpperDigits.substr(0, 10));
            if (!unpacked)
                return std::nullopt;
        }
    }
    return out;
}

} // namespace mailtrail::replycodec
