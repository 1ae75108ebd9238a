// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// One line target per registered format, built from this source with MAILTRAIL_FUZZ_FORMAT set to
// the format's name (tests/fuzz/CMakeLists.txt): the input is one line, read into a record and
// parsed into an event through the format's LogFormat interface, as the Ingestor does.
#include "linefuzzer.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#ifndef MAILTRAIL_FUZZ_FORMAT
#error "MAILTRAIL_FUZZ_FORMAT must name a registered format"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace mailtrail;
    static const LogFormat &format = fuzz::registeredFormat(MAILTRAIL_FUZZ_FORMAT);
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    (void)format.detect(std::span<const std::string_view>(&text, 1));
    Record record;
    if (!format.readRecord(text, record))
        return 0;
    fuzz::requireInside(record, text, format);
    (void)format.ownsProgram(record.program);
    Event event;
    if (!format.parse(record, event))
        return 0;
    fuzz::requireInside(event, text, format);
    std::string description;
    (void)format.describe(event, description);
    return 0;
}
