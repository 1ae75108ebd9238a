#!/bin/sh
# SPDX-FileCopyrightText: 2026 Mailtrail contributors
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the references beside each log of tests/data/exim/ (<log>.deliveries.csv, <log>.timeline.txt)
# from what the current build reads in them. Review the diff before committing it.
set -eu
cd "$(dirname "$0")/../../.."
packaging/dev exec env MAILTRAIL_UPDATE_REFERENCES=1 "$PWD/build/bin/tst_eximflows" references
git status --short tests/data/exim
