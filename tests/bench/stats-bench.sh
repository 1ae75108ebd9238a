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
# text, and the median is printed with its ratio to the import.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
SEED=${BENCH_SEED:-1}
SIZE=${1:-1G}
RUNS=${BENCH_RUNS:-3}
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
start=$(date +%s.%N)
mailtrail-cli import --cache "$CACHE" "$LOG" >/dev/null
import=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
printf 'import of %s: %.2f s\n' "$SIZE" "$import"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for format in json text; do
    times=()
    for _ in $(seq "$RUNS"); do
        start=$(date +%s.%N)
        mailtrail-cli stats --cache "$CACHE" --format "$format" >/dev/null
        times+=("$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')")
    done
    m=$(printf '%s\n' "${times[@]}" | median)
    printf 'stats --format %s: median %.2f s of %s runs (%s), %.3f x the import\n' "$format" "$m" "$RUNS" \
        "$(printf '%.2f ' "${times[@]}")" "$(awk -v a="$m" -v b="$import" 'BEGIN { print a / b }')"
done
