// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinelayout.h"

#include <QDateTime>
#include <QTimeZone>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 S = 1000;
constexpr qint64 Min = 60 * S;
constexpr qint64 H = 60 * Min;
constexpr qint64 D = 24 * H;
constexpr qint64 T0 = 1'795'687'200'000;  // 2026-11-26 10:00 UTC

QList<qint64> at(std::initializer_list<qint64> offsets)
{
    QList<qint64> times;
    for (qint64 o : offsets)
        times.append(T0 + o);
    return times;
}

TimelineLayout layoutFor(const QList<qint64> &times, double width, double left = 0, double right = 0)
{
    TimelineLayout layout;
    layout.setTimes(times);
    layout.setGeometry(width, left, right);
    return layout;
}
} // namespace

class TestTimelineLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shapes_data();
    void monotonic_data() { shapes_data(); }
    void monotonic();
    void roundTrip_data() { shapes_data(); }
    void roundTrip();
    void distinctEventsApart_data() { shapes_data(); }
    void distinctEventsApart();
    void gaps_data();
    void gaps();
    void linearWithoutOutliers();
    void edgeCases_data();
    void edgeCases();
    void ticks_data();
    void ticks();
    void axisLabels();
    void timesAfterBreaks_data();
    void timesAfterBreaks();
    void axisLabelsAreDistinct_data();
    void axisLabelsAreDistinct();
    void placeLabels_data();
    void placeLabels();
    void laneY_data();
    void laneY();
    void eventAt_data();
    void eventAt();
    void formatDuration_data();
    void formatDuration();
};

void TestTimelineLayout::shapes_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<double>("width");
    QTest::newRow("sent at once") << at({0, 0, 1 * S, 1 * S, 2 * S}) << 600.0;
    QTest::newRow("greylisted, sent 10 min later") << at({0, 2 * S, 5 * Min, 10 * Min + 4 * S}) << 600.0;
    QTest::newRow("deferred 3 days, backing off")
        << at({0, 5 * Min, 1 * H, 3 * H, 7 * H, 15 * H, 31 * H, 55 * H, 3 * D}) << 600.0;
    QTest::newRow("burst then 3 days") << at({0, 1 * S, 2 * S, 3 * D, 3 * D + 1 * S}) << 600.0;
    QTest::newRow("two bursts, two breaks") << at({0, 1 * S, 2 * H, 2 * H + 3 * S, 2 * D, 2 * D + 1 * S}) << 600.0;
    QTest::newRow("unsorted input") << at({3 * H, 0, 5 * Min, 1 * H}) << 400.0;
    QTest::newRow("narrow") << at({0, 1 * S, 2 * S, 3 * S, 1 * H, 2 * D}) << 40.0;
    QTest::newRow("many retries") << [] {
        QList<qint64> t;
        for (int i = 0; i < 200; ++i)
            t.append(T0 + i * 20 * Min);
        return t;
    }() << 500.0;
}

void TestTimelineLayout::monotonic()
{
    QFETCH(QList<qint64>, times);
    QFETCH(double, width);
    const TimelineLayout layout = layoutFor(times, width, 30, 10);
    const qint64 from = layout.startTime() - 10 * Min, to = layout.endTime() + 10 * Min;
    double previous = -1e9;
    for (int i = 0; i <= 2000; ++i) {
        const qint64 t = from + (to - from) * i / 2000;
        const double x = layout.mapTimeToX(t);
        QVERIFY2(x >= previous, qPrintable(u"x(%1) = %2 < %3"_s.arg(t - T0).arg(x).arg(previous)));
        QVERIFY(x >= layout.left() && x <= layout.right());
        previous = x;
    }
    QCOMPARE(layout.mapTimeToX(from), 30.0);
    QCOMPARE(layout.mapTimeToX(to), width - 10);
    qint64 previousTime = std::numeric_limits<qint64>::min();
    for (double x = 0; x <= width; x += 0.25) {
        const qint64 t = layout.mapXToTime(x);
        QVERIFY(t >= previousTime);
        previousTime = t;
    }
}

void TestTimelineLayout::roundTrip()
{
    QFETCH(QList<qint64>, times);
    QFETCH(double, width);
    const TimelineLayout layout = layoutFor(times, width, 5, 5);
    const qint64 span = layout.endTime() - layout.startTime();
    for (int i = 0; i <= 500; ++i) {
        const qint64 t = layout.startTime() + span * i / 500;
        QVERIFY2(std::abs(layout.mapXToTime(layout.mapTimeToX(t)) - t) <= 1, qPrintable(QString::number(t - T0)));
    }
    for (const qint64 t : times)
        QCOMPARE(layout.mapXToTime(layout.mapTimeToX(t)), t);
    for (double x = layout.left(); x <= layout.right(); x += 0.5)
        QVERIFY(std::abs(layout.mapTimeToX(layout.mapXToTime(x)) - x) < 0.5);
}

// The point of compressing: no two distinct times share a pixel while the width allows it.
void TestTimelineLayout::distinctEventsApart()
{
    QFETCH(QList<qint64>, times);
    QFETCH(double, width);
    TimelineLayout layout;
    layout.setMinSpacing(10);
    layout.setTimes(times);
    layout.setGeometry(width);
    QList<qint64> distinct = times;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const double fair = std::min(10.0, width / 2 / double(distinct.size()));
    for (qsizetype i = 1; i < distinct.size(); ++i) {
        const double dx = layout.mapTimeToX(distinct[i]) - layout.mapTimeToX(distinct[i - 1]);
        QVERIFY2(dx >= fair - 1e-9, qPrintable(u"events %1 and %2 only %3 px apart"_s.arg(i - 1).arg(i).arg(dx)));
    }
}

void TestTimelineLayout::gaps_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("no outlier") << at({0, 1 * S, 2 * S, 3 * S}) << QStringList();
    QTest::newRow("one event") << at({0}) << QStringList();
    QTest::newRow("two events, nothing to compare") << at({0, 3 * D}) << QStringList();
    QTest::newRow("burst then 3 days") << at({0, 1 * S, 2 * S, 3 * D + 2 * S, 3 * D + 3 * S}) << QStringList{u"3 d"_s};
    QTest::newRow("retry after 2 h 14 min") << at({0, 1 * S, 3 * S, 2 * H + 14 * Min + 3 * S}) << QStringList{u"2 h 14 min"_s};
    QTest::newRow("two breaks") << at({0, 1 * S, 1 * D + 1 * S, 1 * D + 2 * S, 2 * D + 2 * S, 2 * D + 3 * S})
                                << QStringList{u"1 d"_s, u"1 d"_s};
    QTest::newRow("only the long wait breaks") << at({0, 1 * S, 2 * H, 2 * H + 3 * S, 2 * D, 2 * D + 1 * S})
                                               << QStringList{u"1 d 21 h"_s};
    // Postfix backing off: each wait twice the last. Only what dwarfs the whole folds.
    QTest::newRow("exponential backoff") << at({0, 1 * S, 5 * Min, 15 * Min, 35 * Min, 75 * Min, 155 * Min, 315 * Min, 635 * Min, 3 * D})
                                         << QStringList{u"2 d 13 h"_s};
    QTest::newRow("outlier under 5 min stays linear") << at({0, 1 * S, 2 * S, 3 * S, 4 * Min}) << QStringList();
}

void TestTimelineLayout::gaps()
{
    QFETCH(QList<qint64>, times);
    QFETCH(QStringList, labels);
    const TimelineLayout layout = layoutFor(times, 600, 10, 10);
    QStringList got;
    for (const TimelineLayout::Gap &gap : layout.gaps()) {
        got.append(gap.label);
        QCOMPARE(gap.label, mailtrail::formatDuration(gap.durationMs));
        QVERIFY(gap.width > 0 && gap.width <= 56);
        // The break sits exactly between the two events it separates.
        QCOMPARE(layout.mapTimeToX(gap.startMs), gap.x);
        QCOMPARE(layout.mapTimeToX(gap.startMs + gap.durationMs), gap.x + gap.width);
    }
    QCOMPARE(got, labels);
    QCOMPARE(layout.sections().size(), labels.size() + 1);
    // Sections and breaks tile the width, and the events before the first break get room.
    double tiled = 0;
    for (const TimelineLayout::Section &section : layout.sections())
        tiled += section.x1 - section.x0;
    for (const TimelineLayout::Gap &gap : layout.gaps())
        tiled += gap.width;
    if (times.size() > 1)
        QVERIFY(std::abs(tiled - (layout.right() - layout.left())) < 1e-6);
    if (times.size() > 2 && !labels.isEmpty()) {
        const TimelineLayout::Section first = layout.sections().first();
        QVERIFY2(first.x1 - first.x0 > 100, qPrintable(QString::number(first.x1 - first.x0)));
    }
}

void TestTimelineLayout::linearWithoutOutliers()
{
    const TimelineLayout layout = layoutFor(at({0, 1 * H, 2 * H, 4 * H}), 410, 10, 0);
    QCOMPARE(layout.mapTimeToX(T0), 10.0);
    QCOMPARE(layout.mapTimeToX(T0 + 1 * H), 110.0);
    QCOMPARE(layout.mapTimeToX(T0 + 3 * H), 310.0);
    QCOMPARE(layout.mapTimeToX(T0 + 4 * H), 410.0);
    QCOMPARE(layout.mapXToTime(210), T0 + 2 * H);
}

void TestTimelineLayout::edgeCases_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<double>("width");
    QTest::addColumn<double>("expectedX");  // where every time lands
    QTest::addColumn<qint64>("expectedT");  // what every x maps back to
    QTest::newRow("no events") << QList<qint64>() << 600.0 << 20.0 << qint64(0);
    QTest::newRow("one event, centred") << at({5 * S}) << 600.0 << 300.0 << T0 + 5 * S;
    QTest::newRow("all at the same ms") << at({0, 0, 0, 0}) << 600.0 << 300.0 << T0;
    QTest::newRow("zero width") << at({0, 1 * S, 3 * D}) << 0.0 << 20.0 << T0;
    QTest::newRow("negative width") << at({0, 1 * S, 3 * D}) << -50.0 << 20.0 << T0;
    QTest::newRow("margins eat the width") << at({0, 1 * S, 3 * D}) << 35.0 << 20.0 << T0;
}

void TestTimelineLayout::edgeCases()
{
    QFETCH(QList<qint64>, times);
    QFETCH(double, width);
    QFETCH(double, expectedX);
    QFETCH(qint64, expectedT);
    const TimelineLayout layout = layoutFor(times, width, 20, 20);
    for (const qint64 t : {T0 - 1 * D, T0, T0 + 1 * S, T0 + 10 * D}) {
        const double x = layout.mapTimeToX(t);
        QVERIFY(std::isfinite(x));
        QCOMPARE(x, expectedX);
    }
    for (const double x : {-100.0, 0.0, 20.0, 300.0, 1e6})
        QCOMPARE(layout.mapXToTime(x), expectedT);
    QVERIFY(layout.gaps().isEmpty());
    QVERIFY(layout.ticks(50).isEmpty());
}

void TestTimelineLayout::ticks_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<int>("utcOffsetSec");
    QTest::addColumn<qint64>("step");
    QTest::newRow("1 h -> every 10 min") << at({0, 1 * H}) << 0 << 10 * Min;
    QTest::newRow("2 min -> every 15 s") << at({0, 2 * Min}) << 0 << 15 * S;
    QTest::newRow("4 days -> every 12 h, local") << at({0, 4 * D}) << 3600 << 12 * H;
    QTest::newRow("half-hour zone, local hours") << at({7 * Min, 10 * H}) << 19800 << 1 * H;
}

void TestTimelineLayout::ticks()
{
    QFETCH(QList<qint64>, times);
    QFETCH(int, utcOffsetSec);
    QFETCH(qint64, step);
    const TimelineLayout layout = layoutFor(times, 620, 10, 10);
    const QList<TimelineLayout::Tick> ticks = layout.ticks(60, utcOffsetSec);
    QVERIFY(!ticks.isEmpty());
    for (qsizetype i = 0; i < ticks.size(); ++i) {
        QCOMPARE(ticks[i].stepMs, step);
        QCOMPARE((ticks[i].timeMs + utcOffsetSec * S) % step, 0);
        QVERIFY(ticks[i].timeMs > layout.startTime() && ticks[i].timeMs < layout.endTime());
        QCOMPARE(ticks[i].x, layout.mapTimeToX(ticks[i].timeMs));
        if (i > 0)
            QVERIFY(ticks[i].x - ticks[i - 1].x >= 60 - 1e-9);
    }
}

void TestTimelineLayout::axisLabels()
{
    // 26 Nov 10:00 UTC shown at UTC+1: the axis starts at 11:00:00 and crosses midnight.
    const TimelineLayout layout = layoutFor(at({0, 1 * S, 2 * S, 20 * H, 20 * H + 5 * S, 3 * D + 20 * H}), 620, 10, 10);
    const QList<TimelineLayout::AxisLabel> labels = layout.axisLabels(60, 3600);
    QVERIFY(labels.size() > 4);
    // The ends first, then the break (the one gap that stands out, 2 d 23 h to the last try).
    QCOMPARE(labels[0].kind, TimelineLayout::AxisLabel::End);
    QCOMPARE(labels[0].text, u"11:00:00"_s);
    QCOMPARE(labels[1].kind, TimelineLayout::AxisLabel::End);
    QCOMPARE(labels[1].text, u"30 Nov 07:00:00"_s);  // 3 d 20 h later: another day, named
    QCOMPARE(labels[1].x, layout.right());
    QCOMPARE(layout.gaps().size(), 1);
    QCOMPARE(labels[2].kind, TimelineLayout::AxisLabel::Break);
    QCOMPARE(labels[2].text, u"2 d 23 h"_s);
    QCOMPARE(labels[2].x, layout.gaps().first().x + layout.gaps().first().width / 2);
    bool sawMidnight = false;
    for (qsizetype i = 3; i < labels.size(); ++i) {
        QCOMPARE(labels[i].kind, TimelineLayout::AxisLabel::Tick);
        sawMidnight = sawMidnight || labels[i].text == u"27 Nov"_s;
    }
    QVERIFY(sawMidnight);
    QVERIFY(TimelineLayout().axisLabels(60).isEmpty());

    // Within one local day the end is a time alone; across midnight (New Year's Eve 23:50 to
    // 00:19 at UTC+1, as a log crossing the year) it names the day it is on.
    const auto ends = [](const TimelineLayout &l, int utcOffsetSec) {
        QStringList out;
        for (const TimelineLayout::AxisLabel &label : l.axisLabels(60, utcOffsetSec)) {
            if (label.kind == TimelineLayout::AxisLabel::End)
                out << label.text;
        }
        return out;
    };
    QCOMPARE(ends(layoutFor(at({0, 5 * Min, 1 * H}), 620, 10, 10), 3600), (QStringList{u"11:00:00"_s, u"12:00:00"_s}));
    const qint64 eve = QDateTime(QDate(2025, 12, 31), QTime(22, 50), QTimeZone::UTC).toMSecsSinceEpoch();
    const TimelineLayout newYear = layoutFor({eve, eve + 29 * Min}, 620, 10, 10);
    QCOMPARE(ends(newYear, 3600), (QStringList{u"23:50:00"_s, u"1 Jan 00:19:00"_s}));
    // The same tries read at UTC end on the day they start.
    QCOMPARE(ends(newYear, 0), (QStringList{u"22:50:00"_s, u"23:19:00"_s}));
}

void TestTimelineLayout::timesAfterBreaks_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<QStringList>("resumed");  // the Resume labels, in order
    QTest::addColumn<bool>("endAfterBreak");   // the last time is the one after a break
    // trial22: the try after a folded wait had no time under it.
    QTest::newRow("deferred, sent 4 h later") << at({0, 1 * S, 2 * S, 4 * H + 5 * S}) << QStringList() << true;
    QTest::newRow("deferred, retried, sent")
        << at({0, 1 * S, 2 * S, 1 * H + 8 * Min, 1 * H + 8 * Min + 20 * S, 2 * H + 17 * Min, 2 * H + 17 * Min + 20 * S})
        << QStringList{u"11:08:00"_s, u"12:17:00"_s} << false;
    QTest::newRow("retried the next day") << at({0, 1 * S, 2 * S, 1 * D, 1 * D + 30 * S, 1 * D + 1 * H})
                                          << QStringList{u"27 Nov 10:00:00"_s} << false;
    QTest::newRow("no break") << at({0, 5 * Min, 10 * Min}) << QStringList() << false;
}

void TestTimelineLayout::timesAfterBreaks()
{
    // Each break is followed by the time the wait ended, as a Resume label at the break's right
    // edge, or as the last time's when nothing comes after it.
    QFETCH(QList<qint64>, times);
    QFETCH(QStringList, resumed);
    QFETCH(bool, endAfterBreak);
    const TimelineLayout layout = layoutFor(times, 700, 10, 10);
    QList<double> breakEnds;
    for (const TimelineLayout::Gap &gap : layout.gaps())
        breakEnds << gap.x + gap.width;
    QStringList texts;
    int breaks = 0;
    for (const TimelineLayout::AxisLabel &label : layout.axisLabels(60, 0)) {
        if (label.kind == TimelineLayout::AxisLabel::Break)
            ++breaks;
        if (label.kind != TimelineLayout::AxisLabel::Resume)
            continue;
        texts << label.text;
        QVERIFY(breakEnds.contains(label.x));
    }
    QCOMPARE(texts, resumed);
    QCOMPARE(breaks, int(layout.gaps().size()));
    QCOMPARE(breaks, int(resumed.size()) + (endAfterBreak ? 1 : 0));
    QCOMPARE(!breakEnds.isEmpty() && breakEnds.last() == layout.right(), endAfterBreak);
}

void TestTimelineLayout::axisLabelsAreDistinct_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<double>("width");
    QTest::addColumn<QStringList>("expected");  // labels that must be there (beside the others)
    QTest::newRow("deferred 3 days, backing off")
        << at({0, 5 * Min, 1 * H, 3 * H, 7 * H, 15 * H, 31 * H, 55 * H, 3 * D}) << 600.0 << QStringList();
    QTest::newRow("two bursts, two breaks") << at({0, 1 * S, 2 * H, 2 * H + 3 * S, 2 * D, 2 * D + 1 * S}) << 600.0 << QStringList();
    // Every line in one second: one time to say, not "10:00:00" at both ends.
    QTest::newRow("one instant") << at({0, 0, 0}) << 600.0 << QStringList{u"10:00:00"_s};
    // Tries an hour long on two days a break apart: the same hours of the clock twice over
    // (trial22: two ticks of one text). The second day's say their day.
    QTest::newRow("the same hours on two days")
        << at({0, 20 * Min, 40 * Min, 1 * H, D, D + 20 * Min, D + 40 * Min, D + 1 * H}) << 900.0
        << QStringList{u"10:30"_s, u"27 Nov 10:30"_s};
}

void TestTimelineLayout::axisLabelsAreDistinct()
{
    QFETCH(QList<qint64>, times);
    QFETCH(double, width);
    QFETCH(QStringList, expected);
    const TimelineLayout layout = layoutFor(times, width, 10, 10);
    QStringList texts;
    for (const TimelineLayout::AxisLabel &label : layout.axisLabels(60, 0)) {
        if (label.kind == TimelineLayout::AxisLabel::Break)
            continue;
        QVERIFY2(!texts.contains(label.text), qPrintable(label.text + u" twice in "_s + texts.join(u", "_s)));
        texts << label.text;
    }
    for (const QString &text : std::as_const(expected))
        QVERIFY2(texts.contains(text), qPrintable(text + u" not in "_s + texts.join(u", "_s)));
}

void TestTimelineLayout::placeLabels_data()
{
    using Label = TimelineLayout::Label;
    QTest::addColumn<QList<Label>>("labels");
    QTest::addColumn<QList<QRectF>>("obstacles");
    QTest::addColumn<QList<QRectF>>("placed");
    const QRectF a(10, 0, 40, 10), b(30, 0, 40, 10), c(80, 0, 40, 10);
    QTest::newRow("apart") << QList<Label>{{a, {}}, {c, {}}} << QList<QRectF>() << QList<QRectF>{a, c};
    QTest::newRow("first wins") << QList<Label>{{a, {}}, {b, {}}} << QList<QRectF>() << QList<QRectF>{a, {}};
    QTest::newRow("too close counts as overlap") << QList<Label>{{a, {}}, {a.translated(44, 0), {}}} << QList<QRectF>() << QList<QRectF>{a, {}};
    QTest::newRow("alternative") << QList<Label>{{a, {}}, {b, c}} << QList<QRectF>() << QList<QRectF>{a, c};
    QTest::newRow("obstacle") << QList<Label>{{a, c}} << QList<QRectF>{{20, 2, 4, 4}} << QList<QRectF>{c};
    QTest::newRow("shifted inside") << QList<Label>{{a.translated(-20, 0), {}}, {c.translated(100, 0), {}}} << QList<QRectF>()
                                    << QList<QRectF>{a.translated(-10, 0), c.translated(80, 0)};
    QTest::newRow("wider than the row") << QList<Label>{{QRectF(0, 0, 300, 10), {}}} << QList<QRectF>() << QList<QRectF>{{}};
}

void TestTimelineLayout::placeLabels()
{
    QFETCH(QList<TimelineLayout::Label>, labels);
    QFETCH(QList<QRectF>, obstacles);
    QFETCH(QList<QRectF>, placed);
    QCOMPARE(TimelineLayout::placeLabels(labels, obstacles, 5, 0, 200), placed);
}

void TestTimelineLayout::laneY_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<int>("laneCount");
    QTest::addColumn<double>("height");
    QTest::addColumn<double>("y");
    QTest::newRow("message lane on top") << -1 << 2 << 90.0 << 15.0;
    QTest::newRow("first recipient") << 0 << 2 << 90.0 << 45.0;
    QTest::newRow("last recipient") << 1 << 2 << 90.0 << 75.0;
    QTest::newRow("out of range clamps") << 7 << 2 << 90.0 << 75.0;
    QTest::newRow("below -1 clamps") << -5 << 2 << 90.0 << 15.0;
    QTest::newRow("no recipients") << -1 << 0 << 30.0 << 15.0;
    QTest::newRow("no height") << 1 << 2 << 0.0 << 0.0;
}

void TestTimelineLayout::laneY()
{
    QFETCH(int, lane);
    QFETCH(int, laneCount);
    QFETCH(double, height);
    QFETCH(double, y);
    QCOMPARE(TimelineLayout::laneY(lane, laneCount, height), y);
}

void TestTimelineLayout::eventAt_data()
{
    QTest::addColumn<QPointF>("pos");
    QTest::addColumn<double>("tolerance");
    QTest::addColumn<int>("index");
    QTest::newRow("on a marker") << QPointF(10, 10) << 3.0 << 0;
    QTest::newRow("nearest wins") << QPointF(14, 10) << 8.0 << 0;
    QTest::newRow("stacked: the one on top") << QPointF(21, 10) << 8.0 << 2;
    QTest::newRow("within tolerance") << QPointF(40, 13) << 3.0 << 3;
    QTest::newRow("just outside") << QPointF(40, 13.5) << 3.0 << -1;
    QTest::newRow("nowhere near") << QPointF(200, 200) << 6.0 << -1;
    QTest::newRow("negative tolerance") << QPointF(10, 10) << -1.0 << -1;
}

void TestTimelineLayout::eventAt()
{
    QFETCH(QPointF, pos);
    QFETCH(double, tolerance);
    QFETCH(int, index);
    TimelineLayout layout;
    layout.setMarkerPositions({{10, 10}, {20, 10}, {20, 10}, {40, 10}});
    QCOMPARE(layout.eventAt(pos, tolerance), index);
}

void TestTimelineLayout::formatDuration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << u"0 s"_s;
    QTest::newRow("ms") << qint64(850) << u"850 ms"_s;
    QTest::newRow("seconds") << 45 * S << u"45 s"_s;
    QTest::newRow("minutes") << 12 * Min << u"12 min"_s;
    QTest::newRow("minutes and seconds") << 12 * Min + 5 * S + 300 << u"12 min 5 s"_s;
    QTest::newRow("hours and minutes") << 2 * H + 14 * Min + 59 * S << u"2 h 14 min"_s;
    QTest::newRow("whole hours") << 2 * H + 30 * S << u"2 h"_s;
    QTest::newRow("days") << 3 * D << u"3 d"_s;
    QTest::newRow("days and hours") << 3 * D + 4 * H + 59 * Min << u"3 d 4 h"_s;
    QTest::newRow("a day and minutes shows the day") << 1 * D + 5 * Min << u"1 d"_s;
    QTest::newRow("negative") << -(90 * S) << u"-1 min 30 s"_s;
}

void TestTimelineLayout::formatDuration()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(mailtrail::formatDuration(ms), text);
}

QTEST_GUILESS_MAIN(TestTimelineLayout)
#include "tst_timelinelayout.moc"
