// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tableexporter.h"

#include <QObject>

#include <atomic>
#include <memory>

class QMainWindow;
class QProgressDialog;

namespace mailtrail {

class MessageView;

// The CSV export of the window's table: the rows read and written on a thread of their own while
// the window goes on answering, with a progress dialog and its Cancel; what came of it said at the
// window's edge (the status bar, or a message box when it failed).
class ExportRunner : public QObject
{
    Q_OBJECT
public:
    // `table`: whose rows, columns and order are written (its model a CacheTableModel);
    // `window`: the progress dialog's and the messages' parent.
    ExportRunner(MessageView *table, const QString &cachePath, QMainWindow *window);

    // Writes the selected rows (or every row the filter shows) to a CSV file, in the table's
    // visible columns and order. False with a message for the user when it failed.
    bool exportCsv(const QString &path, bool selectedOnly, QString *error = nullptr, bool *cancelled = nullptr);
    // Asks for the file, writes it, and says how it went.
    void exportInteractively(bool selectedOnly);
    bool isRunning() const { return m_cancel != nullptr; }
    // The export running ends at once (the window closes): no half file is left.
    void cancel();

Q_SIGNALS:
    // An export started or ended: the window offers no second one meanwhile.
    void runningChanged(bool running);

private:
    // `rows`: these positions of the current order (sorted), else every row of the filter.
    TableExporter::Result exportRows(const QString &path, QProgressDialog &progress, const QList<int> &rows);

    MessageView *m_table;
    QString m_cachePath;
    QMainWindow *m_window;
    std::shared_ptr<std::atomic<bool>> m_cancel;  // while an export runs
};

} // namespace mailtrail
