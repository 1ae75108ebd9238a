// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the two follow benches (the CLI's and the window's) write and how they sum it up: the
// same traffic for both, so that their figures compare.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace followbench {

// Now, as syslog writes it.
inline std::string syslogTime()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", &tm);
    return buf;
}

// One write() per line, the file opened each time: what a syslog daemon's appends look like to a
// follower (and a rotation between two lines would be seen).
inline void appendLine(const std::string &path, const std::string &line)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        std::exit(1);
    ::close(fd);
}

// The queue id of message `message` of the traffic.
inline std::string queueId(int message)
{
    char qid[16];
    std::snprintf(qid, sizeof qid, "%010X", 0x10000 + message);
    return qid;
}

// Line `i` of the appended traffic: message i / 5, its delivery at i % 5 == 3.
inline std::string trafficLine(int i)
{
    const int message = i / 5;
    const std::string qid = queueId(message);
    const std::string line = syslogTime() + " mx ";
    switch (i % 5) {
    case 0: return line + "postfix/smtpd[2001]: " + qid + ": client=client.example.org[192.0.2.10]\n";
    case 1: return line + "postfix/cleanup[2002]: " + qid + ": message-id=<" + qid + "@example.org>\n";
    case 2: return line + "postfix/qmgr[2003]: " + qid + ": from=<news@example.org>, size=2345, nrcpt=1 (queue active)\n";
    case 3:
        return line + "postfix/smtp[2004]: " + qid + ": to=<reader" + std::to_string(message) +
               "@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=0.4, delays=0.1/0/0.1/0.2, "
               "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XyZ" + std::to_string(message) + ")\n";
    default: return line + "postfix/qmgr[2003]: " + qid + ": removed\n";
    }
}

inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

} // namespace followbench
