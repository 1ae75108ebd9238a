// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "threadconnection.h"

#include <memory>

namespace mailtrail {

namespace {
thread_local std::unique_ptr<Cache> t_cache;
thread_local std::string t_path;
} // namespace

Cache *ThreadConnection::get(const std::string &path, std::string *error)
{
    if (t_cache && t_path == path)
        return t_cache.get();
    t_cache = std::make_unique<Cache>();
    t_path = path;
    if (!t_cache->open(path, Cache::Mode::ReadOnly)) {
        if (error)
            *error = t_cache->error();
        t_cache.reset();
        return nullptr;
    }
    // The window's import thread builds the indexes; these connections only read.
    t_cache->setBuildIndexesOnDemand(false);
    return t_cache.get();
}

void ThreadConnection::drop()
{
    t_cache.reset();
}

} // namespace mailtrail
