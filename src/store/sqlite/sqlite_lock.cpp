// Instance locks on SQLite: a row per lock, claimed under BEGIN IMMEDIATE so
// two processes claiming at once are serialized by the database lock.
#include <fmt/format.h>

#include "store/sqlite/sqlite_backend.h"

namespace modelwatch::store::sqlite {
namespace {

constexpr const char* kSelectLock =
    "SELECT owner, host, pid, since_ms, heartbeat_ms, lease_until_ms FROM instance_lock "
    "WHERE name = ?1";
constexpr const char* kUpsertLock =
    "INSERT INTO instance_lock (name, owner, host, pid, since_ms, heartbeat_ms, lease_until_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET owner = ?2, host = ?3, "
    "pid = ?4, since_ms = ?5, heartbeat_ms = ?6, lease_until_ms = ?7";
constexpr const char* kDeleteLock = "DELETE FROM instance_lock WHERE name = ?1 AND owner = ?2";

}  // namespace

Result<LockRow> SqliteBackend::ClaimLock(const LockRow& mine, int64_t now_ms,
                                         const MayTakeLock& may_take) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<LockRow> {
    (void)writer_.Exec("ROLLBACK");
    return s;
  };
  Status st;
  sqlite3_stmt* sel = writer_.Prepare(kSelectLock, &st);
  if (sel == nullptr) {
    return fail(st);
  }
  BindText(sel, 1, mine.name);
  int rc = sqlite3_step(sel);
  std::optional<LockRow> holder;
  if (rc == SQLITE_ROW) {
    LockRow h;
    h.name = mine.name;
    h.owner = ColumnText(sel, 0);
    h.host = ColumnText(sel, 1);
    h.pid = sqlite3_column_int64(sel, 2);
    h.since_ms = sqlite3_column_int64(sel, 3);
    h.heartbeat_ms = sqlite3_column_int64(sel, 4);
    h.lease_until_ms = sqlite3_column_int64(sel, 5);
    holder = std::move(h);
  } else if (rc != SQLITE_DONE) {
    Status err = writer_.Error(rc, "read instance lock");
    sqlite3_reset(sel);
    return fail(err);
  }
  sqlite3_reset(sel);
  LockRow row = mine;
  if (holder) {
    bool own = holder->owner == mine.owner;
    if (!own && holder->lease_until_ms >= now_ms && !(may_take && may_take(*holder))) {
      (void)writer_.Exec("ROLLBACK");
      return *holder;
    }
    if (own) {
      row.since_ms = holder->since_ms;
    }
  }
  sqlite3_stmt* up = writer_.Prepare(kUpsertLock, &st);
  if (up == nullptr) {
    return fail(st);
  }
  BindText(up, 1, row.name);
  BindText(up, 2, row.owner);
  BindText(up, 3, row.host);
  sqlite3_bind_int64(up, 4, row.pid);
  sqlite3_bind_int64(up, 5, row.since_ms);
  sqlite3_bind_int64(up, 6, row.heartbeat_ms);
  sqlite3_bind_int64(up, 7, row.lease_until_ms);
  if (st = writer_.Step(up, "write instance lock"); !st.ok()) {
    return fail(st);
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  return row;
}

Status SqliteBackend::ReleaseLock(const std::string& name, const std::string& owner) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  Status st;
  sqlite3_stmt* del = writer_.Prepare(kDeleteLock, &st);
  if (del == nullptr) {
    return st;
  }
  BindText(del, 1, name);
  BindText(del, 2, owner);
  return writer_.Step(del, "release instance lock");
}

}  // namespace modelwatch::store::sqlite
