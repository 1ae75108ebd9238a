// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Rough edges a new user met in the window: the message pane's events table under its timeline
// shows several rows at 1400x900; Follow is not offered for a compressed log, which cannot grow;
// bounced and rejected are told apart by their colours, in both palettes and by red-green
// colour-blind eyes too.
#include "detailpane.h"
#include "insightspane.h"
#include "mainwindow.h"
#include "messageview.h"
#include "statuscolors.h"
#include "testpalette.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

enum class Vision { Normal, Deuteranopia, Protanopia };

double linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// The colour as an eye of this kind sees it (Machado, Oliveira and Fernandes 2009, severity 1,
// on linear RGB), in CIE L*a*b* (D65).
std::array<double, 3> seenAs(const QColor &color, Vision vision)
{
    static constexpr double Deutan[3][3] = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
                                            {-0.011820, 0.042940, 0.968881}};
    static constexpr double Protan[3][3] = {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216},
                                            {-0.003882, -0.048116, 1.051998}};
    const double rgb[3] = {linear(color.redF()), linear(color.greenF()), linear(color.blueF())};
    double seen[3] = {rgb[0], rgb[1], rgb[2]};
    if (vision != Vision::Normal) {
        const auto &m = vision == Vision::Deuteranopia ? Deutan : Protan;
        for (int i = 0; i < 3; ++i)
            seen[i] = std::clamp(m[i][0] * rgb[0] + m[i][1] * rgb[1] + m[i][2] * rgb[2], 0.0, 1.0);
    }
    const double x = (0.4124 * seen[0] + 0.3576 * seen[1] + 0.1805 * seen[2]) / 0.95047;
    const double y = 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2];
    const double z = (0.0193 * seen[0] + 0.1192 * seen[1] + 0.9505 * seen[2]) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

// CIE76 colour difference: about 2.3 is just noticeable; 20 and more reads as another colour.
double difference(const QColor &a, const QColor &b, Vision vision)
{
    const auto p = seenAs(a, vision), q = seenAs(b, vision);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

constexpr int Sent = 1, Deferred = 2, Bounced = 3, Rejected = 5;

} // namespace

class TestWindowLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eventsShowSeveralRows();
    void followIsNotOfferedForACompressedLog_data();
    void followIsNotOfferedForACompressedLog();
    void bouncedAndRejectedLookApart_data();
    void bouncedAndRejectedLookApart();

private:
    std::unique_ptr<MainWindow> freshWindow(const QString &cache, QSize size);
    QTemporaryDir m_dir;
};

void TestWindowLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<MainWindow> TestWindowLayout::freshWindow(const QString &cache, QSize size)
{
    // As a first start: no window layout left by an earlier one; the window opens at its first
    // size (a share of the screen), then the user makes it this size.
    QSettings settings;
    settings.clear();
    auto window = std::make_unique<MainWindow>(m_dir.filePath(cache));
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    window->resize(size);
    return window;
}

void TestWindowLayout::eventsShowSeveralRows()
{
    std::unique_ptr<MainWindow> window = freshWindow(u"events.sqlite"_s, QSize(1400, 900));
    QVERIFY(window);
    QSignalSpy finished(window.get(), &MainWindow::importFinished);
    window->openLogs({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")});
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(window->table()->model()->rowCount() > 0);
    QSignalSpy shown(window.get(), &MainWindow::messageShown);
    window->table()->selectRow(0);  // CABD81164CF: one recipient, three tries in a day
    QVERIFY(shown.wait(10000));
    QTableView *events = window->detailPane()->attempts();
    QTRY_VERIFY(events->model()->rowCount() >= 4);
    // Once the Insights dock below has taken the height of the sample's insights.
    QTRY_VERIFY(window->insightsPane()->view()->model()->rowCount() >= 9);
    QTest::qWait(200);
    // Under its timeline, the pane's events table shows several events (it showed less than one):
    // on screen, not below the end of the pane's scrolled area.
    const int rows = events->viewport()->visibleRegion().boundingRect().height() / events->verticalHeader()->defaultSectionSize();
    QVERIFY2(rows >= 3, qPrintable(QString::number(rows)));
    // And the table keeps the most of the room.
    const int tableRows = window->table()->viewport()->height() / window->table()->verticalHeader()->defaultSectionSize();
    QVERIFY2(tableRows >= 8, qPrintable(QString::number(tableRows)));
}

void TestWindowLayout::followIsNotOfferedForACompressedLog_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<bool>("offered");
    QTest::newRow(".gz") << QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.gz") << false;
    QTest::newRow(".xz") << QStringLiteral(MAILTRAIL_TEST_DATA "/compressed/bounce-with-notification.log.xz") << false;
    QTest::newRow("plain") << QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/bounce-with-notification.log") << true;
}

void TestWindowLayout::followIsNotOfferedForACompressedLog()
{
    QFETCH(QString, log);
    QFETCH(bool, offered);
    std::unique_ptr<MainWindow> window = freshWindow(u"follow-%1.sqlite"_s.arg(QString::fromLatin1(QTest::currentDataTag())),
                                                     QSize(1200, 800));
    QVERIFY(window);
    auto *follow = window->findChild<QAction *>(u"follow"_s);
    QVERIFY(follow);
    QVERIFY(follow->isEnabled());  // nothing open yet: on offer
    QSignalSpy finished(window.get(), &MainWindow::importFinished);
    window->openLogs({log});
    QVERIFY(finished.wait(30000));
    QCOMPARE(follow->isEnabled(), offered);
    if (!offered)  // a plain log just written is followed by itself
        QVERIFY(!follow->isChecked());
    // Its tooltip says why it is off, and what can be followed instead.
    QCOMPARE(follow->toolTip().contains(u"compressed"_s), !offered);
}

void TestWindowLayout::bouncedAndRejectedLookApart_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("vision");
    for (const bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        QTest::addRow("%s", palette) << dark << int(Vision::Normal);
        QTest::addRow("%s, deuteranopia", palette) << dark << int(Vision::Deuteranopia);
        QTest::addRow("%s, protanopia", palette) << dark << int(Vision::Protanopia);
    }
}

void TestWindowLayout::bouncedAndRejectedLookApart()
{
    QFETCH(bool, dark);
    QFETCH(int, vision);
    const QPalette palette = breezePalette(dark);
    const auto seen = static_cast<Vision>(vision);
    // They were an orange-red and a red, 16 to 28 apart (and rejected the deferrals' amber to a
    // deuteranope, 0 apart): now of another hue.
    const double apart = difference(statusColor(Bounced, palette), statusColor(Rejected, palette), seen);
    QVERIFY2(apart >= 40, qPrintable(QString::number(apart)));
    // The chart stacks these four: rejected is not mistaken for the other two either.
    for (const int other : {Sent, Deferred}) {
        const double d = difference(statusColor(other, palette), statusColor(Rejected, palette), seen);
        QVERIFY2(d >= 20, qPrintable(u"%1 from status %2"_s.arg(d).arg(other)));
    }
}

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
