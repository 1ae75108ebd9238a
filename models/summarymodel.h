// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "cache/stats.h"
#include "problempeak.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace mailtrail {

// What a click on a number of the summary asks for: one more condition on the filter.
struct SummaryLink {
    enum class Kind {
        Status,           // value: "sent", "deferred"..., or several joined with ','
        Sender,           // value: an address ("" the null sender)
        SenderDomain,     // value: a domain
        RecipientDomain,  // value: a domain
        Text,             // value: words that must appear (a relay, a client IP, a reply)
        Code,             // value: a reply code or enhanced status code
        TimeRange,        // sinceMs .. untilMs
        Incidents,        // no condition on the filter: the incidents of `incidents` (see below)
        Tried,            // value: a try's outcome or code (Filter::triedAs): rows with such a try,
                          // within sinceMs .. untilMs when they are set (Filter::triedSinceMs...)
        Destination,      // value: a remote host, as the summary names destinations, or "@" and a
                          // recipient domain where the tries name none; with `code`
        DeferredAt,       // value: a remote host; code: a reply code, "" none: rows with a try
                          // deferred so there (a deferral reason; the recipient may be delivered since)
        RejectReason,     // value: a kind of refusal, as the statistics name it (Filter::rejectReason)
        Connectivity,     // value: a destination, as Destination; code: the problem, as the statistics
                          // name it ("connection timed out"): rows with a failed try there, whose
                          // lines say so (connectivityWords)
        Messages,         // messageIds: these messages (a client's, found by the summary's reading)
        Received,         // value: "yes" the messages received in these logs, "no" the other rows
                          // (Filter::received)
    };
    Kind kind = Kind::Status;
    QString value;
    QString status;       // also asked for with Text, Code and Destination ("rejected" for a reject reason)
    qint64 sinceMs = 0;
    qint64 untilMs = 0;
    // With Incidents: which lines (a SASL failure belongs to no message, so the table cannot
    // show it), and what they are, in words.
    IncidentQuery incidents;
    QString incidentsTitle;
    QString code;  // also asked for with Destination (a reason: its host and reply code)
    // The table whose rows the number counts: Deliveries for recipients and tries, Messages for
    // messages; none (a time range, a text) keeps the one on show.
    std::optional<Grain> grain;
    std::vector<std::int64_t> messageIds;  // with Messages

    // `base` with this link's condition added (replacing the same kind of condition).
    Filter applied(Filter base) const;

    // The words of the reply that a connectivity problem of this name always has, for a text
    // filter; "" where its replies say it in more than one way ("host not found").
    static QString connectivityWords(const QString &problem);
};

// The numbers of the Summary view for a filter (scope included), read off the GUI thread from a
// connection of its own. A newer request supersedes an older one that is still running.
class SummaryModel : public QObject
{
    Q_OBJECT
public:
    explicit SummaryModel(QString cachePath, QObject *parent = nullptr);
    ~SummaryModel() override;

    void request(const Filter &filter);
    const Filter &filter() const { return m_filter; }
    const Stats &stats() const { return m_stats; }
    // When the problems peaked, as `mailtrail-cli stats` names it (ProblemPeak); none without any.
    const std::optional<ProblemPeak> &problemPeak() const { return m_peak; }
    // The offset from UTC of the log whose try failed first, as mailtrail-cli stats says that
    // moment (firstProblemOffset).
    std::int32_t firstProblemOffset() const { return m_firstProblemOffset; }
    // The messages with a rejected recipient from each client IP the stats list in their rejects,
    // relay denials and RBL hits (at most MaxClientMessages each): what their counts' links list.
    const std::map<std::string, std::vector<std::int64_t>> &rejectedMessagesByClient() const { return m_clientRejects; }
    static constexpr std::size_t MaxClientMessages = 10'000;
    // How many logs the numbers cover (the filter's, or without one every log of the cache): the
    // words that name them follow it ("this log", "these logs"). 0 before the first answer.
    qsizetype logs() const { return m_logs; }
    bool isBusy() const { return m_busy; }
    QString error() const { return m_error; }
    // Waits for the running request and delivers its answer (tests, screenshots).
    void waitForIdle();

    // The start of an hour of the day, in UTC epoch ms, on the day of `day` (YYYY-MM-DD in the
    // log's clock, `utcOffsetSec` from UTC).
    static qint64 dayStartMs(const StatsDay &day);
    // The days of `days` (in order) with the days between them that have no traffic, at zero,
    // so that a chart of them has a true axis; unchanged when they span more than MaxFilledDays.
    static std::vector<StatsDay> withQuietDays(const std::vector<StatsDay> &days);
    static constexpr int MaxFilledDays = 92;
    // The top lists of `s` by their count (the problem lists by their problems), highest first,
    // those of equal count by name in natural order (naturalLess: 158.24.101.9 before
    // 158.24.101.10). The statistics break ties so only where they cut a list (StatsTally, the
    // incident lists' SQL); the other lists come in the order of their query.
    static void sortLists(Stats &s);

Q_SIGNALS:
    void busyChanged(bool busy);
    void failed(const QString &error);
    void updated();

private:
    QString m_cachePath;
    Filter m_filter;
    Stats m_stats;
    std::optional<ProblemPeak> m_peak;
    std::int32_t m_firstProblemOffset = 0;
    qsizetype m_logs = 0;
    std::map<std::string, std::vector<std::int64_t>> m_clientRejects;
    QString m_error;
    bool m_busy = false;
    quint64 m_generation = 0;
    // Set when a newer request supersedes the running one: its queries stop within milliseconds
    // (a summary of a big cache takes seconds, and typing in the filter bar asks for many).
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QThreadPool m_pool;  // one thread: its cache connection stays on it
};

} // namespace mailtrail
