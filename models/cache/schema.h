// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailtrail::sql {
class Database;
}

namespace mailtrail::schema {

// Version of the layout written by this build. A cache from an older release is migrated step by
// step; one from a newer build is refused rather than damaged. Layout 1 was the development builds'
// (it changed without a new number): such a cache is refused too, and the window moves it aside.
constexpr int CurrentVersion = 14;

// Creates or migrates the tables. Throws sql::Error; a cache newer than CurrentVersion throws too.
void prepare(sql::Database &db);
// For a cache opened read-only, which prepare() may not migrate: whether this build can read its
// layout as it is (adding what an older readable layout lacks, in temporary tables).
bool readAsIs(sql::Database &db);
// Drops what readAsIs() added, once another process has migrated the file (its names would stand
// over columns that are gone).
void forgetReadAsIs(sql::Database &db);
// The indexes the filters by sender, recipient and reply code read. An import builds none of them:
// each is built by the first query that reads it (Cache::prepareTextFilter, when on-demand
// building is on: the CLI) or with the deferred ones (the window, after an import), so an import
// ends when its rows are in (docs/store.md, session 23). Once there, imports keep them up to date.
enum class FilterIndex { Sender, Recipients, Codes };
void createFilterIndex(sql::Database &db, FilterIndex which);
bool hasFilterIndex(sql::Database &db, FilterIndex which);
// All of them (a migration that dropped them builds them again).
void createIndexes(sql::Database &db);
bool hasIndexes(sql::Database &db);
// The indexes that lookups by queue id or Message-ID need; built once per cache, by whoever needs
// them first.
void createLookupIndexes(sql::Database &db);
bool hasLookupIndexes(sql::Database &db);
// The filter indexes (committed first, on their own), then those and the indexes that only
// ordering by other columns needs, in one transaction.
void createDeferredIndexes(sql::Database &db);
bool hasDeferredIndexes(sql::Database &db);
// Before an import large enough that building them again afterwards costs less than updating them
// row by row (a random page of every index for every row). The filter indexes stay: there are few
// of them, and the window's filters keep answering from them while the import runs.
// In the caller's transaction, undone with it.
void dropDeferredIndexes(sql::Database &db);

// Adds messages ?1 to ?2 to the free-text index: their addresses, ids, client, relays and every
// reply text of every recipient and attempt, and the words of those joined by a dot or hyphen
// (textwords), through a function it registers on `db`.
const std::string &indexTextSql(sql::Database &db);
// Adds messages `first` to `last` to the free-text index in one statement (indexTextSql()), after
// emptying the index when `fromScratch`, in the caller's transaction, with the settings a large
// build needs (figures in docs/store.md).
void indexText(sql::Database &db, std::int64_t first, std::int64_t last, bool fromScratch = false);
// Whether that text of message `m` contains a lower-case term, given as each of the
// containsTextParameters() parameters.
const std::string &containsTextSql();
int containsTextParameters();

// Layout 5 keeps the strings that repeat (relays, enhanced status codes) once, in dictionaries,
// and an id in each row. The enhanced code of a row of deliveries or attempts, as an
// SQL expression over its alias ("d", "a"); NULL where it has none.
std::string dsnOf(std::string_view alias);
// Layout 12 keeps no first recipient in the messages: a message's listed recipient (its first not
// refused at RCPT, else its first), as an SQL expression over the messages' alias ("m"); NULL for
// a message without deliveries. Reads any layout.
std::string firstRecipientOf(std::string_view alias);
// Layout 14 stores a message's Message-ID, client name and client address encoded where that is
// shorter (replycodec, ipcodec): their texts, as SQL expressions over the messages' alias ("m").
// Read any layout (an older one's texts are themselves).
std::string messageIdOf(std::string_view alias);
std::string clientHostOf(std::string_view alias);
std::string clientIpOf(std::string_view alias);

} // namespace mailtrail::schema
