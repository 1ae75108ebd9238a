// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "summarysecurity.h"

#include "saslprompt.h"
#include "correlation/correlator.h"
#include "summarywidgets.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>


using namespace Qt::StringLiterals;

namespace mailtrail {

using namespace summary;

namespace {

// A count of incidents shows them (they belong to no message).
SummaryLink incidents(int kind, const QString &ip, const QString &user, const QString &title)
{
    SummaryLink l;
    l.kind = SummaryLink::Kind::Incidents;
    l.incidents.kinds.push_back(kind);  // not = {kind}: GCC 14 with ASan warns of a bound it misreads
    l.incidents.clientIp = ip.toStdString();
    l.incidents.user = user.toStdString();
    l.incidentsTitle = title;
    return l;
}

} // namespace

SummarySecurity::SummarySecurity(SummaryWidgets &widgets, QVBoxLayout *layout, const Stats &stats,
                                 const std::map<std::string, std::vector<std::int64_t>> &rejects)
    : m_w(widgets)
    , m_layout(layout)
    , m_s(stats)
    , m_rejects(rejects)
{
}

void SummarySecurity::add(QBoxLayout *clients)
{
    const Stats &s = m_s;
    m_layout->addWidget(m_w.heading(tr("Security")));
    // The numbers below count lines of no message: a filter of messages cannot narrow them, and
    // they stood beside totals it narrowed as if it had.
    if (!m_ignored.isEmpty()) {
        QLabel *note = m_w.plain(tr("Authentication failures and clients without a message belong to no message: of the "
                                    "filter, only the time range, host and logs apply to them, not the %1 filter.").arg(m_ignored), true);
        note->setObjectName(u"security:ignores"_s);
        m_layout->addWidget(note);
    }
    // Clients without a message are listed in a section of their own (`clients`): Security must not
    // stand empty above them.
    // Failures of local callers alone list no client, and are failures all the same.
    const bool quiet = s.authFailures == 0 && s.relayDenials.empty() && s.rblHits.empty();
    if (quiet) {
        QLabel *none = m_w.plain(s.clientIncidents.empty() ? tr("No authentication failures, relay denials, RBL hits or misbehaving clients.")
                                                           : tr("No authentication failures, relay denials or RBL hits."));
        none->setObjectName(u"security:none"_s);
        m_layout->addWidget(none);
        if (s.clientIncidents.empty())
            return;
    }
    addTotal();
    // Side by side, two lists to a row: an attack's clients and logins fill ten rows each, and
    // the reasons below must stay on the first screen.
    if (!quiet) {
        QBoxLayout *sasl = pair();
        incidentTable(sasl, tr("SASL authentication failures by client"), s.authFailuresByClient, u"auth:"_s, false);
        incidentTable(sasl, tr("SASL authentication failures by username"), s.authFailuresByUser, u"authuser:"_s, true);
        sasl->addStretch(1);
        QBoxLayout *refused = pair();
        refusalTable(refused, tr("Relay access denied, by client"), s.relayDenials, u"relay:"_s,
                     {tr("recipients refused"), tr("client IP"), tr("client host")});
        refusalTable(refused, tr("RBL hits, by client"), s.rblHits, u"rbl:"_s, {tr("recipients refused"), tr("client IP"), tr("list")});
        refused->addStretch(1);
    }
    if (s.clientIncidents.empty())
        return;
    clients->addWidget(m_w.heading(tr("Clients without a message")));
    // Each count with its noun in the number's form ("clients screened (postscreen, DNSBL) 1"
    // read as one count of several): no English plural forms are installed for %n.
    const QString warnings = s.clientWarnings == 1 ? tr("1 client warning") : tr("%1 client warnings").arg(number(s.clientWarnings));
    const QString lost = s.lostConnections == 1 ? tr("1 lost connection") : tr("%1 lost connections").arg(number(s.lostConnections));
    const QString screened = s.screenedClients == 1 ? tr("1 client screened") : tr("%1 clients screened").arg(number(s.screenedClients));
    const QString verdicts = s.screened == 1 ? tr("1 verdict") : tr("%1 verdicts").arg(number(s.screened));
    QLabel *counts = m_w.plain(tr("%1 (non-SMTP commands, errors, TLS), %2, %3 by postscreen or a DNSBL (%4)")
                                   .arg(warnings, lost, screened, verdicts),
                               true);
    counts->setObjectName(u"clients:counts"_s);
    clients->addWidget(counts);
    auto *row = new QHBoxLayout;
    clients->addLayout(row);
    incidentTable(row, tr("Client warnings, lost connections and screening, by client"), s.clientIncidents, u"client:"_s, false);
    row->addStretch(1);
}

void SummarySecurity::addTotal()
{
    const Stats &s = m_s;
    if (s.authFailures == 0)
        return;
    auto *row = new QHBoxLayout;
    // Every failure line, as each client's count opens its own: the attack is in those lines,
    // not in the messages of its time (a user clicking the total expects the attack). Those of
    // local callers too, which no client's count lists.
    row->addWidget(m_w.link(u"auth:total"_s, number(s.authFailures),
                            incidents(static_cast<int>(IncidentKind::AuthFailure), {}, {}, tr("SASL authentication failures")),
                            tr("Show these lines of the log")));
    // Where they came from, as `mailtrail-cli stats` says it: the clients on the network, and the
    // local callers, which have no address (Exim's "authenticator failed for U=CALLER"); never
    // "from 0 clients" when every failure was a local caller's.
    const QString clients = s.authFailureClients == 1 ? tr("1 client") : tr("%1 clients").arg(number(s.authFailureClients));
    const QString local = s.authFailuresLocal == 1 ? tr("a local caller") : tr("local callers");
    QString failures = tr("SASL authentication failure");
    if (s.authFailures > 1 && s.authFailuresLocal == 0)
        failures = tr("SASL authentication failures from %1").arg(clients);
    else if (s.authFailures > 1 && s.authFailureClients == 0)
        failures = tr("SASL authentication failures from %1").arg(local);
    else if (s.authFailures > 1)
        failures = tr("SASL authentication failures from %1 and %2").arg(clients, local);
    QLabel *total = m_w.plain(failures);
    total->setObjectName(u"auth:words"_s);
    row->addWidget(total);
    row->addStretch(1);
    m_layout->addLayout(row);
    if (s.authFailuresAtPassword > 0) {
        QLabel *prompt = m_w.plain(tr("%1 of them: %2").arg(number(s.authFailuresAtPassword),
                                                           explainSaslFailure(QLatin1String(PasswordPrompt))), true);
        prompt->setObjectName(u"auth:prompt"_s);
        m_layout->addWidget(prompt);
    }
}

QBoxLayout *SummarySecurity::pair()
{
    auto *row = new QBoxLayout(m_narrow ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    row->setSpacing(m_narrow ? m_layout->spacing() : 48);
    m_layout->addLayout(row);
    return row;
}

void SummarySecurity::sourceGrid(QBoxLayout *into, const QString &title, const QStringList &labels,
                                 const std::vector<StatsSource> &rows, const Cells &cells)
{
    if (rows.empty())
        return;
    auto *column = new QVBoxLayout;
    column->setSpacing(m_layout->spacing());
    into->addLayout(column);
    column->addWidget(m_w.plain(title));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    // labels: what is counted, the key and the detail.
    m_w.headers(grid, 0, title, labels + QStringList{tr("first seen"), tr("last seen")});
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const StatsSource &r = rows[i];
        const int row = static_cast<int>(i) + 1;
        cells(grid, row, i, QString::fromStdString(r.key));
        grid->addWidget(m_w.plain(QString::fromStdString(r.detail)), row, 2);
        grid->addWidget(m_w.plain(logTime(m_s, r.firstMs)), row, 3);
        grid->addWidget(m_w.plain(logTime(m_s, r.lastMs)), row, 4);
    }
    // The columns as wide as their texts, the room left after them (one under the other, a
    // narrow window's lists would spread their columns across it).
    grid->setColumnStretch(5, 1);
    column->addLayout(grid);
    column->addStretch(1);  // a short list beside a long one stays at the top
}

void SummarySecurity::incidentTable(QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows,
                                    const QString &prefix, bool byUser)
{
    const QStringList labels = prefix == u"client:"_s ? QStringList{tr("lines"), tr("client IP"), tr("what")}
                               // A login's clients: its one IP, or how many ("4 clients").
                               : byUser                ? QStringList{tr("failures"), tr("username"), tr("from")}
                                                       : QStringList{tr("failures"), tr("client IP"), tr("client host")};
    sourceGrid(into, title, labels, rows, [&](QGridLayout *grid, int row, std::size_t i, const QString &key) {
        const StatsSource &r = rows[i];
        const QString detail = QString::fromStdString(r.detail);
        const QString what = prefix == u"client:"_s ? tr("%1 of %2").arg(detail, key)
                             : byUser                ? tr("SASL failures of the login %1").arg(key)
                                                     : tr("SASL failures from %1").arg(key);
        grid->addWidget(m_w.link(prefix + QString::number(i), number(r.count),
                                 incidents(r.incidentKind, byUser ? QString() : key, byUser ? key : QString(), what),
                                 tr("Show these lines of the log")),
                        row, 0);
        if (byUser || key.isEmpty()) {
            grid->addWidget(m_w.plain(key), row, 1);
        } else {
            // The client beside the count: every line of it (its SASL failures, lost connections,
            // warnings), which are no message: the table would stand empty (a free-text search
            // for an IP finds only replies that name it).
            QLabel *client = m_w.link(prefix + u"messages:"_s + QString::number(i), key, clientLinesLink(key),
                                      tr("Show every line of this client"));
            client->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);  // a name, not a number
            grid->addWidget(client, row, 1);
        }
    });
}

void SummarySecurity::refusalTable(QBoxLayout *into, const QString &title, const std::vector<StatsSource> &rows,
                                   const QString &prefix, const QStringList &labels)
{
    sourceGrid(into, title, labels, rows, [&](QGridLayout *grid, int row, std::size_t i, const QString &key) {
        // The recipients refused to that client.
        grid->addWidget(m_w.link(prefix + QString::number(i), number(rows[i].count), clientRejectsLink(m_rejects, key)), row, 0);
        grid->addWidget(m_w.plain(key), row, 1);
    });
}

} // namespace mailtrail
