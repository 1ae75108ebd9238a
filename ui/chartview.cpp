// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartview.h"

#include "logwords.h"

#include "chartmodel.h"
#include "codecolors.h"
#include "countaxis.h"
#include "session.h"
#include "statuscolors.h"
#include "timeticks.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLocale>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScopedValueRollback>
#include <QStackedBarSeries>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
constexpr int DragThreshold = 6;
// The time axis has room for at least this many bars: a log of a few minutes drew its one to
// three bars across the whole plot, which read as a total rather than as time. The data's bars
// stand at the left, where the time begins; the room after them is time with no tries.
constexpr int MinBarSlots = 30;

int barSlots(int buckets)
{
    return std::max(buckets, MinBarSlots);
}

// Which status colour an outcome takes (statusColor numbers them as MessageState does).
int outcomeStatus(const QString &key)
{
    if (key == u"delivered"_s)
        return 1;
    if (key == u"deferred"_s)
        return 2;
    if (key == u"bounced"_s)
        return 3;
    return 5;
}
} // namespace

ChartView::ChartView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(session->chart())
    , m_chart(new QChart)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->setSpacing(0);
    auto *bar = new QHBoxLayout;
    m_group = new QComboBox(this);
    m_group->addItem(tr("By outcome"), static_cast<int>(ChartGroup::Outcome));
    m_group->addItem(tr("By reply code"), static_cast<int>(ChartGroup::ReplyCode));
    m_group->addItem(tr("By enhanced code"), static_cast<int>(ChartGroup::EnhancedCode));
    m_group->setToolTip(tr("Stack the delivery tries by outcome, by reply code or by enhanced status code"));
    connect(m_group, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setGroup(static_cast<ChartGroup>(m_group->currentData().toInt())); });
    m_back = new QToolButton(this);
    m_back->setIcon(QIcon::fromTheme(u"go-previous"_s));
    m_back->setText(tr("Previous Range"));
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back->setToolTip(tr("Go back to the time range before the last change (Alt+Left)"));
    // Alt+Left is the window's View menu action, so that it works on the Summary tab too.
    m_back->setEnabled(session->canGoBack());
    connect(m_back, &QToolButton::clicked, session, &Session::previousRange);
    connect(session, &Session::historyChanged, m_back, &QToolButton::setEnabled);
    m_state = new QLabel(this);
    auto *title = new QLabel(tr("Delivery tries over time"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    bar->addWidget(title);
    bar->addWidget(m_group);
    bar->addWidget(m_back);
    bar->addWidget(m_state, 1);
    layout->addLayout(bar);

    // Above the bars, in one row: on the right, the ten entries of "by reply code" or "by enhanced
    // code" needed more height than the chart has, and the last ones were cut off.
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    // The count axis in the locale's grouping ("12,000"), as every number of the window.
    m_chart->setLocalizeNumbers(true);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    // Its readable minimum (a legend line, bars, the time axis), which the chart gives way to
    // before the table's rows or an insight are cut.
    m_view->setMinimumHeight(112);
    m_view->viewport()->installEventFilter(this);
    m_view->setToolTip(tr("Click a bar to show its rows; drag across to choose a time range"));
    layout->addWidget(m_view, 1);

    // As many ticks as the height has room for: again when it changes.
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        if (m_countAxis)
            fitCountAxis(m_countAxis, m_chart, m_tallest);
        fitTimeLabels();
    });
    connect(m_model, &ChartModel::modelReset, this, &ChartView::rebuild);
    connect(m_model, &ChartModel::busyChanged, this, &ChartView::showBusy);
    // A new filter only changes which legend entries look on until its bars come (modelReset):
    // rebuilding the old bars here cost the GUI thread a whole chart per filter change.
    connect(session, &Session::filterChanged, this, &ChartView::markSelected);
    rebuild();
}

QRect ChartView::headerRect() const
{
    return QRect(0, 0, width(), m_view->y());
}

int ChartView::headerUsedRight() const
{
    // The state's words, not its stretched label.
    const int state = m_state->text().isEmpty() ? 0 : m_state->x() + m_state->fontMetrics().horizontalAdvance(m_state->text());
    return std::max(m_back->geometry().right() + 1, state);
}

QString ChartView::message() const
{
    return m_state->text().isEmpty() ? m_chart->title() : m_state->text();
}

void ChartView::showBusy(bool busy)
{
    // No bar: none to draw, or a range's buckets of no try (they drew an empty box).
    const auto &counts = m_model->table().counts;
    const bool noTry = std::all_of(counts.begin(), counts.end(), [](const QList<qint64> &bucket) {
        return std::all_of(bucket.begin(), bucket.end(), [](qint64 n) { return n == 0; });
    });
    const bool empty = !busy && m_model->error().isEmpty() && (m_model->rowCount() == 0 || m_model->columnCount() == 0 || noTry);
    if (busy)
        m_state->setText(tr("Reading…"));
    else if (!m_model->error().isEmpty())
        m_state->setText(tr("The chart could not be read: %1").arg(m_model->error()));
    else
        m_state->clear();
    // In the box itself: an empty box reads as a chart that failed to draw. It names what left
    // it empty: "in this range" with no range set sent the user looking for one.
    m_chart->setTitle(empty ? emptyTitle() : QString());
}

QString ChartView::emptyTitle() const
{
    const Filter &f = m_model->filter();
    if (f.sinceMs != std::numeric_limits<qint64>::min() || f.untilMs != std::numeric_limits<qint64>::max())
        return tr("No delivery tries in this range");
    Filter conditions = f;
    conditions.fileIds.clear();  // the logs on show: no condition of the user's
    return conditions.isEmpty() ? tr("No delivery tries in %1").arg(LogWords::these(std::ssize(f.fileIds)))
                                 : tr("No delivery tries for this filter");
}

QList<QColor> ChartView::columnColors() const
{
    const QPalette pal = palette();
    const bool dark = isDarkPalette(pal);
    QList<QColor> colours(m_model->columnCount());
    QStringList codes;
    QList<int> codeColumns;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QString key = m_model->headerData(column, Qt::Horizontal, ChartModel::SeriesKeyRole).toString();
        if (m_model->group() == ChartGroup::Outcome) {
            colours[column] = statusColor(outcomeStatus(key), pal);
        } else if (key == ChartModel::OtherKey) {
            colours[column] = pal.color(QPalette::PlaceholderText);
        } else if (key.isEmpty()) {
            // No reply: a connection that timed out or was refused, often the night's main problem.
            // Not the grey of "Other": slate blue, apart from every status hue.
            colours[column] = QColor::fromRgb(dark ? 0x7f9cf5 : 0x34508a);
        } else if (m_model->group() == ChartGroup::ReplyCode && key == ChartModel::DeliveredNoReplyKey) {
            colours[column] = deliveredWithoutCodeColor(pal);
            codes << u"251"_s;  // its shade is taken: no code on show gets it too
            codeColumns << -1;
        } else {
            codes << key;
            codeColumns << column;
        }
    }
    const QList<QColor> shades = codeColors(codes, pal);
    for (qsizetype i = 0; i < codes.size(); ++i)
        if (codeColumns[i] >= 0)
            colours[codeColumns[i]] = shades[i];
    return colours;
}

void ChartView::rebuild()
{
    const bool dark = isDarkPalette(palette());
    m_chart->removeAllSeries();
    m_hoverBucket = -1;
    for (QAbstractAxis *axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;  // removeAxis hands it back to us
    }
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->legend()->setLabelColor(palette().color(QPalette::Text));
    showBusy(m_model->isBusy());

    const int buckets = m_model->rowCount();
    const int columns = m_model->columnCount();
    if (buckets == 0 || columns == 0)
        return;  // showBusy() said why
    auto *series = new QStackedBarSeries;
    series->setBarWidth(0.9);
    const QList<QColor> colours = columnColors();
    for (int c = 0; c < columns; ++c) {
        auto *set = new QBarSet(m_model->headerData(c, Qt::Horizontal).toString());
        QList<qreal> values;
        values.reserve(buckets);
        for (int b = 0; b < buckets; ++b)
            values << m_model->data(m_model->index(b, c)).toReal();
        set->append(values);
        const QColor color = colours[c];
        set->setColor(color);
        set->setBorderColor(color);
        series->append(set);
    }
    m_chart->addSeries(series);

    // The time axis is the bars' own: bar i spans i - 0.5 to i + 0.5, from its bucket's start
    // to its end, and each label stands at its round time (QDateTimeAxis can only divide the
    // range evenly, which put ticks at 20:00:02, 20:36:26...).
    auto *x = new QCategoryAxis;
    x->setRange(-0.5, barSlots(buckets) - 0.5);
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setLabelsColor(palette().color(QPalette::Text));
    x->setGridLineVisible(false);
    const ChartModel::Table &table = m_model->table();
    // As many labels as the data's share of the axis has room for.
    const int labelRoom = width() * buckets / barSlots(buckets) / 110;
    QList<TimeTick> ticks = timeTicks(table.starts.first(), table.end, std::clamp(labelRoom, buckets < MinBarSlots ? 1 : 3, 12), m_model->clock());
    // The axis says when it starts: round times alone began at the first 1st of a month after
    // it (logs from 5 January read as starting in February). The start's label takes the place of
    // a round one too close to it to stand beside it.
    // A start that is a round time itself says its day too, unless it is a midnight (whose label
    // is its date): "10:00" alone began a chart of minutes, of no day (trial21).
    const qint64 start = table.starts.first();
    const QDateTime wall = m_model->clock().toWall(start);
    const bool byDays = table.bucketMs >= 24 * 3600 * 1000LL;
    const bool startIsTick = !ticks.isEmpty() && ticks.first().ms <= start;
    if (!startIsTick || (!byDays && wall.time() != QTime(0, 0))) {
        if (startIsTick)
            ticks.removeFirst();
        const QString text = QLocale().toString(wall, byDays ? u"d MMM yyyy"_s : u"d MMM HH:mm"_s);
        const QFontMetrics metrics(font());
        const double plotWidth = m_chart->plotArea().width() > 0 ? m_chart->plotArea().width() : m_view->width();
        if (!ticks.isEmpty()) {
            const double gap = (ChartModel::barPosition(table, ticks.first().ms) + 0.5) / barSlots(buckets) * plotWidth;
            if (gap < (metrics.horizontalAdvance(text) + metrics.horizontalAdvance(ticks.first().label)) / 2.0 + metrics.height())
                ticks.removeFirst();
        }
        ticks.prepend(TimeTick{start, text});
    }
    QStringList labels;
    m_timeLabels.clear();
    for (const TimeTick &tick : std::as_const(ticks)) {
        // A category axis keeps one category per label: "06:00" of the next day would be lost.
        // Zero-width spaces tell such labels apart without showing.
        QString text = tick.label;
        while (labels.contains(text))
            text += QChar(0x200B);
        labels << text;
        m_timeLabels.append({text, ChartModel::barPosition(table, tick.ms)});
        x->append(text, m_timeLabels.last().second);
    }
    m_chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    m_timeAxis = x;
    m_series = series;
    auto *y = new QValueAxis;
    y->setLabelsColor(palette().color(QPalette::Text));
    y->setGridLineColor(palette().color(QPalette::Midlight));
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    m_tallest = 0;
    for (int b = 0; b < buckets; ++b) {
        qint64 bar = 0;
        for (int c = 0; c < columns; ++c)
            bar += m_model->data(m_model->index(b, c)).toLongLong();
        m_tallest = std::max(m_tallest, bar);
    }
    m_countAxis = y;
    fitCountAxis(y, m_chart, m_tallest);

    const QList<QLegendMarker *> markers = m_chart->legend()->markers(series);
    for (int c = 0; c < markers.size(); ++c) {
        markers[c]->setLabelBrush(palette().color(QPalette::Text));
        connect(markers[c], &QLegendMarker::clicked, this, [this, c] { toggleLegend(c); });
    }
    markSelected();
    connect(series, &QAbstractBarSeries::clicked, this, [this, series](int index, QBarSet *set) {
        if (!m_dragging)
            clickSegment(index, static_cast<int>(series->barSets().indexOf(set)));
    });
    connect(series, &QAbstractBarSeries::hovered, this, [this](bool on, int index, QBarSet *) { showHover(on, index); });
    // Once laid out (plotAreaChanged says so too, but not when the plot stays where it was).
    QTimer::singleShot(0, this, &ChartView::fitTimeLabels);
}

void ChartView::markSelected()
{
    const QList<QAbstractSeries *> series = m_chart->series();
    if (series.isEmpty())
        return;
    const QList<QLegendMarker *> markers = m_chart->legend()->markers(series.first());
    for (int c = 0; c < markers.size(); ++c) {
        QFont font = markers[c]->font();
        font.setBold(m_model->isSelected(m_session->filter(), c));
        markers[c]->setFont(font);
    }
}

void ChartView::showHover(bool on, int bucket)
{
    if (!on || bucket < 0 || bucket >= m_model->rowCount()) {
        m_hoverBucket = -1;
        QToolTip::hideText();
        return;
    }
    m_hoverBucket = bucket;
    QToolTip::showText(QCursor::pos(), hoverText(bucket), m_view->viewport());
}

QString ChartView::hoverText(int bucket) const
{
    const QLocale locale;
    QString text = u"<b>%1</b><table>"_s.arg(m_model->bucketText(bucket));
    qint64 total = 0;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const qint64 n = m_model->data(m_model->index(bucket, c)).toLongLong();
        total += n;
        if (n <= 0)
            continue;
        text += u"<tr><td>%1</td><td align=right>%2</td></tr>"_s.arg(
            m_model->headerData(c, Qt::Horizontal).toString().toHtmlEscaped(), locale.toString(n));
        // "Other" names what it holds: the codes of the most tries, with theirs.
        if (m_model->headerData(c, Qt::Horizontal, ChartModel::SeriesKeyRole).toString() == ChartModel::OtherKey &&
            bucket < m_model->table().others.size())
            text += u"<tr><td colspan=2><small>%1</small></td></tr>"_s.arg(
                codeCounts(m_model->table().others[bucket], m_model->group()).toHtmlEscaped());
    }
    text += u"<tr><td><i>%1</i></td><td align=right><i>%2</i></td></tr></table>"_s.arg(tr("All tries"), locale.toString(total));
    return text;
}

QString ChartView::codeCounts(const QList<QPair<QString, qint64>> &codes, ChartGroup group)
{
    constexpr qsizetype Named = 5;
    const QLocale locale;
    QStringList named;
    for (qsizetype i = 0; i < std::min(Named, codes.size()); ++i) {
        const QString code = codes[i].first.isEmpty() ? tr("no code")
                             : group == ChartGroup::ReplyCode && codes[i].first == ChartModel::DeliveredNoReplyKey
                                 ? tr("delivered, no code")
                                 : codes[i].first;
        named << tr("%1 (%2)").arg(code, locale.toString(codes[i].second));
    }
    QString text = named.join(u", "_s);
    if (codes.size() > Named)
        text = codes.size() - Named == 1 ? tr("%1 and 1 more code").arg(text)
                                         : tr("%1 and %2 more codes").arg(text, locale.toString(codes.size() - Named));
    return text;
}

void ChartView::clickSegment(int bucket, int column)
{
    if (bucket < 0 || bucket >= m_model->rowCount())
        return;
    m_session->setFilter(m_model->filterFor(m_session->filter(), bucket, column));
}

void ChartView::dragBuckets(int firstBucket, int lastBucket)
{
    if (firstBucket > lastBucket)
        std::swap(firstBucket, lastBucket);
    firstBucket = std::max(firstBucket, 0);
    lastBucket = std::min(lastBucket, m_model->rowCount() - 1);
    if (firstBucket > lastBucket)
        return;
    Filter f = m_session->filter();
    f.sinceMs = m_model->headerData(firstBucket, Qt::Vertical, ChartModel::BucketStartRole).toLongLong();
    f.untilMs = m_model->headerData(lastBucket, Qt::Vertical, ChartModel::BucketEndRole).toLongLong();
    m_session->setFilter(f);
}

void ChartView::toggleLegend(int column)
{
    m_session->setFilter(m_model->toggled(m_session->filter(), column));
}

int ChartView::bucketAt(const QPoint &viewPos) const
{
    const QList<QAbstractSeries *> series = m_chart->series();
    if (series.isEmpty())
        return -1;
    const QPointF chartPos = m_chart->mapFromScene(m_view->mapToScene(viewPos));
    if (!m_chart->plotArea().contains(chartPos))
        return -1;
    const int bucket = qRound(m_chart->mapToValue(chartPos, series.first()).x());
    return bucket >= 0 && bucket < m_model->rowCount() ? bucket : -1;
}

bool ChartView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_view->viewport())
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::LeftButton) {
            m_pressPos = e->position().toPoint();
            m_dragging = false;
        }
        break;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (!(e->buttons() & Qt::LeftButton))
            break;
        const QPoint pos = e->position().toPoint();
        if (!m_dragging && std::abs(pos.x() - m_pressPos.x()) >= DragThreshold && bucketAt(m_pressPos) >= 0)
            m_dragging = true;
        if (m_dragging) {
            if (!m_band)
                m_band = new QRubberBand(QRubberBand::Rectangle, m_view->viewport());
            const QRectF plot = m_chart->mapRectToScene(m_chart->plotArea());
            const QRect area = m_view->mapFromScene(plot).boundingRect();
            m_band->setGeometry(QRect(QPoint(std::min(pos.x(), m_pressPos.x()), area.top()),
                                      QPoint(std::max(pos.x(), m_pressPos.x()), area.bottom())));
            m_band->show();
            return true;
        }
        break;
    }
    case QEvent::ToolTip:
        // The view's own tooltip (how to click and drag) came in place of the bar's counts once
        // the pointer rested on the bar: over a bar, its counts stay.
        if (m_hoverBucket >= 0 && m_hoverBucket < m_model->rowCount()) {
            QToolTip::showText(static_cast<QHelpEvent *>(event)->globalPos(), hoverText(m_hoverBucket), m_view->viewport());
            return true;
        }
        break;
    case QEvent::MouseButtonRelease: {
        if (!m_dragging)
            break;
        auto *e = static_cast<QMouseEvent *>(event);
        if (m_band)
            m_band->hide();
        QPoint end = e->position().toPoint();
        int last = bucketAt(end);
        if (last < 0)  // dragged past the bars: to the first or the last
            last = end.x() < m_pressPos.x() ? 0 : m_model->rowCount() - 1;
        const int first = bucketAt(m_pressPos);
        dragBuckets(first, last);
        m_dragging = false;
        return true;  // not a click on the bar under the release
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

QStringList ChartView::timeLabels() const
{
    QStringList out;
    if (m_timeAxis)
        for (const QString &label : m_timeAxis->categoriesLabels())
            out << QString(label).remove(QChar(0x200B));
    return out;
}

QList<QRectF> ChartView::timeLabelRects() const
{
    QList<QRectF> rects;
    if (!m_timeAxis || !m_series)
        return rects;
    const QFontMetricsF metrics(m_timeAxis->labelsFont());
    for (const QString &label : m_timeAxis->categoriesLabels()) {
        const QPointF at = m_chart->mapToPosition(QPointF(m_timeAxis->endValue(label), 0), m_series);
        const double width = metrics.horizontalAdvance(QString(label).remove(QChar(0x200B)));
        rects << QRectF(at.x() - width / 2, at.y(), width, metrics.height());
    }
    return rects;
}

void ChartView::fitTimeLabels()
{
    if (!m_timeAxis || !m_series || m_chart->plotArea().width() <= 0 || m_model->rowCount() == 0 || m_timeLabels.isEmpty() ||
        m_fittingTimeLabels)
        return;
    const QScopedValueRollback fitting(m_fittingTimeLabels, true);
    // The first and the last label stand on the axis's ends: half of each stood past the plot,
    // where Qt hides a label at the left (the axis started with its second label, a month late)
    // and the view cuts one at the right ("23:" of "23:00"). The last one: the axis is made longer
    // by what it needs, so it stands whole inside the plot; the bars keep their places on it.
    const double last = barSlots(m_model->rowCount()) - 0.5;
    double hi = last;
    const auto place = [this](const QList<QPair<QString, double>> &labels) {
        for (const QString &label : m_timeAxis->categoriesLabels())
            m_timeAxis->remove(label);
        for (const auto &[label, value] : labels)
            m_timeAxis->append(label, value);
    };
    QList<QPair<QString, double>> labels = m_timeLabels;
    place(labels);
    m_timeAxis->setRange(-0.5, hi);
    const QRectF plot = m_chart->plotArea();
    for (int pass = 0; pass < 4; ++pass) {
        const QList<QRectF> rects = timeLabelRects();
        if (rects.isEmpty())
            return;
        const double right = rects.last().right() - plot.right();
        if (right <= 0.5)
            break;
        hi += (right + 1) / (plot.width() / (hi + 0.5));
        m_timeAxis->setRange(-0.5, hi);
    }
    // The first one (the start, "21 Nov 20:00") begins where the first bar does, at the plot's
    // left edge: the axis made longer for its left half began the chart with an empty slot.
    // A round time it would then stand on gives way to it.
    const QList<QRectF> rects = timeLabelRects();
    const double overflow = plot.left() - rects.first().left();
    if (overflow <= 0.5)
        return;
    labels.first().second += (overflow + 1) / (plot.width() / (hi + 0.5));
    if (rects.size() > 1 && plot.left() + rects.first().width() + QFontMetricsF(m_timeAxis->labelsFont()).height() >= rects[1].left())
        labels.removeAt(1);
    place(labels);
}

QSize ChartView::sizeHint() const
{
    return {QWidget::sizeHint().width(), std::max(minimumSizeHint().height(), 16 * fontMetrics().height())};
}

void ChartView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

} // namespace mailtrail
