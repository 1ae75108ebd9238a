// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "formatcolumn.h"

#include "rowformat.h"

namespace mailtrail::cli {

FormatColumn::FormatColumn(Cache &cache)
{
    for (const FileRow &f : cache.files())
        m_byFile.emplace(f.id, qs(f.format));
}

QString FormatColumn::of(std::int64_t fileId) const
{
    const auto it = m_byFile.find(fileId);
    return it == m_byFile.end() ? QString() : it->second;
}

} // namespace mailtrail::cli
