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
// The parts of a refusal the cache keeps: a rejected row has the time of its try, the client and
// the recipient; an incident the time, the client and its kind.
std::uint64_t storedKey(EventKind kind, std::int64_t timeMs, std::string_view host, std::string_view clientIp,
                        std::string_view recipient)
{
    const std::hash<std::string_view> text;
    std::uint64_t h = mix(static_cast<std::uint64_t>(timeMs), static_cast<std::uint64_t>(kind));
    for (const std::string_view part : {host, clientIp, recipient})
        h = mix(h, text(part));
    return h;
}
} // namespace

void RefusalCopies::addStored(EventKind kind, std::int64_t timeMs, std::string_view host, std::string_view clientIp,
                              std::string_view recipient, std::uint32_t fileId)
{
    if (m_stored.size() < MaxRemembered)
        m_stored.emplace(storedKey(kind, timeMs, host, clientIp, recipient), fileId);
}

bool RefusalCopies::storedEarlier(const Event &event, std::uint32_t fileId) const
{
    // A refusal without a recipient of its own matches a rejected row of any: Exim's rejectlog
    // names the recipient of a message refused at DATA in the headers after the line, its
    // mainlog nowhere.
    const auto it = m_stored.find(storedKey(event.kind, event.timeMs, event.host, event.clientIp, event.recipient));
    return it != m_stored.end() && it->second != fileId;
}

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
