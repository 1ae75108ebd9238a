// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <QString>

#include <cstdint>

namespace mailtrail {

// How the tables show values; shared by the message and the delivery grain.
namespace cellformat {
QString time(std::int64_t epochMs, std::int32_t utcOffsetSec);  // "2026-11-22 08:50:30"
QString sender(const std::string &sender, bool hasSender);      // "<>" for the null sender
QString state(MessageState state);                              // "Bounced"
QString status(DeliveryStatus status);
QString size(std::int64_t bytes);                               // "18.2 kB" (SI), "" when unknown
QString client(const std::string &host, const std::string &ip); // "mail.example.com [192.0.2.10]"
// "TLSv1.3" of "Trusted TLSv1.3 with cipher ..."; "" for none.
QString tlsProtocol(const std::string &tls);
// The TLS column: "in TLSv1.3 · out TLSv1.2", "out TLSv1.3", "none".
QString tls(const std::string &in, const std::string &out);
} // namespace cellformat

} // namespace mailtrail
