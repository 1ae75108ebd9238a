#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Follow tried as a user would, in the real window (Xvfb), light and dark:
#   packaging/dev exec tests/follow/follow-trial.sh OUTDIR [SECONDS] [LINES_PER_SECOND]
# The window opens a Postfix log written in the last ten minutes (so Follow turns itself on), a
# row in the middle of the table is clicked (xdotool, when installed), and follow-trial.py appends
# lines at 100 a second for a minute: healthy traffic, a bounce wave, a SASL burst. Pictures are
# taken before, during and after (OUTDIR/trial-PALETTE-N.png). With dbus-run-session and
# dbus-monitor installed, the desktop notifications the window sent are counted.
set -euo pipefail
out=${1:?usage: follow-trial.sh OUTDIR [SECONDS] [LINES_PER_SECOND]}
seconds=${2:-60}
rate=${3:-100}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
BIN=${MAILTRAIL_BIN:-$(cd "$here/../../build/bin" && pwd)}
work=$(mktemp -d /var/tmp/mailtrail-followtrial.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

try() {
    local palette=$1 display=$2
    local dir="$work/$palette"
    mkdir -p "$dir/config"
    export DISPLAY=":$display"
    Xvfb "$DISPLAY" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
    python3 "$here/follow-trial.py" "$dir/mail.log" 0 >/dev/null  # the last ten minutes only
    local bus=()
    if command -v dbus-run-session >/dev/null && command -v dbus-monitor >/dev/null; then
        bus=(dbus-run-session --)
    fi
    "${bus[@]}" bash -c '
        if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
            dbus-monitor "interface=org.freedesktop.Notifications,member=Notify" >"$1/notify.log" 2>&1 &
        fi
        QT_QPA_PLATFORM=xcb XDG_CONFIG_HOME="$1/config" "$2/mailtrail" --cache "$1/c.sqlite" --palette "$3" \
            -geometry 1400x900+0+0 "$1/mail.log" >/dev/null 2>"$1/stderr"
    ' bash "$dir" "$BIN" "$palette" &
    pids+=($!)
    sleep 5  # the first import and the replay of its history
    if command -v xdotool >/dev/null; then
        xdotool mousemove 400 330 click 1  # a row in the middle of the table
    fi
    sleep 1
    import -window root "$out/trial-$palette-1.png"
    python3 "$here/follow-trial.py" "$dir/mail.log" "$seconds" "$rate" >/dev/null &
    local writer=$!
    sleep $((seconds * 2 / 3))
    import -window root "$out/trial-$palette-2.png"
    wait "$writer"
    sleep 3  # the last batches, their rows and their insights
    import -window root "$out/trial-$palette-3.png"
    if [ -f "$dir/notify.log" ]; then
        echo "$palette: $(grep -c 'member=Notify' "$dir/notify.log" || true) notifications:"
        grep -A3 'member=Notify' "$dir/notify.log" | grep 'string "' | sed -n 's/^ *string "\(.*\)"/  \1/p' | grep -v '^  $' || true
    fi
    echo "$palette: $(wc -l <"$dir/mail.log") lines in the log"
}

try light 93
try dark 94
echo "wrote $out/trial-{light,dark}-{1,2,3}.png"
