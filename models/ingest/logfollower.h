// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {

// Tells, while logs are followed, which files to import again: a log that grew, and when one was
// rotated, the file its old content lives in now, so that the lines written between the last
// import and the rotation are read too. What to read in each file (from where, and whether it is
// the content already imported under another name) is the Ingestor's business: it knows files by
// content, so a name given twice, or a content under a new name, is never read twice.
//
// Rotation kinds it follows: rename and create (logrotate's default; the old file may still grow
// until the daemon reopens its log), copytruncate (the log shrinks; its old content is in a
// copy beside it), compression of the renamed file (found beside the log by its first bytes), and
// delete and recreate. Lines written to a deleted file after the last import cannot be named any
// more, and are lost; so are lines logrotate's copytruncate itself loses (written between its
// copy and its truncate). Rotated files are looked for in the log's own folder only (not
// logrotate's olddir).
//
// No threads and no Qt: changes() looks at the files when asked (after an inotify event, or a
// poll). One file descriptor is kept open per followed log, to find its content after a rename.
class LogFollower
{
public:
    // The log files to follow. Construct it before the first import of them, so that nothing
    // written in between goes unnoticed.
    explicit LogFollower(const std::vector<std::string> &paths);
    ~LogFollower();
    LogFollower(const LogFollower &) = delete;
    LogFollower &operator=(const LogFollower &) = delete;

    // The files to import now, a rotated log's old content first (it holds the older lines);
    // empty when nothing changed.
    std::vector<std::string> changes();
    // The followed files and their folders: what an inotify watch should cover (a log that is
    // recreated appears in its folder).
    std::vector<std::string> watchPaths() const;
    // Whether a rotated log's old content is still watched for late lines.
    bool draining() const { return !m_rotated.empty(); }

    // How long the old content of a rotated log is still looked at for lines the daemon writes
    // before it reopens its log.
    static constexpr std::chrono::seconds DrainTime{60};

private:
    struct FileState {
        std::string path;
        std::string folder;
        std::string name;
        int fd = -1;
        std::uint64_t dev = 0;
        std::uint64_t ino = 0;
        std::int64_t size = 0;
        std::int64_t mtimeNs = 0;
        std::string head;  // its first bytes, to find it again once compressed or copied
        std::chrono::steady_clock::time_point lastChange;
    };

    // Opens `path` and records what it is now; false (state cleared) when it is not there.
    static bool look(FileState &f);
    static void close(FileState &f);
    // Another file beside `f` (mail.log.1, mail.log-20261203.gz) whose text starts with f.head.
    static std::string findCopy(const FileState &f);
    // The name the inode of `f` has now in its folder; empty when it has none.
    static std::string currentName(const FileState &f);
    void retire(FileState &f, std::vector<std::string> &out);
    void checkRotated(std::vector<std::string> &out);

    std::vector<FileState> m_files;
    std::vector<FileState> m_rotated;  // old content of rotated logs
};

} // namespace mailtrail
