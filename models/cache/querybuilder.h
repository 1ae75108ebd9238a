// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cache/filter.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mailtrail {

namespace sql {
class Statement;
}

// Turns a Filter into a WHERE clause over `messages m` (and `deliveries d` for the delivery
// grain) with its parameters, so every query of the cache filters the same way.
class QueryBuilder
{
public:
    // `dense`: a good share of the rows is expected to match (the caller counted them); page
    // queries then walk the time order rather than gather every match first.
    QueryBuilder(Grain grain, const Filter &filter, bool dense = false);

    using Param = std::variant<std::int64_t, std::string>;
    // A condition that, over chains, any hop of a chain may meet: the chains' first hops (and the
    // messages of no chain) meeting it, as one SELECT of ids with its parameters. The cache may
    // keep it in a temp table (Filter::keptHopSets, by `key`), which the query then looks into.
    struct HopSet {
        std::string key;  // the SELECT and its parameters, as one string
        std::string select;
        std::vector<Param> params;
    };

    const std::string &where() const { return m_where; }  // "" or " WHERE ..."
    // The "any hop" sets of the filter, kept or not.
    const std::vector<HopSet> &hopSets() const { return m_hopSets; }
    std::string orderBy(Sort sort) const;
    // "SELECT count(*) FROM ... WHERE ...", or a cheaper query with the same answer.
    std::string countSql() const;
    // Binds the filter's parameters from index `first`; returns the next free index (a statement
    // that repeats the WHERE clause binds it again from there).
    int bind(sql::Statement &st, int first = 1) const;
    static int bind(sql::Statement &st, const std::vector<Param> &params, int first = 1);

    // Every hop of the chains that `filter` lists over chains (and the other messages it lists),
    // each chain with all its hops: what the statistics count, a chain once, each delivery on the
    // hop that made it. The plain builder when the filter is not over chains.
    // With `listed`, the temp table that holds the ids listedChains() selects.
    static QueryBuilder chainMembers(Grain grain, const Filter &filter, const std::string &listed = {});
    // The first hops of the chains and the other messages `filter` lists over chains, as one SELECT
    // of ids with its parameters (no key); none when it is not over chains or lists them all (only
    // the later hops left out), where chainMembers() needs no table.
    static std::optional<HopSet> listedChains(const Filter &filter);

    // A message of `alias` entered the queue here: smtpd's client= or pickup's uid= was seen (as
    // pflogsumm's "received"); NOQUEUE rejects have no queue id, notifications and forwards
    // another origin. (The integer values of MessageOrigin as the cache stores them.)
    static std::string receivedCondition(const char *alias = "m");
    // Filter::tls "no" of a message of `alias`: it came over SMTP and its connection logged no TLS
    // (a later hop of a chain came from the filter, not from the client).
    static std::string clearInCondition(const char *alias = "m");
    // Filter::tls "no" of a delivery, its columns after `prefix` ("d.", or "" in a subquery of
    // deliveries): tried at a network relay ("host[address]:port") that logged no TLS, no
    // hand-over to the next hop of a chain.
    static std::string clearOutCondition(const char *prefix = "d.");

    // Messages with a line in one of these files: those that started there, and those that were
    // in the queue when an earlier file ended and went on there. Over `messages m`.
    static std::string scopeCondition(const std::vector<std::int64_t> &fileIds);
    // "*@example.com" -> "%@example.com"; "alice" -> "%alice%"; '%' and '_' escaped with '\'.
    static std::string likePattern(const std::string &globOrSubstring);
    // The reply codes a code filter of two or three digits stands for ("55x": 550 to 559, "250":
    // 250 to 250); none for another form (a class alone, an enhanced code).
    static std::optional<std::pair<std::int64_t, std::int64_t>> replyCodeRange(const std::string &code);
    // Words -> an FTS5 query requiring every word ("mx1.example.org" -> mx1 AND example AND org).
    static std::string matchExpression(const std::string &words);
    // The ids of the messages whose texts hold every word of `text` and each of its terms of
    // several words whole, as one SELECT whose parameters it appends to `params`.
    static std::string textMatches(const std::string &text, std::vector<Param> &params);
    // The same in parts, each a SELECT of ids with its own parameters, whose union it is: the
    // matches the text index decides alone, then, for a term the index also holds joined
    // ("gmail.com"), the candidates that must each be read and checked. A caller may read the
    // parts apart (Cache::prepareTextFilter, on two connections).
    struct TextPart {
        std::string select;
        std::vector<Param> params;
        // Of the second part, the same apart: the candidates (message ids from the text index),
        // and what each must hold, a condition on `m` ("m.id IN (ids) AND " + check).
        std::string candidates;
        std::vector<Param> candidateParams;
        std::string check;
        std::vector<Param> checkParams;
    };
    static std::vector<TextPart> textMatchParts(const std::string &text);
    // The terms of `words` made of several index words ("198.51.100.7", "alice@example.com"),
    // lower-cased, without the punctuation around them: each must appear whole.
    static std::vector<std::string> compoundTerms(const std::string &words);

private:
    void add(const std::string &condition, bool messageSide = true);
    void addCode(const std::string &code);
    void addRecipient(const std::string &pattern);
    void addExactRecipient(const std::string &address);
    void addMessageSet(const std::string &select, const std::string &perMessage);
    // A condition over `m` that, over chains, any hop may meet: the chain's first hop is listed.
    // `keyExtra`: what the set also depends on besides its SQL and parameters (a temp table's
    // content), for HopSet::key.
    void addAnyHop(const std::string &condition, const std::string &keyExtra = {});
    void addTls(bool with);
    void addReceived(bool received);
    void addTries(const Filter &filter);             // querybuilderlinks.cpp
    void addDestination(const std::string &host);    // querybuilderlinks.cpp
    void addRejectReason(const std::string &kind);   // querybuilderlinks.cpp
    static std::string qualify(const std::string &condition, const std::string &alias);

    Grain m_grain;
    bool m_dense;
    bool m_denseAsked;  // the caller's `dense`, which the chained forms set aside (m_dense)
    bool m_chains;  // Filter::chains, for the message grain
    bool m_anyHop;  // Filter::chains, either grain
    bool m_finalOnly = false;  // deliveries over chains: the hand-overs left out
    bool m_laterHopsKept = false;  // messages over chains: the later hops left out by temp.later_hops
    std::string m_where;
    int m_conditions = 0;
    int m_deliverySide = 0;
    bool m_readsMessages = false;    // some condition reads the messages table
    bool m_readsDeliveries = false;  // some condition reads only the deliveries table
    std::string m_deliveryCount;    // counts the one delivery-side condition on its own index
    std::vector<Param> m_params;
    std::vector<HopSet> m_hopSets;
    std::vector<std::pair<std::string, std::string>> m_keptHopSets;  // Filter::keptHopSets
    int m_keptSetsUsed = 0;
    std::string m_keptCount;  // counts the one kept set, when it is the only condition over chains
};

} // namespace mailtrail
