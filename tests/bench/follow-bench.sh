#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Following a log as it is written, at 1,000 lines/s (median, p95, max), and the CPU used over
# 10 s of a quiet log:
#   mailtrail-cli follow: from a line's write() to its printed row (mailtrail-followbench);
#   the window: from a line's write() to the table's count including it
#   (mailtrail-followwindowbench, offscreen unless QT_QPA_PLATFORM says otherwise).
#   packaging/dev exec tests/bench/follow-bench.sh [LINES_PER_SECOND] [SECONDS]
set -euo pipefail
BIN=${MAILTRAIL_BIN:-$(cd "$(dirname "$0")/../../build/bin" && pwd)}
dir=$(mktemp -d /var/tmp/mailtrail-followbench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
nproc_now=$(nproc)
echo "machine: $nproc_now cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
"$BIN/mailtrail-followbench" "$BIN/mailtrail-cli" "$dir" "${1:-1000}" "${2:-20}" || rc=1
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg)"
# The offscreen platform warns once per window resize that it cannot pass size hints on.
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$BIN/mailtrail-followwindowbench" "$dir" "${1:-1000}" "${2:-20}" \
    2> >(grep -v 'does not support propagateSizeHints' >&2) || rc=1
exit $rc
