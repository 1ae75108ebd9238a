// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "timelineevents.h"

#include <QAbstractTableModel>

namespace mailtrail {

// Everything that happened to one message, one row per event in time order: its arrival, queueing,
// every delivery attempt per recipient (lane), bounce notices, removal. Feeds the timeline widget,
// the attempts table and the raw-log pane.
class TimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        RecipientColumn,
        EventColumn,
        StatusColumn,
        CodeColumn,
        RelayColumn,
        DelayColumn,  // delay=; its tooltip says where the time went (delays=)
        TextColumn,
        ColumnCount
    };
    enum Roles {
        TimeMsRole = Qt::UserRole + 1,  // qint64 epoch ms
        LaneRole,                       // int: delivery index (recipient lane), -1 for message-level events
        KindRole,                       // int: EventKind
        StatusRole,                     // int: DeliveryStatus of an attempt, 0 otherwise
        ReplyCodeRole,                  // int
        DsnRole,                        // QString
        CountedRole,                    // bool: a real try (false for "delivery temporarily suspended")
        RawLineRole,                    // QString: the log line as written, empty if unavailable
        UtcOffsetRole,                  // int seconds: the zone the line was written in
        RetryRole,                      // int: of a deferred message back in the active queue, the retry (TimelineEvent::retry)
    };

    explicit TimelineModel(QObject *parent = nullptr);
    ~TimelineModel() override;

    // Loads a message from the cache file in the background (re-reading its raw lines can mean
    // inflating a large .gz); loaded() follows. A newer request supersedes an older one.
    void loadMessage(const QString &cachePath, qint64 messageId);

    // Shows this message; `events` are its raw lines re-read and parsed (timelineEvents()).
    void setMessage(const MessageDetail &detail, const QList<TimelineEvent> &events);
    void clear();

    const MessageDetail &detail() const { return m_detail; }
    // A lane per recipient of each hop of a chain, the first hop's first.
    int laneCount() const { return static_cast<int>(m_lanes.size()); }
    QString laneName(int lane) const;
    // Each hop of a chain is a stage of its own: its lanes start when it arrived (the first hop's
    // at the left edge), and the Message lane runs hop by hop, from each hop's arrival to its last
    // message-level event, with the filter's hand-over between them. One hop for other mail.
    int hopCount() const { return static_cast<int>(m_hops.size()); }
    int laneHop(int lane) const { return lane >= 0 && lane < m_laneHops.size() ? m_laneHops.at(lane) : 0; }
    struct HopSpan {
        qint64 startMs = 0;  // the hop's arrival (the first hop's first event)
        qint64 endMs = 0;    // its last message-level event (its start, if none)
    };
    HopSpan hopSpan(int hop) const { return hop >= 0 && hop < m_hops.size() ? m_hops.at(hop) : HopSpan{}; }
    // All raw lines, in log order, for the raw-log pane.
    QStringList rawLines() const;

    // One sentence on the outcome and what to do, from the worst recipient's reply.
    QString outcomeExplanation() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded(qint64 messageId);
    void loadFailed(const QString &error);

private:
    struct Entry {
        qint64 timeMs = 0;
        int utcOffsetSec = 0;
        int lane = -1;
        EventKind kind = EventKind::Unknown;
        DeliveryStatus status = DeliveryStatus::None;
        int replyCode = 0;
        QString dsn;
        QString relay;
        QString text;
        QString rawLine;
        double delaySec = -1;
        QString delays;
        // When the delay says the message arrived before its first line here (a deferred message
        // whose arrival is in an older log): that moment, else 0.
        qint64 arrivedMs = 0;
        bool counted = true;
        qsizetype lineOrder = -1;  // position of its raw line in the log, to order same-time events
        int hop = 0;               // of a chain (TimelineEvent::hop)
        int retry = 0;             // TimelineEvent::retry
        bool hopStart = false;
    };
    // A lane per recipient of `hop`, named by its final address ("alice via info@lab.test").
    void addLanes(const MessageDetail &hop, int hopIndex, bool chain, const QList<std::pair<qsizetype, TimelineEvent>> &deliveryLines);
    void addAttempts(const MessageDetail &hop, int hopIndex, int firstLane,
                     QList<std::pair<qsizetype, TimelineEvent>> &deliveryLines);
    MessageDetail m_detail;
    QStringList m_lanes;  // names of the lanes
    QList<int> m_laneHops;  // the hop of each lane
    QList<HopSpan> m_hops;
    QList<Entry> m_entries;
    QStringList m_rawLines;
    quint64 m_generation = 0;
};

} // namespace mailtrail
