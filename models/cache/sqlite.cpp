// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/sqlite.h"

#include "cache/ipcodec.h"
#include "cache/replycodec.h"
#include "cache/searchkeys.h"

#include <cstring>
#include <mutex>
#include <optional>
#include <tuple>
#include <sqlite3.h>

namespace mailtrail::sql {

namespace {
// Unless told not to, SQLite keeps memory statistics, taking a global mutex on every allocation of
// every connection. Mailtrail never reads them; the import spends about 4 % less CPU without.
// Must run before SQLite initialises itself (later, SQLite refuses it and nothing changes).
void configureOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// mailtrail_reversed(address): searchkeys::reversedAddress of a text, NULL for NULL or ''. The
// keys of the indexes behind the "*@domain" filters (layout 12), which store no reversed text in
// the rows. Deterministic, as an index on an expression requires, and innocuous, so that a
// connection that distrusts its schema (trusted_schema off) still writes those indexes.
void reversedFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const int bytes = sqlite3_value_bytes(argv[0]);
    if (!text || bytes == 0) {
        sqlite3_result_null(context);
        return;
    }
    const std::string reversed = searchkeys::reversedAddress(std::string_view(text, static_cast<std::size_t>(bytes)));
    sqlite3_result_text(context, reversed.data(), static_cast<int>(reversed.size()), SQLITE_TRANSIENT);
}

std::optional<std::string_view> textArgument(sqlite3_value *value)
{
    if (sqlite3_value_type(value) == SQLITE_NULL)
        return std::nullopt;
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(value));
    return std::string_view(text ? text : "", static_cast<std::size_t>(sqlite3_value_bytes(value)));
}

std::string_view blobArgument(sqlite3_value *value)
{
    const auto *bytes = static_cast<const char *>(sqlite3_value_blob(value));
    return std::string_view(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_value_bytes(value)));
}

void resultText(sqlite3_context *context, const std::optional<std::string> &text)
{
    if (!text) {
        sqlite3_result_error(context, "Mailtrail: a value in the cache is damaged", -1);
        return;
    }
    sqlite3_result_text(context, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
}

// mailtrail_reply(reply_text[, recipient]), mailtrail_text(column): the text a column stands for
// (layout 13). The writer stores a text as a BLOB only when replycodec shortened it; a TEXT (an
// older layout's, one the codec would not shorten) is the text itself. A delivery's reply is read
// with its recipient (layout 14: replycodec::encode). A BLOB that does not decode is an error,
// never shown as bytes.
void replyFunction(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(context, argv[0]);
        return;
    }
    resultText(context, replycodec::decode(blobArgument(argv[0]), argc > 1 ? textArgument(argv[1]) : std::nullopt));
}

// mailtrail_message_id(message_id, sender): a Message-ID encoded with its sender's domain
// (layout 14, replycodec::senderReference).
void messageIdFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(context, argv[0]);
        return;
    }
    const std::optional<std::string_view> sender = textArgument(argv[1]);
    resultText(context, replycodec::decode(blobArgument(argv[0]), replycodec::senderReference(sender.value_or(""))));
}

// mailtrail_ip(client_ip): an address stored as its bytes (layout 14, ipcodec), or a text.
void ipFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(context, argv[0]);
        return;
    }
    resultText(context, ipcodec::decode(blobArgument(argv[0])));
}

// What the schema's indexes and the readers call, on every connection: one without (the sqlite3
// shell) reads every table but cannot add or remove a delivery (docs/store.md, layout 12), and sees
// the encoded replies as blobs (layout 13).
int addSchemaFunctions(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    const int reversed = sqlite3_create_function_v2(db, ReversedFunction, 1, flags, nullptr, reversedFunction, nullptr,
                                                    nullptr, nullptr);
    if (reversed != SQLITE_OK)
        return reversed;
    using Function = void (*)(sqlite3_context *, int, sqlite3_value **);
    const std::tuple<const char *, int, Function> functions[] = {
        {ReplyFunction, 1, replyFunction}, {ReplyFunction, 2, replyFunction}, {TextFunction, 1, replyFunction},
        {MessageIdFunction, 2, messageIdFunction}, {IpFunction, 1, ipFunction}};
    for (const auto &[name, args, function] : functions) {
        if (const int rc = sqlite3_create_function_v2(db, name, args, flags, nullptr, function, nullptr, nullptr, nullptr);
            rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}
} // namespace

Database::~Database()
{
    close();
}

void Database::open(const std::string &path, bool readOnly, bool immutable)
{
    close();
    configureOnce();
    int flags = readOnly || immutable ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    std::string name = path;
    if (immutable) {
        // Only a URI carries the parameter; these three characters would end its path part.
        name = "file:";
        for (const char c : path) {
            if (c == '%' || c == '?' || c == '#') {
                static constexpr char Hex[] = "0123456789ABCDEF";
                name += '%';
                name += Hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
                name += Hex[static_cast<unsigned char>(c) & 0xf];
            } else {
                name += c;
            }
        }
        name += "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    const int rc = sqlite3_open_v2(name.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        const int systemErrno = m_db ? sqlite3_system_errno(m_db) : 0;
        close();
        throw Error(msg, rc, systemErrno);
    }
    sqlite3_extended_result_codes(m_db, 1);
    if (const int added = addSchemaFunctions(m_db); added != SQLITE_OK) {
        close();
        throw Error(std::string("the functions of the cache: ") + sqlite3_errstr(added), added);
    }
    if (!(flags & SQLITE_OPEN_READONLY)) {
        // A connection that only reads cannot checkpoint, and the last one to close a cache is
        // often such a reader (the window's): without a limit, the -wal file keeps the size of the
        // largest transaction ever written (a text index: hundreds of MB) for as long as the file
        // lives. The limit applies whenever a writer starts the WAL over.
        sqlite3_exec(m_db, "PRAGMA journal_size_limit = 16777216", nullptr, nullptr, nullptr);
    }
}

bool Database::shrinkJournal(int waitMs, int busyTimeoutMs)
{
    if (!m_db)
        return false;
    sqlite3_busy_timeout(m_db, waitMs);
    int logFrames = -1;
    int copied = -1;
    const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    return rc == SQLITE_OK;
}

void Database::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void Database::fail(const char *context) const
{
    const int code = sqlite3_extended_errcode(m_db);
    throw Error(std::string(context) + ": " + sqlite3_errmsg(m_db), code, sqlite3_system_errno(m_db));
}

void Database::exec(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw Error(msg, sqlite3_extended_errcode(m_db), sqlite3_system_errno(m_db));
    }
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

Statement::Statement(Database &db, std::string_view sql)
    : m_db(&db)
{
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                           nullptr) != SQLITE_OK)
        db.fail("prepare");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement &Statement::bind(int i, std::int64_t v)
{
    if (sqlite3_bind_int64(m_stmt, i, v) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bind(int i, double v)
{
    if (sqlite3_bind_double(m_stmt, i, v) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bind(int i, std::string_view v)
{
    // SQLITE_TRANSIENT: the caller's buffer may change before step().
    if (sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bindStatic(int i, std::string_view v)
{
    if (sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bindStaticBlob(int i, std::string_view v)
{
    if (sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bindBlob(int i, std::string_view v)
{
    if (sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement &Statement::bindNull(int i)
{
    if (sqlite3_bind_null(m_stmt, i) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqlite3_reset(m_stmt);
    m_db->fail("step");
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::runKeepingBindings()
{
    while (step()) {
    }
    sqlite3_reset(m_stmt);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::real(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

std::string_view Statement::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

std::string_view Statement::blob(int col) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

bool Statement::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

Transaction::Transaction(Database &db, Kind kind)
    : m_db(db)
{
    m_db.exec(kind == Write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (const Error &) {
            // Nothing to do: SQLite already rolled back after the error that brought us here.
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

PageCacheScope::PageCacheScope(Database &db, std::int64_t kib, bool atLeast)
    : m_db(db)
{
    std::int64_t kept = 0, pageSize = 0;
    {
        Statement size(db, "PRAGMA cache_size");
        size.step();
        kept = size.int64(0);
        Statement page(db, "PRAGMA page_size");
        page.step();
        pageSize = page.int64(0);
    }
    // Negative: KiB; otherwise pages.
    const std::int64_t now = kept < 0 ? -kept : kept * pageSize / 1024;
    if (atLeast && now >= kib)
        return;
    db.exec(("PRAGMA cache_size = -" + std::to_string(kib)).c_str());
    m_kept = kept;
}

PageCacheScope::~PageCacheScope()
{
    if (!m_kept)
        return;
    try {
        m_db.exec(("PRAGMA cache_size = " + std::to_string(*m_kept)).c_str());
    } catch (const Error &) {
        // A setting of speed only: the connection works either way.
    }
}

SortRunsScope::SortRunsScope(Database &db)
    : m_db(db)
{
    bool noTemps = false;
    {
        Statement temps(db, "SELECT count(*) FROM temp.sqlite_master");
        noTemps = temps.step() && temps.int64(0) == 0;
    }
    if (noTemps && sqlite3_get_autocommit(db.handle())) {
        db.exec("PRAGMA temp_store = FILE");
        m_switched = true;
    }
}

SortRunsScope::~SortRunsScope()
{
    if (!m_switched || !sqlite3_get_autocommit(m_db.handle()))
        return;
    try {
        m_db.exec("PRAGMA temp_store = MEMORY");
    } catch (const Error &) {
        // A setting of speed and memory only: the connection works either way.
    }
}

std::string describe(const Error &e, const std::string &path)
{
    switch (e.code() & 0xff) {
    case SQLITE_NOTADB:
        return "the cache file " + path + " is not a Mailtrail cache or is damaged; move it away or choose another with --cache";
    case SQLITE_CORRUPT:
        return "the cache file " + path + " is damaged (" + e.what() + "); move it away or choose another with --cache";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "the cache file " + path + " is locked by another process; try again when it has finished";
    case SQLITE_FULL:
        return "the disk holding the cache file " + path + " is full; nothing of this import was kept";
    case SQLITE_READONLY:
        return "the cache file " + path + " is read-only; choose a writable one with --cache";
    case SQLITE_CANTOPEN:
        return "cannot open the cache file " + path + " (" +
            (e.systemErrno() ? std::strerror(e.systemErrno()) : e.what()) + ")";
    case SQLITE_IOERR:
        return "cannot read or write the cache file " + path + " (" + e.what() + ")";
    case SQLITE_MISMATCH:
        return e.what();
    default:
        return "cache error in " + path + ": " + e.what();
    }
}

} // namespace mailtrail::sql
