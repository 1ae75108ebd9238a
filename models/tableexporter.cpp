// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tableexporter.h"

#include "cachetablemodel.h"
#include "csvwriter.h"
#include "rowformat.h"

#include "cache/cache.h"

#include <QAbstractItemModel>
#include <QSaveFile>

#include <unordered_map>

namespace mailtrail {

namespace {
QString cell(const QAbstractItemModel &model, int row, int column, bool forExport)
{
    const QModelIndex index = model.index(row, column);
    if (forExport) {
        const QVariant value = index.data(CacheTableModel::ExportRole);
        if (value.isValid())
            return value.toString();
    }
    return index.data(Qt::DisplayRole).toString();
}
} // namespace

TableExporter::Result TableExporter::exportCsv(const QAbstractItemModel &model, const QList<int> &rows,
                                               const QList<int> &columns, const QString &path,
                                               const std::function<bool(qint64, qint64)> &progress)
{
    Result result;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return result;
    }
    CsvWriter csv(&file, true);
    QStringList header;
    for (int column : columns)
        header << model.headerData(column, Qt::Horizontal).toString();
    bool ok = csv.writeRow(header);
    const qint64 total = rows.isEmpty() ? model.rowCount() : rows.size();
    for (qint64 i = 0; ok && i < total; ++i) {
        const int row = rows.isEmpty() ? static_cast<int>(i) : rows.at(i);
        QStringList fields;
        fields.reserve(columns.size());
        for (int column : columns)
            fields << cell(model, row, column, true);
        ok = csv.writeRow(fields);
        if (progress && (i & 1023) == 0 && !progress(i, total)) {
            file.cancelWriting();
            result.error = QObject::tr("Export cancelled");
            result.cancelled = true;
            return result;
        }
        ++result.rows;
    }
    if (!ok || !file.commit()) {
        result.error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        result.rows = 0;
        return result;
    }
    result.ok = true;
    return result;
}

TableExporter::Result TableExporter::exportRows(const std::string &cachePath,
                                                const std::function<bool(Cache &, const std::function<bool(const QStringList &)> &)> &rows,
                                                const QStringList &header, const QString &path, std::atomic<qint64> *done,
                                                const std::atomic<bool> *cancel)
{
    Result result;
    Cache cache;
    if (!cache.open(cachePath, Cache::Mode::ReadOnly)) {
        result.error = QObject::tr("The rows could not be read: %1").arg(QString::fromStdString(cache.error()));
        return result;
    }
    cache.setBuildIndexesOnDemand(false);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return result;
    }
    CsvWriter csv(&file, true);
    bool written = csv.writeRow(header);
    cache.setInterruptFlag(cancel);
    const bool read = written && rows(cache, [&](const QStringList &fields) {
        if (cancel && cancel->load())
            return false;
        written = csv.writeRow(fields);
        ++result.rows;
        if (done && (result.rows & 1023) == 0)
            done->store(result.rows);
        return written;
    });
    cache.setInterruptFlag(nullptr);
    if (cancel && cancel->load()) {
        file.cancelWriting();
        result = {false, 0, QObject::tr("Export cancelled"), true};
        return result;
    }
    if (written && !read) {
        file.cancelWriting();
        result = {false, 0, QObject::tr("The rows could not be read: %1").arg(QString::fromStdString(cache.error()))};
        return result;
    }
    if (!written || !file.commit()) {
        result = {false, 0, QObject::tr("Cannot write %1: %2").arg(path, file.errorString())};
        return result;
    }
    if (done)
        done->store(result.rows);
    result.ok = true;
    return result;
}

QStringList TableExporter::grainHeader(Grain grain)
{
    if (grain == Grain::Messages)
        return messageHeader() << QStringLiteral("format");
    return deliveryHeader() << QStringLiteral("format") << deliveryLaterHeader();
}

std::function<bool(Cache &, const std::function<bool(const QStringList &)> &)> TableExporter::grainRows(Grain grain, Filter filter,
                                                                                                        Sort sort)
{
    return [grain, filter = std::move(filter), sort](Cache &cache, const std::function<bool(const QStringList &)> &write) {
        // The format of each file, read once, as the CLI's format column reads it.
        std::unordered_map<std::int64_t, QString> formats;
        for (const FileRow &f : cache.files())
            formats.emplace(f.id, qs(f.format));
        if (!cache.error().empty())
            return false;
        const auto formatOf = [&formats](std::int64_t fileId) {
            const auto it = formats.find(fileId);
            return it == formats.end() ? QString() : it->second;
        };
        if (grain == Grain::Messages) {
            return cache.visitMessages(filter, sort, -1, [&](const MessageRow &r) {
                return write(messageFields(r) << formatOf(r.fileId));
            });
        }
        return cache.visitDeliveries(filter, sort, -1, [&](const DeliveryRow &r) {
            return write(deliveryFields(r) << formatOf(r.fileId) << deliveryLaterFields(r));
        });
    };
}

QString TableExporter::toTsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns)
{
    QString text;
    for (int row : rows) {
        QStringList fields;
        for (int column : columns)
            fields << CsvWriter::formulaSafe(cell(model, row, column, false).replace(u'\t', u' ').replace(u'\n', u' '));
        text += fields.join(u'\t') + u'\n';
    }
    return text;
}

} // namespace mailtrail
