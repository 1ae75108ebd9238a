#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every fuzz target of a fuzz build for SECONDS each on its seed corpus (see README.md);
# exits non-zero when one of them finds a crash, a leak, undefined behaviour or a hang.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
build=$1
seconds=${2:-25}
shift $(($# < 2 ? $# : 2))
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$build/fuzz-run
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(postfixline logfile)

# Seeds come from tests/data each run; what a run adds to its corpus stays in the build folder.
seed() {
    local name=$1 dir=$work/seeds-$1
    rm -rf "$dir" && mkdir -p "$dir"
    case $name in
        postfixline)  # one line per file: every line of the flows and the sample log
            local n=0
            while IFS= read -r line; do
                printf '%s\n' "$line" >"$dir/line-$n"
                n=$((n + 1))
            done < <(cat "$src"/tests/data/postfix/flows/*.log "$src"/resources/sample/mail.log)
            ;;
        logfile)  # whole logs, plain and compressed
            cp "$src"/tests/data/postfix/flows/*.log "$src"/tests/data/compressed/* "$dir"/
            ;;
        *) echo "run.sh: no seeds for $name" >&2; return 1 ;;
    esac
}

status=0
for name in "${targets[@]}"; do
    seed "$name"
    corpus=$work/corpus-$name
    mkdir -p "$corpus" "$work/artifacts"
    log=$work/$name.log
    # Ten seconds for one input is a hang; 2 GB is far past what any input should need.
    if "$build/bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-" "$corpus" "$work/seeds-$name" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz_$name: ${runs:-?} executions in ${seconds} s, no crash"
    else
        echo "fuzz_$name: FAILED (log: $log)" >&2
        grep -A 30 -m1 'ERROR: \|==ERROR\|runtime error\|deadly signal\|Timeout\|out-of-memory' "$log" >&2 || tail -40 "$log" >&2
        status=1
    fi
done
exit $status
