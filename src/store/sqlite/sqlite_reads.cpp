// The SQLite engine's read side: its own connection, so scans never wait
// for the writer's transaction (WAL lets both run at once).
#include "store/sqlite/sqlite_backend.h"

#include <fmt/format.h>

#include <algorithm>

#include "store/codes.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sql.h"

namespace modelwatch::store::sqlite {

Status SqliteBackend::ConnectReader() {
  if (reader_.is_open()) {
    return Status::Ok();
  }
  // The writer creates and migrates the file first.
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  reader_ids_.clear();
  return Status::Ok();
}

Status SqliteBackend::RefreshReaderIds() {
  Status st;
  sqlite3_stmt* all = reader_.Prepare(kSelectMonitors, &st);
  if (all == nullptr) {
    return st;
  }
  ResetOnExit reset{all};
  reader_ids_.clear();
  int rc;
  while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
    reader_ids_.emplace(std::string(ColumnText(all, 1)), sqlite3_column_int64(all, 0));
  }
  return rc == SQLITE_DONE ? Status::Ok() : reader_.Error(rc, "list monitors");
}

Status SqliteBackend::ScanResults(const ResultQuery& q, const ResultVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  int64_t since = ToUnixMillis(q.since);
  int64_t until = q.until == WallTime::max() ? INT64_MAX : ToUnixMillis(q.until);
  if (q.monitors.empty()) {
    sqlite3_stmt* s = reader_.Prepare(kScanAllResults, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, until);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      CheckResult r = ColumnResult(s);
      r.monitor = std::string(ColumnText(s, 21));
      if (!fn(r)) {
        return Status::Ok();
      }
    }
    return rc == SQLITE_DONE ? Status::Ok() : reader_.Error(rc, "read results");
  }
  if (st = RefreshReaderIds(); !st.ok()) {
    return st;
  }
  for (const std::string& name : q.monitors) {
    auto it = reader_ids_.find(name);
    if (it == reader_ids_.end()) {
      continue;
    }
    sqlite3_stmt* s = reader_.Prepare(kScanMonitorResults, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, it->second);
    sqlite3_bind_int64(s, 2, since);
    sqlite3_bind_int64(s, 3, until);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      CheckResult r = ColumnResult(s);
      r.monitor = name;
      if (!fn(r)) {
        return Status::Ok();
      }
    }
    if (rc != SQLITE_DONE) {
      return reader_.Error(rc, "read results");
    }
  }
  return Status::Ok();
}

Result<std::vector<ResultCount>> SqliteBackend::CountResults(const std::string& monitor,
                                                             CheckMode mode,
                                                             const std::vector<int64_t>& since_ms,
                                                             int64_t until_ms) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  auto [it, added] = count_sql_.try_emplace(since_ms.size());
  if (added) {
    it->second = CountResultsSql(since_ms.size(), '?');
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(it->second.c_str(), &st);
  if (s == nullptr) {
    return st;
  }
  ResetOnExit reset{s};
  BindText(s, 1, monitor);
  sqlite3_bind_int(s, 2, mode == CheckMode::kLight ? 1 : 0);
  sqlite3_bind_int64(s, 3, *std::min_element(since_ms.begin(), since_ms.end()));
  sqlite3_bind_int64(s, 4, until_ms);
  for (size_t i = 0; i < since_ms.size(); ++i) {
    sqlite3_bind_int64(s, static_cast<int>(5 + i), since_ms[i]);
  }
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    return reader_.Error(rc, "count results");
  }
  std::vector<ResultCount> out(since_ms.size());
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].checks = static_cast<uint64_t>(sqlite3_column_int64(s, static_cast<int>(2 * i)));
    out[i].not_failed = static_cast<uint64_t>(sqlite3_column_int64(s, static_cast<int>(2 * i + 1)));
  }
  return out;
}

Status SqliteBackend::ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                                  int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  std::vector<std::pair<const std::string*, int64_t>> targets;
  std::vector<std::string> all_names;
  bool refreshed = false;
  if (monitors.empty()) {
    if (st = RefreshReaderIds(); !st.ok()) {
      return st;
    }
    for (const auto& [name, id] : reader_ids_) {
      all_names.push_back(name);
    }
    std::sort(all_names.begin(), all_names.end());
    for (const std::string& name : all_names) {
      targets.emplace_back(&name, reader_ids_[name]);
    }
  } else {
    for (const std::string& name : monitors) {
      auto it = reader_ids_.find(name);
      if (it == reader_ids_.end() && !refreshed) {
        if (st = RefreshReaderIds(); !st.ok()) {
          return st;
        }
        refreshed = true;
        it = reader_ids_.find(name);
      }
      if (it != reader_ids_.end()) {
        targets.emplace_back(&name, it->second);
      }
    }
  }
  Rollup rollup;
  for (const auto& [name, id] : targets) {
    sqlite3_stmt* s = reader_.Prepare(kRollupSql[static_cast<int>(res)].scan, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, from_ms);
    sqlite3_bind_int64(s, 3, to_ms);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (!DecodeRollup(ColumnBlob(s, 1), &rollup)) {
        return Status::Internal(fmt::format(
            "sqlite {}: a rollup row of monitor \"{}\" is unreadable: the database is corrupt; "
            "move it aside or restore a backup",
            path_, *name));
      }
      fn(*name, FromUnixMillis(sqlite3_column_int64(s, 0)), rollup);
    }
    if (rc != SQLITE_DONE) {
      return reader_.Error(rc, "read rollups");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteBackend::Monitors() {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  if (Status st = RefreshReaderIds(); !st.ok()) {
    return st;
  }
  std::vector<std::string> out;
  for (const auto& [name, id] : reader_ids_) {
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<MonitorState>> SqliteBackend::States() {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(kSelectStates, &st);
  if (s == nullptr) {
    return st;
  }
  ResetOnExit reset{s};
  std::vector<MonitorState> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    MonitorState m;
    m.monitor = std::string(ColumnText(s, 0));
    m.consecutive_failures = sqlite3_column_int(s, 1);
    m.consecutive_successes = sqlite3_column_int(s, 2);
    if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
      m.last_status = StatusFromDb(sqlite3_column_int64(s, 3));
    }
    m.last_check = ColumnOptionalTime(s, 4);
    m.last_alert = ColumnOptionalTime(s, 5);
    m.last_resolved = ColumnOptionalTime(s, 6);
    m.extra = std::string(ColumnText(s, 7));
    out.push_back(std::move(m));
  }
  if (rc != SQLITE_DONE) {
    return reader_.Error(rc, "read monitor states");
  }
  return out;
}

}  // namespace modelwatch::store::sqlite
