// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <functional>

class QAbstractItemModel;

namespace mailtrail {

// Writes rows of a table model to a CSV file: the given columns in the given (visual) order, with
// the header texts, cells from CacheTableModel::ExportRole when the model has it. The file appears
// only when complete (QSaveFile), so a full disk or a cancel never leaves half a file behind.
class TableExporter
{
public:
    struct Result {
        bool ok = false;
        qint64 rows = 0;
        QString error;  // for the user: "Cannot write /x.csv: No space left on device"
    };

    // rows empty = every row of the model. `progress` may return false to cancel.
    static Result exportCsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns,
                            const QString &path, const std::function<bool(qint64 done, qint64 total)> &progress = {});

    // Selected rows as tab-separated text for the clipboard (no header, display text). A pasted
    // cell is read by a spreadsheet like a CSV one: formulas get the export's apostrophe.
    static QString toTsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns);
};

} // namespace mailtrail
