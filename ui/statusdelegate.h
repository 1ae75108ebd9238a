// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace mailtrail {

// Paints a status cell as a coloured dot and the word (colour alone would fail colour-blind
// users and monochrome screenshots); a code cell in its class colour, a reply code's or, without
// one, an enhanced status code's.
class StatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum class Kind { Status, ReplyCode };
    explicit StatusDelegate(Kind kind, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    Kind m_kind;
};

} // namespace mailtrail
