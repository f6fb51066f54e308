// The SQLite engine's outbox, alert history and silences.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "store/sqlite/rows.h"
#include "store/sqlite/sql.h"
#include "store/sqlite/sqlite_backend.h"

namespace modelwatch::store::sqlite {
namespace {

void BindInt(sqlite3_stmt* s, int i, size_t v) {
  sqlite3_bind_int64(s, i, static_cast<int64_t>(std::min<size_t>(v, INT64_MAX)));
}

// The columns of MW_OUTBOX_COLUMNS (sql.h).
OutboxMessage ColumnMessage(sqlite3_stmt* s) {
  OutboxMessage m;
  m.id = sqlite3_column_int64(s, 0);
  m.key = std::string(ColumnText(s, 1));
  m.channel = std::string(ColumnText(s, 2));
  m.payload = std::string(ColumnText(s, 3));
  m.created = FromUnixMillis(sqlite3_column_int64(s, 4));
  m.attempts = sqlite3_column_int(s, 5);
  m.next_attempt = FromUnixMillis(sqlite3_column_int64(s, 6));
  m.last_error = std::string(ColumnText(s, 7));
  m.delivered = ColumnOptionalTime(s, 8);
  m.claimed_by = std::string(ColumnText(s, 9));
  m.claim_until = ColumnOptionalTime(s, 10);
  return m;
}

// Runs `s` (bindings set) and collects its rows with `read`.
template <typename T, typename Read>
Result<std::vector<T>> Collect(Db& db, sqlite3_stmt* s, Read read, std::string_view what) {
  ResetOnExit reset{s};
  std::vector<T> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.push_back(read(s));
  }
  if (rc != SQLITE_DONE) {
    return db.Error(rc, what);
  }
  return out;
}

}  // namespace

Status SqliteBackend::WriteAlertsLocked(WriteBatch& batch) {
  Status st = WriteSourceEventsLocked(batch);
  if (!st.ok()) {
    return st;
  }
  for (const AlertEvent& e : batch.events) {
    sqlite3_stmt* ins = writer_.Prepare(kInsertEvent, &st);
    if (ins == nullptr) {
      return st;
    }
    BindText(ins, 1, e.monitor);
    BindText(ins, 2, e.rule);
    BindText(ins, 3, e.level);
    BindText(ins, 4, e.kind);
    sqlite3_bind_int64(ins, 5, ToUnixMillis(e.at));
    BindText(ins, 6, e.message);
    sqlite3_bind_int(ins, 7, e.silenced ? 1 : 0);
    if (st = writer_.Step(ins, "insert alert event"); !st.ok()) {
      return st;
    }
  }
  for (OutboxMessage& m : batch.messages) {
    sqlite3_stmt* ins = writer_.Prepare(kInsertMessage, &st);
    if (ins == nullptr) {
      return st;
    }
    BindText(ins, 1, m.key);
    BindText(ins, 2, m.channel);
    BindText(ins, 3, m.payload);
    sqlite3_bind_int64(ins, 4, ToUnixMillis(m.created));
    sqlite3_bind_int(ins, 5, m.attempts);
    sqlite3_bind_int64(ins, 6, ToUnixMillis(m.next_attempt));
    BindText(ins, 7, m.last_error);
    BindOptionalTime(ins, 8, m.delivered);
    BindText(ins, 9, m.claimed_by);
    BindOptionalTime(ins, 10, m.claim_until);
    if (st = writer_.Step(ins, "insert outbox message"); !st.ok()) {
      return st;
    }
    m.id = sqlite3_changes(writer_.get()) == 1 ? sqlite3_last_insert_rowid(writer_.get()) : 0;
  }
  for (const OutboxUpdate& u : batch.updates) {
    sqlite3_stmt* up = writer_.Prepare(u.delivered     ? kMarkDelivered
                                       : u.renew_until ? kRenewClaim
                                                       : kMarkFailed,
                                       &st);
    if (up == nullptr) {
      return st;
    }
    sqlite3_bind_int64(up, 1, u.id);
    if (u.renew_until) {
      BindText(up, 2, u.renew_owner);
      sqlite3_bind_int64(up, 3, ToUnixMillis(*u.renew_until));
      sqlite3_bind_int64(up, 4, ToUnixMillis(u.renew_now));
    } else if (u.delivered) {
      sqlite3_bind_int64(up, 2, ToUnixMillis(*u.delivered));
    } else {
      sqlite3_bind_int(up, 2, u.attempts);
      sqlite3_bind_int64(up, 3, ToUnixMillis(u.next_attempt));
      BindText(up, 4, u.error);
    }
    if (st = writer_.Step(up, "update outbox message"); !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Result<int64_t> SqliteBackend::PruneAlertsLocked(int64_t cutoff_ms, int limit) {
  int64_t deleted = 0;
  for (const char* sql : {kPruneOutbox, kPruneEvents, kPruneSilences, kPruneSourceEvents}) {
    if (deleted >= limit) {
      break;
    }
    Status st;
    sqlite3_stmt* del = writer_.Prepare(sql, &st);
    if (del == nullptr) {
      return st;
    }
    sqlite3_bind_int64(del, 1, cutoff_ms);
    sqlite3_bind_int64(del, 2, limit - deleted);
    if (st = writer_.Step(del, "prune alert history"); !st.ok()) {
      return st;
    }
    deleted += sqlite3_changes(writer_.get());
  }
  return deleted;
}

Result<std::vector<OutboxMessage>> SqliteBackend::ClaimOutbox(const std::string& owner,
                                                              int64_t now_ms, int64_t until_ms,
                                                              size_t limit) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<std::vector<OutboxMessage>> {
    (void)writer_.Exec("ROLLBACK");
    return s;
  };
  Status st;
  sqlite3_stmt* sel = writer_.Prepare(kSelectClaimable, &st);
  if (sel == nullptr) {
    return fail(st);
  }
  sqlite3_bind_int64(sel, 1, now_ms);
  BindInt(sel, 2, limit);
  auto claimed = Collect<OutboxMessage>(writer_, sel, ColumnMessage, "read outbox");
  if (!claimed) {
    return fail(claimed.error());
  }
  for (OutboxMessage& m : *claimed) {
    sqlite3_stmt* up = writer_.Prepare(kClaim, &st);
    if (up == nullptr) {
      return fail(st);
    }
    sqlite3_bind_int64(up, 1, m.id);
    BindText(up, 2, owner);
    sqlite3_bind_int64(up, 3, until_ms);
    if (st = writer_.Step(up, "claim outbox message"); !st.ok()) {
      return fail(st);
    }
    m.claimed_by = owner;
    m.claim_until = FromUnixMillis(until_ms);
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  return claimed;
}

Result<int64_t> SqliteBackend::AddSilence(const Silence& silence) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  Status st;
  sqlite3_stmt* ins = writer_.Prepare(kInsertSilence, &st);
  if (ins == nullptr) {
    return st;
  }
  BindText(ins, 1, silence.monitor);
  BindText(ins, 2, silence.rule);
  sqlite3_bind_int64(ins, 3, ToUnixMillis(silence.starts));
  sqlite3_bind_int64(ins, 4, ToUnixMillis(silence.ends));
  BindText(ins, 5, silence.reason);
  BindText(ins, 6, silence.created_by);
  sqlite3_bind_int64(ins, 7, ToUnixMillis(silence.created));
  if (st = writer_.Step(ins, "add silence"); !st.ok()) {
    return st;
  }
  return sqlite3_last_insert_rowid(writer_.get());
}

Status SqliteBackend::RemoveSilence(int64_t id) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  Status st;
  sqlite3_stmt* del = writer_.Prepare(kDeleteSilence, &st);
  if (del == nullptr) {
    return st;
  }
  sqlite3_bind_int64(del, 1, id);
  if (st = writer_.Step(del, "remove silence"); !st.ok()) {
    return st;
  }
  if (sqlite3_changes(writer_.get()) == 0) {
    return Status::NotFound(fmt::format("no silence with id {}", id));
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> SqliteBackend::Outbox(bool undelivered_only, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(undelivered_only ? kSelectUndelivered : kSelectOutbox, &st);
  if (s == nullptr) {
    return st;
  }
  BindInt(s, 1, limit);
  return Collect<OutboxMessage>(reader_, s, ColumnMessage, "read outbox");
}

Result<std::vector<AlertEvent>> SqliteBackend::AlertEvents(const std::string& monitor,
                                                           int64_t since_ms, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(monitor.empty() ? kSelectEvents : kSelectMonitorEvents, &st);
  if (s == nullptr) {
    return st;
  }
  sqlite3_bind_int64(s, 1, since_ms);
  BindInt(s, 2, limit);
  if (!monitor.empty()) {
    BindText(s, 3, monitor);
  }
  return Collect<AlertEvent>(
      reader_, s,
      [](sqlite3_stmt* r) {
        AlertEvent e;
        e.id = sqlite3_column_int64(r, 0);
        e.monitor = std::string(ColumnText(r, 1));
        e.rule = std::string(ColumnText(r, 2));
        e.level = std::string(ColumnText(r, 3));
        e.kind = std::string(ColumnText(r, 4));
        e.at = FromUnixMillis(sqlite3_column_int64(r, 5));
        e.message = std::string(ColumnText(r, 6));
        e.silenced = sqlite3_column_int(r, 7) != 0;
        return e;
      },
      "read alert events");
}

Result<std::vector<Silence>> SqliteBackend::Silences(int64_t now_ms) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(kSelectSilences, &st);
  if (s == nullptr) {
    return st;
  }
  sqlite3_bind_int64(s, 1, now_ms);
  return Collect<Silence>(
      reader_, s,
      [](sqlite3_stmt* r) {
        Silence x;
        x.id = sqlite3_column_int64(r, 0);
        x.monitor = std::string(ColumnText(r, 1));
        x.rule = std::string(ColumnText(r, 2));
        x.starts = FromUnixMillis(sqlite3_column_int64(r, 3));
        x.ends = FromUnixMillis(sqlite3_column_int64(r, 4));
        x.reason = std::string(ColumnText(r, 5));
        x.created_by = std::string(ColumnText(r, 6));
        x.created = FromUnixMillis(sqlite3_column_int64(r, 7));
        return x;
      },
      "read silences");
}

}  // namespace modelwatch::store::sqlite
