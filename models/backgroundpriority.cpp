// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "backgroundpriority.h"

#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#endif

namespace mailtrail {

namespace {
#ifdef Q_OS_LINUX
// Weight 110 against 1024 for nice 0: about a tenth of a core shared with one busy thread, and all
// of an idle one. A thread may always lower itself; it may not rise again, nor need to: the pools
// that call this keep their one thread for this work only.
constexpr int BackgroundNice = 10;
#endif
} // namespace

bool lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux a nice value belongs to a thread, named by its thread id.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (errno != 0)
        return false;
    if (now >= BackgroundNice)
        return true;
    return ::setpriority(PRIO_PROCESS, tid, BackgroundNice) == 0;
#else
    if (QThread *thread = QThread::currentThread()) {
        thread->setPriority(QThread::LowPriority);
        return true;
    }
    return false;
#endif
}

} // namespace mailtrail
