// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/rows.h"
#include "insights/insightengine.h"

#include <string>
#include <vector>

namespace mailtrail {

// The series a log belongs to: its folder and name without what rotation adds (".1", ".2.gz",
// "-20261204", ".bz2"...): mail.log, mail.log.1 and mail.log.2.gz are one series, one server's.
std::string logSeries(const std::string &path);

// The servers of the logs `fileIds` of `files` (all of them when empty) for the insight rules:
// one per series, named by the host and the log ("mx (a.log)"); null when they are all of one
// series, whose insights then name no server. A file not among them is of no server ("").
InsightEngine::ServerOf insightServers(const std::vector<FileRow> &files, const std::vector<std::int64_t> &fileIds);

} // namespace mailtrail
