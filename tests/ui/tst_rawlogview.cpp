// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawlogview.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFontDatabase>
#include <QRegularExpression>
#include <QTest>

#include "testpalette.h"
#include <QTextBlock>
#include <QTextLayout>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

const QStringList Lines = {
    u"Nov 20 10:00:01 mx1 postfix/smtpd[2101]: connect from mail.example.com[192.0.2.10]"_s,
    u"Nov 20 10:00:01 mx1 postfix/smtpd[2101]: 4F2A81C0123: client=mail.example.com[192.0.2.10]"_s,
    u"Nov 20 10:00:01 mx1 postfix/qmgr[880]: 4F2A81C0123: from=<alice@example.com>, size=4211, nrcpt=1 (queue active)"_s,
    u"Nov 20 10:00:03 mx1 postfix/smtp[2120]: 4F2A81C0123: to=<bob@remote.example.net>, relay=mx.remote.example.net[198.51.100.20]:25, delay=2.1, delays=0.1/0/0.9/1.1, dsn=4.2.0, status=deferred (host mx.remote.example.net[198.51.100.20] said: 450 4.2.0 <bob@remote.example.net>: Recipient address rejected: Greylisted (in reply to RCPT TO command))"_s,
    u"Nov 20 10:05:03 mx1 postfix/qmgr[880]: 4F2A81C0123: to=<bob@remote.example.net>, relay=none, delay=302, delays=302/0.01/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.remote.example.net[198.51.100.20]:25: Connection refused)"_s,
    u"2026-11-20T17:00:01.100000+01:00 edge2 postfix-out/smtp[9220]: A1B2C3D4E5: to=<y@example.net>, relay=mx.example.net[198.51.100.1]:25, delay=0.9, delays=0.1/0/0.4/0.4, dsn=5.7.1, status=bounced (host mx.example.net[198.51.100.1] said: 550 5.7.1 Message rejected as spam (in reply to end of DATA command))"_s,
    u"Nov 20 10:10:04 mx1 postfix/smtp[2188]: 4F2A81C0123: to=<bob@remote.example.net>, relay=mx.remote.example.net[198.51.100.20]:25, delay=603, delays=602/0.01/0.4/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F1E2D3C4B)"_s,
    u"Nov 20 10:10:04 mx1 postfix/qmgr[880]: 4F2A81C0123: removed"_s,
    u"Nov 20 12:00:01 mx1 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.7; from=<promo@spam.example> to=<dave@example.com> proto=ESMTP helo=<bulk.spam.example>"_s,
    u"Nov 20 12:00:05 mx1 postfix/smtpd[4102]: warning: unknown[203.0.113.99]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"_s,
    u"Nov 20 09:00:40 mx1 postfix/qmgr[880]: 5E6F7A8B9C: from=<billing@example.com>, status=expired, returned to sender"_s,
    u"Nov 20 09:00:40 mx1 postfix/bounce[6130]: 5E6F7A8B9C: sender non-delivery notification: 6A7B8C9D0E"_s,
    u"Nov 20 11:00:01 mx1 postfix/smtp[3120]: 7A1B2C3D4E: to=<carol@example.org>, relay=mx1.example.org[203.0.113.5]:25, delay=1.2, delays=0.05/0.01/0.5/0.64, dsn=2.0.0, status=sent (250 2.0.0 OK 1732096801 x12si1234567qka.1 - gsmtp)"_s,
};


} // namespace

class TestRawLogView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void definitionLoadsCleanly();
    void viewSetup();
    void highlighted_data();
    void highlighted();
    void outcomesLookDifferent();
    void themeFollowsPalette();
    void highlightLine();
    void screenshots();

private:
    static QTextCharFormat formatAt(const RawLogView &view, int line, const QString &needle, int skip = 0);
    static QTextCharFormat normalText(const RawLogView &view) { return formatAt(view, 3, u"Recipient address"_s); }
};

// The highlighting the SyntaxHighlighter applied at the first character of `needle` in `line`.
// KSyntaxHighlighting gives plain text the theme's foreground too, so "unstyled" means "like
// normalText()", not "no format".
QTextCharFormat TestRawLogView::formatAt(const RawLogView &view, int line, const QString &needle, int skip)
{
    const QTextBlock block = view.document()->findBlockByNumber(line);
    int column = -1;
    for (int i = 0; i <= skip; ++i)
        column = block.text().indexOf(needle, column + 1);
    if (column < 0)
        qFatal("test data: %s not in line %d", qPrintable(needle), line);
    const QList<QTextLayout::FormatRange> ranges = block.layout()->formats();
    for (const QTextLayout::FormatRange &r : ranges) {
        if (column >= r.start && column < r.start + r.length)
            return r.format;
    }
    return {};
}

void TestRawLogView::definitionLoadsCleanly()
{
    // Any warning while the definition loads or first highlights means a broken rule or reference.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    const KSyntaxHighlighting::Definition def = RawLogView::mailLogDefinition();
    QVERIFY(def.isValid());
    QCOMPARE(RawLogView::repository().definitionForName(u"Mail Log"_s).name(), u"Mail Log"_s);
    QCOMPARE(RawLogView::repository().definitionForFileName(u"/var/log/mail.log.1"_s).name(), u"Mail Log"_s);
    QVERIFY(def.formats().size() >= 15);
    RawLogView view;
    view.setLines(Lines);
    QTRY_VERIFY(!view.document()->lastBlock().layout()->formats().isEmpty());
}

void TestRawLogView::viewSetup()
{
    RawLogView view;
    QVERIFY(view.isReadOnly());
    QCOMPARE(view.lineWrapMode(), QPlainTextEdit::NoWrap);
    QCOMPARE(view.font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
    view.setLines(Lines);
    QCOMPARE(view.document()->blockCount(), Lines.size());
    QCOMPARE(view.document()->findBlockByNumber(7).text(), Lines[7]);
}

void TestRawLogView::highlighted_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<bool>("styled");
    QTest::newRow("syslog timestamp") << 0 << u"Nov 20"_s << true;
    QTest::newRow("RFC 3339 timestamp") << 5 << u"2026-11-20T17"_s << true;
    QTest::newRow("host") << 0 << u"mx1"_s << true;
    QTest::newRow("program") << 0 << u"postfix/smtpd"_s << true;
    QTest::newRow("pid") << 0 << u"[2101]"_s << true;
    QTest::newRow("queue id") << 1 << u"4F2A81C0123"_s << true;
    QTest::newRow("NOQUEUE") << 8 << u"NOQUEUE"_s << true;
    QTest::newRow("queued as") << 6 << u"9F1E2D3C4B"_s << true;
    QTest::newRow("notification id") << 11 << u"6A7B8C9D0E"_s << true;
    QTest::newRow("address") << 2 << u"<alice@example.com>"_s << true;
    QTest::newRow("client host") << 1 << u"mail.example.com"_s << true;
    QTest::newRow("client ip") << 1 << u"[192.0.2.10]"_s << true;
    QTest::newRow("relay key") << 3 << u"relay="_s << true;
    QTest::newRow("dsn 4.2.0") << 3 << u"4.2.0"_s << true;
    QTest::newRow("code 450") << 3 << u"450"_s << true;
    QTest::newRow("code 554 of a reject") << 8 << u"554"_s << true;
    QTest::newRow("reject:") << 8 << u"reject:"_s << true;
    QTest::newRow("warning") << 9 << u"warning:"_s << true;
    QTest::newRow("auth failure") << 9 << u"SASL LOGIN"_s << true;
    QTest::newRow("expired") << 10 << u"status=expired"_s << true;
    QTest::newRow("plain reply text") << 5 << u"Message rejected"_s << false;
    QTest::newRow("a size is no reply code") << 2 << u"4211"_s << false;
    QTest::newRow("an IP's tail is no DSN") << 8 << u"51.100.7;"_s << false;
    QTest::newRow("a number is no queue id") << 12 << u"1732096801"_s << false;
}

void TestRawLogView::highlighted()
{
    QFETCH(int, line);
    QFETCH(QString, needle);
    QFETCH(bool, styled);
    RawLogView view;
    view.setLines(Lines);
    QTRY_VERIFY(!view.document()->lastBlock().layout()->formats().isEmpty());
    QCOMPARE(formatAt(view, line, needle) != normalText(view), styled);
}

void TestRawLogView::outcomesLookDifferent()
{
    RawLogView view;
    view.setLines(Lines);
    QTRY_VERIFY(!view.document()->lastBlock().layout()->formats().isEmpty());
    const QList<QTextCharFormat> formats = {
        formatAt(view, 5, u"A1B2C3D4E5"_s), formatAt(view, 5, u"status=bounced"_s), formatAt(view, 5, u"550"_s),
        formatAt(view, 3, u"status=deferred"_s), formatAt(view, 6, u"status=sent"_s),
    };
    for (qsizetype i = 0; i < formats.size(); ++i) {
        QVERIFY2(formats[i] != normalText(view), qPrintable(QString::number(i)));
        for (qsizetype j = 0; j < i; ++j)
            QVERIFY2(formats[i] != formats[j], qPrintable(u"%1 == %2"_s.arg(i).arg(j)));
    }
    // Classes agree across lines: every 5xx looks the same, and unlike a 2xx.
    QCOMPARE(formatAt(view, 8, u"554"_s), formatAt(view, 5, u"550"_s));
    QVERIFY(formatAt(view, 6, u"250"_s) != formatAt(view, 5, u"550"_s));
}

void TestRawLogView::themeFollowsPalette()
{
    RawLogView view;
    view.setPalette(breezePalette(false));
    view.setLines(Lines);
    QTRY_VERIFY(!view.document()->lastBlock().layout()->formats().isEmpty());
    const QColor light = formatAt(view, 5, u"550"_s).foreground().color();
    view.setPalette(breezePalette(true));
    const QColor dark = formatAt(view, 5, u"550"_s).foreground().color();
    QVERIFY2(light != dark, qPrintable(light.name()));
    QVERIFY(dark.lightness() > light.lightness());
}

void TestRawLogView::highlightLine()
{
    RawLogView view;
    view.resize(600, 120);
    view.setLines(Lines);
    view.highlightLine(9);
    QCOMPARE(view.highlightedLine(), 9);
    QCOMPARE(view.textCursor().blockNumber(), 9);
    QCOMPARE(view.extraSelections().size(), 1);
    QCOMPARE(view.extraSelections().first().cursor.blockNumber(), 9);
    view.setPalette(breezePalette(true));  // re-themes, keeps the mark
    QCOMPARE(view.extraSelections().size(), 1);
    view.highlightLine(99);
    QCOMPARE(view.highlightedLine(), -1);
    QVERIFY(view.extraSelections().isEmpty());
    view.setLines(Lines);
    QCOMPARE(view.highlightedLine(), -1);
}

void TestRawLogView::screenshots()
{
    QDir().mkpath(u"/tmp/mailtrail-shots"_s);
    for (const bool dark : {false, true}) {
        RawLogView view;
        view.setPalette(breezePalette(dark));
        view.resize(1900, 250);
        view.setLines(Lines);
        view.highlightLine(3);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString path = u"/tmp/mailtrail-shots/rawlog-%1.png"_s.arg(dark ? u"dark"_s : u"light"_s);
        QVERIFY(view.grab().save(path));
    }
}

QTEST_MAIN(TestRawLogView)
#include "tst_rawlogview.moc"
