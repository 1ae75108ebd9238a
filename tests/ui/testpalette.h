// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

// Breeze's light and dark colours, for checking that widgets read well on both.
inline QPalette breezePalette(bool dark)
{
    QPalette p;
    const auto set = [&p](QPalette::ColorRole role, const char *colour) {
        p.setColor(role, QColor::fromString(QLatin1StringView(colour)));
    };
    set(QPalette::Window, dark ? "#202326" : "#eff0f1");
    set(QPalette::WindowText, dark ? "#fcfcfc" : "#232629");
    set(QPalette::Base, dark ? "#141618" : "#ffffff");
    set(QPalette::AlternateBase, dark ? "#1d1f22" : "#f7f7f7");
    set(QPalette::Text, dark ? "#fcfcfc" : "#232629");
    set(QPalette::Button, dark ? "#292c30" : "#fcfcfc");
    set(QPalette::ButtonText, dark ? "#fcfcfc" : "#232629");
    set(QPalette::PlaceholderText, dark ? "#a1a9b1" : "#70777e");
    set(QPalette::Highlight, "#3daee9");
    set(QPalette::HighlightedText, "#ffffff");
    set(QPalette::ToolTipBase, dark ? "#292c30" : "#f7f7f7");
    set(QPalette::ToolTipText, dark ? "#fcfcfc" : "#232629");
    return p;
}
