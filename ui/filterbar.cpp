// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "filterbar.h"

#include "elidedlabel.h"
#include "narrowednote.h"

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QScopedValueRollback>
#include <QStyle>
#include <QStyleOptionFrame>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
const char *const StatusNames[] = {"sent", "deferred", "bounced", "expired", "rejected", "queued"};
constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 CustomRange = -1;
constexpr qint64 NoLow = std::numeric_limits<qint64>::min();
constexpr qint64 NoHigh = std::numeric_limits<qint64>::max();
}

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *rows = new QVBoxLayout(this);
    rows->setContentsMargins(6, 4, 6, 4);
    rows->setSpacing(4);
    auto *layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    rows->addLayout(layout);
    m_sender = addField(tr("Sender"), tr("Sender address: a glob such as *@example.com, any part of it, or the whole "
                                         "address in brackets (<alice@example.com>); <> is the null sender"));
    m_recipient = addField(tr("Recipient"), tr("Recipient or original recipient: a glob, any part of it, or the whole "
                                               "address in brackets (<bob@example.org>)"));

    m_status = new QToolButton(this);
    m_status->setPopupMode(QToolButton::InstantPopup);
    m_status->setToolTip(tr("Show only these final states"));
    auto *menu = new QMenu(m_status);
    // Menu items in title case (KDE HIG), the filter's names as their data.
    const QStringList titles{tr("Sent"), tr("Deferred"), tr("Bounced"), tr("Expired"), tr("Rejected"), tr("Queued")};
    for (const char *name : StatusNames) {
        QAction *a = menu->addAction(titles.value(int(menu->actions().size())));
        a->setCheckable(true);
        a->setData(QString::fromLatin1(name));
        connect(a, &QAction::toggled, this, [this] {
            updateStatusButton();
            schedule();
        });
    }
    m_status->setMenu(menu);
    menu->installEventFilter(this);
    updateStatusButton();

    m_code = addField(tr("Code"), tr("Reply code (550), class (5xx, 4) or enhanced status code (5.1.1, 4.7)"));
    // A text that is no code ("6xx", "abc", "5.7.1.9") matches nothing: said at the box, not left
    // as a silent "0 of N" (the CLI refuses it with a message).
    QAction *noCode = m_code->addAction(style()->standardIcon(QStyle::SP_MessageBoxWarning), QLineEdit::TrailingPosition);
    noCode->setObjectName(u"notACode"_s);
    noCode->setToolTip(tr("Not a code: a reply code (550), a class (5xx, 4) or an enhanced status code (5.1.1, 4.7) "
                          "matches; this matches nothing"));
    noCode->setVisible(false);
    connect(m_code, &QLineEdit::textChanged, noCode, [this, noCode](const QString &text) {
        const QString code = text.trimmed();
        const bool wrong = !code.isEmpty() && !isCodeFilter(code.toStdString());
        noCode->setVisible(wrong);
        // The icon takes its room from the text: "4.4.1x" read "x" (trial22).
        if (m_codeWidth > 0) {
            const int icon = m_code->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_code);
            m_code->setFixedWidth(m_codeWidth + (wrong ? icon + 6 + icon / 4 : 0));
        }
    });

    m_host = addChoice(tr("Any host"), tr("Mail of this server only (the host name its log lines give)"), u"hostFilter"_s);
    m_format = addChoice(tr("Any format"), tr("Mail whose first log was read as this format"), u"formatFilter"_s);

    m_tls = new QComboBox(this);
    m_tls->setObjectName(u"tlsFilter"_s);
    m_tls->addItem(tr("Any TLS"), QString());
    m_tls->addItem(tr("With TLS"), u"yes"_s);
    m_tls->addItem(tr("Without TLS"), u"no"_s);
    m_tls->setToolTip(tr("Without TLS: mail that came over SMTP, or was tried at a network relay, with no TLS logged "
                         "(a hand-over to a content filter of the same server aside)"));
    m_tls->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_tls, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);
    m_saslUser = addField(tr("SASL user"), tr("The user a submission authenticated as (SASL): a glob or any part of it"));
    m_saslUser->setObjectName(u"saslUserFilter"_s);

    m_range = new QComboBox(this);
    m_range->setObjectName(u"rangeFilter"_s);
    m_range->addItem(QString(), 0);  // its words follow the logs on show (setLogCount)
    m_range->addItem(tr("Last hour"), Hour);
    m_range->addItem(tr("Last 6 hours"), 6 * Hour);
    m_range->addItem(tr("Last 24 hours"), 24 * Hour);
    m_range->addItem(tr("Last 7 days"), 7 * 24 * Hour);
    m_range->addItem(tr("From – to"), CustomRange);
    connect(m_range, &QComboBox::currentIndexChanged, this, &FilterBar::rangeChosen);
    // From and to, in local time as the table shows it; only while "From – to" is chosen.
    for (QDateTimeEdit **edit : {&m_from, &m_to}) {
        *edit = new QDateTimeEdit(this);
        (*edit)->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
        // The edit's own zone is a stand-in: what it shows is the logs' clock (showMoment()).
        (*edit)->setTimeZone(QTimeZone::UTC);
        (*edit)->setCalendarPopup(true);
        (*edit)->setVisible(false);
        connect(*edit, &QDateTimeEdit::dateTimeChanged, this, &FilterBar::schedule);
    }
    m_from->setToolTip(tr("Messages that arrived from this time on"));
    m_to->setToolTip(tr("Messages that arrived before this time"));

    m_text = addField(tr("Search replies, addresses, ids…"), tr("All words must appear in an address, a queue or "
                                                                "Message-ID, a relay, a server's reply or a filter's "
                                                                "verdict (\"dkim fail\", \"spam\")"));
    m_text->setMinimumWidth(fontMetrics().horizontalAdvance(u"Search…"_s) + fontMetrics().horizontalAdvance(u'M'));

    m_counts = new QLabel(this);
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(m_sender, 3);
    layout->addWidget(m_recipient, 3);
    layout->addWidget(m_status);
    layout->addWidget(m_code, 1);
    layout->addWidget(m_host);
    layout->addWidget(m_format);
    layout->addWidget(m_tls);
    layout->addWidget(m_saslUser, 2);
    layout->addWidget(m_range);
    layout->addWidget(m_text, 4);
    layout->addWidget(m_counts);
    m_fields = layout;
    // Where the search goes when the fields leave it less than a useful width (placeSearch()).
    m_searchRow = new QHBoxLayout;
    m_searchRow->setContentsMargins(0, 0, 0, 0);
    rows->addLayout(m_searchRow);
    // From and to on a line of their own, under the fields: beside them they squeezed every
    // field to a few letters in a window of 1100 pixels.
    m_rangeRow = new QWidget(this);
    auto *range = new QHBoxLayout(m_rangeRow);
    range->setContentsMargins(0, 0, 0, 0);
    range->addWidget(new QLabel(tr("From"), m_rangeRow));
    range->addWidget(m_from);
    range->addWidget(new QLabel(tr("to"), m_rangeRow));
    range->addWidget(m_to);
    m_rangeClock = new QLabel(m_rangeRow);
    range->addWidget(m_rangeClock);
    range->addStretch(1);
    m_rangeRow->setVisible(false);
    setLogCount(m_logCount);
    rows->addWidget(m_rangeRow);
    m_triesRow = new QWidget(this);
    auto *tries = new QHBoxLayout(m_triesRow);
    tries->setContentsMargins(0, 0, 0, 0);
    // One line, cut with "…" and whole in its tooltip, never as wide as its words: a long note (a
    // destination, a range, a reason) made the bar as wide as itself, and the fields above jumped
    // when it came (at 1120 pixels); wrapped, a second line moved the tabs and the chart.
    m_tries = new ElidedLabel(m_triesRow);
    m_tries->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_tries->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // The offer of the tried-as form: a link (offerTriedAs()).
    m_offer = new QLabel(m_triesRow);
    m_offer->setTextFormat(Qt::RichText);
    m_offer->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_offer->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_offer->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_offer->setVisible(false);
    connect(m_offer, &QLabel::linkActivated, this, &FilterBar::takeTriedAs);
    auto *clearTries = m_clearTries = new QToolButton(m_triesRow);
    clearTries->setText(tr("Clear"));
    clearTries->setToolTip(tr("Show every row again, not only these"));
    connect(clearTries, &QToolButton::clicked, this, [this] {
        m_narrowed = Filter{};
        showNarrowed();
        schedule();
    });
    tries->addWidget(m_tries, 1);
    tries->addWidget(m_offer, 1);
    tries->addWidget(clearTries);
    // Not a row of the bar: under it, the view tabs, the chart and the table moved down when a
    // note came (a whole row at 1000 pixels). The window lays it over the free end of the line
    // below the bar (noteRow()); it keeps the room it has when the kept one's state changes.
    m_triesRow->setAutoFillBackground(true);
    m_triesRow->setVisible(false);
    {
        QSizePolicy policy = clearTries->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        clearTries->setSizePolicy(policy);
    }
    // The SASL user wide enough to read its placeholder, however narrow the window; the sender
    // and the recipient an address beside the clear button (no wider: at 1400 pixels every field
    // stays on one line): at 1000 pixels with the host and
    // format boxes they were squeezed to "Sen" (trial21). The window cannot be made narrower than
    // the line they are on: the less needed boxes go to the line under it first (placeSearch()).
    const int em = fontMetrics().horizontalAdvance(u'M');
    m_saslUser->setMinimumWidth(fontMetrics().horizontalAdvance(m_saslUser->placeholderText()) + em);
    for (QLineEdit *edit : {m_sender, m_recipient})
        edit->setMinimumWidth(codeWidth(edit, fontMetrics().horizontalAdvance(u"alice@example.com"_s)));
    // Its longest usual content whole beside the clear button, which takes its room from the
    // text once something is typed: at 90 pixels "4.7.1" read ".7.1".
    int codeText = 0;
    for (const QString &code : {u"4.7.1"_s, u"5.7.1"_s, u"5xx"_s, u"550"_s, m_code->placeholderText()})
        codeText = std::max(codeText, fontMetrics().horizontalAdvance(code));
    m_codeWidth = codeWidth(m_code, codeText);
    m_code->setFixedWidth(m_codeWidth);
    // A search box that shows a few words of what is typed in it (at 1000 pixels it was 60 wide).
    m_usefulSearch = fontMetrics().horizontalAdvance(u"Search replies, addresses"_s) + 2 * em;

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, [this] { Q_EMIT filterChanged(filter()); });
}

bool FilterBar::eventFilter(QObject *watched, QEvent *event)
{
    // A release over a state ticks it and leaves the menu open; Escape or a click outside closes it.
    if (watched == m_status->menu() && event->type() == QEvent::MouseButtonRelease) {
        auto *menu = static_cast<QMenu *>(watched);
        if (QAction *a = menu->actionAt(static_cast<QMouseEvent *>(event)->position().toPoint()); a && a->isCheckable()) {
            a->toggle();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FilterBar::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeSearch();
}

void FilterBar::placeSearch()
{
    // The fields go on one line while they fit it, the search box taking the room they leave down
    // to a useful width. Short of room, the search goes to a line of its own under them; shorter
    // still, the host, format, TLS and SASL user boxes go there too, before it: the sender and
    // the recipient keep an address readable (squeezed to "Sen" at 1000 pixels; trial21).
    // The counts go with the search: the last of the line, they were cut to "290 of 290 messa"
    // when the line had no room left for them.
    // As wide as they have been: fewer digits ("7 of 290") gave the fields beside them a few
    // pixels, and every field moved at each filter.
    m_countsWidth = std::max(m_countsWidth, m_counts->minimumSizeHint().width());
    m_counts->setMinimumWidth(m_countsWidth);
    const QList<QWidget *> first{m_sender, m_recipient, m_status, m_code, m_range};
    const QList<QWidget *> lesser{m_host, m_format, m_tls, m_saslUser};
    const int spacing = m_fields->spacing();
    const int firstWidth = lineWidth(first, spacing);
    const int lesserWidth = lineWidth(lesser, spacing);
    const int both = firstWidth + (lesserWidth > 0 ? spacing + lesserWidth : 0);
    const int room = contentsRect().width() - layout()->contentsMargins().left() - layout()->contentsMargins().right();
    const int lines = room >= both + 2 * spacing + m_usefulSearch + m_countsWidth ? 1 : room >= both ? 2 : 3;
    if (lines == m_lines)
        return;
    m_lines = lines;
    for (QWidget *w : first + lesser + QList<QWidget *>{m_text, m_counts}) {
        m_fields->removeWidget(w);
        m_searchRow->removeWidget(w);
    }
    QHBoxLayout *lesserLine = lines == 3 ? m_searchRow : m_fields;
    QHBoxLayout *searchLine = lines == 1 ? m_fields : m_searchRow;
    m_fields->addWidget(m_sender, 3);
    m_fields->addWidget(m_recipient, 3);
    m_fields->addWidget(m_status);
    m_fields->addWidget(m_code, 1);
    if (lines < 3) {
        for (QWidget *w : lesser)
            m_fields->addWidget(w, w == m_saslUser ? 2 : 0);
    }
    m_fields->addWidget(m_range);
    if (lines == 3) {
        for (QWidget *w : lesser)
            lesserLine->addWidget(w, w == m_saslUser ? 2 : 0);
    }
    searchLine->addWidget(m_text, lines == 1 ? 4 : 5);
    searchLine->addWidget(m_counts);
}

int FilterBar::lineWidth(const QList<QWidget *> &widgets, int spacing) const
{
    int width = 0;
    for (const QWidget *w : widgets) {
        if (w->isVisibleTo(this) || w == m_appearing)
            width += (width > 0 ? spacing : 0) + std::max(w->minimumWidth(), w->minimumSizeHint().width());
    }
    return width;
}

bool FilterBar::areLesserFieldsOnTheSearchLine() const
{
    return m_searchRow->indexOf(m_host) >= 0;
}

int FilterBar::codeWidth(const QLineEdit *edit, int textWidth)
{
    // What QLineEdit keeps around its text: 2 pixels each side, the frame, and a side widget
    // (the clear button) of a small icon plus 6, with a quarter icon of margin.
    const int icon = edit->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, edit);
    const int clearButton = icon + 6 + icon / 4;
    QStyleOptionFrame option;
    option.initFrom(edit);
    option.lineWidth = edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, &option, edit);
    const QSize inner(textWidth + 2 * 2 + clearButton + edit->fontMetrics().horizontalAdvance(u' '), edit->fontMetrics().height());
    return edit->style()->sizeFromContents(QStyle::CT_LineEdit, &option, inner, edit).width();
}

bool FilterBar::isSearchOnItsOwnLine() const
{
    return m_searchRow->indexOf(m_text) >= 0;
}

QLineEdit *FilterBar::addField(const QString &placeholder, const QString &tip)
{
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    connect(edit, &QLineEdit::textChanged, this, &FilterBar::schedule);
    return edit;
}

QComboBox *FilterBar::addChoice(const QString &any, const QString &tip, const QString &name)
{
    auto *box = new QComboBox(this);
    box->setObjectName(name);
    box->setToolTip(tip);
    box->addItem(any, QString());
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    box->setVisible(false);  // until there is a choice to make
    connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);
    return box;
}

// Selects `value`, adding it when the box does not offer it (a filter set before the logs came).
void FilterBar::showChoice(QComboBox *box, const QString &value)
{
    int index = box->findData(value);
    if (index < 0) {
        box->addItem(value, value);
        index = box->count() - 1;
    }
    box->setCurrentIndex(index);
    if (!value.isEmpty())
        showBox(box, true);
}

void FilterBar::offer(QComboBox *box, const QStringList &values)
{
    const QSignalBlocker block(box);
    const QString current = box->currentData().toString();
    while (box->count() > 1)
        box->removeItem(1);
    for (const QString &v : values)
        box->addItem(v, v);
    showChoice(box, current);
    showBox(box, values.size() > 1 || !current.isEmpty());
}

void FilterBar::showBox(QComboBox *box, bool show)
{
    if (show == box->isVisibleTo(this))
        return;
    if (show) {
        // Placed first: a widget shown lays its window out at once, and a line too full for it
        // made the window wider than it was (1459 pixels for 1400) before the box could move.
        m_appearing = box;
        placeSearch();
        m_appearing = nullptr;
    }
    box->setVisible(show);
    if (!show)
        placeSearch();
}

void FilterBar::setChoices(const QStringList &hosts, const QStringList &formats)
{
    offer(m_host, hosts);
    offer(m_format, formats);
    placeSearch();  // boxes shown or hidden: the line may hold them, or no more
}

void FilterBar::schedule()
{
    if (m_showing)
        return;  // a filter being shown (setFilter()), not typed
    m_debounce.start();
}

void FilterBar::updateStatusButton()
{
    // The menu's own words ("Deferred", not the filter's "deferred"), and a width that does not
    // change with them: the box jumped wider as one was picked, and moved every field after it.
    QStringList on;
    QStringList candidates{tr("Any status")};
    for (QAction *a : m_status->menu()->actions()) {
        candidates << a->text();
        if (a->isChecked())
            on << a->text();
    }
    const QString full = on.isEmpty() ? tr("Any status") : on.join(u", "_s);
    // Several states: their names where they fit, else how many (whole words either way: two
    // showed as "Deferre…"), all of them in the tooltip.
    const auto several = [this](qsizetype n) { return tr("%1 statuses").arg(n); };
    candidates << several(candidates.size() - 1);
    const QFontMetrics fm = m_status->fontMetrics();
    int textWidth = 0;
    for (const QString &c : std::as_const(candidates))
        textWidth = std::max(textWidth, fm.horizontalAdvance(c));
    m_status->setText(on.size() > 1 && fm.horizontalAdvance(full) > textWidth ? several(on.size()) : full);
    m_status->setToolTip(on.size() > 1 ? tr("Show only these final states: %1").arg(full) : tr("Show only these final states"));
    // Sized for the widest one state (or "Any status") as the style measures a label. The style
    // draws the menu's arrow over the bottom right of an instant popup's label without counting
    // it in the size: the text's last letter stood on it ("Any statu̬s").
    int width = 0;
    const QString shown = m_status->text();
    for (const QString &c : std::as_const(candidates)) {
        m_status->setText(c);
        width = std::max(width, m_status->sizeHint().width());
    }
    m_status->setText(shown);
    m_status->setFixedWidth(width + m_status->style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, m_status));
}

Filter FilterBar::filter() const
{
    Filter f;
    f.sender = m_sender->text().trimmed().toStdString();
    f.recipient = m_recipient->text().trimmed().toStdString();
    f.code = m_code->text().trimmed().toStdString();
    f.text = m_text->text().trimmed().toStdString();
    f.host = m_host->currentData().toString().toStdString();
    f.format = m_format->currentData().toString().toStdString();
    f.tls = m_tls->currentData().toString().toStdString();
    f.saslUser = m_saslUser->text().trimmed().toStdString();
    for (QAction *a : m_status->menu()->actions()) {
        if (a->isChecked())
            f.statuses.push_back(a->data().toString().toStdString());
    }
    const qint64 span = m_range->currentData().toLongLong();
    if (span == CustomRange) {
        // setFilter() shows an open end as the edits' extremes: read them back as no limit, not as
        // the year 9999 (a chart of day buckets up to there would never finish).
        const qint64 from = momentOf(m_from);
        f.sinceMs = (from <= 0 || m_from->dateTime() <= m_from->minimumDateTime()) ? NoLow : from;
        f.untilMs = m_to->dateTime() >= m_to->maximumDateTime() ? NoHigh : momentOf(m_to);
    } else if (span > 0 && m_latestMs > 0) {
        f.sinceMs = m_latestMs - span;
    }
    f.triedSinceMs = m_narrowed.triedSinceMs;
    f.triedUntilMs = m_narrowed.triedUntilMs;
    f.triedAs = m_narrowed.triedAs;
    f.destination = m_narrowed.destination;
    f.rejectReason = m_narrowed.rejectReason;
    f.messageIds = m_narrowed.messageIds;
    f.received = m_narrowed.received;
    return f;
}

void FilterBar::setInsightName(const std::vector<std::int64_t> &messageIds, const QString &name)
{
    m_insightIds = messageIds;
    m_insightName = name;
    showNarrowed();
}

QString FilterBar::narrowedText() const
{
    return NarrowedNote::describe(m_narrowed, m_clock, m_narrowed.messageIds == m_insightIds ? m_insightName : QString(), m_logCount);
}

void FilterBar::showNarrowed()
{
    const QString said = narrowedText();
    // A narrowing says what it keeps, with Clear; else the offer of the tried-as form, its link.
    const bool offer = said.isEmpty() && !m_triedAsOffer.isEmpty();
    m_tries->setText(said);
    m_tries->setVisible(!offer);
    m_offer->setText(offer ? m_triedAsOffer : QString());
    m_offer->setVisible(offer);
    m_clearTries->setVisible(!offer);
    m_triesRow->setVisible(!said.isEmpty() || offer);
}

void FilterBar::offerTriedAs(const QString &code, qint64 count, bool messages)
{
    m_triedAsCode = code;
    // Short: it shares a line with the chart's controls at 1000 pixels.
    const QString link = u"<a href=\"tried-as\">%1</a>"_s.arg(tr("Show them"));
    const QString why = messages ? (count == 1 ? tr("No message ended with %1, but 1 had an earlier try of it:")
                                               : tr("No message ended with %1, but %2 had an earlier try of it:"))
                                 : (count == 1 ? tr("No delivery ended with %1, but 1 had an earlier try of it:")
                                               : tr("No delivery ended with %1, but %2 had an earlier try of it:"));
    m_triedAsOffer = (count == 1 ? why.arg(code.toHtmlEscaped()) : why.arg(code.toHtmlEscaped(), QLocale().toString(count))) + u' ' + link;
    showNarrowed();
}

QWidget *FilterBar::noteRow() const
{
    return m_triesRow;
}

int FilterBar::noteWidth() const
{
    // The labels are as narrow as the window needs (they elide); this is what they ask for.
    const bool offer = m_offer->isVisibleTo(m_triesRow);
    const int words = offer ? m_offer->sizeHint().width() : m_tries->fontMetrics().horizontalAdvance(m_tries->text()) + 4;
    const int spacing = m_triesRow->layout()->spacing();
    return words + spacing + m_clearTries->sizeHint().width();
}

QString FilterBar::noteText() const
{
    return m_offer->isVisibleTo(this) ? m_offer->text() : m_tries->text();
}

void FilterBar::takeTriedAs()
{
    if (m_triedAsCode.isEmpty())
        return;
    // The code's final-reply condition becomes the tries' one, said by the note with its Clear.
    m_narrowed.triedAs = m_triedAsCode.toStdString();
    {
        const QScopedValueRollback showing(m_showing, true);
        m_code->clear();
    }
    m_triedAsCode.clear();
    m_triedAsOffer.clear();
    showNarrowed();
    m_debounce.stop();
    Q_EMIT filterChanged(filter());
}

void FilterBar::setLogCount(qsizetype logs)
{
    m_logCount = logs;
    // "Whole log" with 824 logs open named one of them (trial20); a log and its rotation are two.
    const bool one = logs == 1;
    // Nothing open yet: the neutral start, not "All logs" of logs there are none of (trial21).
    m_range->setItemText(0, logs == 0 ? tr("Any time") : one ? tr("Whole log") : tr("All logs"));
    m_range->setToolTip(one ? tr("Time range, counted back from the newest line of the log, or from one time to another")
                            : tr("Time range, counted back from the newest line of the logs, or from one time to another"));
    m_rangeClock->setText(one ? tr("(the log's time, as the table shows it)") : tr("(the logs' time, as the table shows it)"));
}

void FilterBar::setClock(const LogClock &clock)
{
    if (clock == m_clock)
        return;
    // The range typed keeps its moments; the edits and the note say them in the new clock.
    const qint64 from = momentOf(m_from), to = momentOf(m_to);
    m_clock = clock;
    const QSignalBlocker a(m_from), b(m_to);
    if (m_from->dateTime() > m_from->minimumDateTime())
        showMoment(m_from, from);
    if (m_to->dateTime() < m_to->maximumDateTime())
        showMoment(m_to, to);
    showNarrowed();
}

qint64 FilterBar::momentOf(const QDateTimeEdit *edit) const
{
    const QDateTime shown = edit->dateTime();
    return m_clock.fromWall(shown.date(), shown.time());
}

void FilterBar::showMoment(QDateTimeEdit *edit, qint64 ms)
{
    const QDateTime wall = m_clock.toWall(ms);
    edit->setDateTime(QDateTime(wall.date(), wall.time(), QTimeZone::UTC));
}

void FilterBar::showRangeEdits(bool show)
{
    m_from->setVisible(show);
    m_to->setVisible(show);
    m_rangeRow->setVisible(show);
}

void FilterBar::rangeChosen()
{
    const bool custom = m_range->currentData().toLongLong() == CustomRange;
    if (custom && m_from->dateTime() >= m_to->dateTime()) {
        // Start from the last day of the log, a range the user then narrows. On whole minutes:
        // the boxes show no seconds, and a time typed over them keeps the seconds they held (a
        // From typed as 21:29 read 21:29:15 and left out a message of 21:29:05).
        const qint64 latest = m_latestMs > 0 ? m_latestMs : QDateTime::currentMSecsSinceEpoch();
        const qint64 minute = latest - latest % 60000;
        const QSignalBlocker a(m_from), b(m_to);
        showMoment(m_from, minute - 24 * Hour);
        showMoment(m_to, minute + 60000);
    }
    showRangeEdits(custom);
    schedule();
}

void FilterBar::setFilter(const Filter &f)
{
    m_debounce.stop();
    // An offer is for the filter it was counted for: a new one is asked again (offerTriedAs()).
    m_triedAsCode.clear();
    m_triedAsOffer.clear();
    m_narrowed = Filter{};
    m_narrowed.triedSinceMs = f.triedSinceMs;
    m_narrowed.triedUntilMs = f.triedUntilMs;
    m_narrowed.triedAs = f.triedAs;
    m_narrowed.destination = f.destination;
    m_narrowed.rejectReason = f.rejectReason;
    m_narrowed.messageIds = f.messageIds;
    m_narrowed.received = f.received;
    showNarrowed();
    const QSignalBlocker blockRange(m_range), blockHost(m_host), blockFormat(m_format), blockTls(m_tls);
    showChoice(m_host, QString::fromStdString(f.host));
    showChoice(m_format, QString::fromStdString(f.format));
    m_tls->setCurrentIndex(std::max(0, m_tls->findData(QString::fromStdString(f.tls))));
    // Not blockSignals(): a line edit shows or hides its clear button on its own textChanged, and
    // a box emptied so kept its × (the Code box after a chart's click, then Clear).
    const QScopedValueRollback showing(m_showing, true);
    // Only what differs: the field being typed in keeps its cursor.
    const auto show = [](QLineEdit *edit, const std::string &value) {
        const QString text = QString::fromStdString(value);
        if (edit->text().trimmed() != text)
            edit->setText(text);
    };
    show(m_sender, f.sender);
    show(m_recipient, f.recipient);
    show(m_code, f.code);
    show(m_text, f.text);
    show(m_saslUser, f.saslUser);
    for (QAction *a : m_status->menu()->actions()) {
        const QSignalBlocker block(a);
        a->setChecked(std::find(f.statuses.begin(), f.statuses.end(), a->data().toString().toStdString()) != f.statuses.end());
    }
    updateStatusButton();
    int index = -1;
    if (f.sinceMs == NoLow && f.untilMs == NoHigh) {
        index = 0;
    } else if (f.untilMs == NoHigh && m_latestMs > 0) {
        for (int i = 1; i < m_range->count(); ++i)
            if (m_range->itemData(i).toLongLong() > 0 && m_latestMs - m_range->itemData(i).toLongLong() == f.sinceMs)
                index = i;
    }
    if (index < 0) {
        index = m_range->findData(CustomRange);
        const QSignalBlocker a(m_from), b(m_to);
        if (f.sinceMs == NoLow)
            m_from->setDateTime(m_from->minimumDateTime());
        else
            showMoment(m_from, f.sinceMs);
        if (f.untilMs == NoHigh)
            m_to->setDateTime(m_to->maximumDateTime());
        else
            showMoment(m_to, f.untilMs);
    }
    m_range->setCurrentIndex(index);
    const bool custom = index == m_range->findData(CustomRange);
    showRangeEdits(custom);
    placeSearch();  // a host or a format shown for the filter
}

void FilterBar::setSender(const QString &text)
{
    m_sender->setText(text);
}

void FilterBar::setRecipient(const QString &text)
{
    m_recipient->setText(text);
}

void FilterBar::setCode(const QString &code)
{
    m_code->setText(code);
}

void FilterBar::setStatuses(const QStringList &statuses)
{
    for (QAction *a : m_status->menu()->actions())
        a->setChecked(statuses.contains(a->data().toString()));
}

void FilterBar::clear()
{
    for (QLineEdit *e : {m_sender, m_recipient, m_code, m_text, m_saslUser})
        e->clear();
    setStatuses({});
    m_host->setCurrentIndex(0);
    m_tls->setCurrentIndex(0);
    m_format->setCurrentIndex(0);
    m_range->setCurrentIndex(0);
    m_narrowed = Filter{};
    showNarrowed();
    // Every field may have been empty already (an insight's messages, a note's narrowing only):
    // then no field said it changed.
    schedule();
}

void FilterBar::focusField(Field field)
{
    QLineEdit *edit = field == Field::Sender ? m_sender : field == Field::Recipient ? m_recipient
                                                      : field == Field::Code     ? m_code
                                                                                 : m_text;
    edit->setFocus(Qt::ShortcutFocusReason);
    edit->selectAll();
}

void FilterBar::setCounting()
{
    m_counts->setText(tr("Counting…"));
    placeSearch();
}

void FilterBar::setCounts(qint64 matching, qint64 total, const QString &noun)
{
    const QLocale locale;
    m_counts->setText(tr("%1 of %2 %3").arg(locale.toString(matching), locale.toString(total), noun));
    placeSearch();
}

} // namespace mailtrail
