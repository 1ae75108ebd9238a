// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

namespace mailtrail {

// The words for the logs on show, picked by how many there are: "this log" for one, "these logs"
// for several (a log and its rotations are several files). A window of one log said "these logs"
// here and "this log" there (session 18's trial); every sentence of the window that names them
// takes its words from here. An unknown number (0) is said as several.
class LogWords
{
    Q_DECLARE_TR_FUNCTIONS(LogWords)
public:
    static QString these(qsizetype logs);  // "this log" / "these logs"
    static QString them(qsizetype logs);   // "it" / "them"
};

} // namespace mailtrail
