// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// mailtrail-followbench: how long a line written to a followed log takes to come out of
// `mailtrail-cli follow`, and what following costs while nothing is written.
//
//   mailtrail-followbench CLI DIR [LINES_PER_SECOND] [SECONDS]
//
// Latency: appends Postfix lines (5 per message, each its own write(), as syslog writes them) at
// LINES_PER_SECOND (default 1000) for SECONDS (default 20) to DIR/mail.log while `CLI follow
// --format jsonl` follows it, and measures for each delivery line the time from its write() to
// the printed row of its queue id. Idle: follows a log nobody writes for 10 s and reads the CPU
// time the process used from /proc. Plain C++ and POSIX, no Qt, so the bench adds nothing to what
// it measures.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "followtraffic.h"

using namespace followbench;

namespace {

using Clock = std::chrono::steady_clock;

struct Child {
    pid_t pid = -1;
    int out = -1;  // its stdout
};

Child startFollow(const std::string &cli, const std::string &cache, const std::string &log)
{
    int fds[2];
    if (::pipe(fds) != 0)
        std::exit(1);
    Child c;
    c.pid = ::fork();
    if (c.pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(cli.c_str(), cli.c_str(), "follow", "--cache", cache.c_str(), "--format", "jsonl", log.c_str(),
                static_cast<char *>(nullptr));
        std::_Exit(127);
    }
    ::close(fds[1]);
    c.out = fds[0];
    return c;
}

int stopFollow(Child &c)
{
    ::kill(c.pid, SIGTERM);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    ::close(c.out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double cpuSeconds(pid_t pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    FILE *f = std::fopen(path, "r");
    if (!f)
        return -1;
    char buf[1024] = {};
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    const char *p = std::strrchr(buf, ')');
    unsigned long utime = 0, stime = 0;
    if (!p || std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s CLI DIR [LINES_PER_SECOND] [SECONDS]\n", argv[0]);
        return 2;
    }
    const std::string cli = argv[1];
    const std::string dir = argv[2];
    const int rate = argc > 3 ? std::atoi(argv[3]) : 1000;
    const int seconds = argc > 4 ? std::atoi(argv[4]) : 20;
    const std::string log = dir + "/mail.log";
    const std::string cache = dir + "/follow.sqlite";
    ::unlink(log.c_str());
    ::unlink(cache.c_str());
    appendLine(log, syslogTime() + " mx postfix/master[1]: daemon started -- version 3.9.1\n");

    // Idle first: a log nobody writes, followed for 10 s.
    Child idle = startFollow(cli, cache, log);
    std::this_thread::sleep_for(std::chrono::seconds(3));  // the first import and start-up
    const double cpu0 = cpuSeconds(idle.pid);
    std::this_thread::sleep_for(std::chrono::seconds(10));
    const double cpu1 = cpuSeconds(idle.pid);
    std::printf("idle: %.3f s of CPU in 10 s of following a quiet log (exit %d)\n", cpu1 - cpu0, stopFollow(idle));

    Child follow = startFollow(cli, cache, log);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::mutex mutex;
    std::map<std::string, Clock::time_point> written;  // queue id -> write of its delivery line
    std::vector<double> delays;
    std::atomic<bool> done{false};
    std::thread reader([&] {
        std::string pending;
        char buf[65536];
        while (true) {
            const ssize_t n = ::read(follow.out, buf, sizeof buf);
            if (n <= 0)
                break;
            const auto now = Clock::now();
            pending.append(buf, static_cast<std::size_t>(n));
            std::size_t nl;
            while ((nl = pending.find('\n')) != std::string::npos) {
                const std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                const std::size_t at = line.find("\"queue_id\":\"");
                if (at == std::string::npos)
                    continue;
                const std::string qid = line.substr(at + 12, line.find('"', at + 12) - at - 12);
                std::lock_guard lock(mutex);
                if (auto it = written.find(qid); it != written.end()) {
                    delays.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
                    written.erase(it);
                }
            }
        }
        done = true;
    });

    const int total = rate * seconds;
    const auto start = Clock::now();
    for (int i = 0; i < total; ++i) {
        const std::string line = trafficLine(i);
        std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long long>(i) * 1000000 / rate));
        if (i % 5 == 3) {
            std::lock_guard lock(mutex);
            written[queueId(i / 5)] = Clock::now();
        }
        appendLine(log, line);
    }
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const int rc = stopFollow(follow);
    reader.join();
    std::lock_guard lock(mutex);
    std::printf("latency at %d lines/s for %d s: %zu of %d deliveries printed; write to printed row: median %.0f ms, "
                "p95 %.0f ms, max %.0f ms (exit %d)\n",
                rate, seconds, delays.size(), total / 5, percentile(delays, 0.5), percentile(delays, 0.95),
                percentile(delays, 1.0), rc);
    return delays.size() == static_cast<std::size_t>(total / 5) && rc == 0 ? 0 : 1;
}
