#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/c_free.h"

namespace modelwatch::store::sqlite {

using SqliteDb = std::unique_ptr<sqlite3, CFree<sqlite3_close>>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, CFree<sqlite3_finalize>>;

// One SQLite connection with a cache of prepared statements. Not
// thread-safe: each connection is used by one thread at a time.
class Db {
 public:
  explicit Db(std::string path) : path_(std::move(path)) {}

  // Opens the file (creating it unless `create` is false), with a busy
  // timeout so a short lock held by a reader or checkpoint waits instead of
  // failing.
  Status Open(bool create = true);
  bool is_open() const { return db_ != nullptr; }
  void Close();

  // Runs one or more statements without results.
  Status Exec(const char* sql);
  // A cached statement, reset with bindings cleared; owned by the Db and
  // valid until Close. Null on error (see the Status in *error).
  sqlite3_stmt* Prepare(const char* sql, Status* error);

  // Runs a statement without results to completion.
  Status Step(sqlite3_stmt* stmt, std::string_view what);

  // A Status for return code `rc`: what failed, SQLite's message, and what
  // the operator can do about it, naming the path.
  Status Error(int rc, std::string_view what) const;

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  // The connection dies after its statements (members die in reverse order).
  SqliteDb db_;
  std::map<const char*, SqliteStmt> stmts_;  // keyed by the SQL literal's address
};

// Binding helpers; text is copied (SQLITE_TRANSIENT).
void BindText(sqlite3_stmt* s, int i, std::string_view text);
void BindBlob(sqlite3_stmt* s, int i, std::string_view data);
std::string_view ColumnText(sqlite3_stmt* s, int i);
std::string_view ColumnBlob(sqlite3_stmt* s, int i);

}  // namespace modelwatch::store::sqlite
