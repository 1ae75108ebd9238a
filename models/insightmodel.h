// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"
#include "insights/insight.h"
#include "logclock.h"

#include <QAbstractTableModel>

#include <vector>

namespace mailtrail {

// The insights fired over the opened history and, while following, as the logs grow: one row
// each, in the order they fired. Appended to, or replaced by a new replay; never edited.
class InsightModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Severity, Kind, Subject, Numbers, ColumnCount };
    enum Role {
        TimeMsRole = Qt::UserRole + 1,  // qint64, log time
        SeverityRole,                   // int, InsightSeverity
        KindRole,                       // int, InsightKind
        MessageCountRole,               // int, the messages it is about (at most Insight::MaxMessages)
    };

    explicit InsightModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(std::vector<Insight> insights);
    void clear();
    const Insight &insight(int row) const { return m_insights.at(static_cast<std::size_t>(row)); }

    // The logs' clock (Session::clock()): the Time column's text is in it, as every time of the
    // window and the table the insight's messages are in, whatever the viewer's zone.
    void setClock(const LogClock &clock);
    // The windows filterFor() widens the filter by: those the insights were counted over.
    void setThresholds(const InsightThresholds &thresholds) { m_thresholds = thresholds; }
    // The table's filter that shows the messages of the insight on `row`: exactly those it counted
    // (Filter::messageIds). An insight without a list of them (SASL failures belong to no
    // message), or with more than Insight::MaxMessages, gets its subject (a client IP, a recipient
    // domain) and the window it counted them in: a superset.
    Filter filterFor(int row) const;
    // The lines of a SASL insight (failed logins make no message): of its address, or of its
    // IPv4 /24 network ("158.24.101."); an IPv6 /64 cannot be told by its text, and gets every
    // client's lines of the run (networkExact false). For the time, filterFor(row)'s range.
    IncidentQuery incidentsFor(int row, bool *networkExact = nullptr) const;

    // "Bounced or deferred share", "Destination deferring"...: the kind for people.
    static QString kindTitle(InsightKind kind);

Q_SIGNALS:
    // Rows were appended: these are new (a view notifies of them while following).
    void fired(int first, int last);

private:
    std::vector<Insight> m_insights;
    InsightThresholds m_thresholds;
    LogClock m_clock;
};

} // namespace mailtrail
