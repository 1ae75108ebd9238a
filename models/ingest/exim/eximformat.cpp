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
     EventKind::Delivery, 0, "1xZDWo-0001nf-2y", "alice"},
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
    {"2026-12-03 20:35:53 1xZDWz-0001sb-1I rejected from <alice@lab.test> H=(mx) [127.0.0.1]: message too big: "
     "read=30650 max=20480",
     EventKind::Reject, fact::EndsMessage, "1xZDWz-0001sb-1I"},
    {"2026-12-03 20:35:58 1xZDX4-0001uT-26 Frozen (delivery error message)", EventKind::Hold, 0, "1xZDX4-0001uT-26"},
    {"2026-12-03 20:35:55 plain_server authenticator failed for (mx) [127.0.0.3]: 535 Incorrect authentication data "
     "(set_id=alice)",
     EventKind::AuthFailure},
    {"Dec  3 20:48:36 mx exim[22311]: [22311] 1xZDjI-000000005nk-0wGM => alice <info@lab.test> "
     "R=localuser T=local_delivery QT=0.340s DT=0.058s",
     EventKind::Delivery, 0, "1xZDjI-000000005nk-0wGM", "alice"},
};
} // namespace

std::span<const FormatSample> EximFormat::samples() const
{
    return Samples;
}

bool EximFormat::describe(const Event &ev, std::string &text) const
{
    if (ev.kind != EventKind::Deleted)
        return false;
    text = "deleted from the queue by an administrator (";
    text.append(ev.detail);
    text.append(": exim -Mrm)");
    return true;
}

bool EximFormat::repeats(std::string_view line, std::string_view previous) const
{
    // Exim's own files hold each line once: only syslog's copies repeat, from one Exim process
    // within the second (the time, host and pid are part of the comparison).
    Record record;
    if (line.size() < previous.size() || !readSyslogRecord(previous, record) || record.pid < 0 ||
        !EximParser::isEximProgram(record.program))
        return false;
    if (line == previous)
        return true;
    // "exim[22776]: [1\9] [22776] ID rejected from ..." after "exim[22776]: [22776] ID rejected
    // from ...": the first of the rejectlog's numbered lines, the headers following it.
    const auto bodyAt = static_cast<std::size_t>(record.body.data() - previous.data());
    const std::string_view head = previous.substr(0, bodyAt);
    if (!line.starts_with(head) || line.compare(bodyAt, 3, "[1\\") != 0)
        return false;
    std::size_t at = bodyAt + 3;
    while (at < line.size() && line[at] >= '0' && line[at] <= '9')
        ++at;
    if (at == bodyAt + 3 || line.compare(at, 2, "] ") != 0)
        return false;
    return line.substr(at + 2) == record.body;
}

namespace {
// Whether the body of a line in Exim's own layout is one Exim writes: it names a message, a peer
// (H=) or local caller (U=), a queue run, an authenticator, or is a refusal or a client warning
// (a rejectlog may hold nothing else).
bool isEximBody(std::string_view body)
{
    // Exim writes one space after the time (or the pid); Lotus Domino pads its "SMTP Server"
    // lines, which say "rejected" too.
    if (body.starts_with(' '))
        return false;
    for (const std::string_view start : {"H=", "U=", "F=<", "Start queue run", "exim ", "rejected ", "SMTP ",
                                         "no MAIL in SMTP connection"}) {
        if (body.starts_with(start))
            return true;
    }
    return EximParser::isMessageId(body.substr(0, body.find(' '))) ||
           body.find(" authenticator failed for ") != std::string_view::npos ||
           body.find(" rejected ") != std::string_view::npos;
}
} // namespace

int EximFormat::detect(std::span<const std::string_view> lines) const
{
    int timed = 0;
    int exim = 0;
    Record record;
    for (const std::string_view line : lines) {
        if (parseEximLogLine(line, record)) {
            ++timed;
            // Any program may write "date time text": Exim's own lines are told by what they say.
            exim += isEximBody(record.body) ? 1 : 0;
        } else if (readSyslogRecord(line, record)) {
            ++timed;
            exim += EximParser::isEximProgram(record.program) ? 1 : 0;
        } else if (line.starts_with("Envelope-from: ") || line.starts_with("Envelope-to: ")) {
            // The headers of a refused message, as only Exim's rejectlog writes them.
            ++timed;
            ++exim;
        }
    }
    return exim == 0 ? 0 : exim * 100 / timed;
}

} // namespace mailtrail
