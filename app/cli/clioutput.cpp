// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioutput.h"

#include "cellformat.h"
#include "clitable.h"
#include "cliwords.h"
#include "csvwriter.h"
#include "formatcolumn.h"
#include "rowformat.h"
#include "timeformat.h"
#include "timelineevents.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

// The columns of the human table, by their index in the export columns (with the format last).
// first_seen, queue_id, format, sender, recipient, status, dsn, reply_code, attempts, relay, reason
const std::vector<TableColumn> DeliveryTable{{0, TimeWidth}, {3, 12}, {14, 8}, {5, 28, Overflow::Cut},
                                             {6, 28, Overflow::Cut}, {8, 9}, {9, 6}, {10, 4}, {11, 3},
                                             {12, 24, Overflow::Relay}, {13, 0}};
// first_seen, queue_id, format, sender, recipients, first_recipient, status, last_code, attempts, size, hops, client
const std::vector<TableColumn> MessageTable{{0, TimeWidth}, {3, 12}, {17, 8}, {5, 28, Overflow::Cut}, {6, 3},
                                            {7, 28, Overflow::Cut}, {8, 9}, {9, 4}, {10, 3}, {11, 8}, {16, 4}, {12, 0}};
// time, program, kind, description
const std::vector<TableColumn> TimelineTable{{0, TimeWidth}, {1, 16}, {2, 15}, {3, 0}};

QString shown(const std::string &s)
{
    return visible(qs(s));
}

// The client as the window's table shows it: Postfix's "unknown[192.0.2.7]" (no name found for
// the address) is its address, a named one "name [address]"; the export keeps the log's words
// in client and client_ip.
void clientAsShown(const MessageRow &r, QStringList &fields)
{
    constexpr qsizetype Client = 12;
    if (fields.size() > Client)
        fields[Client] = cellformat::client(r.clientHost, r.clientIp);
}

// The export columns of a grain, `format` after them and the columns added since after that:
// appended, so that a script reading the CSV by position finds every older column where it was.
template<typename Row>
struct Columns {
    QStringList header;
    QStringList (*fields)(const Row &);
    QJsonObject (*json)(const Row &);
    const FormatColumn &formats;
    QStringList laterHeader;
    QStringList (*laterFields)(const Row &);
    // The human table's cells where they differ from the export's (null: none do).
    void (*shownInTable)(const Row &, QStringList &) = nullptr;

    QStringList headerWithFormat() const { return QStringList(header) << FormatColumn::Name << laterHeader; }
    QStringList fieldsOf(const Row &r) const { return fields(r) << formats.of(r.fileId) << laterFields(r); }
    QStringList tableFieldsOf(const Row &r) const
    {
        QStringList f = fieldsOf(r);
        if (shownInTable)
            shownInTable(r, f);
        return f;
    }
    QJsonObject jsonOf(const Row &r) const
    {
        QJsonObject o = json(r);
        o.insert(FormatColumn::Name, formats.of(r.fileId));
        return o;
    }
};

template<typename Row>
bool printGrain(const QString &format, bool raw, const Columns<Row> &columnsOf, const std::vector<TableColumn> &table,
                const std::function<bool(const std::function<bool(const Row &)> &)> &visit)
{
    const QStringList header = columnsOf.headerWithFormat();
    const auto fields = [&columnsOf](const Row &r) { return columnsOf.fieldsOf(r); };
    const auto json = [&columnsOf](const Row &r) { return columnsOf.jsonOf(r); };
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
    // The widths of the columns printed whole (times, ids, codes) come from their content: Exim
    // 4.97's ids are 23 characters, Postfix's long ones 15 or so. The first rows are held back to
    // measure them; a later wider value still pushes its line's columns right.
    constexpr std::size_t Measured = 1000;
    QTextStream text(&out);
    std::vector<TableColumn> columns = withHeaders(table, header);
    std::vector<QStringList> held;
    std::int64_t n = 0;
    const auto flush = [&] {
        for (TableColumn &c : columns) {
            if (c.overflow != Overflow::Widen)
                continue;
            for (const QStringList &row : held)
                c.width = std::max(c.width, static_cast<int>(visible(row.value(c.field)).size()));
        }
        text << tableLine(header, columns) << '\n';
        for (const QStringList &row : held)
            text << tableLine(row, columns) << '\n';
        held.clear();
    };
    bool measuring = true;
    const bool ok = visit([&](const Row &r) {
        ++n;
        if (measuring) {
            held.push_back(columnsOf.tableFieldsOf(r));
            if (held.size() == Measured) {
                flush();
                measuring = false;
            }
            return true;
        }
        text << tableLine(columnsOf.tableFieldsOf(r), columns) << '\n';
        return true;
    });
    if (measuring)
        flush();
    text << n << (n == 1 ? " row\n" : " rows\n");
    return ok;
}

} // namespace

bool printRows(Cache &cache, Grain grain, const Filter &filter, const QString &format, std::int64_t limit, bool raw,
               std::int64_t *printed)
{
    const Sort sort;
    const FormatColumn formats(cache);
    std::int64_t n = 0;
    bool ok = false;
    if (grain == Grain::Deliveries) {
        ok = printGrain<DeliveryRow>(format, raw, {deliveryHeader(), deliveryFields, deliveryJson, formats, deliveryLaterHeader(),
                                                        deliveryLaterFields},
                                     DeliveryTable, [&](const std::function<bool(const DeliveryRow &)> &v) {
                                         return cache.visitDeliveries(filter, sort, limit, [&](const DeliveryRow &r) {
                                             ++n;
                                             return v(r);
                                         });
                                     });
    } else {
        ok = printGrain<MessageRow>(format, raw, {messageHeader(), messageFields, messageJson, formats, {},
                                                  [](const MessageRow &) { return QStringList(); }, clientAsShown},
                                    MessageTable,
                                    [&](const std::function<bool(const MessageRow &)> &v) {
                                        return cache.visitMessages(filter, sort, limit, [&](const MessageRow &r) {
                                            ++n;
                                            return v(r);
                                        });
                                    });
    }
    if (printed)
        *printed = n;
    return ok;
}

namespace {

QJsonObject timelineJson(const MessageDetail &detail)
{
    QJsonObject o = messageJson(detail.message);
    QJsonArray evs;
    for (const TimelineEvent &e : timelineEvents(detail, false)) {
        QJsonObject ev{{u"time"_s, e.available ? isoTime(e.timeMs, e.utcOffsetSec) : QString()},
                       {u"program"_s, e.program},
                       {u"kind"_s, timelineKindName(e)},
                       {u"text"_s, e.description},
                       {u"line"_s, e.rawLine}};
        if (e.delaySec >= 0)
            ev.insert(u"delay"_s, e.delaySec);
        if (!e.delays.isEmpty())
            ev.insert(u"delays"_s, e.delays);
        evs.append(ev);
    }
    QJsonArray dels;
    for (const DeliveryRow &d : detail.deliveries)
        dels.append(deliveryJson(d));
    o.insert(u"events"_s, evs);
    o.insert(u"deliveries"_s, dels);
    return o;
}

// One hop's story; `title` names the hop of a chain ("hop 2 of 2: ..."), empty for a message alone.
void printMessage(QTextStream &out, const MessageDetail &detail, const QString &title)
{
    const MessageRow &m = detail.message;
    if (!title.isEmpty())
        out << "== " << visible(title) << "\n";
    // An Exim main log names no host.
    out << clauses({u"Message "_s + (m.queueId.empty() ? u"(not queued)"_s : shown(m.queueId)) +
                        (m.host.empty() ? QString() : u" on "_s + shown(m.host)),
                    m.messageId.empty() ? QString() : u"Message-ID <"_s + shown(m.messageId) + u'>'})
        << "\n  "
        << clauses({u"from <"_s + shown(m.sender) + u'>', m.size >= 0 ? counted(m.size, u"byte", u"bytes") : QString(),
                    m.clientIp.empty() ? QString() : u"client "_s + shown(m.clientHost) + u'[' + shown(m.clientIp) + u']',
                    QString::fromLatin1(stateName(m.state)) +
                        (m.open ? u" (still in the queue at the end of the log)"_s : QString())})
        << "\n";
    if (!m.saslUser.empty())
        out << "  authenticated as " << shown(m.saslUser) << " (" << shown(m.saslMethod) << ")\n";
    if (!m.tlsIn.empty())
        out << "  received over " << shown(m.tlsIn) << "\n";
    if (!m.verdicts.empty())
        out << "  verdicts: " << shown(m.verdicts) << "\n";
    if (!m.parentQueueId.empty())
        out << "  notification about message " << shown(m.parentQueueId) << "\n";
    for (const MessageRow &child : detail.children)
        out << "  caused message " << shown(child.queueId) << " (" << originName(child.origin) << ")\n";
    out << "\n";
    for (const TimelineEvent &e : timelineEvents(detail, false)) {
        out << tableLine({e.available ? isoTime(e.timeMs, e.utcOffsetSec) : u"?"_s, e.program,
                          timelineKindName(e), e.description},
                         TimelineTable)
            << "\n";
    }
    out << "\nDeliveries:\n";
    for (const DeliveryRow &d : detail.deliveries) {
        // A refusal that named no recipient (a client refused at connect, every RCPT refused) is
        // our server's refusal of the client or the envelope, not a recipient "<>".
        if (d.recipient.empty() && d.status == DeliveryStatus::Rejected) {
            out << "  no recipient: refused here" << (m.clientIp.empty() ? QString() : u" (client "_s + shown(m.clientIp) + u')');
        } else {
            out << "  <" << shown(d.recipient) << "> " << (d.toNextHop ? "handed to the next hop" : statusName(d.status))
                << ", " << counted(d.attempts, u"attempt", u"attempts");
        }
        if (d.replyCode)
            out << ", " << d.replyCode;
        if (!d.dsn.empty())
            out << (d.replyCode ? " " : ", ") << shown(d.dsn);
        if (!d.reason.empty())
            out << ": " << shown(d.reason);
        if (!d.tls.empty())
            out << " [" << shown(d.tls) << "]";
        out << "\n";
    }
    out << "\n";
}

} // namespace

bool printTimeline(Cache &cache, const std::vector<std::int64_t> &messageIds, const QString &format)
{
    QTextStream out(stdout);
    QJsonArray all;
    for (std::int64_t id : messageIds) {
        const std::optional<MessageDetail> detail = cache.detail(id);
        if (!detail)
            return false;
        // The first hop of a chain: every hop, in order.
        const int hops = static_cast<int>(detail->laterHops.size()) + 1;
        if (format == u"json"_s) {
            QJsonObject o = timelineJson(*detail);
            if (hops > 1) {
                QJsonArray later;
                for (const MessageDetail &hop : detail->laterHops)
                    later.append(timelineJson(hop));
                o.insert(u"later_hops"_s, later);
            }
            all.append(o);
            continue;
        }
        printMessage(out, *detail, hops > 1 ? hopTitle(detail->message, 0, hops) : QString());
        for (int i = 1; i < hops; ++i) {
            const MessageDetail &hop = detail->laterHops[static_cast<std::size_t>(i - 1)];
            printMessage(out, hop, hopTitle(hop.message, i, hops));
        }
    }
    if (format == u"json"_s)
        out << QJsonDocument(all).toJson(QJsonDocument::Indented);
    return true;
}

} // namespace mailtrail::cli
