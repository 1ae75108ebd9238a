#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Produces golden/postfix-<version>-filter.log with the real Postfix, on loopback, in a throw-away
# Debian root (never the host's or the build root's): postscreen in front of smtpd, TLS, a content
# filter re-injecting on 127.0.0.1:10025 (the shape of amavis' setup, with Postfix's own smtpd as
# the pass-through filter and XFORWARD on), smtp-sink as the remote server, header checks that
# hold, discard and redirect, a queue file size limit, postsuper, an address verification probe,
# and a client that quits before DATA. Run as root on Debian:
#   tests/data/postfix/produce.sh [trixie]
# The root is kept in /var/tmp/mt-postfix-<suite>-root and reused. Takes about a minute.
set -eu
SUITE=${1:-trixie}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/var/tmp/mt-postfix-$SUITE-root
[ "$SUITE" = trixie ] && [ -d /var/tmp/mt-postfix-root ] && ROOT=/var/tmp/mt-postfix-root

if [ ! -x "$ROOT/usr/sbin/postfix" ]; then
    [ -d "$ROOT/usr" ] || debootstrap --variant=minbase "$SUITE" "$ROOT" http://deb.debian.org/debian
    cp /etc/resolv.conf "$ROOT/etc/"
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c '
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
        apt-get update -q && apt-get install -y -q --no-install-recommends postfix swaks libnet-ssleay-perl rsyslog procps ssl-cert'
fi
mkdir -p "$ROOT/tmp/mt-postfix"
cp "$HERE/produce/main.cf" "$HERE/produce/master.cf" "$HERE/produce/header_checks" "$HERE/produce/transport" \
    "$HERE/produce/scenario.sh" "$ROOT/tmp/mt-postfix/"
# Own mount and UTS namespaces: proc for the daemons, and the host name syslog writes ("mx").
unshare --mount --uts --propagation private --fork sh -c "
    mount -t proc proc '$ROOT/proc'
    hostname mx
    chroot '$ROOT' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC sh /tmp/mt-postfix/scenario.sh"
VERSION=$(chroot "$ROOT" postconf -h mail_version)
cp "$ROOT/tmp/mt-postfix/out/mail.log" "$HERE/golden/postfix-$VERSION-filter.log"
chmod 644 "$HERE/golden/postfix-$VERSION-filter.log"
echo "wrote $HERE/golden/postfix-$VERSION-filter.log; now run tests/data/update-golden.sh"
