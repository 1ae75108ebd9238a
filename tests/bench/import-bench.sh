#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times `mailtrail-cli import` against wc -l, grep -c and lnav on generated Postfix logs, and its
# reading side alone (mailtrail-parsebench).
#
#   packaging/dev exec tests/bench/import-bench.sh [SIZE...]      (default: 100M 1G)
#
# SIZE is what mailtrail-genlog --size takes (100M, 1G, bytes). For each size the log is made
# once in $BENCH_DIR (default /var/tmp/mailtrail-bench) and reused while size, seed and the
# generator binary are the same. The file is read once before timing, so every tool runs with a
# warm page cache: the figures are CPU cost, not disk speed. Each tool runs BENCH_RUNS times
# (default 3), the tools taking turns, and the median is reported:
#   wc -l FILE
#   grep -c status=sent FILE
#   lnav -n -c ';SELECT count(*) FROM all_logs' FILE    (its own empty HOME each run)
#   mailtrail-parsebench FILE                          (the import's reading side alone: read, parse,
#                                                       correlate, nothing written; when built)
#   mailtrail-cli import --cache NEW FILE              (a fresh cache each run)
#   mailtrail-cli import --cache SAME FILE             (re-import of the unchanged file into the
#                                                       cache the fresh import just wrote)
#   sqlite3 store floor                                (SQLite alone: the fresh import's rows copied
#                                                       into an empty cache, then the indexes the
#                                                       import builds; no reading, no parsing)
# The store floor bounds what any parser could reach with this store: it is SQLite copying
# finished records (its transfer optimisation, no per-column work) into the same layout with the
# same settings, committing them, and building the same indexes, on one core.
# Seconds are wall-clock (bash EPOCHREALTIME around /usr/bin/time, finer than its %e); peak RSS
# is /usr/bin/time's %M, printed per run for the fresh import (and the baseline's, paired).
#
# With BENCH_BASELINE=/path/to/another/mailtrail-cli (the build of an earlier commit, say), each
# run also imports with it, right before or after the fresh import (the order alternates), and the
# ratio of the two is reported per run and as a median: paired runs, so a machine that is busier
# in one run than in another weighs on both sides of its ratio.
#
# Environment: BENCH_DIR, BENCH_RUNS (3), BENCH_SEED (1), BENCH_GENLOG_ARGS (extra generator
# options, e.g. "--rfc3339 --hosts 3"; part of the reuse key), BENCH_CONTENT_FILTER (1: every
# message passes a content filter), BENCH_BASELINE. The logs are named and made by benchlog.sh.
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
RUNS=${BENCH_RUNS:-3}
SEED=${BENCH_SEED:-1}
GENLOG_ARGS=${BENCH_GENLOG_ARGS:-}
BASELINE=${BENCH_BASELINE:-}
TIME=/usr/bin/time

die() { printf 'import-bench: %s\n' "$*" >&2; exit 2; }

case "${1:-}" in
-h | --help)
    sed -n '4,39p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac
[ $# -gt 0 ] || set -- 100M 1G
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"

for tool in mailtrail-genlog mailtrail-cli wc grep sha256sum; do
    command -v "$tool" >/dev/null ||
        die "$tool not found on PATH; run me as: packaging/dev exec tests/bench/import-bench.sh"
done
[ -x "$TIME" ] || die "$TIME (GNU time) not found"
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || die "BENCH_BASELINE $BASELINE is not an executable"
HAVE_LNAV=0
command -v lnav >/dev/null && HAVE_LNAV=1
HAVE_SQLITE3=0
command -v sqlite3 >/dev/null && HAVE_SQLITE3=1
HAVE_PARSEBENCH=0
command -v mailtrail-parsebench >/dev/null && HAVE_PARSEBENCH=1

mkdir -p "$BENCH_DIR"
TMP=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
PART="" # a log being generated: removed if we are interrupted
cleanup() {
    rm -rf "$TMP"
    [ -z "$PART" ] || rm -f "$PART"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# run_timed NAME CMD...: runs CMD under GNU time; appends "seconds rss_kib" to $TMP/NAME.times.
# stdout goes to $TMP/NAME.out, stderr to $TMP/NAME.err. A failure is fatal.
run_timed() {
    local name=$1
    shift
    local t0 t1 rc=0
    t0=$EPOCHREALTIME
    "$TIME" -f '%e %M' -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" -ne 0 ]; then
        printf 'import-bench: %s failed (exit %d):\n' "$name" "$rc" >&2
        tail -n 20 "$TMP/$name.err" >&2
        exit 1
    fi
    local rss
    rss=$(awk 'END { print $2 }' "$TMP/$name.time")
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.4f %d\n", b - a, r }' >>"$TMP/$name.times"
}

# shellcheck source=benchlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchlog.sh"
BENCH_SEED=$SEED
BENCH_GENLOG_ARGS=$GENLOG_ARGS
generate() { # SIZE -> prints the log's path
    benchlog_make "$1"
}

# store_floor CACHE: times SQLite alone writing CACHE's rows into an empty cache and building the
# indexes the import built (those CACHE has and an empty cache lacks: none since session 23).
store_floor() {
    local src=$1 floor="$TMP/floor.sqlite" table
    rm -f "$floor"*
    : >"$TMP/empty.log"
    mailtrail-cli import --cache "$floor" "$TMP/empty.log" >/dev/null # the layout and its base indexes
    {
        # The settings of a first load (ImportStore::writer) and of its index builds (schema.cpp's
        # IndexSorter): no fsync, and keys sorted in runs of 4 MiB.
        echo "PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
        echo "ATTACH '$src' AS src;"
        echo "BEGIN;"
        for table in messages deliveries attempts incidents hosts; do
            echo "INSERT INTO main.$table SELECT * FROM src.$table;"
        done
        echo "COMMIT;"
        echo "PRAGMA temp_store = FILE; PRAGMA cache_size = -4096; PRAGMA threads = 1; BEGIN;"
        sqlite3 "$floor" "ATTACH '$src' AS src; SELECT s.sql || ';' FROM src.sqlite_master s
            WHERE s.type = 'index' AND s.sql IS NOT NULL AND s.name NOT IN (SELECT name FROM main.sqlite_master)"
        echo "COMMIT;"
    } >"$TMP/floor.sql"
    # Since session 23 an import builds no index beyond the layout's base ones (the filter indexes
    # are built by the first query that reads each): the floor is then the copy alone.
    run_timed floor sqlite3 "$floor" ".read $TMP/floor.sql"
    rm -f "$floor"*
}

bench_size() {
    local size=$1 log bytes lines
    printf '\n== %s ==\n' "$size"
    log=$(generate "$size")
    bytes=$(stat -c %s "$log")
    cat "$log" >/dev/null # warm the page cache; nothing is dropped between runs
    lines=$(wc -l <"$log")
    printf '  %s: %s bytes, %s lines, %.1f bytes/line; page cache warm\n' \
        "$(basename "$log")" "$bytes" "$lines" "$(awk -v b="$bytes" -v l="$lines" 'BEGIN { print b / l }')"
    rm -f "$TMP"/*.times "$TMP"/*.out "$TMP"/*.err "$TMP"/*.time

    local tools=("wc -l" "grep -c" "lnav" "parse alone" "import (fresh)" "re-import" "store floor")
    [ -z "$BASELINE" ] || tools+=("import (baseline)")
    local run cache home cache_bytes=0 summary=""
    for ((run = 1; run <= RUNS; run++)); do
        printf '  run %d/%d:' "$run" "$RUNS"
        run_timed wc wc -l "$log"
        printf ' wc'
        run_timed grep grep -c status=sent "$log"
        printf ' grep'
        if [ "$HAVE_LNAV" = 1 ]; then
            home=$(mktemp -d "$TMP/home.XXXXXX")
            run_timed lnav env HOME="$home" lnav -n -c ';SELECT count(*) FROM all_logs' "$log"
            rm -rf "$home"
            printf ' lnav'
        fi
        if [ "$HAVE_PARSEBENCH" = 1 ]; then
            run_timed parse mailtrail-parsebench "$log"
            printf ' parse'
        fi
        cache="$TMP/cache-$run.sqlite"
        rm -f "$cache"*
        if [ -n "$BASELINE" ] && ((run % 2 == 1)); then
            run_timed baseline "$BASELINE" import --cache "$TMP/baseline.sqlite" "$log"
            rm -f "$TMP/baseline.sqlite"*
            printf ' baseline'
        fi
        run_timed import mailtrail-cli import --cache "$cache" "$log"
        [ -n "$summary" ] || summary=$(cat "$TMP/import.out" "$TMP/import.err")
        printf ' import'
        if [ -n "$BASELINE" ] && ((run % 2 == 0)); then
            run_timed baseline "$BASELINE" import --cache "$TMP/baseline.sqlite" "$log"
            rm -f "$TMP/baseline.sqlite"*
            printf ' baseline'
        fi
        cache_bytes=$(du -cb "$cache"* | awk 'END { print $1 }')
        run_timed reimport mailtrail-cli import --cache "$cache" "$log"
        printf ' re-import'
        if [ "$HAVE_SQLITE3" = 1 ]; then
            store_floor "$cache"
            printf ' store-floor'
        fi
        printf '\n'
        rm -f "$cache"*
    done

    printf '  counts: wc -l %s, grep -c status=sent %s' "$(awk '{ print $1 }' "$TMP/wc.out")" "$(cat "$TMP/grep.out")"
    if [ "$HAVE_LNAV" = 1 ]; then
        printf ', lnav all_logs %s\n' "$(grep -Eo '[0-9]+' "$TMP/lnav.out" | tail -n 1)"
    else
        printf '\n'
    fi
    printf '  mailtrail-cli import said:\n    %s\n' "${summary//$'\n'/$'\n    '}"
    [ "$HAVE_PARSEBENCH" = 0 ] || printf '  mailtrail-parsebench said (last run):\n    %s\n' "$(sed -n 2p "$TMP/parse.out")"
    printf '  cache after import: %s bytes (%.1f MiB, %.2f x the log)\n' "$cache_bytes" \
        "$(awk -v c="$cache_bytes" 'BEGIN { print c / 1048576 }')" "$(awk -v c="$cache_bytes" -v b="$bytes" 'BEGIN { print c / b }')"

    local wc_s lnav_s="" name file secs rss
    wc_s=$(awk '{ print $1 }' "$TMP/wc.times" | median)
    [ "$HAVE_LNAV" = 1 ] && lnav_s=$(awk '{ print $1 }' "$TMP/lnav.times" | median)
    printf '\n  %-16s %9s %9s %12s %9s %9s %9s\n' tool "median s" "MB/s" "lines/s" "RSS MiB" "x lnav" "x wc -l"
    for name in "${tools[@]}"; do
        case "$name" in
        "wc -l") file="wc" ;;
        "grep -c") file="grep" ;;
        lnav) file=lnav ;;
        "parse alone") file=parse ;;
        "import (fresh)") file=import ;;
        re-import) file=reimport ;;
        "store floor") file=floor ;;
        "import (baseline)") file=baseline ;;
        esac
        if [ ! -f "$TMP/$file.times" ]; then
            printf '  %-16s %s\n' "$name" "not available"
            continue
        fi
        secs=$(awk '{ print $1 }' "$TMP/$file.times" | median)
        rss=$(awk '{ print $2 }' "$TMP/$file.times" | median)
        awk -v n="$name" -v s="$secs" -v r="$rss" -v b="$bytes" -v l="$lines" -v w="$wc_s" -v x="$lnav_s" 'BEGIN {
            s0 = s > 0 ? s : 1e-9
            printf "  %-16s %9.3f %9.0f %12.0f %9.1f %9s %9s\n", n, s, b / 1e6 / s0, l / s0, r / 1024,
                x == "" ? "-" : sprintf("%.2f", s / x), sprintf("%.1f", s / w)
        }'
    done
    # Peak memory, per run: issue 13's goal is at most 200 MiB for the 1 GB log.
    printf '  peak RSS, import (fresh), per run: %s MiB; median %s MiB (goal: at most 200 MiB)\n' \
        "$(awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $2 / 1024 }' "$TMP/import.times")" \
        "$(awk '{ print $2 / 1024 }' "$TMP/import.times" | median | awk '{ printf "%.1f", $1 }')"
    if [ -n "$BASELINE" ]; then
        printf '  peak RSS, import (baseline), per run: %s MiB; paired, fresh / baseline: %s\n' \
            "$(awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $2 / 1024 }' "$TMP/baseline.times")" \
            "$(paste -d' ' "$TMP/import.times" "$TMP/baseline.times" | awk '{ printf "%s%.3f", (NR > 1 ? " " : ""), $2 / $4 }')"
        paste -d' ' "$TMP/import.times" "$TMP/baseline.times" | awk '{ print $1 / $3 }' >"$TMP/ratios"
        printf '  paired, import (fresh) / import (baseline), per run: %s; median %s\n' \
            "$(awk '{ printf "%s%.3f", (NR > 1 ? " " : ""), $1 }' "$TMP/ratios")" "$(median <"$TMP/ratios" | awk '{ printf "%.3f", $1 }')"
    fi
}

printf 'import-bench: %s, %s CPU(s), %s; %d runs per tool, median; seed %s\n' \
    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo cpu)" \
    "$(nproc)" "$(mailtrail-cli --version 2>/dev/null || echo mailtrail-cli)" "$RUNS" "$SEED"
[ "$HAVE_LNAV" = 1 ] && printf 'import-bench: %s\n' "$(lnav -V 2>/dev/null | head -n 1)" || printf 'lnav: not available\n'
for size in "$@"; do
    bench_size "$size"
done
