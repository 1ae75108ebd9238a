// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The reading side of an import alone: each log read, split into lines, parsed through its format
// and joined into messages by the correlator, as `mailtrail-cli import` does on its reading
// thread, but with nothing written (the messages are counted and dropped):
//     mailtrail-parsebench LOG...
// Prints what was read and the CPU time it took, and that time per GB of log: the parser's share
// of an import, without the writer on the other core.
#include "correlation/correlator.h"
#include "ingest/formatregistry.h"
#include "ingest/linefeeder.h"
#include "ingest/logreader.h"
#include "ingest/timestampresolver.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <sys/stat.h>

using namespace mailtrail;

namespace {

class CountingSink final : public MessageSink
{
public:
    void storeMessage(MessageRecord &&message) override
    {
        ++messages;
        deliveries += message.deliveries.size();
    }
    void storeIncident(IncidentRecord &&) override { ++incidents; }
    std::uint64_t messages = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t incidents = 0;
};

double cpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: mailtrail-parsebench LOG...\n");
        return 2;
    }
    const double cpu0 = cpuSeconds();
    const auto wall0 = std::chrono::steady_clock::now();
    CountingSink sink;
    Correlator correlator(sink);
    std::uint64_t lines = 0, unknown = 0, bytes = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        const LogFormat *format = FormatRegistry::detect(LogReader::readHead(path, FormatRegistry::HeadBytes));
        LogReader reader;
        struct stat st {};
        if (!format || ::stat(path.c_str(), &st) != 0 || !reader.open(path)) {
            std::fprintf(stderr, "mailtrail-parsebench: %s: not a log it can read\n", path.c_str());
            return 1;
        }
        TimestampResolver resolver;
        resolver.setLatestYear(TimestampResolver::startYearFor(1, st.st_mtime));
        correlator.setIdleTimeout(format->lifetime().idleTimeoutMs);
        correlator.setEndsWhenRecipientsDone(format->lifetime().endsWhenRecipientsDone);
        LineFeeder feeder(*format, resolver, correlator,
                          static_cast<std::uint32_t>(i), false,
                          [&st](int month) { return TimestampResolver::startYearFor(month, st.st_mtime); });
        std::string_view text;
        std::uint64_t offset = 0;
        while (reader.nextLine(text, offset)) {
            ++lines;
            feeder.feed(text, offset);
        }
        unknown += feeder.unknownLines();
        bytes += reader.rawBytesRead();
    }
    correlator.finish();
    const double cpu = cpuSeconds() - cpu0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::printf("%llu bytes, %llu lines (%llu not understood), %llu messages, %llu deliveries, %llu incidents\n",
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(lines),
                static_cast<unsigned long long>(unknown), static_cast<unsigned long long>(sink.messages),
                static_cast<unsigned long long>(sink.deliveries), static_cast<unsigned long long>(sink.incidents));
    std::printf("CPU %.3f s, wall %.3f s; %.3f s of CPU per GB\n", cpu, wall,
                bytes ? cpu / (static_cast<double>(bytes) / 1e9) : 0.0);
    return 0;
}
