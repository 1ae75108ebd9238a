#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the throw-away Debian root (see ../produce-companions.sh): Postfix with opendkim,
# opendmarc and spamass-milter (spamd) as milters, policyd-spf and postgrey as policy services,
# amavis (SpamAssassin, no virus scanner) as content filter on 10024/10025, dovecot-lda as the
# local delivery agent, smtp-sink as the remote server. 127.0.0.2 plays the Internet. The mail log
# is left in /tmp/mt-postfix/out/mail.log.
set -eu
W=/tmp/mt-postfix
# opendkim refuses keys and configuration under a directory anyone may write to, such as /tmp.
K=/etc/mt-companions
swaks() { command swaks --silent 2 --server 127.0.0.1:25 "$@" || true; }
outside() { swaks --local-interface 127.0.0.2 --ehlo relay.remote.test "$@"; }

stop_all() {
    postfix stop >/dev/null 2>&1 || true
    for p in /run/opendkim/opendkim /run/opendmarc/opendmarc; do
        [ -f $p.pid ] && kill "$(cat $p.pid)" 2>/dev/null || true
    done
    for p in rsyslog sink postgrey/postgrey spamd spamass; do
        [ -f $W/$p.pid ] && kill "$(cat $W/$p.pid)" 2>/dev/null || true
        rm -f $W/$p.pid
    done
    amavisd stop >/dev/null 2>&1 || true
    sleep 1
}
stop_all
rm -rf $W/out $K $W/postgrey
mkdir -p $W/out $K/dkim $W/postgrey /run/spamass /run/opendkim /run/opendmarc
for u in alice bob; do id $u >/dev/null 2>&1 || useradd -m $u; done
cp $W/main.cf $W/master.cf $W/transport /etc/postfix/
cp $W/amavis.conf /etc/amavis/conf.d/50-user
cp $W/dovecot-local.conf /etc/dovecot/local.conf
echo 127.0.0.1 > $W/opendmarc-ignore
postsuper -d ALL >/dev/null 2>&1 || true

# DKIM keys: lab.test signs its own mail; remote.test's key signs the mail "from outside". Public
# keys go to opendkim's TestPublicKeys file instead of DNS.
opendkim-genkey -D $K/dkim -d lab.test -s mail
opendkim-genkey -D $K/dkim -d remote.test -s rt
# opendkim-testmsg signs with rsa-sha1: the record must not restrict the hash to sha256 (h=).
publickey() { tr -d '\n\t' < "$1" | sed 's/.*( *//; s/ *).*//; s/" *"//g; s/"//g; s/h=sha256; *//'; }
{ echo "mail._domainkey.lab.test $(publickey $K/dkim/mail.txt)"
  echo "rt._domainkey.remote.test $(publickey $K/dkim/rt.txt)"; } > $K/dkim/keys
cp $W/opendkim.conf $K/
chown -R opendkim $K/dkim

cat > $W/rsyslog.conf <<RS
module(load="imuxsock")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
mail.* $W/out/mail.log
RS
rsyslogd -i $W/rsyslog.pid -f $W/rsyslog.conf
smtp-sink -u nobody -c 127.0.0.1:2526 20 & echo $! > $W/sink.pid
chown postgrey $W/postgrey
chown opendkim /run/opendkim
chown opendmarc /run/opendmarc
opendkim -x $K/opendkim.conf
opendmarc -c $W/opendmarc.conf
postgrey --inet=127.0.0.1:10023 --delay=2 --auto-whitelist-clients=1 --dbdir=$W/postgrey \
    --pidfile=$W/postgrey/postgrey.pid --daemonize --user=postgrey --group=postgrey
spamd --listen=127.0.0.1 --daemonize --pidfile=$W/spamd.pid --username=nobody --syslog=mail -x
spamass-milter -p /run/spamass/spamass.sock -P $W/spamass.pid -f
sleep 3
chmod 666 /run/spamass/spamass.sock
amavisd start
postfix start
sleep 5

# A message from outside signed by remote.test: greylisted at first, let through on retry.
printf 'From: Friend <friend@remote.test>\nTo: alice@lab.test\nSubject: lunch\nMessage-ID: <lunch-1@remote.test>\nDate: %s\n\nSee you at noon.\n' \
    "$(date -R)" | opendkim-testmsg -d remote.test -s rt -k $K/dkim/rt.private > $W/signed.eml
outside --from friend@remote.test --to alice@lab.test --data @$W/signed.eml
sleep 3
outside --from friend@remote.test --to alice@lab.test --data @$W/signed.eml
sleep 4
# The same signed message with its body changed on the way: a bad signature.
sed 's/noon/one/' $W/signed.eml > $W/tampered.eml
outside --from friend@remote.test --to bob@lab.test --data @$W/tampered.eml
sleep 4
# Spam (GTUBE) from outside, not signed: spamd and amavis say so.
outside --from offers@remote.test --to bob@lab.test --header 'Subject: offer' \
    --body 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X'
sleep 4
# Our own user to the outside: opendkim signs it, amavis passes it outbound, smtp-sink takes it.
swaks --from alice@lab.test --to friend@remote.test --header 'From: alice@lab.test' --header 'Subject: minutes'
sleep 2
# A local submission: signed through non_smtpd_milters, delivered by dovecot-lda.
printf 'From: bob@lab.test\nSubject: note\n\nremember\n' | sendmail -f bob@lab.test alice@lab.test
sleep 8
postqueue -f
sleep 4
stop_all
