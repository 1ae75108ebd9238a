// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "freedmemory.h"

#include <QTest>

#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace mailtrail;

// The allocator this test is linked with keeps what a program frees (glibc below the top of its
// heap; jemalloc for ten seconds), and returnFreedMemory() gives it back: the resident memory
// drops by most of what was freed. Built twice (tests/models/CMakeLists.txt): with the C library's
// allocator, and with jemalloc as the executables link it where it is installed.
class TestFreedMemory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freedMemoryLeavesTheProcess();
};

namespace {
qint64 residentBytes()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return qint64(resident) * sysconf(_SC_PAGESIZE);
}
} // namespace

void TestFreedMemory::freedMemoryLeavesTheProcess()
{
    constexpr std::size_t Block = 1000, Blocks = 96 * 1024;  // about 96 MB in records of an import's size
    constexpr qint64 MB = 1 << 20;
#ifdef MAILTRAIL_TEST_JEMALLOC
    QVERIFY2(freedMemoryThroughJemalloc(), "linked with jemalloc, yet mallctl was not found");
#else
    QVERIFY(!freedMemoryThroughJemalloc());
#endif
    const qint64 before = residentBytes();
    QVERIFY(before > 0);
    std::vector<std::unique_ptr<char[]>> blocks(Blocks);
    for (auto &b : blocks) {
        b = std::make_unique<char[]>(Block);
        std::memset(b.get(), 'x', Block);
    }
    // Something kept after them, as the window keeps its rows: the freed ones are not at the top.
    auto kept = std::make_unique<char[]>(Block);
    std::memset(kept.get(), 'k', Block);
    const qint64 full = residentBytes();
    QVERIFY2(full - before > 64 * MB, qPrintable(QString::number((full - before) / MB)));
    blocks.clear();
    const qint64 freed = residentBytes();
    // The allocator kept them: the test would prove nothing otherwise. (Not so with a setting that
    // makes jemalloc give pages back at once, MALLOC_CONF=dirty_decay_ms:0: then this fails.)
    QVERIFY2(freed - before > 64 * MB,
             qPrintable(QStringLiteral("resident after free: +%1 MB").arg((freed - before) / MB)));
    returnFreedMemory();
    const qint64 returned = residentBytes();
    QVERIFY2(freed - returned > 48 * MB, qPrintable(QStringLiteral("returned %1 MB").arg((freed - returned) / MB)));
    QCOMPARE(kept[Block - 1], 'k');
}

QTEST_GUILESS_MAIN(TestFreedMemory)

#include "tst_freedmemory.moc"
