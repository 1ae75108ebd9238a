// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "cache/filter.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace mailtrail {

// The words of an import in the status bar: its progress while it runs, then what it did and what
// it could not read. Plain data in, words out: the window shows them, and they are tested without one.
class ImportStatus
{
    Q_DECLARE_TR_FUNCTIONS(ImportStatus)
public:
    // "Importing: 12 of 80 MB, 40 MB/s, 1,234 messages" (bytes in, megabytes said).
    static QString progress(qint64 doneBytes, qint64 totalBytes, double mbps, qint64 messages);
    // Every line is read: the last rows are written.
    static QString finishing();
    static QString starting();
    static QString waitingForOtherImport(qint64 pid);
    // After the rows: the indexes for filtering and sorting (schema::createDeferredIndexes).
    static QString buildingIndexes();
    static QString indexingText();
    static QString cancelling();
    // The end of a job that only completed the text index.
    static QString textIndexed(bool complete);
    // A text searched for before the text index holds every message.
    static QString textIndexPartial();
    // "The logs open hold N messages.": the summary's last word, the count the filter bar says;
    // "The log open holds" with one log on show (`logs`; 0 unknown, said as several).
    static QString held(qint64 total, Grain grain, qsizetype logs);

    // What an import did, in words.
    struct Summary {
        // Nothing to say: a follow's wake-up that read no line (the log touched, half a line
        // still being written); the status bar stays as it was.
        bool quiet = false;
        QString message;       // what it did, in one line
        QString held;          // held() as `message` says it; empty: it does not say it
        QStringList problems;  // logs not read, one a line
        QStringList partly;    // logs read up to a point (what was read is open)

        // The message with the logs not read and read in part, for the status bar.
        QString shown() const;
        // The logs not read and read in part, under their headings; empty when all were read.
        QStringList details() const;
    };
    // `foldersAsked`: the folders the import was asked to open (each named if it held no log);
    // `byFollow`: a follow's wake-up started it, not the user; `total`: the rows the table now
    // counts in `grain`, in `logs` logs on show.
    static Summary summarize(const ImportSummary &summary, const QStringList &foldersAsked, bool byFollow, qint64 total,
                             Grain grain, qsizetype logs);

    // The files given that were not read for having the content of another one of the same
    // import (a copy, a link, mail.log.1 beside its .gz: FileImport::sameAs), each with that one:
    // "Skipped mail.log.1: the same content as mail.log.1.gz."; empty for none.
    static QString skippedCopies(const ImportSummary &summary);

private:
    static QString linesRead(const ImportSummary &summary);
};

} // namespace mailtrail
