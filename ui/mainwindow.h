// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "cache/stats.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <array>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QMessageBox;
class QSplitter;
class QStackedWidget;
class QTabBar;

namespace mailtrail {

class CacheTableModel;
class ChartView;
class DeliveryTableModel;
class DetailPane;
class ElidedLabel;
class ExportRunner;
class FilterBar;
class FollowIndicator;
class IncidentsView;
class InsightsPane;
class ImportJob;
class ImportProgressBar;
class MessageTableModel;
class MessageView;
class Session;
class SelectionTracker;
class SummaryView;
class TimelineModel;
class WelcomeWidget;
class WindowFitter;

// The window: logs are dropped or opened, imported in the background, and shown as a filterable
// table of messages (or deliveries) above the selected message's timeline and log lines.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &cachePath, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Imports the files (or folders) and shows them; rows appear while the import runs.
    // `format`: read them as this format ("exim") instead of detecting it.
    void openLogs(const QStringList &paths, int year = 0, const QString &format = {});
    bool isImporting() const;
    // The logs shown, as canonical paths; closing some puts their rows away (the cache keeps them),
    // as does closing the files of `fileIds` that a follow showed (a rotated log's old content).
    QStringList openLogPaths() const { return m_openPaths; }
    void closeLogs(const QStringList &paths, const QList<qint64> &fileIds = {});
    // The list of what is open (format, time span, lines, lines not understood), with Close.
    void showOpenLogs();
    // The incidents (SASL failures, lost connections...) a Summary number counts, with their log
    // lines, in a window of their own: they belong to no message.
    IncidentsView *showIncidents(const Filter &filter, const IncidentQuery &query, const QString &what);
    // Where the cache is and how big, in words; emptying it happens at the next start.
    QString cacheDescription() const;
    void clearCacheAtNextStart();
    // Empties the cache now when no import or follow holds it, else at the next start; says which.
    QString emptyCache();
    void showCache();
    void cancelImport();
    // Shows the table in this grain (the Summary is put away).
    void setGrain(Grain grain);
    Grain grain() const;
    // The Summary of the current filter in place of the chart, the table and the message below;
    // a click on one of its numbers narrows the filter and brings the table back.
    void showSummary(bool show);
    bool isSummaryShown() const;

    // Writes the selected rows (or every row the filter shows) to a CSV file, in the table's
    // visible columns and order. False with a message for the user when it failed.
    bool exportCsv(const QString &path, bool selectedOnly, QString *error = nullptr, bool *cancelled = nullptr);

    // For tests and --screenshot.
    MessageView *table() const { return m_table; }
    FilterBar *filterBar() const { return m_filterBar; }
    DetailPane *detailPane() const { return m_detail; }
    CacheTableModel *currentModel() const;
    TimelineModel *timelineModel() const { return m_timelineModel; }
    Session *session() const { return m_session; }
    ChartView *chart() const { return m_chart; }
    SummaryView *summaryView() const { return m_summary; }
    InsightsPane *insightsPane() const { return m_insightsPane; }
    QString cacheError() const { return m_cacheError; }
    QString lastImportMessage() const { return m_lastImportMessage; }

Q_SIGNALS:
    void importFinished(const mailtrail::ImportSummary &summary);
    void messageShown(qint64 messageId);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    // Lays the filter's note over the free end of the line under the bar.
    void placeNote();
    bool event(QEvent *event) override;

private:
    void setupActions();
    void setupCentral();
    void setupStatusBar();
    // The Insights dock, its notifications and Settings > Insights.
    void setupInsights();
    // The tab and the View menu's choice follow what is on show.
    void showViewChoice();
    // Logs of two servers, or of two formats, on show: the Host and Format columns tell their
    // rows apart, so they show (hidden by default, where all rows would read the same).
    // `asTheLogsAre` false: the ones shown so are hidden again (before the layout is saved).
    void showColumnsOfMixedLogs(bool asTheLogsAre = true);
    void applyFilter();
    void onFilterChanged(const Filter &filter);
    // The logs open are looked up in the cache (off this thread) and shown; `refreshIfSame`: read
    // the rows again when they are the same logs (an import added rows).
    void updateScope(bool refreshIfSame = false);
    // The window's title names the logs open.
    void updateTitle();
    // Follow is offered only when an open log can grow: not for compressed ones alone.
    void offerFollow();
    static bool canGrow(const QStringList &paths);
    // The logs of these that can grow, the ones Follow watches: a compressed log is a finished one.
    static QStringList growing(const QStringList &paths);
    // Whether Follow turns itself on for these logs: one that can grow was written in the last
    // hour, other than the bundled sample (a finished file whose time is that of the checkout or
    // the install, not of a server writing it).
    bool beingWritten(const QStringList &paths) const;
    // Follows the open logs that can grow (none: stops), and says so in the status bar.
    void followOpenLogs(bool on);
    // The status bar's word on Follow: the logs followed, less those the imports read as a copy
    // of another one followed (same content: its lines come from that one).
    void showFollowing();
    void emptyCacheIfAsked();
    void refreshRows();
    void onImportFinished(const ImportSummary &summary);
    // The rest of it, once the table's count of the new rows is in.
    void completeImport(const ImportSummary &summary);
    // The end of every import: the welcome page when nothing is open, importFinished(), then the
    // logs asked for meanwhile.
    void finishImport(const ImportSummary &summary);
    void openPendingLogs();
    void showCounts(qint64 matching, qint64 total);
    // The cache an older build wrote is migrated (Session::cacheOpened()): the logs asked for
    // meanwhile are opened.
    void onCacheOpened();
    void rebuildRecentMenu();
    void rememberOpened(const ImportSummary &summary);
    // Files this import added that were refused (not a mail log, unreadable): not open, so
    // neither followed, nor counted, nor in the title.
    void dropRefused(const ImportSummary &summary);
    // The format these logs were chosen to be read as (File > Open > Read as), for follow and F5.
    void rememberReadAs(const QStringList &paths, const QString &format);
    void chooseFilesToOpen();
    void chooseFolderToOpen();

    QString m_cachePath;
    Session *m_session = nullptr;
    std::shared_ptr<Cache> m_cache;
    QString m_cacheError;
    MessageTableModel *m_messages = nullptr;
    DeliveryTableModel *m_deliveries = nullptr;
    TimelineModel *m_timelineModel = nullptr;
    ImportJob *m_job = nullptr;
    QStringList m_openPaths;       // what this window shows: the files opened in it
    QStringList m_pendingPaths;    // asked for while an import was running
    QHash<QString, QString> m_readAs;  // canonical path: the format chosen for it in File > Open
    // Files a follow named that were not opened: the old content of a rotated log (mail.log.1).
    // Shown with the open logs by content (m_followedIds), never followed or listed by name.
    QStringList m_followedFiles;
    std::vector<std::int64_t> m_followedIds;
    // Open logs the last import of them skipped as a copy of another (same content): canonical
    // path, and that of the one read instead.
    QHash<QString, QString> m_copyOf;
    QPointer<QMessageBox> m_problemBox;  // logs that could not be read, while it is open
    QPointer<IncidentsView> m_incidents;  // while it is open
    QStringList m_importingPaths;  // what the running import was asked to open, for Open Recent
    QStringList m_addedPaths;      // the files the running import added to m_openPaths
    bool m_indexingOnly = false;   // the running job only completes the indexes (no logs)
    QString m_heldSentence;  // ImportStatus::held() as the import summary says it now; empty: it does not
    QString m_lastImportMessage;
    QString m_startNotice;  // the cache emptied at start, or why it could not be
    QString m_cacheNotice;  // why the cache was replaced at start: said again after the first import

    QStackedWidget *m_stack = nullptr;
    WelcomeWidget *m_welcome = nullptr;
    FilterBar *m_filterBar = nullptr;
    QTabBar *m_grainTabs = nullptr;  // Messages, Deliveries, Summary
    QStackedWidget *m_pages = nullptr;  // the splitter (chart, table, message) or the summary
    SummaryView *m_summary = nullptr;
    QWidget *m_content = nullptr;  // the bar, the tabs and the pages
    QList<QAction *> m_viewActions;  // as the tabs
    MessageView *m_table = nullptr;
    ChartView *m_chart = nullptr;
    DetailPane *m_detail = nullptr;
    QSplitter *m_splitter = nullptr;
    ImportProgressBar *m_progress = nullptr;
    ElidedLabel *m_importSummary = nullptr;  // what the last import did
    QMenu *m_recentMenu = nullptr;
    QAction *m_exportSelected = nullptr;
    QAction *m_exportAll = nullptr;
    QAction *m_follow = nullptr;     // View > Follow
    FollowIndicator *m_following = nullptr;
    InsightsPane *m_insightsPane = nullptr;
    // The heights of the chart, table, message pane and Insights dock, until the user sets them.
    WindowFitter *m_fitter = nullptr;
    bool m_followChosen = false;     // the user set Follow: not turned on by itself any more
    bool m_followTurnedOn = false;   // the running import turned Follow on by itself
    // Imports a follow's wake-up asked for, not the user (see completeImport()).
    bool m_followWakeup = false;     // while it calls openLogs()
    bool m_importByFollow = false;   // the running import
    bool m_pendingByUser = false;    // m_pendingPaths holds a path the user asked for
    // Per grain (messages, deliveries): Host and Format shown by showColumnsOfMixedLogs().
    std::array<std::array<bool, 2>, 2> m_shownForMixedLogs{};
    ExportRunner *m_exporter = nullptr;
    SelectionTracker *m_selection = nullptr;  // the table's selection and the pane's message agree
};

} // namespace mailtrail
