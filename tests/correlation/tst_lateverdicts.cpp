// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A companion's line that comes after its message ended (dovecot's LMTP line after Postfix's
// "removed"): the message is stored when it ends, and the late line updates its row in the cache.
// The expected values are read off tests/data/postfix/flows/amavis-hops-late-lmtp.log by hand.
#include "../cache/testlogs.h"

#include <map>

using namespace mailtrail;
using namespace testlogs;

class TestLateVerdicts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lateLineUpdatesTheStoredRow();
};

void TestLateVerdicts::lateLineUpdatesTheStoredRow()
{
    QTemporaryDir dir;
    Cache cache;
    QVERIFY2(cache.open(dir.filePath(QStringLiteral("c.sqlite")).toStdString()), cache.error().c_str());
    std::map<std::string, int> observed;
    const ImportSummary s = Ingestor::import(cache, {write(dir, QStringLiteral("mail.log"), flow("amavis-hops-late-lmtp.log"))},
                                             {}, [&](const MessageRecord &m) { ++observed[m.queueId]; });
    QVERIFY2(s.ok(), s.error.c_str());
    // Each message once, in the cache and to the import's observer (which the follow prints and
    // the insights count from): the late line changed no outcome.
    QCOMPARE(countAll(cache), 3);
    QCOMPARE(observed, (std::map<std::string, int>{{"24131E64564", 1}, {"8C829E64565", 1}, {"3A1B2E64570", 1}}));
    std::optional<MessageRow> second;
    for (const MessageRow &m : cache.messages(Filter{}, {}, 0, 100)) {
        if (m.queueId == "8C829E64565")
            second = m;
    }
    QVERIFY(second);
    QCOMPARE(second->verdicts, std::string("saved to mailbox"));
    QCOMPARE(second->state, MessageState::Sent);
    const std::optional<MessageDetail> detail = cache.detail(second->id);
    QVERIFY(detail);
    // client=, cleanup, qmgr, lmtp's sent, qmgr's removed, then dovecot's line of 04:07:51; not
    // its line of 04:08:20, half a minute later.
    QCOMPARE(detail->lines.size(), std::size_t(6));
    QCOMPARE(detail->lines.back().offset, std::uint64_t(flow("amavis-hops-late-lmtp.log").indexOf("Dec  4 04:07:51 mx dovecot")));
    QCOMPARE(detail->deliveries.size(), std::size_t(1));
    QCOMPARE(detail->attempts.size(), std::size_t(1));  // tried once, shown once
    // Filtered by what the late line said.
    Filter saved;
    saved.text = "saved to mailbox";
    QCOMPARE(cache.count(Grain::Messages, saved), 1);
}

QTEST_GUILESS_MAIN(TestLateVerdicts)
#include "tst_lateverdicts.moc"
