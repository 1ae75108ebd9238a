// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/stats.h"

#include <QCoreApplication>

#include <functional>
#include <map>
#include <vector>

class QBoxLayout;
class QGridLayout;
class QVBoxLayout;

namespace mailtrail {

class SummaryWidgets;

// The Security part of the Summary: SASL authentication failures (the total, by client and by
// username), relay-access denials and RBL hits with first and last seen; and, into a layout of
// its own that the view puts after the reasons, the clients that misbehaved without a message
// (lost connections, screening). A count of lines that belong to no message opens those lines.
class SummarySecurity
{
    Q_DECLARE_TR_FUNCTIONS(mailtrail::SummarySecurity)
public:
    // `rejects`: the messages with a rejected recipient by client IP (SummaryModel's), which the
    // counts of relay denials and RBL hits list.
    SummarySecurity(SummaryWidgets &widgets, QVBoxLayout *layout, const Stats &stats,
                    const std::map<std::string, std::vector<std::int64_t>> &rejects);

    void add(QBoxLayout *clients);
    // One list under the other instead of two side by side (a narrow window).
    void setNarrow(bool narrow) { m_narrow = narrow; }
    // The filter's conditions on messages that these numbers (lines of no message) do not
    // follow, as words ("sender and search"): said under the heading. Empty: none is set.
    void setIgnoredConditions(const QString &words) { m_ignored = words; }

private:
    using Cells = std::function<void(QGridLayout *, int row, std::size_t i, const QString &key)>;
    void addTotal();
    // A list of sources: count, key, detail, first and last seen; `cells` adds the count and the
    // key of each row (columns 0 and 1), which differ in what they link to.
    void sourceGrid(QBoxLayout *into, const QString &title, const QStringList &labels, const std::vector<StatsSource> &rows,
                    const Cells &cells);
    void incidentTable(QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows, const QString &prefix,
                       bool byUser);
    void refusalTable(QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows, const QString &prefix,
                      const QStringList &labels);
    QBoxLayout *pair();

    SummaryWidgets &m_w;
    QVBoxLayout *m_layout;
    const Stats &m_s;
    const std::map<std::string, std::vector<std::int64_t>> &m_rejects;
    QString m_ignored;
    bool m_narrow = false;
};

} // namespace mailtrail
