#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the golden references of every tests/data/<format>/golden/NAME.log with the built
# mailtrail-cli: NAME.deliveries.csv (every delivery, as `deliveries --format csv` prints them)
# and NAME.timelines.txt (the timeline of every queued message). After a deliberate change of
# behaviour, run it and review the diff of the references like code:
#     packaging/dev exec tests/data/update-golden.sh
# tst_golden runs it into a scratch folder (second argument) and compares.
#
# usage: update-golden.sh [MAILTRAIL-CLI [OUTPUT-FOLDER]]
set -eu
data=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$data/../../build/bin/mailtrail-cli}
out=${2:-}
# Year-less lines are read as 2026, times shown in UTC: the references do not depend on when
# the files were checked out or where.
export TZ=UTC LANG=C.UTF-8
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM

for log in "$data"/*/golden/*.log; do
    name=$(basename "$log" .log)
    if [ -n "$out" ]; then
        dest=$out/$(basename "$(dirname "$(dirname "$log")")")
        mkdir -p "$dest"
    else
        dest=$(dirname "$log")
    fi
    cache=$scratch/$name.sqlite
    "$cli" import --cache "$cache" --year 2026 "$log" >/dev/null
    "$cli" deliveries --cache "$cache" --format csv >"$dest/$name.deliveries.csv"
    "$cli" messages --cache "$cache" --format csv | awk -F, 'NR > 1 && $4 != "" && !seen[$4]++ { print $4 }' |
        while read -r queueId; do
            "$cli" timeline --cache "$cache" "$queueId"
            echo
        done >"$dest/$name.timelines.txt"
done
