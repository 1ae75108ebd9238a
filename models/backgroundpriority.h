// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace mailtrail {

// Lets the calling thread run behind the others of the process: for work nobody waits for (the
// insights counted again over a whole cache after it is opened), so that the table's and the
// chart's reads of a filter the user just typed take the cores first. On Linux the thread's own
// nice value is raised (Qt's thread priorities other than idle do nothing there, and idle would
// starve the work on a busy machine); elsewhere Qt's low priority. Returns whether it took effect.
bool lowerCurrentThreadPriority();

} // namespace mailtrail
