#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Import speed of the Exim and Sendmail formats, beside wc -l, grep -c and lnav:
#
#   packaging/dev exec tests/bench/mta-import-bench.sh [SIZE] [FORMAT...]   (default: 1G exim sendmail)
#
# The log of each format is made once by mailtrail-genmtalog in $BENCH_DIR (default
# /var/tmp/mailtrail-bench) and reused; it is read once before timing (warm page cache). Each tool
# runs BENCH_RUNS times (default 3) and the median wall-clock time is printed, with MB/s.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
RUNS=${BENCH_RUNS:-3}
SIZE=${1:-1G}
shift || true
[ $# -gt 0 ] || set -- exim sendmail
mkdir -p "$BENCH_DIR" "$BENCH_DIR/lnav-home"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() { # seconds of one run of "$@"
    local start=$EPOCHREALTIME
    "$@" >"$BENCH_DIR/mta-bench.out" 2>&1 || true  # not /dev/null: grep stops at its first match there
    awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "%.3f\n", a - b }'
}
run() { # NAME FILE COMMAND...
    local name=$1 file=$2
    shift 2
    local times=() i
    for ((i = 0; i < RUNS; i++)); do
        rm -f "$BENCH_DIR/mta.sqlite"*
        times+=("$(timed "$@")")
    done
    local s mb
    s=$(printf '%s\n' "${times[@]}" | median)
    mb=$(awk -v n="$(stat -c %s "$file")" -v s="$s" 'BEGIN { printf "%.1f", n / 1048576 / s }')
    printf '  %-28s %8.2f s %8.0f MB/s\n' "$name" "$s" "$mb"
}

for format in "$@"; do
    log=$BENCH_DIR/$format-$SIZE.log
    [ -s "$log" ] || mailtrail-genmtalog --format "$format" --size "$SIZE" >"$log"
    cat "$log" >/dev/null
    printf '%s, %s, %s lines\n' "$format" "$(du -h "$log" | cut -f1)" "$(wc -l <"$log")"
    run "wc -l" "$log" wc -l "$log"
    run "grep -c" "$log" grep -c "Completed\|stat=Sent" "$log"
    if command -v lnav >/dev/null; then
        run "lnav (count all_logs)" "$log" env HOME="$BENCH_DIR/lnav-home" lnav -n -c ';SELECT count(*) FROM all_logs' "$log"
    fi
    run "mailtrail-cli import" "$log" mailtrail-cli import --cache "$BENCH_DIR/mta.sqlite" "$log"
done
