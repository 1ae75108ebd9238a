// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <cstddef>
#include <vector>

namespace mailtrail {

// Blank records that keep the string and vector buffers of records a sink has finished with, so
// that the correlator fills its next messages without allocating what the spent ones had room
// for: an import's reading thread spent half its time in malloc and free on records freed in bulk
// after the writer thread had them (docs/import.md, session 11).
class RecordPool
{
public:
    // Takes spent's buffers, and its deliveries' (a bounded number of each: past that, they are
    // freed).
    void give(MessageRecord &&spent);
    // A record equal to MessageRecord{} (DeliveryRecord{}), with a spent one's buffers if any.
    MessageRecord message();
    DeliveryRecord delivery();
    std::size_t messages() const { return m_messages.size(); }
    std::size_t deliveries() const { return m_deliveries.size(); }

private:
    std::vector<MessageRecord> m_messages;
    std::vector<DeliveryRecord> m_deliveries;
};

} // namespace mailtrail
