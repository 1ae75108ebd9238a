// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "changeprinter.h"

#include "clitable.h"
#include "csvwriter.h"
#include "rowformat.h"
#include "timeformat.h"
#include "correlation/records.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

namespace {

// The follow table: the time of the change first, then the deliveries table's columns.
// time, queue_id, format, sender, recipient, status, dsn, reply_code, attempts, relay, reason
const std::vector<TableColumn> FollowTable{{0, TimeWidth}, {4, 12}, {15, 8}, {6, 28, Overflow::Cut},
                                           {7, 28, Overflow::Cut}, {9, 9}, {10, 6}, {11, 4}, {12, 3},
                                           {13, 24, Overflow::Relay}, {14, 0}};

// The rows of one arrival on one host: the cache's own filter, answered from its time index.
Filter arrivalOf(const std::string &host, std::int64_t firstSeenMs)
{
    Filter f;
    f.sinceMs = firstSeenMs;
    f.untilMs = firstSeenMs + 1;
    f.host = host;
    return f;
}

bool readFromItsStart(FileImport::Action action)
{
    return action == FileImport::Action::New || action == FileImport::Action::Replaced ||
           action == FileImport::Action::Reread;
}

} // namespace

ChangePrinter::ChangePrinter(Cache &cache, const Filter &filter, const QString &format, bool raw)
    : m_cache(cache)
    , m_filter(filter)
    , m_format(format)
    , m_raw(raw)
{
    m_out.open(stdout, QIODevice::WriteOnly);
    m_header = deliveryHeader();
    m_header.prepend(u"time"_s);
    m_header << FormatColumn::Name << deliveryLaterHeader();
}

bool ChangePrinter::rowsBefore(const MessageRecord &m, std::vector<DeliveryRow> &rows)
{
    // Opened once the cache exists (the first import makes it); its reads never wait for the
    // import, which holds no lock a reader needs.
    if (!m_beforeOpen) {
        m_before.setBuildIndexesOnDemand(false);  // the import holds the lock an index build takes
        m_beforeOpen = m_before.open(m_cache.path(), Cache::Mode::ReadOnly);
    }
    if (!m_beforeOpen)
        return false;
    return m_before.visitDeliveries(arrivalOf(m.host, m.firstSeenMs), Sort{}, -1, [&](const DeliveryRow &row) {
        if (row.queueId == m.queueId)
            rows.push_back(row);
        return true;
    });
}

void ChangePrinter::observe(const MessageRecord &m)
{
    if (!m_printing)
        return;
    std::vector<DeliveryRow> before;
    if (!rowsBefore(m, before))
        before.clear();
    Changed changed{m.dbId, m.fileId, m.host, m.firstSeenMs, {}, {}};
    for (std::size_t i = 0; i < m.deliveries.size(); ++i) {
        const DeliveryRecord &d = m.deliveries[i];
        if (d.status == DeliveryStatus::None)
            continue;
        const int index = static_cast<int>(i);
        const auto sameState = [&d](const DeliveryRow &r) {
            return r.status == d.status && r.attempts == d.attempts && r.replyCode == d.replyCode;
        };
        const auto own = std::find_if(before.begin(), before.end(), [&](const DeliveryRow &r) {
            return r.messageDbId == m.dbId && r.index == index;
        });
        if (own != before.end()) {
            // A message continued: its own row says what was printed of it last.
            if (!sameState(*own))
                changed.indexes.push_back(index);
            continue;
        }
        changed.indexes.push_back(index);
        const bool twin = std::any_of(before.begin(), before.end(), [&](const DeliveryRow &r) {
            return r.index == index && r.recipient == d.recipient && r.sender == m.sender && sameState(r);
        });
        if (twin)
            changed.twins.push_back(index);
    }
    if (changed.indexes.empty())
        return;
    // Written twice by one import (open, then finished): printed once, as the cache ends.
    const auto known = std::find_if(m_pending.begin(), m_pending.end(), [&m](const Changed &c) { return c.dbId == m.dbId; });
    if (known == m_pending.end()) {
        m_pending.push_back(std::move(changed));
        return;
    }
    for (int index : changed.indexes) {
        if (std::find(known->indexes.begin(), known->indexes.end(), index) == known->indexes.end())
            known->indexes.push_back(index);
    }
}

bool ChangePrinter::flush(const ImportSummary &summary)
{
    std::vector<std::int64_t> fromTheStart;
    for (const FileImport &f : summary.files) {
        if (readFromItsStart(f.action))
            fromTheStart.push_back(f.fileId);
    }
    bool ok = true;
    if (!m_pending.empty()) {
        const FormatColumn formats(m_cache);  // read per batch: a rotation brings new logs
        for (Changed &c : m_pending) {
            // A message of a log read again from its start that the cache had as it is now was
            // printed when it was first read; elsewhere a twin is another message that looks alike.
            if (std::find(fromTheStart.begin(), fromTheStart.end(), c.fileId) != fromTheStart.end()) {
                std::erase_if(c.indexes, [&c](int i) { return std::find(c.twins.begin(), c.twins.end(), i) != c.twins.end(); });
            }
            if (!c.indexes.empty())
                ok = printMessage(c, formats) && ok;
        }
    }
    m_pending.clear();
    m_out.flush();  // stdout into a pipe is block-buffered: each batch goes out at once
    return ok;
}

bool ChangePrinter::printMessage(const Changed &c, const FormatColumn &formats)
{
    // The user's filter, narrowed to this message's arrival.
    Filter f = m_filter;
    if (c.firstSeenMs < f.sinceMs || c.firstSeenMs >= f.untilMs || (!f.host.empty() && f.host != c.host))
        return true;
    const Filter arrival = arrivalOf(c.host, c.firstSeenMs);
    f.sinceMs = arrival.sinceMs;
    f.untilMs = arrival.untilMs;
    f.host = arrival.host;
    return m_cache.visitDeliveries(f, Sort{}, -1, [&](const DeliveryRow &row) {
        if (row.messageDbId == c.dbId && std::find(c.indexes.begin(), c.indexes.end(), row.index) != c.indexes.end())
            print(row, formats.of(row.fileId));
        return true;
    });
}

void ChangePrinter::print(const DeliveryRow &row, const QString &format)
{
    const QString time = isoTime(row.lastSeenMs, row.utcOffsetSec);
    if (m_format == u"jsonl"_s) {
        QJsonObject o = deliveryJson(row);
        o.insert(FormatColumn::Name, format);
        o.insert(u"time"_s, time);
        m_out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        return;
    }
    QStringList fields = deliveryFields(row);
    fields.prepend(time);
    fields << format << deliveryLaterFields(row);
    if (m_format == u"csv"_s) {
        CsvWriter csv(&m_out, !m_raw);
        if (!m_headerDone)
            csv.writeRow(m_header);
        csv.writeRow(fields);
    } else {
        const std::vector<TableColumn> columns = withHeaders(FollowTable, m_header);
        if (!m_headerDone)
            m_out.write((tableLine(m_header, columns) + u'\n').toUtf8());
        m_out.write((tableLine(fields, columns) + u'\n').toUtf8());
    }
    m_headerDone = true;
}

} // namespace mailtrail::cli
