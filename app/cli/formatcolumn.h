// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/cache.h"

#include <QLatin1StringView>
#include <QString>

#include <cstdint>
#include <unordered_map>

namespace mailtrail::cli {

// The format each log was read as ("postfix"), by file id: a row's format is that of the log its
// message was first seen in (as --source-format filters), the column that tells the rows of a
// mixed dataset apart. It comes after the export columns of a grain, so that a script reading the
// CSV by position finds every older column where it was.
class FormatColumn
{
public:
    static constexpr QLatin1StringView Name{"format"};
    explicit FormatColumn(Cache &cache);
    QString of(std::int64_t fileId) const;

private:
    std::unordered_map<std::int64_t, QString> m_byFile;
};

} // namespace mailtrail::cli
