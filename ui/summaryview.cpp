// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "summaryview.h"

#include "countaxis.h"
#include "saslprompt.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString bytes(qint64 n)
{
    // SI units, as size= in the log reads (3300 bytes are 3.3 kB).
    return QLocale().formattedDataSize(n, 1, QLocale::DataSizeSIFormat);
}

// A time as the log's clock showed it then.
QString shortTime(const Stats &s, qint64 ms)
{
    if (ms == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::fromSecondsAheadOfUtc(utcOffsetAt(s, ms))).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

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

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

SummaryLink statusLink(const QString &statuses)
{
    return SummaryLink{SummaryLink::Kind::Status, statuses, {}, 0, 0, {}, {}, {}};
}

SummaryLink textLink(const QString &text, const QString &status = {})
{
    return SummaryLink{SummaryLink::Kind::Text, text, status, 0, 0, {}, {}, {}};
}

SummaryLink rangeLink(qint64 since, qint64 until)
{
    return SummaryLink{SummaryLink::Kind::TimeRange, {}, {}, since, until, {}, {}, {}};
}

// Words of the reject reply that the free-text filter finds the category by.
QString rejectWords(const QString &category)
{
    if (category == u"RBL"_s)
        return u"blocked using"_s;
    if (category == u"relay denied"_s)
        return u"relay access denied"_s;
    if (category == u"unknown user"_s)
        return u"recipient address rejected"_s;
    if (category == u"HELO"_s)
        return u"helo command rejected"_s;
    if (category == u"sender domain"_s)
        return u"sender address rejected"_s;
    if (category == u"client host"_s)
        return u"client host rejected"_s;
    return {};
}

} // namespace

SummaryView::SummaryView(SummaryModel *model, QWidget *parent)
    : QScrollArea(parent)
    , m_model(model)
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    connect(m_model, &SummaryModel::updated, this, &SummaryView::rebuild);
    // With no numbers on show yet, say they are being read rather than that nothing matches.
    connect(m_model, &SummaryModel::busyChanged, this, [this](bool busy) {
        if (busy && m_labels.isEmpty())
            rebuild();
    });
    rebuild();
}

void SummaryView::setFilter(const Filter &filter)
{
    m_model->request(filter);
}

QLabel *SummaryView::linkLabel(const QString &name) const
{
    return m_labels.value(name);
}

void SummaryView::activate(const QString &name)
{
    const auto it = m_links.constFind(name);
    if (it == m_links.constEnd())
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

QString SummaryView::linkColor() const
{
    // Qt's default link blue is unreadable on a dark window: take the highlight there.
    const QPalette p = palette();
    return (isDark(p) ? p.color(QPalette::Highlight).lighter(120) : p.color(QPalette::Link)).name();
}

QLabel *SummaryView::heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.25);
    label->setFont(f);
    label->setContentsMargins(0, 12, 0, 2);
    return label;
}

QLabel *SummaryView::plain(const QString &text, bool wrap)
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void SummaryView::headers(QGridLayout *grid, int row, const QString &table, const QStringList &names)
{
    for (int column = 0; column < names.size(); ++column) {
        QLabel *label = plain(names[column]);
        QFont f = label->font();
        f.setItalic(true);
        label->setFont(f);
        label->setObjectName(u"header:%1:%2"_s.arg(table).arg(column));
        // Over a count, as the count itself stands.
        if (column == 0)
            label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(label, row, column);
    }
}

QLabel *SummaryView::link(const QString &name, const QString &text, const SummaryLink &target, const QString &tip)
{
    auto *label = new QLabel(u"<a href=\"%1\" style=\"color:%2; text-decoration:none\">%3</a>"_s.arg(
        name.toHtmlEscaped(), linkColor(), text.toHtmlEscaped()));
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    label->setCursor(Qt::PointingHandCursor);
    label->setToolTip(tip.isEmpty() ? tr("Show these in the table") : tip);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    connect(label, &QLabel::linkActivated, this, &SummaryView::activate);
    m_links.insert(name, target);
    m_labels.insert(name, label);
    return label;
}

void SummaryView::rebuild()
{
    m_links.clear();
    m_labels.clear();
    m_hourChart = m_dayChart = nullptr;
    const int scroll = verticalScrollBar() ? verticalScrollBar()->value() : 0;
    m_content = new QWidget;
    m_layout = new QVBoxLayout(m_content);
    m_layout->setContentsMargins(16, 8, 16, 16);
    const Stats &s = m_model->stats();
    if (!m_model->error().isEmpty()) {
        m_layout->addWidget(plain(tr("The summary could not be read: %1").arg(m_model->error()), true));
    } else if (s.messagesAll == 0 && s.authFailures == 0) {
        m_layout->addWidget(plain(m_model->isBusy() ? tr("Reading the summary…") : tr("No messages match the filter."), true));
    } else {
        // What sends an administrator to the log first, above the fold: when the problems began
        // (under the totals), who is attacking, and the reasons; the charts after them.
        addTotals(s);
        // Lost connections and screening, of every client, would push the reasons below the fold.
        auto *clients = new QVBoxLayout;
        addSecurity(s, clients);
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

void SummaryView::addTotals(const Stats &s)
{
    m_layout->addWidget(heading(tr("Totals")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    int row = 0;
    int col = 0;
    auto add = [&](const QString &name, qint64 value, const QString &what, const SummaryLink &target, const QString &text = {}) {
        grid->addWidget(link(name, text.isEmpty() ? number(value) : text, target), row, col * 2);
        grid->addWidget(plain(what), row, col * 2 + 1);
        if (++col == 3) {
            col = 0;
            ++row;
        }
    };
    add(u"total:received"_s, s.received, tr("messages received"), statusLink({}));
    add(u"total:recipients"_s, s.recipients, tr("recipients"), statusLink({}));
    add(u"total:sent"_s, s.sent, tr("recipients sent"), statusLink(u"sent"_s));
    // What mailtrail-cli stats and pflogsumm call "delivered": the lines saying status=sent
    // (a recipient delivered to twice counts twice), beside the recipients sent above.
    add(u"total:delivered"_s, s.deliveredTries, tr("delivered (per status=sent line)"),
        statusLink(u"sent"_s));
    add(u"total:deferred"_s, s.deferred, tr("deferred (still waiting)"), statusLink(u"deferred"_s));
    add(u"total:bounced"_s, s.bounced, tr("bounced"), statusLink(u"bounced"_s));
    add(u"total:expired"_s, s.expired, tr("expired"), statusLink(u"expired"_s));
    add(u"total:rejected"_s, s.rejected, tr("rejected"), statusLink(u"rejected"_s));
    add(u"total:deferrals"_s, s.deferrals, (s.deferredMessages == 1 ? tr("deferred tries (1 message)")
                                                           : tr("deferred tries (%1 messages)").arg(number(s.deferredMessages))),
        SummaryLink{SummaryLink::Kind::Tried, u"deferred"_s, {}, 0, 0, {}, {}, {}});
    add(u"total:queued"_s, s.stillQueued, tr("still in the queue"), statusLink(u"queued,deferred"_s));
    add(u"total:bytesReceived"_s, s.bytesReceived, tr("received"), statusLink({}), bytes(s.bytesReceived));
    add(u"total:bytesDelivered"_s, s.bytesDelivered, tr("delivered"), statusLink(u"sent"_s), bytes(s.bytesDelivered));
    add(u"total:senders"_s, s.senders, tr("senders (%1 domains)").arg(number(s.senderDomains)), statusLink({}));
    add(u"total:recipientsDelivered"_s, s.recipientsDelivered, tr("recipients delivered to (%1 domains)").arg(number(s.recipientDomains)),
        statusLink(u"sent"_s));
    grid->setColumnStretch(5, 1);
    m_layout->addLayout(grid);

    addProblemPeriod(s);
}

void SummaryView::addProblemPeriod(const Stats &s)
{
    // When the problems began: the first deferral, bounce, reject or authentication failure; and,
    // since a lone early deferral says little, the day they peaked, which is where the trouble is.
    qint64 first = std::numeric_limits<qint64>::max();
    for (const StatsReason &r : s.reasons)
        first = std::min(first, qint64(r.firstMs));
    for (const StatsSource &r : s.rejectsByReason)
        first = std::min(first, qint64(r.firstMs));
    for (const StatsSource &r : s.authFailuresByClient)
        first = std::min(first, qint64(r.firstMs));
    if (first == std::numeric_limits<qint64>::max() || first <= 0)
        return;
    auto *started = new QHBoxLayout;
    started->addWidget(plain(tr("Problems started at")));
    started->addWidget(link(u"problems:start"_s, shortTime(s, first), rangeLink(first, m_model->filter().untilMs),
                            tr("Show what happened from then on")));
    // The peak: the day with the most problems, or in a log of one day, the hour.
    const auto problems = [](const StatsHour &h) { return h.deferred + h.bounced + h.rejected; };
    if (s.byDay.size() > 1) {
        const auto peak = std::max_element(s.byDay.begin(), s.byDay.end(), [&](const StatsDay &a, const StatsDay &b) {
            return problems(a.counts) < problems(b.counts);
        });
        if (problems(peak->counts) > 0) {
            const qint64 start = SummaryModel::dayStartMs(*peak);
            started->addWidget(plain(tr("and peaked on")));
            started->addWidget(link(u"problems:peak"_s, QString::fromStdString(peak->day),
                                    rangeLink(start, start + 86'400'000), tr("Show that day")));
            started->addWidget(plain(tr("(%1 deferred tries, bounces and rejects)").arg(number(problems(peak->counts)))));
        }
    } else if (s.byDay.size() == 1) {
        const auto peak = std::max_element(s.byHour.begin(), s.byHour.end(),
                                           [&](const StatsHour &a, const StatsHour &b) { return problems(a) < problems(b); });
        const int hour = static_cast<int>(peak - s.byHour.begin());
        if (problems(*peak) > 0) {
            const qint64 start = SummaryModel::dayStartMs(s.byDay.front()) + qint64(hour) * 3'600'000;
            started->addWidget(plain(tr("and peaked between")));
            started->addWidget(link(u"problems:peak"_s,
                                    u"%1:00–%2:00"_s.arg(hour, 2, 10, QLatin1Char('0')).arg(hour + 1, 2, 10, QLatin1Char('0')),
                                    rangeLink(start, start + 3'600'000), tr("Show that hour")));
            started->addWidget(plain(tr("(%1 deferred tries, bounces and rejects)").arg(number(problems(*peak)))));
        }
    }
    started->addStretch(1);
    m_layout->addLayout(started);
}

QChartView *SummaryView::barChart(const QStringList &categories, const QList<QList<qint64>> &series,
                                  const QStringList &names, const QString &prefix)
{
    const QPalette pal = palette();
    auto *chart = new QChart;
    chart->setTheme(isDark(pal) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setLabelColor(pal.color(QPalette::Text));
    auto *bars = new QBarSeries;
    const QColor colors[] = {QColor(0x3d, 0xae, 0xe9), QColor(0xda, 0x44, 0x53)};
    qint64 top = 1;
    for (qsizetype i = 0; i < series.size(); ++i) {
        auto *set = new QBarSet(names.value(i));
        for (qint64 v : series[i]) {
            set->append(static_cast<qreal>(v));
            top = std::max(top, v);
        }
        set->setColor(colors[i % 2]);
        set->setBorderColor(colors[i % 2]);
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
    m_layout->addWidget(heading(tr("Traffic")));
    const StatsDay *only = s.byDay.size() == 1 ? &s.byDay.front() : nullptr;
    if (s.peakHour >= 0) {
        const StatsHour &peak = s.byHour[static_cast<std::size_t>(s.peakHour)];
        auto *row = new QHBoxLayout;
        row->addWidget(plain(tr("Busiest hour:")));
        const QString hours = u"%1:00–%2:00"_s.arg(s.peakHour, 2, 10, QLatin1Char('0')).arg(s.peakHour + 1, 2, 10, QLatin1Char('0'));
        if (only) {
            const qint64 start = SummaryModel::dayStartMs(*only) + qint64(s.peakHour) * 3'600'000;
            row->addWidget(link(u"peak"_s, hours, rangeLink(start, start + 3'600'000)));
        } else {
            row->addWidget(plain(hours));
        }
        row->addWidget(plain(tr("with %1 messages received, %2 problems")
                                 .arg(number(peak.received), number(peak.deferred + peak.bounced + peak.rejected))));
        row->addStretch(1);
        m_layout->addLayout(row);
    }
    QStringList hours;
    QList<QList<qint64>> hourly(2);
    for (int h = 0; h < 24; ++h) {
        const StatsHour &r = s.byHour[static_cast<std::size_t>(h)];
        hours << QString::number(h);
        hourly[0] << r.received;
        hourly[1] << r.deferred + r.bounced + r.rejected;
        if (only) {
            const qint64 start = SummaryModel::dayStartMs(*only) + qint64(h) * 3'600'000;
            m_links.insert(u"hour:"_s + QString::number(h), rangeLink(start, start + 3'600'000));
        }
    }
    const QStringList names{tr("received"), tr("deferred tries, bounces, rejects")};
    m_layout->addWidget(plain(tr("Per hour of the day")));
    m_hourChart = barChart(hours, hourly, names, u"hour:"_s);
    m_layout->addWidget(m_hourChart);
    if (s.byDay.size() > 1) {
        QStringList days;
        QList<QList<qint64>> daily(2);
        for (std::size_t i = 0; i < s.byDay.size(); ++i) {
            const StatsDay &d = s.byDay[i];
            days << QString::fromStdString(d.day).mid(5);
            daily[0] << d.counts.received;
            daily[1] << d.counts.deferred + d.counts.bounced + d.counts.rejected;
            const qint64 start = SummaryModel::dayStartMs(d);
            m_links.insert(u"day:"_s + QString::number(i), rangeLink(start, start + 86'400'000));
        }
        m_layout->addWidget(plain(tr("Per day")));
        m_dayChart = barChart(days, daily, {tr("received"), tr("deferred tries, bounces, rejects")}, u"day:"_s);
        m_layout->addWidget(m_dayChart);
    }
}

void SummaryView::addSecurity(const Stats &s, QBoxLayout *clients)
{
    m_layout->addWidget(heading(tr("Security")));
    // Clients without a message are listed in a section of their own (`clients`): Security must not
    // stand empty above them.
    const bool quiet = s.authFailuresByClient.empty() && s.relayDenials.empty() && s.rblHits.empty();
    if (quiet) {
        QLabel *none = plain(s.clientIncidents.empty() ? tr("No authentication failures, relay denials, RBL hits or misbehaving clients.")
                                                       : tr("No authentication failures, relay denials or RBL hits."));
        none->setObjectName(u"security:none"_s);
        m_layout->addWidget(none);
        if (s.clientIncidents.empty())
            return;
    }
    // A count of incidents shows them (they belong to no message); the client beside it, the
    // messages of that client (what else it tried).
    auto incidents = [](int kind, const QString &ip, const QString &user, const QString &title) {
        SummaryLink l;
        l.kind = SummaryLink::Kind::Incidents;
        l.incidents.kinds.push_back(kind);  // not = {kind}: GCC 14 with ASan warns of a bound it misreads
        l.incidents.clientIp = ip.toStdString();
        l.incidents.user = user.toStdString();
        l.incidentsTitle = title;
        return l;
    };
    // A list of sources: count, key, detail, first and last seen. cells() adds the count and the key
    // of each row (columns 0 and 1), which differ in what they link to.
    auto sourceGrid = [&](QBoxLayout *into, const QString &title, const QStringList &labels, const std::vector<StatsSource> &rows,
                          const std::function<void(QGridLayout *, int, std::size_t, const QString &)> &cells) {
        if (rows.empty())
            return;
        auto *column = new QVBoxLayout;
        column->setSpacing(m_layout->spacing());
        into->addLayout(column);
        column->addWidget(plain(title));
        auto *grid = new QGridLayout;
        grid->setHorizontalSpacing(12);
        // labels: what is counted, the key and the detail.
        headers(grid, 0, title, labels + QStringList{tr("first seen"), tr("last seen")});
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const StatsSource &r = rows[i];
            const int row = static_cast<int>(i) + 1;
            cells(grid, row, i, QString::fromStdString(r.key));
            grid->addWidget(plain(QString::fromStdString(r.detail)), row, 2);
            grid->addWidget(plain(shortTime(s, r.firstMs)), row, 3);
            grid->addWidget(plain(shortTime(s, r.lastMs)), row, 4);
        }
        column->addLayout(grid);
        column->addStretch(1);  // a short list beside a long one stays at the top
    };
    auto incidentTable = [&](QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows,
                             const QString &prefix, bool byUser) {
        const QStringList labels = prefix == u"client:"_s ? QStringList{tr("lines"), tr("client IP"), tr("what")}
                                   : byUser                ? QStringList{tr("failures"), tr("username"), tr("client IP")}
                                                           : QStringList{tr("failures"), tr("client IP"), tr("client host")};
        sourceGrid(into, title, labels, rows,
                   [&](QGridLayout *grid, int row, std::size_t i, const QString &key) {
            const StatsSource &r = rows[i];
            const QString detail = QString::fromStdString(r.detail);
            const int kind = r.incidentKind;
            const QString what = prefix == u"client:"_s ? tr("%1 of %2").arg(detail, key)
                                 : byUser                ? tr("SASL failures of the login %1").arg(key)
                                                         : tr("SASL failures from %1").arg(key);
            grid->addWidget(link(prefix + QString::number(i), number(r.count),
                                 incidents(kind, byUser ? QString() : key, byUser ? key : QString(), what),
                                 tr("Show these lines of the log")),
                            row, 0);
            if (byUser || key.isEmpty())
                grid->addWidget(plain(key), row, 1);
            else {
                QLabel *client = link(prefix + u"messages:"_s + QString::number(i), key, textLink(key),
                                      tr("Show the messages of this client"));
                client->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);  // a name, not a number
                grid->addWidget(client, row, 1);
            }
        });
    };
    auto table = [&](QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows, const QString &prefix,
                     bool byTime, const QStringList &labels) {
        sourceGrid(into, title, labels, rows, [&](QGridLayout *grid, int row, std::size_t i, const QString &key) {
            // A failed login belongs to no message: its client's link shows the messages of that
            // client (what else it tried), not every message of the time of the attack.
            const SummaryLink target = byTime ? textLink(key) : textLink(key, u"rejected"_s);
            grid->addWidget(link(prefix + QString::number(i), number(rows[i].count), target), row, 0);
            grid->addWidget(plain(key), row, 1);
        });
    };
    if (s.authFailures > 0) {
        auto *row = new QHBoxLayout;
        qint64 first = std::numeric_limits<qint64>::max(), last = 0;
        for (const StatsSource &r : s.authFailuresByClient) {
            first = std::min(first, qint64(r.firstMs));
            last = std::max(last, qint64(r.lastMs));
        }
        // Every failure line, as each client's count opens its own: the attack is in those lines,
        // not in the messages of its time (a user clicking the total expects the attack).
        if (!s.authFailuresByClient.empty()) {
            row->addWidget(link(u"auth:total"_s, number(s.authFailures),
                                incidents(s.authFailuresByClient.front().incidentKind, {}, {}, tr("SASL authentication failures")),
                                tr("Show these lines of the log")));
        } else {
            row->addWidget(link(u"auth:total"_s, number(s.authFailures), rangeLink(first, last + 1000),
                                tr("Show the messages of the time of the failures")));
        }
        row->addWidget(plain(s.authFailures == 1 ? tr("SASL authentication failure")
                                                 : tr("SASL authentication failures from %1 clients").arg(number(s.authFailureClients))));
        row->addStretch(1);
        m_layout->addLayout(row);
        if (s.authFailuresAtPassword > 0) {
            QLabel *prompt = plain(tr("%1 of them: %2").arg(number(s.authFailuresAtPassword),
                                                           explainSaslFailure(QLatin1String(PasswordPrompt))), true);
            prompt->setObjectName(u"auth:prompt"_s);
            m_layout->addWidget(prompt);
        }
    }
    // Side by side, two lists to a row: an attack's clients and logins fill ten rows each, and
    // the reasons below must stay on the first screen.
    auto pair = [this] {
        auto *row = new QHBoxLayout;
        row->setSpacing(48);
        m_layout->addLayout(row);
        return row;
    };
    if (!quiet) {
        QHBoxLayout *sasl = pair();
        incidentTable(sasl, tr("SASL authentication failures by client"), s.authFailuresByClient, u"auth:"_s, false);
        incidentTable(sasl, tr("SASL authentication failures by username"), s.authFailuresByUser, u"authuser:"_s, true);
        sasl->addStretch(1);
        QHBoxLayout *refused = pair();
        table(refused, tr("Relay access denied, by client"), s.relayDenials, u"relay:"_s, false,
              {tr("recipients refused"), tr("client IP"), tr("client host")});
        table(refused, tr("RBL hits, by client"), s.rblHits, u"rbl:"_s, false, {tr("recipients refused"), tr("client IP"), tr("list")});
        refused->addStretch(1);
    }
    if (s.clientIncidents.empty())
        return;
    clients->addWidget(heading(tr("Clients without a message")));
    clients->addWidget(plain(tr("Client warnings (non-SMTP commands, errors, TLS) %1, lost connections %2, "
                                "clients screened (postscreen, DNSBL) %3")
                                 .arg(number(s.clientWarnings), number(s.lostConnections), number(s.screened)),
                             true));
    QHBoxLayout *row = new QHBoxLayout;
    clients->addLayout(row);
    incidentTable(row, tr("Client warnings, lost connections and screening, by client"), s.clientIncidents, u"client:"_s, false);
    row->addStretch(1);
}

void SummaryView::addReasons(const Stats &s)
{
    if (s.reasons.empty())
        return;
    m_layout->addWidget(heading(tr("Deferral and bounce reasons")));
    m_layout->addWidget(plain(tr("Every deferred try counts, whatever became of its recipient (a greylisted one delivered "
                                 "later too); bounced and expired count recipients."),
                              true));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    headers(grid, 0, u"reasons"_s, {tr("tries or recipients"), tr("status"), tr("destination"), tr("reply")});
    for (std::size_t i = 0; i < s.reasons.size(); ++i) {
        const StatsReason &r = s.reasons[i];
        const int row = static_cast<int>(i) + 1;
        const QString status = QString::fromStdString(r.status);
        const QString host = QString::fromStdString(r.host);
        // The recipients in that state at that destination with that reply: what tells this
        // reason from the others (those of one host and code whose texts differ are listed together).
        // A deferral's recipient may have been delivered since: the rows with such a try.
        SummaryLink target{SummaryLink::Kind::Destination, host, status, 0, 0, {}, {}, {}};
        if (r.status == "deferred")
            target = SummaryLink{SummaryLink::Kind::DeferredAt, host, {}, 0, 0, {}, {}, {}};
        if (r.replyCode != 0)
            target.code = QString::number(r.replyCode);
        grid->addWidget(link(u"reason:"_s + QString::number(i), number(r.count), target,
                             tr("%1 to %2").arg(shortTime(s, r.firstMs), shortTime(s, r.lastMs))),
                        row, 0, Qt::AlignTop);
        grid->addWidget(plain(status), row, 1, Qt::AlignTop);
        grid->addWidget(plain(host), row, 2, Qt::AlignTop);
        auto *text = plain(QString::fromStdString(r.text), true);
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
        QLabel *more = plain(tr("Not listed: %1, in reasons less frequent than these (narrow the filter to see them).")
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
    m_layout->addWidget(heading(tr("Connection and DNS problems")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    headers(grid, 0, u"connectivity"_s, {tr("failed tries"), tr("destination"), tr("problem"), tr("first and last try")});
    for (std::size_t i = 0; i < s.connectivity.size(); ++i) {
        const StatsSource &r = s.connectivity[i];
        const int row = static_cast<int>(i) + 1;
        grid->addWidget(link(u"conn:"_s + QString::number(i), number(r.count), textLink(QString::fromStdString(r.key))), row, 0);
        grid->addWidget(plain(QString::fromStdString(r.key)), row, 1);
        grid->addWidget(plain(QString::fromStdString(r.detail)), row, 2);
        grid->addWidget(plain(tr("%1 to %2").arg(shortTime(s, r.firstMs), shortTime(s, r.lastMs))), row, 3);
    }
    grid->setColumnStretch(3, 1);
    m_layout->addLayout(grid);
}

void SummaryView::addRejects(const Stats &s)
{
    if (s.rejectsByReason.empty())
        return;
    m_layout->addWidget(heading(tr("Rejects")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    int row = 0;
    grid->addWidget(plain(tr("By reason")), row++, 0, 1, 3);
    headers(grid, row++, u"rejects"_s, {tr("recipients"), tr("reason"), tr("example")});
    for (std::size_t i = 0; i < s.rejectsByReason.size(); ++i, ++row) {
        const StatsSource &r = s.rejectsByReason[i];
        const QString category = QString::fromStdString(r.key);
        const QString words = rejectWords(category);
        grid->addWidget(link(u"reject:"_s + QString::number(i), number(r.count),
                             words.isEmpty() ? statusLink(u"rejected"_s) : textLink(words, u"rejected"_s)),
                        row, 0, Qt::AlignTop);
        grid->addWidget(plain(category), row, 1, Qt::AlignTop);
        grid->addWidget(plain(QString::fromStdString(r.detail), true), row, 2);
    }
    if (!s.rejectsByClient.empty()) {
        grid->addWidget(plain(tr("By client")), row++, 0, 1, 3);
        headers(grid, row++, u"rejectclients"_s, {tr("recipients"), tr("client IP"), tr("client host")});
    }
    for (std::size_t i = 0; i < s.rejectsByClient.size(); ++i, ++row) {
        const StatsSource &r = s.rejectsByClient[i];
        const QString ip = QString::fromStdString(r.key);
        grid->addWidget(link(u"rejectclient:"_s + QString::number(i), number(r.count), textLink(ip, u"rejected"_s)), row, 0);
        grid->addWidget(plain(ip), row, 1);
        grid->addWidget(plain(QString::fromStdString(r.detail)), row, 2);
    }
    grid->setColumnStretch(2, 1);
    m_layout->addLayout(grid);
}

void SummaryView::addTops(const Stats &s)
{
    m_layout->addWidget(heading(tr("Top senders and destinations")));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    int column = 0;
    // counted: what the number of each line counts.
    auto list = [&](const QString &title, const std::vector<StatsCount> &rows, const QString &prefix, bool byProblems,
                    SummaryLink::Kind kind, const QString &counted) {
        grid->addWidget(plain(title), 0, column, 1, 2);
        QLabel *what = plain(counted);
        QFont f = what->font();
        f.setItalic(true);
        what->setFont(f);
        what->setObjectName(u"header:"_s + prefix);
        what->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(what, 1, column);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const StatsCount &r = rows[i];
            const QString key = QString::fromStdString(r.key);
            SummaryLink target{kind, key, {}, 0, 0, {}, {}, {}};
            if (byProblems && kind == SummaryLink::Kind::RecipientDomain)
                target.status = u"deferred,bounced,expired,rejected"_s;
            // A destination counts the recipients tried there (a hand-over to a chain's next hop
            // is none), by problems those not delivered.
            if (kind == SummaryLink::Kind::Destination)
                target.status = byProblems ? u"deferred,bounced,expired"_s : u"sent,deferred,bounced,expired"_s;
            grid->addWidget(link(prefix + QString::number(i), number(byProblems ? r.problems : r.count), target),
                            static_cast<int>(i) + 2, column);
            grid->addWidget(plain(key.isEmpty() && kind == SummaryLink::Kind::Sender ? u"<>"_s : key),
                            static_cast<int>(i) + 2, column + 1);
        }
        column += 2;
    };
    list(tr("Senders"), s.topSenders, u"sender:"_s, false, SummaryLink::Kind::Sender, tr("messages"));
    list(tr("Sender domains"), s.topSenderDomains, u"senderdomain:"_s, false, SummaryLink::Kind::SenderDomain, tr("messages"));
    list(tr("Recipient domains"), s.topRecipientDomains, u"rcptdomain:"_s, false, SummaryLink::Kind::RecipientDomain,
         tr("recipients"));
    list(tr("Destinations"), s.topRelays, u"relay-host:"_s, false, SummaryLink::Kind::Destination, tr("recipients tried"));
    m_layout->addLayout(grid);
    if (!s.problemRecipientDomains.empty() || !s.problemRelays.empty()) {
        m_layout->addWidget(heading(tr("Most problems")));
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
    m_layout->addWidget(heading(tr("Delays")));
    const QString over = s.delaySamples == 1 ? tr("1 delivered recipient") : tr("%L1 delivered recipients").arg(s.delaySamples);
    m_layout->addWidget(plain(tr("From arrival to delivery, over %1: median %2, 95th percentile %3")
                                  .arg(over, seconds(s.delayMedianSec), seconds(s.delayP95Sec))));
}

} // namespace mailtrail
