// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace mailtrail {

class ImportJob;

// The status bar's part of a running import: what it does (ImportStatus's words), a progress bar
// and Cancel. It follows the job's progress and stages by itself; the window shows it when an
// import starts and hides it when it ends.
class ImportProgressBar : public QWidget
{
    Q_OBJECT
public:
    explicit ImportProgressBar(ImportJob *job, QWidget *parent = nullptr);

    // An import of logs starts: from nothing read.
    void start();
    // A stage of no measure (the last rows, the indexes, the text index): its words, the bar busy.
    void showStage(const QString &text);
    // Cancel was asked for: the job stops at its next check.
    void showCancelling();
    // The cache of an older build is rewritten (Session::isOpeningCache()): the bar alone, busy.
    void showUpdatingCache(bool updating);

Q_SIGNALS:
    void cancelRequested();

private:
    void showProgress(qint64 done, qint64 total, double mbps, qint64 messages);

    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
};

} // namespace mailtrail
