// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/statssnapshot.h"

#include "cache/charttally.h"
#include "cache/sqlite.h"
#include "cache/statstally.h"

#include <algorithm>
#include <functional>
#include <memory>

#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>

namespace mailtrail {

namespace {

// Bumped whenever the tally's groups change shape or what they count (2: every deferred try counts in
// the reasons at its own time; 3: reasons keyed by their masked text and real destination, relay
// denials in every MTA's words; 4: held, discarded, abandoned and deleted messages, recipients sent
// without a line, RBL rejects by list; 5: a chain's delays run from its first hop's arrival; 6: still queued is every
// message shown queued or deferred, with or without a recipient; 7: a connection problem that named
// no host goes by "@" and its recipients' domain; 8: so does a failed lookup, not by the name it
// looked up): a part of another version is stale.
constexpr std::uint64_t FormatVersion = 8;
// The same for the chart's tries (StatsSnapshot::encodeChart; 2: a delivered try without a reply
// code is "delivered-no-reply", not "no reply").
constexpr std::uint64_t ChartFormatVersion = 2;
// More parts than this are merged into one by the import that adds the next.
constexpr int MaxParts = 16;

// A part's counter as stored: compressed by zstd at level 1 (with the frame's checksum,
// so that a damaged byte is never read as other numbers), after this byte and the raw size as a
// varint. 23.3 MB at 1 GB of log (mostly the senders' and recipients' texts). No encoding starts
// with either marker (the format's version, a small varint, comes first): a part written raw by
// an earlier build is read as it is, and one deflated by zlib after PackedMarker (before session
// 27: 8.2 MB at 1 GB, for 0.25 s at the end of the import, where zstd takes about a quarter).
constexpr unsigned char PackedMarker = 0xff;
constexpr unsigned char ZstdMarker = 0xfe;

void appendVarint(std::string &out, std::size_t v)
{
    for (;; v >>= 7) {
        out.push_back(static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
        if (v < 0x80)
            break;
    }
}

// Compresses an encoding given in pieces (a Writer's sink), after the marker and the raw size.
class Packer
{
public:
    explicit Packer(std::size_t rawSize)
    {
        m_out.push_back(static_cast<char>(ZstdMarker));
        appendVarint(m_out, rawSize);
        ZSTD_CCtx *z = m_z.get();
        if (!z || ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(z, rawSize)))
            throw sql::Error("cannot compress the statistics part", SQLITE_NOMEM);
    }
    void add(std::string_view piece) { run(piece, ZSTD_e_continue); }
    std::string finish()
    {
        run({}, ZSTD_e_end);
        return std::move(m_out);
    }

private:
    void run(std::string_view piece, ZSTD_EndDirective mode)
    {
        ZSTD_inBuffer in{piece.data(), piece.size(), 0};
        std::size_t left = 0;
        do {
            char buffer[1 << 16];
            ZSTD_outBuffer out{buffer, sizeof buffer, 0};
            left = ZSTD_compressStream2(m_z.get(), &out, &in, mode);
            if (ZSTD_isError(left))
                throw sql::Error("cannot compress the statistics part", SQLITE_INTERNAL);
            m_out.append(buffer, out.pos);
        } while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
    }
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> m_z{ZSTD_createCCtx(), &ZSTD_freeCCtx};
    std::string m_out;
};

std::string packed(std::string_view raw)
{
    Packer p(raw.size());
    p.add(raw);
    return p.finish();
}

// A part deflated by an earlier build (after PackedMarker and the size), inflated into `storage`
// up to `size` bytes, never past it: false when it does not inflate to exactly that.
bool inflated(std::string_view data, std::size_t size, std::string &storage)
{
    z_stream z{};
    if (inflateInit(&z) != Z_OK)
        return false;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK && storage.size() < size) {
        char buffer[1 << 16];
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = static_cast<uInt>(std::min<std::size_t>(sizeof buffer, size - storage.size()));
        rc = inflate(&z, Z_NO_FLUSH);
        storage.append(buffer, static_cast<std::size_t>(reinterpret_cast<char *>(z.next_out) - buffer));
        if (rc == Z_BUF_ERROR && z.avail_in == 0)
            break;  // cut short
    }
    // All of it, and no more than it claims.
    if (storage.size() == size && rc == Z_OK) {
        char extra;
        z.next_out = reinterpret_cast<Bytef *>(&extra);
        z.avail_out = 1;
        rc = inflate(&z, Z_FINISH);
        if (z.avail_out == 0)
            rc = Z_DATA_ERROR;
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END && storage.size() == size;
}

// The same of a part compressed by zstd: one frame of that size (Packer states it), whose
// checksum holds. The window the frame asks for is bounded too: a damaged header would otherwise
// have the decoder allocate up to its default limit (128 MiB), whatever the size.
bool decompressed(std::string_view data, std::size_t size, std::string &storage)
{
    if (ZSTD_getFrameContentSize(data.data(), data.size()) != size)
        return false;
    const std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    ZSTD_DCtx *z = context.get();
    // Level 1 uses a window of 2^19 bytes at most.
    if (!z || ZSTD_isError(ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, 23)))
        return false;
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    std::size_t rc = 1;
    while (rc != 0 && !ZSTD_isError(rc) && storage.size() <= size) {
        char buffer[1 << 16];
        // One byte past the size it claims: a frame that holds more is refused, not read.
        ZSTD_outBuffer out{buffer, std::min<std::size_t>(sizeof buffer, size - storage.size() + 1), 0};
        const std::size_t before = in.pos;
        rc = ZSTD_decompressStream(z, &out, &in);
        storage.append(buffer, out.pos);
        if (!ZSTD_isError(rc) && rc != 0 && out.pos == 0 && in.pos == before)
            break;  // cut short
    }
    return rc == 0 && in.pos == in.size && storage.size() == size;
}

// The raw encoding of a stored counter: `bytes` itself, or decompressed into `storage`. Empty (no
// version: read as a damaged part) when a packed one does not come out at its size.
std::string_view unpacked(std::string_view bytes, std::string &storage)
{
    if (bytes.empty())
        return bytes;
    const auto marker = static_cast<unsigned char>(bytes.front());
    if (marker != PackedMarker && marker != ZstdMarker)
        return bytes;
    std::size_t at = 1, size = 0;
    for (int shift = 0; at < bytes.size() && shift < 64; shift += 7) {
        const auto b = static_cast<unsigned char>(bytes[at++]);
        size |= static_cast<std::size_t>(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    if (size == 0)
        return {};
    // In pieces, never past the size it claims: a damaged size asks for no memory.
    storage.clear();
    const std::string_view data = bytes.substr(at);
    const bool ok = marker == ZstdMarker ? decompressed(data, size, storage) : inflated(data, size, storage);
    if (!ok)
        return {};
    return storage;
}

// Varints (7 bits a byte), signed ones zigzagged, texts after their length: a part at 1 GB is
// mostly the senders and recipients' texts. A Writer that only counts (`sizing`) tells the size
// first: the text is then made in one allocation of its size, where growing it by doubling held
// up to three times its size at once (20 MB at 1 GB of log, at the import's peak of memory).
// With a `sink`, the text goes to it in pieces of about FlushBytes, and `out` holds one piece.
class Writer
{
public:
    static constexpr std::size_t FlushBytes = 1 << 20;
    explicit Writer(bool sizing = false, std::function<void(std::string_view)> sink = {})
        : m_sizing(sizing)
        , m_sink(std::move(sink)) {}
    void u(std::uint64_t v)
    {
        while (v >= 0x80) {
            put(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        put(static_cast<char>(v));
        spill();
    }
    void i(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
    void text(std::string_view s)
    {
        u(s.size());
        if (m_sizing)
            size += s.size();
        else
            out.append(s);
        spill();
    }
    // The rest to the sink.
    void flush()
    {
        if (m_sink && !out.empty())
            m_sink(out);
        out.clear();
    }
    std::string out;
    std::size_t size = 0;

private:
    void put(char c)
    {
        if (m_sizing)
            ++size;
        else
            out.push_back(c);
    }
    void spill()
    {
        if (m_sink && out.size() >= FlushBytes)
            flush();
    }
    bool m_sizing;
    std::function<void(std::string_view)> m_sink;
};

// `write(w)` once to size it, then again into a text reserved to that size.
template<typename Write>
std::string written(const Write &write)
{
    Writer sizer(true);
    write(sizer);
    Writer w;
    w.out.reserve(sizer.size);
    write(w);
    return std::move(w.out);
}

void encodeChartInto(Writer &w, const ChartKept &chart)
{
    w.u(ChartFormatVersion);
    for (const ChartTally *tally : {&chart.final, &chart.handOvers}) {
        for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
            const ChartTally::Cells &cells = tally->cells(group);
            w.u(cells.size());
            // In minute order, each after the one before: most minutes then take a byte.
            std::int64_t previous = 0;
            for (const auto &[key, count] : cells) {
                w.i(key.first - previous);
                previous = key.first;
                w.text(key.second);
                w.i(count);
            }
        }
    }
}

class Reader
{
public:
    explicit Reader(std::string_view in)
        : m_in(in) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    std::uint64_t u()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_in.size())
                break;
            const auto b = static_cast<unsigned char>(m_in[m_pos++]);
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        m_ok = false;
        return 0;
    }
    std::int64_t i()
    {
        const std::uint64_t v = u();
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    std::string_view text()
    {
        const std::uint64_t n = u();
        if (n > m_in.size() - m_pos) {
            m_ok = false;
            return {};
        }
        const std::string_view s = m_in.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    // A count of items, bounded by what is left (each item takes a byte at least).
    std::size_t count()
    {
        const std::uint64_t n = u();
        if (n > m_in.size() - m_pos) {
            m_ok = false;
            return 0;
        }
        return static_cast<std::size_t>(n);
    }

private:
    std::string_view m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

std::int64_t one(sql::Database &db, const char *query)
{
    sql::Statement st(db, query);
    return st.step() && !st.isNull(0) ? st.int64(0) : 0;
}

} // namespace

StatsSnapshot::State StatsSnapshot::current(sql::Database &db)
{
    State s;
    s.layout = one(db, "PRAGMA user_version");
    s.lastRun = one(db, "SELECT value FROM meta WHERE key = 'last_run'");
    // count(*) walks the smallest index (a few tens of milliseconds at a million rows); max(id) is
    // the rowid's last entry.
    s.messages = one(db, "SELECT count(*) FROM messages");
    s.maxId = one(db, "SELECT max(id) FROM messages");
    return s;
}

bool StatsSnapshot::hasTable(sql::Database &db)
{
    return one(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'stats_snapshot'") > 0;
}

namespace {

bool hasChartColumn(sql::Database &db)
{
    return one(db, "SELECT count(*) FROM pragma_table_info('stats_snapshot') WHERE name = 'chart'") > 0;
}

} // namespace

void StatsSnapshot::createTable(sql::Database &db)
{
    db.exec("CREATE TABLE IF NOT EXISTS stats_snapshot(part INTEGER PRIMARY KEY, layout INTEGER NOT NULL, "
            "last_run INTEGER NOT NULL, messages INTEGER NOT NULL, max_id INTEGER NOT NULL, counter BLOB NOT NULL, "
            "chart BLOB)");
    // A table an earlier build made has no place for the chart's tries yet: its parts have none.
    if (!hasChartColumn(db))
        db.exec("ALTER TABLE stats_snapshot ADD COLUMN chart BLOB");
}

bool StatsSnapshot::describes(sql::Database &db, const State &state)
{
    if (!hasTable(db))
        return state.messages == 0;
    sql::Statement last(db, "SELECT layout, last_run, messages, max_id FROM stats_snapshot ORDER BY part DESC LIMIT 1");
    if (!last.step())
        return state.messages == 0;
    return State{last.int64(0), last.int64(1), last.int64(2), last.int64(3)} == state;
}

bool StatsSnapshot::load(sql::Database &db, const State &state, StatsTally &into, int *parts)
{
    if (!hasTable(db))
        return false;
    {
        sql::Statement last(db, "SELECT layout, last_run, messages, max_id FROM stats_snapshot ORDER BY part DESC LIMIT 1");
        if (!last.step() || !(State{last.int64(0), last.int64(1), last.int64(2), last.int64(3)} == state))
            return false;
    }
    int n = 0;
    sql::Statement st(db, "SELECT counter FROM stats_snapshot ORDER BY part");
    while (st.step()) {
        // The first part read in place: at 1 GB it holds a few hundred thousand groups, which a
        // merge would copy once more.
        if (n == 0 && into.empty()) {
            if (!decode(st.blob(0), into))
                return false;
        } else {
            StatsTally part(0);
            if (!decode(st.blob(0), part))
                return false;
            into.merge(part);
        }
        ++n;
    }
    if (parts)
        *parts = n;
    return true;
}

bool StatsSnapshot::loadChart(sql::Database &db, const State &state, ChartKept &into)
{
    if (!hasTable(db) || !hasChartColumn(db))
        return false;
    {
        sql::Statement last(db, "SELECT layout, last_run, messages, max_id FROM stats_snapshot ORDER BY part DESC LIMIT 1");
        if (!last.step() || !(State{last.int64(0), last.int64(1), last.int64(2), last.int64(3)} == state))
            return false;
    }
    ChartKept all;
    sql::Statement st(db, "SELECT chart FROM stats_snapshot ORDER BY part");
    while (st.step()) {
        ChartKept part;
        if (st.isNull(0) || !decodeChart(st.blob(0), part))
            return false;
        all.merge(part);
    }
    into.merge(all);
    return true;
}

void StatsSnapshot::append(sql::Database &db, const State &state, const std::string &encoded, const std::string *chart)
{
    createTable(db);
    sql::Statement insert(db, "INSERT INTO stats_snapshot(layout, last_run, messages, max_id, counter, chart) "
                              "VALUES(?,?,?,?,?,?)");
    // Not copied: both outlive the insert.
    const std::string stored = packed(encoded);
    insert.bind(1, state.layout).bind(2, state.lastRun).bind(3, state.messages).bind(4, state.maxId)
        .bindStaticBlob(5, stored);
    if (chart)
        insert.bindStaticBlob(6, *chart);
    else
        insert.bindNull(6);
    insert.run();
}

void StatsSnapshot::appendTally(sql::Database &db, const State &state, const StatsTally &tally, const std::string *chart)
{
    // The raw encoding is never whole in memory: compressed as it is made, the packed part is then
    // written into a row made with room for it (zeroblob). Made whole, the raw text and SQLite's
    // copy of it in the record were 40 MB at 1 GB of log, on top of the tally, at the import's
    // peak of memory. The chart after it is a zeroblob too, written the same way: SQLite expands a
    // zeroblob that a column with bytes follows, into the record it makes (2 x 23 MB at 1 GB, the
    // peak of session 12).
    Writer sizer(true);
    encodeInto(sizer, tally);
    Packer packer(sizer.size);
    std::size_t made = 0;
    {
        Writer w(false, [&](std::string_view piece) {
            packer.add(piece);
            made += piece.size();
        });
        encodeInto(w, tally);
        w.flush();
    }
    if (made != sizer.size)
        throw sql::Error("the statistics part was not the size it was counted at", SQLITE_INTERNAL);
    const std::string stored = packer.finish();
    createTable(db);
    sql::Statement insert(db, chart ? "INSERT INTO stats_snapshot(layout, last_run, messages, max_id, counter, chart) "
                                      "VALUES(?,?,?,?,zeroblob(?),zeroblob(?))"
                                    : "INSERT INTO stats_snapshot(layout, last_run, messages, max_id, counter, chart) "
                                      "VALUES(?,?,?,?,zeroblob(?),NULL)");
    insert.bind(1, state.layout).bind(2, state.lastRun).bind(3, state.messages).bind(4, state.maxId)
        .bind(5, static_cast<std::int64_t>(stored.size()));
    if (chart)
        insert.bind(6, static_cast<std::int64_t>(chart->size()));
    insert.run();
    const std::int64_t part = db.lastInsertId();
    auto open = [&db, part](const char *column, const char *what) {
        sqlite3_blob *blob = nullptr;
        if (sqlite3_blob_open(db.handle(), "main", "stats_snapshot", column, part, 1, &blob) != SQLITE_OK) {
            sqlite3_blob_close(blob);
            db.fail(what);
        }
        return blob;
    };
    sqlite3_blob *blob = open("counter", "open the statistics part");
    const bool ok = sqlite3_blob_write(blob, stored.data(), static_cast<int>(stored.size()), 0) == SQLITE_OK;
    if (sqlite3_blob_close(blob) != SQLITE_OK || !ok)
        db.fail("write the statistics part");
    if (chart && !chart->empty()) {
        blob = open("chart", "open the statistics part's chart");
        const bool written = sqlite3_blob_write(blob, chart->data(), static_cast<int>(chart->size()), 0) == SQLITE_OK;
        if (sqlite3_blob_close(blob) != SQLITE_OK || !written)
            db.fail("write the statistics part's chart");
    }
}

void StatsSnapshot::setChart(sql::Database &db, const std::string &chart)
{
    createTable(db);
    sql::Statement set(db, "UPDATE stats_snapshot SET chart = CASE WHEN part = (SELECT min(part) FROM stats_snapshot) "
                           "THEN ?1 ELSE ?2 END");
    set.bindBlob(1, chart).bindBlob(2, encodeChart(ChartKept{}));
    set.run();
}

void StatsSnapshot::compact(sql::Database &db, const State &state, int top)
{
    if (one(db, "SELECT count(*) FROM stats_snapshot") <= MaxParts)
        return;
    // A follow adds a small part a batch. The first part of a big log (20 MB at 1 GB) is left as
    // it is while the parts after it are smaller together: merging it too would read and write it
    // every MaxParts batches.
    if (one(db, "SELECT coalesce(sum(length(counter)), 0) FROM stats_snapshot WHERE part > (SELECT min(part) FROM stats_snapshot)") <
        one(db, "SELECT length(counter) FROM stats_snapshot ORDER BY part LIMIT 1")) {
        StatsTally later(top);
        ChartKept laterChart;
        bool charted = hasChartColumn(db);  // every part merged has the chart's tries
        sql::Statement st(db, charted ? "SELECT counter, chart FROM stats_snapshot WHERE part > (SELECT min(part) FROM "
                                        "stats_snapshot) ORDER BY part"
                                      : "SELECT counter FROM stats_snapshot WHERE part > (SELECT min(part) FROM "
                                        "stats_snapshot) ORDER BY part");
        while (st.step()) {
            StatsTally part(0);
            if (!decode(st.blob(0), part)) {
                clear(db);
                return;
            }
            later.merge(part);
            ChartKept chart;
            charted = charted && !st.isNull(1) && decodeChart(st.blob(1), chart);
            if (charted)
                laterChart.merge(chart);
        }
        st.reset();
        db.exec("DELETE FROM stats_snapshot WHERE part > (SELECT min(part) FROM stats_snapshot)");
        const std::string chart = charted ? encodeChart(laterChart) : std::string();
        append(db, state, encode(later), charted ? &chart : nullptr);
        return;
    }
    StatsTally all(top);
    if (!load(db, state, all)) {
        clear(db);
        return;
    }
    ChartKept allChart;
    const bool charted = loadChart(db, state, allChart);
    clear(db);
    const std::string chart = charted ? encodeChart(allChart) : std::string();
    append(db, state, encode(all), charted ? &chart : nullptr);
}

void StatsSnapshot::clear(sql::Database &db)
{
    if (hasTable(db))
        db.exec("DELETE FROM stats_snapshot");
}

std::string StatsSnapshot::encode(const StatsTally &t)
{
    return written([&t](Writer &w) { encodeInto(w, t); });
}

template<typename W>
void StatsSnapshot::encodeInto(W &w, const StatsTally &t)
{
    w.u(FormatVersion);
    const Stats &n = t.m_totals;
    for (std::int64_t v : {n.messagesAll, n.stillQueued, n.recipients, n.queuedRecipients, n.sent, n.deferred, n.bounced,
                           n.expired, n.rejected, n.held, n.discarded, n.abandoned, n.deleted, n.sentWithoutLine})
        w.i(v);
    w.u(t.m_recipientsDelivered.size());
    for (const std::string &r : t.m_recipientsDelivered)
        w.text(r);
    // Sorted, each after the one before: most ids then take a byte or two.
    std::vector<std::int64_t> deferred(t.m_deferredMessages.begin(), t.m_deferredMessages.end());
    std::sort(deferred.begin(), deferred.end());
    w.u(deferred.size());
    std::int64_t previous = 0;
    for (std::int64_t id : deferred) {
        w.i(id - previous);
        previous = id;
    }
    for (const auto *cells : {&t.m_received, &t.m_deliveries, &t.m_tries}) {
        w.u(cells->size());
        for (const auto &[key, c] : *cells) {
            w.i(key.first);
            w.i(key.second);
            for (std::int64_t v : {c.count, c.bounced, c.rejected, c.deferred, c.delivered, c.bytes, c.minMs})
                w.i(v);
            w.i(c.maxOffset);
            w.u(c.any ? 1 : 0);
        }
    }
    for (const auto *groups : {&t.m_senders, &t.m_senderDomains, &t.m_recipientDomains, &t.m_relays}) {
        w.u(groups->size());
        for (const auto &[key, g] : *groups) {
            w.text(key);
            for (std::int64_t v : {g.count, g.problems, g.bytes, g.counted})
                w.i(v);
        }
    }
    auto span = [&w](const StatsTally::Span &s) {
        w.i(s.count);
        w.i(s.firstMs);
        w.i(s.lastMs);
        w.text(s.detail);
    };
    w.u(t.m_reasons.size());
    for (const auto &[key, s] : t.m_reasons) {
        const auto &[status, host, code, dsn, text] = key;
        w.i(status);
        w.u(host ? 1 : 0);
        w.text(host.value_or(std::string()));
        w.i(code);
        w.text(dsn);
        w.text(text);
        span(s);
    }
    for (const auto *spans : {&t.m_rejectReasons, &t.m_rejectClients, &t.m_relayDenials, &t.m_rblHits, &t.m_rblLists}) {
        w.u(spans->size());
        for (const auto &[key, s] : *spans) {
            w.text(key);
            span(s);
        }
    }
    w.u(t.m_connectivity.size());
    for (const auto &[key, s] : t.m_connectivity) {
        w.text(key.first);
        w.text(key.second);
        span(s);
    }
    w.u(t.m_delays.size());
    for (const auto &[ms, count] : t.m_delays) {
        w.i(ms);
        w.i(count);
    }
}

std::string StatsSnapshot::encodeChart(const ChartKept &chart)
{
    return written([&chart](Writer &w) { encodeChartInto(w, chart); });
}


bool StatsSnapshot::decodeChart(std::string_view bytes, ChartKept &into)
{
    Reader r(bytes);
    if (r.u() != ChartFormatVersion)
        return false;
    for (ChartTally *tally : {&into.final, &into.handOvers}) {
        for (ChartGroup group : {ChartGroup::Outcome, ChartGroup::ReplyCode, ChartGroup::EnhancedCode}) {
            std::int64_t minute = 0;
            for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
                minute += r.i();
                const std::string_view key = r.text();
                tally->add(group, minute, key, r.i());
            }
        }
    }
    return r.ok() && r.atEnd();
}

bool StatsSnapshot::decode(std::string_view stored, StatsTally &t)
{
    std::string storage;
    const std::string_view bytes = unpacked(stored, storage);
    Reader r(bytes);
    if (r.u() != FormatVersion)
        return false;
    Stats &n = t.m_totals;
    for (std::int64_t *v : {&n.messagesAll, &n.stillQueued, &n.recipients, &n.queuedRecipients, &n.sent, &n.deferred,
                            &n.bounced, &n.expired, &n.rejected, &n.held, &n.discarded, &n.abandoned, &n.deleted,
                            &n.sentWithoutLine})
        *v = r.i();
    const std::size_t recipients = r.count();
    t.m_recipientsDelivered.reserve(recipients);
    for (std::size_t k = recipients; k > 0 && r.ok(); --k)
        t.m_recipientsDelivered.emplace(r.text());
    std::int64_t id = 0;
    const std::size_t deferred = r.count();
    t.m_deferredMessages.reserve(deferred);
    for (std::size_t k = deferred; k > 0 && r.ok(); --k) {
        id += r.i();
        t.m_deferredMessages.insert(id);
    }
    for (auto *cells : {&t.m_received, &t.m_deliveries, &t.m_tries}) {
        for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
            const std::int64_t day = r.i();
            const auto hour = static_cast<int>(r.i());
            StatsTally::HourCell &c = (*cells)[{day, hour}];
            for (std::int64_t *v : {&c.count, &c.bounced, &c.rejected, &c.deferred, &c.delivered, &c.bytes, &c.minMs})
                *v = r.i();
            c.maxOffset = static_cast<std::int32_t>(r.i());
            c.any = r.u() != 0;
        }
    }
    for (auto *groups : {&t.m_senders, &t.m_senderDomains, &t.m_recipientDomains, &t.m_relays}) {
        const std::size_t size = r.count();
        groups->reserve(size);
        for (std::size_t k = size; k > 0 && r.ok(); --k) {
            StatsTally::Group &g = (*groups)[std::string(r.text())];
            for (std::int64_t *v : {&g.count, &g.problems, &g.bytes, &g.counted})
                *v = r.i();
        }
    }
    auto span = [&r](StatsTally::Span &s) {
        s.count = r.i();
        s.firstMs = r.i();
        s.lastMs = r.i();
        s.detail = r.text();
    };
    for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
        const auto status = static_cast<int>(r.i());
        const bool hasHost = r.u() != 0;
        const std::string_view host = r.text();
        const auto code = static_cast<int>(r.i());
        const std::string_view dsn = r.text();
        const std::string_view text = r.text();
        span(t.m_reasons[StatsTally::ReasonKey{status, hasHost ? std::optional<std::string>(host) : std::nullopt, code,
                                               std::string(dsn), std::string(text)}]);
    }
    for (auto *spans : {&t.m_rejectReasons, &t.m_rejectClients, &t.m_relayDenials, &t.m_rblHits, &t.m_rblLists}) {
        for (std::size_t k = r.count(); k > 0 && r.ok(); --k)
            span((*spans)[std::string(r.text())]);
    }
    for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
        std::string destination(r.text());
        std::string kind(r.text());
        span(t.m_connectivity[{std::move(destination), std::move(kind)}]);
    }
    for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
        const std::int64_t ms = r.i();
        t.m_delays[ms] += r.i();
    }
    return r.ok() && r.atEnd();
}

} // namespace mailtrail
