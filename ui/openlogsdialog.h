// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "logclock.h"
#include "session.h"

#include <QDialog>

#include <vector>

class QTableWidget;

namespace mailtrail {

// What is open in the window: each log with its format, the servers whose mail it holds, time
// span, lines, lines not understood and lines of other programs (dovecot, amavis…); Close puts the selected ones away, Close All every one.
class OpenLogsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { LogColumn, FormatColumn, HostsColumn, FromColumn, ToColumn, LinesColumn, UnknownColumn, OtherColumn, ColumnCount };

    // `clock`: the window's (Session::clock()), in which the spans are shown.
    OpenLogsDialog(const std::vector<OpenLog> &logs, const LogClock &clock, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    // The logs to put away from the window: their paths, and the cache's ids of their files (a
    // rotated log's old content is on show by id, not by a path opened).
    void closeRequested(const QStringList &paths, const QList<qint64> &fileIds);

private:
    void closeSelected();

    QTableWidget *m_table;
};

} // namespace mailtrail
