// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "threadconnection.h"

#include <atomic>
#include <memory>

namespace mailtrail {

namespace {
thread_local std::unique_ptr<Cache> t_cache;
thread_local std::string t_path;
thread_local unsigned t_epoch = 0;
std::atomic<unsigned> g_epoch{0};
} // namespace

Cache *ThreadConnection::get(const std::string &path, std::string *error)
{
    const unsigned epoch = g_epoch.load();
    if (t_cache && t_path == path && t_epoch == epoch)
        return t_cache.get();
    t_cache = std::make_unique<Cache>();
    t_path = path;
    t_epoch = epoch;
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

void ThreadConnection::reopenAll()
{
    ++g_epoch;
}

} // namespace mailtrail
