// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "importstatus.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
QString fileName(const std::string &path)
{
    return QFileInfo(QString::fromStdString(path)).fileName();
}

// The names of two files, told apart: their paths where their names are one (a copy of mail.log
// in another folder).
std::pair<QString, QString> namesApart(const std::string &a, const std::string &b)
{
    const QString na = fileName(a), nb = fileName(b);
    if (na != nb)
        return {na, nb};
    return {QString::fromStdString(a), QString::fromStdString(b)};
}
}

QString ImportStatus::progress(qint64 doneBytes, qint64 totalBytes, double mbps, qint64 messages)
{
    return (messages == 1 ? tr("Importing: %L1 of %L2 MB, %L3 MB/s, %4 message") : tr("Importing: %L1 of %L2 MB, %L3 MB/s, %4 messages"))
        .arg(doneBytes / 1000000)
        .arg(totalBytes / 1000000)
        .arg(mbps, 0, 'f', 0)
        .arg(QLocale().toString(messages));
}

QString ImportStatus::finishing()
{
    return tr("Every line is read; writing the last rows…");
}

QString ImportStatus::starting()
{
    return tr("Importing…");
}

QString ImportStatus::waitingForOtherImport(qint64 pid)
{
    return pid > 0 ? tr("Waiting for another import into this cache (pid %1)…").arg(pid)
                   : tr("Waiting for another import into this cache…");
}

QString ImportStatus::buildingIndexes()
{
    return tr("Building indexes for filtering and sorting…");
}

QString ImportStatus::indexingText()
{
    return tr("Indexing text for search…");
}

QString ImportStatus::cancelling()
{
    return tr("Cancelling…");
}

QString ImportStatus::textIndexed(bool complete)
{
    return complete ? tr("Free-text search now covers every message.")
                    : tr("Indexing text was stopped; free-text search is partial.");
}

QString ImportStatus::textIndexPartial()
{
    return tr("Free-text search covers the messages indexed so far; indexing the rest…");
}

QString ImportStatus::held(qint64 total, Grain grain, qsizetype logs)
{
    const bool deliveries = grain == Grain::Deliveries;
    if (logs == 1) {
        if (total == 1)
            return deliveries ? tr("The log open holds 1 delivery.") : tr("The log open holds 1 message.");
        return (deliveries ? tr("The log open holds %1 deliveries.") : tr("The log open holds %1 messages."))
            .arg(QLocale().toString(total));
    }
    if (total == 1)
        return deliveries ? tr("The logs open hold 1 delivery.") : tr("The logs open hold 1 message.");
    return (deliveries ? tr("The logs open hold %1 deliveries.") : tr("The logs open hold %1 messages."))
        .arg(QLocale().toString(total));
}

QString ImportStatus::Summary::shown() const
{
    // A log that could not be read is named in the window, not only in a dialog or on stderr;
    // first, as the status bar cuts the line's end away in a narrow window (its tooltip says
    // it whole): what went wrong, then the count of what was imported.
    // A sentence each: the errors come as the system words them, with a full stop or without.
    const auto sentence = [](const QString &text) {
        return text.endsWith(u'.') || text.endsWith(u'!') || text.endsWith(u'?') ? text : text + u'.';
    };
    QStringList words;
    if (!problems.isEmpty())
        words << sentence(tr("Not read: %1").arg(problems.join(u"; "_s)));
    if (!partly.isEmpty())
        words << sentence(tr("Partly read: %1").arg(partly.join(u"; "_s)));
    if (!message.isEmpty())
        words << message;
    return words.join(u' ');
}

QStringList ImportStatus::Summary::details() const
{
    QStringList lines;
    if (!problems.isEmpty())
        lines << tr("Not read:") << problems;
    if (!partly.isEmpty())
        lines << tr("Partly read:") << partly;
    return lines;
}

QString ImportStatus::linesRead(const ImportSummary &summary)
{
    const QString seconds = QLocale().toString(summary.seconds, 'f', 1);
    QString text = summary.lines == 1 ? tr("Imported 1 line in %1 s.").arg(seconds)
                                      : tr("Imported %L1 lines in %2 s.").arg(summary.lines).arg(seconds);
    std::uint64_t unknown = 0;
    std::map<std::string, std::uint64_t> others;
    for (const FileImport &f : summary.files) {
        unknown += f.unknownLines;
        for (const ProgramLines &p : f.otherPrograms)
            others[p.program] += p.lines;
    }
    // As the CLI says it: a log of junk must not look like a log of nothing, and lines of
    // dovecot or amavis must not look like lines the parser failed on.
    if (unknown > 0)
        text += u' ' + tr("%Ln of them not understood.", nullptr, static_cast<int>(unknown));
    if (!others.empty()) {
        std::vector<std::pair<std::string, std::uint64_t>> top(others.begin(), others.end());
        std::stable_sort(top.begin(), top.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        std::uint64_t total = 0;
        QStringList names;
        for (const auto &[program, lines] : top) {
            total += lines;
            if (names.size() < 3)
                names << tr("%1 %L2").arg(QString::fromStdString(program)).arg(static_cast<qulonglong>(lines));
        }
        if (top.size() > 3)
            names << tr("…");
        text += u' ' + tr("%Ln from other programs (%1).", nullptr, static_cast<int>(total)).arg(names.join(u", "_s));
    }
    return text;
}

QString ImportStatus::skippedCopies(const ImportSummary &summary)
{
    std::vector<const FileImport *> copies;
    for (const FileImport &f : summary.files)
        if (!f.sameAs.empty())
            copies.push_back(&f);
    if (copies.empty())
        return {};
    if (copies.size() == 1) {
        const auto [name, same] = namesApart(copies.front()->path, copies.front()->sameAs);
        return tr("Skipped %1: the same content as %2.").arg(name, same);
    }
    // A folder of rotations with their compressed twins: a few named, the rest counted (the
    // status line cuts a long one, and hundreds of names say no more than their number).
    constexpr std::size_t Named = 3;
    QStringList names;
    for (std::size_t i = 0; i < std::min(copies.size(), Named); ++i) {
        const auto [name, same] = namesApart(copies[i]->path, copies[i]->sameAs);
        names << tr("%1 (same as %2)").arg(name, same);
    }
    if (copies.size() > Named)
        names << tr("and %L1 more").arg(static_cast<qulonglong>(copies.size() - Named));
    return tr("Skipped %L1 files with the same content as another one given: %2.")
        .arg(static_cast<qulonglong>(copies.size()))
        .arg(names.join(u", "_s));
}

ImportStatus::Summary ImportStatus::summarize(const ImportSummary &summary, const QStringList &foldersAsked, bool byFollow,
                                              qint64 total, Grain grain, qsizetype logs)
{
    Summary words;
    // Said in words, not as "Imported 0 lines": a file with nothing in it, a folder without files.
    QStringList nothingIn;
    for (const QString &asked : foldersAsked) {
        // As given: "/tmp/logs/" is /tmp/logs, whose files are not under "/tmp/logs//".
        const QString folder = QDir::cleanPath(asked);
        const std::string prefix = QString(folder + u'/').toStdString();
        if (std::none_of(summary.files.begin(), summary.files.end(), [&prefix](const FileImport &f) { return f.path.starts_with(prefix); }))
            nothingIn << tr("The folder %1 holds no log files.").arg(QFileInfo(folder).fileName());
    }
    for (const FileImport &f : summary.files)
        if (f.action == FileImport::Action::Empty)
            nothingIn << tr("%1 is empty.").arg(fileName(f.path));
    if (!summary.ok())
        words.problems << QString::fromStdString(summary.error);
    for (const FileImport &f : summary.files) {
        if (f.action == FileImport::Action::Failed || !f.error.empty())
            words.problems << tr("%1: %2").arg(fileName(f.path), QString::fromStdString(f.error));
        else if (f.endedEarly)
            words.partly << tr("%1: the compressed file is cut short; everything before the cut was imported").arg(fileName(f.path));
    }
    if (byFollow && summary.lines == 0 && summary.ok() && !summary.cancelled && summary.warning.empty() &&
        words.problems.isEmpty() && words.partly.isEmpty()) {
        words.quiet = true;
        return words;
    }
    const bool nothingNew = std::all_of(summary.files.begin(), summary.files.end(), [](const FileImport &f) {
        return f.action == FileImport::Action::Unchanged || f.action == FileImport::Action::Renamed;
    });
    if (summary.cancelled && summary.undone)
        words.message = tr("Import cancelled while every log was read again in time order: the cache is as it was.");
    else if (summary.cancelled)
        words.message = summary.lines == 1 ? tr("Import cancelled: 1 line read; what was read is kept.")
                                           : tr("Import cancelled: %L1 lines read; what was read is kept.").arg(summary.lines);
    else if (nothingNew && !summary.files.empty())
        words.message = QString(tr("Already imported and unchanged: shown from the cache.") + u' ' + skippedCopies(summary)).trimmed();
    else if (summary.lines == 0 && !nothingIn.isEmpty()) {
        words.held = held(total, grain, logs);
        words.message = nothingIn.join(u' ') + u' ' + words.held;
    } else {
        words.message = linesRead(summary);
        if (!nothingIn.isEmpty())
            words.message += u' ' + nothingIn.join(u' ');
        // The CLI says "same content as X, skipped"; the window said nothing, and a file dropped
        // looked read (trial20).
        if (const QString skipped = skippedCopies(summary); !skipped.isEmpty())
            words.message += u' ' + skipped;
        // The count the table shows: the progress line counted messages while they were still
        // being joined, and must not be the last word. The table counts again after the import
        // (off the GUI thread): the window puts that number here as it comes, as in the filter bar.
        words.held = held(total, grain, logs);
        words.message += u' ' + words.held;
    }
    if (!summary.warning.empty())
        words.message += u' ' + QString::fromStdString(summary.warning);
    return words;
}

} // namespace mailtrail
