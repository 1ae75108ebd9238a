#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The real main window, offscreen, on a generated log: opens it in a fresh cache as a user drops
# it (while a timer scrolls the table about), prints how long after the drop the table first
# showed rows and how long the event loop was held during the import, then times each filter of
# the issue from taking effect to the painted table and chart (mailtrail-uilatency --filters).
#
#   packaging/dev exec tests/bench/window-bench.sh [SIZE]        (default: 1G)
#
# The log and the cache are made under BENCH_DIR (default /var/tmp/mailtrail-window-bench) and
# deleted at the end unless KEEP=1 (then a later run reuses the log; the cache is always new,
# since the import is part of what is timed). Query times alone, without the window: query-bench.sh.
# BENCH_CONTENT_FILTER=1: a log whose mail all passes a content filter (`mailtrail-genlog
# --content-filter`: two hops a message, which the window lists as one chain), under its own name.
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtrail-window-bench}
SEED=${BENCH_SEED:-1}
SIZE=${1:-1G}
mkdir -p "$BENCH_DIR"
# shellcheck source=benchlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchlog.sh"
BENCH_SEED=$SEED
LOG=$(benchlog_path "$SIZE")
CACHE="$BENCH_DIR/window-$(basename "$LOG" .log | sed 's/^mail-//').sqlite"
cleanup() {
    rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm" "$CACHE-lock"
    [ "${KEEP:-0}" = 1 ] || rm -f "$LOG" "$LOG.part" "$LOG.stamp"
}
trap cleanup EXIT
benchlog_make "$SIZE" >/dev/null
rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
echo "log: $(du -h "$LOG" | cut -f1), $(wc -l <"$LOG") lines; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The offscreen platform warns of each window size hint it cannot pass on: not a finding.
QT_QPA_PLATFORM=offscreen mailtrail-uilatency --cache "$CACHE" --filters "$LOG" 2> >(grep -v propagateSizeHints >&2)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
