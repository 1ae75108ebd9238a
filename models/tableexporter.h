// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <string>

class QAbstractItemModel;

namespace mailtrail {

class Cache;

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
        bool cancelled = false;  // by the user: nothing to warn about
    };

    // What exportRows reads: each row's fields handed to `write` (false stops), false when the
    // rows could not be read.
    using RowSource = std::function<bool(Cache &, const std::function<bool(const QStringList &)> &)>;

    // rows empty = every row of the model. `progress` may return false to cancel.
    static Result exportCsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns,
                            const QString &path, const std::function<bool(qint64 done, qint64 total)> &progress = {});

    // Every row `rows` hands over (CacheTableModel::rowsExport: the filter's rows in the table's
    // order), under `header`, read through a connection of its own to the cache at `cachePath`:
    // for another thread than the window's. `done` counts the rows written as they go; `cancel`
    // stops the export (a query under way too).
    static Result exportRows(const std::string &cachePath, const std::function<bool(Cache &, const std::function<bool(const QStringList &)> &)> &rows,
                             const QStringList &header, const QString &path, std::atomic<qint64> *done = nullptr,
                             const std::atomic<bool> *cancel = nullptr);

    // The rows of a grain as `mailtrail-cli messages|deliveries --format csv` writes them, for
    // exportRows: the CLI's header (the `format` column last) and its cells (every recipient count,
    // the first recipient, code and dsn apart), not the table's display texts ("a@x (+2)"). An
    // export is for machines: the window's and the CLI's CSV of one filter are the same file.
    static QStringList grainHeader(Grain grain);
    static std::function<bool(Cache &, const std::function<bool(const QStringList &)> &)> grainRows(Grain grain, Filter filter,
                                                                                                    Sort sort);

    // Selected rows as tab-separated text for the clipboard (no header, display text). A pasted
    // cell is read by a spreadsheet like a CSV one: formulas get the export's apostrophe.
    static QString toTsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns);
};

} // namespace mailtrail
