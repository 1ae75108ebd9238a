// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace mailtrail {

class IncidentTableModel;

// The incidents behind a number of the Summary's security part (a SASL failure belongs to no
// message, so the table of messages cannot show it): time, kind, client, IP, username, detail, and
// below, the selected one's line as the log has it.
class IncidentsView : public QDialog
{
    Q_OBJECT
public:
    // `what` says in words what is listed ("SASL failures from 203.0.113.7").
    IncidentsView(IncidentTableModel *model, const QString &what, QWidget *parent = nullptr);

    // Another list of the same model: says what it is (the model is asked for it by the window).
    void setWhat(const QString &what);
    QTableView *table() const { return m_table; }
    QPlainTextEdit *logLine() const { return m_line; }
    QPushButton *showMoreButton() const { return m_more; }

private:
    void showCount();
    void showSelectedLine();

    IncidentTableModel *m_model;
    QString m_what;
    QLabel *m_title = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_line = nullptr;
    QPushButton *m_more = nullptr;
};

} // namespace mailtrail
