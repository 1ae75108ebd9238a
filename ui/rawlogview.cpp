// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawlogview.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QFontDatabase>
#include <QTextBlock>

using namespace Qt::StringLiterals;

namespace mailtrail {

Q_GLOBAL_STATIC(KSyntaxHighlighting::Repository, s_repository)

KSyntaxHighlighting::Repository &RawLogView::repository()
{
    return *s_repository;
}

KSyntaxHighlighting::Definition RawLogView::mailLogDefinition()
{
    // maillog.xml is compiled in under :/org.kde.syntax-highlighting/syntax-addons, the resource
    // folder the repository scans for applications' own definitions.
    return repository().definitionForName(DefinitionName);
}

RawLogView::RawLogView(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(document()))
{
    setReadOnly(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setUndoRedoEnabled(false);
    m_highlighter->setDefinition(mailLogDefinition());
    applyTheme();
}

void RawLogView::setLines(const QStringList &lines)
{
    m_highlighted = -1;
    setExtraSelections({});
    setPlainText(lines.join(u'\n'));
}

void RawLogView::highlightLine(int line)
{
    const QTextBlock block = document()->findBlockByNumber(line);
    m_highlighted = block.isValid() ? line : -1;
    if (!block.isValid()) {
        setExtraSelections({});
        return;
    }
    QTextCursor cursor(block);
    setTextCursor(cursor);
    centerCursor();
    // A full-width band that stays visible without focus, unlike the text selection.
    QTextEdit::ExtraSelection mark;
    mark.cursor = cursor;
    QColor band = palette().color(QPalette::Highlight);
    band.setAlphaF(0.22f);
    mark.format.setBackground(band);
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    setExtraSelections({mark});
}

void RawLogView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        highlightLine(m_highlighted);
    }
}

void RawLogView::applyTheme()
{
    m_highlighter->setTheme(repository().themeForPalette(palette()));
    m_highlighter->rehighlight();
}

} // namespace mailtrail
