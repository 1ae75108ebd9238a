// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinewidget.h"

#include "replycodes.h"
#include "timelinemodel.h"

#include <QApplication>
#include <QDir>
#include <QHelpEvent>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

#include "testpalette.h"
#include <QToolTip>

using namespace mailtrail;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 S = 1000;
constexpr qint64 Min = 60 * S;
constexpr qint64 H = 60 * Min;
constexpr qint64 D = 24 * H;
constexpr qint64 T0 = 1'795'687'200'000;  // 2026-11-26 10:00 UTC

struct Row {
    qint64 offsetMs;
    int lane;
    EventKind kind;
    DeliveryStatus status = DeliveryStatus::None;
    int code = 0;
    QString dsn = {};
    bool counted = true;
    QString relay = {};
    QString text = {};
    int retry = 0;
};

void append(QStandardItemModel &model, const QStringList &lanes, const Row &r)
{
    QList<QStandardItem *> items;
    for (int c = 0; c < TimelineModel::ColumnCount; ++c)
        items.append(new QStandardItem);
    QStandardItem *first = items.first();
    first->setData(T0 + r.offsetMs, TimelineModel::TimeMsRole);
    first->setData(r.lane, TimelineModel::LaneRole);
    first->setData(int(r.kind), TimelineModel::KindRole);
    first->setData(int(r.status), TimelineModel::StatusRole);
    first->setData(r.code, TimelineModel::ReplyCodeRole);
    first->setData(r.dsn, TimelineModel::DsnRole);
    first->setData(r.counted, TimelineModel::CountedRole);
    first->setData(3600, TimelineModel::UtcOffsetRole);
    first->setData(r.retry, TimelineModel::RetryRole);
    items[TimelineModel::RecipientColumn]->setText(lanes.value(r.lane));
    items[TimelineModel::RelayColumn]->setText(r.relay);
    items[TimelineModel::TextColumn]->setText(r.text);
    model.appendRow(items);
}

// Two recipients: one greylisted, held back, then bounced a day later; one delivered at once.
// Rows: 0 received, 1 message-id (not drawn), 2 queued, 3-6 attempts (5 is a skipped try),
// 7 bounce notice, 8 removed.
void fill(QStandardItemModel &model)
{
    const QStringList lanes = {u"bob@remote.example.net"_s, u"carol.longname.for.eliding@subsidiary.example.org"_s};
    const QString mx = u"mx.remote.example.net[198.51.100.20]:25"_s;
    const QList<Row> rows = {
        {0, -1, EventKind::Client, {}, 0, {}, true, {}, u"received from mail.example.com[192.0.2.10]"_s},
        {0, -1, EventKind::MessageId},
        {200, -1, EventKind::Queued, {}, 0, {}, true, {}, u"queued from <alice@example.com>, 4211 bytes, 2 recipients"_s},
        {3 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 450, u"4.2.0"_s, true, mx,
         u"Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/remote.example.net.html"_s},
        {4 * S, 1, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s, true, u"mx1.subsidiary.example.org[203.0.113.5]:25"_s,
         u"Ok: queued as 9F1E2D3C4B"_s},
        {5 * Min + 3 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 0, u"4.4.1"_s, false, u"none"_s,
         u"delivery temporarily suspended: connect to mx.remote.example.net[198.51.100.20]:25: Connection refused"_s},
        {1 * D + 2 * H + 5 * S, 0, EventKind::Delivery, DeliveryStatus::Bounced, 550, u"5.1.1"_s, true, mx,
         u"<bob@remote.example.net>: Recipient address rejected: User unknown in virtual mailbox table"_s},
        {1 * D + 2 * H + 6 * S, -1, EventKind::Notification, {}, 0, {}, true, {}, u"bounce notification queued as 0C9D8E7F6A"_s},
        {1 * D + 2 * H + 6 * S, -1, EventKind::Removed, {}, 0, {}, true, {}, u"removed from the queue"_s},
    };
    for (const Row &r : rows)
        append(model, lanes, r);
}

// Three days of retries for three recipients, for looking at, not for asserting.
void fillLongDeferral(QStandardItemModel &model)
{
    const QStringList lanes = {u"info@slow.example.com"_s, u"sales@slow.example.com"_s, u"ceo@fast.example.org"_s};
    const QString timeout = u"connect to mx.slow.example.com[203.0.113.66]:25: Connection timed out"_s;
    append(model, lanes, {0, -1, EventKind::Client});
    append(model, lanes, {1 * S, -1, EventKind::Queued});
    append(model, lanes, {2 * S, 2, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s});
    for (const qint64 at : {31 * S, 5 * Min, 16 * Min, 33 * Min, 1 * H + 8 * Min, 2 * H + 15 * Min, 3 * H + 22 * Min,
                            4 * H + 29 * Min, 9 * H, 17 * H, 1 * D + 6 * H, 2 * D, 2 * D + 19 * H}) {
        append(model, lanes, {at, 0, EventKind::Delivery, DeliveryStatus::Deferred, 0, u"4.4.1"_s, true, u"none"_s, timeout});
        append(model, lanes, {at + 1 * S, 1, EventKind::Delivery, DeliveryStatus::Deferred, 0, u"4.4.1"_s, at != 33 * Min, u"none"_s, timeout});
    }
    append(model, lanes, {5 * D, 0, EventKind::Delivery, DeliveryStatus::Expired, 0, u"4.4.1"_s, true, u"none"_s, timeout});
    append(model, lanes, {5 * D, 1, EventKind::Delivery, DeliveryStatus::Expired, 0, u"4.4.1"_s, true, u"none"_s, timeout});
    append(model, lanes, {5 * D, -1, EventKind::Expired});
    append(model, lanes, {5 * D + 1 * S, -1, EventKind::Notification});
    append(model, lanes, {5 * D + 1 * S, -1, EventKind::Removed});
}


QWidget *visibleToolTip()
{
    const QWidgetList widgets = QApplication::topLevelWidgets();
    const auto it = std::find_if(widgets.cbegin(), widgets.cend(), [](QWidget *w) { return w->inherits("QTipLabel") && w->isVisible(); });
    return it == widgets.cend() ? nullptr : *it;
}

} // namespace

class TestTimelineWidget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void markers();
    void geometry();
    void toolTip();
    void retryIsNotQueuedAnew();
    void stagesOfTwoHopsKeepTheirLabels_data();
    void stagesOfTwoHopsKeepTheirLabels();
    void timeAfterABreakIsLabelled_data();
    void timeAfterABreakIsLabelled();
    void click();
    void followsModel();
    void sizeHintGrowsWithLanes();
    void manyLanesNarrowToFit();
    void emptyModel();
    void messageWithNothingToDraw();
    void screenshots_data();
    void screenshots();

private:
    QStandardItemModel m_model;
};

void TestTimelineWidget::init()
{
    m_model.clear();
    m_model.setColumnCount(TimelineModel::ColumnCount);
    fill(m_model);
}

void TestTimelineWidget::markers()
{
    TimelineWidget w;
    w.setModel(&m_model);
    // Three attempts and one skipped try; message-level events are ticks, not markers.
    QCOMPARE(w.markerCount(), 4);
    for (const int row : {3, 4, 5, 6})
        QVERIFY2(!w.markerRect(row).isEmpty(), qPrintable(QString::number(row)));
    for (const int row : {0, 2, 7, 8})
        QVERIFY(!w.markerRect(row).isEmpty());
    QVERIFY(w.markerRect(1).isEmpty());  // message-id: nothing to draw
    QVERIFY(w.markerRect(42).isEmpty());
}

void TestTimelineWidget::geometry()
{
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(700, w.sizeHint().height());
    const QRectF received = w.markerRect(0), greylisted = w.markerRect(3), sent = w.markerRect(4),
                 skipped = w.markerRect(5), bounced = w.markerRect(6), removed = w.markerRect(8);
    // Lanes: message events on top, then recipients in order.
    QVERIFY(received.center().y() < greylisted.center().y());
    QVERIFY(greylisted.center().y() < sent.center().y());
    QCOMPARE(skipped.center().y(), greylisted.center().y());
    // Time runs left to right, and the day-long wait does not squash the first seconds together.
    QVERIFY(received.center().x() < greylisted.center().x());
    QVERIFY(sent.center().x() - greylisted.center().x() >= greylisted.width());
    QVERIFY(skipped.center().x() < bounced.center().x());
    QVERIFY(bounced.center().x() <= removed.center().x());
    for (const QRectF &r : {received, greylisted, sent, skipped, bounced, removed})
        QVERIFY(QRectF(w.rect()).contains(r));
    // The widget resizes its time axis with it.
    const double before = bounced.center().x();
    w.resize(1000, w.height());
    QVERIFY(w.markerRect(6).center().x() > before);
}

void TestTimelineWidget::toolTip()
{
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(700, w.sizeHint().height());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    const QString text = w.toolTipText(6);
    const QString meaning = explainEnhancedCode(u"5.1.1"_s).meaning.toHtmlEscaped();
    QVERIFY(!meaning.isEmpty());
    QVERIFY2(text.contains(meaning), qPrintable(text));
    QVERIFY(text.contains(u"550 5.1.1"_s));
    QVERIFY(text.contains(u"bob@remote.example.net"_s));
    QVERIFY(text.contains(u"mx.remote.example.net[198.51.100.20]:25"_s));
    QVERIFY(text.contains(u"(+1 d 2 h)"_s));
    QVERIFY(w.toolTipText(5).contains(u"Not tried"_s));

    const QPoint pos = w.markerRect(6).center().toPoint();
    QHelpEvent help(QEvent::ToolTip, pos, w.mapToGlobal(pos));
    QApplication::sendEvent(&w, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY(QToolTip::text().contains(meaning));
    QDir().mkpath(u"/tmp/mailtrail-shots"_s);
    if (QWidget *tip = visibleToolTip())
        QVERIFY(tip->grab().save(u"/tmp/mailtrail-shots/timeline-tooltip.png"_s));

    // Off any marker, no tooltip.
    QHelpEvent away(QEvent::ToolTip, QPoint(2, 2), w.mapToGlobal(QPoint(2, 2)));
    QApplication::sendEvent(&w, &away);
    QTRY_VERIFY(!QToolTip::isVisible());
}

void TestTimelineWidget::retryIsNotQueuedAnew()
{
    // Postfix's qmgr logs "from=<...> (queue active)" again when a deferred message comes back to
    // the active queue: the tick of that line names the retry, not a new queueing.
    m_model.clear();
    const QStringList lanes = {u"bob@remote.example.net"_s};
    append(m_model, lanes, {0, -1, EventKind::Client});
    append(m_model, lanes, {1 * S, -1, EventKind::Queued});
    append(m_model, lanes, {2 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 450, u"4.2.0"_s});
    append(m_model, lanes, {10 * Min, -1, EventKind::Queued, {}, 0, {}, true, {}, {}, 1});
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(700, w.sizeHint().height());
    QVERIFY2(w.toolTipText(1).contains(u"<b>Queued</b>"_s), qPrintable(w.toolTipText(1)));
    QVERIFY2(w.toolTipText(3).contains(u"<b>Retry 1</b>"_s), qPrintable(w.toolTipText(3)));
}

void TestTimelineWidget::stagesOfTwoHopsKeepTheirLabels_data()
{
    QTest::addColumn<int>("width");
    for (const int w : {420, 560, 700, 1000})
        QTest::newRow(qPrintable(QString::number(w))) << w;
}

// A content filter's chain: the first hop removed and the second received and queued in the
// same second, its delivery a second on. Each stage keeps a label (session 18's trial: labels
// of two hops in one second were missing), whole or cut to its room, never none.
void TestTimelineWidget::stagesOfTwoHopsKeepTheirLabels()
{
    QFETCH(int, width);
    m_model.clear();
    const QStringList lanes = {u"bob@remote.example.net"_s, u"bob@remote.example.net"_s};
    append(m_model, lanes, {0, -1, EventKind::Client});
    append(m_model, lanes, {300, -1, EventKind::Queued});
    append(m_model, lanes, {1 * S, 0, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s});
    append(m_model, lanes, {1 * S + 100, -1, EventKind::Removed});
    append(m_model, lanes, {1 * S + 100, -1, EventKind::Client});
    append(m_model, lanes, {1 * S + 400, -1, EventKind::Queued});
    append(m_model, lanes, {2 * S, 1, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s});
    append(m_model, lanes, {2 * S + 100, -1, EventKind::Removed});
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(width, w.sizeHint().height());
    w.grab();  // paints
    const QStringList shown = w.stageLabels();
    QVERIFY(!shown.isEmpty());
    for (const QString &label : shown)
        QVERIFY2(!label.isEmpty(), qPrintable(shown.join(u" | "_s)));
}

void TestTimelineWidget::timeAfterABreakIsLabelled_data()
{
    QTest::addColumn<QList<Row>>("rows");
    QTest::addColumn<int>("width");
    QTest::addColumn<QStringList>("labels");  // what the axis must say, among the rest
    // trial22: the break's label took the place of the later try's time, which had none.
    const QList<Row> later = {
        {0, -1, EventKind::Client},
        {200, -1, EventKind::Queued},
        {2 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 450, u"4.2.0"_s},
        {4 * H + 5 * S, 0, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s},
        {4 * H + 5 * S, -1, EventKind::Removed},
    };
    // Each retry: the queue manager takes the message back, the try follows seconds later.
    const QList<Row> retried = {
        {0, -1, EventKind::Client},
        {200, -1, EventKind::Queued},
        {2 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 450, u"4.2.0"_s},
        {1 * H + 8 * Min, -1, EventKind::Queued, {}, 0, {}, true, {}, {}, 1},
        {1 * H + 8 * Min + 13 * S, 0, EventKind::Delivery, DeliveryStatus::Deferred, 450, u"4.2.0"_s},
        {2 * H + 17 * Min, -1, EventKind::Queued, {}, 0, {}, true, {}, {}, 2},
        {2 * H + 17 * Min + 22 * S, 0, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s},
        {2 * H + 17 * Min + 23 * S, -1, EventKind::Removed},
    };
    for (const int width : {420, 700, 1000})
        QTest::addRow("sent 4 h later, %d", width) << later << width << QStringList{u"11:00:00"_s, u"4 h"_s, u"15:00:05"_s};
    // Too narrow for two breaks, the axis keeps its scale: its ends, and what fits between.
    QTest::addRow("retried, 420") << retried << 420 << QStringList{u"11:00:00"_s, u"13:17:23"_s};
    for (const int width : {700, 1000}) {
        QTest::addRow("retried, %d", width) << retried << width
                                            << QStringList{u"11:00:00"_s, u"1 h 7 min"_s, u"12:08:00"_s, u"1 h 8 min"_s, u"13:17:00"_s, u"13:17:23"_s};
    }
}

void TestTimelineWidget::timeAfterABreakIsLabelled()
{
    QFETCH(QList<Row>, rows);
    QFETCH(int, width);
    QFETCH(QStringList, labels);
    m_model.clear();
    for (const Row &r : std::as_const(rows))
        append(m_model, {u"bob@remote.example.net"_s}, r);
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(width, w.sizeHint().height());
    w.grab();  // paints
    const QStringList shown = w.axisLabels();
    for (const QString &label : std::as_const(labels))
        QVERIFY2(shown.contains(label), qPrintable(label + u" not in "_s + shown.join(u" | "_s)));
}

void TestTimelineWidget::click()
{
    TimelineWidget w;
    w.setModel(&m_model);
    w.resize(700, w.sizeHint().height());
    QSignalSpy clicked(&w, &TimelineWidget::eventClicked);
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.markerRect(4).center().toPoint());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().first().toInt(), 4);
    QCOMPARE(w.currentRow(), 4);
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.markerRect(0).center().toPoint());  // ticks are clickable too
    QCOMPARE(clicked.last().first().toInt(), 0);
    QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(3, w.height() - 3));
    QCOMPARE(clicked.size(), 2);
}

void TestTimelineWidget::followsModel()
{
    TimelineWidget w;
    w.setModel(&m_model);
    append(m_model, {}, {6 * Min, 1, EventKind::Delivery, DeliveryStatus::Sent, 250, u"2.0.0"_s});
    QCOMPARE(w.markerCount(), 5);  // rowsInserted
    m_model.item(4)->setData(-1, TimelineModel::LaneRole);
    QCOMPARE(w.markerCount(), 4);  // dataChanged: moved off the recipient lanes
    m_model.removeRows(3, 2);
    QCOMPARE(w.markerCount(), 3);  // rowsRemoved
    m_model.clear();
    QCOMPARE(w.markerCount(), 0);  // modelReset
    w.setModel(nullptr);
    QCOMPARE(w.markerCount(), 0);
    auto *owned = new QStandardItemModel;
    fill(*owned);
    w.setModel(owned);
    QCOMPARE(w.markerCount(), 4);
    delete owned;
    QCOMPARE(w.markerCount(), 0);  // destroyed
    QVERIFY(w.toolTipText(3).isEmpty());
}

void TestTimelineWidget::sizeHintGrowsWithLanes()
{
    TimelineWidget w;
    w.setModel(&m_model);
    const QSize two = w.sizeHint();
    QCOMPARE(two.width(), 600);
    append(m_model, {u"a"_s, u"b"_s, u"dave@example.com"_s}, {9 * S, 2, EventKind::Delivery, DeliveryStatus::Sent, 250});
    const QSize three = w.sizeHint();
    QVERIFY(three.height() > two.height());
    QVERIFY(three.height() - two.height() >= 24);
    QVERIFY(w.minimumSizeHint().height() <= three.height());
}

void TestTimelineWidget::manyLanesNarrowToFit()
{
    // Seven recipients: the timeline may shrink to a line of text per lane, leaving the events
    // table below its room, and every marker stays inside it.
    const QStringList names{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s, u"f"_s, u"g"_s};
    for (int lane = 2; lane < names.size(); ++lane)
        append(m_model, names, {9 * S, lane, EventKind::Delivery, DeliveryStatus::Sent, 250});
    TimelineWidget w;
    w.setModel(&m_model);
    const int full = w.sizeHint().height();
    const int least = w.minimumSizeHint().height();
    QVERIFY2(least < full * 3 / 4, qPrintable(u"%1 of %2"_s.arg(least).arg(full)));
    w.resize(700, least);
    for (int row = 0; row < m_model.rowCount(); ++row) {
        const QRectF r = w.markerRect(row);
        QVERIFY2(r.isEmpty() || QRectF(w.rect()).contains(r), qPrintable(QString::number(row)));
    }
}

void TestTimelineWidget::emptyModel()
{
    TimelineWidget w;
    QCOMPARE(w.markerCount(), 0);
    QVERIFY(w.toolTipText(0).isEmpty());
    w.resize(400, 100);
    QVERIFY(!w.grab().isNull());  // paints its placeholder, no layout to divide by zero
    QStandardItemModel empty;
    w.setModel(&empty);
    QCOMPARE(w.markerCount(), 0);
    QVERIFY(w.sizeHint().height() > 0);
}

// A Sendmail session that only probed addresses (VRFY/EXPN) is a message with no recipient: the
// pane above shows it, so the timeline must not say that nothing is selected.
void TestTimelineWidget::messageWithNothingToDraw()
{
    TimelineModel model;
    TimelineWidget w;
    w.setModel(&model);
    QCOMPARE(w.emptyText(), u"No message selected"_s);
    MessageDetail detail;
    detail.message.id = 7;
    detail.message.queueId = "s1D0GoSs025815";
    model.setMessage(detail, {});
    QCOMPARE(w.markerCount(), 0);
    QCOMPARE(w.emptyText(), u"No recipient and no delivery try in this message's lines"_s);
    w.resize(500, 120);
    QVERIFY(!w.grab().isNull());
    model.clear();
    QCOMPARE(w.emptyText(), u"No message selected"_s);
}

void TestTimelineWidget::screenshots_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("longDeferral");
    QTest::newRow("light") << false << false;
    QTest::newRow("dark") << true << false;
    QTest::newRow("deferred-light") << false << true;
    QTest::newRow("deferred-dark") << true << true;
}

void TestTimelineWidget::screenshots()
{
    QFETCH(bool, dark);
    QFETCH(bool, longDeferral);
    if (longDeferral) {
        m_model.clear();
        fillLongDeferral(m_model);
    }
    TimelineWidget w;
    w.setPalette(breezePalette(dark));
    w.setModel(&m_model);
    w.setCurrentRow(longDeferral ? 2 : 4);
    w.resize(longDeferral ? 900 : 760, w.sizeHint().height());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Hover a marker so the picture shows that state too.
    QTest::mouseMove(&w, w.markerRect(longDeferral ? 5 : 6).center().toPoint());
    QDir().mkpath(u"/tmp/mailtrail-shots"_s);
    const QString path = u"/tmp/mailtrail-shots/timeline-%1.png"_s.arg(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY(w.grab().save(path));
}

QTEST_MAIN(TestTimelineWidget)
#include "tst_timelinewidget.moc"
