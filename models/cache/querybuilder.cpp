// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache/querybuilder.h"

#include "cache/addresspattern.h"
#include "cache/rows.h"
#include "cache/schema.h"
#include "cache/searchkeys.h"
#include "cache/sqlite.h"
#include "cache/textwords.h"

#include <algorithm>
#include <limits>

namespace mailtrail {

namespace {
bool isWordByte(char ch)
{
    return textwords::isWordByte(static_cast<unsigned char>(ch));
}

// That some text of message `m` holds `term` whole (instr over each column).
std::string containsText(const std::string &term, std::vector<QueryBuilder::Param> &params)
{
    for (int i = 0; i < schema::containsTextParameters(); ++i)
        params.emplace_back(term);
    return schema::containsTextSql();
}

std::string textRows(const std::string &match, std::vector<QueryBuilder::Param> &params)
{
    params.emplace_back(match);
    return "SELECT rowid FROM message_text WHERE message_text MATCH ?";
}

} // namespace

// The index has words, not their order: "198.51.100.7" would also find 198.51.100.1 in a message
// that mentions a 7 elsewhere, so such a term is checked whole in the candidates. A term of two words the index also holds joined ("gmail.com", textwords) is
// whole where the joined word is; only the candidates without it are checked, which finds it
// inside longer words too ("xgmail.com") as the check of every candidate did.
std::string QueryBuilder::textMatches(const std::string &text, std::vector<Param> &params)
{
    std::string select;
    for (TextPart &part : textMatchParts(text)) {
        select += (select.empty() ? "" : " UNION ALL ") + part.select;
        params.insert(params.end(), std::make_move_iterator(part.params.begin()), std::make_move_iterator(part.params.end()));
    }
    return select;
}

std::vector<QueryBuilder::TextPart> QueryBuilder::textMatchParts(const std::string &text)
{
    const std::string words = matchExpression(text);
    std::vector<std::string> checked, joined, joinedTerms;
    for (std::string &term : compoundTerms(text)) {
        if (std::string word = textwords::joinedWord(term); !word.empty()) {
            joined.push_back("\"" + word + '"');
            joinedTerms.push_back(std::move(term));
        } else {
            checked.push_back(std::move(term));
        }
    }
    auto checks = [&](std::string cond, std::vector<Param> &params) {
        for (const std::string &term : checked)
            cond += " AND " + containsText(term, params);
        return cond;
    };
    // The messages of a text index expression, each holding the terms not joined.
    std::vector<TextPart> parts(1);
    const auto matchesOf = [&](const std::string &expression) {
        std::vector<Param> &params = parts[0].params;
        const std::string rows = textRows(expression, params);
        parts[0].select =
            checked.empty() ? rows : "SELECT m.id FROM messages m WHERE " + checks("m.id IN (" + rows + ")", params);
    };
    if (joined.empty()) {
        matchesOf(words);
        return parts;
    }
    std::string all;
    for (const std::string &word : joined)
        all += (all.empty() ? "" : " AND ") + word;
    // Those with every joined word, then those without some, each term checked unless joined. A
    // message with a joined word has its two words too (the index holds the text and adds the
    // joined words to it): the words of the joined terms are left out of the first set's
    // expression, whose intersection of their long lists cost more than the joined word's alone
    // ("gmail.com" at 1 GB: 23 ms against 5).
    std::string others;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t end = i;
        while (end < text.size() && !textwords::isSpace(static_cast<unsigned char>(text[end])))
            ++end;
        const std::string chunk = text.substr(i, end - i);
        const std::vector<std::string> terms = compoundTerms(chunk);
        if (terms.size() != 1 || std::find(joinedTerms.begin(), joinedTerms.end(), terms.front()) == joinedTerms.end())
            others += chunk + ' ';
        i = end < text.size() ? end + 1 : end;
    }
    const bool otherWords = std::any_of(others.begin(), others.end(), isWordByte);
    const std::string first = otherWords ? matchExpression(others) + " AND " + all : all;
    matchesOf(first);
    TextPart &rest = parts.emplace_back();
    rest.candidates = textRows("(" + words + ") NOT (" + all + ")", rest.candidateParams);
    std::string cond;
    for (std::size_t i = 0; i < joined.size(); ++i) {
        cond += (i ? " AND (" : "(");
        if (joined.size() > 1)
            cond += "m.id IN (" + textRows(joined[i], rest.checkParams) + ") OR ";
        cond += containsText(joinedTerms[i], rest.checkParams) + ")";
    }
    rest.check = checks(cond, rest.checkParams);
    rest.select = "SELECT m.id FROM messages m WHERE m.id IN (" + rest.candidates + ") AND " + rest.check;
    rest.params = rest.candidateParams;
    rest.params.insert(rest.params.end(), rest.checkParams.begin(), rest.checkParams.end());
    return parts;
}

QueryBuilder::QueryBuilder(Grain grain, const Filter &filter, bool dense)
    : m_grain(grain)
    // Over chains, the conditions of any hop are sets of first hops, gathered before the walk.
    , m_dense(dense && !(filter.chains && grain == Grain::Messages))
    , m_denseAsked(dense)
    , m_chains(filter.chains && grain == Grain::Messages)
    , m_anyHop(filter.chains)
    , m_keptHopSets(filter.keptHopSets)
{
    const bool perDelivery = grain == Grain::Deliveries;
    if (m_chains) {
        // The later hops of chains are listed as their first hop: left out by their ids, so a walk
        // of any messages index tests it in the index. Few in most logs, half the messages where
        // all mail passes a content filter: then kept by the cache rather than gathered each time.
        add(filter.chainSetsReady ? "m.id NOT IN temp.later_hops"
                                  : "m.id NOT IN (SELECT id FROM messages WHERE chain_id IS NOT NULL AND chain_id <> id)");
        m_laterHopsKept = filter.chainSetsReady;
    } else if (filter.chains) {
        // Deliveries: the final ones, not the hand-overs to a chain's next hop.
        add("d.next_hop IS NULL", false);
        m_finalOnly = true;
    }
    switch (const AddressPattern sender = AddressPattern::of(filter.sender); sender.kind) {
    case AddressPattern::Kind::None: break;
    case AddressPattern::Kind::Null: add("m.sender = ''"); break;  // bounces and notifications
    case AddressPattern::Kind::Exact:
        add("m.sender = ?");  // the column's NOCASE folds ASCII letters, as LIKE does
        m_params.emplace_back(sender.text);
        break;
    case AddressPattern::Kind::Glob:
    case AddressPattern::Kind::Substring:
        add("m.sender LIKE ? ESCAPE '\\'");
        m_params.emplace_back(likePattern(sender.text));
        break;
    }
    if (const AddressPattern recipient = AddressPattern::of(filter.recipient); recipient.kind == AddressPattern::Kind::Null)
        add("0");  // no recipient is empty
    else if (recipient.kind == AddressPattern::Kind::Exact)
        addExactRecipient(recipient.text);
    else if (recipient.any())
        addRecipient(recipient.text);
    if (!filter.statuses.empty()) {
        std::string in;
        for (const std::string &name : filter.statuses) {
            int value = 0;
            if (!parseStateName(name, value))
                value = -1;  // matches nothing: an unknown status filters everything out
            in += in.empty() ? "" : ",";
            in += std::to_string(value);
        }
        // The time index (and the deliveries' index by message) holds the status: with many
        // matches the page walks time order and tests it there ('+' keeps the planner off the
        // status indexes built for ordering); with few, those gather the matches.
        const char *plus = m_dense ? "+" : "";
        if (perDelivery)
            add(std::string(plus) + "d.status IN (" + in + ")", false);
        else if (m_chains && filter.chainSetsReady) {
            // The first hops with their chain's state, as the cache keeps them: tested per row, so
            // with many matches the page walks time order ('+' on both sides, or the planner
            // gathers and sorts every match for each page: 150-220 ms for bounced at 1 GB).
            const std::string p = m_denseAsked ? "+" : "";
            add("((" + p + "m.state IN (" + in + ") AND m.id NOT IN (SELECT id FROM temp.chain_firsts)) OR " + p +
                "m.id IN (SELECT id FROM temp.chain_firsts WHERE state IN (" + in + ")))");
        }
        else if (m_chains)
            // A chain has the state of its last hop, kept on its first: the other messages are
            // still tested in the time index, the few first hops by their own row.
            add("((" + std::string(plus) + "m.state IN (" + in + ") AND m.id NOT IN (SELECT chain_id FROM messages WHERE "
                "chain_id IS NOT NULL)) OR m.id IN (SELECT id FROM messages WHERE chain_id = id AND coalesce(chain_state, "
                "state) IN (" + in + ")))");
        else
            add(std::string(plus) + "m.state IN (" + in + ")");
    }
    if (!filter.code.empty())
        addCode(filter.code);
    // A delivery of a chain arrived with its chain's first hop, as `messages` lists it: a later
    // hop (never earlier than the first) is tested by its first hop's time too. --since keeps the
    // time index's bound; --until cannot bound a later hop, which arrives when its filter is done.
    const char *chainArrival = "(SELECT f.first_seen FROM messages f WHERE f.id = m.chain_id)";
    const bool byChain = perDelivery && filter.chains;
    if (filter.sinceMs != std::numeric_limits<std::int64_t>::min()) {
        add("m.first_seen >= ?");
        m_params.emplace_back(filter.sinceMs);
        if (byChain) {
            add("(m.chain_id IS NULL OR m.chain_id = m.id OR " + std::string(chainArrival) + " >= ?)");
            m_params.emplace_back(filter.sinceMs);
        }
    }
    if (filter.untilMs != std::numeric_limits<std::int64_t>::max()) {
        add(byChain ? "(m.first_seen < ? OR (m.chain_id <> m.id AND " + std::string(chainArrival) + " < ?))"
                    : std::string("m.first_seen < ?"));
        m_params.emplace_back(filter.untilMs);
        if (byChain)
            m_params.emplace_back(filter.untilMs);
    }
    if (filter.textMatchReady) {
        // Many matches: walk time order and test each ('+': not gathered by rowid from the set).
        // The set of chains depends on what temp.text_match holds, which the SQL does not say.
        addAnyHop(std::string(m_dense ? "+" : "") + "m.id IN temp.text_match", filter.text);
    } else if (!filter.text.empty()) {
        addAnyHop("m.id IN (" + textMatches(filter.text, m_params) + ")");
    }
    if (filter.tls == "yes" || filter.tls == "no")
        addTls(filter.tls == "yes");
    else if (!filter.tls.empty())
        add("0");  // neither: matches nothing, as an unknown status does
    if (filter.received == "yes" || filter.received == "no")
        addReceived(filter.received == "yes");
    else if (!filter.received.empty())
        add("0");  // neither: matches nothing, as an unknown status does
    if (!filter.saslUser.empty()) {
        // The first hop of a chain is the submission that authenticated.
        add(perDelivery && filter.chains
                ? "coalesce((SELECT r.sasl_user FROM messages r WHERE r.id = m.chain_id), m.sasl_user) LIKE ? ESCAPE '\\'"
                : "m.sasl_user LIKE ? ESCAPE '\\'");
        m_params.emplace_back(likePattern(filter.saslUser));
    }
    if (filter.triedSinceMs != std::numeric_limits<std::int64_t>::min() ||
        filter.triedUntilMs != std::numeric_limits<std::int64_t>::max() || !filter.triedAs.empty())
        addTries(filter);
    if (!filter.destination.empty())
        addDestination(filter.destination);
    if (!filter.rejectReason.empty())
        addRejectReason(filter.rejectReason);
    if (!filter.fileIds.empty())
        add(scopeCondition(filter.fileIds));
    if (!filter.host.empty()) {
        add("m.host_id = (SELECT id FROM hosts WHERE name = ?)");
        m_params.emplace_back(filter.host);
    }
    if (!filter.messageIds.empty()) {
        // At most Insight::MaxMessages ids: looked up by rowid, then the rest of the filter applies.
        std::string in;
        for (std::int64_t id : filter.messageIds)
            in += (in.empty() ? "" : ",") + std::to_string(id);
        add("m.id IN (" + in + ")");
    }
    if (!filter.format.empty()) {
        // The files are few: the list of ids is made once, then each message is tested against it.
        add("m.file_id IN (SELECT id FROM files WHERE format = ?)");
        m_params.emplace_back(filter.format);
    }
}

namespace {
// A recipient or original recipient of alias `d` (none: the deliveries of the query itself),
// lower-cased and reversed, as the two address indexes hold it (layout 12: computed, not stored).
// '+' keeps the planner off those indexes.
std::string rev(const char *column, const std::string &alias = {}, const char *plus = "")
{
    return std::string(plus) + sql::ReversedFunction + "(" + alias + column + ")";
}
} // namespace

void QueryBuilder::addRecipient(const std::string &pattern)
{
    const std::string_view rest = std::string_view(pattern).substr(1);
    const std::string recipient = rev("recipient"), orig = rev("orig_recipient");
    if (pattern.size() > 1 && pattern.front() == '*' && rest.find_first_of("*?") == std::string_view::npos) {
        // "*@example.com": a range of the reversed addresses, recipients and original ones.
        const std::string low = searchkeys::reversedAddress(rest);
        const std::string high = low + '\xff';
        for (int i = 0; i < 2; ++i) {
            m_params.emplace_back(low);
            m_params.emplace_back(high);
        }
        const auto range = [](const std::string &r, const std::string &o) {
            return "((" + r + " >= ? AND " + r + " < ?) OR (" + o + " >= ? AND " + o + " < ?))";
        };
        // Two ranges of two covering indexes, not one OR that would read every delivery row.
        const auto set = [&](const char *column) {
            return std::string("SELECT ") + column + " FROM deliveries WHERE " + recipient + " >= ? AND " + recipient +
                " < ? UNION SELECT " + column + " FROM deliveries WHERE " + orig + " >= ? AND " + orig + " < ?";
        };
        if (m_grain == Grain::Deliveries) {
            // Many matches: walk time order and test each row (unary '+' keeps the planner off the
            // indexes). Few: gather them from the two indexes, then sort them.
            if (m_dense)
                add(range(rev("recipient", "d.", "+"), rev("orig_recipient", "d.", "+")), false);
            else
                add("d.id IN (" + set("id") + ")", false);
            ++m_deliverySide;
            m_deliveryCount = "SELECT count(*) FROM (" + set("id") + ")";
            return;
        }
        addMessageSet(set("message_id"), range(rev("recipient", "x."), rev("orig_recipient", "x.")));
        return;
    }
    const bool ascii = std::none_of(pattern.begin(), pattern.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
    if (ascii && pattern.find('?') == std::string::npos) {
        // A substring or a glob of '*' is the same substring or glob, reversed, of the reversed
        // addresses: read from their indexes (36 MB at 1 GB of log) rather than from every row
        // of the deliveries (200 MB). Not with '?' or a character beyond ASCII, which the
        // reversed bytes of a multi-byte character would not match one for one. "IS NOT NULL"
        // lets the planner take the partial index of original recipients for a LIKE.
        const std::string reversedAddress = searchkeys::reversedAddress(pattern);
        const std::string reversed = likePattern(reversedAddress);
        // A glob that ends in text ("a*@*.net") starts with it reversed: the range of the index
        // that holds it ("ten."...) is read, not the whole index. The reversed addresses are
        // lower case, as the text is made here: SQLite's LIKE, case-insensitive, does not narrow
        // an index of a binary column by itself.
        const std::size_t literal = std::min(reversedAddress.find('*'), reversedAddress.size());
        const bool ranged = literal > 0 && literal < reversedAddress.size();
        // One reversed address's test, and the two of a delivery's, over `r` and `o`.
        const auto test = [ranged](const std::string &r) {
            return ranged ? r + " >= ? AND " + r + " < ? AND " + r + " LIKE ? ESCAPE '\\'" : r + " LIKE ? ESCAPE '\\'";
        };
        const auto cond = [&](const std::string &alias, const char *plus) {
            return "((" + test(rev("recipient", alias, plus)) + ") OR (" + test(rev("orig_recipient", alias, plus)) + "))";
        };
        const auto set = [&](const char *column) {
            return std::string("SELECT ") + column + " FROM deliveries WHERE " + test(recipient) + " UNION SELECT " + column +
                " FROM deliveries WHERE " + (ranged ? "" : orig + " IS NOT NULL AND ") + test(orig);
        };
        for (int i = 0; i < 2; ++i) {
            if (ranged) {
                const std::string low = reversedAddress.substr(0, literal);
                m_params.emplace_back(low);
                m_params.emplace_back(low + '\xff');
            }
            m_params.emplace_back(reversed);
        }
        if (m_grain == Grain::Deliveries) {
            if (m_dense)
                add(cond("d.", "+"), false);
            else
                add("d.id IN (" + set("id") + ")", false);
            ++m_deliverySide;
            m_deliveryCount = "SELECT count(*) FROM (" + set("id") + ")";
            return;
        }
        addMessageSet(set("message_id"), cond("x.", ""));
        return;
    }
    m_params.emplace_back(likePattern(pattern));
    m_params.emplace_back(likePattern(pattern));
    const std::string cond = "(%recipient LIKE ? ESCAPE '\\' OR %orig_recipient LIKE ? ESCAPE '\\')";
    if (m_grain == Grain::Deliveries)
        add(qualify(cond, "d."), false);
    else
        addMessageSet("SELECT r.message_id FROM deliveries r WHERE " + qualify(cond, "r."), qualify(cond, "x."));
}

void QueryBuilder::addExactRecipient(const std::string &address)
{
    // One key of each reversed index: the reversed addresses are what the indexes hold, lower
    // case, so equality there is the case-blind equality of the addresses.
    const std::string key = searchkeys::reversedAddress(address);
    m_params.emplace_back(key);
    m_params.emplace_back(key);
    const auto set = [](const char *column) {
        return std::string("SELECT ") + column + " FROM deliveries WHERE " + rev("recipient") + " = ? UNION SELECT " +
            column + " FROM deliveries WHERE " + rev("orig_recipient") + " = ?";
    };
    const auto cond = [](const std::string &alias, const char *plus) {
        return "(" + rev("recipient", alias, plus) + " = ? OR " + rev("orig_recipient", alias, plus) + " = ?)";
    };
    if (m_grain == Grain::Deliveries) {
        add(m_dense ? cond("d.", "+") : "d.id IN (" + set("id") + ")", false);
        ++m_deliverySide;
        m_deliveryCount = "SELECT count(*) FROM (" + set("id") + ")";
        return;
    }
    addMessageSet(set("message_id"), cond("x.", ""));
}

void QueryBuilder::addMessageSet(const std::string &select, const std::string &perMessage)
{
    // The message grain asks for the set of messages first: one pass over an index of
    // deliveries, not one lookup per message. When many messages match, a page is found sooner
    // by walking the sort order and looking at each message's own deliveries, which stops after
    // a page's worth instead of gathering and sorting every match.
    if (m_dense)
        add("EXISTS(SELECT 1 FROM deliveries x WHERE x.message_id = m.id AND " + perMessage + ")");
    else
        addAnyHop("m.id IN (" + select + ")");
    ++m_deliverySide;
    // A UNION has made the messages distinct already: a second temporary B-tree would only
    // repeat it.
    m_deliveryCount = select.find(" UNION ") != std::string::npos ? "SELECT count(*) FROM (" + select + ")"
                                                                   : "SELECT count(DISTINCT message_id) FROM (" + select + ")";
}

std::optional<QueryBuilder::HopSet> QueryBuilder::listedChains(const Filter &filter)
{
    if (!filter.chains)
        return std::nullopt;
    const QueryBuilder listing(Grain::Messages, filter);
    if (listing.m_conditions <= 1)
        return std::nullopt;
    return HopSet{{}, "SELECT m.id FROM messages m" + listing.m_where, listing.m_params};
}

QueryBuilder QueryBuilder::chainMembers(Grain grain, const Filter &filter, const std::string &listed)
{
    if (!filter.chains)
        return QueryBuilder(grain, filter);
    QueryBuilder out(grain, Filter{});
    if (!listed.empty()) {
        // The listed rows, then the later hops of their chains from the chains' index: looked up
        // by rowid rather than every message tested (a status at 1 GB of content-filter mail:
        // 0.25 s for both passes, against 2.2 s for every row tested against the listing).
        out.add("m.id IN (SELECT id FROM temp." + listed + " UNION ALL SELECT x.id FROM temp." + listed +
                " c JOIN messages x ON x.chain_id = c.id AND x.id <> c.id)");
        return out;
    }
    const QueryBuilder listing(Grain::Messages, filter);
    // Only the later hops left out: every message is a member of a listed chain.
    if (listing.m_conditions <= 1)
        return out;
    // The subquery's own `m` hides the outer one, as in addAnyHop. (Asked as the listed rows by
    // rowid OR the later hops by the chains' index instead, SQLite read every row twice: slower.)
    out.add("coalesce(m.chain_id, m.id) IN (SELECT m.id FROM messages m" + listing.m_where + ")");
    out.m_params = listing.m_params;
    return out;
}

std::string QueryBuilder::countSql() const
{
    // Rows filtered only by one recipient or code condition: count them in the deliveries' index
    // alone, without visiting a row each.
    if (m_deliverySide == 1 && m_conditions == 1)
        return m_deliveryCount;
    // Every final delivery: all of them but the hand-overs, which a partial index lists (none in
    // a log without content filters), rather than a look at every row.
    if (m_finalOnly && m_conditions == 1)
        return "SELECT (SELECT count(*) FROM deliveries) - (SELECT count(*) FROM deliveries WHERE next_hop IS NOT NULL)";
    // Every chain and every other message: all the messages but the later hops.
    if (m_laterHopsKept && m_conditions == 1)
        return "SELECT (SELECT count(*) FROM messages) - (SELECT count(*) FROM temp.later_hops)";
    // One kept "any hop" set and the later hops left out: the set holds first hops and messages
    // of no chain only, each once.
    if (m_chains && m_keptSetsUsed == 1 && m_conditions == 2)
        return m_keptCount;
    if (m_grain == Grain::Messages)
        return "SELECT count(*) FROM messages m" + m_where;
    if (m_conditions == 0)
        return "SELECT count(*) FROM deliveries d";
    // Conditions on messages only: add up their recipients (a row each), from the index that serves
    // the condition.
    if (!m_readsDeliveries)
        return "SELECT coalesce(sum(m.rcpt_count), 0) FROM messages m" + m_where;
    // Every delivery has its message: join only when a condition reads it.
    return std::string("SELECT count(*) FROM deliveries d") + (m_readsMessages ? " JOIN messages m ON m.id = d.message_id" : "") +
        m_where;
}

std::string QueryBuilder::qualify(const std::string &condition, const std::string &alias)
{
    std::string out;
    for (char ch : condition)
        out += ch == '%' ? alias : std::string(1, ch);
    return out;
}

void QueryBuilder::addAnyHop(const std::string &condition, const std::string &keyExtra)
{
    if (!m_anyHop) {
        add(condition);
        return;
    }
    // The condition is over `m`; the subquery's own `m` hides the outer one. Listed, a chain is
    // its first hop; a delivery belongs to the chain of its own hop.
    HopSet set;
    set.select = "SELECT coalesce(m.chain_id, m.id) FROM messages m WHERE " + condition;
    // Its parameters are the last pushed, one for each '?' (no text of the SQL holds one).
    const auto taken = static_cast<std::size_t>(std::count(condition.begin(), condition.end(), '?'));
    const auto first = m_params.end() - static_cast<std::ptrdiff_t>(std::min(taken, m_params.size()));
    set.params.assign(first, m_params.end());
    set.key = set.select + '\n' + std::to_string(keyExtra.size()) + ':' + keyExtra;
    for (const Param &p : set.params) {
        // Length-prefixed: no text of a parameter can pass for another split.
        const std::string value = std::holds_alternative<std::int64_t>(p) ? std::to_string(std::get<std::int64_t>(p))
                                                                           : std::get<std::string>(p);
        set.key += '\n' + std::string(std::holds_alternative<std::int64_t>(p) ? "i" : "s") + std::to_string(value.size()) +
            ':' + value;
    }
    const std::string column = m_chains ? "m.id" : "coalesce(m.chain_id, m.id)";
    const auto kept = std::find_if(m_keptHopSets.begin(), m_keptHopSets.end(),
                                   [&set](const auto &entry) { return entry.first == set.key; });
    if (kept != m_keptHopSets.end()) {
        // Gathered once by the cache for every count and page of the filter. Many matches: walk
        // the sort order and look each row up in the set ('+'), as for temp.text_match.
        m_params.erase(first, m_params.end());
        add((m_chains && m_denseAsked ? "+" : "") + column + " IN temp." + kept->second);
        ++m_keptSetsUsed;
        m_keptCount = "SELECT count(*) FROM temp." + kept->second;
    } else {
        add(column + " IN (" + set.select + ")");
    }
    m_hopSets.push_back(std::move(set));
}

std::string QueryBuilder::receivedCondition(const char *alias)
{
    const std::string a(alias);
    return "(" + a + ".origin IN (1, 2) AND " + a + ".queue_id IS NOT NULL)";
}

void QueryBuilder::addReceived(bool received)
{
    const std::string no = received ? "" : "NOT ";
    if (m_grain == Grain::Deliveries && m_anyHop) {
        // A final delivery belongs to its chain's last hop: the chain was received by its first.
        add(no + "coalesce((SELECT " + receivedCondition("r") + " FROM messages r WHERE r.id = m.chain_id), " +
            receivedCondition() + ")");
        return;
    }
    // The later hops of chains are neither, as the statistics count a chain once (by its first hop).
    add(no + receivedCondition() + " AND (m.chain_id IS NULL OR m.chain_id = m.id)");
}

std::string QueryBuilder::clearInCondition(const char *alias)
{
    const std::string a(alias);
    return "(" + a + ".origin = " + std::to_string(static_cast<int>(MessageOrigin::Smtp)) + " AND " + a +
        ".tls_in_id IS NULL AND " + a + ".prev_hop IS NULL)";
}

std::string QueryBuilder::clearOutCondition(const char *prefix)
{
    // Local deliveries (mailbox, pipe, LMTP over a socket) never use TLS. A hand-over to the next
    // hop of a chain, usually a filter on the loopback, is not mail travelling in clear.
    const std::string p(prefix);
    return p + "tls_id IS NULL AND " + p + "next_hop IS NULL AND " + p + "relay_id IN (SELECT id FROM relays WHERE name LIKE '%[%')";
}

void QueryBuilder::addTls(bool with)
{
    if (m_grain == Grain::Deliveries) {
        add(with ? std::string("d.tls_id IS NOT NULL") : clearOutCondition(), false);
        return;
    }
    addAnyHop(with ? std::string("(m.tls_in_id IS NOT NULL OR m.id IN (SELECT message_id FROM deliveries WHERE tls_id IS "
                                 "NOT NULL))")
                   : "(" + clearInCondition() + " OR m.id IN (SELECT message_id FROM deliveries WHERE " + clearOutCondition("") + "))");
}

void QueryBuilder::add(const std::string &condition, bool messageSide)
{
    ++m_conditions;
    (messageSide ? m_readsMessages : m_readsDeliveries) = true;
    m_where += m_where.empty() ? " WHERE " : " AND ";
    m_where += condition;
}

std::string QueryBuilder::scopeCondition(const std::vector<std::int64_t> &fileIds)
{
    std::string in;
    for (std::int64_t id : fileIds)
        in += (in.empty() ? "" : ",") + std::to_string(id);
    // Unary '+': the scope narrows little (usually every file with messages), so the planner
    // must not prefer its index over one that serves the rest of the filter.
    return "(+m.file_id IN (" + in + ") OR m.id IN (SELECT message_id FROM message_files WHERE file_id IN (" + in +
           ")))";
}

bool isCodeFilter(std::string_view code)
{
    auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    if (code.empty() || code.front() < '2' || code.front() > '5')
        return false;
    if (code.find('.') != std::string_view::npos) {
        // class.subject[.detail], each part of one to three digits (RFC 3463)
        int parts = 0;
        for (std::string_view rest = code; !rest.empty() || parts == 0;) {
            const std::size_t dot = rest.find('.');
            const std::string_view part = rest.substr(0, dot);
            if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), digit))
                return false;
            ++parts;
            if (dot == std::string_view::npos)
                break;
            rest = rest.substr(dot + 1);
            if (rest.empty())
                return false;
        }
        return (parts == 2 || parts == 3) && code[1] == '.';
    }
    // digits, then only wildcards: 550, 55x, 5xx, 5
    std::size_t i = 0;
    while (i < code.size() && digit(code[i]))
        ++i;
    while (i < code.size() && (code[i] == 'x' || code[i] == 'X'))
        ++i;
    return i == code.size() && code.size() <= 3;
}

void QueryBuilder::addCode(const std::string &code)
{
    // A reply code (550), a class (5xx, 55x, 5), or an enhanced status code (4.7.1, 5.1). Every
    // form starts with the class, which leads the deliveries' code index.
    // '%' stands for the alias of the deliveries table the condition is checked on.
    // A malformed code (isCodeFilter) matches nothing.
    std::string cond = "0";
    if (isCodeFilter(code)) {
        cond = "%code_class = ?";
        m_params.emplace_back(std::int64_t(code.front() - '0'));
        if (code.find('.') != std::string::npos) {
            const bool complete = std::count(code.begin(), code.end(), '.') == 2;
            // The enhanced codes are few (a dictionary): their ids are found first, then the rows.
            cond += complete ? " AND %dsn_id = (SELECT id FROM dsns WHERE name = ?)"
                             : " AND %dsn_id IN (SELECT id FROM dsns WHERE name LIKE ?)";
            m_params.emplace_back(complete ? code : code + ".%");
        } else if (const auto range = replyCodeRange(code)) {
            // For messages, '+': their set is read in the code index's (class, message) order,
            // which needs no temporary B-tree to make it distinct, and a message's test is one
            // lookup of (class, message) there; a range of (class, reply code) would do neither.
            cond += m_grain == Grain::Messages ? " AND +%reply_code BETWEEN ? AND ?" : " AND %reply_code BETWEEN ? AND ?";
            m_params.emplace_back(range->first);
            m_params.emplace_back(range->second);
        }
    }
    if (m_grain == Grain::Deliveries) {
        // Many matches: walk time order, testing each row ('+' keeps the planner off the code
        // index); few: gather them from that index and sort them.
        add(qualify(cond, m_dense ? "+d." : "d."), false);
        ++m_deliverySide;
        m_deliveryCount = "SELECT count(*) FROM deliveries c WHERE " + qualify(cond, "c.");
    } else {
        addMessageSet("SELECT c.message_id FROM deliveries c WHERE " + qualify(cond, "c."), qualify(cond, "x."));
    }
}

std::optional<std::pair<std::int64_t, std::int64_t>> QueryBuilder::replyCodeRange(const std::string &code)
{
    const std::size_t digits = std::min(code.find_first_not_of("0123456789"), code.size());
    if (digits < 2 || code.find('.') != std::string::npos)
        return std::nullopt;
    // 55x: 550 to 559; the wildcards that follow the digits need no test of their own.
    std::int64_t low = std::stoll(code.substr(0, digits));
    std::int64_t span = 1;
    for (std::size_t i = digits; i < 3; ++i) {
        low *= 10;
        span *= 10;
    }
    return std::pair{low, low + span - 1};
}

std::string QueryBuilder::orderBy(Sort sort) const
{
    const bool perDelivery = m_grain == Grain::Deliveries;
    const char *dir = sort.descending ? " DESC" : "";
    std::string column;
    switch (sort.key) {
    case SortKey::Time: column = "m.first_seen"; break;
    case SortKey::LastSeen: column = perDelivery ? "d.last_attempt" : "m.last_seen"; break;
    case SortKey::Sender: column = "m.sender"; break;
    // Of a message, its listed recipient: not in an index, sorted as before layout 12 (no window
    // orders the messages by it; canOrderBy() is about the window's columns).
    case SortKey::Recipient: column = perDelivery ? "d.recipient" : schema::firstRecipientOf("m"); break;
    // Over chains, a chain's row shows (and sorts by) its last hop's state.
    case SortKey::Status: column = perDelivery ? "d.status" : m_chains ? "coalesce(m.chain_state, m.state)" : "m.state"; break;
    // A chain's row shows its last hop's code and tries: the expressions of their order indexes.
    case SortKey::Code:
        column = perDelivery ? "d.code_class" + std::string(dir) + ", d.reply_code" : "coalesce(m.chain_code, m.last_code)";
        break;
    case SortKey::Attempts: column = perDelivery ? "d.attempts" : "coalesce(m.chain_attempts, m.attempts)"; break;
    case SortKey::Size: column = "m.size"; break;
    case SortKey::Client: column = schema::clientIpOf("m"); break;
    case SortKey::Host: column = "m.host_id"; break;
    case SortKey::QueueId: column = "m.queue_id"; break;
    case SortKey::MessageId: column = schema::messageIdOf("m"); break;
    }
    // Ties go by message (in time, by file first), then recipient: the order of the index that
    // serves the column, so paging walks it and never sorts. For a column of the deliveries the
    // message is named from their side, as their indexes hold it: (column, message_id, idx).
    const bool deliverySide = perDelivery && column.starts_with("d.");
    std::string order = " ORDER BY " + column + dir + (sort.key == SortKey::Time ? std::string(", m.file_id") + dir : "") +
        (deliverySide ? ", d.message_id" : ", m.id") + dir;
    if (perDelivery)
        order += std::string(", d.idx") + dir;
    return order;
}

int QueryBuilder::bind(sql::Statement &st, int first) const
{
    return bind(st, m_params, first);
}

int QueryBuilder::bind(sql::Statement &st, const std::vector<Param> &params, int first)
{
    int i = first;
    for (const auto &p : params) {
        if (std::holds_alternative<std::int64_t>(p))
            st.bind(i++, std::get<std::int64_t>(p));
        else
            st.bind(i++, std::string_view(std::get<std::string>(p)));
    }
    return i;
}

std::string QueryBuilder::likePattern(const std::string &pattern)
{
    const bool glob = pattern.find_first_of("*?") != std::string::npos;
    std::string out;
    if (!glob)
        out.push_back('%');
    for (char ch : pattern) {
        switch (ch) {
        case '*': out.push_back('%'); break;
        case '?': out.push_back('_'); break;
        case '%':
        case '_':
        case '\\':
            out.push_back('\\');
            out.push_back(ch);
            break;
        default: out.push_back(ch);
        }
    }
    if (!glob)
        out.push_back('%');
    return out;
}

std::vector<std::string> QueryBuilder::compoundTerms(const std::string &words)
{
    std::vector<std::string> terms;
    std::size_t i = 0;
    while (i < words.size()) {
        while (i < words.size() && textwords::isSpace(static_cast<unsigned char>(words[i])))
            ++i;
        std::size_t end = i;
        while (end < words.size() && !textwords::isSpace(static_cast<unsigned char>(words[end])))
            ++end;
        std::size_t first = i, last = end;
        while (first < last && !isWordByte(words[first]))
            ++first;
        while (last > first && !isWordByte(words[last - 1]))
            --last;
        const std::string_view term(words.data() + first, last - first);
        // Checked only when ASCII: SQLite's lower() folds ASCII letters only, while the index
        // folds case and accents of every letter, so "Müller-Lüdenscheid" would be found by the
        // index and then refused here.
        const bool ascii = std::none_of(term.begin(), term.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
        if (ascii && std::find_if_not(term.begin(), term.end(), isWordByte) != term.end()) {
            std::string lowered(term);
            for (char &ch : lowered)
                ch = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
            terms.push_back(std::move(lowered));
        }
        i = end;
    }
    return terms;
}

std::string QueryBuilder::matchExpression(const std::string &words)
{
    // Split as the index does, and require every word: the index keeps no positions.
    std::string out;
    std::string token;
    auto flush = [&] {
        if (token.empty())
            return;
        out += out.empty() ? "\"" : " AND \"";
        out += token;
        out += '"';
        token.clear();
    };
    for (char ch : words) {
        if (isWordByte(ch))
            token.push_back(ch);
        else
            flush();
    }
    flush();
    return out.empty() ? std::string("\"\"") : out;
}

} // namespace mailtrail
