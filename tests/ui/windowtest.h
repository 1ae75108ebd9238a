// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the suites of the main window share: a window on a cache of its own in a temporary folder,
// four small logs of known flows, and the waits and look-ups their tests repeat.
#include "../cache/testlogs.h"
#include "cachetablemodel.h"
#include "chartmodel.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "session.h"
#include "summarymodel.h"
#include "summaryview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTimer>

#include <algorithm>
#include <memory>

// Watches the event loop while it lives: a timer every 20 ms records the longest gap between two
// of its ticks, so a test can say that the GUI thread never waited (longest() well under a second).
class EventLoopWatchdog
{
public:
    EventLoopWatchdog()
    {
        m_clock.start();
        m_tick.setInterval(20);
        QObject::connect(&m_tick, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, m_clock.elapsed() - m_last);
            m_last = m_clock.elapsed();
        });
        m_tick.start();
    }
    // Stops watching: what happens after (the checks) is not counted.
    void stop() { m_tick.stop(); }
    // The longest gap in milliseconds (the timer's own 20 ms included).
    qint64 longest() const { return m_longest; }

private:
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

class WindowTest
{
protected:
    // For initTestCase(): no dialog stops a test, no setting of the user's is read or written.
    static void setUpSuite()
    {
        QStandardPaths::setTestModeEnabled(true);
        qApp->setProperty("mailtrail.noDialogs", true);
    }

    // For init(): a new window and the logs of four flows to open in it.
    void setUpWindow()
    {
        using namespace Qt::StringLiterals;
        m_dir = std::make_unique<QTemporaryDir>();
        m_window = std::make_unique<mailtrail::MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
        m_window->resize(1200, 800);
        m_window->show();
        m_flows.clear();
        for (const char *name : {"deferred-then-sent.log", "bounce-with-notification.log", "noqueue-reject.log",
                                 "partial-reject-and-forward.log"})
            m_flows << QString::fromStdString(testlogs::write(*m_dir, QLatin1String(name), testlogs::flow(name)));
    }

    void openAndWait(const QStringList &paths)
    {
        QSignalSpy finished(m_window.get(), &mailtrail::MainWindow::importFinished);
        m_window->openLogs(paths);
        QVERIFY(finished.wait(30000));
    }

    // The filter bar's field with this placeholder text.
    QLineEdit *field(const QString &placeholder) const
    {
        for (QLineEdit *edit : m_window->findChildren<QLineEdit *>()) {
            if (edit->placeholderText() == placeholder)
                return edit;
        }
        return nullptr;
    }

    int rowOf(const QString &queueId) const
    {
        mailtrail::CacheTableModel *model = m_window->currentModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, mailtrail::MessageTableModel::QueueIdColumn).data().toString() == queueId)
                return row;
        }
        return -1;
    }

    void waitForChart()
    {
        mailtrail::ChartModel *chart = m_window->session()->chart();
        QTRY_VERIFY_WITH_TIMEOUT(!chart->isBusy() && chart->rowCount() > 0, 10000);
    }

    // The Summary's text for a link, once read ("" while it has no such link).
    QString summaryText(const QString &link) const
    {
        const QLabel *label = m_window->summaryView()->linkLabel(link);
        return label && !m_window->session()->summary()->isBusy() ? QTextDocumentFragment::fromHtml(label->text()).toPlainText()
                                                                  : QString();
    }

    // Messages, Deliveries, Summary.
    QTabBar *viewTabs() const
    {
        using namespace Qt::StringLiterals;
        for (QTabBar *tabs : m_window->findChildren<QTabBar *>())
            if (tabs->count() == 3 && tabs->tabText(2) == u"Summary"_s)
                return tabs;
        return nullptr;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<mailtrail::MainWindow> m_window;
    QStringList m_flows;
};
