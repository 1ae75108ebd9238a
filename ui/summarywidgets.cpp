// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "summarywidgets.h"

#include "cellformat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace summary {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString bytes(qint64 n)
{
    return cellformat::size(n);
}

QString logTime(const Stats &s, qint64 ms)
{
    if (ms == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::fromSecondsAheadOfUtc(utcOffsetAt(s, ms))).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

SummaryLink statusLink(const QString &statuses)
{
    return SummaryLink{SummaryLink::Kind::Status, statuses, {}, 0, 0, {}, {}, {}, {}, {}};
}

SummaryLink textLink(const QString &text, const QString &status)
{
    return SummaryLink{SummaryLink::Kind::Text, text, status, 0, 0, {}, {}, {}, {}, {}};
}

SummaryLink rangeLink(qint64 since, qint64 until)
{
    return SummaryLink{SummaryLink::Kind::TimeRange, {}, {}, since, until, {}, {}, {}, {}, {}};
}

SummaryLink failedTriesLink(qint64 since, qint64 until)
{
    return SummaryLink{SummaryLink::Kind::Tried, u"failed"_s, {}, since, until, {}, {}, {}, {}, {}};
}

SummaryLink clientRejectsLink(const std::map<std::string, std::vector<std::int64_t>> &byClient, const QString &ip)
{
    SummaryLink l{SummaryLink::Kind::Messages, ip, u"rejected"_s, 0, 0, {}, {}, {}, Grain::Deliveries, {}};
    const auto it = byClient.find(ip.toStdString());
    if (it != byClient.end())
        l.messageIds = it->second;
    // None found (the cache changed since): a message id no row has, rather than every row.
    if (l.messageIds.empty())
        l.messageIds.push_back(0);
    return l;
}

SummaryLink clientLinesLink(const QString &ip)
{
    SummaryLink l;
    l.kind = SummaryLink::Kind::Incidents;
    l.incidents.clientIp = ip.toStdString();  // every kind of line
    l.incidentsTitle = QCoreApplication::translate("mailtrail::SummaryWidgets", "The lines of the client %1").arg(ip);
    return l;
}

} // namespace summary

SummaryWidgets::SummaryWidgets(QWidget *owner, std::function<void(const QString &)> activated)
    : m_owner(owner)
    , m_activated(std::move(activated))
{
}

void SummaryWidgets::clear()
{
    m_links.clear();
    m_labels.clear();
}

QString SummaryWidgets::linkColor() const
{
    // Qt's default link blue is unreadable on a dark window: take the highlight there.
    const QPalette p = m_owner->palette();
    return (summary::isDark(p) ? p.color(QPalette::Highlight).lighter(120) : p.color(QPalette::Link)).name();
}

QLabel *SummaryWidgets::heading(const QString &text) const
{
    auto *label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.25);
    label->setFont(f);
    label->setContentsMargins(0, 12, 0, 2);
    return label;
}

QLabel *SummaryWidgets::plain(const QString &text, bool wrap) const
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

namespace {

// A label wrapped at its words whose width is that of its longest word: a wrapped QLabel asks
// for a width of its own choosing, often the whole text's.
class WordWidthLabel : public QLabel
{
public:
    using QLabel::QLabel;
    QSize sizeHint() const override
    {
        int widest = 0;
        for (const QString &word : text().split(u' ', Qt::SkipEmptyParts))
            widest = std::max(widest, fontMetrics().horizontalAdvance(word));
        // A pixel or two to spare: the advance of an italic word falls short of its ink.
        const int width = widest + 2 + contentsMargins().left() + contentsMargins().right() + 2 * margin();
        return {width, heightForWidth(width)};
    }
    QSize minimumSizeHint() const override { return sizeHint(); }
};

} // namespace

QLabel *SummaryWidgets::wrapped(const QString &text) const
{
    auto *label = new WordWidthLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *SummaryWidgets::countHeader(const QString &text) const
{
    // Whole: cut to its longest word, "recipients refused" read "recipients…" and "tries or
    // recipients" "tries or re…" (trial20). Over a count, as the count itself stands, so that the
    // numbers still stand right beside what they count, however wide the header makes the column.
    QLabel *label = plain(text);
    QFont f = label->font();
    f.setItalic(true);
    label->setFont(f);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    label->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    label->setContentsMargins(0, 0, 2, 0);  // an italic word's ink runs past its advance
    return label;
}

void SummaryWidgets::headers(QGridLayout *grid, int row, const QString &table, const QStringList &names) const
{
    for (int column = 0; column < names.size(); ++column) {
        QLabel *label = column == 0 ? countHeader(names[column]) : plain(names[column]);
        QFont f = label->font();
        f.setItalic(true);
        label->setFont(f);
        label->setObjectName(u"header:%1:%2"_s.arg(table).arg(column));
        grid->addWidget(label, row, column);
    }
}

QLabel *SummaryWidgets::link(const QString &name, const QString &text, const SummaryLink &target, const QString &tip)
{
    auto *label = new QLabel(u"<a href=\"%1\" style=\"color:%2; text-decoration:none\">%3</a>"_s.arg(
        name.toHtmlEscaped(), linkColor(), text.toHtmlEscaped()));
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    label->setCursor(Qt::PointingHandCursor);
    label->setToolTip(tip.isEmpty() ? tr("Show these in the table") : tip);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QObject::connect(label, &QLabel::linkActivated, m_owner, [activated = m_activated](const QString &n) { activated(n); });
    m_links.insert(name, target);
    m_labels.insert(name, label);
    return label;
}

} // namespace mailtrail
