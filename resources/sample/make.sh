#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make.sh GENLOG           writes mail.log beside this script with mailtrail-genlog (GENLOG)
# make.sh GENLOG --check   checks that mail.log is what that command writes, and that the SASL
#                          burst only adds lines: without --sasl-burst the generator writes the
#                          same log minus the burst's lines (the benchmarks' logs stay the same)
set -eu
genlog=$1
here=$(cd "$(dirname "$0")" && pwd)
opts="--size 400K --seed 7 --rate 0.05 --start 2026-11-21T20:00:00"
burst="--sasl-burst 2026-11-21T21:30:00"

if [ "${2:-}" != --check ]; then
    # shellcheck disable=SC2086 # the options are words on purpose
    "$genlog" $opts $burst >"$here/mail.log"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "make.sh: $*" >&2; exit 1; }

# Every line that --sasl-burst adds is the burst's smtpd (its pids are from 3,000,000 up), and
# none of the others goes or changes.
only_added() {
    diff "$1" "$2" >"$tmp/diff" && fail "--sasl-burst added nothing to: $3"
    ! grep -q '^[<-]' "$tmp/diff" || fail "--sasl-burst changed or removed lines of: $3"
    grep '^>' "$tmp/diff" >"$tmp/added"
    ! grep -v '^> .* postfix/submission/smtpd\[3[0-9]\{6\}\]: ' "$tmp/added" | grep -q . ||
        fail "--sasl-burst added lines of other processes to: $3"
    grep -q 'SASL LOGIN authentication failed: .*sasl_username=' "$tmp/added" ||
        fail "--sasl-burst added no SASL failure to: $3"
}

# shellcheck disable=SC2086
"$genlog" $opts $burst >"$tmp/with"
cmp -s "$tmp/with" "$here/mail.log" || fail "mail.log is not what '$genlog $opts $burst' writes"
# shellcheck disable=SC2086
"$genlog" $opts >"$tmp/without"
only_added "$tmp/without" "$tmp/with" "$opts"

other="--size 3M --seed 11 --hosts 2 --rfc3339 --utc-offset -05:00 --start 2026-12-31T22:00:00"
# shellcheck disable=SC2086
"$genlog" $other >"$tmp/without"
# shellcheck disable=SC2086
"$genlog" $other --sasl-burst 2026-12-31T22:00:01,5 >"$tmp/with"
only_added "$tmp/without" "$tmp/with" "$other"
echo "make.sh: mail.log is up to date; --sasl-burst only adds its lines"
