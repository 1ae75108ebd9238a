// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "freedmemory.h"

#include <cstddef>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// jemalloc's control interface. The executables link jemalloc or not (cmake/Allocator.cmake), the
// libraries never do: a weak reference is null when no loaded library defines it.
extern "C" int mallctl(const char *name, void *oldp, std::size_t *oldlenp, void *newp, std::size_t newlen)
    __attribute__((weak));

namespace mailtrail {

bool freedMemoryThroughJemalloc()
{
    return mallctl != nullptr;
}

void returnFreedMemory(FreedMemoryMoment moment)
{
    if (mallctl) {
        // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused pages, at once rather than as
        // their decay would (jemalloc(3)). A failure leaves them where they were.
        mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
        return;
    }
#if defined(__GLIBC__)
    if (moment == FreedMemoryMoment::StageDone)
        malloc_trim(0);
#else
    (void)moment;
#endif
}

} // namespace mailtrail
