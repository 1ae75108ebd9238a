#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times the window's export of every row in each order the table sorts by, per message and per
# delivery, against time order (the issue: at most 2x in any order).
#
#   packaging/dev exec tests/bench/export-bench.sh [SIZE]      (default: 100M)
#
# The log of SIZE is generated once (as import-bench.sh does, same folder and seed) and imported
# once into a cache kept beside it; later runs reuse both.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
SEED=${BENCH_SEED:-1}
SIZE=${1:-100M}
mkdir -p "$BENCH_DIR"
LOG="$BENCH_DIR/mail-$SIZE-seed$SEED.log"
CACHE="$BENCH_DIR/export-$SIZE-seed$SEED.sqlite"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG" >&2
    mailtrail-genlog --size "$SIZE" --seed "$SEED" >"$LOG.part"
    mv "$LOG.part" "$LOG"
fi
if [ ! -s "$CACHE" ] || [ "$LOG" -nt "$CACHE" ] ||
    ! mailtrail-cli messages --cache "$CACHE" --limit 0 --format csv >/dev/null 2>&1; then
    rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
    mailtrail-cli import --cache "$CACHE" "$LOG"
fi
mailtrail-exportbench --cache "$CACHE" --out "$BENCH_DIR" --runs "${BENCH_RUNS:-3}"
