// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The statistics tally's groups that grow with the log (senders, delivered recipients): the same
// numbers whatever the texts (empty, longer than a block, alike but for a byte), through a merge
// and a stored part, at no more than ~170 bytes of heap per distinct sender and recipient (issue
// 13: the import's peak memory; hash nodes and a std::string each cost ~280).
#include "cache/naturalorder.h"
#include "cache/statssnapshot.h"
#include "cache/statstally.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <new>
#include <set>

// Every allocation of this test counted, with the 16 bytes glibc's malloc spends on each chunk:
// what a tally's groups cost the process, as the import's resident size sees it.
namespace {
std::atomic<std::int64_t> g_heapBytes{0};
constexpr std::int64_t ChunkCost = 16;
} // namespace

void *operator new(std::size_t size)
{
    void *p = std::malloc(size + sizeof(std::max_align_t));
    if (!p)
        throw std::bad_alloc();
    *static_cast<std::size_t *>(p) = size;
    g_heapBytes += static_cast<std::int64_t>(size) + ChunkCost;
    return static_cast<char *>(p) + sizeof(std::max_align_t);
}

void operator delete(void *p) noexcept
{
    if (!p)
        return;
    char *base = static_cast<char *>(p) - sizeof(std::max_align_t);
    g_heapBytes -= static_cast<std::int64_t>(*reinterpret_cast<std::size_t *>(base)) + ChunkCost;
    std::free(base);
}

void operator delete(void *p, std::size_t) noexcept
{
    operator delete(p);
}

using namespace mailtrail;

namespace {

// The numbers the groups decide, one per line.
std::string dump(const Stats &s)
{
    std::string out = std::to_string(s.messagesAll) + ' ' + std::to_string(s.senders) + ' ' + std::to_string(s.senderDomains) +
        ' ' + std::to_string(s.recipientsDelivered) + ' ' + std::to_string(s.recipientDomains) + '\n';
    for (const auto *list : {&s.topSenders, &s.topSenderDomains, &s.topRecipientDomains}) {
        for (const StatsCount &c : *list)
            out += c.key + ' ' + std::to_string(c.count) + ' ' + std::to_string(c.problems) + ' ' + std::to_string(c.bytes) + '\n';
        out += "--\n";
    }
    return out;
}

struct Mail {
    std::string sender, recipient;
};

void add(StatsTally &tally, const Mail &m, std::int64_t key)
{
    StatsMessageRow row;
    row.firstSeenMs = 1'700'000'000'000 + key * 1000;
    row.received = true;
    row.sender = m.sender;
    row.size = 1000 + key;
    row.state = 1;
    tally.addMessage(row);
    StatsDeliveryRow d;
    d.messageKey = key;
    d.status = 1;
    d.recipient = m.recipient;
    d.attempts = 1;
    d.lastAttemptMs = row.firstSeenMs + 500;
    d.arrivalMs = d.lastSeenMs = row.firstSeenMs;
    d.size = row.size;
    tally.addDelivery(d, nullptr);
}

Stats finished(StatsTally &tally)
{
    Stats s;
    tally.finish(s);
    return s;
}

std::string address(int i, std::string_view domain = "example.test")
{
    return "user" + std::to_string(i) + "@" + std::string(domain);
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Mail>)

class TestStatsTally : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void distinctTexts_data();
    void distinctTexts();
    void heapPerAddress();
};

void TestStatsTally::distinctTexts_data()
{
    QTest::addColumn<std::vector<Mail>>("mails");
    QTest::addColumn<int>("senders");
    QTest::addColumn<int>("recipients");

    QTest::newRow("one sender, again and again") << std::vector<Mail>(50, Mail{"a@x.test", "b@y.test"}) << 1 << 1;
    {
        // Past every growth of the table (16 slots, then doubling at three quarters).
        std::vector<Mail> mails;
        for (int i = 0; i < 5000; ++i)
            mails.push_back(Mail{address(i % 3001, "s.test"), address(i, "r.test")});
        QTest::newRow("5000 mails, 3001 senders") << mails << 3001 << 5000;
    }
    {
        // Texts alike but for their last byte, an empty one, one with a NUL, one longer than a
        // quarter of a block and one longer than a block (each in a block of its own), then the
        // short ones again: each its own group, found again.
        const std::string longer(20'000, 'l'), longest(70'000, 'm');
        std::vector<Mail> mails{{"", "r@x.test"},
                                {"ab@x.test", "ab@y.test"},
                                {"ab@x.tesu", "ab@y.tesu"},
                                {std::string("nul\0@x.test", 11), std::string("nul\0@y.test", 11)},
                                {longer + "@x.test", longer + "@y.test"},
                                {longest + "@x.test", longest + "@y.test"},
                                {"after@x.test", "after@y.test"}};
        for (std::size_t i = 0, n = mails.size(); i < n; ++i)
            mails.push_back(mails[i]);
        QTest::newRow("empty, NUL, longer than a block") << mails << 7 << 7;
    }
}

void TestStatsTally::distinctTexts()
{
    QFETCH(std::vector<Mail>, mails);
    QFETCH(int, senders);
    QFETCH(int, recipients);

    // What the groups must say, counted the plain way.
    std::map<std::string, int> bySender;
    std::set<std::string> delivered;
    for (const Mail &m : mails) {
        ++bySender[m.sender];
        delivered.insert(m.recipient);
    }
    QCOMPARE(static_cast<int>(bySender.size()), senders);
    QCOMPARE(static_cast<int>(delivered.size()), recipients);

    StatsTally whole(5), first(5), second(5);
    for (std::size_t i = 0; i < mails.size(); ++i) {
        add(whole, mails[i], static_cast<std::int64_t>(i));
        add(i < mails.size() / 2 ? first : second, mails[i], static_cast<std::int64_t>(i));
    }
    const Stats s = finished(whole);
    QCOMPARE(s.senders, std::int64_t{senders});
    QCOMPARE(s.recipientsDelivered, std::int64_t{recipients});
    // The top senders: most mails first, ties in natural order (tst_filters checks that order on
    // its own: naturalOrder, topListTiesKeptInNaturalOrder).
    std::vector<std::pair<int, std::string>> ranked;
    for (const auto &[sender, n] : bySender)
        ranked.emplace_back(-n, sender);
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first < b.first : mailtrail::naturalLess(a.second, b.second);
    });
    QCOMPARE(s.topSenders.size(), std::min<std::size_t>(5, ranked.size()));
    for (std::size_t i = 0; i < s.topSenders.size(); ++i) {
        QCOMPARE(s.topSenders[i].key, ranked[i].second);
        QCOMPARE(s.topSenders[i].count, std::int64_t{-ranked[i].first});
    }

    // Two halves merged, and a tally stored and read back, say the same.
    first.merge(second);
    QCOMPARE(dump(finished(first)), dump(s));
    StatsTally read(5);
    QVERIFY(StatsSnapshot::decode(StatsSnapshot::encode(whole), read));
    QCOMPARE(dump(finished(read)), dump(s));
}

void TestStatsTally::heapPerAddress()
{
    // 20,000 mails, each from a sender and to a recipient of their own (addresses of 27-31
    // bytes, as the generated log's): the groups that grow with the log, and nothing else that
    // does (one domain each side, one hour).
    constexpr int Mails = 20'000;
    std::vector<Mail> mails;
    for (int i = 0; i < Mails; ++i)
        mails.push_back(Mail{address(i, "sender-domain.test"), address(i, "recipient-domain.test")});
    const std::int64_t before = g_heapBytes;
    {
        StatsTally tally(5);
        for (int i = 0; i < Mails; ++i)
            add(tally, mails[static_cast<std::size_t>(i)], i);
        const std::int64_t perMail = (g_heapBytes - before) / Mails;
        qInfo("heap per distinct sender and recipient: %lld bytes", static_cast<long long>(perMail));
        // A node and a std::string per key: ~280 bytes. In blocks with a table of slots: ~170.
        QVERIFY2(perMail <= 200, QByteArray::number(static_cast<long long>(perMail)).constData());
        QCOMPARE(finished(tally).recipientsDelivered, std::int64_t{Mails});
    }
}

QTEST_GUILESS_MAIN(TestStatsTally)
#include "tst_statstally.moc"
