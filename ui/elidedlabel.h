// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

namespace mailtrail {

// A one-line label that never widens its window: text longer than its width is cut with "…" at
// a glyph's edge, not through a word, and its tooltip then holds the whole text (before the
// details set for it). text() is always the whole text.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // What the tooltip says besides the whole text (the logs not read, one a line).
    void setDetails(const QString &details);
    QString details() const { return m_details; }
    // The text as painted now.
    QString shownText() const;
    bool isElided() const { return shownText() != text(); }
    // The tooltip as it shows now: the whole text when it is cut, and the details.
    QString fullToolTip() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QString m_details;
};

} // namespace mailtrail
