// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Mailtrail window: wiring only.
#include "mainwindow.h"
#include "screenshot.h"

#include <QApplication>
#include <QColor>
#include <QCommandLineParser>
#include <QPalette>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace mailtrail;

// Breeze's light and dark colours, for --palette: how the window looks on either desktop.
static QPalette namedPalette(bool dark)
{
    QPalette p;
    const auto set = [&p, dark](QPalette::ColorRole role, const char *light, const char *onDark) {
        p.setColor(role, QColor::fromString(QLatin1StringView(dark ? onDark : light)));
    };
    set(QPalette::Window, "#eff0f1", "#202326");
    set(QPalette::WindowText, "#232629", "#fcfcfc");
    set(QPalette::Base, "#ffffff", "#141618");
    set(QPalette::AlternateBase, "#f7f7f7", "#1d1f22");
    set(QPalette::Text, "#232629", "#fcfcfc");
    set(QPalette::Button, "#fcfcfc", "#292c30");
    set(QPalette::ButtonText, "#232629", "#fcfcfc");
    set(QPalette::PlaceholderText, "#70777e", "#a1a9b1");
    set(QPalette::Highlight, "#3daee9", "#3daee9");
    set(QPalette::HighlightedText, "#ffffff", "#ffffff");
    set(QPalette::ToolTipBase, "#f7f7f7", "#292c30");
    set(QPalette::ToolTipText, "#232629", "#fcfcfc");
    set(QPalette::Mid, "#bdc3c7", "#4d5257");
    set(QPalette::Midlight, "#e0e3e6", "#3b3f44");
    // Disabled controls must look disabled. On light, placeholder grey is far enough from the text;
    // on dark it is too close to white to tell a disabled button from an enabled one (Breeze dark
    // dims disabled text further than its placeholders).
    const QColor disabled = dark ? QColor::fromString("#6e7378"_L1) : p.color(QPalette::PlaceholderText);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Mailtrail"_s);
    QApplication::setApplicationName(u"mailtrail"_s);
    QApplication::setApplicationDisplayName(u"Mailtrail"_s);
    QApplication::setApplicationVersion(QStringLiteral(MAILTRAIL_VERSION));
    QApplication::setDesktopFileName(u"org.mailtrail.Mailtrail"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Viewer for SMTP server logs: open Postfix, Exim or Sendmail logs, follow every "
                                     "message."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"cache"_s, u"Cache file (default: %1)."_s.arg(QString::fromStdString(Cache::defaultPath())), u"FILE"_s});
    parser.addOption({u"year"_s, u"Year of the first line of logs whose timestamps have none."_s, u"YEAR"_s});
    parser.addOption({u"screenshot"_s, u"Open the logs, wait for the import, select the first message (or wait for "
                                       "the Summary, with --view summary), save a picture of the window to FILE (PNG) "
                                       "and quit."_s,
                      u"FILE"_s});
    parser.addOption({u"grain"_s, u"Start with one row per message (messages, the default) or per recipient (deliveries)."_s,
                      u"GRAIN"_s, u"messages"_s});
    parser.addOption({u"view"_s, u"Start with the table (table, the default) or the Summary of the logs (summary); with "
                                 "--screenshot, incidents pictures the list of the SASL failures over the Summary."_s,
                      u"VIEW"_s, u"table"_s});
    parser.addOption({u"palette"_s, u"Colours: the desktop's (default), light or dark (to check both on screenshots)."_s,
                      u"NAME"_s});
    parser.addOption({u"geometry-size"_s, u"Window size for --screenshot (default 1400x900)."_s, u"WxH"_s, u"1400x900"_s});
    parser.addPositionalArgument(u"LOG"_s, u"Mail logs or folders to open (plain, or compressed: .gz, .bz2, .xz, .zst)."_s, u"[LOG...]"_s);
    parser.process(app);

    if (const QString name = parser.value(u"palette"_s); name == u"dark"_s || name == u"light"_s)
        app.setPalette(namedPalette(name == u"dark"_s));

    const QString cachePath = parser.isSet(u"cache"_s) ? parser.value(u"cache"_s)
                                                        : QString::fromStdString(Cache::defaultPath());
    MainWindow window(cachePath);
    const QStringList logs = parser.positionalArguments();
    if (parser.isSet(u"screenshot"_s)) {
        app.setProperty("mailtrail.noDialogs", true);
        const QStringList size = parser.value(u"geometry-size"_s).split(u'x');
        window.resize(size.value(0).toInt() > 0 ? size.value(0).toInt() : 1400, size.value(1).toInt() > 0 ? size.value(1).toInt() : 900);
        new Screenshot(&window, parser.value(u"screenshot"_s), !logs.isEmpty(), parser.value(u"view"_s) == u"incidents"_s);
    }
    if (parser.value(u"grain"_s) == u"deliveries"_s)
        window.setGrain(Grain::Deliveries);
    if (parser.value(u"view"_s) == u"summary"_s || parser.value(u"view"_s) == u"incidents"_s)
        window.showSummary(true);
    window.show();
    if (!window.cacheError().isEmpty())
        QTextStream(stderr) << "mailtrail: " << window.cacheError() << "\n";
    window.openLogs(logs, parser.value(u"year"_s).toInt());
    return app.exec();
}
