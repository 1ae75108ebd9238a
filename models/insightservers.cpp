// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightservers.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace mailtrail {

namespace {

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::string logSeries(const std::string &path)
{
    std::string s = path;
    bool stripped = true;
    while (stripped) {
        stripped = false;
        for (std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".lz4"}) {
            if (s.ends_with(suffix)) {
                s.resize(s.size() - suffix.size());
                stripped = true;
            }
        }
        // ".1" of logrotate, "-20261204" of its dateext.
        const std::size_t cut = s.find_last_of(".-/");
        if (cut != std::string::npos && s[cut] != '/' && allDigits(std::string_view(s).substr(cut + 1))) {
            s.resize(cut);
            stripped = true;
        }
    }
    return s;
}

InsightEngine::ServerOf insightServers(const std::vector<FileRow> &files, const std::vector<std::int64_t> &fileIds)
{
    std::unordered_map<std::uint32_t, std::string> seriesOf;
    std::set<std::string> series;
    for (const FileRow &f : files) {
        if (!fileIds.empty() && std::find(fileIds.begin(), fileIds.end(), f.id) == fileIds.end())
            continue;
        const std::string s = logSeries(f.path);
        seriesOf[static_cast<std::uint32_t>(f.id)] = s;
        series.insert(s);
    }
    if (series.size() < 2)
        return {};
    // Named by the file name where that tells them apart, else by the path.
    std::map<std::string, int> names;
    for (const std::string &s : series)
        ++names[s.substr(s.find_last_of('/') + 1)];
    auto shown = std::make_shared<std::unordered_map<std::uint32_t, std::string>>();
    for (const auto &[id, s] : seriesOf) {
        const std::string name = s.substr(s.find_last_of('/') + 1);
        (*shown)[id] = names[name] > 1 ? s : name;
    }
    return [shown](std::uint32_t fileId, const std::string &host) {
        const auto it = shown->find(fileId);
        if (it == shown->end())
            return std::string();
        return (host.empty() ? std::string() : host + ' ') + '(' + it->second + ')';
    };
}

} // namespace mailtrail
