#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every fuzz target of a fuzz build for SECONDS each on its seed corpus (see README.md);
# exits non-zero when one of them finds a crash, a leak, undefined behaviour or a hang.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
# Without TARGETs, every fuzz_* the build holds (a line target per format, and logfile).
set -euo pipefail
build=$1
seconds=${2:-25}
shift $(($# < 2 ? $# : 2))
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$build/fuzz-run
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for bin in "$build"/bin/fuzz_*; do
        [ -x "$bin" ] && targets+=("${bin##*/fuzz_}")
    done
fi
[ ${#targets[@]} -gt 0 ] || { echo "run.sh: no fuzz targets in $build/bin" >&2; exit 1; }

# The test logs of a format: tests/data/FORMAT/ (golden, flows, corpus).
format_logs() {
    find "$src/tests/data/$1" -name '*.log' -type f | sort
}

# Seeds come from tests/data each run; what a run adds to its corpus stays in the build folder.
seed() {
    local name=$1 dir=$work/seeds-$1
    rm -rf "$dir" && mkdir -p "$dir"
    case $name in
        *line)  # one line per file: every distinct line of the format's test logs
            local format=${name%line} n=0
            [ -d "$src/tests/data/$format" ] || { echo "run.sh: no tests/data/$format for $name" >&2; return 1; }
            while IFS= read -r line; do
                printf '%s\n' "$line" >"$dir/line-$n"
                n=$((n + 1))
            done < <({ format_logs "$format"; [ "$format" != postfix ] || echo "$src/resources/sample/mail.log"; } |
                xargs cat | sort -u)
            ;;
        logfile)  # whole logs of every format that has a line target, plain and compressed
            local bin f format
            for bin in "$build"/bin/fuzz_*line; do
                format=${bin##*/fuzz_}
                format=${format%line}
                while IFS= read -r f; do
                    cp "$f" "$dir/$format-$(basename "$(dirname "$f")")-$(basename "$f")"
                done < <(format_logs "$format")
            done
            cp "$src"/tests/data/compressed/* "$dir"/
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
    # Whole files up to 96 KB: past the 64 KB head that detection reads, yet small enough that a
    # run tries many of them (the largest seed would set it otherwise; a 400 KB limit gave 20 runs/s).
    maxlen=()
    [ "$name" != logfile ] || maxlen=(-max_len=98304)
    # Ten seconds for one input is a hang; 2 GB is far past what any input should need.
    if "$build/bin/fuzz_$name" "${maxlen[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
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
