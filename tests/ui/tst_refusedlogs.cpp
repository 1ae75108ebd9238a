// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window over files that are not (whole) mail logs: a refused file is not open (neither
// followed, nor counted, nor in the title); a compressed log cut short is partly read, a warning,
// and a status line too long for the window is cut with "…", whole in its tooltip; an empty file
// or folder is named as such, and the empty chart and Insights pane say why they are empty.
#include "../cache/testlogs.h"
#include "cachetablemodel.h"
#include "chartview.h"
#include "elidedlabel.h"
#include "insightspane.h"
#include "mainwindow.h"
#include "session.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

#include <utime.h>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestRefusedLogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void refusedFileIsNotFollowed();
    void refusedFileInAFolderIsNotCounted();
    void cutShortIsPartlyRead();
    void longStatusIsElided();
    void emptyFileSaysSo();
    void emptyFolderSaysSo();
    void insightsSayNothingIsOpen();

private:
    void openAndWait(const QStringList &paths);
    // An ELF header and zeros, as the trial's binary.log, written now: a log being written
    // would be followed.
    QString writeBinary(const QString &name);
    ElidedLabel *summaryLabel() const;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestRefusedLogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
}

void TestRefusedLogs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
    m_window->resize(1000, 650);
    m_window->show();
}

void TestRefusedLogs::cleanup()
{
    m_window.reset();
}

void TestRefusedLogs::openAndWait(const QStringList &paths)
{
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs(paths);
    QVERIFY(finished.wait(30000));
}

QString TestRefusedLogs::writeBinary(const QString &name)
{
    QByteArray data("\x7f" "ELF\x02\x01\x01\x03", 8);
    data += QByteArray(20000, '\0');
    const QString path = QString::fromStdString(write(*m_dir, name, data));
    ::utime(path.toLocal8Bit().constData(), nullptr);  // written now
    return path;
}

ElidedLabel *TestRefusedLogs::summaryLabel() const
{
    return m_window->statusBar()->findChild<ElidedLabel *>(u"importSummary"_s);
}

void TestRefusedLogs::refusedFileIsNotFollowed()
{
    const QString binary = writeBinary(u"binary.log"_s);
    openAndWait({binary});
    QVERIFY2(m_window->lastImportMessage().contains(u"binary.log: not a mail log"_s), qPrintable(m_window->lastImportMessage()));
    QVERIFY2(m_window->openLogPaths().isEmpty(), qPrintable(m_window->openLogPaths().join(u", "_s)));
    QVERIFY2(!m_window->session()->isFollowing(), qPrintable(m_window->session()->followedPaths().join(u", "_s)));
    QCOMPARE(m_window->windowTitle(), u"Mailtrail"_s);
    auto *following = m_window->statusBar()->findChild<QLabel *>(u"followIndicator"_s);
    QVERIFY(following);
    QVERIFY(!following->isVisibleTo(m_window.get()));
}

void TestRefusedLogs::refusedFileInAFolderIsNotCounted()
{
    QVERIFY(QDir(m_dir->path()).mkdir(u"mixed"_s));
    const QStringList logs{u"mixed/a.log"_s, u"mixed/b.log"_s, u"mixed/c.log"_s};
    write(*m_dir, logs.at(0), flow("deferred-then-sent.log"));
    write(*m_dir, logs.at(1), flow("expired.log"));
    write(*m_dir, logs.at(2), flow("relay-between-hosts.log"));
    writeBinary(u"mixed/binary.log"_s);
    openAndWait({m_dir->filePath(u"mixed"_s)});
    QCOMPARE(m_window->openLogPaths().size(), 3);
    for (const QString &path : m_window->openLogPaths())
        QVERIFY2(!path.endsWith(u"binary.log"_s), qPrintable(path));
    QCOMPARE(m_window->windowTitle(), u"a.log, b.log, c.log — Mailtrail"_s);
    // Follow was turned on by the binary file alone (the logs are old): nothing is followed.
    QVERIFY(!m_window->session()->isFollowing());
    // Opened again with a log being written: that one is followed, the refused one is not.
    const QString live = QString::fromStdString(write(*m_dir, u"live.log"_s, flow("expired.log")));
    ::utime(live.toLocal8Bit().constData(), nullptr);
    openAndWait({live, writeBinary(u"other.bin"_s)});
    QTRY_VERIFY(m_window->session()->isFollowing());
    QCOMPARE(m_window->session()->followedPaths().size(), 4);
    for (const QString &path : m_window->session()->followedPaths())
        QVERIFY2(!path.endsWith(u"other.bin"_s), qPrintable(path));
    QCOMPARE(m_window->windowTitle(), u"a.log, b.log and 2 more — Mailtrail"_s);
}

void TestRefusedLogs::cutShortIsPartlyRead()
{
    const QString cut = QString::fromStdString(writeGzip(*m_dir, u"trunc.log.gz"_s, repeatedFlow("expired.log", 200, {}), 200));
    openAndWait({cut});
    const QString said = summaryLabel()->text();
    QVERIFY2(said.contains(u"Partly read: trunc.log.gz: the compressed file is cut short"_s), qPrintable(said));
    QVERIFY2(!said.contains(u"Not read"_s), qPrintable(said));
    // What was read is open, as any log.
    QCOMPARE(m_window->openLogPaths().size(), 1);
    QVERIFY(m_window->currentModel()->rowCount() > 0);
}

void TestRefusedLogs::longStatusIsElided()
{
    // Several logs cut short: the status line is longer than the window.
    QStringList paths;
    for (int i = 0; i < 4; ++i)
        paths << QString::fromStdString(
            writeGzip(*m_dir, u"archived-mail-log-%1.log.gz"_s.arg(i),
                      repeatedFlow("expired.log", 200, {{"5E6F7A8B9C", 0x100000 * (i + 1)}}), 200));
    openAndWait(paths);
    ElidedLabel *label = summaryLabel();
    QVERIFY(label);
    QTRY_VERIFY(label->width() > 100);
    const QString whole = label->text();
    QVERIFY2(label->fontMetrics().horizontalAdvance(whole) > label->contentsRect().width(), qPrintable(whole));
    const QString shown = label->shownText();
    QVERIFY2(shown.endsWith(u"…"_s), qPrintable(shown));
    QVERIFY(label->fontMetrics().horizontalAdvance(shown) <= label->contentsRect().width());
    QVERIFY2(label->fullToolTip().startsWith(whole), qPrintable(label->fullToolTip()));
    QVERIFY2(label->fullToolTip().contains(u"\narchived-mail-log-3.log.gz: the compressed file is cut short"_s), qPrintable(label->fullToolTip()));
    // Wide enough, nothing is cut and the tooltip does not repeat the line.
    m_window->resize(20000, 650);
    QTRY_VERIFY(label->fontMetrics().horizontalAdvance(whole) <= label->contentsRect().width());
    QCOMPARE(label->shownText(), whole);
    QVERIFY2(!label->fullToolTip().contains(whole), qPrintable(label->fullToolTip()));
}

void TestRefusedLogs::emptyFileSaysSo()
{
    openAndWait({QString::fromStdString(write(*m_dir, u"empty.log"_s, {}))});
    const QString said = summaryLabel()->text();
    QVERIFY2(said.startsWith(u"empty.log is empty."_s), qPrintable(said));
    QVERIFY2(!said.contains(u"Imported 0 lines"_s), qPrintable(said));
    // The chart is no blank box: it says why, in the box; of one log, "this log" (it said
    // "these logs" of one).
    QTRY_COMPARE(m_window->chart()->message(), u"No delivery tries in this log"_s);
    QCOMPARE(m_window->chart()->chartView()->chart()->title(), u"No delivery tries in this log"_s);
}

void TestRefusedLogs::emptyFolderSaysSo()
{
    QVERIFY(QDir(m_dir->path()).mkdir(u"nothing-here"_s));
    openAndWait({m_dir->filePath(u"nothing-here"_s)});
    const QString said = summaryLabel()->text();
    QVERIFY2(said.startsWith(u"The folder nothing-here holds no log files."_s), qPrintable(said));
}

void TestRefusedLogs::insightsSayNothingIsOpen()
{
    QTRY_VERIFY2(m_window->insightsPane()->statusText().startsWith(u"No logs are open"_s),
                 qPrintable(m_window->insightsPane()->statusText()));
    openAndWait({QString::fromStdString(write(*m_dir, u"a.log"_s, flow("deferred-then-sent.log")))});
    QTRY_VERIFY2(!m_window->insightsPane()->statusText().startsWith(u"No logs are open"_s),
                 qPrintable(m_window->insightsPane()->statusText()));
    m_window->closeLogs(m_window->openLogPaths());
    QTRY_VERIFY2(m_window->insightsPane()->statusText().startsWith(u"No logs are open"_s),
                 qPrintable(m_window->insightsPane()->statusText()));
}

QTEST_MAIN(TestRefusedLogs)
#include "tst_refusedlogs.moc"
