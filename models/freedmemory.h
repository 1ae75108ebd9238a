// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace mailtrail {

// Gives the memory the process has freed back to the system now, at the end of a stage of work
// that freed much of it (an import's rows, the index builds after it). The allocators keep freed
// pages for a while, for the next allocations: jemalloc (cmake/Allocator.cmake) for ten seconds
// and only as other allocations go on; glibc at the top of each arena. In the window that kept
// the import's pages resident while the index builds and the index in memory took theirs: a
// third of its peak at 1 GB (docs/store.md, "The window's memory"). Through jemalloc's mallctl
// when the executable links it, else glibc's malloc_trim; a no-op elsewhere. Takes milliseconds.
// While threads still work (WhileBusy), only through jemalloc: glibc's trim locks each arena in
// turn, the GUI thread's too, and walks all of its free memory.
enum class FreedMemoryMoment { StageDone, WhileBusy };
void returnFreedMemory(FreedMemoryMoment moment = FreedMemoryMoment::StageDone);
// Whether returnFreedMemory() goes through jemalloc (the executable links it).
bool freedMemoryThroughJemalloc();

} // namespace mailtrail
