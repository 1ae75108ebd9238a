// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QScrollArea;
class QTabWidget;
class QTableView;

namespace mailtrail {

class RawLogView;
class TimelineModel;
class TimelineWidget;

// One message in detail: a summary with what its outcome means, the delivery timeline, the
// attempts as a table and the message's original log lines.
class DetailPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailPane(TimelineModel *model, QWidget *parent = nullptr);

    TimelineWidget *timeline() const { return m_timeline; }
    QTableView *attempts() const { return m_attempts; }
    RawLogView *rawLog() const { return m_rawLog; }
    void showPlaceholder(const QString &text);
    // The height the message on show asks for (a message of a recipient or two when none is):
    // its header, its timeline and a few rows of events under them (the window gives the pane
    // that much at first, and more when a bigger message is selected).
    int preferredHeight() const;
    // The least height that shows a message without cutting through it: the header's first two
    // lines (the rest scrolls), the timeline, the Events and Log Lines tabs and the events' header
    // (the window keeps that much for it before the Insights dock and the table give up rows).
    int compactHeight() const;
    // Whether a message is on show (not the line that asks to select one).
    bool showsMessage() const;
    // The header above the timeline, as the user reads it (for tests).
    QString headerText() const;
    // The header's link to a message this one caused (a bounce notice, a forward), or to the one
    // a notice is about; or "filter:clear" of the note that says the table does not list it.
    void activateLink(const QString &link);
    // The message on show, reached by a link, is not among the table's rows: the header says so,
    // with a link that clears the filter when `filtered` (a filter hides it), until another message
    // is shown. 0: no such note.
    void setUnlisted(qint64 messageId, bool filtered);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

Q_SIGNALS:
    // A link of the header asks to show this message (its row id in the cache).
    void messageRequested(qint64 messageId);
    // The note's link: clear the filter, so that the table lists the message on show.
    void clearFilterRequested();

private:
    void updateFromModel();
    // The Delay column as wide as this message's longest delay ("22 h 7 min since arrival,
    // before this log"), up to a third of the table; the reply text takes the rest.
    void fitDelayColumn();
    void showRow(int row);
    // The header (what the message is, what its codes mean) as tall as its text, or, in a short
    // pane, what the timeline and three events under it leave, and it scrolls.
    void fitHeader();
    // The header's height in a pane of this size.
    int headerHeight(int paneHeight, int paneWidth) const;
    // What is under the header at the least: the timeline, the tabs and the events' header.
    int compactBelow() const;

    TimelineModel *m_model;
    qint64 m_unlisted = 0;  // the message setUnlisted() says the table does not list
    bool m_unlistedFiltered = false;
    QLabel *m_summary;
    QLabel *m_explanation;
    QScrollArea *m_header;
    TimelineWidget *m_timeline;
    QTabWidget *m_tabs;
    QTableView *m_attempts;
    RawLogView *m_rawLog;
};

} // namespace mailtrail
