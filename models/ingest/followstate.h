// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace mailtrail {

class Correlator;

// What a follow carries from one import of its logs to the next, so that lines split across
// batches (a client= in one, its cleanup line in the next; status=sent and then removed; Exim's
// syslog copy of a reject line) are joined exactly as one import of all the bytes joins them, and
// each batch writes only the messages it changed. An import restores the open messages from the
// cache instead when the cache changed in between by other hands (another import, a reread, an
// emptied cache) or when the last batch failed: then it is an incremental import like any other.
class FollowState
{
public:
    FollowState();
    ~FollowState();
    FollowState(const FollowState &) = delete;
    FollowState &operator=(const FollowState &) = delete;

    // Forgets what was carried: the next import restores from the cache.
    void reset();
    bool isCarrying() const { return m_correlator != nullptr; }

private:
    friend class Ingestor;

    struct File {
        std::uint64_t end = 0;  // where the last batch stopped reading it
        std::string lastLine;   // its last line, for formats whose lines may repeat
    };

    std::unique_ptr<Correlator> m_correlator;
    // The cache as the last batch left it: each file's read position and the next row id. Another
    // import changes one of them.
    std::map<std::int64_t, std::uint64_t> m_cacheFiles;
    std::int64_t m_nextId = 0;
    std::map<std::int64_t, File> m_files;
};

} // namespace mailtrail
