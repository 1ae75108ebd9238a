// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "correlation/records.h"

#include <vector>

namespace mailtrail {
namespace sql {
class Database;
}

// What one import leaves for the next: messages still in the queue when a log ended, and, after
// a crash, the half-written rows of the import that died.
namespace importstate {

// Messages an earlier import left open, with their recipients, for the correlator to continue.
// A recipient tried once has no attempt row; its try comes back as a new attempt so that a
// second try writes both.
std::vector<MessageRecord> loadOpenMessages(sql::Database &db);

// Whether rows of an unfinished import are in the cache: of a dead one, or of one in progress.
bool hasInterrupted(sql::Database &db);
// Undoes what an interrupted import (crash, kill, power loss) committed before it could finish.
// Only for the holder of the cache's ImportLock: every unfinished import is then a dead one.
void recoverInterrupted(sql::Database &db);

} // namespace importstate
} // namespace mailtrail
