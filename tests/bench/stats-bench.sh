#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times `mailtrail-cli stats` over a whole big cache against the import of its log: the summary
# should take at most a tenth of the import.
#
#   packaging/dev exec tests/bench/stats-bench.sh [SIZE]      (default: 1G)
#
# The log of SIZE is generated once (same folder and seed as import-bench.sh) and imported into a
# fresh cache, timed; then stats runs BENCH_RUNS times (default 3) over that cache, as JSON and as
# text, from the numbers the import kept and (--from-rows) from the rows, and the median is printed
# with its ratio to the import; the two outputs must be the same. With STATS_BASELINE set to
# another build's mailtrail-cli, that one runs too, each of its runs beside one of this build's
# (the machine's load changes less between the two): its import into a cache of its own first
# (IMPORT_RUNS pairs, default 1: the import's cost of keeping the numbers, as a ratio), then its
# stats, whose output is compared with this build's. STATS_FORMATS (default "json text") chooses
# the formats.
# Wall and CPU seconds (user + system) are both printed: on a loaded machine the wall time of
# either side grows with the load, its CPU time much less.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
SEED=${BENCH_SEED:-1}
SIZE=${1:-1G}
RUNS=${BENCH_RUNS:-3}
BASELINE=${STATS_BASELINE:-}
mkdir -p "$BENCH_DIR"
LOG="$BENCH_DIR/mail-$SIZE-seed$SEED.log"
CACHE="$BENCH_DIR/stats-$SIZE-seed$SEED.sqlite"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG" >&2
    mailtrail-genlog --size "$SIZE" --seed "$SEED" >"$LOG.part"
    mv "$LOG.part" "$LOG"
fi
cat "$LOG" >/dev/null  # page cache warm, as for the import benchmark
rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"

# Runs a command, its output into OUT; prints "WALL CPU" in seconds.
timed() {
    local to=$1
    shift
    /usr/bin/time -o "$BENCH_DIR/time.txt" -f '%e %U %S' "$@" >"$to" 2>/dev/null
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$BENCH_DIR/time.txt"
}
BASE_CACHE="$BENCH_DIR/stats-$SIZE-seed$SEED.baseline.sqlite"
imports=()
baseImports=()
for _ in $(seq "${IMPORT_RUNS:-1}"); do
    if [ -n "$BASELINE" ]; then
        rm -f "$BASE_CACHE" "$BASE_CACHE-wal" "$BASE_CACHE-shm"
        baseImports+=("$(timed /dev/null "$BASELINE" import --cache "$BASE_CACHE" "$LOG")")
    fi
    rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
    imports+=("$(timed /dev/null mailtrail-cli import --cache "$CACHE" "$LOG")")
done
import=$(printf '%s\n' "${imports[@]}" | awk '{ print $1 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
importCpu=$(printf '%s\n' "${imports[@]}" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
printf 'import of %s: median %.2f s (%.2f s CPU) of: %s\n' "$SIZE" "$import" "$importCpu" "$(printf '%s; ' "${imports[@]}")"
if [ -n "$BASELINE" ]; then
    baseImport=$(printf '%s\n' "${baseImports[@]}" | awk '{ print $1 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    baseImportCpu=$(printf '%s\n' "${baseImports[@]}" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    printf 'baseline import: median %.2f s (%.2f s CPU) of: %s; this build / baseline: %.3f (CPU %.3f)\n' "$baseImport" \
        "$baseImportCpu" "$(printf '%s; ' "${baseImports[@]}")" "$(awk -v a="$import" -v b="$baseImport" 'BEGIN { print a / b }')" \
        "$(awk -v a="$importCpu" -v b="$baseImportCpu" 'BEGIN { print a / b }')"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
report() {  # NAME, then "WALL CPU" lines
    local name=$1 lines wall cpu
    lines=$(cat)
    wall=$(awk '{ print $1 }' <<<"$lines" | median)
    cpu=$(awk '{ print $2 }' <<<"$lines" | median)
    printf '%s: median %.2f s (%.2f s CPU) of %s runs (%s), %.3f x the import (CPU %.3f x)\n' "$name" "$wall" "$cpu" \
        "$RUNS" "$(awk '{ printf "%s ", $1 }' <<<"$lines")" "$(awk -v a="$wall" -v b="$import" 'BEGIN { print a / b }')" \
        "$(awk -v a="$cpu" -v b="$importCpu" 'BEGIN { print a / b }')"
}
for format in ${STATS_FORMATS:-json text}; do
    ours=()
    rows=()
    theirs=()
    for _ in $(seq "$RUNS"); do
        ours+=("$(timed "$BENCH_DIR/stats.$format" mailtrail-cli stats --cache "$CACHE" --format "$format")")
        rows+=("$(timed "$BENCH_DIR/rows.$format" mailtrail-cli stats --from-rows --cache "$CACHE" --format "$format")")
        [ -n "$BASELINE" ] && theirs+=("$(timed "$BENCH_DIR/baseline.$format" "$BASELINE" stats --cache "$BASE_CACHE" --format "$format")")
    done
    printf '%s\n' "${ours[@]}" | report "stats --format $format"
    printf '%s\n' "${rows[@]}" | report "stats --from-rows --format $format"
    [ -n "$BASELINE" ] && printf '%s\n' "${theirs[@]}" | report "baseline stats --format $format"
done
mailtrail-cli stats --cache "$CACHE" --format json --verbose 2>&1 >/dev/null | sed 's/^/this build: /'
for format in ${STATS_FORMATS:-json text}; do
    cmp -s "$BENCH_DIR/stats.$format" "$BENCH_DIR/rows.$format" && same=the || same="NOT the"
    echo "--format $format: $same same output from the kept numbers as from the rows"
    if [ -n "$BASELINE" ]; then
        cmp -s "$BENCH_DIR/stats.$format" "$BENCH_DIR/baseline.$format" && same=the || same="NOT the"
        echo "--format $format: $same same output as the baseline"
    fi
done
