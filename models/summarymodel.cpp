// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "summarymodel.h"

#include "threadconnection.h"

#include "cache/cache.h"
#include "cache/naturalorder.h"
#include "cache/statsqueries.h"

#include <QCoreApplication>
#include <QDate>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QTimeZone>
#include <QtConcurrentRun>

#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcSummary, "mailtrail.models.summary")

namespace mailtrail {

Filter SummaryLink::applied(Filter base) const
{
    auto statuses = [](const QString &list) {
        std::vector<std::string> out;
        for (const QString &s : list.split(u',', Qt::SkipEmptyParts))
            out.push_back(s.trimmed().toStdString());
        return out;
    };
    // "@example.org": a reason whose tries name no remote host goes by its recipients' domain.
    auto destination = [this](Filter &f) {
        if (value.startsWith(u'@'))
            f.recipient = QString(QStringLiteral("*") + value).toStdString();
        else
            f.destination = value.toStdString();
    };
    switch (kind) {
    case Kind::Status:
        base.statuses = statuses(value);
        break;
    case Kind::Sender:
        // As the log writes it, so that the null sender reads "<>" in the filter bar.
        base.sender = QString(QStringLiteral("<") + value + QStringLiteral(">")).toStdString();
        break;
    case Kind::SenderDomain:
        base.sender = QString(QStringLiteral("*@") + value).toStdString();
        break;
    case Kind::RecipientDomain:
        base.recipient = QString(QStringLiteral("*@") + value).toStdString();
        break;
    case Kind::Text:
        base.text = value.toStdString();
        break;
    case Kind::Code:
        base.code = value.toStdString();
        break;
    case Kind::TimeRange:
        base.sinceMs = sinceMs;
        base.untilMs = untilMs;
        break;
    case Kind::Incidents:
        return base;
    case Kind::Tried:
        base.triedAs = value.toStdString();
        // A range of the tries, as a segment of the chart has (0 and 0: any time).
        if (sinceMs != 0 || untilMs != 0) {
            base.triedSinceMs = sinceMs;
            base.triedUntilMs = untilMs;
        }
        break;
    case Kind::Destination:
        destination(base);
        base.code = code.toStdString();
        break;
    case Kind::DeferredAt:
        destination(base);
        base.triedAs = code.isEmpty() ? std::string("deferred") : code.toStdString();
        break;
    case Kind::RejectReason:
        base.rejectReason = value.toStdString();
        break;
    case Kind::Connectivity:
        // The destination and a failed try, as the statistics count them (statstally's addReason:
        // a deferred try or a bounce, whose reply names the problem); the words tell this problem
        // from another reply of the same host (a greylisting's 451).
        destination(base);
        base.triedAs = "failed";
        if (const QString words = connectivityWords(code); !words.isEmpty())
            base.text = words.toStdString();
        break;
    case Kind::Messages:
        base.messageIds = messageIds;
        break;
    case Kind::Received:
        base.received = value.toStdString();
        break;
    }
    if (!status.isEmpty() && kind != Kind::Status)
        base.statuses = statuses(status);
    return base;
}

QString SummaryLink::connectivityWords(const QString &problem)
{
    // statsreplies' connectivityCategory, where one phrase names the problem.
    if (problem == QLatin1String("connection refused"))
        return QStringLiteral("Connection refused");
    if (problem == QLatin1String("connection timed out"))
        return QStringLiteral("timed out");
    return {};
}

namespace {
struct Answer {
    Stats stats;
    std::optional<ProblemPeak> peak;
    std::int32_t firstProblemOffset = 0;
    std::map<std::string, std::vector<std::int64_t>> clientRejects;
    qsizetype logs = 0;
    std::string error;
};
} // namespace

SummaryModel::SummaryModel(QString cachePath, QObject *parent)
    : QObject(parent)
    , m_cachePath(std::move(cachePath))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

SummaryModel::~SummaryModel()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_pool.waitForDone();
}

void SummaryModel::request(const Filter &filter)
{
    m_filter = filter;
    const quint64 generation = ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;  // the filter changed since: a newer answer is on its way
        Answer answer = watcher->result();
        m_error = QString::fromStdString(answer.error);
        m_stats = m_error.isEmpty() ? std::move(answer.stats) : Stats{};
        m_peak = m_error.isEmpty() ? answer.peak : std::nullopt;
        m_firstProblemOffset = answer.firstProblemOffset;
        m_logs = answer.logs;
        m_clientRejects = m_error.isEmpty() ? std::move(answer.clientRejects) : decltype(m_clientRejects){};
        // The query has a row only for a day with traffic: 11-21 stood next to 12-03.
        m_stats.byDay = withQuietDays(m_stats.byDay);
        m_busy = false;
        Q_EMIT busyChanged(false);
        if (!m_error.isEmpty()) {
            qCWarning(lcSummary) << "summary query failed:" << m_error;
            Q_EMIT failed(m_error);
        }
        Q_EMIT updated();
    });
    const std::string path = m_cachePath.toStdString();
    watcher->setFuture(QtConcurrent::run(&m_pool, [filter, path, cancel] {
        Answer answer;
        if (cancel->load())
            return answer;  // superseded while it waited: its answer would be dropped
        // One read-only connection for the pool's one thread, kept between requests (and opened
        // afresh when the cache was emptied).
        Cache *cache = ThreadConnection::get(path, &answer.error);
        if (!cache)
            return answer;
        StatsQueries queries(*cache);
        cache->setInterruptFlag(cancel.get());
        if (!queries.compute(filter, answer.stats)) {
            answer.error = queries.error();
        } else {
            // The text of a reject names its client only sometimes (an RBL's does): the counts by
            // client link to their messages, found by their client IP.
            std::vector<std::string> ips;
            for (const auto *list : {&answer.stats.rejectsByClient, &answer.stats.relayDenials, &answer.stats.rblHits}) {
                for (const StatsSource &r : *list) {
                    if (!r.key.empty())
                        ips.push_back(r.key);
                }
            }
            if (!queries.rejectedMessagesOf(ips, MaxClientMessages, answer.clientRejects))
                answer.error = queries.error();
            sortLists(answer.stats);
            // The chart's bar where its bars are shorter than an hour: a query of its own.
            answer.peak = ProblemPeak::of(*cache, filter, answer.stats);
            answer.firstProblemOffset = mailtrail::firstProblemOffset(*cache, filter, answer.stats);
            // The window's filter names the logs on show; a filter of none (the CLI's without
            // LOG, the tests') covers every log of the cache.
            answer.logs = filter.fileIds.empty() ? std::ssize(cache->files()) : std::ssize(filter.fileIds);
        }
        cache->setInterruptFlag(nullptr);
        return answer;
    }));
}

void SummaryModel::waitForIdle()
{
    m_pool.waitForDone();
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

qint64 SummaryModel::dayStartMs(const StatsDay &day)
{
    const QDate date = QDate::fromString(QString::fromStdString(day.day), Qt::ISODate);
    if (!date.isValid())
        return day.startMs;
    return date.startOfDay(QTimeZone::UTC).toMSecsSinceEpoch() - qint64(day.utcOffsetSec) * 1000;
}

std::vector<StatsDay> SummaryModel::withQuietDays(const std::vector<StatsDay> &days)
{
    if (days.size() < 2)
        return days;
    const QDate first = QDate::fromString(QString::fromStdString(days.front().day), Qt::ISODate);
    const QDate last = QDate::fromString(QString::fromStdString(days.back().day), Qt::ISODate);
    // Months of empty bars would leave no room for the days that have traffic: left as they are.
    if (!first.isValid() || !last.isValid() || first.daysTo(last) >= MaxFilledDays)
        return days;
    std::vector<StatsDay> filled;
    filled.reserve(static_cast<std::size_t>(first.daysTo(last)) + 1);
    for (const StatsDay &day : days) {
        const QDate date = QDate::fromString(QString::fromStdString(day.day), Qt::ISODate);
        if (!filled.empty() && date.isValid()) {
            // The clock of the day before: a quiet day has no offset of its own.
            const StatsDay before = filled.back();
            for (QDate d = QDate::fromString(QString::fromStdString(before.day), Qt::ISODate).addDays(1); d.isValid() && d < date;
                 d = d.addDays(1)) {
                StatsDay quiet;
                quiet.day = d.toString(Qt::ISODate).toStdString();
                quiet.utcOffsetSec = before.utcOffsetSec;
                quiet.startMs = dayStartMs(quiet);
                filled.push_back(quiet);
            }
        }
        filled.push_back(day);
    }
    return filled;
}

void SummaryModel::sortLists(Stats &s)
{
    const auto byCount = [](const StatsCount &x, const StatsCount &y) {
        return x.count != y.count ? x.count > y.count : naturalLess(x.key, y.key);
    };
    const auto byProblems = [](const StatsCount &x, const StatsCount &y) {
        return x.problems != y.problems ? x.problems > y.problems : naturalLess(x.key, y.key);
    };
    for (auto *list : {&s.topSenders, &s.topSenderDomains, &s.topRecipientDomains, &s.topRelays})
        std::stable_sort(list->begin(), list->end(), byCount);
    for (auto *list : {&s.problemRecipientDomains, &s.problemRelays})
        std::stable_sort(list->begin(), list->end(), byProblems);
    const auto source = [](const StatsSource &x, const StatsSource &y) {
        if (x.count != y.count)
            return x.count > y.count;
        if (x.key != y.key)
            return naturalLess(x.key, y.key);
        return naturalLess(x.detail, y.detail);
    };
    for (auto *list : {&s.rejectsByReason, &s.rejectsByClient, &s.authFailuresByClient, &s.authFailuresByUser, &s.relayDenials,
                       &s.rblHits, &s.connectivity, &s.clientIncidents})
        std::stable_sort(list->begin(), list->end(), source);
}

} // namespace mailtrail
