// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// mailtrail-genlog: writes a large, realistic, reproducible Postfix syslog to stdout, for the
// import benchmarks in tests/bench.
//
// The log comes from a small discrete-event simulation rather than from templates pasted one
// after the other: SMTP sessions arrive at a diurnal Poisson rate, every message is a state
// machine (postscreen, smtpd, cleanup, qmgr, delivery agents, bounce) whose steps are scheduled
// on one time-ordered heap, so lines of many messages interleave the way a busy MX writes them,
// queue ids stay unique while a queue file exists, process ids behave like Postfix's process
// pools, deferred mail is retried minutes later and stays in the queue at the end of the log.
//
// Plain C++20 and the standard library only. Output is formatted by hand into one large buffer
// written with fwrite; randomness is an xorshift64* generator seeded from --seed, so the same
// options always give the same bytes.
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
using u16 = std::uint16_t;
using u8 = std::uint8_t;

constexpr i64 kUs = 1;
constexpr i64 kMs = 1000 * kUs;
constexpr i64 kSec = 1000 * kMs;
constexpr i64 kDay = 86400 * kSec;
constexpr i64 kMaxQueueLifetime = 5 * kDay; // Postfix maximal_queue_lifetime default

const char *const Usage = R"(Usage: mailtrail-genlog --size SIZE [OPTIONS] > mail.log

Writes a realistic Postfix syslog of about SIZE bytes to stdout (it stops at the first point
past SIZE where no SMTP session or delivery is half written; mail still deferred stays queued).

  --size SIZE      bytes to write: 123456, 512K, 100M, 1G (K/M/G = 1024-based; KB/MB/GB = 1000)
  --seed N         random seed (default 1); the same options always give the same output
  --hosts N        number of mail servers logging into the file: mx1..mxN (default 1)
  --start TIME     local time of the first line, YYYY-MM-DDTHH:MM:SS (default 2026-11-20T00:00:00)
  --rfc3339        RFC 3339 timestamps with microseconds and UTC offset instead of "Nov 20 00:00:01"
  --utc-offset Z   offset printed with --rfc3339: +HH:MM or -HH:MM (default +00:00)
  --rate N         accepted SMTP sessions per second at the daily peak, all hosts (default 300;
                   fractions for a quiet server: 0.05)
  --sasl-burst TIME[,MINUTES]
                   add a password-guessing run against the submission port from a few addresses
                   of one /24, starting at local TIME (YYYY-MM-DDTHH:MM:SS) for MINUTES (default
                   20): SASL LOGIN failures with many usernames. It has its own random numbers
                   and process ids, so every other line is the same with or without it
  --content-filter
                   pass every received or submitted message through an amavis-style content
                   filter on 127.0.0.1:10024 that re-injects it on 127.0.0.1:10025 under a new
                   queue id (two hops per message, as on most production servers)
  --stats          print a summary (lines, messages, outcome counts, MB/s) to stderr
  -h, --help       this text
)";

// ----------------------------------------------------------------------------------------------
// Random numbers: xorshift64*, seeded through splitmix64 so small seeds give unrelated streams.

class Rng {
public:
    explicit Rng(u64 seed)
    {
        u64 z = seed + 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        state_ = (z ^ (z >> 31)) | 1;
    }
    u64 next()
    {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1DULL;
    }
    // Uniform in [0, n).
    u32 below(u32 n) { return static_cast<u32>(((next() >> 32) * n) >> 32); }
    // Uniform in [lo, hi].
    u32 range(u32 lo, u32 hi) { return lo + below(hi - lo + 1); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    // A duration in [lo, hi], skewed towards lo (square of a uniform), as latencies are.
    i64 dur(i64 lo, i64 hi)
    {
        const double u = unit();
        return lo + static_cast<i64>(u * u * static_cast<double>(hi - lo));
    }
    i64 flat(i64 lo, i64 hi) { return lo + static_cast<i64>(unit() * static_cast<double>(hi - lo)); }
    template <typename T, std::size_t N> const T &pick(const std::array<T, N> &a)
    {
        return a[below(static_cast<u32>(N))];
    }

private:
    u64 state_;
};

// ----------------------------------------------------------------------------------------------
// Small fixed-capacity strings for per-message fields: no allocation per message.

template <std::size_t N> struct FStr {
    // Left uninitialised on purpose: only d[0, n) is ever read, and messages are recycled often.
    FStr() noexcept {}
    std::array<char, N> d;
    u16 n = 0;

    std::string_view v() const { return {d.data(), n}; }
    bool empty() const { return n == 0; }
    void clear() { n = 0; }
    FStr &s(std::string_view x)
    {
        const std::size_t k = std::min(x.size(), N - n);
        std::memcpy(d.data() + n, x.data(), k);
        n = static_cast<u16>(n + k);
        return *this;
    }
    FStr &c(char ch)
    {
        if (n < N)
            d[n++] = ch;
        return *this;
    }
    FStr &u(u64 x)
    {
        char tmp[24];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, x);
        return s({tmp, static_cast<std::size_t>(r.ptr - tmp)});
    }
    FStr &set(std::string_view x)
    {
        n = 0;
        return s(x);
    }
};

constexpr std::string_view kHexUpper = "0123456789ABCDEF";
constexpr std::string_view kHexLower = "0123456789abcdef";
constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

// Eight characters per random draw (the tiny modulo bias does not matter here).
template <typename Sink> void randCharsTo(Sink &&put, Rng &rng, std::string_view alphabet, u32 count)
{
    const auto size = static_cast<u32>(alphabet.size());
    u64 x = 0;
    for (u32 i = 0; i < count; ++i) {
        if ((i & 7) == 0)
            x = rng.next();
        put(alphabet[((x & 0xFF) * size) >> 8]);
        x >>= 8;
    }
}

template <std::size_t N> void randChars(FStr<N> &f, Rng &rng, std::string_view alphabet, u32 count)
{
    randCharsTo([&f](char ch) { f.c(ch); }, rng, alphabet, count);
}

// ----------------------------------------------------------------------------------------------
// Output: one big buffer, fwrite when nearly full. Every line first reserves kMaxLine bytes, so
// the field writers below need no bounds checks.

constexpr std::size_t kMaxLine = 2048;

class Out {
public:
    explicit Out(std::size_t capacity) : buf_(capacity), p_(buf_.data()), end_(buf_.data() + capacity) {}
    ~Out() { flush(); }
    Out(const Out &) = delete;
    Out &operator=(const Out &) = delete;

    void flush()
    {
        const auto n = static_cast<std::size_t>(p_ - buf_.data());
        if (n != 0 && std::fwrite(buf_.data(), 1, n, stdout) != n) {
            std::perror("mailtrail-genlog: write");
            std::exit(1);
        }
        written_ += n;
        p_ = buf_.data();
    }
    void reserveLine()
    {
        if (static_cast<std::size_t>(end_ - p_) < kMaxLine)
            flush();
    }
    u64 total() const { return written_ + static_cast<u64>(p_ - buf_.data()); }

    void s(std::string_view x)
    {
        std::memcpy(p_, x.data(), x.size());
        p_ += x.size();
    }
    void c(char ch) { *p_++ = ch; }
    void u(u64 x) { p_ = std::to_chars(p_, end_, x).ptr; }
    void d2(u32 x)
    {
        p_[0] = static_cast<char>('0' + x / 10);
        p_[1] = static_cast<char>('0' + x % 10);
        p_ += 2;
    }
    char *&cursor() { return p_; }

private:
    std::vector<char> buf_;
    u64 written_ = 0;
    char *p_;
    char *end_;
};

// ----------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, Howard Hinnant's algorithms). Times are microseconds of local
// wall-clock time since 1970-01-01T00:00:00; the UTC offset only matters for printing.

i64 daysFromCivil(i64 y, u32 m, u32 d)
{
    y -= m <= 2 ? 1 : 0;
    const i64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<u32>(y - era * 400);
    const u32 doy = (153 * (m + (m > 2 ? static_cast<u32>(-3) : 9)) + 2) / 5 + d - 1;
    const u32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<i64>(doe) - 719468;
}

void civilFromDays(i64 z, i64 &y, u32 &m, u32 &d)
{
    z += 719468;
    const i64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<u32>(z - era * 146097);
    const u32 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<i64>(yoe) + era * 400;
    const u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const u32 mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Formats of the current second, recomputed only when the second changes.
struct Clock {
    i64 sec = std::numeric_limits<i64>::min();
    std::array<char, 16> classic{}; // "Nov 20 00:00:01"
    std::array<char, 20> iso{};     // "2026-11-20T00:00:01"
    std::array<char, 15> compact{}; // "20261120000001" (Postfix-made Message-IDs)

    void update(i64 t)
    {
        const i64 s = t >= 0 ? t / kSec : (t - kSec + 1) / kSec;
        if (s == sec)
            return;
        sec = s;
        i64 days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
        const auto tod = static_cast<u32>(s - days * 86400);
        i64 y = 0;
        u32 m = 0;
        u32 d = 0;
        civilFromDays(days, y, m, d);
        const u32 hh = tod / 3600;
        const u32 mm = tod / 60 % 60;
        const u32 ss = tod % 60;
        const auto yy = static_cast<u32>(y);
        auto two = [](char *p, u32 v) {
            p[0] = static_cast<char>('0' + v / 10 % 10);
            p[1] = static_cast<char>('0' + v % 10);
        };
        auto four = [&](char *p, u32 v) {
            two(p, v / 100);
            two(p + 2, v % 100);
        };
        std::memcpy(classic.data(), kMonths[m - 1].data(), 3);
        classic[3] = ' ';
        two(&classic[4], d);
        if (d < 10)
            classic[4] = ' ';
        classic[6] = ' ';
        two(&classic[7], hh);
        classic[9] = ':';
        two(&classic[10], mm);
        classic[12] = ':';
        two(&classic[13], ss);
        four(&iso[0], yy);
        iso[4] = '-';
        two(&iso[5], m);
        iso[7] = '-';
        two(&iso[8], d);
        iso[10] = 'T';
        std::memcpy(&iso[11], &classic[7], 8);
        four(&compact[0], yy);
        two(&compact[4], m);
        two(&compact[6], d);
        two(&compact[8], hh);
        two(&compact[10], mm);
        two(&compact[12], ss);
    }
};

// ----------------------------------------------------------------------------------------------
// The world: names, domains, remote servers.

constexpr std::array<std::string_view, 96> kFirst = {
    "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
    "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen",
    "christopher", "lisa", "daniel", "nancy", "matthew", "betty", "anthony", "sandra", "mark", "margaret",
    "donald", "ashley", "steven", "kimberly", "paul", "emily", "andrew", "donna", "joshua", "michelle",
    "kevin", "amanda", "brian", "melissa", "george", "deborah", "timothy", "stephanie", "ronald", "rebecca",
    "jason", "laura", "jeffrey", "amy", "ryan", "anna", "eric", "emma", "scott", "olivia",
    "lukas", "sophie", "jan", "lena", "pierre", "marie", "luca", "giulia", "hans", "eva",
    "pedro", "lucia", "mateo", "sofia", "lars", "ingrid", "piotr", "kasia", "tomas", "petra",
    "ahmed", "fatima", "wei", "mei", "hiroshi", "yuki", "raj", "priya", "omar", "leila",
    "noah", "mia", "liam", "ava", "ethan", "chloe"};

constexpr std::array<std::string_view, 72> kLast = {
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
    "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
    "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
    "walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores",
    "green", "adams", "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts",
    "mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "dubois", "moreau",
    "laurent", "rossi", "russo", "ferrari", "bianchi", "novak", "kowalski", "nowak", "jansen", "devries",
    "larsen", "berg"};

constexpr std::array<std::string_view, 12> kRoles = {"info",    "sales",   "support", "office",  "billing", "hr",
                                                      "contact", "jobs",    "admin",   "press",   "orders",  "team"};

constexpr std::array<std::string_view, 40> kCoWords = {
    "acme", "northwind", "contoso", "fabrikam", "globex", "initech", "umbrella", "stark", "wayne", "tyrell",
    "cyberdyne", "soylent", "hooli", "vandelay", "wonka", "oceanic", "monarch", "aperture", "zenith", "summit",
    "harbor", "granite", "cedar", "maple", "silverline", "bluepeak", "redwood", "greenfield", "brightway", "apex",
    "vertex", "nova", "polaris", "deltaform", "sigma", "orbital", "ironbridge", "lakeside", "meridian", "quartz"};
constexpr std::array<std::string_view, 16> kCoSuffix = {"",           "-corp",     "-labs",  "-group",
                                                         "-systems",   "-logistics", "-consulting", "-media",
                                                         "-health",    "-bank",     "tech",   "-energy",
                                                         "-foods",     "-design",   "-partners", "-legal"};
constexpr std::array<std::string_view, 14> kTlds = {"com", "net", "org", "de", "fr", "co.uk", "nl",
                                                     "io",  "it",  "es",  "ch", "at", "be",    "se"};

enum class MxStyle : u8 { Gmail, Outlook, Yahoo, Icloud, Gmx, Own, O365, Workspace };
enum class RespStyle : u8 { Gmail, Outlook, Yahoo, PostfixShort, PostfixLong, Exim, Gmx };
enum class OutStyle : u8 { Google, Outlook, Yahoo, Icloud, Gmx, Own };

struct Domain {
    std::string name;
    std::string mxHost;
    std::string mxIp;
    std::string ownHost; // OutStyle::Own: the sending server
    std::string ownIp;
    MxStyle mx = MxStyle::Own;
    RespStyle resp = RespStyle::PostfixShort;
    OutStyle out = OutStyle::Own;
    bool dead = false; // MX does not answer: deliveries time out until the message expires
    bool local = false;
};

std::string publicIp(Rng &rng)
{
    static constexpr std::array<u32, 40> firsts = {5,   23,  31,  37,  45,  46,  62,  64,  66,  69,
                                                   77,  78,  80,  81,  82,  83,  84,  85,  87,  89,
                                                   91,  92,  94,  95,  104, 109, 136, 144, 151, 162,
                                                   172, 176, 178, 185, 188, 193, 194, 195, 212, 217};
    std::string ip = std::to_string(rng.pick(firsts));
    for (int i = 0; i < 3; ++i) {
        ip += '.';
        ip += std::to_string(i == 2 ? rng.range(1, 254) : rng.below(256));
    }
    return ip;
}

// First octet of a routable unicast IPv4 address outside the private, loopback and documentation
// blocks (10, 100.64, 127, 169.254, 172.16, 192.168, 198.18, 203.0.113 are avoided wholesale).
u32 publicFirstOctet(Rng &rng)
{
    for (;;) {
        const u32 a = rng.range(2, 223);
        if (a != 10 && a != 100 && a != 127 && a != 169 && a != 172 && a != 192 && a != 198 && a != 203)
            return a;
    }
}

struct Pool {
    struct Slot {
        u32 pid;
        u32 uses;
    };
    std::vector<Slot> slots;
    std::vector<u32> idle; // LIFO, as the most recently idle Postfix process wins accept()
    u32 maxUse = 100;      // Postfix max_use
};

struct Host {
    std::string name; // syslog host field: "mx1"
    std::string fqdn; // "mx1.example.com"
    std::string ip;   // its public address, for postscreen "to [ip]:25"
    u32 nextPid = 0;
    u32 qmgrPid = 0, pickupPid = 0, postscreenPid = 0, anvilPid = 0;
    Pool smtpd, submission, cleanup, smtp, lmtp, local, virt, bounce;
    std::vector<u64> inodeUsed; // bitmap over kInodeBase + i: a queue file exists with that inode
    std::array<u64, 64> recentlyFreed{}; // (inode << 20 | usec) of removed queue files
    u32 freedCount = 0;
    bool lmtpTcp = false;
};

constexpr u32 kInodeBase = 0x80000;  // 5 hex digits below 0x100000, 6 above: 10 or 11 char ids
constexpr u32 kInodeSpan = 0x100000; // 1 Mi inodes per host

// ----------------------------------------------------------------------------------------------
// Messages and events.

enum class Kind : u8 { Inbound, Submission, Relay, Pickup, Ndr, Backlog, NoQueue, PsOnly };
enum class Fate : u8 { Sent, DeferThenSent, Bounce, DeferForever };
enum class Transport : u8 { Smtp, Lmtp, Virtual, Local };
// Result of one delivery attempt.
enum class Res : u8 { Sent, DeferGrey, DeferTryLater, DeferTimeout, DeferSuspended, DeferLost,
                      BounceUser, BounceNoHost, BounceLocal };
enum class RState : u8 { Pending, Deferred, Done };

struct Rcpt {
    FStr<112> addr;
    FStr<16> origTo;
    u32 dom = 0; // index into domains
    u32 slot = 0;
    i64 b = 0, c = 0, d = 0; // delays of the current attempt (qmgr, connection setup, transmission)
    Transport transport = Transport::Smtp;
    Fate fate = Fate::Sent;
    RState state = RState::Pending;
    Res res = Res::Sent;
    u8 attempts = 0;
    u8 deferralsBeforeSent = 1;
    bool bouncedNow = false;
};

struct Msg {
    FStr<12> qid;
    FStr<80> chost; // client host name, "unknown" when it has no verified name
    FStr<40> cip;
    FStr<64> helo;
    FStr<112> sender; // empty for a bounce
    FStr<120> msgid;
    FStr<40> sasl;
    std::array<Rcpt, 3> r;
    i64 tQueued = 0; // queue file created
    i64 tActive = 0; // last time qmgr moved it to the active queue
    u32 host = 0;
    u32 inode = 0;
    u32 qidUsec = 0;
    u32 size = 0;
    u32 senderDom = 0;
    u32 smtpdSlot = 0;
    u32 port = 0;
    u32 refs = 0; // scheduled events that still name this message
    Kind kind = Kind::Inbound;
    u8 nrcpt = 0;
    u8 pending = 0; // deliveries of the current attempt not yet logged
    u8 aux = 0;     // per-kind detail: reject reason, SASL failures, pickup user, postscreen variant
    bool tls = false;
    bool postscreen = false;
    bool psNew = false;
    bool dnsWarn = false;
    bool sessionOpen = false;
    bool queued = false;
    bool finished = false;
    bool senderLocal = false;
    bool saslFail = false; // a password-guessing session: AUTH fails, no mail
    bool filterHop = false; // the content filter's re-injection: delivered, never filtered again
};

enum class Step : u8 {
    PsConnect, PsPass, PsAllow, PsDnsbl, PsReject, PsPregreet, PsHangup, PsDisconnect,
    Connect, Tls, Client, Reject, AuthFail, LostConn, Disconnect,
    Pickup, Cleanup, QActive, DConn, DDone, Bounce, Expire, Removed, Retry, Anvil, Filtered
};

struct Ev {
    i64 t;
    u64 seq;
    u32 msg;
    Step step;
    u8 arg;
};

struct EvLater {
    bool operator()(const Ev &a, const Ev &b) const { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
};

struct Options {
    u64 size = 0;
    u64 seed = 1;
    u32 hosts = 1;
    i64 start = 0;
    bool rfc3339 = false;
    std::string utcOffset = "+00:00";
    double rate = 300.0;
    bool stats = false;
    bool contentFilter = false;
    bool saslBurst = false;
    i64 saslBurstStart = 0;
    i64 saslBurstMinutes = 20;
};

struct Stats {
    u64 lines = 0, sessions = 0, messages = 0, sent = 0, deferred = 0, bounced = 0, noqueue = 0,
        expired = 0, ndr = 0, saslFail = 0, pickup = 0;
};

// Share of the peak rate by hour of day (interpolated): quiet night, busy office hours.
constexpr std::array<double, 25> kDiurnal = {0.30, 0.25, 0.22, 0.20, 0.20, 0.24, 0.35, 0.55, 0.80,
                                             0.95, 1.00, 0.98, 0.90, 0.92, 0.97, 1.00, 0.95, 0.85,
                                             0.70, 0.60, 0.52, 0.45, 0.40, 0.35, 0.30};

class Gen {
public:
    explicit Gen(const Options &o)
        : opt_(o), rng_(o.seed), burstRng_(o.seed ^ 0x5A51B0057ULL), out_(std::size_t{8} << 20)
    {
        // A Message-ID made before the first line is written takes the clock's text: the start's,
        // not 14 NUL bytes (seeds 4 and 7 made one so).
        clock_.update(opt_.start);
        buildWorld();
        planSaslBurst();
    }

    void run();
    const Stats &stats() const { return st_; }
    u64 bytes() const { return out_.total(); }

private:
    // --- world ---
    void buildWorld();
    u32 pickRemoteDomain();
    u32 pickLocalDomain() { return rng_.chance(0.8) ? localDoms_[0] : localDoms_[1]; }
    void personLocalPart(FStr<112> &f);
    void remoteAddress(FStr<112> &f, u32 dom);
    void localAddress(FStr<112> &f, u32 dom);
    void setRemoteClient(Msg &m, u32 dom);
    void setSpamClient(Msg &m);
    void setDynamicClient(Msg &m);
    void makeMessageId(Msg &m, u32 dom);
    u32 messageSize();

    // --- processes and queue files ---
    u32 newPid(Host &h)
    {
        h.nextPid += rng_.range(1, 40);
        if (h.nextPid > 4194000)
            h.nextPid = 300 + rng_.below(1000);
        return h.nextPid;
    }
    u32 acquire(Host &h, Pool &p);
    u32 release(Host &h, Pool &p, u32 slot);
    u32 quickPid(Host &h, Pool &p) { return release(h, p, acquire(h, p)); }
    void allocQid(Msg &m, i64 t);
    void freeQid(Msg &m);

    // --- messages and events ---
    u32 newMsg();
    void freeMsg(u32 mi);
    void schedule(i64 t, u32 mi, Step step, u8 arg = 0);
    void arrival(i64 t);
    void backlog(u32 hostIdx);
    void process(const Ev &ev);
    void startAttempt(u32 mi, i64 t, bool retry);
    void finishAttempt(u32 mi, i64 t);
    void createNdr(u32 mi, i64 t);
    void filtered(u32 mi, i64 t);
    double rateAt(i64 t) const;

    // --- the optional SASL burst, apart from everything else ---
    void planSaslBurst();
    void emitSaslBurstUntil(i64 t);

    // --- line writers ---
    void lineStart(i64 t, const Host &h, std::string_view proc, u32 pid) { lineStartAt(clock_, t, h, proc, pid); }
    void lineStartAt(Clock &clock, i64 t, const Host &h, std::string_view proc, u32 pid);
    void lineEnd()
    {
        out_.c('\n');
        ++st_.lines;
    }
    void qidPrefix(const Msg &m)
    {
        out_.s(m.qid.v());
        out_.s(": ");
    }
    void clientRef(const Msg &m)
    {
        out_.s(m.chost.v());
        out_.c('[');
        out_.s(m.cip.v());
        out_.c(']');
    }
    void psClientRef(const Msg &m)
    {
        out_.c('[');
        out_.s(m.cip.v());
        out_.s("]:");
        out_.u(m.port);
    }
    void delay(i64 us);
    // "to=<addr>", and ", orig_to=<alias>" when the recipient came from one.
    void recipientRef(const Rcpt &r)
    {
        out_.s("to=<");
        out_.s(r.addr.v());
        out_.c('>');
        if (!r.origTo.empty()) {
            out_.s(", orig_to=<");
            out_.s(r.origTo.v());
            out_.c('>');
        }
    }
    void outRand(std::string_view alphabet, u32 count)
    {
        randCharsTo([this](char ch) { out_.c(ch); }, rng_, alphabet, count);
    }
    void relayOf(const Msg &m, const Rcpt &r);
    void deliveryLine(u32 mi, u32 ri, i64 t);
    std::string_view smtpdName(const Msg &m) const
    {
        return m.kind == Kind::Submission ? "postfix/submission/smtpd" : "postfix/smtpd";
    }
    Pool &smtpdPool(Host &h, const Msg &m) { return m.kind == Kind::Submission ? h.submission : h.smtpd; }

    const Options &opt_;
    Rng rng_;
    // The burst's lines are drawn from a stream and written with a clock of their own: rng_ and
    // clock_ (whose last second makes some Message-IDs) see exactly what they see without it.
    Rng burstRng_;
    Out out_;
    Clock clock_;
    Clock burstClock_;
    struct BurstLine {
        i64 t;
        u32 pid;
        std::string text;
    };
    std::vector<BurstLine> burst_; // in time order
    std::size_t burstNext_ = 0;
    u64 burstBytes_ = 0; // not counted against --size, so the rest of the log ends where it did
    Stats st_;
    std::vector<Host> hosts_;
    std::vector<Domain> domains_;
    std::vector<u32> remoteWeighted_; // domain indices, repeated by weight
    std::vector<u32> deadDoms_;
    std::array<u32, 2> localDoms_{};
    std::vector<std::string> localUsers_;
    std::deque<Msg> msgs_;
    std::vector<u32> freeMsgs_;
    std::vector<Ev> heap_;     // the next seconds: session and delivery steps
    std::vector<Ev> laterHeap_; // retries and periodic jobs, minutes ahead; kept apart so the
                                // busy heap above stays small
    u64 seq_ = 0;
    bool stopping_ = false;
};

// ----------------------------------------------------------------------------------------------
// World building

void Gen::buildWorld()
{
    auto addDomain = [this](Domain d) {
        domains_.push_back(std::move(d));
        return static_cast<u32>(domains_.size() - 1);
    };
    auto addWeight = [this](u32 idx, u32 w) { remoteWeighted_.insert(remoteWeighted_.end(), w, idx); };

    // Our own domains: example.com delivers over LMTP to Dovecot, example.net through virtual(8).
    {
        Domain d;
        d.name = "example.com";
        d.local = true;
        localDoms_[0] = addDomain(d);
        d.name = "example.net";
        localDoms_[1] = addDomain(d);
    }
    struct Big {
        std::string_view name;
        MxStyle mx;
        RespStyle resp;
        OutStyle out;
        std::string_view mxHost;
        std::string_view mxIp;
        u32 weight;
    };
    static constexpr std::array<Big, 11> bigs = {{
        {"gmail.com", MxStyle::Gmail, RespStyle::Gmail, OutStyle::Google, "gmail-smtp-in.l.google.com", "142.250.102.27", 26},
        {"googlemail.com", MxStyle::Gmail, RespStyle::Gmail, OutStyle::Google, "gmail-smtp-in.l.google.com", "2a00:1450:400c:c0b::1a", 2},
        {"outlook.com", MxStyle::Outlook, RespStyle::Outlook, OutStyle::Outlook, "outlook-com.olc.protection.outlook.com", "52.101.68.8", 6},
        {"hotmail.com", MxStyle::Outlook, RespStyle::Outlook, OutStyle::Outlook, "hotmail-com.olc.protection.outlook.com", "52.101.42.2", 5},
        {"yahoo.com", MxStyle::Yahoo, RespStyle::Yahoo, OutStyle::Yahoo, "mta7.am0.yahoodns.net", "67.195.204.77", 4},
        {"icloud.com", MxStyle::Icloud, RespStyle::PostfixLong, OutStyle::Icloud, "mx01.mail.icloud.com", "17.57.154.33", 3},
        {"gmx.de", MxStyle::Gmx, RespStyle::Gmx, OutStyle::Gmx, "mx00.emig.gmx.net", "212.227.15.9", 2},
        {"web.de", MxStyle::Gmx, RespStyle::Gmx, OutStyle::Gmx, "mx-ha02.web.de", "212.227.17.8", 2},
        {"orange.fr", MxStyle::Own, RespStyle::PostfixShort, OutStyle::Own, "smtp-in.orange.fr", "80.12.24.81", 1},
        {"aol.com", MxStyle::Yahoo, RespStyle::Yahoo, OutStyle::Yahoo, "mx-aol.mail.gm0.yahoodns.net", "67.195.228.106", 1},
        {"proton.me", MxStyle::Own, RespStyle::PostfixShort, OutStyle::Own, "mail.protonmail.ch", "185.70.42.128", 1},
    }};
    for (const Big &b : bigs) {
        Domain d;
        d.name = b.name;
        d.mx = b.mx;
        d.resp = b.resp;
        d.out = b.out;
        d.mxHost = b.mxHost;
        d.mxIp = b.mxIp;
        d.ownHost = "smtp-out." + std::string(b.name);
        d.ownIp = publicIp(rng_);
        addWeight(addDomain(d), b.weight * 4);
    }
    // Companies, each with its own mail setup: self-hosted, Microsoft 365 or Google Workspace.
    std::vector<std::string> seen;
    for (u32 i = 0; i < 320; ++i) {
        std::string name = std::string(rng_.pick(kCoWords)) + std::string(rng_.pick(kCoSuffix)) + "." +
                           std::string(rng_.pick(kTlds));
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            continue;
        seen.push_back(name);
        Domain d;
        d.name = name;
        const double u = rng_.unit();
        if (u < 0.30) {
            d.mx = MxStyle::O365;
            d.resp = RespStyle::Outlook;
            d.out = OutStyle::Outlook;
            std::string dashed = name;
            std::replace(dashed.begin(), dashed.end(), '.', '-');
            d.mxHost = dashed + ".mail.protection.outlook.com";
            d.mxIp = "52.101." + std::to_string(rng_.range(1, 200)) + "." + std::to_string(rng_.range(1, 60));
        } else if (u < 0.52) {
            d.mx = MxStyle::Workspace;
            d.resp = RespStyle::Gmail;
            d.out = OutStyle::Google;
            d.mxHost = "aspmx.l.google.com";
            d.mxIp = rng_.chance(0.5) ? "142.251.9.27" : "2a00:1450:4025:c03::1b";
        } else {
            d.mx = MxStyle::Own;
            d.resp = rng_.chance(0.6) ? RespStyle::PostfixShort : (rng_.chance(0.5) ? RespStyle::PostfixLong : RespStyle::Exim);
            d.out = OutStyle::Own;
            d.mxHost = (rng_.chance(0.5) ? "mx1." : (rng_.chance(0.5) ? "mail." : "smtp.")) + name;
            d.mxIp = publicIp(rng_);
            d.ownHost = (rng_.chance(0.5) ? "mail." : "mx1.") + name;
            d.ownIp = rng_.chance(0.7) ? d.mxIp : publicIp(rng_);
        }
        const u32 idx = addDomain(d);
        addWeight(idx, 1);
        if (d.mx == MxStyle::Own && deadDoms_.size() < 6 && rng_.chance(0.1)) {
            domains_[idx].dead = true;
            deadDoms_.push_back(idx);
        }
    }
    if (deadDoms_.empty()) {
        Domain d;
        d.name = "oldserver-archive.net";
        d.mxHost = "mail.oldserver-archive.net";
        d.mxIp = publicIp(rng_);
        d.ownHost = d.mxHost;
        d.ownIp = d.mxIp;
        d.dead = true;
        deadDoms_.push_back(addDomain(d));
    }

    for (u32 i = 0; i < 600; ++i) {
        std::string u(rng_.pick(kFirst));
        const double v = rng_.unit();
        if (v < 0.6) {
            u += '.';
            u += rng_.pick(kLast);
        } else if (v < 0.8) {
            u += rng_.pick(kLast).substr(0, 1);
        }
        localUsers_.push_back(std::move(u));
    }
    for (std::string_view r : kRoles)
        localUsers_.emplace_back(r);

    hosts_.resize(opt_.hosts);
    for (u32 i = 0; i < opt_.hosts; ++i) {
        Host &h = hosts_[i];
        h.name = "mx" + std::to_string(i + 1);
        h.fqdn = h.name + ".example.com";
        h.ip = "203.0.113." + std::to_string(10 + i % 200);
        h.nextPid = 900 + rng_.below(3000);
        h.qmgrPid = newPid(h);
        h.postscreenPid = newPid(h);
        h.anvilPid = newPid(h);
        h.pickupPid = newPid(h);
        h.nextPid += rng_.range(5000, 200000);
        h.inodeUsed.assign(kInodeSpan / 64, 0);
        h.lmtpTcp = (i % 2) == 1;
        h.cleanup.maxUse = h.bounce.maxUse = 100;
        h.smtp.maxUse = h.lmtp.maxUse = h.local.maxUse = h.virt.maxUse = 100;
    }
}

u32 Gen::pickRemoteDomain()
{
    return remoteWeighted_[rng_.below(static_cast<u32>(remoteWeighted_.size()))];
}

void Gen::personLocalPart(FStr<112> &f)
{
    const std::string_view first = rng_.pick(kFirst);
    const std::string_view last = rng_.pick(kLast);
    const double v = rng_.unit();
    if (v < 0.45) {
        f.s(first).c('.').s(last);
    } else if (v < 0.65) {
        f.s(first).s(last.substr(0, 1));
    } else if (v < 0.8) {
        f.s(first).s(last).u(rng_.range(1, 99));
    } else if (v < 0.9) {
        f.s(first.substr(0, 1)).s(last);
    } else {
        f.s(first).c('_').s(last);
    }
}

void Gen::remoteAddress(FStr<112> &f, u32 dom)
{
    f.clear();
    if (domains_[dom].mx == MxStyle::Own || domains_[dom].mx == MxStyle::O365 || domains_[dom].mx == MxStyle::Workspace) {
        if (rng_.chance(0.2))
            f.s(rng_.pick(kRoles));
        else
            personLocalPart(f);
    } else {
        personLocalPart(f);
    }
    f.c('@').s(domains_[dom].name);
}

void Gen::localAddress(FStr<112> &f, u32 dom)
{
    f.clear();
    // A few hot mailboxes get much of the mail, as in any organisation.
    const u32 n = static_cast<u32>(localUsers_.size());
    const double u = rng_.unit();
    f.s(localUsers_[static_cast<u32>(u * u * u * n) % n]).c('@').s(domains_[dom].name);
}

void Gen::setRemoteClient(Msg &m, u32 dom)
{
    const Domain &d = domains_[dom];
    m.chost.clear();
    m.cip.clear();
    m.helo.clear();
    switch (d.out) {
    case OutStyle::Google: {
        static constexpr std::array<std::string_view, 8> pf = {"wr1", "ej1", "lf1", "wm1", "pl1", "qt1", "yb1", "ed1"};
        const u32 n = rng_.range(41, 235);
        m.chost.s("mail-").s(rng_.pick(pf)).s("-f").u(n).s(".google.com");
        m.cip.s("209.85.").u(rng_.range(128, 255)).c('.').u(n);
        m.helo.s(m.chost.v());
        break;
    }
    case OutStyle::Outlook: {
        static constexpr std::array<std::string_view, 6> pf = {"am6", "db8", "he1", "vi1", "db3", "pa4"};
        const std::string_view p = rng_.pick(pf);
        const u32 region = rng_.range(1, 5);
        const u32 n = rng_.range(10, 250);
        m.chost.s("mail-").s(p).s("eur0").u(region).s("on2").u(rng_.range(100, 139)).s(".outbound.protection.outlook.com");
        m.cip.s("40.107.").u(rng_.range(1, 255)).c('.').u(n);
        m.helo.s("EUR0").u(region).c('-').s(p.substr(0, 2)).s("-obe.outbound.protection.outlook.com");
        for (std::size_t i = 0; i < m.helo.n; ++i) {
            if (m.helo.d[i] >= 'a' && m.helo.d[i] <= 'z' && i < 8)
                m.helo.d[i] = static_cast<char>(m.helo.d[i] - 32);
        }
        break;
    }
    case OutStyle::Yahoo:
        m.chost.s("sonic").u(rng_.range(301, 330)).c('-').u(rng_.range(10, 52)).s(".consmr.mail.ne1.yahoo.com");
        m.cip.s("66.163.").u(rng_.range(184, 191)).c('.').u(rng_.range(1, 254));
        m.helo.s(m.chost.v());
        break;
    case OutStyle::Icloud:
        m.chost.s("qs51p00im-qukt0").u(rng_.range(1, 9)).s("0").u(rng_.range(1, 9)).s("ap.qs.icloud.com");
        m.cip.s("17.57.155.").u(rng_.range(1, 60));
        m.helo.s(m.chost.v());
        break;
    case OutStyle::Gmx:
        m.chost.s("mout.").s(d.name == "web.de" ? "web.de" : "gmx.net");
        m.cip.s("212.227.").u(rng_.range(15, 17)).c('.').u(rng_.range(1, 30));
        m.helo.s(m.chost.v());
        break;
    case OutStyle::Own:
        m.chost.s(d.ownHost);
        m.cip.s(d.ownIp);
        m.helo.s(d.ownHost);
        break;
    }
}

void Gen::setSpamClient(Msg &m)
{
    static constexpr std::array<std::string_view, 8> isps = {"static.vnpt.vn",       "dynamic.ttnet.com.tr",
                                                             "adsl.tpnet.pl",        "dsl.telesp.net.br",
                                                             "pool.ukrtel.net",      "broadband.actcorp.in",
                                                             "rev.poneytelecom.eu",  "ip.secureserver.net"};
    static constexpr std::array<std::string_view, 8> helos = {"User", "ylmf-pc", "localhost", "WIN-3P2A8FKQ1VN",
                                                              "mail.com", "example.com", "admin", "smtp"};
    m.cip.clear();
    const u32 a = publicFirstOctet(rng_), b = rng_.below(256), c = rng_.below(256), d = rng_.range(1, 254);
    m.cip.u(a).c('.').u(b).c('.').u(c).c('.').u(d);
    m.chost.clear();
    m.helo.clear();
    if (rng_.chance(0.55)) {
        m.chost.s("unknown");
        m.dnsWarn = rng_.chance(0.3);
    } else {
        m.chost.u(d).c('.').u(c).c('.').u(b).c('.').u(a).c('.').s(rng_.pick(isps));
    }
    if (rng_.chance(0.5)) {
        m.helo.s(rng_.pick(helos));
    } else if (rng_.chance(0.5)) {
        m.helo.c('[').s(m.cip.v()).c(']');
    } else {
        randChars(m.helo, rng_, kLowerAlnum, rng_.range(5, 10));
        m.helo.s(".").s(rng_.pick(kTlds));
    }
}

// A customer's mail client on a home or mobile connection (submission port).
void Gen::setDynamicClient(Msg &m)
{
    const u32 a = publicFirstOctet(rng_), b = rng_.below(256), c = rng_.below(256), d = rng_.range(1, 254);
    m.cip.clear();
    m.cip.u(a).c('.').u(b).c('.').u(c).c('.').u(d);
    m.chost.clear();
    const double u = rng_.unit();
    if (u < 0.35) {
        static constexpr char hx[] = "0123456789abcdef";
        m.chost.c('p');
        for (u32 x : {a, b, c, d})
            m.chost.c(hx[x >> 4]).c(hx[x & 15]);
        m.chost.s(".dip0.t-ipconnect.de");
    } else if (u < 0.6) {
        m.chost.s("unknown");
    } else if (u < 0.8) {
        m.chost.s("host-").u(a).c('-').u(b).c('-').u(c).c('-').u(d).s(".customer.fibernet-isp.net");
    } else {
        m.chost.u(d).c('.').u(c).c('.').u(b).c('.').u(a).s(".mobile.example-telco.com");
    }
    m.helo.clear();
    m.helo.c('[').s(rng_.chance(0.5) ? std::string_view("192.168.1.") : std::string_view("10.0.0.")).u(rng_.range(2, 250)).c(']');
}

void Gen::makeMessageId(Msg &m, u32 dom)
{
    m.msgid.clear();
    const Domain &d = domains_[dom];
    const double u = rng_.unit();
    if (d.out == OutStyle::Google && u < 0.85) {
        m.msgid.s("CA");
        randChars(m.msgid, rng_, kAlnum, 1);
        m.msgid.c('=');
        randChars(m.msgid, rng_, kAlnum, rng_.range(38, 46));
        m.msgid.s("@mail.gmail.com");
    } else if (d.out == OutStyle::Outlook && u < 0.85) {
        static constexpr std::array<std::string_view, 4> pods = {"AM0PR07MB", "DB9PR03MB", "PAXPR08MB", "VI1PR02MB"};
        const std::string_view pod = rng_.pick(pods);
        const u32 n = rng_.range(1000, 9999);
        m.msgid.s(pod).u(n);
        randChars(m.msgid, rng_, kHexUpper, 24);
        m.msgid.c('@').s(pod).u(n).s(".eurprd0").u(rng_.range(1, 9)).s(".prod.outlook.com");
    } else if (u < 0.35) {
        // RFC 4122 UUID, as many web applications and ESPs use.
        for (u32 g : {8u, 4u, 4u, 4u, 12u}) {
            if (m.msgid.n != 0)
                m.msgid.c('-');
            randChars(m.msgid, rng_, kHexLower, g);
        }
        m.msgid.c('@').s(d.name);
    } else if (u < 0.6) {
        m.msgid.s({clock_.compact.data(), 14});
        m.msgid.c('.');
        randChars(m.msgid, rng_, kHexUpper, 10);
        m.msgid.c('@').s(d.ownHost.empty() ? d.name : std::string_view(d.ownHost));
    } else if (u < 0.8) {
        m.msgid.u(static_cast<u64>(clock_.sec)).c('.');
        randChars(m.msgid, rng_, kLowerAlnum, 16);
        m.msgid.c('@').s(d.name);
    } else {
        randChars(m.msgid, rng_, kAlnum, rng_.range(20, 32));
        m.msgid.c('@').s(d.name);
    }
}

u32 Gen::messageSize()
{
    const double u = rng_.unit();
    if (u < 0.70)
        return static_cast<u32>(rng_.range(1500, 30000));
    if (u < 0.95)
        return static_cast<u32>(rng_.range(30000, 600000));
    return static_cast<u32>(rng_.range(600000, 15000000));
}

// ----------------------------------------------------------------------------------------------
// Process pools and queue ids

u32 Gen::acquire(Host &h, Pool &p)
{
    if (!p.idle.empty()) {
        const u32 s = p.idle.back();
        p.idle.pop_back();
        return s;
    }
    p.slots.push_back({newPid(h), 0});
    return static_cast<u32>(p.slots.size() - 1);
}

u32 Gen::release(Host &h, Pool &p, u32 slot)
{
    Pool::Slot &s = p.slots[slot];
    const u32 pid = s.pid;
    if (++s.uses >= p.maxUse) { // the process exits; master starts a new one when needed
        s.pid = newPid(h);
        s.uses = 0;
    }
    p.idle.push_back(slot);
    return pid;
}

// Postfix's short queue id: the microseconds of the queue file's creation time (5 hex digits)
// followed by the file's inode number in hex. The inode is unique while the file exists.
//
// A whole id comes back when a freed inode is reused in the same microsecond of some later second:
// by chance about once per million queue files. Here one queue file in 20000 takes the id of a
// recently removed one, so that importers meet reused ids even in a 100 MB log.
void Gen::allocQid(Msg &m, i64 t)
{
    Host &h = hosts_[m.host];
    auto used = [&h](u32 i) { return ((h.inodeUsed[i >> 6] >> (i & 63)) & 1) != 0; };
    u32 i = 0;
    auto usec = static_cast<u32>(((t % kSec) + kSec) % kSec);
    bool reused = false;
    if (h.freedCount != 0 && rng_.below(20000) == 0) {
        const u64 e = h.recentlyFreed[rng_.below(std::min<u32>(h.freedCount, 64))];
        i = static_cast<u32>(e >> 20);
        if (!used(i)) {
            usec = static_cast<u32>(e & 0xFFFFF);
            reused = true;
        }
    }
    if (!reused) {
        do {
            i = rng_.below(kInodeSpan);
        } while (used(i));
    }
    h.inodeUsed[i >> 6] |= u64{1} << (i & 63);
    m.inode = i;
    m.qidUsec = usec;
    m.qid.clear();
    for (int sh = 16; sh >= 0; sh -= 4)
        m.qid.c(kHexUpper[(usec >> sh) & 15]);
    const u32 inode = kInodeBase + i;
    int top = 28;
    while (top > 0 && ((inode >> top) & 15) == 0)
        top -= 4;
    for (int sh = top; sh >= 0; sh -= 4)
        m.qid.c(kHexUpper[(inode >> sh) & 15]);
    m.queued = true;
}

void Gen::freeQid(Msg &m)
{
    if (!m.queued)
        return;
    Host &h = hosts_[m.host];
    h.inodeUsed[m.inode >> 6] &= ~(u64{1} << (m.inode & 63));
    h.recentlyFreed[h.freedCount++ % 64] = (u64{m.inode} << 20) | m.qidUsec;
    m.queued = false;
}

u32 Gen::newMsg()
{
    u32 mi = 0;
    if (!freeMsgs_.empty()) {
        mi = freeMsgs_.back();
        freeMsgs_.pop_back();
        msgs_[mi] = Msg{};
    } else {
        msgs_.emplace_back();
        mi = static_cast<u32>(msgs_.size() - 1);
    }
    return mi;
}

void Gen::freeMsg(u32 mi)
{
    freeQid(msgs_[mi]);
    freeMsgs_.push_back(mi);
}

void Gen::schedule(i64 t, u32 mi, Step step, u8 arg)
{
    std::vector<Ev> &h = step == Step::Retry || step == Step::Anvil ? laterHeap_ : heap_;
    h.push_back({t, seq_++, mi, step, arg});
    std::push_heap(h.begin(), h.end(), EvLater{});
    if (mi != UINT32_MAX)
        ++msgs_[mi].refs;
}

double Gen::rateAt(i64 t) const
{
    const i64 tod = ((t % kDay) + kDay) % kDay;
    const double h = static_cast<double>(tod) / static_cast<double>(3600 * kSec);
    const auto i = static_cast<std::size_t>(h);
    const double f = h - static_cast<double>(i);
    return opt_.rate * (kDiurnal[i] * (1.0 - f) + kDiurnal[i + 1] * f);
}

// ----------------------------------------------------------------------------------------------
// Session arrival: decides what this connection will be and schedules its first line.

void Gen::arrival(i64 t)
{
    const u32 mi = newMsg();
    Msg &m = msgs_[mi];
    m.host = opt_.hosts == 1 ? 0 : rng_.below(opt_.hosts);
    m.port = rng_.range(32768, 60999);
    ++st_.sessions;
    const double u = rng_.unit();
    Step first = Step::Connect;

    if (u < 0.05) {
        // smtpd rejects at RCPT TO: no queue file is ever made.
        m.kind = Kind::NoQueue;
        m.aux = static_cast<u8>(rng_.below(100));
        setSpamClient(m);
        const u32 dom = pickRemoteDomain();
        if (rng_.chance(0.6)) {
            remoteAddress(m.sender, dom);
        } else {
            m.sender.clear();
            randChars(m.sender, rng_, kLowerAlnum, rng_.range(5, 10));
            m.sender.c('@');
            randChars(m.sender, rng_, kLowerAlnum, rng_.range(4, 9));
            m.sender.c('.').s(rng_.pick(kTlds));
        }
        m.nrcpt = static_cast<u8>(rng_.chance(0.85) ? 1 : 2);
        for (u32 i = 0; i < m.nrcpt; ++i) {
            if (m.aux >= 40 && m.aux < 65) { // unknown user: a guessed address
                m.r[i].addr.clear();
                randChars(m.r[i].addr, rng_, kLowerAlnum, rng_.range(4, 9));
                m.r[i].addr.c('@').s(domains_[pickLocalDomain()].name);
            } else if (m.aux >= 65 && m.aux < 75) { // relay attempt
                remoteAddress(m.r[i].addr, pickRemoteDomain());
            } else {
                localAddress(m.r[i].addr, pickLocalDomain());
            }
        }
        m.postscreen = rng_.chance(0.7);
        m.psNew = rng_.chance(0.5);
        m.tls = rng_.chance(0.3);
        ++st_.noqueue;
    } else if (u < 0.062) {
        // Password guessing on the submission port (or on port 25).
        m.kind = rng_.chance(0.7) ? Kind::Submission : Kind::Inbound;
        m.saslFail = true;
        m.aux = static_cast<u8>(rng_.chance(0.7) ? 1 : rng_.range(2, 3)); // failed AUTH commands
        setSpamClient(m);
        m.nrcpt = 0;
        m.tls = m.kind == Kind::Submission;
        m.postscreen = m.kind == Kind::Inbound && rng_.chance(0.7);
        m.psNew = rng_.chance(0.3);
        ++st_.saslFail;
    } else if (u < 0.07) {
        // Rejected by postscreen before any smtpd sees it.
        m.kind = Kind::PsOnly;
        m.aux = static_cast<u8>(rng_.below(10));
        setSpamClient(m);
        remoteAddress(m.sender, pickRemoteDomain());
        localAddress(m.r[0].addr, pickLocalDomain());
        first = Step::PsConnect;
    } else {
        // A message that gets queued.
        ++st_.messages;
        const double f = rng_.unit() * 93.0;
        const Fate fate = f < 80.0 ? Fate::Sent : f < 88.0 ? Fate::DeferThenSent : f < 92.0 ? Fate::Bounce : Fate::DeferForever;
        const double o = rng_.unit();
        if (fate == Fate::Sent)
            m.kind = o < 0.55 ? Kind::Inbound : o < 0.83 ? Kind::Submission : o < 0.92 ? Kind::Relay : Kind::Pickup;
        else if (fate == Fate::Bounce)
            m.kind = o < 0.25 ? Kind::Inbound : o < 0.85 ? Kind::Submission : Kind::Relay;
        else
            m.kind = o < 0.75 ? Kind::Submission : Kind::Relay;

        const double nr = rng_.unit();
        m.nrcpt = static_cast<u8>(nr < 0.72 ? 1 : nr < 0.92 ? 2 : 3);
        m.size = messageSize();
        switch (m.kind) {
        case Kind::Inbound: {
            const u32 dom = pickRemoteDomain();
            m.senderDom = dom;
            if (rng_.chance(0.1)) { // bulk sender with a VERP return path
                m.sender.set("bounces+").u(rng_.range(1000000, 9999999)).c('-');
                randChars(m.sender, rng_, kHexLower, 4);
                m.sender.c('-');
                personLocalPart(m.sender);
                m.sender.s("=example.com@em").u(rng_.range(1000, 9999)).c('.').s(domains_[dom].name);
            } else {
                remoteAddress(m.sender, dom);
            }
            setRemoteClient(m, dom);
            makeMessageId(m, dom);
            for (u32 i = 0; i < m.nrcpt; ++i) {
                Rcpt &r = m.r[i];
                r.dom = pickLocalDomain();
                localAddress(r.addr, r.dom);
                r.transport = r.dom == localDoms_[0] ? Transport::Lmtp : Transport::Virtual;
            }
            m.postscreen = rng_.chance(0.85);
            m.psNew = rng_.chance(0.08);
            m.tls = rng_.chance(0.8);
            break;
        }
        case Kind::Submission:
        case Kind::Relay: {
            m.senderDom = pickLocalDomain();
            m.senderLocal = true;
            if (m.kind == Kind::Submission) {
                localAddress(m.sender, m.senderDom);
                m.sasl.set(m.sender.v());
                setDynamicClient(m);
                m.tls = true;
            } else {
                static constexpr std::array<std::string_view, 5> apps = {"web1", "web2", "app1", "nextcloud", "monitor"};
                static constexpr std::array<std::string_view, 5> senders = {"noreply", "wordpress", "no-reply", "nextcloud", "alerts"};
                const u32 a = rng_.below(5);
                m.chost.set(apps[a]).s(".example.com");
                m.cip.set("10.0.").u(a + 1).c('.').u(10 + a);
                m.helo.set(m.chost.v());
                m.sender.set(senders[a]).s("@example.com");
                m.tls = rng_.chance(0.3);
            }
            makeMessageId(m, m.senderDom);
            for (u32 i = 0; i < m.nrcpt; ++i) {
                Rcpt &r = m.r[i];
                if (i == 0 && fate == Fate::DeferForever) {
                    r.dom = deadDoms_[rng_.below(static_cast<u32>(deadDoms_.size()))];
                    remoteAddress(r.addr, r.dom);
                } else if (rng_.chance(0.12) && fate == Fate::Sent) {
                    r.dom = pickLocalDomain();
                    localAddress(r.addr, r.dom);
                } else {
                    r.dom = pickRemoteDomain();
                    remoteAddress(r.addr, r.dom);
                }
                r.transport = !domains_[r.dom].local ? Transport::Smtp
                              : r.dom == localDoms_[0] ? Transport::Lmtp
                                                      : Transport::Virtual;
            }
            break;
        }
        case Kind::Pickup: {
            // Local submission through sendmail(1): cron jobs, scripts, the web server.
            static constexpr std::array<std::string_view, 4> users = {"root", "www-data", "deploy", "nagios"};
            m.aux = static_cast<u8>(rng_.chance(0.6) ? 0 : rng_.range(1, 3));
            m.sender.set(users[m.aux]).c('@').s(hosts_[m.host].fqdn);
            m.senderDom = localDoms_[0];
            m.senderLocal = true;
            m.nrcpt = 1;
            m.size = rng_.range(600, 9000);
            Rcpt &r = m.r[0];
            if (rng_.chance(0.5)) {
                r.transport = Transport::Local;
                r.addr.set("root@").s(hosts_[m.host].fqdn);
                r.origTo.set("root");
                r.dom = localDoms_[0];
            } else {
                r.dom = pickRemoteDomain();
                remoteAddress(r.addr, r.dom);
                r.transport = Transport::Smtp;
            }
            first = Step::Pickup;
            ++st_.pickup;
            break;
        }
        default:
            break;
        }
        for (u32 i = 0; i < m.nrcpt; ++i) {
            Rcpt &r = m.r[i];
            r.fate = i == 0 ? fate : Fate::Sent;
            if (fate == Fate::DeferThenSent && i == 0)
                r.deferralsBeforeSent = static_cast<u8>(rng_.chance(0.8) ? 1 : 2);
            if (fate == Fate::Bounce && i == 0 && r.transport == Transport::Smtp && domains_[r.dom].local)
                r.fate = Fate::Sent;
        }
        if (m.kind == Kind::Relay)
            m.postscreen = true; // port 25 behind postscreen, on its allowlist
        else if (m.kind != Kind::Inbound)
            m.postscreen = false;
    }
    if (m.postscreen && first == Step::Connect)
        first = Step::PsConnect;
    schedule(t, mi, first);
}

// Mail queued before the log starts and still deferred: retried in the first half hour, some
// old enough to expire.
void Gen::backlog(u32 hostIdx)
{
    const i64 start = opt_.start;
    for (u32 k = 0; k < 24; ++k) {
        const u32 mi = newMsg();
        Msg &m = msgs_[mi];
        m.host = hostIdx;
        m.kind = Kind::Backlog;
        m.senderDom = pickLocalDomain();
        m.senderLocal = true;
        localAddress(m.sender, m.senderDom);
        m.nrcpt = 1;
        m.size = messageSize();
        // Spread over five days; four are just about to pass maximal_queue_lifetime and expire
        // at their first retry, in the first ten minutes of the log.
        const bool expiring = k < 4;
        const i64 age = expiring ? kMaxQueueLifetime - rng_.flat(0, 50 * kSec)
                                 : rng_.flat(kDay / 4, kMaxQueueLifetime - 2 * 3600 * kSec);
        m.tQueued = start - age;
        allocQid(m, m.tQueued);
        Rcpt &r = m.r[0];
        r.dom = deadDoms_[rng_.below(static_cast<u32>(deadDoms_.size()))];
        remoteAddress(r.addr, r.dom);
        r.fate = Fate::DeferForever;
        r.state = RState::Deferred;
        r.attempts = 5;
        schedule(start + (expiring ? rng_.flat(60 * kSec, 600 * kSec) : rng_.flat(kSec, 1800 * kSec)), mi, Step::Retry);
    }
}

// ----------------------------------------------------------------------------------------------
// Line writers

void Gen::lineStartAt(Clock &clock, i64 t, const Host &h, std::string_view proc, u32 pid)
{
    out_.reserveLine();
    clock.update(t);
    if (opt_.rfc3339) {
        out_.s({clock.iso.data(), 19});
        out_.c('.');
        const auto usec = static_cast<u32>(((t % kSec) + kSec) % kSec);
        char *&p = out_.cursor();
        u32 v = usec;
        for (int i = 5; i >= 0; --i) {
            p[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        p += 6;
        out_.s(opt_.utcOffset);
    } else {
        out_.s({clock.classic.data(), 15});
    }
    out_.c(' ');
    out_.s(h.name);
    out_.c(' ');
    out_.s(proc);
    out_.c('[');
    out_.u(pid);
    out_.s("]: ");
}

// Postfix prints delays with two significant digits: 0.52, 3.6, 11, 63495; below 10 ms, 0.
void Gen::delay(i64 us)
{
    if (us < 10 * kMs) {
        out_.c('0');
    } else if (us < kSec) {
        const auto cs = static_cast<u32>((us + 5 * kMs) / (10 * kMs));
        if (cs >= 100) {
            out_.c('1');
            return;
        }
        out_.s("0.");
        out_.c(static_cast<char>('0' + cs / 10));
        if (cs % 10 != 0)
            out_.c(static_cast<char>('0' + cs % 10));
    } else if (us < 10 * kSec) {
        const auto ds = static_cast<u32>((us + 50 * kMs) / (100 * kMs));
        out_.u(ds / 10);
        if (ds % 10 != 0) {
            out_.c('.');
            out_.c(static_cast<char>('0' + ds % 10));
        }
    } else {
        out_.u(static_cast<u64>((us + kSec / 2) / kSec));
    }
}

void Gen::relayOf(const Msg &m, const Rcpt &r)
{
    const Domain &d = domains_[r.dom];
    switch (r.transport) {
    case Transport::Smtp:
        out_.s(d.mxHost);
        out_.c('[');
        out_.s(d.mxIp);
        out_.s("]:25");
        break;
    case Transport::Lmtp:
        if (hosts_[m.host].lmtpTcp) {
            out_.s("imap.example.com[10.0.0.20]:24");
        } else {
            out_.s(hosts_[m.host].fqdn);
            out_.s("[private/dovecot-lmtp]");
        }
        break;
    case Transport::Virtual:
        out_.s("virtual");
        break;
    case Transport::Local:
        out_.s("local");
        break;
    }
}

void Gen::deliveryLine(u32 mi, u32 ri, i64 t)
{
    Msg &m = msgs_[mi];
    Rcpt &r = m.r[ri];
    Host &h = hosts_[m.host];
    const Domain &d = domains_[r.dom];
    u32 pid = 0;
    std::string_view proc;
    switch (r.transport) {
    case Transport::Smtp:
        proc = "postfix/smtp";
        pid = r.slot != UINT32_MAX ? release(h, h.smtp, r.slot) : quickPid(h, h.smtp);
        break;
    case Transport::Lmtp:
        proc = "postfix/lmtp";
        pid = quickPid(h, h.lmtp);
        break;
    case Transport::Virtual:
        proc = "postfix/virtual";
        pid = quickPid(h, h.virt);
        break;
    case Transport::Local:
        proc = "postfix/local";
        pid = quickPid(h, h.local);
        break;
    }
    lineStart(t, h, proc, pid);
    qidPrefix(m);
    recipientRef(r);
    out_.s(", relay=");
    const bool noRelay = r.res == Res::DeferTimeout || r.res == Res::DeferSuspended || r.res == Res::BounceNoHost;
    if (noRelay)
        out_.s("none");
    else
        relayOf(m, r);
    const i64 a = m.tActive - m.tQueued;
    out_.s(", delay=");
    delay(a + r.b + r.c + r.d);
    out_.s(", delays=");
    delay(a);
    out_.c('/');
    delay(r.b);
    out_.c('/');
    delay(r.c);
    out_.c('/');
    delay(r.d);
    out_.s(", dsn=");

    // "host mx.example.net[203.0.113.5] said: CODE": the relay without its port.
    auto said = [&](std::string_view code) {
        out_.s("host ");
        if (r.transport == Transport::Smtp) {
            out_.s(d.mxHost);
            out_.c('[');
            out_.s(d.mxIp);
            out_.c(']');
        } else if (hosts_[m.host].lmtpTcp) {
            out_.s("imap.example.com[10.0.0.20]");
        } else {
            relayOf(m, r);
        }
        out_.s(" said: ");
        out_.s(code);
    };
    switch (r.res) {
    case Res::Sent:
        out_.s("2.0.0, status=sent (");
        switch (r.transport) {
        case Transport::Lmtp:
            out_.s("250 2.0.0 <");
            out_.s(r.addr.v());
            out_.s("> ");
            outRand(kAlnum, 22);
            out_.s(" Saved)");
            break;
        case Transport::Virtual:
            out_.s("delivered to maildir)");
            break;
        case Transport::Local:
            out_.s("delivered to mailbox)");
            break;
        case Transport::Smtp:
            switch (d.resp) {
            case RespStyle::Gmail:
                out_.s("250 2.0.0 OK  ");
                out_.u(static_cast<u64>(t / kSec));
                out_.c(' ');
                outRand(kHexLower, 13);
                out_.c('-');
                outRand(kHexLower, 11);
                out_.s("si");
                out_.u(rng_.range(1000000, 9999999));
                outRand(kLowerAlnum.substr(0, 26), 1);
                out_.u(rng_.range(10, 99));
                out_.c('.');
                out_.u(rng_.range(1, 999));
                out_.s(" - gsmtp)");
                break;
            case RespStyle::Outlook:
                out_.s("250 2.6.0 <");
                out_.s(m.msgid.v());
                out_.s("> [InternalId=");
                out_.u(rng_.range(100000000, 999999999));
                out_.u(rng_.range(10000, 99999));
                out_.s(", Hostname=DB9PR0");
                out_.u(rng_.range(1, 9));
                out_.s("MB");
                out_.u(rng_.range(1000, 9999));
                out_.s(".eurprd0");
                out_.u(rng_.range(1, 9));
                out_.s(".prod.outlook.com] ");
                out_.u(m.size + rng_.range(3000, 9000));
                out_.s(" bytes in 0.");
                out_.u(rng_.range(100, 999));
                out_.s(", ");
                out_.u(rng_.range(10, 999));
                out_.s(".");
                out_.u(rng_.range(100, 999));
                out_.s(" KB/sec Queued mail for delivery)");
                break;
            case RespStyle::Yahoo:
                out_.s("250 ok dirdel)");
                break;
            case RespStyle::PostfixShort: {
                out_.s("250 2.0.0 Ok: queued as ");
                outRand(kHexUpper, rng_.range(10, 11));
                out_.c(')');
                break;
            }
            case RespStyle::PostfixLong:
                out_.s("250 2.0.0 Ok: queued as 4d");
                outRand(kAlnum, 13);
                out_.c(')');
                break;
            case RespStyle::Exim:
                out_.s("250 OK id=1v");
                outRand(kAlnum, 4);
                out_.s("-00");
                outRand(kAlnum, 4);
                out_.c('-');
                outRand(kAlnum, 2);
                out_.c(')');
                break;
            case RespStyle::Gmx:
                out_.s("250 Requested mail action okay, completed: id=1M");
                outRand(kAlnum, 6);
                out_.s("-1w");
                outRand(kAlnum, 8);
                out_.c(')');
                break;
            }
            break;
        }
        ++st_.sent;
        break;
    case Res::DeferGrey:
        out_.s("4.2.0, status=deferred (");
        said("450 4.2.0 <");
        out_.s(r.addr.v());
        out_.s(">: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/");
        out_.s(d.name);
        out_.s(".html (in reply to RCPT TO command))");
        ++st_.deferred;
        break;
    case Res::DeferTryLater:
        out_.s("4.7.1, status=deferred (");
        said("451 4.7.1 <");
        out_.s(r.addr.v());
        out_.s(">: Please try again later (in reply to RCPT TO command))");
        ++st_.deferred;
        break;
    case Res::DeferTimeout:
        out_.s("4.4.1, status=deferred (connect to ");
        out_.s(d.mxHost);
        out_.c('[');
        out_.s(d.mxIp);
        out_.s("]:25: Connection timed out)");
        ++st_.deferred;
        break;
    case Res::DeferSuspended:
        out_.s("4.4.1, status=deferred (delivery temporarily suspended: connect to ");
        out_.s(d.mxHost);
        out_.c('[');
        out_.s(d.mxIp);
        out_.s("]:25: Connection timed out)");
        ++st_.deferred;
        break;
    case Res::DeferLost:
        out_.s("4.4.2, status=deferred (lost connection with ");
        out_.s(d.mxHost);
        out_.c('[');
        out_.s(d.mxIp);
        out_.s("] while sending RCPT TO)");
        ++st_.deferred;
        break;
    case Res::BounceUser:
        out_.s("5.1.1, status=bounced (");
        if (d.resp == RespStyle::Gmail) {
            said("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
                 "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
                 "For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ");
            outRand(kHexLower, 13);
            out_.s("si");
            out_.u(rng_.range(1000000, 9999999));
            out_.s(".123 - gsmtp (in reply to RCPT TO command))");
        } else if (d.resp == RespStyle::Outlook) {
            said("550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [");
            out_.s("AM4PEPF00027A6");
            out_.u(rng_.range(1, 9));
            out_.s(".eurprd04.prod.outlook.com ");
            out_.s({clock_.iso.data(), 19});
            out_.c('.');
            out_.u(rng_.range(100, 999));
            out_.s("Z 08DD");
            outRand(kHexUpper, 12);
            out_.s("] (in reply to RCPT TO command))");
        } else {
            said("550 5.1.1 <");
            out_.s(r.addr.v());
            out_.s(">: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))");
        }
        ++st_.bounced;
        break;
    case Res::BounceNoHost:
        out_.s("5.4.4, status=bounced (Host or domain name not found. Name service error for name=");
        out_.s(d.name);
        out_.s(" type=AAAA: Host not found)");
        ++st_.bounced;
        break;
    case Res::BounceLocal:
        if (r.transport == Transport::Virtual) {
            out_.s("5.2.2, status=bounced (maildir delivery failed: Disk quota exceeded)");
        } else {
            out_.s("5.2.2, status=bounced (");
            said("552 5.2.2 <");
            out_.s(r.addr.v());
            out_.s("> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))");
        }
        ++st_.bounced;
        break;
    }
    lineEnd();
}

// ----------------------------------------------------------------------------------------------
// Deliveries

// qmgr has just moved the message to the active queue: decide each pending recipient's result
// for this attempt and schedule its lines.
void Gen::startAttempt(u32 mi, i64 t, bool retry)
{
    Msg &m = msgs_[mi];
    m.tActive = t;
    m.pending = 0;
    for (u32 i = 0; i < m.nrcpt; ++i) {
        Rcpt &r = m.r[i];
        if (retry ? r.state != RState::Deferred : r.state != RState::Pending)
            continue;
        r.state = RState::Pending;
        ++r.attempts;
        ++m.pending;
        r.b = rng_.dur(0, 40 * kMs);
        r.slot = UINT32_MAX;
        switch (r.fate) {
        case Fate::Sent:
            r.res = Res::Sent;
            break;
        case Fate::DeferThenSent:
            if (r.attempts > r.deferralsBeforeSent) {
                r.res = Res::Sent;
            } else {
                // Greylisting and dead or flaky servers are a small-site affair; big providers
                // only ask to come back later.
                const double u = rng_.unit();
                if (domains_[r.dom].mx != MxStyle::Own)
                    r.res = Res::DeferTryLater;
                else
                    r.res = u < 0.6 ? Res::DeferGrey : u < 0.75 ? Res::DeferTryLater : u < 0.9 ? Res::DeferTimeout : Res::DeferLost;
            }
            break;
        case Fate::Bounce:
            if (r.transport != Transport::Smtp)
                r.res = Res::BounceLocal;
            else
                r.res = rng_.chance(0.12) ? Res::BounceNoHost : Res::BounceUser;
            break;
        case Fate::DeferForever:
            r.res = (r.attempts > 1 && rng_.chance(0.5)) || rng_.chance(0.25) ? Res::DeferSuspended : Res::DeferTimeout;
            break;
        }
        switch (r.res) {
        case Res::DeferTimeout:
            r.c = 30 * kSec + rng_.dur(0, 50 * kMs);
            r.d = 0;
            break;
        case Res::DeferSuspended:
        case Res::BounceNoHost:
            r.b = rng_.dur(0, 5 * kMs);
            r.c = rng_.dur(0, 20 * kMs);
            r.d = 0;
            break;
        default:
            if (r.transport == Transport::Smtp) {
                r.c = rng_.dur(15 * kMs, 900 * kMs);
                r.d = r.res == Res::Sent ? rng_.dur(20 * kMs, 400 * kMs) + m.size / 20 * kUs
                                         : rng_.dur(5 * kMs, 300 * kMs);
            } else if (r.transport == Transport::Local) {
                r.c = 0;
                r.d = rng_.dur(2 * kMs, 60 * kMs);
            } else {
                r.c = rng_.dur(0, 12 * kMs);
                r.d = rng_.dur(8 * kMs, 250 * kMs) + m.size / 100 * kUs;
            }
            break;
        }
        const i64 tConn = t + r.b + r.c;
        // TLS line of the smtp client when it has a session with the remote server.
        const bool connects = r.transport == Transport::Smtp && r.res != Res::DeferTimeout &&
                              r.res != Res::DeferSuspended && r.res != Res::BounceNoHost;
        if (connects && rng_.chance(0.7))
            schedule(tConn, mi, Step::DConn, static_cast<u8>(i));
        schedule(tConn + r.d, mi, Step::DDone, static_cast<u8>(i));
    }
}

void Gen::finishAttempt(u32 mi, i64 t)
{
    Msg &m = msgs_[mi];
    bool anyDeferred = false;
    bool anyBounced = false;
    for (u32 i = 0; i < m.nrcpt; ++i) {
        anyDeferred = anyDeferred || m.r[i].state == RState::Deferred;
        anyBounced = anyBounced || m.r[i].bouncedNow;
        m.r[i].bouncedNow = false;
    }
    if (anyDeferred && t - m.tQueued > kMaxQueueLifetime) {
        schedule(t + rng_.dur(100 * kUs, 3 * kMs), mi, Step::Expire);
        return;
    }
    if (anyBounced && !m.sender.empty()) {
        schedule(t + rng_.dur(2 * kMs, 25 * kMs), mi, Step::Bounce);
        return;
    }
    if (anyDeferred) {
        // Postfix backoff: 300 s doubled per attempt up to 4000 s, found by a queue run.
        u32 attempts = 1;
        for (u32 i = 0; i < m.nrcpt; ++i)
            attempts = std::max<u32>(attempts, m.r[i].attempts);
        const i64 backoff = std::min<i64>(4000 * kSec, (300 * kSec) << std::min<u32>(attempts - 1, 4));
        schedule(t + backoff + rng_.flat(0, 300 * kSec), mi, Step::Retry);
        return;
    }
    schedule(t + rng_.dur(200 * kUs, 4 * kMs), mi, Step::Removed);
}

// The bounce daemon writes a notification to the sender: a new message with a null sender.
void Gen::createNdr(u32 mi, i64 t)
{
    const u32 ni = newMsg();
    Msg &orig = msgs_[mi];
    Msg &n = msgs_[ni];
    n.host = orig.host;
    n.kind = Kind::Ndr;
    n.nrcpt = 1;
    n.size = std::min<u32>(orig.size, 200000) + rng_.range(2500, 4500);
    n.tQueued = t;
    Rcpt &r = n.r[0];
    r.addr.set(orig.sender.v());
    r.dom = orig.senderDom;
    r.transport = !orig.senderLocal ? Transport::Smtp : r.dom == localDoms_[0] ? Transport::Lmtp : Transport::Virtual;
    r.fate = rng_.chance(0.95) ? Fate::Sent : Fate::DeferThenSent;
    allocQid(n, t);
    clock_.update(t);
    n.msgid.set({clock_.compact.data(), 14}).c('.').s(n.qid.v()).c('@').s(hosts_[n.host].fqdn);
    ++st_.ndr;

    Host &h = hosts_[n.host];
    lineStart(t, h, "postfix/cleanup", quickPid(h, h.cleanup));
    qidPrefix(n);
    out_.s("message-id=<");
    out_.s(n.msgid.v());
    out_.c('>');
    lineEnd();

    lineStart(t, h, "postfix/bounce", quickPid(h, h.bounce));
    qidPrefix(orig);
    out_.s("sender non-delivery notification: ");
    out_.s(n.qid.v());
    lineEnd();
    schedule(t + rng_.dur(300 * kUs, 5 * kMs), ni, Step::QActive);
}

// The content filter (amavis) has scanned a message: it re-injects it into the smtpd on port 10025
// (a new queue file: the message's second hop, delivered as the first would have been), logs its
// verdict, and answers the first hop's delivery "250 ... queued as" the new id, for each recipient.
// The lines are those of tests/data/postfix/golden/postfix-3.10.13-companions.log.
void Gen::filtered(u32 mi, i64 t)
{
    const u32 ni = newMsg();
    Msg &m = msgs_[mi]; // std::deque: a new element leaves the others where they are
    Msg &n = msgs_[ni];
    Host &h = hosts_[m.host];
    n.host = m.host;
    n.kind = m.kind;
    n.filterHop = true;
    n.sender = m.sender;
    n.senderDom = m.senderDom;
    n.senderLocal = m.senderLocal;
    n.msgid = m.msgid;
    n.nrcpt = m.nrcpt;
    n.size = m.size + rng_.range(150, 900); // the filter's headers
    n.chost.set("localhost");
    n.cip.set("127.0.0.1");
    for (u32 i = 0; i < m.nrcpt; ++i) {
        n.r[i] = m.r[i];
        n.r[i].state = RState::Pending;
        n.r[i].attempts = 0;
        n.r[i].slot = UINT32_MAX;
    }
    allocQid(n, t);
    n.tQueued = t;

    const u32 smtpdPid = quickPid(h, h.smtpd);
    lineStart(t, h, "postfix/smtpd", smtpdPid);
    out_.s("connect from localhost[127.0.0.1]");
    lineEnd();
    lineStart(t, h, "postfix/smtpd", smtpdPid);
    qidPrefix(n);
    out_.s("client=localhost[127.0.0.1], orig_queue_id=");
    out_.s(m.qid.v());
    if (!m.cip.empty()) { // not for mail from pickup
        out_.s(", orig_client=");
        clientRef(m);
    }
    lineEnd();
    lineStart(t, h, "postfix/cleanup", quickPid(h, h.cleanup));
    qidPrefix(n);
    out_.s("message-id=<");
    out_.s(n.msgid.v());
    out_.c('>');
    lineEnd();

    const i64 scan = t - m.tActive;
    lineStart(t, h, "amavis", 20000 + m.host * 16 + rng_.below(8));
    out_.s("(0");
    out_.u(rng_.range(1000, 9999));
    out_.s("-0");
    out_.u(rng_.range(1, 9));
    out_.s(") Passed CLEAN {RelayedInbound}, ");
    if (m.cip.empty()) {
        out_.s("LOCAL [127.0.0.1]:");
        out_.u(rng_.range(32768, 60999));
    } else {
        out_.c('[');
        out_.s(m.cip.v());
        out_.s("]:");
        out_.u(m.port);
    }
    out_.s(" <");
    out_.s(m.sender.v());
    out_.s("> -> ");
    for (u32 i = 0; i < m.nrcpt; ++i) {
        if (i > 0)
            out_.c(',');
        out_.c('<');
        out_.s(m.r[i].addr.v());
        out_.c('>');
    }
    out_.s(", Queue-ID: ");
    out_.s(m.qid.v());
    out_.s(", Message-ID: <");
    out_.s(m.msgid.v());
    out_.s(">, mail_id: ");
    outRand(kLowerAlnum, 12);
    out_.s(", Hits: -");
    out_.u(rng_.range(0, 3));
    out_.s(", size: ");
    out_.u(m.size);
    out_.s(", queued_as: ");
    out_.s(n.qid.v());
    out_.s(", ");
    out_.u(static_cast<u64>(scan / kMs));
    out_.s(" ms");
    lineEnd();

    const u32 smtpPid = quickPid(h, h.smtp);
    const i64 a = m.tActive - m.tQueued;
    for (u32 i = 0; i < m.nrcpt; ++i) {
        const Rcpt &r = m.r[i];
        lineStart(t, h, "postfix/smtp", smtpPid);
        qidPrefix(m);
        recipientRef(r);
        out_.s(", relay=127.0.0.1[127.0.0.1]:10024, delay=");
        delay(a + scan);
        out_.s(", delays=");
        delay(a);
        out_.s("/0/0/");
        delay(scan);
        out_.s(", dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ");
        out_.s(n.qid.v());
        out_.c(')');
        lineEnd();
    }
    lineStart(t, h, "postfix/smtpd", smtpdPid);
    out_.s("disconnect from localhost[127.0.0.1] ehlo=1 xforward=1 mail=1 rcpt=");
    out_.u(m.nrcpt);
    out_.s(" data=1 quit=1 commands=");
    out_.u(5 + m.nrcpt);
    lineEnd();
    schedule(t + rng_.dur(200 * kUs, 4 * kMs), mi, Step::Removed);
    schedule(t + rng_.dur(300 * kUs, 20 * kMs), ni, Step::QActive);
}

// ----------------------------------------------------------------------------------------------
// The state machine

void Gen::process(const Ev &ev)
{
    const i64 t = ev.t;
    if (ev.step == Step::Anvil) {
        Host &h = hosts_[ev.arg];
        if (stopping_)
            return;
        clock_.update(t - rng_.flat(0, std::min<i64>(500 * kSec, t - opt_.start)));
        char when[16];
        std::memcpy(when, clock_.classic.data(), 16);
        const u32 hi = publicFirstOctet(rng_);
        lineStart(t, h, "postfix/anvil", h.anvilPid);
        out_.s("statistics: max connection rate ");
        out_.u(rng_.range(3, 40));
        out_.s("/60s for (smtp:");
        out_.u(hi);
        out_.s(".");
        out_.u(rng_.below(256));
        out_.s(".");
        out_.u(rng_.below(256));
        out_.s(".");
        out_.u(rng_.range(1, 254));
        out_.s(") at ");
        out_.s({when, 15});
        lineEnd();
        lineStart(t, h, "postfix/anvil", h.anvilPid);
        out_.s("statistics: max connection count ");
        out_.u(rng_.range(2, 12));
        out_.s(" for (smtp:");
        out_.u(hi);
        out_.s(".");
        out_.u(rng_.below(256));
        out_.s(".");
        out_.u(rng_.below(256));
        out_.s(".");
        out_.u(rng_.range(1, 254));
        out_.s(") at ");
        out_.s({when, 15});
        lineEnd();
        lineStart(t, h, "postfix/anvil", h.anvilPid);
        out_.s("statistics: max cache size ");
        out_.u(rng_.range(20, 400));
        out_.s(" at ");
        out_.s({when, 15});
        lineEnd();
        schedule(t + 600 * kSec + rng_.flat(0, 5 * kSec), UINT32_MAX, Step::Anvil, ev.arg);
        return;
    }

    const u32 mi = ev.msg;
    {
        Msg &m0 = msgs_[mi];
        --m0.refs;
        if (stopping_ && ev.step == Step::Retry) { // the queue keeps it: still deferred at the end
            if (m0.refs == 0)
                freeMsg(mi);
            return;
        }
    }
    Msg &m = msgs_[mi];
    Host &h = hosts_[m.host];
    const bool saslFail = m.saslFail;

    switch (ev.step) {
    case Step::PsConnect:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("CONNECT from ");
        psClientRef(m);
        out_.s(" to [");
        out_.s(h.ip);
        out_.s("]:25");
        lineEnd();
        if (m.kind == Kind::PsOnly) {
            if (m.aux < 6)
                schedule(t + rng_.dur(20 * kMs, 400 * kMs), mi, Step::PsDnsbl);
            else if (m.aux < 8)
                schedule(t + rng_.dur(5 * kMs, 900 * kMs), mi, Step::PsPregreet);
            else
                schedule(t + rng_.dur(100 * kMs, 5 * kSec), mi, Step::PsHangup);
        } else if (m.kind == Kind::Relay) {
            schedule(t + rng_.dur(50 * kUs, 500 * kUs), mi, Step::PsAllow);
        } else {
            schedule(t + (m.psNew ? 6 * kSec + rng_.dur(0, 200 * kMs) : rng_.dur(100 * kUs, 2 * kMs)), mi, Step::PsPass);
        }
        break;
    case Step::PsPass:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s(m.psNew ? "PASS NEW " : "PASS OLD ");
        psClientRef(m);
        lineEnd();
        schedule(t + rng_.dur(300 * kUs, 4 * kMs), mi, Step::Connect);
        break;
    case Step::PsAllow:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("ALLOWLISTED ");
        psClientRef(m);
        lineEnd();
        schedule(t + rng_.dur(300 * kUs, 4 * kMs), mi, Step::Connect);
        break;
    case Step::PsDnsbl:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("DNSBL rank ");
        out_.u(rng_.range(3, 9));
        out_.s(" for ");
        psClientRef(m);
        lineEnd();
        schedule(t + 6 * kSec + rng_.dur(0, 2 * kSec), mi, Step::PsReject);
        break;
    case Step::PsReject:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("NOQUEUE: reject: RCPT from ");
        psClientRef(m);
        out_.s(": 550 5.7.1 Service unavailable; client [");
        out_.s(m.cip.v());
        out_.s("] blocked using zen.spamhaus.org; from=<");
        out_.s(m.sender.v());
        out_.s(">, to=<");
        out_.s(m.r[0].addr.v());
        out_.s(">, proto=ESMTP, helo=<");
        out_.s(m.helo.v());
        out_.s(">");
        lineEnd();
        schedule(t + rng_.dur(20 * kMs, 900 * kMs), mi, Step::PsDisconnect);
        break;
    case Step::PsPregreet:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("PREGREET ");
        out_.u(6 + m.helo.n);
        out_.s(" after 0.");
        out_.d2(rng_.range(1, 99));
        out_.s(" from ");
        psClientRef(m);
        out_.s(": EHLO ");
        out_.s(m.helo.v());
        out_.s("\\r\\n");
        lineEnd();
        schedule(t + rng_.dur(1 * kMs, 20 * kMs), mi, Step::PsDisconnect);
        break;
    case Step::PsHangup:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("HANGUP after ");
        out_.u(rng_.below(5));
        out_.c('.');
        out_.d2(rng_.range(1, 99));
        out_.s(" from ");
        psClientRef(m);
        out_.s(" in tests before SMTP handshake");
        lineEnd();
        schedule(t + rng_.dur(100 * kUs, 2 * kMs), mi, Step::PsDisconnect);
        break;
    case Step::PsDisconnect:
        lineStart(t, h, "postfix/postscreen", h.postscreenPid);
        out_.s("DISCONNECT ");
        psClientRef(m);
        lineEnd();
        m.finished = true;
        break;

    case Step::Connect: {
        m.smtpdSlot = acquire(h, smtpdPool(h, m));
        m.sessionOpen = true;
        const u32 pid = smtpdPool(h, m).slots[m.smtpdSlot].pid;
        if (m.dnsWarn) {
            lineStart(t, h, smtpdName(m), pid);
            out_.s("warning: hostname ");
            out_.s(m.cip.v());
            for (char &ch : std::span(out_.cursor() - m.cip.n, m.cip.n))
                ch = ch == '.' ? '-' : ch;
            out_.s(".static.ip-broadband.net does not resolve to address ");
            out_.s(m.cip.v());
            out_.s(": Name or service not known");
            lineEnd();
        }
        lineStart(t, h, smtpdName(m), pid);
        out_.s("connect from ");
        clientRef(m);
        lineEnd();
        const Step next = saslFail ? Step::AuthFail : m.kind == Kind::NoQueue ? Step::Reject : Step::Client;
        if (m.tls)
            schedule(t + rng_.dur(40 * kMs, 400 * kMs), mi, Step::Tls);
        else
            schedule(t + rng_.dur(60 * kMs, 1200 * kMs), mi, next);
        break;
    }
    case Step::Tls: {
        static constexpr std::array<std::string_view, 3> ciphers = {
            "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
            "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
            "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)"};
        lineStart(t, h, smtpdName(m), smtpdPool(h, m).slots[m.smtpdSlot].pid);
        out_.s("Anonymous TLS connection established from ");
        clientRef(m);
        out_.s(": ");
        out_.s(ciphers[rng_.chance(0.75) ? 0 : rng_.range(1, 2)]);
        lineEnd();
        const Step next = saslFail ? Step::AuthFail : m.kind == Kind::NoQueue ? Step::Reject : Step::Client;
        schedule(t + rng_.dur(40 * kMs, 900 * kMs), mi, next);
        break;
    }
    case Step::Client:
        allocQid(m, t);
        m.tQueued = t;
        lineStart(t, h, smtpdName(m), smtpdPool(h, m).slots[m.smtpdSlot].pid);
        qidPrefix(m);
        out_.s("client=");
        clientRef(m);
        if (!m.sasl.empty()) {
            out_.s(rng_.chance(0.7) ? std::string_view(", sasl_method=PLAIN") : std::string_view(", sasl_method=LOGIN"));
            out_.s(", sasl_username=");
            out_.s(m.sasl.v());
        }
        lineEnd();
        schedule(t + rng_.dur(20 * kMs, 600 * kMs) + m.size / 50 * kUs, mi, Step::Cleanup);
        break;
    case Step::Pickup:
        allocQid(m, t);
        m.tQueued = t;
        lineStart(t, h, "postfix/pickup", h.pickupPid);
        qidPrefix(m);
        {
            static constexpr std::array<std::string_view, 4> users = {"root", "www-data", "deploy", "nagios"};
            static constexpr std::array<u32, 4> uids = {0, 33, 1000, 112};
            out_.s("uid=");
            out_.u(uids[m.aux]);
            out_.s(" from=<");
            out_.s(users[m.aux]);
            out_.c('>');
        }
        lineEnd();
        clock_.update(t);
        m.msgid.set({clock_.compact.data(), 14}).c('.').s(m.qid.v()).c('@').s(h.fqdn);
        schedule(t + rng_.dur(1 * kMs, 30 * kMs), mi, Step::Cleanup);
        break;
    case Step::Cleanup:
        lineStart(t, h, "postfix/cleanup", quickPid(h, h.cleanup));
        qidPrefix(m);
        out_.s("message-id=<");
        out_.s(m.msgid.v());
        out_.c('>');
        lineEnd();
        schedule(t + rng_.dur(300 * kUs, 20 * kMs), mi, Step::QActive);
        if (m.sessionOpen)
            schedule(t + rng_.dur(2 * kMs, 350 * kMs), mi, Step::Disconnect);
        break;
    case Step::QActive:
    case Step::Retry: {
        const bool retry = ev.step == Step::Retry;
        u32 n = 0;
        for (u32 i = 0; i < m.nrcpt; ++i)
            n += retry ? (m.r[i].state == RState::Deferred ? 1 : 0) : 1;
        lineStart(t, h, "postfix/qmgr", h.qmgrPid);
        qidPrefix(m);
        out_.s("from=<");
        out_.s(m.sender.v());
        out_.s(">, size=");
        out_.u(m.size);
        out_.s(", nrcpt=");
        out_.u(n);
        out_.s(" (queue active)");
        lineEnd();
        // The filter's scan takes a moment; everything the filter does is written then, in time
        // order with the other lines.
        if (!retry && opt_.contentFilter && !m.filterHop && m.kind != Kind::Ndr && m.kind != Kind::Backlog) {
            m.tActive = t;
            schedule(t + rng_.dur(40 * kMs, 2500 * kMs), mi, Step::Filtered);
            break;
        }
        startAttempt(mi, t, retry);
        break;
    }
    case Step::Filtered: {
        filtered(mi, t);
        break;
    }
    case Step::DConn: {
        Rcpt &r = m.r[ev.arg];
        r.slot = acquire(h, h.smtp);
        const Domain &d = domains_[r.dom];
        lineStart(t, h, "postfix/smtp", h.smtp.slots[r.slot].pid);
        out_.s(d.mx == MxStyle::Own && rng_.chance(0.4) ? std::string_view("Untrusted") : std::string_view("Trusted"));
        out_.s(" TLS connection established to ");
        out_.s(d.mxHost);
        out_.c('[');
        out_.s(d.mxIp);
        out_.s("]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256");
        lineEnd();
        break;
    }
    case Step::DDone: {
        Rcpt &r = m.r[ev.arg];
        deliveryLine(mi, ev.arg, t);
        r.slot = UINT32_MAX;
        r.bouncedNow = r.res == Res::BounceUser || r.res == Res::BounceNoHost || r.res == Res::BounceLocal;
        const bool deferred = r.res == Res::DeferGrey || r.res == Res::DeferTryLater || r.res == Res::DeferTimeout ||
                              r.res == Res::DeferSuspended || r.res == Res::DeferLost;
        r.state = deferred ? RState::Deferred : RState::Done;
        if (--m.pending == 0)
            finishAttempt(mi, t);
        break;
    }
    case Step::Expire:
        lineStart(t, h, "postfix/qmgr", h.qmgrPid);
        qidPrefix(m);
        out_.s("from=<");
        out_.s(m.sender.v());
        out_.s(">, status=expired, returned to sender");
        lineEnd();
        ++st_.expired;
        if (!m.sender.empty())
            createNdr(mi, t);
        schedule(t + rng_.dur(20 * kMs, 40 * kMs), mi, Step::Removed);
        break;
    case Step::Bounce: {
        createNdr(mi, t);
        bool anyDeferred = false;
        for (u32 i = 0; i < m.nrcpt; ++i)
            anyDeferred = anyDeferred || msgs_[mi].r[i].state == RState::Deferred;
        if (anyDeferred)
            schedule(t + 300 * kSec + rng_.flat(0, 300 * kSec), mi, Step::Retry);
        else
            schedule(t + rng_.dur(2 * kMs, 8 * kMs), mi, Step::Removed);
        break;
    }
    case Step::Removed:
        lineStart(t, h, "postfix/qmgr", h.qmgrPid);
        qidPrefix(m);
        out_.s("removed");
        lineEnd();
        freeQid(m);
        m.finished = true;
        break;

    case Step::Reject: {
        static constexpr std::array<std::string_view, 3> blocklists = {"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org"};
        const u32 pid = smtpdPool(h, m).slots[m.smtpdSlot].pid;
        {
            const u32 i = ev.arg;
            lineStart(t, h, smtpdName(m), pid);
            out_.s("NOQUEUE: reject: RCPT from ");
            clientRef(m);
            out_.s(": ");
            const u32 why = m.aux;
            if (why < 40) {
                out_.s("554 5.7.1 Service unavailable; Client host [");
                out_.s(m.cip.v());
                out_.s("] blocked using ");
                const std::string_view bl = blocklists[why < 30 ? 0 : why < 36 ? 1 : 2];
                out_.s(bl);
                if (bl == blocklists[0]) {
                    out_.s("; https://www.spamhaus.org/query/ip/");
                    out_.s(m.cip.v());
                }
            } else if (why < 65) {
                out_.s("550 5.1.1 <");
                out_.s(m.r[i].addr.v());
                out_.s(">: Recipient address rejected: User unknown in virtual mailbox table");
            } else if (why < 75) {
                out_.s("454 4.7.1 <");
                out_.s(m.r[i].addr.v());
                out_.s(">: Relay access denied");
            } else if (why < 85) {
                out_.s("504 5.5.2 <");
                out_.s(m.helo.v());
                out_.s(">: Helo command rejected: need fully-qualified hostname");
            } else if (why < 95) {
                out_.s("450 4.7.25 Client host rejected: cannot find your hostname, [");
                out_.s(m.cip.v());
                out_.c(']');
            } else {
                out_.s("450 4.1.8 <");
                out_.s(m.sender.v());
                out_.s(">: Sender address rejected: Domain not found");
            }
            out_.s("; from=<");
            out_.s(m.sender.v());
            out_.s("> to=<");
            out_.s(m.r[i].addr.v());
            out_.s("> proto=ESMTP helo=<");
            out_.s(m.helo.v());
            out_.c('>');
            lineEnd();
        }
        if (ev.arg + 1u < m.nrcpt)
            schedule(t + rng_.dur(5 * kMs, 60 * kMs), mi, Step::Reject, static_cast<u8>(ev.arg + 1));
        else
            schedule(t + rng_.dur(30 * kMs, 2 * kSec), mi, Step::Disconnect);
        break;
    }
    case Step::AuthFail: {
        lineStart(t, h, smtpdName(m), smtpdPool(h, m).slots[m.smtpdSlot].pid);
        out_.s("warning: ");
        clientRef(m);
        out_.s(m.kind == Kind::Inbound ? std::string_view(": SASL PLAIN authentication failed: ")
                                       : std::string_view(": SASL LOGIN authentication failed: UGFzc3dvcmQ6"));
        lineEnd();
        if (ev.arg + 1u < m.aux)
            schedule(t + rng_.dur(1500 * kMs, 3 * kSec), mi, Step::AuthFail, static_cast<u8>(ev.arg + 1));
        else
            schedule(t + rng_.dur(5 * kMs, 300 * kMs), mi, Step::LostConn);
        break;
    }
    case Step::LostConn:
        lineStart(t, h, smtpdName(m), smtpdPool(h, m).slots[m.smtpdSlot].pid);
        out_.s("lost connection after AUTH from ");
        clientRef(m);
        lineEnd();
        schedule(t + rng_.dur(100 * kUs, 2 * kMs), mi, Step::Disconnect);
        break;
    case Step::Disconnect: {
        Pool &pool = smtpdPool(h, m);
        const u32 pid = release(h, pool, m.smtpdSlot);
        m.sessionOpen = false;
        lineStart(t, h, smtpdName(m), pid);
        out_.s("disconnect from ");
        clientRef(m);
        if (saslFail) {
            const u32 fails = m.aux;
            out_.s(" ehlo=");
            out_.u(m.tls ? 2 : 1);
            if (m.tls)
                out_.s(" starttls=1");
            out_.s(" auth=0/");
            out_.u(fails);
            out_.s(" commands=");
            out_.u(m.tls ? 3 : 1);
            out_.c('/');
            out_.u((m.tls ? 3 : 1) + fails);
        } else if (m.kind == Kind::NoQueue) {
            const u32 base = m.tls ? 4 : 2;
            out_.s(m.tls ? std::string_view(" ehlo=2 starttls=1") : std::string_view(" ehlo=1"));
            out_.s(" mail=1 rcpt=0/");
            out_.u(m.nrcpt);
            out_.s(" data=0/1 quit=1 commands=");
            out_.u(base + 1);
            out_.c('/');
            out_.u(base + 2 + m.nrcpt);
        } else {
            u32 cmds = 0;
            if (m.tls) {
                out_.s(" ehlo=2 starttls=1");
                cmds += 3;
            } else {
                out_.s(" ehlo=1");
                cmds += 1;
            }
            if (!m.sasl.empty()) {
                out_.s(" auth=1");
                cmds += 1;
            }
            out_.s(" mail=1 rcpt=");
            out_.u(m.nrcpt);
            out_.s(" data=1 quit=1 commands=");
            out_.u(cmds + 3 + m.nrcpt);
        }
        lineEnd();
        if (!m.queued && m.kind != Kind::Inbound && m.kind != Kind::Submission && m.kind != Kind::Relay)
            m.finished = true;
        if (saslFail)
            m.finished = true;
        if (m.kind == Kind::NoQueue)
            m.finished = true;
        break;
    }
    case Step::Anvil:
        break;
    }
    Msg &mm = msgs_[mi];
    if (mm.refs == 0 && mm.finished && !mm.sessionOpen && !mm.queued)
        freeMsg(mi);
}

// ----------------------------------------------------------------------------------------------
// The SASL burst: one /24 guessing passwords on the submission port, each address in sessions
// one after the other (so one smtpd process serves it), one to three failed AUTH commands a
// session, a username each. Planned whole in advance from burstRng_ and merged into the output
// by time, so that nothing of the simulation above depends on it.

void Gen::planSaslBurst()
{
    if (!opt_.saslBurst)
        return;
    Rng &rng = burstRng_;
    static constexpr std::array<std::string_view, 16> guesses = {
        "admin", "info",    "test",   "user",          "sales",     "support", "office",  "postmaster",
        "webmaster", "contact", "scanner", "administrator", "marketing", "backup",  "noreply", "root"};
    // A bare word, a role at our main domain, or a real mailbox harvested from somewhere.
    auto username = [&]() -> std::string {
        const double u = rng.unit();
        if (u < 0.4)
            return std::string(rng.pick(guesses));
        if (u < 0.7)
            return std::string(rng.pick(guesses)) + '@' + domains_[localDoms_[0]].name;
        return localUsers_[rng.below(static_cast<u32>(localUsers_.size()))] + '@' +
               domains_[localDoms_[rng.below(2)]].name;
    };
    const i64 end = opt_.saslBurstStart + opt_.saslBurstMinutes * 60 * kSec;
    const std::string net = std::to_string(publicFirstOctet(rng)) + '.' + std::to_string(rng.below(256)) + '.' +
                            std::to_string(rng.below(256)) + '.';
    const u32 clients = rng.range(2, 4);
    std::vector<u32> lastOctets;
    for (u32 k = 0; k < clients; ++k) {
        u32 d = 0;
        do {
            d = rng.range(2, 250);
        } while (std::find(lastOctets.begin(), lastOctets.end(), d) != lastOctets.end());
        lastOctets.push_back(d);
        const std::string peer = "unknown[" + net + std::to_string(d) + ']';
        // Far above the pids the simulation reaches in a small log, and only for this program.
        const u32 pid = rng.range(3000000, 4000000);
        i64 t = opt_.saslBurstStart + rng.flat(0, 90 * kSec);
        auto add = [&](std::string text) { burst_.push_back({t, pid, std::move(text)}); };
        while (t < end) {
            add("connect from " + peer);
            t += rng.dur(40 * kMs, 400 * kMs);
            add("Anonymous TLS connection established from " + peer +
                ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 "
                "server-signature RSA-PSS (2048 bits) server-digest SHA256");
            const u32 tries = rng.range(1, 3);
            for (u32 i = 0; i < tries; ++i) {
                t += i == 0 ? rng.dur(200 * kMs, 900 * kMs) : rng.dur(1500 * kMs, 3 * kSec);
                add("warning: " + peer + ": SASL LOGIN authentication failed: (reason unavailable), sasl_username=" +
                    username());
            }
            t += rng.dur(5 * kMs, 300 * kMs);
            add("lost connection after AUTH from " + peer);
            t += rng.dur(100 * kUs, 2 * kMs);
            add("disconnect from " + peer + " ehlo=2 starttls=1 auth=0/" + std::to_string(tries) + " commands=3/" +
                std::to_string(3 + tries));
            t += rng.dur(10 * kSec, 90 * kSec);
        }
    }
    std::stable_sort(burst_.begin(), burst_.end(), [](const BurstLine &x, const BurstLine &y) { return x.t < y.t; });
}

void Gen::emitSaslBurstUntil(i64 t)
{
    for (; burstNext_ < burst_.size() && burst_[burstNext_].t <= t; ++burstNext_) {
        const BurstLine &l = burst_[burstNext_];
        const u64 before = out_.total();
        lineStartAt(burstClock_, l.t, hosts_[0], "postfix/submission/smtpd", l.pid);
        out_.s(l.text);
        lineEnd();
        burstBytes_ += out_.total() - before;
    }
}

void Gen::run()
{
    const i64 start = opt_.start;
    for (u32 hI = 0; hI < opt_.hosts; ++hI) {
        backlog(hI);
        schedule(start + rng_.flat(60 * kSec, 600 * kSec), UINT32_MAX, Step::Anvil, static_cast<u8>(hI));
    }
    i64 nextArrival = start + static_cast<i64>(-std::log(1.0 - rng_.unit()) / rateAt(start) * 1e6);
    const EvLater later;
    for (;;) {
        // The next event is the earliest of: the next arrival, the top of either heap.
        std::vector<Ev> *h = nullptr;
        if (!heap_.empty())
            h = &heap_;
        if (!laterHeap_.empty() && !stopping_ && (h == nullptr || later(heap_.front(), laterHeap_.front())))
            h = &laterHeap_;
        if (!stopping_ && (h == nullptr || nextArrival <= h->front().t)) {
            arrival(nextArrival);
            const double gap = -std::log(1.0 - rng_.unit()) / rateAt(nextArrival);
            nextArrival += std::max<i64>(1, static_cast<i64>(gap * 1e6));
            continue;
        }
        if (h == nullptr)
            break; // stopping, and only retries and periodic jobs are left: they never run
        std::pop_heap(h->begin(), h->end(), later);
        const Ev ev = h->back();
        h->pop_back();
        emitSaslBurstUntil(ev.t);
        process(ev);
        if (!stopping_ && out_.total() - burstBytes_ >= opt_.size)
            stopping_ = true;
    }
    out_.flush();
}

// ----------------------------------------------------------------------------------------------
// Command line

bool parseSize(std::string_view s, u64 &out)
{
    u64 v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr == s.data())
        return false;
    std::string_view unit(r.ptr, static_cast<std::size_t>(s.data() + s.size() - r.ptr));
    u64 mul = 1;
    if (unit.empty() || unit == "B")
        mul = 1;
    else if (unit == "K" || unit == "KiB" || unit == "k")
        mul = u64{1} << 10;
    else if (unit == "M" || unit == "MiB")
        mul = u64{1} << 20;
    else if (unit == "G" || unit == "GiB")
        mul = u64{1} << 30;
    else if (unit == "KB" || unit == "kB")
        mul = 1000;
    else if (unit == "MB")
        mul = 1000 * 1000;
    else if (unit == "GB")
        mul = 1000 * 1000 * 1000;
    else
        return false;
    out = v * mul;
    return v != 0;
}

bool parseStart(std::string_view s, i64 &out)
{
    // YYYY-MM-DDTHH:MM:SS (a space instead of T is accepted)
    if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return false;
    auto num = [&](std::size_t pos, std::size_t len, u32 &v) {
        const auto r = std::from_chars(s.data() + pos, s.data() + pos + len, v);
        return r.ec == std::errc() && r.ptr == s.data() + pos + len;
    };
    u32 y = 0, mo = 0, d = 0, hh = 0, mm = 0, ss = 0;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, hh) || !num(14, 2, mm) || !num(17, 2, ss))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59)
        return false;
    out = (daysFromCivil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss) * kSec;
    return true;
}

bool parseOffset(std::string_view s)
{
    return (s == "Z") ||
           (s.size() == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' && s[1] >= '0' && s[1] <= '2' &&
            s[2] >= '0' && s[2] <= '9' && s[4] >= '0' && s[4] <= '5' && s[5] >= '0' && s[5] <= '9');
}

[[noreturn]] void usageError(const char *msg, std::string_view arg)
{
    std::fprintf(stderr, "mailtrail-genlog: %s%.*s\n\n%s", msg, static_cast<int>(arg.size()), arg.data(), Usage);
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    parseStart("2026-11-20T00:00:00", opt.start);
    bool haveSize = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc)
                usageError("missing value for ", a);
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(Usage, stdout);
            return 0;
        } else if (a == "--size") {
            const std::string_view v = value();
            if (!parseSize(v, opt.size))
                usageError("bad --size: ", v);
            haveSize = true;
        } else if (a == "--seed") {
            const std::string_view v = value();
            if (std::from_chars(v.data(), v.data() + v.size(), opt.seed).ec != std::errc())
                usageError("bad --seed: ", v);
        } else if (a == "--hosts") {
            const std::string_view v = value();
            const auto r = std::from_chars(v.data(), v.data() + v.size(), opt.hosts);
            if (r.ec != std::errc() || opt.hosts < 1 || opt.hosts > 200)
                usageError("bad --hosts (1..200): ", v);
        } else if (a == "--start") {
            const std::string_view v = value();
            if (!parseStart(v, opt.start))
                usageError("bad --start (YYYY-MM-DDTHH:MM:SS): ", v);
        } else if (a == "--rfc3339") {
            opt.rfc3339 = true;
        } else if (a == "--utc-offset") {
            const std::string_view v = value();
            if (!parseOffset(v))
                usageError("bad --utc-offset (+HH:MM): ", v);
            opt.utcOffset = std::string(v);
        } else if (a == "--rate") {
            const std::string_view v = value();
            double r = 0;
            const auto res = std::from_chars(v.data(), v.data() + v.size(), r);
            if (res.ec != std::errc() || !(r >= 0.01 && r <= 100000))
                usageError("bad --rate (0.01..100000): ", v);
            opt.rate = r;
        } else if (a == "--sasl-burst") {
            const std::string_view v = value();
            const std::size_t comma = v.find(',');
            const std::string_view minutes = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
            if (!parseStart(v.substr(0, comma), opt.saslBurstStart))
                usageError("bad --sasl-burst (YYYY-MM-DDTHH:MM:SS[,MINUTES]): ", v);
            if (!minutes.empty()) {
                const auto r = std::from_chars(minutes.data(), minutes.data() + minutes.size(), opt.saslBurstMinutes);
                if (r.ec != std::errc() || r.ptr != minutes.data() + minutes.size() || opt.saslBurstMinutes < 1 ||
                    opt.saslBurstMinutes > 24 * 60)
                    usageError("bad --sasl-burst minutes (1..1440): ", v);
            }
            opt.saslBurst = true;
        } else if (a == "--content-filter") {
            opt.contentFilter = true;
        } else if (a == "--stats") {
            opt.stats = true;
        } else {
            usageError("unknown option: ", a);
        }
    }
    if (!haveSize)
        usageError("--size is required", "");

    const auto t0 = std::chrono::steady_clock::now();
    Gen gen(opt);
    gen.run();
    if (opt.stats) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Stats &s = gen.stats();
        const double mb = static_cast<double>(gen.bytes()) / 1e6;
        std::fprintf(stderr,
                     "mailtrail-genlog: %llu bytes, %llu lines (%.1f bytes/line), %llu sessions, %llu queued messages, "
                     "%llu NDRs\n  deliveries: %llu sent, %llu deferred, %llu bounced; %llu NOQUEUE rejects, %llu expired, "
                     "%llu SASL failure sessions, %llu pickups\n  %.2f s, %.0f MB/s\n",
                     static_cast<unsigned long long>(gen.bytes()), static_cast<unsigned long long>(s.lines),
                     s.lines ? static_cast<double>(gen.bytes()) / static_cast<double>(s.lines) : 0.0,
                     static_cast<unsigned long long>(s.sessions), static_cast<unsigned long long>(s.messages),
                     static_cast<unsigned long long>(s.ndr), static_cast<unsigned long long>(s.sent),
                     static_cast<unsigned long long>(s.deferred), static_cast<unsigned long long>(s.bounced),
                     static_cast<unsigned long long>(s.noqueue), static_cast<unsigned long long>(s.expired),
                     static_cast<unsigned long long>(s.saslFail), static_cast<unsigned long long>(s.pickup), secs,
                     secs > 0 ? mb / secs : 0.0);
    }
    if (std::fflush(stdout) != 0) {
        std::perror("mailtrail-genlog: write");
        return 1;
    }
    return 0;
}
