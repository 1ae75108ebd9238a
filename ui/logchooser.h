// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class QWidget;

namespace mailtrail {

// Where the logs to open come from: File › Open (with its "Read as" choice), Open Folder, and the
// bundled sample.
class LogChooser
{
    Q_DECLARE_TR_FUNCTIONS(LogChooser)
public:
    struct Choice {
        QStringList paths;  // none: cancelled
        QString format;     // "read as" this format ("exim"); empty: detected from the content
    };
    static Choice chooseFiles(QWidget *parent);
    // Empty when cancelled.
    static QString chooseFolder(QWidget *parent);
    // The sample log, installed beside the binary's share folder or in the source tree.
    static QString samplePath();
};

} // namespace mailtrail
