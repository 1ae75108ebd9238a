// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "logclock.h"

#include <QDialog>

#include <vector>

class QTableWidget;

namespace mailtrail {

// What is open in the window: each log with its format, time span, lines and lines not
// understood; Close puts the selected ones away, Close All every one.
class OpenLogsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { LogColumn, FormatColumn, FromColumn, ToColumn, LinesColumn, UnknownColumn, ColumnCount };

    // `clock`: the window's (Session::clock()), in which the spans are shown.
    OpenLogsDialog(const std::vector<FileRow> &logs, const LogClock &clock, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    // The logs (their paths) to put away from the window.
    void closeRequested(const QStringList &paths);

private:
    void closeSelected();

    QTableWidget *m_table;
};

} // namespace mailtrail
