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

// Outside any namespace, as Q_INIT_RESOURCE requires. maillog.xml is compiled into a static
// library, where nothing else names its initialiser and the linker would drop it.
static void initSyntaxResource()
{
    Q_INIT_RESOURCE(mailtrail_syntax);
}

namespace mailtrail {

namespace {
struct SharedRepository {
    // Members initialise in order: the resource is there before the repository scans for it.
    bool resourceReady = (initSyntaxResource(), true);
    KSyntaxHighlighting::Repository repository;
};
} // namespace

Q_GLOBAL_STATIC(SharedRepository, s_shared)

KSyntaxHighlighting::Repository &RawLogView::repository()
{
    return s_shared->repository;
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
    setPlainText(lines.join(u'\n'));
    updateMark();
}

void RawLogView::highlightLine(int line)
{
    const QTextBlock block = document()->findBlockByNumber(line);
    m_highlighted = block.isValid() ? line : -1;
    if (block.isValid()) {
        setTextCursor(QTextCursor(block));
        centerCursor();
    }
    updateMark();
}

// A full-width band that stays visible without focus, unlike the text selection.
void RawLogView::updateMark()
{
    const QTextBlock block = document()->findBlockByNumber(m_highlighted);
    if (!block.isValid()) {
        setExtraSelections({});
        return;
    }
    QTextEdit::ExtraSelection mark;
    mark.cursor = QTextCursor(block);
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
        updateMark();
    }
}

void RawLogView::applyTheme()
{
    m_highlighter->setTheme(repository().themeForPalette(palette()));
    m_highlighter->rehighlight();
}

} // namespace mailtrail
