// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioutput.h"

#include "clitable.h"
#include "csvwriter.h"
#include "rowformat.h"
#include "timeformat.h"
#include "timelineevents.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

// The columns of the human table, by their index in the export columns.
// first_seen, queue_id, sender, recipient, status, dsn, reply_code, attempts, relay, reason
const std::vector<TableColumn> DeliveryTable{{0, TimeWidth}, {3, 12}, {5, 28, Overflow::Cut}, {6, 28, Overflow::Cut},
                                             {8, 9}, {9, 6}, {10, 4}, {11, 3}, {12, 24, Overflow::Cut}, {13, 0}};
// first_seen, queue_id, sender, recipients, first_recipient, status, last_code, attempts, size, client
const std::vector<TableColumn> MessageTable{{0, TimeWidth}, {3, 12}, {5, 28, Overflow::Cut}, {6, 3},
                                            {7, 28, Overflow::Cut}, {8, 9}, {9, 4}, {10, 3}, {11, 8}, {12, 0}};
// time, program, kind, description
const std::vector<TableColumn> TimelineTable{{0, TimeWidth}, {1, 16}, {2, 15}, {3, 0}};

QString shown(const std::string &s)
{
    return visible(qs(s));
}

template<typename Row>
bool printGrain(const QString &format, bool raw, const QStringList &header, const std::vector<TableColumn> &table,
                QStringList (*fields)(const Row &), QJsonObject (*json)(const Row &),
                const std::function<bool(const std::function<bool(const Row &)> &)> &visit)
{
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return false;
    if (format == u"csv"_s) {
        CsvWriter csv(&out, !raw);
        csv.writeRow(header);
        return visit([&](const Row &r) { return csv.writeRow(fields(r)); });
    }
    if (format == u"json"_s) {
        bool first = true;
        out.write("[");
        const bool ok = visit([&](const Row &r) {
            out.write(first ? "\n" : ",\n");
            first = false;
            return out.write(QJsonDocument(json(r)).toJson(QJsonDocument::Compact)) > 0;
        });
        out.write(first ? "]\n" : "\n]\n");
        return ok;
    }
    QTextStream text(&out);
    const std::vector<TableColumn> columns = withHeaders(table, header);
    text << tableLine(header, columns) << '\n';
    std::int64_t n = 0;
    const bool ok = visit([&](const Row &r) {
        text << tableLine(fields(r), columns) << '\n';
        ++n;
        return true;
    });
    text << n << (n == 1 ? " row\n" : " rows\n");
    return ok;
}

} // namespace

bool printRows(Cache &cache, Grain grain, const Filter &filter, const QString &format, std::int64_t limit, bool raw)
{
    const Sort sort;
    if (grain == Grain::Deliveries) {
        return printGrain<DeliveryRow>(format, raw, deliveryHeader(), DeliveryTable, deliveryFields, deliveryJson,
                                       [&](const std::function<bool(const DeliveryRow &)> &v) {
                                           return cache.visitDeliveries(filter, sort, limit, v);
                                       });
    }
    return printGrain<MessageRow>(format, raw, messageHeader(), MessageTable, messageFields, messageJson,
                                  [&](const std::function<bool(const MessageRow &)> &v) {
                                      return cache.visitMessages(filter, sort, limit, v);
                                  });
}

bool printTimeline(Cache &cache, const std::vector<std::int64_t> &messageIds, const QString &format)
{
    QTextStream out(stdout);
    QJsonArray all;
    for (std::int64_t id : messageIds) {
        const std::optional<MessageDetail> detail = cache.detail(id);
        if (!detail)
            return false;
        const MessageRow &m = detail->message;
        const QList<TimelineEvent> events = timelineEvents(*detail);
        if (format == u"json"_s) {
            QJsonObject o = messageJson(m);
            QJsonArray evs;
            for (const TimelineEvent &e : events) {
                QJsonObject ev{{u"time"_s, e.available ? isoTime(e.timeMs, e.utcOffsetSec) : QString()},
                               {u"program"_s, e.program},
                               {u"kind"_s, QString::fromLatin1(kindName(e.kind))},
                               {u"text"_s, e.description},
                               {u"line"_s, e.rawLine}};
                if (e.delaySec >= 0)
                    ev.insert(u"delay"_s, e.delaySec);
                if (!e.delays.isEmpty())
                    ev.insert(u"delays"_s, e.delays);
                evs.append(ev);
            }
            QJsonArray dels;
            for (const DeliveryRow &d : detail->deliveries)
                dels.append(deliveryJson(d));
            o.insert(u"events"_s, evs);
            o.insert(u"deliveries"_s, dels);
            all.append(o);
            continue;
        }
        out << "Message " << (m.queueId.empty() ? u"(not queued)"_s : shown(m.queueId)) << " on " << shown(m.host);
        if (!m.messageId.empty())
            out << ", Message-ID <" << shown(m.messageId) << ">";
        out << "\n  from <" << shown(m.sender) << ">";
        if (m.size >= 0)
            out << ", " << m.size << " bytes";
        if (!m.clientIp.empty())
            out << ", client " << shown(m.clientHost) << "[" << shown(m.clientIp) << "]";
        out << ", " << stateName(m.state) << (m.open ? " (still in the queue at the end of the log)" : "") << "\n";
        if (!m.parentQueueId.empty())
            out << "  notification about message " << shown(m.parentQueueId) << "\n";
        for (const MessageRow &child : detail->children)
            out << "  caused message " << shown(child.queueId) << " (" << originName(child.origin) << ")\n";
        out << "\n";
        for (const TimelineEvent &e : events) {
            out << tableLine({e.available ? isoTime(e.timeMs, e.utcOffsetSec) : u"?"_s, e.program,
                              QString::fromLatin1(kindName(e.kind)), e.description},
                             TimelineTable)
                << "\n";
        }
        out << "\nDeliveries:\n";
        for (const DeliveryRow &d : detail->deliveries) {
            out << "  <" << shown(d.recipient) << "> " << statusName(d.status) << ", " << d.attempts
                << (d.attempts == 1 ? " attempt" : " attempts");
            if (d.replyCode)
                out << ", " << d.replyCode;
            if (!d.dsn.empty())
                out << " " << shown(d.dsn);
            if (!d.reason.empty())
                out << ": " << shown(d.reason);
            out << "\n";
        }
        out << "\n";
    }
    if (format == u"json"_s)
        out << QJsonDocument(all).toJson(QJsonDocument::Indented);
    return true;
}

} // namespace mailtrail::cli
