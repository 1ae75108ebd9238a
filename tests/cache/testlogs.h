// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"
#include "cache/linecodec.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"
#include "olderlayout.h"
#include "ingest/ingestor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <tuple>
#include <utime.h>
#include <vector>
#include <zlib.h>

// Helpers shared by the cache suites: logs written into a temporary folder, with a chosen
// modification time so year inference is deterministic.
namespace testlogs {

inline QByteArray flow(const char *name)
{
    QFile f(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", name);
    return f.readAll();
}

// A flow cut in two after its first `lines` lines: a log and the one that follows it.
inline std::pair<QByteArray, QByteArray> splitFlow(const char *name, int lines)
{
    const QByteArray data = flow(name);
    qsizetype cut = 0;
    for (int i = 0; i < lines && cut >= 0; ++i)
        cut = data.indexOf('\n', cut) + 1;
    if (cut <= 0)
        qFatal("%s has fewer than %d lines", name, lines);
    return {data.left(cut), data.mid(cut)};
}

// `copies` copies of a flow one after the other, each queue id in `ids` replaced in copy i by
// the hex form of its base + i, so every copy is a message of its own.
inline QByteArray repeatedFlow(const char *name, int copies, const QList<std::pair<QByteArray, qint64>> &ids)
{
    const QByteArray one = flow(name);
    QByteArray data;
    data.reserve(one.size() * copies);
    for (int i = 0; i < copies; ++i) {
        QByteArray copy = one;
        for (const auto &[queueId, base] : ids)
            copy.replace(queueId, QByteArray::number(base + i, 16).toUpper());
        data += copy;
    }
    return data;
}

// 2026-11-22 12:00 UTC: after every line of the flows, same year.
constexpr time_t FlowMtime = 1795348800;

inline std::string write(const QTemporaryDir &dir, const QString &name, const QByteArray &data, bool append = false)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(append ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(data);
    f.close();
    utimbuf times{FlowMtime, FlowMtime};
    ::utime(path.toLocal8Bit().constData(), &times);
    return path.toStdString();
}

inline std::string writeGzip(const QTemporaryDir &dir, const QString &name, const QByteArray &data, int cutBytes = 0)
{
    const QString path = dir.filePath(name);
    gzFile gz = gzopen(path.toLocal8Bit().constData(), "wb");
    gzwrite(gz, data.constData(), static_cast<unsigned>(data.size()));
    gzclose(gz);
    if (cutBytes > 0) {
        QFile f(path);
        f.open(QIODevice::ReadWrite);
        f.resize(f.size() - cutBytes);
    }
    utimbuf times{FlowMtime, FlowMtime};
    ::utime(path.toLocal8Bit().constData(), &times);
    return path.toStdString();
}


// Turns a cache this build wrote into one of an older build's layout (2 to 12): what the tests of
// migrations and of reading old caches as they are start from.
// What a layout-13 build wrote: each message's lines with a file id each, the 64-bit FNV-1a of its
// Message-ID, no reply standing for its recipient, and a message's Message-ID and client as text
// (the replies made text here, as a layout 13 reads them).
inline void toLayout13(mailtrail::sql::Database &db)
{
    db.exec(ToLayout13);
    mailtrail::sql::Statement read(db, "SELECT id, lines, message_id FROM messages");
    mailtrail::sql::Statement update(db, "UPDATE messages SET lines = ?2, message_id_hash = ?3 WHERE id = ?1");
    std::vector<std::tuple<std::int64_t, std::string, std::optional<std::int64_t>>> rows;
    while (read.step()) {
        std::optional<std::int64_t> hash;
        if (!read.isNull(2))
            hash = mailtrail::searchkeys::fnv1a(read.text(2));
        rows.emplace_back(read.int64(0), mailtrail::linecodec::encodeEachLine(mailtrail::linecodec::decode(read.blob(1))), hash);
    }
    for (const auto &[id, lines, hash] : rows) {
        update.bind(1, id).bindBlob(2, lines);
        if (hash)
            update.bind(3, *hash);
        else
            update.bindNull(3);
        update.run();
    }
}

inline void toOlderLayout(mailtrail::sql::Database &db, int version)
{
    // The statistics the imports kept name the layout they were kept in.
    if (mailtrail::sql::Statement(db, "SELECT 1 FROM sqlite_master WHERE name = 'stats_snapshot'").step())
        db.exec(("UPDATE stats_snapshot SET layout = " + std::to_string(version)).c_str());
    toLayout13(db);
    if (version == 13)
        return;
    db.exec(ToLayout12);
    if (version == 12)
        return;
    db.exec(ToLayout11);
    if (version == 11)
        return;
    db.exec(ToLayout10);
    if (version == 10)
        return;
    db.exec(ToLayout9);
    if (version == 9)
        return;
    db.exec(ToLayout8);
    if (version == 8)
        return;
    db.exec(ToLayout7);
    if (version == 7)
        return;
    db.exec(ToLayout6);
    if (version == 6)
        return;
    if (version == 5) {
        db.exec(ToLayout5);
        return;
    }
    db.exec(ToLayout4);
    if (version < 3)
        db.exec("DROP TABLE message_files");
    if (version < 4)
        db.exec("DROP TABLE file_programs");
    db.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
}

inline std::int64_t countAll(mailtrail::Cache &cache, mailtrail::Grain grain = mailtrail::Grain::Messages)
{
    return cache.count(grain, mailtrail::Filter{});
}

// A "log" column with a row per real log the project has: the bundled sample and every golden log
// of each format.
inline void addRealLogRows()
{
    QTest::addColumn<QString>("log");
    QTest::newRow("sample") << QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log");
    for (const char *folder : {"postfix", "exim", "sendmail"}) {
        const QDir dir(QStringLiteral(MAILTRAIL_TEST_DATA "/") + QLatin1String(folder) + QStringLiteral("/golden"));
        for (const QString &name : dir.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

// A cache made in `dir` (c.sqlite) with `logs` imported, and closed again for the window or a
// SummaryModel to open: its path, or empty if the import failed.
inline QString importedCache(const QTemporaryDir &dir, const std::vector<std::string> &logs)
{
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    mailtrail::Cache cache;
    if (!cache.open(path.toStdString()) || !mailtrail::Ingestor::import(cache, logs).ok())
        return {};
    return path;
}

// `cache`, opened in `dir`, with `log` imported (its year-less lines in 2026).
inline bool importOne(mailtrail::Cache &cache, const QTemporaryDir &dir, const QString &log)
{
    mailtrail::ImportOptions options;
    options.year = 2026;
    return cache.open(dir.filePath(QStringLiteral("c.sqlite")).toStdString()) &&
           mailtrail::Ingestor::import(cache, {log.toStdString()}, options).ok();
}

} // namespace testlogs
