// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "formatcolumn.h"

#include "cache/cache.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace mailtrail {
struct MessageRecord;
}

namespace mailtrail::cli {

// Prints, for `mailtrail-cli follow`, the deliveries whose status, reply or number of tries an
// import changed, as the cache has them once it committed: `time` (of the change), then the
// columns of `deliveries` (format last) in csv and jsonl, or a table.
//
// What changed is judged against the cache as the last commit left it, read through a connection
// of its own while the import writes (SQLite shows it the committed rows until the next commit):
// so a message that a later batch continues prints only the recipients whose status changed, and
// a log read again from its start (replaced, truncated and rewritten, every log read again in time
// order) prints none of the deliveries the cache already had in the same state, whatever row ids
// they are written under now. A delivery is the same when its message arrived at the same time on
// the same host, with the same queue id and sender, and it is the same recipient at the same place.
class ChangePrinter
{
public:
    ChangePrinter(Cache &cache, const Filter &filter, const QString &format, bool raw);

    // Off during the first import of the logs: what they held before the follow is not news.
    void setPrinting(bool on) { m_printing = on; }
    // Sees each message an import writes (Ingestor's observer), before the import commits.
    void observe(const MessageRecord &m);
    // The import was undone or failed: nothing it changed is in the cache.
    void discard() { m_pending.clear(); }
    // Prints the changes of the import that just committed, as the cache has them. False when the
    // cache could not be read (cache.error() says why).
    bool flush(const ImportSummary &summary);

private:
    struct Changed {
        std::int64_t dbId = 0;
        std::int64_t fileId = 0;  // of its first line
        std::string host;
        std::int64_t firstSeenMs = 0;
        std::vector<int> indexes;  // its deliveries to print
        // Of those, the ones the cache held in the same state under another row: printed already,
        // unless the file the message starts in was not read from its start (two messages alike).
        std::vector<int> twins;
    };

    // The rows the cache held before this import of the message's host and arrival, with its
    // queue id; false when they could not be read (then every delivery counts as changed).
    bool rowsBefore(const MessageRecord &m, std::vector<DeliveryRow> &rows);
    bool printMessage(const Changed &c, const FormatColumn &formats);
    void print(const DeliveryRow &row, const QString &format);

    Cache &m_cache;
    Cache m_before;  // read-only: the cache as the last commit left it
    bool m_beforeOpen = false;
    Filter m_filter;
    QString m_format;
    bool m_raw = false;
    bool m_printing = false;
    bool m_headerDone = false;
    QFile m_out;
    QStringList m_header;
    std::vector<Changed> m_pending;
};

} // namespace mailtrail::cli
