// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"
#include "logclock.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QToolButton;

namespace mailtrail {

class ElidedLabel;

// Sender, recipient, status, code, host, format, TLS, SASL user, time range and free text; emits the filter as the user types,
// after a short pause so each keystroke does not start a query.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(QWidget *parent = nullptr);

    Filter filter() const;
    void setSender(const QString &text);
    void setRecipient(const QString &text);
    void setStatuses(const QStringList &statuses);
    void setCode(const QString &code);
    // Shows this filter (set by the chart, a cell's menu, Back) without emitting it again.
    void setFilter(const Filter &filter);
    void clear();
    enum class Field { Sender, Recipient, Code, Text };
    void focusField(Field field);
    // "N of M messages"
    void setCounts(qint64 matching, qint64 total, const QString &noun);
    // The counts of a new filter are being taken: say so instead of the old ones.
    void setCounting();
    // What the host and format boxes offer (the servers and the formats of the logs on show).
    // A box with one choice or none is hidden unless it filters.
    void setChoices(const QStringList &hosts, const QStringList &formats);
    // The time range is relative to the newest line on show ("last hour" of the log, not of now).
    void setLatestTime(qint64 epochMs) { m_latestMs = epochMs; }
    // The logs' clock (Session::clock()): the range is typed, and the notes say times, in it.
    void setClock(const LogClock &clock);
    // How many logs are on show: the note says "this log" or "these logs", the time box "Whole
    // log" or "All logs" ("Any time" while none is).
    void setLogCount(qsizetype logs);
    // What the note under the fields says of a narrowed filter ("" when none), for tests.
    QString narrowedText() const;
    // A code filter found nothing, and `count` rows (messages or deliveries) have a try of that
    // code: the note says so with a link that makes it the filter's tried-as form (takeTriedAs()).
    // Until the next filter.
    void offerTriedAs(const QString &code, qint64 count, bool messages);
    // The link of that offer, without a mouse (for tests).
    void takeTriedAs();
    // The note of a narrowing or an offer, with its Clear: shown and hidden by the bar, placed
    // by the window (over the free end of the line under the bar: nothing moves for it).
    QWidget *noteRow() const;
    // The width the note's words and its button ask for.
    int noteWidth() const;
    // What the note under the fields shows (a narrowing or an offer), for tests.
    QString noteText() const;
    // The name of the insight whose messages these are, said in the note while the filter keeps them.
    void setInsightName(const std::vector<std::int64_t> &messageIds, const QString &name);
    // Whether the free-text search is on a line of its own, under the other fields (a narrow bar).
    bool isSearchOnItsOwnLine() const;
    // Whether the host, format, TLS and SASL user boxes are on the search's line too (a bar too
    // narrow for them beside the sender and the recipient).
    bool areLesserFieldsOnTheSearchLine() const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    // Keeps the status menu open while its states are ticked: two states took two trips to it.
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void filterChanged(const mailtrail::Filter &filter);

private:
    void schedule();
    void updateStatusButton();
    void rangeChosen();
    void showRangeEdits(bool show);
    void showNarrowed();
    void placeSearch();
    // The least width these widgets (those shown) ask for on one line.
    int lineWidth(const QList<QWidget *> &widgets, int spacing) const;
    // The edits show a time of the logs' clock as it reads, whatever the viewer's zone.
    qint64 momentOf(const QDateTimeEdit *edit) const;
    void showMoment(QDateTimeEdit *edit, qint64 ms);
    QLineEdit *addField(const QString &placeholder, const QString &tip);
    // The width of a line edit that shows `textWidth` pixels of text beside its clear button.
    static int codeWidth(const QLineEdit *edit, int textWidth);
    QComboBox *addChoice(const QString &any, const QString &tip, const QString &name);
    void showChoice(QComboBox *box, const QString &value);
    void offer(QComboBox *box, const QStringList &values);
    // Shows or hides a host or format box, the lines placed for it.
    void showBox(QComboBox *box, bool show);

    QLineEdit *m_sender;
    QLineEdit *m_recipient;
    QToolButton *m_status;
    QLineEdit *m_code;
    QComboBox *m_host;
    QComboBox *m_format;
    QComboBox *m_tls;
    QLineEdit *m_saslUser;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLineEdit *m_text;
    QLabel *m_counts;
    QHBoxLayout *m_fields;     // the line of fields
    QHBoxLayout *m_searchRow;  // the search and the counts, when the line leaves them too little room
    int m_usefulSearch = 0;
    int m_lines = 0;
    QWidget *m_appearing = nullptr;  // counted as shown by placeSearch(): it is about to be  // 1: every field on one line; 2: the search under them; 3: the lesser ones too
    int m_countsWidth = 0;  // the widest the counts have been: they do not hop lines as they change
    QWidget *m_rangeRow;  // from and to, under the fields
    // What a click on the chart or the summary narrowed to that no field shows (tries in a
    // bucket, a destination): said in words under the fields, kept until cleared there.
    QWidget *m_triesRow;
    ElidedLabel *m_tries;
    QLabel *m_offer;
    QToolButton *m_clearTries;
    QString m_triedAsCode;   // offered as tried-as (offerTriedAs())
    QString m_triedAsOffer;  // its words, rich text
    Filter m_narrowed;
    std::vector<std::int64_t> m_insightIds;
    QString m_insightName;
    QTimer m_debounce;
    bool m_showing = false;  // setFilter() fills the fields: they do not schedule a filter
    qint64 m_latestMs = 0;
    LogClock m_clock;
    qsizetype m_logCount = 0;
    QLabel *m_rangeClock = nullptr;  // "(the log's time, as the table shows it)"
    int m_codeWidth = 0;  // the Code box's width without the warning of a text that is no code
};

} // namespace mailtrail
