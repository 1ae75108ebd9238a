// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace mailtrail {

// Tells an import in progress from a dead one. Whoever writes to a cache (an import, an index
// build, undoing what a dead import left) holds this lock while it lives: an exclusive flock() on
// CACHE-lock, beside the cache file, which the kernel releases when the process ends however it
// ends (kill -9 included). The holder's pid is written into the file for the messages of those
// who wait. Rows of an unfinished import whose lock nobody holds belong to a dead import.
//
// flock() locks belong to an open file, not to a process: two ImportLocks of one process (the
// window's import thread and another of its connections) exclude each other as two processes do.
class ImportLock
{
public:
    explicit ImportLock(std::string cachePath);
    ~ImportLock();
    ImportLock(const ImportLock &) = delete;
    ImportLock &operator=(const ImportLock &) = delete;

    static std::string lockPath(const std::string &cachePath) { return cachePath + "-lock"; }

    // Takes the lock if nobody holds it. False with error() empty when another one holds it (see
    // holder()), with error() set when the lock file cannot be made.
    bool tryAcquire();
    // Takes the lock, waiting for its holder to finish. `waiting` is called once, with the
    // holder's pid (0 when unknown), before the wait begins; `cancelled` is polled while waiting
    // and ends the wait, returning false. False with error() set when the lock file cannot be made.
    bool acquire(const std::function<void(long pid)> &waiting, const std::function<bool()> &cancelled);
    void release();
    bool held() const { return m_held; }
    // The pid the current holder wrote, 0 when none can be read.
    long holder() const;
    const std::string &error() const { return m_error; }

private:
    bool openFile();
    void writePid();
    std::string m_path;
    std::string m_error;
    int m_fd = -1;
    bool m_held = false;
};

} // namespace mailtrail
