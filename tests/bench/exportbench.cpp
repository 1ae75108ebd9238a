// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-exportbench --cache FILE [--out DIR] [--runs N]
//
// Times File > Export All Filtered Rows as the window runs it (TableExporter::exportRows with the
// table model's rowsExport: one pass over the order's index, on a connection of its own), for
// every column the table sorts by, per message and per delivery, and prints each order's time
// against time order's: the issue asks for at most 2x in any order.
#include "deliverytablemodel.h"
#include "messagetablemodel.h"
#include "tableexporter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto value = [&args](const QString &name, const QString &fallback) {
        const qsizetype at = args.indexOf(name);
        return at > 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    const QString cachePath = value(u"--cache"_s, QString());
    if (cachePath.isEmpty()) {
        std::fprintf(stderr, "usage: mailtrail-exportbench --cache FILE [--out DIR] [--runs N]\n");
        return 2;
    }
    const QString out = QDir(value(u"--out"_s, QDir::tempPath())).filePath(u"mailtrail-exportbench.csv"_s);
    const int runs = std::max(1, value(u"--runs"_s, u"3"_s).toInt());
    auto cache = std::make_shared<Cache>();
    // Every order the window offers once its import job is done (no-op when they exist).
    if (!cache->open(cachePath.toStdString()) || !cache->ensureDeferredIndexes()) {
        std::fprintf(stderr, "exportbench: %s\n", cache->error().c_str());
        return 3;
    }
    std::printf("%-11s %-12s %10s %9s %8s\n", "grain", "order", "rows", "seconds", "x time");
    for (const Grain grain : {Grain::Messages, Grain::Deliveries}) {
        std::unique_ptr<CacheTableModel> model;
        if (grain == Grain::Messages)
            model = std::make_unique<MessageTableModel>(cache);
        else
            model = std::make_unique<DeliveryTableModel>(cache);
        QList<int> columns;
        QStringList header;
        for (int c = 0; c < model->columnCount(); ++c) {
            columns << c;
            header << model->headerData(c, Qt::Horizontal).toString();
        }
        double timeOrder = 0;
        for (int column = 0; column < model->columnCount(); ++column) {
            if (!model->canSortBy(column))
                continue;
            model->sort(column, Qt::AscendingOrder);
            std::vector<double> seconds;
            qint64 rows = 0;
            for (int run = 0; run < runs; ++run) {
                QElapsedTimer clock;
                clock.start();
                const TableExporter::Result result = TableExporter::exportRows(cachePath.toStdString(), model->rowsExport(columns),
                                                                               header, out);
                seconds.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e9);
                if (!result.ok) {
                    std::fprintf(stderr, "exportbench: %s\n", qPrintable(result.error));
                    return 1;
                }
                rows = result.rows;
            }
            std::sort(seconds.begin(), seconds.end());
            const double median = seconds[seconds.size() / 2];
            if (column == 0)
                timeOrder = median;  // the Time column comes first in both grains
            std::printf("%-11s %-12s %10lld %9.2f %8.2f\n", grain == Grain::Messages ? "messages" : "deliveries",
                        qPrintable(header.at(column)), static_cast<long long>(rows), median,
                        timeOrder > 0 ? median / timeOrder : 0.0);
            std::fflush(stdout);
        }
    }
    QFile::remove(out);
    return 0;
}
