#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a live Postfix log from the real lines of tests/data/postfix, stamped with the time they
are written, for trying Follow as a user would (follow-trial.sh):
    follow-trial.py LOG SECONDS [LINES_PER_SECOND]
A LOG that does not exist yet first gets the last ten minutes of healthy traffic (a log being
written); then lines are appended at LINES_PER_SECOND: healthy traffic (the Parse-Syslog-Mail
sample, one pass after another, each with fresh queue ids), a bounce wave over the middle half of
the run (the bounce flow alone, its recipients bounced), and a burst of SASL failures from one IP
half way."""
import datetime
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data', 'postfix')
SYSLOG = re.compile(r'^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\S+) (.*)$')
QUEUE_ID = re.compile(r'\b[0-9A-F]{8,12}\b')


def lines_of(name):
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        return [l.rstrip('\n') for l in f if SYSLOG.match(l)]


class Restamper:
    """Gives each pass over a flow fresh queue ids, one host, and the time of writing."""

    def __init__(self):
        self.serial = 0

    def instance(self, lines):
        self.serial += 1
        ids = {}

        def fresh(m):
            old = m.group(0)
            if old not in ids:
                ids[old] = '%X%05X' % (0xA0000 + len(ids), self.serial)
            return ids[old]
        return [QUEUE_ID.sub(fresh, SYSLOG.match(l).group(3)) for l in lines]


def stamp(rest, when):
    return '%s mx1 %s\n' % (when.strftime('%b %e %H:%M:%S'), rest)


def main():
    log, seconds = sys.argv[1], float(sys.argv[2])
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 100.0
    healthy = lines_of('golden/psm-postfix-plain.log')
    bounce = [l.replace('status=sent', 'status=bounced') if 'carol@' in l else l
              for l in lines_of('flows/bounce-with-notification.log')]
    sasl = [SYSLOG.match(l).group(3) for l in lines_of('flows/sasl-failures.log')[:1]]
    r = Restamper()
    # Queue ids go on from those of the history: the serial is the time of the run.
    r.serial = int(time.time()) % 0x10000 * 16
    now = datetime.datetime.now()
    if not os.path.exists(log):
        with open(log, 'a', encoding='utf-8') as f:
            history = r.instance(healthy) + r.instance(healthy)
            for i, rest in enumerate(history):
                f.write(stamp(rest, now - datetime.timedelta(seconds=600 * (len(history) - i) / len(history))))
    start = time.monotonic()
    queue = []
    written = 0
    bounce_from, sasl_at = seconds / 4, seconds / 2
    sasl_done = False
    with open(log, 'a', encoding='utf-8', buffering=1) as f:
        while time.monotonic() - start < seconds:
            elapsed = time.monotonic() - start
            if not queue:
                wave = bounce_from <= elapsed < 3 * bounce_from
                queue = r.instance(bounce) if wave else r.instance(healthy)
            if not sasl_done and elapsed >= sasl_at:
                sasl_done = True
                queue[0:0] = [rest.replace('82.221.106.233', '203.0.113.66') for rest in sasl * 15]
            f.write(stamp(queue.pop(0), datetime.datetime.now()))
            written += 1
            time.sleep(max(0.0, start + written / rate - time.monotonic()))
    print('wrote %d lines in %.0f s' % (written, time.monotonic() - start))


if __name__ == '__main__':
    main()
