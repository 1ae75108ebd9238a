// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The thresholds of the insights stored with QSettings, as the window's settings dialog stores
// them and mailtrail-cli reads them: what is written is read back, and a key missing keeps its
// default.
#include "insightsettings.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

Q_DECLARE_METATYPE(mailtrail::InsightThresholds)

namespace {

bool same(const InsightThresholds &a, const InsightThresholds &b)
{
    return a.failureWindowMs == b.failureWindowMs && a.failureMinimum == b.failureMinimum &&
           a.failureShare == b.failureShare && a.deferringMs == b.deferringMs && a.burstWindowMs == b.burstWindowMs &&
           a.authFailureBurst == b.authFailureBurst && a.rejectBurst == b.rejectBurst &&
           a.queueWindowMs == b.queueWindowMs && a.queueMinimum == b.queueMinimum && a.silenceMs == b.silenceMs &&
           a.silenceAfterDeliveries == b.silenceAfterDeliveries;
}

} // namespace

class TestInsightSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void roundTrip_data();
    void roundTrip();
    void missingKeysKeepTheDefaults();
};

void TestInsightSettings::initTestCase()
{
    // QSettings of the test's own organisation under ~/.qttest, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QString::fromLatin1(SettingsOrganization));
    QCoreApplication::setApplicationName(QString::fromLatin1(SettingsApplication));
}

void TestInsightSettings::init()
{
    QSettings().clear();
}

void TestInsightSettings::roundTrip_data()
{
    QTest::addColumn<InsightThresholds>("thresholds");
    QTest::newRow("defaults") << InsightThresholds{};
    InsightThresholds low;
    low.failureWindowMs = 5 * 60 * 1000;
    low.failureMinimum = 3;
    low.failureShare = 0.25;
    low.deferringMs = 0;
    low.burstWindowMs = 60 * 1000;
    low.authFailureBurst = 2;
    low.rejectBurst = 1;
    low.queueWindowMs = 2 * 60 * 1000;
    low.queueMinimum = 1;
    low.silenceMs = 7 * 60 * 60 * 1000;
    low.silenceAfterDeliveries = 0;
    QTest::newRow("every one changed") << low;
}

void TestInsightSettings::roundTrip()
{
    QFETCH(InsightThresholds, thresholds);
    {
        QSettings settings;
        saveInsightThresholds(settings, thresholds);
    }
    QSettings settings;
    QVERIFY(settings.contains(u"insights/rejectBurst"_s));
    QVERIFY(same(loadInsightThresholds(settings), thresholds));
}

void TestInsightSettings::missingKeysKeepTheDefaults()
{
    QSettings settings;
    settings.setValue(u"insights/rejectBurst"_s, 7);
    InsightThresholds expected;
    expected.rejectBurst = 7;
    const InsightThresholds read = loadInsightThresholds(settings);
    QCOMPARE(read.rejectBurst, 7);
    QVERIFY(same(read, expected));
}

QTEST_GUILESS_MAIN(TestInsightSettings)
#include "tst_insightsettings.moc"
