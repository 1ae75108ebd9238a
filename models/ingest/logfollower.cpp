// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/logfollower.h"

#include "ingest/logreader.h"

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailtrail {

namespace {

// As many first bytes as the cache uses to know a content (fileprobe::IdentityBytes).
constexpr std::size_t HeadBytes = 4096;

std::int64_t mtimeNs(const struct stat &st)
{
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string readHead(int fd, std::int64_t size)
{
    std::string head(static_cast<std::size_t>(std::min<std::int64_t>(size, HeadBytes)), '\0');
    const ssize_t got = ::pread(fd, head.data(), head.size(), 0);
    head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return head;
}

void addOnce(std::vector<std::string> &list, const std::string &path)
{
    if (!path.empty() && std::find(list.begin(), list.end(), path) == list.end())
        list.push_back(path);
}

} // namespace

LogFollower::LogFollower(const std::vector<std::string> &paths)
{
    for (const std::string &path : paths) {
        FileState f;
        f.path = path;
        const std::size_t slash = path.rfind('/');
        f.folder = slash == std::string::npos ? std::string(".") : slash == 0 ? std::string("/") : path.substr(0, slash);
        f.name = slash == std::string::npos ? path : path.substr(slash + 1);
        look(f);
        m_files.push_back(std::move(f));
    }
}

LogFollower::~LogFollower()
{
    for (FileState &f : m_files)
        close(f);
    for (FileState &f : m_rotated)
        close(f);
}

bool LogFollower::look(FileState &f)
{
    close(f);
    f.fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(f);
        return false;
    }
    f.dev = static_cast<std::uint64_t>(st.st_dev);
    f.ino = static_cast<std::uint64_t>(st.st_ino);
    f.size = static_cast<std::int64_t>(st.st_size);
    f.mtimeNs = mtimeNs(st);
    f.head = readHead(f.fd, f.size);
    f.lastChange = std::chrono::steady_clock::now();
    return true;
}

void LogFollower::close(FileState &f)
{
    if (f.fd >= 0)
        ::close(f.fd);
    f.fd = -1;
    f.dev = f.ino = 0;
    f.size = f.mtimeNs = 0;
}

std::vector<std::string> LogFollower::changes()
{
    std::vector<std::string> out;
    for (FileState &f : m_files) {
        struct stat st {};
        const bool present = ::stat(f.path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        if (!present) {
            if (f.fd >= 0)
                retire(f, out);  // renamed or deleted, not recreated yet
            continue;
        }
        if (f.fd < 0 || static_cast<std::uint64_t>(st.st_ino) != f.ino || static_cast<std::uint64_t>(st.st_dev) != f.dev) {
            if (f.fd >= 0)
                retire(f, out);
            look(f);
            addOnce(out, f.path);
            continue;
        }
        if (static_cast<std::int64_t>(st.st_size) == f.size && mtimeNs(st) == f.mtimeNs)
            continue;
        // Shorter, or starting with other bytes: copytruncate emptied it (and it may have grown
        // again since); what it held up to then is in the copy beside it.
        const bool shrunk = static_cast<std::int64_t>(st.st_size) < f.size;
        const std::string head = readHead(f.fd, static_cast<std::int64_t>(st.st_size));
        const std::size_t common = std::min(head.size(), f.head.size());
        if (shrunk || head.compare(0, common, f.head, 0, common) != 0)
            addOnce(out, findCopy(f));
        look(f);
        addOnce(out, f.path);
    }
    checkRotated(out);
    return out;
}

void LogFollower::retire(FileState &f, std::vector<std::string> &out)
{
    FileState old = f;
    f.fd = -1;
    close(f);
    // Its old content, under its new name or compressed: lines may have come since the last import.
    const std::string name = currentName(old);
    addOnce(out, name.empty() ? findCopy(old) : name);
    struct stat st {};
    if (!name.empty() && ::fstat(old.fd, &st) == 0) {
        old.size = static_cast<std::int64_t>(st.st_size);
        old.lastChange = std::chrono::steady_clock::now();
        m_rotated.push_back(std::move(old));  // the daemon may write to it until it reopens its log
    } else {
        close(old);
    }
}

void LogFollower::checkRotated(std::vector<std::string> &out)
{
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_rotated.begin(); it != m_rotated.end();) {
        FileState &r = *it;
        struct stat st {};
        const bool ok = ::fstat(r.fd, &st) == 0;
        const bool grew = ok && static_cast<std::int64_t>(st.st_size) != r.size;
        if (!ok || st.st_nlink == 0) {
            // Deleted, or compressed (which deletes it): lines written since, if any, are in the copy.
            if (grew)
                addOnce(out, findCopy(r));
            close(r);
            it = m_rotated.erase(it);
            continue;
        }
        if (grew) {
            addOnce(out, currentName(r));
            r.size = static_cast<std::int64_t>(st.st_size);
            r.lastChange = now;
        } else if (now - r.lastChange > DrainTime) {
            close(r);
            it = m_rotated.erase(it);
            continue;
        }
        ++it;
    }
}

std::string LogFollower::currentName(const FileState &f)
{
    DIR *dir = ::opendir(f.folder.c_str());
    if (!dir)
        return {};
    std::string found;
    while (const dirent *e = ::readdir(dir)) {
        if (e->d_ino != f.ino)
            continue;
        const std::string path = f.folder + '/' + e->d_name;
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_dev) == f.dev &&
            static_cast<std::uint64_t>(st.st_ino) == f.ino && S_ISREG(st.st_mode)) {
            found = path;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

std::string LogFollower::findCopy(const FileState &f)
{
    if (f.head.empty())
        return {};
    std::vector<std::string> names;
    if (DIR *dir = ::opendir(f.folder.c_str())) {
        while (const dirent *e = ::readdir(dir)) {
            const std::string_view name(e->d_name);
            // mail.log.1, mail.log.1.gz, mail.log-20261203: logrotate's names for it.
            if (name.size() > f.name.size() && name.substr(0, f.name.size()) == f.name &&
                (name[f.name.size()] == '.' || name[f.name.size()] == '-'))
                names.emplace_back(name);
        }
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end());  // mail.log.1 before mail.log.1.gz: the plain one reads faster
    for (const std::string &name : names) {
        const std::string path = f.folder + '/' + name;
        if (LogReader::readHead(path, f.head.size()) == f.head)
            return path;
    }
    return {};
}

std::vector<std::string> LogFollower::watchPaths() const
{
    std::vector<std::string> paths;
    for (const FileState &f : m_files) {
        addOnce(paths, f.path);
        addOnce(paths, f.folder);
    }
    return paths;
}

} // namespace mailtrail
