// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPlainTextEdit>

namespace KSyntaxHighlighting {
class Definition;
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace mailtrail {

// The original log lines of one message, read-only, in the system's fixed-width font, highlighted
// with the "Mail Log" KSyntaxHighlighting definition in the theme that matches the palette.
class RawLogView : public QPlainTextEdit
{
    Q_OBJECT
public:
    // Name of the definition in resources/syntax/maillog.xml.
    static constexpr QLatin1StringView DefinitionName{"Mail Log"};

    explicit RawLogView(QWidget *parent = nullptr);

    // The application's one repository of definitions and themes: loading it parses every
    // definition header, so it is built once, on first use, and shared.
    static KSyntaxHighlighting::Repository &repository();
    static KSyntaxHighlighting::Definition mailLogDefinition();

    void setLines(const QStringList &lines);
    // Selects and scrolls to a line (0-based, as in setLines()); -1 clears the mark.
    void highlightLine(int line);
    int highlightedLine() const { return m_highlighted; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void updateMark();

    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter = nullptr;
    int m_highlighted = -1;
};

} // namespace mailtrail
