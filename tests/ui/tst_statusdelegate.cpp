// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The table's Code column in its class colour, on light and dark palettes: a reply code's, and an
// enhanced status code's when the log gave no reply code (Exim's and Exchange's "5.7.1").
#include "cachetablemodel.h"
#include "statuscolors.h"
#include "statusdelegate.h"
#include "testpalette.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QTest>

using namespace mailtrail;
using namespace Qt::StringLiterals;

class TestStatusDelegate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codeIsPaintedInItsClassColour_data();
    void codeIsPaintedInItsClassColour();
};

namespace {
// The pixels of `image` within a small distance of `colour`: the text's, antialiased at its edges.
int pixelsOf(const QImage &image, const QColor &colour)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) < 24)
                ++count;
        }
    return count;
}
}

void TestStatusDelegate::codeIsPaintedInItsClassColour_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<int>("replyCode");
    QTest::addColumn<int>("status");  // the outcome whose colour the class takes; 0: the text's
    for (const bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        QTest::addRow("%s, 550", palette) << dark << u"550"_s << 550 << 3;
        QTest::addRow("%s, 550 5.7.1", palette) << dark << u"550 5.7.1"_s << 550 << 3;
        QTest::addRow("%s, 5.7.1 alone", palette) << dark << u"5.7.1"_s << 0 << 3;
        QTest::addRow("%s, 4.4.1 alone", palette) << dark << u"4.4.1"_s << 0 << 2;
        QTest::addRow("%s, 2.0.0 alone", palette) << dark << u"2.0.0"_s << 0 << 1;
        QTest::addRow("%s, 5.1.10 alone", palette) << dark << u"5.1.10"_s << 0 << 3;
        QTest::addRow("%s, no class", palette) << dark << u"3.1.1"_s << 0 << 0;
    }
}

void TestStatusDelegate::codeIsPaintedInItsClassColour()
{
    QFETCH(bool, dark);
    QFETCH(QString, shown);
    QFETCH(int, replyCode);
    QFETCH(int, status);
    const QPalette palette = breezePalette(dark);
    const QColor expected = status ? statusColor(status, palette) : palette.color(QPalette::Text);

    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), shown, Qt::DisplayRole);
    model.setData(model.index(0, 0), replyCode, CacheTableModel::ReplyCodeRole);
    StatusDelegate delegate(StatusDelegate::Kind::ReplyCode);
    QStyleOptionViewItem option;
    option.rect = QRect(0, 0, 160, 28);
    option.palette = palette;
    option.font = QApplication::font();
    option.fontMetrics = QFontMetrics(option.font);
    option.state = QStyle::State_Enabled;
    QImage image(option.rect.size(), QImage::Format_RGB32);
    image.fill(palette.color(QPalette::Base));
    {
        QPainter painter(&image);
        delegate.paint(&painter, option, model.index(0, 0));
    }
    // The glyphs' cores are the class colour: a few of their pixels at least, the rest antialiased.
    QVERIFY2(pixelsOf(image, expected) >= 4, qPrintable(u"%1 pixels of %2"_s.arg(pixelsOf(image, expected)).arg(expected.name())));
    if (status)
        QCOMPARE(pixelsOf(image, palette.color(QPalette::Text)), 0);
}

QTEST_MAIN(TestStatusDelegate)
#include "tst_statusdelegate.moc"
