#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Produces golden/postfix-<version>-companions.log with the real Postfix and the programs production
# servers run beside it, on loopback, in the throw-away Debian root of produce.sh (never the host's
# or the build root's): opendkim, opendmarc, spamass-milter with spamd, policyd-spf, postgrey,
# amavis (SpamAssassin, no virus scanner) as content filter, dovecot-lda delivering locally,
# smtp-sink as the remote server. See produce-companions/scenario.sh for the mail it sends. Run as
# root on Debian:
#   tests/data/postfix/produce-companions.sh [trixie]
# Only this script needs these packages (the log is checked in, the tests read it):
#   opendkim opendkim-tools opendmarc postfix-policyd-spf-python postgrey spamassassin spamd spamc
#   spamass-milter amavisd-new dovecot-core, beside produce.sh's postfix swaks rsyslog.
# There is no DNS in the root: SPF and DMARC find no records, DKIM keys come from a file.
set -eu
SUITE=${1:-trixie}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/var/tmp/mt-postfix-$SUITE-root
[ "$SUITE" = trixie ] && [ -d /var/tmp/mt-postfix-root ] && ROOT=/var/tmp/mt-postfix-root

[ -x "$ROOT/usr/sbin/postfix" ] || "$HERE/produce.sh" "$SUITE"
if [ ! -x "$ROOT/usr/sbin/amavisd" ]; then
    cp /etc/resolv.conf "$ROOT/etc/"
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c '
        apt-get update -q && apt-get install -y -q --no-install-recommends opendkim opendkim-tools opendmarc \
            postfix-policyd-spf-python postgrey spamassassin spamd spamc spamass-milter amavisd-new dovecot-core'
fi
mkdir -p "$ROOT/tmp/mt-postfix"
cp "$HERE"/produce-companions/* "$ROOT/tmp/mt-postfix/"
# Own PID namespace too: whatever the daemons leave running ends with it.
unshare --mount --uts --pid --propagation private --fork sh -c "
    mount -t proc proc '$ROOT/proc'
    hostname mx
    chroot '$ROOT' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC sh /tmp/mt-postfix/scenario.sh"
VERSION=$(chroot "$ROOT" postconf -h mail_version)
cp "$ROOT/tmp/mt-postfix/out/mail.log" "$HERE/golden/postfix-$VERSION-companions.log"
chmod 644 "$HERE/golden/postfix-$VERSION-companions.log"
echo "wrote $HERE/golden/postfix-$VERSION-companions.log; now run tests/data/update-golden.sh"
