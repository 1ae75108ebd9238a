#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times what the window does on a big cache: applying each filter (counts + first screen) and
# jumping to ten scroll positions, through the same table models the window uses (messages, then
# deliveries), and prints the query plan of each filter's count and first page.
#
#   packaging/dev exec tests/bench/query-bench.sh [SIZE [TEXT]]      (default: 1G; TEXT: only the
#                                                                    filters whose name has it, "tried")
#
# BENCH_CONTENT_FILTER=1: a log whose messages all pass an amavis-style content filter (two hops
# each, `mailtrail-genlog --content-filter`), kept under its own name: the production setup whose
# rows the window joins into chains.
#
# The log of SIZE is generated once (as import-bench.sh does, same folder and seed) and imported
# once into a cache kept beside it; later runs reuse both.
#
# With BENCH_BASELINE=/path/to/another/mailtrail-querybench (the build of an earlier commit), each
# table is measured by that build first, then by this one, on the same cache, so the two can be
# compared within one run on a shared machine. The cache is this build's import (the numbers it
# keeps are then this build's); the baseline must read its layout.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-bench}
SEED=${BENCH_SEED:-1}
SIZE=${1:-1G}
MATCH=${2:-}
mkdir -p "$BENCH_DIR"
# shellcheck source=benchlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchlog.sh"
BENCH_SEED=$SEED
LOG=$(benchlog_make "$SIZE")
CACHE="$BENCH_DIR/query-$(basename "$LOG" .log | sed 's/^mail-//').sqlite"
# A cache older than the log, or one this build cannot read (another layout), is made again.
if [ ! -s "$CACHE" ] || [ "$LOG" -nt "$CACHE" ] ||
    ! mailtrail-cli messages --cache "$CACHE" --limit 0 --format csv >/dev/null 2>&1; then
    rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
    mailtrail-cli import --verbose --cache "$CACHE" "$LOG"
fi
# mailtrail-querybench first builds what the window's import job builds after an import (the
# order, lookup and text indexes), so the first run after an import takes longer.
# Each filter's figures are followed by SQLite's plans for its count and its first page.
# --chains: the window's queries, which list a content filter's hops as one row (on a log without
# chains the cache asks the plain ones, so both are the same there).
BASELINE=${BENCH_BASELINE:-}
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "query-bench: BENCH_BASELINE $BASELINE is not an executable" >&2; exit 2; }
for grain in "" --deliveries; do
    if [ -n "$BASELINE" ]; then
        echo "== the baseline ($BASELINE)"
        "$BASELINE" --cache "$CACHE" --runs "${BENCH_RUNS:-5}" $grain --chains --plans --match "$MATCH"
        echo "== this build"
    fi
    mailtrail-querybench --cache "$CACHE" --runs "${BENCH_RUNS:-5}" $grain --chains --plans --match "$MATCH"
done
