// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include <vector>

namespace mailtrail::cli {

// What a column of the human table does with a value wider than itself.
enum class Overflow {
    Widen,  // printed whole, pushing the columns after it right: times, ids, codes, numbers
    Cut,    // cut, ending in '…': long free text (addresses, reply texts)
    Relay,  // "host[address]:port": the address in brackets given up first, so that a cut never
            // leaves a port that reads as another ("…]:2526" cut to "…]:25…")
};

struct TableColumn {
    int field;  // index in the row's fields
    int width;  // at least this wide, and never narrower than its header (see withHeaders)
    Overflow overflow = Overflow::Widen;
};

// The widest time isoTime() writes, "2026-11-22T08:50:30.123+01:00": time columns are this wide.
inline constexpr int TimeWidth = 29;

// `columns`, each at least as wide as its header, so that no header is ever cut.
std::vector<TableColumn> withHeaders(std::vector<TableColumn> columns, const QStringList &header);
// One line of the table: the columns two spaces apart at least, the last one whole; control
// characters shown (see visible()).
QString tableLine(const QStringList &fields, const std::vector<TableColumn> &columns);
// `s` with control characters (C0 but tab, DEL, C1) written as \xNN: log lines are data from
// anyone, and raw on a terminal they would be commands to it.
QString visible(const QString &s);

} // namespace mailtrail::cli
