#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times the free-text index of a big cache: its build (what the window does after an import, and
# the CLI's first `--text` query), then a query once it is built, each against grep reading the
# log for the same word, side by side: what a user without the index would run.
#
#   packaging/dev exec tests/bench/text-index-bench.sh [SIZE [WORD]]   (default: 1G, spamhaus)
#
# The log of SIZE is generated once (as import-bench.sh does, same folder and seed) and imported
# once into a cache kept beside it, without the text index. Each round copies that cache, builds
# the index with `mailtrail-cli messages --text WORD` on the copy (the build, then the answer),
# asks again (the answer alone), and runs `grep -ci WORD` over the log between them. BENCH_RUNS
# rounds (default 3); the medians and the ratios to grep are printed. The copy is removed after.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
SIZE=${1:-1G}
WORD=${2:-spamhaus}
RUNS=${BENCH_RUNS:-3}
mkdir -p "$BENCH_DIR"
# shellcheck source=benchlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchlog.sh"
BENCH_SEED=${BENCH_SEED:-1}
LOG=$(benchlog_make "$SIZE")
CACHE="$BENCH_DIR/text-$(basename "$LOG" .log | sed 's/^mail-//').sqlite"
COPY="$CACHE.round"
# A cache older than the log, one this build cannot read, or one with a text index (a round's
# copy that was kept) is made again.
if [ ! -s "$CACHE" ] || [ "$LOG" -nt "$CACHE" ] ||
    ! mailtrail-cli messages --cache "$CACHE" --limit 0 --format csv >/dev/null 2>&1; then
    rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm" "$CACHE-lock"
    mailtrail-cli import --cache "$CACHE" "$LOG" >/dev/null
fi
OUT=$(mktemp)
trap 'rm -f "$COPY" "$COPY-wal" "$COPY-shm" "$COPY-lock" "$OUT"' EXIT

# Seconds of wall time of a command, its output written to a file ($OUT): GNU grep stops at the
# first match when its output is /dev/null.
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$OUT"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

build=() answer=() grep1=() grep2=()
for ((i = 1; i <= RUNS; i++)); do
    rm -f "$COPY" "$COPY-wal" "$COPY-shm" "$COPY-lock"
    cp "$CACHE" "$COPY"
    grep1+=("$(seconds grep -ci -- "$WORD" "$LOG")")
    build+=("$(seconds mailtrail-cli messages --cache "$COPY" --text "$WORD" --format csv)")
    grep2+=("$(seconds grep -ci -- "$WORD" "$LOG")")
    answer+=("$(seconds mailtrail-cli messages --cache "$COPY" --text "$WORD" --format csv)")
    printf 'round %d: build and answer %.2f s, answer %.3f s, grep %.2f / %.2f s\n' "$i" "${build[-1]}" \
        "${answer[-1]}" "${grep1[-1]}" "${grep2[-1]}"
done
b=$(printf '%s\n' "${build[@]}" | median)
a=$(printf '%s\n' "${answer[@]}" | median)
g=$(printf '%s\n' "${grep1[@]}" "${grep2[@]}" | median)
printf '%s (%s), the word "%s": %d rounds, medians\n' "$(basename "$LOG")" "$(du -h "$LOG" | cut -f1)" "$WORD" "$RUNS"
printf '  text index built, then the answer: %.2f s = %.1fx grep\n' "$b" "$(awk -v x="$b" -v y="$g" 'BEGIN { print x / y }')"
printf '  the answer once built:             %.3f s = %.3fx grep\n' "$a" "$(awk -v x="$a" -v y="$g" 'BEGIN { print x / y }')"
printf '  grep -ci over the log:             %.2f s\n' "$g"
