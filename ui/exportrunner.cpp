// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportrunner.h"

#include "cachetablemodel.h"
#include "messageview.h"

#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTimer>
#include <QtConcurrentRun>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

ExportRunner::ExportRunner(MessageView *table, const QString &cachePath, QMainWindow *window)
    : QObject(window)
    , m_table(table)
    , m_cachePath(cachePath)
    , m_window(window)
{
}

void ExportRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool ExportRunner::exportCsv(const QString &path, bool selectedOnly, QString *error, bool *cancelled)
{
    const QList<int> rows = selectedOnly ? m_table->selectedRowNumbers() : QList<int>{};
    if (selectedOnly && rows.isEmpty()) {
        if (error)
            *error = tr("No rows are selected.");
        return false;
    }
    QProgressDialog progress(tr("Exporting rows…"), tr("Cancel"), 0, 100, m_window);
    progress.setMinimumDuration(500);
    progress.setWindowModality(Qt::WindowModal);
    // Read and written on a thread of its own, in one pass over the order's index (up to the last
    // row selected), while the window goes on answering (the progress and its Cancel with it):
    // rows selected far down are not in memory, and reading their pages here would freeze it.
    const TableExporter::Result result = exportRows(path, progress, rows);
    if (!result.ok && error)
        *error = result.error;
    if (cancelled)
        *cancelled = result.cancelled;
    return result.ok;
}

TableExporter::Result ExportRunner::exportRows(const QString &path, QProgressDialog &progress, const QList<int> &rows)
{
    const auto *model = qobject_cast<const CacheTableModel *>(m_table->model());
    Q_ASSERT(model);
    // The export is for machines: the file `mailtrail-cli messages|deliveries --format csv` writes
    // for this filter (its columns and cells: every recipient, code and dsn apart), in the table's
    // order; the selected rows are that file restricted to them.
    const QStringList header = TableExporter::grainHeader(model->grain());
    auto every = TableExporter::grainRows(model->grain(), model->filter(), model->currentSort());
    TableExporter::RowSource source = every;
    if (!rows.isEmpty()) {
        source = [every, rows](Cache &cache, const std::function<bool(const QStringList &)> &write) {
            qsizetype position = 0;  // of the row visited, in the order
            auto wanted = rows.begin();  // the next of `rows` to write
            bool stopped = false;
            // In one pass over the order's index, ended at the last row chosen.
            const bool read = every(cache, [&](const QStringList &fields) {
                if (wanted == rows.end())
                    return false;
                if (*wanted != position++)
                    return true;
                ++wanted;
                stopped = !write(fields);
                return !stopped && wanted != rows.end();
            });
            return read && !stopped;
        };
    }
    const qint64 total = std::max<qint64>(1, rows.isEmpty() ? model->matchingCount() : rows.size());
    auto done = std::make_shared<std::atomic<qint64>>(0);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<TableExporter::Result> watcher;
    QEventLoop loop;
    connect(&watcher, &QFutureWatcher<TableExporter::Result>::finished, &loop, &QEventLoop::quit);
    QTimer tick;
    tick.setInterval(100);
    connect(&tick, &QTimer::timeout, this, [&] {
        if (progress.wasCanceled())
            cancel->store(true);
        else
            progress.setValue(static_cast<int>(std::min<qint64>(99, done->load() * 100 / total)));
    });
    connect(&progress, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    m_cancel = cancel;
    Q_EMIT runningChanged(true);
    watcher.setFuture(QtConcurrent::run([cachePath = m_cachePath.toStdString(), source, header, path, done, cancel] {
        return TableExporter::exportRows(cachePath, source, header, path, done.get(), cancel.get());
    }));
    tick.start();
    // At once, not after the dialog's usual half second: while it is up (window-modal) no other
    // action of the window can run inside this nested loop (Empty cache, Open, Reload).
    progress.show();
    if (!watcher.isFinished())
        loop.exec();
    tick.stop();
    m_cancel.reset();
    Q_EMIT runningChanged(false);
    progress.reset();
    return watcher.result();
}

void ExportRunner::exportInteractively(bool selectedOnly)
{
    const QString path = QFileDialog::getSaveFileName(m_window, selectedOnly ? tr("Export Selected Rows") : tr("Export All Filtered Rows"),
                                                      QDir::homePath() + u"/mailtrail-export.csv"_s, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    bool cancelled = false;
    if (!exportCsv(path, selectedOnly, &error, &cancelled)) {
        if (cancelled)  // by the user, or by closing the window
            m_window->statusBar()->showMessage(tr("Export cancelled; no file was written."), 8000);
        else
            QMessageBox::warning(m_window, tr("Export failed"), error);
    }
    else
        m_window->statusBar()->showMessage(tr("Exported to %1").arg(path), 8000);
}

} // namespace mailtrail
