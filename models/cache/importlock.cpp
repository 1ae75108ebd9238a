// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/importlock.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace mailtrail {

ImportLock::ImportLock(std::string cachePath)
    : m_path(lockPath(cachePath))
{
}

ImportLock::~ImportLock()
{
    release();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool ImportLock::openFile()
{
    if (m_fd >= 0)
        return true;
    // Never deleted: removing a lock file while another process waits on it would let a third
    // one lock a new file of the same name beside it.
    m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        m_error = "cannot create the lock file " + m_path + " beside the cache (" + std::strerror(errno) + ")";
        return false;
    }
    return true;
}

void ImportLock::writePid()
{
    const std::string pid = std::to_string(::getpid()) + '\n';
    if (::ftruncate(m_fd, 0) == 0 && ::pwrite(m_fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size()))
        return;
    // Only the waiting message loses the pid; the lock itself holds.
}

bool ImportLock::tryAcquire()
{
    m_error.clear();
    if (m_held)
        return true;
    if (!openFile())
        return false;
    while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            m_error = "cannot lock " + m_path + " (" + std::strerror(errno) + ")";
        return false;
    }
    m_held = true;
    writePid();
    return true;
}

bool ImportLock::acquire(const std::function<void(long pid)> &waiting, const std::function<bool()> &cancelled)
{
    if (tryAcquire())
        return true;
    if (!m_error.empty())
        return false;
    if (waiting)
        waiting(holder());
    // Polled rather than blocking in flock(): a cancel must end the wait.
    for (;;) {
        if (cancelled && cancelled())
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (tryAcquire())
            return true;
        if (!m_error.empty())
            return false;
    }
}

void ImportLock::release()
{
    if (!m_held)
        return;
    ::flock(m_fd, LOCK_UN);
    m_held = false;
}

long ImportLock::holder() const
{
    if (m_fd < 0)
        return 0;
    char buffer[32] = {};
    const ssize_t n = ::pread(m_fd, buffer, sizeof buffer - 1, 0);
    return n > 0 ? std::strtol(buffer, nullptr, 10) : 0;
}

} // namespace mailtrail
