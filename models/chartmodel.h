// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cachereader.h"
#include "logclock.h"

#include "cache/cache.h"

#include <QAbstractTableModel>

namespace mailtrail {

// The status chart's series: one row per time bucket, one column per group (an outcome, or one
// of the top reply codes plus "other"), each cell the number of delivery tries. Read off the GUI
// thread; a newer request supersedes an older one.
class ChartModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles {
        BucketStartRole = Qt::UserRole + 1,  // qint64 epoch ms (vertical header)
        BucketEndRole,                       // qint64 epoch ms (vertical header)
        SeriesKeyRole,                       // QString: "delivered", "550", "5.7.1", "" (no reply), "other"
    };
    static inline const QString OtherKey = QStringLiteral("other");
    // Of the reply-code stacking: delivered without a reply code (Postfix's local, pipe, virtual;
    // Sendmail and Exim log none for any delivery), as the cache keys it
    // (charttries::DeliveredNoReplyName); "" is a try that was not delivered and got none.
    static inline const QString DeliveredNoReplyKey = QStringLiteral("delivered-no-reply");
    static constexpr int TopCodes = 7;

    // The bucketed table, built from the cache's per-minute cells; a pure function, for tests.
    struct Table {
        qint64 bucketMs = 60000;
        QList<qint64> starts;  // bucket starts, aligned on the logs' clock; the last bucket ends at `end`
        qint64 end = 0;
        QStringList keys;      // the columns
        QList<QList<qint64>> counts;  // [bucket][key]
        // The codes "other" holds in each bucket, with their tries, the most first: [bucket].
        QList<QList<QPair<QString, qint64>>> others;
        // And in the whole range, the most first (what its legend entry stands for).
        QList<QPair<QString, qint64>> othersInRange;
    };
    // `lo`/`hi`: the time range on show (the data's own extent when the filter has none). Buckets
    // start at round times of `clock` (the logs' own, as the table shows their times).
    // `keepOther`: the filter is on the codes of "Other" (Filter::triedAs, a list), whose legend
    // entry then stays to switch it off, even when the rows it narrowed to have few codes.
    static Table build(const ChartData &data, ChartGroup group, qint64 lo, qint64 hi, const LogClock &clock = {},
                       bool keepOther = false);
    // The bucket for a span: minute, 5 minutes, hour, day, week, month or year, so that there are
    // at most ~150 bars (weeks, months and years are of the calendar; `bucketMs` names them by
    // their nominal length: 7, 30, 365 days).
    static qint64 bucketFor(qint64 spanMs);
    // Where time `ms` is on the axis of bars: bar i spans i - 0.5 to i + 0.5 from its bucket's
    // start to its end (months and DST days are not of one length), clamped to the bars.
    static double barPosition(const Table &table, qint64 ms);

    explicit ChartModel(QString cachePath, QObject *parent = nullptr);

    // Reads the chart for this filter (scope included) in the background.
    void request(const Filter &filter);
    void setGroup(ChartGroup group);
    // The clock of the logs on show (Session::clock()): buckets and their texts follow it.
    void setClock(const LogClock &clock);
    const LogClock &clock() const { return m_clock; }
    // Bucket `bucket`'s span in the logs' clock, as the hover shows it: "2026-11-22 08:00 – 09:00".
    QString bucketText(int bucket) const;
    ChartGroup group() const { return m_group; }
    bool isBusy() const { return m_busy; }
    QString error() const { return m_error; }
    const Table &table() const { return m_table; }
    // The filter of the last request, scope included.
    const Filter &filter() const { return m_filter; }

    // The filter narrowed to one bucket and one column: its time range, and its outcome or code
    // (of "Other", any of the codes it holds there).
    Filter filterFor(Filter base, int bucket, int column) const;
    // The filter with this column's outcome or code switched on or off.
    Filter toggled(Filter base, int column) const;
    // Whether the filter asks for this column's outcome or code (its legend entry looks on).
    bool isSelected(const Filter &filter, int column) const;
    // Waits for the running request (tests, benchmarks).
    void waitForIdle();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void busyChanged(bool busy);
    // The chart could not be read: why, in words; the chart shows it instead of bars.
    void failed(const QString &error);
    void updated();

private:
    // Filter::triedAs for a try of any of these codes of the chart's group.
    std::string anyOf(const QList<QPair<QString, qint64>> &codes) const;
    void start();
    static QStringList statusesOf(const QString &outcome);

    ChartGroup m_group = ChartGroup::Outcome;
    LogClock m_clock;
    Filter m_filter;
    Table m_table;
    QString m_error;
    bool m_busy = false;
    // A newer request supersedes the running one: its query stops within milliseconds instead of
    // holding the reader's one thread for seconds, and its answer is dropped.
    CacheReader m_reader;
};

} // namespace mailtrail
