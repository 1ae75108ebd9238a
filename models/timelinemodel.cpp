// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinemodel.h"

#include "replycodes.h"
#include "rowformat.h"
#include "timeformat.h"

#include "cache/cache.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace mailtrail {

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

TimelineModel::~TimelineModel() = default;

void TimelineModel::loadMessage(const QString &cachePath, qint64 messageId)
{
    const quint64 generation = ++m_generation;
    struct Loaded {
        std::optional<MessageDetail> detail;
        QList<TimelineEvent> events;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, generation, messageId] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;  // the user has clicked another message since
        const Loaded result = watcher->result();
        if (!result.detail) {
            Q_EMIT loadFailed(result.error);
            return;
        }
        setMessage(*result.detail, result.events);
        Q_EMIT loaded(messageId);
    });
    watcher->setFuture(QtConcurrent::run([path = cachePath.toStdString(), messageId] {
        Loaded out;
        Cache cache;  // a connection of this thread's own: SQLite connections stay on one thread
        if (!cache.open(path, Cache::Mode::ReadOnly)) {
            out.error = QString::fromStdString(cache.error());
            return out;
        }
        out.detail = cache.detail(messageId);
        if (out.detail)
            out.events = timelineEvents(*out.detail);
        else
            out.error = QString::fromStdString(cache.error());
        return out;
    }));
}

QString TimelineModel::outcomeExplanation() const
{
    // Each distinct code of the message's recipients, the one that decided its state (the worst,
    // as MessageRecord ranks them) first: a message bounced for one recipient and deferred for
    // another needs both explained.
    // Of a chain, the recipients' final deliveries: not the hand-overs to the next hop.
    std::vector<const DeliveryRow *> byStatus;
    for (const DeliveryRow &d : m_detail.deliveries) {
        if (!d.toNextHop)
            byStatus.push_back(&d);
    }
    for (const MessageDetail &hop : m_detail.laterHops) {
        for (const DeliveryRow &d : hop.deliveries) {
            if (!d.toNextHop)
                byStatus.push_back(&d);
        }
    }
    if (byStatus.empty())
        return m_detail.message.open ? tr("Accepted and queued; no delivery attempt in the log yet.") : QString();
    std::stable_sort(byStatus.begin(), byStatus.end(), [](const DeliveryRow *a, const DeliveryRow *b) {
        return static_cast<int>(a->status) > static_cast<int>(b->status);
    });
    // Line by line: a local delivery (2.0.0, no reply) and a remote one (2.0.0, 250) share a line.
    QStringList explained;
    for (const DeliveryRow *d : byStatus) {
        const Outcome outcome = d->status == DeliveryStatus::Expired    ? Outcome::GaveUp
                                : d->status == DeliveryStatus::Rejected ? Outcome::Refused
                                                                        : Outcome::Pending;
        const QString text = explainCodes(d->replyCode, qs(d->dsn), outcome);
        for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
            if (!explained.contains(line))
                explained << line;
        }
    }
    return explained.join(u'\n');
}

void TimelineModel::clear()
{
    ++m_generation;  // a message still loading is no longer wanted
    beginResetModel();
    m_detail = {};
    m_entries.clear();
    m_rawLines.clear();
    m_lanes.clear();
    m_laneHops.clear();
    m_hops.clear();
    endResetModel();
}

void TimelineModel::setMessage(const MessageDetail &detail, const QList<TimelineEvent> &events)
{
    beginResetModel();
    m_detail = detail;
    m_entries.clear();
    m_rawLines.clear();
    m_lanes.clear();
    m_laneHops.clear();
    m_hops.clear();
    // Message-level events come from the raw lines; attempts from the cache, which has them even
    // when the log file has gone. Each attempt's raw line is matched to it by time and recipient.
    QList<std::pair<qsizetype, TimelineEvent>> deliveryLines;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const TimelineEvent &e = events.at(i);
        if (!e.hopStart)
            m_rawLines << e.rawLine;
        if (e.kind == EventKind::Delivery || e.kind == EventKind::Reject) {
            deliveryLines.push_back({i, e});
            continue;
        }
        if (!e.available)
            continue;
        Entry entry;
        entry.timeMs = e.timeMs;
        entry.utcOffsetSec = e.utcOffsetSec;
        entry.kind = e.kind;
        entry.text = e.description;
        entry.rawLine = e.rawLine;
        entry.lineOrder = i;
        entry.hop = e.hop;
        entry.retry = e.retry;
        entry.hopStart = e.hopStart;
        m_entries << entry;
    }
    // The lanes of a later hop are named after its queue id: its recipients are mostly the first
    // hop's again.
    const bool chain = !detail.laterHops.empty();
    addLanes(detail, 0, chain, deliveryLines);
    addAttempts(detail, 0, 0, deliveryLines);
    for (std::size_t h = 0; h < detail.laterHops.size(); ++h) {
        const MessageDetail &hop = detail.laterHops[h];
        const auto first = static_cast<int>(m_lanes.size());
        addLanes(hop, static_cast<int>(h) + 1, true, deliveryLines);
        addAttempts(hop, static_cast<int>(h) + 1, first, deliveryLines);
    }
    // Hop by hop; then time; within the same millisecond (syslog has whole seconds) the order of
    // the log.
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) {
        if (a.hop != b.hop)
            return a.hop < b.hop;
        if (a.timeMs != b.timeMs)
            return a.timeMs < b.timeMs;
        // Events whose line is gone go last among equals.
        const auto rank = [](const Entry &e) { return e.lineOrder < 0 ? std::numeric_limits<qsizetype>::max() : e.lineOrder; };
        return rank(a) < rank(b);
    });
    // Postfix's delay= counts from the message's arrival, which for a message deferred before
    // this log began is not the "queued" this log shows first (22 h for a try 30 s after it).
    // A minute's slack: delay= is rounded, syslog keeps whole seconds.
    qint64 hopFirstMs = 0;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (i == 0 || e.hop != m_entries.at(i - 1).hop)
            hopFirstMs = e.timeMs;
        const auto delayMs = static_cast<qint64>(e.delaySec * 1000);
        if (e.delaySec >= 0 && delayMs > e.timeMs - hopFirstMs + 60000)
            e.arrivedMs = e.timeMs - delayMs;
    }
    // The stages: a later hop starts at its arrival (its "hop" event), not at the first hop's, and
    // ends at its last message-level event (session 17's trial: the second hop's lanes started
    // with the first hop, and the Message lane ran both hops' events together).
    m_hops.resize(static_cast<qsizetype>(detail.laterHops.size()) + 1);
    for (qsizetype h = 1; h < m_hops.size(); ++h)
        m_hops[h].startMs = m_hops[h].endMs = detail.laterHops[static_cast<std::size_t>(h - 1)].message.firstSeenMs;
    m_hops[0].startMs = m_hops[0].endMs = m_entries.isEmpty() ? detail.message.firstSeenMs : m_entries.first().timeMs;
    for (const Entry &e : std::as_const(m_entries)) {
        if (e.hop < 0 || e.hop >= m_hops.size())
            continue;
        HopSpan &span = m_hops[e.hop];
        span.startMs = std::min(span.startMs, e.timeMs);
        if (e.lane < 0)
            span.endMs = std::max(span.endMs, e.timeMs);
    }
    endResetModel();
}

void TimelineModel::addLanes(const MessageDetail &hop, int hopIndex, bool chain, const QList<std::pair<qsizetype, TimelineEvent>> &deliveryLines)
{
    for (const DeliveryRow &d : hop.deliveries) {
        // A recipient an alias took elsewhere is named by where it went: Exim's row and Postfix's
        // have the address reached and orig_to= (an Exim file or pipe keeps the envelope
        // recipient's: "=> /dev/null <faq@x>"), the last try's line says where (the cache does not).
        const QString recipient = qs(d.recipient);
        QString via = qs(d.origRecipient);
        QString name = recipient;
        for (const auto &[order, line] : deliveryLines) {
            if (via.isEmpty() && line.hop == hopIndex && !line.expandedTo.isEmpty() && line.timeMs == d.lastSeenMs &&
                line.rawLine.contains(recipient)) {
                name = line.expandedTo;
                via = recipient;
            }
        }
        // Not "root@mx1.example.com via root": the same mailbox, its domain added.
        if (!via.isEmpty() && via.compare(name, Qt::CaseInsensitive) != 0 && !name.startsWith(via + u'@', Qt::CaseInsensitive))
            name = tr("%1 via %2").arg(name, via);
        m_lanes << name + (chain ? u" · "_s + qs(hop.message.queueId) : QString());
        m_laneHops << hopIndex;
    }
}

void TimelineModel::addAttempts(const MessageDetail &hop, int hopIndex, int firstLane,
                                QList<std::pair<qsizetype, TimelineEvent>> &deliveryLines)
{
    for (const AttemptRow &a : hop.attempts) {
        Entry entry;
        entry.timeMs = a.timeMs;
        entry.utcOffsetSec = hop.message.utcOffsetSec;
        entry.lane = a.deliveryIndex + firstLane;
        entry.kind = a.status == DeliveryStatus::Rejected ? EventKind::Reject : EventKind::Delivery;
        entry.status = a.status;
        entry.replyCode = a.replyCode;
        entry.dsn = qs(a.dsn);
        entry.relay = qs(a.relay);
        entry.text = qs(a.replyText);
        entry.counted = a.counted;
        entry.delaySec = a.delaySec;
        entry.hop = hopIndex;
        const QString recipient = a.deliveryIndex >= 0 && static_cast<std::size_t>(a.deliveryIndex) < hop.deliveries.size()
            ? qs(hop.deliveries[static_cast<std::size_t>(a.deliveryIndex)].recipient)
            : QString();
        for (qsizetype i = 0; i < deliveryLines.size(); ++i) {
            const auto &[order, line] = deliveryLines.at(i);
            if (line.hop == hopIndex && line.timeMs == a.timeMs && line.rawLine.contains(recipient)) {
                entry.rawLine = line.rawLine;
                entry.utcOffsetSec = line.utcOffsetSec;
                entry.lineOrder = order;
                // The cache keeps no delays= parts (and no delay for a single try): the line has them.
                if (line.delaySec >= 0)
                    entry.delaySec = line.delaySec;
                entry.delays = line.delays;
                deliveryLines.removeAt(i);
                break;
            }
        }
        m_entries << entry;
    }
}

QString TimelineModel::laneName(int lane) const
{
    if (lane < 0 || lane >= laneCount())
        return {};
    return m_lanes.at(lane);
}

QStringList TimelineModel::rawLines() const
{
    return m_rawLines;
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case TimeMsRole: return e.timeMs;
    case LaneRole: return e.lane;
    case KindRole: return static_cast<int>(e.kind);
    case StatusRole: return static_cast<int>(e.status);
    case ReplyCodeRole: return e.replyCode;
    case DsnRole: return e.dsn;
    case CountedRole: return e.counted;
    case RawLineRole: return e.rawLine;
    case UtcOffsetRole: return e.utcOffsetSec;
    case RetryRole: return e.retry;
    case Qt::ToolTipRole:
        if (index.column() == CodeColumn || index.column() == StatusColumn)
            return explainCodes(e.replyCode, e.dsn,
                                e.status == DeliveryStatus::Rejected ? Outcome::Refused : Outcome::Pending);
        if (index.column() == DelayColumn && e.delaySec >= 0 && e.arrivedMs != 0)
            return tr("%1.\nCounted from the message's arrival, at about %2: before the first line this log has of it "
                      "(it was deferred in an older log).")
                .arg(describeDelay(e.delaySec, e.delays, true), tableTime(e.arrivedMs, e.utcOffsetSec));
        if (index.column() == DelayColumn && e.delaySec >= 0)
            return describeDelay(e.delaySec, e.delays, true);
        return e.rawLine.isEmpty() ? QVariant() : QVariant(e.rawLine);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case TimeColumn: return tableTime(e.timeMs, e.utcOffsetSec);
    case RecipientColumn: return laneName(e.lane);
    case EventColumn:
        // A recipient delivered without a try of its own (Exim delivers an address once, under
        // the alias that led to it too) is not a suspension.
        if (e.kind == EventKind::Delivery && !e.counted)
            return e.status == DeliveryStatus::Sent ? u"sent, no line of its own"_s : u"suspended (not tried)"_s;
        if (e.hopStart)
            return u"hop"_s;
        if (e.retry > 0)
            return u"retry"_s;
        return QString::fromLatin1(kindName(e.kind));
    case StatusColumn: return e.lane >= 0 ? QString::fromLatin1(statusName(e.status)) : QString();
    case CodeColumn: {
        QString code = e.replyCode ? QString::number(e.replyCode) : QString();
        if (!e.dsn.isEmpty())
            code += (code.isEmpty() ? u""_s : u" "_s) + e.dsn;
        return code;
    }
    case RelayColumn: return e.relay;
    case DelayColumn:
        return e.arrivedMs != 0 ? tr("%1 since arrival, before this log").arg(describeDelay(e.delaySec)) : describeDelay(e.delaySec);
    case TextColumn: return e.text;
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case RecipientColumn: return tr("Recipient");
    case EventColumn: return tr("Event");
    case StatusColumn: return tr("Status");
    case CodeColumn: return tr("Code");
    case RelayColumn: return tr("Relay");
    case DelayColumn: return tr("Delay");
    case TextColumn: return tr("Reply / details");
    }
    return {};
}

} // namespace mailtrail
