// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the whole way a log file takes: the input is written to a file (plain, or compressed when
// it starts with a gzip, bzip2, xz or zstd header), its format detected by the registry from the
// head of its text, its lines read, split into records and parsed by that format, timed and
// correlated into messages, as Ingestor::inspect() and Ingestor::importFile() do without the
// cache; then every line a message refers to is fetched again by its offset, as the window's
// raw-line pane does, and what comes back must be what was read.
#include "linefuzzer.h"

#include "correlation/correlator.h"
#include "ingest/formatregistry.h"
#include "ingest/linefetcher.h"
#include "ingest/logreader.h"
#include "ingest/timestampresolver.h"

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
    // One file per process, rewritten for each input.
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
    // Detection as Ingestor::inspect(): the registry's pick from the head of the text.
    const LogFormat *detected = FormatRegistry::detect(LogReader::readHead(path, FormatRegistry::HeadBytes));
    if (!detected)
        return 0;
    const LogFormat &format = *detected;

    // Reading as Ingestor::importFile(), with a fixed year instead of the file's mtime.
    LogReader reader;
    if (!reader.open(path))
        return 0;
    CollectingSink sink;
    Correlator correlator(sink);
    correlator.setIdleTimeout(format.lifetime().idleTimeoutMs);
    TimestampResolver resolver;
    resolver.setLatestYear(2026);
    bool yearKnown = false;
    constexpr std::uint32_t fileId = 1;
    Record record;
    Event event;  // reused, as the Ingestor does: parse() resets it
    std::map<std::uint64_t, std::string> read;  // what each offset held when it was read
    std::string_view text;
    std::uint64_t offset = 0;
    while (reader.nextLine(text, offset)) {
        read.emplace(offset, std::string(text));
        if (!format.readRecord(text, record) || !format.parse(record, event))
            continue;
        fuzz::requireInside(record, text, format);
        fuzz::requireInside(event, text, format);
        if (!yearKnown && record.year == 0) {
            resolver.setStartYear(2026);
            yearKnown = true;
        }
        if (!resolver.resolve(record, event))
            continue;
        event.offset = offset;
        event.length = static_cast<std::uint32_t>(text.size());
        correlator.process(event, fileId);
    }
    correlator.finish();

    std::vector<LineLocation> where;
    for (const LineRef &ref : sink.lines) {
        if (ref.fileId != fileId)
            __builtin_trap();
        where.push_back({path, ref.offset});
    }
    const std::vector<FetchedLine> fetched = fetchLines(where);
    if (fetched.size() != where.size())
        __builtin_trap();
    for (std::size_t i = 0; i < where.size(); ++i) {
        const auto it = read.find(where[i].offset);
        // A message refers only to lines that were read, and fetching one gives it back unchanged.
        if (it == read.end() || !fetched[i].ok || fetched[i].text != it->second)
            __builtin_trap();
    }
    return 0;
}
