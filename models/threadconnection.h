// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <string>

namespace mailtrail {

// The read-only connection of the calling thread to a cache file. The item models read on pools
// of one thread each, so a connection opened there stays on its thread (SQLite connections are
// not shared) and is kept between requests.
class ThreadConnection
{
public:
    // The connection, opened on first use; nullptr with `error` set when the file cannot be read.
    static Cache *get(const std::string &path, std::string *error);
    // After a failed query: the next get() opens afresh, so that error() tells of that query only.
    static void drop();
    // The cache files were deleted and made anew: every thread's connection opens afresh on its
    // next get() (an open one would go on reading the deleted file).
    static void reopenAll();
};

} // namespace mailtrail
