// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioptions.h"

#include "cache/cache.h"
#include "cache/rows.h"
#include "ingest/formatregistry.h"
#include "logclockreader.h"
#include "timeformat.h"

#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace mailtrail::cli {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

void complain(const QString &line)
{
    err() << line << '\n';
    err().flush();
}

namespace {

// QCommandLineParser names the program in its usage line after the process's own first argument,
// not the one parse() was given: the command word is put in here.
QString commandHelp(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QString usage = u"Usage: "_s;
    const qsizetype options = text.indexOf(u" [options]"_s);
    const qsizetype lineEnd = text.indexOf(u'\n');
    if (text.startsWith(usage) && options > 0 && (lineEnd < 0 || options < lineEnd))
        text.replace(0, options, usage + u"mailtrail-cli "_s + command);
    return text;
}

// The options that take a time: one without an offset is in the logs' clock.
constexpr const char *TimeOptions[] = {"since", "until", "tried-since", "tried-until"};

// Every status --status takes, in the order of DeliveryStatus ("queued" first, for a message or
// recipient with no final word yet): the help and the error both say all of them.
QString statusNames(const QString &separator)
{
    QStringList names;
    for (int i = 0; i <= static_cast<int>(DeliveryStatus::Undeliverable); ++i)
        names << QString::fromLatin1(statusName(static_cast<DeliveryStatus>(i)));
    return names.join(separator);
}

} // namespace

void addCommonOptions(QCommandLineParser &parser)
{
    parser.addOption({u"cache"_s, u"Cache file (default: %1)."_s.arg(QString::fromStdString(Cache::defaultPath())),
                      u"FILE"_s});
    parser.addOption({u"year"_s, u"Year of the first line of logs whose timestamps have none (default: from the "
                                 "file's modification time)."_s,
                      u"YEAR"_s});
    parser.addOption({u"log-format"_s, u"Read the logs named as this format (postfix, exim or sendmail), without detecting it."_s,
                      u"NAME"_s});
}

void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption({u"sender"_s, u"Sender matches GLOB (* and ?), or contains it when it has no wildcard; an address "
                                   "in brackets (<alice@example.com>) is that address whole; <> is the null sender."_s, u"GLOB"_s});
    parser.addOption({u"recipient"_s, u"A recipient (or original recipient) matches GLOB, as --sender does."_s, u"GLOB"_s});
    parser.addOption({u"status"_s, u"Status is one of LIST: %1."_s.arg(statusNames(u","_s)), u"LIST"_s});
    parser.addOption({u"code"_s, u"Final reply code (550), class (5xx, 4) or enhanced status code (5.1.1, 4.7); an "
                                 "earlier try's code is --tried-as (said on stderr when --code finds nothing that "
                                 "--tried-as would)."_s, u"N"_s});
    parser.addOption({u"since"_s, u"First seen (arrived; of a delivery, its message arrived: its tries are --tried-since) at or after T: 2026-11-22, 2026-11-22T08:00[:SS] in the logs' own clock (the "
                                   "times the table shows, as the window takes them, whatever this computer's zone), with Z or "
                                   "+01:00 for a time of that offset, or @EPOCH-SECONDS. Logs of several offsets: the clock of the log "
                                   "with the newest mail, said on stderr."_s, u"T"_s});
    parser.addOption({u"until"_s, u"First seen before T."_s, u"T"_s});
    parser.addOption({u"tried-since"_s, u"Has a delivery try at or after T (a last try or a counted earlier attempt, as "
                                         "the chart counts them); T as for --since."_s, u"T"_s});
    parser.addOption({u"tried-until"_s, u"Has a delivery try before T."_s, u"T"_s});
    parser.addOption({u"tried-as"_s, u"Has a delivery try (within --tried-since/--tried-until) that was delivered, deferred "
                                      "(an expired recipient's tries too), bounced or rejected, failed (any but delivered), or got reply code N (450) "
                                      "or enhanced status code D (4.2.0); delivered-no-reply: delivered with no reply code "
                                      "logged (Postfix's local, pipe, virtual; Sendmail and Exim log none for a delivery); "
                                      "no-reply: not delivered and no reply code logged (a timeout, a refused connection, "
                                      "a refusal logged without one); no-dsn: got no enhanced code. Several codes of one "
                                      "kind, comma-separated (504,421): a try of any of them (the chart's Other)."_s, u"WHAT"_s});
    parser.addOption({u"destination"_s, u"Delivered or tried at this remote host, as stats names destinations: the relay's "
                                         "host (mx.example.org), or the host a failed connection names; none: tried at no "
                                         "host. @DOMAIN, as stats names where tries that named no host were going: the "
                                         "recipients of that domain."_s, u"HOST"_s});
    parser.addOption({u"reject-reason"_s, u"Rejected recipients whose refusal is of this kind, as stats names the "
                                           "kinds (RBL, relay denied, unknown user, HELO, sender domain, client host, message "
                                           "size, content, other), in any MTA's words."_s, u"KIND"_s});
    parser.addOption({u"host"_s, u"Mail of this server only (the host name its log lines give)."_s, u"NAME"_s});
    parser.addOption({u"source-format"_s, u"Mail whose first log was read as this format (postfix, exim, sendmail)."_s, u"NAME"_s});
    parser.addOption({u"text"_s, u"All WORDS appear in addresses, ids, relays, reply texts or the verdicts of filters "
                                 "(DKIM, SPF, DMARC, spam)."_s, u"WORDS"_s});
    parser.addOption({u"tls"_s, u"yes: came or left over TLS; no: came over SMTP or was tried at a network relay without "
                                "TLS logged (a hand-over to the next hop of a chain aside)."_s, u"yes|no"_s});
    parser.addOption({u"sasl-user"_s, u"The SASL-authenticated user of a submission matches GLOB."_s, u"GLOB"_s});
    parser.addOption({u"received"_s, u"yes: messages received in these logs, as stats counts \"received\"; no: the other "
                                     "rows (queued before the logs began, refused before queueing, notices)."_s, u"yes|no"_s});
}

int parseArgs(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    parser.addHelpOption();
    QStringList full{u"mailtrail-cli "_s + command};
    full += args;
    if (!parser.parse(full)) {
        err() << "mailtrail-cli " << command << ": " << parser.errorText() << "\n"
              << "Try 'mailtrail-cli " << command << " --help'.\n";
        err().flush();
        return UsageError;
    }
    // Given twice, an option would keep its last value without a word; only --status adds them up.
    // Counted by name: values() of a flag (--verbose) makes Qt complain on stderr.
    const QStringList given = parser.optionNames();
    for (const QString &name : given) {
        const qsizetype times = given.count(name);
        if (times > 1 && name != u"status"_s) {
            complain(u"mailtrail-cli %1: --%2 was given %3; give it once"_s.arg(
                command, name, times == 2 ? u"twice"_s : u"%1 times"_s.arg(times)));
            return UsageError;
        }
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << commandHelp(parser, command);
        return Ok;
    }
    // A format name no format has is a usage error, as --source-format's is: said before any log
    // is read, not once per log as a log that could not be used. optionNames(), not isSet(): a
    // command without the option would have Qt complain of an unknown option.
    if (given.contains(u"log-format"_s)) {
        std::string name;
        if (!logFormatOption(parser, u"log-format"_s, command, name))
            return UsageError;
    }
    return -1;
}

QString outputFormat(const QCommandLineParser &parser, const QString &command, const QStringList &accepted)
{
    const QString format = parser.value(u"format"_s).trimmed().toLower();
    if (accepted.contains(format))
        return format;
    const QString choices = accepted.mid(0, accepted.size() - 1).join(u", "_s) + u" or "_s + accepted.constLast();
    complain(u"mailtrail-cli %1: unknown format '%2' (use %3)"_s.arg(command, parser.value(u"format"_s), choices));
    return {};
}

bool logFormatOption(const QCommandLineParser &parser, const QString &option, const QString &command, std::string &name)
{
    name.clear();
    const QString given = parser.value(option).trimmed();
    if (given.isEmpty())
        return true;
    if (const LogFormat *format = FormatRegistry::find(given.toStdString())) {
        name.assign(format->name());
        return true;
    }
    // A name matching no format would filter out every row: an answer that looks like a real one.
    QStringList known;
    for (const LogFormat *format : FormatRegistry::all())
        known << QString::fromUtf8(format->name().data(), static_cast<qsizetype>(format->name().size()));
    complain(u"mailtrail-cli %1: --%2: no log format is called '%3' (use %4)"_s.arg(
        command, option, given, known.join(u", "_s)));
    return false;
}

bool buildFilter(const QCommandLineParser &parser, const QString &command, Filter &filter)
{
    filter.sender = parser.value(u"sender"_s).toStdString();
    filter.recipient = parser.value(u"recipient"_s).toStdString();
    // An unknown form would match nothing: an empty answer that looks like a real one.
    const QString code = parser.value(u"code"_s).trimmed();
    if (!code.isEmpty() && !isCodeFilter(code.toStdString())) {
        complain(u"mailtrail-cli %1: --code takes a reply code (550), a class (5xx, 5) or an enhanced status code "
                 u"(5.1.1, 4.7), not '%2'"_s.arg(command, code));
        return false;
    }
    filter.code = code.toStdString();
    filter.text = parser.value(u"text"_s).toStdString();
    filter.host = parser.value(u"host"_s).toStdString();
    filter.destination = parser.value(u"destination"_s).trimmed().toStdString();
    // "@example.org": where the tries of a reason or a connection problem that named no host were
    // going (stats' host_is_recipient_domain, a destination "@example.org"): their recipients,
    // as the Summary's link reads it.
    if (filter.destination.starts_with('@')) {
        if (!filter.recipient.empty()) {
            complain(u"mailtrail-cli %1: --destination %2 names recipients: give it or --recipient, not both"_s.arg(
                command, parser.value(u"destination"_s).trimmed()));
            return false;
        }
        filter.recipient = '*' + filter.destination;
        filter.destination.clear();
    }
    filter.rejectReason = parser.value(u"reject-reason"_s).trimmed().toStdString();
    if (!logFormatOption(parser, u"source-format"_s, command, filter.format))
        return false;
    filter.saslUser = parser.value(u"sasl-user"_s).toStdString();
    const QString tls = parser.value(u"tls"_s).trimmed().toLower();
    if (!tls.isEmpty() && tls != u"yes"_s && tls != u"no"_s) {
        complain(u"mailtrail-cli %1: --tls takes yes or no, not '%2'"_s.arg(command, parser.value(u"tls"_s)));
        return false;
    }
    filter.tls = tls.toStdString();
    const QString received = parser.value(u"received"_s).trimmed().toLower();
    if (!received.isEmpty() && received != u"yes"_s && received != u"no"_s) {
        complain(u"mailtrail-cli %1: --received takes yes or no, not '%2'"_s.arg(command, parser.value(u"received"_s)));
        return false;
    }
    filter.received = received.toStdString();
    const QString triedAs = parser.value(u"tried-as"_s).trimmed().toLower();
    if (TryGroup::parseAll(triedAs.toStdString()).front().kind == TryGroup::Invalid) {
        complain(u"mailtrail-cli %1: --tried-as takes delivered, deferred, bounced, rejected, a reply code (450), an "
                 u"enhanced status code (4.2.0), delivered-no-reply, no-reply or no-dsn, or several codes of one kind "
                 u"(504,421), not '%2'"_s.arg(command, parser.value(u"tried-as"_s)));
        return false;
    }
    filter.triedAs = triedAs.toStdString();
    for (const QString &s : parser.values(u"status"_s).join(u',').split(u',', Qt::SkipEmptyParts)) {
        int value = 0;
        if (!parseStateName(s.trimmed().toStdString(), value)) {
            complain(u"mailtrail-cli %1: unknown status '%2' (use %3)"_s.arg(command, s, statusNames(u", "_s)));
            return false;
        }
        filter.statuses.push_back(s.trimmed().toLower().toStdString());
    }
    for (const char *name : TimeOptions) {
        const QString key = QString::fromLatin1(name);
        if (!parser.isSet(key))
            continue;
        const auto t = parseUserTime(parser.value(key));
        if (!t) {
            complain(u"mailtrail-cli %1: --%2: cannot read '%3' as a time; accepted: %4"_s.arg(
                command, key, parser.value(key), userTimeForms()));
            return false;
        }
        std::int64_t &bound = key == u"since"_s         ? filter.sinceMs
                              : key == u"until"_s       ? filter.untilMs
                              : key == u"tried-since"_s ? filter.triedSinceMs
                                                        : filter.triedUntilMs;
        bound = *t;
    }
    return true;
}

namespace {

// The date and time a user's time names when it gives no offset, Z or @epoch: to be read in the
// logs' clock. nullopt for a time of its own zone (parseUserTime reads it as it is).
std::optional<QDateTime> wallTime(const QString &input)
{
    const QString text = input.trimmed();
    if (text.startsWith(u'@') || text.endsWith(u'Z'))
        return std::nullopt;
    static const QRegularExpression offset(uR"([T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?[+-])"_s);
    if (offset.match(text).hasMatch())
        return std::nullopt;
    // Read as if in UTC, which shifts nothing: the date and time are those the user wrote.
    const auto asUtc = parseUserTime(QString(text + (text.size() == 10 ? u"T00:00Z"_s : u"Z"_s)));
    if (!asUtc)
        return std::nullopt;
    return QDateTime::fromMSecsSinceEpoch(*asUtc, QTimeZone::UTC);
}

} // namespace

QString offsetText(int seconds)
{
    const int minutes = std::abs(seconds) / 60;
    return (seconds < 0 ? u"-"_s : u"+"_s) +
           u"%1:%2"_s.arg(minutes / 60, 2, 10, QLatin1Char('0')).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

namespace {

// A time the user gave without an offset, and the offset it was read at.
struct ReadTime {
    QString key, given;
    int usedOffset = 0;
};

// Logs of several offsets (two servers in two zones, one log in UTC): a time without an offset is
// read in the clock of the log with the newest mail, as the window's filter reads it, which may
// not be the clock the user had in mind. Said once for every such time (--since and --until
// together), with the form that chooses.
void sayWhichClock(const QString &command, const std::vector<ReadTime> &times, const LogOffsets &offsets, Cache &cache)
{
    QStringList all;
    for (const int o : offsets.offsets)
        all << offsetText(o);
    QString log;
    for (const FileRow &f : cache.files()) {
        if (f.id == offsets.clockFileId)
            log = QString::fromStdString(f.path);
    }
    // "--since A was read at -05:00", "--since A and --until B were read at -05:00", or each
    // with its own offset where the clock changed between them (a summer time).
    const bool oneOffset = std::all_of(times.begin(), times.end(),
                                       [&times](const ReadTime &t) { return t.usedOffset == times.front().usedOffset; });
    QStringList named;
    for (const ReadTime &t : times) {
        const QString option = u"--%1 %2"_s.arg(t.key, t.given.trimmed());
        named << (oneOffset ? option : u"%1 was read at %2"_s.arg(option, offsetText(t.usedOffset)));
    }
    QString read = named.join(u" and "_s);
    if (oneOffset)
        read += (times.size() == 1 ? u" was read at "_s : u" were read at "_s) + offsetText(times.front().usedOffset);
    const ReadTime &first = times.front();
    const int other = offsets.offsets.front() != first.usedOffset ? offsets.offsets.front() : offsets.offsets.back();
    const QString wall = first.given.trimmed().size() == 10 ? first.given.trimmed() + u"T00:00"_s
                                                            : first.given.trimmed().replace(u' ', u'T');
    complain(u"mailtrail-cli %1: note: the logs were written at more than one UTC offset (%2): %3, "
             u"the clock of %4 (the log with the newest mail), as the window's time filter reads it; give an offset to "
             u"read it in another clock (--%5 %6%7, or Z for UTC)"_s
                 .arg(command, all.join(u", "_s), read, log.isEmpty() ? u"the newest log"_s : log, first.key, wall,
                      offsetText(other)));
}

} // namespace

void resolveLogClockTimes(const QCommandLineParser &parser, const QString &command, Cache &cache, Filter &filter)
{
    std::optional<LogClock> clock;
    std::optional<LogOffsets> offsets;
    std::vector<ReadTime> read;
    for (const char *name : TimeOptions) {
        const QString key = QString::fromLatin1(name);
        if (!parser.isSet(key))
            continue;
        const std::optional<QDateTime> wall = wallTime(parser.value(key));
        if (!wall)
            continue;
        if (!clock)
            clock = readLogClock(cache, filter.fileIds);
        std::int64_t &bound = key == u"since"_s         ? filter.sinceMs
                              : key == u"until"_s       ? filter.untilMs
                              : key == u"tried-since"_s ? filter.triedSinceMs
                                                        : filter.triedUntilMs;
        bound = clock->fromWall(wall->date(), wall->time());
        read.push_back({key, parser.value(key), clock->offsetAt(bound)});
    }
    if (read.empty())
        return;
    offsets = readLogOffsets(cache, filter.fileIds);
    if (offsets->mixed())
        sayWhichClock(command, read, *offsets, cache);
}

} // namespace mailtrail::cli
