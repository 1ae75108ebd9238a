#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the throw-away Debian root (see ../produce.sh): Sendmail on loopback port 2527, the
# flows below, its syslog left in /tmp/mt-sendmail/out/syslog.
set -eu
W=/tmp/mt-sendmail
swaks() { command swaks --silent 2 --server 127.0.0.1:2527 "$@" || true; }
stop_ours() { for f in $W/*.pid; do [ -f "$f" ] && kill "$(head -1 "$f")" 2>/dev/null; rm -f "$f"; done; return 0; }
stop_ours
rm -rf $W/out && mkdir -p $W/out
rm -f /var/spool/mqueue/* /var/spool/mqueue-client/*  # nothing left over from an earlier run
id alice >/dev/null 2>&1 || useradd -m alice
id bob >/dev/null 2>&1 || useradd -m bob
id carol >/dev/null 2>&1 || useradd -m carol
echo lab.test > /etc/mail/local-host-names
printf 'Connect:127.0.0.1\tRELAY\n' > /etc/mail/access
printf 'slow.test\tesmtp:[127.0.0.9]\n' > /etc/mail/mailertable
(cd /etc/mail && makemap hash access < access && makemap hash mailertable < mailertable)
m4 $W/mt.mc > $W/mt.cf
cat > $W/rsyslog.conf <<RS
module(load="imuxsock")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
mail.* $W/out/syslog
RS
rsyslogd -i $W/rsyslog.pid -f $W/rsyslog.conf
sendmail -C $W/mt.cf -bd -O PidFile=$W/sendmail.pid
sleep 2

# A local user, and one that does not exist.
swaks --from alice@lab.test --to bob@lab.test,ghost@lab.test --header 'Subject: lunch'
# Several local recipients of one local submission: one to= line names them all.
printf 'Subject: note\n\nremember\n' | sendmail -C $W/mt.cf -odi alice bob || true
# A host that never answers: deferred, then deferred again by a queue run.
swaks --from bob@lab.test --to x@slow.test --header 'Subject: to the void'
# The same, given up on by a queue run that returns what waited longer than a second.
swaks --from bob@lab.test --to late@slow.test --header 'Subject: too late'
# A local submission to an address without an account (procmail still takes it).
printf 'Subject: typo\n\nhello\n' | sendmail -C $W/mt.cf -odi -f alice@lab.test nobody@lab.test || true
# Queued without a try (-odq: "stat=queued"), delivered by the queue run below.
printf 'Subject: later\n\nno hurry\n' | sendmail -C $W/mt.cf -odq -f alice@lab.test carol || true
# A local submission to a user who does not exist: Sendmail bounces it, and its DSN is a message
# of its own, back to alice, that names its parent.
printf 'Subject: lost\n\nanyone there?\n' | sendmail -C $W/mt.cf -odi -f alice@lab.test ghost@lab.test || true
# Every recipient refused at RCPT: nothing queued (from= with nrcpts=0).
swaks --from bob@lab.test --to ghost@lab.test,phantom@lab.test --header 'Subject: nobody'
# Relaying from elsewhere, a session that never sends MAIL.
swaks --local-interface 127.0.0.3 --from spammer@else.test --to victim@elsewhere.test
swaks --local-interface 127.0.0.3 --quit-after EHLO
sleep 5
sendmail -C $W/mt.cf -qRx@slow.test -v >/dev/null 2>&1 || true
sendmail -C $W/mt.cf -qRcarol -v >/dev/null 2>&1 || true
sendmail -C $W/mt.cf -qRlate@slow.test -O Timeout.queuereturn=1s -v >/dev/null 2>&1 || true
sleep 2
stop_ours
