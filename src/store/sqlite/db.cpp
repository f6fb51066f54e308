#include "store/sqlite/db.h"

#include <fmt/format.h>

namespace modelwatch::store::sqlite {
namespace {

std::string_view Advice(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another process holds a lock on it: stop the other modelwatch using this file "
             "or point storage.sqlite at another path";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the file is corrupt or not a modelwatch database: move it aside (modelwatch "
             "then starts a new one) or restore a backup";
    case SQLITE_FULL:
      return "the disk is full: free space on the disk holding it; results are held in "
             "memory meanwhile";
    case SQLITE_CANTOPEN:
      return "check that its directory exists and is writable by this user";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "it is read-only: check the permissions of the file and its directory";
    case SQLITE_IOERR:
      return "the disk reported an I/O error: check the disk and free space";
    default:
      return "";
  }
}

}  // namespace

Status Db::Open(bool create) {
  if (db_) {
    return Status::Ok();
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path_.c_str(), &raw,
      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db(raw);  // sqlite3_open_v2 hands back a handle even on failure
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::Unavailable(
        fmt::format("sqlite {}: cannot open: {}; {}", path_, msg, Advice(rc)));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_extended_result_codes(db.get(), 1);
  db_ = std::move(db);
  return Status::Ok();
}

void Db::Close() {
  stmts_.clear();
  db_.reset();
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err);
  if (err != nullptr) {
    sqlite3_free(err);
  }
  if (rc != SQLITE_OK) {
    return Error(rc, sql);
  }
  return Status::Ok();
}

sqlite3_stmt* Db::Prepare(const char* sql, Status* error) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) {
    sqlite3_reset(it->second.get());
    sqlite3_clear_bindings(it->second.get());
    return it->second.get();
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  SqliteStmt stmt(raw);
  if (rc != SQLITE_OK) {
    *error = Error(rc, "prepare");
    return nullptr;
  }
  return stmts_.emplace(sql, std::move(stmt)).first->second.get();
}

Status Db::Step(sqlite3_stmt* stmt, std::string_view what) {
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Status st = Error(rc, what);
    sqlite3_reset(stmt);
    return st;
  }
  sqlite3_reset(stmt);
  return Status::Ok();
}

Status Db::Error(int rc, std::string_view what) const {
  std::string msg = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  std::string_view advice = Advice(rc);
  std::string text = fmt::format("sqlite {}: {}: {}", path_, what, msg);
  if (!advice.empty()) {
    text += fmt::format("; {}", advice);
  }
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Status::Internal(std::move(text));
  }
  return Status::Unavailable(std::move(text));
}

void BindText(sqlite3_stmt* s, int i, std::string_view text) {
  sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void BindBlob(sqlite3_stmt* s, int i, std::string_view data) {
  sqlite3_bind_blob(s, i, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
}

std::string_view ColumnText(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p == nullptr ? std::string_view() : std::string_view(p, sqlite3_column_bytes(s, i));
}

std::string_view ColumnBlob(sqlite3_stmt* s, int i) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
  return p == nullptr ? std::string_view() : std::string_view(p, sqlite3_column_bytes(s, i));
}

}  // namespace modelwatch::store::sqlite
