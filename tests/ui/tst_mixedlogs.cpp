// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window over logs of several servers or formats: the Host and Format columns tell their rows
// apart, and show by themselves; over one server's logs of one format they stay hidden.
#include "../cache/testlogs.h"
#include "deliverytablemodel.h"
#include "mainwindow.h"
#include "messagetablemodel.h"
#include "messageview.h"
#include "openlogsdialog.h"
#include "session.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableWidget>
#include <QTest>

using namespace mailtrail;
using namespace testlogs;
using namespace Qt::StringLiterals;

class TestMixedLogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void oneServerOneFormatKeepsThemHidden();
    void twoServersShowTheHost();
    void twoFormatsShowTheFormat();
    void theLayoutSavedIsTheUsers();
    void everyViewTabStaysInSight();
    void logsOpenNameHostsAndOtherPrograms();

private:
    void openAndWait(const QStringList &paths);
    bool hostShown() const;
    bool formatShown() const;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestMixedLogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
}

void TestMixedLogs::init()
{
    QSettings().remove(u"columns"_s);  // the layouts other tests of the window left
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
    m_window->resize(1200, 800);
    m_window->show();
}

void TestMixedLogs::cleanup()
{
    m_window.reset();
}

void TestMixedLogs::openAndWait(const QStringList &paths)
{
    QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
    m_window->openLogs(paths);
    QVERIFY(finished.wait(30000));
}

bool TestMixedLogs::hostShown() const
{
    const bool deliveries = m_window->grain() == Grain::Deliveries;
    return !m_window->table()->isColumnHidden(deliveries ? int(DeliveryTableModel::HostColumn) : int(MessageTableModel::HostColumn));
}

bool TestMixedLogs::formatShown() const
{
    const bool deliveries = m_window->grain() == Grain::Deliveries;
    return !m_window->table()->isColumnHidden(deliveries ? int(DeliveryTableModel::FormatColumn) : int(MessageTableModel::FormatColumn));
}

void TestMixedLogs::oneServerOneFormatKeepsThemHidden()
{
    // Two Postfix logs of mx1: every row would read "mx1" and "postfix".
    openAndWait({QString::fromStdString(write(*m_dir, u"a.log"_s, flow("deferred-then-sent.log"))),
                 QString::fromStdString(write(*m_dir, u"b.log"_s, flow("expired.log")))});
    QTRY_COMPARE(m_window->session()->hostNames(), QStringList{u"mx1"_s});
    QVERIFY(!hostShown());
    QVERIFY(!formatShown());
}

void TestMixedLogs::twoServersShowTheHost()
{
    const QString mx1 = QString::fromStdString(write(*m_dir, u"mx1.log"_s, flow("deferred-then-sent.log")));
    const QString relays = QString::fromStdString(write(*m_dir, u"relays.log"_s, flow("relay-between-hosts.log")));
    openAndWait({mx1, relays});
    QTRY_COMPARE(m_window->session()->hostNames(), (QStringList{u"edge1"_s, u"hub1"_s, u"mx1"_s}));
    QVERIFY(hostShown());
    QVERIFY(!formatShown());
    // The other grain too.
    m_window->setGrain(Grain::Deliveries);
    QVERIFY(hostShown());
    m_window->setGrain(Grain::Messages);
    // Back to one server: hidden again, as it was before the window showed it.
    m_window->closeLogs({QFileInfo(relays).canonicalFilePath()});
    QTRY_COMPARE(m_window->session()->hostNames(), QStringList{u"mx1"_s});
    QVERIFY(!hostShown());
}

void TestMixedLogs::theLayoutSavedIsTheUsers()
{
    const QString mx1 = QString::fromStdString(write(*m_dir, u"mx1.log"_s, flow("deferred-then-sent.log")));
    const QString relays = QString::fromStdString(write(*m_dir, u"relays.log"_s, flow("relay-between-hosts.log")));
    openAndWait({mx1, relays});
    QTRY_VERIFY(hostShown());
    // Switching grains and closing save the layouts: without the columns the logs showed.
    m_window->setGrain(Grain::Deliveries);
    m_window->close();
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"cache.sqlite"_s));
    m_window->show();
    openAndWait({mx1});
    QTRY_COMPARE(m_window->session()->hostNames(), QStringList{u"mx1"_s});
    QVERIFY(!hostShown());
    m_window->setGrain(Grain::Deliveries);
    QVERIFY(!hostShown());
}

void TestMixedLogs::twoFormatsShowTheFormat()
{
    const QString exim = m_dir->filePath(u"mainlog"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"), exim));
    openAndWait({QString::fromStdString(write(*m_dir, u"mail.log"_s, flow("deferred-then-sent.log"))), exim});
    QTRY_COMPARE(m_window->session()->formatNames(), (QStringList{u"exim"_s, u"postfix"_s}));
    QVERIFY(formatShown());
}

void TestMixedLogs::everyViewTabStaysInSight()
{
    // Two servers and three formats: the host and format boxes join the filter bar. At the width of
    // a laptop's window, the Summary tab went behind scroll arrows.
    m_window->resize(1400, 900);
    const QString exim = m_dir->filePath(u"mainlog"_s);
    QVERIFY(QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/golden/exim-4.98.2-mainlog.log"), exim));
    openAndWait({QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log"), exim,
                 QStringLiteral(MAILTRAIL_TEST_DATA "/sendmail/golden/sendmail-8.17.1.9-syslog.log")});
    QTRY_COMPARE(m_window->session()->formatNames().size(), 3);
    QTRY_VERIFY(m_window->session()->hostNames().size() > 1);
    QTest::qWait(50);  // the boxes shown, laid out
    QTabBar *tabs = nullptr;
    for (QTabBar *t : m_window->findChildren<QTabBar *>())
        if (t->count() == 3 && t->tabText(2) == u"Summary"_s)
            tabs = t;
    QVERIFY(tabs);
    // Nor does the window grow wider than it was made for them.
    QVERIFY2(m_window->minimumSizeHint().width() <= 1400, qPrintable(QString::number(m_window->minimumSizeHint().width())));
    QCOMPARE(m_window->width(), 1400);
    for (int i = 0; i < tabs->count(); ++i)
        QVERIFY2(tabs->rect().contains(tabs->tabRect(i)),
                 qPrintable(u"tab %1 at %2..%3 of %4"_s.arg(tabs->tabText(i)).arg(tabs->tabRect(i).left())
                                .arg(tabs->tabRect(i).right()).arg(tabs->width())));
}

void TestMixedLogs::logsOpenNameHostsAndOtherPrograms()
{
    const QString relays = QString::fromStdString(write(*m_dir, u"relays.log"_s, flow("relay-between-hosts.log")));
    // A real Postfix log with dovecot's lines after it (as tst_fileprograms: 10 of dovecot, 1 of
    // auth, 5 that are no syslog line).
    QByteArray mixed;
    for (const char *name : {"/postfix/golden/postfix-3.10.13-filter.log", "/programs/fail2ban-dovecot.log"}) {
        QFile f(QStringLiteral(MAILTRAIL_TEST_DATA) + QLatin1StringView(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        mixed += f.readAll();
    }
    const QString withDovecot = QString::fromStdString(write(*m_dir, u"mail.log"_s, mixed));
    openAndWait({relays, withDovecot});
    m_window->showOpenLogs();
    OpenLogsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<OpenLogsDialog *>()) != nullptr);
    QTableWidget *table = dialog->table();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->horizontalHeaderItem(OpenLogsDialog::HostsColumn)->text(), u"Hosts"_s);
    QCOMPARE(table->horizontalHeaderItem(OpenLogsDialog::OtherColumn)->text(), u"Other programs"_s);
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString log = table->item(r, OpenLogsDialog::LogColumn)->text();
        const QString hosts = table->item(r, OpenLogsDialog::HostsColumn)->text();
        const QTableWidgetItem *other = table->item(r, OpenLogsDialog::OtherColumn);
        if (log == u"relays.log"_s) {
            QCOMPARE(hosts, u"edge1, hub1"_s);
            QCOMPARE(other->text(), u"0"_s);
        } else {
            QCOMPARE(log, u"mail.log"_s);
            QVERIFY2(!hosts.isEmpty() && !hosts.contains(u"edge1"_s), qPrintable(hosts));
            QCOMPARE(other->text(), u"11"_s);
            QVERIFY2(other->toolTip().startsWith(u"dovecot: 10\nauth: 1"_s), qPrintable(other->toolTip()));
        }
    }
    dialog->close();
}

QTEST_MAIN(TestMixedLogs)
#include "tst_mixedlogs.moc"
