// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace mailtrail {

// Whether opening the cache file at `path` to write it will migrate its layout: a file an older
// build wrote, which Cache::open() rewrites under the import lock (seconds to minutes on a big
// cache: the window does it off its thread). One read of the file's header; false for a missing
// or empty file, a current or newer layout, and a file that cannot be read (open() says why).
bool cacheNeedsMigration(const std::string &path);

} // namespace mailtrail
