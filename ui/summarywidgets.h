// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "summarymodel.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

#include <functional>

class QGridLayout;
class QLabel;
class QWidget;

namespace mailtrail {

// What the parts of the Summary build their rows from: headings, plain texts, and numbers that
// are links. Each link is kept under its name, so that a click (or a test) finds what it asks for.
class SummaryWidgets
{
    Q_DECLARE_TR_FUNCTIONS(mailtrail::SummaryWidgets)
public:
    // `owner` gives the palette; `activated` is called with a link's name when it is clicked.
    SummaryWidgets(QWidget *owner, std::function<void(const QString &)> activated);

    // Forgets the links of the content being replaced.
    void clear();
    QLabel *heading(const QString &text) const;
    QLabel *plain(const QString &text, bool wrap = false) const;
    QLabel *link(const QString &name, const QString &text, const SummaryLink &target, const QString &tip = {});
    // A link without a label of its own (a bar of a chart).
    void addTarget(const QString &name, const SummaryLink &target) { m_links.insert(name, target); }
    // A row of column names on row `row` of a list, from column 0: what each number counts.
    // Named "header:TABLE:COLUMN" (for tests).
    void headers(QGridLayout *grid, int row, const QString &table, const QStringList &names) const;
    // The italic header of a column of counts, whole, right-aligned over them as they stand.
    QLabel *countHeader(const QString &text) const;
    // A plain text that asks for no more width than its longest word and wraps in what its
    // column has.
    QLabel *wrapped(const QString &text) const;
    QString linkColor() const;

    const QHash<QString, SummaryLink> &links() const { return m_links; }
    QLabel *label(const QString &name) const { return m_labels.value(name); }

private:
    QWidget *m_owner;
    std::function<void(const QString &)> m_activated;
    QHash<QString, SummaryLink> m_links;
    QHash<QString, QLabel *> m_labels;
};

namespace summary {

QString number(qint64 n);
// SI units, as size= in the log reads (3300 bytes are 3.3 kB).
QString bytes(qint64 n);
// A time as the log's clock showed it then, to the second.
QString logTime(const Stats &s, qint64 ms);
bool isDark(const QPalette &p);
SummaryLink statusLink(const QString &statuses);
SummaryLink textLink(const QString &text, const QString &status = {});
SummaryLink rangeLink(qint64 since, qint64 until);
// The rows with a try that failed (deferred, bounced, rejected) in [since, until), as the status
// chart's segments of those outcomes count them: what the problems of a time are.
SummaryLink failedTriesLink(qint64 since, qint64 until);
// The rejected recipients of a client IP: those of its messages with a rejected recipient
// (SummaryModel::rejectedMessagesByClient), in the Deliveries table.
SummaryLink clientRejectsLink(const std::map<std::string, std::vector<std::int64_t>> &byClient, const QString &ip);
// All the lines of a client that sent no message the table lists (SASL failures, lost
// connections): the incidents view.
SummaryLink clientLinesLink(const QString &ip);

} // namespace summary

} // namespace mailtrail
