// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"

#include <QAbstractTableModel>
#include <QThreadPool>

#include <vector>

namespace mailtrail {

// The lines about clients that belong to no message (SASL failures, client warnings, lost
// connections, screening) that a query asks for within a filter's time range, host and logs: what
// the Summary's security numbers count, one row each, with the log line itself. Read off the GUI
// thread; a newer request drops the answer to an older one.
class IncidentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, KindColumn, ClientColumn, IpColumn, UserColumn, DetailColumn, ColumnCount };
    enum Roles { LogLineRole = Qt::UserRole + 1 };
    // The rows one request shows at most: the first ones, in time order.
    static constexpr int Limit = 5000;

    explicit IncidentTableModel(QString cachePath, QObject *parent = nullptr);
    ~IncidentTableModel() override;

    void request(const Filter &filter, const IncidentQuery &query);
    bool isBusy() const { return m_busy; }
    QString error() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    // The incidents could not be read: why, in words (the rows before stay).
    void failed(const QString &error);

private:
    struct Row {
        IncidentLine line;
        QString logLine;  // as the log has it; "" when the log can no longer be read
    };
    QString m_cachePath;
    std::vector<Row> m_rows;
    QString m_error;
    bool m_busy = false;
    quint64 m_generation = 0;
    QThreadPool m_pool;  // one thread: its connection stays on it
};

} // namespace mailtrail
