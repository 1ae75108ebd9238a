// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIODevice>
#include <QStringList>

namespace mailtrail {

// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, CRLF between
// records, UTF-8. With formula safety on, a field a spreadsheet would evaluate (=, +, -, @, tab,
// CR at the start) gets a leading apostrophe, so an address like "=cmd|..." stays text.
class CsvWriter
{
public:
    explicit CsvWriter(QIODevice *device, bool formulaSafe = false);
    bool writeRow(const QStringList &fields);
    static QString escape(const QString &field, bool formulaSafe);
    // The field with a leading apostrophe when a spreadsheet would run it as a formula; as it is
    // otherwise. Shared by the CSV export, the CLI's CSV and the copy of rows to the clipboard.
    static QString formulaSafe(const QString &field);

private:
    QIODevice *m_device;
    bool m_formulaSafe;
};

} // namespace mailtrail
