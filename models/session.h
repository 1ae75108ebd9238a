// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "cachereader.h"
#include "insights/insight.h"
#include "logclock.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace mailtrail {

class CacheTableModel;
class ChartModel;
class DeliveryTableModel;
class Follower;
class IncidentTableModel;
class InsightModel;
class InsightReplay;
class ImportJob;
class MemoryIndexJob;
class MessageTableModel;
class SummaryModel;
class TimelineModel;

// A log open in the window as the cache records it, with the servers whose mail it holds.
struct OpenLog {
    FileRow file;
    QStringList hosts;
};

// What one window shows: the cache, the logs opened in it (their file ids: the scope), the
// filter, the import job and the item models. The filter bar, the chart and the summary all edit
// the same filter here; the views only wire widgets to it.
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(QString cachePath, QObject *parent = nullptr);
    ~Session() override;

    QString cachePath() const { return m_cachePath; }
    // The cache file and its companions (-wal, -shm): their size on disk.
    static qint64 cacheSizeOnDisk(const QString &cachePath);
    // Deletes them, before any Session opens the file (the window empties the cache at start
    // when asked to: open connections elsewhere would keep reading a deleted file). False with
    // `error` set when one could not be deleted.
    static bool removeCacheFiles(const QString &cachePath, QString *error);
    // Empties the cache now when nothing holds it (no import or follow of this window, no other
    // process importing): the files are deleted under the import lock and every connection of
    // this window opens the new, empty one. Else false with `error` saying what holds it.
    bool emptyCacheNow(QString *error);
    const std::shared_ptr<Cache> &cache() const { return m_cache; }
    // A cache an older build wrote is migrated on a thread of its own first (seconds to minutes
    // on a big one): meanwhile the filter is kept and applied once it is open, the models read
    // nothing, and cacheOpened() follows. Any other cache is open when the Session is made.
    bool isOpeningCache() const { return m_openingCache; }
    // Why the cache cannot be used ("" when it can).
    QString cacheError() const { return m_cacheError; }
    // Why the cache was replaced when opening it ("" when it was not): said once, then cleared.
    QString takeCacheNotice() { return std::exchange(m_cacheNotice, {}); }

    MessageTableModel *messages() const { return m_messages; }
    DeliveryTableModel *deliveries() const { return m_deliveries; }
    CacheTableModel *model(Grain grain) const;
    ChartModel *chart() const { return m_chart; }
    SummaryModel *summary() const { return m_summary; }
    TimelineModel *timeline() const { return m_timeline; }
    // The lines about clients behind the Summary's security numbers (see IncidentTableModel).
    IncidentTableModel *incidentLines() const { return m_incidentLines; }
    ImportJob *importJob() const { return m_job; }
    // The index of addresses in memory that answers sender and recipient filters (MemoryIndex),
    // read after the cache is opened and after each import.
    MemoryIndexJob *memoryIndex() const { return m_memoryIndex; }
    // The insights over the logs on show, replayed from the cache when the scope changes and
    // continued as follows import more (refresh()).
    InsightModel *insights() const { return m_insights; }
    InsightReplay *insightReplay() const { return m_insightReplay; }
    const InsightThresholds &insightThresholds() const { return m_thresholds; }
    // New thresholds (the settings dialog): the insights are replayed with them.
    void setInsightThresholds(const InsightThresholds &thresholds);

    Grain grain() const { return m_grain; }
    // The table shows this grain; its model gets the current filter, counted off this thread.
    void setGrain(Grain grain);

    // What the user asked for, without the scope.
    const Filter &filter() const { return m_filter; }
    // The filter as the models read it: the user's, within the logs opened in this window.
    Filter scopedFilter() const;
    // And as the table reads it: a chain of hops (content filter, relays of the log set) listed
    // once unless showHops(); the chart counts what the table lists, the summary every hop.
    Filter tableFilter() const;
    bool showHops() const { return m_showHops; }
    // View > Show Hops as Separate Messages.
    void setShowHops(bool separate);
    // Applies the filter to the table and the chart, both counted off the GUI thread; remembers
    // the time range it replaces.
    void setFilter(const Filter &filter);
    // The range before the last change of range (a click or a drag on the chart, the filter bar).
    bool canGoBack() const { return !m_ranges.empty(); }
    void previousRange();

    const std::vector<std::int64_t> &scope() const { return m_scope; }
    // What the host and format filters offer: the servers whose mail the logs on show hold, the
    // formats of the logs on show (sorted, without repeats), and the time of the latest message
    // in them (what "last hour" counts back from). Read off the GUI thread when the scope or the
    // rows change: choicesChanged() follows.
    QStringList hostNames() const { return m_hostNames; }
    QStringList formatNames() const;
    qint64 latestTime() const { return m_latestMs; }
    // The clock every time of the window is shown and typed in: the logs' own (readLogClock()),
    // as the table shows each row's time. Read with the choices.
    const LogClock &clock() const { return m_clock; }
    // The files on show; returns whether that changed (the models then read again, the table's
    // count off this thread).
    bool setScope(std::vector<std::int64_t> fileIds);
    // The logs on show by path (a folder: the files in it), and files by id (a rotated log's old
    // content): their ids are looked up off the GUI thread, then setScope(). When the scope stays
    // the same and `refreshIfSame` (an import added rows), refresh(). scopeRead() follows; a newer
    // call drops the answer to an older one.
    void showLogs(const QStringList &paths, std::vector<std::int64_t> alsoIds, bool refreshIfSame);
    bool isReadingScope() const { return m_readingScope; }

    // Read on a thread of their own, answered on this one (to `context`, while it lives), so that
    // the window never reads the cache itself: whether the free-text index holds every message
    // (false when that cannot be read), and the cache's record of the logs at these paths and of
    // the files of these ids (a rotated log's old content, as showLogs() takes them: format, hosts,
    // time span, lines) with an error in words. A newer call of the same kind drops an older answer.
    void readTextIndexState(QObject *context, std::function<void(bool complete)> done);
    void readOpenLogs(QObject *context, const QStringList &paths, std::vector<std::int64_t> alsoIds,
                      std::function<void(std::vector<OpenLog> logs, const QString &error)> done);
    // The code filter is the final reply of each row; a code no row ended with may be that of
    // earlier tries (4.7.1 greylisting before a 250). The filter's code as Filter::triedAs would
    // take it ("" when the filter has no reply or enhanced code, or already narrows by tries),
    // and the count of the table's rows with such a try instead (the filter otherwise the same),
    // read off this thread and answered to `context` with the filter it was asked for.
    static std::string triedAsForm(const Filter &filter);
    void countTriedAs(QObject *context, std::function<void(const Filter &asked, qint64 count)> done);

    // The summary is read only while it is on show: it takes seconds on a big cache, and typing
    // in the filter bar asks for one per key. Hidden, it is read when it is shown again.
    void setSummaryShown(bool shown);
    bool isSummaryShown() const { return m_summaryShown; }
    // Reads the table, the chart and the summary again for the same filter (an import added rows).
    void refresh();

    // Follows these logs as they grow and rotate (see Follower); none stops following. Call it
    // before importing them, so that nothing written meanwhile is missed.
    void follow(const QStringList &paths);
    bool isFollowing() const { return m_follower != nullptr; }
    QStringList followedPaths() const;
    // Whether one of these files was written to in the last `seconds`: a log that is being
    // written, which the window follows unless told not to.
    static bool writtenWithin(const QStringList &paths, int seconds);

Q_SIGNALS:
    void filterChanged(const mailtrail::Filter &filter);
    void historyChanged(bool canGoBack);
    // Followed logs grew or rotated: these files are to be imported, older content first.
    void logsChanged(const QStringList &files);
    // hostNames(), formatNames(), latestTime() or clock() were read again.
    void choicesChanged();
    // follow() started, stopped or changed what it follows (`paths`: none when it stopped).
    void followingChanged(const QStringList &paths);
    // The cache being migrated (isOpeningCache()) is open: cacheError() and takeCacheNotice()
    // say how it went.
    void cacheOpened();
    // showLogs() looked the logs up; `changed`: the scope is another.
    void scopeRead(bool changed);

private:
    void openCache();
    void migrateCacheFirst();
    // `background`: the table counts on its own thread (a filter, a grain, the logs on show);
    // else at once.
    void apply(bool background = false);
    void requestSummary();
    void requestHostNames();
    // The insights of the logs on show replayed from the start, once the cache is as the import
    // that runs (if one does) leaves it.
    void replayInsights();
    void replayAfterImport(const ImportSummary &summary);
    void applyScope(std::vector<std::int64_t> ids, bool refreshIfSame);

    QString m_cachePath;
    std::shared_ptr<Cache> m_cache;
    QString m_cacheError;
    QString m_cacheNotice;
    bool m_openingCache = false;
    MessageTableModel *m_messages = nullptr;
    DeliveryTableModel *m_deliveries = nullptr;
    ChartModel *m_chart = nullptr;
    SummaryModel *m_summary = nullptr;
    TimelineModel *m_timeline = nullptr;
    IncidentTableModel *m_incidentLines = nullptr;
    ImportJob *m_job = nullptr;
    MemoryIndexJob *m_memoryIndex = nullptr;
    Follower *m_follower = nullptr;
    InsightModel *m_insights = nullptr;
    InsightReplay *m_insightReplay = nullptr;
    bool m_replayAfterImport = false;  // replayInsights() waits for the import under way
    InsightThresholds m_thresholds;
    Grain m_grain = Grain::Messages;
    bool m_showHops = false;
    Filter m_filter;
    bool m_summaryShown = false;
    bool m_summaryStale = true;  // the filter or the rows changed while the summary was hidden
    std::vector<std::int64_t> m_scope;
    QStringList m_hostNames;
    QStringList m_formatNames;
    qint64 m_latestMs = 0;
    LogClock m_clock;
    quint64 m_scopeGeneration = 0;
    bool m_readingScope = false;
    bool m_readingHosts = false;
    bool m_hostsStale = false;  // the scope or the rows changed while they were read
    QThreadPool m_pool;         // one thread: its connection stays on it
    std::vector<std::pair<std::int64_t, std::int64_t>> m_ranges;  // earlier (since, until), newest last
    CacheReader m_textIndexReader;
    CacheReader m_filesReader;
    CacheReader m_triedAsReader;
};

} // namespace mailtrail
