// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/charttries.h"

#include "cache/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <tuple>
#include <functional>
#include <limits>
#include <new>
#include <unordered_map>

namespace mailtrail {

namespace {

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void putSigned(std::string &out, std::int64_t v)
{
    putVarint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

bool getVarint(std::string_view &in, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (in.empty())
            return false;
        const auto byte = static_cast<std::uint8_t>(in.front());
        in.remove_prefix(1);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

bool getSigned(std::string_view &in, std::int64_t &v)
{
    std::uint64_t u = 0;
    if (!getVarint(in, u))
        return false;
    v = static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    return true;
}

// The tries counted so far by one call of an aggregate, by minute and key value.
struct Tally {
    struct Key {
        std::int64_t minute = 0;
        TallyCell::Type type = TallyCell::Type::Null;
        std::int64_t number = 0;
        std::string text;
        bool operator==(const Key &) const = default;
    };
    struct Hash {
        std::size_t operator()(const Key &k) const
        {
            const std::size_t h = std::hash<std::int64_t>()(k.minute * 1000003 + k.number * 31 + static_cast<int>(k.type));
            return k.type == TallyCell::Type::Text ? h ^ std::hash<std::string>()(k.text) : h;
        }
    };
    std::unordered_map<Key, std::int64_t, Hash> counts;
    std::vector<ChartTry> scratch;  // a delivery's tries, decoded

    void add(std::int64_t minute, sqlite3_value *value)
    {
        Key key;
        key.minute = minute;
        switch (sqlite3_value_type(value)) {
        case SQLITE_NULL: break;
        case SQLITE_INTEGER:
        case SQLITE_FLOAT:
            key.type = TallyCell::Type::Integer;
            key.number = sqlite3_value_int64(value);
            break;
        default: {
            key.type = TallyCell::Type::Text;
            const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(value));
            key.text.assign(text ? text : "", static_cast<std::size_t>(sqlite3_value_bytes(value)));
        }
        }
        ++counts[key];
    }
    // A key kept in a try's blob: 0 stands for NULL, as the writer binds no reply code or
    // enhanced code of 0 (the status is never NULL).
    void add(std::int64_t minute, std::int64_t number, bool zeroIsNull)
    {
        Key key;
        key.minute = minute;
        if (number != 0 || !zeroIsNull) {
            key.type = TallyCell::Type::Integer;
            key.number = number;
        }
        ++counts[key];
    }

    std::string encode() const
    {
        std::string out;
        for (const auto &[key, count] : counts) {
            putSigned(out, key.minute);
            out += static_cast<char>(key.type);
            if (key.type == TallyCell::Type::Integer)
                putSigned(out, key.number);
            if (key.type == TallyCell::Type::Text) {
                putVarint(out, key.text.size());
                out += key.text;
            }
            putVarint(out, static_cast<std::uint64_t>(count));
        }
        return out;
    }
};

// The aggregate's state in SQLite's aggregate context: a pointer, zero (no row yet) until the
// first step makes it.
template<typename State>
State *state(sqlite3_context *context, bool create)
{
    auto **slot = static_cast<State **>(sqlite3_aggregate_context(context, create ? sizeof(State *) : 0));
    if (!slot)
        return nullptr;
    if (!*slot && create)
        *slot = new (std::nothrow) State;
    return *slot;
}

// The tally's value, and its state freed. Also called when a statement is reset or finalized
// before its end.
void tallyFinal(sqlite3_context *context)
{
    Tally *tally = state<Tally>(context, false);
    const std::string out = tally ? tally->encode() : std::string();
    delete tally;
    sqlite3_result_blob64(context, out.data(), out.size(), SQLITE_TRANSIENT);
}

void tallyStep(sqlite3_context *context, int, sqlite3_value **argv)
{
    Tally *tally = state<Tally>(context, true);
    if (!tally) {
        sqlite3_result_error_nomem(context);
        return;
    }
    tally->add(sqlite3_value_int64(argv[0]), argv[1]);
}

// One delivery row: its last try and the earlier ones of its blob, as the rows' SQL over the
// attempts table counts them (chartqueries.cpp, triesSql: the conditions are the same, and the
// cells are equal on every real log, tst_cachelayout and tst_chartsnapshot).
void triesStep(sqlite3_context *context, int, sqlite3_value **argv)
{
    Tally *tally = state<Tally>(context, true);
    if (!tally) {
        sqlite3_result_error_nomem(context);
        return;
    }
    const std::int64_t group = sqlite3_value_int64(argv[0]);
    // NULL: no bound.
    const std::int64_t since = sqlite3_value_type(argv[1]) == SQLITE_NULL ? std::numeric_limits<std::int64_t>::min()
                                                                           : sqlite3_value_int64(argv[1]);
    const std::int64_t until = sqlite3_value_type(argv[2]) == SQLITE_NULL ? std::numeric_limits<std::int64_t>::max()
                                                                           : sqlite3_value_int64(argv[2]);
    const std::int64_t status = sqlite3_value_int64(argv[3]), attempts = sqlite3_value_int64(argv[4]);
    const bool final = sqlite3_value_int64(argv[5]) != 0;
    const bool lastKnown = sqlite3_value_type(argv[6]) != SQLITE_NULL;
    const std::int64_t last = sqlite3_value_int64(argv[6]);
    const bool hasRows = sqlite3_value_type(argv[8]) != SQLITE_NULL && sqlite3_value_bytes(argv[8]) > 0;
    // A blob that is not one (a damaged row) counts as none, and its last try as a real one.
    std::int64_t rows = 0;
    tally->scratch.clear();
    bool decoded = false;
    if (hasRows) {
        const std::string_view blob(static_cast<const char *>(sqlite3_value_blob(argv[8])),
                                    static_cast<std::size_t>(sqlite3_value_bytes(argv[8])));
        decoded = charttries::decode(blob, tally->scratch, rows);
        if (!decoded)
            tally->scratch.clear();
    }
    const charttries::DeliveryTries row{static_cast<int>(status), attempts, final, lastKnown, last, hasRows, decoded};
    charttries::visitCounted(
        row, tally->scratch, since, until, [&](std::int64_t minute) { tally->add(minute, argv[7]); },
        [&](std::int64_t minute, const ChartTry &t) {
            switch (group) {
            case 0: tally->add(minute, t.status, false); break;
            case 1: tally->add(minute, charttries::replyKey(t.status, t.replyCode), true); break;
            default: tally->add(minute, t.dsnId, true); break;
            }
        });
}

void encodeStep(sqlite3_context *context, int, sqlite3_value **argv)
{
    auto *tries = state<std::vector<ChartTry>>(context, true);
    if (!tries) {
        sqlite3_result_error_nomem(context);
        return;
    }
    ChartTry &t = tries->emplace_back();
    t.timeMs = sqlite3_value_int64(argv[0]);
    t.status = sqlite3_value_int(argv[1]);
    t.replyCode = sqlite3_value_int(argv[2]);
    t.dsnId = sqlite3_value_int64(argv[3]);
    t.counted = sqlite3_value_int(argv[4]) != 0;
}

void encodeFinal(sqlite3_context *context)
{
    auto *tries = state<std::vector<ChartTry>>(context, false);
    const std::string out = tries ? charttries::encode(std::move(*tries)) : std::string();
    delete tries;
    if (out.empty())
        sqlite3_result_null(context);
    else
        sqlite3_result_blob64(context, out.data(), out.size(), SQLITE_TRANSIENT);
}

} // namespace

namespace charttries {

std::string encode(std::vector<ChartTry> tries)
{
    std::string out;
    if (tries.empty())
        return out;
    putVarint(out, tries.size());
    std::erase_if(tries, [](const ChartTry &t) { return !t.counted; });
    // In time order (then by key, so that the same rows always make the same bytes, whichever
    // order they are read in): the distances are small.
    std::sort(tries.begin(), tries.end(), [](const ChartTry &a, const ChartTry &b) {
        return std::tie(a.timeMs, a.status, a.replyCode, a.dsnId) < std::tie(b.timeMs, b.status, b.replyCode, b.dsnId);
    });
    std::int64_t previous = 0;
    for (const ChartTry &t : tries) {
        putSigned(out, t.timeMs - previous);
        previous = t.timeMs;
        putVarint(out, static_cast<std::uint64_t>(t.status));
        putVarint(out, static_cast<std::uint64_t>(t.replyCode));
        putVarint(out, static_cast<std::uint64_t>(t.dsnId));
    }
    return out;
}

bool lastTryCounted(const std::vector<ChartTry> &counted, std::int64_t lastMs)
{
    return std::any_of(counted.begin(), counted.end(), [lastMs](const ChartTry &t) { return t.timeMs >= lastMs; });
}

bool decode(std::string_view blob, std::vector<ChartTry> &counted, std::int64_t &rows)
{
    counted.clear();
    std::uint64_t n = 0;
    if (!getVarint(blob, n))
        return false;
    rows = static_cast<std::int64_t>(n);
    std::int64_t previous = 0;
    while (!blob.empty()) {
        std::int64_t distance = 0;
        std::uint64_t status = 0, code = 0, dsn = 0;
        if (!getSigned(blob, distance) || !getVarint(blob, status) || !getVarint(blob, code) || !getVarint(blob, dsn))
            return false;
        ChartTry &t = counted.emplace_back();
        t.timeMs = previous + distance;
        previous = t.timeMs;
        t.status = static_cast<int>(status);
        t.replyCode = static_cast<int>(code);
        t.dsnId = static_cast<std::int64_t>(dsn);
    }
    return static_cast<std::uint64_t>(counted.size()) <= n;
}

} // namespace charttries

void addChartFunctions(sql::Database &db)
{
    if (sql::Statement(db, "SELECT 1 FROM pragma_function_list WHERE name = 'mailtrail_chart_tries'").step())
        return;
    struct Function {
        const char *name;
        int arguments;
        void (*step)(sqlite3_context *, int, sqlite3_value **);
        void (*final)(sqlite3_context *);
    };
    constexpr Function Functions[] = {
        {"mailtrail_chart_tally", 2, tallyStep, tallyFinal},
        {"mailtrail_encode_tries", 5, encodeStep, encodeFinal},
        // Last: its presence stands for all three.
        {"mailtrail_chart_tries", 9, triesStep, tallyFinal},
    };
    for (const Function &f : Functions) {
        if (sqlite3_create_function_v2(db.handle(), f.name, f.arguments, SQLITE_UTF8 | SQLITE_DIRECTONLY, nullptr, nullptr,
                                       f.step, f.final, nullptr) != SQLITE_OK)
            db.fail(f.name);
    }
}

bool decodeTally(std::string_view blob, std::vector<TallyCell> &cells)
{
    cells.clear();
    while (!blob.empty()) {
        TallyCell &cell = cells.emplace_back();
        std::uint64_t count = 0;
        if (!getSigned(blob, cell.minute) || blob.empty())
            return false;
        const auto type = static_cast<std::uint8_t>(blob.front());
        blob.remove_prefix(1);
        if (type > static_cast<std::uint8_t>(TallyCell::Type::Text))
            return false;
        cell.type = static_cast<TallyCell::Type>(type);
        if (cell.type == TallyCell::Type::Integer && !getSigned(blob, cell.number))
            return false;
        if (cell.type == TallyCell::Type::Text) {
            std::uint64_t size = 0;
            if (!getVarint(blob, size) || size > blob.size())
                return false;
            cell.text.assign(blob.substr(0, size));
            blob.remove_prefix(size);
        }
        if (!getVarint(blob, count))
            return false;
        cell.count = static_cast<std::int64_t>(count);
    }
    return true;
}

} // namespace mailtrail
