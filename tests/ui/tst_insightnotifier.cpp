// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Notifications of new insights: only while following, once per insight however often its rows
// are handed over, a few per burst; without a session bus (offscreen) quietly.
#include "insightmodel.h"
#include "insightnotifier.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailtrail;

namespace {

Insight insight(InsightKind kind, const std::string &subject, std::int64_t timeMs)
{
    Insight i;
    i.kind = kind;
    i.subject = subject;
    i.timeMs = timeMs;
    i.detail = "3 messages refused";
    return i;
}

} // namespace

class TestInsightNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oncePerInsight_data();
    void oncePerInsight();
};

void TestInsightNotifier::oncePerInsight_data()
{
    QTest::addColumn<bool>("following");
    QTest::addColumn<int>("insights");
    QTest::addColumn<int>("handedOverTimes");
    QTest::addColumn<int>("expected");
    QTest::newRow("not following") << false << 2 << 1 << 0;
    QTest::newRow("one") << true << 1 << 1 << 1;
    QTest::newRow("the same one again") << true << 1 << 3 << 1;
    QTest::newRow("two") << true << 2 << 1 << 2;
    QTest::newRow("a burst: a few") << true << 10 << 1 << 3;
}

void TestInsightNotifier::oncePerInsight()
{
    QFETCH(bool, following);
    QFETCH(int, insights);
    QFETCH(int, handedOverTimes);
    InsightModel model;
    std::vector<Insight> fired;
    for (int n = 0; n < insights; ++n)
        fired.push_back(insight(InsightKind::RejectBurst, "192.0.2." + std::to_string(n), 1000 * n));
    model.append(fired);
    InsightNotifier notifier(&model);
    notifier.setEnabled(following);
    for (int n = 0; n < handedOverTimes; ++n)
        notifier.notify(0, model.rowCount() - 1);
    QTEST(notifier.notified(), "expected");
}

QTEST_MAIN(TestInsightNotifier)
#include "tst_insightnotifier.moc"
