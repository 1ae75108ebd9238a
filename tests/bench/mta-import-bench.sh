#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Import speed of each format, beside wc -l, grep -c and lnav:
#
#   packaging/dev exec tests/bench/mta-import-bench.sh [SIZE] [FORMAT...]
#
# SIZE as the generators take it (100M, 1G; default 1G); FORMAT exim, sendmail or postfix
# (default: all three, in that order, so that the three are compared in one session). The Exim
# and Sendmail logs are made by mailtrail-genmtalog, the Postfix log by mailtrail-genlog --seed 1
# (the log import-bench.sh uses), once each in $BENCH_DIR (default /var/tmp/mailtrail-bench), and
# reused; each is read once before timing (warm page cache). The tools take turns, BENCH_RUNS
# times (default 3); the median wall-clock time is printed with MB/s and the ratio to lnav's.
#
# With BENCH_BASELINE=/path/to/another/mailtrail-cli (the build of an earlier commit), each round
# also imports with it, right before or after mailtrail-cli (the order alternates): the ratio of
# the two is printed per round and as a median. Paired runs: a machine busier in one round than
# in another weighs on both sides of that round's ratio.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
RUNS=${BENCH_RUNS:-3}
BASELINE=${BENCH_BASELINE:-}
SIZE=${1:-1G}
shift || true
[ $# -gt 0 ] || set -- exim sendmail postfix
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "mta-import-bench: $BASELINE is not an executable" >&2; exit 2; }
mkdir -p "$BENCH_DIR"
TMP=$(mktemp -d "$BENCH_DIR/mta-run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() { # NAME COMMAND...: appends the seconds of one run of COMMAND to $TMP/NAME
    local name=$1 start=$EPOCHREALTIME
    shift
    "$@" >"$TMP/out" 2>&1 || true  # not /dev/null: grep stops at its first match there
    awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "%.3f\n", a - b }' >>"$TMP/$name"
}
import() { # NAME CLI LOG: one import into a fresh cache
    rm -f "$TMP/cache.sqlite"*
    timed "$1" "$2" import --cache "$TMP/cache.sqlite" "$3"
    rm -f "$TMP/cache.sqlite"*
}
report() { # LABEL NAME BYTES LNAV_SECONDS
    local s
    s=$(median <"$TMP/$2")
    awk -v l="$1" -v s="$s" -v n="$3" -v x="$4" 'BEGIN {
        printf "  %-26s %8.2f s %8.0f MB/s %8s\n", l, s, n / 1048576 / s, x == "" ? "" : sprintf("%.2f x lnav", s / x) }'
}

for format in "$@"; do
    case "$format" in
    postfix)
        log=$BENCH_DIR/mail-$SIZE-seed1.log
        [ -s "$log" ] || mailtrail-genlog --size "$SIZE" --seed 1 >"$log"
        pattern="status=sent"
        ;;
    exim | sendmail)
        log=$BENCH_DIR/$format-$SIZE.log
        [ -s "$log" ] || mailtrail-genmtalog --format "$format" --size "$SIZE" >"$log"
        pattern="Completed\|stat=Sent"
        ;;
    *) echo "mta-import-bench: unknown format $format" >&2; exit 2 ;;
    esac
    cat "$log" >/dev/null
    bytes=$(stat -L -c %s "$log")
    printf '%s, %s, %s lines\n' "$format" "$(du -hL "$log" | cut -f1)" "$(wc -l <"$log")"
    rm -rf "${TMP:?}"/*
    for ((i = 0; i < RUNS; i++)); do
        timed wc wc -l "$log"
        timed grep grep -c "$pattern" "$log"
        if command -v lnav >/dev/null; then
            rm -rf "$TMP/home" && mkdir "$TMP/home"
            timed lnav env HOME="$TMP/home" lnav -n -c ';SELECT count(*) FROM all_logs' "$log"
        fi
        if [ -n "$BASELINE" ] && ((i % 2 == 0)); then import baseline "$BASELINE" "$log"; fi
        import import mailtrail-cli "$log"
        if [ -n "$BASELINE" ] && ((i % 2 == 1)); then import baseline "$BASELINE" "$log"; fi
    done
    lnav_s=""
    [ -f "$TMP/lnav" ] && lnav_s=$(median <"$TMP/lnav")
    report "wc -l" wc "$bytes" "$lnav_s"
    report "grep -c" grep "$bytes" "$lnav_s"
    [ -z "$lnav_s" ] || report "lnav (count all_logs)" lnav "$bytes" "$lnav_s"
    report "mailtrail-cli import" import "$bytes" "$lnav_s"
    if [ -n "$BASELINE" ]; then
        report "baseline import" baseline "$bytes" "$lnav_s"
        paste -d' ' "$TMP/import" "$TMP/baseline" | awk '{ print $1 / $2 }' >"$TMP/ratios"
        printf '  paired, import / baseline, per round: %s; median %.3f\n' \
            "$(awk '{ printf "%s%.3f", (NR > 1 ? " " : ""), $1 }' "$TMP/ratios")" "$(median <"$TMP/ratios")"
    fi
done
