// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Running the built mailtrail-cli from a test, and the test logs it reads.
#pragma once

#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <utime.h>

namespace clitest {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline Run cli(const QStringList &args, QProcess *process = nullptr)
{
    QProcess own;
    QProcess &p = process ? *process : own;
    p.start(QStringLiteral(MAILTRAIL_BINARY_DIR "/bin/mailtrail-cli"), args);
    if (!p.waitForFinished(60000))
        qFatal("mailtrail-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// A copy of a flow from tests/data with the modification time of the month the flows are from,
// which gives their year-less timestamps a year.
inline QString copyFlow(const QTemporaryDir &dir, const QString &name)
{
    const QString to = dir.filePath(name);
    QFile::copy(QStringLiteral(MAILTRAIL_TEST_DATA "/postfix/flows/") + name, to);
    utimbuf times{1795348800, 1795348800};  // 2026-11-22
    ::utime(to.toLocal8Bit().constData(), &times);
    return to;
}

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString to = dir.filePath(name);
    QFile f(to);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(to));
    return to;
}

} // namespace clitest
