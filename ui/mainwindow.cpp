// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "cellformat.h"
#include "chartmodel.h"
#include "chartview.h"
#include "deliverytablemodel.h"
#include "detailpane.h"
#include "elidedlabel.h"
#include "exportrunner.h"
#include "filterbar.h"
#include "followindicator.h"
#include "importjob.h"
#include "importprogressbar.h"
#include "importstatus.h"
#include "incidentsview.h"
#include "incidenttablemodel.h"
#include "ingest/followstate.h"
#include "insightmodel.h"
#include "insightsdock.h"
#include "insightspane.h"
#include "logchooser.h"
#include "messagetablemodel.h"
#include "messageview.h"
#include "recentfiles.h"
#include "selectiontracker.h"
#include "session.h"
#include "summaryview.h"
#include "openlogsdialog.h"
#include "timelinemodel.h"
#include "viewtabbar.h"
#include "windowfitter.h"
#include "welcomewidget.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QMouseEvent>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

// The icon is compiled into a static library, where nothing else names its initialiser.
static void initIconResource()
{
    Q_INIT_RESOURCE(mailtrail_icons);
}

namespace mailtrail {

namespace {
constexpr int SummaryTab = 2;  // after the two grains
}

MainWindow::MainWindow(const QString &cachePath, QWidget *parent)
    : QMainWindow(parent)
    , m_cachePath(cachePath)
{
    initIconResource();
    setWindowTitle(tr("Mailtrail"));
    setWindowIcon(QIcon(u":/icons/mailtrail.svg"_s));
    setAcceptDrops(true);
    emptyCacheIfAsked();
    m_session = new Session(m_cachePath, this);
    m_cache = m_session->cache();
    m_cacheError = m_session->cacheError();
    m_cacheNotice = m_session->takeCacheNotice();
    m_lastImportMessage = m_cacheNotice;
    m_messages = m_session->messages();
    m_deliveries = m_session->deliveries();
    m_timelineModel = m_session->timeline();
    m_job = m_session->importJob();
    connect(m_session, &Session::filterChanged, this, &MainWindow::onFilterChanged);
    connect(m_session, &Session::choicesChanged, this, [this] {
        m_filterBar->setChoices(m_session->hostNames(), m_session->formatNames());
        m_filterBar->setLatestTime(m_session->latestTime());
        m_filterBar->setClock(m_session->clock());
        m_filterBar->setLogCount(std::ssize(m_session->scope()));
        m_session->insights()->setClock(m_session->clock());
        if (m_insightsPane)
            m_insightsPane->setClock(m_session->clock());
        showColumnsOfMixedLogs();
    });
    // The chart says its failure in its own box; the status line repeats it unless it already
    // says another (the table's count failed on the same bad cache: that one matters more).
    connect(m_session->chart(), &ChartModel::failed, this, [this](const QString &error) {
        if (statusBar()->currentMessage().isEmpty())
            statusBar()->showMessage(tr("The chart could not be read: %1").arg(error));
    });
    connect(m_job, &ImportJob::rowsCommitted, this, &MainWindow::refreshRows);
    connect(m_job, &ImportJob::finished, this, &MainWindow::onImportFinished);
    // The rows of the logs on show are all in (ImportProgressBar says the stage).
    connect(m_job, &ImportJob::buildingIndexes, this, &MainWindow::refreshRows);
    connect(m_job, &ImportJob::indexingText, this, &MainWindow::refreshRows);
    // No message any more (a filter took it away): the pane shrinks to its one line and the table
    // gets its rows back; the next message takes the room again (WindowFitter::fitDetailToMessage).
    connect(m_timelineModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_detail && !m_detail->showsMessage())
            QTimer::singleShot(0, m_fitter, &WindowFitter::fitSplitter);
    });
    for (CacheTableModel *model : {static_cast<CacheTableModel *>(m_messages), static_cast<CacheTableModel *>(m_deliveries)})
        connect(model, &CacheTableModel::countsChanged, this, [this, model](qint64 matching, qint64 total) {
            if (model != currentModel())
                return;
            showCounts(matching, total);
            // Rows of the logs open came in (a follow's batch): the table, not the welcome.
            if (m_stack->currentWidget() == m_welcome && total > 0)
                m_stack->setCurrentIndex(1);
        });
    for (CacheTableModel *model : {static_cast<CacheTableModel *>(m_messages), static_cast<CacheTableModel *>(m_deliveries)}) {
        connect(model, &CacheTableModel::countingChanged, this, [this, model](bool counting) {
            if (model != currentModel())
                return;
            if (counting)
                m_filterBar->setCounting();
            else
                showCounts(model->matchingCount(), model->totalCount());
        });
        connect(model, &CacheTableModel::countFailed, this, [this](const QString &error) {
            statusBar()->showMessage(tr("The filter could not be applied: %1").arg(error));
        });
        connect(model, &CacheTableModel::rowsFailed, this, [this](const QString &error) {
            statusBar()->showMessage(tr("Some rows could not be read: %1").arg(error));
        });
    }
    setupCentral();
    setupActions();
    setupStatusBar();
    setupInsights();
    setGrain(Grain::Messages);
    const QSettings settings;
    // The first time, a good share of the screen (a log table wants room); then as it was left.
    if (!restoreGeometry(settings.value(u"window/geometry"_s).toByteArray())) {
        if (const QScreen *screen = QGuiApplication::primaryScreen()) {
            const QRect available = screen->availableGeometry();
            resize(available.width() * 4 / 5, available.height() * 17 / 20);
            move(available.center() - rect().center());
        }
    }
    // The first time, the table gets the most room: the chart its own height, the pane a third.
    m_fitter->setSplitterRestored(m_splitter->restoreState(settings.value(u"window/splitter3"_s).toByteArray()));
    m_splitter->installEventFilter(this);
    // The docks (Insights) as they were left: shown or not, and where; the height follows the
    // insights of the logs opened now (WindowFitter::fitInsightsDock), unless the user dragged it.
    // (Not window/insightsHeightChosen: a rule that took fitted heights for the user's wrote it,
    // and a log without insights had the last one's 170 px, an empty band.)
    if (restoreState(settings.value(u"window/state"_s).toByteArray()) && settings.value(u"window/insightsHeightDragged"_s).toBool())
        m_fitter->keepDockHeight();
    if (!m_cacheError.isEmpty())
        m_welcome->setEnabled(false);
}

MainWindow::~MainWindow() = default;

void MainWindow::setupCentral()
{
    m_stack = new QStackedWidget(this);
    m_welcome = new WelcomeWidget(m_stack);
    connect(m_welcome, &WelcomeWidget::openRequested, this, &MainWindow::chooseFilesToOpen);
    connect(m_welcome, &WelcomeWidget::sampleRequested, this, [this] { openLogs({LogChooser::samplePath()}); });
    connect(m_welcome, &WelcomeWidget::recentRequested, this, [this](const QString &p) { openLogs({p}); });

    auto *content = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(6, 0, 0, 0);
    m_grainTabs = new ViewTabBar(content);
    m_grainTabs->setDrawBase(false);
    m_grainTabs->setExpanding(false);
    // Never scrolled or elided: with the host and format boxes of mixed logs in the bar, the
    // Summary tab went behind scroll arrows, where a new user does not find it. The filter's
    // fields give up the width instead.
    m_grainTabs->setUsesScrollButtons(false);
    m_grainTabs->setElideMode(Qt::ElideNone);
    m_grainTabs->addTab(QIcon::fromTheme(u"mail-message"_s), tr("Messages"));
    m_grainTabs->addTab(QIcon::fromTheme(u"mail-send"_s), tr("Deliveries"));
    m_grainTabs->addTab(QIcon::fromTheme(u"view-statistics"_s), tr("Summary"));
    m_grainTabs->setTabToolTip(0, tr("One row per message (Ctrl+1)"));
    m_grainTabs->setTabToolTip(1, tr("One row per recipient (Ctrl+2)"));
    m_grainTabs->setTabToolTip(SummaryTab, tr("The numbers of what the filter shows; click one to see its rows (Ctrl+3)"));
    connect(m_grainTabs, &QTabBar::currentChanged, this, [this](int i) {
        if (i == SummaryTab)
            showSummary(true);
        else
            setGrain(i == 1 ? Grain::Deliveries : Grain::Messages);
    });
    m_filterBar = new FilterBar(content);
    connect(m_filterBar, &FilterBar::filterChanged, this, &MainWindow::applyFilter);
    top->addWidget(m_grainTabs);
    top->addWidget(m_filterBar, 1);
    layout->addLayout(top);

    m_pages = new QStackedWidget(content);
    m_splitter = new QSplitter(Qt::Vertical, m_pages);
    m_chart = new ChartView(m_session, m_splitter);
    m_table = new MessageView(m_splitter);
    connect(m_table, &MessageView::filterRequested, this, [this](MessageView::FilterField field, const QString &value) {
        switch (field) {
        case MessageView::FilterField::Sender: m_filterBar->setSender(value); break;
        case MessageView::FilterField::Recipient: m_filterBar->setRecipient(value); break;
        case MessageView::FilterField::Status: m_filterBar->setStatuses({value}); break;
        case MessageView::FilterField::Code: m_filterBar->setCode(value); break;
        }
    });
    // The pane scrolls when it is given less room than a message of many recipients asks for
    // (every lane of its timeline, the events below): it never takes the table's rows away.
    auto *detailScroll = new QScrollArea(m_splitter);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFrameShape(QFrame::NoFrame);
    m_detail = new DetailPane(m_timelineModel, detailScroll);
    detailScroll->setWidget(m_detail);
    // As low as the pane without a message (its one line), not the scroll area's own minimum of
    // about four lines: the table takes the room back.
    detailScroll->setMinimumHeight(m_detail->preferredHeight());
    m_splitter->addWidget(m_chart);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(detailScroll);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    m_fitter = new WindowFitter(this, m_splitter, m_chart, m_table, m_detail, this);
    m_selection = new SelectionTracker(m_session, {m_messages, m_deliveries}, m_table, m_detail, m_cachePath, this);
    connect(m_selection, &SelectionTracker::messageShown, this, &MainWindow::messageShown);
    // A message of more recipients than the pane was fitted for: fitted again, once the timeline
    // has its lanes (after this signal's other receivers).
    connect(m_timelineModel, &TimelineModel::loaded, this,
            [this] { QTimer::singleShot(0, m_fitter, &WindowFitter::fitDetailToMessage); });
    m_summary = new SummaryView(m_session->summary(), m_pages);
    connect(m_summary, &SummaryView::narrowRequested, this, [this](const Filter &narrowed, const SummaryLink &link) {
        // The table first: the summary, put away, is not read again for the narrowed filter.
        showSummary(false);
        // The table whose rows the number counts (recipients: Deliveries).
        if (link.grain)
            setGrain(*link.grain);
        m_session->setFilter(narrowed);
        m_table->setFocus();
    });
    connect(m_summary, &SummaryView::incidentsRequested, this,
            [this](const Filter &filter, const SummaryLink &link) { showIncidents(filter, link.incidents, link.incidentsTitle); });
    m_pages->addWidget(m_splitter);
    m_pages->addWidget(m_summary);
    layout->addWidget(m_pages, 1);
    // The filter's note lies over the free end of the line under the bar (the chart's controls,
    // the Summary's first heading), not in a row of its own: nothing moves when it comes or goes.
    m_content = content;
    m_filterBar->noteRow()->setParent(content);
    content->installEventFilter(this);
    m_filterBar->noteRow()->installEventFilter(this);

    m_stack->addWidget(m_welcome);
    m_stack->addWidget(content);
    setCentralWidget(m_stack);
}

void MainWindow::setupActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(QIcon::fromTheme(u"document-open"_s), tr("&Open Logs…"), QKeySequence::Open, this,
                                    &MainWindow::chooseFilesToOpen);
    Q_UNUSED(open)
    file->addAction(QIcon::fromTheme(u"folder-open"_s), tr("Open &Folder…"), this, &MainWindow::chooseFolderToOpen);
    m_recentMenu = file->addMenu(QIcon::fromTheme(u"document-open-recent"_s), tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(QIcon::fromTheme(u"mail-message"_s), tr("Open &Sample Log"), this, [this] { openLogs({LogChooser::samplePath()}); });
    file->addAction(QIcon::fromTheme(u"view-list-details"_s), tr("&Logs Open…"), QKeySequence(u"Ctrl+L"_s), this,
                    &MainWindow::showOpenLogs);
    file->addAction(QIcon::fromTheme(u"drive-harddisk"_s), tr("&Cache…"), this, &MainWindow::showCache);
    file->addSeparator();
    m_exporter = new ExportRunner(m_table, m_cachePath, this);
    m_exportSelected = file->addAction(QIcon::fromTheme(u"document-export"_s), tr("&Export Selected Rows…"),
                                       QKeySequence(u"Ctrl+E"_s), m_exporter, [this] { m_exporter->exportInteractively(true); });
    m_exportAll = file->addAction(QIcon::fromTheme(u"document-export"_s), tr("Export &All Filtered Rows…"),
                                  QKeySequence(u"Ctrl+Shift+E"_s), m_exporter, [this] { m_exporter->exportInteractively(false); });
    connect(m_exporter, &ExportRunner::runningChanged, this, [this](bool running) {
        m_exportAll->setEnabled(!running);
        m_exportSelected->setEnabled(!running);
    });
    file->addSeparator();
    file->addAction(QIcon::fromTheme(u"application-exit"_s), tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(QIcon::fromTheme(u"edit-copy"_s), tr("&Copy Selected Rows"), QKeySequence::Copy, m_table,
                    &MessageView::copySelection);
    // Ctrl+F reaches the free-text search, which finds hosts, codes and ids too; each other
    // field has its own shortcut.
    edit->addAction(QIcon::fromTheme(u"edit-find"_s), tr("&Search…"), QKeySequence::Find, this,
                    [this] { m_filterBar->focusField(FilterBar::Field::Text); });
    edit->addAction(tr("Filter by &Sender"), QKeySequence(u"Ctrl+Shift+S"_s), this,
                    [this] { m_filterBar->focusField(FilterBar::Field::Sender); });
    edit->addAction(tr("Filter by &Recipient"), QKeySequence(u"Ctrl+Shift+R"_s), this,
                    [this] { m_filterBar->focusField(FilterBar::Field::Recipient); });
    edit->addAction(tr("Filter by C&ode"), QKeySequence(u"Ctrl+Shift+O"_s), this,
                    [this] { m_filterBar->focusField(FilterBar::Field::Code); });
    edit->addAction(QIcon::fromTheme(u"edit-clear"_s), tr("C&lear Filter"), QKeySequence(u"Ctrl+Shift+L"_s), m_filterBar,
                    &FilterBar::clear);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(u"viewMenu"_s);
    auto *views = new QActionGroup(this);
    m_viewActions = {
        view->addAction(QIcon::fromTheme(u"mail-message"_s), tr("&Messages"), QKeySequence(u"Ctrl+1"_s), this,
                        [this] { setGrain(Grain::Messages); }),
        view->addAction(QIcon::fromTheme(u"mail-send"_s), tr("&Deliveries"), QKeySequence(u"Ctrl+2"_s), this,
                        [this] { setGrain(Grain::Deliveries); }),
        view->addAction(QIcon::fromTheme(u"view-statistics"_s), tr("&Summary"), QKeySequence(u"Ctrl+3"_s), this,
                        [this] { showSummary(true); }),
    };
    for (QAction *action : std::as_const(m_viewActions)) {
        action->setCheckable(true);
        views->addAction(action);
    }
    showViewChoice();
    view->addSeparator();
    // In the window, not on the chart's button: the Summary tab, where the chart is put away,
    // narrows the range too.
    QAction *back = view->addAction(QIcon::fromTheme(u"go-previous"_s), tr("&Previous Range"), QKeySequence(u"Alt+Left"_s),
                                    m_session, &Session::previousRange);
    back->setEnabled(m_session->canGoBack());
    connect(m_session, &Session::historyChanged, back, &QAction::setEnabled);
    m_follow = view->addAction(QIcon::fromTheme(u"media-playback-start"_s), tr("&Follow"));
    m_follow->setObjectName(u"follow"_s);
    m_follow->setCheckable(true);
    m_follow->setToolTip(tr("Import what is written to the open logs as it comes, through rotations"));
    connect(m_follow, &QAction::toggled, this, [this](bool on) {
        followOpenLogs(on);
        m_job->setFollowState(on ? std::make_shared<FollowState>() : nullptr);
        offerFollow();
    });
    connect(m_follow, &QAction::triggered, this, [this](bool on) {
        m_followChosen = true;
        // What was written while Follow was off comes in now, not with the next line written.
        if (on && !m_openPaths.isEmpty() && !isImporting())
            openLogs(m_openPaths);
    });
    connect(m_session, &Session::logsChanged, this, [this](const QStringList &files) {
        for (const QString &f : files) {
            if (!m_openPaths.contains(f) && !m_followedFiles.contains(f))
                m_followedFiles << f;
        }
        m_followWakeup = true;
        openLogs(files);
        m_followWakeup = false;
    });
    view->addAction(QIcon::fromTheme(u"view-refresh"_s), tr("&Reload"), QKeySequence::Refresh, this,
                    [this] { openLogs(m_openPaths); });
    QAction *hops = view->addAction(tr("Show &Hops as Separate Messages"));
    hops->setObjectName(u"showHops"_s);
    hops->setCheckable(true);
    hops->setToolTip(tr("List each queue a message passed through (content filter, relay) as a row of its own"));
    connect(hops, &QAction::toggled, m_session, &Session::setShowHops);
    connect(hops, &QAction::toggled, m_summary, &SummaryView::setHopsApart);
    // While following, a table at its newest row stays at the newest row as rows come in (its
    // range grows after the view's delayed layout, hence rangeChanged); anywhere else it stays
    // where it is, and so does the selection, since rows come at the end.
    auto atNewest = std::make_shared<bool>(false);
    QScrollBar *bar = m_table->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [bar, atNewest](int value) { *atNewest = value == bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar, atNewest](int, int max) {
        if (*atNewest && m_follow->isChecked())
            bar->setValue(max);
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(QIcon(u":/icons/mailtrail.svg"_s), tr("&About Mailtrail"), this, [this] {
        QMessageBox::about(this, tr("About Mailtrail"),
                           tr("<h3>Mailtrail %1</h3><p>A viewer for SMTP server logs: what happened to each "
                              "message, and why.</p><p>Cache: %2</p><p>Licensed under the GNU GPL, version 3 or "
                              "later.</p>")
                               .arg(QStringLiteral(MAILTRAIL_VERSION), m_cachePath.toHtmlEscaped()));
    });
}

void MainWindow::setupStatusBar()
{
    // What the last import did stays in view: messages of the moment cover it while they last.
    // A long list of logs not read is cut with "…" at the window's edge (the tooltip has it
    // whole, and the logs one a line), not made the window's minimum width.
    m_importSummary = new ElidedLabel(this);
    m_importSummary->setObjectName(u"importSummary"_s);
    statusBar()->addWidget(m_importSummary, 1);
    m_importSummary->setText(m_startNotice);
    m_progress = new ImportProgressBar(m_job, this);
    connect(m_progress, &ImportProgressBar::cancelRequested, this, &MainWindow::cancelImport);
    m_following = new FollowIndicator(this);
    showFollowing();
    connect(m_session, &Session::followingChanged, this, &MainWindow::showFollowing);
    statusBar()->addPermanentWidget(m_following);
    statusBar()->addPermanentWidget(m_progress);
    if (m_session->isOpeningCache()) {
        // An older build's cache is rewritten once, off this thread: the window answers, logs
        // dropped meanwhile and the filter wait for it.
        statusBar()->showMessage(tr("Updating the cache to this version of Mailtrail… (once; logs opened meanwhile "
                                    "are read when it is done)"));
        m_progress->showUpdatingCache(true);
        connect(m_session, &Session::cacheOpened, this, &MainWindow::onCacheOpened);
    } else if (!m_cacheError.isEmpty()) {
        statusBar()->showMessage(m_cacheError);
    } else if (!m_lastImportMessage.isEmpty()) {
        statusBar()->showMessage(m_lastImportMessage);
    }
}

void MainWindow::onCacheOpened()
{
    m_progress->showUpdatingCache(false);
    m_cacheError = m_session->cacheError();
    m_cacheNotice = m_session->takeCacheNotice();
    statusBar()->clearMessage();
    if (!m_cacheError.isEmpty())
        statusBar()->showMessage(m_cacheError);
    else
        m_importSummary->setText(m_cacheNotice.isEmpty() ? tr("The cache was updated to this version.") : m_cacheNotice);
    openPendingLogs();
}

CacheTableModel *MainWindow::currentModel() const
{
    return m_table->model() == m_deliveries ? static_cast<CacheTableModel *>(m_deliveries)
                                            : static_cast<CacheTableModel *>(m_messages);
}

Grain MainWindow::grain() const
{
    return currentModel()->grain();
}

bool MainWindow::isSummaryShown() const
{
    return m_pages->currentWidget() == m_summary;
}

void MainWindow::showSummary(bool show)
{
    m_pages->setCurrentWidget(show ? static_cast<QWidget *>(m_summary) : m_splitter);
    m_session->setSummaryShown(show);
    showViewChoice();
}

void MainWindow::showViewChoice()
{
    const int choice = isSummaryShown() ? SummaryTab : grain() == Grain::Deliveries ? 1 : 0;
    {
        const QSignalBlocker block(m_grainTabs);
        m_grainTabs->setCurrentIndex(choice);
    }
    if (choice < m_viewActions.size())
        m_viewActions.at(choice)->setChecked(true);
}

void MainWindow::setGrain(Grain grain)
{
    const bool deliveries = grain == Grain::Deliveries;
    if (isSummaryShown())
        showSummary(false);
    if (m_table->model() && this->grain() == grain)
        return;
    if (m_table->model())
        showColumnsOfMixedLogs(false);  // the layout saved now is the user's
    m_session->setGrain(grain);
    using F = MessageView::FilterField;
    if (deliveries) {
        // The layouts are kept per version of the columns: Format and Log came before the last one.
        m_table->setTableModel(m_deliveries, u"deliveries-2"_s, DeliveryTableModel::StatusColumn,
                               DeliveryTableModel::CodeColumn,
                               {{DeliveryTableModel::SenderColumn, F::Sender}, {DeliveryTableModel::RecipientColumn, F::Recipient},
                                {DeliveryTableModel::StatusColumn, F::Status}, {DeliveryTableModel::CodeColumn, F::Code}},
                               {DeliveryTableModel::HostColumn, DeliveryTableModel::MessageIdColumn, DeliveryTableModel::FormatColumn});
    } else {
        m_table->setTableModel(m_messages, u"messages-3"_s, MessageTableModel::StatusColumn, MessageTableModel::CodeColumn,
                               {{MessageTableModel::SenderColumn, F::Sender}, {MessageTableModel::RecipientsColumn, F::Recipient},
                                {MessageTableModel::StatusColumn, F::Status}, {MessageTableModel::CodeColumn, F::Code}},
                               {MessageTableModel::HostColumn, MessageTableModel::MessageIdColumn, MessageTableModel::FormatColumn});
    }
    m_selection->tableModelChanged();
    showColumnsOfMixedLogs();
    showViewChoice();
    onFilterChanged(m_session->filter());
}

void MainWindow::showColumnsOfMixedLogs(bool asTheLogsAre)
{
    const bool deliveries = grain() == Grain::Deliveries;
    const int host = deliveries ? int(DeliveryTableModel::HostColumn) : int(MessageTableModel::HostColumn);
    const int format = deliveries ? int(DeliveryTableModel::FormatColumn) : int(MessageTableModel::FormatColumn);
    auto &shown = m_shownForMixedLogs[deliveries ? 1 : 0];
    // Shown while the mix lasts, hidden again after (unless the user had shown it): the columns
    // of a grain are kept as the user left them.
    const auto follow = [this](int column, bool mixed, bool &shownHere) {
        if (mixed && m_table->isColumnHidden(column)) {
            m_table->setColumnHidden(column, false);
            shownHere = true;
        } else if (!mixed && shownHere) {
            m_table->setColumnHidden(column, true);
            shownHere = false;
        }
    };
    follow(host, asTheLogsAre && m_session->hostNames().size() > 1, shown[0]);
    follow(format, asTheLogsAre && m_session->formatNames().size() > 1, shown[1]);
}

void MainWindow::applyFilter()
{
    m_session->setFilter(m_filterBar->filter());
}

void MainWindow::onFilterChanged(const Filter &filter)
{
    m_filterBar->setFilter(filter);
    if (currentModel()->isCounting())
        m_filterBar->setCounting();
    else
        showCounts(currentModel()->matchingCount(), currentModel()->totalCount());
    m_selection->filterChanged();
    // Words are looked up in the free-text index, built after each import: until it holds every
    // message, say that the answer is partial, and build the rest if nothing else is running
    // (an indexing cancelled before, or cut short by closing the window).
    if (filter.text.empty() || m_indexingOnly)
        return;
    m_session->readTextIndexState(this, [this](bool complete) {
        if (complete || m_session->filter().text.empty())
            return;
        statusBar()->showMessage(ImportStatus::textIndexPartial());
        if (!m_job->isRunning()) {
            m_indexingOnly = true;
            m_progress->start();
            m_progress->showStage(ImportStatus::indexingText());
            m_job->start({}, 0);
        }
    });
}

void MainWindow::updateScope(bool refreshIfSame)
{
    // Looked up off this thread: the table, the chart and the choices follow when the ids are in.
    m_session->showLogs(m_openPaths, m_followedIds, refreshIfSame);
    updateTitle();
    offerFollow();
}

bool MainWindow::canGrow(const QStringList &paths)
{
    return paths.isEmpty() || !growing(paths).isEmpty();
}

QStringList MainWindow::growing(const QStringList &paths)
{
    // A compressed log is a finished one: rotation wrote it whole and nothing is appended to it.
    static const QStringList finished{u"gz"_s, u"bz2"_s, u"xz"_s, u"zst"_s, u"lz4"_s};
    QStringList out;
    for (const QString &path : paths)
        if (!finished.contains(QFileInfo(path).suffix().toLower()))
            out << path;
    return out;
}

bool MainWindow::beingWritten(const QStringList &paths) const
{
    QStringList candidates = growing(paths);
    candidates.removeAll(LogChooser::samplePath());
    return Session::writtenWithin(candidates, 3600);
}

void MainWindow::followOpenLogs(bool on)
{
    m_session->follow(on ? growing(m_openPaths) : QStringList());
}

void MainWindow::offerFollow()
{
    const bool growing = canGrow(m_openPaths);
    // Checked, it stays within reach to be turned off.
    m_follow->setEnabled(growing || m_follow->isChecked());
    m_follow->setToolTip(growing ? tr("Import what is written to the open logs as it comes, through rotations")
                                 : tr("Nothing to follow: the open logs are compressed (.gz…), finished files that "
                                      "never grow. Open the log being written (mail.log) to follow it."));
}

void MainWindow::updateTitle()
{
    if (m_insightsPane)
        m_insightsPane->setLogsOpen(!m_openPaths.isEmpty());
    QStringList names;
    for (const QString &path : std::as_const(m_openPaths))
        names << QFileInfo(path).fileName();
    if (names.isEmpty())
        setWindowTitle(tr("Mailtrail"));
    else if (names.size() <= 3)
        setWindowTitle(tr("%1 — Mailtrail").arg(names.join(u", "_s)));
    else
        setWindowTitle(tr("%1 and %n more — Mailtrail", nullptr, static_cast<int>(names.size() - 2)).arg(names.mid(0, 2).join(u", "_s)));
}

void MainWindow::closeLogs(const QStringList &paths, const QList<qint64> &fileIds)
{
    for (const QString &path : paths)
        m_openPaths.removeAll(path);
    std::erase_if(m_followedIds, [&fileIds](std::int64_t id) { return fileIds.contains(id); });
    if (m_openPaths.isEmpty())
        m_followedIds.clear();  // the rotated content of logs no longer open
    // A closed log is no longer followed: its next line must not open it again.
    if (m_follow->isChecked())
        followOpenLogs(true);
    updateScope();
    updateTitle();
    if (m_openPaths.isEmpty() && !isImporting())
        m_stack->setCurrentIndex(0);
}

void MainWindow::emptyCacheIfAsked()
{
    QSettings settings;
    if (settings.value(u"cache/emptyAtStart"_s).toString() != m_cachePath)
        return;
    settings.remove(u"cache/emptyAtStart"_s);
    QString error;
    if (Session::removeCacheFiles(m_cachePath, &error))
        m_startNotice = tr("The cache was emptied, as asked.");
    else
        m_startNotice = tr("The cache could not be emptied: %1").arg(error);
}

QString MainWindow::cacheDescription() const
{
    return tr("The cache keeps what was imported, so that logs open at once the next time.\n\nFile: %1\nSize on disk: %2")
        .arg(QDir::toNativeSeparators(m_cachePath), cellformat::size(Session::cacheSizeOnDisk(m_cachePath)));
}

void MainWindow::clearCacheAtNextStart()
{
    // Emptied before it is opened: now, the window's connections (and their threads) read it.
    QSettings().setValue(u"cache/emptyAtStart"_s, m_cachePath);
}

QString MainWindow::emptyCache()
{
    QString held;
    if (!m_session->emptyCacheNow(&held)) {
        clearCacheAtNextStart();
        return tr("The cache could not be emptied now (%1): it will be emptied when Mailtrail next starts.").arg(held);
    }
    m_openPaths.clear();
    m_pendingPaths.clear();
    m_pendingByUser = false;
    m_cacheError = m_session->cacheError();
    QSettings().remove(u"cache/emptyAtStart"_s);
    updateTitle();
    m_stack->setCurrentIndex(0);
    m_lastImportMessage = tr("The cache was emptied; the logs that were open were closed.");
    m_importSummary->setText(m_lastImportMessage);
    return m_lastImportMessage;
}

void MainWindow::showCache()
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("Cache"), cacheDescription(), QMessageBox::Close, this);
    QPushButton *clear = box->addButton(tr("&Empty"), QMessageBox::DestructiveRole);
    clear->setToolTip(tr("Delete the cache now (or, while an import or a follow holds it, when Mailtrail starts "
                         "again); the open logs are closed, and imported anew when opened again"));
    connect(clear, &QPushButton::clicked, this, [this] { statusBar()->showMessage(emptyCache()); });
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

IncidentsView *MainWindow::showIncidents(const Filter &filter, const IncidentQuery &query, const QString &what)
{
    IncidentTableModel *model = m_session->incidentLines();
    model->request(filter, query);
    if (!m_incidents) {
        m_incidents = new IncidentsView(model, what, this);
        m_incidents->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_incidents->setWhat(what);
    m_incidents->open();
    return m_incidents;
}

void MainWindow::showOpenLogs()
{
    // The cache's own record of each file (format, time span, lines, lines not understood), read
    // off this thread: the list opens when it is in, a few milliseconds later.
    // With the old content of a log rotated while followed (mail.log.1): its rows are on show too.
    m_session->readOpenLogs(this, m_openPaths, m_followedIds, [this](std::vector<OpenLog> logs, const QString &error) {
        if (!error.isEmpty()) {
            statusBar()->showMessage(tr("The list of open logs could not be read: %1").arg(error));
            return;
        }
        // Closed while it was read: not listed.
        std::erase_if(logs, [this](const OpenLog &l) {
            return !m_openPaths.contains(QString::fromStdString(l.file.path)) &&
                   std::find(m_followedIds.begin(), m_followedIds.end(), l.file.id) == m_followedIds.end();
        });
        auto *dialog = new OpenLogsDialog(logs, m_session->clock(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &OpenLogsDialog::closeRequested, this, &MainWindow::closeLogs);
        dialog->open();
    });
}

void MainWindow::refreshRows()
{
    updateScope(true);
}

void MainWindow::openLogs(const QStringList &paths, int year, const QString &format)
{
    if (paths.isEmpty())
        return;
    if (!m_cacheError.isEmpty()) {
        // Not exec(): whoever waits for the import (a script taking a screenshot, a test) hears
        // at once that it failed, while the user reads why.
        auto *box = new QMessageBox(QMessageBox::Critical, tr("Cannot open the cache"), m_cacheError, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        m_lastImportMessage = m_cacheError;
        ImportSummary failed;
        failed.error = m_cacheError.toStdString();
        Q_EMIT importFinished(failed);
        return;
    }
    if (m_job->isRunning() || m_indexingOnly || m_session->isOpeningCache()) {
        // Read again as they were read the first time, when their turn comes (see below); or
        // once the cache is open.
        if (!format.isEmpty())
            rememberReadAs(paths, format);
        m_pendingPaths << paths;
        m_pendingPaths.removeDuplicates();  // a follow batch a second while a long import runs
        m_pendingByUser = m_pendingByUser || !m_followWakeup;
        return;
    }
    QString readAs = format;
    QStringList now = paths;
    if (format.isEmpty()) {
        // A log the user chose to read as a format is read as that format again when it grows
        // (Follow) or is reloaded (F5), not detected anew. One format per import: logs read as
        // another wait for the next.
        readAs = m_readAs.value(QFileInfo(paths.first()).canonicalFilePath());
        now.clear();
        for (const QString &p : paths) {
            if (m_readAs.value(QFileInfo(p).canonicalFilePath()) == readAs)
                now << p;
            else if (!m_pendingPaths.contains(p))
                m_pendingPaths << p;
        }
        m_pendingByUser = m_pendingByUser || (!m_pendingPaths.isEmpty() && !m_followWakeup);
    } else {
        rememberReadAs(paths, format);
    }
    QStringList absolute;
    for (const QString &p : std::as_const(now))
        absolute << QFileInfo(p).absoluteFilePath();
    m_addedPaths.clear();
    for (const QString &p : std::as_const(absolute)) {
        if (QFileInfo(p).isDir()) {
            const QDir dir(p);
            for (const QFileInfo &f : dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name))
                if (!m_openPaths.contains(f.canonicalFilePath()))
                    m_addedPaths << f.canonicalFilePath();
        } else {
            const QString canonical = QFileInfo(p).canonicalFilePath();
            if (!m_openPaths.contains(canonical) && !canonical.isEmpty() && !m_followedFiles.contains(p) &&
                !m_followedFiles.contains(canonical))
                m_addedPaths << canonical;
        }
    }
    m_addedPaths.removeDuplicates();
    m_openPaths << m_addedPaths;
    updateTitle();
    // Logs being written are followed unless the user said otherwise; watching starts before
    // the import, so nothing written meanwhile is missed.
    m_followTurnedOn = !m_followChosen && !m_follow->isChecked() && beingWritten(m_openPaths);
    if (m_followTurnedOn)
        m_follow->setChecked(true);
    if (m_follow->isChecked())
        followOpenLogs(true);
    m_stack->setCurrentIndex(1);
    m_progress->start();
    m_job->start(absolute, year, readAs);
    m_importingPaths = absolute;
    m_importByFollow = m_followWakeup;
}

void MainWindow::rememberReadAs(const QStringList &paths, const QString &format)
{
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (info.isDir()) {
            for (const QFileInfo &f : QDir(p).entryInfoList(QDir::Files | QDir::Readable, QDir::Name))
                m_readAs.insert(f.canonicalFilePath(), format);
        } else if (!info.canonicalFilePath().isEmpty()) {
            m_readAs.insert(info.canonicalFilePath(), format);
        }
    }
}

void MainWindow::rememberOpened(const ImportSummary &summary)
{
    // Open Recent lists what could be opened: a log, or a folder with a log in it.
    QStringList opened;
    for (const QString &path : std::exchange(m_importingPaths, {})) {
        if (m_followedFiles.contains(path))
            continue;  // a rotated log's old name, imported by the follow: not opened by the user
        const QString canonical = QFileInfo(path).canonicalFilePath();
        const bool ok = !canonical.isEmpty() && summary.ok() &&
                        std::any_of(summary.files.begin(), summary.files.end(), [&canonical](const FileImport &f) {
                            const QString file = QString::fromStdString(f.path);
                            return (file == canonical || file.startsWith(canonical + u'/')) && f.error.empty() &&
                                   f.action != FileImport::Action::Failed;
                        });
        if (ok)
            opened << path;
    }
    if (opened.isEmpty())
        return;
    recentfiles::add(opened);
    rebuildRecentMenu();
}

void MainWindow::dropRefused(const ImportSummary &summary)
{
    QStringList refused;
    for (const FileImport &f : summary.files) {
        const QString canonical = QFileInfo(QString::fromStdString(f.path)).canonicalFilePath();
        // Only what this import opened: a log open before keeps its rows in the cache even when
        // it cannot be read again now.
        if (f.action == FileImport::Action::Failed && m_addedPaths.contains(canonical))
            refused << canonical;
    }
    m_addedPaths.clear();
    if (refused.isEmpty()) {
        m_followTurnedOn = false;
        return;
    }
    for (const QString &path : std::as_const(refused))
        m_openPaths.removeAll(path);
    if (m_follow->isChecked()) {
        // Turned on because a refused file was just written: off again, when no log open is
        // being written.
        if (std::exchange(m_followTurnedOn, false) && !m_followChosen && !beingWritten(m_openPaths))
            m_follow->setChecked(false);
        else
            followOpenLogs(true);
    }
    updateTitle();
    offerFollow();
}

void MainWindow::showFollowing()
{
    const QStringList paths = m_session->followedPaths();
    // "Following 2 logs" of a log and its copy (trial21): the copy is watched too (it may be the
    // name that grows), but its lines are read from the other.
    QStringList read;
    QStringList copies;
    for (const QString &p : paths) {
        const QString original = m_copyOf.value(p);
        if (!original.isEmpty() && paths.contains(original))
            copies << tr("%1 (same content as %2)").arg(p, QFileInfo(original).fileName());
        else
            read << p;
    }
    // What is open and not followed (a compressed log) is said beside what is.
    QStringList notFollowed;
    if (!paths.isEmpty())
        for (const QString &p : std::as_const(m_openPaths))
            if (!paths.contains(p))
                notFollowed << p;
    m_following->setPaths(read, notFollowed, copies);
}

bool MainWindow::isImporting() const
{
    return m_job->isRunning();
}

void MainWindow::cancelImport()
{
    m_job->cancel();
    m_progress->showCancelling();
}

void MainWindow::onImportFinished(const ImportSummary &summary)
{
    m_progress->hide();
    for (const FileImport &f : summary.files) {
        const QString path = QFileInfo(QString::fromStdString(f.path)).canonicalFilePath();
        using A = FileImport::Action;
        if (!f.sameAs.empty())
            m_copyOf.insert(path, QFileInfo(QString::fromStdString(f.sameAs)).canonicalFilePath());
        else if (f.action == A::New || f.action == A::Appended || f.action == A::Replaced || f.action == A::Reread)
            m_copyOf.remove(path);  // read in its own right now (a copy written to since)
        // Unchanged or "renamed" (a later import names the copy as the other's content under a
        // new name): still the copy it was.
    }
    showFollowing();
    dropRefused(summary);
    for (const FileImport &f : summary.files) {
        const QString path = QString::fromStdString(f.path);
        if (f.fileId != 0 && m_followedFiles.contains(path) && !m_openPaths.contains(path) &&
            std::find(m_followedIds.begin(), m_followedIds.end(), f.fileId) == m_followedIds.end())
            m_followedIds.push_back(f.fileId);
    }
    // The summary names the count the table shows: once the logs on show are looked up and
    // their rows counted, both off this thread.
    auto scoped = std::make_shared<QMetaObject::Connection>();
    *scoped = connect(m_session, &Session::scopeRead, this, [this, scoped, summary] {
        disconnect(*scoped);
        CacheTableModel *model = currentModel();
        if (!model->isCounting()) {
            completeImport(summary);
            return;
        }
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(model, &CacheTableModel::countingChanged, this, [this, once, summary](bool counting) {
            if (counting)
                return;
            disconnect(*once);
            completeImport(summary);
        });
    });
    refreshRows();
}

void MainWindow::completeImport(const ImportSummary &summary)
{
    if (m_indexingOnly) {
        // Still "indexing only" until the answer is in: logs opened meanwhile wait for it, and a
        // text typed meanwhile does not ask again (a newer question would drop this answer).
        m_session->readTextIndexState(this, [this, summary](bool complete) {
            m_indexingOnly = false;
            m_lastImportMessage = ImportStatus::textIndexed(complete);
            m_importSummary->setText(m_lastImportMessage);
            Q_EMIT importFinished(summary);
            openPendingLogs();
        });
        return;
    }
    QStringList foldersAsked;
    for (const QString &path : std::as_const(m_importingPaths))
        if (QFileInfo(path).isDir())
            foldersAsked << path;
    rememberOpened(summary);
    ImportStatus::Summary words =
        ImportStatus::summarize(summary, foldersAsked, m_importByFollow, currentModel()->totalCount(), grain(),
                                std::ssize(m_session->scope()));
    // A follow's wake-up that read no line leaves the status bar as it was: "already imported"
    // would be news of nothing.
    if (words.quiet) {
        finishImport(summary);
        return;
    }
    m_heldSentence = words.held;
    if (!m_cacheNotice.isEmpty())
        words.message += u' ' + std::exchange(m_cacheNotice, {});
    m_lastImportMessage = words.message;
    statusBar()->clearMessage();
    const QStringList details = words.details();
    m_importSummary->setText(words.shown());
    m_importSummary->setDetails(details.join(u'\n'));
    if (!details.isEmpty()) {
        m_lastImportMessage += u'\n' + details.join(u'\n');
        // Not exec(): while following, a batch a second comes in, and nested event loops would
        // stack one box per batch. One box, showing the latest problems.
        if (!qApp->property("mailtrail.noDialogs").toBool()) {
            if (!m_problemBox) {
                m_problemBox = new QMessageBox(QMessageBox::Warning, QString(), QString(), QMessageBox::Ok, this);
                m_problemBox->setAttribute(Qt::WA_DeleteOnClose);
            }
            // A log cut short is open up to the cut: a warning, not a log that could not be read.
            m_problemBox->setWindowTitle(words.problems.isEmpty() ? tr("Some logs were read only in part")
                                                                  : tr("Some logs could not be read"));
            m_problemBox->setIcon(words.problems.isEmpty() ? QMessageBox::Information : QMessageBox::Warning);
            m_problemBox->setText(details.join(u"\n\n"_s));
            m_problemBox->open();
        }
    }
    finishImport(summary);
}

void MainWindow::finishImport(const ImportSummary &summary)
{
    if (currentModel()->rowCount() == 0 && m_openPaths.isEmpty())
        m_stack->setCurrentIndex(0);
    Q_EMIT importFinished(summary);
    openPendingLogs();
}

void MainWindow::openPendingLogs()
{
    if (m_pendingPaths.isEmpty())
        return;
    // Queued by follow wake-ups alone, they are a wake-up again.
    m_followWakeup = !std::exchange(m_pendingByUser, false);
    openLogs(std::exchange(m_pendingPaths, {}));
    m_followWakeup = false;
}

void MainWindow::showCounts(qint64 matching, qint64 total)
{
    const bool one = total == 1;
    m_filterBar->setCounts(matching, total, grain() == Grain::Messages ? (one ? tr("message") : tr("messages"))
                                                                       : (one ? tr("delivery") : tr("deliveries")));
    // A code no row ended with may be that of earlier tries (4.7.1 greylisting before a 250): the
    // note offers the tried-as form when it finds some, rather than leave an empty table and a
    // chart that says no try.
    if (matching == 0 && !Session::triedAsForm(m_session->filter()).empty()) {
        const Grain asked = grain();
        m_session->countTriedAs(this, [this, asked](const Filter &filter, qint64 count) {
            if (count > 0 && filter == m_session->filter() && asked == grain() && currentModel()->matchingCount() == 0)
                m_filterBar->offerTriedAs(QString::fromStdString(filter.code), count, asked == Grain::Messages);
        });
    }
    // The import's summary says the same total as the filter bar: it was read before the table's
    // count after the import came in (a follow's batch later by one message, or more).
    // In the logs on show now: the scope is read after the import ends.
    const QString held = ImportStatus::held(total, grain(), std::ssize(m_session->scope()));
    if (m_heldSentence.isEmpty() || held == m_heldSentence)
        return;
    m_lastImportMessage.replace(m_heldSentence, held);
    m_importSummary->setText(m_importSummary->text().replace(m_heldSentence, held));
    m_heldSentence = held;
}

bool MainWindow::exportCsv(const QString &path, bool selectedOnly, QString *error, bool *cancelled)
{
    return m_exporter->exportCsv(path, selectedOnly, error, cancelled);
}

void MainWindow::chooseFilesToOpen()
{
    const LogChooser::Choice chosen = LogChooser::chooseFiles(this);
    if (!chosen.paths.isEmpty())
        openLogs(chosen.paths, 0, chosen.format);
}

void MainWindow::chooseFolderToOpen()
{
    if (const QString dir = LogChooser::chooseFolder(this); !dir.isEmpty())
        openLogs({dir});
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentfiles::list();
    for (const QString &p : recent)
        m_recentMenu->addAction(p, this, [this, p] { openLogs({p}); });
    m_recentMenu->setEnabled(!recent.isEmpty());
    m_welcome->setRecentFiles(recent);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    openLogs(paths);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_exporter->cancel();  // no half file is left: the export ends at once
    if (m_job->isRunning()) {
        m_job->cancel();
        m_job->wait();
    }
    showColumnsOfMixedLogs(false);  // the layout saved is the user's, not the logs' of today
    m_table->saveLayout();
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/splitter3"_s, m_splitter->saveState());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/insightsHeightDragged"_s, m_fitter->dockHeightChosen());
    event->accept();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_fitter->windowShown();
}

void MainWindow::placeNote()
{
    QWidget *note = m_filterBar->noteRow();
    if (!m_content || !note->isVisibleTo(m_content))
        return;
    // Over the line under the bar, right of what the chart's controls use there (the same on the
    // Summary, whose first line is its heading), as tall as that line and as wide as its words.
    const QRect header = m_chart->headerRect().translated(m_chart->mapTo(m_content, QPoint(0, 0)));
    const int height = std::max(header.height(), note->sizeHint().height());
    const int top = m_pages->y() + std::max(0, (header.height() - height) / 2);
    const int used = m_chart->mapTo(m_content, QPoint(m_chart->headerUsedRight(), 0)).x();
    const int right = m_content->width() - 6;
    const int left = std::max(used + 12, right - m_filterBar->noteWidth());
    note->setGeometry(left, top, std::max(0, right - left), height);
    note->raise();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (m_content && (watched == m_content || watched == m_filterBar->noteRow()) &&
        (event->type() == QEvent::Resize || event->type() == QEvent::Show || event->type() == QEvent::LayoutRequest)) {
        if (watched == m_content || event->type() != QEvent::Resize)
            QTimer::singleShot(0, this, &MainWindow::placeNote);
    }
    if (watched == m_splitter && event->type() == QEvent::Resize)
        m_fitter->splitterResized();
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::event(QEvent *event)
{
    // The docks' edges are the main window's own: a drag of one starts and ends here.
    if (event->type() == QEvent::MouseButtonPress && m_fitter)
        m_fitter->mousePressed(static_cast<QMouseEvent *>(event)->position().toPoint());
    const bool handled = QMainWindow::event(event);
    if (event->type() == QEvent::MouseButtonRelease && m_fitter)
        m_fitter->mouseReleased();
    return handled;
}

void MainWindow::setupInsights()
{
    auto *dock = new InsightsDock(m_session, this);
    m_insightsPane = dock->pane();
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    m_fitter->setInsights(dock, m_insightsPane);
    connect(m_insightsPane, &InsightsPane::contentHeightChanged, m_fitter, &WindowFitter::insightsChanged);
    connect(m_insightsPane, &InsightsPane::filterRequested, this, [this](const Filter &filter, const QString &insight) {
        showSummary(false);
        m_filterBar->setInsightName(filter.messageIds, insight);
        m_session->setFilter(filter);
        m_table->setFocus();
    });
    connect(m_insightsPane, &InsightsPane::incidentsRequested, this,
            [this](Filter filter, const IncidentQuery &query, const QString &what) {
                filter.fileIds = m_session->scopedFilter().fileIds;  // the logs on show, as the Summary's
                showIncidents(filter, query, what);
            });
    dock->setFollowing(m_follow->isChecked());
    connect(m_follow, &QAction::toggled, dock, &InsightsDock::setFollowing);

    // Shown or hidden like the table's other panes: in the View menu, after Follow and Reload.
    for (QAction *menu : menuBar()->actions()) {
        if (menu->menu() && menu->menu()->objectName() == u"viewMenu"_s) {
            menu->menu()->addSeparator();
            menu->menu()->addAction(dock->toggleViewAction());
        }
    }
    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    // Before Help, where menus of settings go.
    menuBar()->insertMenu(menuBar()->actions().at(menuBar()->actions().size() - 2), settingsMenu);
    settingsMenu->addAction(QIcon::fromTheme(u"configure"_s), tr("&Insights…"), dock, &InsightsDock::editThresholds);
}

} // namespace mailtrail
