// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the whole way a log file takes: the input is written to a file (plain, or compressed when
// it starts with a gzip, bzip2, xz or zstd header), read line by line, its format detected, each
// line parsed and correlated into messages, and then every line a message refers to is fetched
// again by its offset, as the window's raw-line pane does; what comes back must be what was read.
#include "correlation/correlator.h"
#include "parsing/formatdetector.h"
#include "parsing/linefetcher.h"
#include "parsing/logreader.h"
#include "parsing/postfixparser.h"
#include "parsing/syslogline.h"
#include "parsing/timestampresolver.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unistd.h>

namespace {

using namespace mailtrail;

struct CollectingSink final : MessageSink {
    std::vector<LineRef> lines;
    void storeMessage(MessageRecord &&message) override
    {
        lines.insert(lines.end(), message.lines.begin(), message.lines.end());
    }
    void storeIncident(IncidentRecord &&incident) override { lines.push_back(incident.line); }
};

std::string scratchFile()
{
    // One file per process, rewritten for each input; /tmp is private to the fuzz run.
    const char *dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/mailtrail-fuzz-logfile-" + std::to_string(::getpid());
}

bool writeAll(const std::string &path, const std::uint8_t *data, std::size_t size)
{
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        return false;
    const bool ok = std::fwrite(data, 1, size, f) == size;
    return std::fclose(f) == 0 && ok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const std::string path = scratchFile();
    if (!writeAll(path, data, size))
        return 0;
    if (detectFormat(LogReader::readHead(path, 64 * 1024)) != LogFormat::Postfix)
        return 0;

    LogReader reader;
    if (!reader.open(path))
        return 0;
    CollectingSink sink;
    Correlator correlator(sink);
    TimestampResolver resolver;
    resolver.setStartYear(2026);
    const PostfixParser parser;
    SyslogLine line;
    Event event;
    std::map<std::uint64_t, std::string> read;  // what each offset held when it was read
    std::string_view text;
    std::uint64_t offset = 0;
    while (reader.nextLine(text, offset)) {
        read.emplace(offset, std::string(text));
        if (!parseSyslogLine(text, line) || !parser.parse(line, event) || !resolver.resolve(line, event))
            continue;
        event.offset = offset;
        event.length = static_cast<std::uint32_t>(text.size());
        correlator.process(event, 1);
    }
    correlator.finish();

    std::vector<LineLocation> where;
    for (const LineRef &ref : sink.lines)
        where.push_back({path, ref.offset});
    const std::vector<FetchedLine> fetched = fetchLines(where);
    for (std::size_t i = 0; i < where.size(); ++i) {
        const auto it = read.find(where[i].offset);
        // A message refers only to lines that were read, and fetching one gives it back unchanged.
        if (it == read.end() || !fetched[i].ok || fetched[i].text != it->second)
            __builtin_trap();
    }
    return 0;
}
