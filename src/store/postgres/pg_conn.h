#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/c_free.h"

namespace modelwatch::store::postgres {

using PgConnPtr = std::unique_ptr<PGconn, CFree<PQfinish>>;
using PgResult = std::unique_ptr<PGresult, CFree<PQclear>>;

// One PostgreSQL connection. Not thread-safe. Errors name the server by its
// URL without password and say what to do; a broken connection is closed so
// the next Open reconnects.
class Conn {
 public:
  Conn(std::string url, std::string schema);

  // Connects (when not connected) and selects the schema, creating it.
  Status Open();
  bool is_open() const { return conn_ != nullptr; }
  void Close() { conn_.reset(); }

  Status Exec(const std::string& sql);
  // Runs `sql` with text parameters (nullopt = NULL); the result when it
  // returned rows or a command status.
  Result<PgResult> Query(const std::string& sql, const std::vector<const char*>& params);
  // Streams the rows of `sql` one at a time (single-row mode); `row` returns
  // false to stop early.
  Status Stream(const std::string& sql, const std::vector<const char*>& params,
                const std::function<bool(PGresult* row)>& row);
  // COPY ... FROM STDIN with `data` in COPY's text format.
  Status Copy(const std::string& sql, std::string_view data);

  // What failed, the server's message and advice; closes a broken connection.
  Status Error(std::string_view what, const PGresult* res = nullptr);

  const std::string& redacted_url() const { return redacted_; }
  PGconn* get() const { return conn_.get(); }

 private:
  std::string url_;  // holds the password: never in a message
  std::string redacted_;
  std::string schema_;
  PgConnPtr conn_;
};

// "name" quoted as an SQL identifier.
std::string QuoteIdent(std::string_view name);
// Hex text of `data` ("\x0a1b" is PostgreSQL's bytea input form without "\x").
std::string ToHex(std::string_view data);
// Decodes bytea text output ("\x0a1b"); false on anything else.
bool FromByteaText(std::string_view text, std::string* out);

}  // namespace modelwatch::store::postgres
