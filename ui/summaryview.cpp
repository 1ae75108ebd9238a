// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "summaryview.h"

#include "correlation/correlator.h"
#include "countaxis.h"
#include "logwords.h"
#include "statuscolors.h"
#include "statstotals.h"
#include "summarysecurity.h"
#include "timeformat.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDate>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSet>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace mailtrail {

using namespace summary;

namespace {

QString seconds(double s)
{
    if (s < 0)
        return u"–"_s;
    if (s < 120)
        return QLocale().toString(s, 'f', s < 10 ? 1 : 0) + u" s"_s;
    if (s < 7200)
        return QLocale().toString(s / 60, 'f', 1) + u" min"_s;
    return QLocale().toString(s / 3600, 'f', 1) + u" h"_s;
}

// A delay as the log's times measured it: 0 of times to the second is "within the second"
// (StatsTotals::delaysToTheSecond), not "0.0 s".
QString delay(const Stats &s, double sec)
{
    if (sec == 0 && StatsTotals::delaysToTheSecond(s))
        return QObject::tr("under 1 s");
    // Under a second, to the millisecond the times have ("0.39 s", not "0.4 s").
    if (sec > 0 && sec < 1)
        return StatsTotals::delay(s, sec);
    return seconds(sec);
}

// "(12 deferred tries, 4 bounces, 7 rejects)", "(1 bounce)": the kinds there are, in the words of
// mailtrail-cli stats ("Problems peaked ...: 12 deferred tries, ..."). "(23 deferred tries,
// bounces and rejects)" named kinds of which there were none.
QLabel *problemKindsLabel(const SummaryWidgets &w, const StatsHour &h)
{
    QLabel *label = w.plain(u"("_s + SummaryView::problemKinds(h) + u")"_s);
    label->setObjectName(u"problems:kinds"_s);
    return label;
}

// The conditions of `f` on messages, which lines of no message (SASL failures, client incidents)
// do not follow, as words: "sender and search"; "" for none.
QString messageConditions(const Filter &f)
{
    QStringList set;
    const auto add = [&set](bool on, const QString &name) {
        if (on)
            set << name;
    };
    add(!f.sender.empty(), QObject::tr("sender"));
    add(!f.recipient.empty(), QObject::tr("recipient"));
    add(!f.text.empty(), QObject::tr("search"));
    add(!f.statuses.empty(), QObject::tr("status"));
    add(!f.code.empty(), QObject::tr("code"));
    add(!f.tls.empty(), QObject::tr("TLS"));
    add(!f.saslUser.empty(), QObject::tr("SASL user"));
    add(!f.format.empty(), QObject::tr("format"));
    add(!f.triedAs.empty(), QObject::tr("delivery try's outcome or code"));
    add(!f.destination.empty(), QObject::tr("destination"));
    add(!f.rejectReason.empty(), QObject::tr("reject reason"));
    if (set.size() < 2)
        return set.value(0);
    const QString last = set.takeLast();
    return QObject::tr("%1 and %2").arg(set.join(u", "_s), last);
}

} // namespace

SummaryView::SummaryView(SummaryModel *model, QWidget *parent)
    : QScrollArea(parent)
    , m_model(model)
    , m_w(this, [this](const QString &name) { activate(name); })
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    connect(m_model, &SummaryModel::updated, this, &SummaryView::rebuild);
    // With no numbers on show yet, say they are being read rather than that nothing matches.
    connect(m_model, &SummaryModel::busyChanged, this, [this](bool busy) {
        if (busy && m_w.links().isEmpty())
            rebuild();
    });
    rebuild();
}

void SummaryView::setFilter(const Filter &filter)
{
    m_model->request(filter);
}

void SummaryView::setHopsApart(bool apart)
{
    if (apart == m_hopsApart)
        return;
    m_hopsApart = apart;
    rebuild();
}

QLabel *SummaryView::linkLabel(const QString &name) const
{
    if (QLabel *link = m_w.label(name))
        return link;
    return name.startsWith(u"total:"_s) && m_content ? m_content->findChild<QLabel *>(name) : nullptr;
}

void SummaryView::activate(const QString &name)
{
    const auto it = m_w.links().constFind(name);
    if (it == m_w.links().constEnd())
        return;
    if (it->kind == SummaryLink::Kind::Incidents)
        Q_EMIT incidentsRequested(m_model->filter(), *it);
    else
        Q_EMIT narrowRequested(it->applied(m_model->filter()), *it);
}

void SummaryView::changeEvent(QEvent *event)
{
    QScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

void SummaryView::resizeEvent(QResizeEvent *event)
{
    QScrollArea::resizeEvent(event);
    // Laid out again only when the width crosses what the wide layout needs, or narrow, what
    // three totals to a line need.
    const int width = viewport()->width();
    const bool narrow = width < m_wideWidth;
    const bool three = narrow && (m_threeWidth == 0 || width >= m_threeWidth);
    if (m_wideWidth > 0 && (narrow != m_narrow || (narrow && three != (m_totalsPerLine == 3))))
        QMetaObject::invokeMethod(this, &SummaryView::rebuild, Qt::QueuedConnection);
}

void SummaryView::rebuild()
{
    // Wide if it fits, else narrow; the wide one's width tells when a resize should change it.
    build(false);
    m_wideWidth = m_content->minimumSizeHint().width();
    m_threeWidth = 0;
    if (m_wideWidth <= viewport()->width())
        return;
    // Narrow: the lists one under the other, and the totals three to a line where they fit (a
    // content filter's log, whose lists are wide, fell to two at 1400x900 where three fit).
    build(true, 3);
    m_threeWidth = m_content->minimumSizeHint().width();
    if (m_threeWidth > viewport()->width())
        build(true, 2);
}

void SummaryView::build(bool narrow, int totalsPerLine)
{
    m_narrow = narrow;
    m_totalsPerLine = narrow ? totalsPerLine : 4;
    m_w.clear();
    m_hourChart = m_dayChart = nullptr;
    const int scroll = verticalScrollBar() ? verticalScrollBar()->value() : 0;
    m_content = new QWidget;
    m_layout = new QVBoxLayout(m_content);
    m_layout->setContentsMargins(16, 8, 16, 16);
    const Stats &s = m_model->stats();
    if (!m_model->error().isEmpty()) {
        m_layout->addWidget(m_w.plain(tr("The summary could not be read: %1").arg(m_model->error()), true));
    } else if (s.messagesAll == 0 && s.authFailures == 0) {
        m_layout->addWidget(m_w.plain(m_model->isBusy() ? tr("Reading the summary…") : tr("No messages match the filter."), true));
    } else {
        // What sends an administrator to the log first, above the fold: when the problems began
        // (under the totals), who is attacking, and the reasons; the charts after them.
        addTotals(s);
        // Lost connections and screening, of every client, would push the reasons below the fold.
        auto *clients = new QVBoxLayout;
        SummarySecurity security(m_w, m_layout, s, m_model->rejectedMessagesByClient());
        security.setNarrow(narrow);
        security.setIgnoredConditions(messageConditions(m_model->filter()));
        security.add(clients);
        addReasons(s);
        m_layout->addLayout(clients);
        addConnectivity(s);
        addRejects(s);
        addTraffic(s);
        addTops(s);
        addDelays(s);
    }
    m_layout->addStretch(1);
    setWidget(m_content);  // deletes the previous content
    verticalScrollBar()->setValue(scroll);
}

qsizetype SummaryView::logsOnShow() const
{
    return m_model->logs();
}

void SummaryView::addTotals(const Stats &s)
{
    m_layout->addWidget(m_w.heading(tr("Totals")));
    if (m_hopsApart) {
        // The table counts hops then, and "12 messages" stood over 16 rows.
        QLabel *note = m_w.plain(tr("A message that passed a content filter or a relay of %1 counts once here, "
                                    "as its chain of hops; the table lists each hop (View › Show Hops as Separate Messages).")
                                     .arg(LogWords::these(logsOnShow())),
                                 true);
        note->setObjectName(u"totals:hops"_s);
        m_layout->addWidget(note);
    }
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    // Lines of text, not a form: set as a paragraph is, so that the reasons below still make the
    // first screen (1400x900) with seven rows of totals.
    grid->setVerticalSpacing(1);
    int row = 0;
    int col = 0;
    // What each total narrows the table to.
    const SummaryLink tried{SummaryLink::Kind::Tried, u"deferred"_s, {}, 0, 0, {}, {}, {}, {}, {}};
    const QHash<QString, SummaryLink> targets{
        {u"sent"_s, statusLink(u"sent"_s)},         {u"delivered"_s, statusLink(u"sent"_s)},
        {u"deferred"_s, statusLink(u"deferred"_s)}, {u"bounced"_s, statusLink(u"bounced"_s)},
        {u"expired"_s, statusLink(u"expired"_s)},   {u"rejected"_s, statusLink(u"rejected"_s)},
        {u"deferrals"_s, tried},                    {u"deferredMessages"_s, tried},
        {u"queued"_s, statusLink(u"queued,deferred"_s)}, {u"bytesDelivered"_s, statusLink(u"sent"_s)},
        {u"recipientsDelivered"_s, statusLink(u"sent"_s)}, {u"recipientDomains"_s, statusLink(u"sent"_s)},
        {u"sentWithoutLine"_s, statusLink(u"sent"_s)},
        {u"held"_s, statusLink(u"held"_s)},         {u"discarded"_s, statusLink(u"discarded"_s)},
        {u"abandoned"_s, statusLink(u"abandoned"_s)}, {u"deleted"_s, statusLink(u"deleted"_s)},
    };
    // Named as mailtrail-cli stats --format text names them (StatsTotals).
    // The totals that count recipients (or their tries) open the Deliveries table, whose rows
    // they are; the others count messages.
    static const QSet<QString> ofRecipients{u"recipients"_s, u"sent"_s, u"delivered"_s, u"sentWithoutLine"_s,
                                            u"deferred"_s, u"bounced"_s, u"expired"_s, u"rejected"_s,
                                            u"deferrals"_s, u"bytesDelivered"_s, u"recipientsDelivered"_s,
                                            u"recipientDomains"_s};
    // Two or three to a line (narrow) or four (wide): a line holds like things, so each group of totals
    // (messages, recipients sent, recipients not, tries, queue, bytes, distinct senders and
    // addresses) starts a line ("290 messages" stood beside "43 rows not received" of the group
    // before; wide, three to a line, "rejected" recipients beside "deferred tries" and the queue
    // beside the bytes). Four wide keep the groups of four on a line, and the first screen.
    static const QSet<QString> groupStarts{u"messages"_s, u"recipients"_s, u"deferred"_s, u"deferrals"_s,
                                           u"queued"_s, u"bytesReceived"_s, u"senders"_s};
    const int perLine = m_totalsPerLine;
    const std::vector<StatsTotal> totals = StatsTotals::of(s, logsOnShow());
    // A group longer than a line is shared out evenly over its lines: three to a line (1000x650),
    // the four recipients not sent stood as three and "7 recipients rejected" alone, the four
    // distinct counts as three and "78 recipient domains delivered to" alone, wrapped (trial20).
    std::vector<bool> startsLine(totals.size(), false);
    for (std::size_t first = 0; first < totals.size();) {
        std::size_t end = first + 1;
        while (end < totals.size() && !groupStarts.contains(QString::fromLatin1(totals[end].id)))
            ++end;
        const std::size_t size = end - first, lines = (size + std::size_t(perLine) - 1) / std::size_t(perLine);
        // The first lines take one more where the group does not share out evenly (5 as 3 and 2).
        for (std::size_t line = 0, at = first; line < lines; ++line) {
            startsLine[at] = true;
            at += size / lines + (line < size % lines ? 1 : 0);
        }
        first = end;
    }
    for (std::size_t i = 0; i < totals.size(); ++i) {
        const StatsTotal &t = totals[i];
        const QString id = QString::fromLatin1(t.id);
        if (col > 0 && startsLine[i]) {
            col = 0;
            ++row;
        }
        SummaryLink target = targets.value(id, statusLink({}));
        target.grain = ofRecipients.contains(id) ? Grain::Deliveries : Grain::Messages;
        // Arrival is no column: the messages received in the log, and the other rows, are
        // listed by a narrowing of their own (Filter::received), which the bar's note names.
        if (id == u"received"_s || id == u"notReceived"_s) {
            target.kind = SummaryLink::Kind::Received;
            target.value = id == u"received"_s ? u"yes"_s : u"no"_s;
        }
        QLabel *number = m_w.link(u"total:"_s + id, t.text(), target);
        grid->addWidget(number, row, col * 2);
        // The last of its line takes the rest of it: "rows not received in this log (queued
        // before it, refused, or notices)" made its column as wide as itself, and set the
        // fourth one far to the right. Narrow, the first of a line does not: it ran across the
        // second column of the lines above and below; it wraps in its own.
        const bool lastOfLine = i + 1 == totals.size() || startsLine[i + 1] || col + 1 == perLine;
        const bool wrapInColumn = m_narrow && col == 0 && lastOfLine;
        QLabel *what = wrapInColumn ? m_w.wrapped(t.label) : m_w.plain(t.label);
        what->setObjectName(u"totallabel:"_s + id);
        grid->addWidget(what, row, col * 2 + 1, 1, lastOfLine && !wrapInColumn ? perLine * 2 - (col * 2 + 1) : 1);
        if (++col == perLine) {
            col = 0;
            ++row;
        }
    }
    grid->setColumnStretch(perLine * 2 - 1, 1);
    m_layout->addLayout(grid);

    addProblemPeriod(s);
}

void SummaryView::addProblemPeriod(const Stats &s)
{
    // When the problems began: the first failed try, bounce, reject or authentication failure,
    // to the second; and, since a lone early deferral says little, the day they peaked, which is
    // where the trouble is. A log that begins with a problem would name its own first minute as
    // the start, which reads as a start of trouble: it says so instead.
    const qint64 first = s.firstProblemMs;
    if (first <= 0)
        return;
    auto *started = new QHBoxLayout;
    const bool fromTheStart = s.firstSeenMs > 0 && first - s.firstSeenMs < 60'000;
    // No try failed, nothing was refused: the first problem is a SASL failure, which belongs to
    // no message. "The first failure at" led to a table of no row (fail2ban's Sendmail AUTH log,
    // trial22): the line says what the log holds, and its link lists those failures.
    if (s.deferrals + s.deferred + s.bounced + s.expired + s.rejected == 0 && s.authFailures > 0) {
        addAuthFailurePeriod(s, started, fromTheStart);
        return;
    }
    // Since "the log" begins, with 824 logs open, named one log of them (trial20).
    const QString since = logsOnShow() == 1 ? tr("Problems since the log begins: the first failure at")
                                            : tr("Problems since the logs begin: the first failure at");
    QLabel *words = m_w.plain(fromTheStart ? since : tr("Problems started at"));
    words->setObjectName(u"problems:words"_s);
    started->addWidget(words);
    // The failed tries from then on (not the messages that arrived then: the first failure is
    // often a retry of an older one).
    // In the clock of the log whose try failed (as mailtrail-cli stats says it, and the table
    // prints that try), with its offset where that is not the day's clock.
    const std::int32_t offset = m_model->firstProblemOffset();
    QString at = tableTime(first, offset);
    if (offset != utcOffsetAt(s, first)) {
        const int minutes = std::abs(offset) / 60;
        at += u" %1%2:%3"_s.arg(offset < 0 ? u"-"_s : u"+"_s).arg(minutes / 60, 2, 10, QLatin1Char('0')).arg(minutes % 60, 2, 10, QLatin1Char('0'));
    }
    started->addWidget(m_w.link(u"problems:start"_s, at,
                                failedTriesLink(first, std::numeric_limits<qint64>::max()),
                                tr("Show the mail with a failed try from then on")));
    // Narrow: the peak on a line of its own.
    if (m_narrow) {
        started->addStretch(1);
        m_layout->addLayout(started);
        started = new QHBoxLayout;
    }
    // The peak: the day with the most problems, or in a log of one day, the hour, or in a log
    // shorter than the chart's hour bars, the chart's bar; as mailtrail-cli stats names it.
    if (const std::optional<ProblemPeak> &peak = m_model->problemPeak()) {
        const auto hhmm = [&s](qint64 ms) { return isoTime(ms, utcOffsetAt(s, ms)).mid(11, 5); };
        // The link's span is the period in the clock of the logs whose failures it counts
        // (ProblemPeak::fromMs): with logs of several offsets, not necessarily the day's.
        const qint64 from = peak->fromMs, until = peak->untilMs;
        if (peak->startMs) {
            started->addWidget(m_w.plain(tr("and peaked between")));
            started->addWidget(m_w.link(u"problems:peak"_s, u"%1–%2"_s.arg(hhmm(peak->startMs), hhmm(peak->endMs)),
                                        failedTriesLink(from, until), tr("Show the mail with a failed try then")));
        } else if (peak->hour >= 0) {
            started->addWidget(m_w.plain(tr("and peaked between")));
            started->addWidget(m_w.link(u"problems:peak"_s,
                                        u"%1:00–%2:00"_s.arg(peak->hour, 2, 10, QLatin1Char('0')).arg(peak->hour + 1, 2, 10, QLatin1Char('0')),
                                        failedTriesLink(from, until), tr("Show the mail with a failed try that hour")));
        } else {
            started->addWidget(m_w.plain(tr("and peaked on")));
            started->addWidget(m_w.link(u"problems:peak"_s, peak->day, failedTriesLink(from, until),
                                        tr("Show the mail with a failed try that day")));
        }
        started->addWidget(problemKindsLabel(m_w, peak->counts));
    }
    started->addStretch(1);
    m_layout->addLayout(started);
}

void SummaryView::addAuthFailurePeriod(const Stats &s, QHBoxLayout *started, bool fromTheStart)
{
    const QString failures = s.authFailures == 1 ? tr("1 SASL authentication failure")
                                                 : tr("%1 SASL authentication failures").arg(number(s.authFailures));
    QString words;
    if (s.authFailures == 1)
        words = tr("No delivery failed; %1, at").arg(failures);
    else if (fromTheStart)
        words = logsOnShow() == 1 ? tr("No delivery failed; %1 since the log begins, the first at").arg(failures)
                                  : tr("No delivery failed; %1 since the logs begin, the first at").arg(failures);
    else
        words = tr("No delivery failed; %1, the first at").arg(failures);
    QLabel *said = m_w.plain(words);
    said->setObjectName(u"problems:words"_s);
    started->addWidget(said);
    SummaryLink link;
    link.kind = SummaryLink::Kind::Incidents;
    link.incidents.kinds.push_back(static_cast<int>(IncidentKind::AuthFailure));
    link.incidentsTitle = tr("SASL authentication failures");
    started->addWidget(m_w.link(u"problems:start"_s, tableTime(s.firstProblemMs, utcOffsetAt(s, s.firstProblemMs)), link,
                                tr("Show the SASL authentication failures (they belong to no message)")));
    started->addStretch(1);
    m_layout->addLayout(started);
}

QString SummaryView::problemKinds(const StatsHour &h)
{
    // Counted as every number of the window is written, in the locale's grouping ("3,617"), not
    // as the text report writes them.
    QStringList kinds;
    if (h.deferred > 0)
        kinds << (h.deferred == 1 ? tr("1 deferred try") : tr("%1 deferred tries").arg(number(h.deferred)));
    if (h.bounced > 0)
        kinds << (h.bounced == 1 ? tr("1 bounce") : tr("%1 bounces").arg(number(h.bounced)));
    if (h.rejected > 0)
        kinds << (h.rejected == 1 ? tr("1 reject") : tr("%1 rejects").arg(number(h.rejected)));
    return kinds.join(u", "_s);
}

QList<QColor> SummaryView::trafficColors(const QPalette &pal)
{
    // Received is no outcome: the palette's selection colour, which each style makes readable on
    // its base; the outcomes as the table's statuses and the status chart colour them.
    return {pal.color(QPalette::Highlight), statusColor(2, pal), statusColor(3, pal), statusColor(5, pal)};
}

QChartView *SummaryView::barChart(const QStringList &categories, const QList<QList<qint64>> &series,
                                  const QStringList &names, const QString &prefix)
{
    const QPalette pal = palette();
    auto *chart = new QChart;
    chart->setLocalizeNumbers(true);  // its counts in the locale's grouping, as the window's
    chart->setTheme(isDark(pal) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setLabelColor(pal.color(QPalette::Text));
    auto *bars = new QBarSeries;
    const QList<QColor> colors = trafficColors(pal);
    qint64 top = 1;
    for (qsizetype i = 0; i < series.size(); ++i) {
        auto *set = new QBarSet(names.value(i));
        for (qint64 v : series[i]) {
            set->append(static_cast<qreal>(v));
            top = std::max(top, v);
        }
        set->setColor(colors[i % colors.size()]);
        set->setBorderColor(colors[i % colors.size()]);
        bars->append(set);
    }
    chart->addSeries(bars);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsColor(pal.color(QPalette::Text));
    x->setGridLineVisible(false);
    auto *y = new QValueAxis;
    fitCountAxis(y, chart, top);
    connect(chart, &QChart::plotAreaChanged, y, [y, chart, top] { fitCountAxis(y, chart, top); });
    y->setLabelsColor(pal.color(QPalette::Text));
    y->setGridLineColor(pal.color(QPalette::Midlight));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(y);
    connect(bars, &QBarSeries::clicked, this, [this, prefix](int index, QBarSet *) { activate(prefix + QString::number(index)); });
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    view->setBackgroundBrush(pal.color(QPalette::Window));
    view->setToolTip(tr("Click a bar to show its messages"));
    return view;
}

void SummaryView::addTraffic(const Stats &s)
{
    m_layout->addWidget(m_w.heading(tr("Traffic")));
    const StatsDay *only = s.byDay.size() == 1 ? &s.byDay.front() : nullptr;
    if (s.peakHour >= 0) {
        const StatsHour &peak = s.byHour[static_cast<std::size_t>(s.peakHour)];
        auto *row = new QHBoxLayout;
        row->addWidget(m_w.plain(tr("Busiest hour:")));
        const QString hours = u"%1:00–%2:00"_s.arg(s.peakHour, 2, 10, QLatin1Char('0')).arg(s.peakHour + 1, 2, 10, QLatin1Char('0'));
        if (only) {
            const qint64 start = SummaryModel::dayStartMs(*only) + qint64(s.peakHour) * 3'600'000;
            row->addWidget(m_w.link(u"peak"_s, hours, rangeLink(start, start + 3'600'000)));
        } else {
            row->addWidget(m_w.plain(hours));
        }
        const qint64 received = peak.received, failed = peak.deferred + peak.bounced + peak.rejected;
        row->addWidget(m_w.plain(tr("with %1, %2")
                                     .arg(received == 1 ? tr("1 message received") : tr("%1 messages received").arg(number(received)),
                                          failed == 1 ? tr("1 problem") : tr("%1 problems").arg(number(failed)))));
        row->addStretch(1);
        m_layout->addLayout(row);
    }
    // A log of one day: the hours it spans (a log of three hours stood as three bars among 24
    // empty slots). Over several days the chart adds up each hour of the day across them, and
    // every hour of the day may have its traffic: all 24.
    int firstHour = 0, lastHour = 23;
    if (only) {
        const auto busy = [](const StatsHour &r) { return r.received + r.deferred + r.bounced + r.rejected > 0; };
        while (firstHour < lastHour && !busy(s.byHour[static_cast<std::size_t>(firstHour)]))
            ++firstHour;
        while (lastHour > firstHour && !busy(s.byHour[static_cast<std::size_t>(lastHour)]))
            --lastHour;
    }
    m_hourRange = {firstHour, lastHour};
    QStringList hours;
    QList<QList<qint64>> hourly(4);
    for (int h = firstHour; h <= lastHour; ++h) {
        const StatsHour &r = s.byHour[static_cast<std::size_t>(h)];
        // A few hours: each bar says its span ("20–21"); a day's 24 are numbered.
        hours << (lastHour - firstHour < 12 ? u"%1:00–%2:00"_s.arg(h, 2, 10, QLatin1Char('0')).arg(h + 1, 2, 10, QLatin1Char('0'))
                                            : QString::number(h));
        hourly[0] << r.received;
        hourly[1] << r.deferred;
        hourly[2] << r.bounced;
        hourly[3] << r.rejected;
        if (only) {
            // The chart's bar index is the link's key.
            const qint64 start = SummaryModel::dayStartMs(*only) + qint64(h) * 3'600'000;
            m_w.addTarget(u"hour:"_s + QString::number(h - firstHour), rangeLink(start, start + 3'600'000));
        }
    }
    const QStringList names{tr("received"), tr("deferred tries"), tr("bounced"), tr("rejected")};
    m_layout->addWidget(m_w.plain(tr("Per hour of the day")));
    m_hourChart = barChart(hours, hourly, names, u"hour:"_s);
    m_layout->addWidget(m_hourChart);
    if (s.byDay.size() > 1) {
        QStringList days;
        QList<QList<qint64>> daily(4);
        // Days of more than one year are told apart by their year (11-21 of two years is one
        // category otherwise).
        const bool years = s.byDay.front().day.substr(0, 4) != s.byDay.back().day.substr(0, 4);
        QDate previous;
        for (const StatsDay &d : s.byDay) {
            const QString day = QString::fromStdString(d.day);
            const QDate date = QDate::fromString(day, Qt::ISODate);
            // The quiet days between two with traffic are there as empty bars unless they span
            // months (SummaryModel::withQuietDays): then an empty bar that names the gap keeps the
            // days on either side of it from reading as adjacent.
            if (previous.isValid() && date.isValid() && previous.daysTo(date) > 1) {
                QString gap = tr("⋯ %1 days ⋯").arg(number(previous.daysTo(date) - 1));
                while (days.contains(gap))
                    gap += u' ';  // two gaps of one length: the axis takes each category once
                days << gap;
                for (QList<qint64> &set : daily)
                    set << 0;
            }
            previous = date;
            const qint64 start = SummaryModel::dayStartMs(d);
            m_w.addTarget(u"day:"_s + QString::number(days.size()), rangeLink(start, start + 86'400'000));
            days << (years ? day : day.mid(5));
            daily[0] << d.counts.received;
            daily[1] << d.counts.deferred;
            daily[2] << d.counts.bounced;
            daily[3] << d.counts.rejected;
        }
        m_layout->addWidget(m_w.plain(tr("Per day")));
        m_dayChart = barChart(days, daily, names, u"day:"_s);
        m_layout->addWidget(m_dayChart);
    }
}

void SummaryView::addReasons(const Stats &s)
{
    if (s.reasons.empty())
        return;
    m_layout->addWidget(m_w.heading(tr("Deferral and bounce reasons")));
    m_layout->addWidget(m_w.plain(tr("Every deferred try counts, whatever became of its recipient (a greylisted one delivered "
                                 "later too); bounced and expired count recipients."),
                              true));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    m_w.headers(grid, 0, u"reasons"_s, {tr("tries or recipients"), tr("status"), tr("destination"), tr("reply")});
    for (std::size_t i = 0; i < s.reasons.size(); ++i) {
        const StatsReason &r = s.reasons[i];
        const int row = static_cast<int>(i) + 1;
        const QString status = QString::fromStdString(r.status);
        const QString host = QString::fromStdString(r.host);
        // Where the tries name no remote host (a transport, a local mailer): the recipients' domain.
        const QString destination = r.hostIsRecipientDomain ? u"@"_s + host : host;
        // The recipients in that state at that destination with that reply: what tells this
        // reason from the others (those of one host and code whose texts differ are listed together).
        // A deferral's recipient may have been delivered since: the rows with such a try.
        SummaryLink target{SummaryLink::Kind::Destination, destination, status, 0, 0, {}, {}, {}, {}, {}};
        if (r.status == "deferred")
            target = SummaryLink{SummaryLink::Kind::DeferredAt, destination, {}, 0, 0, {}, {}, {}, {}, {}};
        if (r.replyCode != 0)
            target.code = QString::number(r.replyCode);
        target.grain = Grain::Deliveries;  // tries and recipients: rows of Deliveries
        // The text shown has what differs between the tries masked (<ip>, <address>, <id>...): one
        // of them in full is on the count's tooltip and the text's.
        const QString example = QString::fromStdString(r.example);
        grid->addWidget(m_w.link(u"reason:"_s + QString::number(i), number(r.count), target,
                                 tr("%1 to %2. One of them:\n%3").arg(logTime(s, r.firstMs), logTime(s, r.lastMs), example)),
                        row, 0, Qt::AlignTop);
        grid->addWidget(m_w.plain(status), row, 1, Qt::AlignTop);
        QLabel *where = m_w.plain(r.hostIsRecipientDomain ? tr("%1 (recipients' domain)").arg(host) : host);
        if (r.hostIsRecipientDomain)
            where->setToolTip(tr("The tries name no remote host (a transport or a local mailer): the domain of their recipients"));
        grid->addWidget(where, row, 2, Qt::AlignTop);
        // Whole, wrapped: a bounce's reply runs to several lines and its end says why.
        QLabel *text = m_w.plain(QString::fromStdString(r.text), true);
        text->setObjectName(u"reasontext:"_s + QString::number(i));
        text->setToolTip(tr("One of them in full:\n%1").arg(example));
        text->setMinimumWidth(300);
        grid->addWidget(text, row, 3);
    }
    grid->setColumnStretch(3, 1);
    m_layout->addLayout(grid);
    // Only the top reasons are listed: say what the list leaves out, so that a reason of few tries
    // (a greylisting's, say) is known to exist rather than taken to be absent.
    qint64 listedTries = 0, listedRecipients = 0;
    for (const StatsReason &r : s.reasons)
        (r.status == "deferred" ? listedTries : listedRecipients) += r.count;
    const qint64 moreTries = std::max<qint64>(0, s.deferrals - listedTries);
    const qint64 moreRecipients = std::max<qint64>(0, s.bounced + s.expired - listedRecipients);
    if (moreTries > 0 || moreRecipients > 0) {
        QStringList parts;
        if (moreTries > 0)
            parts << (moreTries == 1 ? tr("1 deferred try") : tr("%1 deferred tries").arg(number(moreTries)));
        if (moreRecipients > 0)
            parts << (moreRecipients == 1 ? tr("1 bounced or expired recipient")
                                          : tr("%1 bounced or expired recipients").arg(number(moreRecipients)));
        QLabel *more = m_w.plain(tr("Not listed: %1, in reasons less frequent than these (narrow the filter to see them).")
                                 .arg(parts.join(tr(" and "))),
                             true);
        more->setObjectName(u"reasons:more"_s);
        m_layout->addWidget(more);
    }
}

void SummaryView::addConnectivity(const Stats &s)
{
    if (s.connectivity.empty())
        return;
    m_layout->addWidget(m_w.heading(tr("Connection and DNS problems")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    m_w.headers(grid, 0, u"connectivity"_s, {tr("failed tries"), tr("destination"), tr("problem"), tr("first and last try")});
    for (std::size_t i = 0; i < s.connectivity.size(); ++i) {
        const StatsSource &r = s.connectivity[i];
        const int row = static_cast<int>(i) + 1;
        // The rows with such a failed try at that destination (a free-text search for the host
        // also found the messages that merely name it).
        SummaryLink target{SummaryLink::Kind::Connectivity, QString::fromStdString(r.key), {}, 0, 0, {}, {},
                           QString::fromStdString(r.detail), Grain::Deliveries, {}};
        grid->addWidget(m_w.link(u"conn:"_s + QString::number(i), number(r.count), target,
                                 tr("Show the recipients of these tries (a recipient tried several times is one row)")),
                        row, 0);
        grid->addWidget(m_w.plain(QString::fromStdString(r.key)), row, 1);
        grid->addWidget(m_w.plain(QString::fromStdString(r.detail)), row, 2);
        grid->addWidget(m_w.plain(tr("%1 to %2").arg(logTime(s, r.firstMs), logTime(s, r.lastMs))), row, 3);
    }
    grid->setColumnStretch(3, 1);
    m_layout->addLayout(grid);
}

void SummaryView::addRejects(const Stats &s)
{
    if (s.rejectsByReason.empty())
        return;
    m_layout->addWidget(m_w.heading(tr("Rejects")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    // Lines of text, not a form: set as a paragraph is, so that the reasons below still make the
    // first screen (1400x900) with seven rows of totals.
    grid->setVerticalSpacing(1);
    int row = 0;
    grid->addWidget(m_w.plain(tr("By reason")), row++, 0, 1, 3);
    m_w.headers(grid, row++, u"rejects"_s, {tr("recipients"), tr("reason"), tr("example")});
    for (std::size_t i = 0; i < s.rejectsByReason.size(); ++i, ++row) {
        const StatsSource &r = s.rejectsByReason[i];
        const QString category = QString::fromStdString(r.key);
        // By the kind the statistics counted, not by words: each MTA says it in its own.
        grid->addWidget(m_w.link(u"reject:"_s + QString::number(i), number(r.count),
                                 SummaryLink{SummaryLink::Kind::RejectReason, category, u"rejected"_s, 0, 0, {}, {}, {},
                                             Grain::Deliveries, {}}),
                        row, 0, Qt::AlignTop);
        grid->addWidget(m_w.plain(category), row, 1, Qt::AlignTop);
        grid->addWidget(m_w.plain(QString::fromStdString(r.detail), true), row, 2);
    }
    if (!s.rejectsByClient.empty()) {
        grid->addWidget(m_w.plain(tr("By client")), row++, 0, 1, 3);
        m_w.headers(grid, row++, u"rejectclients"_s, {tr("recipients"), tr("client IP"), tr("client host")});
    }
    for (std::size_t i = 0; i < s.rejectsByClient.size(); ++i, ++row) {
        const StatsSource &r = s.rejectsByClient[i];
        const QString ip = QString::fromStdString(r.key);
        grid->addWidget(m_w.link(u"rejectclient:"_s + QString::number(i), number(r.count), clientRejectsLink(ip)), row, 0);
        grid->addWidget(m_w.plain(ip), row, 1);
        grid->addWidget(m_w.plain(QString::fromStdString(r.detail)), row, 2);
    }
    grid->setColumnStretch(2, 1);
    m_layout->addLayout(grid);
}

SummaryLink SummaryView::clientRejectsLink(const QString &ip) const
{
    return summary::clientRejectsLink(m_model->rejectedMessagesByClient(), ip);
}

void SummaryView::addTops(const Stats &s)
{
    m_layout->addWidget(m_w.heading(tr("Top senders and destinations")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    int column = 0;
    // counted: what the number of each line counts.
    auto list = [&](const QString &title, const std::vector<StatsCount> &rows, const QString &prefix, bool byProblems,
                    SummaryLink::Kind kind, const QString &counted) {
        // Narrow: two lists to a row.
        if (m_narrow && column == 4) {
            grid->setColumnStretch(column, 1);
            m_layout->addLayout(grid);
            grid = new QGridLayout;
            grid->setHorizontalSpacing(12);
            column = 0;
        }
        grid->addWidget(m_w.plain(title), 0, column, 1, 2);
        // Over the counts and their names, from the counts' left: whole ("recipients tried" read
        // "recipients…"), and the counts' column as wide as its numbers still.
        QLabel *what = m_w.plain(counted);
        QFont italic = what->font();
        italic.setItalic(true);
        what->setFont(italic);
        what->setObjectName(u"header:"_s + prefix);
        grid->addWidget(what, 1, column, 1, 2);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const StatsCount &r = rows[i];
            const QString key = QString::fromStdString(r.key);
            SummaryLink target{kind, key, {}, 0, 0, {}, {}, {}, {}, {}};
            // Senders count messages; recipient domains and destinations recipients.
            target.grain = kind == SummaryLink::Kind::Sender || kind == SummaryLink::Kind::SenderDomain ? Grain::Messages
                                                                                                           : Grain::Deliveries;
            if (byProblems && kind == SummaryLink::Kind::RecipientDomain)
                target.status = u"deferred,bounced,expired,rejected"_s;
            // A destination counts the recipients tried there (a hand-over to a chain's next hop
            // is none), by problems those not delivered.
            if (kind == SummaryLink::Kind::Destination)
                target.status = byProblems ? u"deferred,bounced,expired"_s : u"sent,deferred,bounced,expired"_s;
            grid->addWidget(m_w.link(prefix + QString::number(i), number(byProblems ? r.problems : r.count), target),
                            static_cast<int>(i) + 2, column);
            QLabel *name = m_w.plain(key.isEmpty() && kind == SummaryLink::Kind::Sender ? u"<>"_s : key);
            // Postfix's relay=none: "none" read as a host of that name. Named as `stats` names it.
            if (kind == SummaryLink::Kind::Destination && key == u"none"_s) {
                name->setText(StatsTotals::destinationName(key));
                name->setToolTip(StatsTotals::destinationTip(key));
            }
            name->setObjectName(prefix + u"name:"_s + QString::number(i));
            grid->addWidget(name, static_cast<int>(i) + 2, column + 1);
        }
        column += 2;
    };
    list(tr("Senders"), s.topSenders, u"sender:"_s, false, SummaryLink::Kind::Sender, tr("messages"));
    list(tr("Sender domains"), s.topSenderDomains, u"senderdomain:"_s, false, SummaryLink::Kind::SenderDomain, tr("messages"));
    list(tr("Recipient domains"), s.topRecipientDomains, u"rcptdomain:"_s, false, SummaryLink::Kind::RecipientDomain,
         tr("recipients"));
    list(tr("Destinations"), s.topRelays, u"relay-host:"_s, false, SummaryLink::Kind::Destination, tr("recipients tried"));
    // The room left after the lists: shared among their columns, it set a count far right of its
    // header, which starts at the counts' left.
    grid->setColumnStretch(column, 1);
    m_layout->addLayout(grid);
    if (!s.problemRecipientDomains.empty() || !s.problemRelays.empty()) {
        m_layout->addWidget(m_w.heading(tr("Most problems")));
        grid = new QGridLayout;
        grid->setHorizontalSpacing(12);
        column = 0;
        list(tr("Recipient domains"), s.problemRecipientDomains, u"problemdomain:"_s, true, SummaryLink::Kind::RecipientDomain,
             tr("recipients not delivered"));
        list(tr("Destinations"), s.problemRelays, u"problemrelay:"_s, true, SummaryLink::Kind::Destination,
             tr("recipients not delivered"));
        grid->setColumnStretch(column, 1);
        m_layout->addLayout(grid);
    }
}

void SummaryView::addDelays(const Stats &s)
{
    if (s.delaySamples == 0)
        return;
    m_layout->addWidget(m_w.heading(tr("Delays")));
    const QString over = s.delaySamples == 1 ? tr("1 delivered recipient") : tr("%L1 delivered recipients").arg(s.delaySamples);
    m_layout->addWidget(m_w.plain(tr("From arrival to delivery, over %1: median %2, 95th percentile %3")
                                  .arg(over, delay(s, s.delayMedianSec), delay(s, s.delayP95Sec))));
}

} // namespace mailtrail
