// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// mailtrail-genmtalog: writes a large, reproducible Exim mainlog or Sendmail syslog to stdout, for
// the import benchmarks (tests/bench/mta-import-bench.sh), the way mailtrail-genlog does Postfix.
//
// Simpler than mailtrail-genlog: messages follow one another with their lines together, except
// that a deferred recipient is tried again a few hundred messages later (so lines of messages
// interleave and a message stays open across many others). The line shapes are those the real
// MTAs wrote in tests/data/exim and the Sendmail samples of tests/data/sendmail: arrivals from
// SMTP clients, one to three recipients, most delivered, some deferred then delivered, some
// refused by the remote server with a bounce back to the sender, refused RCPTs and AUTH failures.
// Plain C++20; xorshift64* seeded by --seed, so the same options give the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <string>
#include <string_view>

namespace {

const char *const Usage = R"(Usage: mailtrail-genmtalog --format exim|sendmail --size SIZE [--seed N] > LOG

  --format F   exim: Exim's mainlog ("2026-11-20 00:00:01 1xV3Nh-0002YX-30 <= ...");
               sendmail: sm-mta syslog lines ("Nov 20 00:00:01 mx sm-mta[123]: QID: from=...")
  --size SIZE  bytes to write: 123456, 512K, 100M, 1G (1024-based)
  --seed N     random seed (default 1)
)";

class Rng
{
public:
    explicit Rng(std::uint64_t seed) : m_state(seed * 0x9E3779B97F4A7C15ULL | 1) {}
    std::uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1DULL;
    }
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }

private:
    std::uint64_t m_state;
};

constexpr std::string_view Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char *const Users[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
const char *const Domains[] = {"example.com", "example.net", "example.org", "lab.test", "mail.test"};
const char *const Peers[] = {"mx1.example.com [192.0.2.10]", "mx.example.net [198.51.100.7]",
                             "smtp.example.org [203.0.113.25]", "mail.test [192.0.2.99]"};

struct Pending {
    std::string id;
    std::string sender;
    std::string rcpt;
    int tries;
};

class Writer
{
public:
    Writer(bool exim, std::uint64_t seed) : m_exim(exim), m_rng(seed) { m_out.reserve(1 << 22); }
    std::uint64_t written() const { return m_total + m_out.size(); }

    void message()
    {
        m_time += 1 + m_rng.below(2);
        const std::string id = queueId();
        const std::string sender = address();
        const unsigned kind = m_rng.below(100);
        if (kind < 5) {
            reject(sender);
            return;
        }
        if (kind < 7) {
            authFailure();
            return;
        }
        const unsigned rcpts = 1 + m_rng.below(3);
        std::string list[3];
        for (unsigned i = 0; i < rcpts; ++i)
            list[i] = address();
        arrival(id, sender, list, rcpts);
        bool open = false;
        for (unsigned i = 0; i < rcpts; ++i) {
            const unsigned fate = m_rng.below(100);
            if (fate < 85) {
                delivered(id, list[i], i);
            } else if (fate < 95) {
                deferred(id, list[i]);
                m_pending.push_back({id, sender, list[i], 1});
                open = true;
            } else {
                failed(id, sender, list[i]);
            }
        }
        if (!open)
            completed(id);
        if (m_pending.size() > 300 || (!m_pending.empty() && m_rng.below(4) == 0))
            retry();
        flush(false);
    }
    void finish() { flush(true); }

private:
    void retry()
    {
        Pending p = m_pending.front();
        m_pending.pop_front();
        if (p.tries < 2 && m_rng.below(3) == 0) {
            deferred(p.id, p.rcpt);
            ++p.tries;
            m_pending.push_back(p);
            return;
        }
        delivered(p.id, p.rcpt, 0);
        completed(p.id);
    }

    std::string queueId()
    {
        std::string id;
        if (m_exim) {
            // 1xV3Nh-0002YX-30: time, pid, fraction (base 62)
            for (int i = 0; i < 6; ++i)
                id += Alphabet[m_rng.below(62)];
            id += '-';
            for (int i = 0; i < 6; ++i)
                id += Alphabet[m_rng.below(62)];
            id += '-';
            id += Alphabet[m_rng.below(62)];
            id += Alphabet[m_rng.below(62)];
        } else {
            for (int i = 0; i < 8; ++i)
                id += Alphabet[m_rng.below(62)];
            char pid[8];
            std::snprintf(pid, sizeof pid, "%06u", m_rng.below(999999));
            id += pid;
        }
        return id;
    }
    std::string address()
    {
        return std::string(Users[m_rng.below(10)]) + std::to_string(m_rng.below(500)) + '@' + Domains[m_rng.below(5)];
    }
    void stamp()
    {
        const std::time_t t = static_cast<std::time_t>(m_time);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[64];
        if (m_exim) {
            std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S ", &tm);
            m_out += buf;
        } else {
            std::strftime(buf, sizeof buf, "%b %e %H:%M:%S mx sm-mta[", &tm);
            m_out += buf;
            m_out += std::to_string(1000 + m_rng.below(60000));
            m_out += "]: ";
        }
    }
    void line(std::string_view text)
    {
        stamp();
        m_out += text;
        m_out += '\n';
    }
    void arrival(const std::string &id, const std::string &sender, const std::string *list, unsigned rcpts)
    {
        const char *peer = Peers[m_rng.below(4)];
        const std::string size = std::to_string(800 + m_rng.below(60000));
        if (m_exim) {
            // With log_selector +received_recipients, as in tests/data/exim's 4.98 run.
            std::string envelope;
            for (unsigned i = 0; i < rcpts; ++i)
                envelope += ' ' + list[i];
            line(id + " <= " + sender + " H=" + peer + " P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S=" + size +
                 " id=" + id + "@" + Domains[m_rng.below(5)] + " for" + envelope);
            return;
        }
        line(id + ": from=<" + sender + ">, size=" + size + ", class=0, nrcpts=" + std::to_string(rcpts) + ", msgid=<" + id +
             "@" + Domains[m_rng.below(5)] + ">, proto=ESMTP, daemon=MTA, relay=" + peer);
    }
    void delivered(const std::string &id, const std::string &rcpt, unsigned index)
    {
        const char *peer = Peers[m_rng.below(4)];
        if (m_exim)
            line(id + (index == 0 ? " => " : " -> ") + rcpt + " R=dnslookup T=remote_smtp H=" + peer +
                 " X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as " + queueId() + "\"");
        else
            line(id + ": to=<" + rcpt + ">, delay=00:00:0" + std::to_string(m_rng.below(10)) +
                 ", xdelay=00:00:01, mailer=esmtp, pri=120" + std::to_string(m_rng.below(999)) + ", relay=" + peer +
                 ", dsn=2.0.0, stat=Sent (" + queueId() + " Message accepted for delivery)");
    }
    void deferred(const std::string &id, const std::string &rcpt)
    {
        if (m_exim)
            line(id + " == " + rcpt + " R=dnslookup T=remote_smtp defer (-44) H=" + Peers[m_rng.below(4)] +
                 ": SMTP error from remote mail server after RCPT TO:<" + rcpt + ">: 451 4.7.1 Try again later");
        else
            line(id + ": to=<" + rcpt + ">, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=" +
                 Peers[m_rng.below(4)] + ", dsn=4.7.1, stat=Deferred: 451 4.7.1 Try again later");
    }
    void failed(const std::string &id, const std::string &sender, const std::string &rcpt)
    {
        const std::string bounce = queueId();
        if (m_exim) {
            line(id + " ** " + rcpt + " R=dnslookup T=remote_smtp H=" + Peers[m_rng.below(4)] +
                 ": SMTP error from remote mail server after RCPT TO:<" + rcpt + ">: 550 5.1.1 No such user");
            line(bounce + " <= <> R=" + id + " U=Debian-exim P=local S=2" + std::to_string(m_rng.below(999)) + " for " +
                 sender);
            line(bounce + " => " + sender + " R=dnslookup T=remote_smtp H=" + Peers[m_rng.below(4)] + " C=\"250 OK\"");
            line(bounce + " Completed");
        } else {
            line(id + ": to=<" + rcpt + ">, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=" +
                 Peers[m_rng.below(4)] + ", dsn=5.1.1, stat=User unknown");
            line(id + ": " + bounce + ": DSN: User unknown");
            line(bounce + ": to=<" + sender + ">, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30000, relay=" +
                 Peers[m_rng.below(4)] + ", dsn=2.0.0, stat=Sent (Ok)");
        }
    }
    void completed(const std::string &id)
    {
        if (m_exim)
            line(id + " Completed");
    }
    void reject(const std::string &sender)
    {
        const std::string rcpt = address();
        if (m_exim)
            line(std::string("H=") + Peers[m_rng.below(4)] + " F=<" + sender + "> rejected RCPT <" + rcpt +
                 ">: relay not permitted");
        else
            line(queueId() + ": ruleset=check_rcpt, arg1=<" + rcpt + ">, relay=" + Peers[m_rng.below(4)] +
                 ", reject=550 5.7.1 <" + rcpt + ">... Relaying denied");
    }
    void authFailure()
    {
        if (m_exim)
            line(std::string("dovecot_login authenticator failed for (User) [192.0.2.") + std::to_string(m_rng.below(255)) +
                 "]: 535 Incorrect authentication data (set_id=admin)");
        else
            line(queueId() + ": [192.0.2." + std::to_string(m_rng.below(255)) + "]: possible SMTP attack: command=AUTH, count=5");
    }
    void flush(bool all)
    {
        if (!all && m_out.size() < (1u << 22))
            return;
        std::fwrite(m_out.data(), 1, m_out.size(), stdout);
        m_total += m_out.size();
        m_out.clear();
    }

    bool m_exim;
    Rng m_rng;
    std::string m_out;
    std::uint64_t m_total = 0;
    std::int64_t m_time = 1795132800; // 2026-11-20T00:00:00Z
    std::deque<Pending> m_pending;
};

bool parseSize(std::string_view v, std::uint64_t &size)
{
    std::uint64_t n = 0, mult = 1;
    std::size_t i = 0;
    for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i)
        n = n * 10 + static_cast<std::uint64_t>(v[i] - '0');
    if (i == 0)
        return false;
    const std::string_view unit = v.substr(i);
    if (unit == "K")
        mult = 1ULL << 10;
    else if (unit == "M")
        mult = 1ULL << 20;
    else if (unit == "G")
        mult = 1ULL << 30;
    else if (!unit.empty())
        return false;
    size = n * mult;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    std::string_view format;
    std::uint64_t size = 0, seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view a = argv[i], v = argv[i + 1];
        if (a == "--format")
            format = v;
        else if (a == "--size" && !parseSize(v, size))
            size = 0;
        else if (a == "--seed")
            seed = std::strtoull(argv[i + 1], nullptr, 10);
    }
    if ((format != "exim" && format != "sendmail") || size == 0) {
        std::fputs(Usage, stderr);
        return 2;
    }
    Writer w(format == "exim", seed);
    while (w.written() < size)
        w.message();
    w.finish();
    return 0;
}
