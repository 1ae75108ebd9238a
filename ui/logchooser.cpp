// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logchooser.h"

#include "ingest/formatregistry.h"
#include "ingest/logformat.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace mailtrail {

LogChooser::Choice LogChooser::chooseFiles(QWidget *parent)
{
    QFileDialog dialog(parent, tr("Open Mail Logs"), u"/var/log"_s,
                       tr("Mail logs (*.log *.log.* *.gz *.bz2 *.xz *.zst mail* maillog* mainlog* rejectlog* paniclog*);;All files (*)"));
    dialog.setFileMode(QFileDialog::ExistingFiles);
    // Qt's own dialog: a platform's has no room for the "Read as" choice, which is for the log
    // whose format detection gets wrong (or that has too few lines to tell).
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    auto *readAs = new QComboBox(&dialog);
    readAs->setObjectName(u"readAs"_s);
    readAs->addItem(tr("Automatic (detected from the content)"), QString());
    for (const LogFormat *format : FormatRegistry::all())
        readAs->addItem(QString::fromUtf8(format->title()), QString::fromUtf8(format->name()));
    if (auto *grid = qobject_cast<QGridLayout *>(dialog.layout())) {
        const int row = grid->rowCount();
        grid->addWidget(new QLabel(tr("Read as:"), &dialog), row, 0);
        grid->addWidget(readAs, row, 1);
    }
    if (dialog.exec() != QDialog::Accepted)
        return {};
    return {dialog.selectedFiles(), readAs->currentData().toString()};
}

QString LogChooser::chooseFolder(QWidget *parent)
{
    return QFileDialog::getExistingDirectory(parent, tr("Open a Folder of Mail Logs"), u"/var/log"_s);
}

QString LogChooser::samplePath()
{
    // Installed next to the binary's share folder, or in the source tree when run from a build.
    for (const QString &candidate : {QString(QCoreApplication::applicationDirPath() + u"/../share/mailtrail/sample/mail.log"_s),
                                     QStringLiteral(MAILTRAIL_SOURCE_SAMPLE)}) {
        if (QFileInfo::exists(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStringLiteral(MAILTRAIL_SOURCE_SAMPLE);
}

} // namespace mailtrail
