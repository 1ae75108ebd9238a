// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachereader.h"

#include "cache/filter.h"
#include "cache/stats.h"

#include <QAbstractTableModel>

#include <vector>

namespace mailtrail {

// The lines about clients that belong to no message (SASL failures, client warnings, lost
// connections, screening) that a query asks for within a filter's time range, host and logs: what
// the Summary's security numbers count, one row each, with the log line itself. Read off the GUI
// thread a page at a time (fetchMore() reads the next); a newer request drops the answer to an
// older one.
class IncidentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, KindColumn, ClientColumn, IpColumn, UserColumn, DetailColumn, ColumnCount };
    enum Roles { LogLineRole = Qt::UserRole + 1 };
    // The rows one page holds: the lines are re-read from the logs, which takes a while for many.
    static constexpr int PageSize = 5000;

    explicit IncidentTableModel(QString cachePath, QObject *parent = nullptr);

    void request(const Filter &filter, const IncidentQuery &query);
    bool isBusy() const { return m_busy; }
    QString error() const { return m_error; }
    // Whether there are more lines than the rows hold (the next page is read on fetchMore()).
    bool hasMore() const { return m_hasMore; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    // A page of rows came in (the first one of a request, or the next).
    void loaded();
    // The incidents could not be read: why, in words (the rows before stay).
    void failed(const QString &error);

private:
    struct Row {
        IncidentLine line;
        QString logLine;  // as the log has it; "" when the log can no longer be read
    };
    struct Page {
        std::vector<Row> rows;
        bool more = false;
    };
    void readPage(std::int64_t skip);

    Filter m_filter;
    IncidentQuery m_query;
    std::vector<Row> m_rows;
    QString m_error;
    bool m_busy = false;
    bool m_hasMore = false;
    CacheReader m_reader;
};

} // namespace mailtrail
