#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Produces the Exim logs of tests/data/exim/ with the real MTA, on loopback, in a throw-away Debian
# root (never the host's or the build root's Exim). Run as root on Debian:
#   tests/data/exim/produce.sh bookworm   # Exim 4.96: classic ids, default log_selector
#   tests/data/exim/produce.sh trixie     # Exim 4.98: long ids, +pid +millisec
# The root is kept in /var/tmp/mt-exim-<suite>-root and reused. Takes about two minutes (the flows
# wait for retry times). Writes golden/exim-<version>-{mainlog,rejectlog,syslog}.log.
set -eu
SUITE=${1:-bookworm}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/var/tmp/mt-exim-$SUITE-root
[ "$SUITE" = bookworm ] && [ -d /var/tmp/mt-exim-root ] && ROOT=/var/tmp/mt-exim-root
case $SUITE in
    bookworm) SEL= ;;
    *) SEL='+pid +millisec +queue_time +deliver_time +received_recipients' ;;
esac

if [ ! -x "$ROOT/usr/sbin/exim4" ]; then
    [ -d "$ROOT/usr" ] || debootstrap --variant=minbase "$SUITE" "$ROOT" http://deb.debian.org/debian
    cp /etc/resolv.conf "$ROOT/etc/"
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends exim4-daemon-light swaks rsyslog procps'
fi
mkdir -p "$ROOT/tmp/mt-exim"
cp "$HERE/produce/main.conf" "$ROOT/tmp/mt-exim/main.conf.in"
cp "$HERE/produce/remote.conf" "$HERE/produce/aliases" "$HERE/produce/scenario.sh" "$ROOT/tmp/mt-exim/"
# Own mount and UTS namespaces: proc for the daemons, and the host name syslog writes ("mx").
unshare --mount --uts --propagation private --fork sh -c "
    mount -t proc proc '$ROOT/proc'
    hostname mx
    chroot '$ROOT' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC sh /tmp/mt-exim/scenario.sh '$SEL'"
VERSION=$(chroot "$ROOT" exim4 --version | sed -n '1s/^Exim version \([0-9.]*\).*/\1/p')
for f in mainlog rejectlog syslog; do
    if [ -s "$ROOT/tmp/mt-exim/out/$f" ]; then
        cp "$ROOT/tmp/mt-exim/out/$f" "$HERE/golden/exim-$VERSION-$f.log"
        chmod 644 "$HERE/golden/exim-$VERSION-$f.log"
    fi
done
echo "wrote $HERE/golden/exim-$VERSION-*.log; now run tests/data/update-golden.sh"
