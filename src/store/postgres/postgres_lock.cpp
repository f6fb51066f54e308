// Instance locks on PostgreSQL: a row per lock on the side connection. A
// missing row is inserted with ON CONFLICT DO NOTHING (a concurrent claimer
// waits for the first to commit, then finds its row); an existing one is read
// FOR UPDATE, so two claimers decide one after the other.
#include <cstdlib>
#include <optional>
#include <string>

#include "store/postgres/postgres_backend.h"

namespace modelwatch::store::postgres {
namespace {

int64_t Int64(PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}

}  // namespace

Result<LockRow> PostgresBackend::ClaimLock(const LockRow& mine, int64_t now_ms,
                                           const MayTakeLock& may_take) {
  std::lock_guard lock(side_mu_);
  if (Status st = OpenSide(); !st.ok()) {
    return st;
  }
  if (Status st = side_.Exec("BEGIN"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<LockRow> {
    if (side_.is_open()) {
      (void)side_.Exec("ROLLBACK");
    }
    return s;
  };
  std::string pid = std::to_string(mine.pid);
  std::string since = std::to_string(mine.since_ms);
  std::string heartbeat = std::to_string(mine.heartbeat_ms);
  std::string until = std::to_string(mine.lease_until_ms);
  auto ins = side_.Query(
      "INSERT INTO instance_lock (name, owner, host, pid, since_ms, heartbeat_ms, lease_until_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING owner",
      {mine.name.c_str(), mine.owner.c_str(), mine.host.c_str(), pid.c_str(), since.c_str(),
       heartbeat.c_str(), until.c_str()});
  if (!ins) {
    return fail(ins.error());
  }
  if (PQntuples(ins->get()) == 1) {
    if (Status st = side_.Exec("COMMIT"); !st.ok()) {
      return fail(st);
    }
    return mine;
  }
  auto sel = side_.Query(
      "SELECT owner, host, pid, since_ms, heartbeat_ms, lease_until_ms FROM instance_lock "
      "WHERE name = $1 FOR UPDATE",
      {mine.name.c_str()});
  if (!sel) {
    return fail(sel.error());
  }
  if (PQntuples(sel->get()) != 1) {
    // Released between the insert and the read: the next claim inserts.
    return fail(Status::Unavailable("postgres " + side_.redacted_url() +
                                    ": the instance lock changed while it was claimed; retrying"));
  }
  PGresult* r = sel->get();
  LockRow holder;
  holder.name = mine.name;
  holder.owner = PQgetvalue(r, 0, 0);
  holder.host = PQgetvalue(r, 0, 1);
  holder.pid = Int64(r, 0, 2);
  holder.since_ms = Int64(r, 0, 3);
  holder.heartbeat_ms = Int64(r, 0, 4);
  holder.lease_until_ms = Int64(r, 0, 5);
  bool own = holder.owner == mine.owner;
  if (!own && holder.lease_until_ms >= now_ms && !(may_take && may_take(holder))) {
    (void)side_.Exec("ROLLBACK");
    return holder;
  }
  LockRow row = mine;
  if (own) {
    row.since_ms = holder.since_ms;
  }
  since = std::to_string(row.since_ms);
  auto up = side_.Query(
      "UPDATE instance_lock SET owner = $2, host = $3, pid = $4, since_ms = $5, heartbeat_ms = $6, "
      "lease_until_ms = $7 WHERE name = $1",
      {row.name.c_str(), row.owner.c_str(), row.host.c_str(), pid.c_str(), since.c_str(),
       heartbeat.c_str(), until.c_str()});
  if (!up) {
    return fail(up.error());
  }
  if (Status st = side_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  return row;
}

Status PostgresBackend::ReleaseLock(const std::string& name, const std::string& owner) {
  std::lock_guard lock(side_mu_);
  if (Status st = OpenSide(); !st.ok()) {
    return st;
  }
  auto del = side_.Query("DELETE FROM instance_lock WHERE name = $1 AND owner = $2",
                         {name.c_str(), owner.c_str()});
  return del ? Status::Ok() : del.error();
}

}  // namespace modelwatch::store::postgres
