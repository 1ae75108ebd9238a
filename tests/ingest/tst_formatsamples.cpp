// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Every registered format's samples (LogFormat::samples(): real lines) parse to what they say,
// and a file of them is detected as that format.
#include "ingest/formatregistry.h"

#include <QTest>

using namespace mailtrail;

namespace {
QByteArray bytes(std::string_view s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}
} // namespace

class TestFormatSamples : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAsItSays_data();
    void parsesAsItSays();
    void samplesAreDetected_data();
    void samplesAreDetected();
};

void TestFormatSamples::parsesAsItSays_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<int>("index");
    for (const LogFormat *f : FormatRegistry::all()) {
        QVERIFY2(f->samples().size() >= 5, bytes(f->name()).constData());
        for (std::size_t i = 0; i < f->samples().size(); ++i)
            QTest::addRow("%s %zu", bytes(f->name()).constData(), i) << bytes(f->name()) << int(i);
    }
}

void TestFormatSamples::parsesAsItSays()
{
    QFETCH(QByteArray, format);
    QFETCH(int, index);
    const LogFormat *f = FormatRegistry::find(std::string_view(format.constData(), std::size_t(format.size())));
    QVERIFY(f);
    const FormatSample &sample = f->samples()[std::size_t(index)];
    Record record;
    Event ev;
    QVERIFY(f->readRecord(sample.line, record));
    QVERIFY(f->ownsProgram(record.program));
    QVERIFY(f->parse(record, ev));
    QCOMPARE(int(ev.kind), int(sample.kind));
    QCOMPARE(int(ev.facts), int(sample.facts));
    QCOMPARE(bytes(ev.queueId), bytes(sample.queueId));
    if (!sample.recipient.empty())
        QCOMPARE(bytes(ev.recipient), bytes(sample.recipient));
}

void TestFormatSamples::samplesAreDetected_data()
{
    QTest::addColumn<QByteArray>("format");
    for (const LogFormat *f : FormatRegistry::all())
        QTest::newRow(bytes(f->name()).constData()) << bytes(f->name());
}

void TestFormatSamples::samplesAreDetected()
{
    QFETCH(QByteArray, format);
    const LogFormat *f = FormatRegistry::find(std::string_view(format.constData(), std::size_t(format.size())));
    QVERIFY(f);
    std::string head;
    for (const FormatSample &sample : f->samples())
        head.append(sample.line).push_back('\n');
    QCOMPARE(FormatRegistry::detect(head), f);
}

QTEST_GUILESS_MAIN(TestFormatSamples)
#include "tst_formatsamples.moc"
