// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "detailpane.h"

#include "cellformat.h"
#include "rawlogview.h"
#include "rowformat.h"
#include "statuscolors.h"
#include "timelinemodel.h"
#include "timelinewidget.h"

#include <QHeaderView>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTextDocument>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailtrail {

DetailPane::DetailPane(TimelineModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    // Two pixels above and below, the splitter's handles set it apart: with four, at 1000x650
    // the pane was taller than the room it gets and scrolled.
    layout->setContentsMargins(6, 2, 6, 2);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_summary, &QLabel::linkActivated, this, &DetailPane::activateLink);
    m_summary->setWordWrap(true);
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timeline = new TimelineWidget(this);
    m_timeline->setModel(model);

    m_attempts = new QTableView(this);
    m_attempts->setModel(model);
    m_attempts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_attempts->setSelectionMode(QAbstractItemView::SingleSelection);
    m_attempts->setAlternatingRowColors(true);
    m_attempts->setShowGrid(false);
    m_attempts->setWordWrap(false);
    m_attempts->verticalHeader()->hide();
    m_attempts->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_attempts->horizontalHeader()->setStretchLastSection(true);
    // Short columns as wide as their longest value (a time as the table shows it, "bounce-notice",
    // "550 5.7.1"), so that only addresses, relays and texts are ever cut.
    const int em = fontMetrics().horizontalAdvance(u'M');
    const auto fit = [this, em](int column, const QString &widest) {
        m_attempts->setColumnWidth(column, fontMetrics().horizontalAdvance(widest) + em);
    };
    fit(TimelineModel::TimeColumn, u"2026-11-22 08:50:30"_s);
    m_attempts->setColumnWidth(TimelineModel::RecipientColumn, 16 * em);
    fit(TimelineModel::EventColumn, u"suspended (not tried)"_s);
    fit(TimelineModel::StatusColumn, u"deferred"_s);
    fit(TimelineModel::CodeColumn, u"550 5.7.1"_s);
    m_attempts->setColumnWidth(TimelineModel::RelayColumn, 14 * em);

    m_rawLog = new RawLogView(this);
    // Down to the table's header and its scroll bar (its columns are wider than a small window):
    // their scroll areas' own minimum (three rows or so) made the pane taller than a 1000x650
    // window gives it, and it ended through the tabs. Rows come with the room.
    const int least = m_attempts->horizontalHeader()->sizeHint().height() + m_attempts->horizontalScrollBar()->sizeHint().height() +
                      2 * m_attempts->frameWidth();
    m_attempts->setMinimumHeight(least);
    m_rawLog->setMinimumHeight(least);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_attempts, QIcon::fromTheme(u"view-list-details"_s), tr("Events"));
    m_tabs->addTab(m_rawLog, QIcon::fromTheme(u"text-plain"_s), tr("Log Lines"));

    // The header scrolls on its own when the pane is short (a 1000x650 window): it took all the
    // pane showed, and the timeline and the events were below, out of sight.
    auto *header = new QWidget;
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(0, 0, 0, 0);
    headerLayout->addWidget(m_summary);
    headerLayout->addWidget(m_explanation);
    m_header = new QScrollArea(this);
    m_header->setWidget(header);
    m_header->setWidgetResizable(true);
    m_header->setFrameShape(QFrame::NoFrame);
    m_header->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_header->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    layout->addWidget(m_header);
    layout->addWidget(m_timeline);
    layout->addWidget(m_tabs, 1);

    connect(model, &QAbstractItemModel::modelReset, this, &DetailPane::updateFromModel);
    connect(m_timeline, &TimelineWidget::eventClicked, this, &DetailPane::showRow);
    connect(m_attempts, &QAbstractItemView::clicked, this, [this](const QModelIndex &i) { showRow(i.row()); });
    showPlaceholder(tr("Select a message to see what happened to it."));
}

bool DetailPane::showsMessage() const
{
    return m_model->detail().message.id != 0 || m_model->rowCount() > 0;
}

int DetailPane::preferredHeight() const
{
    constexpr int EventRows = 4;
    const QMargins margins = layout()->contentsMargins();
    const int spacing = layout()->spacing();
    // No message: the line that says to select one, and the table gets the rest back (it kept
    // only five rows beside an empty timeline and events table).
    if (!showsMessage())
        return margins.top() + 2 * fontMetrics().lineSpacing() + margins.bottom();
    // The header: its title, Message-ID, what the outcome means and what to do; as long as the
    // message's own (the codes it explains, its hops), up to eight lines (then it scrolls).
    const QWidget *frame = parentWidget() ? parentWidget() : this;
    const QWidget *content = m_header->widget();
    const int width = std::max(1, frame->width() - margins.left() - margins.right());
    const int full = content->hasHeightForWidth() ? content->heightForWidth(width) : content->sizeHint().height();
    const int header = std::clamp(full, 4 * fontMetrics().lineSpacing(), 8 * fontMetrics().lineSpacing()) + spacing;
    // The timeline's lanes and its axis (and room for two recipients without a message). The layout gives the timeline up to its size hint before the events get a row more: a
    // message of many lanes asks for that much.
    const int timeline = std::max(m_timeline->minimumSizeHint().height() + 2 * fontMetrics().lineSpacing(), m_timeline->sizeHint().height()) + spacing;
    const int events = m_tabs->tabBar()->sizeHint().height() + m_attempts->horizontalHeader()->sizeHint().height() +
                       EventRows * m_attempts->verticalHeader()->defaultSectionSize() + 2 * m_attempts->frameWidth();
    return margins.top() + header + timeline + events + margins.bottom();
}

int DetailPane::compactHeight() const
{
    // The header as it is in a pane too short for all of it.
    const QMargins margins = layout()->contentsMargins();
    const QWidget *frame = parentWidget() ? parentWidget() : this;
    return margins.top() + headerHeight(0, frame->width()) + compactBelow() + margins.bottom();
}

void DetailPane::showPlaceholder(const QString &text)
{
    m_summary->setText(u"<i>"_s + text.toHtmlEscaped() + u"</i>"_s);
    m_explanation->clear();
    m_explanation->hide();
    // Nothing to draw a timeline or events of: the pane is the one line, until a message comes.
    m_timeline->hide();
    m_tabs->hide();
    fitHeader();
}

void DetailPane::fitHeader()
{
    // The room the pane has on screen: in the window it sits in a scroll area (for a timeline of
    // many lanes), whose viewport is its parent; the pane itself is never shorter than its minimum.
    const QWidget *frame = parentWidget() ? parentWidget() : this;
    const int height = headerHeight(frame->height(), frame->width());
    if (m_header->height() != height || m_header->minimumHeight() != height)
        m_header->setFixedHeight(height);
}

int DetailPane::headerHeight(int paneHeight, int paneWidth) const
{
    const QMargins margins = layout()->contentsMargins();
    const int spacing = layout()->spacing();
    constexpr int EventRows = 3;
    const int below = m_timeline->minimumSizeHint().height() + m_tabs->tabBar()->sizeHint().height() +
                      m_attempts->horizontalHeader()->sizeHint().height() +
                      EventRows * m_attempts->verticalHeader()->defaultSectionSize() + 2 * m_attempts->frameWidth() + 2 * spacing;
    const int room = paneHeight - margins.top() - margins.bottom() - below;
    const QWidget *content = m_header->widget();
    const int width = std::max(1, paneWidth - margins.left() - margins.right());
    const int full = content->hasHeightForWidth() ? content->heightForWidth(width) : content->sizeHint().height();
    // Two lines at least: the message's name and its state.
    int height = std::min(full, std::max(room, 2 * fontMetrics().lineSpacing()));
    // No line cut through (at 1000x650 the explanation showed the upper half of its line): where
    // the header would end within a line of the explanation, it ends at the nearer edge of that
    // line, and the rest scrolls.
    if (height < full && !m_explanation->isHidden() && !m_explanation->text().isEmpty()) {
        const int viewWidth = std::max(1, width - m_header->verticalScrollBar()->sizeHint().width());
        const int top = m_summary->heightForWidth(viewWidth) + content->layout()->spacing();
        const int line = m_explanation->fontMetrics().lineSpacing();
        if (height > top)
            height = std::min(full, top + (height - top + line / 2) / line * line);
    }
    return height;
}

int DetailPane::compactBelow() const
{
    return layout()->spacing() + m_timeline->minimumSizeHint().height() + layout()->spacing() + m_tabs->minimumSizeHint().height();
}

bool DetailPane::event(QEvent *event)
{
    if (event->type() == QEvent::ParentAboutToChange && parentWidget())
        parentWidget()->removeEventFilter(this);
    else if (event->type() == QEvent::ParentChange && parentWidget())
        parentWidget()->installEventFilter(this);
    return QWidget::event(event);
}

bool DetailPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        fitHeader();
    return QWidget::eventFilter(watched, event);
}

void DetailPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitHeader();
}

void DetailPane::activateLink(const QString &link)
{
    if (link.startsWith(u"message:"_s))
        Q_EMIT messageRequested(link.mid(8).toLongLong());
    else if (link == u"filter:clear"_s)
        Q_EMIT clearFilterRequested();
}

void DetailPane::setUnlisted(qint64 messageId, bool filtered)
{
    if (m_unlisted == messageId && m_unlistedFiltered == filtered)
        return;
    m_unlisted = messageId;
    m_unlistedFiltered = filtered;
    if (m_model->detail().message.id != 0)
        updateFromModel();
}

QString DetailPane::headerText() const
{
    QTextDocument document;
    document.setHtml(m_summary->text());
    return document.toPlainText();
}

void DetailPane::updateFromModel()
{
    const MessageRow &m = m_model->detail().message;
    if (m.id == 0 && m_model->rowCount() == 0) {
        // Nothing selected any more (a filter took the message away): the header goes with the
        // timeline, or it would name a message the rest of the pane no longer shows.
        showPlaceholder(tr("Select a message to see what happened to it."));
        m_rawLog->setLines({});
        return;
    }
    // A chain's first hop stands for the chain: the state is its last hop's.
    const QColor color = statusColor(static_cast<int>(m.finalState), palette());
    QString html = u"<b>%1</b> <span style='color:%2'>●&nbsp;%3</span> &nbsp; "_s.arg(
        (m.queueId.empty() ? tr("Refused before queueing") : tr("Message %1").arg(qs(m.queueId))).toHtmlEscaped(),
        color.name(), cellformat::state(m.finalState).toHtmlEscaped());
    // Exim's mainlog names no host, and a message may be seen without its sender: say what
    // the log says, not "on  · from ".
    QStringList facts;
    if (!m.host.empty())
        facts << tr("on %1").arg(qs(m.host).toHtmlEscaped());
    if (const QString sender = cellformat::sender(m.sender, m.hasSender); !sender.isEmpty())
        facts << tr("from %1").arg(sender.toHtmlEscaped());
    else
        facts << tr("sender not in the log");
    // No English plural forms are installed for %n: the two forms are written out.
    facts << (m.recipientCount == 1 ? tr("1 recipient") : tr("%L1 recipients").arg(m.recipientCount));
    html += facts.join(u" · "_s);
    if (m.size >= 0)
        html += u" · "_s + cellformat::size(m.size);
    if (!m.clientIp.empty())
        html += u" · "_s + tr("client %1").arg(cellformat::client(m.clientHost, m.clientIp).toHtmlEscaped());
    if (!m.messageId.empty())
        html += u"<br><small>Message-ID &lt;"_s + qs(m.messageId).toHtmlEscaped() + u"&gt;</small>"_s;
    QStringList received;
    if (!m.saslUser.empty())
        received << tr("authenticated as <b>%1</b> (%2)").arg(qs(m.saslUser).toHtmlEscaped(), qs(m.saslMethod).toHtmlEscaped());
    if (!m.tlsIn.empty())
        received << tr("received over %1").arg(qs(m.tlsIn).toHtmlEscaped());
    if (!m.verdicts.empty())
        received << tr("verdicts: %1").arg(qs(m.verdicts).toHtmlEscaped());
    const auto &hops = m_model->detail().laterHops;
    if (!hops.empty()) {
        QStringList ids{qs(m.queueId).toHtmlEscaped()};
        for (const MessageDetail &hop : hops)
            ids << qs(hop.message.queueId).toHtmlEscaped();
        received << tr("%L1 hops: %2").arg(hops.size() + 1).arg(ids.join(u" → "_s));
    }
    if (!received.isEmpty())
        html += u"<br><small>"_s + received.join(u" · "_s) + u"</small>"_s;
    // The message a notice is about, one click away as the notice is from it.
    if (!m.parentQueueId.empty()) {
        const QString parent = m.parentId > 0 ? u"<a href='message:%1'>%2</a>"_s.arg(m.parentId).arg(qs(m.parentQueueId).toHtmlEscaped())
                                              : qs(m.parentQueueId).toHtmlEscaped();
        html += u"<br><small>"_s + tr("Sent by the mail system about message %1").arg(parent) + u"</small>"_s;
    }
    for (const MessageRow &child : m_model->detail().children) {
        const QString target = u"<a href='message:%1'>%2</a>"_s.arg(child.id).arg(qs(child.queueId).toHtmlEscaped());
        html += u"<br><small>"_s + tr("Caused message %1 (%2)").arg(target, QString::fromLatin1(originName(child.origin))) + u"</small>"_s;
    }
    // Reached by a link, and not among the table's rows: no row is selected, and this says why.
    if (m_unlisted != 0 && m_unlisted == m.id) {
        const QString name = m.queueId.empty() ? tr("This message") : tr("Message %1").arg(qs(m.queueId).toHtmlEscaped());
        html += u"<br><b>"_s +
                (m_unlistedFiltered ? tr("%1 is not among the rows the filter shows. <a href='filter:clear'>Clear the "
                                         "filter</a> to list it.").arg(name)
                                    : tr("%1 is not in the logs on show: the table does not list it.").arg(name)) +
                u"</b>"_s;
    }
    m_summary->setText(html);
    m_timeline->show();
    m_tabs->show();
    const QString explanation = m_model->outcomeExplanation();
    m_explanation->setText(explanation);
    m_explanation->setVisible(!explanation.isEmpty());
    m_rawLog->setLines(m_model->rawLines());
    fitDelayColumn();
    fitHeader();
}

void DetailPane::fitDelayColumn()
{
    const int em = fontMetrics().horizontalAdvance(u'M');
    // At least as wide as a delay of minutes, so that the column does not hop from message to message.
    int widest = fontMetrics().horizontalAdvance(u"59 min 59 s"_s) + em;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString delay = m_model->index(row, TimelineModel::DelayColumn).data().toString();
        widest = std::max(widest, fontMetrics().horizontalAdvance(delay) + em);
    }
    // Wider than that, in a narrow window, the text is cut with "…"; its tooltip says it whole.
    const int room = std::max(m_attempts->viewport()->width(), width()) / 3;
    m_attempts->setColumnWidth(TimelineModel::DelayColumn, std::min(widest, std::max(room, 8 * em)));
}

void DetailPane::showRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_attempts->selectRow(row);
    m_timeline->setCurrentRow(row);
    // The raw pane lists lines in log order; find this event's line there.
    const QString raw = m_model->index(row, 0).data(TimelineModel::RawLineRole).toString();
    const int line = raw.isEmpty() ? -1 : static_cast<int>(m_model->rawLines().indexOf(raw));
    if (line >= 0)
        m_rawLog->highlightLine(line);
}

} // namespace mailtrail
