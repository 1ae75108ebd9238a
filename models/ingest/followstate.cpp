// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/followstate.h"

#include "correlation/correlator.h"

namespace mailtrail {

FollowState::FollowState() = default;
FollowState::~FollowState() = default;

void FollowState::reset()
{
    m_correlator.reset();
    m_cacheFiles.clear();
    m_nextId = 0;
    m_files.clear();
}

} // namespace mailtrail
