# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by import-bench.sh, query-bench.sh and window-bench.sh: the one place that names the
# generated bench logs and makes them, so that the three scripts find each other's logs.
#
#   benchlog_path SIZE     prints the log's path
#   benchlog_make SIZE     prints the log's path, generating it first unless it is there
#
# The log is BENCH_DIR/mail-SIZE-seedSEED[-cf][-ARGS].log, made by `mailtrail-genlog --size SIZE
# --seed SEED [--content-filter] ARGS`, from the caller's variables:
#   BENCH_DIR            the folder (each script sets its own default)
#   BENCH_SEED           the seed (default 1)
#   BENCH_CONTENT_FILTER non-empty: every message passes an amavis-style content filter (two
#                        hops each), the log named with -cf
#   BENCH_GENLOG_ARGS    more generator options ("--rfc3339 --hosts 3"), in the name as [A-Za-z0-9_]
# A log is reused while its stamp (LOG.stamp: size, seed, options, the generator binary's hash,
# and the file's length) still matches; a log without a stamp (written by an older script) is
# reused as it is, said on stderr.

benchlog_flags() {
    local flags=
    [ -z "${BENCH_CONTENT_FILTER:-}" ] || flags=--content-filter
    printf '%s\n' "$flags${BENCH_GENLOG_ARGS:+${flags:+ }$BENCH_GENLOG_ARGS}"
}

benchlog_path() {
    local size=$1 suffix=
    [ -z "${BENCH_CONTENT_FILTER:-}" ] || suffix=-cf
    [ -z "${BENCH_GENLOG_ARGS:-}" ] || suffix="$suffix-$(printf '%s' "$BENCH_GENLOG_ARGS" | tr -c 'A-Za-z0-9' '_')"
    printf '%s\n' "$BENCH_DIR/mail-$size-seed${BENCH_SEED:-1}$suffix.log"
}

benchlog_make() {
    local size=$1 log flags genbin stamp t0
    log=$(benchlog_path "$size")
    flags=$(benchlog_flags)
    genbin=$(command -v mailtrail-genlog) || {
        printf 'benchlog: mailtrail-genlog not found on PATH (run under packaging/dev exec)\n' >&2
        return 2
    }
    stamp="size=$size seed=${BENCH_SEED:-1} args=$flags genlog=$(sha256sum "$genbin" | cut -c1-16)"
    if [ -s "$log" ] && [ ! -f "$log.stamp" ]; then
        printf '  reusing %s (no stamp: made by an older script)\n' "$log" >&2
    elif [ -s "$log" ] && [ "$(sed -n 1p "$log.stamp")" = "$stamp" ] &&
        [ "$(sed -n 2p "$log.stamp")" = "$(stat -c %s "$log")" ]; then
        printf '  reusing %s\n' "$log" >&2
    else
        printf '  generating %s ...' "$log" >&2
        mkdir -p "$BENCH_DIR"
        rm -f "$log.stamp"
        t0=$EPOCHREALTIME
        # shellcheck disable=SC2086 # the flags are a list of options
        mailtrail-genlog --size "$size" --seed "${BENCH_SEED:-1}" $flags >"$log.part" || {
            rm -f "$log.part"
            return 1
        }
        mv "$log.part" "$log"
        printf '%s\n%s\n' "$stamp" "$(stat -c %s "$log")" >"$log.stamp"
        awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$(stat -c %s "$log")" \
            'BEGIN { printf " %.2f s (%.0f MB/s)\n", b - a, n / 1e6 / (b - a) }' >&2
    fi
    printf '%s\n' "$log"
}
