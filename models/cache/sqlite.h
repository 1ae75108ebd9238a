// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mailtrail::sql {

// The SQL function every connection opened here has (Database::open): searchkeys::reversedAddress
// of its argument, NULL for NULL or ''. The indexes of the recipients' domains are over it.
inline constexpr const char *ReversedFunction = "mailtrail_reversed";
// And the reply text a deliveries' or attempts' reply_text stands for (layout 13): a TEXT as it is,
// a BLOB decoded (replycodec), NULL for NULL. Every read of those columns goes through it.
inline constexpr const char *ReplyFunction = "mailtrail_reply";
// Layout 14: the same for a column of other text the codec shortens (messages.client_host), for a
// message's Message-ID (with its sender, which it holds the domain of by reference), and for a
// client's IP address (ipcodec).
inline constexpr const char *TextFunction = "mailtrail_text";
inline constexpr const char *MessageIdFunction = "mailtrail_message_id";
inline constexpr const char *IpFunction = "mailtrail_ip";

// Thrown for any SQLite failure inside the cache layer; caught at the cache's public API and turned
// into an error message there, so callers above see a status, never an exception.
class Error : public std::runtime_error
{
public:
    Error(const std::string &what, int code, int systemErrno = 0)
        : std::runtime_error(what), m_code(code), m_systemErrno(systemErrno) {}
    int code() const { return m_code; }
    // The operating system's errno behind a failed open or I/O, 0 when none: errno itself has
    // moved on by the time the error is put into words.
    int systemErrno() const { return m_systemErrno; }
private:
    int m_code;
    int m_systemErrno;
};

class Database
{
public:
    Database() = default;
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // `immutable`: read-only, trusting that nobody changes the file while it is open, so SQLite
    // needs neither locks nor the -shm file (a cache on a read-only mount, or in a folder this
    // user may not write).
    void open(const std::string &path, bool readOnly = false, bool immutable = false);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    void exec(const char *sql);
    // After a large write: copies the WAL into the database and empties the -wal file, waiting at
    // most `waitMs` for readers still on an older snapshot (then the file is only reused, not
    // emptied); the busy timeout is `busyTimeoutMs` again afterwards. False when it could not be
    // emptied; never throws.
    bool shrinkJournal(int waitMs, int busyTimeoutMs);
    std::int64_t lastInsertId() const;
    int changes() const;
    sqlite3 *handle() const { return m_db; }
    [[noreturn]] void fail(const char *context) const;

private:
    sqlite3 *m_db = nullptr;
};

// A prepared statement, reset after each step sequence; bind indexes are 1-based as in SQLite.
class Statement
{
public:
    Statement() = default;
    Statement(Database &db, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(int i, std::int64_t v);
    Statement &bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement &bind(int i, double v);
    Statement &bind(int i, std::string_view v);      // text, copied by SQLite only when needed
    Statement &bindBlob(int i, std::string_view v);
    Statement &bindNull(int i);
    Statement &bindOptional(int i, std::string_view v) { return v.empty() ? bindNull(i) : bind(i, v); }
    // `v` when `present`, NULL otherwise: for numbers whose absence is a value of their own (-1, 0).
    template<typename T>
    Statement &bindIf(int i, bool present, T v)
    {
        return present ? bind(i, v) : bindNull(i);
    }
    // Without a copy: the caller keeps `v` alive and unchanged until the statement is reset.
    // For the importer's hot path, where every row would otherwise be copied twice.
    Statement &bindStatic(int i, std::string_view v);
    Statement &bindStaticBlob(int i, std::string_view v);
    Statement &bindStaticOptional(int i, std::string_view v) { return v.empty() ? bindNull(i) : bindStatic(i, v); }

    bool step();  // true while a row is available
    void run();   // step to completion, then reset
    // As run(), but the bindings stay (static ones then point at freed memory): for the importer's
    // inserts, which bind every parameter again before each run; clearing them costs a pass over
    // all parameters per row.
    void runKeepingBindings();
    void reset();

    std::int64_t int64(int col) const;
    int integer(int col) const { return static_cast<int>(int64(col)); }
    double real(int col) const;
    std::string_view text(int col) const;
    std::string_view blob(int col) const;
    bool isNull(int col) const;

private:
    Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// Commits on commit(), rolls back if destroyed without it (an exception or an early return).
// A Read one takes no write lock: its reads see one state of the file.
class Transaction
{
public:
    enum Kind { Write, Read };
    explicit Transaction(Database &db, Kind kind = Write);
    ~Transaction();
    void commit();
private:
    Database &m_db;
    bool m_done = false;
};

// The connection's page cache set to `kib` for a scope, and given back after (a setting of speed
// and memory: the connection works either way). With `atLeast`, a larger cache is left as it is.
class PageCacheScope
{
public:
    PageCacheScope(Database &db, std::int64_t kib, bool atLeast = false);
    ~PageCacheScope();
    PageCacheScope(const PageCacheScope &) = delete;
    PageCacheScope &operator=(const PageCacheScope &) = delete;

private:
    Database &m_db;
    std::optional<std::int64_t> m_kept;  // PRAGMA cache_size's value to restore; none: unchanged
};

// SQLite's sorter (ORDER BY, CREATE INDEX) in runs of `cache_size` bytes written to temporary
// files for a scope, rather than every key in one list in memory, as temp_store=MEMORY (the
// connection's setting, for the queries' temporary tables) makes it. The files are deleted at once
// and rarely reach the disk. Switching drops the connection's temporary tables (the window's text
// matches), and SQLite refuses it inside a transaction: it is made only when neither is there,
// otherwise the keys are sorted in memory as before. Made before the statements it serves are
// prepared.
class SortRunsScope
{
public:
    explicit SortRunsScope(Database &db);
    ~SortRunsScope();
    SortRunsScope(const SortRunsScope &) = delete;
    SortRunsScope &operator=(const SortRunsScope &) = delete;
    bool switched() const { return m_switched; }

private:
    Database &m_db;
    bool m_switched = false;
};

// One sentence a mail administrator can act on, for each way SQLite can fail on the cache at `path`.
std::string describe(const Error &e, const std::string &path);

} // namespace mailtrail::sql
