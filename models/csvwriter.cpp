// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "csvwriter.h"

using namespace Qt::StringLiterals;

namespace mailtrail {

CsvWriter::CsvWriter(QIODevice *device, bool formulaSafe)
    : m_device(device)
    , m_formulaSafe(formulaSafe)
{
}

QString CsvWriter::escape(const QString &field, bool formulaSafe)
{
    QString value = formulaSafe ? CsvWriter::formulaSafe(field) : field;
    const bool quote = value.contains(u',') || value.contains(u'"') || value.contains(u'\n') || value.contains(u'\r');
    if (!quote)
        return value;
    value.replace(u"\""_s, u"\"\""_s);
    return u'"' + value + u'"';
}

QString CsvWriter::formulaSafe(const QString &field)
{
    if (field.isEmpty())
        return field;
    const QChar first = field.front();
    if (first == u'=' || first == u'+' || first == u'-' || first == u'@' || first == u'\t' || first == u'\r')
        return u'\'' + field;
    return field;
}

bool CsvWriter::writeRow(const QStringList &fields)
{
    QString line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            line += u',';
        line += escape(fields.at(i), m_formulaSafe);
    }
    line += u"\r\n"_s;
    const QByteArray bytes = line.toUtf8();
    return m_device->write(bytes) == bytes.size();
}

} // namespace mailtrail
