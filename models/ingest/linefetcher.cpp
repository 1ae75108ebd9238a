// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/linefetcher.h"

#include "ingest/logreader.h"

#include <algorithm>
#include <map>
#include <memory>

namespace mailtrail {

std::vector<FetchedLine> fetchLines(const std::vector<LineLocation> &where)
{
    std::vector<FetchedLine> out(where.size());
    // Per file, the wanted offsets in increasing order, so each file is read forward once.
    std::map<std::string, std::vector<std::size_t>> byFile;
    for (std::size_t i = 0; i < where.size(); ++i) {
        if (!where[i].path.empty())
            byFile[where[i].path].push_back(i);
    }
    for (auto &[path, indexes] : byFile) {
        std::sort(indexes.begin(), indexes.end(),
                  [&](std::size_t a, std::size_t b) { return where[a].offset < where[b].offset; });
        std::unique_ptr<LogReader> reader;
        std::string_view line;
        std::uint64_t offset = 0;
        bool haveLine = false;
        for (std::size_t index : indexes) {
            const std::uint64_t want = where[index].offset;
            // Plain files jump straight to far lines; gzip inflates its way forward from the first.
            const bool jump = reader && !reader->isCompressed() && (!haveLine || want > offset + LogReader::BlockSize);
            if (!reader || jump) {
                reader = std::make_unique<LogReader>();
                if (!reader->open(path, want))
                    break;
                haveLine = reader->nextLine(line, offset);
            }
            while (haveLine && offset < want)
                haveLine = reader->nextLine(line, offset);
            if (haveLine && offset == want) {
                out[index].text.assign(line);
                out[index].ok = true;
            }
        }
    }
    return out;
}

} // namespace mailtrail
