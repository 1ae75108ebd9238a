#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Measures the addresses dictionary planned for layout 9 (docs/store.md) before it is built: turns
# a copy of a layout-8 cache into that shape with SQL alone, then times the address filters' SQL
# and the sorts by address on both copies, with their plans, and prints where the bytes go.
#
#   packaging/dev exec tests/bench/address-study.sh CACHE [WORKDIR]
#
# CACHE is a layout-8 cache as `mailtrail-cli import` writes it (its filter indexes built); it is
# only read. WORKDIR (default: the cache's folder) gets l8.sqlite and l9.sqlite, both vacuumed so
# that their sizes compare; they are left there for further queries, and reused by the next run
# (delete l9.sqlite to make both again). Each query runs BENCH_RUNS times (default 5) on each, the
# two layouts taking turns; the medians of the wall times are printed (sqlite3's .timer: the query
# alone, not the shell's start; a new shell each run, so SQLite's own page cache starts empty).
#
# The shape (what docs/store.md's plan, item 1, describes):
#   addresses(id INTEGER PRIMARY KEY, address TEXT NOT NULL COLLATE NOCASE, rev TEXT NOT NULL),
#     each address once as the log wrote it (case kept: distinct under BINARY), rev its lower-cased
#     reverse (searchkeys::reversedAddress; SQLite's lower() folds ASCII only, as that does);
#   messages.sender_id, first_rcpt_id; deliveries.recipient_id, orig_id in place of the strings and
#     of recipient_rev, orig_rev;
#   indexes: addresses_rev(rev), addresses_address(address) (NOCASE: the sort by address and a
#     sender prefix), messages_sender(sender_id, id, rcpt_count), deliveries_recipient_id
#     (recipient_id, message_id), deliveries_orig_id(orig_id, message_id) WHERE orig_id IS NOT NULL.
set -euo pipefail

SRC=${1:?usage: address-study.sh CACHE [WORKDIR]}
WORK=${2:-$(dirname "$SRC")}
RUNS=${BENCH_RUNS:-5}
L8="$WORK/l8.sqlite"
L9="$WORK/l9.sqlite"

q() { sqlite3 -batch -bail "$@"; }

[ "$(q "$SRC" 'PRAGMA user_version')" = 8 ] || { echo "address-study: $SRC is not a layout-8 cache" >&2; exit 2; }
case "$(realpath "$SRC")" in
"$(realpath -m "$L8")" | "$(realpath -m "$L9")") echo "address-study: $SRC would be overwritten; copy it elsewhere" >&2; exit 2 ;;
esac

if [ ! -s "$L9" ]; then
    rm -f "$L8" "$L9"
    echo "copying and vacuuming the layout-8 cache" >&2
    q "$SRC" "VACUUM INTO '$L8'"
    cp "$L8" "$L9"
    echo "turning the copy into the dictionary layout" >&2
    start=$EPOCHREALTIME
    q "$L9" >/dev/null <<'SQL'
PRAGMA synchronous = OFF;
PRAGMA cache_size = -65536;
PRAGMA temp_store = FILE;
PRAGMA threads = 1;
BEGIN;
-- COLLATE BINARY: the senders' column is NOCASE, and a UNION compares with the first column's
-- collation: "Alice@x" and "alice@x" would be one row, and one of the two spellings lost.
CREATE TEMP TABLE distinct_addresses AS
    SELECT sender COLLATE BINARY AS a FROM messages WHERE sender IS NOT NULL
    UNION SELECT first_rcpt FROM messages WHERE first_rcpt IS NOT NULL
    UNION SELECT recipient FROM deliveries WHERE recipient IS NOT NULL
    UNION SELECT orig_recipient FROM deliveries WHERE orig_recipient IS NOT NULL;
CREATE TABLE addresses(id INTEGER PRIMARY KEY, address TEXT NOT NULL COLLATE NOCASE, rev TEXT NOT NULL);
-- rev by characters (substr), where the writer reverses bytes: the same for ASCII addresses.
WITH RECURSIVE r(a, s, out) AS (
    SELECT a, lower(a), '' FROM distinct_addresses
    UNION ALL SELECT a, substr(s, 2), substr(s, 1, 1) || out FROM r WHERE s <> '')
INSERT INTO addresses(address, rev) SELECT a, out FROM r WHERE s = '';
CREATE INDEX addresses_exact ON addresses(address COLLATE BINARY);
DROP INDEX IF EXISTS messages_sender;
DROP INDEX IF EXISTS deliveries_recipient_rev;
DROP INDEX IF EXISTS deliveries_orig_rev;
DROP INDEX IF EXISTS deliveries_recipient;
ALTER TABLE messages ADD COLUMN sender_id INTEGER;
ALTER TABLE messages ADD COLUMN first_rcpt_id INTEGER;
UPDATE messages SET sender_id = (SELECT id FROM addresses WHERE address = messages.sender COLLATE BINARY),
    first_rcpt_id = (SELECT id FROM addresses WHERE address = messages.first_rcpt COLLATE BINARY);
ALTER TABLE deliveries ADD COLUMN recipient_id INTEGER;
ALTER TABLE deliveries ADD COLUMN orig_id INTEGER;
UPDATE deliveries SET recipient_id = (SELECT id FROM addresses WHERE address = deliveries.recipient COLLATE BINARY),
    orig_id = (SELECT id FROM addresses WHERE address = deliveries.orig_recipient COLLATE BINARY);
ALTER TABLE messages DROP COLUMN sender;
ALTER TABLE messages DROP COLUMN first_rcpt;
ALTER TABLE deliveries DROP COLUMN recipient;
ALTER TABLE deliveries DROP COLUMN orig_recipient;
ALTER TABLE deliveries DROP COLUMN recipient_rev;
ALTER TABLE deliveries DROP COLUMN orig_rev;
DROP INDEX addresses_exact;
CREATE INDEX addresses_rev ON addresses(rev);
CREATE INDEX addresses_address ON addresses(address);
CREATE INDEX messages_sender ON messages(sender_id, id, rcpt_count);
CREATE INDEX deliveries_recipient_id ON deliveries(recipient_id, message_id);
CREATE INDEX deliveries_orig_id ON deliveries(orig_id, message_id) WHERE orig_id IS NOT NULL;
ANALYZE;
COMMIT;
VACUUM;
SQL
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "transformed in %.1f s\n", b - a }'
fi

echo "== sizes (MB, dbstat): table or index, layout 8, layout 9"
sizes() {
    q "$1" "SELECT name, round(sum(pgsize) / 1e6, 1) FROM dbstat GROUP BY name ORDER BY name" 
}
join -a1 -a2 -e - -o 0,1.2,2.2 -t'|' <(sizes "$L8" | sort -t'|' -k1,1) <(sizes "$L9" | sort -t'|' -k1,1) |
    awk -F'|' '{ printf "%-32s %8s %8s\n", $1, $2, $3 }'
printf 'file: %s bytes (layout 8), %s bytes (layout 9)\n' "$(stat -c %s "$L8")" "$(stat -c %s "$L9")"
q "$L9" "SELECT 'addresses: ' || count(*) FROM addresses"

# One run of a query: its wall time in seconds, as the shell reports it.
# (From standard input: with the SQL as arguments the shell prints no timings.)
run_s() {
    printf '.timer on\n%s;\n' "$2" | sqlite3 -bail "$1" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | tail -1
}
median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}'; }
# A query's RUNS runs on each layout, the two taking turns (the first of a pair alternating), so
# that a machine busier for a while weighs on both: the two medians (ms).
paired_ms() {
    local t8=() t9=()
    for i in $(seq "$RUNS"); do
        if [ $((i % 2)) = 1 ]; then t8+=("$(run_s "$L8" "$2")"); t9+=("$(run_s "$L9" "$3")")
        else t9+=("$(run_s "$L9" "$3")"); t8+=("$(run_s "$L8" "$2")"); fi
    done
    printf '%s ms -> %s ms' "$(printf '%s\n' "${t8[@]}" | median_ms)" "$(printf '%s\n' "${t9[@]}" | median_ms)"
}
# A count as it is; the rows of a page as their number and a checksum (equal pages print alike).
result() {
    local out
    out=$(q "$1" "$2")
    if [ "$(printf '%s\n' "$out" | wc -l)" -le 1 ]; then echo "$out"; else
        printf '%s rows %s' "$(printf '%s\n' "$out" | wc -l)" "$(printf '%s\n' "$out" | md5sum | cut -c1-8)"; fi
}
plan() { q "$1" "EXPLAIN QUERY PLAN $2" | sed 's/^/      /'; }

# name # layout-8 SQL # layout-9 SQL ('#': the SQL has '|'). Each is what QueryBuilder writes for the filter (messages
# view: the count; a sort: a page deep in it), with the parameters written in.
XFF="CAST(x'ff' AS TEXT)"
L9RCPT="SELECT message_id FROM deliveries WHERE recipient_id IN (SELECT id FROM addresses WHERE %C) UNION SELECT message_id FROM deliveries WHERE orig_id IN (SELECT id FROM addresses WHERE %C)"
l9rcpt() { echo "${L9RCPT//%C/$1}"; }
QUERIES=(
"recipient domain *@gmail.com#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev >= 'moc.liamg@' AND recipient_rev < 'moc.liamg@' || $XFF UNION SELECT message_id FROM deliveries WHERE orig_rev >= 'moc.liamg@' AND orig_rev < 'moc.liamg@' || $XFF)#SELECT count(*) FROM ($(l9rcpt "rev >= 'moc.liamg@' AND rev < 'moc.liamg@' || $XFF"))"
"recipient substring example.org#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev LIKE '%gro.elpmaxe%' ESCAPE '\\' UNION SELECT message_id FROM deliveries WHERE orig_rev IS NOT NULL AND orig_rev LIKE '%gro.elpmaxe%' ESCAPE '\\')#SELECT count(*) FROM ($(l9rcpt "rev LIKE '%gro.elpmaxe%' ESCAPE '\\'"))"
"recipient substring example.net#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev LIKE '%ten.elpmaxe%' ESCAPE '\\' UNION SELECT message_id FROM deliveries WHERE orig_rev IS NOT NULL AND orig_rev LIKE '%ten.elpmaxe%' ESCAPE '\\')#SELECT count(*) FROM ($(l9rcpt "rev LIKE '%ten.elpmaxe%' ESCAPE '\\'"))"
"recipient glob a*@*.net#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev LIKE 'ten.%@%a' ESCAPE '\\' UNION SELECT message_id FROM deliveries WHERE orig_rev IS NOT NULL AND orig_rev LIKE 'ten.%@%a' ESCAPE '\\')#SELECT count(*) FROM ($(l9rcpt "rev LIKE 'ten.%@%a' ESCAPE '\\'"))"
"sender substring example.com#SELECT count(*) FROM messages m WHERE m.sender LIKE '%example.com%' ESCAPE '\\'#SELECT count(*) FROM messages m WHERE m.sender_id IN (SELECT id FROM addresses WHERE rev LIKE '%moc.elpmaxe%' ESCAPE '\\')"
"sender prefix petra*#SELECT count(*) FROM messages m WHERE m.sender LIKE 'petra%' ESCAPE '\\'#SELECT count(*) FROM messages m WHERE m.sender_id IN (SELECT id FROM addresses WHERE address LIKE 'petra%' ESCAPE '\\')"
"sender domain *@gmail.com#SELECT count(*) FROM messages m WHERE m.sender LIKE '%@gmail.com' ESCAPE '\\'#SELECT count(*) FROM messages m WHERE m.sender_id IN (SELECT id FROM addresses WHERE rev >= 'moc.liamg@' AND rev < 'moc.liamg@' || $XFF)"
"null sender <>#SELECT count(*) FROM messages m WHERE m.sender = ''#SELECT count(*) FROM messages m WHERE m.sender_id = (SELECT id FROM addresses WHERE address = '' COLLATE BINARY)"
"bounced + recipient *@gmail.com#SELECT count(*) FROM messages m WHERE m.state IN (3) AND m.id IN (SELECT message_id FROM deliveries WHERE recipient_rev >= 'moc.liamg@' AND recipient_rev < 'moc.liamg@' || $XFF UNION SELECT message_id FROM deliveries WHERE orig_rev >= 'moc.liamg@' AND orig_rev < 'moc.liamg@' || $XFF)#SELECT count(*) FROM messages m WHERE m.state IN (3) AND m.id IN ($(l9rcpt "rev >= 'moc.liamg@' AND rev < 'moc.liamg@' || $XFF"))"
"5xx + sender example.com#SELECT count(*) FROM messages m WHERE m.sender LIKE '%example.com%' ESCAPE '\\' AND m.id IN (SELECT c.message_id FROM deliveries c WHERE c.code_class = 5)#SELECT count(*) FROM messages m WHERE m.sender_id IN (SELECT id FROM addresses WHERE rev LIKE '%moc.elpmaxe%' ESCAPE '\\') AND m.id IN (SELECT c.message_id FROM deliveries c WHERE c.code_class = 5)"
"deliveries: recipient domain *@gmail.com#SELECT count(*) FROM (SELECT id FROM deliveries WHERE recipient_rev >= 'moc.liamg@' AND recipient_rev < 'moc.liamg@' || $XFF UNION SELECT id FROM deliveries WHERE orig_rev >= 'moc.liamg@' AND orig_rev < 'moc.liamg@' || $XFF)#SELECT count(*) FROM (SELECT id FROM deliveries WHERE recipient_id IN (SELECT id FROM addresses WHERE rev >= 'moc.liamg@' AND rev < 'moc.liamg@' || $XFF) UNION SELECT id FROM deliveries WHERE orig_id IN (SELECT id FROM addresses WHERE rev >= 'moc.liamg@' AND rev < 'moc.liamg@' || $XFF))"
"first page, dense: recipient substring example.com#SELECT m.id FROM messages m WHERE EXISTS(SELECT 1 FROM deliveries x WHERE x.message_id = m.id AND (x.recipient_rev LIKE '%moc.elpmaxe%' ESCAPE '\\' OR x.orig_rev LIKE '%moc.elpmaxe%' ESCAPE '\\')) ORDER BY m.first_seen DESC, m.file_id DESC, m.id DESC LIMIT 60#SELECT m.id FROM messages m WHERE EXISTS(SELECT 1 FROM deliveries x WHERE x.message_id = m.id AND (x.recipient_id IN (SELECT id FROM addresses WHERE rev LIKE '%moc.elpmaxe%' ESCAPE '\\') OR x.orig_id IN (SELECT id FROM addresses WHERE rev LIKE '%moc.elpmaxe%' ESCAPE '\\'))) ORDER BY m.first_seen DESC, m.file_id DESC, m.id DESC LIMIT 60"
"first page, dense, lookup per tested row: recipient substring example.com#SELECT m.id FROM messages m WHERE EXISTS(SELECT 1 FROM deliveries x WHERE x.message_id = m.id AND (x.recipient_rev LIKE '%moc.elpmaxe%' ESCAPE '\\' OR x.orig_rev LIKE '%moc.elpmaxe%' ESCAPE '\\')) ORDER BY m.first_seen DESC, m.file_id DESC, m.id DESC LIMIT 60#SELECT m.id FROM messages m WHERE EXISTS(SELECT 1 FROM deliveries x WHERE x.message_id = m.id AND ((SELECT rev FROM addresses WHERE id = x.recipient_id) LIKE '%moc.elpmaxe%' ESCAPE '\\' OR (SELECT rev FROM addresses WHERE id = x.orig_id) LIKE '%moc.elpmaxe%' ESCAPE '\\')) ORDER BY m.first_seen DESC, m.file_id DESC, m.id DESC LIMIT 60"
"sort by sender, first page#SELECT m.id FROM messages m ORDER BY m.sender, m.id LIMIT 60#SELECT m.id FROM addresses a CROSS JOIN messages m ON m.sender_id = a.id ORDER BY a.address, a.id, m.id LIMIT 60"
"sort by sender, rows 400000-400059#SELECT m.id FROM messages m ORDER BY m.sender, m.id LIMIT 60 OFFSET 400000#SELECT m.id FROM addresses a CROSS JOIN messages m ON m.sender_id = a.id ORDER BY a.address, a.id, m.id LIMIT 60 OFFSET 400000"
"sort by sender, same ties as now#SELECT m.id FROM messages m ORDER BY m.sender, m.id LIMIT 60 OFFSET 400000#SELECT m.id FROM addresses a CROSS JOIN messages m ON m.sender_id = a.id ORDER BY a.address, m.id LIMIT 60 OFFSET 400000"
"recipient domain *@gmail.com, the dictionary scanned (no rev)#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev >= 'moc.liamg@' AND recipient_rev < 'moc.liamg@' || $XFF UNION SELECT message_id FROM deliveries WHERE orig_rev >= 'moc.liamg@' AND orig_rev < 'moc.liamg@' || $XFF)#SELECT count(*) FROM ($(l9rcpt "address LIKE '%@gmail.com' ESCAPE '\\'"))"
"recipient substring example.org, the dictionary scanned (no rev)#SELECT count(*) FROM (SELECT message_id FROM deliveries WHERE recipient_rev LIKE '%gro.elpmaxe%' ESCAPE '\\' UNION SELECT message_id FROM deliveries WHERE orig_rev IS NOT NULL AND orig_rev LIKE '%gro.elpmaxe%' ESCAPE '\\')#SELECT count(*) FROM ($(l9rcpt "address LIKE '%example.org%' ESCAPE '\\'"))"
"sender domain *@gmail.com, the dictionary scanned (no rev)#SELECT count(*) FROM messages m WHERE m.sender LIKE '%@gmail.com' ESCAPE '\\'#SELECT count(*) FROM messages m WHERE m.sender_id IN (SELECT id FROM addresses WHERE address LIKE '%@gmail.com' ESCAPE '\\')"
)

echo
echo "== queries: rows (layout 8 / layout 9), median ms (layout 8, layout 9), runs: $RUNS"
for entry in "${QUERIES[@]}"; do
    IFS='#' read -r name before after <<<"$entry"
    r8=$(result "$L8" "$before")
    r9=$(result "$L9" "$after")
    printf '%s: %s / %s rows; %s\n' "$name" "$r8" "$r9" "$(paired_ms "$name" "$before" "$after")"
    echo "    layout 8:"
    plan "$L8" "$before"
    echo "    layout 9:"
    plan "$L9" "$after"
done
