// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Statuses, codes, destinations, reject kinds, TLS, received, SASL users, the time of arrival, the
// scope, the host and the format from the index in memory, alone or with addresses: the
// combinations SQLite answered by joining one index's matches to the other's rows (5xx with a
// sender's domain at 1 GB: 220 ms to count and page, docs/store.md).
#include "cache/memoryindex.h"

#include "cache/addresspattern.h"
#include "cache/bitwords.h"
#include "cache/statsreplies.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace mailtrail {

using namespace bitwords;

void MemoryIndex::keepToRows(const Filter &filter, Selection &s) const
{
    constexpr std::int64_t Min = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t Max = std::numeric_limits<std::int64_t>::max();
    const std::vector<bool> statuses = statusSet(filter.statuses);
    const CodeTest code = codeTest(filter.code);
    const bool byCode = !filter.code.empty();
    const bool byDestination = !filter.destination.empty();
    const std::uint32_t destination = byDestination ? destinationOf(filter.destination) : None;
    const auto destinationPasses = [&](std::uint32_t d) { return destination != None && m_destination[d] == destination; };
    const bool byReject = !filter.rejectReason.empty();
    const auto kindAt = std::find(m_rejectKinds.begin(), m_rejectKinds.end(), filter.rejectReason);
    const std::uint8_t rejectKind =
        kindAt == m_rejectKinds.end() ? NoKind : static_cast<std::uint8_t>(kindAt - m_rejectKinds.begin());
    const auto rejectPasses = [&](std::uint32_t d) { return rejectKind != NoKind && m_rejectKind[d] == rejectKind; };
    // TLS and received: "yes" or "no"; any other value matches nothing, as in SQL (a 0 flag).
    const bool byTls = !filter.tls.empty();
    const std::uint8_t tlsOut = filter.tls == "yes" ? TlsOut : filter.tls == "no" ? ClearOut : 0;
    const std::uint8_t tlsIn = filter.tls == "yes" ? TlsIn : filter.tls == "no" ? ClearIn : 0;
    const auto tlsPasses = [&](std::uint32_t d) { return (m_deliveryTls[d] & tlsOut) != 0; };
    const bool byReceived = !filter.received.empty();
    const int received = filter.received == "yes" ? 1 : filter.received == "no" ? 0 : -1;
    const auto receivedHere = [&](std::uint32_t m) { return (m_messageFlags[m] & ReceivedHere) ? 1 : 0; };
    // A SASL user: a glob or substring as QueryBuilder::likePattern makes it, of no address form.
    const bool bySasl = !filter.saslUser.empty();
    std::vector<bool> saslUsers;
    if (bySasl) {
        const bool glob = filter.saslUser.find_first_of("*?") != std::string::npos;
        saslUsers = m_saslUsers.matching(
            AddressPattern{glob ? AddressPattern::Kind::Glob : AddressPattern::Kind::Substring, filter.saslUser});
    }
    const auto saslPasses = [&](std::uint32_t m) { return m_saslUser[m] != None && saslUsers[m_saslUser[m]]; };
    // The scope, host and format: of the row's own message, hop by hop and over chains, as SQL's
    // conditions on `m` are.
    const std::vector<bool> ofMessage = messagesOf(filter);
    const bool byMessage = !ofMessage.empty();
    const std::int64_t since = filter.sinceMs, until = filter.untilMs;
    const bool chains = filter.chains && m_chained;
    const auto laterHop = [&](std::uint32_t m) { return !m_laterHop.empty() && m_laterHop[m]; };
    const auto arrivedInRange = [&](std::int64_t firstSeen) {
        return (since == Min || (firstSeen != Min && firstSeen >= since)) &&
            (until == Max || (firstSeen != Min && firstSeen < until));
    };

    // Deliveries (QueryBuilder's delivery grain): their own status and code; the time their hop
    // arrived, and over chains the time their chain's first hop did as well (--since), or either
    // (--until: a later hop arrives when its filter is done).
    const auto deliveryPasses = [&](std::uint32_t d) {
        if (!statuses.empty() && !statuses[m_deliveryKeys[d].status])
            return false;
        if (byCode && !code.matches(m_codeClass[d], m_deliveryKeys[d]))
            return false;
        if (byDestination && !destinationPasses(d))
            return false;
        if (byReject && !rejectPasses(d))
            return false;
        if (byTls && !tlsPasses(d))
            return false;
        const std::uint32_t m = m_deliveryMessage[d];
        if (byMessage && !ofMessage[m])
            return false;
        if (byReceived) {
            // Over chains a delivery's chain was received by its first hop; hop by hop the later
            // hops of a chain are neither received nor not.
            if (chains) {
                const std::uint32_t head = m_chainHead[m];
                if (receivedHere(head != None ? head : m) != received)
                    return false;
            } else if (laterHop(m) || receivedHere(m) != received) {
                return false;
            }
        }
        // Over chains a delivery's submission is its chain's first hop's, when that one has a user.
        if (bySasl) {
            const std::uint32_t head = chains ? m_chainHead[m] : None;
            if (!saslPasses(head != None && m_saslUser[head] != None ? head : m))
                return false;
        }
        if (since == Min && until == Max)
            return true;
        const std::int64_t own = m_firstSeen[m];
        if (!chains)
            return arrivedInRange(own);
        const bool inChain = m_chainHead[m] != None || laterHop(m);
        const bool first = m_chainHead[m] == m;
        const std::uint32_t head = m_chainHead[m];
        const std::int64_t headSeen = head == None ? Min : m_firstSeen[head];
        if (since != Min) {
            if (!(own != Min && own >= since))
                return false;
            if (inChain && !first && !(headSeen != Min && headSeen >= since))
                return false;
        }
        if (until != Max && !((own != Min && own < until) || (inChain && !first && headSeen != Min && headSeen < until)))
            return false;
        return true;
    };
    nameDeliveries(s);
    for (std::size_t w = 0; w < s.deliveries.size(); ++w) {
        for (std::uint64_t word = s.deliveries[w]; word; word &= word - 1) {
            const auto d = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            if (!deliveryPasses(d))
                s.deliveries[w] &= ~(std::uint64_t(1) << (d & 63));
        }
    }

    // Messages: the state of the row listed (over chains, a first hop has its chain's: that of
    // its last hop), a delivery of the code, one to the destination and a reject of the kind in
    // any of its hops, the time the listed row arrived.
    const auto markListed = [&](std::vector<std::uint64_t> &marked, std::uint32_t m) {
        const std::uint32_t listed = chains ? listedHead(m) : m;
        if (listed != None)
            setBit(marked, listed);
    };
    const auto anyHop = [&](auto &&matches) {
        std::vector<std::uint64_t> marked(s.messages.size(), 0);
        for (std::uint32_t d = 0; d < m_deliveryMessage.size(); ++d) {
            if (matches(d))
                markListed(marked, m_deliveryMessage[d]);
        }
        return marked;
    };
    std::vector<std::uint64_t> coded, destined, rejected, tlsMarked;
    if (byTls) {
        // A hop that came in over TLS (or in clear), or with a delivery that did.
        tlsMarked = anyHop(tlsPasses);
        for (std::uint32_t m = 0; m < m_messageFlags.size(); ++m) {
            if (m_messageFlags[m] & tlsIn)
                markListed(tlsMarked, m);
        }
    }
    if (byCode)
        coded = anyHop([&](std::uint32_t d) { return code.matches(m_codeClass[d], m_deliveryKeys[d]); });
    if (byDestination)
        destined = anyHop(destinationPasses);
    if (byReject)
        rejected = anyHop(rejectPasses);
    for (std::size_t w = 0; w < s.messages.size(); ++w) {
        for (std::uint64_t word = s.messages[w]; word; word &= word - 1) {
            const auto m = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            bool keep = true;
            if (!statuses.empty())
                keep = statuses[chains && m_chainHead[m] == m ? m_chainState[m] : m_state[m]];
            if (keep && byCode)
                keep = bit(coded, m);
            if (keep && byDestination)
                keep = bit(destined, m);
            if (keep && byReject)
                keep = bit(rejected, m);
            if (keep && byTls)
                keep = bit(tlsMarked, m);
            if (keep && byReceived)
                keep = !laterHop(m) && receivedHere(m) == received;
            if (keep && bySasl)
                keep = saslPasses(m);
            if (keep && byMessage)
                keep = ofMessage[m];
            if (keep && (since != Min || until != Max))
                keep = arrivedInRange(m_firstSeen[m]);
            if (!keep)
                s.messages[w] &= ~(std::uint64_t(1) << (m & 63));
        }
    }
    s.messageCount = popcount(s.messages);
    s.deliveryCount = popcount(s.deliveries);
}

std::vector<bool> MemoryIndex::messagesOf(const Filter &filter) const
{
    const bool byScope = !filter.fileIds.empty(), byHost = !filter.host.empty(), byFormat = !filter.format.empty();
    if (!byScope && !byHost && !byFormat)
        return {};
    const auto sorted = [](std::vector<std::int64_t> ids) {
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    const auto contains = [](const std::vector<std::int64_t> &ids, std::int64_t id) {
        return std::binary_search(ids.begin(), ids.end(), id);
    };
    // A message with a line in a file of the scope: its first file or one of its later ones.
    const std::vector<std::int64_t> scope = sorted(filter.fileIds);
    std::vector<bool> out(m_ids.size(), true);
    if (byScope) {
        for (std::size_t m = 0; m < out.size(); ++m)
            out[m] = contains(scope, m_fileId[m]);
        for (const auto &[m, file] : m_laterFiles) {
            if (contains(scope, file))
                out[m] = true;
        }
    }
    // A host or format no row names matches nothing, as SQL's lookup of it finds none.
    if (byHost) {
        const auto host = m_hostIds.find(filter.host);
        for (std::size_t m = 0; m < out.size(); ++m)
            out[m] = out[m] && host != m_hostIds.end() && m_hostId[m] == host->second;
    }
    if (byFormat) {
        std::vector<std::int64_t> files;
        for (const auto &[file, format] : m_fileFormats) {
            if (format == filter.format)
                files.push_back(file);
        }
        files = sorted(std::move(files));
        for (std::size_t m = 0; m < out.size(); ++m)
            out[m] = out[m] && contains(files, m_fileId[m]);
    }
    return out;
}

std::uint32_t MemoryIndex::destinationOf(const std::string &host) const
{
    const std::string lowered = statsreplies::lower(host);
    const auto it = std::find(m_destinations.begin(), m_destinations.end(), lowered);
    return it == m_destinations.end() ? None : static_cast<std::uint32_t>(it - m_destinations.begin());
}

} // namespace mailtrail
