#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Produces golden/sendmail-<version>-syslog.log with the real Sendmail, on loopback, in a
# throw-away Debian root (never the host's or the build root's). Run as root on Debian:
#   tests/data/sendmail/produce.sh          # bookworm: Sendmail 8.17
# The root is kept in /var/tmp/mt-sendmail-root and reused. Then run tests/data/update-golden.sh.
set -eu
SUITE=${1:-bookworm}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/var/tmp/mt-sendmail-root
# sendmail-mta is a link through /etc/alternatives: tested inside the root.
if ! chroot "$ROOT" test -x /usr/sbin/sensible-mda 2>/dev/null; then
    [ -d "$ROOT/usr" ] || debootstrap --variant=minbase "$SUITE" "$ROOT" http://deb.debian.org/debian
    cp /etc/resolv.conf "$ROOT/etc/"
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    # sendmail-bin's postinst stops a daemon through /proc: without it the install fails.
    unshare --mount --propagation private --fork sh -c "
        mount -t proc proc '$ROOT/proc'
        chroot '$ROOT' env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends sendmail-bin sendmail-cf sensible-mda procmail m4 make swaks rsyslog procps'"
fi
mkdir -p "$ROOT/tmp/mt-sendmail"
cp "$HERE/produce/mt.mc" "$HERE/produce/scenario.sh" "$ROOT/tmp/mt-sendmail/"
unshare --mount --uts --propagation private --fork sh -c "
    mount -t proc proc '$ROOT/proc'
    hostname mx
    chroot '$ROOT' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC sh /tmp/mt-sendmail/scenario.sh"
VERSION=$(chroot "$ROOT" dpkg-query -W -f '${Version}' sendmail-bin | sed 's/-.*//')
cp "$ROOT/tmp/mt-sendmail/out/syslog" "$HERE/golden/sendmail-$VERSION-syslog.log"
chmod 644 "$HERE/golden/sendmail-$VERSION-syslog.log"
echo "wrote $HERE/golden/sendmail-$VERSION-syslog.log; now run tests/data/update-golden.sh"
