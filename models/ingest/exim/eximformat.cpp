// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/exim/eximformat.h"

namespace mailtrail {

namespace {
// Lines the real Exim wrote (tests/data/exim/golden, see tests/data/README.md).
constexpr FormatSample Samples[] = {
    {"2026-12-03 20:35:44 1xZDWq-0001oX-2C <= alice@lab.test H=(mx) [127.0.0.1] P=esmtp S=423 "
     "id=20261203203544.006942@mx",
     EventKind::Client, fact::StartsMessage, "1xZDWq-0001oX-2C"},
    {"2026-12-03 20:35:43 1xZDWo-0001nf-2y => alice <info@lab.test> R=localuser T=local_delivery",
     EventKind::Delivery, 0, "1xZDWo-0001nf-2y", "info@lab.test"},
    {"2026-12-03 20:35:44 1xZDWq-0001oX-2C == flaky@remote.test R=to_remote T=remote_smtp defer (-44) "
     "H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<flaky@remote.test>: "
     "451 4.7.1 Try again later",
     EventKind::Delivery, 0, "1xZDWq-0001oX-2C", "flaky@remote.test"},
    {"2026-12-03 20:35:45 1xZDWr-0001ov-0L <= <> R=1xZDWq-0001oX-2C U=Debian-exim P=local S=1815",
     EventKind::Pickup, fact::StartsMessage, "1xZDWr-0001ov-0L"},
    {"2026-12-03 20:35:45 1xZDWr-0001ov-0L Completed", EventKind::Removed, fact::EndsMessage, "1xZDWr-0001ov-0L"},
    {"2026-12-03 20:35:48 H=(mx) [127.0.0.1] F=<alice@lab.test> rejected RCPT <ghost@lab.test>: "
     "Unrouteable address",
     EventKind::Reject, 0, "", "ghost@lab.test"},
    {"Dec  3 20:48:36 mx exim[22311]: [22311] 1xZDjI-000000005nk-0wGM => alice <info@lab.test> "
     "R=localuser T=local_delivery QT=0.340s DT=0.058s",
     EventKind::Delivery, 0, "1xZDjI-000000005nk-0wGM", "info@lab.test"},
};
} // namespace

std::span<const FormatSample> EximFormat::samples() const
{
    return Samples;
}

int EximFormat::detect(std::span<const std::string_view> lines) const
{
    int timed = 0;
    int exim = 0;
    Record record;
    for (const std::string_view line : lines) {
        if (parseEximLogLine(line, record)) {
            ++timed;
            // Any program may write "date time text": Exim's own lines name a message, a peer, a
            // queue run or an authenticator often enough.
            const std::string_view body = record.body;
            if (EximParser::isMessageId(body.substr(0, body.find(' '))) || body.starts_with("H=") ||
                body.starts_with("Start queue run") || body.starts_with("exim ") ||
                body.find(" authenticator failed for ") != std::string_view::npos)
                ++exim;
        } else if (readSyslogRecord(line, record)) {
            ++timed;
            exim += EximParser::isEximProgram(record.program) ? 1 : 0;
        }
    }
    return exim == 0 ? 0 : exim * 100 / timed;
}

} // namespace mailtrail
