#include "store/sqlite/sqlite_backend.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "store/codes.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sql.h"

namespace modelwatch::store::sqlite {

SqliteBackend::SqliteBackend(std::string path, CheckpointOptions checkpoints)
    : path_(std::move(path)), checkpointer_(path_, checkpoints), writer_(path_), reader_(path_) {}

std::string SqliteBackend::Describe() const { return "sqlite " + path_; }

Status SqliteBackend::CheckSameFileLocked() const {
  if (file_id_.ino == 0) {
    return Status::Ok();
  }
  struct stat now {};
  bool gone = stat(path_.c_str(), &now) != 0 && errno == ENOENT;
  if (!gone && static_cast<uint64_t>(now.st_dev) == file_id_.dev &&
      static_cast<uint64_t>(now.st_ino) == file_id_.ino) {
    return Status::Ok();
  }
  // Writing on would go into a file nobody can read any more (deleted), or
  // mix two histories (replaced): hold the results instead.
  return Status::Unavailable(fmt::format(
      "sqlite {}: the database file was {} while modelwatch was running: results are held in "
      "memory, not written; put the file back (writing resumes), or restart modelwatch to "
      "start on the file now at that path",
      path_, gone ? "deleted" : "replaced or moved"));
}

void SqliteBackend::CloseWriterLocked() {
  writer_.Close();
  writer_ids_.clear();
  latest_.clear();
  data_version_ = -1;
}

Status SqliteBackend::Connect() {
  std::lock_guard lock(write_mu_);
  if (writer_.is_open()) {
    return Status::Ok();
  }
  // Never create a new file where the one in use was deleted.
  if (Status same = CheckSameFileLocked(); !same.ok()) {
    return same;
  }
  Status st = writer_.Open();
  if (!st.ok()) {
    return st;
  }
  auto fail = [&](Status s) {
    writer_.Close();
    return s;
  };
  // SQLite quietly opens a file it may not write read-only; every write
  // would then fail on this connection even after the permission is fixed.
  if (sqlite3_db_readonly(writer_.get(), "main") == 1) {
    return fail(Status::Unavailable(fmt::format(
        "sqlite {}: cannot write: it is read-only: check the permissions of the file and its "
        "directory (results are held in memory and written once it is writable)",
        path_)));
  }
  // journal_mode answers with the mode in force; "wal" unless the file
  // system cannot share memory between processes.
  sqlite3_stmt* mode = writer_.Prepare("PRAGMA journal_mode=WAL", &st);
  if (mode == nullptr) {
    return fail(st);
  }
  int rc = sqlite3_step(mode);
  if (rc != SQLITE_ROW) {
    return fail(writer_.Error(rc, "enable WAL"));
  }
  std::string got(ColumnText(mode, 0));
  sqlite3_reset(mode);
  if (got != "wal") {
    return fail(Status::Unavailable(fmt::format(
        "sqlite {}: cannot use WAL journal mode (got \"{}\"): put the file on a local disk", path_,
        got)));
  }
  if (st = writer_.Exec("PRAGMA synchronous=NORMAL"); !st.ok()) {
    return fail(st);
  }
  if (st = checkpointer_.Attach(writer_); !st.ok()) {
    return fail(st);
  }

  if (st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return fail(st);
  }
  auto rollback = [&](Status s) {
    (void)writer_.Exec("ROLLBACK");
    return fail(s);
  };
  int64_t version = 0;
  sqlite3_stmt* has = writer_.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", &st);
  if (has == nullptr) {
    return rollback(st);
  }
  rc = sqlite3_step(has);
  if (rc != SQLITE_ROW) {
    return rollback(writer_.Error(rc, "read schema version"));
  }
  bool has_table = sqlite3_column_int(has, 0) > 0;
  sqlite3_reset(has);
  if (has_table) {
    sqlite3_stmt* v = writer_.Prepare("SELECT max(version) FROM schema_version", &st);
    if (v == nullptr) {
      return rollback(st);
    }
    rc = sqlite3_step(v);
    if (rc != SQLITE_ROW) {
      return rollback(writer_.Error(rc, "read schema version"));
    }
    version = sqlite3_column_int64(v, 0);
    sqlite3_reset(v);
  } else if (st = writer_.Exec("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                               "INSERT INTO schema_version VALUES (0)");
             !st.ok()) {
    return rollback(st);
  }
  if (version > kSchemaVersion) {
    return rollback(Status::InvalidArgument(fmt::format(
        "sqlite {}: the database has schema version {}, newer than this modelwatch knows "
        "({}): run a newer modelwatch, or point storage.sqlite at another file",
        path_, version, kSchemaVersion)));
  }
  for (int64_t v = version; v < kSchemaVersion; ++v) {
    if (st = writer_.Exec(kMigrations[v]); !st.ok()) {
      return rollback(st.WithContext(fmt::format("migration to schema version {}", v + 1)));
    }
  }
  sqlite3_stmt* set = writer_.Prepare("UPDATE schema_version SET version = ?1", &st);
  if (set == nullptr) {
    return rollback(st);
  }
  sqlite3_bind_int(set, 1, kSchemaVersion);
  if (st = writer_.Step(set, "write schema version"); !st.ok()) {
    return rollback(st);
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return rollback(st);
  }
  writer_ids_.clear();
  if (file_id_.ino == 0) {
    struct stat first {};
    if (stat(path_.c_str(), &first) == 0) {
      file_id_ = {static_cast<uint64_t>(first.st_dev), static_cast<uint64_t>(first.st_ino)};
    }
  } else if (Status same = CheckSameFileLocked(); !same.ok()) {
    return fail(same);  // replaced while closed
  }
  return Status::Ok();
}

Result<int64_t> SqliteBackend::MonitorId(const std::string& name) {
  auto it = writer_ids_.find(name);
  if (it != writer_ids_.end()) {
    return it->second;
  }
  Status st;
  sqlite3_stmt* ins = writer_.Prepare(kInsertMonitor, &st);
  if (ins == nullptr) {
    return st;
  }
  BindText(ins, 1, name);
  if (st = writer_.Step(ins, "add monitor"); !st.ok()) {
    return st;
  }
  sqlite3_stmt* sel = writer_.Prepare(kSelectMonitorId, &st);
  if (sel == nullptr) {
    return st;
  }
  BindText(sel, 1, name);
  int rc = sqlite3_step(sel);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(sel);
    return writer_.Error(rc, "read monitor id");
  }
  int64_t id = sqlite3_column_int64(sel, 0);
  sqlite3_reset(sel);
  writer_ids_.emplace(name, id);
  return id;
}

Status SqliteBackend::Write(WriteBatch& batch) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status same = CheckSameFileLocked(); !same.ok()) {
    return same;
  }
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    CloseWriterLocked();
    return st;
  }
  // Another connection's commit may have changed any rollup: forget them.
  Status st;
  sqlite3_stmt* dv = writer_.Prepare("PRAGMA data_version", &st);
  if (dv != nullptr && sqlite3_step(dv) == SQLITE_ROW) {
    int64_t v = sqlite3_column_int64(dv, 0);
    if (v != data_version_) {
      latest_.clear();
      data_version_ = v;
    }
  } else {
    latest_.clear();
  }
  if (dv != nullptr) {
    sqlite3_reset(dv);
  }
  st = WriteLocked(batch.results, batch.states);
  if (st.ok()) {
    st = WriteAlertsLocked(batch);
  }
  if (st.ok()) {
    st = writer_.Exec("COMMIT");
  }
  if (!st.ok()) {
    (void)writer_.Exec("ROLLBACK");
    // Reopened for the retry: a connection that failed (read-only, I/O
    // error) may keep failing after the cause is gone. This also forgets the
    // ids and rollups of the rolled-back transaction.
    CloseWriterLocked();
  }
  return st;
}

Status SqliteBackend::WriteLocked(std::span<const CheckResult> results,
                                  std::span<const MonitorState> states) {
  Status st;
  sqlite3_stmt* ins = writer_.Prepare(kInsertResult, &st);
  if (ins == nullptr) {
    return st;
  }
  for (const CheckResult& r : results) {
    auto id = MonitorId(r.monitor);
    if (!id) {
      return id.error();
    }
    sqlite3_clear_bindings(ins);
    BindResult(ins, *id, r);
    if (st = writer_.Step(ins, "insert result"); !st.ok()) {
      return st;
    }
  }
  Rollup existing;
  auto read_row = [&](sqlite3_stmt* sel, const std::string& monitor, int start_col,
                      int64_t* start) -> Result<bool> {
    int rc = sqlite3_step(sel);
    if (rc == SQLITE_DONE) {
      sqlite3_reset(sel);
      return false;
    }
    if (rc != SQLITE_ROW) {
      Status err = writer_.Error(rc, "read rollup");
      sqlite3_reset(sel);
      return err;
    }
    if (start != nullptr) {
      *start = sqlite3_column_int64(sel, start_col);
    }
    bool ok = DecodeRollup(ColumnBlob(sel, start_col + 1), &existing);
    sqlite3_reset(sel);
    if (!ok) {
      return Status::Internal(fmt::format(
          "sqlite {}: a rollup row of monitor \"{}\" is unreadable: the database is corrupt; "
          "move it aside or restore a backup",
          path_, monitor));
    }
    return true;
  };
  for (const auto& [key, delta] : AggregateRollups(results)) {
    const auto& [res, monitor, start] = key;
    const RollupSql& sql = kRollupSql[static_cast<int>(res)];
    auto id = MonitorId(monitor);
    if (!id) {
      return id.error();
    }
    std::pair<int, int64_t> ck(static_cast<int>(res), *id);
    // What the database holds for this monitor's newest bucket, as of this
    // transaction: cached, else read.
    auto it = latest_.find(ck);
    if (it == latest_.end()) {
      sqlite3_stmt* sel = writer_.Prepare(sql.latest, &st);
      if (sel == nullptr) {
        return st;
      }
      sqlite3_bind_int64(sel, 1, *id);
      Latest l;
      auto found = read_row(sel, monitor, 0, &l.start);
      if (!found) {
        return found.error();
      }
      l.rollup = *found ? existing : Rollup();
      l.start = *found ? l.start : INT64_MIN;
      it = latest_.emplace(ck, std::move(l)).first;
    }
    Latest& newest = it->second;
    Rollup merged = delta;
    if (start == newest.start) {
      merged.Merge(newest.rollup);
    } else if (start < newest.start) {
      // A late result for an older bucket: read that row.
      sqlite3_stmt* sel = writer_.Prepare(sql.select, &st);
      if (sel == nullptr) {
        return st;
      }
      sqlite3_bind_int64(sel, 1, *id);
      sqlite3_bind_int64(sel, 2, start);
      auto found = read_row(sel, monitor, -1, nullptr);
      if (!found) {
        return found.error();
      }
      if (*found) {
        merged.Merge(existing);
      }
    }  // else: a bucket newer than any stored: nothing to merge.
    if (start >= newest.start) {
      newest.start = start;
      newest.rollup = merged;
    }
    sqlite3_stmt* up = writer_.Prepare(sql.upsert, &st);
    if (up == nullptr) {
      return st;
    }
    sqlite3_bind_int64(up, 1, *id);
    sqlite3_bind_int64(up, 2, start);
    BindBlob(up, 3, EncodeRollup(merged));
    if (st = writer_.Step(up, "write rollup"); !st.ok()) {
      return st;
    }
  }
  for (const MonitorState& s : states) {
    auto id = MonitorId(s.monitor);
    if (!id) {
      return id.error();
    }
    sqlite3_stmt* up = writer_.Prepare(kUpsertState, &st);
    if (up == nullptr) {
      return st;
    }
    sqlite3_bind_int64(up, 1, *id);
    sqlite3_bind_int(up, 2, s.consecutive_failures);
    sqlite3_bind_int(up, 3, s.consecutive_successes);
    if (s.last_status) {
      sqlite3_bind_int(up, 4, StatusToDb(*s.last_status));
    }
    BindOptionalTime(up, 5, s.last_check);
    BindOptionalTime(up, 6, s.last_alert);
    BindOptionalTime(up, 7, s.last_resolved);
    BindText(up, 8, s.extra);
    if (st = writer_.Step(up, "write monitor state"); !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Result<int64_t> SqliteBackend::Prune(const PruneCutoffs& c, int limit) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<int64_t> {
    (void)writer_.Exec("ROLLBACK");
    return s;
  };
  Status st;
  int64_t deleted = 0;
  // Raw rows go in id order, which is time order but for late writes: each
  // step looks at the next `limit` rows from a cursor and deletes the old
  // ones; a pass ends at the first stretch without any.
  sqlite3_stmt* scan = writer_.Prepare(kPruneScan, &st);
  if (scan == nullptr) {
    return fail(st);
  }
  sqlite3_bind_int64(scan, 1, prune_cursor_);
  sqlite3_bind_int64(scan, 2, limit);
  sqlite3_bind_int64(scan, 3, c.raw_ms);
  int rc = sqlite3_step(scan);
  if (rc != SQLITE_ROW) {
    Status err = writer_.Error(rc, "prune results");
    sqlite3_reset(scan);
    return fail(err);
  }
  bool any = sqlite3_column_type(scan, 0) != SQLITE_NULL;
  int64_t last = sqlite3_column_int64(scan, 0);
  auto old_rows = static_cast<int64_t>(sqlite3_column_double(scan, 1));
  sqlite3_reset(scan);
  if (!any || old_rows == 0) {
    prune_cursor_ = 0;  // the next pass starts from the oldest row again
  } else {
    sqlite3_stmt* raw = writer_.Prepare(kPruneResults, &st);
    if (raw == nullptr) {
      return fail(st);
    }
    sqlite3_bind_int64(raw, 1, prune_cursor_);
    sqlite3_bind_int64(raw, 2, last);
    sqlite3_bind_int64(raw, 3, c.raw_ms);
    if (st = writer_.Step(raw, "prune results"); !st.ok()) {
      return fail(st);
    }
    deleted += sqlite3_changes(writer_.get());
    prune_cursor_ = last + 1;
  }

  if (deleted < limit) {
    std::vector<int64_t> ids;
    sqlite3_stmt* all = writer_.Prepare(kSelectMonitors, &st);
    if (all == nullptr) {
      return fail(st);
    }
    while (sqlite3_step(all) == SQLITE_ROW) {
      ids.push_back(sqlite3_column_int64(all, 0));
    }
    sqlite3_reset(all);
    const int64_t cutoffs[kResolutionCount] = {c.minute_ms, c.rollup_ms, c.rollup_ms};
    for (int res = 0; res < kResolutionCount && deleted < limit; ++res) {
      int64_t span = (limit - deleted) * Length(static_cast<Resolution>(res)).count();
      for (int64_t id : ids) {
        sqlite3_stmt* del = writer_.Prepare(kRollupSql[res].prune, &st);
        if (del == nullptr) {
          return fail(st);
        }
        sqlite3_bind_int64(del, 1, id);
        sqlite3_bind_int64(del, 2, cutoffs[res]);
        sqlite3_bind_int64(del, 3, span);
        if (st = writer_.Step(del, "prune rollups"); !st.ok()) {
          return fail(st);
        }
        int changes = sqlite3_changes(writer_.get());
        deleted += changes;
        if (changes > 0) {
          latest_.clear();  // a cached newest row may be among them
        }
        if (deleted >= limit) {
          break;
        }
      }
    }
  }
  if (deleted < limit) {
    auto alerts = PruneAlertsLocked(c.raw_ms, limit - static_cast<int>(deleted));
    if (!alerts) {
      return fail(alerts.error());
    }
    deleted += *alerts;
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  return deleted;
}

}  // namespace modelwatch::store::sqlite
