// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// File > Open as a user drives it: the "Read as" choice of the dialog reaches the import.
#include "../cache/testlogs.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestOpenDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readAsReachesTheImport_data();
    void readAsReachesTheImport();
};

void TestOpenDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qApp->setProperty("mailtrail.noDialogs", true);
}

void TestOpenDialog::readAsReachesTheImport_data()
{
    QTest::addColumn<QString>("readAs");
    QTest::addColumn<QString>("stored");
    // Six lines of an Exim main log: detected as Exim; read as Postfix when the user says so.
    QTest::newRow("automatic") << QString() << u"exim"_s;
    QTest::newRow("exim") << u"exim"_s << u"exim"_s;
    QTest::newRow("postfix") << u"postfix"_s << u"postfix"_s;
}

void TestOpenDialog::readAsReachesTheImport()
{
    QFETCH(QString, readAs);
    QFETCH(QString, stored);
    QTemporaryDir dir;
    QFile exim(QStringLiteral(MAILTRAIL_TEST_DATA "/exim/corpus/exim-testsuite.log"));
    QVERIFY(exim.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exim.readAll().split('\n');
    const QByteArray head = lines.mid(0, 6).join('\n') + '\n';
    const QString log = QString::fromStdString(testlogs::write(dir, u"exim_mainlog"_s, head));
    const QString cachePath = dir.filePath(u"cache.sqlite"_s);
    MainWindow window(cachePath);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    bool answered = false;
    int tries = 0;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        QFileDialog *dialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QFileDialog *>(w); d && d->isVisible())
                dialog = d;
        if (!dialog)
            return;
        auto *box = dialog->findChild<QComboBox *>(u"readAs"_s);
        if (++tries > 100 || !box || box->findData(readAs) < 0) {
            answer.stop();
            dialog->reject();  // never hang on a dialog left open
            return;
        }
        box->setCurrentIndex(box->findData(readAs));
        dialog->selectFile(log);
        // The dialog lists the folder in the background: typed, the name counts at once.
        if (auto *name = dialog->findChild<QLineEdit *>(u"fileNameEdit"_s))
            name->setText(QFileInfo(log).fileName());
        answered = true;
        QMetaObject::invokeMethod(dialog, &QDialog::accept);  // a protected override: as the Open button does
    });
    answer.start();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    QAction *open = nullptr;
    for (QAction *a : window.menuBar()->findChildren<QAction *>())
        if (a->shortcut() == QKeySequence(QKeySequence::Open))
            open = a;
    QVERIFY(open);
    open->trigger();
    QVERIFY(answered);
    QVERIFY(finished.wait(20000));
    QCOMPARE(window.openLogPaths(), QStringList{QFileInfo(log).canonicalFilePath()});
    Cache cache;
    QVERIFY(cache.open(cachePath.toStdString(), Cache::Mode::ReadOnly));
    const std::vector<FileRow> files = cache.files();
    QCOMPARE(files.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(files.front().format), stored);

    // The log grows; Reload (F5, as Follow does) reads what is new as the format chosen, not
    // detecting it again.
    testlogs::write(dir, u"exim_mainlog"_s, lines.mid(6, 6).join('\n') + '\n', true);
    QAction *reload = nullptr;
    for (QAction *a : window.menuBar()->findChildren<QAction *>())
        if (a->shortcut() == QKeySequence(QKeySequence::Refresh))
            reload = a;
    QVERIFY(reload);
    reload->trigger();
    QVERIFY(finished.wait(20000));
    QVERIFY(cache.open(cachePath.toStdString(), Cache::Mode::ReadOnly));
    const std::vector<FileRow> again = cache.files();
    QCOMPARE(again.size(), std::size_t(1));
    QVERIFY(again.front().parsedOffset > files.front().parsedOffset);
    QCOMPARE(QString::fromStdString(again.front().format), stored);
}

QTEST_MAIN(TestOpenDialog)
#include "tst_opendialog.moc"
