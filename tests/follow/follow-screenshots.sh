#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Pictures of the window while the log it follows is being written, light and dark:
#   packaging/dev exec tests/follow/follow-screenshots.sh OUTDIR
# The window opens the first third of the lab's Exim mainlog (tests/data/exim/golden) with low
# insight thresholds, follows it, and the rest of the log is appended a line at a time; a picture
# of the X display (Xvfb) is taken once the appended lines made the insights fire. Writes
# OUTDIR/follow-light.png and OUTDIR/follow-dark.png.
set -euo pipefail
out=${1:?usage: follow-screenshots.sh OUTDIR}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
BIN=${MAILTRAIL_BIN:-$(cd "$here/../../build/bin" && pwd)}
source_log="$here/../data/exim/golden/exim-4.98.2-mainlog.log"
work=$(mktemp -d /var/tmp/mailtrail-followshots.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

shoot() {
    local palette=$1 display=$2
    local dir="$work/$palette"
    mkdir -p "$dir/config/Mailtrail"
    # Low thresholds, so that the lab's small log makes the rules fire.
    printf '[insights]\nrejectBurst=1\nfailureMinimum=3\nfailureShare=0.2\ndeferringMinutes=0\nqueueMinimum=1\n' \
        >"$dir/config/Mailtrail/mailtrail.conf"
    local lines third
    lines=$(wc -l <"$source_log")
    third=$((lines / 3))
    head -n "$third" "$source_log" >"$dir/mainlog"
    Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
    DISPLAY=":$display" QT_QPA_PLATFORM=xcb XDG_CONFIG_HOME="$dir/config" \
        "$BIN/mailtrail" --cache "$dir/c.sqlite" --palette "$palette" -geometry 1400x900+0+0 "$dir/mainlog" \
        >/dev/null 2>"$dir/stderr" &
    local app=$!
    pids+=("$app")
    sleep 4  # the first import and the replay of its history
    tail -n "+$((third + 1))" "$source_log" | while IFS= read -r line; do
        printf '%s\n' "$line" >>"$dir/mainlog"
        sleep 0.05
    done
    sleep 3  # the last batches, their rows and their insights
    DISPLAY=":$display" import -window root "$out/follow-$palette.png"
    kill "$app"
}

shoot light 91
shoot dark 92
echo "wrote $out/follow-light.png and $out/follow-dark.png"
