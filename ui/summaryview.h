// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "summarymodel.h"
#include "summarywidgets.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QPalette>
#include <QScrollArea>

#include <utility>

class QBarSet;
class QBoxLayout;
class QChartView;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace mailtrail {

// The summary of the current filter: totals, traffic per hour and per day, when problems started,
// security (SASL failures, relay denials, RBL hits), deferral and bounce reasons, rejects,
// connectivity, top senders and destinations, delays. Every number is a link: a click asks for
// the filter narrowed to it (narrowRequested); the window applies it.
class SummaryView : public QScrollArea
{
    Q_OBJECT
public:
    explicit SummaryView(SummaryModel *model, QWidget *parent = nullptr);

    // Reads the summary of this filter (scope included) in the background.
    void setFilter(const Filter &filter);
    SummaryModel *model() const { return m_model; }
    // View > Show Hops as Separate Messages: the table then lists each hop of a chain, which the
    // totals count once (as a message); the Summary says so.
    void setHopsApart(bool apart);
    // The link shown under this name ("total:sent", "auth:0", "hour:20"...), or the plain number
    // of a total no filter lists ("total:received"), for tests; null if none.
    QLabel *linkLabel(const QString &name) const;
    // What a click on that link does, without a mouse (for tests and the charts).
    void activate(const QString &name);
    QChartView *hourChart() const { return m_hourChart; }
    // The first and last hour of the day the hour chart has a bar for (0 and 23 over several days).
    std::pair<int, int> hourRange() const { return m_hourRange; }
    QChartView *dayChart() const { return m_dayChart; }
    // The colours of the traffic charts' sets (received, deferred tries, bounced, rejected) in
    // this palette: the statuses' colours of the table and the status chart (statuscolors.h).
    static QList<QColor> trafficColors(const QPalette &palette);
    // The kinds of problem a count of them holds, only those present, each count as the locale
    // writes numbers: "3,617 deferred tries, 1 bounce".
    static QString problemKinds(const StatsHour &h);

Q_SIGNALS:
    // The filter the click asks for (the current one with the link's condition) and the link.
    void narrowRequested(const mailtrail::Filter &filter, const mailtrail::SummaryLink &link);
    // A number of incidents (SASL failures, lost connections...) was clicked: the lines it counts,
    // within the summary's filter.
    void incidentsRequested(const mailtrail::Filter &filter, const mailtrail::SummaryLink &link);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    // The content, laid out wide (lists side by side) or narrow (one under the other, the totals
    // in two columns): a narrow window must not scroll sideways.
    // `totalsPerLine`: narrow, three totals to a line where they fit, else two.
    void build(bool narrow, int totalsPerLine = 2);
    // How many logs the summary covers: its words name them ("this log", "these logs").
    qsizetype logsOnShow() const;
    void addTotals(const Stats &s);
    // When the problems began and the day they peaked, each a link to its range.
    void addProblemPeriod(const Stats &s);
    // The problems of a log where no delivery failed: its SASL failures, which the table cannot list.
    void addAuthFailurePeriod(const Stats &s, QHBoxLayout *started, bool fromTheStart);
    void addTraffic(const Stats &s);
    void addReasons(const Stats &s);
    void addRejects(const Stats &s);
    void addConnectivity(const Stats &s);
    void addTops(const Stats &s);
    void addDelays(const Stats &s);
    SummaryLink clientRejectsLink(const QString &ip) const;
    QChartView *barChart(const QStringList &categories, const QList<QList<qint64>> &series, const QStringList &names,
                         const QString &prefix);

    SummaryModel *m_model;
    QWidget *m_content = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QChartView *m_hourChart = nullptr;
    std::pair<int, int> m_hourRange{0, 23};
    QChartView *m_dayChart = nullptr;
    SummaryWidgets m_w;
    bool m_narrow = false;
    bool m_hopsApart = false;
    int m_wideWidth = 0;  // the width the wide layout needs
    int m_threeWidth = 0;  // the width the narrow layout needs with three totals to a line; 0 unknown
    int m_totalsPerLine = 4;
};

} // namespace mailtrail
