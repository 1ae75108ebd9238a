// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insights/clientbursts.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace mailtrail {

std::string networkOf(const std::string &ip)
{
    std::array<unsigned char, 16> bytes{};
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (inet_pton(AF_INET, ip.c_str(), bytes.data()) == 1) {
        bytes[3] = 0;
        if (inet_ntop(AF_INET, bytes.data(), text.data(), text.size()))
            return std::string(text.data()) + "/24";
    } else if (inet_pton(AF_INET6, ip.c_str(), bytes.data()) == 1) {
        std::fill(bytes.begin() + 8, bytes.end(), 0);
        if (inet_ntop(AF_INET6, bytes.data(), text.data(), text.size()))
            return std::string(text.data()) + "/64";
    }
    return {};
}

ClientBursts::Counted ClientBursts::add(const std::string &ip, TimeWindow::Entry e, std::int64_t spanMs)
{
    TimeWindow &address = m_byAddress[ip];
    address.add(e, spanMs);
    Counted counted{address, networkOf(ip)};
    if (counted.network.empty())
        return counted;
    Network &net = m_byNetwork[counted.network];
    net.window.add(e, spanMs);
    std::int64_t &last = net.lastByAddress[ip];
    last = std::max(last, e.timeMs);
    const std::int64_t from = net.window.newestMs() - spanMs;
    std::erase_if(net.lastByAddress, [from](const auto &entry) { return entry.second < from; });
    counted.networkWindow = &net.window;
    counted.networkAddresses = net.lastByAddress.size();
    for (const auto &[other, lastMs] : net.lastByAddress) {
        const auto it = m_byAddress.find(other);
        if (it != m_byAddress.end())
            counted.largestAddress = std::max(counted.largestAddress, it->second.size());
    }
    return counted;
}

void ClientBursts::forgetBefore(std::int64_t fromMs, const std::function<void(const std::string &)> &forgotten)
{
    auto quiet = [fromMs](const TimeWindow &w) { return w.empty() || w.newestMs() < fromMs; };
    std::erase_if(m_byAddress, [&](const auto &entry) {
        if (!quiet(entry.second))
            return false;
        forgotten(entry.first);
        return true;
    });
    std::erase_if(m_byNetwork, [&](const auto &entry) {
        if (!quiet(entry.second.window))
            return false;
        forgotten(entry.first);
        return true;
    });
}

} // namespace mailtrail
