#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the throw-away Debian root (see ../produce.sh): Postfix behind postscreen with a
# content filter on loopback, smtp-sink as the remote server; the mail log is left in
# /tmp/mt-postfix/out/mail.log.
set -eu
W=/tmp/mt-postfix
swaks() { command swaks --silent 2 --server 127.0.0.1:25 "$@" || true; }

postfix stop >/dev/null 2>&1 || true
[ -f $W/rsyslog.pid ] && kill "$(cat $W/rsyslog.pid)" 2>/dev/null || true
[ -f $W/sink.pid ] && kill "$(cat $W/sink.pid)" 2>/dev/null || true
rm -rf $W/out $W/rsyslog.pid $W/sink.pid
mkdir -p $W/out
for u in alice bob boss; do id $u >/dev/null 2>&1 || useradd -m $u; done
cp $W/main.cf $W/master.cf $W/header_checks $W/transport /etc/postfix/
postsuper -d ALL >/dev/null 2>&1 || true
rm -f /var/lib/postfix/*.db /var/lib/postfix/*.lmdb

cat > $W/rsyslog.conf <<RS
module(load="imuxsock")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
mail.* $W/out/mail.log
RS
rsyslogd -i $W/rsyslog.pid -f $W/rsyslog.conf
smtp-sink -u nobody -c 127.0.0.1:2526 20 & echo $! > $W/sink.pid
postfix start
sleep 2

# A client that talks before the greeting: postscreen's PREGREET, then its HANGUP.
bash -c 'exec 3<>/dev/tcp/127.0.0.1/25; printf "EHLO early.test\r\n" >&3; sleep 3; exec 3>&-' || true
sleep 1
# Passes postscreen (PASS NEW), then over TLS: one local recipient, one remote, one that defers.
swaks --tls --from alice@lab.test --to bob@lab.test,friend@remote.test,late@slow.test --header 'Subject: minutes'
# PASS OLD from now on. Plain text, one local recipient.
swaks --from friend@remote.test --to alice@lab.test --header 'Subject: lunch'
# A client that quits after RCPT: client= without cleanup.
swaks --from alice@lab.test --to bob@lab.test --quit-after RCPT
# Header checks: hold, discard, redirect.
swaks --from friend@remote.test --to bob@lab.test --header 'Subject: review me'
swaks --from friend@remote.test --to bob@lab.test --header 'Subject: junk'
swaks --from friend@remote.test --to alice@lab.test --header 'Subject: for the boss'
# Too big for message_size_limit: cleanup's queue file size limit.
head -c 40000 /dev/zero | tr '\0' 'x' | fold -w 70 > $W/big.txt
swaks --from alice@lab.test --to bob@lab.test --body @$W/big.txt
# An unknown local user: refused at RCPT (NOQUEUE).
swaks --from friend@remote.test --to ghost@lab.test
# A local submission, filtered like the others (pickup, then the filter).
printf 'Subject: note\n\nremember\n' | sendmail -f bob@lab.test alice@lab.test
# A web client on the filter's port: smtpd's "non-SMTP command" warning.
bash -c 'exec 3<>/dev/tcp/127.0.0.1/10025; sleep 1; printf "GET / HTTP/1.0\r\n\r\n" >&3; sleep 1; exec 3>&-' || true
# Address verification: a probe of an existing and of an unknown local user.
sendmail -bv alice@lab.test </dev/null || true
sleep 3
# The held message: one deleted by the administrator, after a second one is held and released.
swaks --from friend@remote.test --to alice@lab.test --header 'Subject: review me'
sleep 2
held=$(postqueue -j | sed -n 's/.*"queue_name": "hold", "queue_id": "\([0-9A-F]*\)".*/\1/p')
first=$(echo "$held" | sed -n 1p)
second=$(echo "$held" | sed -n 2p)
[ -n "$first" ] && postsuper -d "$first"
[ -n "$second" ] && postsuper -H "$second"
postqueue -f
sleep 8
postqueue -f
sleep 4
postfix stop
sleep 1
kill "$(cat $W/sink.pid)" 2>/dev/null || true
kill "$(cat $W/rsyslog.pid)" 2>/dev/null || true
