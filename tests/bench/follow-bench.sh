#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# mailtrail-cli follow: the delay from a line written to a followed log to its printed row, at
# 1,000 lines/s (median, p90, max), and the CPU time it uses over 10 s of a quiet log.
#   packaging/dev exec tests/bench/follow-bench.sh [LINES_PER_SECOND] [SECONDS]
set -euo pipefail
BIN=${MAILTRAIL_BIN:-$(cd "$(dirname "$0")/../../build/bin" && pwd)}
dir=$(mktemp -d /var/tmp/mailtrail-followbench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
nproc_now=$(nproc)
echo "machine: $nproc_now cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN/mailtrail-followbench" "$BIN/mailtrail-cli" "$dir" "${1:-1000}" "${2:-20}"
