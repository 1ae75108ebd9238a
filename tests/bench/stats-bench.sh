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
# text, and the median is printed with its ratio to the import. With STATS_BASELINE set to another
# build's mailtrail-cli, that one runs too, each of its runs beside one of this build's (the
# machine's load changes less between the two), and its output is compared with this build's.
# STATS_FORMATS (default "json text") chooses the formats.
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
read -r import importCpu < <(timed /dev/null mailtrail-cli import --cache "$CACHE" "$LOG")
printf 'import of %s: %.2f s (%.2f s CPU)\n' "$SIZE" "$import" "$importCpu"

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
    theirs=()
    for _ in $(seq "$RUNS"); do
        ours+=("$(timed "$BENCH_DIR/stats.$format" mailtrail-cli stats --cache "$CACHE" --format "$format")")
        [ -n "$BASELINE" ] && theirs+=("$(timed "$BENCH_DIR/baseline.$format" "$BASELINE" stats --cache "$CACHE" --format "$format")")
    done
    printf '%s\n' "${ours[@]}" | report "stats --format $format"
    [ -n "$BASELINE" ] && printf '%s\n' "${theirs[@]}" | report "baseline stats --format $format"
done
if [ -n "$BASELINE" ]; then
    for format in ${STATS_FORMATS:-json text}; do
        cmp -s "$BENCH_DIR/stats.$format" "$BENCH_DIR/baseline.$format" && same=the || same="NOT the"
        echo "--format $format: $same same output as the baseline"
    done
fi
