#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the throw-away Debian root (see ../produce.sh): two Exim daemons on loopback, the
# mail of each flow in tests/data/exim/README-like order, then the logs are left in /tmp/mt-exim/out.
# $1: the log_selector to use ("" for Exim's default).
set -eu
W=/tmp/mt-exim
EXIM=exim4
SEL=${1:-}
swaks() { command swaks --silent 2 --server 127.0.0.1:2525 "$@" || true; }
runq() { $EXIM -C $W/main.conf "$@" || true; }

stop_ours() { for f in $W/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; rm -f "$f"; done; return 0; }
stop_ours
rm -rf /var/spool/mt-exim /var/spool/mt-exim-remote /var/log/mt-exim /var/log/mt-exim-remote $W/out $W/flaky-ok
mkdir -p /var/log/mt-exim /var/log/mt-exim-remote $W/out
chown Debian-exim:Debian-exim /var/log/mt-exim /var/log/mt-exim-remote
id alice >/dev/null 2>&1 || useradd -m alice
id bob >/dev/null 2>&1 || useradd -m bob
sed "s/LOG_SELECTOR/$SEL/" $W/main.conf.in > $W/main.conf
printf '%s\n%s\n' $W/main.conf $W/remote.conf > /etc/exim4/trusted_configs

cat > $W/rsyslog.conf <<RS
module(load="imuxsock")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
mail.* $W/out/syslog
RS
rsyslogd -i $W/rsyslog.pid -f $W/rsyslog.conf
$EXIM -C $W/remote.conf -bd -oP $W/remote.pid
$EXIM -C $W/main.conf -bd -oP $W/main.pid
sleep 1

# Local users and an alias that expands to both of them.
swaks --from alice@lab.test --to bob@lab.test,info@lab.test --header 'Subject: lunch'
# Relayed: accepted, refused (bounce to alice), deferred then accepted.
swaks --from alice@lab.test --to friend@remote.test,nobody@remote.test,flaky@remote.test --header 'Subject: minutes'
# Cutthrough: delivered while the client waits.
swaks --from bob@lab.test --to fast@remote.test --header 'Subject: quick'
# A host that never answers: deferred until the retry rule gives up.
swaks --from bob@lab.test --to x@slow.test --header 'Subject: to the void'
# Local submission through the command line.
printf 'Subject: note\n\nremember\n' | $EXIM -C $W/main.conf -odi bob
# Refusals: unknown user, relaying from elsewhere, a refused connection, too big, bad AUTH.
swaks --from alice@lab.test --to ghost@lab.test
swaks --local-interface 127.0.0.3 --from spammer@else.test --to victim@elsewhere.test
swaks --local-interface 127.0.0.2 --from alice@lab.test --to bob@lab.test
head -c 30000 /dev/zero | tr '\0' 'x' | fold -w 70 > $W/big.txt
swaks --from alice@lab.test --to bob@lab.test --body @$W/big.txt
swaks --local-interface 127.0.0.3 --from alice@lab.test --to bob@lab.test --auth PLAIN --auth-user alice --auth-password wrong
swaks --local-interface 127.0.0.3 --from alice@lab.test --to friend@remote.test --auth PLAIN --auth-user alice --auth-password secret --header 'Subject: authenticated'
# A bounce that cannot be returned: null sender to a refusing recipient freezes the message.
swaks --from '<>' --to nobody@remote.test --header 'Subject: undeliverable report'
sleep 2
frozen=$($EXIM -C $W/main.conf -bpr | awk '/\*\*\* frozen \*\*\*/ {print $3}' | head -1)
if [ -n "$frozen" ]; then runq -Mt "$frozen"; sleep 1; runq -Mrm "$frozen"; fi
# A queue run before the retry time: nothing tried.
sleep 15
runq -q
# The remote now takes flaky@; the slow host is past its retry cutoff.
touch $W/flaky-ok
sleep 60
runq -qff
sleep 3

stop_ours
sleep 1
cp /var/log/mt-exim/mainlog $W/out/mainlog
cp /var/log/mt-exim/rejectlog $W/out/rejectlog 2>/dev/null || true
