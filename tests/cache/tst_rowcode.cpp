// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The code a message's row shows beside its status: its reply code or, without one, the enhanced
// code of its latest recipient in that status, as the deliveries view shows it. A deferral without
// a reply ("connect to ...: Connection timed out", dsn 4.4.1) showed an empty Code cell in the
// messages view while the deliveries view showed 4.4.1.
#include "testlogs.h"

#include <map>
#include <set>

using namespace mailtrail;
using namespace testlogs;

namespace {

Filter overChains(bool chains)
{
    Filter f;
    f.chains = chains;
    return f;
}

} // namespace

class TestRowCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sampleDeferralsShowTheirEnhancedCode();
    void everyRowShowsWhatItsDeliveriesShow_data();
    void everyRowShowsWhatItsDeliveriesShow();
};

void TestRowCode::sampleDeferralsShowTheirEnhancedCode()
{
    // Read off resources/sample/mail.log: CABD81164CF is deferred by "connect to
    // mail.northwind-foods.es[...]:25: Connection timed out" (dsn=4.4.1, no reply); 319E113A315
    // by "450 4.2.0 ... Greylisted" (the reply's code is shown, not its enhanced code).
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, QStringLiteral(MAILTRAIL_SOURCE_DIR "/resources/sample/mail.log")));
    for (const bool chains : {false, true}) {
        std::map<std::string, MessageRow> rows;
        for (const MessageRow &m : cache.messages(overChains(chains), {}, 0, 100000))
            rows[m.queueId] = m;
        QVERIFY(rows.count("CABD81164CF") && rows.count("319E113A315"));
        QCOMPARE(rows["CABD81164CF"].finalState, MessageState::Deferred);
        QCOMPARE(rows["CABD81164CF"].lastCode, 0);
        QCOMPARE(rows["CABD81164CF"].lastDsn, std::string("4.4.1"));
        QCOMPARE(rows["319E113A315"].lastCode, 450);
        QCOMPARE(rows["319E113A315"].lastDsn, std::string());
    }
}

void TestRowCode::everyRowShowsWhatItsDeliveriesShow_data()
{
    addRealLogRows();
}

void TestRowCode::everyRowShowsWhatItsDeliveriesShow()
{
    // On every real log: a row without a reply code shows the enhanced code of a delivery in its
    // status listed for it in the deliveries view (the final ones of a chain), and one that has
    // such a delivery with an enhanced code shows one.
    QFETCH(QString, log);
    QTemporaryDir dir;
    Cache cache;
    QVERIFY(importOne(cache, dir, log));
    for (const bool chains : {false, true}) {
        std::multimap<std::int64_t, DeliveryRow> listed;  // by the row's message: the chain's first hop
        for (const DeliveryRow &d : cache.deliveries(overChains(chains), {}, 0, 100000))
            listed.emplace(d.messageDbId, d);
        std::map<std::int64_t, std::int64_t> rowOf;  // hop -> the message row that lists it
        for (const MessageRow &m : cache.messages({}, {}, 0, 100000))
            rowOf[m.id] = chains && m.chainId != 0 ? m.chainId : m.id;
        int shown = 0;
        for (const MessageRow &m : cache.messages(overChains(chains), {}, 0, 100000)) {
            std::set<std::string> dsns;  // of its deliveries in its status
            for (const auto &[message, d] : listed) {
                if (rowOf[message] == m.id && static_cast<int>(d.status) == static_cast<int>(m.finalState) && !d.dsn.empty())
                    dsns.insert(d.dsn);
            }
            if (m.lastCode != 0) {
                QVERIFY(m.lastDsn.empty());
                continue;
            }
            QVERIFY2(m.lastDsn.empty() == dsns.empty(), (m.queueId + " " + m.lastDsn).c_str());
            QVERIFY2(m.lastDsn.empty() || dsns.count(m.lastDsn), (m.queueId + " " + m.lastDsn).c_str());
            shown += !m.lastDsn.empty();
        }
        if (log.endsWith(u"postfix-3.10.13-filter.log") || log.endsWith(u"mail.log"))
            QVERIFY(shown > 0);
    }
}

QTEST_GUILESS_MAIN(TestRowCode)
#include "tst_rowcode.moc"
