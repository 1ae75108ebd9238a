// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "insights/insight.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace mailtrail {

class InsightModel;

// The insight rules over the history in the cache, off the GUI thread: restart() replays the
// messages and incidents of the opened logs in log time through an InsightEngine and fills the
// model; update() goes on from where the last pass ended (a follow imported more), so the same
// engine sees the new rows and what fires is appended. A restart supersedes a pass under way.
// stop() ends the pass under way keeping what fired so far; resume() goes on from there.
class InsightReplay : public QObject
{
    Q_OBJECT
public:
    InsightReplay(QString cachePath, InsightModel *model, QObject *parent = nullptr);
    ~InsightReplay() override;

    void restart(std::vector<std::int64_t> fileIds, const InsightThresholds &thresholds);
    // The history is being written (an import runs): what fired so far is dropped, and no pass
    // runs until the restart() its end brings. Busy meanwhile, and isWaiting().
    void waitForImport();
    bool isWaiting() const { return m_waiting; }
    void update();
    // Drops the replay and what it would still deliver (no logs on show, the window closes).
    void cancel();
    // The user's Stop: the pass under way ends at the next message, its insights are kept, and
    // follows add nothing until resume().
    void stop();
    void resume();
    bool isStopped() const { return m_stopped; }
    bool isBusy() const { return m_running > 0 || m_waiting; }
    // Waits for the passes under way and delivers their insights (tests, screenshots).
    void waitForIdle();

Q_SIGNALS:
    void busyChanged(bool busy);
    void stoppedChanged(bool stopped);
    // Messages replayed so far by the pass under way, and how far it is through the history's
    // time span, in thousandths.
    void progress(qint64 messages, int permille);
    void failed(const QString &error);
    // Rows of the model that a pass after the first (update()) appended: insights about rows that
    // came in since, which a follow notifies of; the first pass's are history.
    void liveInsights(int first, int last);

private:
    struct State;
    void run(const std::shared_ptr<State> &state);
    void setWaiting(bool waiting);

    QString m_cachePath;
    InsightModel *m_model;
    std::shared_ptr<State> m_state;
    quint64 m_generation = 0;
    int m_running = 0;
    bool m_waiting = false;  // waitForImport()
    bool m_stopped = false;
    QThreadPool m_pool;  // one thread: the passes of a state run in order, on its one connection
};

} // namespace mailtrail
