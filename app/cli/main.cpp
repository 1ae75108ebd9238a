// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// mailtrail-cli: the headless twin of the GUI, over the same libraries.
#include "clifollow.h"
#include "cliquery.h"
#include "clistats.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {
const char *Usage = R"(Usage: mailtrail-cli COMMAND [OPTIONS] [ARGS]

Mail-log viewer on the command line: imports Postfix, Exim and Sendmail logs (plain or .gz,
.bz2, .xz, .zst; rotated sets) into an indexed cache and answers questions about the messages
in them.

Commands:
  import     [--cache F] [--year Y] [--log-format NAME] LOG...  import or refresh, print a summary
  messages   [--cache F] [filters] [--format csv|json|table] [--raw] [LOG...]
  deliveries [--cache F] [filters] [--format csv|json|table] [--raw] [LOG...]
  timeline   [--cache F] QUEUE-ID|MESSAGE-ID [LOG...]      every event of one message
  stats      [--cache F] [filters] [--format text|json] [--limit N] [--from-rows] [LOG...]
             totals, top lists, problems
  follow     [--cache F] [filters] [--format jsonl|csv|table] [--alerts] [--alert-config F] LOG...
             import, then print each delivery whose status changes (and with --alerts each
             insight) as the logs grow and rotate, until SIGINT/SIGTERM

Filters: --sender GLOB --recipient GLOB --status LIST --code N --since T --until T --text WORDS
         --host NAME --source-format NAME --tls yes|no --sasl-user GLOB --destination HOST
         --reject-reason KIND (rejects of a kind, as stats names them: "relay denied"...)
         --received yes|no (messages received in these logs, or the other rows, as stats counts them)
         --tried-since T --tried-until T --tried-as WHAT (mail with a delivery try in a range, of an
         outcome or code, as the chart counts tries)
When LOG files are given, they are imported first and the query covers exactly those files.
CSV puts an apostrophe before a value a spreadsheet would run as a formula (=, +, -, @); --raw does not.

Run 'mailtrail-cli COMMAND --help' for the options of a command.
Exit status: 0 ok, 1 a log could not be used or was only partly read (a compressed file cut short:
what came before the cut is imported), or nothing matched an id, 2 usage error, 3 cache error
(missing, unreadable or not writable; or a --text answer is partial).
)";
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"mailtrail-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILTRAIL_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.isEmpty()) {
        err << Usage;
        return cli::UsageError;
    }
    const QString command = args.takeFirst();
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        out << Usage;
        return cli::Ok;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        out << "mailtrail-cli " << MAILTRAIL_VERSION << "\n";
        return cli::Ok;
    }
    if (command == u"import"_s)
        return cli::runImport(args);
    if (command == u"messages"_s)
        return cli::runQuery(args, Grain::Messages);
    if (command == u"deliveries"_s)
        return cli::runQuery(args, Grain::Deliveries);
    if (command == u"timeline"_s)
        return cli::runTimeline(args);
    if (command == u"stats"_s)
        return cli::runStats(args);
    if (command == u"follow"_s)
        return cli::runFollow(args);
    err << "mailtrail-cli: unknown command '" << command << "'\n\n" << Usage;
    return cli::UsageError;
}
