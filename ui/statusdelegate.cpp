// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusdelegate.h"

#include "cachetablemodel.h"
#include "statuscolors.h"

#include <QApplication>
#include <QPainter>

namespace mailtrail {

StatusDelegate::StatusDelegate(Kind kind, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_kind(kind)
{
}

void StatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette &pal = opt.palette;
    QColor color = m_kind == Kind::Status
        ? statusColor(index.data(CacheTableModel::StatusRole).toInt(), pal)
        : replyClassColor(codeClass(index.data(CacheTableModel::ReplyCodeRole).toInt(), text) * 100, pal);
    const QRect r = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    int x = r.left();
    if (m_kind == Kind::Status && !text.isEmpty()) {
        const int d = qMax(6, opt.fontMetrics.height() / 2);
        const QRectF dot(x + 1, r.center().y() - d / 2.0 + 0.5, d, d);
        painter->setPen(selected ? QPen(pal.color(QPalette::HighlightedText), 1) : Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(dot);
        x += d + opt.fontMetrics.horizontalAdvance(QLatin1Char(' ')) + 2;
        color = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
    } else if (selected) {
        color = pal.color(QPalette::HighlightedText);
    }
    painter->setPen(color);
    const QRect textRect(x, r.top(), r.right() - x, r.height());
    const int align = m_kind == Kind::ReplyCode ? int(Qt::AlignRight | Qt::AlignVCenter) : int(Qt::AlignLeft | Qt::AlignVCenter);
    painter->drawText(textRect, align, opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace mailtrail
