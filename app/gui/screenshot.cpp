// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot.h"

#include "cachetablemodel.h"
#include "incidentsview.h"
#include "incidenttablemodel.h"
#include "insightreplay.h"
#include "mainwindow.h"
#include "messageview.h"
#include "session.h"
#include "summarymodel.h"
#include "summaryview.h"

#include <QApplication>
#include <QPixmap>
#include <QTextStream>
#include <QTimer>

namespace mailtrail {

Screenshot::Screenshot(MainWindow *window, QString path, bool waitForImport, bool incidents)
    : QObject(window)
    , m_window(window)
    , m_shot(window)
    , m_incidents(incidents)
    , m_path(std::move(path))
{
    if (waitForImport) {
        connect(window, &MainWindow::importFinished, this, [this] { QTimer::singleShot(50, this, &Screenshot::selectFirst); });
    } else {
        QTimer::singleShot(300, this, &Screenshot::capture);
    }
    // Whatever happens, never hang a script: take what is there after two minutes.
    QTimer::singleShot(120000, this, &Screenshot::capture);
}

void Screenshot::selectFirst()
{
    if (m_window->isSummaryShown()) {
        // The summary the import's end asked for, once read.
        SummaryModel *summary = m_window->summaryView()->model();
        const auto then = [this] { m_incidents ? openIncidents() : capture(); };
        if (!summary->isBusy()) {
            then();
            return;
        }
        connect(summary, &SummaryModel::updated, this, [this, then] { QTimer::singleShot(150, this, then); });
        return;
    }
    MessageView *table = m_window->table();
    if (!table->model() || table->model()->rowCount() == 0) {
        capture();
        return;
    }
    connect(m_window, &MainWindow::messageShown, this, [this] { QTimer::singleShot(150, this, &Screenshot::capture); });
    QTimer::singleShot(10000, this, &Screenshot::capture);
    table->setFocus();
    table->selectRow(0);
}

void Screenshot::openIncidents()
{
    IncidentsView *view = m_window->showIncidents(m_window->session()->scopedFilter(), IncidentQuery{{1}, {}, {}, {}},
                                                  tr("SASL failures"));
    // The size asked for (--geometry-size, the window's), not the dialog's own first size.
    view->resize(m_window->size());
    m_shot = view;
    connect(m_window->session()->incidentLines(), &IncidentTableModel::loaded, this,
            [this] { QTimer::singleShot(150, this, &Screenshot::capture); });
}

void Screenshot::capture()
{
    if (m_captured)
        return;
    m_captured = true;
    // The Insights pane as the replay of the history leaves it.
    m_window->session()->insightReplay()->waitForIdle();
    const bool saved = m_shot->grab().save(m_path);
    QTextStream err(stderr);
    if (!saved)
        err << "mailtrail: cannot save the screenshot to " << m_path << "\n";
    else if (!m_window->lastImportMessage().isEmpty())
        err << "mailtrail: " << m_window->lastImportMessage() << "\n";
    QApplication::exit(saved ? 0 : 1);
}

} // namespace mailtrail
