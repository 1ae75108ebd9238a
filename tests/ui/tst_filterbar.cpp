// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The filter bar shows a filter set elsewhere (the chart, the summary, Back) and reads back the
// same filter: an open end of a time range stays open. Its host and format boxes narrow the table.
#include "../cache/testlogs.h"
#include "filterbar.h"
#include "importjob.h"
#include "messagetablemodel.h"
#include "session.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QApplication>
#include <QMenu>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <limits>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();
} // namespace

class TestFilterBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openEndsReadBackOpen_data();
    void openEndsReadBackOpen();
    void narrowBarKeepsItsFieldsReadable();
    void fromToStartsOnWholeMinutes();
    void codeThatIsNoCodeIsSaidSo();
    void hostAndFormatNarrowTheTable_data();
    void hostAndFormatNarrowTheTable();
    void oneChoiceIsNoChoice();
    void searchKeepsAUsefulWidth_data();
    void searchKeepsAUsefulWidth();
    void narrowedFilterIsSaidInPlainWords_data();
    void narrowedFilterIsSaidInPlainWords();
    void insightMessagesAreSaidAndCleared();
    void receivedIsSaidKeptAndCleared();
    void insightIsNamed();
    void statusMenuIsInTitleCase();
    void statusBoxSaysTheMenusWordsAndKeepsItsWidth();
    void timeBoxNamesTheLogsOnShow_data();
    void timeBoxNamesTheLogsOnShow();
    void clearEmptiesEveryBoxAsAtStart();
    void addressesStayReadableBesideEveryBox_data();
    void addressesStayReadableBesideEveryBox();
};

void TestFilterBar::openEndsReadBackOpen_data()
{
    QTest::addColumn<qint64>("since");
    QTest::addColumn<qint64>("until");
    const qint64 noon = QDateTime(QDate(2026, 11, 22), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    // "Problems started at" in the summary: a start and no end.
    QTest::newRow("from a time on") << noon << NoHigh;
    QTest::newRow("up to a time") << NoLow << noon;
    QTest::newRow("closed range") << noon << noon + 3600000;
}

void TestFilterBar::openEndsReadBackOpen()
{
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    FilterBar bar;
    bar.setLatestTime(QDateTime(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch());
    Filter f;
    f.sinceMs = since;
    f.untilMs = until;
    bar.setFilter(f);
    QCOMPARE(bar.filter().sinceMs, since);
    QCOMPARE(bar.filter().untilMs, until);
}

// The boxes show minutes: a range chosen from a log whose newest line is at 21:55:15 must not keep
// the 15 seconds hidden in them (a From typed as 21:29 read 21:29:15).
void TestFilterBar::fromToStartsOnWholeMinutes()
{
    FilterBar bar;
    bar.setLatestTime(QDateTime(QDate(2026, 11, 21), QTime(21, 55, 15), QTimeZone::UTC).toMSecsSinceEpoch());
    QComboBox *range = nullptr;
    for (QComboBox *box : bar.findChildren<QComboBox *>())
        if (box->findText(u"From – to"_s) >= 0)
            range = box;
    QVERIFY(range);
    range->setCurrentIndex(range->findText(u"From – to"_s));
    const Filter f = bar.filter();
    QCOMPARE(f.sinceMs, QDateTime(QDate(2026, 11, 20), QTime(21, 55), QTimeZone::UTC).toMSecsSinceEpoch());
    QCOMPARE(f.untilMs, QDateTime(QDate(2026, 11, 21), QTime(21, 56), QTimeZone::UTC).toMSecsSinceEpoch());
}

// "6xx" in the Code box matched nothing and said nothing: "0 of 290". The box says it is no code.
void TestFilterBar::codeThatIsNoCodeIsSaidSo()
{
    FilterBar bar;
    QLineEdit *code = nullptr;
    for (QLineEdit *edit : bar.findChildren<QLineEdit *>())
        if (edit->placeholderText() == u"Code"_s)
            code = edit;
    QVERIFY(code);
    QAction *warning = code->findChild<QAction *>(u"notACode"_s);
    QVERIFY(warning);
    QVERIFY(!warning->isVisible());
    const int plain = code->width();
    for (const QString &bad : {u"6xx"_s, u"abc"_s, u"5.7.1.9"_s, u"4.4.1x"_s}) {
        code->setText(bad);
        QVERIFY2(warning->isVisible(), qPrintable(bad));
        // Wider by the icon: its text is not squeezed to its last letter (trial22).
        QVERIFY2(code->width() > plain, qPrintable(bad));
    }
    for (const QString &good : {u"5xx"_s, u"550"_s, u"5.7.1"_s, u"4"_s, u" 4.7 "_s, QString()}) {
        code->setText(good);
        QVERIFY2(!warning->isVisible(), qPrintable(good));
        QCOMPARE(code->width(), plain);
    }
}

void TestFilterBar::narrowBarKeepsItsFieldsReadable()
{
    // The bar beside the view tabs of a window 1100 pixels wide, a from-to range chosen.
    FilterBar bar;
    bar.resize(800, bar.sizeHint().height());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    Filter f;
    f.sinceMs = QDateTime(QDate(2026, 11, 21), QTime(20, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    f.untilMs = QDateTime(QDate(2026, 11, 21), QTime(23, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    bar.setFilter(f);
    bar.resize(800, bar.sizeHint().height());
    QTRY_VERIFY(bar.findChildren<QDateTimeEdit *>().at(0)->isVisible());
    const QList<QDateTimeEdit *> edits = bar.findChildren<QDateTimeEdit *>();
    const QList<QLineEdit *> fields = bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly);
    QVERIFY(fields.size() >= 4);
    int fieldsBottom = 0;
    for (QLineEdit *field : fields) {
        if (field->placeholderText().startsWith(QLatin1String("Search")))
            continue;  // the free-text field takes what is left
        // Its placeholder ("Recipient", "Code") is read whole.
        QVERIFY2(field->width() >= field->fontMetrics().horizontalAdvance(field->placeholderText()),
                 qPrintable(field->placeholderText()));
        fieldsBottom = std::max(fieldsBottom, field->geometry().bottom());
    }
    for (QDateTimeEdit *edit : edits) {
        QVERIFY(edit->width() >= edit->sizeHint().width());
        QVERIFY(edit->mapTo(&bar, QPoint(0, 0)).y() > fieldsBottom);
    }
}

void TestFilterBar::hostAndFormatNarrowTheTable_data()
{
    QTest::addColumn<QString>("box");
    QTest::addColumn<QString>("choice");
    QTest::addColumn<int>("rows");
    QTest::newRow("exim") << u"formatFilter"_s << u"exim"_s << 53;
    QTest::newRow("postfix") << u"formatFilter"_s << u"postfix"_s << 2;
    QTest::newRow("one server") << u"hostFilter"_s << u"edge1"_s << 1;
    QTest::newRow("the other") << u"hostFilter"_s << u"edge2"_s << 1;
}

void TestFilterBar::hostAndFormatNarrowTheTable()
{
    QFETCH(QString, box);
    QFETCH(QString, choice);
    QFETCH(int, rows);
    QTemporaryDir dir;
    // Two servers' Postfix log and an Exim main log, opened in one window.
    QFile exim(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/exim-testsuite.log"));
    QVERIFY(exim.open(QIODevice::ReadOnly));
    const QStringList logs{QString::fromStdString(testlogs::write(dir, u"mail.log"_s, testlogs::flow("rfc3339-multihost.log"))),
                           QString::fromStdString(testlogs::write(dir, u"exim_mainlog"_s, exim.readAll()))};
    Session session(dir.filePath(u"c.sqlite"_s));
    QSignalSpy imported(session.importJob(), &ImportJob::finished);
    QVERIFY(session.importJob()->start(logs));
    QVERIFY(imported.wait(20000));
    std::vector<std::string> paths;
    for (const QString &log : logs)
        paths.push_back(log.toStdString());
    session.setScope(session.cache()->fileIdsFor(paths));
    QTRY_VERIFY(!session.messages()->isCounting());  // counted off the GUI thread
    QTRY_VERIFY(session.hostNames().size() > 1);     // read off it too
    const int all = session.messages()->rowCount();
    QCOMPARE(all, 55);

    FilterBar bar;
    connect(&bar, &FilterBar::filterChanged, &session, &Session::setFilter);
    bar.setChoices(session.hostNames(), session.formatNames());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    auto *combo = bar.findChild<QComboBox *>(box);
    QVERIFY(combo);
    QVERIFY(combo->isVisible());  // two choices at least: worth a box
    const int index = combo->findText(choice);
    QVERIFY2(index > 0, qPrintable(choice));
    QSignalSpy changed(&bar, &FilterBar::filterChanged);
    combo->setCurrentIndex(index);
    QVERIFY(changed.wait(2000));
    QTRY_COMPARE(session.messages()->rowCount(), rows);
    QVERIFY(rows < all);
    const int column = box == u"hostFilter"_s ? int(MessageTableModel::HostColumn) : int(MessageTableModel::FormatColumn);
    for (int r = 0; r < rows; ++r)
        QCOMPARE(session.messages()->index(r, column).data().toString(), choice);
    // The filter set elsewhere (Back, a click on the chart) shows in the box; "Any" lifts it.
    Filter none;
    bar.setFilter(none);
    QCOMPARE(combo->currentIndex(), 0);
    combo->setCurrentIndex(index);
    QVERIFY(changed.wait(2000));
    bar.clear();
    QVERIFY(changed.wait(2000));
    QTRY_COMPARE(session.messages()->rowCount(), all);
}

void TestFilterBar::oneChoiceIsNoChoice()
{
    FilterBar bar;
    bar.setChoices({u"mail"_s}, {u"postfix"_s});
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QVERIFY(!bar.findChild<QComboBox *>(u"hostFilter"_s)->isVisible());
    QVERIFY(!bar.findChild<QComboBox *>(u"formatFilter"_s)->isVisible());
    // Unless it filters: a host set by a cell's menu or a saved filter stays in view, and is read back.
    Filter f;
    f.host = "mx2";
    bar.setFilter(f);
    QVERIFY(bar.findChild<QComboBox *>(u"hostFilter"_s)->isVisible());
    QCOMPARE(bar.filter().host, std::string("mx2"));
    QCOMPARE(bar.filter().format, std::string());
}

void TestFilterBar::searchKeepsAUsefulWidth_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("ownLine");
    // Beside the view tabs, the bar of a window 1000 pixels wide, and of one 1400 wide.
    QTest::newRow("1000") << 700 << true;
    QTest::newRow("1400") << 1100 << false;
}

void TestFilterBar::searchKeepsAUsefulWidth()
{
    QFETCH(int, width);
    QFETCH(bool, ownLine);
    FilterBar bar;
    bar.resize(width, bar.sizeHint().height());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.resize(width, bar.sizeHint().height());
    QLineEdit *search = nullptr;
    for (QLineEdit *field : bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly))
        if (field->placeholderText().startsWith(QLatin1String("Search")))
            search = field;
    QVERIFY(search);
    // A few words of a search are read whole (at 1000 pixels it was 60 wide: "Search …").
    QTRY_VERIFY2(search->width() >= search->fontMetrics().horizontalAdvance(u"Search replies, addresses"_s),
                 qPrintable(QString::number(search->width())));
    QCOMPARE(bar.isSearchOnItsOwnLine(), ownLine);
    for (QLineEdit *field : bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly)) {
        if (field == search)
            continue;
        QVERIFY2(field->width() >= field->fontMetrics().horizontalAdvance(field->placeholderText()),
                 qPrintable(field->placeholderText()));
        // On a line of its own the search is under the fields, never over one.
        if (ownLine)
            QVERIFY(search->geometry().top() > field->geometry().bottom());
    }
}

void TestFilterBar::narrowedFilterIsSaidInPlainWords_data()
{
    QTest::addColumn<QString>("triedAs");
    QTest::addColumn<QString>("destination");
    QTest::addColumn<bool>("bucket");  // a chart's bar of 20:00 to 20:05 (the log at +01:00)
    QTest::addColumn<QString>("rejectReason");
    QTest::addColumn<QString>("said");
    // The words are NarrowedNote's (tst_narrowednote): here, that the bar says them in its clock.
    QTest::newRow("a destination") << QString() << u"mx.example.org"_s << false << QString()
                                   << u"Only mail with a delivery try at mx.example.org."_s;
    // A chart segment: its bar and outcome, in the log's clock.
    QTest::newRow("chart segment") << u"bounced"_s << QString() << true << QString()
                                   << u"Only mail with a try that bounced, between 2026-11-21 20:00 and 20:05."_s;
    QTest::newRow("reject reason in a bar") << u"rejected"_s << QString() << true << u"relay denied"_s
                                            << u"Only mail with a rejected try, between 2026-11-21 20:00 and 20:05. "
                                               u"Only rejects for relay denied."_s;
}

void TestFilterBar::narrowedFilterIsSaidInPlainWords()
{
    QFETCH(QString, triedAs);
    QFETCH(QString, destination);
    QFETCH(bool, bucket);
    QFETCH(QString, rejectReason);
    QFETCH(QString, said);
    FilterBar bar;
    bar.setClock(LogClock(3600));
    Filter f;
    f.triedAs = triedAs.toStdString();
    f.destination = destination.toStdString();
    f.rejectReason = rejectReason.toStdString();
    if (bucket) {
        f.triedSinceMs = QDateTime(QDate(2026, 11, 21), QTime(19, 0), QTimeZone::UTC).toMSecsSinceEpoch();
        f.triedUntilMs = f.triedSinceMs + 5 * 60000;
    }
    bar.setFilter(f);
    QCOMPARE(bar.narrowedText(), said);
}

void TestFilterBar::insightMessagesAreSaidAndCleared()
{
    // A double-click on an insight filters to its messages, which no field shows: the bar says so,
    // keeps them while another field is edited, and Clear Filter (with every field empty) ends it.
    FilterBar bar;
    Filter f;
    f.messageIds = {3, 7, 12};
    bar.setFilter(f);
    QCOMPARE(bar.narrowedText(), u"Only the 3 messages the insight counted."_s);
    QCOMPARE(bar.filter().messageIds, f.messageIds);
    QSignalSpy changed(&bar, &FilterBar::filterChanged);
    bar.clear();
    QTRY_COMPARE(changed.size(), 1);
    QVERIFY(changed.constFirst().constFirst().value<Filter>().messageIds.empty());
    QVERIFY(bar.narrowedText().isEmpty());
}

void TestFilterBar::receivedIsSaidKeptAndCleared()
{
    // The Summary's "messages received": no field shows it, so the bar says it and keeps it while a
    // field is edited; Clear Filter ends it.
    FilterBar bar;
    Filter f;
    f.received = "yes";
    bar.setFilter(f);
    QCOMPARE(bar.narrowedText(), u"Only messages received in these logs."_s);
    QCOMPARE(bar.filter().received, std::string("yes"));
    QSignalSpy changed(&bar, &FilterBar::filterChanged);
    bar.clear();
    QTRY_COMPARE(changed.size(), 1);
    QVERIFY(changed.constFirst().constFirst().value<Filter>().received.empty());
    QVERIFY(bar.narrowedText().isEmpty());
}

void TestFilterBar::insightIsNamed()
{
    // "Only the 3 messages the insight counted." left the user to remember which one they opened.
    FilterBar bar;
    Filter f;
    f.messageIds = {3, 7, 12};
    bar.setInsightName(f.messageIds, u"Deferrals, example.org"_s);
    bar.setFilter(f);
    QCOMPARE(bar.narrowedText(), u"Only the 3 messages of the insight \u201cDeferrals, example.org\u201d."_s);
    // Other messages (of no insight named): not that insight's name.
    f.messageIds = {4};
    bar.setFilter(f);
    QCOMPARE(bar.narrowedText(), u"Only the message the insight counted."_s);
}

void TestFilterBar::statusMenuIsInTitleCase()
{
    // KDE's HIG: menu items in title case ("Sent", not "sent"); the filter keeps the names.
    FilterBar bar;
    QToolButton *button = nullptr;
    for (QToolButton *b : bar.findChildren<QToolButton *>())
        if (b->menu())
            button = b;
    QVERIFY(button);
    QStringList titles;
    for (QAction *a : button->menu()->actions()) {
        QVERIFY2(a->text().front().isUpper(), qPrintable(a->text()));
        titles << a->text();
    }
    QCOMPARE(titles, (QStringList{u"Sent"_s, u"Deferred"_s, u"Bounced"_s, u"Expired"_s, u"Rejected"_s, u"Queued"_s}));
    button->menu()->actions().at(2)->setChecked(true);
    QCOMPARE(bar.filter().statuses, std::vector<std::string>{"bounced"});
    // Ticking a state leaves the menu open for the next (trial22: two states, two trips).
    bar.show();
    QMenu *menu = button->menu();
    menu->popup(button->mapToGlobal(QPoint(0, button->height())));  // showMenu() would block
    QTRY_VERIFY(menu->isVisible());
    // The release over an item is what ticks it and, in a plain menu, closes it (sent as the
    // window system would: a press on this offscreen platform closes a popup for being outside).
    const auto release = [menu](int item) {
        const QPointF at = menu->actionGeometry(menu->actions().at(item)).center();
        QMouseEvent up(QEvent::MouseButtonRelease, at, menu->mapToGlobal(at), Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(menu, &up);
    };
    release(0);
    QVERIFY(menu->isVisible());
    release(1);
    QVERIFY(menu->isVisible());
    QCOMPARE(bar.filter().statuses, (std::vector<std::string>{"sent", "deferred", "bounced"}));
    menu->close();
}

void TestFilterBar::statusBoxSaysTheMenusWordsAndKeepsItsWidth()
{
    // Picking "Deferred" showed "deferred" in the box, which grew wider and moved every field
    // after it: the menu's words, at one width.
    FilterBar bar;
    bar.resize(1400, bar.sizeHint().height());
    bar.show();
    QToolButton *button = nullptr;
    for (QToolButton *b : bar.findChildren<QToolButton *>())
        if (b->menu())
            button = b;
    QVERIFY(button);
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    const int width = button->width();
    const QList<QAction *> actions = button->menu()->actions();
    for (QAction *a : actions) {
        a->setChecked(true);
        QCoreApplication::processEvents();
        QCOMPARE(button->width(), width);
        if (a == actions.front())
            QCOMPARE(button->text(), a->text());
        a->setChecked(false);
        QCoreApplication::processEvents();
    }
    actions.at(1)->setChecked(true);
    QCoreApplication::processEvents();
    QCOMPARE(button->text(), u"Deferred"_s);
    QCOMPARE(button->width(), width);
    // Two: whole words, never "Deferre…" (session 18's trial): their names where they fit, else
    // how many; every one named in the tooltip.
    actions.at(2)->setChecked(true);
    QCoreApplication::processEvents();
    QCOMPARE(button->width(), width);
    QVERIFY2(!button->text().contains(u'…'), qPrintable(button->text()));
    QVERIFY2(button->text() == u"Deferred, Bounced"_s || button->text() == u"2 statuses"_s, qPrintable(button->text()));
    QVERIFY2(button->toolTip().contains(u"Deferred, Bounced"_s), qPrintable(button->toolTip()));
    // All of them: counted in the box, every one named in its tooltip.
    for (QAction *a : actions)
        a->setChecked(true);
    QCoreApplication::processEvents();
    QCOMPARE(button->width(), width);
    QCOMPARE(button->text(), u"6 statuses"_s);
    QVERIFY2(button->toolTip().contains(u"Sent, Deferred, Bounced, Expired, Rejected, Queued"_s), qPrintable(button->toolTip()));
    QVERIFY2(button->fontMetrics().horizontalAdvance(button->text()) <= width, qPrintable(button->text()));
}

QTEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"

void TestFilterBar::timeBoxNamesTheLogsOnShow_data()
{
    QTest::addColumn<qsizetype>("logs");
    QTest::addColumn<QString>("whole");
    QTest::addColumn<QString>("clock");
    // trial21: "All logs" before any was open.
    QTest::newRow("none open") << qsizetype(0) << u"Any time"_s << u"(the logs' time, as the table shows it)"_s;
    QTest::newRow("one log") << qsizetype(1) << u"Whole log"_s << u"(the log's time, as the table shows it)"_s;
    // trial20: "Whole log" with 824 logs open; a log and its rotation are two.
    QTest::newRow("a log and its rotation") << qsizetype(2) << u"All logs"_s << u"(the logs' time, as the table shows it)"_s;
    QTest::newRow("824 logs") << qsizetype(824) << u"All logs"_s << u"(the logs' time, as the table shows it)"_s;
}

void TestFilterBar::timeBoxNamesTheLogsOnShow()
{
    QFETCH(qsizetype, logs);
    FilterBar bar;
    auto *range = bar.findChild<QComboBox *>(u"rangeFilter"_s);
    QVERIFY(range);
    QCOMPARE(range->itemText(0), u"Any time"_s);  // as it starts, before the window names the logs
    // From the other number to this one: the words change with the logs, not only at the start.
    bar.setLogCount(logs == 1 ? 5 : 1);
    bar.setLogCount(logs);
    QTEST(range->itemText(0), "whole");
    QVERIFY2(range->toolTip().contains(logs == 1 ? u"line of the log,"_s : u"line of the logs,"_s), qPrintable(range->toolTip()));
    QStringList labels;
    for (const QLabel *label : bar.findChildren<QLabel *>())
        labels << label->text();
    QFETCH(QString, clock);
    QVERIFY2(labels.contains(clock), qPrintable(labels.join(u" | "_s)));
}

namespace {
// The × a line edit shows while it holds text: shown, and not faded out.
bool showsClearButton(const QLineEdit *edit)
{
    for (const QToolButton *button : edit->findChildren<QToolButton *>()) {
        if (button->isVisibleTo(edit) && button->property("opacity").toReal() > 0.01)
            return true;
    }
    return false;
}
} // namespace

void TestFilterBar::clearEmptiesEveryBoxAsAtStart()
{
    // trial21: the Code box kept its × after Clear. A filter shown by the chart or a link
    // (setFilter()) emptied the box typed in without its clear button hearing of it, and Clear
    // found nothing more to empty.
    FilterBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QList<QLineEdit *> fields = bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly);
    QVERIFY(fields.size() >= 5);
    for (QLineEdit *field : std::as_const(fields))
        QTest::keyClicks(field, u"550"_s);
    for (QLineEdit *field : std::as_const(fields))
        QTRY_VERIFY2(showsClearButton(field), qPrintable(field->placeholderText()));
    QSignalSpy changed(&bar, &FilterBar::filterChanged);
    bar.setFilter(Filter{});  // as the window shows a filter set elsewhere
    bar.clear();
    for (QLineEdit *field : std::as_const(fields)) {
        QVERIFY(field->text().isEmpty());
        QTRY_VERIFY2(!showsClearButton(field), qPrintable(field->placeholderText()));
    }
    // Clear still says its filter, even when every box was empty already.
    QTRY_COMPARE(changed.count(), 1);
    // A filter shown with a code gives the Code box its ×, as typing one does.
    Filter code;
    code.code = "550";
    bar.setFilter(code);
    QLineEdit *codeBox = nullptr;
    for (QLineEdit *field : std::as_const(fields))
        if (field->placeholderText() == u"Code"_s)
            codeBox = field;
    QVERIFY(codeBox);
    QCOMPARE(codeBox->text(), u"550"_s);
    QTRY_VERIFY(showsClearButton(codeBox));
}

void TestFilterBar::addressesStayReadableBesideEveryBox_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("lesserUnder");
    // Beside the view tabs, the bar of a window 1000 pixels wide, and of one 1600 wide.
    QTest::newRow("1000") << 700 << true;
    QTest::newRow("1600") << 1300 << false;
}

void TestFilterBar::addressesStayReadableBesideEveryBox()
{
    // trial21: at 1000 pixels with the host and format boxes (logs of two servers), the sender and
    // the recipient were squeezed to a few letters. An address stays readable in them; the host,
    // format, TLS and SASL user boxes go to the line under them instead.
    QFETCH(int, width);
    QFETCH(bool, lesserUnder);
    FilterBar bar;
    bar.setChoices({u"mx1.example.com"_s, u"mx2.example.com"_s}, {u"Postfix"_s, u"Sendmail"_s});
    bar.resize(width, bar.sizeHint().height());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.resize(width, bar.sizeHint().height());
    auto *host = bar.findChild<QComboBox *>(u"hostFilter"_s);
    auto *format = bar.findChild<QComboBox *>(u"formatFilter"_s);
    QVERIFY(host && format);
    QTRY_VERIFY(host->isVisible() && format->isVisible());
    QCOMPARE(bar.areLesserFieldsOnTheSearchLine(), lesserUnder);
    QLineEdit *sender = nullptr;
    for (QLineEdit *field : bar.findChildren<QLineEdit *>(Qt::FindDirectChildrenOnly)) {
        if (field->placeholderText() == u"Sender"_s || field->placeholderText() == u"Recipient"_s) {
            QTRY_VERIFY2(field->width() >= field->fontMetrics().horizontalAdvance(u"someone@example.com"_s),
                         qPrintable(u"%1: %2 pixels"_s.arg(field->placeholderText()).arg(field->width())));
            sender = field->placeholderText() == u"Sender"_s ? field : sender;
        } else if (!field->placeholderText().startsWith(u"Search"_s)) {  // it takes what is left
            QVERIFY2(field->width() >= field->fontMetrics().horizontalAdvance(field->placeholderText()),
                     qPrintable(field->placeholderText()));
        }
    }
    QVERIFY(sender);
    // The boxes read whole, on the line they are on.
    for (QComboBox *box : {host, format}) {
        QVERIFY2(box->width() >= box->minimumSizeHint().width(), qPrintable(box->objectName()));
        QCOMPARE(box->geometry().top() > sender->geometry().bottom(), lesserUnder);
    }
    // Nothing stands past the bar's right edge.
    for (QWidget *w : bar.findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
        if (w->isVisible())
            QVERIFY2(w->geometry().right() <= bar.width(), w->metaObject()->className());
}
