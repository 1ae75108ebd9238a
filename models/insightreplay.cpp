// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightreplay.h"

#include "backgroundpriority.h"

#include "cache/cache.h"
#include "correlation/correlator.h"
#include "insightmodel.h"
#include "insights/insightengine.h"
#include "insightservers.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QtConcurrentRun>

#include <algorithm>

Q_LOGGING_CATEGORY(lcInsights, "mailtrail.models.insights")

namespace mailtrail {

// What a replay keeps between its passes; used by the pool's one thread only.
struct InsightReplay::State {
    explicit State(std::vector<std::int64_t> ids, const InsightThresholds &t)
        : fileIds(std::move(ids))
        , engine(t)
    {
    }
    std::vector<std::int64_t> fileIds;
    InsightEngine engine;
    std::unique_ptr<Cache> cache;
    std::atomic<bool> cancelled{false};
    quint64 generation = 0;
    InsightCursor cursor;  // where the last pass ended
    // The history's span of arrivals, read by the first pass, for the progress.
    std::pair<std::int64_t, std::int64_t> span{0, 0};
    qint64 replayed = 0;
    // A pass went through to the end: what the passes after it find came in since (a follow).
    bool historyRead = false;
};

namespace {
struct Pass {
    std::vector<Insight> fired;
    std::string error;
    bool live = false;  // about rows that came after the history
};
constexpr qint64 ProgressEvery = 20000;

int permille(std::int64_t timeMs, std::pair<std::int64_t, std::int64_t> span)
{
    if (span.second <= span.first)
        return 0;
    const double share = static_cast<double>(timeMs - span.first) / static_cast<double>(span.second - span.first);
    return static_cast<int>(std::clamp(share, 0.0, 1.0) * 1000);
}
} // namespace

InsightReplay::InsightReplay(QString cachePath, InsightModel *model, QObject *parent)
    : QObject(parent)
    , m_cachePath(std::move(cachePath))
    , m_model(model)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

InsightReplay::~InsightReplay()
{
    cancel();
    m_pool.waitForDone();
}

void InsightReplay::cancel()
{
    ++m_generation;
    if (m_state)
        m_state->cancelled.store(true);
    m_state.reset();
    if (std::exchange(m_stopped, false))
        Q_EMIT stoppedChanged(false);
    setWaiting(false);
}

void InsightReplay::waitForImport()
{
    cancel();
    m_model->clear();
    setWaiting(true);
}

void InsightReplay::setWaiting(bool waiting)
{
    const bool busy = isBusy();
    m_waiting = waiting;
    if (isBusy() != busy)
        Q_EMIT busyChanged(isBusy());
}

void InsightReplay::stop()
{
    if (!m_state || m_stopped || !isBusy())
        return;
    m_state->cancelled.store(true);
    m_stopped = true;
    Q_EMIT stoppedChanged(true);
}

void InsightReplay::resume()
{
    if (!m_state || !m_stopped)
        return;
    // The passes of a state run one after the other: the stopped one has returned before this
    // one reads the flag.
    m_state->cancelled.store(false);
    m_stopped = false;
    Q_EMIT stoppedChanged(false);
    run(m_state);
}

void InsightReplay::restart(std::vector<std::int64_t> fileIds, const InsightThresholds &thresholds)
{
    cancel();
    m_model->clear();
    m_model->setThresholds(thresholds);
    m_state = std::make_shared<State>(std::move(fileIds), thresholds);
    m_state->generation = m_generation;
    // Counts in the insights' words as everywhere else in the window: "after 164,037", not
    // "after 164037" (trial21).
    m_state->engine.setNumberFormat([locale = QLocale()](std::int64_t n) { return locale.toString(qlonglong(n)).toStdString(); });
    run(m_state);
}

void InsightReplay::update()
{
    if (m_state && !m_stopped)
        run(m_state);
}

void InsightReplay::run(const std::shared_ptr<State> &state)
{
    if (m_running++ == 0 && !m_waiting)
        Q_EMIT busyChanged(true);
    const quint64 generation = state->generation;
    auto *watcher = new QFutureWatcher<Pass>(this);
    connect(watcher, &QFutureWatcher<Pass>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        const Pass pass = watcher->result();
        if (generation == m_generation) {
            if (!pass.error.empty()) {
                qCWarning(lcInsights) << "insight replay failed:" << pass.error;
                Q_EMIT failed(QString::fromStdString(pass.error));
            }
            const int first = m_model->rowCount();
            m_model->append(pass.fired);
            // Updates of rows there already are no news.
            if (pass.live && m_model->rowCount() > first)
                Q_EMIT liveInsights(first, m_model->rowCount() - 1);
        }
        if (--m_running == 0 && !m_waiting)
            Q_EMIT busyChanged(false);
    });
    const std::string path = m_cachePath.toStdString();
    QPointer<InsightReplay> self(this);
    watcher->setFuture(QtConcurrent::run(&m_pool, [state, path, self, generation] {
        // Nobody waits for it: a filter the user types meanwhile takes the cores first (at 1 GB
        // the replay reads for half a minute after the cache is opened).
        lowerCurrentThreadPriority();
        Pass pass;
        if (state->cancelled.load())
            return pass;
        if (!state->cache) {
            state->cache = std::make_unique<Cache>();
            if (!state->cache->open(path, Cache::Mode::ReadOnly)) {
                pass.error = state->cache->error();
                state->cache.reset();
                return pass;
            }
            state->cache->setBuildIndexesOnDemand(false);
            // The replay's first step sorts the history by time: a cancel must not wait for it.
            state->cache->setInterruptFlag(&state->cancelled);
            Filter scope;
            scope.fileIds = state->fileIds;
            state->span = state->cache->timeRange(scope);
            state->engine.setServerOf(insightServers(state->cache->files(), state->fileIds));
        }
        pass.live = state->historyRead;
        const bool ok = state->cache->replayForInsights(
            state->fileIds, state->cursor,
            [&state] { return state->cancelled.load(); },
            [&](const MessageRecord &m) {
                state->engine.message(m);
                const qint64 done = ++state->replayed;
                if (done % ProgressEvery == 0)
                    QMetaObject::invokeMethod(self, [self, done, generation, at = permille(m.lastSeenMs, state->span)] {
                        if (self && generation == self->m_generation)
                            Q_EMIT self->progress(done, at);
                    }, Qt::QueuedConnection);
                return true;
            },
            [&state](const IncidentRecord &i) {
                state->engine.incident(i);
                return true;
            });
        // Stopped or superseded, a statement ends as interrupted: no failure.
        const bool cancelled = state->cancelled.load();
        if (!ok && !cancelled)
            pass.error = state->cache->error();
        else if (ok && !cancelled)
            state->historyRead = true;
        pass.fired = state->engine.take();
        return pass;
    }));
}

void InsightReplay::waitForIdle()
{
    m_pool.waitForDone();
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

} // namespace mailtrail
