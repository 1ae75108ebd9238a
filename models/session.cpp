// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include "chartmodel.h"
#include "deliverytablemodel.h"
#include "follower.h"
#include "importjob.h"
#include "memoryindexjob.h"
#include "incidenttablemodel.h"
#include "insightmodel.h"
#include "insightreplay.h"
#include "insightsettings.h"
#include "logclockreader.h"
#include "messagetablemodel.h"
#include "summarymodel.h"
#include "threadconnection.h"
#include "timelinemodel.h"

#include "cache/cachelayout.h"
#include "cache/importlock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrentRun>
#include <QSettings>
#include <QTimeZone>

#include <algorithm>

namespace mailtrail {

namespace {
constexpr std::size_t MaxRanges = 50;
}

Session::Session(QString cachePath, QObject *parent)
    : QObject(parent)
    , m_cachePath(std::move(cachePath))
    , m_textIndexReader(m_cachePath.toStdString())
    , m_filesReader(m_cachePath.toStdString())
    , m_triedAsReader(m_cachePath.toStdString())
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    if (cacheNeedsMigration(m_cachePath.toStdString()))
        migrateCacheFirst();
    else
        openCache();
    // Counted by apply() below, off this thread: a whole cache of a million rows takes seconds.
    m_messages = new MessageTableModel(m_cache, CacheTableModel::FirstCount::WithFirstFilter, this);
    m_deliveries = new DeliveryTableModel(m_cache, CacheTableModel::FirstCount::WithFirstFilter, this);
    m_chart = new ChartModel(m_cachePath, this);
    m_summary = new SummaryModel(m_cachePath, this);
    m_timeline = new TimelineModel(this);
    m_incidentLines = new IncidentTableModel(m_cachePath, this);
    m_job = new ImportJob(m_cachePath, this);
    m_insights = new InsightModel(this);
    m_insightReplay = new InsightReplay(m_cachePath, m_insights, this);
    // Connected before the window's own slot, so the replay starts anew before the window's
    // refresh() would continue it.
    connect(m_job, &ImportJob::finished, this, &Session::replayAfterImport);
    // Read after the cache is open and after each import (a cancelled or undone one changed
    // nothing, but its run took a number: the index describes an older state).
    m_memoryIndex = new MemoryIndexJob(m_cachePath, this);
    connect(m_job, &ImportJob::finished, m_memoryIndex, &MemoryIndexJob::request);
    QSettings settings;
    m_thresholds = loadInsightThresholds(settings);
    apply(true);
    if (!m_openingCache && m_cacheError.isEmpty())
        m_memoryIndex->request();
}

Session::~Session()
{
    m_pool.waitForDone();
}

namespace {
QStringList cacheFiles(const QString &cachePath)
{
    return {cachePath, cachePath + QStringLiteral("-wal"), cachePath + QStringLiteral("-shm")};
}
} // namespace

qint64 Session::cacheSizeOnDisk(const QString &cachePath)
{
    qint64 bytes = 0;
    for (const QString &file : cacheFiles(cachePath))
        bytes += QFileInfo(file).size();
    return bytes;
}

bool Session::removeCacheFiles(const QString &cachePath, QString *error)
{
    // Another window or a `mailtrail-cli follow` may be writing it: it would go on committing to
    // a deleted file. Held while deleting, so that no import starts meanwhile.
    ImportLock lock(canonicalPath(cachePath.toStdString()));
    if (!lock.tryAcquire()) {
        if (error)
            *error = lock.error().empty()
                         ? QCoreApplication::translate("Session", "another import into it is running (pid %1); it is kept").arg(lock.holder())
                         : QString::fromStdString(lock.error());
        return false;
    }
    for (const QString &name : cacheFiles(cachePath)) {
        QFile file(name);
        if (file.exists() && !file.remove()) {
            if (error)
                *error = QCoreApplication::translate("Session", "Cannot delete %1: %2").arg(name, file.errorString());
            return false;
        }
    }
    return true;
}

bool Session::emptyCacheNow(QString *error)
{
    if (m_openingCache) {
        if (error)
            *error = tr("it is being updated to this version");
        return false;
    }
    if (m_job->isRunning() || m_follower) {
        if (error)
            *error = m_job->isRunning() ? tr("an import into it is running") : tr("the open logs are being followed");
        return false;
    }
    // Before the files go: the index is named by the file's path as it resolves now.
    m_memoryIndex->drop();
    {
        ImportLock lock(canonicalPath(m_cachePath.toStdString()));
        if (!lock.tryAcquire()) {
            if (error)
                *error = lock.error().empty() ? tr("another import into it is running (pid %1)").arg(lock.holder())
                                              : QString::fromStdString(lock.error());
            return false;
        }
        for (const QString &name : cacheFiles(m_cachePath)) {
            QFile file(name);
            if (file.exists() && !file.remove()) {
                if (error)
                    *error = tr("Cannot delete %1: %2").arg(name, file.errorString());
                return false;
            }
        }
    }
    // The lock is let go first: opening a new cache takes it to create the layout.
    m_insightReplay->cancel();
    ThreadConnection::reopenAll();
    m_cacheError.clear();
    if (!m_cache->open(m_cachePath.toStdString()))
        m_cacheError = QString::fromStdString(m_cache->error());
    m_scope.clear();
    ++m_scopeGeneration;  // a lookup under way read the old file
    m_readingScope = false;
    m_ranges.clear();
    Q_EMIT historyChanged(false);
    m_insights->clear();
    apply(true);
    requestHostNames();
    if (!m_cacheError.isEmpty() && error)
        *error = m_cacheError;
    return m_cacheError.isEmpty();
}

void Session::openCache()
{
    if (!m_cache)  // after a migration, the models already hold it
        m_cache = std::make_shared<Cache>();
    // The window's connection only reads; the import thread builds the deferred and text indexes.
    m_cache->setBuildIndexesOnDemand(false);
    if (m_cache->open(m_cachePath.toStdString()))
        return;
    m_cacheError = QString::fromStdString(m_cache->error());
    // A damaged cache, or one another build wrote, is moved aside, never deleted: it may still be
    // rescued by hand (or read by the build that wrote it).
    if (m_cache->fileIsUnusable() && QFileInfo::exists(m_cachePath)) {
        const std::string aside = Cache::moveAside(m_cachePath.toStdString());
        if (!aside.empty() && m_cache->open(m_cachePath.toStdString())) {
            m_cacheNotice = QCoreApplication::translate("Session", "The cache could not be used (%1); it has been moved to "
                                                                   "%2 and a new one was started.")
                                .arg(m_cacheError, QString::fromStdString(aside));
            m_cacheError.clear();
        }
    }
}

void Session::migrateCacheFirst()
{
    // The models get a cache not open yet: its empty path keeps them from reading. The migration
    // runs on the pool's one thread, so the logs looked up meanwhile (showLogs) wait behind it.
    m_cache = std::make_shared<Cache>();
    m_openingCache = true;
    auto *watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher] {
        watcher->deleteLater();
        // The layout is this build's now: opening it here is the quick check of any other start.
        // When the migration failed, this open fails the same way and says why (or moves a file
        // that cannot be used aside).
        m_openingCache = false;
        openCache();
        apply(true);
        requestHostNames();
        if (m_cacheError.isEmpty())
            m_memoryIndex->request();
        Q_EMIT cacheOpened();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cachePath.toStdString()] {
        Cache cache;
        cache.open(path);
    }));
}

CacheTableModel *Session::model(Grain grain) const
{
    return grain == Grain::Deliveries ? static_cast<CacheTableModel *>(m_deliveries)
                                      : static_cast<CacheTableModel *>(m_messages);
}

void Session::setGrain(Grain grain)
{
    m_grain = grain;
    if (m_openingCache)
        return;  // counted when the cache is open
    // Counted on the model's thread: a million deliveries take a while, and the window must not wait.
    model(grain)->setFilterInBackground(tableFilter());
}

Filter Session::tableFilter() const
{
    Filter f = scopedFilter();
    f.chains = !m_showHops;
    return f;
}

void Session::setShowHops(bool separate)
{
    if (separate == m_showHops)
        return;
    m_showHops = separate;
    if (!m_openingCache) {
        model(m_grain)->setFilterInBackground(tableFilter());
        m_chart->request(tableFilter());
    }
}

Filter Session::scopedFilter() const
{
    Filter f = m_filter;
    f.fileIds = m_scope;
    if (m_scope.empty())
        f.fileIds.assign(1, -1);  // nothing opened yet: show nothing rather than the whole cache
    return f;
}

void Session::setFilter(const Filter &filter)
{
    Filter wanted = filter;
    wanted.fileIds.clear();
    wanted.textMatchReady = false;
    wanted.textIdsReady = false;
    if (wanted == m_filter)
        return;
    if (wanted.sinceMs != m_filter.sinceMs || wanted.untilMs != m_filter.untilMs) {
        m_ranges.emplace_back(m_filter.sinceMs, m_filter.untilMs);
        if (m_ranges.size() > MaxRanges)
            m_ranges.erase(m_ranges.begin());
        Q_EMIT historyChanged(true);
    }
    m_filter = wanted;
    apply(true);
}

void Session::previousRange()
{
    if (m_ranges.empty())
        return;
    const auto [since, until] = m_ranges.back();
    m_ranges.pop_back();
    m_filter.sinceMs = since;
    m_filter.untilMs = until;
    Q_EMIT historyChanged(!m_ranges.empty());
    apply(true);
}

void Session::requestHostNames()
{
    if (m_openingCache)
        return;  // read when the cache is open
    if (m_readingHosts) {
        m_hostsStale = true;
        return;
    }
    if (!m_cache || m_scope.empty()) {
        if (!m_hostNames.isEmpty() || !m_formatNames.isEmpty() || m_latestMs != 0 || !(m_clock == LogClock{})) {
            m_hostNames.clear();
            m_formatNames.clear();
            m_latestMs = 0;
            m_clock = {};
            m_chart->setClock(m_clock);
            Q_EMIT choicesChanged();
        }
        return;
    }
    m_readingHosts = true;
    m_hostsStale = false;
    struct Choices {
        QStringList hosts;
        QStringList formats;
        qint64 latestMs = 0;
        LogClock clock;
    };
    auto *watcher = new QFutureWatcher<Choices>(this);
    connect(watcher, &QFutureWatcher<Choices>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_readingHosts = false;
        if (m_hostsStale) {
            requestHostNames();
            return;
        }
        const Choices choices = watcher->result();
        if (choices.hosts != m_hostNames || choices.formats != m_formatNames || choices.latestMs != m_latestMs ||
            !(choices.clock == m_clock)) {
            m_hostNames = choices.hosts;
            m_formatNames = choices.formats;
            m_latestMs = choices.latestMs;
            m_clock = choices.clock;
            m_chart->setClock(m_clock);
            Q_EMIT choicesChanged();
        }
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cache->path(), scope = m_scope] {
        Choices choices;
        std::string error;
        Cache *cache = ThreadConnection::get(path, &error);
        if (!cache)
            return choices;
        for (const std::string &name : cache->hostNames(scope))
            choices.hosts << QString::fromStdString(name);
        for (const FileRow &file : cache->files()) {
            const QString format = QString::fromStdString(file.format);
            if (!format.isEmpty() && std::binary_search(scope.begin(), scope.end(), file.id) && !choices.formats.contains(format))
                choices.formats << format;
        }
        choices.formats.sort();
        Filter scopeOnly;
        scopeOnly.fileIds = scope;
        choices.latestMs = cache->timeRange(scopeOnly).second;
        choices.clock = readLogClock(*cache, scope);
        if (!cache->error().empty())
            ThreadConnection::drop();  // a box without hosts is all it costs; the next read tries again
        return choices;
    }));
}

void Session::showLogs(const QStringList &paths, std::vector<std::int64_t> alsoIds, bool refreshIfSame)
{
    const quint64 generation = ++m_scopeGeneration;
    if (!m_cache) {
        applyScope(std::move(alsoIds), refreshIfSame);
        return;
    }
    m_readingScope = true;
    auto *watcher = new QFutureWatcher<std::vector<std::int64_t>>(this);
    connect(watcher, &QFutureWatcher<std::vector<std::int64_t>>::finished, this, [this, watcher, generation, refreshIfSame] {
        watcher->deleteLater();
        if (generation != m_scopeGeneration)
            return;  // other logs were asked for since: their ids are on their way
        m_readingScope = false;
        applyScope(watcher->result(), refreshIfSame);
    });
    std::vector<std::string> names;
    for (const QString &p : paths)
        names.push_back(p.toStdString());
    // The file's path, not the connection's (empty while the cache is migrated: this waits behind
    // the migration on the pool's one thread).
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_cachePath.toStdString(), names = std::move(names), alsoIds = std::move(alsoIds)] {
        std::vector<std::int64_t> ids;
        std::string error;
        if (Cache *cache = ThreadConnection::get(path, &error)) {
            ids = cache->fileIdsFor(names);
            // Not found and failed alike leave the logs out: the next lookup opens afresh.
            if (!cache->error().empty())
                ThreadConnection::drop();
        }
        ids.insert(ids.end(), alsoIds.begin(), alsoIds.end());
        return ids;
    }));
}

void Session::readTextIndexState(QObject *context, std::function<void(bool complete)> done)
{
    m_textIndexReader.start<bool>(
        this, [](Cache &cache, std::string &) { return cache.textIndexComplete(); },
        [context = QPointer<QObject>(context), done = std::move(done)](bool complete, const QString &error) {
            if (context)
                done(complete && error.isEmpty());
        });
}

std::string Session::triedAsForm(const Filter &filter)
{
    if (filter.code.empty() || !filter.triedAs.empty())
        return {};
    const TryGroup group = TryGroup::parse(filter.code);
    return group.kind == TryGroup::ReplyCode || group.kind == TryGroup::EnhancedCode ? filter.code : std::string();
}

void Session::countTriedAs(QObject *context, std::function<void(const Filter &asked, qint64 count)> done)
{
    const std::string code = triedAsForm(m_filter);
    if (code.empty() || m_openingCache)
        return;
    const Filter asked = m_filter;
    Filter tried = tableFilter();
    tried.code.clear();
    tried.triedAs = code;
    const Grain grain = m_grain;
    m_triedAsReader.start<qint64>(
        this, [tried, grain](Cache &cache, std::string &) { return qint64(cache.count(grain, tried)); },
        [context = QPointer<QObject>(context), asked, done = std::move(done)](qint64 count, const QString &error) {
            if (context && error.isEmpty())
                done(asked, count);
        });
}

void Session::readOpenLogs(QObject *context, const QStringList &paths, std::vector<std::int64_t> alsoIds,
                           std::function<void(std::vector<OpenLog> logs, const QString &error)> done)
{
    m_filesReader.start<std::vector<OpenLog>>(
        this,
        [paths, ids = std::move(alsoIds)](Cache &cache, std::string &) {
            std::vector<OpenLog> logs;
            for (FileRow &file : cache.files()) {
                if (!paths.contains(QString::fromStdString(file.path)) && std::find(ids.begin(), ids.end(), file.id) == ids.end())
                    continue;
                OpenLog log;
                for (const std::string &host : cache.hostNames({file.id}))
                    log.hosts << QString::fromStdString(host);
                log.file = std::move(file);
                logs.push_back(std::move(log));
            }
            return logs;
        },
        [context = QPointer<QObject>(context), done = std::move(done)](std::vector<OpenLog> logs, const QString &error) {
            if (context)
                done(std::move(logs), error);
        });
}

void Session::applyScope(std::vector<std::int64_t> ids, bool refreshIfSame)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const bool changed = setScope(std::move(ids));
    if (!changed && refreshIfSame)
        refresh();
    Q_EMIT scopeRead(changed);
}

QStringList Session::formatNames() const
{
    return m_formatNames;
}

bool Session::setScope(std::vector<std::int64_t> fileIds)
{
    std::sort(fileIds.begin(), fileIds.end());
    if (fileIds == m_scope)
        return false;
    m_scope = std::move(fileIds);
    apply(true);
    requestHostNames();
    replayInsights();
    return true;
}

void Session::replayInsights()
{
    if (m_scope.empty()) {
        m_insightReplay->cancel();  // no logs on show: not every file of the cache either
        m_insights->clear();
        return;
    }
    if (m_job->isRunning()) {
        // A replay of a cache being written counts on a state the import has not finished (the
        // messages open at a commit, tries still to come): its insights depended on where the
        // commits fell, and two windows on nearly one log listed 14 and 11 (trial21). Once, from
        // the start, when the import is done (replayAfterImport()).
        m_replayAfterImport = true;
        m_insightReplay->waitForImport();
        return;
    }
    m_replayAfterImport = false;
    m_insightReplay->restart(m_scope, m_thresholds);
}

void Session::setInsightThresholds(const InsightThresholds &thresholds)
{
    m_thresholds = thresholds;
    if (!m_scope.empty())
        replayInsights();
}

void Session::apply(bool background)
{
    if (m_openingCache)
        return;  // the filter is kept; applied when the cache is open
    const Filter listed = tableFilter();
    if (background)
        model(m_grain)->setFilterInBackground(listed);
    else
        model(m_grain)->setFilter(listed);
    // The chart counts what the table lists: over chains, a chain found by its first hop is
    // charted by what its last hop tried, not by the hand-overs to the content filter.
    m_chart->request(listed);
    requestSummary();
    Q_EMIT filterChanged(m_filter);
}

void Session::refresh()
{
    if (m_openingCache)
        return;
    model(m_grain)->refreshInBackground();
    if (!m_job->isRunning())  // not for every commit of an import: once it is done
        requestHostNames();
    m_chart->request(tableFilter());
    requestSummary();
    // Not at each commit of an import: passes over a cache half written counted on messages
    // still open at the commit (see replayInsights()). After it, the new rows (a follow's batch).
    if (!m_job->isRunning())
        m_insightReplay->update();
}

void Session::replayAfterImport(const ImportSummary &summary)
{
    // A reread deleted every row and wrote it again under new ids: insights counted over the old
    // rows would filter the table to messages that are gone, and a replay continued from where it
    // was would skip the new rows. Their history is replayed from the start; so is that of logs
    // put on show while the import ran (replayInsights()).
    const bool reread = summary.ok() && !summary.undone &&
                        std::any_of(summary.files.begin(), summary.files.end(),
                                    [](const FileImport &f) { return f.action == FileImport::Action::Reread; });
    if (reread || m_replayAfterImport)
        replayInsights();
}

void Session::follow(const QStringList &paths)
{
    if (m_follower && m_follower->paths() == paths)
        return;
    // Called from the follower's own signal too (a rotation adds a path): not deleted under it.
    if (Follower *old = std::exchange(m_follower, nullptr)) {
        old->disconnect(this);
        old->deleteLater();
    }
    if (!paths.isEmpty()) {
        m_follower = new Follower(paths, this);
        connect(m_follower, &Follower::changed, this, &Session::logsChanged);
    }
    Q_EMIT followingChanged(paths);
}

QStringList Session::followedPaths() const
{
    return m_follower ? m_follower->paths() : QStringList();
}

bool Session::writtenWithin(const QStringList &paths, int seconds)
{
    const QDateTime since = QDateTime::currentDateTimeUtc().addSecs(-seconds);
    return std::any_of(paths.begin(), paths.end(), [&since](const QString &p) {
        const QFileInfo info(p);
        return info.isFile() && info.lastModified(QTimeZone::UTC) >= since;
    });
}

void Session::setSummaryShown(bool shown)
{
    m_summaryShown = shown;
    if (shown && m_summaryStale)
        requestSummary();
}

void Session::requestSummary()
{
    if (m_openingCache) {
        m_summaryStale = true;  // read when the cache is open and the summary on show
        return;
    }
    m_summaryStale = !m_summaryShown;
    if (m_summaryShown)
        m_summary->request(scopedFilter());
}

} // namespace mailtrail
