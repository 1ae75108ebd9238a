// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"

#include <QJsonObject>
#include <QStringList>

namespace mailtrail {

// The export columns of each grain, in order: CSV, JSON and the CLI table all use these.
QStringList deliveryHeader();
QStringList deliveryFields(const DeliveryRow &row);
// Columns added after the `format` column that follows the export columns (so that a script
// reading the CSV by position finds every older column where it was): of a delivery, the queue id
// Messages lists its message by (`message_queue_id`: a chain's first hop's, its own otherwise).
QStringList deliveryLaterHeader();
QStringList deliveryLaterFields(const DeliveryRow &row);
QStringList messageHeader();
QStringList messageFields(const MessageRow &row);

// Same columns as JSON, with numbers as numbers.
QJsonObject deliveryJson(const DeliveryRow &row);
QJsonObject messageJson(const MessageRow &row);

QString qs(const std::string &s);
const char *originName(MessageOrigin origin);

} // namespace mailtrail
