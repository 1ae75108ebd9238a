// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "correlation/refusalcopies.h"

#include <functional>
#include <string_view>

namespace mailtrail {

namespace {
std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    // boost::hash_combine's step, widened to 64 bits.
    return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 12) + (h >> 4));
}

std::uint64_t fingerprint(const Event &e)
{
    const std::hash<std::string_view> text;
    std::uint64_t h = static_cast<std::uint64_t>(e.timeMs);
    h = mix(h, static_cast<std::uint64_t>(e.pid));
    h = mix(h, static_cast<std::uint64_t>(e.kind));
    for (const std::string_view part : {e.host, e.queueId, e.clientIp, e.recipient, e.replyText, e.detail})
        h = mix(h, text(part));
    return h;
}
} // namespace

bool RefusalCopies::isRefusal(const Event &event)
{
    switch (event.kind) {
    case EventKind::Reject:
    case EventKind::AuthFailure:
    case EventKind::ClientWarning:
    case EventKind::LostConnection:
        return true;
    default:
        return false;
    }
}

RefusalCopies::Seen *RefusalCopies::note(const Event &event, std::uint32_t fileId, bool &copy)
{
    const std::uint64_t print = fingerprint(event);
    if (auto it = m_seen.find(print); it != m_seen.end()) {
        copy = it->second.fileId != fileId;
        return copy ? &it->second : nullptr;
    }
    copy = false;
    if (m_seen.size() >= MaxRemembered)
        return nullptr;
    return &m_seen.emplace(print, Seen{fileId, 0, LineRef{fileId, event.offset}}).first->second;
}

} // namespace mailtrail
