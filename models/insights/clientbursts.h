// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "insights/timewindow.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace mailtrail {

// The network a client address belongs to for the burst rules: "192.0.2.0/24" of an IPv4
// address, "2001:db8:1:2::/64" of an IPv6 one (what one provider hands one customer); empty for
// what is not an address.
std::string networkOf(const std::string &ip);

// Events of one kind (failed logins, refusals) by client address and by network, in a sliding
// window of log time. A brute force or a spam run comes from one address, or from many addresses
// of one network, each of which stays below the threshold.
class ClientBursts
{
public:
    // After an event: its address's window, and its network's with how many of the network's
    // addresses it holds and the most events one of them has (null and 0 when the address has no
    // network).
    struct Counted {
        const TimeWindow &address;
        std::string network;
        const TimeWindow *networkWindow = nullptr;
        std::size_t networkAddresses = 0;
        std::size_t largestAddress = 0;
        // A run of the network as such: `threshold` events from several of its addresses, none of
        // which reached it alone (that one is an insight of its own).
        bool networkRun(std::size_t threshold) const
        {
            return networkWindow && networkWindow->size() >= threshold && networkAddresses > 1 &&
                largestAddress < threshold;
        }
    };

    Counted add(const std::string &ip, TimeWindow::Entry e, std::int64_t spanMs);
    // Forgets the addresses and networks nothing was heard of since `fromMs`, naming each.
    void forgetBefore(std::int64_t fromMs, const std::function<void(const std::string &subject)> &forgotten);
    std::size_t size() const { return m_byAddress.size() + m_byNetwork.size(); }

private:
    struct Network {
        TimeWindow window;
        std::map<std::string, std::int64_t> lastByAddress;  // within the window
    };
    std::map<std::string, TimeWindow> m_byAddress;
    std::map<std::string, Network> m_byNetwork;
};

} // namespace mailtrail
